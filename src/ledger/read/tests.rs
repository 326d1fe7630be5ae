//! The facts of real ledgers, filled through the import pipeline and read back.

use chrono::NaiveDate;

use super::*;
use crate::ops::import;
use crate::plan::{ActivityKind, Fact};
use crate::returns::ReturnKind;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn import(ledger: &mut Ledger, dir: &std::path::Path, kind: ReturnKind, name: &str, text: &str) {
    import::import_text(ledger, &dir.join(name), kind, text);
}

fn whole_term_of(t: Term) -> Window {
    Window { start: t.first_day(), end: t.last_day() }
}

/// A real ledger, filled through the import pipeline, read back.
#[test]
fn facts_of_a_real_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::create(&dir.path().join("l.db")).unwrap().unwrap();
    let p = dir.path();
    import(
        &mut ledger,
        p,
        ReturnKind::Communities,
        "c.csv",
        "code,name,township,township_code,parent_school,standards_rules,term\n\
         110109001001,德露苑社区居委会,大峪街道,110109001,是,是,2020-2021-1\n\
         110109106201,斋堂村委会,斋堂镇,110109106,否,,2020-2021-1\n",
    );
    import(
        &mut ledger,
        p,
        ReturnKind::Schools,
        "s.csv",
        "code,name,type,township,parent_school,area,principal_heads,committee_school,coedu_teachers,coedu_parents,term\n\
         S1,一小,小学,大峪街道,是,城区,是,否,3,0,2020-2021-1\n\
         S2,一幼,幼儿园,110109106,否,,,,,,2020-2021-1\n",
    );
    import(
        &mut ledger,
        p,
        ReturnKind::Bodies,
        "b.csv",
        "code,name,kind,level,township,制度规范,term\nB1,区家长学校,家长学校,区级,,是,2020-2021-1\nB2,共育委员会,coedu-committee,district,大峪街道,,2020-2021-1\n",
    );
    import(
        &mut ledger,
        p,
        ReturnKind::KeyStudents,
        "k.csv",
        "school,ref,category,school_year\nS1,K0001,留守,2020-2021\nS1,K0002,,2020-2021\n",
    );
    import(
        &mut ledger,
        p,
        ReturnKind::Activities,
        "a.csv",
        "id,host,date,kind,student\n\
         A1,S1,2020-09-10,讲座,\n\
         A2,B1,2020-10-01,亲子活动,\n\
         A3,S1,2020-10-08,家访,K0001\n\
         A4,S1,2020-12-01,家访,K0001\n\
         A5,S1,2020-11-02,家访,K0003\n\
         A6,S1,2020-11-20,家长会,\n\
         A7,S1,2020-11-10,家长会,\n\
         A8,110109001001,2021-02-03,讲座,\n",
    );
    import(
        &mut ledger,
        p,
        ReturnKind::Registry,
        "r.csv",
        "township,category,count,filed\n大峪街道,留守儿童,5,2020-09-20\n110109001,留守儿童,6,2020-10-20\n斋堂镇,残疾儿童,2,2021-03-01\n",
    );

    let term: Term = "2020-2021-1".parse().unwrap();
    let whole = Window { start: d("2020-09-01"), end: d("2021-01-31") };
    let as_of = Window { start: d("2020-09-01"), end: d("2020-11-15") };
    let year = Window { start: d("2020-09-01"), end: d("2021-08-31") };
    let f = ledger.facts(term, &[whole, as_of, year]).unwrap();

    assert_eq!(f.rosters.schools, Some(term));
    assert_eq!(f.rosters.bodies, Some(term));
    assert_eq!(f.rosters.key_students, Some(term));
    let s1 = f.schools.iter().find(|s| f.text(s.code) == "S1").unwrap();
    assert_eq!(s1.area, Some(Area::Urban));
    assert_eq!(s1.facts.get(Fact::ParentSchool), Some(true));
    assert_eq!(s1.facts.get(Fact::PrincipalHeads), Some(true));
    assert_eq!(s1.facts.get(Fact::CommitteeSchool), Some(false));
    assert_eq!(s1.facts.get(Fact::CoeduTeachers), Some(true), "a count of 3 is yes");
    assert_eq!(s1.facts.get(Fact::CoeduParents), Some(false), "a count of 0 is no");
    assert_eq!(s1.facts.get(Fact::CoeduLegal), None, "no column: not reported");
    let s2 = f.schools.iter().find(|s| f.text(s.code) == "S2").unwrap();
    assert_eq!((s2.facts.get(Fact::ParentSchool), s2.facts.get(Fact::PrincipalHeads)), (Some(false), None));
    let c = f.communities.iter().find(|c| f.text(c.code) == "110109001001").unwrap();
    assert_eq!(c.facts.get(Fact::StandardsRules), Some(true));
    let b1 = f.bodies.iter().find(|b| b.code == "B1").unwrap();
    assert_eq!((b1.kind, b1.level, b1.township.as_deref()), (BodyKind::ParentSchool, BodyLevel::District, None));
    assert_eq!(b1.facts.get(Fact::ParentSchool), Some(true));
    assert_eq!(b1.facts.get(Fact::StandardsRules), Some(true));
    let b2 = f.bodies.iter().find(|b| b.code == "B2").unwrap();
    assert_eq!(b2.facts.get(Fact::ParentSchool), Some(false));
    assert_eq!(f.key_students.len(), 2);
    assert_eq!(f.key_students[0].category, Some(StudentCategory::LeftBehind));
    assert_eq!(f.townships.len(), 2);

    let id = |code: &str| {
        let s = f.schools.iter().map(|s| (s.id, f.text(s.code)));
        let c = f.communities.iter().map(|c| (c.id, f.text(c.code)));
        s.chain(c).chain(f.bodies.iter().map(|b| (b.id, b.code.as_str()))).find(|(_, c)| *c == code).unwrap().0
    };
    let s1_whole = f.activity[&whole].get(id("S1"));
    let k = |c: crate::facts::KindCounts, kind| c.get(kind);
    use ActivityKind::{Guidance, HomeVisit, ParentMeeting, Practice};
    assert_eq!((k(s1_whole, Guidance), k(s1_whole, ParentMeeting), k(s1_whole, HomeVisit)), (1, 2, 3));
    // As of 15 November: the meeting of the 20th is not counted (a scan of November).
    let s1_as_of = f.activity[&as_of].get(id("S1"));
    assert_eq!((k(s1_as_of, ParentMeeting), k(s1_as_of, HomeVisit)), (1, 2));
    assert_eq!(f.activity[&as_of].get(id("B1")).get(Practice), 1);
    assert_eq!(f.activity[&year].get(id("110109001001")).get(Guidance), 1);
    assert_eq!(f.activity[&whole].get(id("110109001001")).total(), 0);

    let hv = &f.home_visits[&whole];
    assert_eq!(hv[&("S1".to_string(), "K0001".to_string())], 2);
    assert_eq!(hv[&("S1".to_string(), "K0003".to_string())], 1);
    assert_eq!(f.home_visits[&as_of].get(&("S1".to_string(), "K0001".to_string())), Some(&1));

    // The later filing of 大峪街道's 留守儿童 (by code) replaces the earlier (by name).
    let reg = &f.registry[&whole];
    assert_eq!(reg.len(), 1);
    assert_eq!((reg[0].count, reg[0].filed), (6, d("2020-10-20")));
    // As of a day between the two, the earlier one counts.
    let early = Window { start: d("2020-09-01"), end: d("2020-10-01") };
    let f2 = ledger.facts(term, &[early, year]).unwrap();
    assert_eq!(f2.registry[&early][0].count, 5);
    assert_eq!(f2.registry[&year].len(), 2);
    assert_eq!(f.activities_in_term, 7);

    // Read a unit at a time, the parts add up to the same units, words and spellings.
    let (mut whole, mut parts) = (None, 0);
    ledger
        .facts_in_parts(
            term,
            &[whole_term_of(term), as_of, year],
            &[whole_term_of(term), as_of, year],
            UnitWords::CodesAndNames,
            1,
            |p| {
                match p {
                    FactsPart::Base(b) => whole = Some(*b),
                    FactsPart::Units(u) => {
                        assert!(u.schools.len() + u.communities.len() <= 1, "a part of one unit at most");
                        parts += 1;
                        whole.as_mut().unwrap().absorb(u);
                    }
                }
                Ok(())
            },
        )
        .unwrap();
    let whole = whole.unwrap();
    assert!(parts >= 4, "one part per unit, and a last one ({parts})");
    assert_eq!((&whole.schools, &whole.communities, &whole.texts), (&f.schools, &f.communities, &f.texts));
    assert_eq!((whole.spellings, whole.rosters), (f.spellings.clone(), f.rosters));

    // A key-students roster of another school year is not used.
    let next: Term = "2021-2022-1".parse().unwrap();
    let f3 = ledger.facts(next, &[]).unwrap();
    assert!(f3.key_students.is_empty() && f3.rosters.key_students.is_none());
    assert_eq!(f3.rosters.schools, Some(term));
}

