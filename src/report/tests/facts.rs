//! The targets judged on roster facts.

use super::*;

// ---------------------------------------------------------------- the fact targets

type Add = fn(&mut Fx, &str, (&str, &str), FactSet);

/// A target of the built-in plan judged on roster facts.
struct FactCase {
    id: &'static str,
    /// Adds one unit of the target to a township, with these facts.
    add: Add,
    /// What `where` needs.
    base: &'static [Fact],
    require: &'static [Fact],
    /// The reason code of a unit reporting no.
    no_code: &'static str,
    responsible: &'static [&'static str],
}

fn add_primary(fx: &mut Fx, code: &str, t: (&str, &str), f: FactSet) {
    fx.school(code, SchoolType::Primary, t.1, f);
}
fn add_junior(fx: &mut Fx, code: &str, t: (&str, &str), f: FactSet) {
    fx.school(code, SchoolType::Junior, t.0, f);
}
fn add_kindergarten(fx: &mut Fx, code: &str, t: (&str, &str), f: FactSet) {
    fx.school(code, SchoolType::Kindergarten, t.1, f);
}
fn add_urban(fx: &mut Fx, code: &str, t: (&str, &str), f: FactSet) {
    fx.community(code, Area::Urban, t, f);
}
fn add_rural(fx: &mut Fx, code: &str, t: (&str, &str), f: FactSet) {
    fx.community(code, Area::Rural, t, f);
}

const STANDARDS: &[Fact] =
    &[Fact::StandardsRules, Fact::StandardsTeachers, Fact::StandardsPlan, Fact::StandardsCurriculum, Fact::StandardsEvaluation];
const COMMITTEES: &[Fact] = &[Fact::CommitteeSchool, Fact::CommitteeGrade, Fact::CommitteeClass, Fact::CommitteeCharter];
const MEMBERS: &[Fact] = &[Fact::CoeduTeachers, Fact::CoeduParents, Fact::CoeduCommunity, Fact::CoeduLegal, Fact::CoeduExperts];

fn fact_cases() -> Vec<FactCase> {
    vec![
        FactCase {
            id: "school-parent-school",
            add: add_kindergarten,
            base: &[],
            require: &[Fact::ParentSchool],
            no_code: "no-parent-school",
            responsible: &["区教委"],
        },
        FactCase {
            id: "community-parent-school-urban",
            add: add_urban,
            base: &[],
            require: &[Fact::ParentSchool],
            no_code: "no-parent-school",
            responsible: &["区妇联", "乡镇街道"],
        },
        FactCase {
            id: "community-parent-school-rural",
            add: add_rural,
            base: &[],
            require: &[Fact::ParentSchool],
            no_code: "no-parent-school",
            responsible: &["区妇联", "乡镇街道"],
        },
        FactCase {
            id: "principal-heads-parent-school",
            add: add_primary,
            base: &[Fact::ParentSchool],
            require: &[Fact::PrincipalHeads],
            no_code: "fact-no",
            responsible: &["区教委"],
        },
        FactCase {
            id: "parent-school-standards",
            add: add_urban,
            base: &[Fact::ParentSchool],
            require: STANDARDS,
            no_code: "fact-no",
            // Only communities' parent schools in the rows: only their bodies.
            responsible: &["区妇联", "乡镇街道"],
        },
        FactCase {
            id: "parent-committees",
            add: add_junior,
            base: &[],
            require: COMMITTEES,
            no_code: "fact-no",
            responsible: &["区教委"],
        },
        FactCase {
            id: "coedu-committee-composition",
            add: add_primary,
            base: &[Fact::CoeduCommittee],
            require: MEMBERS,
            no_code: "fact-no",
            responsible: &["区教委"],
        },
    ]
}

