//! The writer of `activities` returns: activities kept once (SPEC §4), in multi-row runs
//! for speed, counted into the monthly tally as they go.
//!
//! Ids are kept unique by the index `activity_ext_id`. Districts number their activities
//! in no order, so each row's id lands on a random page of that index: once the index
//! outgrows the page cache (a few million rows), nearly every row reads a page back and
//! writes one out through the WAL (issue 23: most of a 10M-row import). So a file large
//! beside the ledger's activities, whose first ids come out of order, is written with the
//! index dropped, and the index is built again after its rows, by one sort
//! ([`ActivityWriter::build_id_index`]), in the same transaction. When that build finds an
//! id twice, the file is written again the ordinary way (the import undoes it first),
//! which names each repeat as before.
//!
//! Activities without an id are found by a fingerprint of their fields, through the index
//! `activity_fingerprint`: the same random pages, plus a lookup per row before its insert
//! (a 20M-row file of such rows took 414 s of writing against 75 s for 10M). A large file
//! whose first rows have no id is written with that index dropped and no lookups, and the
//! index is built after its rows; one ordered pass over it then looks for a fingerprint
//! held twice. If there is one (a repeated activity, or two that merely hash alike), the
//! file is written again the ordinary way, which compares the fields of each.

use anyhow::{Context, Result};
use rusqlite::params;

use super::super::raw::{Binds, Executed, Raw};
use super::{tally::TallyKeys, ActivityOutcome, BatchInfo, ImportTx, IMPORT_CACHE_KIB};
use crate::plan::term::{day_key, school_year_of, term_key};
use crate::returns::kinds::{school_year_text, ActivityRow};

/// FNV-1a over the normalised fields: stable across builds and platforms. A row without
/// a student hashes as it did before activities could name one.
fn fingerprint(host: i64, day: i64, row: &ActivityRow) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes.iter().chain(std::iter::once(&0xffu8)) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(&host.to_le_bytes());
    eat(&day.to_le_bytes());
    eat(row.kind.as_str().as_bytes());
    eat(row.title.as_deref().unwrap_or("").as_bytes());
    eat(&row.participants.map_or(-1i64, |p| p as i64).to_le_bytes());
    eat(row.mode.map_or("", |m| m.as_str()).as_bytes());
    if let Some(s) = &row.student {
        eat(s.as_bytes());
    }
    h as i64
}

/// The fingerprint an activity row stores: rows with an id store 0, as they are found
/// by their id, never by their fields (the fingerprint index only holds rows without one);
/// that saves 8 bytes a row and the hashing.
fn stored_fingerprint(host: i64, day: i64, row: &ActivityRow) -> i64 {
    if row.id.is_some() {
        0
    } else {
        fingerprint(host, day, row)
    }
}

/// Whether an activity row read from the ledger (host, day, kind, title, participants,
/// mode, student as its first seven columns) has the same fields as `a`.
fn same_activity(r: &rusqlite::Row<'_>, host: i64, day: i64, a: &ActivityRow) -> rusqlite::Result<bool> {
    Ok(r.get::<_, i64>(0)? == host
        && r.get::<_, i64>(1)? == day
        && r.get::<_, String>(2)? == a.kind.as_str()
        && r.get::<_, Option<String>>(3)?.as_deref() == a.title.as_deref()
        && r.get::<_, Option<i64>>(4)? == a.participants.map(|p| p as i64)
        && r.get::<_, Option<String>>(5)?.as_deref() == a.mode.map(|m| m.as_str())
        && r.get::<_, Option<String>>(6)?.as_deref() == a.student.as_deref())
}

/// Fewer bytes than any activity row takes in a text file (seven columns, an id, a host
/// code, a date): a file's size over this is more than its rows.
const ROW_BYTES_AT_LEAST: u64 = 40;

/// The id index is built after a file's rows when the ledger holds at most this many
/// times the activities the file may hold: sorting every id once then costs less than the
/// random inserts would.
const REBUILD_WHEN_AT_MOST: u64 = 4;

/// The statement creating an index dropped for a large file, exactly as `schema.sql` has it
/// (one place for it, which `check` holds the ledger's indexes to).
fn index_sql(name: &str) -> Result<&'static str> {
    crate::ledger::check::index_statement(name).with_context(|| format!("schema.sql creates no index {name}"))
}

