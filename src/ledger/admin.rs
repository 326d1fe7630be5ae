//! Looking after the ledger: the import log, undoing a batch, checking integrity, backups.

use anyhow::{bail, Context, Result};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{Ledger, IN_LIVE_ROSTER};

/// What one pass over the activities found, for `check`: counts and the first few
/// examples (a broken ledger of twenty million activities is not copied into memory).
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
}

/// One import batch, as `gongyu log` shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BatchRecord {
    pub id: i64,
    pub imported_at: String,
    pub user: String,
    pub kind: String,
    pub term: Option<String>,
    pub file: String,
    pub sha256: String,
    pub encoding: String,
    pub rows: i64,
    pub imported: i64,
    pub duplicates: i64,
    /// The roster batch this one replaced.
    pub replaces: Option<i64>,
    /// When the batch was undone, and by whom.
    pub reverted_at: Option<String>,
    pub reverted_by: Option<String>,
    /// The day the return was received (`import --received`), `YYYY-MM-DD`; for a batch
    /// imported before schema version 8, the local day of `imported_at`.
    pub received: String,
}

/// What `revert` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevertOutcome {
    pub batch: BatchRecord,
    /// For a roster: the batch that is current again for its kind and term.
    pub restored: Option<i64>,
    pub activities_removed: u64,
    /// Activities whose host is in no live roster any more.
    pub orphaned_activities: u64,
}

/// A problem `check` found: which check, how many cases, and the first few of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub check: &'static str,
    pub count: u64,
    pub examples: Vec<String>,
}

/// How many cases of one finding `check` lists.
pub const EXAMPLES_PER_FINDING: usize = 10;

fn collect(
    check: &'static str,
    findings: &mut Vec<Finding>,
    details: impl Iterator<Item = rusqlite::Result<String>>,
) -> Result<()> {
    let mut f = Finding { check, count: 0, examples: Vec::new() };
    for d in details {
        let d = d?;
        f.count += 1;
        if f.examples.len() < EXAMPLES_PER_FINDING {
            f.examples.push(d);
        }
    }
    if f.count > 0 {
        findings.push(f);
    }
    Ok(())
}

/// The batch's term — or, for a key-students roster, its school year — shows as `term`.
const BATCH_COLUMNS: &str =
    "b.id, b.imported_at, b.os_user, b.kind, coalesce(b.term, b.school_year), b.file_name, b.sha256, b.encoding,
    b.row_count, b.imported, b.duplicates, b.replaces, r.reverted_at, r.os_user, b.received";

/// A batch's day of receipt: as recorded, or (before schema version 8) the local day of its
/// import.
pub(crate) fn received_day(received: Option<String>, imported_at: &str) -> String {
    received.unwrap_or_else(|| crate::ambient::local_day(imported_at))
}

fn batch_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<BatchRecord> {
    Ok(BatchRecord {
        id: r.get(0)?,
        imported_at: r.get(1)?,
        user: r.get(2)?,
        kind: r.get(3)?,
        term: r.get(4)?,
        file: r.get(5)?,
        sha256: r.get(6)?,
        encoding: r.get(7)?,
        rows: r.get(8)?,
        imported: r.get(9)?,
        duplicates: r.get(10)?,
        replaces: r.get(11)?,
        reverted_at: r.get(12)?,
        reverted_by: r.get(13)?,
        received: received_day(r.get(14)?, &r.get::<_, String>(1)?),
    })
}

/// Takes a batch's activities out of the monthly tallies (before they are deleted): out of
/// its import's generation ?2 (see [`batch_generation`]). A month's latest day stays as it
/// was (an upper bound).
const UNCOUNT_BATCH: &str = "WITH gone AS (
        SELECT day / 100 AS month, host_id, sum(kind = 'guidance') AS g, sum(kind = 'home-visit') AS h,
               sum(kind = 'parent-meeting') AS p, sum(kind = 'practice') AS r
        FROM activity WHERE batch_id = ?1 GROUP BY day / 100, host_id)
    UPDATE activity_tally AS t SET guidance = t.guidance - gone.g, home_visit = t.home_visit - gone.h,
        parent_meeting = t.parent_meeting - gone.p, practice = t.practice - gone.r
    FROM gone WHERE t.gen = ?2 AND t.month = gone.month AND t.host_id = gone.host_id";

