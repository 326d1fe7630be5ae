//! A plan as data (SPEC §7): its targets, each with the units it counts, the selectors and
//! facts a unit must show, a threshold, a period and the bodies responsible.

use super::fact::{Fact, HostKind};
use super::units::{ActivityKind, Area, BodyKind, BodyLevel, RegistryCategory, SchoolGroup, SchoolType};
use super::Term;
use crate::returns::kinds::{generic, KindSpec};

/// A plan: read from a TOML file, or the one compiled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    pub id: String,
    pub name: String,
    pub document: Option<String>,
    pub first_term: Term,
    pub last_term: Term,
    pub targets: Vec<TargetDef>,
    /// When each return is due, and the timeliness thresholds (`[deadlines]`).
    pub deadlines: super::deadlines::Deadlines,
    /// The keys the plan file's `[quality]` set, as written (`plan show` writes them back;
    /// `plan::quality::in_force` gives the thresholds).
    pub quality_given: Vec<(String, String)>,
    /// Where the plan came from, for messages: a path, or `built-in`.
    pub source: String,
    /// SHA-256 of the plan file's bytes (for the built-in plan, of its compiled-in TOML).
    pub sha256: String,
}

impl Plan {
    /// Every target id, for messages.
    pub(crate) fn target_ids(&self) -> String {
        self.targets.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// The words of a target for people, in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Title {
    pub zh: String,
    pub en: Option<String>,
}

impl Title {
    pub(crate) fn get(&self, english: bool) -> &str {
        match (&self.en, english) {
            (Some(en), true) => en,
            _ => &self.zh,
        }
    }
}

/// What a target counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum UnitSet {
    Schools,
    Communities,
    Bodies,
    /// Every school, community or body that has a parent school.
    ParentSchools,
    KeyStudents,
    Townships,
    /// The units of a roster declared as data (`returns::kinds::generic`), by its spec.
    Roster(&'static KindSpec),
}

impl UnitSet {
    pub(crate) const ALL: [UnitSet; 6] = [
        UnitSet::Schools,
        UnitSet::Communities,
        UnitSet::Bodies,
        UnitSet::ParentSchools,
        UnitSet::KeyStudents,
        UnitSet::Townships,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            UnitSet::Schools => HostKind::Schools.as_str(),
            UnitSet::Communities => HostKind::Communities.as_str(),
            UnitSet::Bodies => HostKind::Bodies.as_str(),
            UnitSet::ParentSchools => "parent-schools",
            UnitSet::KeyStudents => crate::returns::kinds::key_students::KIND_NAME,
            UnitSet::Townships => "townships",
            UnitSet::Roster(kind) => kind.name,
        }
    }

    pub(crate) fn parse(s: &str) -> Option<UnitSet> {
        UnitSet::ALL.into_iter().find(|u| u.as_str() == s).or_else(|| generic::named(s).map(UnitSet::Roster))
    }

    /// Every name `units` may take: the sets above, then the rosters declared as data.
    pub(crate) fn names() -> String {
        let all = UnitSet::ALL.into_iter().chain(generic::specs().map(UnitSet::Roster));
        all.map(UnitSet::as_str).collect::<Vec<_>>().join(", ")
    }

    /// Whether a target over this set reads the roster of kind `kind` (by its name).
    pub(crate) fn reads(self, kind: &str) -> bool {
        match self {
            UnitSet::KeyStudents => kind == crate::returns::kinds::key_students::KIND_NAME,
            UnitSet::Roster(k) => kind == k.name,
            _ => self.hosts().iter().any(|h| h.as_str() == kind),
        }
    }

    /// The roster kinds whose units this set may hold (key students: their schools').
    pub(crate) fn hosts(self) -> &'static [HostKind] {
        match self {
            UnitSet::Schools | UnitSet::KeyStudents => &[HostKind::Schools],
            UnitSet::Communities => &[HostKind::Communities],
            UnitSet::Bodies => &[HostKind::Bodies],
            UnitSet::ParentSchools => &HostKind::ALL,
            UnitSet::Townships | UnitSet::Roster(_) => &[],
        }
    }
}

/// A condition on a unit, in `where` (which units count) or `require` (what they must show).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Selector {
    /// The fact is reported with this value (a blank cell matches neither).
    Fact(Fact, bool),
    Group(Vec<SchoolGroup>),
    Type(Vec<SchoolType>),
    Area(Area),
    Kind(BodyKind),
    Level(BodyLevel),
    Host(Vec<HostKind>),
    /// A value a roster declared as data offers: its name (the column's), its place in the
    /// spec's values, and what it must be.
    Value(&'static str, usize, Want),
}

/// What a value of a roster declared as data must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// A yes/no reported with this value (a blank matches neither).
    Is(bool),
    /// A count of at least this (a blank never is).
    AtLeast(u64),
}

/// What a unit must show, beyond selectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Requirement {
    Selector(Selector),
    /// At least that many of each kind, dated in the period, hosted by the unit (for key
    /// students: home visits naming the student, hosted by the student's school).
    Activities(Vec<(ActivityKind, u64)>),
    /// At least `min` activities of these kinds together.
    AnyActivity {
        kinds: Vec<ActivityKind>,
        min: u64,
    },
    /// Townships: each category filed in the period.
    Registry(Vec<RegistryCategory>),
}

/// When a target is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Threshold {
    /// Percent of units: met when numerator ≥ ⌈P × denominator / 100⌉.
    Required(u32),
    /// At least N units match.
    AtLeast(u64),
    /// Counted and shown, never a gap.
    Informational,
}

/// The span of time a target's activities and filings are counted over (SPEC §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Period {
    Term,
    SchoolYear,
    Year,
    Plan,
}

impl Period {
    pub(crate) const ALL: [Period; 4] = [Period::Term, Period::SchoolYear, Period::Year, Period::Plan];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Period::Term => "term",
            Period::SchoolYear => "school-year",
            Period::Year => "year",
            Period::Plan => "plan",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// Who answers for a target's units (plan §三).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Responsible {
    List(Vec<String>),
    /// By the kind of unit hosting the parent school.
    ByHost(Vec<(HostKind, Vec<String>)>),
}

/// One target of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TargetDef {
    pub id: String,
    pub section: Option<String>,
    pub title: Title,
    pub units: UnitSet,
    pub filter: Vec<Selector>,
    pub require: Vec<Requirement>,
    pub threshold: Threshold,
    pub period: Period,
    pub by_township: bool,
    pub responsible: Responsible,
}

impl TargetDef {
    /// The facts `require` asks for, with the value wanted.
    pub(crate) fn required_facts(&self) -> impl Iterator<Item = (Fact, bool)> + '_ {
        self.require.iter().filter_map(|r| match r {
            Requirement::Selector(Selector::Fact(f, v)) => Some((*f, *v)),
            _ => None,
        })
    }

    /// `required_pct` of JSON: the percentage, or `None` for other thresholds.
    pub(crate) fn required_pct(&self) -> Option<u32> {
        match self.threshold {
            Threshold::Required(p) => Some(p),
            _ => None,
        }
    }
}
