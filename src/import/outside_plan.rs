//! Events dated outside the plan's terms: imported (the plan may be extended, an old
//! activity may be filed late), but named in a warning, as the year may be mistyped.

use chrono::NaiveDate;

use crate::plan::Term;

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
    pub fn new(span: Option<(Term, Term)>) -> OutsidePlan {
        OutsidePlan { span, lines: Vec::new(), count: 0 }
    }

    /// Notes the row on `line` if `date` lies outside the plan's terms.
    pub fn check(&mut self, line: u64, date: NaiveDate) {
        let Some((first, last)) = self.span else { return };
        if date < first.first_day() || date > last.last_day() {
            self.count += 1;
            if self.lines.len() < LISTED {
                self.lines.push(line);
            }
        }
    }

    /// The warning for a file, if any of its rows lies outside the plan's terms.
    pub fn warning(&self, display: &str, noun: impl Fn(u64) -> &'static str) -> Option<String> {
        let (first, last) = self.span?;
        if self.count == 0 {
            return None;
        }
        let lines: Vec<String> = self.lines.iter().map(u64::to_string).collect();
        let more = match self.count - self.lines.len() as u64 {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        Some(format!(
            "{display}: {} {} dated outside the plan's terms ({first} to {last}, {} to {}) on line(s) {}{more}; they are imported — check the years",
            self.count,
            noun(self.count),
            first.first_day(),
            last.last_day(),
            lines.join(", ")
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
        assert_eq!(o.warning("a.csv", |_: u64| "activities"), None);
        for line in 4..12 {
            o.check(line, day("2002-10-01"));
        }
        let w = o.warning("a.csv", |_: u64| "activities").unwrap();
        assert!(w.contains("a.csv: 8 activities dated outside the plan's terms (2019-2020-1 to 2021-2022-1, 2019-09-01 to 2022-01-31) on line(s) 4, 5, 6, 7, 8 and 3 more"), "{w}");
        assert_eq!(OutsidePlan::new(None).warning("a.csv", |_: u64| "activities"), None);
    }
}
