//! Coverage and gaps: a pure evaluation of a plan's targets over the facts read from the
//! ledger ([`LedgerFacts`]) for one term, as of one day. No SQL, no I/O.

mod evaluate;
pub mod returns;
pub mod township;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::facts::{LedgerFacts, RostersUsed, Window};
use crate::lang::Words;
use crate::plan::model::{Plan, Responsible, TargetDef, Threshold};
use crate::plan::period::{self, PeriodSpan};
use crate::plan::{HostKind, Ratio, Status, Term};
pub use township::{TownshipDirectory, TownshipKey};

use evaluate::{Failure, Units};

/// One target at one scope (the district or a township).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRow {
    /// Index of the target in the plan.
    pub target: usize,
    pub numerator: u64,
    /// `None` for an `at_least` target.
    pub denominator: Option<u64>,
    /// `None` for an informational target.
    pub shortfall: Option<u64>,
    pub status: Status,
    pub responsible: Bodies,
}

/// The bodies responsible for a row or a gap: one list shared by every row naming the
/// same bodies (a national report has hundreds of thousands of rows).
pub type Bodies = std::sync::Arc<[String]>;

impl TargetRow {
    /// Numerator over denominator, for percentages (`None` without a denominator).
    pub fn ratio(&self) -> Option<Ratio> {
        self.denominator.map(|d| Ratio::new(self.numerator, d))
    }
}

/// The targets of one township.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TownshipReport {
    pub township: TownshipKey,
    pub targets: Vec<TargetRow>,
}

/// The coverage report for one term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageReport {
    pub plan: Plan,
    pub term: Term,
    /// The day the report is judged as of: the term's last day, or today if earlier.
    pub as_of: NaiveDate,
    /// Each target's period as this report sees it, in plan order.
    pub spans: Vec<PeriodSpan>,
    pub rosters: RostersUsed,
    pub district: Vec<TargetRow>,
    pub townships: Vec<TownshipReport>,
    /// When the term was closed and by whom, if it is (set by the caller: the report
    /// itself does not depend on it).
    pub closed: Option<ClosedMark>,
}

/// A closed term's mark on its report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClosedMark {
    pub at: String,
    pub by: String,
}

impl CoverageReport {
    pub fn target(&self, row: &TargetRow) -> &TargetDef {
        &self.plan.targets[row.target]
    }

    /// Every row, district first, with its township.
    pub fn rows(&self) -> impl Iterator<Item = (Option<&TownshipKey>, &TargetRow)> {
        self.district
            .iter()
            .map(|r| (None, r))
            .chain(self.townships.iter().flat_map(|t| t.targets.iter().map(move |r| (Some(&t.township), r))))
    }

    /// Whether any target row, at any level, has status `gap`.
    pub fn has_gap(&self) -> bool {
        self.rows().any(|(_, r)| r.status == Status::Gap)
    }
}

/// One unit failing one target (or, for an `at_least` target, one scope short of units).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub target: usize,
    pub township: Option<TownshipKey>,
    pub unit_code: String,
    pub unit_name: String,
    /// Words for people, in both languages (rendered in the output language).
    pub reason: Words,
    /// Stable: `no-parent-school`, `not-reported`, `fact-no`, `no-activity`, `no-KIND`,
    /// `too-few-KIND`, `registry-missing`, `too-few-units`.
    pub reason_code: String,
    /// `gap`, or `pending` while the period is not over.
    pub status: Status,
    pub responsible: Bodies,
}

/// The windows of days a report of `term` as of `as_of` counts, one per period the plan
/// uses: what to ask the ledger for.
pub fn windows(plan: &Plan, term: Term, as_of: NaiveDate) -> Vec<Window> {
    let set: BTreeSet<Window> = plan.targets.iter().map(|t| period::span(t.period, term, plan, as_of).window).collect();
    set.into_iter().collect()
}

/// The windows of the targets that count activities per unit (of `windows`): the only
/// ones whose per-host counts a report reads.
pub fn activity_windows(plan: &Plan, term: Term, as_of: NaiveDate) -> Vec<Window> {
    use crate::plan::model::Requirement;
    let counts =
        |t: &TargetDef| t.require.iter().any(|r| matches!(r, Requirement::Activities(_) | Requirement::AnyActivity { .. }));
    let set: BTreeSet<Window> =
        plan.targets.iter().filter(|t| counts(t)).map(|t| period::span(t.period, term, plan, as_of).window).collect();
    set.into_iter().collect()
}

