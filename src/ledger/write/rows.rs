//! Roster rows written several to a statement: a national roster has a million rows, and
//! SQLite's work per statement (and rusqlite's per call) was most of their cost. The units
//! the rows name are interned the same way, a run of codes at a time. Every roster declared
//! as data (`returns::kinds::generic`) is written here, by one writer for all such kinds.

use anyhow::{Context, Result};
use rusqlite::types::Value;

use super::ImportTx;

/// Rows written by one multi-row INSERT.
const RUN: usize = 64;

/// Rows of one table waiting to be written.
#[derive(Default)]
pub(super) struct PendingRows {
    /// The table and its columns after `unit_id`, as in `INSERT INTO {0} (unit_id, {1})`;
    /// the number of values of a row (without its unit key).
    target: Option<(&'static str, &'static str, usize)>,
    /// The unit code of each row.
    codes: Vec<String>,
    values: Vec<Value>,
}

impl ImportTx<'_> {
    /// Writes a row of a roster declared as data: its unit, name and values (a JSON array
    /// in the spec's order) in the table all such rosters share.
    pub(super) fn write_roster_entry(&self, batch: super::BatchInfo, r: &crate::returns::kinds::RosterRow) -> Result<()> {
        use crate::returns::kinds::generic::{values_json, TABLE};
        let (id, line) = (Value::Integer(batch.id), Value::Integer(r.line as i64));
        self.queue_row(
            TABLE,
            "batch_id, name, vals, line",
            &r.code,
            [id, Value::Text(r.name.clone()), Value::Text(values_json(&r.values)), line],
        )
    }

    /// Queues a row of `table` for the unit `code`: its key goes in the `unit_id` column,
    /// `values` in the `columns` after it. Written by runs of [`RUN`], the rest by
    /// [`flush_rows`](Self::flush_rows). Nothing may read the table, or look the unit up,
    /// before that: rows are flushed at the end of each file.
    pub fn queue_row<const N: usize>(
        &self,
        table: &'static str,
        columns: &'static str,
        code: &str,
        values: [Value; N],
    ) -> Result<()> {
        let full = {
            let mut p = self.pending.borrow_mut();
            if p.target.is_some_and(|(t, _, _)| t != table) {
                drop(p);
                self.flush_rows()?;
                p = self.pending.borrow_mut();
            }
            p.target = Some((table, columns, N));
            p.codes.push(code.to_string());
            p.values.extend(values);
            p.codes.len() >= RUN
        };
        if full {
            self.write_pending()?;
        }
        Ok(())
    }

    /// Writes every queued row.
    pub fn flush_rows(&self) -> Result<()> {
        self.write_pending()
    }

    /// Forgets the queued rows (the file they came from is being undone).
    pub fn discard_rows(&self) {
        let mut p = self.pending.borrow_mut();
        p.codes.clear();
        p.values.clear();
    }

    fn write_pending(&self) -> Result<()> {
        let mut p = self.pending.borrow_mut();
        let Some((table, columns, width)) = p.target else { return Ok(()) };
        let p = &mut *p;
        for (codes, values) in p.codes.chunks(RUN).zip(p.values.chunks(RUN * width)) {
            let units = self.unit_ids(codes)?;
            let n = codes.len();
            let one = format!("({})", vec!["?"; width + 1].join(", "));
            // OR FAIL rather than the default ABORT: SQLite would otherwise run each
            // multi-row INSERT in a statement journal, copying every page it changes to a
            // temporary file first, so that a failing row could undo the rows before it.
            // Nothing needs that: an error in any row abandons the whole import.
            let mut st = self.tx.prepare_cached(&format!(
                "INSERT OR FAIL INTO {table} (unit_id, {columns}) VALUES {}",
                vec![one.as_str(); n].join(", ")
            ))?;
            let mut at = 1;
            for (unit, row) in units.into_iter().zip(values.chunks_exact(width)) {
                st.raw_bind_parameter(at, unit)?;
                for (i, v) in row.iter().enumerate() {
                    st.raw_bind_parameter(at + 1 + i, v)?;
                }
                at += width + 1;
            }
            st.raw_execute()?;
        }
        p.codes.clear();
        p.values.clear();
        Ok(())
    }

    /// The keys of unit codes, in their order; codes new to the ledger are interned, in
    /// their order (as one by one). Two statements for the run instead of two per code.
    fn unit_ids(&self, codes: &[String]) -> Result<Vec<i64>> {
        let n = codes.len();
        // OR IGNORE: a code already known keeps its key (and, as with OR FAIL above, the
        // statement needs no statement journal).
        let mut insert =
            self.tx.prepare_cached(&format!("INSERT OR IGNORE INTO unit (code) VALUES {}", vec!["(?)"; n].join(", ")))?;
        for (i, code) in codes.iter().enumerate() {
            insert.raw_bind_parameter(i + 1, code.as_str())?;
        }
        insert.raw_execute()?;
        let mut select =
            self.tx.prepare_cached(&format!("SELECT code, id FROM unit WHERE code IN ({})", vec!["?"; n].join(", ")))?;
        for (i, code) in codes.iter().enumerate() {
            select.raw_bind_parameter(i + 1, code.as_str())?;
        }
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_unstable_by(|&a, &b| codes[a].cmp(&codes[b]));
        let mut ids: Vec<Option<i64>> = vec![None; n];
        let mut rows = select.raw_query();
        while let Some(r) = rows.next()? {
            let code = r.get_ref(0)?.as_str()?;
            let id: i64 = r.get(1)?;
            let from = order.partition_point(|&i| codes[i].as_str() < code);
            for &i in order[from..].iter().take_while(|&&i| codes[i] == code) {
                ids[i] = Some(id);
            }
        }
        ids.into_iter().zip(codes).map(|(id, code)| id.with_context(|| format!("unit {code} was not interned"))).collect()
    }
}
