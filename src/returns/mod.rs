//! Reading returns: decoding, the header row and its aliases, cell values, and the row
//! errors a clerk sees (`FILE:LINE: column NAME: what is wrong`).
//!
//! Every CSV reader of gongyu is built here, in [`ReturnFile::open`].

pub mod columns;
pub mod decode;
pub mod rows;
pub mod values;

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

pub use columns::Column;
pub use decode::{Sniffed, TextEncoding};

/// The three kinds of return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReturnKind {
    Schools,
    Communities,
    Activities,
}

impl ReturnKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReturnKind::Schools => "schools",
            ReturnKind::Communities => "communities",
            ReturnKind::Activities => "activities",
        }
    }

    pub fn parse(s: &str) -> Option<ReturnKind> {
        match s {
            "schools" => Some(ReturnKind::Schools),
            "communities" => Some(ReturnKind::Communities),
            "activities" => Some(ReturnKind::Activities),
            _ => None,
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            ReturnKind::Schools => columns::SCHOOLS,
            ReturnKind::Communities => columns::COMMUNITIES,
            ReturnKind::Activities => columns::ACTIVITIES,
        }
    }

    /// Whether this kind is a roster of units for one term.
    pub fn is_roster(self) -> bool {
        self != ReturnKind::Activities
    }
}

/// One thing wrong with one row of a return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The physical line where the record starts (1-based; the header is usually line 1).
    pub line: u64,
    /// The column as the file names it, e.g. `学校类型 (type)`.
    pub column: Option<String>,
    pub message: String,
}

impl RowError {
    /// Renders the error as `FILE:LINE: column NAME: what is wrong`.
    pub fn display<'a>(&'a self, file: &'a str) -> impl fmt::Display + 'a {
        struct D<'a>(&'a RowError, &'a str);
        impl fmt::Display for D<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match &self.0.column {
                    Some(c) => write!(f, "{}:{}: column {}: {}", self.1, self.0.line, c, self.0.message),
                    None => write!(f, "{}:{}: {}", self.1, self.0.line, self.0.message),
                }
            }
        }
        D(self, file)
    }
}

/// Where each column of the kind sits in the file, and what the file calls it.
#[derive(Debug, Clone)]
pub struct Header {
    positions: Vec<Option<usize>>,
    labels: Vec<String>,
}

impl Header {
    /// Maps a header row onto the kind's columns. Returns the header, the warnings for
    /// unknown columns, or the file-level errors (missing or repeated columns).
    fn map(cells: &csv::StringRecord, cols: &'static [Column]) -> std::result::Result<(Header, Vec<String>), Vec<String>> {
        let mut positions = vec![None; cols.len()];
        let mut labels: Vec<String> = cols.iter().map(|c| c.name.to_string()).collect();
        let mut warnings = Vec::new();
        let mut errors = Vec::new();
        for (i, raw) in cells.iter().enumerate() {
            let name = values::trim(raw);
            if name.is_empty() {
                continue;
            }
            match cols.iter().position(|c| c.matches(name)) {
                Some(k) => {
                    if let Some(first) = positions[k] {
                        errors.push(format!("columns {} and {} both give {}; keep one", first + 1, i + 1, cols[k].name));
                    } else {
                        positions[k] = Some(i);
                        labels[k] = if name == cols[k].name { name.to_string() } else { format!("{name} ({})", cols[k].name) };
                    }
                }
                None => warnings.push(format!("column \"{name}\" is not a column of this return; it is ignored")),
            }
        }
        for (k, c) in cols.iter().enumerate() {
            if c.required && positions[k].is_none() {
                errors.push(format!(
                    "required column {} is missing; the header may name it as any of: {}",
                    c.name,
                    c.spellings()
                ));
            }
        }
        if errors.is_empty() {
            Ok((Header { positions, labels }, warnings))
        } else {
            Err(errors)
        }
    }

    /// Whether the file has the column at all.
    pub fn has(&self, col: usize) -> bool {
        self.positions[col].is_some()
    }

    /// The column's name as the file spells it.
    pub fn label(&self, col: usize) -> &str {
        &self.labels[col]
    }
}

/// One data row of a return.
pub struct Row<'a> {
    pub line: u64,
    record: &'a csv::StringRecord,
    header: &'a Header,
    errors: Vec<RowError>,
}

