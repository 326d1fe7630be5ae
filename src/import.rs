//! The import pipeline: returns → validation → ledger, all-or-nothing across files.
//!
//! Rows are checked and written inside one IMMEDIATE transaction as they stream in, so
//! memory stays flat however large the file; any bad row, in any file, rolls everything
//! back. A dry run validates the same way and always rolls back.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::ambient::Fault;
use crate::ledger::{ActivityOutcome, BatchInfo, ImportTx, Ledger};
use crate::plan::Term;
use crate::returns::columns::{A_HOST, A_ID, C_CODE, C_TERM, C_TOWNSHIP, C_TOWNSHIP_CODE, S_CODE, S_TERM};
use crate::returns::rejects::{self, RejectedRow};
use crate::returns::{rows, Header, ReturnFile, ReturnKind, RowError};

/// The most row errors kept for the message; the count covers all of them.
pub const MAX_LISTED_ERRORS: usize = 200;

/// What to import.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub kind: ReturnKind,
    pub files: Vec<PathBuf>,
    /// `--term`, for rosters.
    pub term: Option<Term>,
    /// `--sheet`, for workbooks.
    pub sheet: Option<String>,
    /// `--rejects`: where to write the rejected rows with their errors.
    pub rejects: Option<PathBuf>,
    pub dry_run: bool,
    /// The OS user and the time, recorded with each batch.
    pub user: String,
    pub now: String,
    /// Crash-testing hook (see [`crate::ambient::fault`]); `None` in normal use.
    pub fault: Option<Fault>,
    /// Show a progress line on stderr for imports that take over a second (only when
    /// stderr is a terminal).
    pub progress: bool,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    /// Byte-identical to a batch already in the ledger: nothing changed.
    Identical {
        batch: i64,
        /// The earlier batch is one this same import wrote (the file was given twice).
        in_this_import: bool,
    },
    Imported {
        /// `None` in a dry run.
        batch: Option<i64>,
        term: Option<Term>,
        rows: u64,
        imported: u64,
        duplicates: u64,
        /// The roster batch this one replaced.
        replaces: Option<i64>,
    },
}

/// The summary of one file of a successful import.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub file: String,
    pub encoding: String,
    pub warnings: Vec<String>,
    pub outcome: FileOutcome,
}

/// A rejected import: every problem found, in every file. Nothing was written.
#[derive(Debug, Clone, Default)]
pub struct Rejected {
    /// `FILE:LINE: column NAME: what is wrong`, or a file-level message.
    pub problems: Vec<String>,
    /// How many problems there were in all (more than `problems` holds past the cap).
    pub total: usize,
    pub files_rejected: Vec<String>,
    pub dry_run: bool,
    /// The bad rows themselves, kept when `--rejects` asks for them.
    pub rows: Vec<RejectedRow>,
    /// Where they were written, if they were.
    pub rejects_file: Option<PathBuf>,
}

impl Rejected {
    /// Where the lists stand, to go back to with [`reset_to`](Self::reset_to).
    fn mark(&self) -> (usize, usize, usize) {
        (self.total, self.problems.len(), self.rows.len())
    }

    /// Forgets what a file added since `mark`.
    fn reset_to(&mut self, (total, problems, rows): (usize, usize, usize)) {
        self.total = total;
        self.problems.truncate(problems);
        self.rows.truncate(rows);
    }

    fn push(&mut self, message: String) {
        // A file-level failure may list several problems, one per line.
        for line in message.lines() {
            self.total += 1;
            if self.problems.len() < MAX_LISTED_ERRORS {
                self.problems.push(line.to_string());
            }
        }
    }

    fn row(&mut self, file: &str, e: &RowError) {
        self.push(e.display(file).to_string());
    }
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.total == 1 { "1 problem".to_string() } else { format!("{} problems", self.total) };
        let written = if self.dry_run { " (dry run: nothing is written)" } else { "; nothing was written to the ledger" };
        writeln!(f, "rejected {}: {what}{written}", self.files_rejected.join(", "))?;
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        if self.total > self.problems.len() {
            writeln!(f, "… and {} more problems not listed", self.total - self.problems.len())?;
        }
        match &self.rejects_file {
            Some(p) => write!(
                f,
                "{} holds the return with an added 错误 (error) column saying what is wrong with each bad row: fix those rows and import it",
                p.display()
            ),
            None if self.problems.iter().any(|p| p.contains(": column ")) => write!(f, "fix the rows above and import the file(s) again"),
            None => write!(f, "fix the file(s) and import again"),
        }
    }
}

