//! Roster rows written several to a statement: a national roster has a million rows, and
//! SQLite's work per statement (and rusqlite's per call) was most of their cost.

use anyhow::Result;
use rusqlite::types::Value;

use super::ImportTx;

/// Rows written by one multi-row INSERT.
const RUN: usize = 64;

/// Rows of one table waiting to be written.
#[derive(Default)]
pub struct PendingRows {
    /// The table and its columns, as in `INSERT INTO {0} ({1})`; the row width.
    target: Option<(&'static str, &'static str, usize)>,
    values: Vec<Value>,
}

impl ImportTx<'_> {
    /// Queues a row of `table` (columns `columns`, `values` in their order); written by
    /// runs of [`RUN`], the rest by [`flush_rows`](Self::flush_rows). Nothing may read the
    /// table before that: rows are flushed at the end of each file.
    pub fn queue_row(&self, table: &'static str, columns: &'static str, values: Vec<Value>) -> Result<()> {
        let full = {
            let mut p = self.pending.borrow_mut();
            if p.target.is_some_and(|(t, _, _)| t != table) {
                drop(p);
                self.flush_rows()?;
                p = self.pending.borrow_mut();
            }
            p.target = Some((table, columns, values.len()));
            p.values.extend(values);
            p.target.is_some_and(|(_, _, width)| p.values.len() >= RUN * width)
        };
        if full {
            self.write_pending(true)?;
        }
        Ok(())
    }

    /// Writes every queued row.
    pub fn flush_rows(&self) -> Result<()> {
        self.write_pending(false)
    }

    /// Forgets the queued rows (the file they came from is being undone).
    pub fn discard_rows(&self) {
        self.pending.borrow_mut().values.clear();
    }

    fn write_pending(&self, only_full_run: bool) -> Result<()> {
        let mut p = self.pending.borrow_mut();
        let Some((table, columns, width)) = p.target else { return Ok(()) };
        let one = format!("({})", vec!["?"; width].join(", "));
        let mut rows = p.values.chunks_exact(width * RUN);
        for run in &mut rows {
            let mut st = self
                .tx
                .prepare_cached(&format!("INSERT INTO {table} ({columns}) VALUES {}", vec![one.as_str(); RUN].join(", ")))?;
            for (i, v) in run.iter().enumerate() {
                st.raw_bind_parameter(i + 1, v)?;
            }
            st.raw_execute()?;
        }
        let rest = rows.remainder().to_vec();
        if !only_full_run {
            let mut st = self.tx.prepare_cached(&format!("INSERT INTO {table} ({columns}) VALUES {one}"))?;
            for row in rest.chunks_exact(width) {
                for (i, v) in row.iter().enumerate() {
                    st.raw_bind_parameter(i + 1, v)?;
                }
                st.raw_execute()?;
            }
            p.values.clear();
        } else {
            p.values = rest;
        }
        Ok(())
    }
}
