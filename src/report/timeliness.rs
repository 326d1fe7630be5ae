//! Timeliness of a term's returns (SPEC §15), as DHIS2 measures it: of the returns expected,
//! how many were received (the reporting rate) and how many by their deadline (the on-time
//! rate). Pure, like the report; the ledger gives the days each return was received.
//!
//! Expected for a term: one roster of each kind the plan's targets read (for the district),
//! and, if a target counts activities, one activities return from each unit with a parent
//! school (as `returns` lists them by township). A unit's return is received when a live
//! batch holds an activity it hosted dated in the term; its day is the first such batch's.
//! A roster's day is the first live roster's of its term (school year, for key students).
//! If a target requires registry filings, each township is expected to have filed every
//! category the plans' targets name in the school year (as of the term's end): received on
//! the day the last of them first came in.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::facts::LedgerFacts;
use crate::plan::model::{Requirement, UnitSet};
use crate::plan::{HostKind, Plan, RegistryCategory, Term};

use super::evaluate::{self, Units};
use super::returns::UnitRef;
use super::{TownshipDirectory, TownshipKey};

/// One return expected for the term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expected {
    /// The return kind: `schools`, `communities`, `bodies`, `key-students`, `activities`.
    pub kind: &'static str,
    /// `None` for a roster (the district's) and for bodies without a township. Shared by
    /// the returns of one township.
    pub township: Option<Arc<TownshipKey>>,
    /// The unit whose return it is (`None` for a roster).
    pub unit: Option<UnitRef>,
    /// The last day on which it is on time.
    pub due: NaiveDate,
    pub received: Option<NaiveDate>,
}

impl Expected {
    /// Days after the deadline it came in (`None` when on time or missing).
    pub(crate) fn days_late(&self) -> Option<i64> {
        self.received.map(|r| (r - self.due).num_days()).filter(|d| *d > 0)
    }

    /// `on-time`, `late` or `missing`.
    pub(crate) fn status(&self) -> &'static str {
        match (self.received, self.days_late()) {
            (None, _) => "missing",
            (Some(_), Some(_)) => "late",
            (Some(_), None) => "on-time",
        }
    }
}

/// The counts of a group of expected returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub expected: u64,
    pub received: u64,
    pub on_time: u64,
    pub late: u64,
    /// The most days any of the late returns came in after its deadline.
    pub most_days_late: i64,
    pub missing: u64,
}

impl Counts {
    fn add(&mut self, e: &Expected) {
        self.expected += 1;
        match e.received {
            None => self.missing += 1,
            Some(_) => {
                self.received += 1;
                match e.days_late() {
                    Some(d) => {
                        self.late += 1;
                        self.most_days_late = self.most_days_late.max(d);
                    }
                    None => self.on_time += 1,
                }
            }
        }
    }

    fn percent(part: u64, expected: u64) -> Option<f64> {
        (expected > 0).then(|| (part as f64 * 10_000.0 / expected as f64).round() / 100.0)
    }

    /// Received ÷ expected, in percent (two decimals); `None` when nothing is expected.
    pub(crate) fn reporting_rate(&self) -> Option<f64> {
        Counts::percent(self.received, self.expected)
    }

    /// Received on time ÷ expected, in percent (two decimals).
    pub(crate) fn on_time_rate(&self) -> Option<f64> {
        Counts::percent(self.on_time, self.expected)
    }
}

/// One township's activities returns (`None`: bodies counted at district level only).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TownshipTimeliness {
    pub township: Option<TownshipKey>,
    pub counts: Counts,
}

/// The timeliness of a term's returns.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Timeliness {
    /// The plan's thresholds, in percent.
    pub reporting_threshold: u32,
    pub on_time_threshold: u32,
    /// The rosters expected, in the order schools, communities, bodies, key students.
    pub rosters: Vec<Expected>,
    /// The activities returns expected, by township then unit code.
    pub units: Vec<Expected>,
    /// The registry filings expected, one per township.
    pub registry: Vec<Expected>,
    pub townships: Vec<TownshipTimeliness>,
    /// Every return expected: the rosters and the units'.
    pub district: Counts,
}

