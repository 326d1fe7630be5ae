//! The units a target walks: schools, communities, bodies, key students and townships, each
//! viewed in place with its township resolved once per spelling.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use crate::facts::{BodyUnit, CommunityUnit, LedgerFacts, SchoolUnit, Spelling};
use crate::hash::FastMap;
use crate::plan::model::{Selector, UnitSet, Want};
use crate::plan::{Fact, FactSet, HostKind};
use crate::returns::kinds::generic::Value;

use super::{TownshipDirectory, TownshipKey};

/// Where a unit's view comes from: a place in one of the lists of [`Units`] (so that a
/// walk can note a unit in a few bytes and view it again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    School(u32),
    Community(u32),
    Body(u32),
    Student(u32),
    Township(u32),
    /// A unit of a roster declared as data: the roster's place in `data_rosters`, the unit's.
    Roster(u16, u32),
}

/// One unit as targets see it: a view of the facts, made as a target walks its units
/// (nothing per unit is kept beyond its township's index).
#[derive(Clone)]
pub(crate) struct UnitView<'a> {
    pub source: Source,
    pub code: Cow<'a, str>,
    pub name: Cow<'a, str>,
    /// The unit's id in the ledger (`None` for a key student or a township).
    pub id: Option<i64>,
    /// The roster kind of the unit (`None` for a key student or a township).
    pub host: Option<HostKind>,
    /// The unit's township: an index into [`Units::township`].
    pub township: Option<u32>,
    pub facts: FactSet,
    pub(super) school: Option<&'a SchoolUnit>,
    pub(super) community: Option<&'a CommunityUnit>,
    pub(super) body: Option<&'a BodyUnit>,
    /// A key student: (school code, ref).
    pub(super) student: Option<(&'a str, &'a str)>,
    /// A unit of a roster declared as data: its values, in its spec's order.
    pub(super) values: Option<&'a [Value]>,
}

impl UnitView<'_> {
    pub(crate) fn matches(&self, s: &Selector) -> bool {
        match s {
            Selector::Fact(f, v) => self.facts.get(*f) == Some(*v),
            Selector::Group(g) => self.school.is_some_and(|s| g.contains(&s.school_type.group())),
            Selector::Type(t) => self.school.is_some_and(|s| t.contains(&s.school_type)),
            Selector::Area(a) => self.community.is_some_and(|c| c.area == *a) || self.school.is_some_and(|s| s.area == Some(*a)),
            Selector::Kind(k) => self.body.is_some_and(|b| b.kind == *k),
            Selector::Level(l) => self.body.is_some_and(|b| b.level == *l),
            Selector::Host(h) => self.host.is_some_and(|k| h.contains(&k)),
            Selector::Value(_, i, want) => match (self.value(*i), want) {
                (Some(Value::YesNo(v)), Want::Is(w)) => v == w,
                (Some(Value::Count(n)), Want::AtLeast(w)) => n >= w,
                _ => false,
            },
        }
    }

    /// Value `i` of a unit of a roster declared as data.
    pub(crate) fn value(&self, i: usize) -> Option<&Value> {
        self.values.and_then(|v| v.get(i))
    }

    /// A school's area as its roster gives it (`None` for any other unit).
    pub(crate) fn school_area(&self) -> Option<Option<crate::plan::Area>> {
        self.school.map(|s| s.area)
    }

    /// The same view, borrowing what it owns.
    fn borrowed(&self) -> UnitView<'_> {
        UnitView { code: Cow::Borrowed(&self.code), name: Cow::Borrowed(&self.name), ..self.clone_refs() }
    }

    fn clone_refs(&self) -> UnitView<'_> {
        UnitView {
            code: Cow::Borrowed(""),
            name: Cow::Borrowed(""),
            source: self.source,
            id: self.id,
            host: self.host,
            township: self.township,
            facts: self.facts,
            school: self.school,
            community: self.community,
            body: self.body,
            student: self.student,
            values: self.values,
        }
    }
}

fn blank<'a>(code: &'a str, name: &'a str, host: Option<HostKind>, township: Option<u32>) -> UnitView<'a> {
    UnitView {
        source: Source::Township(0),
        code: code.into(),
        name: name.into(),
        id: None,
        host,
        township,
        facts: FactSet::default(),
        school: None,
        community: None,
        body: None,
        student: None,
        values: None,
    }
}