/// Whether any fingerprint is held twice, in one ordered pass over its index.
const FINGERPRINT_TWICE: &str = "SELECT EXISTS (SELECT 1 FROM activity INDEXED BY activity_fingerprint
     WHERE ext_id IS NULL GROUP BY fingerprint HAVING count(*) > 1)";

/// The page cache while an index is built, in KiB.
const BUILD_CACHE_KIB: u32 = 8 * 1024;

/// The INSERTs' columns, and one row of their values.
const INSERT: &str =
    "INSERT INTO activity (batch_id, ext_id, host_id, day, term, kind, title, participants, mode, fingerprint, line, student)";
const ONE_ROW: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/// The columns of one activity row, in the order the INSERTs bind them.
const COLUMNS: usize = 12;

/// Binds an activity as parameters `at + 1` to `at + COLUMNS` (in the order of the
/// INSERTs' columns), its texts in place.
fn bind_activity<'t>(p: &mut Binds<'_, 't>, at: usize, batch: BatchInfo, host: i64, a: &'t ActivityRow, fingerprint: i64) {
    p.int(at + 1, batch.id);
    p.text(at + 2, a.id.as_deref());
    p.int(at + 3, host);
    p.int(at + 4, day_key(a.date));
    p.int(at + 5, term_key(a.term));
    p.text(at + 6, Some(a.kind.as_str()));
    p.text(at + 7, a.title.as_deref());
    p.opt_int(at + 8, a.participants.map(|n| n as i64));
    p.text(at + 9, a.mode.map(|m| m.as_str()));
    p.int(at + 10, fingerprint);
    p.int(at + 11, a.line as i64);
    p.text(at + 12, a.student.as_deref());
}

/// Activities written by one multi-row INSERT: SQLite's per-statement work is paid once
/// for the run instead of once per row.
const RUN_ROWS: usize = 128;

impl ImportTx<'_> {
    /// Whether a file of `size` (bytes of text, or rows of a sheet) is better written with
    /// the id index built after its rows: when the ledger holds few activities beside it.
    pub fn ids_indexed_after(&self, size: u64) -> Result<bool> {
        // The largest key, not a count: one b-tree descent, and never fewer than the rows.
        let kept: i64 = self.tx.query_row("SELECT coalesce(max(id), 0) FROM activity", [], |r| r.get(0))?;
        Ok(kept.unsigned_abs() <= size / ROW_BYTES_AT_LEAST * REBUILD_WHEN_AT_MOST)
    }

    /// Prepares the statements of the activity hot path once, for a whole file. With
    /// `may_drop`, the id index is dropped if the file's first ids come out of order, until
    /// [`ActivityWriter::build_id_index`].
    pub fn activity_writer(&self, may_drop: bool) -> Result<ActivityWriter<'_>> {
        Ok(ActivityWriter {
            owner: self,
            may_drop,
            index_after: false,
            fingerprints_after: false,
            insert: Raw::new(
                &self.tx,
                &format!("{INSERT} VALUES {ONE_ROW} ON CONFLICT (ext_id) WHERE ext_id IS NOT NULL DO NOTHING"),
                &[],
            )?,
            by_fingerprint: self.tx.prepare(
                "SELECT a.host_id, a.day, a.kind, a.title, a.participants, a.mode, a.student FROM activity a
                 WHERE a.fingerprint = ?1 AND a.ext_id IS NULL",
            )?,
            tally: TallyKeys::default(),
            // OR FAIL: a run that fails keeps the rows it wrote before the failing one
            // (`try_run` removes them). With the default OR ABORT, SQLite would copy
            // every page the run changes to a statement journal first, to undo it itself:
            // a tenth of the writing thread's time.
            insert_run: Raw::new(
                &self.tx,
                &format!("{} VALUES {}", INSERT.replacen("INSERT", "INSERT OR FAIL", 1), vec![ONE_ROW; RUN_ROWS].join(", ")),
                &[],
            )?,
            last_id: self.tx.prepare("SELECT coalesce(max(id), 0) FROM activity")?,
            undo_run: self.tx.prepare("DELETE FROM activity WHERE id > ?1")?,
        })
    }

    /// Whether `student` is on a live key-students roster of the school year containing
    /// `day`, under the school `host`.
    pub fn is_key_student(&self, host: i64, day: chrono::NaiveDate, student: &str) -> Result<bool> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM key_student k JOIN batch b ON b.id = k.batch_id
                WHERE k.school_id = ?1 AND k.ref = ?2 AND b.school_year = ?3 AND b.reverted_at IS NULL)",
        )?;
        Ok(stmt.query_row(params![host, student, school_year_text(school_year_of(day))], |r| r.get(0))?)
    }
}

