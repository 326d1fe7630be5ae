//! The one count of a report: the schools and communities a part at a time (as
//! `Ledger::facts_in_parts` reads them), then the bodies, key students, rosters declared as
//! data and townships. The report, its gaps, the trend and the national path all count
//! here, the same way at every size: a district is one part, a nation a few hundred.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDate;

use crate::facts::{LedgerFacts, RosterUnits, SchoolUnit};
use crate::plan::model::{Plan, TargetDef, Threshold};
use crate::plan::period::{self, PeriodSpan};
use crate::plan::Term;

use super::evaluate::{self, Units};
use super::gaps::{GapSpill, GapWalk};
use super::notes::notes_with;
use super::{no_data, Counted, Head, Responsibles, Tally, TownshipDirectory};

/// What walks of a target's units counted: over the district, per township (for a target
/// reported by township), and which units (by their place in the walk) failed.
#[derive(Default)]
pub(super) struct TargetCount {
    pub whole: Tally,
    pub per: Vec<Tally>,
    pub failing: Vec<u32>,
}

/// What a walk of a target's units is for.
#[derive(Clone, Copy)]
pub(super) struct Walk {
    /// Note the units that fail (for the gaps).
    pub failing: bool,
    /// Count each township of a target reported by township (for its rows; the gaps need
    /// a township's count only to find it short of units, for an `at_least` target).
    pub township_rows: bool,
}

/// Walks the units of target `def`, counting who meets it into `into` (which may hold the
/// counts of units walked before); with `walk.failing`, notes who does not. `facts` gives
/// the activities and filings the units are judged by.
pub(super) fn count_target(
    def: &TargetDef,
    units: &Units<'_>,
    facts: &LedgerFacts,
    filed: &evaluate::Filed,
    span: &PeriodSpan,
    walk: Walk,
    into: &mut TargetCount,
) {
    let TargetCount { whole, per, failing: failed } = into;
    let by_township = def.by_township && (walk.township_rows || matches!(def.threshold, Threshold::AtLeast(_)));
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
        if walk.failing && !met {
            failed.push(at as u32);
        }
    }
}

/// A report counted from the schools and communities a part at a time: no unit is kept
/// once counted (but the schools, when key students are counted against them), so its
/// memory is the townships' and the activity counts', not the units'. For the gaps, the
/// units that fail are spilled to a temporary file, sorted as the gaps are listed.
pub(crate) struct PartCount<'p> {
    plan: &'p Plan,
    term: Term,
    as_of: NaiveDate,
    spans: Vec<PeriodSpan>,
    /// Everything but the units; the schools and communities of the part being counted.
    facts: LedgerFacts,
    /// The units counted after the parts: bodies and key students, and (with key students)
    /// every school, with its code and name.
    rest: LedgerFacts,
    dir: TownshipDirectory,
    filed: evaluate::Filed,
    towns: evaluate::Towns,
    counts: Vec<TargetCount>,
    /// Per township spelling: for a school's spelling no community roster knows, its
    /// place in `unknown` (for the notes).
    spelling_unknown: Vec<Option<u32>>,
    /// Township names or codes of schools that no community roster has, and how many
    /// schools give each.
    unknown: Vec<(String, u64)>,
    unknown_at: crate::hash::FastMap<String, u32>,
    walk: Walk,
    /// For gaps: the schools and communities failing some target, spilled.
    gaps: Option<GapSpill>,
    /// Schools and communities counted so far: the place of the next in the walk.
    walked: u64,
}

impl<'p> PartCount<'p> {
    /// Starts from the facts without schools and communities (`Ledger::facts_in_parts`
    /// hands them over first).
    pub(crate) fn new(plan: &'p Plan, term: Term, today: NaiveDate, mut base: LedgerFacts) -> PartCount<'p> {
        let as_of = period::as_of(term, today);
        let spans: Vec<PeriodSpan> = plan.targets.iter().map(|t| period::span(t.period, term, plan, as_of)).collect();
        let dir = TownshipDirectory::new(&base.townships, &base.township_names);
        let filed = evaluate::Filed::new(&base, &dir);
        let mut rest = LedgerFacts::default();
        rest.bodies = std::mem::take(&mut base.bodies);
        rest.key_students = std::mem::take(&mut base.key_students);
        rest.data_rosters = std::mem::take(&mut base.data_rosters);
        // Most townships are known to the directory: room for them at once.
        let counts = plan
            .targets
            .iter()
            .map(|t| TargetCount {
                per: Vec::with_capacity(if t.by_township { base.townships.len() } else { 0 }),
                ..Default::default()
            })
            .collect();
        // The directory holds the townships now: the facts keep one, which says there are
        // some (for the notes), not forty thousand.
        base.townships.truncate(1);
        base.townships.shrink_to_fit();
        base.township_names = Vec::new();
        PartCount {
            plan,
            term,
            as_of,
            spans,
            facts: base,
            rest,
            dir,
            filed,
            towns: evaluate::Towns::default(),
            counts,
            spelling_unknown: Vec::new(),
            unknown: Vec::new(),
            unknown_at: Default::default(),
            walk: Walk { failing: false, township_rows: true },
            gaps: None,
            walked: 0,
        }
    }

    /// [`PartCount::new`] for the gaps: the schools and communities that fail some target
    /// are spilled (their parts must bring their codes and names), to be listed by
    /// [`PartCount::finish_gaps`]; the townships' rows are counted only with
    /// `township_rows` (a list of gaps alone shows the district's).
    pub(crate) fn for_gaps(
        plan: &'p Plan,
        term: Term,
        today: NaiveDate,
        base: LedgerFacts,
        township_rows: bool,
    ) -> PartCount<'p> {
        PartCount::for_gaps_in_runs(plan, term, today, base, township_rows, super::spill::RUN_BYTES)
    }