impl std::error::Error for Rejected {}

/// Validates and records the files of one import command.
pub fn run(ledger: &mut Ledger, req: &ImportRequest) -> Result<Vec<FileReport>> {
    let tx = ledger.begin_import()?;
    let mut rejected = Rejected { dry_run: req.dry_run, ..Default::default() };
    let mut reports: Vec<FileReport> = Vec::new();
    for path in &req.files {
        let before = rejected.total;
        match import_file(&tx, req, path, &mut rejected) {
            Ok(Some(r)) => {
                // A roster lists every unit of its term: two in one command would have the
                // second silently replace the first.
                if let FileOutcome::Imported { term: Some(t), .. } = r.outcome {
                    let same =
                        reports.iter().find(|o| matches!(o.outcome, FileOutcome::Imported { term: Some(u), .. } if u == t));
                    if let Some(first) = same {
                        rejected.push(format!(
                            "{} and {} are both {} rosters for {t}; a roster lists every unit of its term, so combine them into one file",
                            first.file,
                            r.file,
                            req.kind.as_str()
                        ));
                    }
                }
                reports.push(r)
            }
            Ok(None) => {}
            Err(e) if crate::ledger::is_database_error(&e) => {
                tx.rollback().ok();
                return Err(match crate::ledger::database_hint(&e) {
                    Some(h) => e.context(format!("importing {}", path.display())).context(h),
                    None => e.context(format!("importing {}; nothing was written", path.display())),
                });
            }
            Err(e) => rejected.push(format!("{e:#}")),
        }
        if rejected.total > before {
            rejected.files_rejected.push(path.display().to_string());
        }
    }
    if rejected.total > 0 {
        tx.rollback()?;
        if let (Some(path), Some(file)) = (&req.rejects, req.files.first()) {
            if rejected.rows.iter().any(|r| !r.errors.is_empty()) {
                let opened = ReturnFile::open(file, req.kind, req.sheet.as_deref())?;
                rejects::write(path, &opened.format, &opened.raw_header, &rejected.rows)?;
                rejected.rejects_file = Some(path.clone());
            }
        }
        return Err(rejected.into());
    }
    if req.dry_run {
        tx.rollback()?;
    } else {
        crash_if(req.fault == Some(Fault::BeforeCommit));
        tx.commit()?;
        crash_if(req.fault == Some(Fault::AfterCommit));
    }
    Ok(reports)
}

/// Chunks of parsed rows in flight between the reading thread and the writing one.
const PIPELINE_CHUNKS: usize = 8;
/// Rows per chunk.
const CHUNK_ROWS: usize = 512;

/// A row of any return, parsed and checked cell by cell.
enum Parsed {
    School(rows::SchoolRow),
    Community(rows::CommunityRow),
    Activity(rows::ActivityRow),
}

/// Rows on their way to the ledger, and how far into the file they reach.
struct Chunk {
    rows: Vec<ParsedRow>,
    at_byte: u64,
}

/// A progress line on stderr for long imports: shown after the first second, redrawn
/// a few times a second, erased at the end.
struct Progress<'a> {
    enabled: bool,
    file: &'a str,
    total: u64,
    started: std::time::Instant,
    last: Option<std::time::Instant>,
}

