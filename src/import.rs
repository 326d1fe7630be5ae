//! The import pipeline: returns → validation → ledger, all-or-nothing across files.
//!
//! Rows are checked and written inside one IMMEDIATE transaction as they stream in, so
//! memory stays flat however large the file; any bad row, in any file, rolls everything
//! back. A dry run validates the same way and always rolls back.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

mod outside_plan;
mod received;
pub(crate) mod timings;

use crate::ambient::Fault;
use crate::ledger::{ActivityOutcome, BatchInfo, CodeMap, ImportTx, Ledger, LeftOut};
use crate::plan::{ActivityKind, Term};
use crate::returns::kinds::{activities, communities, ActivityRow, CommunityRow};
use crate::returns::privacy::mask_ids;
use crate::returns::rejects::{self, RejectedRow};
use crate::returns::{Header, Period, Record, ReturnFile, ReturnKind, RosterPeriod, RowContext, RowError};
use outside_plan::OutsidePlan;
use timings::{Phases, Stopwatch};

/// The most row errors kept for the message; the count covers all of them.
pub(crate) const MAX_LISTED_ERRORS: usize = 200;

/// What to import.
#[derive(Debug, Clone)]
pub(crate) struct ImportRequest {
    pub kind: ReturnKind,
    pub files: Vec<PathBuf>,
    /// `--term`, for rosters of a term.
    pub term: Option<Term>,
    /// `--school-year` (its first year), for rosters of a school year.
    pub school_year: Option<i32>,
    /// `--sheet`, for workbooks.
    pub sheet: Option<String>,
    /// `--rejects`: where to write the rejected rows with their errors.
    pub rejects: Option<PathBuf>,
    /// `--force`: the rejects file may replace an existing file (never the ledger).
    pub rejects_force: bool,
    /// The language of messages about the files written.
    pub lang: crate::lang::Lang,
    pub dry_run: bool,
    /// The OS user and the time, recorded with each batch.
    pub user: String,
    pub now: String,
    /// Crash-testing hook (see [`crate::ambient::fault`]); `None` in normal use.
    pub fault: Option<Fault>,
    /// Show a progress line on stderr for imports that take over a second (only when
    /// stderr is a terminal).
    pub progress: bool,
    /// Time each phase ([`timings`]; `$GONGYU_TIMINGS`).
    pub timings: bool,
    /// Today: activities and filings dated after it are refused (`None`: not checked).
    pub today: Option<chrono::NaiveDate>,
    /// The plan's first and last terms: activities and filings dated outside them are
    /// imported with a warning (`None`: not checked).
    pub plan_span: Option<(Term, Term)>,
    /// When the returns were received (`--received`, default today), kept on each batch; a
    /// file whose period starts after it is refused (`None`: not recorded, for tests).
    pub received: Option<chrono::NaiveDate>,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileOutcome {
    /// Byte-identical to a batch already in the ledger: nothing changed.
    Identical {
        batch: i64,
        /// The earlier batch is one this same import wrote (the file was given twice).
        in_this_import: bool,
    },
    Imported {
        /// `None` in a dry run.
        batch: Option<i64>,
        /// The term or school year of a roster.
        period: Option<RosterPeriod>,
        rows: u64,
        imported: u64,
        duplicates: u64,
        /// The roster batch this one replaced.
        replaces: Option<i64>,
    },
}

/// The summary of one file of a successful import.
#[derive(Debug, Clone)]
pub(crate) struct FileReport {
    pub file: String,
    pub encoding: String,
    pub warnings: Vec<String>,
    pub outcome: FileOutcome,
}

/// A rejected import: every problem found, in every file. Nothing was written.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rejected {
    /// `FILE:LINE: column NAME: what is wrong`, or a file-level message.
    pub problems: Vec<String>,
    /// How many problems there were in all (more than `problems` holds past the cap).
    pub total: usize,
    pub files_rejected: Vec<String>,
    /// How many of the problems are a row's (`FILE:LINE: …`), not a whole file's.
    pub row_problems: usize,
    pub dry_run: bool,
    /// The bad rows themselves, kept when `--rejects` asks for them.
    pub rows: Vec<RejectedRow>,
    /// Where they were written, if they were.
    pub rejects_file: Option<PathBuf>,
}

