//! Activities per host and window, summed from the tallies: the term tally for a window's
//! whole terms, the monthly tally for its other whole months, and the activity rows for
//! the days of months it covers in part. The only SQL that sums the tallies for a report.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use rusqlite::params;

use super::super::counts;
use super::super::raw::Raw;
use super::super::term_rule::{term_months, term_of_month};
use super::super::Ledger;
use crate::facts::{HostCounts, Window};
use crate::plan::term::{day_key, month_key};
use crate::plan::ActivityKind;

/// The first day of the month after `d`'s.
fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MAX)
}

/// The last day of `d`'s month.
fn month_end(d: NaiveDate) -> NaiveDate {
    next_month(d).pred_opt().unwrap_or(d)
}

/// How a window's activities are counted: the tally rows of whole months, and the
/// activity rows of the days of partly covered months.
#[derive(Debug, Clone, PartialEq, Eq)]
struct WindowPlan {
    /// Months (YYYYMM, both ends included) read from the tally.
    tally: Option<(i64, i64)>,
    /// Spans of days (YYYYMMDD, both ends included) counted from the activity rows.
    exact: Vec<(i64, i64)>,
}

/// Splits a window into tally months and exactly counted days. `end_month_reaches_past`
/// says whether the tally of the window's last month counts days after the window's end.
fn plan_window(w: Window, end_month_reaches_past: bool) -> WindowPlan {
    let mut plan = WindowPlan { tally: None, exact: Vec::new() };
    if w.start > w.end {
        return plan;
    }
    let mut first_whole = w.start;
    if w.start.day() != 1 {
        let stop = month_end(w.start).min(w.end);
        plan.exact.push((day_key(w.start), day_key(stop)));
        first_whole = next_month(w.start);
    }
    if first_whole > w.end {
        return plan;
    }
    let mut last_whole = w.end;
    if w.end != month_end(w.end) && end_month_reaches_past {
        let from = NaiveDate::from_ymd_opt(w.end.year(), w.end.month(), 1).unwrap_or(w.end).max(first_whole);
        plan.exact.push((day_key(from), day_key(w.end)));
        last_whole = from.pred_opt().unwrap_or(from);
    }
    if first_whole <= last_whole {
        plan.tally = Some((month_key(first_whole), month_key(last_whole)));
    }
    plan
}

/// The month (YYYYMM) after `m`, and before it.
fn month_after(m: i64) -> i64 {
    if m % 100 == 12 {
        (m / 100 + 1) * 100 + 1
    } else {
        m + 1
    }
}

fn month_before(m: i64) -> i64 {
    if m % 100 == 1 {
        (m / 100 - 1) * 100 + 12
    } else {
        m - 1
    }
}

/// Splits a span of whole months (both ends included) into the whole terms in it (read
/// from the term tally) and the months before and after them (read from the monthly one).
/// A span of periods (months YYYYMM, or terms), both ends included.
type Span = (i64, i64);

fn split_terms((first, last): Span) -> (Option<Span>, Vec<Span>) {
    let next_term = |t: i64| if t % 10 == 1 { t + 1 } else { (t / 10 + 1) * 10 + 1 };
    let previous_term = |t: i64| if t % 10 == 2 { t - 1 } else { (t / 10 - 1) * 10 + 2 };
    let mut from = term_of_month(first);
    if term_months(from).0 < first {
        from = next_term(from);
    }
    let mut to = term_of_month(last);
    if term_months(to).1 > last {
        to = previous_term(to);
    }
    if from > to {
        return (None, vec![(first, last)]);
    }
    let mut months = Vec::new();
    if first < term_months(from).0 {
        months.push((first, month_before(term_months(from).0)));
    }
    if term_months(to).1 < last {
        months.push((month_after(term_months(to).1), last));
    }
    (Some((from, to)), months)
}

