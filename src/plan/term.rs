//! Terms (学期): `YYYY-YYYY-N`, the half of a school year a date belongs to.

use std::fmt;
use std::str::FromStr;

use anyhow::{bail, Result};
use chrono::{Datelike, NaiveDate};

/// The month a school year, and its first term, starts in (September).
pub(crate) const FIRST_HALF_MONTH: u32 = 9;

/// The month a school year's second term starts in (February).
pub(crate) const SECOND_HALF_MONTH: u32 = 2;

/// One half of a school year: `2020-2021-1` runs 1 Sep 2020 – 31 Jan 2021,
/// `2020-2021-2` runs 1 Feb 2021 – 31 Aug 2021.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Term {
    /// The first calendar year of the school year (2020 for 2020–2021).
    start_year: i32,
    /// 1 or 2.
    half: u8,
}

impl Term {
    /// Builds a term from the first year of its school year and its half (1 or 2).
    pub fn new(start_year: i32, half: u8) -> Result<Term> {
        if !(1..=2).contains(&half) {
            bail!(crate::t!("term-half", half = half));
        }
        if !(1900..=9998).contains(&start_year) {
            bail!(crate::t!("term-year-range", year = start_year));
        }
        Ok(Term { start_year, half })
    }

    /// The term a date falls in: every date belongs to exactly one term.
    pub fn containing(date: NaiveDate) -> Term {
        Term::of_month(date.year(), date.month())
    }

    /// The term rule — the one place it is written: the term that month `month` (1–12) of
    /// calendar year `year` falls in. A school year's first half starts on the first of
    /// [`FIRST_HALF_MONTH`], its second on the first of [`SECOND_HALF_MONTH`] of the next
    /// calendar year. Everything else derives from this: [`Term::containing`], the
    /// boundaries, and the ledger's integer keys and SQL (`ledger::term_rule`).
    pub fn of_month(year: i32, month: u32) -> Term {
        if month >= FIRST_HALF_MONTH {
            Term { start_year: year, half: 1 }
        } else if month >= SECOND_HALF_MONTH {
            Term { start_year: year - 1, half: 2 }
        } else {
            Term { start_year: year - 1, half: 1 }
        }
    }

    /// First day of the term.
    pub fn first_day(self) -> NaiveDate {
        match self.half {
            1 => ymd(self.start_year, FIRST_HALF_MONTH, 1),
            _ => ymd(self.start_year + 1, SECOND_HALF_MONTH, 1),
        }
    }

    /// Last day of the term: the day before the next one starts.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().expect("term boundaries are valid dates")
    }

    /// The first and last day of the term's school year: its first term's first day, its
    /// second term's last.
    pub fn school_year_days(self) -> (NaiveDate, NaiveDate) {
        let first = Term { start_year: self.start_year, half: 1 };
        (first.first_day(), first.next().last_day())
    }

    /// The school year (学年), e.g. `2020-2021`.
    pub fn school_year(self) -> String {
        format!("{}-{}", self.start_year, self.start_year + 1)
    }

    /// The first calendar year of the school year.
    pub fn start_year(self) -> i32 {
        self.start_year
    }

    /// 1 or 2.
    pub fn half(self) -> u8 {
        self.half
    }

    /// The term after this one.
    pub fn next(self) -> Term {
        match self.half {
            1 => Term { start_year: self.start_year, half: 2 },
            _ => Term { start_year: self.start_year + 1, half: 1 },
        }
    }

    /// Every term from `self` to `last`, both included (empty if `last` is earlier).
    pub fn through(self, last: Term) -> Vec<Term> {
        let mut out = Vec::new();
        let mut t = self;
        while t <= last {
            out.push(t);
            t = t.next();
        }
        out
    }

    /// The term before this one.
    pub fn previous(self) -> Term {
        match self.half {
            2 => Term { start_year: self.start_year, half: 1 },
            _ => Term { start_year: self.start_year - 1, half: 2 },
        }
    }

    /// The term's name in Chinese, e.g. `2020-2021学年第一学期`.
    pub fn chinese(self) -> String {
        let n = if self.half == 1 { "一" } else { "二" };
        format!("{}学年第{}学期", self.school_year(), n)
    }
}

/// Encodes a term as the integer the ledger stores: first year × 10 + half
/// (20201 = 2020-2021-1). Orders as terms do.
pub(crate) fn term_key(t: Term) -> i64 {
    i64::from(t.start_year()) * 10 + i64::from(t.half())
}

/// Decodes [`term_key`].
pub(crate) fn term_from_key(key: i64) -> Option<Term> {
    Term::new(i32::try_from(key / 10).ok()?, u8::try_from(key % 10).ok()?).ok()
}

/// Decodes a key the ledger computed, without [`term_from_key`]'s checks: a last digit
/// other than 1 is the second half.
pub(crate) fn term_of_key(key: i64) -> Term {
    Term { start_year: (key / 10) as i32, half: if key % 10 == 1 { 1 } else { 2 } }
}

/// Encodes a day as the integer the ledger stores: YYYYMMDD.
pub(crate) fn day_key(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 10_000 + i64::from(d.month()) * 100 + i64::from(d.day())
}

/// Decodes [`day_key`].
pub(crate) fn day_from_key(key: i64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::try_from(key / 10_000).ok()?,
        u32::try_from(key / 100 % 100).ok()?,
        u32::try_from(key % 100).ok()?,
    )
}

/// Encodes a day's month as the integer the activity tally stores: YYYYMM.
pub(crate) fn month_key(d: NaiveDate) -> i64 {
    i64::from(d.year()) * 100 + i64::from(d.month())
}

