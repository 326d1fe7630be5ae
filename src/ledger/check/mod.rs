//! `gongyu check`: the ledger's integrity, its references and its own invariants.
//!
//! What it checks, and the name each finding is reported under:
//!
//! - `integrity_check` — what SQLite's `PRAGMA integrity_check` checks: every page and
//!   b-tree well formed (no page missing, used twice or lost; cells in order; records
//!   well formed), every NOT NULL and CHECK constraint of every row (SQLite's `PRAGMA
//!   quick_check`, of the whole file); every index holding exactly its table's entries,
//!   and no UNIQUE value twice (SQLite's `PRAGMA integrity_check` of each other table
//!   that has an index; for the activity table's indexes, [`indexes`]: the table's
//!   entries hashed in the pass below, each index read once in its order). The
//!   structural part runs on a second connection, on the other core, while this one
//!   reads the activities (one after the other if the ledger cannot be opened twice,
//!   e.g. read-only). Everything else is read in one read transaction, so the activities,
//!   their indexes and the tallies are seen as of one moment while an import commits.
//! - `foreign_key_check` — every reference of every table to a row that exists (`PRAGMA
//!   foreign_key_check`; the activities' references to units and batches in the pass).
//! - `activity-tally` — the activities recounted per month, host and kind against the
//!   monthly tally summed over its generations, per term and host against the term
//!   tally (a row whose counts cannot be read is named, and checking goes on), and each
//!   month's latest day against `tally_month`; and every activity's kind
//!   is one of the kinds table (`plan::units::ACTIVITY_KINDS`; no CHECK since version 9).
//! - `activity-host-in-roster` — every activity's host is on a live roster.
//! - `activity-term-matches-date` — every activity is filed under its date's term.
//! - `roster-has-term` — every roster has its term (key students: their school year).
//! - `batch-counts` — every live batch holds the rows it records as imported.
//! - `facts-consistent` — no unit reports a fact both yes and no.
//! - `revert-recorded` — every batch marked reverted has its revert recorded.
//!
//! The activities — tens of millions of rows at national scale — are read once, in
//! Rust, for their references, the recount, their terms, their batches' counts and the
//! entries of their indexes (SQL took minutes for these: a foreign-key lookup per row,
//! GROUP BY sorts of every activity, an index search per row and index).

mod indexes;
pub(crate) use indexes::created as index_statement;
mod tally;

