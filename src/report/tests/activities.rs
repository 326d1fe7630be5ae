//! Activity targets, informational and `at_least` rows, and the school year's targets
//! (home visits, registry filings).

use super::*;

// ---------------------------------------------------------------- activity targets

/// 大峪: school S1 with guidance and practice (passes); urban community C1 with guidance
/// only (its practice is dated the day before the term). 城子: body B1, a parent school with
/// nothing. 斋堂: school S3, guidance on the term's first day and practice on its last.
/// District body B2 (no township) with both. 王平: community C2 without a parent school and
/// school S4 with a blank parent_school: neither is a parent school.
fn activities_fx(today: &str) -> Fx {
    let mut fx = Fx::built_in("2020-2021-1", today);
    fx.school("S1", SchoolType::Primary, DAYU.1, ps(true))
        .community("C1", Area::Urban, DAYU, ps(true))
        .body("B1", BodyKind::ParentSchool, BodyLevel::Organisation, Some(CHENGZI.0), FactSet::default())
        .school("S3", SchoolType::NineYear, ZHAITANG.1, ps(true))
        .body("B2", BodyKind::ParentSchool, BodyLevel::District, None, FactSet::default())
        .community("C2", Area::Rural, WANGPING, ps(false))
        .school("S4", SchoolType::Junior, WANGPING.0, FactSet::default());
    fx.activities("S1", &[("2020-09-10", G), ("2020-10-01", P)])
        .activities("C1", &[("2020-10-20", G), ("2020-08-31", P)])
        .activities("S3", &[("2020-09-01", G), ("2021-01-31", P)])
        .activities("B2", &[("2020-09-30", G), ("2020-09-30", P)])
        .activities("C2", &[("2020-09-30", G), ("2020-09-30", P)])
        .activities("S4", &[("2020-09-30", G), ("2020-09-30", P)]);
    fx
}

#[test]
fn parent_school_activities_by_host_kind() {
    let id = "parent-school-activities";
    let out = activities_fx("2021-06-01").run();
    // Units: S1 ✓, C1 ✗, B1 ✗, S3 ✓, B2 ✓ → 3 of 5 at 100%: shortfall 2.
    let d0 = out.district(id);
    assert_eq!(nums(d0), (3, Some(5), Some(2), Status::Gap));
    assert_eq!(d0.responsible, v(&["区教委", "区妇联", "乡镇街道"]));
    // 大峪: S1 ✓, C1 ✗ → 1 of 2; a school and a community.
    assert_eq!(out.at(DAYU.0, id), (1, Some(2), Some(1), Status::Gap));
    assert_eq!(out.township(DAYU.0, id).unwrap().responsible, v(&["区教委", "区妇联", "乡镇街道"]));
    // 城子: only body B1 → 区妇联 alone.
    assert_eq!(out.at(CHENGZI.0, id), (0, Some(1), Some(1), Status::Gap));
    assert_eq!(out.township(CHENGZI.0, id).unwrap().responsible, v(&["区妇联"]));
    // 斋堂: only school S3 → 区教委 alone; both activities on the term's edges count.
    assert_eq!(out.at(ZHAITANG.0, id), (1, Some(1), Some(0), Status::Met));
    assert_eq!(out.township(ZHAITANG.0, id).unwrap().responsible, v(&["区教委"]));
    // 王平: no parent school → n/a, nobody named.
    assert_eq!(out.at(WANGPING.0, id), (0, Some(0), Some(0), Status::NotApplicable));
    assert!(out.township(WANGPING.0, id).unwrap().responsible.is_empty());
    // Gap rows sorted by township code (大峪 110109001 before 城子 110109002), then unit.
    assert_eq!(out.codes(id), owned(&[("C1", "no-practice", Status::Gap), ("B1", "no-activity", Status::Gap)]));
    assert_eq!(out.gap(id, "C1").responsible, v(&["区妇联", "乡镇街道"]));
    assert_eq!(out.gap(id, "B1").responsible, v(&["区妇联"]));
}

