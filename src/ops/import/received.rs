//! When a return was received (`import --received DATE`, SPEC §15): never before the period
//! it reports on starts. The period is a roster's term or school year; for activities, the
//! term of the earliest activity in the file; for registry filings, the school year of the
//! earliest filing.

use anyhow::Result;
use chrono::NaiveDate;

use crate::plan::term::school_year_of;
use crate::plan::Term;
use crate::returns::kinds::school_year_text;
use crate::returns::{ReturnKind, RosterPeriod};

/// The period a return reports on, as a person names it, and its first day.
pub(crate) fn period_start(
    kind: ReturnKind,
    roster: Option<RosterPeriod>,
    earliest: Option<NaiveDate>,
) -> Option<(String, NaiveDate)> {
    let school_year = |y: i32| Term::new(y, 1).ok().map(|t| (school_year_text(y), t.first_day()));
    match (roster, earliest) {
        (Some(RosterPeriod::Term(t)), _) => Some((t.to_string(), t.first_day())),
        (Some(RosterPeriod::SchoolYear(y)), _) => school_year(y),
        (None, Some(d)) if kind == ReturnKind::Registry => school_year(school_year_of(d)),
        (None, Some(d)) => {
            let t = Term::containing(d);
            Some((t.to_string(), t.first_day()))
        }
        (None, None) => None,
    }
}

/// Refuses a return received before the period it reports on starts.
pub(super) fn check(
    kind: ReturnKind,
    file: &str,
    received: NaiveDate,
    roster: Option<RosterPeriod>,
    earliest: Option<NaiveDate>,
) -> Result<()> {
    match period_start(kind, roster, earliest) {
        Some((period, start)) if received < start => anyhow::bail!(crate::t!(
            "import-received-before-period",
            file = file,
            received = received.to_string(),
            period = period,
            start = start.to_string()
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn each_kind_of_return_has_its_period() {
        let term: Term = "2020-2021-2".parse().unwrap();
        let start = |kind, roster, earliest| period_start(kind, roster, earliest).unwrap();
        assert_eq!(start(ReturnKind::Schools, Some(RosterPeriod::Term(term)), None), ("2020-2021-2".into(), day("2021-02-01")));
        assert_eq!(
            start(ReturnKind::KeyStudents, Some(RosterPeriod::SchoolYear(2020)), None),
            ("2020-2021".into(), day("2020-09-01"))
        );
        // Activities: the term of the earliest; filings: its school year.
        assert_eq!(start(ReturnKind::Activities, None, Some(day("2021-03-05"))), ("2020-2021-2".into(), day("2021-02-01")));
        assert_eq!(start(ReturnKind::Registry, None, Some(day("2021-03-05"))), ("2020-2021".into(), day("2020-09-01")));
        assert_eq!(period_start(ReturnKind::Activities, None, None), None);
    }
}