impl<'a> Row<'a> {
    /// The trimmed cell, or `None` when the column is absent or the cell blank.
    pub fn get(&self, col: usize) -> Option<&'a str> {
        let i = self.header.positions[col]?;
        let v = values::trim(self.record.get(i).unwrap_or(""));
        (!v.is_empty()).then_some(v)
    }

    /// Records an error against a column of this row.
    pub fn error(&mut self, col: usize, message: impl Into<String>) {
        self.errors.push(RowError { line: self.line, column: Some(self.header.labels[col].clone()), message: message.into() });
    }

    /// A required cell: records "missing" and returns `None` when blank.
    pub fn required(&mut self, col: usize) -> Option<&'a str> {
        let v = self.get(col);
        if v.is_none() {
            self.error(col, "a value is required here, but the cell is empty");
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

/// An open return: decoded, header mapped, ready to stream rows.
pub struct ReturnFile {
    pub path: PathBuf,
    /// The file as named on the command line, for messages.
    pub display: String,
    pub kind: ReturnKind,
    pub sniffed: Sniffed,
    pub header: Header,
    pub delimiter: u8,
    /// One warning per unknown column.
    pub warnings: Vec<String>,
    reader: csv::Reader<Box<dyn Read>>,
    record: csv::StringRecord,
}

impl ReturnFile {
    /// Opens, decodes and reads the header row of a return. Errors name the file and line.
    pub fn open(path: &Path, kind: ReturnKind) -> Result<ReturnFile> {
        let display = path.display().to_string();
        let sniffed = decode::sniff(path)?;
        let mut text = BufReader::with_capacity(1 << 16, decode::open_utf8(path, &sniffed)?);
        let delimiter = sniff_delimiter(text.fill_buf()?);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(Box::new(text) as Box<dyn Read>);
        let mut record = csv::StringRecord::new();
        // The header is the first row that is not blank.
        let header_line = loop {
            match reader.read_record(&mut record) {
                Ok(false) => bail!("{display}: the file is empty; a return needs a header row naming its columns"),
                Ok(true) if is_blank(&record) => continue,
                Ok(true) => break record.position().map_or(1, |p| p.line()),
                Err(e) => bail!("{display}: cannot read the header row: {e}"),
            }
        };
        let (header, warnings) = match Header::map(&record, kind.columns()) {
            Ok(h) => h,
            Err(errors) => {
                let list: Vec<String> = errors.iter().map(|e| format!("{display}:{header_line}: {e}")).collect();
                bail!("{}", list.join("\n"));
            }
        };
        Ok(ReturnFile { path: path.to_path_buf(), display, kind, sniffed, header, delimiter, warnings, reader, record })
    }

    /// The next data row, skipping blank rows (Excel's empty trailing rows).
    /// A row that cannot be read at all comes back as a row error.
    pub fn next_row(&mut self) -> Option<std::result::Result<Row<'_>, RowError>> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) if is_blank(&self.record) => continue,
                Ok(true) => {
                    let line = self.record.position().map_or(0, |p| p.line());
                    return Some(Ok(Row { line, record: &self.record, header: &self.header, errors: Vec::new() }));
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    return Some(Err(RowError { line, column: None, message: format!("this row cannot be read as CSV: {e}") }));
                }
            }
        }
    }
}

fn is_blank(record: &csv::StringRecord) -> bool {
    record.iter().all(|c| values::trim(c).is_empty())
}

/// Picks the delimiter (comma, tab or semicolon) that the header line uses most.
fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|b| *b == b'\n').find(|l| l.iter().any(|b| !b.is_ascii_whitespace() && *b != b',')).unwrap_or(head);
    let count = |d: u8| line.iter().filter(|b| **b == d).count();
    let (comma, tab, semi) = (count(b','), count(b'\t'), count(b';'));
    if tab > comma && tab >= semi {
        b'\t'
    } else if semi > comma && semi > tab {
        b';'
    } else {
        b','
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter(b"code,name,type\n"), b',');
        assert_eq!(sniff_delimiter(b"code\tname\ttype\r\n1\t2,3\t4"), b'\t');
        assert_eq!(sniff_delimiter(b"code;name;type\n"), b';');
        assert_eq!(sniff_delimiter(b",,,\ncode;name\n"), b';');
    }

    #[test]
    fn header_aliases_case_and_padding() {
        let rec =
            csv::StringRecord::from(vec!["\u{feff}学校代码", " NAME ", "　办学类型　", "所属乡镇", "是否建立家长学校", "备注"]);
        let (h, warnings) = Header::map(&rec, columns::SCHOOLS).unwrap();
        assert!(h.has(columns::S_CODE) && h.has(columns::S_TYPE) && !h.has(columns::S_TERM));
        assert_eq!(h.label(columns::S_TYPE), "办学类型 (type)");
        assert_eq!(h.label(columns::S_NAME), "NAME (name)");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("备注"));
    }

    #[test]
    fn missing_and_repeated_columns() {
        let rec = csv::StringRecord::from(vec!["code", "学校代码", "name"]);
        let errors = Header::map(&rec, columns::SCHOOLS).unwrap_err();
        assert!(errors.iter().any(|e| e.contains("both give code")));
        assert!(errors.iter().any(|e| e.contains("type is missing") && e.contains("学校类型, 办学类型")));
        assert!(errors.iter().any(|e| e.contains("parent_school is missing")));
    }
}
