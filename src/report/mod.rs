//! Coverage and gaps: a pure evaluation of a plan's targets over the facts read from the
//! ledger ([`LedgerFacts`]) for one term, as of one day. No SQL, no I/O.

mod evaluate;
pub(crate) mod no_data;
mod notes;
pub(crate) mod returns;
pub(crate) mod timeliness;
pub(crate) mod township;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::facts::{LedgerFacts, RostersUsed, Window};
use crate::lang::Words;
use crate::plan::model::{Plan, Responsible, TargetDef, Threshold};
use crate::plan::period::{self, PeriodSpan};
use crate::plan::{HostKind, Ratio, Status, Term};
pub(crate) use notes::notes;
use notes::notes_with;
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
    /// `too-few-KIND`, `registry-missing`, `too-few-units`.
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

/// The windows of the targets that count activities per unit (of `windows`): the only
/// ones whose per-host counts a report reads.
pub(crate) fn activity_windows(plan: &Plan, term: Term, as_of: NaiveDate) -> Vec<Window> {
    use crate::plan::model::Requirement;
    let counts =
        |t: &TargetDef| t.require.iter().any(|r| matches!(r, Requirement::Activities(_) | Requirement::AnyActivity { .. }));
    let set: BTreeSet<Window> =
        plan.targets.iter().filter(|t| counts(t)).map(|t| period::span(t.period, term, plan, as_of).window).collect();
    set.into_iter().collect()
}

/// Units counted for one target over one scope: 12 bytes (a national report keeps one per
/// township and target while it counts).
#[derive(Clone, Copy)]
struct Tally {
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
struct Responsibles {
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

/// Computes the coverage report and the gaps of `term`, judged as of `today` (capped at
/// the term's last day), from the facts read from the ledger.
#[cfg(test)]
pub fn compute(plan: &Plan, term: Term, today: NaiveDate, facts: &LedgerFacts) -> (CoverageReport, Vec<Gap>) {
    let mut gaps = Vec::new();
    let report = count(plan, term, today, facts, Some(&mut gaps)).into_report();
    (report, gaps)
}

/// What walks of a target's units counted: over the district, per township (for a target
/// reported by township), and which units (by their place in the walk) failed.
#[derive(Default)]
struct TargetCount {
    whole: Tally,
    per: Vec<Tally>,
    failing: Vec<u32>,
}

/// Walks the units of target `i`, counting who meets it into `into` (which may hold the
/// counts of units walked before); with `failing`, notes who does not.
#[allow(clippy::too_many_arguments)]
fn count_target(
    def: &TargetDef,
    units: &Units<'_>,
    facts: &LedgerFacts,
    filed: &evaluate::Filed,
    span: &PeriodSpan,
    failing: bool,
    into: &mut TargetCount,
) {
    let TargetCount { whole, per, failing: failed } = into;
    // Gaps need a township's count only to find it short of units (an `at_least` target).
    let by_township = def.by_township && (!failing || matches!(def.threshold, Threshold::AtLeast(_)));
    if by_township && per.len() < units.township_count() {
        per.resize(units.township_count(), Tally::default());
    }
    // A target that counts activities, over a window no activity at all is dated in.
    let no_return = no_data::counts_activities(def) && facts.activity.get(&span.window).is_none_or(|c| c.total() == 0);
    let all_seen = no_data::all_seen(def);
    let follows = all_seen != no_data::CANDIDATE;
    for (at, unit) in units.of(def.units).enumerate() {
        if !def.filter.iter().all(|s| unit.matches(s)) {
            // Whether the units left a column the `where` reads blank, until every scope
            // has seen each reported.
            let town = unit.township.filter(|_| by_township).map(|t| t as usize);
            if follows && (whole.seen != all_seen || town.is_some_and(|t| per[t].seen != all_seen)) {
                let seen = no_data::seen(def, &unit);
                whole.seen |= seen;
                if let Some(t) = town {
                    per[t].seen |= seen;
                }
            }
            continue;
        }
        let township = unit.township.map(|t| units.township(t));
        let met = evaluate::passes(def, &unit, facts, filed, township, span.window);
        let blank = def.required_facts().all(|(f, _)| unit.facts.get(f).is_none());
        whole.count(met, blank, unit.host, no_return, all_seen);
        if let (Some(t), true) = (unit.township, by_township) {
            per[t as usize].count(met, blank, unit.host, no_return, all_seen);
        }
        if failing && !met {
            failed.push(at as u32);
        }
    }
}

/// [`count_target`] for every target, on as many threads as the machine has cores (two at
/// most: the walks read the same units). Returned in plan order.
fn count_targets(
    plan: &Plan,
    units: &Units<'_>,
    facts: &LedgerFacts,
    filed: &evaluate::Filed,
    spans: &[PeriodSpan],
    failing: bool,
) -> Vec<TargetCount> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let n = plan.targets.len();
    let threads = std::thread::available_parallelism().map_or(1, |c| c.get()).clamp(1, 2).min(n.max(1));
    let next = AtomicUsize::new(0);
    let walk = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                return done;
            }
            let mut c = TargetCount::default();
            count_target(&plan.targets[i], units, facts, filed, &spans[i], failing, &mut c);
            done.push((i, c));
        }
    };
    let mut all: Vec<(usize, TargetCount)> = if threads > 1 {
        std::thread::scope(|s| {
            let helper = s.spawn(walk);
            let mut mine = walk();
            mine.extend(helper.join().expect("a target's count does not panic"));
            mine
        })
    } else {
        walk()
    };
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, c)| c).collect()
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
}