#[test]
fn parent_school_activities_pending_mid_term() {
    let id = "parent-school-activities";
    let out = activities_fx("2020-11-15").run();
    // As of 2020-11-15 S3's practice (2021-01-31) is not yet held: S1 ✓, B2 ✓ → 2 of 5.
    assert_eq!(nums(out.district(id)), (2, Some(5), Some(3), Status::Pending));
    assert_eq!(out.at(ZHAITANG.0, id), (0, Some(1), Some(1), Status::Pending));
    let mut codes = out.codes(id);
    codes.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        codes,
        owned(&[
            ("B1", "no-activity", Status::Pending),
            ("C1", "no-practice", Status::Pending),
            ("S3", "no-practice", Status::Pending)
        ])
    );
}

#[test]
fn parent_meetings_of_primary_secondary_schools_and_kindergartens() {
    let id = "parent-meetings";
    let mut fx = Fx::built_in("2020-2021-1", "2021-06-01");
    fx.school("S1", SchoolType::Primary, DAYU.1, ps(true))
        .school("K1", SchoolType::Kindergarten, DAYU.1, ps(true))
        .school("V1", SchoolType::Vocational, CHENGZI.1, ps(true))
        .school("SP", SchoolType::Special, CHENGZI.1, ps(false))
        .community("C1", Area::Urban, ZHAITANG, ps(true));
    fx.activity("S1", "2020-12-01", M).activity("K1", "2020-12-01", G).activity("SP", "2021-01-05", M);
    let out = fx.run();
    // S1 ✓, K1 ✗, SP ✓ (the vocational school is not counted) → 2 of 3, shortfall 1.
    assert_eq!(nums(out.district(id)), (2, Some(3), Some(1), Status::Gap));
    assert_eq!(out.at(DAYU.0, id), (1, Some(2), Some(1), Status::Gap));
    assert_eq!(out.at(CHENGZI.0, id), (1, Some(1), Some(0), Status::Met));
    assert_eq!(out.at(ZHAITANG.0, id), (0, Some(0), Some(0), Status::NotApplicable));
    assert_eq!(out.codes(id), owned(&[("K1", "no-parent-meeting", Status::Gap)]));
    assert_eq!(out.gap(id, "K1").responsible, v(&["区教委"]));
}

// ---------------------------------------------------------------- info and at_least

#[test]
fn informational_rows_have_no_shortfall_and_no_gaps() {
    let mut fx = Fx::built_in("2020-2021-1", "2021-06-01");
    fx.school("S1", SchoolType::Primary, DAYU.1, ps(true).with(Fact::CoeduCommittee, true))
        .school("S2", SchoolType::Vocational, DAYU.1, ps(true).with(Fact::CoeduCommittee, false))
        .school("S3", SchoolType::Kindergarten, ZHAITANG.1, ps(true))
        .body("O1", BodyKind::ParentSchool, BodyLevel::Organisation, Some(DAYU.1), FactSet::default())
        .body("O2", BodyKind::ParentSchool, BodyLevel::Organisation, None, FactSet::default())
        .body("D1", BodyKind::ParentSchool, BodyLevel::District, None, FactSet::default());
    let out = fx.run();
    // coedu-committees over every school: S1 yes, S2 no, S3 blank → 1 of 3, info.
    assert_eq!(nums(out.district("coedu-committees")), (1, Some(3), None, Status::Info));
    assert_eq!(out.at(DAYU.0, "coedu-committees"), (1, Some(2), None, Status::Info));
    assert_eq!(out.at(ZHAITANG.0, "coedu-committees"), (0, Some(1), None, Status::Info));
    assert!(out.gaps("coedu-committees").is_empty());
    // organisation-parent-schools: O1 and O2 (not the district one D1); O2 has no township.
    assert_eq!(nums(out.district("organisation-parent-schools")), (2, Some(2), None, Status::Info));
    assert_eq!(out.at(DAYU.0, "organisation-parent-schools"), (1, Some(1), None, Status::Info));
    assert_eq!(out.at(ZHAITANG.0, "organisation-parent-schools"), (0, Some(0), None, Status::Info));
    assert!(out.gaps("organisation-parent-schools").is_empty());
    assert_eq!(out.district("organisation-parent-schools").responsible, v(&["区妇联"]));
}

