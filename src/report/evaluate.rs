//! Whether a unit meets what a target requires, and why one fails it.

use std::collections::{BTreeSet, HashMap};

use crate::facts::{KindCounts, LedgerFacts, Window};
use crate::lang::{Lang, Words};
use crate::plan::model::{Requirement, Selector, TargetDef, UnitSet, Want};
use crate::plan::{ActivityKind, Fact, RegistryCategory};
use crate::returns::kinds::generic::Value;
use crate::tl;

pub(super) use super::units::{Source, Towns, UnitView, Units};
use super::{TownshipDirectory, TownshipKey};

/// The registry categories filed per window and township (by the township's id), each
/// filing's township resolved once rather than once per township evaluated.
#[derive(Clone)]
pub(super) struct Filed {
    by_window: HashMap<Window, HashMap<String, BTreeSet<RegistryCategory>>>,
}

impl Filed {
    pub(super) fn new(facts: &LedgerFacts, dir: &TownshipDirectory) -> Filed {
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
pub(super) struct Failure {
    pub code: String,
    pub text: Words,
}

/// How an activity kind is named in a reason: worded once per kind for the whole run (a
/// national `gaps` words a reason for each of a million units).
fn label(kind: ActivityKind) -> &'static Words {
    static LABELS: std::sync::OnceLock<Vec<Words>> = std::sync::OnceLock::new();
    let labels = LABELS.get_or_init(|| {
        ActivityKind::all().map(|k| Words::each(|l| tl!(l, "report-activity-kind", kind = k.as_str(), name = k.zh()))).collect()
    });
    &labels[kind.index()]
}

/// `guidance or practice activity`, `parent meeting (家长会)`, …
fn phrase(kinds: &[ActivityKind]) -> Words {
    let or = |l: Lang, parts: Vec<String>| parts.join(&tl!(l, "report-or"));
    if kinds.len() > 1 && kinds.iter().all(|k| matches!(k, ActivityKind::Guidance | ActivityKind::Practice)) {
        return Words::each(|l| {
            let names = kinds.iter().map(|k| tl!(l, "report-activity-short", kind = k.as_str(), name = k.zh())).collect();
            tl!(l, "report-activity-kinds", kinds = or(l, names))
        });
    }
    Words::each(|l| or(l, kinds.iter().map(|k| label(*k).get(l).to_string()).collect()))
}

/// `no X in P` / `P无X`.
fn none_of(what: &Words, period: &Words) -> Words {
    Words::each(|l| tl!(l, "report-reason-none", what = what.get(l), period = period.get(l)))
}

/// `C X in P; N required` / `P X C次，要求N次`.
fn too_few(count: u64, what: &Words, period: &Words, need: u64) -> Words {
    Words::each(|l| tl!(l, "report-reason-too-few", count = count, what = what.get(l), period = period.get(l), need = need))
}

/// A fact or value as a reason names it: its Chinese label and its name.
type Label = (&'static str, &'static str);

/// The Chinese label of value `i` of the roster a target counts: its column's first alias.
fn value_label(def: &TargetDef, i: usize) -> Option<&'static str> {
    let UnitSet::Roster(kind) = def.units else { return None };
    kind.value_column(i).aliases.first().copied()
}

/// Whether a unit meets every requirement of the target: `failure(…).is_none()`, without
/// the words.
pub(super) fn passes(
    def: &TargetDef,
    unit: &UnitView<'_>,
    facts: &LedgerFacts,
    registry: &Filed,
    township: Option<&TownshipKey>,
    window: Window,
) -> bool {
    def.require.iter().all(|req| match req {
        Requirement::Selector(s) => unit.matches(s),
        Requirement::Activities(list) => {
            let counts = counts_of(unit, facts, window);
            list.iter().all(|(k, n)| {
                let c = counts.get(*k);
                c > 0 && c >= *n
            })
        }
        Requirement::AnyActivity { kinds, min } => {
            let counts = counts_of(unit, facts, window);
            let total: u64 = kinds.iter().map(|k| counts.get(*k)).sum();
            total > 0 && total >= *min
        }
        Requirement::Registry(categories) => {
            let filed = township.and_then(|t| registry.filed(window, t.id()));
            categories.iter().all(|c| filed.is_some_and(|f| f.contains(c)))
        }
    })
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
            KindCounts::of(ActivityKind::HomeVisit, visits)
        }
        None => match (facts.activity.get(&window), unit.id) {
            (Some(m), Some(id)) => m.get(id),
            _ => KindCounts::default(),
        },
    }
}

