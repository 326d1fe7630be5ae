//! Looking after the ledger: the import log, undoing a batch, backups (`check` is in
//! [`super::check`]).

use anyhow::{bail, Context, Result};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{Ledger, IN_LIVE_ROSTER};
use crate::returns::kinds::{self, KindSpec};

pub use crate::facts::BatchRecord;

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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Finding {
    pub check: &'static str,
    pub count: u64,
    pub examples: Vec<String>,
}

/// How many cases of one finding `check` lists.
pub(crate) const EXAMPLES_PER_FINDING: usize = 10;

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
/// was (an upper bound). Counts per kind are `ledger::counts` blobs: no kind is named here.
const UNCOUNT_BATCH: &str = "WITH gone AS (
        SELECT month, host_id, counts_sum(n) AS n FROM (
            SELECT day / 100 AS month, host_id, kind_counts(kind, count(*)) AS n
            FROM activity WHERE batch_id = ?1 GROUP BY 1, host_id, kind)
        GROUP BY month, host_id)
    UPDATE activity_tally AS t SET counts = counts_sub(t.counts, gone.n)
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
            SELECT term, host_id, counts_sum(n) AS n FROM (
                SELECT {term} AS term, host_id, kind_counts(kind, count(*)) AS n
                FROM activity WHERE batch_id = ?1 GROUP BY 1, host_id, kind)
            GROUP BY term, host_id)
        UPDATE term_tally AS t SET counts = counts_sub(t.counts, gone.n)
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
        for kind in kinds::ALL.iter().filter(|k| k.is_roster()) {
            let id = match kind.period {
                kinds::Period::SchoolYear => self.school_year_roster_for(kind.name, term)?,
                _ => self.roster_for(kind.name, term)?.map(|(id, _)| id),
            };
            out.push((kind.name, record(id)?));
        }
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
        let spec = KindSpec::named(&batch.kind);
        if batch.kind == kinds::activities::KIND_NAME {
            let total = |sql: &str, gen: Option<i64>| -> Result<i64> {
                Ok(match gen {
                    Some(gen) => tx.query_row(sql, [gen], |r| r.get(0))?,
                    None => tx.query_row(sql, [], |r| r.get(0))?,
                })
            };
            const MONTHS: &str = "SELECT coalesce(sum(counts_total(counts)), 0) FROM activity_tally WHERE gen = ?1";
            const TERMS: &str = "SELECT coalesce(sum(counts_total(counts)), 0) FROM term_tally";
            let mut months = 0;
            if let Some(gen) = batch_generation(&tx, id)? {
                let before = total(MONTHS, Some(gen))?;
                tx.execute(UNCOUNT_BATCH, [id, gen])?;
                // Counts of nothing are the empty blob (ledger::counts).
                tx.execute("DELETE FROM activity_tally WHERE gen = ?1 AND counts = x''", [gen])?;
                months = before - total(MONTHS, Some(gen))?;
            }
            let before = total(TERMS, None)?;
            tx.execute(&uncount_batch_terms(), [id])?;
            tx.execute("DELETE FROM term_tally WHERE counts = x''", [])?;
            taken = Some((months, before - total(TERMS, None)?));
        }
        let removed = tx.execute("DELETE FROM activity WHERE batch_id = ?1", [id])? as u64;
        if let Some((months, terms)) = taken.filter(|&(m, t)| m != removed as i64 || t != removed as i64) {
            bail!(crate::t!("ledger-revert-tally-damaged", batch = id, removed = removed, months = months, terms = terms));
        }
        tx.execute("UPDATE batch SET reverted_at = ?2 WHERE id = ?1", params![id, now])?;
        if batch.kind == kinds::communities::KIND_NAME {
            // Township names come from the live community rosters, the latest spelling last.
            tx.execute_batch(REBUILD_TOWNSHIPS)?;
        }
        tx.execute(
            "INSERT INTO revert (batch_id, reverted_at, os_user, activities_removed) VALUES (?1, ?2, ?3, ?4)",
            params![id, now, user, removed as i64],
        )?;
        let restored: Option<i64> = if spec.is_some_and(|k| !k.is_roster()) {
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
        let orphaned: i64 = if spec.is_some_and(|k| k.host.is_some()) {
            tx.query_row(
                &format!(
                    "SELECT coalesce(sum(counts_total(t.counts)), 0)
                     FROM term_tally t WHERE t.host_id IN (
                         SELECT u.id FROM (SELECT DISTINCT host_id FROM term_tally) h JOIN unit u ON u.id = h.host_id
                         WHERE NOT {in_live})",
                    in_live = *IN_LIVE_ROSTER
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

/// The refusal, if reverting `batch` would change the report of a closed term.
fn closed_term_refusal(conn: &Connection, id: i64, batch: &BatchRecord) -> Result<Option<anyhow::Error>> {
    use super::terms::{closed_terms, refusal, touched, Touch};
    let closed = closed_terms(conn)?;
    if closed.is_empty() {
        return Ok(None);
    }
    let touch = match batch.kind.as_str() {
        kinds::activities::KIND_NAME => {
            let day: Option<i64> = conn.query_row("SELECT min(day) FROM activity WHERE batch_id = ?1", [id], |r| r.get(0))?;
            day.and_then(crate::plan::term::day_from_key)
                .map(|from| Touch::Dated { what: crate::t!("ledger-touch-its-activities", date = from.to_string()), from })
        }
        kinds::registry::KIND_NAME => {
            let day: Option<i64> = conn.query_row("SELECT min(filed) FROM registry WHERE batch_id = ?1", [id], |r| r.get(0))?;
            day.and_then(crate::plan::term::day_from_key)
                .map(|from| Touch::Dated { what: crate::t!("ledger-touch-its-registry", date = from.to_string()), from })
        }
        kinds::key_students::KIND_NAME => {
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
