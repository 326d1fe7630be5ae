//! The gaps of a report counted in parts ([`super::PartCount::for_gaps`]): each part's
//! schools and communities that fail some target are written, as they are found, to a
//! spill sorted the way gaps are listed (by township, then code, then the walk's order);
//! the walk ([`GapWalk::each`]) reads it back once per target and words each gap. Memory
//! holds the activity counts and a run of a few megabytes, not the failing units.

use std::borrow::Cow;

use anyhow::Result;

use crate::facts::{CommunityUnit, LedgerFacts, SchoolUnit};
use crate::plan::model::{Plan, Threshold};
use crate::plan::period::{self, PeriodSpan};
use crate::plan::{Area, FactSet, SchoolType, Status, Term};

use super::count::TargetCount;
use super::evaluate::{self, Source, Units};
use super::spill::{RecordSpill, Sorted};
use super::township::sort_bytes_of;
use super::{at_least_gap, row, unit_gap, Gap, Responsibles, Tally, TargetRow, TownshipDirectory, TownshipKey};

/// Appends a unit's place in the order its gaps are listed: its township (none last), its
/// code, then whether it was walked in the parts (0) or after them (1), and its place there.
fn sort_key(out: &mut Vec<u8>, township: Option<&TownshipKey>, code: &str, after_parts: bool, place: u64) {
    match township {
        Some(t) => t.sort_bytes(out),
        // After every township ([`TownshipKey::sort_bytes`] starts with 0 or 1).
        None => out.push(2),
    }
    sort_bytes_of(code, out);
    out.push(u8::from(after_parts));
    out.extend_from_slice(&place.to_be_bytes());
}

const SCHOOL: u8 = 0;
const COMMUNITY: u8 = 1;

/// The gaps of the failing schools and communities of the parts counted so far: one
/// record per unit and target it fails, keyed by the target, then the unit's place in the
/// list ([`sort_key`]).
pub(super) struct GapSpill {
    spill: RecordSpill,
    /// Reused: a record's key and payload.
    key: Vec<u8>,
    payload: Vec<u8>,
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

impl GapSpill {
    pub(super) fn new(run_bytes: usize) -> GapSpill {
        GapSpill { spill: RecordSpill::new(run_bytes), key: Vec::new(), payload: Vec::new() }
    }

    /// Spills the units of a part (`units`; `walked` before them) that fail a target whose
    /// failing units are listed, and lets go of the places counted.
    pub(super) fn add(&mut self, plan: &Plan, units: &Units<'_>, counts: &mut [TargetCount], walked: u64) -> Result<()> {
        let facts = units.facts();
        for (i, (def, c)) in plan.targets.iter().zip(counts.iter_mut()).enumerate() {
            if !matches!(def.threshold, Threshold::Required(_)) {
                c.failing.clear();
                continue;
            }
            for (_, unit) in units.at(def.units, &c.failing) {
                let p = &mut self.payload;
                p.clear();
                let place = match unit.source {
                    Source::School(j) => {
                        let s = &facts.schools[j as usize];
                        p.push(SCHOOL);
                        put_unit(p, s.id, s.township, s.facts, facts.text(s.code), facts.text(s.name));
                        put_str(p, s.school_type.as_str());
                        put_str(p, s.area.map_or("", Area::as_str));
                        walked + u64::from(j)
                    }
                    Source::Community(j) => {
                        let c = &facts.communities[j as usize];
                        p.push(COMMUNITY);
                        put_unit(p, c.id, c.township, c.facts, facts.text(c.code), facts.text(c.name));
                        put_str(p, c.area.as_str());
                        walked + (facts.schools.len() + j as usize) as u64
                    }
                    // Parts bring schools and communities only.
                    _ => continue,
                };
                self.key.clear();
                self.key.extend_from_slice(&(i as u16).to_be_bytes());
                sort_key(&mut self.key, unit.township.map(|t| units.township(t)), &unit.code, false, place);
                self.spill.push(&self.key, &self.payload)?;
            }
            c.failing.clear();
        }
        Ok(())
    }

