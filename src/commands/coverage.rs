//! `gongyu coverage report`, `gongyu coverage gaps` and `gongyu coverage trend`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use crate::cli::{By, GapsArgs, ReportArgs, ReportOutput, TrendArgs};
use crate::files::Target;
use crate::lang::Lang;
use crate::ledger::Ledger;
use crate::ops::{self, Coverage};
use crate::plan::{Plan, Status, Term};
use crate::render::{self, Inspection, ReportFormat};

/// Exit code of `--check` when a target has a gap.
pub(crate) const EXIT_GAP: u8 = 3;

/// What every coverage command starts from.
struct Setup {
    plan: Plan,
    ledger: Ledger,
    today: chrono::NaiveDate,
}

fn setup(db: &Path, plan: Option<&Path>) -> Result<Setup> {
    let plan = ops::load_plan(plan)?;
    let ledger = super::open_ledger(db)?;
    Ok(Setup { plan, ledger, today: crate::ambient::today()? })
}

/// The report of `term` (or today's), and its gaps if `with_gaps`.
fn compute(s: &Setup, term: Option<&str>, with_gaps: bool) -> Result<Coverage> {
    let term = super::term_or_today(term)?;
    let coverage = ops::coverage_with(&s.ledger, &s.plan, term, s.today, with_gaps)?;
    for n in &coverage.notes {
        super::note_that(n);
    }
    Ok(coverage)
}

/// Where `-o` writes, if given: never the ledger, an existing file only with `--force`.
pub(super) fn output<'a>(db: &'a Path, out: &'a ReportOutput, lang: Lang) -> Option<Target<'a>> {
    out.output.as_deref().map(|path| Target { path, force: out.force, ledger: Some(db), flag: "-o", lang })
}

/// Checks `--output` against the format, and the file it names, before any work is done.
pub(super) fn check_output(out: &ReportOutput, target: Option<&Target<'_>>) -> Result<()> {
    if out.format == ReportFormat::Xlsx && target.is_none() {
        bail!(crate::t!("commands-coverage-xlsx-needs-output"));
    }
    if out.format != ReportFormat::Csv && out.excel {
        super::warn(crate::t!("commands-excel-ignored"));
    }
    target.map_or(Ok(()), Target::check)
}

/// Writes text output to `--output` or standard output.
pub(super) fn emit(output: Option<Target<'_>>, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    match output {
        Some(target) => {
            target.write_with(|file, _| {
                let mut out = std::io::BufWriter::new(file);
                write(&mut out)?;
                out.flush()?;
                Ok(())
            })?;
            super::note(crate::t!("commands-coverage-wrote", file = target.path.display().to_string()));
            Ok(())
        }
        None => {
            let mut out = super::stdout();
            write(&mut out)?;
            super::finish(out)
        }
    }
}

/// The workbook or the page: the term's report and gaps, and the plan's progress to it.
fn inspection(s: &Setup, c: &Coverage, format: ReportFormat, output: Option<Target<'_>>, lang: Lang) -> Result<()> {
    let term = c.report.term;
    let trend = ops::trend(&s.ledger, &s.plan, Some(s.plan.first_term.min(term)), Some(term), s.today)?;
    // The findings inform the inspector beside the figures; they never change them.
    let thresholds = crate::plan::quality::in_force(&s.plan.quality_given);
    let quality = ops::quality::quality(&s.ledger, term, thresholds)?;
    let i = Inspection { report: &c.report, gaps: &c.gaps, trend: &trend, lang, notes: &c.notes, quality: Some(&quality) };
    match format {
        ReportFormat::Xlsx => {
            let target = output.with_context(|| crate::t!("commands-coverage-xlsx-needs-o"))?;
            target.write_with(|file, _| render::xlsx::write(file, &i))?;
            super::note(crate::t!("commands-coverage-wrote", file = target.path.display().to_string()));
            Ok(())
        }
        _ => emit(output, |out| render::html::write(out, &i)),
    }
}

pub(crate) fn report(db: &Path, plan: Option<&Path>, lang: Lang, args: ReportArgs) -> Result<ExitCode> {
    let output = output(db, &args.out, lang);
    check_output(&args.out, output.as_ref())?;
    let s = setup(db, plan)?;
    // Tables, CSV and JSON show the report alone; the workbook and the page list the gaps too.
    let c = compute(&s, args.term.as_deref(), args.out.format.text().is_none())?;
    let report = &c.report;
    match args.out.format.text() {
        Some(f) => emit(output, |out| render::coverage(out, report, f, args.by == Some(By::Township), args.out.excel, lang))?,
        None => inspection(&s, &c, args.out.format, output, lang)?,
    }
    if args.check && report.has_gap() {
        let gaps: Vec<String> = report
            .rows()
            .filter(|(_, r)| r.status == Status::Gap)
            .map(|(t, r)| {
                format!("{} {}", t.map_or(crate::t!("commands-coverage-district"), |t| t.id().to_string()), report.target(r).id)
            })
            .collect();
        let shown: Vec<&str> = gaps.iter().take(10).map(String::as_str).collect();
        let more = if gaps.len() > shown.len() {
            crate::t!("commands-coverage-more", count = gaps.len() - shown.len())
        } else {
            String::new()
        };
        super::note(crate::t!("commands-coverage-check-gaps", count = gaps.len(), rows = shown.join(", "), more = more));
        return Ok(ExitCode::from(EXIT_GAP));
    }
    Ok(ExitCode::SUCCESS)
}