/// In 大峪: one unit that passes, one that reports the last required fact no, one that left
/// every required fact blank. In 斋堂 only a co-education committee body, which no fact
/// target counts: the township exists and its row is n/a.
fn three_units(case: &FactCase, today: &str) -> Fx {
    let mut fx = Fx::built_in("2020-2021-1", today);
    let base = yes(case.base);
    let all = case.require.iter().fold(base, |s, f| s.with(*f, true));
    let no = all.with(*case.require.last().unwrap(), false);
    (case.add)(&mut fx, "9001", DAYU, all);
    (case.add)(&mut fx, "9002", DAYU, no);
    (case.add)(&mut fx, "9003", DAYU, base);
    fx.body("B9", BodyKind::CoeduCommittee, BodyLevel::Organisation, Some(ZHAITANG.1), FactSet::default());
    fx
}

#[test]
fn fact_targets_pass_fail_and_not_reported_at_district_and_township() {
    for case in fact_cases() {
        let id = case.id;
        let out = three_units(&case, "2021-06-01").run();
        // 1 of 3; required 100, 95 or 85 % of 3 is ⌈3⌉, ⌈2.85⌉ or ⌈2.55⌉ = 3 → shortfall 2.
        let want = (1, Some(3), Some(2), Status::Gap);
        assert_eq!(nums(out.district(id)), want, "{id}");
        assert_eq!(out.at(DAYU.0, id), want, "{id}");
        assert_eq!(out.district(id).responsible, v(case.responsible), "{id}");
        assert_eq!(out.township(DAYU.0, id).unwrap().responsible, v(case.responsible), "{id}");
        // n/a at township level: no units, no bodies named.
        assert_eq!(out.at(ZHAITANG.0, id), (0, Some(0), Some(0), Status::NotApplicable), "{id}");
        assert!(out.township(ZHAITANG.0, id).unwrap().responsible.is_empty(), "{id}");
        assert_eq!(out.codes(id), owned(&[("9002", case.no_code, Status::Gap), ("9003", "not-reported", Status::Gap)]), "{id}");
        let blank = out.gap(id, "9003");
        assert!(blank.reason.en.contains("not reported"), "{id}: {}", blank.reason.en);
        assert_eq!(blank.township.as_ref().unwrap().code.as_deref(), Some(DAYU.0), "{id}");
        assert_eq!(blank.responsible, v(case.responsible), "{id}");
        let no = out.gap(id, "9002");
        assert!(!no.reason.en.contains("not reported"), "{id}: {}", no.reason.en);
        assert_eq!(no.township.as_ref().unwrap().name, DAYU.1);
    }
}

#[test]
fn fact_targets_are_pending_while_the_term_is_under_way() {
    for case in fact_cases() {
        let id = case.id;
        let out = three_units(&case, "2020-11-15").run();
        assert_eq!(out.report.as_of, d("2020-11-15"));
        assert_eq!(nums(out.district(id)), (1, Some(3), Some(2), Status::Pending), "{id}");
        assert_eq!(out.at(DAYU.0, id), (1, Some(3), Some(2), Status::Pending), "{id}");
        assert_eq!(out.at(ZHAITANG.0, id).3, Status::NotApplicable, "{id}");
        assert_eq!(
            out.codes(id),
            owned(&[("9002", case.no_code, Status::Pending), ("9003", "not-reported", Status::Pending)]),
            "{id}"
        );
    }
}

#[test]
fn fact_targets_met_when_every_unit_passes() {
    for case in fact_cases() {
        let id = case.id;
        let mut fx = Fx::built_in("2020-2021-1", "2021-06-01");
        let all = case.require.iter().fold(yes(case.base), |s, f| s.with(*f, true));
        (case.add)(&mut fx, "9001", DAYU, all);
        (case.add)(&mut fx, "9004", ZHAITANG, all);
        let out = fx.run();
        assert_eq!(nums(out.district(id)), (2, Some(2), Some(0), Status::Met), "{id}");
        assert_eq!(out.at(DAYU.0, id), (1, Some(1), Some(0), Status::Met), "{id}");
        assert_eq!(out.at(ZHAITANG.0, id), (1, Some(1), Some(0), Status::Met), "{id}");
        assert!(out.gaps(id).is_empty(), "{id}");
    }
}

