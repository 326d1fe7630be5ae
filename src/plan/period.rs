//! Periods and the as-of day (SPEC §10): what span of days a target of a report counts,
//! and whether that span is over.

use chrono::{Datelike, NaiveDate};

use super::model::{Period, Plan};
use super::Term;
use crate::facts::Window;
use crate::lang::Words;
use crate::tl;

/// A report for `term` is judged as of the term's last day, or today if that is earlier.
pub(crate) fn as_of(term: Term, today: NaiveDate) -> NaiveDate {
    term.last_day().min(today)
}

/// A target's period as a report for `term` sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PeriodSpan {
    pub period: Period,
    /// The nominal period.
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The days counted: the nominal period capped at the as-of day.
    pub window: Window,
    /// Whether the nominal end is on or before the as-of day.
    pub over: bool,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid calendar date")
}

/// The span of `period` for a report of `term` as of `as_of`.
pub(crate) fn span(period: Period, term: Term, plan: &Plan, as_of: NaiveDate) -> PeriodSpan {
    let (start, end) = match period {
        Period::Term => (term.first_day(), term.last_day()),
        Period::SchoolYear => term.school_year_days(),
        Period::Year => {
            let y = term.first_day().year();
            (ymd(y, 1, 1), ymd(y, 12, 31))
        }
        Period::Plan => (plan.first_term.first_day(), plan.last_term.last_day()),
    };
    PeriodSpan { period, start, end, window: Window { start, end: end.min(as_of) }, over: end <= as_of }
}

/// Words for a period's window in a reason, e.g. `in 2020-2021-1` / `2020-2021学年第一学期`,
/// `in school year 2020-2021` / `2020-2021学年`, `in 2020` / `2020年`, `since 2019-2020-1`.
pub(crate) fn describe(span: &PeriodSpan, term: Term, plan: &Plan) -> Words {
    let (term_zh, first_zh) = (term.chinese(), plan.first_term.chinese());
    let (term_en, first_en) = (term.to_string(), plan.first_term.to_string());
    // In Chinese a term is named in words, in English by its id.
    match span.period {
        Period::Term => Words::each(|l| tl!(l, "report-period-term", term = l.pick(&term_zh, &term_en))),
        Period::SchoolYear => Words::each(|l| tl!(l, "report-period-school-year", year = term.school_year())),
        Period::Year => Words::each(|l| tl!(l, "report-period-year", year = span.start.year())),
        Period::Plan => Words::each(|l| tl!(l, "report-period-plan", term = l.pick(&first_zh, &first_en))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::file::built_in;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn windows_and_whether_over() {
        let plan = built_in();
        let t1: Term = "2020-2021-1".parse().unwrap();
        let t2: Term = "2020-2021-2".parse().unwrap();
        // A past term: judged as of its last day.
        let a = as_of(t1, d("2026-11-29"));
        assert_eq!(a, d("2021-01-31"));
        let s = span(Period::Term, t1, &plan, a);
        assert_eq!((s.window.start, s.window.end, s.over), (d("2020-09-01"), d("2021-01-31"), true));
        let s = span(Period::SchoolYear, t1, &plan, a);
        assert_eq!((s.start, s.end, s.window.end, s.over), (d("2020-09-01"), d("2021-08-31"), d("2021-01-31"), false));
        let s = span(Period::SchoolYear, t2, &plan, as_of(t2, d("2026-01-01")));
        assert!(s.over);
        // A term-1 report judges the calendar year that ended within it.
        let s = span(Period::Year, t1, &plan, a);
        assert_eq!((s.window.start, s.window.end, s.over), (d("2020-01-01"), d("2020-12-31"), true));
        // A term-2 report judges the year still under way.
        let a2 = as_of(t2, d("2026-01-01"));
        let s = span(Period::Year, t2, &plan, a2);
        assert_eq!((s.window.start, s.window.end, s.over), (d("2021-01-01"), d("2021-08-31"), false));
        let s = span(Period::Plan, t1, &plan, a);
        assert_eq!((s.window.start, s.window.end, s.over), (d("2019-09-01"), d("2021-01-31"), false));
        let last: Term = "2021-2022-1".parse().unwrap();
        assert!(span(Period::Plan, last, &plan, as_of(last, d("2026-01-01"))).over);
        // The term still under way: judged as of today, not over.
        let today = d("2020-11-15");
        let s = span(Period::Term, t1, &plan, as_of(t1, today));
        assert_eq!((s.window.end, s.over), (today, false));
        // On the term's last day it is over.
        assert!(span(Period::Term, t1, &plan, as_of(t1, d("2021-01-31"))).over);
    }
}