    /// [`PartCount::for_gaps`], the failing units sorted in runs of `run_bytes`.
    pub(super) fn for_gaps_in_runs(
        plan: &'p Plan,
        term: Term,
        today: NaiveDate,
        base: LedgerFacts,
        township_rows: bool,
        run_bytes: usize,
    ) -> PartCount<'p> {
        PartCount {
            walk: Walk { failing: true, township_rows },
            gaps: Some(GapSpill::new(run_bytes)),
            ..PartCount::new(plan, term, today, base)
        }
    }

    /// Counts a part of the schools and communities, in roster order.
    pub(crate) fn add(&mut self, part: RosterUnits) -> Result<()> {
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
        if !self.rest.key_students.is_empty() {
            // Key students are counted after the parts, against their schools.
            let rest = &mut self.rest;
            for s in &f.schools {
                let (code, name) = (rest.texts.add(f.text(s.code)), rest.texts.add(f.text(s.name)));
                rest.schools.push(SchoolUnit { code, name, ..s.clone() });
            }
        }
        let units = Units::part(&self.facts, &self.towns);
        for (i, (def, into)) in self.plan.targets.iter().zip(&mut self.counts).enumerate() {
            count_target(def, &units, &self.facts, &self.filed, &self.spans[i], self.walk, into);
        }
        let walked = self.walked;
        self.walked += (self.facts.schools.len() + self.facts.communities.len()) as u64;
        let Some(spill) = self.gaps.as_mut() else { return Ok(()) };
        spill.add(self.plan, &units, &mut self.counts, walked)
    }

    /// Counts the bodies, key students and townships of communities, once every part is
    /// counted (the schools and communities are not walked again), and gives every
    /// township units are in.
    fn count_the_rest(&mut self) -> evaluate::Towns {
        let f = &mut self.facts;
        (f.schools, f.communities, f.texts) = Default::default();
        let towns = std::mem::take(&mut self.towns);
        let units = Units::with_towns(&self.rest, std::borrow::Cow::Owned(towns), &self.dir).without_rosters();
        for (i, (def, into)) in self.plan.targets.iter().zip(&mut self.counts).enumerate() {
            // The failing units of the rest are noted afresh: places in this walk.
            into.failing.clear();
            count_target(def, &units, &self.facts, &self.filed, &self.spans[i], self.walk, into);
        }
        units.into_towns()
    }

    fn head(&self) -> Head<'p> {
        Head { plan: self.plan, term: self.term, as_of: self.as_of, spans: self.spans.clone(), rosters: self.facts.rosters }
    }

    fn unknown(&mut self) -> BTreeMap<String, u64> {
        std::mem::take(&mut self.unknown).into_iter().filter(|(_, n)| *n > 0).collect()
    }

    /// Counts the rest (after every part), and gives the report counted and its notes.
    pub(crate) fn finish(mut self) -> (Counted, Vec<String>) {
        let towns = self.count_the_rest();
        let townships = towns.ordered();
        let counted = self.head().counted(std::mem::take(&mut self.counts), &towns, &townships, self.walk.township_rows);
        let unknown = self.unknown();
        let notes = notes_with(&counted.report, &self.facts, &unknown);
        (counted, notes)
    }

    /// Counts the rest (after every part), and gives the report counted, its notes, and
    /// the walk of its gaps (the failing schools and communities sorted as listed).
    pub(crate) fn finish_gaps(mut self) -> Result<(Counted, Vec<String>, GapWalk<'p>)> {
        let towns = self.count_the_rest();
        let townships = towns.ordered();
        let failing: Vec<Vec<u32>> = self.counts.iter_mut().map(|c| std::mem::take(&mut c.failing)).collect();
        let mut bodies = Responsibles::default();
        let head = self.head();
        // The township counts of targets that list townships short of units.
        let short: Vec<Vec<Tally>> = self
            .plan
            .targets
            .iter()
            .zip(&self.counts)
            .map(|(def, c)| match def.threshold {
                Threshold::AtLeast(_) if def.by_township => {
                    townships.iter().map(|&t| c.per.get(t as usize).copied().unwrap_or_default()).collect()
                }
                _ => Vec::new(),
            })
            .collect();
        let district: Vec<_> = (0..self.plan.targets.len())
            .map(|i| super::row(&self.plan.targets[i], i, &self.counts[i].whole, &self.spans[i], &mut bodies))
            .collect();
        let counted = head.counted(std::mem::take(&mut self.counts), &towns, &townships, self.walk.township_rows);
        let unknown = self.unknown();
        let notes = notes_with(&counted.report, &self.facts, &unknown);
        let spill = self.gaps.take().unwrap_or_else(|| GapSpill::new(super::spill::RUN_BYTES));
        let walk = GapWalk {
            plan: self.plan,
            term: self.term,
            spans: self.spans,
            facts: self.facts,
            rest: self.rest,
            dir: self.dir,
            filed: self.filed,
            towns,
            townships,
            district,
            short,
            failing,
            bodies,
            sorted: spill.sorted()?,
        };
        Ok((counted, notes, walk))
    }
}