impl<'a> Progress<'a> {
    fn new(enabled: bool, file: &'a str, total: u64) -> Progress<'a> {
        Progress { enabled, file, total, started: std::time::Instant::now(), last: None }
    }

    fn tick(&mut self, rows: u64, at_byte: u64) {
        let now = std::time::Instant::now();
        let due = self.last.map_or(now - self.started >= std::time::Duration::from_secs(1), |l| {
            now - l >= std::time::Duration::from_millis(250)
        });
        if !self.enabled || !due {
            return;
        }
        self.last = Some(now);
        let pct = (100 * at_byte).checked_div(self.total).map_or(0, |p| p.min(99));
        let rate = rows as f64 / (now - self.started).as_secs_f64().max(0.001);
        eprint!("\r\x1b[2Kimporting {}: {pct}% — {rows} rows, {rate:.0} rows/s", self.file);
    }

    fn finish(&mut self) {
        if self.enabled && self.last.is_some() {
            eprint!("\r\x1b[2K");
        }
    }
}

/// One row on its way to the ledger.
struct ParsedRow {
    line: u64,
    parsed: std::result::Result<Parsed, Vec<RowError>>,
    /// The row's cells, kept for `--rejects`.
    cells: Option<csv::StringRecord>,
}

/// Reads and parses every row of `file`, sending them on in chunks. Stops early if the
/// writing side hangs up (it failed).
fn parse_rows(file: &mut ReturnFile, kind: ReturnKind, term: Option<Term>, keep: bool, send: std::sync::mpsc::SyncSender<Chunk>) {
    let mut chunk = Vec::with_capacity(CHUNK_ROWS);
    while let Some(next) = file.next_row() {
        let pr = match next {
            Err(e) => ParsedRow { line: e.line, parsed: Err(vec![e]), cells: None },
            Ok(row) => {
                let line = row.line;
                let parsed = match kind {
                    ReturnKind::Schools => rows::school(row, term).map(Parsed::School),
                    ReturnKind::Communities => rows::community(row, term).map(Parsed::Community),
                    ReturnKind::Activities => rows::activity(row).map(Parsed::Activity),
                };
                ParsedRow { line, parsed, cells: keep.then(|| file.current_record().clone()) }
            }
        };
        chunk.push(pr);
        if chunk.len() == CHUNK_ROWS {
            let rows = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_ROWS));
            if send.send(Chunk { rows, at_byte: file.position() }).is_err() {
                return;
            }
        }
    }
    if !chunk.is_empty() {
        let _ = send.send(Chunk { rows: chunk, at_byte: file.position() });
    }
}

/// Dies on the spot, as under `kill -9`: no destructors, no rollback.
fn crash_if(yes: bool) {
    if yes {
        std::process::abort();
    }
}

