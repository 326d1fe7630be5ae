//! `gongyu coverage report` and `gongyu coverage gaps`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Result};

use crate::cli::{By, GapsArgs, ReportArgs};
use crate::plan::{Status, Target};
use crate::render;
use crate::report::{self, CoverageReport, Gap};

/// Exit code of `--check` when a target has a gap.
pub const EXIT_GAP: u8 = 3;

fn compute(db: &Path, term: Option<&str>) -> Result<(CoverageReport, Vec<Gap>)> {
    let term = super::term_or_today(term)?;
    let ledger = super::open_ledger(db)?;
    let snap = ledger.snapshot(term)?;
    let (report, gaps) = report::compute(term, &snap);
    for n in report::notes(&report, &snap) {
        super::note(format!("note: {n}"));
    }
    Ok((report, gaps))
}

pub fn report(db: &Path, args: ReportArgs) -> Result<ExitCode> {
    let (report, _) = compute(db, args.term.as_deref())?;
    let mut out = super::stdout();
    render::coverage(&mut out, &report, args.format, args.by == Some(By::Township), args.excel)?;
    super::finish(out)?;
    if args.format != render::Format::Csv && args.excel {
        super::note("warning: --excel applies to --format csv only; ignored");
    }
    if args.check && report.has_gap() {
        let mut gaps: Vec<String> =
            report.district.iter().filter(|r| r.status() == Status::Gap).map(|r| format!("district {}", r.target.id())).collect();
        for t in &report.townships {
            for r in t.targets.iter().filter(|r| r.status() == Status::Gap) {
                gaps.push(format!("{} {}", t.township.id(), r.target.id()));
            }
        }
        let shown: Vec<&str> = gaps.iter().take(10).map(String::as_str).collect();
        let more = if gaps.len() > shown.len() { format!(" and {} more", gaps.len() - shown.len()) } else { String::new() };
        super::note(format!("check: {} target row(s) have a gap: {}{more}", gaps.len(), shown.join(", ")));
        return Ok(ExitCode::from(EXIT_GAP));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn gaps(db: &Path, args: GapsArgs) -> Result<ExitCode> {
    let target = match args.target.as_deref() {
        Some(id) => match Target::from_id(id) {
            Some(t) => Some(t),
            None => bail!(
                "--target {id}: no such target; the targets are {}",
                Target::ALL.iter().map(|t| t.id()).collect::<Vec<_>>().join(", ")
            ),
        },
        None => None,
    };
    let (report, mut gaps) = compute(db, args.term.as_deref())?;
    if let Some(t) = target {
        gaps.retain(|g| g.target == t);
    }
    if let Some(want) = args.township.as_deref().map(str::trim) {
        let known = report.townships.iter().any(|t| t.township.code.as_deref() == Some(want) || t.township.name == want);
        if !known {
            let names: Vec<String> = report.townships.iter().map(|t| t.township.name.clone()).collect();
            bail!("--township {want}: no such township in the rosters of {}; known: {}", report.term, names.join(", "));
        }
        gaps.retain(|g| g.township.code.as_deref() == Some(want) || g.township.name == want);
    }
    if args.format != render::Format::Csv && args.excel {
        super::note("warning: --excel applies to --format csv only; ignored");
    }
    let mut out = super::stdout();
    render::gaps(&mut out, &report, &gaps, args.format, None, args.excel)?;
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}
