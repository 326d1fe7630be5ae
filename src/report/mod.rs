//! Coverage and gaps: pure computation over a [`LedgerSnapshot`], no SQL, no I/O.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::ledger::read::{ActivityTally, LedgerSnapshot};
use crate::plan::target::{EDUCATION_BOARD, TOWNSHIP_GOVERNMENT, WOMENS_FEDERATION};
use crate::plan::{Area, Ratio, SchoolGroup, Status, Target, Term};
use crate::returns::rows::is_code;

/// A township as reports key it: by code wherever one is known.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TownshipKey {
    /// `None` sorts after every code: townships known only by name come last.
    sort: (bool, String),
    pub code: Option<String>,
    pub name: String,
}

impl TownshipKey {
    pub fn new(code: Option<String>, name: String) -> TownshipKey {
        let sort = match &code {
            Some(c) => (false, c.clone()),
            None => (true, name.clone()),
        };
        TownshipKey { sort, code, name }
    }

    /// The code if known, else the name: what JSON's `township` field holds.
    pub fn id(&self) -> &str {
        self.code.as_deref().unwrap_or(&self.name)
    }
}

/// Resolves the township names and codes rosters give into one key per township.
#[derive(Debug, Default)]
pub struct TownshipDirectory {
    by_code: HashMap<String, String>,
    by_name: HashMap<String, String>,
}

impl TownshipDirectory {
    /// `codes` pairs each code with its one name; `names` pairs every spelling with a code.
    pub fn new(codes: &[(String, String)], names: &[(String, String)]) -> TownshipDirectory {
        let mut d = TownshipDirectory::default();
        for (code, name) in codes {
            d.by_code.insert(code.clone(), name.clone());
            d.by_name.insert(name.clone(), code.clone());
        }
        for (name, code) in names {
            d.by_name.entry(name.clone()).or_insert_with(|| code.clone());
        }
        d
    }

    /// Whether a name or code is a township some community roster has given.
    pub fn knows(&self, name_or_code: &str) -> bool {
        self.by_code.contains_key(name_or_code) || self.by_name.contains_key(name_or_code)
    }

    /// A name or a code, as a school roster gives it.
    pub fn resolve(&self, name_or_code: &str) -> TownshipKey {
        if let Some(name) = self.by_code.get(name_or_code) {
            TownshipKey::new(Some(name_or_code.to_string()), name.clone())
        } else if is_code(name_or_code) {
            TownshipKey::new(Some(name_or_code.to_string()), name_or_code.to_string())
        } else if let Some(code) = self.by_name.get(name_or_code) {
            let name = self.by_code.get(code).cloned().unwrap_or_else(|| name_or_code.to_string());
            TownshipKey::new(Some(code.clone()), name)
        } else {
            TownshipKey::new(None, name_or_code.to_string())
        }
    }

    /// A name and/or code, as a community roster gives them. A known code is keyed with
    /// its one name, however this row spells it.
    pub fn resolve_pair(&self, name: Option<&str>, code: Option<&str>) -> TownshipKey {
        match (name, code) {
            (_, Some(c)) if self.by_code.contains_key(c) => self.resolve(c),
            (Some(n), Some(c)) => TownshipKey::new(Some(c.to_string()), n.to_string()),
            (None, Some(c)) => self.resolve(c),
            (Some(n), None) => self.resolve(n),
            (None, None) => TownshipKey::new(None, String::from("?")),
        }
    }
}

/// One target at one scope (the district or a township).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRow {
    pub target: Target,
    pub ratio: Ratio,
    pub responsible: Vec<&'static str>,
}

impl TargetRow {
    pub fn shortfall(&self) -> u64 {
        self.ratio.shortfall(self.target.required_pct())
    }

    pub fn status(&self) -> Status {
        self.ratio.status(self.target.required_pct())
    }
}

/// The targets of one township.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TownshipReport {
    pub township: TownshipKey,
    pub targets: Vec<TargetRow>,
}

/// The coverage report for one term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageReport {
    pub term: Term,
    pub schools_roster: Option<Term>,
    pub communities_roster: Option<Term>,
    pub district: Vec<TargetRow>,
    pub townships: Vec<TownshipReport>,
}

