//! Operations the commands run: each does the work and returns values; commands render
//! them. (Cargo's split between `commands/` and `ops/`.)

use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;

use crate::facts::{LedgerFacts, UnitWords};
use crate::ledger::Ledger;
use crate::plan::file::{self, PlanErrors};
use crate::plan::{Plan, Term};
pub(crate) use crate::report::returns::Returns;
pub(crate) use crate::report::Trend;
use crate::report::{self, CoverageReport, Gap};
use crate::t;

pub(crate) mod import;
pub(crate) mod quality;

/// The plan in force: the file given (`--plan` or `$GONGYU_PLAN`), else the built-in one.
pub(crate) fn load_plan(path: Option<&Path>) -> Result<Plan> {
    match path {
        None => Ok(file::built_in()),
        Some(p) => read_plan(p),
    }
}

/// Reads and validates a plan file; errors are `FILE:LINE: what is wrong`, one per line.
pub(crate) fn read_plan(path: &Path) -> Result<Plan> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!(t!("plan-cannot-read", file = file, reason = io_reason(&e))))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        anyhow::anyhow!(t!("plan-not-utf8", file = file, line = line))
    })?;
    file::parse(&text, &file)
        .map_err(|e: PlanErrors| anyhow::anyhow!(t!("plan-problems", file = file, count = e.0.len(), problems = e.to_string())))
}

/// Why a file cannot be read, in words a clerk understands.
fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let kind = match e.kind() {
        ErrorKind::NotFound => "not-found",
        ErrorKind::PermissionDenied => "permission-denied",
        ErrorKind::IsADirectory => "is-a-directory",
        _ => "other",
    };
    t!("plan-io-reason", kind = kind, detail = e.to_string())
}

/// A coverage report, its gaps, and notes for people about what it rests on.
pub(crate) struct Coverage {
    pub report: CoverageReport,
    pub gaps: Vec<Gap>,
    pub notes: Vec<String>,
}

/// Reads what `plan` needs for `term` from the ledger and evaluates it as of `today`.
pub(crate) fn coverage(ledger: &Ledger, plan: &Plan, term: Term, today: NaiveDate) -> Result<Coverage> {
    let (counted, notes, walk) = count_gaps(ledger, plan, term, today, UNITS_PER_PART, true)?;
    let mut gaps = Vec::new();
    walk.each(|g| {
        gaps.push(g.clone());
        Ok(())
    })?;
    let report = closed(ledger, term, counted.into_report())?;
    Ok(Coverage { report, gaps, notes })
}

/// [`coverage`], with the gaps only if `with_gaps` (else `gaps` is empty).
pub(crate) fn coverage_with(ledger: &Ledger, plan: &Plan, term: Term, today: NaiveDate, with_gaps: bool) -> Result<Coverage> {
    if with_gaps {
        coverage(ledger, plan, term, today)
    } else {
        report(ledger, plan, term, today)
    }
}

/// [`coverage`] without the gaps (a report alone words no reasons).
pub(crate) fn report(ledger: &Ledger, plan: &Plan, term: Term, today: NaiveDate) -> Result<Coverage> {
    let start = |base| report::PartCount::new(plan, term, today, base);
    let (counted, notes) = read_in_parts(ledger, plan, term, today, UnitWords::None, UNITS_PER_PART, start)?.finish();
    let report = closed(ledger, term, counted.into_report())?;
    Ok(Coverage { report, gaps: Vec::new(), notes })
}

/// The report with its term's closing mark, if the term is closed.
fn closed(ledger: &Ledger, term: Term, mut report: CoverageReport) -> Result<CoverageReport> {
    report.closed =
        ledger.closed_terms()?.into_iter().find(|c| c.term == term).map(|c| report::ClosedMark { at: c.at, by: c.by });
    Ok(report)
}

/// How many schools and communities a report counts at a time: a few megabytes of them.
const UNITS_PER_PART: usize = 1 << 16;

/// The same for the gaps, whose parts bring codes and names (a megabyte each).
const GAP_UNITS_PER_PART: usize = 1 << 13;

/// Reads what `plan` needs for `term`, the schools and communities `units_per_part` at a
/// time (with their `words`), on this thread, while another thread counts each part into
/// the count `start` makes from the rest of the facts. No part is kept once counted: at
/// national scale the units alone are tens of megabytes.
fn read_in_parts<'p>(
    ledger: &Ledger,
    plan: &'p Plan,
    term: Term,
    today: NaiveDate,
    words: UnitWords,
    units_per_part: usize,
    start: impl FnOnce(LedgerFacts) -> report::PartCount<'p> + Send,
) -> Result<report::PartCount<'p>> {
    use crate::facts::FactsPart;
    let as_of = crate::plan::period::as_of(term, today);
    let windows = report::windows(plan, term, as_of);
    let activity_windows = report::activity_windows(plan, term, as_of);
    std::thread::scope(|s| {
        // Two parts read ahead at most.
        let (tx, rx) = std::sync::mpsc::sync_channel::<FactsPart>(2);
        let counter = s.spawn(move || -> Option<Result<report::PartCount<'p>>> {
            let Ok(FactsPart::Base(base)) = rx.recv() else { return None };
            let mut count = start(*base);
            for part in rx {
                if let FactsPart::Units(units) = part {
                    if let Err(e) = count.add(units) {
                        return Some(Err(e));
                    }
                }
            }
            Some(Ok(count))
        });
        let read = ledger.facts_in_parts(term, &windows, &activity_windows, words, units_per_part, |part| {
            tx.send(part).map_err(|_| anyhow::anyhow!("the count of the ledger's facts stopped"))
        });
        drop(tx);
        let counted = match counter.join() {
            Ok(c) => c,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let counted = counted.context("the ledger was read without its facts")?;
        read?;
        counted
    })
}

