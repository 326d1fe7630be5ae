//! The units a target counts, whether each matches a selector, and why one fails what a
//! target requires.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use crate::facts::{BodyUnit, CommunityUnit, KindCounts, LedgerFacts, SchoolUnit, Window};
use crate::lang::Words;
use crate::plan::model::{Requirement, Selector, TargetDef, UnitSet};
use crate::plan::{ActivityKind, Fact, FactSet, HostKind, RegistryCategory};

use super::{TownshipDirectory, TownshipKey};

/// One unit as targets see it.
pub struct UnitView<'a> {
    pub code: Cow<'a, str>,
    pub name: Cow<'a, str>,
    /// The unit's id in the ledger (`None` for a key student or a township).
    pub id: Option<i64>,
    /// The roster kind of the unit (`None` for a key student or a township).
    pub host: Option<HostKind>,
    pub township: Option<TownshipKey>,
    pub facts: FactSet,
    school: Option<&'a SchoolUnit>,
    community: Option<&'a CommunityUnit>,
    body: Option<&'a BodyUnit>,
    /// A key student: (school code, ref).
    student: Option<(&'a str, &'a str)>,
}

impl UnitView<'_> {
    pub fn matches(&self, s: &Selector) -> bool {
        match s {
            Selector::Fact(f, v) => self.facts.get(*f) == Some(*v),
            Selector::Group(g) => self.school.is_some_and(|s| g.contains(&s.school_type.group())),
            Selector::Type(t) => self.school.is_some_and(|s| t.contains(&s.school_type)),
            Selector::Area(a) => self.community.is_some_and(|c| c.area == *a) || self.school.is_some_and(|s| s.area == Some(*a)),
            Selector::Kind(k) => self.body.is_some_and(|b| b.kind == *k),
            Selector::Level(l) => self.body.is_some_and(|b| b.level == *l),
            Selector::Host(h) => self.host.is_some_and(|k| h.contains(&k)),
        }
    }
}

/// Every unit of the rosters in use, with its township resolved.
pub struct Units<'a> {
    schools: Vec<UnitView<'a>>,
    communities: Vec<UnitView<'a>>,
    bodies: Vec<UnitView<'a>>,
    students: Vec<UnitView<'a>>,
    townships: Vec<UnitView<'a>>,
}

impl<'a> Units<'a> {
    pub fn new(facts: &'a LedgerFacts) -> Units<'a> {
        let dir = TownshipDirectory::new(&facts.townships, &facts.township_names);
        let blank = |code: &'a str, name: &'a str, host, township| UnitView {
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
        };
        let schools: Vec<UnitView<'a>> = facts
            .schools
            .iter()
            .map(|s| UnitView {
                id: Some(s.id),
                facts: s.facts,
                school: Some(s),
                ..blank(&s.code, &s.name, Some(HostKind::Schools), Some(dir.resolve(&s.township)))
            })
            .collect();
        let communities: Vec<UnitView<'a>> = facts
            .communities
            .iter()
            .map(|c| {
                let township = dir.resolve_pair(c.township_name.as_deref(), c.township_code.as_deref());
                UnitView {
                    id: Some(c.id),
                    facts: c.facts,
                    community: Some(c),
                    ..blank(&c.code, &c.name, Some(HostKind::Communities), Some(township))
                }
            })
            .collect();
        let bodies = facts
            .bodies
            .iter()
            .map(|b| {
                let township = b.township.as_deref().map(|t| dir.resolve(t));
                UnitView {
                    id: Some(b.id),
                    facts: b.facts,
                    body: Some(b),
                    ..blank(&b.code, &b.name, Some(HostKind::Bodies), township)
                }
            })
            .collect();
        let by_code: HashMap<&str, &UnitView<'a>> = schools.iter().map(|s| (s.code.as_ref(), s)).collect();
        let students = facts
            .key_students
            .iter()
            .map(|k| {
                let school = by_code.get(k.school.as_str());
                let name = match school {
                    Some(s) => Cow::Owned(format!("{} ({})", s.name, k.school)),
                    None => Cow::Owned(format!("school {} (not on the schools roster in use)", k.school)),
                };
                UnitView {
                    name,
                    school: school.and_then(|s| s.school),
                    student: Some((k.school.as_str(), k.reference.as_str())),
                    ..blank(&k.reference, "", None, school.and_then(|s| s.township.clone()))
                }
            })
            .collect();
        let mut seen = BTreeSet::new();
        let townships = communities
            .iter()
            .filter_map(|c| c.township.clone())
            .filter(|t| seen.insert(t.clone()))
            .map(|t| UnitView {
                code: Cow::Owned(t.id().to_string()),
                name: Cow::Owned(t.name.clone()),
                ..blank("", "", None, Some(t))
            })
            .collect();
        Units { schools, communities, bodies, students, townships }
    }

    /// The units of a target's `units`.
    pub fn of(&self, set: UnitSet) -> Box<dyn Iterator<Item = &UnitView<'a>> + '_> {
        match set {
            UnitSet::Schools => Box::new(self.schools.iter()),
            UnitSet::Communities => Box::new(self.communities.iter()),
            UnitSet::Bodies => Box::new(self.bodies.iter()),
            UnitSet::KeyStudents => Box::new(self.students.iter()),
            UnitSet::Townships => Box::new(self.townships.iter()),
            UnitSet::ParentSchools => Box::new(
                self.schools
                    .iter()
                    .chain(self.communities.iter())
                    .filter(|u| u.facts.get(Fact::ParentSchool) == Some(true))
                    .chain(self.bodies.iter().filter(|u| {
                        u.facts.get(Fact::ParentSchool) == Some(true)
                            || u.body.is_some_and(|b| b.kind == crate::plan::BodyKind::ParentSchool)
                    })),
            ),
        }
    }

    /// Every township any unit is in.
    pub fn townships(&self) -> BTreeSet<TownshipKey> {
        [&self.schools, &self.communities, &self.bodies, &self.students]
            .into_iter()
            .flat_map(|l| l.iter().filter_map(|u| u.township.clone()))
            .collect()
    }
}

/// The registry categories filed per window and township (by the township's id), each
/// filing's township resolved once rather than once per township evaluated.
pub struct Filed {
    by_window: HashMap<Window, HashMap<String, BTreeSet<RegistryCategory>>>,
}

impl Filed {
    pub fn new(facts: &LedgerFacts) -> Filed {
        let dir = TownshipDirectory::new(&facts.townships, &facts.township_names);
        let by_window = facts
            .registry
            .iter()
            .map(|(w, filings)| {
                let mut by_township: HashMap<String, BTreeSet<RegistryCategory>> = HashMap::new();
                for f in filings {
                    by_township.entry(dir.resolve(&f.township).id().to_string()).or_default().insert(f.category);
                }
                (*w, by_township)
            })
            .collect();
        Filed { by_window }
    }