impl CoverageReport {
    /// Whether any target row, at any level, has status `gap`.
    pub fn has_gap(&self) -> bool {
        self.district.iter().chain(self.townships.iter().flat_map(|t| t.targets.iter())).any(|r| r.status() == Status::Gap)
    }
}

/// One unit failing one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub target: Target,
    pub township: TownshipKey,
    pub unit_code: String,
    pub unit_name: String,
    pub reason: String,
    pub responsible: Vec<&'static str>,
}

#[derive(Default)]
struct Tally {
    numerator: u64,
    denominator: u64,
    bodies: BTreeSet<usize>,
}

const BODIES: [&str; 3] = [EDUCATION_BOARD, WOMENS_FEDERATION, TOWNSHIP_GOVERNMENT];
const SCHOOL_BODIES: &[usize] = &[0];
const COMMUNITY_BODIES: &[usize] = &[1, 2];

/// Accumulates units into district and township tallies, and failing units into gaps.
struct Builder<'a> {
    term: Term,
    activity: &'a HashMap<String, ActivityTally>,
    district: BTreeMap<Target, Tally>,
    townships: BTreeMap<TownshipKey, BTreeMap<Target, Tally>>,
    gaps: Vec<Gap>,
}

impl Builder<'_> {
    fn count(
        &mut self,
        target: Target,
        township: &TownshipKey,
        bodies: &'static [usize],
        unit: (&str, &str),
        failure: Option<String>,
    ) {
        for tally in [
            self.district.entry(target).or_default(),
            self.townships.entry(township.clone()).or_default().entry(target).or_default(),
        ] {
            tally.denominator += 1;
            tally.numerator += u64::from(failure.is_none());
            tally.bodies.extend(bodies.iter().copied());
        }
        if let Some(reason) = failure {
            self.gaps.push(Gap {
                target,
                township: township.clone(),
                unit_code: unit.0.to_string(),
                unit_name: unit.1.to_string(),
                reason,
                responsible: bodies.iter().map(|b| BODIES[*b]).collect(),
            });
        }
    }

    fn activities(&mut self, township: &TownshipKey, bodies: &'static [usize], unit: (&str, &str)) {
        let t = self.activity.get(unit.0).copied().unwrap_or_default();
        let failure = match (t.guidance > 0, t.practice > 0) {
            (true, true) => None,
            (false, true) => Some(format!("no guidance activity in {}", self.term)),
            (true, false) => Some(format!("no practice activity in {}", self.term)),
            (false, false) => Some(format!("no guidance or practice activity in {}", self.term)),
        };
        self.count(Target::ParentSchoolActivities, township, bodies, unit, failure);
    }

    fn rows(&self, tallies: Option<&BTreeMap<Target, Tally>>) -> Vec<TargetRow> {
        Target::ALL
            .iter()
            .map(|&target| {
                let t = tallies.and_then(|m| m.get(&target));
                let (ratio, bodies): (Ratio, Vec<usize>) = match t {
                    Some(t) if t.denominator > 0 => (Ratio::new(t.numerator, t.denominator), t.bodies.iter().copied().collect()),
                    // SPEC §5: a row lists the bodies responsible for some unit in it — none here.
                    _ => (Ratio::default(), Vec::new()),
                };
                TargetRow { target, ratio, responsible: bodies.into_iter().map(|b| BODIES[b]).collect() }
            })
            .collect()
    }
}

