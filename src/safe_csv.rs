//! CSV cells made safe for Excel: a leaf module, below both the report writers and the
//! rejected-rows writer of `returns`, so neither depends on the other.

mod record;

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

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

/// A CSV writer whose cells are made safe for Excel; with `excel`, the output starts with
/// a UTF-8 BOM so Excel on Chinese Windows shows the Chinese correctly.
pub(crate) struct SafeCsv<W: Write> {
    inner: csv::Writer<W>,
    /// The header's names, while the first record's keys are still to be checked.
    header: Option<&'static [&'static str]>,
    record: csv::ByteRecord,
    cell: Vec<u8>,
}

impl<W: Write> SafeCsv<W> {
    pub(crate) fn new(mut out: W, excel: bool) -> Result<SafeCsv<W>> {
        if excel {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        let inner = csv::WriterBuilder::new().buffer_capacity(1 << 16).from_writer(out);
        Ok(SafeCsv { inner, header: None, record: csv::ByteRecord::new(), cell: Vec::new() })
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
        let cells: Vec<String> = cells.into_iter().map(|c| csv_safe(c.as_ref()).into_owned()).collect();
        self.inner.write_record(&cells)?;
        Ok(())
    }

    /// One row from a struct of cells through serde: a string, a number, `None`
    /// (an empty cell) or a unit variant (its serde name) each. Made safe as [`SafeCsv::row`]'s.
    pub(crate) fn record(&mut self, row: &impl Serialize) -> Result<()> {
        self.record.clear();
        let mut fields = record::Fields { record: &mut self.record, cell: &mut self.cell, header: self.header };
        row.serialize(record::Record(&mut fields))?;
        if let Some(header) = self.header.take() {
            anyhow::ensure!(self.record.len() == header.len(), "a record of {} cells under {header:?}", self.record.len());
        }
        self.inner.write_byte_record(&self.record)?;
        Ok(())
    }

    pub(crate) fn finish(mut self) -> Result<()> {
        self.inner.flush()?;
        Ok(())
    }
}