struct Tally {
    numerator: u64,
    denominator: u64,
    /// Whether every unit so far left blank every fact the target requires.
    all_blank: bool,
    hosts: BTreeSet<Option<HostKind>>,
}

impl Default for Tally {
    /// No units yet: all of them (none) left the facts blank.
    fn default() -> Tally {
        Tally { numerator: 0, denominator: 0, all_blank: true, hosts: BTreeSet::new() }
    }
}

impl Tally {
    fn count(&mut self, met: bool, blank: bool, host: Option<HostKind>) {
        self.denominator += 1;
        self.numerator += u64::from(met);
        self.all_blank &= blank;
        if !self.hosts.contains(&host) {
            self.hosts.insert(host);
        }
    }
}

/// The lists of bodies responsible, made once per target and set of host kinds.
#[derive(Default)]
struct Responsibles {
    made: std::collections::HashMap<(usize, u8, bool), Bodies>,
}

impl Responsibles {
    fn get(&mut self, def: &TargetDef, index: usize, hosts: &BTreeSet<Option<HostKind>>, always: bool) -> Bodies {
        let mask = hosts.iter().fold(0u8, |m, h| {
            m | match h {
                None => 1,
                Some(HostKind::Schools) => 2,
                Some(HostKind::Communities) => 4,
                Some(HostKind::Bodies) => 8,
            }
        });
        self.made.entry((index, mask, always)).or_insert_with(|| responsible(def, hosts, always).into()).clone()
    }
}