const AT_LEAST: [&str; 2] = ["district-parent-school", "district-coedu-committee"];

#[test]
fn at_least_rows_pending_during_the_plan_and_gap_after_it() {
    for (t, today, status) in [
        ("2020-2021-1", "2021-06-01", Status::Pending),
        // The last term, still under way.
        ("2021-2022-1", "2022-01-15", Status::Pending),
        // The last term, over.
        ("2021-2022-1", "2022-03-01", Status::Gap),
    ] {
        let mut fx = Fx::built_in(t, today);
        fx.school("S1", SchoolType::Primary, DAYU.1, ps(true))
            .body("O1", BodyKind::ParentSchool, BodyLevel::Organisation, None, FactSet::default())
            .body("O2", BodyKind::CoeduCommittee, BodyLevel::Organisation, Some(DAYU.0), FactSet::default());
        let out = fx.run();
        for id in AT_LEAST {
            let r = out.district(id);
            assert_eq!(nums(r), (0, None, Some(1), status), "{id} {t} {today}");
            assert!(!r.responsible.is_empty(), "{id}: an at_least row always names its bodies");
            let gaps = out.gaps(id);
            assert_eq!(gaps.len(), 1, "{id}");
            let g = gaps[0];
            assert_eq!((g.reason_code.as_str(), g.status, g.township.is_none()), ("too-few-units", status, true), "{id}");
            assert_eq!(g.unit_code, "");
            assert_eq!(g.responsible, r.responsible);
        }
        assert_eq!(out.district("district-parent-school").responsible, v(&["区妇联", "区教委", "区关工委"]));
        assert_eq!(out.district("district-coedu-committee").responsible, v(&["区教委", "区妇联", "区关工委"]));
    }
}

#[test]
fn at_least_rows_met_with_a_district_body() {
    let mut fx = Fx::built_in("2021-2022-1", "2022-03-01");
    fx.body("D1", BodyKind::ParentSchool, BodyLevel::District, None, FactSet::default())
        .body("D2", BodyKind::CoeduCommittee, BodyLevel::District, Some(DAYU.1), FactSet::default())
        .body("D3", BodyKind::CoeduCommittee, BodyLevel::District, None, FactSet::default());
    let out = fx.run();
    assert_eq!(nums(out.district("district-parent-school")), (1, None, Some(0), Status::Met));
    assert_eq!(nums(out.district("district-coedu-committee")), (2, None, Some(0), Status::Met));
    assert!(out.gaps("district-parent-school").is_empty() && out.gaps("district-coedu-committee").is_empty());
}

#[test]
fn district_only_targets_are_absent_from_township_rows() {
    let out = activities_fx("2021-06-01").run();
    assert_eq!(out.report.district.len(), 15);
    let excluded: Vec<usize> = AT_LEAST.iter().map(|id| out.index(id)).collect();
    assert_eq!(out.report.townships.len(), 4);
    for t in &out.report.townships {
        assert_eq!(t.targets.len(), 13, "{}", t.township.name);
        assert!(t.targets.iter().all(|r| !excluded.contains(&r.target)), "{}", t.township.name);
        // The rest in plan order.
        let order: Vec<usize> = t.targets.iter().map(|r| r.target).collect();
        let want: Vec<usize> = (0..15).filter(|i| !excluded.contains(i)).collect();
        assert_eq!(order, want);
    }
    // Townships sorted by code.
    let codes: Vec<&str> = out.report.townships.iter().map(|t| t.township.id()).collect();
    assert_eq!(codes, [DAYU.0, CHENGZI.0, WANGPING.0, ZHAITANG.0]);
}