/// The report of `term` counted for its gaps (with its townships' rows if `township_rows`),
/// its notes, and the walk of its gaps.
fn count_gaps<'p>(
    ledger: &Ledger,
    plan: &'p Plan,
    term: Term,
    today: NaiveDate,
    units_per_part: usize,
    township_rows: bool,
) -> Result<(report::Counted, Vec<String>, report::GapWalk<'p>)> {
    let start = |base| report::PartCount::for_gaps(plan, term, today, base, township_rows);
    // Gaps are listed by code and name: both are read with the parts.
    read_in_parts(ledger, plan, term, today, UnitWords::CodesAndNames, units_per_part, start)?.finish_gaps()
}

/// The gaps of `term` at any scale: the report's figures for the district (its townships
/// listed, their rows not made) and notes, then `write` is handed a producer that gives
/// the gaps one at a time, in order.
pub(crate) fn gaps_streamed(
    ledger: &Ledger,
    plan: &Plan,
    term: Term,
    today: NaiveDate,
    write: impl FnOnce(&Coverage, &mut dyn FnMut(&mut dyn FnMut(&Gap) -> Result<()>) -> Result<()>) -> Result<()>,
) -> Result<()> {
    gaps_in_parts(ledger, plan, term, today, GAP_UNITS_PER_PART, write)
}

fn gaps_in_parts(
    ledger: &Ledger,
    plan: &Plan,
    term: Term,
    today: NaiveDate,
    units_per_part: usize,
    write: impl FnOnce(&Coverage, &mut dyn FnMut(&mut dyn FnMut(&Gap) -> Result<()>) -> Result<()>) -> Result<()>,
) -> Result<()> {
    let (counted, notes, walk) = count_gaps(ledger, plan, term, today, units_per_part, false)?;
    // The townships listed without their rows: at national scale, rows are megabytes.
    let coverage = Coverage { report: closed(ledger, term, counted.listed())?, gaps: Vec::new(), notes };
    let mut walk = Some(walk);
    let mut produce = |each: &mut dyn FnMut(&Gap) -> Result<()>| match walk.take() {
        Some(w) => w.each(each),
        None => anyhow::bail!("the gaps can be walked once"),
    };
    write(&coverage, &mut produce)
}

/// Computes the report of every term from `from` (default: the plan's first term) to `to`
/// (default: the plan's last term, or the term containing today if that is earlier).
pub(crate) fn trend(ledger: &Ledger, plan: &Plan, from: Option<Term>, to: Option<Term>, today: NaiveDate) -> Result<Trend> {
    let from = from.unwrap_or(plan.first_term);
    let to = to.unwrap_or_else(|| plan.last_term.min(Term::containing(today)));
    if to < from {
        anyhow::bail!(t!("trend-backwards", from = from.to_string(), to = to.to_string()));
    }
    let terms = from.through(to);
    if terms.len() > 200 {
        anyhow::bail!(t!("trend-too-long", from = from.to_string(), to = to.to_string(), count = terms.len()));
    }
    let reports = terms.iter().map(|t| report(ledger, plan, *t, today).map(|c| c.report)).collect::<Result<_>>()?;
    Ok(Trend { plan: plan.clone(), terms, reports })
}

