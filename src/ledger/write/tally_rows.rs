//! The tally rows an import writes on commit: its own generation of monthly rows, and the
//! term rows written afresh with the counts already kept added in.

use anyhow::Result;
use rusqlite::Transaction;

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
pub(super) struct TallyWriter<'t> {
    run: rusqlite::CachedStatement<'t>,
    one: rusqlite::CachedStatement<'t>,
    keys: usize,
    pending: Vec<([i64; 3], Counts)>,
    blob: Vec<u8>,
}

impl<'t> TallyWriter<'t> {
    /// A writer of `table`'s rows keyed by `keys` (at most three columns, its primary key).
    pub(super) fn new(tx: &'t Transaction<'_>, table: &str, keys: &[&str]) -> Result<TallyWriter<'t>> {
        let key = keys.join(", ");
        // OR FAIL: no statement journal (see `activity_writer`). A tally row that fails
        // fails the import, and the whole transaction is rolled back.
        let insert = format!("INSERT OR FAIL INTO {table} ({key}, counts) VALUES");
        let row = format!("({})", vec!["?"; keys.len() + 1].join(", "));
        let run = tx.prepare_cached(&format!("{insert} {}", vec![row.as_str(); TALLY_RUN].join(", ")))?;
        let one = tx.prepare_cached(&format!("{insert} {row}"))?;
        Ok(TallyWriter { run, one, keys: keys.len(), pending: Vec::with_capacity(TALLY_RUN), blob: Vec::new() })
    }

    fn bind(
        st: &mut rusqlite::CachedStatement<'_>,
        blob: &mut Vec<u8>,
        keys: usize,
        k: usize,
        (key, counts): &([i64; 3], Counts),
    ) -> Result<()> {
        let p = k * (keys + 1);
        for (i, v) in key[..keys].iter().enumerate() {
            st.raw_bind_parameter(p + 1 + i, *v)?;
        }
        blob.clear();
        counts::encode_into(counts, blob);
        st.raw_bind_parameter(p + 1 + keys, blob.as_slice())?;
        Ok(())
    }

    pub(super) fn push(&mut self, key: [i64; 3], counts: Counts) -> Result<()> {
        self.pending.push((key, counts));
        if self.pending.len() == TALLY_RUN {
            for (k, r) in self.pending.iter().enumerate() {
                Self::bind(&mut self.run, &mut self.blob, self.keys, k, r)?;
            }
            self.run.raw_execute()?;
            self.pending.clear();
        }
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<()> {
        for r in &self.pending {
            Self::bind(&mut self.one, &mut self.blob, self.keys, 0, r)?;
            self.one.raw_execute()?;
        }
        Ok(())
    }
}