// ---------------------------------------------------------------- the school year

/// S1 (primary, 大峪, by name) with students a and b; K1 (kindergarten, 斋堂 by code)
/// with k; V1 (vocational, 城子) with v, who is not counted. a is visited in term 1, k in
/// term 1; b's only visits are hosted by another school, or dated in the last school year.
fn home_visits_fx(t: &str, today: &str) -> Fx {
    let mut fx = Fx::built_in(t, today);
    fx.school("S1", SchoolType::Primary, DAYU.1, ps(true))
        .school("K1", SchoolType::Kindergarten, ZHAITANG.0, ps(true))
        .school("V1", SchoolType::Vocational, CHENGZI.1, ps(true))
        .student("S1", "s1-a")
        .student("S1", "s1-b")
        .student("K1", "k1-a")
        .student("V1", "v1-a");
    fx.visit("S1", "s1-a", "2020-10-10").visit("K1", "k1-a", "2020-12-01").visit("K1", "s1-b", "2020-12-02").visit(
        "S1",
        "s1-b",
        "2020-08-20",
    );
    fx
}

#[test]
fn home_visits_pending_in_term_1_and_met_when_all_visited() {
    let id = "home-visits";
    let fx = home_visits_fx("2020-2021-1", "2021-06-01");
    let span = period::span(Period::SchoolYear, fx.term, &fx.plan, period::as_of(fx.term, fx.today));
    assert!(!span.over);
    let out = fx.run();
    // a ✓, b ✗, k ✓ (v not counted) → 2 of 3, shortfall 1; the school year is not over.
    assert_eq!(nums(out.district(id)), (2, Some(3), Some(1), Status::Pending));
    // Students belong to their school's township.
    assert_eq!(out.at(DAYU.0, id), (1, Some(2), Some(1), Status::Pending));
    assert_eq!(out.at(ZHAITANG.0, id), (1, Some(1), Some(0), Status::Met));
    assert_eq!(out.at(CHENGZI.0, id), (0, Some(0), Some(0), Status::NotApplicable));
    assert_eq!(out.codes(id), owned(&[("s1-b", "no-home-visit", Status::Pending)]));
    let g = out.gap(id, "s1-b");
    assert_eq!(g.township.as_ref().unwrap().code.as_deref(), Some(DAYU.0));
    assert_eq!(g.responsible, v(&["区教委"]));
    assert!(g.unit_name.contains("S1"), "{}", g.unit_name);

    let mut fx = home_visits_fx("2020-2021-1", "2021-06-01");
    fx.visit("S1", "s1-b", "2021-01-20");
    let out = fx.run();
    assert_eq!(nums(out.district(id)), (3, Some(3), Some(0), Status::Met));
    assert!(out.gaps(id).is_empty());
}

#[test]
fn home_visits_gap_in_a_term_2_report_judged_after_31_august() {
    let id = "home-visits";
    // Judged as of 2021-08-31, the school year's last day: over. Term-1 visits count.
    let out = home_visits_fx("2020-2021-2", "2021-09-15").run();
    assert_eq!(out.report.as_of, d("2021-08-31"));
    assert_eq!(nums(out.district(id)), (2, Some(3), Some(1), Status::Gap));
    assert_eq!(out.codes(id), owned(&[("s1-b", "no-home-visit", Status::Gap)]));
    // Before 31 August, term 2 is still pending.
    let out = home_visits_fx("2020-2021-2", "2021-06-01").run();
    assert_eq!(nums(out.district(id)), (2, Some(3), Some(1), Status::Pending));
}