    fn filed(&self, window: Window, township: &str) -> Option<&BTreeSet<RegistryCategory>> {
        self.by_window.get(&window)?.get(township)
    }
}

/// Why a unit fails a target: a stable code and words for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: String,
    pub text: Words,
}

/// How an activity kind is named in a reason.
fn label(kind: ActivityKind) -> Words {
    let (zh, en) = match kind {
        ActivityKind::Guidance => ("家庭教育指导活动", "guidance activity"),
        ActivityKind::Practice => ("家庭教育实践活动", "practice activity"),
        ActivityKind::ParentMeeting => ("家长会", "parent meeting (家长会)"),
        ActivityKind::HomeVisit => ("入户家访", "home visit (家访)"),
    };
    Words::new(zh, en)
}

/// `guidance or practice activity`, `parent meeting (家长会)`, …
fn phrase(kinds: &[ActivityKind]) -> Words {
    if kinds.len() > 1 && kinds.iter().all(|k| matches!(k, ActivityKind::Guidance | ActivityKind::Practice)) {
        let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
        let zh: Vec<&str> = kinds.iter().map(|k| if *k == ActivityKind::Guidance { "指导" } else { "实践" }).collect();
        return Words::new(format!("家庭教育{}活动", zh.join("或")), format!("{} activity", names.join(" or ")));
    }
    let labels: Vec<Words> = kinds.iter().map(|k| label(*k)).collect();
    Words::new(
        labels.iter().map(|w| w.zh.as_str()).collect::<Vec<_>>().join("或"),
        labels.iter().map(|w| w.en.as_str()).collect::<Vec<_>>().join(" or "),
    )
}

/// `no X in P` / `P无X`.
fn none_of(what: &Words, period: &Words) -> Words {
    Words::new(format!("{}无{}", period.zh, what.zh), format!("no {} {}", what.en, period.en))
}

/// `C X in P; N required` / `P X C次，要求N次`.
fn too_few(count: u64, what: &Words, period: &Words, need: u64) -> Words {
    Words::new(
        format!("{}{}{count}次，要求{need}次", period.zh, what.zh),
        format!("{count} {} {}; {need} required", what.en, period.en),
    )
}

fn counts_of(unit: &UnitView<'_>, facts: &LedgerFacts, window: Window) -> KindCounts {
    match unit.student {
        Some((school, reference)) => {
            let visits = facts
                .home_visits
                .get(&window)
                .and_then(|m| m.get(&(school.to_string(), reference.to_string())))
                .copied()
                .unwrap_or(0);
            KindCounts { home_visits: visits, ..Default::default() }
        }
        None => match (facts.activity.get(&window), unit.id) {
            (Some(m), Some(id)) => m.get(id),
            _ => KindCounts::default(),
        },
    }
}