use anyhow::{Context, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::raw::Raw;
use super::{Ledger, IN_LIVE_ROSTER};
use crate::ledger::admin::{Finding, EXAMPLES_PER_FINDING};
use crate::returns::{KindSpec, Period};
use tally::StoredTally;

/// What one pass over the activities found: counts and the first few examples (a broken
/// ledger of twenty million activities is not copied into memory).
struct ActivityScan {
    /// Activities referring to a missing unit or batch.
    references: Finding,
    /// Differences between a recount and the tally.
    tally: Finding,
    /// Activities filed under another term than their date's.
    terms: Finding,
    /// Activities held per batch.
    per_batch: std::collections::HashMap<i64, u64>,
    /// Whether some activity's host is in no live roster.
    hosts_wanting: bool,
    /// The entries the activity table's indexes must hold.
    entries: indexes::FromTable,
}

impl Default for ActivityScan {
    fn default() -> ActivityScan {
        let none = |check| Finding { check, count: 0, examples: Vec::new() };
        ActivityScan {
            references: none("foreign_key_check"),
            tally: none("activity-tally"),
            terms: none("activity-term-matches-date"),
            per_batch: Default::default(),
            hosts_wanting: false,
            entries: Default::default(),
        }
    }
}

impl Finding {
    /// Counts one case, keeping its words if it is among the first few.
    pub(super) fn note(&mut self, words: impl FnOnce() -> String) {
        self.count += 1;
        if self.examples.len() < EXAMPLES_PER_FINDING {
            self.examples.push(words());
        }
    }

    fn into_found(self, findings: &mut Vec<Finding>) {
        if self.count > 0 {
            findings.push(self);
        }
    }
}

fn collect(
    check: &'static str,
    findings: &mut Vec<Finding>,
    details: impl Iterator<Item = rusqlite::Result<String>>,
) -> Result<()> {
    let mut f = Finding { check, count: 0, examples: Vec::new() };
    for d in details {
        let d = d?;
        f.note(|| d);
    }
    f.into_found(findings);
    Ok(())
}

/// How `check` words one row an invariant's query finds.
type RowWords = fn(&rusqlite::Row<'_>) -> rusqlite::Result<String>;

/// A row of `table` (`rowid`, if it has one) that refers to a missing row of `parent`.
fn missing_row(table: &str, rowid: Option<i64>, parent: &str) -> String {
    let row = rowid.map_or("?".to_string(), |r| r.to_string());
    crate::t!("ledger-check-missing-row", table = table, row = row, parent = parent)
}

/// SQLite's own structural checks (see the module doc): `quick_check` of the whole file,
/// then `integrity_check` of every table with an index — but the activity table's when
/// `activity_indexes_known` (those are held to the table by [`indexes`]). Each message
/// once, in the order found.
fn structure(conn: &Connection, activity_indexes_known: bool) -> Result<Vec<String>> {
    let mut found: Vec<String> = Vec::new();
    let mut add = |stmt: &mut rusqlite::Statement<'_>| -> Result<()> {
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let msg: String = r.get(0)?;
            if msg != "ok" && !found.contains(&msg) {
                found.push(msg);
            }
        }
        Ok(())
    };
    add(&mut conn.prepare("PRAGMA quick_check")?)?;
    let tables: Vec<String> = conn
        .prepare("SELECT DISTINCT tbl_name FROM sqlite_schema WHERE type = 'index' ORDER BY tbl_name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for table in tables.iter().filter(|t| !(activity_indexes_known && *t == "activity")) {
        add(&mut conn.prepare(&format!("PRAGMA integrity_check(\"{}\")", table.replace('"', "\"\"")))?)?;
    }
    Ok(found)
}