    pub(super) fn sorted(self) -> Result<Sorted> {
        self.spill.sorted()
    }
}

fn put_unit(p: &mut Vec<u8>, id: i64, township: u32, facts: FactSet, code: &str, name: &str) {
    p.extend_from_slice(&id.to_le_bytes());
    p.extend_from_slice(&township.to_le_bytes());
    let (yes, no) = facts.masks();
    p.extend_from_slice(&yes.to_le_bytes());
    p.extend_from_slice(&no.to_le_bytes());
    put_str(p, code);
    put_str(p, name);
}

/// Reads the bytes a record was written with, in order.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        head
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take(4).try_into().expect("four bytes"))
    }
    fn i64(&mut self) -> i64 {
        i64::from_le_bytes(self.take(8).try_into().expect("eight bytes"))
    }
    fn str(&mut self) -> &'a str {
        let n = self.u32() as usize;
        std::str::from_utf8(self.take(n)).expect("the spill holds the UTF-8 it was given")
    }
}

/// Puts the unit of a record as the one school or community of `facts`, and says which.
fn unit_of(payload: &[u8], facts: &mut LedgerFacts) -> Source {
    let mut r = Reader(&payload[1..]);
    let (id, township) = (r.i64(), r.u32());
    let facts_of = FactSet::from_masks(r.u32(), r.u32());
    facts.schools.clear();
    facts.communities.clear();
    facts.texts.clear();
    let (code, name) = (facts.texts.add(r.str()), facts.texts.add(r.str()));
    if payload[0] == SCHOOL {
        let school_type = SchoolType::parse(r.str()).unwrap_or(SchoolType::Primary);
        let area = Area::parse(r.str());
        facts.schools.push(SchoolUnit { id, code, name, school_type, township, area, facts: facts_of });
        Source::School(0)
    } else {
        let area = Area::parse(r.str()).unwrap_or(Area::Urban);
        facts.communities.push(CommunityUnit { id, code, name, township, area, facts: facts_of });
        Source::Community(0)
    }
}

/// The gaps of a report counted in parts, ready to be listed: see [`GapWalk::each`].
pub(crate) struct GapWalk<'p> {
    pub(super) plan: &'p Plan,
    pub(super) term: Term,
    pub(super) spans: Vec<PeriodSpan>,
    /// The facts the units are judged by (without units).
    pub(super) facts: LedgerFacts,
    /// The units counted after the parts: bodies, key students (and their schools).
    pub(super) rest: LedgerFacts,
    pub(super) dir: TownshipDirectory,
    pub(super) filed: evaluate::Filed,
    pub(super) towns: evaluate::Towns,
    /// Every township, in report order.
    pub(super) townships: Vec<u32>,
    /// The district's rows.
    pub(super) district: Vec<TargetRow>,
    /// Per target listing townships short of units, its count in each of `townships`.
    pub(super) short: Vec<Vec<Tally>>,
    /// Per target, its failing units among those counted after the parts (their places).
    pub(super) failing: Vec<Vec<u32>>,
    pub(super) bodies: Responsibles,
    pub(super) sorted: Sorted,
}

impl GapWalk<'_> {
    /// Hands the gaps to `each`, in order: per target, its failing units by township then
    /// code (ties in the walk's order), then its townships (and the district) short of
    /// units. A target every unit left blank (no-data) lists no unit: one note says so.
    pub(crate) fn each(self, mut each: impl FnMut(&Gap) -> Result<()>) -> Result<()> {
        let GapWalk {
            plan,
            term,
            spans,
            mut facts,
            rest,
            dir,
            filed,
            towns,
            townships,
            district,
            short,
            failing,
            bodies,
            sorted,
        } = self;
        let after = Units::with_towns(&rest, Cow::Borrowed(&towns), &dir).without_rosters();
        let mut list = Lister { plan, term, spans: &spans, filed: &filed, towns: &towns, after: &after, bodies, target: None };
        let mut next = 0;
        sorted.scan(|key, payload| {
            let i = usize::from(u16::from_be_bytes([key[0], key[1]]));
            while next <= i {
                list.close(&facts, &district, &townships, &short, &mut each)?;
                list.open(next, &district[next], &failing[next]);
                next += 1;
            }
            list.spilled(&key[2..], payload, &mut facts, &mut each)
        })?;
        while next < plan.targets.len() {
            list.close(&facts, &district, &townships, &short, &mut each)?;
            list.open(next, &district[next], &failing[next]);
            next += 1;
        }
        list.close(&facts, &district, &townships, &short, &mut each)
    }
}

