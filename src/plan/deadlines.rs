//! When each return is due (SPEC §15), from the plan file's `[deadlines]` section: rosters
//! N days after their period starts (a term's, or for key students the school year's),
//! activities and registry filings N days after the term ends; and the thresholds of the
//! reporting rate and the on-time rate (DHIS2's measures; the WHO data quality review's
//! defaults, 90 % and 75 %). A key the file leaves out takes the default below.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::{Spanned, Value};

use super::Term;
use crate::lang::Lang;
use crate::returns::KindSpec;
use crate::tl;

/// What a return's deadline counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DueFrom {
    /// The first day of the term.
    TermStart,
    /// The first day of the term's school year.
    SchoolYearStart,
    /// The last day of the term.
    TermEnd,
}

/// When a return is due unless the plan says otherwise: `days` after `from`. Each kind's
/// is in its spec (`KindSpec::due`); the section's keys are the kinds' names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Due {
    pub from: DueFrom,
    pub days: u32,
}

/// The return kinds the section names, in the order of their specs.
pub(crate) const KINDS: [&KindSpec; N] = crate::returns::kinds::ALL;
const N: usize = crate::returns::kinds::ALL.len();

/// The default thresholds, in percent: the WHO data quality review's.
pub(crate) const DEFAULT_REPORTING_RATE: u32 = 90;
pub(crate) const DEFAULT_ON_TIME_RATE: u32 = 75;

/// The most days a deadline may lie after its start.
const MAX_DAYS: i64 = 366;

/// The plan's deadlines, as the file gives them (`None`: the default).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Deadlines {
    /// Days per return kind, in the order of [`KINDS`].
    pub days: [Option<u32>; N],
    pub reporting_rate: Option<u32>,
    pub on_time_rate: Option<u32>,
}

impl Deadlines {
    /// The days after its start that a return of `kind` is due, and what they count from.
    pub(crate) fn days_for(&self, kind: &str) -> Option<(u32, DueFrom)> {
        let i = KINDS.iter().position(|k| k.name == kind)?;
        Some((self.days[i].unwrap_or(KINDS[i].due.days), KINDS[i].due.from))
    }

    /// The last day on which a return of `kind` for `term` is on time.
    pub(crate) fn due(&self, kind: &str, term: Term) -> Option<NaiveDate> {
        let (days, from) = self.days_for(kind)?;
        let start = match from {
            DueFrom::TermStart => term.first_day(),
            DueFrom::SchoolYearStart => term.school_year_days().0,
            DueFrom::TermEnd => term.last_day(),
        };
        start.checked_add_days(chrono::Days::new(u64::from(days)))
    }

    /// The reporting rate the plan requires, in percent.
    pub(crate) fn reporting_rate(&self) -> u32 {
        self.reporting_rate.unwrap_or(DEFAULT_REPORTING_RATE)
    }

    /// The on-time rate the plan requires, in percent.
    pub(crate) fn on_time_rate(&self) -> u32 {
        self.on_time_rate.unwrap_or(DEFAULT_ON_TIME_RATE)
    }

    /// The section as the file gave it, for `plan show`: empty when it gave none.
    pub(crate) fn to_toml(&self) -> String {
        let mut out = String::new();
        for (kind, days) in KINDS.iter().zip(self.days) {
            if let Some(d) = days {
                let _ = writeln!(out, "{} = {d}", kind.name);
            }
        }
        if let Some(r) = self.reporting_rate {
            let _ = writeln!(out, "reporting_rate = {r}");
        }
        if let Some(r) = self.on_time_rate {
            let _ = writeln!(out, "on_time_rate = {r}");
        }
        if out.is_empty() {
            return out;
        }
        format!("\n[deadlines]\n{out}")
    }

    /// The deadlines in force (defaults filled in), for `plan show --format json`.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        let mut o = serde_json::Map::new();
        for kind in KINDS {
            let (days, from) = self.days_for(kind.name).expect("a kind of KINDS");
            let from = match from {
                DueFrom::TermStart => "term-start",
                DueFrom::SchoolYearStart => "school-year-start",
                DueFrom::TermEnd => "term-end",
            };
            o.insert(kind.name.to_string(), serde_json::json!({"days": days, "after": from}));
        }
        o.insert("reporting_rate".into(), self.reporting_rate().into());
        o.insert("on_time_rate".into(), self.on_time_rate().into());
        serde_json::Value::Object(o)
    }
}

/// Keys of a table with their places, and their values with theirs.
type Keyed = BTreeMap<Spanned<String>, Spanned<Value>>;