/// The school year (学年) a date belongs to, by its first calendar year: 1 September
/// 2020 – 31 August 2021 is 2020.
pub(crate) fn school_year_of(d: NaiveDate) -> i32 {
    Term::containing(d).start_year()
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("term boundaries are valid dates")
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{}", self.start_year, self.start_year + 1, self.half)
    }
}

impl FromStr for Term {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> Result<Term> {
        let t = s.trim();
        let bad = || anyhow::anyhow!(crate::t!("term-not-a-term", value = s, spellings = crate::t!("term-spellings")));
        let (years, half) = if let Some(rest) = t.strip_suffix("学期") {
            let (years, n) = rest.split_once("学年第").ok_or_else(bad)?;
            let half = match n {
                "一" | "1" => 1,
                "二" | "2" => 2,
                _ => return Err(bad()),
            };
            (years, half)
        } else {
            let (years, n) = t.rsplit_once('-').ok_or_else(bad)?;
            let half = match n {
                "1" => 1,
                "2" => 2,
                _ => return Err(bad()),
            };
            (years, half)
        };
        let (a, b) = years.split_once('-').ok_or_else(bad)?;
        let four_digits = |x: &str| x.len() == 4 && x.bytes().all(|c| c.is_ascii_digit());
        if !four_digits(a) || !four_digits(b) {
            return Err(bad());
        }
        let (a, b): (i32, i32) = (a.parse()?, b.parse()?);
        if b != a + 1 {
            bail!(crate::t!("term-not-consecutive", value = s, first = a, next = a + 1));
        }
        Term::new(a, half)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn boundary_dates_fall_in_one_term() {
        assert_eq!(Term::containing(d("2020-08-31")).to_string(), "2019-2020-2");
        assert_eq!(Term::containing(d("2020-09-01")).to_string(), "2020-2021-1");
        assert_eq!(Term::containing(d("2021-01-31")).to_string(), "2020-2021-1");
        assert_eq!(Term::containing(d("2021-02-01")).to_string(), "2020-2021-2");
        assert_eq!(Term::containing(d("2021-12-31")).to_string(), "2021-2022-1");
    }

    #[test]
    fn every_day_of_a_term_maps_back_to_it() {
        let t: Term = "2023-2024-2".parse().unwrap();
        let mut day = t.first_day();
        while day <= t.last_day() {
            assert_eq!(Term::containing(day), t);
            day = day.succ_opt().unwrap();
        }
        assert_eq!(t.last_day().to_string(), "2024-08-31");
        assert_eq!(Term::containing(t.last_day().succ_opt().unwrap()), "2024-2025-1".parse().unwrap());
    }

    #[test]
    fn boundaries_agree_with_the_rule_every_day() {
        let (mut day, last) = (d("2016-01-01"), d("2027-12-31"));
        while day <= last {
            let t = Term::containing(day);
            assert!(t.first_day() <= day && day <= t.last_day(), "{day} in {t}");
            let before = day.pred_opt().unwrap();
            let expected = if day == t.first_day() { t.previous() } else { t };
            assert_eq!(Term::containing(before), expected, "{before}");
            day = day.succ_opt().unwrap();
        }
        let t: Term = "2019-2020-2".parse().unwrap();
        assert_eq!((t.first_day(), t.last_day()), (d("2020-02-01"), d("2020-08-31")));
        assert_eq!(Term::containing(d("2020-02-29")), t);
        assert_eq!(t.previous().last_day(), d("2020-01-31"));
        assert_eq!(t.school_year_days(), (d("2019-09-01"), d("2020-08-31")));
        assert_eq!(t.previous().school_year_days(), t.school_year_days());
    }

    #[test]
    fn accepted_spellings() {
        for (s, want) in [
            ("2020-2021-1", "2020-2021-1"),
            ("2020-2021-2", "2020-2021-2"),
            ("2020-2021学年第一学期", "2020-2021-1"),
            ("2020-2021学年第二学期", "2020-2021-2"),
            (" 2020-2021-1 ", "2020-2021-1"),
        ] {
            assert_eq!(s.parse::<Term>().unwrap().to_string(), want, "{s}");
        }
    }

    #[test]
    fn rejected_spellings() {
        for s in ["2020-2022-1", "2020-2021-3", "2020-2021", "20-21-1", "2021-2020-1", "", "2020-2021学年第三学期", "abc"] {
            assert!(s.parse::<Term>().is_err(), "{s} should be rejected");
        }
        let e = "2020-2022-1".parse::<Term>().unwrap_err().to_string();
        assert!(e.contains("相连"), "{e}");
    }

    #[test]
    fn integer_keys_round_trip() {
        let t: Term = "2020-2021-2".parse().unwrap();
        assert_eq!(term_key(t), 20202);
        assert_eq!(term_from_key(20202), Some(t));
        assert_eq!(day_key(d("2021-02-01")), 20210201);
        assert_eq!(day_from_key(20210201), Some(d("2021-02-01")));
        assert_eq!(day_from_key(20210230), None);
        assert_eq!(month_key(d("2021-02-01")), 202102);
        assert_eq!(school_year_of(d("2021-08-31")), 2020);
        assert_eq!(school_year_of(d("2021-09-01")), 2021);
    }

    #[test]
    fn order_and_names() {
        let a: Term = "2019-2020-2".parse().unwrap();
        let b: Term = "2020-2021-1".parse().unwrap();
        assert!(a < b);
        assert_eq!(b.previous(), a);
        assert_eq!(b.school_year(), "2020-2021");
        assert_eq!(a.chinese(), "2019-2020学年第二学期");
    }
}
