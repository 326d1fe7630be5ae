//! Writing imports: one IMMEDIATE transaction per import command, so several files are
//! all-or-nothing and a rejected return leaves the ledger exactly as it was.
//!
//! Batches, savepoints and unit keys are here; each kind of return has one writer of its
//! own beside this file, which also makes the checks that need the ledger (is the host in
//! a roster, is the school, is the township known).

mod activities;
mod bodies;
mod communities;
mod hosts;
mod key_students;
mod left_out;
mod registry;
mod rows;
mod schools;
pub(crate) mod tally;
mod tally_rows;

use std::cell::RefCell;

use anyhow::{Context, Result};
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

pub use hosts::CodeMap;
pub use left_out::LeftOut;

use super::{Ledger, IN_LIVE_ROSTER};
use crate::returns::kinds::school_year_text;
use crate::returns::{Record, ReturnKind, RosterPeriod};

/// A batch row just started.
#[derive(Debug, Clone, Copy)]
pub struct BatchInfo {
    pub id: i64,
}

/// What happened to one activity row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActivityOutcome {
    Inserted,
    /// The same activity is already in the ledger or earlier in this import.
    Duplicate,
    /// The row's id is used by a different activity, at this file and line.
    IdConflict {
        /// Whether the earlier use is in the same file of this import.
        same_batch: bool,
        file: String,
        line: u64,
    },
}

/// Why a writer refused a row that parsed well: what the ledger says against it, in the
/// words of one column (an index into the kind's columns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub column: usize,
    pub message: String,
}

impl Refusal {
    fn new(column: usize, message: impl Into<String>) -> Refusal {
        Refusal { column, message: message.into() }
    }
}

/// The open write transaction of one import command.
pub struct ImportTx<'c> {
    tx: Transaction<'c>,
    /// The activities of the files written so far, counted per (month, host, kind); added
    /// to `activity_tally` on commit.
    tally: RefCell<tally::TallyKeys>,
    /// Host code → unit key, for codes found in a live roster.
    hosts: RefCell<FastMap<String, i64>>,
    /// Every code on a live roster, loaded for a large activities file, and the newest
    /// roster batch at the time (a roster imported later in the same import reloads it).
    preloaded: RefCell<Option<PreloadedHosts>>,
    /// Roster rows waiting to be written several to a statement.
    pending: RefCell<rows::PendingRows>,
    /// The township (code, name) a community roster row wrote last.
    last_township: RefCell<Option<(String, String)>>,
    /// One file per import: the file is written without a savepoint of its own.
    single_file: std::cell::Cell<bool>,
    /// The first batch this import started.
    first_batch: std::cell::Cell<Option<i64>>,
}

pub(crate) use crate::hash::FastMap;

/// The live rosters' codes, and the newest roster batch when they were loaded.
pub(crate) type PreloadedHosts = (CodeMap, Option<i64>);

/// The page cache of an import, in KiB. Activities whose ids come in random order (as
/// districts' own numbering does) insert each id at a random place in the id index: every
/// page the cache lacks is read back from the WAL, and every page it drops is written to
/// it, each time after a search of the WAL's index that grows with the import. 32 MiB
/// rather than 16 took the import of a 2M-row national file of random ids (issue 23's
/// `real` shape) from 20.2 to 14.4 s of CPU (system time 6.9 → 2.9 s), for 18 MB more
/// peak resident memory (65 → 83 MB).
const IMPORT_CACHE_KIB: u32 = 32 * 1024;

/// Tally rows merged per chunk handed to the writing thread, and chunks in flight (about
/// 50 bytes a row: 2 MB at most).
const MERGED_ROWS: usize = 4096;
const MERGED_CHUNKS: usize = 8;

/// The most host codes [`ImportTx::host_id`] remembers before starting afresh, so memory
/// stays bounded at any scale.
const HOST_CACHE_LIMIT: usize = 1 << 18;

