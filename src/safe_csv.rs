//! CSV cells made safe for Excel: a leaf module, below both the report writers and the
//! rejected-rows writer of `returns`, so neither depends on the other.
//!
//! `SafeCsv` writes the bytes the `csv` crate's writer wrote for it (`,` between cells,
//! `\n` after a record, a cell quoted only if it holds `,` `"` CR or LF, its quotes
//! doubled; a record of no bytes written as `""`), straight into its own buffer: a
//! national report is millions of cells, and a cell is checked once and copied once. A
//! [`Same`](crate::memo::Same) cell (and a unit variant's name) is checked and made once,
//! with its `,`, and copied after (`memo.rs`).

mod record;

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::memo::Memo;

/// Whether Excel would run a cell starting so as a formula (`=`, `+`, `-`, `@`, tab, CR).
fn formula_start(cell: &[u8]) -> bool {
    matches!(cell.first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'))
}

/// Neutralises a cell Excel would run as a formula (`=`, `+`, `-`, `@`, tab, CR at the
/// start) by prefixing a `'`, as OWASP advises for CSV files people open in Excel.
pub(crate) fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if formula_start(cell.as_bytes()) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Whether a byte makes a cell quoted: `,`, `"`, CR or LF.
#[inline]
fn special(b: u8) -> bool {
    matches!(b, b',' | b'"' | b'\n' | b'\r')
}

/// The bytes that make a cell quoted (as [`special`] says), for [`crate::plain`].
const QUOTED: crate::plain::Bad = crate::plain::Bad { eq: [b',', b'"', b'\n', b'\r'], below: 0 };

/// Bytes gathered before they are handed to the writer (between records).
const CHUNK: usize = 1 << 16;

/// One cell after `,` (unless it is a record's first): made safe for Excel (a `'` before a
/// formula's start), then quoted if need be. A cell that is neither (nearly every one) is
/// checked and copied in one pass.
#[inline]
fn push_cell(buf: &mut Vec<u8>, text: &[u8], first: bool) {
    let start = buf.len();
    if !first {
        buf.push(b',');
    }
    if formula_start(text) || !crate::plain::copy_plain(buf, text, QUOTED) {
        buf.truncate(start);
        push_special(buf, text, first);
    }
}

/// [`push_cell`] for a cell made safe or quoted: `'` first for a formula's start; quotes
/// around it, its own doubled, if it holds `,`, `"`, CR or LF (as the `csv` crate quotes).
#[cold]
fn push_special(buf: &mut Vec<u8>, text: &[u8], first: bool) {
    if !first {
        buf.push(b',');
    }
    let quoted = text.iter().any(|&b| special(b));
    if quoted {
        buf.push(b'"');
    }
    if formula_start(text) {
        buf.push(b'\'');
    }
    for &b in text {
        if quoted && b == b'"' {
            buf.push(b'"');
        }
        buf.push(b);
    }
    if quoted {
        buf.push(b'"');
    }
}

/// A CSV writer whose cells are made safe for Excel; with `excel`, the output starts with
/// a UTF-8 BOM so Excel on Chinese Windows shows the Chinese correctly.
pub(crate) struct SafeCsv<W: Write> {
    out: W,
    buf: Vec<u8>,
    /// The header's names, while the first record's keys are still to be checked.
    header: Option<&'static [&'static str]>,
    /// The cells of the first record: every record has as many.
    width: Option<usize>,
    /// A cell written through `fmt` (a float, a joined list) before it is made safe.
    cell: Vec<u8>,
    /// Whether `finish` handed everything over (else dropping hands over what is left).
    finished: bool,
    /// The bytes of [`Same`](crate::memo::Same) cells, made once and copied after.
    memo: Memo,
}

impl<W: Write> SafeCsv<W> {
    pub(crate) fn new(out: W, excel: bool) -> Result<SafeCsv<W>> {
        let mut buf = Vec::with_capacity(CHUNK + (CHUNK >> 2));
        if excel {
            buf.extend_from_slice(b"\xEF\xBB\xBF");
        }
        Ok(SafeCsv { out, buf, header: None, width: None, cell: Vec::new(), finished: false, memo: Memo::default() })
    }