/// The townships units are in, each resolved once per spelling and kept once: built as
/// spellings come (a roster read in parts adds spellings part by part).
#[derive(Clone, Default)]
pub(super) struct Towns {
    /// Every township a unit is in, each once (and shared with `by_key`).
    keys: Vec<Arc<TownshipKey>>,
    by_key: FastMap<Arc<TownshipKey>, u32>,
    /// Per township spelling (see [`LedgerFacts::spellings`]), its township.
    spelling_town: Vec<u32>,
    /// The townships communities are in, in the order they are first met.
    community_order: Vec<u32>,
    in_community: Vec<bool>,
}

impl Towns {
    fn key(&mut self, key: TownshipKey) -> u32 {
        if let Some(i) = self.by_key.get(&key) {
            return *i;
        }
        let i = self.keys.len() as u32;
        let key = Arc::new(key);
        self.keys.push(key.clone());
        self.by_key.insert(key, i);
        i
    }

    /// Resolves spellings numbered after those resolved before (see
    /// [`crate::facts::SpellingNumbers`]).
    pub(super) fn add_spellings(&mut self, new: &[Spelling], dir: &TownshipDirectory) {
        for sp in new {
            let (name, code) = (sp.name.as_deref(), sp.code.as_deref());
            // Spellings are distinct: each is resolved, with no lookup of the spelling.
            let t =
                if sp.pair { self.key(dir.resolve_pair(name, code)) } else { self.key(dir.resolve(name.or(code).unwrap_or(""))) };
            self.spelling_town.push(t);
        }
    }

    /// Notes the townships of the communities of `facts` (after [`Towns::add_spellings`]):
    /// the units of a target over townships.
    pub(super) fn add_communities(&mut self, facts: &LedgerFacts) {
        self.in_community.resize(self.keys.len(), false);
        for c in &facts.communities {
            let t = self.spelling_town[c.township as usize];
            if !std::mem::replace(&mut self.in_community[t as usize], true) {
                self.community_order.push(t);
            }
        }
    }

    /// The township of a unit's spelling.
    pub(super) fn of_spelling(&self, spelling: u32) -> u32 {
        self.spelling_town[spelling as usize]
    }

    /// The township of index `i`.
    pub(super) fn get(&self, i: u32) -> &TownshipKey {
        &self.keys[i as usize]
    }

    /// How many townships units are in (indices run from 0 to this, excluded).
    pub(super) fn count(&self) -> usize {
        self.keys.len()
    }

    /// Every township any unit is in, in report order: indices into [`Towns::get`].
    pub(super) fn ordered(&self) -> Vec<u32> {
        let mut all: Vec<u32> = (0..self.keys.len() as u32).collect();
        all.sort_by(|a, b| self.keys[*a as usize].cmp(&self.keys[*b as usize]));
        all
    }
}

/// Every unit of the rosters in use, with its township resolved. Townships are resolved
/// once per spelling and kept once each; schools, communities and bodies are viewed in
/// place.
pub(super) struct Units<'a> {
    facts: &'a LedgerFacts,
    towns: Cow<'a, Towns>,
    body_town: Vec<Option<u32>>,
    students: Vec<UnitView<'a>>,
    /// Whether the townships of communities are walked as units (of a target over
    /// townships): views made as they are walked, from `towns`.
    townships: bool,
    /// Whether the schools and communities of `facts` are walked.
    rosters: bool,
}

impl<'a> Units<'a> {
    pub(super) fn new(facts: &'a LedgerFacts, dir: &TownshipDirectory) -> Units<'a> {
        let mut towns = Towns::default();
        towns.add_spellings(&facts.spellings, dir);
        towns.add_communities(facts);
        Units::with_towns(facts, Cow::Owned(towns), dir)
    }

    /// A part of the schools and communities (of `facts`, whose other units are counted
    /// apart), their townships resolved by `towns`: no bodies, key students or townships.
    pub(super) fn part(facts: &'a LedgerFacts, towns: &'a Towns) -> Units<'a> {
        debug_assert!(facts.bodies.is_empty() && facts.key_students.is_empty() && facts.data_rosters.is_empty());
        Units { facts, towns: Cow::Borrowed(towns), body_town: Vec::new(), students: Vec::new(), townships: false, rosters: true }
    }