impl Timeliness {
    /// Whether `rate` falls short of `threshold` (a rate of nothing expected never does).
    pub(crate) fn below(rate: Option<f64>, threshold: u32) -> bool {
        rate.is_some_and(|r| r < f64::from(threshold))
    }
}

/// The roster kinds the plan's targets read, in roster order.
pub(crate) fn rosters_read(plan: &Plan) -> Vec<&'static str> {
    let read = |kind: &str| plan.targets.iter().any(|t| t.units.reads(kind));
    crate::returns::kinds::ALL.iter().filter(|k| k.is_roster() && read(k.name)).map(|k| k.name).collect()
}

/// Whether a target of the plan counts activities.
pub(crate) fn activities_read(plan: &Plan) -> bool {
    plan.targets
        .iter()
        .any(|t| t.require.iter().any(|r| matches!(r, Requirement::Activities(_) | Requirement::AnyActivity { .. })))
}

/// The registry categories the plan's targets require.
pub(crate) fn registry_read(plan: &Plan) -> Vec<RegistryCategory> {
    let mut read: Vec<RegistryCategory> = Vec::new();
    for t in &plan.targets {
        for r in &t.require {
            if let Requirement::Registry(categories) = r {
                for c in categories {
                    if !read.contains(c) {
                        read.push(*c);
                    }
                }
            }
        }
    }
    read
}

/// The days returns came in, as the ledger gives them.
pub(crate) struct Receipts<'a> {
    /// Each roster kind's first day.
    pub rosters: &'a [(&'static str, Option<NaiveDate>)],
    /// Each unit's (by its key) first activities return's day.
    pub activities: &'a HashMap<i64, NaiveDate>,
    /// Each (township as given, category)'s first filing's day.
    pub registry: &'a HashMap<(String, String), NaiveDate>,
}

