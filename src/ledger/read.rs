//! Reading what a report needs, in one read transaction (a consistent snapshot that
//! never waits for an import: WAL readers see the last committed state).
//!
//! [`Ledger::facts`] reads everything a plan may ask about; [`Ledger::snapshot`] is the
//! older, narrower read of the first five targets, kept until the report moves to facts.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context, Result};
use rusqlite::{params, OptionalExtension};

use super::raw::{Parsed, Raw};
use super::Ledger;
use crate::facts::{BodyUnit, CommunityUnit as FactCommunity, HostCounts, KeyStudent, LedgerFacts, RegistryFiling};
use crate::facts::{FactsPart, RosterUnits, SchoolUnit as FactSchool, SpellingNumbers, Text, UnitWords, Window};
use crate::plan::term::{day_from_key, day_key};
use crate::plan::{Area, BodyKind, BodyLevel, FactSet, RegistryCategory, SchoolType, StudentCategory, Term};
use crate::returns::kinds::school_year_text;

fn facts_of(yes: i64, no: i64) -> FactSet {
    FactSet::from_masks(yes as u32, no as u32)
}

mod counts;
mod rosters;

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
    /// (those some unit is judged by): each such window costs a table of 16 bytes per unit;
    /// every other window of `windows` has the total of its activities, its home visits and
    /// its filings.
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
        f.data_rosters = self.data_rosters(term)?;
        (f.townships, f.township_names) = self.townships()?;
        // Per host for the windows of `activity_windows`; for the others, and the whole term,
        // the total only (a table per host is 16 bytes a unit).
        let whole_term = Window { start: term.first_day(), end: term.last_day() };
        let mut counted: Vec<(Window, bool)> = windows.iter().chain([&whole_term]).map(|w| (*w, false)).collect();
        counted.extend(activity_windows.iter().map(|w| (*w, true)));
        // Per host first, where a window is both.
        counted.sort_by_key(|(w, per_host)| (*w, !per_host));
        counted.dedup_by_key(|(w, _)| *w);
        let mut counts = self.window_counts(&counted)?;
        f.activities_in_term = counts.get(&whole_term).map_or(0, HostCounts::total);
        for &w in windows.iter().chain(activity_windows) {
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
        // Types, areas and townships are parsed once per spelling (a township's units come
        // together: its spelling is the row before's), never into a String.
        let mut types = Parsed::new(8);
        let mut areas = Parsed::new(8);
        if let Some((mut rows, mut units)) = roster(&mut f, crate::returns::kinds::schools::KIND_NAME, "x.type, x.township")? {
            let mut townships = Parsed::new(1);
            while rows.next()? {
                let id = rows.int(0);
                let code = code_of(&mut units, &mut f, id)?;
                let name = text(&mut f, &rows, 1, names)?;
                let school_type =
                    types.get(&rows, [2], |[t]| SchoolType::parse(t.unwrap_or("")).unwrap_or(SchoolType::Primary))?;
                let township = townships.get(&rows, [3], |[t]| numbers.number(t, None, false))?;
                f.schools.push(FactSchool {
                    id,
                    code,
                    name,
                    school_type,
                    township,
                    area: areas.get(&rows, [4], |[a]| a.and_then(Area::parse))?,
                    facts: facts_of(rows.int(5), rows.int(6)),
                });
                flush(&mut f, &mut numbers, false)?;
            }
        }
        if let Some((mut rows, mut units)) =
            roster(&mut f, crate::returns::kinds::communities::KIND_NAME, "x.township_name, x.township_code")?
        {
            let mut townships = Parsed::new(1);
            while rows.next()? {
                let id = rows.int(0);
                let code = code_of(&mut units, &mut f, id)?;
                let name = text(&mut f, &rows, 1, names)?;
                let township = townships.get(&rows, [2, 3], |[name, code]| numbers.number(name, code, true))?;
                f.communities.push(FactCommunity {
                    id,
                    code,
                    name,
                    township,
                    area: areas.get(&rows, [4], |[a]| a.and_then(Area::parse))?.unwrap_or(Area::Urban),
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
mod tests;
