//! CSV cells made safe for Excel: a leaf module, below both the report writers and the
//! rejected-rows writer of `returns`, so neither depends on the other.

use std::io::Write;

use anyhow::Result;

/// Neutralises a cell Excel would run as a formula (`=`, `+`, `-`, `@`, tab, CR at the
/// start) by prefixing a `'`, as OWASP advises for CSV files people open in Excel.
pub(crate) fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// A CSV writer whose cells are made safe for Excel; with `excel`, the output starts with
/// a UTF-8 BOM so Excel on Chinese Windows shows the Chinese correctly.
pub(crate) struct SafeCsv<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> SafeCsv<W> {
    pub(crate) fn new(mut out: W, excel: bool) -> Result<SafeCsv<W>> {
        if excel {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        Ok(SafeCsv { inner: csv::Writer::from_writer(out) })
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

    pub(crate) fn finish(mut self) -> Result<()> {
        self.inner.flush()?;
        Ok(())
    }
}
