//! Reading what a report needs, in one read transaction (a consistent snapshot that
//! never waits for an import: WAL readers see the last committed state).
//!
//! [`Ledger::facts`] reads everything a plan may ask about; [`Ledger::snapshot`] is the
//! older, narrower read of the first five targets, kept until the report moves to facts.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate};
use rusqlite::{params, OptionalExtension};

use super::raw::Raw;
use super::term_rule::{term_months, term_of_month};
use super::Ledger;
use crate::facts::{BodyUnit, CommunityUnit as FactCommunity, HostCounts, KeyStudent, LedgerFacts, RegistryFiling};
use crate::facts::{FactsPart, RosterUnits, SchoolUnit as FactSchool, SpellingNumbers, Text, UnitWords, Window};
use crate::plan::term::{day_from_key, day_key, month_key};
use crate::plan::{Area, BodyKind, BodyLevel, FactSet, RegistryCategory, SchoolType, StudentCategory, Term};
use crate::returns::kinds::school_year_text;

fn facts_of(yes: i64, no: i64) -> FactSet {
    FactSet::from_masks(yes as u32, no as u32)
}

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
    /// The latest live roster of `kind` whose term is `term` or earlier.
    pub(super) fn roster_for(&self, kind: &str, term: Term) -> Result<Option<(i64, Term)>> {
        let row: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT id, term FROM batch WHERE kind = ?1 AND reverted_at IS NULL AND term <= ?2
                 ORDER BY term DESC, id DESC LIMIT 1",
                params![kind, term.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(id, t)| {
            Ok((id, t.parse::<Term>().with_context(|| crate::t!("ledger-read-bad-term", batch = id, term = t.as_str()))?))
        })
        .transpose()
    }

    /// The names of the schools and communities among `ids` on the rosters a report of
    /// `term` uses.
    pub fn unit_names(&self, term: Term, ids: &crate::report::UnitIds) -> Result<crate::report::UnitNames> {
        let mut names = crate::report::UnitNames::default();
        for (kind, table) in
            [&crate::returns::kinds::schools::SPEC, &crate::returns::kinds::communities::SPEC].map(|k| (k.name, k.table))
        {
            let Some((batch, _)) = self.roster_for(kind, term)? else { continue };
            let mut stmt = self.conn.prepare(&format!("SELECT unit_id, name FROM {table} WHERE batch_id = ?1"))?;
            let mut rows = stmt.query([batch])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                if ids.contains(id) {
                    names.push(id, r.get_ref(1)?.as_str()?);
                }
            }
        }
        Ok(names)
    }

    /// The rows a batch recorded as imported: what to make room for when reading it.
    fn batch_rows(&self, batch: i64) -> Result<usize> {
        let n: i64 = self.conn.query_row("SELECT imported FROM batch WHERE id = ?1", [batch], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// The latest live key-students roster of `term`'s school year (other years never count).
    pub(super) fn key_students_roster_for(&self, term: Term) -> Result<Option<i64>> {
        self.school_year_roster_for(crate::returns::kinds::key_students::KIND_NAME, term)
    }

    /// The roster of `kind`, a roster of school years, in use for `term`: the latest live
    /// one of `term`'s school year.
    pub(super) fn school_year_roster_for(&self, kind: &str, term: Term) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM batch WHERE kind = ?2 AND school_year = ?1 AND reverted_at IS NULL
                 ORDER BY id DESC LIMIT 1",
                params![school_year_text(term.start_year()), kind],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Reads everything a report for `term` may need, for each window a plan's targets
    /// count over, in one consistent read of the ledger:
    ///
    /// - the rosters in use: per kind the latest live roster whose term is `term` or
    ///   earlier; key-students: the latest roster of `term`'s school year only;
    /// - their units, with the facts each reported; the townships and their spellings;
    /// - per window: activities per host code (from the monthly tally, counting the days
    ///   of a month the window covers only in part from the activities themselves), home
    ///   visits per (school code, student ref), and the registry filings dated in it (the
    ///   latest of each township, category and school year);
    /// - how many activities are dated in `term`.
    pub fn facts(&self, term: Term, windows: &[Window]) -> Result<LedgerFacts> {
        self.facts_counting(term, windows, windows, UnitWords::CodesAndNames)
    }

    /// [`Ledger::facts`], counting activities per host only for the windows of `counted`
    /// (those some target counts activities over): each such window costs a table of 16
    /// bytes per unit. Every window of `windows` still has its home visits and filings.
    /// `words` says whether schools and communities keep their codes and names (key
    /// students, worded with their schools' codes and names, bring both).
    pub fn facts_counting(&self, term: Term, windows: &[Window], counted: &[Window], words: UnitWords) -> Result<LedgerFacts> {
        let mut facts = None;
        self.facts_in_parts(term, windows, counted, words, usize::MAX, |part| {
            match part {
                FactsPart::Base(f) => facts = Some(*f),
                FactsPart::Units(units) => facts.as_mut().expect("the base comes first").absorb(units),
            }
            Ok(())
        })?;
        Ok(facts.expect("the base is always read"))
    }

    /// [`Ledger::facts_counting`] in parts, in one read transaction: `each` is handed the
    /// facts without the schools and communities first, then those units a part of at most
    /// `part` units at a time (and one part, perhaps empty, at least), in roster order.
    pub fn facts_in_parts(
        &self,
        term: Term,
        windows: &[Window],
        counted: &[Window],
        words: UnitWords,
        part: usize,
        mut each: impl FnMut(FactsPart) -> Result<()>,
    ) -> Result<()> {
        let tx = self.conn.unchecked_transaction().with_context(|| crate::t!("ledger-read-start"))?;
        let key_roster = self.key_students_roster_for(term).with_context(|| crate::t!("ledger-reading"))?;
        // Key students are worded with their schools' codes and names.
        let words = if key_roster.is_some() { UnitWords::CodesAndNames } else { words };
        let base = self.facts_base(term, windows, counted, key_roster).with_context(|| crate::t!("ledger-reading"))?;
        each(FactsPart::Base(Box::new(base)))?;
        self.roster_units(term, words, part.max(1), &mut each).with_context(|| crate::t!("ledger-reading"))?;
        tx.finish()?;
        Ok(())
    }

    /// Everything of [`Ledger::facts_counting`] but the schools and communities.
    fn facts_base(
        &self,
        term: Term,
        windows: &[Window],
        activity_windows: &[Window],
        key_roster: Option<i64>,
    ) -> Result<LedgerFacts> {
        let mut f = LedgerFacts::default();
        if let Some((batch, t)) = self.roster_for(crate::returns::kinds::bodies::KIND_NAME, term)? {
            f.rosters.bodies = Some(t);
            let mut stmt = self.conn.prepare(
                "SELECT u.code, y.name, y.kind, y.level, y.township, y.facts_yes, y.facts_no, y.unit_id
                 FROM body y JOIN unit u ON u.id = y.unit_id WHERE y.batch_id = ?1 ORDER BY y.unit_id",
            )?;
            let rows = stmt.query_map([batch], |r| {
                let (kind, level): (String, String) = (r.get(2)?, r.get(3)?);
                Ok(BodyUnit {
                    id: r.get(7)?,
                    code: r.get(0)?,
                    name: r.get(1)?,
                    kind: BodyKind::parse(&kind).unwrap_or(BodyKind::ParentSchool),
                    level: BodyLevel::parse(&level).unwrap_or(BodyLevel::Organisation),
                    township: r.get(4)?,
                    facts: facts_of(r.get(5)?, r.get(6)?),
                })
            })?;
            f.bodies = rows.collect::<rusqlite::Result<_>>()?;
        }
        let year = term.start_year();
        if let Some(batch) = key_roster {
            f.rosters.key_students = Some(Term::new(year, 1)?);
            let mut stmt = self.conn.prepare(
                "SELECT u.code, k.ref, k.category FROM key_student k JOIN unit u ON u.id = k.school_id
                 WHERE k.batch_id = ?1 ORDER BY u.code, k.ref",
            )?;
            let rows = stmt.query_map([batch], |r| {
                let category: Option<String> = r.get(2)?;
                Ok(KeyStudent {
                    school: r.get(0)?,
                    reference: r.get(1)?,
                    category: category.as_deref().and_then(StudentCategory::parse),
                })
            })?;
            f.key_students = rows.collect::<rusqlite::Result<_>>()?;
        }
        (f.townships, f.township_names) = self.townships()?;
        let whole_term = Window { start: term.first_day(), end: term.last_day() };
        let mut counted: Vec<Window> = activity_windows.to_vec();
        if !counted.contains(&whole_term) {
            counted.push(whole_term);
        }
        counted.sort();
        counted.dedup();
        let mut counts = self.window_counts(&counted)?;
        f.activities_in_term = counts.get(&whole_term).map_or(0, HostCounts::total);
        for &w in activity_windows {
            if let Some(c) = counts.remove(&w) {
                f.activity.insert(w, c);
            }
        }
        for &w in windows {
            if f.home_visits.contains_key(&w) {
                continue;
            }
            f.home_visits.insert(w, self.home_visits(w)?);
            f.registry.insert(w, self.registry_filings(w)?);
        }
        Ok(f)
    }

    /// The schools, then the communities, of the rosters in use for `term`, handed to
    /// `each` at most `part` at a time.
    fn roster_units(
        &self,
        term: Term,
        words: UnitWords,
        part: usize,
        each: &mut dyn FnMut(FactsPart) -> Result<()>,
    ) -> Result<()> {
        let mut f = LedgerFacts::default();
        // Spellings are numbered across parts: each part brings the ones new in it. Read
        // in parts, only the last few thousand are looked up (a roster lists a township's
        // units together; one met again later is numbered again).
        let mut numbers = if part == usize::MAX { SpellingNumbers::default() } else { SpellingNumbers::bounded(4096) };
        let mut flush = |f: &mut LedgerFacts, numbers: &mut SpellingNumbers, last: bool| -> Result<()> {
            if !last && f.schools.len() + f.communities.len() < part {
                return Ok(());
            }
            let units = RosterUnits {
                rosters: f.rosters,
                schools: std::mem::take(&mut f.schools),
                communities: std::mem::take(&mut f.communities),
                texts: std::mem::take(&mut f.texts),
                spellings: numbers.take_new(),
            };
            each(FactsPart::Units(units))
        };
        let reserve = |n: usize| n.min(part);
        let (codes, names) = (words >= UnitWords::Codes, words == UnitWords::CodesAndNames);
        let text = |f: &mut LedgerFacts, r: &Raw<'_>, i, wanted: bool| -> Result<Text> {
            Ok(if wanted { f.texts.add(r.text(i)?.unwrap_or("")) } else { Text::default() })
        };
        // A roster's rows come in unit-id order: their codes are read by one scan of `unit`
        // in the same order, not looked up row by row.
        let unit_codes = |table: &str, batch: i64| -> Result<Raw<'_>> {
            let sql = format!("SELECT coalesce(min(unit_id), 0) FROM {table} WHERE batch_id = ?1");
            let first: i64 = if codes { self.conn.query_row(&sql, [batch], |r| r.get(0))? } else { i64::MAX };
            Raw::new(&self.conn, "SELECT id, code FROM unit WHERE id >= ?1 ORDER BY id", &[first])
        };
        let code_of = |units: &mut Raw<'_>, f: &mut LedgerFacts, id: i64| -> Result<Text> {
            if !codes {
                return Ok(Text::default());
            }
            while units.next()? {
                let at = units.int(0);
                if at == id {
                    return Ok(f.texts.add(units.text(1)?.unwrap_or("")));
                }
                if at > id {
                    break;
                }
            }
            anyhow::bail!(crate::t!("ledger-read-unit-missing", unit = id))
        };
        let roster = |f: &mut LedgerFacts, kind: &str, columns: &str| -> Result<Option<(Raw<'_>, Raw<'_>)>> {
            let Some((batch, t)) = self.roster_for(kind, term)? else { return Ok(None) };
            let table = crate::returns::kinds::KindSpec::named(kind).map_or("", |k| k.table);
            let name_col = if names { "x.name" } else { "NULL" };
            let sql = format!(
                "SELECT x.unit_id, {name_col}, {columns}, x.area, x.facts_yes, x.facts_no
                 FROM {table} x WHERE x.batch_id = ?1 ORDER BY x.unit_id"
            );
            let n = reserve(self.batch_rows(batch)?);
            if kind == crate::returns::kinds::schools::KIND_NAME {
                f.rosters.schools = Some(t);
                f.schools.reserve_exact(n);
            } else {
                f.rosters.communities = Some(t);
                f.communities.reserve_exact(n);
            }
            f.texts.reserve(
                n * usize::from(codes) + n * usize::from(names),
                n * (12 * usize::from(codes) + 30 * usize::from(names)),
            );
            Ok(Some((Raw::new(&self.conn, &sql, &[batch])?, unit_codes(table, batch)?)))
        };
        // Columns 0 and 1: the unit and its name; 2 and 3 the roster's own; then area and facts.
        if let Some((mut rows, mut units)) = roster(&mut f, crate::returns::kinds::schools::KIND_NAME, "x.type, x.township")? {
            while rows.next()? {
                let id = rows.int(0);
                let code = code_of(&mut units, &mut f, id)?;
                let name = text(&mut f, &rows, 1, names)?;
                // Parsed in place: no String for columns that become enums.
                let ty = rows.text(2)?.unwrap_or("");
                let township = numbers.number(rows.text(3)?, None, false);
                f.schools.push(FactSchool {
                    id,
                    code,
                    name,
                    school_type: SchoolType::parse(ty).unwrap_or(SchoolType::Primary),
                    township,
                    area: rows.text(4)?.and_then(Area::parse),
                    facts: facts_of(rows.int(5), rows.int(6)),
                });
                flush(&mut f, &mut numbers, false)?;
            }
        }
        if let Some((mut rows, mut units)) =
            roster(&mut f, crate::returns::kinds::communities::KIND_NAME, "x.township_name, x.township_code")?
        {
            while rows.next()? {
                let id = rows.int(0);
                let code = code_of(&mut units, &mut f, id)?;
                let name = text(&mut f, &rows, 1, names)?;
                let township = numbers.number(rows.text(2)?, rows.text(3)?, true);
                f.communities.push(FactCommunity {
                    id,
                    code,
                    name,
                    township,
                    area: rows.text(4)?.and_then(Area::parse).unwrap_or(Area::Urban),
                    facts: facts_of(rows.int(5), rows.int(6)),
                });
                flush(&mut f, &mut numbers, false)?;
            }
        }
        flush(&mut f, &mut numbers, true)
    }

    /// Township code → name, and every spelling → code, as the community rosters gave them.
    #[allow(clippy::type_complexity)]
    fn townships(&self) -> Result<(Vec<(String, String)>, Vec<(String, String)>)> {
        let mut stmt = self.conn.prepare("SELECT code, name FROM township ORDER BY code")?;
        let codes = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare("SELECT name, code FROM township_spelling ORDER BY name")?;
        let names = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok((codes, names))
    }

    /// Activities per host (unit id) and kind dated in each of `windows`: the term tally
    /// for the whole terms of a window, the monthly tally for its other whole months (one
    /// scan of each for all windows), the days of partly covered months from the
    /// activities themselves.
    fn window_counts(&self, windows: &[Window]) -> Result<BTreeMap<Window, HostCounts>> {
        let mut plans = Vec::with_capacity(windows.len());
        for &w in windows {
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
        let mut counts: Vec<HostCounts> = plans
            .iter()
            .map(|_| {
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

    /// Home visits per (host code, student ref) dated in `w`, through the partial index
    /// of activities that name a student.
    fn home_visits(&self, w: Window) -> Result<HashMap<(String, String), u64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT u.code, a.student, count(*) FROM activity a JOIN unit u ON u.id = a.host_id
             WHERE a.student IS NOT NULL AND a.kind = 'home-visit' AND a.day BETWEEN ?1 AND ?2
             GROUP BY a.host_id, a.student",
        )?;
        let rows = stmt.query_map(params![day_key(w.start), day_key(w.end)], |r| {
            Ok(((r.get::<_, String>(0)?, r.get::<_, String>(1)?), r.get::<_, i64>(2)? as u64))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The registry filings dated in `w`: of each township, category and school year, the
    /// latest (by date, then by import).
    fn registry_filings(&self, w: Window) -> Result<Vec<RegistryFiling>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.township_key, r.category, r.school_year, r.township, r.count, r.filed
             FROM registry r JOIN batch b ON b.id = r.batch_id
             WHERE b.reverted_at IS NULL AND r.filed BETWEEN ?1 AND ?2
             ORDER BY r.township_key, r.category, r.school_year, r.filed, r.batch_id, r.line",
        )?;
        let mut latest: BTreeMap<(String, String, i64), RegistryFiling> = BTreeMap::new();
        let mut rows = stmt.query(params![day_key(w.start), day_key(w.end)])?;
        while let Some(r) = rows.next()? {
            let category: String = r.get(1)?;
            let filed: i64 = r.get(5)?;
            let filing = RegistryFiling {
                township: r.get(3)?,
                category: RegistryCategory::parse(&category).with_context(|| crate::t!("ledger-read-registry-category"))?,
                count: r.get::<_, i64>(4)? as u64,
                filed: day_from_key(filed).with_context(|| crate::t!("ledger-read-registry-date"))?,
            };
            // Rows come oldest first: the last one of each key wins.
            latest.insert((r.get(0)?, category, r.get(2)?), filing);
        }
        Ok(latest.into_values().collect())
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

#[cfg(test)]
mod facts_tests {
    use super::*;
    use crate::import;
    use crate::plan::ActivityKind;
    use crate::plan::Fact;
    use crate::returns::ReturnKind;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn import(ledger: &mut Ledger, dir: &std::path::Path, kind: ReturnKind, name: &str, text: &str) {
        import::import_text(ledger, &dir.join(name), kind, text);
    }

    fn whole_term_of(t: Term) -> Window {
        Window { start: t.first_day(), end: t.last_day() }
    }

    /// A real ledger, filled through the import pipeline, read back.
    #[test]
    fn facts_of_a_real_ledger() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::create(&dir.path().join("l.db")).unwrap().unwrap();
        let p = dir.path();
        import(
            &mut ledger,
            p,
            ReturnKind::Communities,
            "c.csv",
            "code,name,township,township_code,parent_school,standards_rules,term\n\
             110109001001,德露苑社区居委会,大峪街道,110109001,是,是,2020-2021-1\n\
             110109106201,斋堂村委会,斋堂镇,110109106,否,,2020-2021-1\n",
        );
        import(
            &mut ledger,
            p,
            ReturnKind::Schools,
            "s.csv",
            "code,name,type,township,parent_school,area,principal_heads,committee_school,coedu_teachers,coedu_parents,term\n\
             S1,一小,小学,大峪街道,是,城区,是,否,3,0,2020-2021-1\n\
             S2,一幼,幼儿园,110109106,否,,,,,,2020-2021-1\n",
        );
        import(
            &mut ledger,
            p,
            ReturnKind::Bodies,
            "b.csv",
            "code,name,kind,level,township,制度规范,term\nB1,区家长学校,家长学校,区级,,是,2020-2021-1\nB2,共育委员会,coedu-committee,district,大峪街道,,2020-2021-1\n",
        );
        import(
            &mut ledger,
            p,
            ReturnKind::KeyStudents,
            "k.csv",
            "school,ref,category,school_year\nS1,K0001,留守,2020-2021\nS1,K0002,,2020-2021\n",
        );
        import(
            &mut ledger,
            p,
            ReturnKind::Activities,
            "a.csv",
            "id,host,date,kind,student\n\
             A1,S1,2020-09-10,讲座,\n\
             A2,B1,2020-10-01,亲子活动,\n\
             A3,S1,2020-10-08,家访,K0001\n\
             A4,S1,2020-12-01,家访,K0001\n\
             A5,S1,2020-11-02,家访,K0003\n\
             A6,S1,2020-11-20,家长会,\n\
             A7,S1,2020-11-10,家长会,\n\
             A8,110109001001,2021-02-03,讲座,\n",
        );
        import(
            &mut ledger,
            p,
            ReturnKind::Registry,
            "r.csv",
            "township,category,count,filed\n大峪街道,留守儿童,5,2020-09-20\n110109001,留守儿童,6,2020-10-20\n斋堂镇,残疾儿童,2,2021-03-01\n",
        );

        let term: Term = "2020-2021-1".parse().unwrap();
        let whole = Window { start: d("2020-09-01"), end: d("2021-01-31") };
        let as_of = Window { start: d("2020-09-01"), end: d("2020-11-15") };
        let year = Window { start: d("2020-09-01"), end: d("2021-08-31") };
        let f = ledger.facts(term, &[whole, as_of, year]).unwrap();

        assert_eq!(f.rosters.schools, Some(term));
        assert_eq!(f.rosters.bodies, Some(term));
        assert_eq!(f.rosters.key_students, Some(term));
        let s1 = f.schools.iter().find(|s| f.text(s.code) == "S1").unwrap();
        assert_eq!(s1.area, Some(Area::Urban));
        assert_eq!(s1.facts.get(Fact::ParentSchool), Some(true));
        assert_eq!(s1.facts.get(Fact::PrincipalHeads), Some(true));
        assert_eq!(s1.facts.get(Fact::CommitteeSchool), Some(false));
        assert_eq!(s1.facts.get(Fact::CoeduTeachers), Some(true), "a count of 3 is yes");
        assert_eq!(s1.facts.get(Fact::CoeduParents), Some(false), "a count of 0 is no");
        assert_eq!(s1.facts.get(Fact::CoeduLegal), None, "no column: not reported");
        let s2 = f.schools.iter().find(|s| f.text(s.code) == "S2").unwrap();
        assert_eq!((s2.facts.get(Fact::ParentSchool), s2.facts.get(Fact::PrincipalHeads)), (Some(false), None));
        let c = f.communities.iter().find(|c| f.text(c.code) == "110109001001").unwrap();
        assert_eq!(c.facts.get(Fact::StandardsRules), Some(true));
        let b1 = f.bodies.iter().find(|b| b.code == "B1").unwrap();
        assert_eq!((b1.kind, b1.level, b1.township.as_deref()), (BodyKind::ParentSchool, BodyLevel::District, None));
        assert_eq!(b1.facts.get(Fact::ParentSchool), Some(true));
        assert_eq!(b1.facts.get(Fact::StandardsRules), Some(true));
        let b2 = f.bodies.iter().find(|b| b.code == "B2").unwrap();
        assert_eq!(b2.facts.get(Fact::ParentSchool), Some(false));
        assert_eq!(f.key_students.len(), 2);
        assert_eq!(f.key_students[0].category, Some(StudentCategory::LeftBehind));
        assert_eq!(f.townships.len(), 2);

        let id = |code: &str| {
            let s = f.schools.iter().map(|s| (s.id, f.text(s.code)));
            let c = f.communities.iter().map(|c| (c.id, f.text(c.code)));
            s.chain(c).chain(f.bodies.iter().map(|b| (b.id, b.code.as_str()))).find(|(_, c)| *c == code).unwrap().0
        };
        let s1_whole = f.activity[&whole].get(id("S1"));
        let k = |c: crate::facts::KindCounts, kind| c.get(kind);
        use ActivityKind::{Guidance, HomeVisit, ParentMeeting, Practice};
        assert_eq!((k(s1_whole, Guidance), k(s1_whole, ParentMeeting), k(s1_whole, HomeVisit)), (1, 2, 3));
        // As of 15 November: the meeting of the 20th is not counted (a scan of November).
        let s1_as_of = f.activity[&as_of].get(id("S1"));
        assert_eq!((k(s1_as_of, ParentMeeting), k(s1_as_of, HomeVisit)), (1, 2));
        assert_eq!(f.activity[&as_of].get(id("B1")).get(Practice), 1);
        assert_eq!(f.activity[&year].get(id("110109001001")).get(Guidance), 1);
        assert_eq!(f.activity[&whole].get(id("110109001001")).total(), 0);

        let hv = &f.home_visits[&whole];
        assert_eq!(hv[&("S1".to_string(), "K0001".to_string())], 2);
        assert_eq!(hv[&("S1".to_string(), "K0003".to_string())], 1);
        assert_eq!(f.home_visits[&as_of].get(&("S1".to_string(), "K0001".to_string())), Some(&1));

        // The later filing of 大峪街道's 留守儿童 (by code) replaces the earlier (by name).
        let reg = &f.registry[&whole];
        assert_eq!(reg.len(), 1);
        assert_eq!((reg[0].count, reg[0].filed), (6, d("2020-10-20")));
        // As of a day between the two, the earlier one counts.
        let early = Window { start: d("2020-09-01"), end: d("2020-10-01") };
        let f2 = ledger.facts(term, &[early, year]).unwrap();
        assert_eq!(f2.registry[&early][0].count, 5);
        assert_eq!(f2.registry[&year].len(), 2);
        assert_eq!(f.activities_in_term, 7);

        // Read a unit at a time, the parts add up to the same units, words and spellings.
        let (mut whole, mut parts) = (None, 0);
        ledger
            .facts_in_parts(
                term,
                &[whole_term_of(term), as_of, year],
                &[whole_term_of(term), as_of, year],
                UnitWords::CodesAndNames,
                1,
                |p| {
                    match p {
                        FactsPart::Base(b) => whole = Some(*b),
                        FactsPart::Units(u) => {
                            assert!(u.schools.len() + u.communities.len() <= 1, "a part of one unit at most");
                            parts += 1;
                            whole.as_mut().unwrap().absorb(u);
                        }
                    }
                    Ok(())
                },
            )
            .unwrap();
        let whole = whole.unwrap();
        assert!(parts >= 4, "one part per unit, and a last one ({parts})");
        assert_eq!((&whole.schools, &whole.communities, &whole.texts), (&f.schools, &f.communities, &f.texts));
        assert_eq!((whole.spellings, whole.rosters), (f.spellings.clone(), f.rosters));

        // A key-students roster of another school year is not used.
        let next: Term = "2021-2022-1".parse().unwrap();
        let f3 = ledger.facts(next, &[]).unwrap();
        assert!(f3.key_students.is_empty() && f3.rosters.key_students.is_none());
        assert_eq!(f3.rosters.schools, Some(term));
    }

    /// A window ending mid-term with nothing dated in the rest of the term (a report as of
    /// today) is read as the whole term, from the term tally; with later activities, from
    /// the months. The monthly tally is emptied on purpose to see which one is read.
    #[test]
    fn a_window_with_nothing_after_it_in_its_term_reads_the_term_tally() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::create(&dir.path().join("l.db")).unwrap().unwrap();
        let p = dir.path();
        import(
            &mut ledger,
            p,
            ReturnKind::Schools,
            "s.csv",
            "code,name,type,township,parent_school,term\nS1,一小,小学,大峪街道,是,2020-2021-1\n",
        );
        import(
            &mut ledger,
            p,
            ReturnKind::Activities,
            "a.csv",
            "id,host,date,kind\nA1,S1,2020-09-10,讲座\nA2,S1,2020-10-01,讲座\nA3,S1,2020-11-20,家长会\n",
        );
        let term: Term = "2020-2021-1".parse().unwrap();
        let as_of = Window { start: d("2020-09-01"), end: d("2020-11-25") };
        let early = Window { start: d("2020-09-01"), end: d("2020-10-15") };
        let s1 = |f: &LedgerFacts, w: &Window| {
            let id = f.schools[0].id;
            let c = f.activity[w].get(id);
            (c.get(ActivityKind::Guidance), c.get(ActivityKind::ParentMeeting))
        };
        let f = ledger.facts(term, &[as_of, early]).unwrap();
        assert_eq!((s1(&f, &as_of), s1(&f, &early)), ((2, 1), (2, 0)));
        ledger.conn.execute("DELETE FROM activity_tally", []).unwrap();
        let f = ledger.facts(term, &[as_of, early]).unwrap();
        assert_eq!(s1(&f, &as_of), (2, 1), "nothing after 25 November: the term tally");
        assert_eq!(s1(&f, &early), (0, 0), "a meeting on 20 November: the (emptied) months");
        // An activity dated after the window: its months are read, and the days of its
        // last month from the activities.
        import(&mut ledger, p, ReturnKind::Activities, "b.csv", "id,host,date,kind\nB1,S1,2020-12-02,讲座\n");
        let f = ledger.facts(term, &[as_of]).unwrap();
        assert_eq!(s1(&f, &as_of), (0, 0), "from the emptied months of September to November");
    }
}
