//! Coverage and gaps: a pure evaluation of a plan's targets over the facts read from the
//! ledger ([`LedgerFacts`]) for one term, as of one day. No SQL, no I/O.

mod count;
mod evaluate;
mod gaps;
pub(crate) mod no_data;
mod notes;
pub(crate) mod returns;
mod spill;
pub(crate) mod timeliness;
pub(crate) mod township;
mod units;

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::facts::{LedgerFacts, RostersUsed, Window};
use crate::lang::Words;
use crate::plan::model::{Plan, Responsible, TargetDef, Threshold};
use crate::plan::period::{self, PeriodSpan};
use crate::plan::{HostKind, Ratio, Status, Term};
pub(crate) use count::PartCount;
use count::TargetCount;
pub(crate) use gaps::GapWalk;
#[cfg(test)]
pub(crate) use notes::notes;
pub(crate) use township::{TownshipDirectory, TownshipKey};

use evaluate::{Failure, Units};

/// One target at one scope (the district or a township).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TargetRow {
    /// Index of the target in the plan.
    pub target: usize,
    pub numerator: u64,
    /// `None` for an `at_least` target.
    pub denominator: Option<u64>,
    /// `None` for an informational target.
    pub shortfall: Option<u64>,
    pub status: Status,
    pub responsible: Bodies,
    /// Why the row is no-data (empty on any other row): what its note says.
    pub unreported: no_data::Unreported,
}

/// The bodies responsible for a row or a gap: one list shared by every row naming the
/// same bodies (a national report has hundreds of thousands of rows).
pub(crate) type Bodies = std::sync::Arc<[String]>;

impl TargetRow {
    /// Numerator over denominator, for percentages (`None` without a denominator).
    pub(crate) fn ratio(&self) -> Option<Ratio> {
        self.denominator.map(|d| Ratio::new(self.numerator, d))
    }
}

/// The targets of one township.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TownshipReport {
    pub township: TownshipKey,
    pub targets: Vec<TargetRow>,
}

/// The coverage report for one term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CoverageReport {
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
pub(crate) struct ClosedMark {
    pub at: String,
    pub by: String,
}

impl CoverageReport {
    pub(crate) fn target(&self, row: &TargetRow) -> &TargetDef {
        &self.plan.targets[row.target]
    }

    /// Every row, district first, with its township.
    pub(crate) fn rows(&self) -> impl Iterator<Item = (Option<&TownshipKey>, &TargetRow)> {
        self.district
            .iter()
            .map(|r| (None, r))
            .chain(self.townships.iter().flat_map(|t| t.targets.iter().map(move |r| (Some(&t.township), r))))
    }

    /// The row of target `i` for a scope without units of its kind: what a township
    /// the rosters of this term do not have would show.
    pub(crate) fn empty_row(&self, i: usize) -> TargetRow {
        row(&self.plan.targets[i], i, &Tally::default(), &self.spans[i], &mut Responsibles::default())
    }

    /// Whether any target row, at any level, has status `gap`.
    pub(crate) fn has_gap(&self) -> bool {
        self.rows().any(|(_, r)| r.status == Status::Gap)
    }
}

/// One unit failing one target (or, for an `at_least` target, one scope short of units).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gap {
    pub target: usize,
    pub township: Option<TownshipKey>,
    pub unit_code: String,
    pub unit_name: String,
    /// Words for people, in both languages (rendered in the output language).
    pub reason: Words,
    /// Stable: `no-parent-school`, `not-reported`, `fact-no`, `no-activity`, `no-KIND`,
    /// `too-few-KIND`, `registry-missing`, `too-few-units`, `value-too-low` (a count of a roster
    /// declared as data).
    pub reason_code: String,
    /// `gap`, or `pending` while the period is not over.
    pub status: Status,
    pub responsible: Bodies,
}

/// The windows of days a report of `term` as of `as_of` counts, one per period the plan
/// uses: what to ask the ledger for.
pub(crate) fn windows(plan: &Plan, term: Term, as_of: NaiveDate) -> Vec<Window> {
    let set: BTreeSet<Window> = plan.targets.iter().map(|t| period::span(t.period, term, plan, as_of).window).collect();
    set.into_iter().collect()
}

/// The windows of the targets that count the activities of hosts (of `windows`): the only
/// ones whose per-host counts a report reads. (Key students are counted by the home visits
/// naming them; of their window, a report reads only whether any activity is dated in it.)
pub(crate) fn activity_windows(plan: &Plan, term: Term, as_of: NaiveDate) -> Vec<Window> {
    use crate::plan::model::{Requirement, UnitSet};
    let counts = |t: &TargetDef| {
        !matches!(t.units, UnitSet::KeyStudents)
            && t.require.iter().any(|r| matches!(r, Requirement::Activities(_) | Requirement::AnyActivity { .. }))
    };
    let set: BTreeSet<Window> =
        plan.targets.iter().filter(|t| counts(t)).map(|t| period::span(t.period, term, plan, as_of).window).collect();
    set.into_iter().collect()
}

