//! Reading returns: decoding, the header row and its aliases, cell values, and the row
//! errors a clerk sees (`FILE:LINE: column NAME: what is wrong`).
//!
//! Every CSV reader of gongyu is built here, in [`ReturnFile::open`].

mod column_name;
pub(crate) mod columns;
pub(crate) mod decode;
mod header;
mod header_hint;
pub mod kinds;
mod lines;
mod ods;
mod os_error;
pub(crate) mod privacy;
pub(crate) mod rejects;
mod rejects_book;
mod row;
pub(crate) mod values;
pub(crate) mod workbook;
mod xls;

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{bail, Context, Result};

pub use column_name::ColumnName;
pub use columns::Column;
pub use decode::{Sniffed, TextEncoding};
use header::{shape_errors, too_long_cell, HeaderError};
pub use header::{Header, MAX_CELL_CHARS, MAX_RECORD_BYTES};
pub use kinds::{KindSpec, Period, Record, RosterPeriod, RowContext};
use lines::{LineCounter, Newlines, RecordTooLong};
pub use row::{Row, RowError};

/// A kind of return: a handle on its spec ([`kinds`]), where everything about it lives.
/// Two handles are the same kind when they hold the same spec.
#[derive(Clone, Copy)]
pub struct ReturnKind(&'static KindSpec);

impl PartialEq for ReturnKind {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for ReturnKind {}

impl std::hash::Hash for ReturnKind {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state)
    }
}

impl fmt::Debug for ReturnKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

#[allow(non_upper_case_globals)]
impl ReturnKind {
    pub const Schools: ReturnKind = ReturnKind(&kinds::schools::SPEC);
    pub const Communities: ReturnKind = ReturnKind(&kinds::communities::SPEC);
    pub const Bodies: ReturnKind = ReturnKind(&kinds::bodies::SPEC);
    pub const KeyStudents: ReturnKind = ReturnKind(&kinds::key_students::SPEC);
    pub const Activities: ReturnKind = ReturnKind(&kinds::activities::SPEC);
    pub const Registry: ReturnKind = ReturnKind(&kinds::registry::SPEC);

    /// Every kind, in the order the CLI lists them: one per spec of [`kinds::ALL`].
    pub const ALL: [ReturnKind; kinds::ALL.len()] = {
        let mut all = [ReturnKind::Schools; kinds::ALL.len()];
        let mut i = 0;
        while i < all.len() {
            all[i] = ReturnKind(kinds::ALL[i]);
            i += 1;
        }
        all
    };

    /// A handle on a spec of no kind of [`kinds::ALL`] (the unit tests' own).
    #[cfg(test)]
    pub(crate) const fn of(spec: &'static KindSpec) -> ReturnKind {
        ReturnKind(spec)
    }

    /// Everything gongyu knows about the kind.
    pub fn spec(self) -> &'static KindSpec {
        self.0
    }

    /// The kind's name on the command line and in the ledger, e.g. `key-students`.
    pub fn as_str(self) -> &'static str {
        self.spec().name
    }

    pub fn parse(s: &str) -> Option<ReturnKind> {
        ReturnKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn columns(self) -> &'static [Column] {
        self.spec().columns.as_slice()
    }

    /// Whether this kind is a roster (of a term or a school year).
    pub fn is_roster(self) -> bool {
        self.spec().is_roster()
    }
}

/// How many non-blank rows at the top of a return are searched for the header row, so a
/// title row above it (门头沟区…统计表) or a header spread over two rows is found.
pub const HEADER_SEARCH_ROWS: usize = 20;

/// Where a return's rows come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceFormat {
    /// Delimited text in some encoding.
    Text { encoding: TextEncoding, delimiter: u8 },
    /// One sheet of a spreadsheet workbook.
    Workbook { sheet: String },
}

impl SourceFormat {
    /// A short description for summaries and the batch record. A workbook's names its
    /// sheet: two sheets of one workbook are two returns with the same bytes.
    pub fn label(&self) -> String {
        match self {
            SourceFormat::Text { encoding, .. } => encoding.label().to_string(),
            SourceFormat::Workbook { sheet } => format!("workbook, sheet {sheet}"),
        }
    }

    /// The same in the output language, for messages (the label above is kept in the
    /// ledger and stays as it is).
    pub fn describe(&self) -> String {
        match self {
            SourceFormat::Text { encoding, .. } => encoding.describe(),
            SourceFormat::Workbook { sheet } => crate::t!("returns-format-sheet", sheet = sheet),
        }
    }
}

