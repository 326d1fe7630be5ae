//! Writing imports: one IMMEDIATE transaction per import command, so several files are
//! all-or-nothing and a rejected return leaves the ledger exactly as it was.

use std::cell::RefCell;
use std::collections::HashMap;

use anyhow::{Context, Result};
use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};

use super::Ledger;
use crate::plan::term::{day_key, term_key};
use crate::plan::{ActivityKind, Term};
use crate::returns::rows::{ActivityRow, CommunityRow, SchoolRow};
use crate::returns::ReturnKind;

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

/// The open write transaction of one import command.
pub struct ImportTx<'c> {
    tx: Transaction<'c>,
    /// Activities written per (term, host, kind), added to `activity_tally` on commit.
    tally: RefCell<FastMap<u64, i64>>,
    /// Host code → unit key, for codes found in a live roster.
    hosts: RefCell<FastMap<String, i64>>,
    /// The first batch this import started.
    first_batch: std::cell::Cell<Option<i64>>,
}

/// FNV-1a as a `Hasher`: the per-row maps of an import hash short keys, where SipHash's
/// resistance to flooding buys nothing (the keys are the clerk's own codes).
#[derive(Default)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// Packs (term, host, kind) into one integer key: term < 2^20, host < 2^40, kind < 4.
fn tally_key(term: i64, host: i64, kind: ActivityKind) -> u64 {
    let k = match kind {
        ActivityKind::Guidance => 0,
        ActivityKind::Practice => 1,
        ActivityKind::ParentMeeting => 2,
        ActivityKind::HomeVisit => 3,
    };
    ((term as u64) << 42) | ((host as u64) << 2) | k
}

fn unpack_tally_key(key: u64) -> (i64, i64, ActivityKind) {
    let kind = [ActivityKind::Guidance, ActivityKind::Practice, ActivityKind::ParentMeeting, ActivityKind::HomeVisit]
        [(key & 3) as usize];
    ((key >> 42) as i64, ((key >> 2) & ((1 << 40) - 1)) as i64, kind)
}

/// The page cache of an import, in KiB.
const IMPORT_CACHE_KIB: u32 = 32 * 1024;

/// The most host codes [`ImportTx::host_id`] remembers before starting afresh, so memory
/// stays bounded at any scale.
const HOST_CACHE_LIMIT: usize = 1 << 18;

/// FNV-1a over the normalised fields: stable across builds and platforms.
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
    h as i64
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
            .context("starting the import")?;
        Ok(ImportTx { tx, tally: RefCell::default(), hosts: RefCell::default(), first_batch: Default::default() })
    }
}