/// Units counted for one target over one scope: 12 bytes (a national report keeps one per
/// township and target while it counts).
#[derive(Clone, Copy)]
pub(super) struct Tally {
    numerator: u32,
    denominator: u32,
    /// [`ALL_BLANK`] and [`NO_RETURN`].
    flags: u8,
    /// The kinds of host counted (see [`host_bit`]).
    hosts: u8,
    /// What the units of the target's kind showed of its `where` (see [`no_data::seen`]),
    /// counted or not.
    seen: u16,
}

// A national report keeps one per township and target while it counts.
const _: () = assert!(std::mem::size_of::<Tally>() == 12);

/// Of [`Tally::flags`]: every unit so far left blank every fact the target requires.
const ALL_BLANK: u8 = 1;
/// Of [`Tally::flags`]: a unit was counted while no activity is dated in the target's
/// period window (a target that counts activities).
const NO_RETURN: u8 = 2;

/// A host kind as one bit of a set of them; `None` (a key student or a township) too.
fn host_bit(h: Option<HostKind>) -> u8 {
    match h {
        None => 1,
        Some(HostKind::Schools) => 2,
        Some(HostKind::Communities) => 4,
        Some(HostKind::Bodies) => 8,
    }
}

impl Default for Tally {
    /// No units yet: all of them (none) left the facts blank.
    fn default() -> Tally {
        Tally { numerator: 0, denominator: 0, flags: ALL_BLANK, hosts: 0, seen: 0 }
    }
}

impl Tally {
    /// Counts a unit that passes the target's `where` (`seen`: what such a unit shows).
    fn count(&mut self, met: bool, blank: bool, host: Option<HostKind>, no_return: bool, seen: u16) {
        // A scope of 2³² units would be a roster of hundreds of gigabytes.
        self.denominator = self.denominator.checked_add(1).expect("fewer than 2^32 units in one scope");
        self.numerator += u32::from(met);
        if !blank {
            self.flags &= !ALL_BLANK;
        }
        if no_return {
            self.flags |= NO_RETURN;
        }
        self.hosts |= host_bit(host);
        self.seen |= seen;
    }

    fn all_blank(&self) -> bool {
        self.flags & ALL_BLANK != 0
    }
}

/// The lists of bodies responsible, made once per target and set of host kinds.
#[derive(Default)]
pub(super) struct Responsibles {
    made: crate::hash::FastMap<(usize, u8, bool), Bodies>,
}

impl Responsibles {
    fn get(&mut self, def: &TargetDef, index: usize, hosts: u8, always: bool) -> Bodies {
        self.made.entry((index, hosts, always)).or_insert_with(|| responsible(def, hosts, always).into()).clone()
    }
}