/// The batch columns that say which period a roster covers, as bound parameters:
/// (term, school year).
fn period_params(period: Option<RosterPeriod>) -> (Option<String>, Option<String>) {
    match period {
        Some(RosterPeriod::Term(t)) => (Some(t.to_string()), None),
        Some(RosterPeriod::SchoolYear(y)) => (None, Some(school_year_text(y))),
        None => (None, None),
    }
}

impl Ledger {
    /// Starts the write transaction of an import. Waits (up to the busy timeout) for
    /// another import to finish; readers are never blocked.
    pub fn begin_import(&mut self) -> Result<ImportTx<'_>> {
        // A large import touches many pages: a bigger page cache keeps them in memory
        // instead of spilling to the WAL and reading them back (bounded: RSS stays small).
        // Foreign keys are not enforced inside an import (it must be set before BEGIN):
        // every key an import writes is its own batch or a unit it has just looked up, and
        // enforcing them costs two b-tree seeks per activity. `gongyu check` verifies them.
        self.conn.execute_batch(&format!("PRAGMA cache_size = -{IMPORT_CACHE_KIB}; PRAGMA foreign_keys = OFF;"))?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(super::explain)
            .with_context(|| crate::t!("ledger-import-start"))?;
        Ok(ImportTx {
            tx,
            tally: RefCell::default(),
            hosts: RefCell::default(),
            preloaded: RefCell::default(),
            single_file: Default::default(),
            last_township: RefCell::default(),
            pending: RefCell::default(),
            first_batch: Default::default(),
        })
    }
}