/// Computes the coverage report and the gaps of `term` from a snapshot of the ledger.
pub fn compute(term: Term, snap: &LedgerSnapshot) -> (CoverageReport, Vec<Gap>) {
    let dir = TownshipDirectory::new(&snap.townships, &snap.township_names);
    let mut b =
        Builder { term, activity: &snap.activity, district: BTreeMap::new(), townships: BTreeMap::new(), gaps: Vec::new() };

    for s in &snap.schools {
        let township = dir.resolve(&s.township);
        let unit = (s.code.as_str(), s.name.as_str());
        let failure = (!s.parent_school).then(|| "no parent school (家长学校)".to_string());
        b.count(Target::SchoolParentSchool, &township, SCHOOL_BODIES, unit, failure);
        if s.parent_school {
            b.activities(&township, SCHOOL_BODIES, unit);
        }
        if matches!(s.group, SchoolGroup::PrimarySecondary | SchoolGroup::Kindergarten) {
            let held = b.activity.get(&s.code).is_some_and(|t| t.parent_meetings > 0);
            let failure = (!held).then(|| format!("no parent meeting (家长会) in {term}"));
            b.count(Target::ParentMeetings, &township, SCHOOL_BODIES, unit, failure);
        }
    }
    for c in &snap.communities {
        let township = dir.resolve_pair(c.township_name.as_deref(), c.township_code.as_deref());
        let unit = (c.code.as_str(), c.name.as_str());
        let target = match c.area {
            Area::Urban => Target::CommunityParentSchoolUrban,
            Area::Rural => Target::CommunityParentSchoolRural,
        };
        let failure = (!c.parent_school).then(|| "no parent school (家长学校)".to_string());
        b.count(target, &township, COMMUNITY_BODIES, unit, failure);
        if c.parent_school {
            b.activities(&township, COMMUNITY_BODIES, unit);
        }
    }

    let district = b.rows(Some(&b.district));
    let townships =
        b.townships.iter().map(|(k, tallies)| TownshipReport { township: k.clone(), targets: b.rows(Some(tallies)) }).collect();
    let mut gaps = std::mem::take(&mut b.gaps);
    gaps.sort_by(|x, y| (x.target, &x.township, &x.unit_code).cmp(&(y.target, &y.township, &y.unit_code)));
    let report = CoverageReport {
        term,
        schools_roster: snap.schools_roster,
        communities_roster: snap.communities_roster,
        district,
        townships,
    };
    (report, gaps)
}