    /// A writer whose first row is `header`, the names of the columns: the keys of the
    /// structs given to [`SafeCsv::record`] must be these, in this order.
    pub(crate) fn with_header(out: W, excel: bool, header: &'static [&'static str]) -> Result<SafeCsv<W>> {
        let mut w = SafeCsv::new(out, excel)?;
        w.row(header)?;
        w.header = Some(header);
        Ok(w)
    }

    pub(crate) fn row<I, S>(&mut self, cells: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let start = self.buf.len();
        let mut n = 0;
        for c in cells {
            push_cell(&mut self.buf, c.as_ref().as_bytes(), n == 0);
            n += 1;
        }
        self.end_record(start, n)
    }

    /// One row from a struct of cells through serde: a string, a number, `None`
    /// (an empty cell) or a unit variant (its serde name) each. Made safe as [`SafeCsv::row`]'s.
    pub(crate) fn record(&mut self, row: &impl Serialize) -> Result<()> {
        let start = self.buf.len();
        let mut fields =
            record::Fields { buf: &mut self.buf, cells: 0, cell: &mut self.cell, header: self.header, memo: &mut self.memo };
        row.serialize(record::Record(&mut fields))?;
        let n = fields.cells;
        if let Some(header) = self.header.take() {
            anyhow::ensure!(n == header.len(), "a record of {n} cells under {header:?}");
        }
        self.end_record(start, n)
    }

    /// The record's end: `""` for a record of no bytes (as the `csv` crate writes one),
    /// the line end, and the bytes handed over once there are enough of them.
    fn end_record(&mut self, start: usize, cells: usize) -> Result<()> {
        match self.width {
            None => self.width = Some(cells),
            Some(w) => anyhow::ensure!(w == cells, "found record with {cells} fields, but the previous record has {w} fields"),
        }
        if self.buf.len() == start {
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
        if self.buf.len() >= CHUNK {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    pub(crate) fn finish(mut self) -> Result<()> {
        self.finished = true;
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()?;
        Ok(())
    }
}

/// What is left is handed over on the way out (an error's), as the `csv` crate's writer did.
impl<W: Write> Drop for SafeCsv<W> {
    fn drop(&mut self) {
        if !self.finished {
            let _ = self.out.write_all(&self.buf);
            let _ = self.out.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{csv_safe, SafeCsv};

    /// Rows of awkward cells (and a row of one empty cell, and of none) written as the
    /// `csv` crate writes them once made safe, which is what `SafeCsv` wrote through it.
    #[test]
    fn rows_are_what_the_csv_crate_writes() {
        let cells = ["", "plain", "a,b", "say \"hi\"", "\"", "line\nbreak", "cr\rlf", "=SUM(A1)", "-1", "+1", "@x", "\tt", "\rr"];
        let cells: Vec<String> = cells.iter().map(|c| c.to_string()).chain([cells.concat(), "门头沟区,家校社".into()]).collect();
        let rows: Vec<Vec<&str>> =
            (0..cells.len()).map(|i| (0..4).map(|j| cells[(i + j) % cells.len()].as_str()).collect()).collect();
        for excel in [false, true] {
            let mut ours = Vec::new();
            let mut w = SafeCsv::new(&mut ours, excel).unwrap();
            rows.iter().try_for_each(|r| w.row(r)).unwrap();
            w.finish().unwrap();
            let mut theirs = csv::Writer::from_writer(if excel { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() });
            rows.iter().try_for_each(|r| theirs.write_record(r.iter().map(|c| csv_safe(c).into_owned()))).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(theirs.into_inner().unwrap()).unwrap());
        }
        for row in [vec![""], vec![]] {
            let mut ours = Vec::new();
            let mut w = SafeCsv::new(&mut ours, false).unwrap();
            w.row(&row).unwrap();
            w.finish().unwrap();
            let mut theirs = csv::Writer::from_writer(Vec::new());
            theirs.write_record(&row).unwrap();
            assert_eq!(ours, theirs.into_inner().unwrap(), "{row:?}");
        }
    }

    #[test]
    fn a_row_of_another_width_is_refused() {
        let mut w = SafeCsv::new(Vec::new(), false).unwrap();
        w.row(["a", "b"]).unwrap();
        assert!(w.row(["a"]).is_err());
    }
}
