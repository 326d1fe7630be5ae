//! Reading returns: decoding, the header row and its aliases, cell values, and the row
//! errors a clerk sees (`FILE:LINE: column NAME: what is wrong`).
//!
//! Every CSV reader of gongyu is built here, in [`ReturnFile::open`].

mod column_name;
pub(crate) mod columns;
pub(crate) mod decode;
mod header_hint;
pub mod kinds;
mod ods;
mod os_error;
pub(crate) mod privacy;
pub(crate) mod rejects;
mod rejects_book;
pub(crate) mod values;
pub(crate) mod workbook;
mod xls;

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{bail, Context, Result};

use column_name::unnamed;
pub use column_name::ColumnName;
pub use columns::Column;
pub use decode::{Sniffed, TextEncoding};
pub use kinds::{KindSpec, Period, Record, RosterPeriod, RowContext};

/// The kinds of return. What each is lives in its spec ([`kinds`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReturnKind {
    Schools,
    Communities,
    Bodies,
    KeyStudents,
    Activities,
    Registry,
}

impl ReturnKind {
    pub const ALL: [ReturnKind; 6] = [
        ReturnKind::Schools,
        ReturnKind::Communities,
        ReturnKind::Bodies,
        ReturnKind::KeyStudents,
        ReturnKind::Activities,
        ReturnKind::Registry,
    ];