fn responsible(def: &TargetDef, hosts: u8, always: bool) -> Vec<String> {
    if hosts == 0 && !always {
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
                if always || hosts & (host_bit(Some(*kind)) | host_bit(None)) != 0 {
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
    let (numerator, denominator) = (u64::from(tally.numerator), u64::from(tally.denominator));
    let ratio = Ratio::new(numerator, denominator);
    let mut unreported = no_data::Unreported::default();
    let (denominator, shortfall, status) = match def.threshold {
        Threshold::Informational => (Some(denominator), None, Status::Info),
        Threshold::Required(p) => {
            let short = ratio.shortfall(p);
            let has_facts = def.required_facts().next().is_some();
            unreported = if denominator == 0 {
                no_data::Unreported { filter: no_data::filter_blank(def, tally.seen), ..Default::default() }
            } else {
                no_data::Unreported { facts: has_facts && tally.all_blank(), activities: tally.flags & NO_RETURN != 0, filter: 0 }
            };
            let status = if unreported.any() {
                Status::NoData
            } else if denominator == 0 {
                Status::NotApplicable
            } else {
                not_yet(short == 0)
            };
            (Some(denominator), Some(short), status)
        }
        Threshold::AtLeast(n) => (None, Some(n.saturating_sub(numerator)), not_yet(numerator >= n)),
    };
    let always = matches!(def.threshold, Threshold::AtLeast(_));
    TargetRow {
        target: index,
        numerator,
        denominator,
        shortfall,
        status,
        responsible: bodies.get(def, index, tally.hosts, always),
        unreported,
    }
}

/// A report counted: its figures for the district, its townships listed (their rows not
/// made yet), and each by-township target's counts per township — everything its rows
/// are made from, without the facts (which may be dropped before the rows are made).
pub(crate) struct Counted {
    /// The report with the district's rows; its townships have no rows yet.
    pub report: CoverageReport,
    /// Per target reported by township: its counts, per township in the report's order.
    per: Vec<(usize, Vec<Tally>)>,
    bodies: Responsibles,
    /// Whether the townships were counted for their rows (see [`PartCount::for_gaps`]).
    rows: bool,
}

impl Counted {
    /// The report with every township's rows.
    pub(crate) fn into_report(self) -> CoverageReport {
        let Counted { mut report, per, mut bodies, rows } = self;
        assert!(rows, "the townships' rows are made from a count that counted them");
        for t in report.townships.iter_mut() {
            t.targets.reserve_exact(per.len());
        }
        // Each target's counts are let go once its rows are made.
        for (i, tallies) in per {
            let def = &report.plan.targets[i];
            for (t, tally) in report.townships.iter_mut().zip(&tallies) {
                t.targets.push(row(def, i, tally, &report.spans[i], &mut bodies));
            }
        }
        report
    }

    /// The report with its townships listed, without their rows.
    pub(crate) fn listed(self) -> CoverageReport {
        self.report
    }
}

/// What a report states besides its rows: the plan, term, day and periods it judges by,
/// and the rosters it used.
struct Head<'p> {
    plan: &'p Plan,
    term: Term,
    as_of: NaiveDate,
    spans: Vec<PeriodSpan>,
    rosters: RostersUsed,
}

impl Head<'_> {
    /// The report counted: the district's rows made from each target's counts, the
    /// townships (of `towns`, in the order of `townships`) listed, with their counts if
    /// `rows` (they were counted for their rows).
    fn counted(self, counts: Vec<TargetCount>, towns: &evaluate::Towns, townships: &[u32], rows: bool) -> Counted {
        let Head { plan, term, as_of, spans, rosters } = self;
        let mut bodies = Responsibles::default();
        let mut district = Vec::with_capacity(counts.len());
        let mut per = Vec::new();
        for (i, (def, counted)) in plan.targets.iter().zip(counts).enumerate() {
            district.push(row(def, i, &counted.whole, &spans[i], &mut bodies));
            if def.by_township && rows {
                // In the report's order of townships.
                let tallies: Vec<Tally> =
                    townships.iter().map(|&t| counted.per.get(t as usize).copied().unwrap_or_default()).collect();
                per.push((i, tallies));
            }
        }
        let report = CoverageReport {
            plan: plan.clone(),
            term,
            as_of,
            spans,
            rosters,
            district,
            townships: townships
                .iter()
                .map(|&t| TownshipReport { township: towns.get(t).clone(), targets: Vec::new() })
                .collect(),
            closed: None,
        };
        Counted { report, per, bodies, rows }
    }
}

/// The gap of one unit of target `i`, if it fails it; `name` words the unit instead of
/// its view's own name.
#[allow(clippy::too_many_arguments)]
fn unit_gap(
    def: &TargetDef,
    i: usize,
    unit: &evaluate::UnitView<'_>,
    units: &Units<'_>,
    facts: &LedgerFacts,
    filed: &evaluate::Filed,
    span: &PeriodSpan,
    reason_period: &crate::lang::Words,
    bodies: &mut Responsibles,
    name: Option<&str>,
) -> Option<Gap> {
    let township = unit.township.map(|t| units.township(t));
    let Failure { code, text } = evaluate::failure(def, unit, facts, filed, township, span.window, reason_period)?;
    Some(Gap {
        target: i,
        township: township.cloned(),
        unit_code: unit.code.to_string(),
        unit_name: name.unwrap_or(&unit.name).to_string(),
        reason: text,
        reason_code: code,
        status: if span.over { Status::Gap } else { Status::Pending },
        responsible: bodies.get(def, i, host_bit(unit.host), false),
    })
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
        reason: Words::each(|l| {
            crate::tl!(
                l,
                "report-reason-too-few-units",
                count = row.numerator,
                need = n,
                title = l.pick(&def.title.zh, what),
                period = period.get(l)
            )
        }),
        reason_code: "too-few-units".into(),
        status: row.status,
        responsible: row.responsible.clone(),
    });
}

#[cfg(test)]
mod tests;

/// The plan's progress (`coverage trend`): the report of each term from `from` to `to`.
pub(crate) struct Trend {
    pub plan: crate::plan::Plan,
    pub terms: Vec<Term>,
    /// One report per term, in order.
    pub reports: Vec<CoverageReport>,
}