impl Rejected {
    /// Where the lists stand, to go back to with [`reset_to`](Self::reset_to).
    fn mark(&self) -> (usize, usize, usize, usize) {
        (self.total, self.problems.len(), self.rows.len(), self.row_problems)
    }

    /// Forgets what a file added since `mark`.
    fn reset_to(&mut self, (total, problems, rows, row_problems): (usize, usize, usize, usize)) {
        self.total = total;
        self.row_problems = row_problems;
        self.problems.truncate(problems);
        self.rows.truncate(rows);
    }

    fn push(&mut self, message: String) {
        // A file-level failure may list several problems, one per line. No message
        // carries an ID-card number in full (SPEC §13).
        for line in message.lines() {
            self.total += 1;
            if self.problems.len() < MAX_LISTED_ERRORS {
                self.problems.push(mask_ids(line).into_owned());
            }
        }
    }

    fn row(&mut self, file: &str, e: &RowError) {
        self.row_problems += 1;
        self.push(e.display(file).to_string());
    }
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (files, count) = (self.files_rejected.join(", "), self.total);
        if self.dry_run {
            writeln!(f, "{}", crate::t!("import-rejected-dry-run", files = files, count = count))?;
        } else {
            writeln!(f, "{}", crate::t!("import-rejected", files = files, count = count))?;
        }
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        if self.total > self.problems.len() {
            writeln!(f, "{}", crate::t!("import-not-listed", count = self.total - self.problems.len()))?;
        }
        match &self.rejects_file {
            Some(p) => write!(f, "{}", crate::t!("import-rejects-written", file = p.display().to_string())),
            None if self.row_problems > 0 => write!(f, "{}", crate::t!("import-fix-rows")),
            None => write!(f, "{}", crate::t!("import-fix-files")),
        }
    }
}

impl std::error::Error for Rejected {}

/// Validates and records the files of one import command.
pub(crate) fn run(ledger: &mut Ledger, req: &ImportRequest) -> Result<Vec<FileReport>> {
    Ok(run_timed(ledger, req)?.0)
}