impl Counted {
    /// The report with every township's rows.
    pub(crate) fn into_report(self) -> CoverageReport {
        let Counted { mut report, per, mut bodies } = self;
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
}

/// What counting a plan's targets over the facts stands on: the day judged as of, each
/// target's period, the units with their townships resolved, the registry filings, and
/// the townships in report order.
struct Ground<'f> {
    as_of: NaiveDate,
    spans: Vec<PeriodSpan>,
    units: Units<'f>,
    filed: evaluate::Filed,
    townships: Vec<u32>,
}

fn ground<'f>(plan: &Plan, term: Term, today: NaiveDate, facts: &'f LedgerFacts) -> Ground<'f> {
    let as_of = period::as_of(term, today);
    let spans: Vec<PeriodSpan> = plan.targets.iter().map(|t| period::span(t.period, term, plan, as_of)).collect();
    let dir = TownshipDirectory::new(&facts.townships, &facts.township_names);
    let units = Units::new(facts, &dir);
    let filed = evaluate::Filed::new(facts, &dir);
    let townships: Vec<u32> = units.townships();
    Ground { as_of, spans, units, filed, townships }
}

/// Counts every target of `plan` over the units of `facts` (with `gaps`, wording the
/// reasons of the units that fail, in the gaps' order).
pub(crate) fn count(plan: &Plan, term: Term, today: NaiveDate, facts: &LedgerFacts, gaps: Option<&mut Vec<Gap>>) -> Counted {
    let Ground { as_of, spans, units, filed, townships } = ground(plan, term, today, facts);
    let mut bodies = Responsibles::default();
    let counts = count_targets(plan, &units, facts, &filed, &spans, false);
    if let Some(gaps) = gaps {
        for (i, (def, counted)) in plan.targets.iter().zip(&counts).enumerate() {
            let span = &spans[i];
            let reason_period = period::describe(span, term, plan);
            let d = row(def, i, &counted.whole, span, &mut bodies);
            // A second walk words the reasons of the units that fail — unless every unit
            // left the target's facts blank (no-data): one note says so (see `notes`),
            // rather than a gap row per unit.
            if matches!(def.threshold, Threshold::Required(_)) && d.status != Status::NoData {
                for unit in units.of(def.units) {
                    if !def.filter.iter().all(|s| unit.matches(s)) {
                        continue;
                    }
                    if let Some(g) = unit_gap(def, i, &unit, &units, facts, &filed, span, &reason_period, &mut bodies, None) {
                        gaps.push(g);
                    }
                }
            }
            at_least_gap(def, &d, None, &reason_period, gaps);
            if def.by_township {
                let empty = Tally::default();
                for &t in &townships {
                    let r = row(def, i, counted.per.get(t as usize).unwrap_or(&empty), span, &mut bodies);
                    at_least_gap(def, &r, Some(units.township(t)), &reason_period, gaps);
                }
            }
        }
        gaps.sort_by(|x, y| {
            (x.target, x.township.is_none(), &x.township, &x.unit_code).cmp(&(
                y.target,
                y.township.is_none(),
                &y.township,
                &y.unit_code,
            ))
        });
    }
    let head = Head { plan, term, as_of, spans, rosters: facts.rosters };
    head.counted(counts, units.towns(), &townships, bodies)
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
    /// townships (of `towns`, in the order of `townships`) listed with their counts.
    fn counted(self, counts: Vec<TargetCount>, towns: &evaluate::Towns, townships: &[u32], mut bodies: Responsibles) -> Counted {
        let Head { plan, term, as_of, spans, rosters } = self;
        let mut district = Vec::with_capacity(counts.len());
        let mut per = Vec::new();
        for (i, (def, counted)) in plan.targets.iter().zip(counts).enumerate() {
            district.push(row(def, i, &counted.whole, &spans[i], &mut bodies));
            if def.by_township {
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
        Counted { report, per, bodies }
    }
}

/// A report counted from the schools and communities a part at a time (as
/// `Ledger::facts_in_parts` reads them): no unit is kept once counted, so its memory is
/// the townships' and the activity counts', not the units'. Gives the same report as
/// [`count`] over the whole facts.
pub(crate) struct PartCount<'p> {
    plan: &'p Plan,
    term: Term,
    as_of: NaiveDate,
    spans: Vec<PeriodSpan>,
    /// Everything but the schools and communities; those of the part being counted.
    facts: LedgerFacts,
    /// Set aside while the parts are counted: counted once, after them.
    bodies: Vec<crate::facts::BodyUnit>,
    dir: TownshipDirectory,
    filed: evaluate::Filed,
    towns: evaluate::Towns,
    counts: Vec<TargetCount>,
    /// Per township spelling: for a school's spelling no community roster knows, its
    /// place in `unknown` (for [`notes`]).
    spelling_unknown: Vec<Option<u32>>,
    /// Township names or codes of schools that no community roster has, and how many
    /// schools give each.
    unknown: Vec<(String, u64)>,
    unknown_at: crate::hash::FastMap<String, u32>,
    /// For gaps: the schools and communities failing some target, with their codes.
    kept: Option<crate::facts::RosterUnits>,
    /// For gaps, per target: whether failing units were let go while it looked no-data.
    dropped: Vec<bool>,
}

impl<'p> PartCount<'p> {
    /// Starts from the facts without schools and communities. Key students are counted
    /// against the schools of their roster, so their facts must be counted whole instead
    /// (see [`PartCount::counts_in_parts`]).
    pub(crate) fn new(plan: &'p Plan, term: Term, today: NaiveDate, mut base: LedgerFacts) -> PartCount<'p> {
        let as_of = period::as_of(term, today);
        let spans: Vec<PeriodSpan> = plan.targets.iter().map(|t| period::span(t.period, term, plan, as_of)).collect();
        let dir = TownshipDirectory::new(&base.townships, &base.township_names);
        let filed = evaluate::Filed::new(&base, &dir);
        let bodies = std::mem::take(&mut base.bodies);
        // Most townships are known to the directory: room for them at once.
        let counts = plan
            .targets
            .iter()
            .map(|t| TargetCount {
                per: Vec::with_capacity(if t.by_township { base.townships.len() } else { 0 }),
                ..Default::default()
            })
            .collect();
        PartCount {
            plan,
            term,
            as_of,
            spans,
            facts: base,
            bodies,
            dir,
            filed,
            towns: evaluate::Towns::default(),
            counts,
            spelling_unknown: Vec::new(),
            unknown: Vec::new(),
            unknown_at: Default::default(),
            kept: None,
            dropped: vec![false; plan.targets.len()],
        }
    }

    /// [`PartCount::new`] for the gaps: the schools and communities that fail some target
    /// are kept (their parts must bring their codes), to be walked by
    /// [`PartCount::finish_gaps`].
    pub(crate) fn for_gaps(plan: &'p Plan, term: Term, today: NaiveDate, base: LedgerFacts) -> PartCount<'p> {
        PartCount { kept: Some(Default::default()), ..PartCount::new(plan, term, today, base) }
    }

    /// Whether facts can be counted in parts: not with key students (see [`PartCount::new`]).
    pub(crate) fn counts_in_parts(base: &LedgerFacts) -> bool {
        base.key_students.is_empty()
    }

    /// Counts a part of the schools and communities, in roster order.
    pub(crate) fn add(&mut self, part: crate::facts::RosterUnits) {
        let f = &mut self.facts;
        f.rosters.schools = f.rosters.schools.or(part.rosters.schools);
        f.rosters.communities = f.rosters.communities.or(part.rosters.communities);
        (f.schools, f.communities, f.texts) = (part.schools, part.communities, part.texts);
        self.towns.add_spellings(&part.spellings, &self.dir);
        self.towns.add_communities(f);
        for sp in &part.spellings {
            let township = sp.name.as_deref().or(sp.code.as_deref()).unwrap_or("");
            let unknown = (!sp.pair && !self.dir.knows(township)).then(|| {
                let next = self.unknown.len() as u32;
                *self.unknown_at.entry(township.to_string()).or_insert_with(|| {
                    self.unknown.push((township.to_string(), 0));
                    next
                })
            });
            self.spelling_unknown.push(unknown);
        }
        for s in &f.schools {
            if let Some(u) = self.spelling_unknown[s.township as usize] {
                self.unknown[u as usize].1 += 1;
            }
        }
        let units = Units::part(&self.facts, &self.towns);
        let failing = self.kept.is_some();
        for (i, (def, into)) in self.plan.targets.iter().zip(&mut self.counts).enumerate() {
            count_target(def, &units, &self.facts, &self.filed, &self.spans[i], failing, into);
        }
        let Some(kept) = self.kept.as_mut() else { return };
        // The units failing a target that lists its failing units. A target every unit so
        // far left blank may end no-data (no gap rows: one note): its failing units are not
        // kept while it looks so. Should a later unit report its facts after all, they
        // were needed: `dropped` says so, and the gaps are then counted whole.
        let mut ids = UnitIds::default();
        for ((def, c), dropped) in self.plan.targets.iter().zip(&mut self.counts).zip(&mut self.dropped) {
            if def.required_facts().next().is_some() && c.whole.all_blank() && !c.failing.is_empty() {
                *dropped = true;
                c.failing.clear();
                continue;
            }
            if matches!(def.threshold, Threshold::Required(_)) {
                for (_, unit) in units.at(def.units, &c.failing) {
                    if let Some(id) = unit.id {
                        ids.insert(id);
                    }
                }
            }
            c.failing.clear();
        }
        let f = &self.facts;
        // Their codes and names (if the parts bring names) go with them.
        let words = |kept: &mut crate::facts::RosterUnits, code, name| {
            let code = kept.texts.add(f.text(code));
            let named = name != crate::facts::Text::default();
            (code, if named { kept.texts.add(f.text(name)) } else { Default::default() })
        };
        for s in f.schools.iter().filter(|s| ids.contains(s.id)) {
            let (code, name) = words(kept, s.code, s.name);
            kept.schools.push(crate::facts::SchoolUnit { code, name, ..s.clone() });
        }
        for c in f.communities.iter().filter(|c| ids.contains(c.id)) {
            let (code, name) = words(kept, c.code, c.name);
            kept.communities.push(crate::facts::CommunityUnit { code, name, ..c.clone() });
        }
    }

    /// Counts the bodies and the townships of communities, once every part is counted (the
    /// schools and communities left in the facts are not walked again), and gives every
    /// township units are in.
    fn count_the_rest(&mut self, failing: bool) -> evaluate::Towns {
        self.facts.bodies = std::mem::take(&mut self.bodies);
        let towns = std::mem::take(&mut self.towns);
        let units = Units::with_towns(&self.facts, std::borrow::Cow::Owned(towns), &self.dir).without_rosters();
        for (i, (def, into)) in self.plan.targets.iter().zip(&mut self.counts).enumerate() {
            count_target(def, &units, &self.facts, &self.filed, &self.spans[i], failing, into);
            // The walk of the gaps finds its failing units again, over the units kept.
            into.failing.clear();
        }
        units.into_towns()
    }

    /// Counts the bodies and townships (after every part), and gives the gaps to walk —
    /// `None` if a target that looked no-data turned out not to be: its failing units of
    /// the first parts were not kept, and the gaps must be counted over the whole facts.
    pub(crate) fn finish_gaps(mut self) -> Option<KeptGaps<'p>> {
        let kept = self.kept.take().unwrap_or_default();
        let f = &mut self.facts;
        (f.schools, f.communities, f.texts) = (kept.schools, kept.communities, kept.texts);
        let towns = self.count_the_rest(true);
        let no_data = |def: &TargetDef, c: &TargetCount| def.required_facts().next().is_some() && c.whole.all_blank();
        let lost =
            self.plan.targets.iter().zip(&self.counts).zip(&self.dropped).any(|((d, c), dropped)| *dropped && !no_data(d, c));
        if lost {
            return None;
        }
        Some(KeptGaps {
            plan: self.plan,
            term: self.term,
            as_of: self.as_of,
            spans: self.spans,
            facts: self.facts,
            dir: self.dir,
            filed: self.filed,
            towns,
            counts: std::cell::Cell::new(self.counts),
            unknown: self.unknown.into_iter().filter(|(_, n)| *n > 0).collect(),
        })
    }

    /// Counts the bodies and townships (after every part), and gives the report counted
    /// and its notes.
    pub(crate) fn finish(mut self) -> (Counted, Vec<String>) {
        let f = &mut self.facts;
        (f.schools, f.communities, f.texts) = Default::default();
        let towns = self.count_the_rest(false);
        let townships = towns.ordered();
        let head = Head { plan: self.plan, term: self.term, as_of: self.as_of, spans: self.spans, rosters: self.facts.rosters };
        let counted = head.counted(self.counts, &towns, &townships, Responsibles::default());
        let unknown = self.unknown.into_iter().filter(|(_, n)| *n > 0).collect();
        let notes = notes_with(&counted.report, &self.facts, &unknown);
        (counted, notes)
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

/// Names of units, read for the units that fail some target only.
#[derive(Debug, Default)]
pub struct UnitNames {
    /// Unit ids, ascending, and each one's name in `texts`.
    ids: Vec<(i64, crate::facts::Text)>,
    texts: crate::facts::Texts,
}

impl UnitNames {
    /// Adds a unit's name.
    pub fn push(&mut self, id: i64, name: &str) {
        let t = self.texts.add(name);
        self.ids.push((id, t));
    }

    fn get(&self, id: i64) -> Option<&str> {
        let i = self.ids.binary_search_by_key(&id, |(id, _)| *id).ok()?;
        Some(self.texts.get(self.ids[i].1))
    }
}

/// Unit ids as a set of bits: the units failing some target.
#[derive(Debug, Default)]
pub struct UnitIds {
    bits: Vec<u64>,
}

impl UnitIds {
    fn insert(&mut self, id: i64) {
        let Ok(i) = usize::try_from(id) else { return };
        if i / 64 >= self.bits.len() {
            self.bits.resize(i / 64 + 1, 0);
        }
        self.bits[i / 64] |= 1 << (i % 64);
    }

    pub fn contains(&self, id: i64) -> bool {
        usize::try_from(id).ok().and_then(|i| self.bits.get(i / 64).map(|b| b & (1 << (i % 64)) != 0)).unwrap_or(false)
    }
}

/// The gaps of `term`, counted and ready to be walked: [`GapWalk::report`] is the report's
/// figures for the district (its townships listed, their rows not made), and
/// [`GapWalk::each`] hands out the gaps in [`compute`]'s order, one at a time.
pub(crate) struct GapWalk<'f> {
    plan: &'f Plan,
    term: Term,
    facts: &'f LedgerFacts,
    spans: Vec<PeriodSpan>,
    units: Units<'f>,
    filed: evaluate::Filed,
    townships: Vec<u32>,
    counted: Vec<(TargetRow, TargetCount)>,
    failing: UnitIds,
    bodies: Responsibles,
    /// Until [`GapWalk::take_report`].
    report: Option<CoverageReport>,
}

/// Counts the targets of `plan` over `facts` once, noting the units that fail (whose names
/// the walk asks for): see [`GapWalk`]. The facts may lack the names of schools and
/// communities; they need their codes (gaps are listed by code).
pub(crate) fn gaps<'f>(plan: &'f Plan, term: Term, today: NaiveDate, facts: &'f LedgerFacts) -> GapWalk<'f> {
    let Ground { as_of, spans, units, filed, townships } = ground(plan, term, today, facts);
    let counts = count_targets(plan, &units, facts, &filed, &spans, true);
    let head = Head { plan, term, as_of, spans, rosters: facts.rosters };
    head.walk(facts, units, filed, townships, counts)
}

impl<'f> Head<'f> {
    /// The walk of the gaps of targets counted (`counts`, with the places of their failing
    /// units in the walks of `units`).
    fn walk(
        self,
        facts: &'f LedgerFacts,
        units: Units<'f>,
        filed: evaluate::Filed,
        townships: Vec<u32>,
        counts: Vec<TargetCount>,
    ) -> GapWalk<'f> {
        let Head { plan, term, as_of, spans, rosters } = self;
        let mut bodies = Responsibles::default();
        let mut counted: Vec<(TargetRow, TargetCount)> = Vec::with_capacity(plan.targets.len());
        let mut failing = UnitIds::default();
        for (i, (def, mut c)) in plan.targets.iter().zip(counts).enumerate() {
            let d = row(def, i, &c.whole, &spans[i], &mut bodies);
            if matches!(def.threshold, Threshold::Required(_)) && d.status != Status::NoData {
                for (_, unit) in units.at(def.units, &c.failing) {
                    if let Some(id) = unit.id {
                        failing.insert(id);
                    }
                }
            } else {
                c.failing = Vec::new();
            }
            counted.push((d, c));
        }
        let report = CoverageReport {
            plan: plan.clone(),
            term,
            as_of,
            spans: spans.clone(),
            rosters,
            district: counted.iter().map(|(d, _)| d.clone()).collect(),
            townships: townships
                .iter()
                .map(|&t| TownshipReport { township: units.township(t).clone(), targets: Vec::new() })
                .collect(),
            closed: None,
        };
        GapWalk { plan, term, facts, spans, units, filed, townships, counted, failing, bodies, report: Some(report) }
    }
}

/// The gaps of a report counted in parts ([`PartCount::for_gaps`]): the facts with only
/// the schools and communities that fail some target, and every target's counts.
pub(crate) struct KeptGaps<'p> {
    plan: &'p Plan,
    term: Term,
    as_of: NaiveDate,
    spans: Vec<PeriodSpan>,
    facts: LedgerFacts,
    dir: TownshipDirectory,
    filed: evaluate::Filed,
    towns: evaluate::Towns,
    counts: std::cell::Cell<Vec<TargetCount>>,
    unknown: BTreeMap<String, u64>,
}

impl KeptGaps<'_> {
    /// The walk of the gaps, as [`gaps`] gives it over the whole facts (once).
    pub(crate) fn walk(&self) -> GapWalk<'_> {
        let units = Units::with_towns(&self.facts, std::borrow::Cow::Borrowed(&self.towns), &self.dir);
        let townships = units.townships();
        let mut counts = self.counts.take();
        assert_eq!(counts.len(), self.plan.targets.len(), "the gaps are walked once");
        // The places of failing units in walks of the units kept.
        for (i, (def, c)) in self.plan.targets.iter().zip(&mut counts).enumerate() {
            let mut walked = TargetCount::default();
            count_target(def, &units, &self.facts, &self.filed, &self.spans[i], true, &mut walked);
            c.failing = walked.failing;
        }
        let head =
            Head { plan: self.plan, term: self.term, as_of: self.as_of, spans: self.spans.clone(), rosters: self.facts.rosters };
        head.walk(&self.facts, units, self.filed.clone(), townships, counts)
    }

    /// The notes of the report of these gaps ([`notes`]).
    pub(crate) fn notes(&self, report: &CoverageReport) -> Vec<String> {
        notes_with(report, &self.facts, &self.unknown)
    }
}