/// Writes the activities of one file with statements prepared once.
pub struct ActivityWriter<'a> {
    owner: &'a ImportTx<'a>,
    /// The id index may be dropped, if the file's first ids come out of order (in order,
    /// each id lands at the end of the index, which the cache holds: nothing to gain).
    may_drop: bool,
    /// The id index is dropped, to be built after the file's rows.
    index_after: bool,
    /// The fingerprint index is dropped, to be built after the file's rows, and rows
    /// without an id are written without looking for an earlier one.
    fingerprints_after: bool,
    insert: Raw<'a>,
    by_fingerprint: rusqlite::Statement<'a>,
    /// One INSERT of [`RUN_ROWS`] activities.
    insert_run: Raw<'a>,
    /// The last activity's key before a run, and the removal of what a failed run wrote
    /// (new activities take keys above every other).
    last_id: rusqlite::Statement<'a>,
    undo_run: rusqlite::Statement<'a>,
    /// This file's activities per (month, host, kind); added to the import's on `finish`.
    tally: TallyKeys,
}

impl ActivityWriter<'_> {
    /// Adds this file's activities to the import's tallies (not called for a file that
    /// turns out to be already in the ledger).
    pub fn finish(self) -> Result<()> {
        anyhow::ensure!(!self.index_after && !self.fingerprints_after, "an activity index was not built again");
        self.owner.tally.borrow_mut().absorb(self.tally)
    }

    /// Builds the indexes dropped for the file's rows again after them: `false` when two
    /// activities share an id, or two without one a fingerprint (the file's rows must then
    /// be undone, which brings the indexes back, and written again the ordinary way).
    pub fn build_indexes(&mut self) -> Result<bool> {
        if !self.index_after && !self.fingerprints_after {
            return Ok(true);
        }
        // SQLite's sort keeps runs as large as the page cache in memory, beside the cache
        // itself: a smaller cache for the build keeps the import's peak memory under 100 MB
        // (116 → 91 MB at 10M rows; 84 MB with the index in place) at no cost in time.
        self.owner.tx.execute_batch(&format!("PRAGMA cache_size = -{BUILD_CACHE_KIB}"))?;
        let built = self.build_dropped();
        self.owner.tx.execute_batch(&format!("PRAGMA cache_size = -{IMPORT_CACHE_KIB}"))?;
        built
    }

    fn build_dropped(&mut self) -> Result<bool> {
        if self.index_after {
            match Raw::new(&self.owner.tx, index_sql("activity_ext_id")?, &[])?.execute(|_| {})? {
                Executed::Changed(_) => self.index_after = false,
                Executed::Constraint(_) => return Ok(false),
            }
        }
        if self.fingerprints_after {
            self.owner.tx.execute_batch(index_sql("activity_fingerprint")?)?;
            self.fingerprints_after = false;
            let twice: bool = self.owner.tx.query_row(FINGERPRINT_TWICE, [], |r| r.get(0))?;
            if twice {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The time this file's tally spent sorting and spilling its runs.
    pub fn tally_spill_time(&self) -> std::time::Duration {
        self.tally.spill_time()
    }

    fn count(&mut self, host: i64, a: &ActivityRow, day: i64) -> Result<()> {
        self.tally.add(host, a.kind, day)
    }

    /// Writes many activities, in order, returning what happened to each. Runs of rows with
    /// ids go in one statement; a run that meets an id already used (a duplicate or a
    /// conflict) is undone by SQLite as one statement and written row by row instead.
    pub fn insert_many(&mut self, batch: BatchInfo, rows: &[(i64, &ActivityRow)]) -> Result<Vec<ActivityOutcome>> {
        if self.may_drop {
            self.choose_index(rows)?;
        }
        let mut out = Vec::with_capacity(rows.len());
        let mut i = 0;
        while i < rows.len() {
            let run = &rows[i..(i + RUN_ROWS).min(rows.len())];
            // Rows without an id go in runs too while their index is dropped: none is looked for.
            let runs = |a: &ActivityRow| a.id.is_some() || self.fingerprints_after;
            if run.len() == RUN_ROWS && run.iter().all(|(_, a)| runs(a)) && self.try_run(batch, run)? {
                out.extend(std::iter::repeat_n(ActivityOutcome::Inserted, RUN_ROWS));
                i += RUN_ROWS;
                continue;
            }
            let n = if run.len() == RUN_ROWS { RUN_ROWS } else { 1 };
            for (host, a) in &rows[i..i + n] {
                out.push(self.insert(batch, *host, a)?);
            }
            i += n;
        }
        Ok(out)
    }

    /// Drops the fingerprint index if the first rows include some without an id, and the id
    /// index if the first rows with ids (from two on) have them out of order. Rows written
    /// before keep what the indexes found for them; rows after are checked when they are
    /// built again.
    fn choose_index(&mut self, rows: &[(i64, &ActivityRow)]) -> Result<()> {
        let ids: Vec<&str> = rows.iter().filter_map(|(_, a)| a.id.as_deref()).collect();
        let without = rows.len() - ids.len();
        if ids.len() < 2 && without == 0 {
            return Ok(());
        }
        self.may_drop = false;
        if without > 0 {
            self.owner.tx.execute_batch("DROP INDEX activity_fingerprint")?;
            self.fingerprints_after = true;
        }
        if ids.len() < 2 || ids.windows(2).all(|w| w[0] < w[1]) {
            return Ok(());
        }
        self.owner.tx.execute_batch("DROP INDEX activity_ext_id")?;
        self.index_after = true;
        // No index to find a repeated id: the build after the rows does.
        let plain = format!("{} VALUES {ONE_ROW}", INSERT.replacen("INSERT", "INSERT OR FAIL", 1));
        self.insert = Raw::new(&self.owner.tx, &plain, &[])?;
        Ok(())
    }

    /// One multi-row INSERT; `false` (and nothing written) if an id is already in use.
    fn try_run(&mut self, batch: BatchInfo, run: &[(i64, &ActivityRow)]) -> Result<bool> {
        let before: i64 = self.last_id.query_row([], |r| r.get(0))?;
        let done = self.insert_run.execute(|p| {
            for (k, (host, a)) in run.iter().enumerate() {
                // Rows with ids store 0 (`stored_fingerprint`).
                bind_activity(p, k * COLUMNS, batch, *host, a, stored_fingerprint(*host, day_key(a.date), a));
            }
        })?;
        match done {
            Executed::Changed(_) => {
                for (host, a) in run {
                    self.count(*host, a, day_key(a.date))?;
                }
                Ok(true)
            }
            Executed::Constraint(_) => {
                // The rows before the failing one were written: undone, the run is written
                // row by row instead.
                self.undo_run.execute([before])?;
                Ok(false)
            }
        }
    }

    /// Inserts an activity unless it repeats one already kept (SPEC §4).
    pub fn insert(&mut self, batch: BatchInfo, host: i64, a: &ActivityRow) -> Result<ActivityOutcome> {
        let day = day_key(a.date);
        let fp = stored_fingerprint(host, day, a);
        if a.id.is_none() && !self.fingerprints_after {
            // Without an id, an activity is the same as one with the same fields.
            let mut rows = self.by_fingerprint.query([fp])?;
            while let Some(r) = rows.next()? {
                if same_activity(r, host, day, a)? {
                    return Ok(ActivityOutcome::Duplicate);
                }
            }
        }
        // With an id, the unique index finds an earlier use in the same step as the insert.
        let inserted = match self.insert.execute(|p| bind_activity(p, 0, batch, host, a, fp))? {
            Executed::Changed(n) => n,
            Executed::Constraint(e) => {
                anyhow::bail!(crate::t!("ledger-activity-breaks-rule", line = a.line, error = e.to_string()))
            }
        };
        if inserted == 1 {
            self.count(host, a, day)?;
            return Ok(ActivityOutcome::Inserted);
        }
        let mut stmt = self.owner.tx.prepare_cached(
            "SELECT a.host_id, a.day, a.kind, a.title, a.participants, a.mode, a.student, b.file_name, a.line, a.batch_id
             FROM activity a JOIN batch b ON b.id = a.batch_id WHERE a.ext_id = ?1",
        )?;
        let mut rows = stmt.query([&a.id])?;
        let r = rows.next()?.context("an activity id conflicted but cannot be found")?;
        if same_activity(r, host, day, a)? {
            Ok(ActivityOutcome::Duplicate)
        } else {
            Ok(ActivityOutcome::IdConflict {
                same_batch: r.get::<_, i64>(9)? == batch.id,
                file: r.get(7)?,
                line: r.get::<_, i64>(8)? as u64,
            })
        }
    }
}
