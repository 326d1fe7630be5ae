//! Unit tests of the evaluation (SPEC §5, §7, §9, §10, §11) without a database: the facts a
//! report reads are built by hand, the way the ledger would give them — every activity, home
//! visit and filing is put in each window the plan asks for that contains its date.

use chrono::NaiveDate;

use super::{windows, CoverageReport, Gap, TargetRow};
use crate::facts::{BodyUnit, KeyStudent, LedgerFacts, RegistryFiling, Window};
use crate::plan::file::{built_in, parse};
use crate::plan::model::{Period, Plan};
use crate::plan::{period, ActivityKind, Area, BodyKind, BodyLevel, Fact, FactSet, RegistryCategory, SchoolType, Status, Term};

// ---------------------------------------------------------------- fixtures

/// Townships as (code, name).
const DAYU: (&str, &str) = ("110109001", "大峪街道");
const CHENGZI: (&str, &str) = ("110109002", "城子街道");
const WANGPING: (&str, &str) = ("110109104", "王平镇");
const ZHAITANG: (&str, &str) = ("110109106", "斋堂镇");

const G: ActivityKind = ActivityKind::Guidance;
const P: ActivityKind = ActivityKind::Practice;
const M: ActivityKind = ActivityKind::ParentMeeting;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn term(s: &str) -> Term {
    s.parse().unwrap()
}

/// A fact set with these facts reported yes.
fn yes(facts: &[Fact]) -> FactSet {
    facts.iter().fold(FactSet::default(), |s, f| s.with(*f, true))
}

fn ps(v: bool) -> FactSet {
    FactSet::default().with(Fact::ParentSchool, v)
}

fn national_2016() -> Plan {
    parse(include_str!("../../../plans/national-2016-2020.toml"), "national-2016-2020.toml").unwrap()
}

fn national_2021() -> Plan {
    parse(include_str!("../../../plans/national-2021-2025.toml"), "national-2021-2025.toml").unwrap()
}

/// The facts of one report, built by hand.
struct Fx {
    plan: Plan,
    term: Term,
    today: NaiveDate,
    facts: LedgerFacts,
    /// Unit ids by code, as the ledger would give them (one per code, from 1).
    ids: std::collections::HashMap<String, i64>,
}

impl Fx {
    fn new(plan: Plan, t: &str, today: &str) -> Fx {
        let term = term(t);
        let today = d(today);
        let mut facts = LedgerFacts::default();
        facts.townships = [DAYU, CHENGZI, WANGPING, ZHAITANG].iter().map(|(c, n)| (c.to_string(), n.to_string())).collect();
        facts.township_names = facts.townships.iter().map(|(c, n)| (n.clone(), c.clone())).collect();
        let mut fx = Fx { plan, term, today, facts, ids: Default::default() };
        // The ledger answers every window asked for, even with nothing in it.
        for w in fx.windows() {
            fx.facts.activity.entry(w).or_default();
            fx.facts.home_visits.entry(w).or_default();
            fx.facts.registry.entry(w).or_default();
        }
        fx
    }

    fn built_in(t: &str, today: &str) -> Fx {
        Fx::new(built_in(), t, today)
    }

    fn windows(&self) -> Vec<Window> {
        windows(&self.plan, self.term, period::as_of(self.term, self.today))
    }

    fn window(&self, p: Period) -> Window {
        period::span(p, self.term, &self.plan, period::as_of(self.term, self.today)).window
    }

    /// The id of the unit with `code`.
    fn id(&mut self, code: &str) -> i64 {
        let next = self.ids.len() as i64 + 1;
        *self.ids.entry(code.to_string()).or_insert(next)
    }

    fn school(&mut self, code: &str, school_type: SchoolType, township: &str, facts: FactSet) -> &mut Fx {
        self.school_in(code, school_type, township, None, facts)
    }

    fn school_in(&mut self, code: &str, school_type: SchoolType, township: &str, area: Option<Area>, facts: FactSet) -> &mut Fx {
        let id = self.id(code);
        self.facts.push_school(id, code, &format!("学校{code}"), school_type, township, area, facts);
        self
    }

    fn community(&mut self, code: &str, area: Area, township: (&str, &str), facts: FactSet) -> &mut Fx {
        let id = self.id(code);
        self.facts.push_community(id, code, &format!("社区{code}"), Some(township.1), Some(township.0), area, facts);
        self
    }

    fn body(&mut self, code: &str, kind: BodyKind, level: BodyLevel, township: Option<&str>, facts: FactSet) -> &mut Fx {
        let facts = if kind == BodyKind::ParentSchool { facts.with(Fact::ParentSchool, true) } else { facts };
        let id = self.id(code);
        self.facts.bodies.push(BodyUnit {
            id,
            code: code.into(),
            name: format!("机构{code}"),
            kind,
            level,
            township: township.map(str::to_string),
            facts,
        });
        self
    }

