//! A return's rows read on one thread and checked on another (issue 23): the records come
//! out owned, and a [`RowShape`], a copy of what a row is read against, makes each one a
//! [`Row`] on the checking thread, as [`ReturnFile::next_row`] does on one.

use super::header::shape_errors;
use super::{is_total, Header, ReturnFile, Row, RowError, SourceFormat};

/// What a row of a return is read against: its header and its format.
#[derive(Debug, Clone)]
pub struct RowShape {
    pub header: Header,
    format: SourceFormat,
}

impl RowShape {
    /// The row of `record`, read from `line`, with what is wrong with its shape (too many
    /// cells, one too long).
    pub fn row<'a>(&'a self, line: u64, record: &'a csv::StringRecord) -> Row<'a> {
        let errors = shape_errors(&self.header, &self.format, line, record);
        Row { line, record, header: &self.header, errors }
    }
}

impl ReturnFile {
    /// What its rows are read against, for [`RowShape::row`].
    pub fn shape(&self) -> RowShape {
        RowShape { header: self.header.clone(), format: self.format.clone() }
    }

    /// The next data row's line and record, owned, skipping blank and total rows as
    /// [`next_row`](Self::next_row) does; read into `spare`'s buffers when given one. A row
    /// that cannot be read at all comes back as a row error.
    pub fn next_record(&mut self, spare: Option<csv::StringRecord>) -> Option<Result<(u64, csv::StringRecord), RowError>> {
        if let Some(spare) = spare {
            self.spare = spare;
        }
        loop {
            match self.read_raw()? {
                Err(e) => return Some(Err(e)),
                Ok((line, rec)) if is_total(&rec) => {
                    self.totals_skipped.push(line);
                    self.spare = rec;
                }
                Ok(read) => return Some(Ok(read)),
            }
        }
    }
}