/// Returns `Ok(None)` when the file had row errors (recorded in `rejected`).
fn import_file(tx: &ImportTx<'_>, req: &ImportRequest, path: &Path, rejected: &mut Rejected) -> Result<Option<FileReport>> {
    let mut file = ReturnFile::open(path, req.kind, req.sheet.as_deref())?;
    let display = file.display.clone();
    let encoding = file.format.label();
    let mut warnings: Vec<String> = file.warnings.iter().map(|w| format!("{display}: {w}")).collect();
    let term_col = match req.kind {
        ReturnKind::Schools => Some(S_TERM),
        ReturnKind::Communities => Some(C_TERM),
        ReturnKind::Activities => None,
    };
    if let Some(col) = term_col {
        if req.term.is_none() && !file.header.has(col) {
            anyhow::bail!(
                "{display}: a {} roster needs its term: give --term (e.g. --term 2020-2021-1) or add a term (学期) column",
                req.kind.as_str()
            );
        }
    }
    // The file's hash is computed alongside the import; whether the ledger already holds
    // these exact bytes is known only at the end, so the file is written inside a savepoint
    // that is undone if it is. When a batch of the same name is in the ledger, the hash is
    // waited for first, so re-importing a file unchanged costs a hash, not an import.
    if tx.worth_hashing_first(req.kind, &display)? {
        let sha256 = file.sha256()?;
        if let Some(earlier) = tx.identical_batch(req.kind, &sha256, &encoding, req.term)? {
            let outcome = FileOutcome::Identical { batch: earlier, in_this_import: tx.started_here(earlier) };
            return Ok(Some(FileReport { file: display, encoding, warnings, outcome }));
        }
    }
    let problems_before = rejected.mark();
    tx.savepoint()?;
    let batch = tx.start_batch(req.kind, &display, "", &encoding, &req.now, &req.user)?;
    let mut state = FileState {
        batch,
        header: file.header.clone(),
        roster_term: None,
        codes: HashMap::new(),
        township_names: HashMap::new(),
        township_codes: HashMap::new(),
        rows: 0,
        imported: 0,
        duplicates: 0,
        bad: false,
    };
    let mut writer = if req.kind == ReturnKind::Activities { Some(tx.activity_writer()?) } else { None };
    let keep = req.rejects.is_some();
    // Reading and checking cells runs on a second thread while this one writes to the
    // ledger: the two halves of an import take about the same time.
    std::thread::scope(|scope| -> Result<()> {
        let (send, receive) = std::sync::mpsc::sync_channel::<Chunk>(PIPELINE_CHUNKS);
        let total = file.size_hint;
        let file = &mut file;
        scope.spawn(move || parse_rows(file, req.kind, req.term, keep, send));
        let mut progress = Progress::new(req.progress, &display, total);
        for chunk in receive {
            progress.tick(state.rows, chunk.at_byte);
            // Activities: look the hosts up, then write the chunk's rows together.
            let mut written: std::collections::VecDeque<ActivityOutcome> = Default::default();
            let mut known = vec![false; chunk.rows.len()];
            if let Some(w) = writer.as_mut() {
                let mut hosts = Vec::new();
                for (pr, known) in chunk.rows.iter().zip(known.iter_mut()) {
                    if let Ok(Parsed::Activity(a)) = &pr.parsed {
                        if let Some(host) = tx.host_id(&a.host)? {
                            hosts.push((host, a));
                            *known = true;
                        }
                    }
                }
                written = w.insert_many(state.batch, &hosts)?.into();
            }
            for (pr, known) in chunk.rows.into_iter().zip(known) {
                state.rows += 1;
                let line = pr.line;
                let errors = match pr.parsed {
                    Err(errors) => errors,
                    Ok(Parsed::School(s)) => {
                        state.roster_row(tx, line, &s.code, s.term, (S_CODE, S_TERM), |tx, b| tx.insert_school(b, &s))?
                    }
                    Ok(Parsed::Community(c)) => {
                        let mut errors = state.township_consistency(&c);
                        let mut more =
                            state.roster_row(tx, line, &c.code, c.term, (C_CODE, C_TERM), |tx, b| tx.insert_community(b, &c))?;
                        errors.append(&mut more);
                        errors
                    }
                    Ok(Parsed::Activity(a)) => state.activity_row(known, &mut written, &a)?,
                };
                if !errors.is_empty() {
                    state.bad = true;
                    for e in &errors {
                        rejected.row(&display, e);
                    }
                }
                if let Some(cells) = pr.cells {
                    // The whole return comes back, so the fixed file is complete: an import
                    // is all-or-nothing, and a roster must list every unit.
                    let errors = errors.iter().map(RowError::describe).collect::<Vec<_>>().join("; ");
                    rejected.rows.push(RejectedRow { line, cells, errors });
                }
            }
        }
        progress.finish();
        Ok(())
    })?;
    if !file.totals_skipped.is_empty() {
        let lines: Vec<String> = file.totals_skipped.iter().map(u64::to_string).collect();
        warnings.push(format!(
            "{display}: skipped {} total or footer row(s) (合计, 填表人：…) on line(s) {}",
            lines.len(),
            lines.join(", ")
        ));
    }
    let sha256 = file.sha256()?;
    // The same bytes as a live batch, and nothing new (an activities file can bring rows
    // back after the batch they duplicated was reverted): nothing changes.
    let nothing_new = req.kind.is_roster() || state.imported == 0;
    if let Some(earlier) = tx.identical_batch(req.kind, &sha256, &encoding, req.term)?.filter(|_| nothing_new) {
        tx.rollback_to_savepoint()?;
        rejected.reset_to(problems_before);
        let outcome = FileOutcome::Identical { batch: earlier, in_this_import: tx.started_here(earlier) };
        return Ok(Some(FileReport { file: display, encoding, warnings, outcome }));
    }
    tx.set_batch_sha256(batch, &sha256)?;
    if let Some(w) = writer {
        w.finish();
    }
    tx.release_savepoint()?;
    if state.bad {
        return Ok(None);
    }
    if req.kind.is_roster() && state.rows == 0 {
        anyhow::bail!("{display}: the roster has a header but no rows; an empty roster would blank out the term");
    }
    let replaces = tx.finish_batch(batch, req.kind, state.roster_term, state.rows, state.imported, state.duplicates)?;
    if let Some(old) = replaces {
        let before = tx.batch_imported(old)?;
        if (state.imported as i64) * 10 < before * 9 {
            warnings.push(format!(
                "{display}: this roster lists {} units; the roster it replaces (batch {old}) listed {before} — units left out no longer count",
                state.imported
            ));
        }
    }
    Ok(Some(FileReport {
        file: display,
        encoding,
        warnings,
        outcome: FileOutcome::Imported {
            batch: (!req.dry_run).then_some(batch.id),
            term: state.roster_term,
            rows: state.rows,
            imported: state.imported,
            duplicates: state.duplicates,
            replaces,
        },
    }))
}