/// Notes for people about what a report rests on: missing or older rosters, no activities.
pub fn notes(report: &CoverageReport, snap: &LedgerSnapshot) -> Vec<String> {
    let mut notes = Vec::new();
    let t = report.term;
    for (kind, roster) in [("schools", report.schools_roster), ("communities", report.communities_roster)] {
        match roster {
            None => notes.push(format!(
                "no {kind} roster for {t} or earlier is in the ledger; its targets are n/a (import one with `gongyu import {kind} FILE --term {t}`)"
            )),
            Some(r) if r != t => notes.push(format!("using the {kind} roster of {r}: none has been imported for {t}")),
            Some(_) => {}
        }
    }
    let dir = TownshipDirectory::new(&snap.townships, &snap.township_names);
    let mut unknown: BTreeMap<&str, u64> = BTreeMap::new();
    for s in &snap.schools {
        if !dir.knows(&s.township) {
            *unknown.entry(s.township.as_str()).or_default() += 1;
        }
    }
    if !unknown.is_empty() && !snap.townships.is_empty() {
        let list: Vec<String> = unknown.iter().map(|(t, n)| format!("{t} ({n})")).collect();
        notes.push(format!(
            "the schools roster names townships that no community roster has: {}; check their spelling (they are reported as townships of their own)",
            list.join(", ")
        ));
    }
    if snap.activities_in_term == 0 {
        notes.push(format!("no activities dated in {t} ({} to {}) are in the ledger", t.first_day(), t.last_day()));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::read::{CommunityUnit, SchoolUnit};

    fn term() -> Term {
        "2020-2021-1".parse().unwrap()
    }

    fn school(code: &str, township: &str, group: SchoolGroup, parent_school: bool) -> SchoolUnit {
        SchoolUnit { code: code.into(), name: format!("school {code}"), group, township: township.into(), parent_school }
    }

    fn community(code: &str, tcode: &str, area: Area, parent_school: bool) -> CommunityUnit {
        CommunityUnit {
            code: code.into(),
            name: format!("community {code}"),
            township_name: Some(format!("T{tcode}")),
            township_code: Some(tcode.into()),
            area,
            parent_school,
        }
    }

    fn snapshot() -> LedgerSnapshot {
        let mut snap = LedgerSnapshot {
            schools_roster: Some(term()),
            communities_roster: Some(term()),
            townships: vec![("001".into(), "T001".into()), ("002".into(), "T002".into())],
            ..Default::default()
        };
        snap.schools = vec![
            school("s1", "T001", SchoolGroup::PrimarySecondary, true),
            school("s2", "002", SchoolGroup::Kindergarten, true),
            school("s3", "T002", SchoolGroup::Vocational, false),
        ];
        // 20 urban communities in 001, 19 with a parent school: 95% met exactly.
        for i in 0..20 {
            snap.communities.push(community(&format!("u{i}"), "001", Area::Urban, i != 0));
        }
        snap.communities.push(community("r1", "002", Area::Rural, false));
        let full = ActivityTally { guidance: 1, practice: 2, parent_meetings: 1, home_visits: 0 };
        snap.activity.insert("s1".into(), full);
        snap.activity.insert("s2".into(), ActivityTally { guidance: 1, ..Default::default() });
        for i in 1..20 {
            snap.activity.insert(format!("u{i}"), full);
        }
        snap
    }

    fn row(rows: &[TargetRow], t: Target) -> &TargetRow {
        rows.iter().find(|r| r.target == t).unwrap()
    }

    #[test]
    fn district_and_township_rows() {
        let (report, gaps) = compute(term(), &snapshot());
        let d = &report.district;
        assert_eq!(d.len(), 5);
        assert_eq!(row(d, Target::SchoolParentSchool).ratio, Ratio::new(2, 3));
        assert_eq!(row(d, Target::SchoolParentSchool).status(), Status::Gap);
        assert_eq!(row(d, Target::CommunityParentSchoolUrban).ratio, Ratio::new(19, 20));
        assert_eq!(row(d, Target::CommunityParentSchoolUrban).status(), Status::Met);
        assert_eq!(row(d, Target::CommunityParentSchoolRural).ratio, Ratio::new(0, 1));
        // s1 and u1..u19 have both kinds; s2 lacks practice.
        assert_eq!(row(d, Target::ParentSchoolActivities).ratio, Ratio::new(20, 21));
        assert_eq!(row(d, Target::ParentSchoolActivities).responsible, vec!["区教委", "区妇联", "乡镇街道"]);
        // The vocational school does not count for parent meetings.
        assert_eq!(row(d, Target::ParentMeetings).ratio, Ratio::new(1, 2));
        assert_eq!(report.townships.len(), 2);
        let t1 = &report.townships[0];
        assert_eq!(t1.township.code.as_deref(), Some("001"));
        assert_eq!(row(&t1.targets, Target::CommunityParentSchoolRural).status(), Status::NotApplicable);
        assert!(row(&t1.targets, Target::CommunityParentSchoolRural).responsible.is_empty());
        // The school giving the township by code and the one giving its name land together.
        let t2 = &report.townships[1];
        assert_eq!(row(&t2.targets, Target::SchoolParentSchool).ratio, Ratio::new(1, 2));
        assert!(report.has_gap());
        let reasons: Vec<_> = gaps.iter().map(|g| (g.target.id(), g.unit_code.as_str(), g.reason.as_str())).collect();
        assert!(reasons.contains(&("parent-school-activities", "s2", "no practice activity in 2020-2021-1")));
        assert!(reasons.contains(&("parent-meetings", "s2", "no parent meeting (家长会) in 2020-2021-1")));
        assert!(reasons.contains(&("community-parent-school-urban", "u0", "no parent school (家长学校)")));
        assert_eq!(gaps.len(), 5, "{reasons:?}");
    }

    #[test]
    fn empty_ledger_is_all_not_applicable() {
        let (report, gaps) = compute(term(), &LedgerSnapshot::default());
        assert!(report.district.iter().all(|r| r.status() == Status::NotApplicable));
        assert!(report.townships.is_empty() && gaps.is_empty());
        assert!(!report.has_gap());
        let notes = notes(&report, &LedgerSnapshot::default());
        assert_eq!(notes.len(), 3, "{notes:?}");
    }

    #[test]
    fn townships_without_codes_sort_after_coded_ones() {
        let dir =
            TownshipDirectory::new(&[("110109001".into(), "大峪街道".into())], &[("大峪街道办事处".into(), "110109001".into())]);
        let a = dir.resolve("大峪街道");
        let b = dir.resolve("某某镇");
        let c = dir.resolve("110109999");
        assert_eq!(a.code.as_deref(), Some("110109001"));
        assert_eq!(dir.resolve("大峪街道办事处"), a);
        assert_eq!(dir.resolve_pair(Some("大峪街道办事处"), Some("110109001")), a);
        assert_eq!(b.code, None);
        assert!(a < c && c < b);
    }
}