enum Digest {
    Known(String),
    Pending(decode::Sha256Job),
}

enum Records {
    /// The reader, its line map, the bytes of the file read so far (for progress), and
    /// where the record being read starts.
    Csv(
        Box<csv::Reader<Box<dyn Read + Send>>>,
        Arc<Mutex<Newlines>>,
        Arc<std::sync::atomic::AtomicU64>,
        Arc<std::sync::atomic::AtomicU64>,
    ),
    Sheet(std::vec::IntoIter<(u64, csv::StringRecord)>),
}

/// An open return: decoded, header found and mapped, ready to stream rows.
pub struct ReturnFile {
    pub path: PathBuf,
    /// The file as named on the command line (with `[sheet]` for a workbook), for messages.
    pub display: String,
    pub kind: ReturnKind,
    /// The SHA-256 of the file's bytes: known, or being computed.
    digest: Digest,
    pub format: SourceFormat,
    pub header: Header,
    /// The header row(s) as the file has them, for writing rejected rows back.
    pub raw_header: csv::StringRecord,
    /// The lines (a workbook's rows) the header takes: the first and the last.
    pub header_lines: (u64, u64),
    /// One warning per unknown column.
    pub warnings: Vec<String>,
    /// About how large the return is, for progress: bytes of a text file, rows of a sheet.
    pub size_hint: u64,
    /// Lines of total rows (合计, 总计, 小计) and footers (填表人：…) that were skipped.
    pub totals_skipped: Vec<u64>,
    records: Records,
    /// Set when the reader cannot go on (an over-long row, a read error).
    done: bool,
    /// A row error met while the header was searched for, given out after the rows before it.
    deferred: Option<RowError>,
    /// Where an over-long record starts (decoded byte, line), to name its cell once the
    /// header is known.
    oversized_at: Option<(u64, u64)>,
    pending: std::collections::VecDeque<(u64, csv::StringRecord)>,
    record: csv::StringRecord,
    spare: csv::StringRecord,
}

impl ReturnFile {
    /// Opens a return — CSV/text, or a workbook by its extension (.xlsx, .xlsm, .xlsb,
    /// .xls, .ods) — and finds its header row. Errors name the file and line.
    pub fn open(path: &Path, kind: ReturnKind, sheet: Option<&str>) -> Result<ReturnFile> {
        if workbook::is_workbook(path) {
            let book = workbook::read(path, sheet)?;
            let display = format!("{}[{}]", path.display(), book.sheet);
            let records = Records::Sheet(book.rows.into_iter());
            let digest = Digest::Pending(decode::Sha256Job::start(path));
            return ReturnFile::start(path, display, kind, digest, SourceFormat::Workbook { sheet: book.sheet }, records);
        }
        if sheet.is_some() {
            bail!("{}", crate::t!("returns-sheet-not-workbook", file = path.display().to_string()));
        }
        let display = path.display().to_string();
        let sniffed = decode::sniff(path)?;
        let read = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let mut text = BufReader::with_capacity(1 << 16, decode::open_utf8(path, &sniffed, read.clone())?);
        let delimiter = sniff_delimiter(text.fill_buf().map_err(|e| os_error::cannot_read(path, &e))?);
        let newlines = Arc::new(Mutex::new(Newlines::default()));
        let record_start = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counted = LineCounter { inner: text, offset: 0, newlines: newlines.clone(), record_start: record_start.clone() };
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(Box::new(counted) as Box<dyn Read + Send>);
        let format = SourceFormat::Text { encoding: sniffed.encoding, delimiter };
        let digest = Digest::Pending(decode::Sha256Job::start(path));
        ReturnFile::start(path, display, kind, digest, format, Records::Csv(Box::new(reader), newlines, read, record_start))
    }

    fn start(
        path: &Path,
        display: String,
        kind: ReturnKind,
        digest: Digest,
        format: SourceFormat,
        records: Records,
    ) -> Result<ReturnFile> {
        let mut file = ReturnFile {
            path: path.to_path_buf(),
            display,
            kind,
            digest,
            format,
            header: Header::default(),
            raw_header: csv::StringRecord::new(),
            header_lines: (1, 1),
            warnings: Vec::new(),
            totals_skipped: Vec::new(),
            size_hint: match &records {
                Records::Sheet(rows) => rows.len() as u64,
                Records::Csv(..) => std::fs::metadata(path).map_or(0, |m| m.len()),
            },
            records,
            done: false,
            deferred: None,
            oversized_at: None,
            pending: Default::default(),
            record: csv::StringRecord::new(),
            spare: csv::StringRecord::new(),
        };
        file.find_header()?;
        Ok(file)
    }