/// [`run`], with the time each phase took (all zero unless `req.timings`; the wall time
/// is the caller's to fill in).
pub(crate) fn run_timed(ledger: &mut Ledger, req: &ImportRequest) -> Result<(Vec<FileReport>, Phases)> {
    let mut phases = Phases::default();
    let tx = ledger.begin_import()?;
    tx.set_single_file(req.files.len() == 1);
    let mut rejected = Rejected { dry_run: req.dry_run, ..Default::default() };
    let mut reports: Vec<FileReport> = Vec::new();
    for path in &req.files {
        let before = rejected.total;
        match import_file(&tx, req, path, &mut rejected, &mut phases) {
            Ok(Some(r)) => {
                // A roster lists every unit of its term: two in one command would have the
                // second silently replace the first.
                if let FileOutcome::Imported { period: Some(t), .. } = r.outcome {
                    let same =
                        reports.iter().find(|o| matches!(o.outcome, FileOutcome::Imported { period: Some(u), .. } if u == t));
                    if let Some(first) = same {
                        rejected.push(crate::t!(
                            "import-two-rosters",
                            first = first.file,
                            second = r.file,
                            kind = kind_title(req.kind),
                            period = t.to_string()
                        ));
                    }
                }
                reports.push(r)
            }
            Ok(None) => {}
            Err(e) if crate::ledger::is_database_error(&e) => {
                tx.rollback().ok();
                return Err(match crate::ledger::database_hint(&e) {
                    Some(h) => e.context(crate::t!("import-importing", file = path.display().to_string())).context(h),
                    None => e.context(crate::t!("import-importing-nothing-written", file = path.display().to_string())),
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
                let target = crate::files::Target {
                    path,
                    force: req.rejects_force,
                    ledger: Some(ledger.path()),
                    flag: "--rejects",
                    lang: req.lang,
                };
                rejects::write(&target, &opened, &rejected.rows)?;
                rejected.rejects_file = Some(path.clone());
            }
        }
        return Err(rejected.into());
    }
    if let Some(refusal) = tx.closed_term_refusal()? {
        tx.rollback()?;
        return Err(refusal);
    }
    if req.dry_run {
        tx.rollback()?;
    } else {
        crash_if(req.fault == Some(Fault::BeforeCommit));
        let mut clock = Stopwatch::new(req.timings);
        tx.write_tallies()?;
        phases.tally += clock.lap();
        tx.commit()?;
        phases.commit += clock.lap();
        crash_if(req.fault == Some(Fault::AfterCommit));
    }
    Ok((reports, phases))
}

/// Chunks of parsed rows in flight between the reading thread and the writing one.
const PIPELINE_CHUNKS: usize = 8;
/// Rows per chunk.
const CHUNK_ROWS: usize = 512;
/// From this size on (bytes of text, or rows of a sheet), an activities file has the
/// ledger's hosts loaded at once rather than looked up as they come.
const PRELOAD_HOSTS_BYTES: u64 = 1 << 22;

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
        let line = crate::t!("import-progress", file = self.file, percent = pct, rows = rows, rate = format!("{rate:.0}"));
        eprint!("\r\x1b[2K{line}");
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
    parsed: std::result::Result<Record, Vec<RowError>>,
    /// The row's cells, kept for `--rejects` (any ID-card number masked).
    cells: Option<csv::StringRecord>,
    /// An activity's host, when the reading thread looked it up in the loaded hosts.
    host: Option<Option<i64>>,
    /// What a roster row's checks against the file's earlier rows found (see
    /// [`FileChecks::check`]), and whether the row is to be written all the same.
    checked: Vec<RowError>,
    write: bool,
}

/// Reads and parses every row of `file`, sending them on in chunks. Stops early if the
/// writing side hangs up (it failed). The time of each phase goes into `phases` if timed.
#[allow(clippy::too_many_arguments)] // the reading thread's whole share of one file
fn parse_rows(
    file: &mut ReturnFile,
    kind: ReturnKind,
    cx: RowContext,
    keep: bool,
    hosts: Option<&CodeMap>,
    checks: &mut FileChecks,
    send: std::sync::mpsc::SyncSender<Chunk>,
    phases: &mut Phases,
) {
    let parse = kind.spec().parse;
    let ref_positions = file.header.ref_positions(kind);
    let mut chunk = Vec::with_capacity(CHUNK_ROWS);
    let mut clock = Stopwatch::new(phases.timed);
    while let Some(next) = file.next_row() {
        phases.parse += clock.lap();
        let pr = match next {
            Err(e) => {
                ParsedRow { line: e.line, parsed: Err(vec![e]), cells: None, host: None, checked: Vec::new(), write: false }
            }
            Ok(row) => {
                let line = row.line;
                // SPEC §13: any cell, in any column, holding an ID-card number refuses the row.
                let ids = row.id_numbers();
                let parsed = if ids.is_empty() {
                    parse(row, &cx)
                } else {
                    Err(ids.into_iter().chain(parse(row, &cx).err().into_iter().flatten()).collect())
                };
                let cells = keep.then(|| {
                    let mut cells: Vec<String> = file.current_record().iter().map(|c| mask_ids(c).into_owned()).collect();
                    // A ref the message withholds (a name?) is withheld from the rejects file too.
                    for &p in &ref_positions {
                        if let Some(c) = cells.get_mut(p).filter(|c| crate::returns::privacy::ref_is_withheld(c)) {
                            *c = crate::returns::privacy::WITHHELD.to_string();
                        }
                    }
                    csv::StringRecord::from(cells)
                });
                // The host lookup, a cache miss or two per row at national scale, is done
                // here, off the thread that writes to SQLite.
                let host = match (&parsed, hosts) {
                    (Ok(Record::Activity(a)), Some(map)) => Some(map.get(&a.host)),
                    _ => None,
                };
                // So are a roster row's checks against the rest of the file.
                let (checked, write) = match &parsed {
                    Ok(record) => checks.check(line, record),
                    Err(_) => (Vec::new(), false),
                };
                ParsedRow { line, parsed, cells, host, checked, write }
            }
        };
        chunk.push(pr);
        phases.validate += clock.lap();
        if chunk.len() == CHUNK_ROWS {
            let rows = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_ROWS));
            if send.send(Chunk { rows, at_byte: file.position() }).is_err() {
                return;
            }
            phases.read_idle += clock.lap();
        }
    }
    phases.parse += clock.lap();
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
fn import_file(
    tx: &ImportTx<'_>,
    req: &ImportRequest,
    path: &Path,
    rejected: &mut Rejected,
    phases: &mut Phases,
) -> Result<Option<FileReport>> {
    let spec = req.kind.spec();
    let mut clock = Stopwatch::new(req.timings);
    // A large activities file has its hosts loaded from the ledger while it is opened
    // (its encoding checked over every byte) on another thread: the two take about as
    // long nationally. Not when the file may be one the ledger already holds (then only
    // its hash is wanted).
    let preload = req.kind == ReturnKind::Activities
        && std::fs::metadata(path).is_ok_and(|m| m.len() >= PRELOAD_HOSTS_BYTES)
        && !tx.worth_hashing_first(req.kind, &path.display().to_string())?;
    let mut file = std::thread::scope(|s| -> Result<ReturnFile> {
        let opening = std::thread::Builder::new()
            .name("gongyu-open".into())
            .spawn_scoped(s, || ReturnFile::open(path, req.kind, req.sheet.as_deref()))
            .with_context(|| crate::t!("import-open-thread"))?;
        let loaded = if preload { tx.preload_hosts() } else { Ok(()) };
        // The file's own error first: a file that cannot be read is what the clerk must fix.
        let file =
            opening.join().map_err(|_| anyhow::anyhow!(crate::t!("import-open-failed", file = path.display().to_string())))??;
        loaded?;
        Ok(file)
    })?;
    phases.decode += clock.lap();
    let display = file.display.clone();
    let encoding = file.format.label();
    // As stored (it identifies the batch), and as a person reads it.
    let shown_encoding = file.format.describe();
    let mut warnings: Vec<String> = file.warnings.iter().map(|w| format!("{display}: {w}")).collect();
    if let Some(col) = spec.period_column {
        match spec.period {
            Period::Term if req.term.is_none() && !file.header.has(col) => {
                anyhow::bail!(crate::t!("import-needs-term", file = display, kind = kind_title(req.kind)))
            }
            Period::SchoolYear if req.school_year.is_none() && !file.header.has(col) => {
                anyhow::bail!(crate::t!("import-needs-school-year", file = display, kind = kind_title(req.kind)))
            }
            _ => {}
        }
    }
    let given_period = match spec.period {
        Period::Term => req.term.map(RosterPeriod::Term),
        Period::SchoolYear => req.school_year.map(RosterPeriod::SchoolYear),
        Period::Event => None,
    };
    // The file's hash is computed alongside the import; whether the ledger already holds
    // these exact bytes is known only at the end, so the file is written inside a savepoint
    // that is undone if it is. When a batch of the same name is in the ledger, the hash is
    // waited for first, so re-importing a file unchanged costs a hash, not an import.
    if tx.worth_hashing_first(req.kind, &display)? {
        let sha256 = file.sha256()?;
        if let Some(earlier) = tx.identical_batch(req.kind, &sha256, &encoding, given_period)? {
            let outcome = FileOutcome::Identical { batch: earlier, in_this_import: tx.started_here(earlier) };
            return Ok(Some(FileReport { file: display, encoding: shown_encoding, warnings, outcome }));
        }
    }
    let problems_before = rejected.mark();
    tx.savepoint()?;
    let batch = tx.start_batch(req.kind, &display, "", &encoding, &req.now, &req.user, req.received)?;
    let mut checks = FileChecks {
        spec,
        header: file.header.clone(),
        roster_period: None,
        keys: CodeMap::with_capacity(1024),
        township_names: HashMap::new(),
        township_codes: HashMap::new(),
    };
    let mut state = FileState {
        batch,
        header: file.header.clone(),
        unknown_students: Vec::new(),
        rows: 0,
        imported: 0,
        duplicates: 0,
        bad: false,
    };
    let mut writer = if req.kind == ReturnKind::Activities { Some(tx.activity_writer()?) } else { None };
    if writer.is_some() && file.size_hint >= PRELOAD_HOSTS_BYTES {
        tx.preload_hosts()?;
    }
    // Lent to the reading thread for the file, then given back.
    let preloaded = tx.take_preloaded_hosts();
    let keep = req.rejects.is_some();
    let cx = RowContext { term: req.term, school_year: req.school_year, today: req.today };
    let mut outside_plan = OutsidePlan::new(req.plan_span);
    // The earliest date of an activity or filing, whose period must not start after the
    // return was received.
    let mut earliest: Option<chrono::NaiveDate> = None;
    let mut reading = Phases { timed: req.timings, ..Phases::default() };
    let mut writing = Phases::default();
    // Reading and checking cells runs on a second thread while this one writes to the
    // ledger: the two halves of an import take about the same time.
    std::thread::scope(|scope| -> Result<()> {
        let (send, receive) = std::sync::mpsc::sync_channel::<Chunk>(PIPELINE_CHUNKS);
        let total = file.size_hint;
        let file = &mut file;
        let hosts = preloaded.as_ref().map(|(map, _)| map);
        let checks = &mut checks;
        let reading = &mut reading;
        std::thread::Builder::new()
            .name("gongyu-read".into())
            .spawn_scoped(scope, move || parse_rows(file, req.kind, cx, keep, hosts, checks, send, reading))
            .with_context(|| crate::t!("import-read-thread"))?;
        let mut progress = Progress::new(req.progress, &display, total);
        let mut clock = Stopwatch::new(req.timings);
        for chunk in receive {
            writing.write_idle += clock.lap();
            progress.tick(state.rows, chunk.at_byte);
            // Activities: look the hosts up, then write the chunk's rows together.
            let mut written: std::collections::VecDeque<ActivityOutcome> = Default::default();
            let mut hosts_of = vec![None; chunk.rows.len()];
            if let Some(w) = writer.as_mut() {
                let mut hosts = Vec::new();
                for (pr, host_of) in chunk.rows.iter().zip(hosts_of.iter_mut()) {
                    if let Ok(Record::Activity(a)) = &pr.parsed {
                        let host = match pr.host {
                            Some(found) => found,
                            None => tx.host_id(&a.host)?,
                        };
                        if let Some(host) = host {
                            hosts.push((host, a));
                            *host_of = Some(host);
                        }
                    }
                }
                written = w.insert_many(state.batch, &hosts)?.into();
            }
            for (pr, host) in chunk.rows.into_iter().zip(hosts_of) {
                state.rows += 1;
                let line = pr.line;
                let errors = match pr.parsed {
                    Err(errors) => errors,
                    Ok(Record::Activity(a)) => {
                        outside_plan.check(a.line, a.date);
                        earliest = Some(earliest.map_or(a.date, |e| e.min(a.date)));
                        state.activity_row(tx, host, &mut written, &a)?
                    }
                    Ok(record) => {
                        if let Record::Registry(r) = &record {
                            outside_plan.check(r.line, r.filed);
                            earliest = Some(earliest.map_or(r.filed, |e| e.min(r.filed)));
                        }
                        let mut errors = pr.checked;
                        if pr.write {
                            match tx.write_record(state.batch, &record)? {
                                None => state.imported += 1,
                                Some(refusal) => errors.push(state.error(line, refusal.column, refusal.message)),
                            }
                        }
                        errors
                    }
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
            writing.write += clock.lap();
        }
        progress.finish();
        Ok(())
    })?;
    phases.add(&reading);
    phases.add(&writing);
    tx.give_back_preloaded_hosts(preloaded);
    tx.flush_rows()?;
    if !file.totals_skipped.is_empty() {
        let lines: Vec<String> = file.totals_skipped.iter().map(u64::to_string).collect();
        warnings.push(crate::t!("import-totals-skipped", file = display, count = lines.len(), lines = lines.join(", ")));
    }
    warnings.extend(outside_plan.warning(&display, req.kind));
    if !state.unknown_students.is_empty() {
        let n = state.unknown_students.len();
        let lines: Vec<String> = state.unknown_students.iter().take(10).map(u64::to_string).collect();
        let more = if n > lines.len() { crate::t!("import-more", count = n - lines.len()) } else { String::new() };
        warnings.push(crate::t!("import-unknown-students", file = display, count = n, lines = lines.join(", "), more = more));
    }
    let sha256 = file.sha256()?;
    // The same bytes as a live batch, and nothing new (an activities file can bring rows
    // back after the batch they duplicated was reverted): nothing changes. Only activities
    // are kept once; every other file's rows are all new each time, and a live batch of
    // the same bytes holds them already.
    let nothing_new = req.kind != ReturnKind::Activities || state.imported == 0;
    let period = checks.roster_period.or(given_period);
    if let Some(earlier) = tx.identical_batch(req.kind, &sha256, &encoding, period)?.filter(|_| nothing_new) {
        tx.rollback_to_savepoint()?;
        rejected.reset_to(problems_before);
        let outcome = FileOutcome::Identical { batch: earlier, in_this_import: tx.started_here(earlier) };
        return Ok(Some(FileReport { file: display, encoding: shown_encoding, warnings, outcome }));
    }
    tx.set_batch_sha256(batch, &sha256)?;
    if let Some(w) = writer {
        // The tally's sorted runs were spilled while rows were written.
        let spilled = w.tally_spill_time().min(phases.write);
        phases.write -= spilled;
        phases.tally += spilled;
        w.finish()?;
    }
    tx.release_savepoint()?;
    if state.bad {
        return Ok(None);
    }
    if req.kind.is_roster() && state.rows == 0 {
        if spec.period == Period::SchoolYear {
            anyhow::bail!(crate::t!("import-empty-roster-school-year", file = display));
        }
        anyhow::bail!(crate::t!("import-empty-roster-term", file = display));
    }
    if let Some(received) = req.received {
        received::check(req.kind, &display, received, checks.roster_period.or(given_period), earliest)?;
    }
    let replaces = tx.finish_batch(batch, req.kind, checks.roster_period, state.rows, state.imported, state.duplicates)?;
    if let Some(old) = replaces {
        let before = tx.batch_imported(old)?;
        if (state.imported as i64) * 10 < before * 9 {
            warnings.push(crate::t!(
                "import-roster-shrank",
                file = display,
                what = count_of(req.kind, state.imported),
                batch = old,
                before = before
            ));
        }
    }
    if let Some(RosterPeriod::Term(term)) = checks.roster_period {
        if let Some(left) = tx.activities_left_out(batch.id, req.kind, term)? {
            warnings.push(left_out_warning(&display, req.kind, term, &left));
        }
    }
    let warnings = warnings.into_iter().map(|w| mask_ids(&w).into_owned()).collect();
    Ok(Some(FileReport {
        file: display,
        encoding: shown_encoding,
        warnings,
        outcome: FileOutcome::Imported {
            batch: (!req.dry_run).then_some(batch.id),
            period: checks.roster_period,
            rows: state.rows,
            imported: state.imported,
            duplicates: state.duplicates,
            replaces,
        },
    }))
}

/// The warning for a roster that leaves activities without a host (see
/// [`ImportTx::activities_left_out`]).
fn left_out_warning(display: &str, kind: ReturnKind, term: Term, left: &LeftOut) -> String {
    let mut units: Vec<String> = left.named.iter().map(|(code, name)| format!("{code} {name}")).collect();
    if left.units > units.len() as u64 {
        units.push(crate::t!("import-left-out-and-more", count = left.units - units.len() as u64));
    }
    let span = match &left.until {
        Some(until) => crate::t!("import-left-out-span-until", term = term.to_string(), until = until.to_string()),
        None => crate::t!("import-left-out-span", term = term.to_string()),
    };
    let roster = if left.previous_term == term.to_string() {
        crate::t!("import-left-out-replaced", batch = left.previous)
    } else {
        crate::t!("import-left-out-earlier", kind = kind_title(kind), term = left.previous_term, batch = left.previous)
    };
    crate::t!(
        "import-left-out",
        file = display,
        activities = left.activities,
        span = span,
        units = left.units,
        roster = roster,
        list = units.join(", ")
    )
}

/// A kind's name as a person reads it, in the output language: 学校 or schools.
pub(crate) fn kind_title(kind: ReturnKind) -> String {
    crate::returns::kinds::kind_title(kind.as_str(), crate::messages::lang()).to_string()
}

/// `n` of a kind, in the output language: "304 communities", "304 个社区".
pub(crate) fn count_of(kind: ReturnKind, n: u64) -> String {
    crate::t!("import-count", count = n, kind = kind.as_str())
}

struct FileState {
    batch: BatchInfo,
    /// The file's header, for naming columns in errors found after parsing.
    header: Header,
    /// Lines of home visits naming a student on no key-students roster.
    unknown_students: Vec<u64>,
    rows: u64,
    imported: u64,
    duplicates: u64,
    bad: bool,
}

/// What a file's rows are checked against: its earlier rows. Kept by the thread that
/// reads the file, which checks each row as it parses it.
struct FileChecks {
    spec: &'static crate::returns::KindSpec,
    /// The file's header, for naming columns.
    header: Header,
    roster_period: Option<RosterPeriod>,
    /// Roster keys (unit codes; school and ref) seen in this file → the line they were
    /// first on.
    /// (Compact: a national roster has a million codes.)
    keys: CodeMap,
    /// Township code → (name, line) and name → (code, line) as this file pairs them.
    township_names: HashMap<String, (String, u64)>,
    township_codes: HashMap<String, (String, u64)>,
}

/// An error of `line` in column `col` of a file with this header.
fn column_error(header: &Header, line: u64, col: usize, message: String) -> RowError {
    header.row_error(line, col, message)
}

impl FileChecks {
    fn error(&self, line: u64, col: usize, message: String) -> RowError {
        column_error(&self.header, line, col, message)
    }

    /// Checks a parsed row against the file's earlier rows: the errors, and whether the
    /// row is to be written all the same (to be checked against the ledger: it is unless
    /// it repeats a key or has another period).
    fn check(&mut self, line: u64, record: &Record) -> (Vec<RowError>, bool) {
        let mut errors = match record {
            Record::Community(c) => self.township_consistency(c),
            _ => Vec::new(),
        };
        let before = errors.len();
        self.roster_row(line, record, &mut errors);
        let write = errors.len() == before;
        (errors, write)
    }

    /// Checks a parsed row of a roster (or registry) against the rest of the file: one
    /// period, each key once.
    fn roster_row(&mut self, line: u64, record: &Record, errors: &mut Vec<RowError>) {
        let spec = self.spec;
        if let (Some(period), Some(col)) = (record.period(), spec.period_column) {
            match self.roster_period {
                None => self.roster_period = Some(period),
                Some(p) if p != period => {
                    let (period, first) = (period.to_string(), p.to_string());
                    let message = match p {
                        RosterPeriod::Term(_) => crate::t!("import-other-term", period = period, first = first),
                        RosterPeriod::SchoolYear(_) => crate::t!("import-other-school-year", period = period, first = first),
                    };
                    errors.push(self.error(line, col, message))
                }
                Some(_) => {}
            }
        }
        if let (Some(key), Some(col)) = (record.roster_key(), spec.key_column) {
            if let Some(first) = self.keys.get(&key) {
                let first = first as u64;
                let shown = key.rsplit(' ').next().unwrap_or(&key).to_string();
                let message = if matches!(record, Record::KeyStudent(_)) {
                    crate::t!("import-ref-twice", code = shown, line = first)
                } else {
                    crate::t!("import-code-twice", code = shown, line = first)
                };
                errors.push(self.error(line, col, message));
            } else {
                // (A line beyond 32 bits is beyond the record cap of any return.)
                self.keys.insert(key.as_bytes(), line as i64, true);
            }
        }
    }

    /// Within one roster a township code has one name and a name one code (SPEC §3: a
    /// township is one unit whether a return names it or gives its code).
    fn township_consistency(&mut self, c: &CommunityRow) -> Vec<RowError> {
        let (Some(code), Some(name)) = (&c.township_code, &c.township_name) else { return Vec::new() };
        let mut errors = Vec::new();
        match self.township_names.get(code) {
            Some((other, line)) if other != name => errors.push(self.error(
                c.line,
                communities::TOWNSHIP,
                crate::t!("import-township-code-names", code = code, other = other, line = *line, name = name),
            )),
            Some(_) => {}
            None => {
                self.township_names.insert(code.clone(), (name.clone(), c.line));
            }
        }
        match self.township_codes.get(name) {
            Some((other, line)) if other != code => errors.push(self.error(
                c.line,
                communities::TOWNSHIP_CODE,
                crate::t!("import-township-name-codes", name = name, other = other, line = *line, code = code),
            )),
            Some(_) => {}
            None => {
                self.township_codes.insert(name.clone(), (code.clone(), c.line));
            }
        }
        errors
    }
}

impl FileState {
    fn error(&self, line: u64, col: usize, message: String) -> RowError {
        column_error(&self.header, line, col, message)
    }

    /// Accounts for one activity row: `host` is its host's key if it is in a roster, and
    /// `written` holds, in order, what happened to each row of the chunk whose host is.
    fn activity_row(
        &mut self,
        tx: &ImportTx<'_>,
        host: Option<i64>,
        written: &mut std::collections::VecDeque<ActivityOutcome>,
        a: &ActivityRow,
    ) -> Result<Vec<RowError>> {
        let Some(host) = host else {
            return Ok(vec![self.error(a.line, activities::HOST, crate::t!("import-unknown-host", code = a.host))]);
        };
        // Rows after a bad one are still written — the whole import is rolled back in the
        // end — so that duplicates and id conflicts further down are found and listed too.
        match written.pop_front().context("an activity's outcome is missing")? {
            ActivityOutcome::Inserted => {
                self.imported += 1;
                if let (ActivityKind::HomeVisit, Some(student)) = (a.kind, &a.student) {
                    if !tx.is_key_student(host, a.date, student)? {
                        self.unknown_students.push(a.line);
                    }
                }
            }
            ActivityOutcome::Duplicate => self.duplicates += 1,
            ActivityOutcome::IdConflict { same_batch, file: other, line } => {
                let (id, place) = (a.id.as_deref().unwrap_or(""), format!("{other}:{line}"));
                let message = if same_batch {
                    crate::t!("import-id-conflict-same-file", id = id, place = place)
                } else {
                    crate::t!("import-id-conflict", id = id, place = place)
                };
                return Ok(vec![self.error(a.line, activities::ID, message)]);
            }
        }
        Ok(Vec::new())
    }
}

/// Writes `text` to `path` and imports it as a return of `kind`, as clerk "test" on
/// 2020-11-15, panicking on any error: for tests that fill a real ledger.
#[cfg(test)]
pub(crate) fn import_text(ledger: &mut Ledger, path: &Path, kind: crate::returns::ReturnKind, text: &str) {
    std::fs::write(path, text).unwrap();
    let req = ImportRequest {
        kind,
        files: vec![path.to_path_buf()],
        term: None,
        school_year: None,
        sheet: None,
        rejects: None,
        rejects_force: false,
        lang: crate::lang::Lang::Zh,
        dry_run: false,
        user: "test".into(),
        now: "2020-11-15T00:00:00Z".into(),
        fault: None,
        progress: false,
        timings: false,
        today: None,
        plan_span: None,
        received: chrono::NaiveDate::from_ymd_opt(2020, 11, 15),
    };
    run(ledger, &req).unwrap_or_else(|e| panic!("{}: {e:#}", path.display()));
}