#[test]
fn fact_targets_without_units_are_not_applicable_at_district_level() {
    let mut fx = Fx::built_in("2020-2021-1", "2021-06-01");
    fx.body("B9", BodyKind::CoeduCommittee, BodyLevel::Organisation, Some(ZHAITANG.1), FactSet::default());
    let out = fx.run();
    for case in fact_cases() {
        let r = out.district(case.id);
        assert_eq!(nums(r), (0, Some(0), Some(0), Status::NotApplicable), "{}", case.id);
        assert!(r.responsible.is_empty(), "{}: an n/a row names no body", case.id);
    }
    for id in ["parent-school-activities", "parent-meetings", "home-visits", "vulnerable-children-registry"] {
        assert_eq!(nums(out.district(id)), (0, Some(0), Some(0), Status::NotApplicable), "{id}");
        assert!(out.district(id).responsible.is_empty(), "{id}");
    }
    assert!(out.gaps.iter().all(|g| g.reason_code == "too-few-units"), "{:#?}", out.gaps);
}

#[test]
fn every_unit_blank_is_no_data_but_one_reporting_unit_is_judged() {
    for case in fact_cases() {
        let id = case.id;
        let base = yes(case.base);
        let mut fx = Fx::built_in("2020-2021-1", "2021-06-01");
        (case.add)(&mut fx, "9001", DAYU, base);
        (case.add)(&mut fx, "9002", ZHAITANG, base);
        let out = fx.run();
        assert_eq!(nums(out.district(id)), (0, Some(2), Some(2), Status::NoData), "{id}");
        assert_eq!(out.at(DAYU.0, id).3, Status::NoData, "{id}");
        assert!(out.gaps(id).is_empty(), "{id}: no-data lists no gap rows");

        // One unit reports (all its facts, one of them no): the target is judged, not no-data.
        let all = case.require.iter().fold(base, |s, f| s.with(*f, true));
        let reported = all.with(case.require[0], false);
        (case.add)(&mut fx, "9003", ZHAITANG, reported);
        let out = fx.run();
        // Counted a unit or two at a time, the target looks no-data until the third: the
        // blank units' gaps are listed all the same (`run` compares every size).
        assert_eq!(nums(out.district(id)), (0, Some(3), Some(3), Status::Gap), "{id}");
        assert_eq!(out.at(ZHAITANG.0, id), (0, Some(2), Some(2), Status::Gap), "{id}");
        // 大峪 still has only its blank unit: no-data at its level.
        assert_eq!(out.at(DAYU.0, id), (0, Some(1), Some(1), Status::NoData), "{id}");
        let codes: Vec<String> = out.codes(id).into_iter().map(|(u, c, _)| format!("{u}:{c}")).collect();
        let no = if case.require[0] == Fact::ParentSchool { "no-parent-school" } else { "fact-no" };
        assert_eq!(codes, ["9001:not-reported".to_string(), "9002:not-reported".to_string(), format!("9003:{no}")], "{id}");
    }
}

#[test]
fn a_blank_fact_and_a_no_fact_together_list_both_reasons() {
    let mut fx = Fx::built_in("2020-2021-1", "2021-06-01");
    let f = FactSet::default().with(Fact::CommitteeSchool, false).with(Fact::CommitteeGrade, true);
    fx.school("S1", SchoolType::Primary, DAYU.1, f);
    let out = fx.run();
    let g = out.gap("parent-committees", "S1");
    assert!(g.reason.en.contains("reported no") && g.reason.en.contains("not reported"), "{}", g.reason.en);
    assert!(g.reason.en.contains("committee_school") && g.reason.en.contains("committee_class"), "{}", g.reason.en);
}