/// Works out the timeliness of `term`'s returns from the days they came in.
pub(crate) fn timeliness(facts: &LedgerFacts, plan: &Plan, term: Term, receipts: &Receipts<'_>) -> Timeliness {
    let (rosters, activities) = (receipts.rosters, receipts.activities);
    let deadlines = &plan.deadlines;
    let due = |kind: &str| deadlines.due(kind, term).unwrap_or(NaiveDate::MAX);
    let rosters: Vec<Expected> = rosters_read(plan)
        .into_iter()
        .map(|kind| Expected {
            kind,
            township: None,
            unit: None,
            due: due(kind),
            received: rosters.iter().find(|(k, _)| *k == kind).and_then(|(_, d)| *d),
        })
        .collect();
    let mut district = Counts::default();
    rosters.iter().for_each(|r| district.add(r));
    let dir = TownshipDirectory::new(&facts.townships, &facts.township_names);
    let walk = Units::new(facts, &dir);
    // Per township (by its index in the walk): its key, shared by every row naming it, and
    // its counts; a national term has a million units in forty thousand townships.
    let towns = walk.townships();
    let mut rank = vec![u32::MAX; walk.township_count()];
    for (at, &t) in towns.iter().enumerate() {
        rank[t as usize] = at as u32;
    }
    let keys: Vec<Arc<TownshipKey>> = (0..walk.township_count() as u32).map(|t| Arc::new(walk.township(t).clone())).collect();
    let mut town_counts: Vec<Option<Counts>> = vec![None; walk.township_count()];
    let mut no_town: Option<Counts> = None;
    let mut count = |township: Option<u32>, e: &Expected| match township {
        Some(t) => town_counts[t as usize].get_or_insert_with(Counts::default).add(e),
        None => no_town.get_or_insert_with(Counts::default).add(e),
    };
    let mut units = Vec::new();
    if activities_read(plan) {
        let activities_due = due(crate::returns::kinds::activities::KIND_NAME);
        // Townships by code first, bodies without a township last; units likewise, by
        // code (ties in the walk's order).
        // Each unit noted in a few bytes, and viewed again as its row is made.
        let mut listed: Vec<(u32, evaluate::Source)> =
            walk.of(UnitSet::ParentSchools).map(|u| (u.township.map_or(u32::MAX, |t| rank[t as usize]), u.source)).collect();
        listed.sort_by(|(a, x), (b, y)| (a, walk.code(*x)).cmp(&(b, walk.code(*y))));
        units.reserve_exact(listed.len());
        for (_, source) in listed {
            let u = walk.view(source);
            let e = Expected {
                kind: crate::returns::kinds::activities::KIND_NAME,
                unit: Some(UnitRef {
                    code: u.code.as_ref().into(),
                    name: u.name.as_ref().into(),
                    kind: u.host.map_or("", HostKind::as_str),
                }),
                township: u.township.map(|t| keys[t as usize].clone()),
                due: activities_due,
                received: u.id.and_then(|id| activities.get(&id).copied()),
            };
            count(u.township, &e);
            district.add(&e);
            units.push(e);
        }
    }
    let categories = registry_read(plan);
    let mut registry = Vec::new();
    if !categories.is_empty() {
        // Per township key, per category: the first day.
        let mut filed: HashMap<String, HashMap<RegistryCategory, NaiveDate>> = HashMap::new();
        for ((township, category), day) in receipts.registry {
            let Some(c) = RegistryCategory::ALL.into_iter().find(|c| c.as_str() == category) else { continue };
            let days = filed.entry(dir.resolve(township).id().to_string()).or_default();
            days.entry(c).and_modify(|d| *d = (*d).min(*day)).or_insert(*day);
        }
        let due = due(crate::returns::kinds::registry::KIND_NAME);
        for t in walk.of(UnitSet::Townships).filter_map(|u| u.township) {
            let township = &keys[t as usize];
            let days = filed.get(township.id());
            // Received when every category is in: on the day the last of them came.
            let received = categories.iter().map(|c| days.and_then(|d| d.get(c)).copied()).collect::<Option<Vec<_>>>();
            let e = Expected {
                kind: crate::returns::kinds::registry::KIND_NAME,
                township: Some(township.clone()),
                unit: None,
                due,
                received: received.and_then(|d| d.into_iter().max()),
            };
            count(Some(t), &e);
            district.add(&e);
            registry.push((rank[t as usize], e));
        }
        registry.sort_by_key(|(rank, _)| *rank);
    }
    let registry = registry.into_iter().map(|(_, e)| e).collect();
    let mut townships: Vec<TownshipTimeliness> = towns
        .iter()
        .filter_map(|&t| {
            let counts = town_counts[t as usize]?;
            Some(TownshipTimeliness { township: Some(keys[t as usize].as_ref().clone()), counts })
        })
        .collect();
    townships.extend(no_town.map(|counts| TownshipTimeliness { township: None, counts }));
    Timeliness {
        reporting_threshold: deadlines.reporting_rate(),
        on_time_threshold: deadlines.on_time_rate(),
        rosters,
        units,
        registry,
        townships,
        district,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(due: &str, received: Option<&str>) -> Expected {
        Expected {
            kind: "activities",
            township: None,
            unit: None,
            due: due.parse().unwrap(),
            received: received.map(|r| r.parse().unwrap()),
        }
    }

    #[test]
    fn counts_and_rates_as_dhis2_defines_them() {
        let mut c = Counts::default();
        for e in [
            expected("2021-02-15", Some("2021-02-15")),
            expected("2021-02-15", Some("2021-02-18")),
            expected("2021-02-15", Some("2021-03-17")),
            expected("2021-02-15", None),
        ] {
            c.add(&e);
        }
        assert_eq!(c, Counts { expected: 4, received: 3, on_time: 1, late: 2, most_days_late: 30, missing: 1 });
        assert_eq!((c.reporting_rate(), c.on_time_rate()), (Some(75.0), Some(25.0)));
        assert_eq!(Counts::default().reporting_rate(), None);
        assert!(Timeliness::below(Some(89.99), 90) && !Timeliness::below(Some(90.0), 90) && !Timeliness::below(None, 90));
        assert_eq!(expected("2021-02-15", Some("2021-02-18")).days_late(), Some(3));
        assert_eq!(expected("2021-02-15", Some("2021-02-01")).status(), "on-time");
    }
}
