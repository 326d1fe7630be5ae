//! `gongyu import KIND FILE... [--term T | --school-year Y] [--dry-run] [--rejects FILE] [--sheet NAME]`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::ImportArgs;
use crate::import::{self, FileOutcome, FileReport, ImportRequest};
use crate::plan::Term;
use crate::returns::kinds::parse_school_year;
use crate::returns::{Period, ReturnKind};

pub fn run(db: &Path, plan: Option<&Path>, lang: crate::lang::Lang, args: ImportArgs) -> Result<ExitCode> {
    let kind = args.kind;
    let spec = kind.spec();
    let term = args.term.as_deref().map(str::parse::<Term>).transpose().context("--term")?;
    let school_year = args
        .school_year
        .as_deref()
        .map(|y| parse_school_year(y).map_err(|e| anyhow::anyhow!("--school-year: {e}")))
        .transpose()?;
    match spec.period {
        Period::Event if term.is_some() => {
            super::note(format!("warning: --term is ignored for {}: each row's date says when it was", spec.name))
        }
        Period::SchoolYear if term.is_some() => anyhow::bail!(
            "--term: a {} roster is for a school year; give --school-year (e.g. --school-year {})",
            spec.name,
            term.map(|t| t.school_year()).unwrap_or_default()
        ),
        _ => {}
    }
    if school_year.is_some() && spec.period != Period::SchoolYear {
        anyhow::bail!(
            "--school-year applies to key-students rosters; {} {}",
            spec.name,
            if spec.period == Period::Term { "rosters take --term" } else { "take neither" }
        );
    }
    if let Some(rejects) = &args.rejects {
        if args.files.len() > 1 {
            anyhow::bail!("--rejects writes back one return; import the files one at a time to collect their rejects");
        }
        crate::files::Target { path: rejects, force: args.force, ledger: Some(db), flag: "--rejects", lang }.check()?;
    }
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
        progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
        today: Some(crate::ambient::today()?),
        plan_span: match spec.period {
            Period::Event => {
                let plan = crate::ops::load_plan(plan)?;
                Some((plan.first_term, plan.last_term))
            }
            _ => None,
        },
    };
    let reports = import::run(&mut ledger, &req)?;
    let mut out = super::stdout();
    print_reports(&mut out, kind, &reports, req.dry_run)?;
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}

/// Prints one line per file; warnings go to stderr.
pub fn print_reports(out: &mut dyn Write, kind: ReturnKind, reports: &[FileReport], dry_run: bool) -> Result<()> {
    let noun = |n: u64| kind.spec().noun(n);
    let rows_word = |n: u64| if n == 1 { "row" } else { "rows" };
    for r in reports {
        for w in &r.warnings {
            super::note(format!("warning: {w}"));
        }
        match &r.outcome {
            FileOutcome::Identical { in_this_import: true, .. } => {
                writeln!(out, "{}: the same file was given earlier in this import; skipped", r.file)?;
            }
            FileOutcome::Identical { batch, in_this_import: false } => {
                writeln!(out, "{}: identical to batch {batch}, already in the ledger; nothing changed", r.file)?;
            }
            FileOutcome::Imported { batch, period, rows, imported, duplicates, replaces } => {
                let term = period.map(|t| format!(" for {t}")).unwrap_or_default();
                let dups = match duplicates {
                    0 => String::new(),
                    1 => ", 1 duplicate skipped".to_string(),
                    n => format!(", {n} duplicates skipped"),
                };
                let replaced = replaces.map(|b| format!("; replaces the roster of batch {b}")).unwrap_or_default();
                match batch {
                    Some(b) => writeln!(
                        out,
                        "{}: imported {imported} {}{term} from {rows} {} ({}){dups}{replaced}; batch {b}",
                        r.file,
                        noun(*imported),
                        rows_word(*rows),
                        r.encoding
                    )?,
                    None => writeln!(
                        out,
                        "{}: valid ({}): would import {imported} {}{term} from {rows} {}{dups}{replaced}",
                        r.file,
                        r.encoding,
                        noun(*imported),
                        rows_word(*rows)
                    )?,
                }
            }
        }
    }
    if dry_run {
        writeln!(out, "dry run: nothing was written to the ledger")?;
    }
    Ok(())
}