/// A window ending mid-term with nothing dated in the rest of the term (a report as of
/// today) is read as the whole term, from the term tally; with later activities, from
/// the months. The monthly tally is emptied on purpose to see which one is read.
#[test]
fn a_window_with_nothing_after_it_in_its_term_reads_the_term_tally() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::create(&dir.path().join("l.db")).unwrap().unwrap();
    let p = dir.path();
    import(
        &mut ledger,
        p,
        ReturnKind::Schools,
        "s.csv",
        "code,name,type,township,parent_school,term\nS1,一小,小学,大峪街道,是,2020-2021-1\n",
    );
    import(
        &mut ledger,
        p,
        ReturnKind::Activities,
        "a.csv",
        "id,host,date,kind\nA1,S1,2020-09-10,讲座\nA2,S1,2020-10-01,讲座\nA3,S1,2020-11-20,家长会\n",
    );
    let term: Term = "2020-2021-1".parse().unwrap();
    let as_of = Window { start: d("2020-09-01"), end: d("2020-11-25") };
    let early = Window { start: d("2020-09-01"), end: d("2020-10-15") };
    let s1 = |f: &LedgerFacts, w: &Window| {
        let id = f.schools[0].id;
        let c = f.activity[w].get(id);
        (c.get(ActivityKind::Guidance), c.get(ActivityKind::ParentMeeting))
    };
    let f = ledger.facts(term, &[as_of, early]).unwrap();
    assert_eq!((s1(&f, &as_of), s1(&f, &early)), ((2, 1), (2, 0)));
    ledger.conn.execute("DELETE FROM activity_tally", []).unwrap();
    let f = ledger.facts(term, &[as_of, early]).unwrap();
    assert_eq!(s1(&f, &as_of), (2, 1), "nothing after 25 November: the term tally");
    assert_eq!(s1(&f, &early), (0, 0), "a meeting on 20 November: the (emptied) months");
    // An activity dated after the window: its months are read, and the days of its
    // last month from the activities.
    import(&mut ledger, p, ReturnKind::Activities, "b.csv", "id,host,date,kind\nB1,S1,2020-12-02,讲座\n");
    let f = ledger.facts(term, &[as_of]).unwrap();
    assert_eq!(s1(&f, &as_of), (0, 0), "from the emptied months of September to November");
}