/// The index of `--target ID` in the plan.
fn target_index(plan: &Plan, id: Option<&str>) -> Result<Option<usize>> {
    match id.map(str::trim) {
        Some(id) => match plan.targets.iter().position(|t| t.id == id) {
            Some(i) => Ok(Some(i)),
            None => {
                bail!(crate::t!("commands-coverage-no-target", id = id, plan = plan.id, targets = plan.target_ids().to_string()))
            }
        },
        None => Ok(None),
    }
}

pub(crate) fn gaps(db: &Path, plan: Option<&Path>, lang: Lang, args: GapsArgs) -> Result<ExitCode> {
    let output = output(db, &args.out, lang);
    check_output(&args.out, output.as_ref())?;
    let s = setup(db, plan)?;
    let target = target_index(&s.plan, args.target.as_deref())?;
    let township = args.township.as_deref().map(str::trim);
    // Does gap `g` pass `--target` and `--township`?
    let wanted = |g: &crate::report::Gap| {
        target.is_none_or(|t| g.target == t)
            && township.is_none_or(|want| g.township.as_ref().is_some_and(|t| t.code.as_deref() == Some(want) || t.name == want))
    };
    let known = |c: &Coverage| -> Result<()> {
        let Some(want) = township else { return Ok(()) };
        let report = &c.report;
        if !report.townships.iter().any(|t| t.township.code.as_deref() == Some(want) || t.township.name == want) {
            let names: Vec<String> = report.townships.iter().map(|t| t.township.name.clone()).collect();
            let (term, known) = (report.term.to_string(), names.join(", "));
            bail!(crate::t!("commands-coverage-no-township", township = want, term = term, known = known));
        }
        Ok(())
    };
    match args.out.format.text() {
        // Text formats take the gaps as they come: a national term has hundreds of thousands.
        Some(f) => {
            let term = super::term_or_today(args.term.as_deref())?;
            ops::gaps_streamed(&s.ledger, &s.plan, term, s.today, |c, produce| {
                for n in &c.notes {
                    super::note_that(n);
                }
                known(c)?;
                emit(output, |out| {
                    render::gaps_from(out, &c.report, f, None, args.out.excel, lang, |row| {
                        produce(&mut |g| if wanted(g) { row(g) } else { Ok(()) })
                    })
                })
            })?;
        }
        None => {
            let mut c = compute(&s, args.term.as_deref(), true)?;
            known(&c)?;
            c.gaps.retain(|g| wanted(g));
            inspection(&s, &c, args.out.format, output, lang)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn trend(db: &Path, plan: Option<&Path>, lang: Lang, args: TrendArgs) -> Result<ExitCode> {
    let output = output(db, &args.out, lang);
    check_output(&args.out, output.as_ref())?;
    let s = setup(db, plan)?;
    let target = target_index(&s.plan, args.target.as_deref())?.map(|i| s.plan.targets[i].id.clone());
    let term = |flag: &str, v: Option<&str>| -> Result<Option<Term>> {
        v.map(|t| t.parse::<Term>().map_err(|e| anyhow::anyhow!("--{flag} {t}: {e}"))).transpose()
    };
    let (from, to) = (term("from", args.from.as_deref())?, term("to", args.to.as_deref())?);
    let trend = ops::trend(&s.ledger, &s.plan, from, to, s.today)?;
    let township = args.township.as_deref().map(str::trim);
    if let Some(want) = township {
        let known = trend
            .reports
            .iter()
            .any(|r| r.townships.iter().any(|t| t.township.code.as_deref() == Some(want) || t.township.name == want));
        if !known {
            let (from, to) = (trend.terms[0].to_string(), trend.terms[trend.terms.len() - 1].to_string());
            bail!(crate::t!("commands-coverage-no-township-trend", township = want, from = from, to = to));
        }
    }
    match args.out.format.text() {
        Some(f) => {
            let filter =
                render::trend::Filter { target: target.as_deref(), township, by_township: args.by == Some(By::Township) };
            emit(output, |out| render::trend::write(out, &trend, &filter, f, args.out.excel, lang))?;
        }
        None => {
            // The workbook and the page show the last term's report beside the trend.
            let last = *trend.terms.last().expect("a trend has at least one term");
            let c = ops::coverage(&s.ledger, &s.plan, last, s.today)?;
            inspection(&s, &c, args.out.format, output, lang)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