/// The listing of one target's gaps at a time.
struct Lister<'w, 'a> {
    plan: &'w Plan,
    term: Term,
    spans: &'w [PeriodSpan],
    filed: &'w evaluate::Filed,
    towns: &'w evaluate::Towns,
    /// The units counted after the parts.
    after: &'w Units<'a>,
    bodies: Responsibles,
    target: Option<Listing>,
}

/// The target being listed.
struct Listing {
    i: usize,
    period: crate::lang::Words,
    /// Whether its failing units are listed (not for a no-data target).
    units: bool,
    /// Its failing units among those counted after the parts, by their keys.
    late: std::iter::Peekable<std::vec::IntoIter<(Vec<u8>, Source)>>,
}

impl Lister<'_, '_> {
    fn open(&mut self, i: usize, district: &TargetRow, failing: &[u32]) {
        let def = &self.plan.targets[i];
        let units = matches!(def.threshold, Threshold::Required(_)) && district.status != Status::NoData;
        let mut late: Vec<(Vec<u8>, Source)> = Vec::new();
        if units {
            for (n, unit) in self.after.at(def.units, failing) {
                let mut key = Vec::new();
                sort_key(&mut key, unit.township.map(|t| self.after.township(t)), &unit.code, true, u64::from(n));
                late.push((key, unit.source));
            }
            late.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        }
        let period = period::describe(&self.spans[i], self.term, self.plan);
        self.target = Some(Listing { i, period, units, late: late.into_iter().peekable() });
    }

    /// Words the gap of a unit of the target being listed, if it fails it.
    fn word(
        &mut self,
        units: &Units<'_>,
        source: Source,
        facts: &LedgerFacts,
        each: &mut dyn FnMut(&Gap) -> Result<()>,
    ) -> Result<()> {
        let Some(t) = &self.target else { return Ok(()) };
        let (def, span) = (&self.plan.targets[t.i], &self.spans[t.i]);
        let unit = units.view(source);
        match unit_gap(def, t.i, &unit, units, facts, self.filed, span, &t.period, &mut self.bodies, None) {
            Some(g) => each(&g),
            None => Ok(()),
        }
    }

    /// The gap of a spilled unit (`key` without its target), after those of the units
    /// counted after the parts that come before it.
    fn spilled(
        &mut self,
        key: &[u8],
        payload: &[u8],
        facts: &mut LedgerFacts,
        each: &mut dyn FnMut(&Gap) -> Result<()>,
    ) -> Result<()> {
        if !self.target.as_ref().is_some_and(|t| t.units) {
            return Ok(());
        }
        while let Some((_, source)) = self.target.as_mut().and_then(|t| t.late.next_if(|(k, _)| k.as_slice() < key)) {
            self.word(self.after, source, facts, each)?;
        }
        let source = unit_of(payload, facts);
        self.word(&Units::part(facts, self.towns), source, facts, each)
    }

    /// Ends the target being listed: its failing units counted after the parts that are
    /// left, then its townships (and the district) short of units.
    fn close(
        &mut self,
        facts: &LedgerFacts,
        district: &[TargetRow],
        townships: &[u32],
        short: &[Vec<Tally>],
        each: &mut dyn FnMut(&Gap) -> Result<()>,
    ) -> Result<()> {
        let Some(t) = self.target.as_mut() else { return Ok(()) };
        let (i, late) = (t.i, std::mem::replace(&mut t.late, Vec::new().into_iter().peekable()));
        for (_, source) in late {
            self.word(self.after, source, facts, each)?;
        }
        let Some(t) = self.target.take() else { return Ok(()) };
        let (def, span) = (&self.plan.targets[i], &self.spans[i]);
        let mut short_of = Vec::new();
        for (&town, tally) in townships.iter().zip(&short[i]) {
            let r = row(def, i, tally, span, &mut self.bodies);
            at_least_gap(def, &r, Some(self.towns.get(town)), &t.period, &mut short_of);
        }
        at_least_gap(def, &district[i], None, &t.period, &mut short_of);
        for g in &short_of {
            each(g)?;
        }
        Ok(())
    }
}