impl ImportTx<'_> {
    /// Whether a live batch of `kind` came from a file of this name, and no activities were
    /// ever reverted (so a file identical to an earlier batch can only change nothing).
    pub fn worth_hashing_first(&self, kind: ReturnKind, file_name: &str) -> Result<bool> {
        Ok(self.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM batch WHERE kind = ?1 AND file_name = ?2 AND reverted_at IS NULL)
                AND NOT EXISTS (SELECT 1 FROM revert r JOIN batch b ON b.id = r.batch_id WHERE b.kind = ?3)",
            params![kind.as_str(), file_name, ReturnKind::Activities.as_str()],
            |r| r.get(0),
        )?)
    }

    /// Whether `batch` was started by this import (as opposed to an earlier one).
    pub fn started_here(&self, batch: i64) -> bool {
        self.first_batch.get().is_some_and(|first| batch >= first)
    }

    /// The live batch holding exactly these bytes that re-importing would leave unchanged:
    /// for events, any live batch of the file; for a roster, the current roster of
    /// `period` (or of the batch's own period, when the file carries it).
    /// `encoding` tells two sheets of one workbook apart.
    pub fn identical_batch(
        &self,
        kind: ReturnKind,
        sha256: &str,
        encoding: &str,
        period: Option<RosterPeriod>,
    ) -> Result<Option<i64>> {
        let (term, year) = period_params(period);
        let found: Option<(i64, Option<String>, Option<String>)> = self
            .tx
            .query_row(
                "SELECT id, term, school_year FROM batch WHERE sha256 = ?1 AND kind = ?2 AND encoding = ?3
                 AND reverted_at IS NULL AND (?4 IS NULL OR term = ?4) AND (?5 IS NULL OR school_year = ?5)
                 ORDER BY id DESC LIMIT 1",
                params![sha256, kind.as_str(), encoding, term, year],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((id, batch_term, batch_year)) = found else { return Ok(None) };
        if !kind.is_roster() {
            return Ok(Some(id));
        }
        let current: Option<i64> = self
            .tx
            .query_row(
                "SELECT id FROM batch WHERE kind = ?1 AND term IS ?2 AND school_year IS ?3 AND reverted_at IS NULL
                 ORDER BY id DESC LIMIT 1",
                params![kind.as_str(), batch_term, batch_year],
                |r| r.get(0),
            )
            .optional()?;
        Ok((current == Some(id)).then_some(id))
    }

    /// Records the start of a batch; its period and counts are filled in by
    /// [`finish_batch`](Self::finish_batch). (The first batch of an import is remembered
    /// for [`started_here`](Self::started_here).) `received` is the day the return came in.
    #[allow(clippy::too_many_arguments)]
    pub fn start_batch(
        &self,
        kind: ReturnKind,
        file_name: &str,
        sha256: &str,
        encoding: &str,
        when: &str,
        user: &str,
        received: Option<chrono::NaiveDate>,
    ) -> Result<BatchInfo> {
        self.tx.execute(
            "INSERT INTO batch (kind, file_name, sha256, encoding, row_count, imported, imported_at, os_user, received)
             VALUES (?1, ?2, ?3, ?4, 0, 0, ?5, ?6, ?7)",
            params![kind.as_str(), file_name, sha256, encoding, when, user, received.map(|d| d.to_string())],
        )?;
        let id = self.tx.last_insert_rowid();
        if kind.is_roster() {
            // Codes the loaded map lacks may be on this roster.
            *self.preloaded.borrow_mut() = None;
        }
        if self.first_batch.get().is_none() {
            self.first_batch.set(Some(id));
        }
        Ok(BatchInfo { id })
    }

    /// Completes a batch. For a roster, links the roster of the same kind and period it
    /// replaces and returns that batch's id.
    pub fn finish_batch(
        &self,
        batch: BatchInfo,
        kind: ReturnKind,
        period: Option<RosterPeriod>,
        rows: u64,
        imported: u64,
        duplicates: u64,
    ) -> Result<Option<i64>> {
        let (term, year) = period_params(period);
        let replaces: Option<i64> = if kind.is_roster() {
            self.tx
                .query_row(
                    "SELECT id FROM batch WHERE kind = ?1 AND term IS ?2 AND school_year IS ?3 AND reverted_at IS NULL
                     AND id <> ?4 ORDER BY id DESC LIMIT 1",
                    params![kind.as_str(), term, year, batch.id],
                    |r| r.get(0),
                )
                .optional()?
        } else {
            None
        };
        self.tx.execute(
            "UPDATE batch SET term = ?2, school_year = ?3, row_count = ?4, imported = ?5, duplicates = ?6, replaces = ?7
             WHERE id = ?1",
            params![batch.id, term, year, rows as i64, imported as i64, duplicates as i64, replaces],
        )?;
        Ok(replaces)
    }

    /// Says that the import has one file: its savepoint is then the transaction itself.
    /// (A savepoint makes SQLite copy every page it changes that was already in the
    /// ledger into a sub-journal: ~6% of a large import.)
    pub fn set_single_file(&self, single: bool) {
        self.single_file.set(single);
    }

    /// Opens the savepoint one file is written in.
    pub fn savepoint(&self) -> Result<()> {
        if self.single_file.get() {
            return Ok(());
        }
        Ok(self.tx.execute_batch("SAVEPOINT gongyu_file")?)
    }

    /// Undoes everything written since [`savepoint`](Self::savepoint), and closes it. With
    /// one file, that is the whole transaction: it is rolled back and a new one begun.
    pub fn rollback_to_savepoint(&self) -> Result<()> {
        self.discard_rows();
        if self.single_file.get() {
            self.first_batch.set(None);
            return Ok(self.tx.execute_batch("ROLLBACK; BEGIN IMMEDIATE")?);
        }
        Ok(self.tx.execute_batch("ROLLBACK TO gongyu_file; RELEASE gongyu_file")?)
    }

    /// Keeps what was written since [`savepoint`](Self::savepoint).
    pub fn release_savepoint(&self) -> Result<()> {
        if self.single_file.get() {
            return Ok(());
        }
        Ok(self.tx.execute_batch("RELEASE gongyu_file")?)
    }

    /// Takes the loaded hosts (if any) to lend to another thread.
    pub fn take_preloaded_hosts(&self) -> Option<PreloadedHosts> {
        self.preloaded.borrow_mut().take()
    }

    /// Puts back what [`take_preloaded_hosts`](Self::take_preloaded_hosts) took.
    pub fn give_back_preloaded_hosts(&self, hosts: Option<PreloadedHosts>) {
        *self.preloaded.borrow_mut() = hosts;
    }

    /// Records the hash of a batch's file, once it is known.
    pub fn set_batch_sha256(&self, batch: BatchInfo, sha256: &str) -> Result<()> {
        self.tx.execute("UPDATE batch SET sha256 = ?2 WHERE id = ?1", params![batch.id, sha256])?;
        Ok(())
    }

    /// How many rows a batch imported.
    pub fn batch_imported(&self, id: i64) -> Result<i64> {
        Ok(self.tx.query_row("SELECT imported FROM batch WHERE id = ?1", [id], |r| r.get(0))?)
    }

    /// The key of a unit code, interned on first use.
    fn unit_id(&self, code: &str) -> Result<i64> {
        // Looked up first: an upsert would rewrite the row of every unit already known.
        let mut find = self.tx.prepare_cached("SELECT id FROM unit WHERE code = ?1")?;
        if let Some(id) = find.query_row([code], |r| r.get(0)).optional()? {
            return Ok(id);
        }
        // No RETURNING: it makes the INSERT a trigger program, which SQLite runs inside a
        // statement journal, copying each page it touches to a temporary file first (a
        // third of a national roster import). A one-row INSERT needs none.
        let mut stmt = self.tx.prepare_cached("INSERT INTO unit (code) VALUES (?1)")?;
        stmt.execute([code])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Loads every unit code on a live roster, for a file large enough that looking its
    /// hosts up one by one in SQLite would cost more (from then on [`host_id`](Self::host_id)
    /// answers from memory).
    pub fn preload_hosts(&self) -> Result<()> {
        let newest: Option<i64> =
            self.tx
                .query_row(&format!("SELECT max(id) FROM batch WHERE kind IN ({})", *super::HOST_KINDS_SQL), [], |r| r.get(0))?;
        if matches!(&*self.preloaded.borrow(), Some((_, at)) if *at == newest) {
            return Ok(());
        }
        let units: i64 = self.tx.query_row("SELECT count(*) FROM unit", [], |r| r.get(0))?;
        let mut map = hosts::CodeMap::with_capacity(units as usize);
        // Units are made by roster imports only: unless a roster was ever reverted or one declared as data
        // made units (which host nothing), every unit is on a live host roster. Otherwise one scan of each
        // host roster's live batches (a unit on several comes more than once; the map keeps it once).
        let any_reverted: bool = self.tx.query_row(
            &format!(
                "SELECT EXISTS (SELECT 1 FROM batch WHERE reverted_at IS NOT NULL AND kind IN ({})) OR EXISTS (SELECT 1 FROM roster_entry)",
                *super::HOST_KINDS_SQL
            ),
            [],
            |r| r.get(0),
        )?;
        let unique = !any_reverted; // (From the unit table, each code comes once.)
        let queries: Vec<String> = if any_reverted {
            super::host_rosters()
                .map(|k| k.table)
                .map(|table| {
                    format!(
                        "SELECT u.code, u.id FROM batch b JOIN {table} x ON x.batch_id = b.id JOIN unit u ON u.id = x.unit_id
                         WHERE b.reverted_at IS NULL"
                    )
                })
                .collect()
        } else {
            vec!["SELECT code, id FROM unit".to_string()]
        };
        for sql in &queries {
            let mut rows = super::raw::Raw::new(&self.tx, sql, &[])?;
            while rows.next()? {
                if !map.insert(rows.text(0)?.unwrap_or("").as_bytes(), rows.int(1), unique) {
                    // Beyond what the compact map holds: look hosts up one by one.
                    *self.preloaded.borrow_mut() = None;
                    return Ok(());
                }
            }
        }
        *self.preloaded.borrow_mut() = Some((map, newest));
        Ok(())
    }

    /// The key of a unit code that some live roster of schools, communities or bodies holds.
    pub fn host_id(&self, code: &str) -> Result<Option<i64>> {
        if let Some((map, _)) = &*self.preloaded.borrow() {
            return Ok(map.get(code));
        }
        if let Some(id) = self.hosts.borrow().get(code) {
            return Ok(Some(*id));
        }
        let mut stmt = self.tx.prepare_cached(&format!("SELECT u.id FROM unit u WHERE u.code = ?1 AND {}", *IN_LIVE_ROSTER))?;
        let id: Option<i64> = stmt.query_row([code], |r| r.get(0)).optional()?;
        if let Some(id) = id {
            let mut hosts = self.hosts.borrow_mut();
            if hosts.len() >= HOST_CACHE_LIMIT {
                hosts.clear();
            }
            hosts.insert(code.to_string(), id);
        }
        Ok(id)
    }

    /// Whether a unit code is on a live roster of `table` (`school` or `community`).
    fn on_live_roster(&self, table: &str, code: &str) -> Result<Option<i64>> {
        let sql = format!(
            "SELECT u.id FROM unit u WHERE u.code = ?1 AND EXISTS (SELECT 1 FROM {table} x JOIN batch b ON b.id = x.batch_id
                 WHERE x.unit_id = u.id AND b.reverted_at IS NULL)"
        );
        Ok(self.tx.prepare_cached(&sql)?.query_row([code], |r| r.get(0)).optional()?)
    }

    /// Writes one row of a roster or registry return (activities have a writer of their
    /// own, [`activity_writer`](Self::activity_writer)). `Ok(Some(refusal))` when the
    /// ledger shows the row cannot be right; nothing is written then.
    pub fn write_record(&self, batch: BatchInfo, record: &Record) -> Result<Option<Refusal>> {
        match record {
            Record::School(s) => self.write_school(batch, s).map(|()| None),
            Record::Community(c) => self.write_community(batch, c).map(|()| None),
            Record::Body(b) => self.write_body(batch, b),
            Record::KeyStudent(k) => self.write_key_student(batch, k),
            Record::Registry(r) => self.write_registry(batch, r),
            Record::Roster(r) => self.write_roster_entry(batch, r).map(|()| None),
            Record::Activity(_) => anyhow::bail!("activities are written by an ActivityWriter"),
        }
    }

    /// Adds this import's activities to the tallies reports read: per month and host, and
    /// per term and host (the months' sums).
    fn flush_tally(&self) -> Result<()> {
        let keys = std::mem::take(&mut *self.tally.borrow_mut());
        if keys.months().is_empty() {
            return Ok(());
        }
        // The hosts' code map is not needed past the reading: its memory goes to the sums.
        *self.preloaded.borrow_mut() = None;
        let mut month = self.tx.prepare_cached(
            "INSERT INTO tally_month (month, last_day) VALUES (?1, ?2)
             ON CONFLICT (month) DO UPDATE SET last_day = max(last_day, excluded.last_day)",
        )?;
        for (m, day) in keys.months() {
            month.execute(params![m, day])?;
        }
        // The monthly rows are this import's own generation (see migration 7): new keys,
        // after every other. The term rows are written afresh, with the counts already kept
        // for their terms added in (tally_rows.rs).
        let gen = self.first_batch.get().context("an import's tally without a batch")?;
        let mut months = tally_rows::TallyWriter::new(&self.tx, "activity_tally", &["gen", "month", "host_id"])?;
        let mut terms = tally_rows::TermWriter::new(&self.tx)?;
        let hosts: i64 = self.tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM unit", [], |r| r.get(0))?;
        let mut sums = tally::TermSums::for_hosts(usize::try_from(hosts).unwrap_or(0));
        // The runs are merged and counted on a thread of their own while this one writes
        // the rows: the import's other thread has nothing left to do by now, and the merge
        // was a tenth of the writing (issue 23).
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<tally::TallyRow>>(MERGED_CHUNKS);
        std::thread::scope(|scope| -> Result<()> {
            let merging = std::thread::Builder::new()
                .name("gongyu-tally".into())
                .spawn_scoped(scope, move || {
                    let mut chunk = Vec::with_capacity(MERGED_ROWS);
                    keys.rows(|row| {
                        chunk.push(row);
                        if chunk.len() == MERGED_ROWS {
                            let full = std::mem::replace(&mut chunk, Vec::with_capacity(MERGED_ROWS));
                            // The writing side hung up: it failed, and its own error is the
                            // one reported (`written` before `merged` below), not this one.
                            anyhow::ensure!(send.send(full).is_ok(), "the tally's writing stopped");
                        }
                        Ok(())
                    })?;
                    if !chunk.is_empty() {
                        let _ = send.send(chunk);
                    }
                    Ok(())
                })
                .with_context(|| crate::t!("ledger-tally-thread"))?;
            // Hangs up (drops `receive`) on the first error, so the merge stops too.
            let written = (|| -> Result<()> {
                for chunk in receive {
                    for row in chunk {
                        months.push([gen, row.month, row.host], row.counts)?;
                        sums.add(&row, &mut terms)?;
                    }
                }
                sums.finish(&mut terms)?;
                months.finish()
            })();
            let merged = merging.join().map_err(|_| anyhow::anyhow!(crate::t!("ledger-tally-merge-failed")))?;
            written.and(merged)
        })?;
        terms.finish()
    }

    /// The refusal, if this import would change the report of a closed term: a roster a
    /// closed term uses, key students of its school year, activities or filings dated on or
    /// before its last day. Checked before a commit or the end of a dry run.
    pub fn closed_term_refusal(&self) -> Result<Option<anyhow::Error>> {
        use super::terms::{closed_terms, refusal, touched, Touch};
        let closed = closed_terms(&self.tx)?;
        let Some(first) = self.first_batch.get().filter(|_| !closed.is_empty()) else { return Ok(None) };
        let mut touches = Vec::new();
        let mut stmt = self.tx.prepare("SELECT id, kind, term, school_year FROM batch WHERE id >= ?1 ORDER BY id")?;
        let batches = stmt
            .query_map([first], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, Option<String>>(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (id, kind, term, school_year) in batches {
            if let Some(term) = term.and_then(|t| t.parse().ok()) {
                touches.push(Touch::Roster { kind: kind.clone(), term, batch: id });
            }
            if let Some(start_year) = school_year.and_then(|y| y.get(..4).and_then(|y| y.parse().ok())) {
                touches.push(Touch::SchoolYear { start_year });
            }
        }
        // Activities: the earliest month of this import's tally (a term ends on a month's last
        // day, so a month is before a term's end exactly when all its days are).
        if let Some(&month) = self.tally.borrow().months().keys().next() {
            if let Some(from) = chrono::NaiveDate::from_ymd_opt((month / 100) as i32, (month % 100) as u32, 1) {
                touches.push(Touch::Dated {
                    what: crate::t!("ledger-touch-activities-in", month = from.format("%Y-%m").to_string()),
                    from,
                });
            }
        }
        let filed: Option<i64> =
            self.tx.query_row("SELECT min(filed) FROM registry WHERE batch_id >= ?1", [first], |r| r.get(0))?;
        if let Some(from) = filed.and_then(crate::plan::term::day_from_key) {
            touches.push(Touch::Dated { what: crate::t!("ledger-touch-registry-dated", date = from.to_string()), from });
        }
        for t in &touches {
            if let Some((c, what)) = touched(&self.tx, &closed, t)? {
                return Ok(Some(refusal(&c, &what, &crate::t!("ledger-doing-import"))));
            }
        }
        Ok(None)
    }

    /// Writes what is still held in memory (queued roster rows, the tallies), ahead of
    /// [`commit`](Self::commit), which does it if this was not called.
    pub fn write_tallies(&self) -> Result<()> {
        self.flush_rows()?;
        self.flush_tally()
    }

    /// Makes the import permanent.
    pub fn commit(self) -> Result<()> {
        self.flush_rows()?;
        self.flush_tally()?;
        self.tx.commit().map_err(super::explain).with_context(|| crate::t!("ledger-import-save"))
    }

    /// Abandons the import: the ledger is left exactly as it was.
    pub fn rollback(self) -> Result<()> {
        self.tx.rollback().with_context(|| crate::t!("ledger-import-abandon"))
    }
}
