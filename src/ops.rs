//! Operations the commands run: each does the work and returns values; commands render
//! them. (Cargo's split between `commands/` and `ops/`.)

use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;

use crate::facts::{LedgerFacts, UnitWords};
use crate::ledger::Ledger;
use crate::plan::file::{self, PlanErrors};
use crate::plan::{Plan, Term};
use crate::report::{self, CoverageReport, Gap};

/// The plan in force: the file given (`--plan` or `$GONGYU_PLAN`), else the built-in one.
pub fn load_plan(path: Option<&Path>) -> Result<Plan> {
    match path {
        None => Ok(file::built_in()),
        Some(p) => read_plan(p),
    }
}

/// Reads and validates a plan file; errors are `FILE:LINE: what is wrong`, one per line.
pub fn read_plan(path: &Path) -> Result<Plan> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read the plan file {}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        anyhow::anyhow!("{}:{line}: a plan file is UTF-8 text; this line is not", path.display())
    })?;
    file::parse(&text, &path.display().to_string()).map_err(|e: PlanErrors| {
        let n = e.0.len();
        let what = if n == 1 { "1 problem".to_string() } else { format!("{n} problems") };
        anyhow::anyhow!("the plan file {} has {what} (`gongyu plan show` prints a valid plan):\n{e}", path.display())
    })
}

/// A coverage report, its gaps, and notes for people about what it rests on.
pub struct Coverage {
    pub report: CoverageReport,
    pub gaps: Vec<Gap>,
    pub notes: Vec<String>,
}

/// Reads what `plan` needs for `term` from the ledger and evaluates it as of `today`.
pub fn coverage(ledger: &Ledger, plan: &Plan, term: Term, today: NaiveDate) -> Result<Coverage> {
    coverage_with(ledger, plan, term, today, true)
}

/// [`coverage`], with the gaps only if `with_gaps` (else `gaps` is empty: a report alone
/// words no reasons).
pub fn coverage_with(ledger: &Ledger, plan: &Plan, term: Term, today: NaiveDate, with_gaps: bool) -> Result<Coverage> {
    let words = if with_gaps { UnitWords::CodesAndNames } else { UnitWords::None };
    let as_of = crate::plan::period::as_of(term, today);
    let windows = report::windows(plan, term, as_of);
    let facts: LedgerFacts = ledger.facts_counting(term, &windows, &report::activity_windows(plan, term, as_of), words)?;
    let mut gaps = Vec::new();
    let counted = report::count(plan, term, today, &facts, with_gaps.then_some(&mut gaps));
    let notes = report::notes(&counted.report, &facts);
    // The units are let go before the townships' rows are made: at national scale each
    // is tens of megabytes.
    drop(facts);
    let mut report = counted.into_report();
    report.closed =
        ledger.closed_terms()?.into_iter().find(|c| c.term == term).map(|c| report::ClosedMark { at: c.at, by: c.by });
    Ok(Coverage { report, gaps, notes })
}

/// The gaps of `term` at any scale: the report's figures for the district (its townships
/// listed, their rows not kept) and notes, then `write` is handed a producer that gives the
/// gaps one at a time, in order, reading the names of failing units only.
pub fn gaps_streamed(
    ledger: &Ledger,
    plan: &Plan,
    term: Term,
    today: NaiveDate,
    write: impl FnOnce(&Coverage, &mut dyn FnMut(&mut dyn FnMut(&Gap) -> Result<()>) -> Result<()>) -> Result<()>,
) -> Result<()> {
    let as_of = crate::plan::period::as_of(term, today);
    let windows = report::windows(plan, term, as_of);
    let facts: LedgerFacts =
        ledger.facts_counting(term, &windows, &report::activity_windows(plan, term, as_of), UnitWords::Codes)?;
    let walk = report::gaps(plan, term, today, &facts);
    let mut report = walk.report().clone();
    report.closed =
        ledger.closed_terms()?.into_iter().find(|c| c.term == term).map(|c| report::ClosedMark { at: c.at, by: c.by });
    let notes = report::notes(&report, &facts);
    let coverage = Coverage { report, gaps: Vec::new(), notes };
    let mut walk = Some(walk);
    let mut produce = |each: &mut dyn FnMut(&Gap) -> Result<()>| match walk.take() {
        Some(w) => w.each(|ids| ledger.unit_names(term, ids), each),
        None => anyhow::bail!("the gaps can be walked once"),
    };
    write(&coverage, &mut produce)
}

/// The plan's progress: the report of each term from `from` to `to`.
pub struct Trend {
    pub plan: Plan,
    pub terms: Vec<Term>,
    /// One report per term, in order.
    pub reports: Vec<CoverageReport>,
}

/// Computes the report of every term from `from` (default: the plan's first term) to `to`
/// (default: the plan's last term, or the term containing today if that is earlier).
pub fn trend(ledger: &Ledger, plan: &Plan, from: Option<Term>, to: Option<Term>, today: NaiveDate) -> Result<Trend> {
    let from = from.unwrap_or(plan.first_term);
    let to = to.unwrap_or_else(|| plan.last_term.min(Term::containing(today)));
    if to < from {
        anyhow::bail!("the trend would run from {from} to {to}, which is backwards; check --from and --to");
    }
    let terms = from.through(to);
    if terms.len() > 200 {
        anyhow::bail!("{from} to {to} is {} terms; ask for 200 or fewer", terms.len());
    }
    let reports = terms.iter().map(|t| coverage_with(ledger, plan, *t, today, false).map(|c| c.report)).collect::<Result<_>>()?;
    Ok(Trend { plan: plan.clone(), terms, reports })
}

/// Who has reported for a term: the rosters in use and what the returns hold.
pub struct Returns {
    pub term: Term,
    pub as_of: NaiveDate,
    /// Each roster kind and the batch in use, or `None` where missing.
    pub rosters: Vec<(&'static str, Option<crate::ledger::admin::BatchRecord>)>,
    pub status: report::returns::ReturnsStatus,
}

/// Reads who has reported for `term`, as of `today` (capped at the term's last day).
pub fn returns(ledger: &Ledger, term: Term, today: NaiveDate) -> Result<Returns> {
    let as_of = crate::plan::period::as_of(term, today);
    let (term_window, year_window) = report::returns::windows(term, as_of);
    let facts = ledger.facts(term, &[term_window, year_window])?;
    Ok(Returns {
        term,
        as_of,
        rosters: ledger.rosters_in_use(term)?,
        status: report::returns::status(&facts, term_window, year_window),
    })
}