impl Ledger {
    /// Runs every check of the module doc; the findings, in its order.
    pub fn check(&self) -> Result<Vec<Finding>> {
        // One read of the ledger on this connection: the activities, their indexes and the
        // tallies they are held to are seen as of one moment, even while an import commits.
        let read = self.conn.unchecked_transaction()?;
        let known = indexes::known(&self.conn)?;
        let (structural, scan) = std::thread::scope(|s| -> Result<(Vec<String>, ActivityScan)> {
            let other = self.second_reader().map(|conn| s.spawn(move || structure(&conn, known)));
            let scan = self.scan_activities();
            let structural = match other {
                Some(worker) => match worker.join() {
                    Ok(found) => found?,
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                None => structure(&self.conn, known)?,
            };
            Ok((structural, scan?))
        })?;
        let mut scan = scan;
        let problems = if known { indexes::held_to(&self.conn, &scan.entries)? } else { Vec::new() };
        let mut findings = Vec::new();
        let integrity = structural.into_iter().map(Ok).chain(problems.iter().map(|p| Ok(p.words())));
        collect("integrity_check", &mut findings, integrity)?;
        self.foreign_key_findings(&mut findings, &scan.references)?;
        let invariants: [(&'static str, String, RowWords); 4] = [
            (
                "activity-host-in-roster",
                // Each host is looked up in the rosters once (not once per activity: three
                // sub-queries for each of 20 million rows at national scale); the activities
                // of the hosts found wanting are then listed in the order they are stored.
                format!(
                    "WITH hosts AS (SELECT DISTINCT host_id FROM activity),
                          wanting AS (SELECT u.id FROM hosts h JOIN unit u ON u.id = h.host_id WHERE NOT {in_live})
                     SELECT coalesce(a.ext_id, '#' || a.id), a.batch_id, u.code
                     FROM activity a JOIN unit u ON u.id = a.host_id
                     WHERE EXISTS (SELECT 1 FROM wanting) AND a.host_id IN (SELECT id FROM wanting)",
                    in_live = *IN_LIVE_ROSTER
                ),
                |r| {
                    Ok(crate::t!(
                        "ledger-check-host-not-in-roster",
                        activity = r.get::<_, String>(0)?,
                        batch = r.get::<_, i64>(1)?,
                        code = r.get::<_, String>(2)?
                    ))
                },
            ),
            (
                "roster-has-term",
                format!(
                    "SELECT id, kind FROM batch WHERE kind IN ({}) AND term IS NULL
                     UNION ALL SELECT id, kind FROM batch WHERE kind IN ({}) AND school_year IS NULL",
                    kinds_of(Period::Term),
                    kinds_of(Period::SchoolYear)
                ),
                |r| {
                    let (batch, kind) = (r.get::<_, i64>(0)?, r.get::<_, String>(1)?);
                    Ok(match KindSpec::named(&kind).map(|k| k.period) {
                        Some(Period::SchoolYear) => crate::t!("ledger-check-key-students-without-year", batch = batch),
                        _ => crate::t!(
                            "ledger-check-roster-without-term",
                            batch = batch,
                            kind = crate::returns::kinds::kind_title(&kind, crate::messages::lang())
                        ),
                    })
                },
            ),
            (
                "facts-consistent",
                "SELECT batch_id, unit_id FROM school WHERE facts_yes & facts_no <> 0
                 UNION ALL SELECT batch_id, unit_id FROM community WHERE facts_yes & facts_no <> 0
                 UNION ALL SELECT batch_id, unit_id FROM body WHERE facts_yes & facts_no <> 0"
                    .into(),
                |r| Ok(crate::t!("ledger-check-fact-yes-and-no", batch = r.get::<_, i64>(0)?, unit = r.get::<_, i64>(1)?)),
            ),
            (
                "revert-recorded",
                "SELECT b.id FROM batch b
                 WHERE b.reverted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM revert r WHERE r.batch_id = b.id)"
                    .into(),
                |r| Ok(crate::t!("ledger-check-revert-unrecorded", batch = r.get::<_, i64>(0)?)),
            ),
        ];
        std::mem::take(&mut scan.tally).into_found(&mut findings);
        for (check, sql, words) in invariants {
            // When the scan found every host on a live roster, there is nothing to list.
            if check != "activity-host-in-roster" || scan.hosts_wanting {
                let mut stmt = self.conn.prepare(&sql).with_context(|| crate::t!("ledger-check-preparing", check = check))?;
                collect(check, &mut findings, stmt.query_map([], words)?)?;
            }
            if check == "activity-host-in-roster" {
                std::mem::take(&mut scan.terms).into_found(&mut findings);
            }
            if check == "roster-has-term" {
                let counts = self.batch_count_findings(&scan.per_batch)?;
                collect("batch-counts", &mut findings, counts.into_iter().map(Ok))?;
            }
        }
        read.finish()?;
        Ok(findings)
    }

    /// Another connection to the ledger, for the structural checks (it only reads); `None`
    /// if the ledger cannot be opened twice here (they then run on this one). Not opened
    /// read-only: SQLite's `quick_check` skips the CHECK constraints on such a connection.
    fn second_reader(&self) -> Option<Connection> {
        let conn =
            Connection::open_with_flags(&self.path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX).ok()?;
        conn.busy_timeout(super::BUSY_TIMEOUT).ok()?;
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0)).ok()?;
        Some(conn)
    }

    /// One pass over every activity, for the checks that concern them all.
    fn scan_activities(&self) -> Result<ActivityScan> {
        let mut scan = ActivityScan::default();
        let max_unit: i64 = self.conn.query_row("SELECT coalesce(max(id), 0) FROM unit", [], |r| r.get(0))?;
        let mut units = vec![0u64; (max_unit.max(0) as usize) / 64 + 1];
        let mut rows = Raw::new(&self.conn, "SELECT id FROM unit", &[])?;
        while rows.next()? {
            let id = rows.int(0);
            if id >= 0 {
                units[id as usize / 64] |= 1 << (id % 64);
            }
        }
        drop(rows);
        let is_unit = |id: i64| id >= 0 && id <= max_unit && units[id as usize / 64] & (1 << (id % 64)) != 0;
        let batches: std::collections::HashSet<i64> =
            self.conn.prepare("SELECT id FROM batch")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut seen = vec![0u64; units.len()];
        let mut keys = crate::ledger::write::tally::TallyKeys::default();
        // Activities come in runs of one batch: its count and whether it exists are kept
        // for the run, not looked up per row.
        let (mut run_batch, mut run_rows, mut run_known) = (None, 0u64, true);
        let mut rows = Raw::new(
            &self.conn,
            "SELECT id, batch_id, host_id, day, term, kind, ext_id, fingerprint, student FROM activity",
            &[],
        )?;
        while rows.next()? {
            let (id, batch, host, day, term) = (rows.int(0), rows.int(1), rows.int(2), rows.int(3), rows.int(4));
            if run_batch != Some(batch) {
                if let Some(b) = run_batch {
                    *scan.per_batch.entry(b).or_default() += run_rows;
                }
                (run_batch, run_rows, run_known) = (Some(batch), 0, batches.contains(&batch));
            }
            run_rows += 1;
            // In the order `PRAGMA foreign_key_check` reports them: the last reference first.
            let hosted = is_unit(host);
            if !hosted {
                scan.references.note(|| missing_row("activity", Some(id), "unit"));
            }
            if !run_known {
                scan.references.note(|| missing_row("activity", Some(id), "batch"));
            }
            if term != super::term_rule::term_of_month(day / 100) {
                scan.terms.note(|| crate::t!("ledger-check-activity-term", activity = id, day = day, term = term));
            }
            if hosted {
                seen[host as usize / 64] |= 1 << (host % 64);
            }
            // No CHECK holds an activity's kind to the kinds table since version 9: this does.
            match crate::plan::ActivityKind::from_str_exact(rows.text(5)?.unwrap_or("")) {
                Some(kind) => keys.add(host, kind, day)?,
                None => {
                    let kind = rows.text(5)?.unwrap_or("").to_string();
                    scan.tally.note(|| crate::t!("ledger-check-activity-kind", activity = id, kind = kind.as_str()));
                }
            }
            scan.entries.row(id, rows.value(6), rows.int(7), host, rows.value(8), day);
        }
        drop(rows);
        if let Some(b) = run_batch {
            *scan.per_batch.entry(b).or_default() += run_rows;
        }
        // Units in no live roster (one look at each unit, not one per activity): does any
        // host an activity?
        let mut stmt = self.conn.prepare(&format!("SELECT u.id FROM unit u WHERE NOT {}", *IN_LIVE_ROSTER))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if is_unit(id) && seen[id as usize / 64] & (1 << (id % 64)) != 0 {
                scan.hosts_wanting = true;
                break;
            }
        }
        drop(rows);
        // The recount against the tallies, each read in its key order: the months as the
        // recount gives them, the terms as their sums of the recounted months.
        let months = keys.months().clone();
        let mut out = std::mem::take(&mut scan.tally);
        let hosts = max_unit.max(0) as usize + 1;
        let mut by_month = StoredTally::new(&self.conn, "month", hosts)?;
        let mut by_term = StoredTally::new(&self.conn, "term", hosts)?;
        let mut stored_months = by_month.rows()?;
        let mut stored_terms = by_term.rows()?;
        let mut sums = crate::ledger::write::tally::TermSums::for_hosts(hosts);
        {
            let out = std::cell::RefCell::new(&mut out);
            let mut term_row =
                |r: crate::ledger::write::tally::TermRow| stored_terms.meet((r.term, r.host), r.counts, &mut out.borrow_mut());
            keys.rows(|row| {
                stored_months.meet((row.month, row.host), row.counts, &mut out.borrow_mut())?;
                sums.add(&row, &mut term_row)
            })?;
            sums.finish(&mut term_row)?;
        }
        stored_months.rest(&mut out)?;
        stored_terms.rest(&mut out)?;
        let mut latest = self.conn.prepare("SELECT last_day FROM tally_month WHERE month = ?1")?;
        for (month, last) in months {
            let told: Option<i64> = latest.query_row([month], |r| r.get(0)).optional()?;
            if told.is_none_or(|t| t < last) {
                out.note(|| match told {
                    Some(told) => crate::t!("ledger-check-month-last-day", month = month, last = last, told = told),
                    None => crate::t!("ledger-check-month-no-last-day", month = month, last = last),
                });
            }
        }
        scan.tally = out;
        Ok(scan)
    }

    /// Live batches whose recorded row count differs from the rows the ledger holds.
    fn batch_count_findings(&self, activities: &std::collections::HashMap<i64, u64>) -> Result<Vec<String>> {
        let mut held: std::collections::HashMap<i64, u64> = activities.clone();
        // Each table once: the rosters declared as data share one.
        let tables: std::collections::BTreeSet<&str> = crate::returns::kinds::ALL
            .iter()
            .filter(|k| k.name != crate::returns::kinds::activities::KIND_NAME)
            .map(|k| k.table)
            .collect();
        for table in tables {
            let mut stmt = self.conn.prepare(&format!("SELECT batch_id, count(*) FROM {table} GROUP BY batch_id"))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                *held.entry(r.get(0)?).or_default() += r.get::<_, i64>(1)? as u64;
            }
        }
        let mut stmt = self.conn.prepare("SELECT id, imported, kind FROM batch WHERE reverted_at IS NULL ORDER BY id")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let (id, imported, kind): (i64, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            // No CHECK holds a batch's kind to the kinds since version 10: this does.
            if crate::returns::kinds::KindSpec::named(&kind).is_none() {
                out.push(crate::t!("ledger-check-batch-kind", batch = id, kind = kind.as_str()));
            }
            let n = held.get(&id).copied().unwrap_or(0);
            if imported as u64 != n {
                out.push(crate::t!("ledger-check-batch-count", batch = id, recorded = imported, held = n));
            }
        }
        Ok(out)
    }

    /// `PRAGMA foreign_key_check`, table by table in the schema's order, with the
    /// activities' references as found by [`scan_activities`](Self::scan_activities).
    fn foreign_key_findings(&self, findings: &mut Vec<Finding>, activities: &Finding) -> Result<()> {
        let tables: Vec<String> = self
            .conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut found = Finding { check: "foreign_key_check", count: 0, examples: Vec::new() };
        for table in tables {
            if table == "activity" {
                found.count += activities.count;
                let room = EXAMPLES_PER_FINDING.saturating_sub(found.examples.len());
                found.examples.extend(activities.examples.iter().take(room).cloned());
                continue;
            }
            let mut stmt = self.conn.prepare(&format!("PRAGMA foreign_key_check(\"{table}\")"))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let (table, rowid, parent): (String, Option<i64>, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
                found.note(|| missing_row(&table, rowid, &parent));
            }
        }
        found.into_found(findings);
        Ok(())
    }
}

/// The names of the kinds whose rosters are of `period`, as an SQL list (constants of the
/// specs, never input): `'schools', 'communities', 'bodies'` for a term.
fn kinds_of(period: Period) -> String {
    crate::returns::kinds::ALL
        .iter()
        .filter(|k| k.period == period)
        .map(|k| format!("'{}'", k.name))
        .collect::<Vec<_>>()
        .join(", ")
}
