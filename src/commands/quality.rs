//! `gongyu quality` (findings over a term's activity rows) and `gongyu quality review`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use crate::cli::{QualityArgs, QualityCommand, QualityReviewArgs};
use crate::files::Target;
use crate::lang::Lang;
use crate::ops::quality::{self, Quality};
use crate::render::{self, ReportFormat};

/// Exit code of `--check` when a high-severity finding is not reviewed (SPEC §6.2).
pub(crate) const EXIT_UNREVIEWED: u8 = 3;

pub(crate) fn run(db: &Path, plan: Option<&Path>, lang: Lang, args: QualityArgs) -> Result<ExitCode> {
    if let Some(QualityCommand::Review(r)) = args.command {
        return review(db, plan, r);
    }
    let out = &args.out;
    let target = out.output.as_deref().map(|path| Target { path, force: out.force, ledger: Some(db), flag: "-o", lang });
    if out.format == ReportFormat::Xlsx && target.is_none() {
        bail!(crate::t!("commands-coverage-xlsx-needs-output"));
    }
    if out.format != ReportFormat::Csv && out.excel {
        super::warn(crate::t!("commands-excel-ignored"));
    }
    if let Some(t) = &target {
        t.check()?;
    }
    let loaded = crate::ops::load_plan(plan)?;
    let th = quality::thresholds(&loaded);
    let term = super::term_or_today(args.term.as_deref())?;
    let ledger = super::open_ledger(db)?;
    let q = quality::quality(&ledger, term, th)?;
    let write = |w: &mut dyn Write| -> Result<()> {
        match out.format {
            ReportFormat::Table => render::quality::table(w, &q, lang),
            ReportFormat::Csv => render::quality::csv(w, &q, out.excel, lang),
            ReportFormat::Json => render::quality::json(w, &q, &loaded, lang),
            ReportFormat::Html => render::quality::html(w, &q, &loaded, lang),
            ReportFormat::Xlsx => unreachable!("written to a file below"),
        }
    };
    match (out.format, target) {
        (ReportFormat::Xlsx, Some(t)) => {
            t.write_with(|file, _| render::quality::xlsx(file, &q, lang))?;
            super::note(crate::t!("commands-coverage-wrote", file = t.path.display().to_string()));
        }
        (_, Some(t)) => {
            t.write_with(|file, _| {
                let mut w = std::io::BufWriter::new(file);
                write(&mut w)?;
                w.flush()?;
                Ok(())
            })?;
            super::note(crate::t!("commands-coverage-wrote", file = t.path.display().to_string()));
        }
        (_, None) => {
            let mut w = super::stdout();
            write(&mut w)?;
            super::finish(w)?;
        }
    }
    if args.check {
        let open: Vec<&str> = q.unreviewed_high().map(|f| f.id.as_str()).collect();
        if !open.is_empty() {
            let shown: Vec<&str> = open.iter().take(10).copied().collect();
            super::note(crate::t!("quality-check-failed", count = open.len(), ids = shown.join(" ")));
            return Ok(ExitCode::from(EXIT_UNREVIEWED));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn review(db: &Path, plan: Option<&Path>, a: QualityReviewArgs) -> Result<ExitCode> {
    let term = super::term_or_today(a.term.as_deref())?;
    // The plan is checked as `quality` checks it: its thresholds decide which findings exist.
    let th = quality::thresholds(&crate::ops::load_plan(plan)?);
    let mut ledger = super::open_ledger(db)?;
    let q = quality::quality(&ledger, term, th)?;
    let id = a.id.trim();
    let Some(f) = q.findings.iter().find(|f| f.id.eq_ignore_ascii_case(id)) else {
        bail!(crate::t!("quality-review-unknown", id = id, term = term.to_string()));
    };
    let note = a.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if !a.undo && note.is_none() {
        bail!(crate::t!("quality-review-needs-note"));
    }
    let id = f.id.clone();
    ledger
        .review_finding(term, &id, a.undo, note, &crate::ambient::os_user(), &crate::ambient::now())
        .with_context(|| crate::t!("quality-review-of", id = id.as_str()))?;
    let mut out = super::stdout();
    let msg = if a.undo {
        crate::t!("quality-review-undone", id = id.as_str(), term = term.to_string())
    } else {
        crate::t!("quality-reviewed", id = id.as_str(), term = term.to_string())
    };
    writeln!(out, "{msg}")?;
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}

/// The unreviewed high-severity findings of `term`, for `term close` to list.
pub(crate) fn unreviewed_high(ledger: &crate::ledger::Ledger, plan: Option<&Path>, term: crate::plan::Term) -> Result<Quality> {
    quality::quality(ledger, term, quality::thresholds(&crate::ops::load_plan(plan)?))
}