/// The generation of the monthly tally that counts batch `id`'s activities: its import's,
/// the greatest at or below the batch's id (an import's batches are numbered after every
/// earlier import's, and its generation has rows while it has activities).
fn batch_generation(tx: &rusqlite::Transaction<'_>, id: i64) -> Result<Option<i64>> {
    Ok(tx.query_row("SELECT max(gen) FROM activity_tally WHERE gen <= ?1", [id], |r| r.get(0))?)
}

/// [`UNCOUNT_BATCH`] for the tally per term.
fn uncount_batch_terms() -> String {
    format!(
        "WITH gone AS (
            SELECT {term} AS term, host_id, sum(kind = 'guidance') AS g, sum(kind = 'home-visit') AS h,
                   sum(kind = 'parent-meeting') AS p, sum(kind = 'practice') AS r
            FROM activity WHERE batch_id = ?1 GROUP BY 1, host_id)
        UPDATE term_tally AS t SET guidance = t.guidance - gone.g, home_visit = t.home_visit - gone.h,
            parent_meeting = t.parent_meeting - gone.p, practice = t.practice - gone.r
        FROM gone WHERE t.term = gone.term AND t.host_id = gone.host_id",
        term = super::term_rule::term_of_month_sql("day / 100")
    )
}

/// Rebuilds the township names from the live community rosters, later batches winning.
const REBUILD_TOWNSHIPS: &str = "DELETE FROM township; DELETE FROM township_spelling;
    INSERT OR REPLACE INTO township (code, name)
        SELECT c.township_code, c.township_name FROM community c JOIN batch b ON b.id = c.batch_id
        WHERE b.reverted_at IS NULL AND c.township_code IS NOT NULL AND c.township_name IS NOT NULL ORDER BY b.id;
    INSERT OR REPLACE INTO township_spelling (name, code)
        SELECT c.township_name, c.township_code FROM community c JOIN batch b ON b.id = c.batch_id
        WHERE b.reverted_at IS NULL AND c.township_code IS NOT NULL AND c.township_name IS NOT NULL ORDER BY b.id;";

impl Default for ActivityScan {
    fn default() -> ActivityScan {
        let none = |check| Finding { check, count: 0, examples: Vec::new() };
        ActivityScan {
            references: none("foreign_key_check"),
            tally: none("activity-tally"),
            terms: none("activity-term-matches-date"),
            per_batch: Default::default(),
            hosts_wanting: false,
        }
    }
}

