//! Events dated outside the plan's terms: imported (the plan may be extended, an old
//! activity may be filed late), but named in a warning, as the year may be mistyped.

use chrono::NaiveDate;

use crate::plan::Term;
use crate::returns::ReturnKind;

/// How many lines a warning names before "and N more".
const LISTED: usize = 5;

/// The lines of a file whose date lies outside the plan's terms.
#[derive(Debug)]
pub(super) struct OutsidePlan {
    /// The plan's first and last terms.
    span: Option<(Term, Term)>,
    lines: Vec<u64>,
    count: u64,
}

impl OutsidePlan {
    pub(super) fn new(span: Option<(Term, Term)>) -> OutsidePlan {
        OutsidePlan { span, lines: Vec::new(), count: 0 }
    }

    /// Notes the row on `line` if `date` lies outside the plan's terms.
    pub(super) fn check(&mut self, line: u64, date: NaiveDate) {
        let Some((first, last)) = self.span else { return };
        if date < first.first_day() || date > last.last_day() {
            self.count += 1;
            if self.lines.len() < LISTED {
                self.lines.push(line);
            }
        }
    }

    /// The warning for a file, if any of its rows lies outside the plan's terms.
    pub(super) fn warning(&self, display: &str, kind: ReturnKind) -> Option<String> {
        let (first, last) = self.span?;
        if self.count == 0 {
            return None;
        }
        let lines: Vec<String> = self.lines.iter().map(u64::to_string).collect();
        let more = match self.count - self.lines.len() as u64 {
            0 => String::new(),
            n => crate::t!("import-more", count = n),
        };
        Some(crate::t!(
            "import-outside-plan",
            file = display,
            what = super::count_of(kind, self.count),
            first = first.to_string(),
            last = last.to_string(),
            first_day = first.first_day().to_string(),
            last_day = last.last_day().to_string(),
            lines = lines.join(", "),
            more = more
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handful_of_lines_then_how_many_more() {
        let span = Some(("2019-2020-1".parse().unwrap(), "2021-2022-1".parse().unwrap()));
        let mut o = OutsidePlan::new(span);
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        o.check(2, day("2019-09-01"));
        o.check(3, day("2022-01-31"));
        assert_eq!(o.warning("a.csv", ReturnKind::Activities), None);
        for line in 4..12 {
            o.check(line, day("2002-10-01"));
        }
        let w = o.warning("a.csv", ReturnKind::Activities).unwrap();
        // In the output language; the numbers, terms, days and lines are the same in each.
        for part in ["a.csv", "8 ", "2019-2020-1", "2021-2022-1", "2019-09-01", "2022-01-31", "4, 5, 6, 7, 8", "3"] {
            assert!(w.contains(part), "{part}: {w}");
        }
        assert!(!w.contains("8, 9"), "only five lines are named: {w}");
        assert_eq!(OutsidePlan::new(None).warning("a.csv", ReturnKind::Activities), None);
    }
}