impl GapWalk<'_> {
    /// The report's figures for the district, its townships listed without their rows.
    #[cfg(test)]
    pub fn report(&self) -> &CoverageReport {
        self.report.as_ref().expect("the report is read before it is taken")
    }

    /// The report's figures, taken rather than copied (its townships alone are megabytes
    /// at national scale): [`GapWalk::report`] has it no more.
    pub(crate) fn take_report(&mut self) -> CoverageReport {
        self.report.take().expect("the report is taken once")
    }

    /// Hands the gaps to `each`, in order: per target, its failing units by township then
    /// code, then its townships (and the district) short of units. `names` is asked once
    /// for the names of the failing units the facts lack.
    pub(crate) fn each(
        self,
        names: impl FnOnce(&UnitIds) -> anyhow::Result<UnitNames>,
        mut each: impl FnMut(&Gap) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let GapWalk { plan, term, facts, spans, units, filed, townships, counted, failing, mut bodies, .. } = self;
        // A township's place in the order gaps are listed in; units without one come last.
        let mut rank = vec![u32::MAX; units.township_count()];
        for (at, &t) in townships.iter().enumerate() {
            rank[t as usize] = at as u32;
        }
        let mut names = names(&failing)?;
        names.ids.sort_unstable_by_key(|(id, _)| *id);
        for (i, def) in plan.targets.iter().enumerate() {
            let span = &spans[i];
            let reason_period = period::describe(span, term, plan);
            let (d, c) = &counted[i];
            // The failing units, by township then code; ties keep the walk's order. Each is
            // noted in a few bytes, and viewed again as its gap is worded.
            let mut failing: Vec<(u32, evaluate::Source, u32)> = units
                .at(def.units, &c.failing)
                .map(|(n, unit)| (unit.township.map_or(u32::MAX, |t| rank[t as usize]), unit.source, n))
                .collect();
            failing.sort_unstable_by(|a, b| (a.0, units.code(a.1), a.2).cmp(&(b.0, units.code(b.1), b.2)));
            for &(_, source, _) in &failing {
                let unit = units.view(source);
                let name = unit.id.filter(|_| unit.name.is_empty()).and_then(|id| names.get(id));
                if let Some(g) = unit_gap(def, i, &unit, &units, facts, &filed, span, &reason_period, &mut bodies, name) {
                    each(&g)?;
                }
            }
            drop(failing);
            // Townships (then the district) short of units, for an `at_least` target.
            let mut short = Vec::new();
            if def.by_township {
                let empty = Tally::default();
                for &t in &townships {
                    let r = row(def, i, c.per.get(t as usize).unwrap_or(&empty), span, &mut bodies);
                    at_least_gap(def, &r, Some(units.township(t)), &reason_period, &mut short);
                }
            }
            at_least_gap(def, d, None, &reason_period, &mut short);
            for g in &short {
                each(g)?;
            }
        }
        Ok(())
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