/// The first reason (by the order of `require`) a unit fails the target, with every
/// reason in the words; `None` if it passes.
pub fn failure(
    def: &TargetDef,
    unit: &UnitView<'_>,
    facts: &LedgerFacts,
    registry: &Filed,
    window: Window,
    period: &Words,
) -> Option<Failure> {
    let mut found: Vec<Failure> = Vec::new();
    let mut blank: Vec<Fact> = Vec::new();
    let mut no: Vec<Fact> = Vec::new();
    let mut first_fact_code: Option<String> = None;
    for req in &def.require {
        match req {
            Requirement::Selector(Selector::Fact(f, want)) => match unit.facts.get(*f) {
                Some(v) if v == *want => {}
                None => {
                    blank.push(*f);
                    if first_fact_code.is_none() && found.is_empty() {
                        first_fact_code = Some("not-reported".into());
                    }
                }
                Some(_) => {
                    no.push(*f);
                    if first_fact_code.is_none() && found.is_empty() {
                        first_fact_code =
                            Some(if *f == Fact::ParentSchool && *want { "no-parent-school" } else { "fact-no" }.into());
                    }
                }
            },
            Requirement::Selector(s) => {
                if !unit.matches(s) {
                    found.push(Failure {
                        code: "fact-no".into(),
                        text: Words::new(format!("不符合 {s:?}"), format!("does not match {s:?}")),
                    });
                }
            }
            Requirement::Activities(list) => {
                let counts = counts_of(unit, facts, window);
                let missing: Vec<ActivityKind> = list.iter().filter(|(k, _)| counts.get(*k) == 0).map(|(k, _)| *k).collect();
                if missing.len() == list.len() {
                    let code = if list.len() > 1 { "no-activity".to_string() } else { format!("no-{}", list[0].0.as_str()) };
                    found.push(Failure { code, text: none_of(&phrase(&missing), period) });
                    continue;
                }
                let mut texts = Vec::new();
                let mut code = None;
                for (k, n) in list {
                    let c = counts.get(*k);
                    if c == 0 {
                        code.get_or_insert_with(|| format!("no-{}", k.as_str()));
                    } else if c < *n {
                        code.get_or_insert_with(|| format!("too-few-{}", k.as_str()));
                        texts.push(too_few(c, &label(*k), period, *n));
                    }
                }
                if !missing.is_empty() {
                    texts.insert(0, none_of(&phrase(&missing), period));
                }
                if let Some(code) = code {
                    found.push(Failure { code, text: Words::join(&texts) });
                }
            }
            Requirement::AnyActivity { kinds, min } => {
                let counts = counts_of(unit, facts, window);
                let total: u64 = kinds.iter().map(|k| counts.get(*k)).sum();
                let kind_code = if kinds.len() == 1 { kinds[0].as_str() } else { "activity" };
                if total == 0 {
                    let code = if kinds.len() == 1 { format!("no-{kind_code}") } else { "no-activity".into() };
                    found.push(Failure { code, text: none_of(&phrase(kinds), period) });
                } else if total < *min {
                    found.push(Failure {
                        code: format!("too-few-{kind_code}"),
                        text: too_few(total, &phrase(kinds), period, *min),
                    });
                }
            }
            Requirement::Registry(categories) => {
                let none = BTreeSet::new();
                let filed = unit.township.as_ref().and_then(|t| registry.filed(window, t.id())).unwrap_or(&none);
                let missing: Vec<&str> = categories.iter().filter(|c| !filed.contains(c)).map(|c| c.as_str()).collect();
                if !missing.is_empty() {
                    found.push(Failure {
                        code: "registry-missing".into(),
                        text: Words::new(
                            format!("{}未备案：{}", period.zh, missing.join("、")),
                            format!("no {} registry filing {}", missing.join("、"), period.en),
                        ),
                    });
                }
            }
        }
    }
    let mut texts: Vec<Words> = Vec::new();
    if no.contains(&Fact::ParentSchool) {
        texts.push(Words::new("未建立家长学校", "no parent school (家长学校)"));
    }
    let others: Vec<&Fact> = no.iter().filter(|f| **f != Fact::ParentSchool).collect();
    if !others.is_empty() {
        let zh: Vec<&str> = others.iter().map(|f| f.spec().zh).collect();
        let en: Vec<&str> = others.iter().map(|f| f.name()).collect();
        texts.push(Words::new(
            format!("填报为否：{}", zh.join("、")),
            format!("reported no: {} ({})", zh.join(", "), en.join(", ")),
        ));
    }
    if !blank.is_empty() {
        let zh: Vec<&str> = blank.iter().map(|f| f.spec().zh).collect();
        let en: Vec<&str> = blank.iter().map(|f| f.name()).collect();
        texts.push(Words::new(
            format!("未填报：{}", zh.join("、")),
            format!("not reported: {} ({})", zh.join(", "), en.join(", ")),
        ));
    }
    let code = first_fact_code.or_else(|| found.first().map(|f| f.code.clone()))?;
    texts.extend(found.into_iter().map(|f| f.text));
    Some(Failure { code, text: Words::join(&texts) })
}