struct FileState {
    batch: BatchInfo,
    /// The file's header, for naming columns in errors found after parsing.
    header: Header,
    roster_term: Option<Term>,
    /// Roster codes seen in this file → the line they were first on.
    codes: HashMap<String, u64>,
    /// Township code → (name, line) and name → (code, line) as this file pairs them.
    township_names: HashMap<String, (String, u64)>,
    township_codes: HashMap<String, (String, u64)>,
    rows: u64,
    imported: u64,
    duplicates: u64,
    bad: bool,
}

impl FileState {
    /// Checks a parsed roster row against the rest of the file and writes it.
    /// `cols` are the kind's code and term columns.
    fn roster_row(
        &mut self,
        tx: &ImportTx<'_>,
        line: u64,
        code: &str,
        term: Term,
        cols: (usize, usize),
        write: impl FnOnce(&ImportTx<'_>, BatchInfo) -> Result<()>,
    ) -> Result<Vec<RowError>> {
        let mut errors = Vec::new();
        match self.roster_term {
            None => self.roster_term = Some(term),
            Some(t) if t != term => errors.push(RowError {
                line,
                column: Some(self.header.label(cols.1).to_string()),
                message: format!(
                    "this row is for term {term}, but the roster's earlier rows are for {t}; a roster covers one term"
                ),
            }),
            Some(_) => {}
        }
        if let Some(first) = self.codes.get(code) {
            errors.push(RowError {
                line,
                column: Some(self.header.label(cols.0).to_string()),
                message: format!("code {code} appears twice in this file; it was first on line {first}"),
            });
        } else {
            self.codes.insert(code.to_string(), line);
        }
        if errors.is_empty() {
            write(tx, self.batch)?;
            self.imported += 1;
        }
        Ok(errors)
    }

    /// Within one roster a township code has one name and a name one code (SPEC §3: a
    /// township is one unit whether a return names it or gives its code).
    fn township_consistency(&mut self, c: &rows::CommunityRow) -> Vec<RowError> {
        let (Some(code), Some(name)) = (&c.township_code, &c.township_name) else { return Vec::new() };
        let mut errors = Vec::new();
        match self.township_names.get(code) {
            Some((other, line)) if other != name => errors.push(RowError {
                line: c.line,
                column: Some(self.header.label(C_TOWNSHIP).to_string()),
                message: format!("township code {code} is {other} on line {line} but {name} here; one code is one township"),
            }),
            Some(_) => {}
            None => {
                self.township_names.insert(code.clone(), (name.clone(), c.line));
            }
        }
        match self.township_codes.get(name) {
            Some((other, line)) if other != code => errors.push(RowError {
                line: c.line,
                column: Some(self.header.label(C_TOWNSHIP_CODE).to_string()),
                message: format!("township {name} has code {other} on line {line} but {code} here; one township has one code"),
            }),
            Some(_) => {}
            None => {
                self.township_codes.insert(name.clone(), (code.clone(), c.line));
            }
        }
        errors
    }

    /// Accounts for one activity row: `host_known` says whether its host is in a roster, and
    /// `written` holds, in order, what happened to each row of the chunk whose host is.
    fn activity_row(
        &mut self,
        host_known: bool,
        written: &mut std::collections::VecDeque<ActivityOutcome>,
        a: &rows::ActivityRow,
    ) -> Result<Vec<RowError>> {
        if !host_known {
            return Ok(vec![RowError {
                line: a.line,
                column: Some(self.header.label(A_HOST).to_string()),
                message: format!(
                    "no school or community with code {} is in any imported roster; import the roster that lists it first",
                    a.host
                ),
            }]);
        };
        // Rows after a bad one are still written — the whole import is rolled back in the
        // end — so that duplicates and id conflicts further down are found and listed too.
        match written.pop_front().context("an activity's outcome is missing")? {
            ActivityOutcome::Inserted => self.imported += 1,
            ActivityOutcome::Duplicate => self.duplicates += 1,
            ActivityOutcome::IdConflict { same_batch, file: other, line } => {
                let place = if same_batch { format!("{other}:{line}, earlier in this file") } else { format!("{other}:{line}") };
                return Ok(vec![RowError {
                    line: a.line,
                    column: Some(self.header.label(A_ID).to_string()),
                    message: format!(
                        "id {} is already used by a different activity at {place}; give this activity its own id",
                        a.id.as_deref().unwrap_or("")
                    ),
                }]);
            }
        }
        Ok(Vec::new())
    }
}
