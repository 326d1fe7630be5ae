//! One data row of a return as a kind's parser reads it, and what is wrong with it.

use std::fmt;

use super::column_name::ColumnName;
use super::header::Header;
use super::{privacy, values};

/// One thing wrong with one row of a return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The physical line where the record starts (1-based; the header is usually line 1).
    pub line: u64,
    /// The column, as the file names it and where it is.
    pub column: Option<ColumnName>,
    /// What is wrong, in the output language.
    pub message: String,
}

impl RowError {
    /// `column NAME: what is wrong`, without the place: the rejects file's error column.
    pub fn describe(&self) -> String {
        match &self.column {
            Some(c) => crate::t!("returns-column-problem", column = c.describe(), problem = &self.message),
            None => self.message.clone(),
        }
    }

    /// Renders the error as `FILE:LINE: column NAME: what is wrong` (the start,
    /// `FILE:LINE:`, in every language).
    pub fn display<'a>(&'a self, file: &'a str) -> impl fmt::Display + 'a {
        struct D<'a>(&'a RowError, &'a str);
        impl fmt::Display for D<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}:{}: {}", self.1, self.0.line, self.0.describe())
            }
        }
        D(self, file)
    }
}

/// The longest error message kept for one cell.
const MAX_MESSAGE_CHARS: usize = 400;

/// One data row of a return.
pub struct Row<'a> {
    pub line: u64,
    pub(super) record: &'a csv::StringRecord,
    pub(super) header: &'a Header,
    pub(super) errors: Vec<RowError>,
}

impl<'a> Row<'a> {
    /// The trimmed cell, or `None` when the column is absent or the cell blank.
    pub fn get(&self, col: usize) -> Option<&'a str> {
        let i = self.header.positions[col]?;
        let v = values::trim(self.record.get(i).unwrap_or(""));
        (!v.is_empty()).then_some(v)
    }

    /// Records an error against a column of this row. A message quoting a huge cell is
    /// cut short so one bad cell cannot flood the terminal.
    pub fn error(&mut self, col: usize, message: impl Into<String>) {
        let mut message = privacy::mask_ids(&message.into()).into_owned();
        if message.chars().count() > MAX_MESSAGE_CHARS {
            message = message.chars().take(MAX_MESSAGE_CHARS).collect::<String>() + "…";
        }
        self.errors.push(RowError { line: self.line, column: Some(self.header.column(col)), message });
    }

    /// SPEC §13: one error for each cell of the row, in any column, known or not, that
    /// holds a mainland ID-card number — named masked, never in full.
    pub fn id_numbers(&self) -> Vec<RowError> {
        let mut errors = Vec::new();
        // One pass over each cell's bytes: almost every cell has no run of 15 digits at all.
        // Cell by cell, not over the row's bytes run together: an id that ends in digits
        // followed by a host code (A000000001, 110109001001) made such a run on every row of
        // a national file, and sent every row to the search (issue 23).
        for (i, cell) in self.record.iter().enumerate().filter(|(_, c)| privacy::may_hold_id(c.as_bytes())) {
            for masked in privacy::masked_ids(cell) {
                errors.push(RowError {
                    line: self.line,
                    column: Some(self.header.column_at(i)),
                    message: crate::t!("returns-id-number", masked = masked),
                });
            }
        }
        errors
    }

    /// A required cell: records "missing" and returns `None` when blank.
    pub fn required(&mut self, col: usize) -> Option<&'a str> {
        let v = self.get(col);
        if v.is_none() {
            self.error(col, crate::t!("returns-required-empty"));
        }
        v
    }

    /// Parses an optional cell with `parse`; records the error and returns `None` on failure.
    pub fn parse_opt<T>(&mut self, col: usize, parse: impl FnOnce(&str) -> std::result::Result<T, String>) -> Option<T> {
        let v = self.get(col)?;
        match parse(v) {
            Ok(t) => Some(t),
            Err(e) => {
                self.error(col, e);
                None
            }
        }
    }

    /// Parses a required cell with `parse`.
    pub fn parse_req<T>(&mut self, col: usize, parse: impl FnOnce(&str) -> std::result::Result<T, String>) -> Option<T> {
        self.required(col)?;
        self.parse_opt(col, parse)
    }

    /// The errors found in this row so far.
    pub fn into_errors(self) -> Vec<RowError> {
        self.errors
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}