    /// The units of `facts`, their townships resolved by `towns` (which must know every
    /// spelling of `facts`, and its communities). Bodies add their townships to `towns`.
    pub(super) fn with_towns(facts: &'a LedgerFacts, mut towns: Cow<'a, Towns>, dir: &TownshipDirectory) -> Units<'a> {
        let body_town: Vec<Option<u32>> = if facts.bodies.is_empty() {
            Vec::new()
        } else {
            // Each spelling is resolved once; `towns` is copied only for a township new to it.
            let mut by_spelling: FastMap<&str, u32> = FastMap::default();
            facts
                .bodies
                .iter()
                .map(|b| {
                    b.township.as_deref().map(|t| match by_spelling.get(t) {
                        Some(i) => *i,
                        None => {
                            let key = dir.resolve(t);
                            let i = match towns.by_key.get(&key) {
                                Some(i) => *i,
                                None => towns.to_mut().key(key),
                            };
                            by_spelling.insert(t, i);
                            i
                        }
                    })
                })
                .collect()
        };
        let by_code: HashMap<&str, usize> = if facts.key_students.is_empty() {
            HashMap::new()
        } else {
            facts.schools.iter().enumerate().map(|(i, s)| (facts.text(s.code), i)).collect()
        };
        let students = facts
            .key_students
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let school = by_code.get(k.school.as_str()).map(|i| {
                    let s = &facts.schools[*i];
                    (s, towns.of_spelling(s.township))
                });
                let name = match school {
                    Some((s, _)) => Cow::Owned(format!("{} ({})", facts.text(s.name), k.school)),
                    None => Cow::Owned(crate::t!("report-student-school-unknown", school = k.school)),
                };
                UnitView {
                    source: Source::Student(i as u32),
                    name,
                    school: school.map(|(s, _)| s),
                    student: Some((k.school.as_str(), k.reference.as_str())),
                    ..blank(&k.reference, "", None, school.map(|(_, t)| t))
                }
            })
            .collect();
        Units { facts, towns, body_town, students, townships: true, rosters: true }
    }

    /// The same units without the schools and communities (counted apart).
    pub(super) fn without_rosters(self) -> Units<'a> {
        Units { rosters: false, ..self }
    }

    /// The facts the units are viewed in.
    pub(super) fn facts(&self) -> &'a LedgerFacts {
        self.facts
    }

    /// The townships units are in, bodies' too.
    pub(super) fn into_towns(self) -> Towns {
        self.towns.into_owned()
    }

    /// The township of index `i` (see [`UnitView::township`]).
    pub(super) fn township(&self, i: u32) -> &TownshipKey {
        self.towns.get(i)
    }

    /// How many townships units are in (indices run from 0 to this, excluded).
    pub(super) fn township_count(&self) -> usize {
        self.towns.count()
    }

    fn school(&self, i: u32) -> UnitView<'a> {
        let s = &self.facts.schools[i as usize];
        UnitView {
            source: Source::School(i),
            id: Some(s.id),
            facts: s.facts,
            school: Some(s),
            ..blank(
                self.facts.text(s.code),
                self.facts.text(s.name),
                Some(HostKind::Schools),
                Some(self.towns.of_spelling(s.township)),
            )
        }
    }

    fn community(&self, i: u32) -> UnitView<'a> {
        let c = &self.facts.communities[i as usize];
        UnitView {
            source: Source::Community(i),
            id: Some(c.id),
            facts: c.facts,
            community: Some(c),
            ..blank(
                self.facts.text(c.code),
                self.facts.text(c.name),
                Some(HostKind::Communities),
                Some(self.towns.of_spelling(c.township)),
            )
        }
    }

    fn body(&self, i: u32) -> UnitView<'a> {
        let b = &self.facts.bodies[i as usize];
        UnitView {
            source: Source::Body(i),
            id: Some(b.id),
            facts: b.facts,
            body: Some(b),
            ..blank(&b.code, &b.name, Some(HostKind::Bodies), self.body_town[i as usize])
        }
    }

    fn schools(&self) -> impl Iterator<Item = UnitView<'a>> + '_ {
        let n = if self.rosters { self.facts.schools.len() } else { 0 };
        (0..n as u32).map(|i| self.school(i))
    }

    fn communities(&self) -> impl Iterator<Item = UnitView<'a>> + '_ {
        let n = if self.rosters { self.facts.communities.len() } else { 0 };
        (0..n as u32).map(|i| self.community(i))
    }

    fn bodies(&self) -> impl Iterator<Item = UnitView<'a>> + '_ {
        (0..self.facts.bodies.len() as u32).map(|i| self.body(i))
    }

    /// Unit `i` of roster `r` of the rosters declared as data.
    fn data_unit(&self, r: u16, i: u32) -> UnitView<'a> {
        let u = &self.facts.data_rosters[r as usize].units[i as usize];
        UnitView { source: Source::Roster(r, i), values: Some(&u.values), ..blank(&u.code, &u.name, None, None) }
    }

    /// The `i`th township communities are in, as a unit.
    fn township_view(&self, i: u32) -> UnitView<'_> {
        let t = self.towns.community_order[i as usize];
        let key = self.towns.get(t);
        UnitView { source: Source::Township(i), ..blank(key.id(), &key.name, None, Some(t)) }
    }

    /// The view of the unit `source` names (see [`UnitView::source`]).
    pub(super) fn view(&self, source: Source) -> UnitView<'_> {
        match source {
            Source::School(i) => self.school(i),
            Source::Community(i) => self.community(i),
            Source::Body(i) => self.body(i),
            Source::Student(i) => self.students[i as usize].borrowed(),
            Source::Township(i) => self.township_view(i),
            Source::Roster(r, i) => self.data_unit(r, i),
        }
    }

    /// The code of the unit `source` names.
    pub(super) fn code(&self, source: Source) -> &str {
        match source {
            Source::School(i) => self.facts.text(self.facts.schools[i as usize].code),
            Source::Community(i) => self.facts.text(self.facts.communities[i as usize].code),
            Source::Body(i) => &self.facts.bodies[i as usize].code,
            Source::Student(i) => &self.students[i as usize].code,
            Source::Township(i) => self.towns.get(self.towns.community_order[i as usize]).id(),
            Source::Roster(r, i) => &self.facts.data_rosters[r as usize].units[i as usize].code,
        }
    }

    /// The units of a target's `units`.
    pub(super) fn of(&self, set: UnitSet) -> Box<dyn Iterator<Item = UnitView<'_>> + '_> {
        match set {
            UnitSet::Schools => Box::new(self.schools()),
            UnitSet::Communities => Box::new(self.communities()),
            UnitSet::Bodies => Box::new(self.bodies()),
            UnitSet::KeyStudents => Box::new(self.students.iter().map(UnitView::borrowed)),
            UnitSet::Roster(kind) => {
                let r = self.facts.data_rosters.iter().position(|r| r.kind == kind).unwrap_or(usize::MAX);
                let n = self.facts.data_rosters.get(r).map_or(0, |r| r.units.len());
                Box::new((0..n as u32).map(move |i| self.data_unit(r as u16, i)))
            }
            UnitSet::Townships => {
                let n = if self.townships { self.towns.community_order.len() } else { 0 };
                Box::new((0..n as u32).map(|i| self.township_view(i)))
            }
            // Chosen by their facts before a view is made of them: a national walk passes a
            // million units, and a view is made (and moved) only for those chosen.
            UnitSet::ParentSchools => {
                let has = |facts: FactSet| facts.get(Fact::ParentSchool) == Some(true);
                let (schools, communities) = match self.rosters {
                    true => (&self.facts.schools[..], &self.facts.communities[..]),
                    false => (&[][..], &[][..]),
                };
                let bodies = &self.facts.bodies[..];
                Box::new(
                    (0..schools.len() as u32)
                        .filter(move |&i| has(schools[i as usize].facts))
                        .map(|i| self.school(i))
                        .chain(
                            (0..communities.len() as u32)
                                .filter(move |&i| has(communities[i as usize].facts))
                                .map(|i| self.community(i)),
                        )
                        .chain(
                            (0..bodies.len() as u32)
                                .filter(move |&i| {
                                    let b = &bodies[i as usize];
                                    has(b.facts) || b.kind == crate::plan::BodyKind::ParentSchool
                                })
                                .map(|i| self.body(i)),
                        ),
                )
            }
        }
    }

    /// The units of `set` at `places` (ascending) of its walk by [`Units::of`], each with
    /// its place: the walk stops after the last one.
    pub(super) fn at<'s>(&'s self, set: UnitSet, places: &'s [u32]) -> impl Iterator<Item = (u32, UnitView<'s>)> + 's {
        let mut next = places.iter().copied().peekable();
        self.of(set)
            .zip(0u32..)
            .map_while(move |(unit, n)| {
                let want = *next.peek()?;
                Some((want == n).then(|| {
                    next.next();
                    (n, unit)
                }))
            })
            .flatten()
    }

    /// Every township any unit is in, in order: indices into [`Units::township`].
    pub(super) fn townships(&self) -> Vec<u32> {
        self.towns.ordered()
    }
}
