//! One thin file per command: check the flags, call the library, print the result.

pub(crate) mod admin;
pub(crate) mod coverage;
pub(crate) mod demo;
pub(crate) mod import;
pub(crate) mod init;
pub(crate) mod man;
pub(crate) mod plan;
pub(crate) mod quality;
pub(crate) mod returns;
pub(crate) mod template;
pub(crate) mod term;

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{Cli, Command, CoverageCommand, PlanCommand};
use crate::plan::Term;

/// Runs a parsed command line. Errors are printed once, by `main`.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let db = crate::ambient::db_path(cli.db.clone());
    let plan = crate::ambient::plan_path(cli.plan.clone());
    let plan = plan.as_deref();
    let lang = crate::ambient::lang(cli.lang)?;
    match cli.command {
        Command::Init => init::run(&db),
        Command::Import(args) => import::run(&db, plan, lang, args),
        Command::Coverage(CoverageCommand::Report(args)) => coverage::report(&db, plan, lang, args),
        Command::Coverage(CoverageCommand::Gaps(args)) => coverage::gaps(&db, plan, lang, args),
        Command::Coverage(CoverageCommand::Trend(args)) => coverage::trend(&db, plan, lang, args),
        Command::Demo => demo::run(cli.db, plan, lang),
        Command::Log(args) => admin::log(&db, args, lang),
        Command::Revert(args) => admin::revert(&db, args),
        Command::Check => admin::check(&db),
        Command::Backup(args) => admin::backup(&db, lang, args),
        Command::Template(args) => template::run(&db, lang, args),
        Command::Plan(PlanCommand::Show(args)) => plan::show(plan, args),
        Command::Plan(PlanCommand::Check(args)) => plan::check(args),
        Command::Term(command) => term::run(&db, plan, lang, command),
        Command::Quality(args) => quality::run(&db, plan, lang, args),
        Command::Returns(args) => returns::run(&db, plan, lang, args),
        Command::Completions(args) => {
            let mut out = stdout();
            clap_complete::generate(args.shell, &mut <Cli as clap::CommandFactory>::command(), "gongyu", &mut out);
            finish(out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man(args) => man::run(args),
    }
}

/// Opens an existing ledger, warning when it sits on a network file system.
pub fn open_ledger(db: &std::path::Path) -> Result<crate::ledger::Ledger> {
    let ledger = crate::ledger::Ledger::open(db)?;
    if let Some(w) = crate::ledger::network_fs_warning(db) {
        warn(w);
    }
    Ok(ledger)
}

/// A `--term` value, or the term containing today.
pub fn term_or_today(term: Option<&str>) -> Result<Term> {
    match term {
        Some(t) => t.parse::<Term>().context("--term"),
        None => Ok(Term::containing(crate::ambient::today()?)),
    }
}

/// Prints a warning or note on stderr.
pub fn note(message: impl std::fmt::Display) {
    eprintln!("gongyu: {message}");
}

/// Prints a warning on stderr: `gongyu: warning: …`.
pub fn warn(message: impl std::fmt::Display) {
    note(format!("{}{message}", crate::t!("warning-prefix")));
}

/// Prints a note on stderr: `gongyu: note: …`.
pub fn note_that(message: impl std::fmt::Display) {
    note(format!("{}{message}", crate::t!("commands-note-prefix")));
}

/// Standard output, buffered; flushed by the caller.
pub fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::new(std::io::stdout().lock())
}

/// Flushes standard output, turning a closed pipe into a quiet success.
pub fn finish(mut out: impl Write) -> Result<()> {
    out.flush().with_context(|| crate::t!("commands-stdout"))
}