    /// The header is the first row — or pair of rows, for a header spread over two — that
    /// names every required column; rows above it (titles) are skipped.
    fn find_header(&mut self) -> Result<()> {
        let display = self.display.clone();
        let cols = self.kind.columns();
        let mut top: Vec<(u64, csv::StringRecord)> = Vec::new();
        while top.len() < HEADER_SEARCH_ROWS {
            match self.read_raw() {
                None => break,
                Some(Ok((line, rec))) => top.push((line, rec)),
                Some(Err(e)) if top.is_empty() => bail!("{}", e.display(&display)),
                // A bad row below the header: reported in its turn, with the header's names.
                Some(Err(e)) => {
                    self.deferred = Some(e);
                    break;
                }
            }
        }
        if top.is_empty() {
            bail!("{}", crate::t!("returns-file-empty", file = &display));
        }
        let mut best: Option<(usize, u64, Vec<HeaderError>, csv::StringRecord)> = None;
        for i in 0..top.len() {
            let mut candidates = vec![(top[i].1.clone(), 1)];
            // A pair of rows, unless the lower one is a header on its own (then the upper
            // is a title, and the lower is found on the next turn). When the lower row holds
            // nothing but column names (是否建立家长学校 under a merged 家长学校), it is the
            // header's second row: the pair comes first.
            if let Some((_, below)) = top.get(i + 1).filter(|(_, b)| Header::map(b, cols).is_err()) {
                let merged = (merge_header_rows(&top[i].1, below), 2);
                if only_column_names(below, cols) {
                    candidates.insert(0, merged);
                } else {
                    candidates.push(merged);
                }
            }
            for (rec, used) in candidates {
                match Header::map(&rec, cols) {
                    Ok((header, warnings)) => {
                        self.header = header;
                        self.warnings = warnings;
                        self.raw_header = rec;
                        self.header_lines = (top[i].0, top[i + used - 1].0);
                        if i > 0 {
                            self.warnings.push(crate::t!("returns-header-below-title", line = top[i].0, count = i));
                        }
                        for rest in top.drain(i + used..).rev() {
                            self.pending.push_front(rest);
                        }
                        if let Some((start, line)) = self.oversized_at.filter(|_| self.deferred.is_some()) {
                            self.deferred = Some(self.oversized_record(start, line));
                        }
                        return Ok(());
                    }
                    Err(errors) => {
                        let named = rec.iter().filter(|c| cols.iter().any(|col| col.matches(values::trim(c)))).count();
                        if best.as_ref().is_none_or(|b| named > b.0) {
                            best = Some((named, top[i].0, errors, rec));
                        }
                    }
                }
            }
        }
        let (_, line, errors, rec) = best.expect("at least one row was tried");
        let list: Vec<String> = errors
            .iter()
            .map(|e| match e.missing {
                true => format!("{display}:{line}: {}{}", e.message, header_hint::header_as_read(&rec, &self.format)),
                false => format!("{display}:{line}: {}", e.message),
            })
            .collect();
        bail!("{}", list.join("\n"))
    }