impl ImportTx<'_> {
    /// Whether a live batch of `kind` came from a file of this name, and no activities were
    /// ever reverted (so a file identical to an earlier batch can only change nothing).
    pub fn worth_hashing_first(&self, kind: ReturnKind, file_name: &str) -> Result<bool> {
        Ok(self.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM batch WHERE kind = ?1 AND file_name = ?2 AND reverted_at IS NULL)
                AND NOT EXISTS (SELECT 1 FROM revert r JOIN batch b ON b.id = r.batch_id WHERE b.kind = 'activities')",
            params![kind.as_str(), file_name],
            |r| r.get(0),
        )?)
    }

    /// Whether `batch` was started by this import (as opposed to an earlier one).
    pub fn started_here(&self, batch: i64) -> bool {
        self.first_batch.get().is_some_and(|first| batch >= first)
    }

    /// The live batch holding exactly these bytes that re-importing would leave unchanged:
    /// for activities, any live batch of the file; for a roster, the current roster of
    /// `term` (or of the batch's own term, when the file carries its term).
    /// `encoding` tells two sheets of one workbook apart.
    pub fn identical_batch(&self, kind: ReturnKind, sha256: &str, encoding: &str, term: Option<Term>) -> Result<Option<i64>> {
        let found: Option<(i64, Option<String>)> = self
            .tx
            .query_row(
                "SELECT id, term FROM batch WHERE sha256 = ?1 AND kind = ?2 AND encoding = ?4 AND reverted_at IS NULL
                 AND (?3 IS NULL OR term = ?3) ORDER BY id DESC LIMIT 1",
                params![sha256, kind.as_str(), term.map(|t| t.to_string()), encoding],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((id, batch_term)) = found else { return Ok(None) };
        if !kind.is_roster() {
            return Ok(Some(id));
        }
        let current: Option<i64> = self
            .tx
            .query_row(
                "SELECT id FROM batch WHERE kind = ?1 AND term IS ?2 AND reverted_at IS NULL ORDER BY id DESC LIMIT 1",
                params![kind.as_str(), batch_term],
                |r| r.get(0),
            )
            .optional()?;
        Ok((current == Some(id)).then_some(id))
    }

    /// Records the start of a batch; its term and counts are filled in by [`finish_batch`].
    /// (The first batch of an import is remembered for [`started_here`](Self::started_here).)
    pub fn start_batch(
        &self,
        kind: ReturnKind,
        file_name: &str,
        sha256: &str,
        encoding: &str,
        when: &str,
        user: &str,
    ) -> Result<BatchInfo> {
        self.tx.execute(
            "INSERT INTO batch (kind, file_name, sha256, encoding, row_count, imported, imported_at, os_user)
             VALUES (?1, ?2, ?3, ?4, 0, 0, ?5, ?6)",
            params![kind.as_str(), file_name, sha256, encoding, when, user],
        )?;
        let id = self.tx.last_insert_rowid();
        if self.first_batch.get().is_none() {
            self.first_batch.set(Some(id));
        }
        Ok(BatchInfo { id })
    }

    /// Completes a batch. For a roster, links the roster of the same kind and term it
    /// replaces and returns that batch's id.
    pub fn finish_batch(
        &self,
        batch: BatchInfo,
        kind: ReturnKind,
        term: Option<Term>,
        rows: u64,
        imported: u64,
        duplicates: u64,
    ) -> Result<Option<i64>> {
        let term_text = term.map(|t| t.to_string());
        let replaces: Option<i64> = if kind.is_roster() {
            self.tx
                .query_row(
                    "SELECT id FROM batch WHERE kind = ?1 AND term = ?2 AND reverted_at IS NULL AND id <> ?3
                     ORDER BY id DESC LIMIT 1",
                    params![kind.as_str(), term_text, batch.id],
                    |r| r.get(0),
                )
                .optional()?
        } else {
            None
        };
        self.tx.execute(
            "UPDATE batch SET term = ?2, row_count = ?3, imported = ?4, duplicates = ?5, replaces = ?6 WHERE id = ?1",
            params![batch.id, term_text, rows as i64, imported as i64, duplicates as i64, replaces],
        )?;
        Ok(replaces)
    }

    /// Opens the savepoint one file is written in.
    pub fn savepoint(&self) -> Result<()> {
        Ok(self.tx.execute_batch("SAVEPOINT gongyu_file")?)
    }

    /// Undoes everything written since [`savepoint`](Self::savepoint), and closes it.
    pub fn rollback_to_savepoint(&self) -> Result<()> {
        Ok(self.tx.execute_batch("ROLLBACK TO gongyu_file; RELEASE gongyu_file")?)
    }

    /// Keeps what was written since [`savepoint`](Self::savepoint).
    pub fn release_savepoint(&self) -> Result<()> {
        Ok(self.tx.execute_batch("RELEASE gongyu_file")?)
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

    fn unit_id(&self, code: &str) -> Result<i64> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO unit (code) VALUES (?1) ON CONFLICT (code) DO UPDATE SET code = excluded.code RETURNING id",
        )?;
        Ok(stmt.query_row([code], |r| r.get(0))?)
    }

    pub fn insert_school(&self, batch: BatchInfo, s: &SchoolRow) -> Result<()> {
        let unit = self.unit_id(&s.code)?;
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO school (batch_id, unit_id, name, type, school_group, township, parent_school,
                                 parent_school_since, principal_heads, line)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        stmt.execute(params![
            batch.id,
            unit,
            s.name,
            s.school_type.as_str(),
            s.school_type.group().as_str(),
            s.township,
            s.parent_school,
            s.parent_school_since.map(|d| d.to_string()),
            s.principal_heads,
            s.line as i64
        ])?;
        Ok(())
    }

    pub fn insert_community(&self, batch: BatchInfo, c: &CommunityRow) -> Result<()> {
        let unit = self.unit_id(&c.code)?;
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO community (batch_id, unit_id, name, township_name, township_code, area, parent_school,
                                    parent_school_since, line)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        stmt.execute(params![
            batch.id,
            unit,
            c.name,
            c.township_name,
            c.township_code,
            c.area.as_str(),
            c.parent_school,
            c.parent_school_since.map(|d| d.to_string()),
            c.line as i64
        ])?;
        if let (Some(code), Some(name)) = (&c.township_code, &c.township_name) {
            let mut t = self.tx.prepare_cached(
                "INSERT INTO township (code, name) VALUES (?1, ?2) ON CONFLICT (code) DO UPDATE SET name = excluded.name",
            )?;
            t.execute(params![code, name])?;
            let mut n = self.tx.prepare_cached(
                "INSERT INTO township_spelling (name, code) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET code = excluded.code",
            )?;
            n.execute(params![name, code])?;
        }
        Ok(())
    }

    /// The key of a unit code that some imported roster holds.
    pub fn host_id(&self, code: &str) -> Result<Option<i64>> {
        if let Some(id) = self.hosts.borrow().get(code) {
            return Ok(Some(*id));
        }
        let mut stmt = self.tx.prepare_cached(
            "SELECT u.id FROM unit u WHERE u.code = ?1 AND (
                EXISTS (SELECT 1 FROM school s JOIN batch b ON b.id = s.batch_id WHERE s.unit_id = u.id AND b.reverted_at IS NULL)
             OR EXISTS (SELECT 1 FROM community c JOIN batch b ON b.id = c.batch_id WHERE c.unit_id = u.id AND b.reverted_at IS NULL))",
        )?;
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

    /// Adds this import's activities to the per-term tallies reports read.
    fn flush_tally(&self) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO activity_tally (term, host_id, kind, n) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (term, host_id, kind) DO UPDATE SET n = n + excluded.n",
        )?;
        for (key, n) in self.tally.borrow_mut().drain() {
            let (term, host, kind) = unpack_tally_key(key);
            stmt.execute(params![term, host, kind.as_str(), n])?;
        }
        Ok(())
    }

    /// Prepares the statements of the activity hot path once, for a whole file.
    pub fn activity_writer(&self) -> Result<ActivityWriter<'_>> {
        Ok(ActivityWriter {
            owner: self,
            insert: self.tx.prepare(
                "INSERT INTO activity (batch_id, ext_id, host_id, day, term, kind, title, participants, mode, fingerprint, line)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (ext_id) WHERE ext_id IS NOT NULL DO NOTHING",
            )?,
            by_fingerprint: self.tx.prepare(
                "SELECT a.host_id, a.day, a.kind, a.title, a.participants, a.mode FROM activity a
                 WHERE a.fingerprint = ?1 AND a.ext_id IS NULL",
            )?,
            tally: FastMap::default(),
            insert_run: self.tx.prepare(&format!(
                "INSERT INTO activity (batch_id, ext_id, host_id, day, term, kind, title, participants, mode, fingerprint, line)
                 VALUES {}",
                vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; RUN_ROWS].join(", ")
            ))?,
        })
    }

    /// Makes the import permanent.
    pub fn commit(self) -> Result<()> {
        self.flush_tally()?;
        self.tx.commit().map_err(super::explain).context("saving the import to the ledger")
    }

    /// Abandons the import: the ledger is left exactly as it was.
    pub fn rollback(self) -> Result<()> {
        self.tx.rollback().context("abandoning the import")
    }
}