fn responsible(def: &TargetDef, hosts: &BTreeSet<Option<HostKind>>, always: bool) -> Vec<String> {
    if hosts.is_empty() && !always {
        // SPEC §5: a row lists the bodies responsible for some unit in it — none here.
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    let mut add = |bodies: Vec<&str>| {
        for b in bodies {
            if !out.iter().any(|o| o == b) {
                out.push(b.to_string());
            }
        }
    };
    match &def.responsible {
        Responsible::List(l) => add(l.iter().map(String::as_str).collect()),
        Responsible::ByHost(m) => {
            for (kind, bodies) in m {
                if always || hosts.contains(&Some(*kind)) || hosts.contains(&None) {
                    add(bodies.iter().map(String::as_str).collect());
                }
            }
        }
    }
    out
}

fn row(def: &TargetDef, index: usize, tally: &Tally, span: &PeriodSpan, bodies: &mut Responsibles) -> TargetRow {
    let not_yet = |met: bool| match (met, span.over) {
        (true, _) => Status::Met,
        (false, false) => Status::Pending,
        (false, true) => Status::Gap,
    };
    let ratio = Ratio::new(tally.numerator, tally.denominator);
    let (denominator, shortfall, status) = match def.threshold {
        Threshold::Informational => (Some(tally.denominator), None, Status::Info),
        Threshold::Required(p) => {
            let short = ratio.shortfall(p);
            let has_facts = def.required_facts().next().is_some();
            let status = if tally.denominator == 0 {
                Status::NotApplicable
            } else if has_facts && tally.all_blank {
                Status::NoData
            } else {
                not_yet(short == 0)
            };
            (Some(tally.denominator), Some(short), status)
        }
        Threshold::AtLeast(n) => (None, Some(n.saturating_sub(tally.numerator)), not_yet(tally.numerator >= n)),
    };
    let always = matches!(def.threshold, Threshold::AtLeast(_));
    TargetRow {
        target: index,
        numerator: tally.numerator,
        denominator,
        shortfall,
        status,
        responsible: bodies.get(def, index, &tally.hosts, always),
    }
}

/// Computes the coverage report and the gaps of `term`, judged as of `today` (capped at
/// the term's last day), from the facts read from the ledger.
pub fn compute(plan: &Plan, term: Term, today: NaiveDate, facts: &LedgerFacts) -> (CoverageReport, Vec<Gap>) {
    let mut gaps = Vec::new();
    let report = evaluate_all(plan, term, today, facts, Some(&mut gaps));
    (report, gaps)
}

/// The coverage report alone: [`compute`] without the gaps (no reasons are worded).
pub fn compute_report(plan: &Plan, term: Term, today: NaiveDate, facts: &LedgerFacts) -> CoverageReport {
    evaluate_all(plan, term, today, facts, None)
}

fn evaluate_all(
    plan: &Plan,
    term: Term,
    today: NaiveDate,
    facts: &LedgerFacts,
    mut gaps: Option<&mut Vec<Gap>>,
) -> CoverageReport {
    let as_of = period::as_of(term, today);
    let spans: Vec<PeriodSpan> = plan.targets.iter().map(|t| period::span(t.period, term, plan, as_of)).collect();
    let units = Units::new(facts);
    let filed = evaluate::Filed::new(facts);
    let townships: Vec<u32> = units.townships();
    let mut district: Vec<TargetRow> = Vec::new();
    let mut bodies = Responsibles::default();
    // Per township (by index), its rows.
    let mut by_township: Vec<Vec<TargetRow>> = vec![Vec::new(); units.township_count()];

    for (i, def) in plan.targets.iter().enumerate() {
        let span = &spans[i];
        let mut whole = Tally::default();
        let mut per: Vec<Tally> =
            if def.by_township { (0..units.township_count()).map(|_| Tally::default()).collect() } else { Vec::new() };
        let reason_period = period::describe(span, term, plan);
        for unit in units.of(def.units) {
            if !def.filter.iter().all(|s| unit.matches(s)) {
                continue;
            }
            let township = unit.township.map(|t| units.township(t));
            let met = evaluate::passes(def, &unit, facts, &filed, township, span.window);
            let blank = def.required_facts().all(|(f, _)| unit.facts.get(f).is_none());
            whole.count(met, blank, unit.host);
            if let (Some(t), true) = (unit.township, def.by_township) {
                per[t as usize].count(met, blank, unit.host);
            }
        }
        let d = row(def, i, &whole, span, &mut bodies);
        if let Some(gaps) = gaps.as_deref_mut() {
            // A second walk words the reasons of the units that fail — unless every unit
            // left the target's facts blank (no-data): one note says so (see `notes`),
            // rather than a gap row per unit.
            if matches!(def.threshold, Threshold::Required(_)) && d.status != Status::NoData {
                for unit in units.of(def.units) {
                    if !def.filter.iter().all(|s| unit.matches(s)) {
                        continue;
                    }
                    let township = unit.township.map(|t| units.township(t));
                    let Some(Failure { code, text }) =
                        evaluate::failure(def, &unit, facts, &filed, township, span.window, &reason_period)
                    else {
                        continue;
                    };
                    gaps.push(Gap {
                        target: i,
                        township: township.cloned(),
                        unit_code: unit.code.to_string(),
                        unit_name: unit.name.to_string(),
                        reason: text,
                        reason_code: code,
                        status: if span.over { Status::Gap } else { Status::Pending },
                        responsible: bodies.get(def, i, &BTreeSet::from([unit.host]), false),
                    });
                }
            }
            at_least_gap(def, &d, None, &reason_period, gaps);
        }
        district.push(d);
        if def.by_township {
            let empty = Tally::default();
            for &t in &townships {
                let r = row(def, i, per.get(t as usize).unwrap_or(&empty), span, &mut bodies);
                if let Some(gaps) = gaps.as_deref_mut() {
                    at_least_gap(def, &r, Some(units.township(t)), &reason_period, gaps);
                }
                by_township[t as usize].push(r);
            }
        }
    }
    if let Some(gaps) = gaps {
        gaps.sort_by(|x, y| {
            (x.target, x.township.is_none(), &x.township, &x.unit_code).cmp(&(
                y.target,
                y.township.is_none(),
                &y.township,
                &y.unit_code,
            ))
        });
    }
    CoverageReport {
        plan: plan.clone(),
        term,
        as_of,
        spans,
        rosters: facts.rosters,
        district,
        townships: townships
            .iter()
            .map(|&t| TownshipReport {
                township: units.township(t).clone(),
                targets: std::mem::take(&mut by_township[t as usize]),
            })
            .collect(),
        closed: None,
    }
}

fn at_least_gap(def: &TargetDef, row: &TargetRow, township: Option<&TownshipKey>, period: &Words, gaps: &mut Vec<Gap>) {
    let Threshold::AtLeast(n) = def.threshold else { return };
    if !matches!(row.status, Status::Gap | Status::Pending) {
        return;
    }
    let what = def.title.en.as_deref().unwrap_or(&def.title.zh);
    gaps.push(Gap {
        target: row.target,
        township: township.cloned(),
        unit_code: String::new(),
        unit_name: String::new(),
        reason: Words::new(
            format!("{}：现有{}个，要求至少{n}个（{}）", def.title.zh, row.numerator, period.zh),
            format!("{} found, at least {n} required ({what}, {})", row.numerator, period.en),
        ),
        reason_code: "too-few-units".into(),
        status: row.status,
        responsible: row.responsible.clone(),
    });
}

/// Notes for people about what a report rests on: missing or older rosters, columns no
/// return gives, no activities.
pub fn notes(report: &CoverageReport, facts: &LedgerFacts) -> Vec<String> {
    let mut notes = Vec::new();
    let t = report.term;
    let r = &report.rosters;
    let plan = &report.plan;
    if t < plan.first_term || t > plan.last_term {
        notes.push(format!(
            "{t} is outside plan {} ({} to {}); its targets are measured all the same — give --plan for the plan in force then",
            plan.id, plan.first_term, plan.last_term
        ));
    }
    if report.as_of < t.first_day() {
        notes.push(format!("{t} has not begun (it starts on {}): nothing can be counted in it yet", t.first_day()));
    }
    let uses = |kind: &str| report.plan.targets.iter().any(|d| d.units.hosts().iter().any(|h| h.as_str() == kind));
    for (kind, roster) in [("schools", r.schools), ("communities", r.communities), ("bodies", r.bodies)] {
        if !uses(kind) {
            continue;
        }
        match roster {
            None => notes.push(format!(
                "no {kind} roster for {t} or earlier is in the ledger, so it has no units to count (import one with `gongyu import {kind} FILE --term {t}`)"
            )),
            Some(r) if r != t => notes.push(format!("using the {kind} roster of {r}: none has been imported for {t}")),
            Some(_) => {}
        }
    }
    let students = report.plan.targets.iter().any(|d| d.units == crate::plan::model::UnitSet::KeyStudents);
    if students && r.key_students.is_none() {
        notes.push(format!(
            "no key-students roster for school year {} is in the ledger (import one with `gongyu import key-students FILE --school-year {}`)",
            t.school_year(),
            t.school_year()
        ));
    }
    let dir = TownshipDirectory::new(&facts.townships, &facts.township_names);
    let mut unknown: BTreeMap<&str, u64> = BTreeMap::new();
    for s in &facts.schools {
        if !dir.knows(&s.township) {
            *unknown.entry(s.township.as_str()).or_default() += 1;
        }
    }
    if !unknown.is_empty() && !facts.townships.is_empty() {
        let list: Vec<String> = unknown.iter().map(|(t, n)| format!("{t} ({n})")).collect();
        notes.push(format!(
            "the schools roster names townships that no community roster has: {}; check their spelling (they are reported as townships of their own)",
            list.join(", ")
        ));
    }
    for row in &report.district {
        if row.status == Status::NoData {
            let def = report.target(row);
            let facts: Vec<&str> = def.required_facts().map(|(f, _)| f.name()).collect();
            let zh: Vec<&str> = def.required_facts().map(|(f, _)| f.spec().aliases.first().copied().unwrap_or("")).collect();
            notes.push(format!(
                "{} is no-data: every unit left {} blank — most likely the column is missing from the {} roster; add it ({}) so the target can be judged (no gap rows are listed for it)",
                def.id,
                facts.join(", "),
                def.units.hosts().iter().map(|h| h.as_str()).collect::<Vec<_>>().join("/"),
                zh.join(", ")
            ));
        }
    }
    if facts.activities_in_term == 0 {
        notes.push(format!("no activities dated in {t} ({} to {}) are in the ledger", t.first_day(), t.last_day()));
    }
    notes
}

#[cfg(test)]
mod tests;