    /// The next non-blank record and the line (or sheet row) where it starts.
    fn read_raw(&mut self) -> Option<std::result::Result<(u64, csv::StringRecord), RowError>> {
        if let Some(r) = self.pending.pop_front() {
            return Some(Ok(r));
        }
        if let Some(e) = self.deferred.take() {
            return Some(Err(e));
        }
        if self.done {
            return None;
        }
        let (reader, newlines, record_start) = match &mut self.records {
            Records::Sheet(rows) => return rows.next().map(Ok),
            Records::Csv(reader, newlines, _, record_start) => (reader, newlines, record_start),
        };
        let line_at = |byte: u64| newlines.lock().unwrap_or_else(|e| e.into_inner()).line_at(byte);
        loop {
            // Reuse the last row's buffers: no allocation per row.
            let mut rec = std::mem::take(&mut self.spare);
            let read = reader.read_record(&mut rec);
            let start = record_start.swap(reader.position().byte(), std::sync::atomic::Ordering::Relaxed);
            match read {
                Ok(false) => return None,
                Ok(true) if is_blank(&rec) => continue,
                Ok(true) => return Some(Ok((line_at(rec.position().map_or(0, |p| p.byte())), rec))),
                Err(e) => {
                    // After a read error the reader cannot find the next row: stop here.
                    self.done = matches!(e.kind(), csv::ErrorKind::Io(_));
                    let too_long =
                        matches!(e.kind(), csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|i| i.is::<RecordTooLong>()));
                    if too_long {
                        let line = line_at(start);
                        self.oversized_at = Some((start, line));
                        return Some(Err(self.oversized_record(start, line)));
                    }
                    return Some(Err(RowError {
                        line: line_at(e.position().map_or(0, |p| p.byte())),
                        column: None,
                        message: crate::t!("returns-row-unreadable", error = e.to_string()),
                    }));
                }
            }
        }
    }

    /// The error for a record longer than [`MAX_RECORD_BYTES`] that starts at `start` (of
    /// the decoded text) on `line`: names the first cell over [`MAX_CELL_CHARS`], found by
    /// reading the record again without keeping it.
    fn oversized_record(&self, start: u64, line: u64) -> RowError {
        if let SourceFormat::Text { encoding, delimiter } = self.format {
            if let Ok(Some((index, chars))) = long_cell(&self.path, encoding, delimiter, start) {
                return RowError {
                    line,
                    column: Some(self.header.column_at(index)),
                    message: too_long_cell(&self.format, chars),
                };
            }
        }
        RowError { line, column: None, message: crate::t!("returns-row-too-long", mb = MAX_RECORD_BYTES >> 20) }
    }

    /// The next data row, skipping blank rows (Excel's empty trailing rows) and total rows
    /// (合计, 总计, 小计). A row that cannot be read at all comes back as a row error.
    pub fn next_row(&mut self) -> Option<std::result::Result<Row<'_>, RowError>> {
        loop {
            match self.read_raw()? {
                Err(e) => return Some(Err(e)),
                Ok((line, rec)) if is_total(&rec) => {
                    self.totals_skipped.push(line);
                    self.spare = rec;
                    continue;
                }
                Ok((line, rec)) => {
                    self.spare = std::mem::replace(&mut self.record, rec);
                    let errors = shape_errors(&self.header, &self.format, line, &self.record);
                    return Some(Ok(Row { line, record: &self.record, header: &self.header, errors }));
                }
            }
        }
    }

    /// How far the reader is, in the unit of [`size_hint`](Self::size_hint).
    pub fn position(&self) -> u64 {
        match &self.records {
            Records::Csv(_, _, read, _) => read.load(std::sync::atomic::Ordering::Relaxed),
            Records::Sheet(rows) => self.size_hint.saturating_sub(rows.len() as u64),
        }
    }

    /// The SHA-256 of the file's bytes, lower-case hex (waits for it if need be).
    pub fn sha256(&mut self) -> Result<String> {
        if let Digest::Pending(_) = self.digest {
            let Digest::Pending(job) = std::mem::replace(&mut self.digest, Digest::Known(String::new())) else { unreachable!() };
            self.digest = Digest::Known(job.finish().with_context(|| self.display.clone())?);
        }
        match &self.digest {
            Digest::Known(h) => Ok(h.clone()),
            Digest::Pending(_) => unreachable!("resolved above"),
        }
    }

    /// The cells of the row last returned by [`next_row`](Self::next_row), unchanged.
    pub fn current_record(&self) -> &csv::StringRecord {
        &self.record
    }
}