    fn student(&mut self, school: &str, reference: &str) -> &mut Fx {
        self.facts.key_students.push(KeyStudent { school: school.into(), reference: reference.into(), category: None });
        self
    }

    /// One activity of `host` dated `date`, in every window asked for that contains it.
    fn activity(&mut self, host: &str, date: &str, kind: ActivityKind) -> &mut Fx {
        let day = d(date);
        for w in self.windows() {
            if w.contains(day) {
                let id = self.id(host);
                self.facts.activity.entry(w).or_default().add(id, kind, 1);
            }
        }
        if self.term.first_day() <= day && day <= self.term.last_day() {
            self.facts.activities_in_term += 1;
        }
        self
    }

    fn activities(&mut self, host: &str, list: &[(&str, ActivityKind)]) -> &mut Fx {
        for (date, kind) in list {
            self.activity(host, date, *kind);
        }
        self
    }

    /// A home visit hosted by `school` naming `reference`.
    fn visit(&mut self, school: &str, reference: &str, date: &str) -> &mut Fx {
        let day = d(date);
        for w in self.windows() {
            if w.contains(day) {
                *self.facts.home_visits.entry(w).or_default().entry((school.into(), reference.into())).or_default() += 1;
            }
        }
        self.activity(school, date, ActivityKind::HomeVisit)
    }

    fn filing(&mut self, township: &str, category: RegistryCategory, date: &str) -> &mut Fx {
        let day = d(date);
        for w in self.windows() {
            if w.contains(day) {
                self.facts.registry.entry(w).or_default().push(RegistryFiling {
                    township: township.into(),
                    category,
                    count: 3,
                    filed: day,
                });
            }
        }
        self
    }

    fn run(&self) -> Out {
        // The whole ledger as one part, the gaps spilled in one run held in memory.
        let (report, gaps, notes) = self.count(usize::MAX, usize::MAX);
        // Listed by target, then township (units without one last), then unit code.
        let order = |g: &Gap| (g.target, g.township.is_none(), g.township.clone(), g.unit_code.clone());
        assert!(gaps.windows(2).all(|w| order(&w[0]) <= order(&w[1])), "the gaps in order: {gaps:#?}");
        // A part of the units at a time, the gaps spilled in runs of a few units each and
        // merged: the same report, notes and gaps, whatever the sizes.
        for (size, run) in [(1, 64), (2, 200), (3, usize::MAX), (usize::MAX, 100)] {
            let (r, g, n) = self.count(size, run);
            assert_eq!(r, report, "the report counted for its gaps in parts of {size}, runs of {run} bytes");
            assert_eq!(n, notes, "the notes in parts of {size}");
            assert_eq!(g, gaps, "the gaps in parts of {size}, runs of {run} bytes");
        }
        // Counted for a list of gaps alone (`coverage gaps`: no township rows), the same
        // district rows, notes and gaps.
        for size in [2, usize::MAX] {
            let (counted, g, n) = self.count_for_gaps(size, 100, false);
            let listed = counted.listed();
            assert_eq!((&listed.district, listed.townships.len()), (&report.district, report.townships.len()));
            assert_eq!((n, g), (notes.clone(), gaps.clone()), "a list of gaps alone, in parts of {size}");
        }
        // Counted for the report alone (`coverage report`): the same report and notes.
        for size in [1, 2, 3, usize::MAX] {
            let (base, parts) = in_parts(&self.facts, size);
            let mut count = super::PartCount::new(&self.plan, self.term, self.today, base);
            for part in parts {
                count.add(part).unwrap();
            }
            let (counted, part_notes) = count.finish();
            assert_eq!(counted.into_report(), report, "the report counted in parts of {size}");
            assert_eq!(part_notes, notes, "the notes of the report counted in parts of {size}");
        }
        assert_eq!(notes, super::notes(&report, &self.facts), "the notes of the whole facts");
        Out { report, gaps }
    }

    /// The report, its gaps and notes, counted `size` units at a time with the failing
    /// units spilled in runs of `run` bytes.
    fn count(&self, size: usize, run: usize) -> (CoverageReport, Vec<Gap>, Vec<String>) {
        let (counted, gaps, notes) = self.count_for_gaps(size, run, true);
        (counted.into_report(), gaps, notes)
    }