/// 大峪 files all three categories in school year 2020-2021 (one filing naming the township
/// by name); 斋堂 files 困境儿童 only in the previous school year (inside the plan window,
/// outside the school-year window). 城子 has no community: it is no township unit.
fn registry_fx(t: &str, today: &str) -> Fx {
    let mut fx = Fx::built_in(t, today);
    fx.community("C1", Area::Urban, DAYU, ps(true)).community("C2", Area::Rural, ZHAITANG, ps(true)).school(
        "S1",
        SchoolType::Primary,
        CHENGZI.1,
        ps(true),
    );
    fx.filing(DAYU.0, RegistryCategory::LeftBehind, "2020-09-15")
        .filing(DAYU.1, RegistryCategory::Disabled, "2020-10-01")
        .filing(DAYU.0, RegistryCategory::Difficult, "2021-01-10")
        .filing(ZHAITANG.0, RegistryCategory::LeftBehind, "2020-09-15")
        .filing(ZHAITANG.0, RegistryCategory::Disabled, "2020-09-16")
        .filing(ZHAITANG.0, RegistryCategory::Difficult, "2020-08-20");
    fx
}

#[test]
fn registry_all_three_categories_in_the_school_year() {
    let id = "vulnerable-children-registry";
    let fx = registry_fx("2020-2021-1", "2021-06-01");
    // The out-of-window filing is in a window the plan asks for (the plan's), just not this one.
    let plan_window = fx.window(Period::Plan);
    assert!(fx.facts.registry[&plan_window].iter().any(|f| f.filed == d("2020-08-20")));
    let out = fx.run();
    // 大峪 ✓, 斋堂 ✗ (困境儿童 missing) → 1 of 2, pending in term 1.
    assert_eq!(nums(out.district(id)), (1, Some(2), Some(1), Status::Pending));
    assert_eq!(out.at(DAYU.0, id), (1, Some(1), Some(0), Status::Met));
    assert_eq!(out.at(ZHAITANG.0, id), (0, Some(1), Some(1), Status::Pending));
    assert_eq!(out.at(CHENGZI.0, id), (0, Some(0), Some(0), Status::NotApplicable));
    assert_eq!(out.codes(id), owned(&[(ZHAITANG.0, "registry-missing", Status::Pending)]));
    let g = out.gap(id, ZHAITANG.0);
    assert!(g.reason.en.contains("困境儿童") && !g.reason.en.contains("留守儿童"), "{}", g.reason.en);
    assert_eq!(g.responsible, v(&["乡镇街道", "区民政局", "区残联", "区教委"]));
    assert_eq!(out.district(id).responsible, v(&["乡镇街道", "区民政局", "区残联", "区教委"]));

    // Term 2 judged after 31 August: the same filings are a gap.
    let out = registry_fx("2020-2021-2", "2021-09-15").run();
    assert_eq!(nums(out.district(id)), (1, Some(2), Some(1), Status::Gap));
    assert_eq!(out.codes(id), owned(&[(ZHAITANG.0, "registry-missing", Status::Gap)]));
    // Filed in term 2: met.
    let mut fx = registry_fx("2020-2021-2", "2021-09-15");
    fx.filing(ZHAITANG.1, RegistryCategory::Difficult, "2021-03-01");
    let out = fx.run();
    assert_eq!(nums(out.district(id)), (2, Some(2), Some(0), Status::Met));
}

#[test]
fn registry_filings_after_the_as_of_day_do_not_count() {
    let id = "vulnerable-children-registry";
    let mut fx = Fx::built_in("2020-2021-1", "2020-12-31");
    fx.community("C1", Area::Urban, DAYU, ps(true));
    fx.filing(DAYU.0, RegistryCategory::LeftBehind, "2020-09-15")
        .filing(DAYU.0, RegistryCategory::Disabled, "2020-09-15")
        .filing(DAYU.0, RegistryCategory::Difficult, "2021-01-10");
    let out = fx.run();
    assert_eq!(nums(out.district(id)), (0, Some(1), Some(1), Status::Pending));
    assert!(out.gap(id, DAYU.0).reason.en.contains("困境儿童"));
}