/// Whether an activity row read from the ledger (host, day, kind, title, participants,
/// mode as its first six columns) has the same fields as `a`.
fn same_activity(r: &rusqlite::Row<'_>, host: i64, day: i64, a: &ActivityRow) -> rusqlite::Result<bool> {
    Ok(r.get::<_, i64>(0)? == host
        && r.get::<_, i64>(1)? == day
        && r.get::<_, String>(2)? == a.kind.as_str()
        && r.get::<_, Option<String>>(3)?.as_deref() == a.title.as_deref()
        && r.get::<_, Option<i64>>(4)? == a.participants.map(|p| p as i64)
        && r.get::<_, Option<String>>(5)?.as_deref() == a.mode.map(|m| m.as_str()))
}

/// Writes the activities of one file with statements prepared once.
pub struct ActivityWriter<'a> {
    owner: &'a ImportTx<'a>,
    insert: rusqlite::Statement<'a>,
    by_fingerprint: rusqlite::Statement<'a>,
    /// One INSERT of [`RUN_ROWS`] activities.
    insert_run: rusqlite::Statement<'a>,
    /// This file's activities per (term, host, kind); added to the import's on `finish`.
    tally: FastMap<u64, i64>,
}

/// Activities written by one multi-row INSERT: SQLite's per-statement work is paid once
/// for the run instead of once per row.
const RUN_ROWS: usize = 128;