/// The first reason (by the order of `require`) a unit fails the target, with every
/// reason in the words; `None` if it passes.
pub(super) fn failure(
    def: &TargetDef,
    unit: &UnitView<'_>,
    facts: &LedgerFacts,
    registry: &Filed,
    township: Option<&TownshipKey>,
    window: Window,
    period: &Words,
) -> Option<Failure> {
    let mut found: Vec<Failure> = Vec::new();
    // Facts, and yes/no values of rosters declared as data, by their labels: (Chinese, name).
    let mut blank: Vec<Label> = Vec::new();
    let mut no: Vec<Label> = Vec::new();
    let mut no_parent_school = false;
    let mut first_fact_code: Option<String> = None;
    for req in &def.require {
        match req {
            Requirement::Selector(Selector::Fact(f, want)) => match unit.facts.get(*f) {
                Some(v) if v == *want => {}
                None => {
                    blank.push((f.spec().zh, f.name()));
                    if first_fact_code.is_none() && found.is_empty() {
                        first_fact_code = Some("not-reported".into());
                    }
                }
                Some(_) => {
                    match *f == Fact::ParentSchool {
                        true => no_parent_school = true,
                        false => no.push((f.spec().zh, f.name())),
                    }
                    if first_fact_code.is_none() && found.is_empty() {
                        first_fact_code =
                            Some(if *f == Fact::ParentSchool && *want { "no-parent-school" } else { "fact-no" }.into());
                    }
                }
            },
            Requirement::Selector(s @ Selector::Value(name, i, want)) => {
                let label = (value_label(def, *i).unwrap_or(name), *name);
                match (unit.value(*i), want) {
                    _ if unit.matches(s) => {}
                    (Some(Value::Count(n)), Want::AtLeast(need)) => found.push(Failure {
                        code: "value-too-low".into(),
                        text: Words::each(|l| {
                            tl!(l, "report-reason-value-too-low", value = l.pick(label.0, label.1), count = *n, need = *need)
                        }),
                    }),
                    (Some(Value::YesNo(_)), _) => {
                        no.push(label);
                        if first_fact_code.is_none() && found.is_empty() {
                            first_fact_code = Some("fact-no".into());
                        }
                    }
                    _ => {
                        blank.push(label);
                        if first_fact_code.is_none() && found.is_empty() {
                            first_fact_code = Some("not-reported".into());
                        }
                    }
                }
            }
            Requirement::Selector(s) => {
                if !unit.matches(s) {
                    found.push(Failure {
                        code: "fact-no".into(),
                        text: Words::each(|l| tl!(l, "report-reason-no-match", selector = format!("{s:?}"))),
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
                        texts.push(too_few(c, label(*k), period, *n));
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
                let filed = township.and_then(|t| registry.filed(window, t.id())).unwrap_or(&none);
                let missing: Vec<&str> = categories.iter().filter(|c| !filed.contains(c)).map(|c| c.as_str()).collect();
                if !missing.is_empty() {
                    found.push(Failure {
                        code: "registry-missing".into(),
                        text: Words::each(|l| {
                            tl!(l, "report-reason-registry", missing = missing.join("、"), period = period.get(l))
                        }),
                    });
                }
            }
        }
    }
    let mut texts: Vec<Words> = Vec::new();
    if no_parent_school {
        texts.push(Words::each(|l| tl!(l, "report-reason-no-parent-school")));
    }
    // Facts by their Chinese labels; in English, their names follow in brackets.
    let facts = |list: &[Label], l: Lang| {
        let zh: Vec<&str> = list.iter().map(|f| f.0).collect();
        match l {
            Lang::Zh => zh.join("、"),
            Lang::En => format!("{} ({})", zh.join(", "), list.iter().map(|f| f.1).collect::<Vec<_>>().join(", ")),
        }
    };
    if !no.is_empty() {
        texts.push(Words::each(|l| tl!(l, "report-reason-reported-no", facts = facts(&no, l))));
    }
    if !blank.is_empty() {
        texts.push(Words::each(|l| tl!(l, "report-reason-not-reported", facts = facts(&blank, l))));
    }
    let code = first_fact_code.or_else(|| found.first().map(|f| f.code.clone()))?;
    texts.extend(found.into_iter().map(|f| f.text));
    Some(Failure { code, text: Words::join(&texts) })
}
