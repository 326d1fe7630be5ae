//! The tally rows an import writes on commit: its own generation of monthly rows, and the
//! term rows written afresh with the counts already kept added in.

use anyhow::Result;
use rusqlite::Transaction;

use super::super::raw::{Executed, Raw};
use super::tally::{self, TermRow};
use crate::ledger::counts::{self, Counts};

/// Tally rows written by one multi-row insert.
const TALLY_RUN: usize = 256;

/// The term rows of an import: [`tally::TermSums`] reads and drops the rows a term already
/// has, and gives out the term's sums.
///
/// A term's rows already kept are read in key order (one pass), added to this import's and
/// deleted, and the sums inserted in key order. Upserting each row in place
/// (`ON CONFLICT DO UPDATE`) cost about twice as much: every file after the first into a
/// national ledger updates about as many term rows as there are units.
pub(super) struct TermWriter<'t> {
    rows: TallyWriter<'t>,
    kept: rusqlite::CachedStatement<'t>,
    drop: rusqlite::CachedStatement<'t>,
}

impl<'t> TermWriter<'t> {
    pub(super) fn new(tx: &'t Transaction<'_>) -> Result<TermWriter<'t>> {
        Ok(TermWriter {
            rows: TallyWriter::new(tx, "term_tally", &["term", "host_id"])?,
            kept: tx.prepare_cached("SELECT host_id, counts FROM term_tally WHERE term = ?1")?,
            drop: tx.prepare_cached("DELETE FROM term_tally WHERE term = ?1")?,
        })
    }

    /// Writes the rows still held.
    pub(super) fn finish(self) -> Result<()> {
        self.rows.finish()
    }
}

impl tally::TermSink for TermWriter<'_> {
    fn kept(&mut self, term: i64, add: &mut dyn FnMut(i64, &Counts) -> Result<()>) -> Result<()> {
        let mut rows = self.kept.query([term])?;
        while let Some(r) = rows.next()? {
            add(r.get(0)?, &counts::decode(r.get_ref(1)?.as_blob()?)?)?;
        }
        drop(rows);
        self.drop.execute([term])?;
        Ok(())
    }

    fn row(&mut self, r: TermRow) -> Result<()> {
        self.rows.push([r.term, r.host, 0], r.counts)
    }
}

/// Writes tally rows — their key columns, then their counts per kind (one blob, see
/// `ledger::counts`) — in the table's key order, many to a statement.
///
/// Through [`Raw`], with every blob bound in place: rusqlite bound each as SQLite's
/// `TRANSIENT` (a copy, a `malloc` and a `free` per row), and a national import writes
/// about ten million tally rows after its last activity, while nothing else can go on
/// (issue 23).
pub(super) struct TallyWriter<'t> {
    run: Raw<'t>,
    one: Raw<'t>,
    keys: usize,
    /// The rows held: their keys, and where each one's blob ends in `blobs`.
    pending: Vec<([i64; 3], usize)>,
    blobs: Vec<u8>,
    table: String,
}

impl<'t> TallyWriter<'t> {
    /// A writer of `table`'s rows keyed by `keys` (at most three columns, its primary key).
    pub(super) fn new(tx: &'t Transaction<'_>, table: &str, keys: &[&str]) -> Result<TallyWriter<'t>> {
        let key = keys.join(", ");
        // OR FAIL: no statement journal (see `activity_writer`). A tally row that fails
        // fails the import, and the whole transaction is rolled back.
        let insert = format!("INSERT OR FAIL INTO {table} ({key}, counts) VALUES");
        let row = format!("({})", vec!["?"; keys.len() + 1].join(", "));
        let run = Raw::new(tx, &format!("{insert} {}", vec![row.as_str(); TALLY_RUN].join(", ")), &[])?;
        let one = Raw::new(tx, &format!("{insert} {row}"), &[])?;
        Ok(TallyWriter {
            run,
            one,
            keys: keys.len(),
            pending: Vec::with_capacity(TALLY_RUN),
            blobs: Vec::with_capacity(TALLY_RUN * 4),
            table: table.to_string(),
        })
    }

    /// Runs `st` with `rows` bound (a whole run, or one row), their blobs in `blobs` from `start`.
    fn execute(st: &mut Raw<'_>, table: &str, keys: usize, rows: &[([i64; 3], usize)], blobs: &[u8], start: usize) -> Result<()> {
        let done = st.execute(|p| {
            let mut at = start;
            for (k, (key, end)) in rows.iter().enumerate() {
                let base = k * (keys + 1);
                for (i, v) in key[..keys].iter().enumerate() {
                    p.int(base + 1 + i, *v);
                }
                p.blob(base + 1 + keys, &blobs[at..*end]);
                at = *end;
            }
        })?;
        match done {
            Executed::Changed(_) => Ok(()),
            Executed::Constraint(e) => anyhow::bail!("writing {table}: {e}"),
        }
    }

    pub(super) fn push(&mut self, key: [i64; 3], counts: Counts) -> Result<()> {
        counts::encode_into(&counts, &mut self.blobs);
        self.pending.push((key, self.blobs.len()));
        if self.pending.len() == TALLY_RUN {
            Self::execute(&mut self.run, &self.table, self.keys, &self.pending, &self.blobs, 0)?;
            self.pending.clear();
            self.blobs.clear();
        }
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<()> {
        let mut start = 0;
        for k in 0..self.pending.len() {
            Self::execute(&mut self.one, &self.table, self.keys, &self.pending[k..=k], &self.blobs, start)?;
            start = self.pending[k].1;
        }
        Ok(())
    }
}
