//! `gongyu coverage report` and `gongyu coverage gaps`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Result};

use crate::cli::{By, GapsArgs, ReportArgs};
use crate::ops::{self, Coverage};
use crate::plan::Status;
use crate::render;

/// Exit code of `--check` when a target has a gap.
pub const EXIT_GAP: u8 = 3;

fn compute(db: &Path, plan: Option<&Path>, term: Option<&str>) -> Result<Coverage> {
    let plan = ops::load_plan(plan)?;
    let term = super::term_or_today(term)?;
    let ledger = super::open_ledger(db)?;
    let coverage = ops::coverage(&ledger, &plan, term, crate::ambient::today()?)?;
    for n in &coverage.notes {
        super::note(format!("note: {n}"));
    }
    Ok(coverage)
}

pub fn report(db: &Path, plan: Option<&Path>, args: ReportArgs) -> Result<ExitCode> {
    let Coverage { report, .. } = compute(db, plan, args.term.as_deref())?;
    let mut out = super::stdout();
    render::coverage(&mut out, &report, args.format, args.by == Some(By::Township), args.excel)?;
    super::finish(out)?;
    if args.format != render::Format::Csv && args.excel {
        super::note("warning: --excel applies to --format csv only; ignored");
    }
    if args.check && report.has_gap() {
        let gaps: Vec<String> = report
            .rows()
            .filter(|(_, r)| r.status == Status::Gap)
            .map(|(t, r)| format!("{} {}", t.map_or("district", |t| t.id()), report.target(r).id))
            .collect();
        let shown: Vec<&str> = gaps.iter().take(10).map(String::as_str).collect();
        let more = if gaps.len() > shown.len() { format!(" and {} more", gaps.len() - shown.len()) } else { String::new() };
        super::note(format!("check: {} target row(s) have a gap: {}{more}", gaps.len(), shown.join(", ")));
        return Ok(ExitCode::from(EXIT_GAP));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn gaps(db: &Path, plan_path: Option<&Path>, args: GapsArgs) -> Result<ExitCode> {
    let plan = ops::load_plan(plan_path)?;
    let target = match args.target.as_deref().map(str::trim) {
        Some(id) => match plan.targets.iter().position(|t| t.id == id) {
            Some(i) => Some(i),
            None => bail!("--target {id}: no such target in plan {}; its targets are {}", plan.id, plan.target_ids()),
        },
        None => None,
    };
    let Coverage { report, mut gaps, .. } = compute(db, plan_path, args.term.as_deref())?;
    if let Some(t) = target {
        gaps.retain(|g| g.target == t);
    }
    if let Some(want) = args.township.as_deref().map(str::trim) {
        let known = report.townships.iter().any(|t| t.township.code.as_deref() == Some(want) || t.township.name == want);
        if !known {
            let names: Vec<String> = report.townships.iter().map(|t| t.township.name.clone()).collect();
            bail!("--township {want}: no such township in the rosters of {}; known: {}", report.term, names.join(", "));
        }
        gaps.retain(|g| g.township.as_ref().is_some_and(|t| t.code.as_deref() == Some(want) || t.name == want));
    }
    if args.format != render::Format::Csv && args.excel {
        super::note("warning: --excel applies to --format csv only; ignored");
    }
    let mut out = super::stdout();
    render::gaps(&mut out, &report, &gaps, args.format, None, args.excel)?;
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}

pub fn trend(db: &Path, plan_path: Option<&Path>, args: crate::cli::TrendArgs) -> Result<ExitCode> {
    let plan = ops::load_plan(plan_path)?;
    let target = match args.target.as_deref().map(str::trim) {
        Some(id) if plan.target(id).is_none() => {
            bail!("--target {id}: no such target in plan {}; its targets are {}", plan.id, plan.target_ids())
        }
        other => other.map(str::to_string),
    };
    let term = |flag: &str, v: Option<&str>| -> Result<Option<crate::plan::Term>> {
        v.map(|t| t.parse::<crate::plan::Term>().map_err(|e| anyhow::anyhow!("--{flag} {t}: {e}"))).transpose()
    };
    let (from, to) = (term("from", args.from.as_deref())?, term("to", args.to.as_deref())?);
    let ledger = super::open_ledger(db)?;
    let trend = ops::trend(&ledger, &plan, from, to, crate::ambient::today()?)?;
    let township = args.township.as_deref().map(str::trim);
    if let Some(want) = township {
        let known = trend
            .reports
            .iter()
            .any(|r| r.townships.iter().any(|t| t.township.code.as_deref() == Some(want) || t.township.name == want));
        if !known {
            bail!(
                "--township {want}: no such township in the rosters of {} to {}",
                trend.terms[0],
                trend.terms[trend.terms.len() - 1]
            );
        }
    }
    if args.format != render::Format::Csv && args.excel {
        super::note("warning: --excel applies to --format csv only; ignored");
    }
    let filter = render::trend::Filter { target: target.as_deref(), township, by_township: args.by == Some(By::Township) };
    let mut out = super::stdout();
    render::trend::write(&mut out, &trend, &filter, args.format, args.excel)?;
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}