/// Reads who has reported for `term`, as of `today` (capped at the term's last day), and
/// whether on time by `plan`'s deadlines.
pub(crate) fn returns(ledger: &Ledger, plan: &Plan, term: Term, today: NaiveDate) -> Result<Returns> {
    let as_of = crate::plan::period::as_of(term, today);
    let (term_window, year_window) = report::returns::windows(term, as_of);
    // Activities per host in the term; of the school year, home visits and filings.
    let facts = ledger.facts_counting(term, &[term_window, year_window], &[term_window], UnitWords::CodesAndNames)?;
    let mut received = Vec::new();
    for kind in report::timeliness::rosters_read(plan) {
        received.push((kind, ledger.roster_received(kind, term)?));
    }
    let activities = ledger.activities_received(term)?;
    let registry = ledger.registry_received(term, year_window.end)?;
    let receipts = report::timeliness::Receipts { rosters: &received, activities: &activities, registry: &registry };
    Ok(Returns {
        term,
        as_of,
        rosters: ledger.rosters_in_use(term)?,
        status: report::returns::status(&facts, term_window, year_window),
        timeliness: report::timeliness::timeliness(&facts, plan, term, &receipts),
        today,
        plan_name: plan.name.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::import;
    use crate::returns::ReturnKind;

    fn import(ledger: &mut Ledger, dir: &Path, kind: ReturnKind, text: &str) {
        import::import_text(ledger, &dir.join(format!("{}.csv", kind.as_str())), kind, text);
    }

    /// A report counted as the ledger is read, a part of the units at a time, is the same
    /// whatever the size of the parts (here one part is the whole ledger) — with key
    /// students too (counted after the parts, against the schools).
    #[test]
    fn a_report_counted_in_parts_is_the_report_counted_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        let mut ledger = Ledger::create(&p.join("l.db")).unwrap().unwrap();
        let mut communities = String::from("code,name,township,township_code,parent_school,standards_rules,term\n");
        // The first schools leave coedu_teachers blank: counted a part at a time for the
        // gaps, its target looks no-data at first, and is not.
        let mut schools =
            String::from("code,name,type,township,parent_school,area,principal_heads,committee_school,coedu_teachers,term\n");
        let mut activities = String::from("id,host,date,kind\n");
        let towns = [("大峪街道", "110109001"), ("城子街道", "110109002"), ("斋堂镇", "110109106")];
        for i in 0..23 {
            let (name, code) = towns[i % 3];
            let yes = |n: usize| if i % n == 0 { "是" } else { "否" };
            let kind = if i % 4 == 0 { "村委会" } else { "社区居委会" };
            communities.push_str(&format!("{code}{i:03},第{i}{kind},{name},{code},{},{},2020-2021-1\n", yes(2), yes(3)));
            activities.push_str(&format!("C{i},{code}{i:03},2020-10-{:02},讲座\n", 1 + i % 28));
        }
        for i in 0..17 {
            // Schools name their townships by name or by code, and one by a name no
            // community roster has (a note says so).
            let (name, code) = towns[i % 3];
            let township = if i == 16 {
                "清水镇"
            } else if i % 2 == 0 {
                name
            } else {
                code
            };
            let ty = ["小学", "初中", "幼儿园"][i % 3];
            let yes = |n: usize| if i % n == 0 { "是" } else { "否" };
            let teachers = if i < 3 { String::new() } else { (i % 4).to_string() };
            schools.push_str(&format!(
                "S{i:02},学校{i},{ty},{township},{},城区,{},{},{teachers},2020-2021-1\n",
                yes(2),
                yes(3),
                yes(4)
            ));
            for k in 0..i % 3 {
                activities.push_str(&format!("S{i}-{k},S{i:02},2020-11-{:02},家长会\n", 1 + k));
            }
        }
        import(&mut ledger, p, ReturnKind::Communities, &communities);
        import(&mut ledger, p, ReturnKind::Schools, &schools);
        import(
            &mut ledger,
            p,
            ReturnKind::Bodies,
            "code,name,kind,level,township,term\nB1,区家长学校,家长学校,区级,,2020-2021-1\nB2,镇家长学校,家长学校,机关,斋堂镇,2020-2021-1\n",
        );
        import(&mut ledger, p, ReturnKind::Activities, &activities);
        let plan = load_plan(None).unwrap();
        let term: Term = "2020-2021-1".parse().unwrap();
        let today = NaiveDate::from_ymd_opt(2021, 3, 1).unwrap();
        let check = |ledger: &Ledger, what: &str| {
            let whole = coverage(ledger, &plan, term, today).unwrap();
            assert!(whole.notes.iter().any(|n| n.contains("清水镇（1 所学校）")), "{what}: {:?}", whole.notes);
            for size in [1, 2, 5, 16, 17, 18, 1000] {
                let start = |base| report::PartCount::new(&plan, term, today, base);
                let count = read_in_parts(ledger, &plan, term, today, UnitWords::None, size, start).unwrap();
                let (counted, notes) = count.finish();
                assert_eq!(counted.into_report(), whole.report, "{what}: the report in parts of {size}");
                assert_eq!(notes, whole.notes, "{what}: the notes in parts of {size}");
                // The gaps, counted in parts and walked as they are written.
                let (mut gaps, mut seen) = (Vec::new(), None);
                gaps_in_parts(ledger, &plan, term, today, size, |c, produce| {
                    seen = Some((c.report.district.clone(), c.notes.clone()));
                    produce(&mut |g| {
                        gaps.push(g.clone());
                        Ok(())
                    })
                })
                .unwrap();
                assert_eq!(seen, Some((whole.report.district.clone(), whole.notes.clone())), "{what}: parts of {size}");
                assert_eq!(gaps, whole.gaps, "{what}: the gaps in parts of {size}");
            }
        };
        check(&ledger, "without key students");
        import(&mut ledger, p, ReturnKind::KeyStudents, "school,ref,category,school_year\nS00,K1,留守,2020-2021\n");
        check(&ledger, "with key students");
    }
}