impl Finding {
    /// Counts one case, keeping its words if it is among the first few.
    fn note(&mut self, words: impl FnOnce() -> String) {
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

impl Ledger {
    /// The newest `limit` batches, newest first.
    pub fn log(&self, limit: Option<u64>) -> Result<Vec<BatchRecord>> {
        let sql =
            format!("SELECT {BATCH_COLUMNS} FROM batch b LEFT JOIN revert r ON r.batch_id = b.id ORDER BY b.id DESC LIMIT ?1");
        let mut stmt = self.conn.prepare(&sql)?;
        let limit = limit.map_or(-1, |l| l as i64);
        let rows = stmt.query_map([limit], batch_record)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The roster batch of each kind a report of `term` uses (the latest live one whose term
    /// is `term` or earlier; key students: of `term`'s school year), `None` where missing.
    pub fn rosters_in_use(&self, term: crate::plan::Term) -> Result<Vec<(&'static str, Option<BatchRecord>)>> {
        // The same choice of roster the report makes (ledger::read), then its log record.
        let record = |id: Option<i64>| -> Result<Option<BatchRecord>> {
            let sql = format!("SELECT {BATCH_COLUMNS} FROM batch b LEFT JOIN revert r ON r.batch_id = b.id WHERE b.id = ?1");
            Ok(match id {
                Some(id) => self.conn.query_row(&sql, [id], batch_record).optional()?,
                None => None,
            })
        };
        let mut out = Vec::new();
        for kind in ["schools", "communities", "bodies"] {
            out.push((kind, record(self.roster_for(kind, term)?.map(|(id, _)| id))?));
        }
        out.push(("key-students", record(self.key_students_roster_for(term)?)?));
        Ok(out)
    }

    /// Undoes one import. A roster batch stops counting (the roster it replaced is current
    /// again); an activities batch's activities are removed. The revert is recorded.
    ///
    /// Reverting a roster whose units host activities that no other roster lists would
    /// leave those activities counted nowhere; that is refused unless `force`.
    pub fn revert(&mut self, id: i64, user: &str, now: &str, force: bool) -> Result<RevertOutcome> {
        // An import turns enforcement off for its own transaction; a revert has it on.
        self.conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let sql = format!("SELECT {BATCH_COLUMNS} FROM batch b LEFT JOIN revert r ON r.batch_id = b.id WHERE b.id = ?1");
        let Some(batch) = tx.query_row(&sql, [id], batch_record).optional()? else {
            bail!(crate::t!("ledger-revert-no-batch", batch = id));
        };
        if let Some(at) = &batch.reverted_at {
            bail!(crate::t!("ledger-revert-already", batch = id, at = at.as_str()));
        }
        if let Some(refusal) = closed_term_refusal(&tx, id, &batch)? {
            return Err(refusal);
        }
        // The activities taken out of the monthly and the term tally: each must be all of
        // the batch's, or the tallies do not hold them where they should (damage that
        // `check`, which compares sums over the generations, need not see).
        let mut taken = None;
        if batch.kind == "activities" {
            let total = |sql: &str, gen: Option<i64>| -> Result<i64> {
                Ok(match gen {
                    Some(gen) => tx.query_row(sql, [gen], |r| r.get(0))?,
                    None => tx.query_row(sql, [], |r| r.get(0))?,
                })
            };
            const MONTHS: &str =
                "SELECT coalesce(sum(guidance + home_visit + parent_meeting + practice), 0) FROM activity_tally WHERE gen = ?1";
            const TERMS: &str = "SELECT coalesce(sum(guidance + home_visit + parent_meeting + practice), 0) FROM term_tally";
            let mut months = 0;
            if let Some(gen) = batch_generation(&tx, id)? {
                let before = total(MONTHS, Some(gen))?;
                tx.execute(UNCOUNT_BATCH, [id, gen])?;
                tx.execute(
                    "DELETE FROM activity_tally WHERE gen = ?1 AND guidance + home_visit + parent_meeting + practice = 0",
                    [gen],
                )?;
                months = before - total(MONTHS, Some(gen))?;
            }
            let before = total(TERMS, None)?;
            tx.execute(&uncount_batch_terms(), [id])?;
            tx.execute("DELETE FROM term_tally WHERE guidance + home_visit + parent_meeting + practice = 0", [])?;
            taken = Some((months, before - total(TERMS, None)?));
        }
        let removed = tx.execute("DELETE FROM activity WHERE batch_id = ?1", [id])? as u64;
        if let Some((months, terms)) = taken.filter(|&(m, t)| m != removed as i64 || t != removed as i64) {
            bail!(crate::t!("ledger-revert-tally-damaged", batch = id, removed = removed, months = months, terms = terms));
        }
        tx.execute("UPDATE batch SET reverted_at = ?2 WHERE id = ?1", params![id, now])?;
        if batch.kind == "communities" {
            // Township names come from the live community rosters, the latest spelling last.
            tx.execute_batch(REBUILD_TOWNSHIPS)?;
        }
        tx.execute(
            "INSERT INTO revert (batch_id, reverted_at, os_user, activities_removed) VALUES (?1, ?2, ?3, ?4)",
            params![id, now, user, removed as i64],
        )?;
        let restored: Option<i64> = if batch.kind == "activities" || batch.kind == "registry" {
            None
        } else {
            tx.query_row(
                "SELECT id FROM batch WHERE kind = ?1 AND term IS (SELECT term FROM batch WHERE id = ?2)
                 AND school_year IS (SELECT school_year FROM batch WHERE id = ?2) AND reverted_at IS NULL
                 ORDER BY id DESC LIMIT 1",
                params![batch.kind, id],
                |r| r.get(0),
            )
            .optional()?
        };
        // Only a roster's revert can leave activities without a roster. Counted from the
        // term tally (exact, and a row per term and host where the monthly one has a row per
        // import, month and host; `gongyu check` verifies both), per host that has activities, rather
        // than by testing every activity (minutes at national scale).
        let orphaned: i64 = if matches!(batch.kind.as_str(), "schools" | "communities" | "bodies") {
            tx.query_row(
                &format!(
                    "SELECT coalesce(sum(t.guidance + t.home_visit + t.parent_meeting + t.practice), 0)
                     FROM term_tally t WHERE t.host_id IN (
                         SELECT u.id FROM (SELECT DISTINCT host_id FROM term_tally) h JOIN unit u ON u.id = h.host_id
                         WHERE NOT {IN_LIVE_ROSTER})"
                ),
                [],
                |r| r.get(0),
            )?
        } else {
            0
        };
        if orphaned > 0 && !force {
            bail!(crate::t!("ledger-revert-orphans", batch = id, count = orphaned));
        }
        tx.commit().with_context(|| crate::t!("ledger-revert-save"))?;
        Ok(RevertOutcome { batch, restored, activities_removed: removed, orphaned_activities: orphaned as u64 })
    }

    /// Runs SQLite's integrity and foreign-key checks and the ledger's own invariants.
    pub fn check(&self) -> Result<Vec<Finding>> {
        let mut findings = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?.filter(|r| !matches!(r.as_deref(), Ok("ok")));
        collect("integrity_check", &mut findings, rows)?;
        // The activities — twenty million rows at national scale — are read once, in Rust:
        // their references, the tally recount, their terms and their batches' counts.
        // (SQL took over two minutes for these: a foreign-key lookup per row, and GROUP BY
        // sorts of every activity.)
        let mut scan = self.scan_activities()?;
        self.foreign_key_findings(&mut findings, &scan.references)?;
        let invariants: [(&'static str, String, RowWords); 4] = [
            (
                "activity-host-in-roster",
                // Each host is looked up in the rosters once (not once per activity: three
                // sub-queries for each of 20 million rows at national scale); the activities
                // of the hosts found wanting are then listed in the order they are stored.
                format!(
                    "WITH hosts AS (SELECT DISTINCT host_id FROM activity),
                          wanting AS (SELECT u.id FROM hosts h JOIN unit u ON u.id = h.host_id WHERE NOT {IN_LIVE_ROSTER})
                     SELECT coalesce(a.ext_id, '#' || a.id), a.batch_id, u.code
                     FROM activity a JOIN unit u ON u.id = a.host_id
                     WHERE EXISTS (SELECT 1 FROM wanting) AND a.host_id IN (SELECT id FROM wanting)"
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
                "SELECT id, kind FROM batch
                 WHERE kind IN ('schools', 'communities', 'bodies') AND term IS NULL
                 UNION ALL SELECT id, kind FROM batch
                 WHERE kind = 'key-students' AND school_year IS NULL"
                    .into(),
                |r| {
                    let (batch, kind) = (r.get::<_, i64>(0)?, r.get::<_, String>(1)?);
                    Ok(match kind.as_str() {
                        "key-students" => crate::t!("ledger-check-key-students-without-year", batch = batch),
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
        scan.tally.into_found(&mut findings);
        for (check, sql, words) in invariants {
            // When the scan found every host on a live roster, there is nothing to list.
            if check != "activity-host-in-roster" || scan.hosts_wanting {
                let mut stmt = self.conn.prepare(&sql).with_context(|| crate::t!("ledger-check-preparing", check = check))?;
                collect(check, &mut findings, stmt.query_map([], words)?)?;
            }
            if check == "activity-host-in-roster" {
                std::mem::replace(&mut scan.terms, Finding { check: "", count: 0, examples: Vec::new() })
                    .into_found(&mut findings);
            }
            if check == "roster-has-term" {
                let counts = self.batch_count_findings(&scan.per_batch)?;
                collect("batch-counts", &mut findings, counts.into_iter().map(Ok))?;
            }
        }
        Ok(findings)
    }

    /// One pass over every activity, for the checks that concern them all.
    fn scan_activities(&self) -> Result<ActivityScan> {
        let mut scan = ActivityScan::default();
        let max_unit: i64 = self.conn.query_row("SELECT coalesce(max(id), 0) FROM unit", [], |r| r.get(0))?;
        let mut units = vec![0u64; (max_unit as usize) / 64 + 1];
        let mut stmt = self.conn.prepare("SELECT id FROM unit")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            if id >= 0 {
                units[id as usize / 64] |= 1 << (id % 64);
            }
        }
        let is_unit = |id: i64| id >= 0 && id <= max_unit && units[id as usize / 64] & (1 << (id % 64)) != 0;
        let batches: std::collections::HashSet<i64> =
            self.conn.prepare("SELECT id FROM batch")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut seen = vec![0u64; units.len()];
        let mut keys = crate::ledger::write::tally::TallyKeys::default();
        let mut stmt = self.conn.prepare("SELECT id, batch_id, host_id, day, term, kind FROM activity")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (id, batch, host, day, term): (i64, i64, i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
            // In the order `PRAGMA foreign_key_check` reports them: the last reference first.
            if !is_unit(host) {
                scan.references.note(|| missing_row("activity", Some(id), "unit"));
            }
            if !batches.contains(&batch) {
                scan.references.note(|| missing_row("activity", Some(id), "batch"));
            }
            if term != super::term_rule::term_of_month(day / 100) {
                scan.terms.note(|| crate::t!("ledger-check-activity-term", activity = id, day = day, term = term));
            }
            *scan.per_batch.entry(batch).or_default() += 1;
            if is_unit(host) {
                seen[host as usize / 64] |= 1 << (host % 64);
            }
            keys.add(host, super::read::kind_of(r.get_ref(5)?.as_str()?), day)?;
        }
        // Units in no live roster (one look at each unit, not one per activity): does any
        // host an activity?
        let mut stmt = self.conn.prepare(&format!("SELECT u.id FROM unit u WHERE NOT {IN_LIVE_ROSTER}"))?;
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
        let mut out = std::mem::replace(&mut scan.tally, Finding { check: "activity-tally", count: 0, examples: Vec::new() });
        let hosts = max_unit as usize + 1;
        let mut by_month = StoredTally::new(&self.conn, "month", hosts)?;
        let mut by_term = StoredTally::new(&self.conn, "term", hosts)?;
        let mut stored_months = by_month.rows()?;
        let mut stored_terms = by_term.rows()?;
        let mut sums = crate::ledger::write::tally::TermSums::for_hosts(max_unit as usize + 1);
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
        for table in ["school", "community", "body", "key_student", "registry"] {
            let mut stmt = self.conn.prepare(&format!("SELECT batch_id, count(*) FROM {table} GROUP BY batch_id"))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                *held.entry(r.get(0)?).or_default() += r.get::<_, i64>(1)? as u64;
            }
        }
        let mut stmt = self.conn.prepare("SELECT id, imported FROM batch WHERE reverted_at IS NULL ORDER BY id")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let (id, imported): (i64, i64) = (r.get(0)?, r.get(1)?);
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

    /// Copies the ledger to `dest` through SQLite's online backup API, in one step under
    /// one read snapshot, so it is consistent even while an import is writing. The copy
    /// is written beside `dest` under a name of its own and renamed into place when
    /// complete and synced (see [`crate::files`]); `dest` must not exist.
    pub fn backup(&self, dest: &crate::files::Target<'_>) -> Result<()> {
        dest.write_with(|_, partial| {
            let mut dst = Connection::open(partial)
                .with_context(|| crate::t!("ledger-backup-create-ledger", file = partial.display().to_string()))?;
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut dst)?;
            loop {
                match backup.step(-1).with_context(|| crate::t!("ledger-backup-copying"))? {
                    rusqlite::backup::StepResult::Done => break,
                    _ => std::thread::sleep(std::time::Duration::from_millis(50)),
                }
            }
            drop(backup);
            // A backup is a single file: no WAL beside it.
            dst.execute_batch("PRAGMA journal_mode = DELETE;").with_context(|| crate::t!("ledger-backup-finishing"))?;
            dst.close().map_err(|(_, e)| e).with_context(|| crate::t!("ledger-backup-finishing"))?;
            Ok(())
        })
    }
}

/// How `check` words one row an invariant's query finds.
type RowWords = fn(&rusqlite::Row<'_>) -> rusqlite::Result<String>;

/// A row of `table` (`rowid`, if it has one) that refers to a missing row of `parent`.
fn missing_row(table: &str, rowid: Option<i64>, parent: &str) -> String {
    let row = rowid.map_or("?".to_string(), |r| r.to_string());
    crate::t!("ledger-check-missing-row", table = table, row = row, parent = parent)
}

/// The refusal, if reverting `batch` would change the report of a closed term.
fn closed_term_refusal(conn: &Connection, id: i64, batch: &BatchRecord) -> Result<Option<anyhow::Error>> {
    use super::terms::{closed_terms, refusal, touched, Touch};
    let closed = closed_terms(conn)?;
    if closed.is_empty() {
        return Ok(None);
    }
    let touch = match batch.kind.as_str() {
        "activities" => {
            let day: Option<i64> = conn.query_row("SELECT min(day) FROM activity WHERE batch_id = ?1", [id], |r| r.get(0))?;
            day.and_then(crate::plan::term::day_from_key)
                .map(|from| Touch::Dated { what: crate::t!("ledger-touch-its-activities", date = from.to_string()), from })
        }
        "registry" => {
            let day: Option<i64> = conn.query_row("SELECT min(filed) FROM registry WHERE batch_id = ?1", [id], |r| r.get(0))?;
            day.and_then(crate::plan::term::day_from_key)
                .map(|from| Touch::Dated { what: crate::t!("ledger-touch-its-registry", date = from.to_string()), from })
        }
        "key-students" => {
            let year: Option<String> = conn.query_row("SELECT school_year FROM batch WHERE id = ?1", [id], |r| r.get(0))?;
            year.and_then(|y| y.get(..4).and_then(|y| y.parse().ok())).map(|start_year| Touch::SchoolYear { start_year })
        }
        kind => batch.term.as_deref().and_then(|t| t.parse().ok()).map(|term| Touch::Roster {
            kind: kind.to_string(),
            term,
            batch: id,
        }),
    };
    let Some(touch) = touch else { return Ok(None) };
    Ok(touched(conn, &closed, &touch)?.map(|(c, what)| refusal(&c, &what, &crate::t!("ledger-doing-revert", batch = id))))
}

/// A tally table read in key order, met by a recount in the same order.
struct StoredTally<'c> {
    conn: &'c Connection,
    /// The term tally's rows in key order (the monthly tally is read a month at a time).
    stmt: Option<rusqlite::Statement<'c>>,
    period: &'static str,
    /// Units' ids are below this (the monthly sums are kept in a table of this size).
    hosts: usize,
}

impl<'c> StoredTally<'c> {
    /// The term tally, or the monthly tally, whose rows of each (month, host) are summed
    /// over the generations.
    fn new(conn: &'c Connection, period: &'static str, hosts: usize) -> Result<StoredTally<'c>> {
        let stmt = match period {
            "term" => Some(conn.prepare(
                "SELECT term, host_id, guidance, home_visit, parent_meeting, practice FROM term_tally ORDER BY term, host_id",
            )?),
            _ => None,
        };
        Ok(StoredTally { conn, stmt, period, hosts })
    }

    fn rows(&mut self) -> Result<TallyCursor<'_>> {
        let mut source = match &mut self.stmt {
            Some(stmt) => {
                let mut rows = stmt.query([])?;
                let first = read_stored(&mut rows)?;
                Source::Rows(rows, first)
            }
            None => Source::Summed(Box::new(MonthSums {
                conn: self.conn,
                months: tally_months(self.conn)?.into(),
                by_host: vec![[0; 4]; self.hosts],
                others: std::collections::BTreeMap::new(),
                month: 0,
                at: 1,
                hi: 0,
            })),
        };
        let next = source.next()?;
        Ok(TallyCursor { source, next, period: self.period })
    }
}

/// Every month the monthly tally has rows of, in order: a seek per generation and month.
fn tally_months(conn: &Connection) -> Result<Vec<i64>> {
    let mut months = std::collections::BTreeSet::new();
    let mut next_gen = conn.prepare("SELECT min(gen) FROM activity_tally WHERE gen > ?1")?;
    let mut next_month = conn.prepare("SELECT min(month) FROM activity_tally WHERE gen = ?1 AND month > ?2")?;
    let mut gen: Option<i64> = next_gen.query_row([i64::MIN], |r| r.get(0))?;
    while let Some(g) = gen {
        let mut month: Option<i64> = next_month.query_row([g, i64::MIN], |r| r.get(0))?;
        while let Some(m) = month {
            months.insert(m);
            month = next_month.query_row([g, m], |r| r.get(0))?;
        }
        gen = next_gen.query_row([g], |r| r.get(0))?;
    }
    Ok(months.into_iter().collect())
}

/// A tally row: (period, host) and the counts per kind column.
type StoredRow = ((i64, i64), [u64; 4]);

fn read_stored(rows: &mut rusqlite::Rows<'_>) -> Result<Option<StoredRow>> {
    let Some(r) = rows.next()? else { return Ok(None) };
    let n = |i| r.get::<_, i64>(i).map(|n| n as u64);
    Ok(Some(((r.get(0)?, r.get(1)?), [n(2)?, n(3)?, n(4)?, n(5)?])))
}

/// Where a cursor's rows come from: the table's own rows, or their sums per (month, host).
enum Source<'s> {
    /// The rows, and the next one.
    Rows(rusqlite::Rows<'s>, Option<StoredRow>),
    Summed(Box<MonthSums<'s>>),
}

impl Source<'_> {
    fn next(&mut self) -> Result<Option<StoredRow>> {
        match self {
            Source::Rows(rows, ahead) => {
                let row = ahead.take();
                *ahead = read_stored(rows)?;
                Ok(row)
            }
            Source::Summed(sums) => sums.next(),
        }
    }
}

/// The monthly tally's rows summed over the generations per (month, host), given out in
/// that order: a month's rows of every generation are added up in a dense table of the
/// units, and a map for ids outside it (a damaged ledger's), which sort before or after.
struct MonthSums<'c> {
    conn: &'c Connection,
    months: std::collections::VecDeque<i64>,
    by_host: Vec<[u32; 4]>,
    others: std::collections::BTreeMap<i64, [u64; 4]>,
    /// The month being given out, and the next and last units of the table to look at.
    month: i64,
    at: usize,
    hi: usize,
}

impl MonthSums<'_> {
    fn next(&mut self) -> Result<Option<StoredRow>> {
        loop {
            if let Some(e) = self.others.first_entry().filter(|e| *e.key() < 0) {
                let (host, c) = e.remove_entry();
                return Ok(Some(((self.month, host), c)));
            }
            while self.at <= self.hi && self.at < self.by_host.len() {
                let h = self.at;
                self.at += 1;
                let c = std::mem::take(&mut self.by_host[h]);
                if c != [0; 4] {
                    return Ok(Some(((self.month, h as i64), c.map(u64::from))));
                }
            }
            if let Some((host, c)) = self.others.pop_first() {
                return Ok(Some(((self.month, host), c)));
            }
            let Some(month) = self.months.pop_front() else { return Ok(None) };
            (self.month, self.at, self.hi) = (month, usize::MAX, 0);
            let sql = format!(
                "{} SELECT t.host_id, t.guidance, t.home_visit, t.parent_meeting, t.practice
                 FROM g CROSS JOIN activity_tally t ON t.gen = g.gen AND t.month = ?1",
                crate::ledger::write::tally::TALLY_GENERATIONS_SQL
            );
            let mut rows = super::raw::Raw::new(self.conn, &sql, &[month])?;
            while rows.next()? {
                let host = rows.int(0);
                let counts = [1, 2, 3, 4].map(|i| rows.int(i) as u64);
                match usize::try_from(host).ok().filter(|&h| h < self.by_host.len()) {
                    Some(h) => {
                        (self.at, self.hi) = (self.at.min(h), self.hi.max(h));
                        for (s, n) in self.by_host[h].iter_mut().zip(counts) {
                            *s = u32::try_from(u64::from(*s) + n).with_context(|| crate::t!("ledger-tally-too-many-in-month"))?;
                        }
                    }
                    None => {
                        let slot = self.others.entry(host).or_default();
                        for (s, n) in slot.iter_mut().zip(counts) {
                            *s = s.saturating_add(n);
                        }
                    }
                }
            }
        }
    }
}

struct TallyCursor<'s> {
    source: Source<'s>,
    next: Option<StoredRow>,
    period: &'static str,
}

impl TallyCursor<'_> {
    fn differ(&self, out: &mut Finding, (period, host): (i64, i64), c: [u64; 4], t: [u64; 4]) {
        if c != t {
            let counts = |n: [u64; 4]| format!("{}/{}/{}/{}", n[0], n[1], n[2], n[3]);
            out.note(|| match self.period {
                "term" => crate::t!("ledger-check-tally-term", term = period, host = host, counted = counts(c), told = counts(t)),
                _ => crate::t!("ledger-check-tally-month", month = period, host = host, counted = counts(c), told = counts(t)),
            });
        }
    }

    /// The recount of `key` (keys come in order): stored rows before it were not recounted.
    fn meet(&mut self, key: (i64, i64), counts: [u64; 4], out: &mut Finding) -> Result<()> {
        while let Some((k, t)) = self.next.filter(|(k, _)| *k < key) {
            self.differ(out, k, [0; 4], t);
            self.next = self.source.next()?;
        }
        match self.next {
            Some((k, t)) if k == key => {
                self.differ(out, key, counts, t);
                self.next = self.source.next()?;
            }
            _ => self.differ(out, key, counts, [0; 4]),
        }
        Ok(())
    }

    /// Stored rows after the last recounted key.
    fn rest(&mut self, out: &mut Finding) -> Result<()> {
        while let Some((k, t)) = self.next {
            self.differ(out, k, [0; 4], t);
            self.next = self.source.next()?;
        }
        Ok(())
    }
}