/// Reads the record at `start` (a byte of the decoded text) cell by cell without keeping
/// it: the first cell over [`MAX_CELL_CHARS`] characters, as (0-based index, characters
/// counted). Gives up after twice [`MAX_RECORD_BYTES`].
fn long_cell(path: &Path, encoding: TextEncoding, delimiter: u8, start: u64) -> Result<Option<(usize, usize)>> {
    let sniffed = Sniffed { encoding, bytes: 0 };
    let mut text = BufReader::new(decode::open_utf8(path, &sniffed, Default::default())?);
    std::io::copy(&mut (&mut text).take(start), &mut std::io::sink())?;
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut out = vec![0u8; 1 << 16];
    let (mut index, mut chars, mut scanned) = (0usize, 0usize, 0u64);
    loop {
        let input = text.fill_buf()?;
        let (result, read, written) = reader.read_field(input, &mut out);
        let at_end = input.is_empty();
        text.consume(read);
        scanned += read as u64;
        chars += out[..written].iter().filter(|b| (**b & 0xC0) != 0x80).count();
        if chars > MAX_CELL_CHARS {
            return Ok(Some((index, chars)));
        }
        match result {
            csv_core::ReadFieldResult::Field { record_end } => {
                if record_end {
                    return Ok(None);
                }
                index += 1;
                chars = 0;
            }
            csv_core::ReadFieldResult::End => return Ok(None),
            csv_core::ReadFieldResult::InputEmpty | csv_core::ReadFieldResult::OutputFull => {
                if at_end && read == 0 && written == 0 && result == csv_core::ReadFieldResult::InputEmpty {
                    return Ok(None);
                }
            }
        }
        if scanned > 2 * MAX_RECORD_BYTES {
            return Ok(None);
        }
    }
}

/// Whether every filled cell of a row names a column (and at least one is filled).
fn only_column_names(record: &csv::StringRecord, cols: &[Column]) -> bool {
    let mut filled = record.iter().map(values::trim).filter(|c| !c.is_empty()).peekable();
    filled.peek().is_some() && filled.all(|c| cols.iter().any(|col| col.matches(c)))
}

/// Combines a header spread over two rows (merged cells above, names below): each column
/// takes the lower row's name, or the upper's where the lower is blank.
fn merge_header_rows(upper: &csv::StringRecord, lower: &csv::StringRecord) -> csv::StringRecord {
    let n = upper.len().max(lower.len());
    (0..n)
        .map(|i| {
            let low = values::trim(lower.get(i).unwrap_or(""));
            if low.is_empty() {
                upper.get(i).unwrap_or("").to_string()
            } else {
                low.to_string()
            }
        })
        .collect()
}

/// Whether a row is a total or a form's footer, not a unit: one of its first three filled
/// cells says 合计, 总计 or 小计, or its first cell is a sign-off such as 填表人：… or 联系电话：….
fn is_total(record: &csv::StringRecord) -> bool {
    // Cheap test first: this runs on every row.
    let maybe = record.iter().take(4).any(|c| c.contains(['计', ':', '：']) || c.trim().eq_ignore_ascii_case("total"));
    if !maybe {
        return false;
    }
    let squeeze = |c: &str| c.replace(|ch: char| ch.is_whitespace() || ch == '\u{3000}', "");
    let mut filled = record.iter().map(values::trim).filter(|c| !c.is_empty());
    let first = filled.next().map(squeeze).unwrap_or_default();
    const FOOTERS: [&str; 7] = ["填表人", "填报人", "制表人", "审核人", "负责人", "联系电话", "填报日期"];
    if FOOTERS.iter().any(|f| first.strip_prefix(f).is_some_and(|rest| rest.starts_with([':', '：']))) {
        return true;
    }
    std::iter::once(first).chain(filled.take(2).map(squeeze)).any(|c| matches!(c.as_str(), "合计" | "总计" | "小计" | "total"))
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
}

#[cfg(test)]
mod header_search_tests {
    use super::*;

    #[test]
    fn two_row_headers_merge_lower_over_upper() {
        let upper = csv::StringRecord::from(vec!["学校代码", "学校名称", "家长学校", "", "学校类型", "所属乡镇"]);
        let lower = csv::StringRecord::from(vec!["", "", "是否建立家长学校", "家长学校成立日期", "", ""]);
        let merged = merge_header_rows(&upper, &lower);
        assert_eq!(
            merged.iter().collect::<Vec<_>>(),
            vec!["学校代码", "学校名称", "是否建立家长学校", "家长学校成立日期", "学校类型", "所属乡镇"]
        );
        assert!(Header::map(&merged, &kinds::schools::COLUMNS).is_ok());
    }

    #[test]
    fn total_rows() {
        assert!(is_total(&csv::StringRecord::from(vec!["合计", "", "96"])));
        assert!(is_total(&csv::StringRecord::from(vec!["", "总　计", "96"])));
        assert!(!is_total(&csv::StringRecord::from(vec!["110109001001", "合计社区", "是"])));
        assert!(is_total(&csv::StringRecord::from(vec!["填表人：张三", "", "联系电话：6988xxxx"])));
        assert!(!is_total(&csv::StringRecord::from(vec!["填表人", "学校名称"])));
    }
}