impl ActivityWriter<'_> {
    /// Adds this file's activities to the import's tallies (not called for a file that
    /// turns out to be already in the ledger).
    pub fn finish(self) {
        let mut tally = self.owner.tally.borrow_mut();
        for (k, n) in self.tally {
            *tally.entry(k).or_default() += n;
        }
    }

    /// Writes many activities, in order, returning what happened to each. Runs of rows with
    /// ids go in one statement; a run that meets an id already used (a duplicate or a
    /// conflict) is undone by SQLite as one statement and written row by row instead.
    pub fn insert_many(&mut self, batch: BatchInfo, rows: &[(i64, &ActivityRow)]) -> Result<Vec<ActivityOutcome>> {
        let mut out = Vec::with_capacity(rows.len());
        let mut i = 0;
        while i < rows.len() {
            let run = &rows[i..(i + RUN_ROWS).min(rows.len())];
            if run.len() == RUN_ROWS && run.iter().all(|(_, a)| a.id.is_some()) && self.try_run(batch, run)? {
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

    /// One multi-row INSERT; `false` (and nothing written) if an id is already in use.
    fn try_run(&mut self, batch: BatchInfo, run: &[(i64, &ActivityRow)]) -> Result<bool> {
        let mut keys = Vec::with_capacity(run.len());
        for (k, (host, a)) in run.iter().enumerate() {
            let day = day_key(a.date);
            let term = term_key(a.term);
            let p = k * 11;
            let st = &mut self.insert_run;
            st.raw_bind_parameter(p + 1, batch.id)?;
            st.raw_bind_parameter(p + 2, &a.id)?;
            st.raw_bind_parameter(p + 3, host)?;
            st.raw_bind_parameter(p + 4, day)?;
            st.raw_bind_parameter(p + 5, term)?;
            st.raw_bind_parameter(p + 6, a.kind.as_str())?;
            st.raw_bind_parameter(p + 7, &a.title)?;
            st.raw_bind_parameter(p + 8, a.participants.map(|n| n as i64))?;
            st.raw_bind_parameter(p + 9, a.mode.map(|m| m.as_str()))?;
            st.raw_bind_parameter(p + 10, fingerprint(*host, day, a))?;
            st.raw_bind_parameter(p + 11, a.line as i64)?;
            keys.push(tally_key(term, *host, a.kind));
        }
        match self.insert_run.raw_execute() {
            Ok(_) => {
                for k in keys {
                    *self.tally.entry(k).or_default() += 1;
                }
                Ok(true)
            }
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Inserts an activity unless it repeats one already kept (SPEC §4).
    pub fn insert(&mut self, batch: BatchInfo, host: i64, a: &ActivityRow) -> Result<ActivityOutcome> {
        let day = day_key(a.date);
        let fp = fingerprint(host, day, a);
        let term = term_key(a.term);
        if a.id.is_none() {
            // Without an id, an activity is the same as one with the same fields.
            let mut rows = self.by_fingerprint.query([fp])?;
            while let Some(r) = rows.next()? {
                if same_activity(r, host, day, a)? {
                    return Ok(ActivityOutcome::Duplicate);
                }
            }
        }
        // With an id, the unique index finds an earlier use in the same step as the insert.
        let inserted = self.insert.execute(params![
            batch.id,
            a.id,
            host,
            day,
            term,
            a.kind.as_str(),
            a.title,
            a.participants.map(|p| p as i64),
            a.mode.map(|m| m.as_str()),
            fp,
            a.line as i64
        ])?;
        if inserted == 1 {
            *self.tally.entry(tally_key(term, host, a.kind)).or_default() += 1;
            return Ok(ActivityOutcome::Inserted);
        }
        let mut stmt = self.owner.tx.prepare_cached(
            "SELECT a.host_id, a.day, a.kind, a.title, a.participants, a.mode, b.file_name, a.line, a.batch_id
             FROM activity a JOIN batch b ON b.id = a.batch_id WHERE a.ext_id = ?1",
        )?;
        let mut rows = stmt.query([&a.id])?;
        let r = rows.next()?.context("an activity id conflicted but cannot be found")?;
        if same_activity(r, host, day, a)? {
            Ok(ActivityOutcome::Duplicate)
        } else {
            Ok(ActivityOutcome::IdConflict {
                same_batch: r.get::<_, i64>(8)? == batch.id,
                file: r.get(6)?,
                line: r.get::<_, i64>(7)? as u64,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_keys_round_trip() {
        for (term, host, kind) in [
            (20201, 1, ActivityKind::Guidance),
            (99982, (1 << 40) - 1, ActivityKind::HomeVisit),
            (20192, 123_456, ActivityKind::Practice),
        ] {
            assert_eq!(unpack_tally_key(tally_key(term, host, kind)), (term, host, kind));
        }
    }
}