    /// [`Fx::count`], the townships counted for their rows only if `rows`.
    fn count_for_gaps(&self, size: usize, run: usize, rows: bool) -> (super::Counted, Vec<Gap>, Vec<String>) {
        let (base, parts) = in_parts(&self.facts, size);
        let mut count = super::PartCount::for_gaps_in_runs(&self.plan, self.term, self.today, base, rows, run);
        for part in parts {
            count.add(part).unwrap();
        }
        let (counted, notes, walk) = count.finish_gaps().unwrap();
        let mut gaps = Vec::new();
        walk.each(|g| {
            gaps.push(g.clone());
            Ok(())
        })
        .unwrap();
        (counted, gaps, notes)
    }
}

/// The facts as `Ledger::facts_in_parts` hands them over: the base, then the schools and
/// communities `size` at a time, each part bringing the spellings it is the first to use.
fn in_parts(facts: &LedgerFacts, size: usize) -> (LedgerFacts, Vec<crate::facts::RosterUnits>) {
    use crate::facts::RosterUnits;
    let mut base = facts.clone();
    base.schools.clear();
    base.communities.clear();
    base.spellings.clear();
    base.texts = Default::default();
    let mut parts = Vec::new();
    let mut delivered = 0;
    let mut deliver = |part: &mut RosterUnits, upto: usize| {
        if upto > delivered {
            part.spellings = facts.spellings[delivered..upto].to_vec();
            delivered = upto;
        }
    };
    for chunk in facts.schools.chunks(size.min(facts.schools.len().max(1))) {
        let mut part = RosterUnits { rosters: facts.rosters, ..Default::default() };
        for s in chunk {
            let (code, name) = (part.texts.add(facts.text(s.code)), part.texts.add(facts.text(s.name)));
            part.schools.push(crate::facts::SchoolUnit { code, name, ..s.clone() });
        }
        deliver(&mut part, chunk.iter().map(|s| s.township as usize + 1).max().unwrap_or(0));
        parts.push(part);
    }
    for chunk in facts.communities.chunks(size.min(facts.communities.len().max(1))) {
        let mut part = RosterUnits { rosters: facts.rosters, ..Default::default() };
        for c in chunk {
            let (code, name) = (part.texts.add(facts.text(c.code)), part.texts.add(facts.text(c.name)));
            part.communities.push(crate::facts::CommunityUnit { code, name, ..c.clone() });
        }
        deliver(&mut part, chunk.iter().map(|c| c.township as usize + 1).max().unwrap_or(0));
        parts.push(part);
    }
    let mut last = RosterUnits { rosters: facts.rosters, ..Default::default() };
    deliver(&mut last, facts.spellings.len());
    parts.push(last);
    (base, parts)
}

struct Out {
    report: CoverageReport,
    gaps: Vec<Gap>,
}

/// (numerator, denominator, shortfall, status) of a row.
type Nums = (u64, Option<u64>, Option<u64>, Status);

fn nums(r: &TargetRow) -> Nums {
    (r.numerator, r.denominator, r.shortfall, r.status)
}

impl Out {
    fn index(&self, id: &str) -> usize {
        self.report.plan.targets.iter().position(|t| t.id == id).unwrap_or_else(|| panic!("no target {id}"))
    }

    fn district(&self, id: &str) -> &TargetRow {
        let i = self.index(id);
        self.report.district.iter().find(|r| r.target == i).unwrap()
    }

    /// The row of a township, `None` if the township or its row is absent.
    fn township(&self, code: &str, id: &str) -> Option<&TargetRow> {
        let i = self.index(id);
        self.report.townships.iter().find(|t| t.township.id() == code)?.targets.iter().find(|r| r.target == i)
    }

    fn at(&self, code: &str, id: &str) -> Nums {
        nums(self.township(code, id).unwrap_or_else(|| panic!("no row {id} in {code}")))
    }

    fn gaps(&self, id: &str) -> Vec<&Gap> {
        let i = self.index(id);
        self.gaps.iter().filter(|g| g.target == i).collect()
    }

    fn gap(&self, id: &str, unit: &str) -> &Gap {
        let list = self.gaps(id);
        list.iter().find(|g| g.unit_code == unit).copied().unwrap_or_else(|| panic!("no gap row {id} {unit}: {list:#?}"))
    }

    /// (unit, reason_code, status) of each gap row of a target.
    fn codes(&self, id: &str) -> Vec<(String, String, Status)> {
        self.gaps(id).iter().map(|g| (g.unit_code.clone(), g.reason_code.clone(), g.status)).collect()
    }
}

fn v(list: &[&str]) -> super::Bodies {
    list.iter().map(|s| s.to_string()).collect::<Vec<_>>().into()
}

fn owned(list: &[(&str, &str, Status)]) -> Vec<(String, String, Status)> {
    list.iter().map(|(u, c, s)| (u.to_string(), c.to_string(), *s)).collect()
}

mod activities;
mod facts;
mod national;