impl Ledger {
    /// Activities per host (unit id) and kind dated in each of `windows` (or, for a window
    /// paired with `false`, their total only): the term tally
    /// for the whole terms of a window, the monthly tally for its other whole months (one
    /// scan of each for all windows), the days of partly covered months from the
    /// activities themselves.
    pub(super) fn window_counts(&self, windows: &[(Window, bool)]) -> Result<BTreeMap<Window, HostCounts>> {
        let mut plans = Vec::with_capacity(windows.len());
        for &(w, _) in windows {
            let end_month_reaches_past = w.end != month_end(w.end)
                && self.conn.query_row(
                    "SELECT EXISTS (SELECT 1 FROM tally_month WHERE month = ?1 AND last_day > ?2)",
                    params![month_key(w.end), day_key(w.end)],
                    |r| r.get::<_, bool>(0),
                )?;
            // A window that ends before its term does, with nothing dated in the rest of
            // the term (a report as of today, mid-term), counts what the window to the
            // term's end counts: that window is read, the term from the term tally rather
            // than its months from the monthly one (a row per import and unit and month).
            let (_, last_month) = term_months(term_of_month(month_key(w.end)));
            let term_end = NaiveDate::from_ymd_opt((last_month / 100) as i32, (last_month % 100) as u32, 1).map(month_end);
            let stretched = match term_end {
                Some(end) if end > w.end && !end_month_reaches_past => {
                    let later: bool = self.conn.query_row(
                        "SELECT EXISTS (SELECT 1 FROM tally_month WHERE month > ?1 AND month <= ?2)",
                        params![month_key(w.end), last_month],
                        |r| r.get(0),
                    )?;
                    if later {
                        w
                    } else {
                        Window { start: w.start, end }
                    }
                }
                _ => w,
            };
            let plan = plan_window(stretched, end_month_reaches_past);
            let (terms, months) = plan.tally.map_or((None, Vec::new()), split_terms);
            plans.push((w, terms, months, plan.exact));
        }
        let ids: i64 = self.conn.query_row("SELECT coalesce(max(id), 0) FROM unit", [], |r| r.get(0))?;
        let mut counts: Vec<HostCounts> = windows
            .iter()
            .map(|&(_, per_host)| {
                if !per_host {
                    return HostCounts::total_only();
                }
                let mut c = HostCounts::default();
                c.reserve_ids(usize::try_from(ids).unwrap_or(0).saturating_add(1));
                c
            })
            .collect();
        // One pass over each tally for every window: (window, range of keys) pairs.
        let term_ranges: Vec<(usize, (i64, i64))> = plans.iter().enumerate().filter_map(|(i, p)| p.1.map(|r| (i, r))).collect();
        self.add_tally_rows("term_tally", "term", &term_ranges, &mut counts)?;
        let month_ranges: Vec<(usize, (i64, i64))> =
            plans.iter().enumerate().flat_map(|(i, p)| p.2.iter().map(move |r| (i, *r))).collect();
        self.add_tally_rows("activity_tally", "month", &month_ranges, &mut counts)?;
        for (i, (_, _, _, exact)) in plans.iter().enumerate() {
            for &days in exact {
                // A scan of the activities: only for windows that end mid-month with later
                // activities in that month (dated after the as-of day), or start mid-month.
                self.add_activity_days(days, &mut counts[i])?;
            }
        }
        Ok(plans.into_iter().map(|(w, ..)| w).zip(counts).collect())
    }

    /// Adds the rows of `table` (a tally keyed by `period`, then host; the monthly tally by
    /// generation first) whose period is in one of `ranges` to that range's window's
    /// counts, in one scan (of each generation).
    fn add_tally_rows(&self, table: &str, period: &str, ranges: &[(usize, (i64, i64))], counts: &mut [HostCounts]) -> Result<()> {
        let (Some(lo), Some(hi)) = (ranges.iter().map(|(_, (lo, _))| *lo).min(), ranges.iter().map(|(_, (_, hi))| *hi).max())
        else {
            return Ok(());
        };
        // One range (a report's usual whole term) needs no period read per row.
        let one = ranges.len() == 1;
        let period_column = if one { String::new() } else { format!(", t.{period}") };
        let columns = format!("t.host_id, t.counts{period_column}");
        let sql = if table == "activity_tally" {
            // Each generation's range of months.
            format!(
                "{} SELECT {columns} FROM g CROSS JOIN activity_tally t ON t.gen = g.gen AND t.month BETWEEN ?1 AND ?2",
                super::super::write::tally::TALLY_GENERATIONS_SQL
            )
        } else {
            format!("SELECT {columns} FROM {table} t WHERE t.{period} BETWEEN ?1 AND ?2")
        };
        let mut rows = Raw::new(&self.conn, &sql, &[lo, hi])?;
        while rows.next()? {
            let host = rows.int(0);
            let mut all = [0; ActivityKind::COUNT];
            counts::add_into(rows.value(1).map_or(&[][..], |(_, b)| b), &mut all)?;
            if one {
                counts[ranges[0].0].add_all(host, &all);
                continue;
            }
            let key = rows.int(2);
            for (i, (a, b)) in ranges {
                if *a <= key && key <= *b {
                    counts[*i].add_all(host, &all);
                }
            }
        }
        Ok(())
    }