#[derive(Deserialize)]
struct Doc {
    #[serde(default)]
    deadlines: Option<Keyed>,
}

/// Reads the `[deadlines]` section of a plan file that is valid TOML, noting each mistake as
/// (byte offset, what is wrong). A section that is not a table is noted by the plan's reader.
pub(super) fn read(text: &str, lang: Lang) -> (Deadlines, Vec<(usize, String)>) {
    let mut d = Deadlines::default();
    let mut mistakes = Vec::new();
    let Ok(Doc { deadlines: Some(keys) }) = toml::from_str::<Doc>(text) else { return (d, mistakes) };
    let expected = KINDS.iter().map(|k| k.name).chain(["reporting_rate", "on_time_rate"]).collect::<Vec<_>>().join(", ");
    for (key, value) in keys {
        let at = value.span().start;
        let (name, rate) = (key.get_ref().as_str(), key.get_ref().ends_with("_rate"));
        let slot = match KINDS.iter().position(|k| k.name == name) {
            Some(i) => &mut d.days[i],
            None if name == "reporting_rate" => &mut d.reporting_rate,
            None if name == "on_time_rate" => &mut d.on_time_rate,
            None => {
                mistakes
                    .push((key.span().start, tl!(lang, "plan-deadlines-unknown-key", key = name, expected = expected.as_str())));
                continue;
            }
        };
        let max = if rate { 100 } else { MAX_DAYS };
        match value.get_ref().as_integer() {
            Some(n) if (0..=max).contains(&n) => *slot = Some(n as u32),
            _ => {
                let value = shown(value.get_ref());
                let problem = match rate {
                    true => tl!(lang, "plan-deadlines-bad-rate", key = name, value = value),
                    false => tl!(lang, "plan-deadlines-bad-days", key = name, value = value, max = MAX_DAYS),
                };
                mistakes.push((at, problem));
            }
        }
    }
    (d, mistakes)
}

/// A value as the file wrote it, near enough for a message.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        Value::Integer(n) => n.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Boolean(b) => b.to_string(),
        other => other.type_str().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn each_kind_is_due_from_its_own_start() {
        let term: Term = "2020-2021-2".parse().unwrap();
        let mut d = Deadlines::default();
        for (kind, days) in [("schools", 10), ("key-students", 20), ("activities", 5)] {
            d.days[KINDS.iter().position(|k| k.name == kind).unwrap()] = Some(days);
        }
        assert_eq!(d.due("schools", term), Some(day("2021-02-11")));
        assert_eq!(d.due("communities", term), Some(day("2021-03-03")));
        assert_eq!(d.due("key-students", term), Some(day("2020-09-21")));
        assert_eq!(d.due("activities", term), Some(day("2021-09-05")));
        assert_eq!(d.due("registry", term), Some(day("2021-09-30")));
        assert_eq!(d.due("villages", term), None);
        assert_eq!((d.reporting_rate(), d.on_time_rate()), (90, 75));
    }

    #[test]
    fn the_section_reads_back_as_written() {
        let text = "[deadlines]\nschools = 10\nkey-students = 20\nactivities = 5\non_time_rate = 80\n";
        let (d, mistakes) = read(text, Lang::En);
        assert!(mistakes.is_empty(), "{mistakes:?}");
        assert_eq!(d.to_toml(), format!("\n{text}"));
        assert_eq!(read("id = 1\n", Lang::En).0, Deadlines::default());
        assert_eq!(Deadlines::default().to_toml(), "");
    }

    #[test]
    fn mistakes_are_placed_on_their_key() {
        let text = "[deadlines]\nschools = -1\nvillages = 3\nreporting_rate = 101\nactivities = \"15\"\n";
        let (_, mistakes) = read(text, Lang::En);
        let at: Vec<(usize, &str)> = mistakes.iter().map(|(o, m)| (text[..*o].matches('\n').count() + 1, m.as_str())).collect();
        assert_eq!(at.len(), 4, "{at:?}");
        assert!(at.iter().any(|(l, m)| *l == 2 && m.contains("schools = -1")), "{at:?}");
        assert!(at.iter().any(|(l, m)| *l == 3 && m.contains("villages")), "{at:?}");
        assert!(at.iter().any(|(l, m)| *l == 4 && m.contains("reporting_rate = 101")), "{at:?}");
        assert!(at.iter().any(|(l, m)| *l == 5 && m.contains("activities")), "{at:?}");
    }
}
