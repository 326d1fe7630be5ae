//! Who has reported for a term (SPEC §12, `gongyu returns`): per township, the units with a
//! parent school that reported activities; key students by school; registry filings by
//! township; home visits naming students on no key-students roster. Pure, like the report.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::facts::{LedgerFacts, Window};
use crate::plan::model::UnitSet;
use crate::plan::{HostKind, RegistryCategory, SchoolGroup, Term};

use super::evaluate::Units;
use super::timeliness::Timeliness;
use super::{TownshipDirectory, TownshipKey};

/// A unit, by code and name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct UnitRef {
    /// Boxed, not `String`: `returns` lists a national term's million units twice.
    pub code: Box<str>,
    pub name: Box<str>,
    /// `schools`, `communities` or `bodies`.
    pub kind: &'static str,
}

/// One township's activity returns: the units with a parent school that reported at least
/// one activity dated in the term, and those that did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TownshipActivities {
    /// `None`: bodies that count at district level only.
    pub township: Option<TownshipKey>,
    pub reported: Vec<UnitRef>,
    pub missing: Vec<UnitRef>,
    /// The activities dated in the term that these units hosted.
    pub activities: u64,
}

/// One school's key students on the roster of the term's school year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SchoolKeyStudents {
    pub township: Option<TownshipKey>,
    pub school: UnitRef,
    pub students: u64,
}

/// One township's registry filings in the school year so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TownshipRegistry {
    pub township: TownshipKey,
    pub filed: Vec<RegistryCategory>,
    pub missing: Vec<RegistryCategory>,
}

/// Home visits naming a student on no key-students roster of the school year.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct UnknownVisits {
    pub school: String,
    pub reference: String,
    pub visits: u64,
}

/// Who has reported for a term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReturnsStatus {
    pub activities: Vec<TownshipActivities>,
    pub key_students: Vec<SchoolKeyStudents>,
    pub registry: Vec<TownshipRegistry>,
    pub unknown_visits: Vec<UnknownVisits>,
}

/// The windows `returns` reads: the term's days, and the school year's so far.
pub(crate) fn windows(term: Term, as_of: chrono::NaiveDate) -> (Window, Window) {
    let term_window = Window { start: term.first_day(), end: term.last_day().min(as_of) };
    let (year_start, _) = term.school_year_days();
    (term_window, Window { start: year_start, end: term.last_day().min(as_of) })
}

fn kind_name(h: Option<HostKind>) -> &'static str {
    h.map_or("", HostKind::as_str)
}

/// Works out who has reported, from the facts read for the two windows of [`windows`].
pub(crate) fn status(facts: &LedgerFacts, term_window: Window, year_window: Window) -> ReturnsStatus {
    let dir = TownshipDirectory::new(&facts.townships, &facts.township_names);
    let units = Units::new(facts, &dir);
    let empty = Default::default();
    let counts = facts.activity.get(&term_window).unwrap_or(&empty);
    let mut by_township: BTreeMap<Option<TownshipKey>, TownshipActivities> = BTreeMap::new();
    for u in units.of(UnitSet::ParentSchools) {
        let township = u.township.map(|t| units.township(t).clone());
        let entry = by_township.entry(township.clone()).or_insert_with(|| TownshipActivities {
            township,
            reported: Vec::new(),
            missing: Vec::new(),
            activities: 0,
        });
        let unit = UnitRef { code: u.code.as_ref().into(), name: u.name.as_ref().into(), kind: kind_name(u.host) };
        let hosted = u.id.map_or(0, |id| counts.get(id).total());
        entry.activities += hosted;
        if hosted > 0 {
            entry.reported.push(unit);
        } else {
            entry.missing.push(unit);
        }
    }
    // Townships named by code first, bodies without a township last.
    let mut activities: Vec<TownshipActivities> = by_township.into_values().collect();
    activities.sort_by(|a, b| (a.township.is_none(), &a.township).cmp(&(b.township.is_none(), &b.township)));

    let mut per_school: BTreeMap<&str, u64> = BTreeMap::new();
    for k in &facts.key_students {
        *per_school.entry(k.school.as_str()).or_default() += 1;
    }
    let key_students = facts
        .schools
        .iter()
        .filter(|s| matches!(s.school_type.group(), SchoolGroup::PrimarySecondary | SchoolGroup::Kindergarten))
        .map(|s| SchoolKeyStudents {
            township: Some(dir.resolve(facts.school_township(s))),
            school: UnitRef {
                code: facts.text(s.code).into(),
                name: facts.text(s.name).into(),
                kind: HostKind::Schools.as_str(),
            },
            students: per_school.get(facts.text(s.code)).copied().unwrap_or(0),
        })
        .collect();

    let mut filed: BTreeMap<String, BTreeSet<RegistryCategory>> = BTreeMap::new();
    for f in facts.registry.get(&year_window).into_iter().flatten() {
        filed.entry(dir.resolve(&f.township).id().to_string()).or_default().insert(f.category);
    }
    let registry = units
        .of(UnitSet::Townships)
        .filter_map(|t| t.township.map(|t| units.township(t).clone()))
        .map(|t| {
            let done = filed.get(t.id()).cloned().unwrap_or_default();
            TownshipRegistry {
                filed: done.iter().copied().collect(),
                missing: RegistryCategory::ALL.into_iter().filter(|c| !done.contains(c)).collect(),
                township: t,
            }
        })
        .collect();

    let known: BTreeSet<(&str, &str)> = facts.key_students.iter().map(|k| (k.school.as_str(), k.reference.as_str())).collect();
    let mut unknown_visits: Vec<UnknownVisits> = facts
        .home_visits
        .get(&year_window)
        .into_iter()
        .flatten()
        .filter(|((school, reference), _)| !known.contains(&(school.as_str(), reference.as_str())))
        .map(|((school, reference), n)| UnknownVisits { school: school.clone(), reference: reference.clone(), visits: *n })
        .collect();
    unknown_visits.sort_by(|a, b| (&a.school, &a.reference).cmp(&(&b.school, &b.reference)));
    ReturnsStatus { activities, key_students, registry, unknown_visits }
}

/// Who has reported for a term (`gongyu returns`): the rosters in use and what the returns
/// hold, as `ops::returns` puts it together for `render`.
pub(crate) struct Returns {
    pub term: Term,
    pub as_of: NaiveDate,
    /// Each roster kind and the batch in use, or `None` where missing.
    pub rosters: Vec<(&'static str, Option<crate::facts::BatchRecord>)>,
    pub status: ReturnsStatus,
    /// Whether the returns came in on time, by the plan's deadlines (SPEC §15).
    pub timeliness: Timeliness,
    /// Today, to tell a deadline that has passed from one still to come.
    pub today: NaiveDate,
    /// The name of the plan whose deadlines apply, for titles.
    pub plan_name: String,
}
