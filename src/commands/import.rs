//! `gongyu import KIND FILE... [--term T | --school-year Y] [--dry-run] [--rejects FILE] [--sheet NAME]`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::ImportArgs;
use crate::ops::import::{self, FileOutcome, FileReport, ImportRequest};
use crate::plan::Term;
use crate::returns::kinds::parse_school_year;
use crate::returns::{Period, ReturnKind};

pub(crate) fn run(db: &Path, plan: Option<&Path>, lang: crate::lang::Lang, args: ImportArgs) -> Result<ExitCode> {
    let kind = args.kind;
    let spec = kind.spec();
    let term = args.term.as_deref().map(str::parse::<Term>).transpose().context("--term")?;
    let school_year = args
        .school_year
        .as_deref()
        .map(|y| parse_school_year(y).map_err(|e| anyhow::anyhow!("--school-year: {e}")))
        .transpose()?;
    match spec.period {
        Period::Event if term.is_some() => super::warn(crate::t!("import-term-ignored", kind = import::kind_title(kind))),
        Period::SchoolYear if term.is_some() => anyhow::bail!(crate::t!(
            "import-term-for-school-year",
            kind = import::kind_title(kind),
            year = term.map(|t| t.school_year().to_string()).unwrap_or_default()
        )),
        _ => {}
    }
    if school_year.is_some() && spec.period != Period::SchoolYear {
        if spec.period == Period::Term {
            anyhow::bail!(crate::t!("import-school-year-term-roster", kind = import::kind_title(kind)));
        }
        anyhow::bail!(crate::t!("import-school-year-event", kind = import::kind_title(kind)));
    }
    if let Some(rejects) = &args.rejects {
        if args.files.len() > 1 {
            anyhow::bail!(crate::t!("import-rejects-one-file"));
        }
        crate::files::Target { path: rejects, force: args.force, ledger: Some(db), flag: "--rejects", lang }.check()?;
    }
    let today = crate::ambient::today()?;
    let received = received_day(args.received.as_deref(), today)?;
    let mut ledger = super::open_ledger(db)?;
    let req = ImportRequest {
        kind,
        files: args.files,
        term: if spec.period == Period::Term { term } else { None },
        school_year,
        dry_run: args.dry_run,
        sheet: args.sheet,
        rejects: args.rejects,
        rejects_force: args.force,
        lang,
        user: crate::ambient::os_user(),
        now: crate::ambient::now(),
        fault: crate::ambient::fault(),
        timings: crate::ambient::timings(),
        today: Some(today),
        plan_span: match spec.period {
            Period::Event => {
                let plan = crate::ops::load_plan(plan)?;
                Some((plan.first_term, plan.last_term))
            }
            _ => None,
        },
        received: Some(received),
    };
    let started = std::time::Instant::now();
    let mut line = ProgressLine::default();
    let mut unseen = import::progress::Unseen;
    let progress: &mut dyn import::progress::Progress =
        if std::io::IsTerminal::is_terminal(&std::io::stderr()) { &mut line } else { &mut unseen };
    let (reports, mut phases) = import::run_timed(&mut ledger, &req, progress)?;
    if req.timings {
        // Closing the ledger checkpoints the WAL into it: part of what an import costs.
        let mut closing = import::timings::Stopwatch::new(true);
        drop(ledger);
        phases.commit += closing.lap();
        phases.wall = started.elapsed();
        eprintln!("{}", phases.line());
    }
    let mut out = super::stdout();
    print_reports(&mut out, kind, &reports, req.dry_run)?;
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}

/// `--received DATE` (the spellings returns accept), or today; never after today.
fn received_day(given: Option<&str>, today: chrono::NaiveDate) -> Result<chrono::NaiveDate> {
    let Some(given) = given else { return Ok(today) };
    let day = crate::returns::values::parse_date(given).map_err(|e| anyhow::anyhow!("--received: {e}"))?;
    if day > today {
        anyhow::bail!(crate::t!("import-received-after-today", received = day.to_string(), today = today.to_string()));
    }
    Ok(day)
}

/// Prints one line per file; warnings go to stderr.
pub(crate) fn print_reports(out: &mut dyn Write, kind: ReturnKind, reports: &[FileReport], dry_run: bool) -> Result<()> {
    for r in reports {
        for w in &r.warnings {
            super::warn(w);
        }
        let file = r.file.as_str();
        match &r.outcome {
            FileOutcome::Identical { in_this_import: true, .. } => {
                writeln!(out, "{}", crate::t!("import-given-twice", file = file))?
            }
            FileOutcome::Identical { batch, in_this_import: false } => {
                writeln!(out, "{}", crate::t!("import-identical", file = file, batch = *batch))?
            }
            FileOutcome::Imported { batch, period, rows, imported, duplicates, replaces } => {
                let what = import::count_of(kind, *imported);
                let period = period.map(|t| crate::t!("import-for-period", period = t.to_string())).unwrap_or_default();
                let duplicates = match duplicates {
                    0 => String::new(),
                    n => crate::t!("import-duplicates", count = *n),
                };
                let replaces = replaces.map(|b| crate::t!("import-replaces", batch = b)).unwrap_or_default();
                let (encoding, rows) = (r.encoding.as_str(), *rows);
                let line = match batch {
                    Some(b) => crate::t!(
                        "import-imported",
                        file = file,
                        what = what,
                        period = period,
                        rows = rows,
                        encoding = encoding,
                        duplicates = duplicates,
                        replaces = replaces,
                        batch = *b
                    ),
                    None => crate::t!(
                        "import-valid",
                        file = file,
                        encoding = encoding,
                        what = what,
                        period = period,
                        rows = rows,
                        duplicates = duplicates,
                        replaces = replaces
                    ),
                };
                writeln!(out, "{line}")?;
            }
        }
    }
    if dry_run {
        writeln!(out, "{}", crate::t!("import-dry-run"))?;
    }
    Ok(())
}

/// A progress line on stderr (a terminal) for a long import: shown after a file's first
/// second, redrawn a few times a second, erased when the file is written.
#[derive(Default)]
struct ProgressLine {
    started: Option<std::time::Instant>,
    last: Option<std::time::Instant>,
}

impl import::progress::Progress for ProgressLine {
    fn advance(&mut self, file: &str, rows: u64, at: u64, total: u64) {
        let now = std::time::Instant::now();
        let started = *self.started.get_or_insert(now);
        let due = self
            .last
            .map_or(now - started >= std::time::Duration::from_secs(1), |l| now - l >= std::time::Duration::from_millis(250));
        if !due {
            return;
        }
        self.last = Some(now);
        let pct = (100 * at).checked_div(total).map_or(0, |p| p.min(99));
        let rate = rows as f64 / (now - started).as_secs_f64().max(0.001);
        let line = crate::t!("import-progress", file = file, percent = pct, rows = rows, rate = format!("{rate:.0}"));
        eprint!("\r\x1b[2K{line}");
    }

    fn file_done(&mut self) {
        if self.last.is_some() {
            eprint!("\r\x1b[2K");
        }
        *self = ProgressLine::default();
    }
}