    /// Everything gongyu knows about the kind.
    pub fn spec(self) -> &'static KindSpec {
        match self {
            ReturnKind::Schools => &kinds::schools::SPEC,
            ReturnKind::Communities => &kinds::communities::SPEC,
            ReturnKind::Bodies => &kinds::bodies::SPEC,
            ReturnKind::KeyStudents => &kinds::key_students::SPEC,
            ReturnKind::Activities => &kinds::activities::SPEC,
            ReturnKind::Registry => &kinds::registry::SPEC,
        }
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

/// Where each column of the kind sits in the file, and what the file calls it.
#[derive(Debug, Clone, Default)]
pub struct Header {
    positions: Vec<Option<usize>>,
    labels: Vec<String>,
    /// What each position of the file is called in messages: a column's label and header,
    /// or the header cell of a column gongyu does not know (masked, like every message).
    by_position: Vec<ColumnName>,
    /// How many columns the header names: up to its last non-blank cell.
    width: usize,
}

impl Header {
    /// Maps a header row onto the kind's columns. Returns the header, the warnings for
    /// unknown columns, or the file-level errors (missing or repeated columns).
    fn map(cells: &csv::StringRecord, cols: &'static [Column]) -> std::result::Result<(Header, Vec<String>), Vec<HeaderError>> {
        let mut positions = vec![None; cols.len()];
        let mut labels: Vec<String> = cols.iter().map(|c| c.name.to_string()).collect();
        let mut warnings = Vec::new();
        let mut errors = Vec::new();
        let mut by_position: Vec<ColumnName> = cells
            .iter()
            .enumerate()
            .map(|(i, raw)| {
                let header = privacy::mask_ids(values::trim(raw)).into_owned();
                ColumnName { label: header.clone(), header, index: Some(i) }
            })
            .collect();
        for (i, raw) in cells.iter().enumerate() {
            let name = values::trim(raw);
            if name.is_empty() {
                by_position[i] = unnamed(i);
                continue;
            }
            match cols.iter().position(|c| c.matches(name)) {
                Some(k) => {
                    if let Some(first) = positions[k] {
                        let message =
                            crate::t!("returns-header-repeated", first = first + 1, second = i + 1, column = cols[k].name);
                        errors.push(HeaderError { message, missing: false });
                    } else {
                        positions[k] = Some(i);
                        labels[k] = if name == cols[k].name { name.to_string() } else { format!("{name} ({})", cols[k].name) };
                    }
                }
                // The error column `--rejects` adds is ignored quietly on the way back in.
                None if rejects::ERROR_COLUMN == name || name == "错误" => {}
                None => warnings.push(crate::t!("returns-header-unknown-column", column = privacy::mask_ids(name).as_ref())),
            }
        }
        let missing: Vec<&Column> =
            cols.iter().enumerate().filter(|(k, c)| c.required && positions[*k].is_none()).map(|(_, c)| c).collect();
        errors.extend(header_hint::missing(&missing).map(|message| HeaderError { message, missing: true }));
        for (k, p) in positions.iter().enumerate() {
            if let Some(p) = p {
                by_position[*p].label = labels[k].clone();
            }
        }
        if errors.is_empty() {
            let width = cells.iter().collect::<Vec<_>>().iter().rposition(|c| !values::trim(c).is_empty()).map_or(0, |i| i + 1);
            Ok((Header { positions, labels, by_position, width }, warnings))
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

    /// The kind's column `col` as messages name it.
    pub fn column(&self, col: usize) -> ColumnName {
        match self.positions[col] {
            Some(p) => ColumnName { label: self.labels[col].clone(), ..self.column_at(p) },
            None => ColumnName { label: self.labels[col].clone(), header: self.labels[col].clone(), index: None },
        }
    }

    /// What the file's column at `position` (0-based) is called in messages.
    pub fn column_at(&self, position: usize) -> ColumnName {
        self.by_position.get(position).cloned().unwrap_or_else(|| unnamed(position))
    }

    /// An error of `line` in the kind's column `col` (ID-card numbers in it masked).
    pub fn row_error(&self, line: u64, col: usize, message: String) -> RowError {
        RowError { line, column: Some(self.column(col)), message: privacy::mask_ids(&message).into_owned() }
    }
}

/// What is wrong with a header: a repeated column, or the required columns it lacks.
#[derive(Debug, Clone)]
struct HeaderError {
    message: String,
    /// Whether it names missing columns (then the header as read is shown too).
    missing: bool,
}

/// The most characters a cell may hold: Excel's limit. A longer cell is refused, and not
/// shown in the message.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The longest record the CSV reader reads before it gives up on the row: far more than
/// any real row (a few hundred bytes), so a quote that is never closed, or a file that is
/// one enormous line, is refused in bounded memory.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;

/// What is wrong with a row's shape, whatever the return: values right of the header's
/// last column (an unquoted comma shifts a row), or a cell longer than Excel allows.
impl Header {
    /// The file positions of the columns holding student refs (SPEC §13).
    pub fn ref_positions(&self, kind: ReturnKind) -> Vec<usize> {
        kind.columns()
            .iter()
            .zip(&self.positions)
            .filter(|(c, _)| privacy::REF_COLUMNS.contains(&c.name))
            .filter_map(|(_, p)| *p)
            .collect()
    }
}

fn shape_errors(header: &Header, format: &SourceFormat, line: u64, record: &csv::StringRecord) -> Vec<RowError> {
    let mut errors = Vec::new();
    // Cheap test first: this runs on every row.
    if record.len() <= header.width && record.as_slice().len() <= MAX_CELL_CHARS {
        return errors;
    }
    if let Some(last) = (header.width..record.len()).rev().find(|&i| !values::trim(&record[i]).is_empty()) {
        let message = match format {
            SourceFormat::Text { delimiter, .. } => {
                let (sep, example) = match delimiter {
                    b'\t' => (crate::t!("returns-sep-tab"), "\t"),
                    b';' => (crate::t!("returns-sep-semicolon"), ";"),
                    _ => (crate::t!("returns-sep-comma"), ","),
                };
                crate::t!("returns-row-too-many-cells", cells = last + 1, width = header.width, sep = sep, example = example)
            }
            SourceFormat::Workbook { .. } => crate::t!(
                "returns-row-right-of-header",
                column = workbook::column_letter(last),
                last = workbook::column_letter(header.width - 1)
            ),
        };
        errors.push(RowError { line, column: None, message });
    }
    for (i, cell) in record.iter().enumerate() {
        if cell.len() > MAX_CELL_CHARS && cell.chars().count() > MAX_CELL_CHARS {
            errors.push(RowError {
                line,
                column: Some(header.column_at(i)),
                message: too_long_cell(format, cell.chars().count()),
            });
        }
    }
    errors
}

/// The message for a cell over [`MAX_CELL_CHARS`]; `chars` is how many it holds (or at least).
fn too_long_cell(format: &SourceFormat, chars: usize) -> String {
    match format {
        SourceFormat::Text { .. } => crate::t!("returns-cell-too-long-text", chars = chars, max = MAX_CELL_CHARS),
        SourceFormat::Workbook { .. } => crate::t!("returns-cell-too-long", chars = chars, max = MAX_CELL_CHARS),
    }
}

/// The longest error message kept for one cell.
const MAX_MESSAGE_CHARS: usize = 400;

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
        // One pass over the whole row first: almost every row has no run of 15 digits at all
        // (a run spanning two cells only sends the row to the cell-by-cell search).
        if !privacy::may_hold_id(self.record.as_slice().as_bytes()) {
            return errors;
        }
        for (i, cell) in self.record.iter().enumerate() {
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

/// Physical line numbers for the CSV reader's records.
///
/// The csv crate's own line count is off for CRLF files and after blank lines, and the
/// byte offset it gives for a record may point at the line breaks before it. So the text
/// stream is read through [`LineCounter`], which notes the offset of every `\r` and `\n`:
/// a record really starts at the first byte at or after its offset that is not a line
/// break, and its line is one more than the `\n`s before that byte. Offsets already
/// passed are dropped, so memory stays bounded by the readers' buffers.
#[derive(Default)]
struct Newlines {
    /// (offset, is `\n`) of line-break bytes not yet passed.
    pending: std::collections::VecDeque<(u64, bool)>,
    passed: u64,
}

impl Newlines {
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut start = byte;
        while let Some(&(offset, is_lf)) = self.pending.front() {
            if offset < start {
                self.passed += u64::from(is_lf);
            } else if offset == start {
                // A line break where the record was said to start: it starts later.
                self.passed += u64::from(is_lf);
                start += 1;
            } else {
                break;
            }
            self.pending.pop_front();
        }
        self.passed + 1
    }
}

/// Passes bytes through, recording where each newline is, and fails once the record being
/// read runs past [`MAX_RECORD_BYTES`] (the csv reader would buffer it whole).
struct LineCounter<R> {
    inner: R,
    offset: u64,
    newlines: Arc<Mutex<Newlines>>,
    /// Where the record being read starts, set after each record.
    record_start: Arc<std::sync::atomic::AtomicU64>,
}

/// The error [`LineCounter`] fails with on an over-long record.
#[derive(Debug)]
struct RecordTooLong;

impl fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a row longer than {} MB", MAX_RECORD_BYTES >> 20)
    }
}

impl std::error::Error for RecordTooLong {}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut nl = self.newlines.lock().unwrap_or_else(|e| e.into_inner());
        for (i, b) in buf[..n].iter().enumerate() {
            if *b == b'\n' || *b == b'\r' {
                nl.pending.push_back((self.offset + i as u64, *b == b'\n'));
            }
        }
        self.offset += n as u64;
        if self.offset.saturating_sub(self.record_start.load(std::sync::atomic::Ordering::Relaxed)) > MAX_RECORD_BYTES {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, RecordTooLong));
        }
        Ok(n)
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

    #[test]
    fn header_aliases_case_and_padding() {
        let rec =
            csv::StringRecord::from(vec!["\u{feff}学校代码", " NAME ", "　办学类型　", "所属乡镇", "是否建立家长学校", "备注"]);
        let (h, warnings) = Header::map(&rec, &kinds::schools::COLUMNS).unwrap();
        assert!(h.has(kinds::schools::CODE) && h.has(kinds::schools::TYPE) && !h.has(kinds::schools::TERM));
        assert_eq!(h.label(kinds::schools::TYPE), "办学类型 (type)");
        assert_eq!(h.label(kinds::schools::NAME), "NAME (name)");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("备注"));
        // Messages name a column by its letter and the file's own header (SPEC §14).
        let ty = h.column(kinds::schools::TYPE);
        assert_eq!((ty.header.as_str(), ty.index), ("办学类型", Some(2)));
        assert_eq!(ty.describe(), "C列「办学类型」");
        let term = h.column(kinds::schools::TERM);
        assert_eq!((term.label.as_str(), term.index), ("term", None));
        assert_eq!(term.describe(), "「term」列");
    }

    #[test]
    fn rows_wider_than_the_header_and_cells_longer_than_excel_allows() {
        let (header, _) =
            Header::map(&csv::StringRecord::from(vec!["id", "host", "date", "kind", ""]), &kinds::activities::COLUMNS).unwrap();
        assert_eq!(header.width, 4);
        let text = SourceFormat::Text { encoding: TextEncoding::Utf8, delimiter: b',' };
        let trailing = csv::StringRecord::from(vec!["A1", "1", "2020-09-01", "讲座", "", " "]);
        assert!(shape_errors(&header, &text, 2, &trailing).is_empty());
        let shifted = csv::StringRecord::from(vec!["A1", "1", "2020-09-01", "讲座", "x", ""]);
        let e = shape_errors(&header, &text, 3, &shifted);
        assert!(e[0].message.starts_with("这一行有 5 个单元格，但表头只有 4 列"), "{e:?}");
        let sheet = SourceFormat::Workbook { sheet: "Sheet1".into() };
        let e = shape_errors(&header, &sheet, 3, &shifted);
        assert!(e[0].message.contains("在 E 列有值，超出了表头的最后一列 D"), "{e:?}");

        let at_limit = "字".repeat(MAX_CELL_CHARS);
        assert!(shape_errors(&header, &text, 4, &csv::StringRecord::from(vec!["A1", &at_limit])).is_empty());
        let over = "字".repeat(MAX_CELL_CHARS + 1);
        let e = shape_errors(&header, &text, 4, &csv::StringRecord::from(vec!["A1", &over, "", "", "", &over]));
        assert_eq!(e.len(), 3, "{e:?}");
        let columns: Vec<ColumnName> = e.iter().filter_map(|e| e.column.clone()).collect();
        assert_eq!((columns[0].label.as_str(), columns[0].index), ("host", Some(1)));
        assert_eq!((columns[1].label.as_str(), columns[1].header.as_str(), columns[1].index), ("#6 (F)", "", Some(5)));
        assert_eq!(columns[1].describe(), "F列");
        assert_eq!(e[2].display("a.csv").to_string(), format!("a.csv:4: F列：{}", e[2].message));
        assert!(e.iter().all(|e| !e.message.contains("字字")), "a long cell is never echoed");
    }

    #[test]
    fn missing_and_repeated_columns() {
        let rec = csv::StringRecord::from(vec!["code", "学校代码", "name"]);
        let errors = Header::map(&rec, &kinds::schools::COLUMNS).unwrap_err();
        assert!(errors.iter().any(|e| !e.missing && e.message.contains("第 1 列和第 2 列都是 code")), "{errors:?}");
        // The missing columns in one message, each with its spellings.
        let missing: Vec<&HeaderError> = errors.iter().filter(|e| e.missing).collect();
        assert_eq!(missing.len(), 1, "{errors:?}");
        assert!(missing[0].message.contains("type 写作 type、学校类型、办学类型 之一"), "{errors:?}");
        assert!(missing[0].message.contains("parent_school 写作"), "{errors:?}");
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