    /// Adds the activities dated from `from` to `to` (YYYYMMDD, both included) to `counts`:
    /// a scan of the activities, for the days of a month a window covers only in part.
    fn add_activity_days(&self, (from, to): (i64, i64), counts: &mut HostCounts) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT host_id, kind, count(*) FROM activity WHERE day BETWEEN ?1 AND ?2 GROUP BY host_id, kind")?;
        let mut rows = stmt.query([from, to])?;
        while let Some(r) = rows.next()? {
            counts.add(r.get(0)?, counts::kind_of(r.get_ref(1)?.as_str()?)?, r.get::<_, i64>(2)? as u64);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn w(a: &str, b: &str) -> Window {
        Window { start: d(a), end: d(b) }
    }

    #[test]
    fn windows_of_whole_months_read_the_tally_only() {
        let p = plan_window(w("2020-09-01", "2021-01-31"), true);
        assert_eq!(p, WindowPlan { tally: Some((202009, 202101)), exact: vec![] });
        // Ending mid-month: the tally serves unless that month counts later days.
        let p = plan_window(w("2020-09-01", "2020-11-15"), false);
        assert_eq!(p, WindowPlan { tally: Some((202009, 202011)), exact: vec![] });
        let p = plan_window(w("2020-09-01", "2020-11-15"), true);
        assert_eq!(p, WindowPlan { tally: Some((202009, 202010)), exact: vec![(20201101, 20201115)] });
        // Starting mid-month: those days are counted exactly.
        let p = plan_window(w("2020-09-10", "2020-12-31"), false);
        assert_eq!(p, WindowPlan { tally: Some((202010, 202012)), exact: vec![(20200910, 20200930)] });
        // Within one month.
        let p = plan_window(w("2020-09-10", "2020-09-20"), true);
        assert_eq!(p, WindowPlan { tally: None, exact: vec![(20200910, 20200920)] });
        let p = plan_window(w("2020-09-01", "2020-09-20"), true);
        assert_eq!(p, WindowPlan { tally: None, exact: vec![(20200901, 20200920)] });
        assert_eq!(plan_window(w("2020-09-02", "2020-09-01"), true), WindowPlan { tally: None, exact: vec![] });
        // Across a new year.
        let p = plan_window(w("2019-12-01", "2020-12-31"), false);
        assert_eq!(p.tally, Some((201912, 202012)));
    }

    #[test]
    fn whole_terms_of_a_span_of_months_read_the_term_tally() {
        // A term exactly.
        assert_eq!(split_terms((202009, 202101)), (Some((20201, 20201)), vec![]));
        assert_eq!(split_terms((202102, 202108)), (Some((20202, 20202)), vec![]));
        // A school year, and a plan's three years with a month either side.
        assert_eq!(split_terms((202009, 202108)), (Some((20201, 20202)), vec![]));
        assert_eq!(split_terms((201908, 202209)), (Some((20191, 20212)), vec![(201908, 201908), (202209, 202209)]));
        // Part of a term only: months.
        assert_eq!(split_terms((202009, 202012)), (None, vec![(202009, 202012)]));
        assert_eq!(split_terms((202010, 202101)), (None, vec![(202010, 202101)]));
        // A term and the start of the next.
        assert_eq!(split_terms((202009, 202104)), (Some((20201, 20201)), vec![(202102, 202104)]));
        // Across new year, into a second half.
        assert_eq!(split_terms((202012, 202108)), (Some((20202, 20202)), vec![(202012, 202101)]));
        for m in [201901, 201902, 201908, 201909, 201912] {
            let t = term_of_month(m);
            let (a, b) = term_months(t);
            assert!(a <= m && m <= b, "{m} in {t}");
            assert_eq!(month_after(month_before(m)), m);
        }
    }
}
