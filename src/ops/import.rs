//! The import pipeline: returns → validation → ledger, all-or-nothing across files.
//!
//! Rows are checked and written inside one IMMEDIATE transaction as they stream in, so
//! memory stays flat however large the file; any bad row, in any file, rolls everything
//! back. A dry run validates the same way and always rolls back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

mod checks;
mod outside_plan;
pub(crate) mod progress;
mod read;
mod received;
mod rejected;
mod state;
pub(crate) mod timings;

use crate::ambient::Fault;
use crate::ledger::{ActivityOutcome, CodeMap, ImportTx, Ledger, LeftOut};
use crate::plan::Term;
use crate::returns::privacy::mask_ids;
use crate::returns::rejects::{self, RejectedRow};
use crate::returns::{Period, Record, ReturnFile, ReturnKind, RosterPeriod, RowContext, RowError};
use checks::FileChecks;
use outside_plan::OutsidePlan;
use progress::{Progress, Unseen};
use read::{parse_rows, Chunk, PIPELINE_CHUNKS, PRELOAD_HOSTS_BYTES};
pub(crate) use rejected::Rejected;
use state::FileState;
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

/// Validates and records the files of one import command.
pub(crate) fn run(ledger: &mut Ledger, req: &ImportRequest) -> Result<Vec<FileReport>> {
    Ok(run_timed(ledger, req, &mut Unseen)?.0)
}

/// [`run`], with the time each phase took (all zero unless `req.timings`; the wall time
/// is the caller's to fill in), telling `progress` how far it has come.
pub(crate) fn run_timed(
    ledger: &mut Ledger,
    req: &ImportRequest,
    progress: &mut dyn Progress,
) -> Result<(Vec<FileReport>, Phases)> {
    let mut phases = Phases::default();
    // The WAL synced as it grows, so the commit does not wait for all of it (issue 23).
    let _flusher = (!req.dry_run).then(|| crate::ledger::WalFlusher::start(ledger.path()));
    let tx = ledger.begin_import()?;
    tx.set_single_file(req.files.len() == 1);
    let mut rejected = Rejected { dry_run: req.dry_run, ..Default::default() };
    let mut reports: Vec<FileReport> = Vec::new();
    for path in &req.files {
        let before = rejected.total;
        let mut attempt = import_file(&tx, req, path, &mut rejected, &mut phases, progress, true);
        if let Ok(Attempt::IdRepeated) = attempt {
            // Two activities share an id (or two without one their fields' fingerprint): the
            // file is written again with the indexes in place, which say which row repeats
            // which, as each comes.
            attempt = import_file(&tx, req, path, &mut rejected, &mut phases, progress, false);
        }
        match attempt {
            Ok(Attempt::IdRepeated) => anyhow::bail!("the activity id index was dropped twice"),
            Ok(Attempt::Done(Some(r))) => {
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
            Ok(Attempt::Done(None)) => {}
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

/// Dies on the spot, as under `kill -9`: no destructors, no rollback.
fn crash_if(yes: bool) {
    if yes {
        std::process::abort();
    }
}

/// How one attempt at a file ended.
enum Attempt {
    /// `None` when the file had row errors (recorded in `rejected`).
    Done(Option<FileReport>),
    /// The file's activities were written with the id index dropped, and two of them
    /// share an id: everything the attempt wrote is undone.
    IdRepeated,
}

/// Imports one file; with `index_after`, an activities file large beside the ledger's
/// activities may be written with the id index built after its rows.
fn import_file(
    tx: &ImportTx<'_>,
    req: &ImportRequest,
    path: &Path,
    rejected: &mut Rejected,
    phases: &mut Phases,
    progress: &mut dyn Progress,
    index_after: bool,
) -> Result<Attempt> {
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
            return Ok(Attempt::Done(Some(FileReport { file: display, encoding: shown_encoding, warnings, outcome })));
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
    let mut writer = if req.kind == ReturnKind::Activities {
        Some(tx.activity_writer(index_after && tx.ids_indexed_after(file.size_hint)?)?)
    } else {
        None
    };
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
        let mut clock = Stopwatch::new(req.timings);
        for chunk in receive {
            writing.write_idle += clock.lap();
            progress.advance(&display, state.rows, chunk.at_byte, total);
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
        progress.file_done();
        Ok(())
    })?;
    phases.add(&reading);
    phases.add(&writing);
    tx.give_back_preloaded_hosts(preloaded);
    tx.flush_rows()?;
    if let Some(w) = writer.as_mut() {
        let mut clock = Stopwatch::new(req.timings);
        let unique = w.build_indexes()?;
        phases.index += clock.lap();
        if !unique {
            drop(writer);
            tx.rollback_to_savepoint()?;
            rejected.reset_to(problems_before);
            return Ok(Attempt::IdRepeated);
        }
    }
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
        return Ok(Attempt::Done(Some(FileReport { file: display, encoding: shown_encoding, warnings, outcome })));
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
        return Ok(Attempt::Done(None));
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
    Ok(Attempt::Done(Some(FileReport {
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
    })))
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
        timings: false,
        today: None,
        plan_span: None,
        received: chrono::NaiveDate::from_ymd_opt(2020, 11, 15),
    };
    run(ledger, &req).unwrap_or_else(|e| panic!("{}: {e:#}", path.display()));
}
