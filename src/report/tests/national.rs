//! The first five targets as the old arithmetic gave them, and the national plans.

use super::*;

// ---------------------------------------------------------------- the first five, as before

#[test]
fn first_five_targets_give_the_old_arithmetic() {
    // 19 of 20 urban at 95%: ⌈19⌉ = 19 needed → met, shortfall 0.
    // 118 of 126 urban at 95%: ⌈119.7⌉ = 120 → shortfall 2.
    // 151 of 178 rural at 85%: ⌈151.3⌉ = 152 → shortfall 1.
    for (urban, urban_ps, rural, rural_ps, urban_want, rural_want) in [
        (20, 19, 0, 0, (19, Some(20), Some(0), Status::Met), (0, Some(0), Some(0), Status::NotApplicable)),
        (126, 118, 178, 151, (118, Some(126), Some(2), Status::Gap), (151, Some(178), Some(1), Status::Gap)),
    ] {
        let mut fx = Fx::built_in("2020-2021-1", "2021-06-01");
        for i in 0..urban {
            fx.community(&format!("U{i:03}"), Area::Urban, DAYU, ps(i < urban_ps));
        }
        for i in 0..rural {
            fx.community(&format!("R{i:03}"), Area::Rural, ZHAITANG, ps(i < rural_ps));
        }
        let out = fx.run();
        let u = out.district("community-parent-school-urban");
        assert_eq!(nums(u), urban_want);
        assert_eq!(nums(out.district("community-parent-school-rural")), rural_want);
        if urban == 126 {
            assert_eq!(u.ratio().unwrap().pct_text(2), "93.65");
            assert_eq!(u.responsible, v(&["区妇联", "乡镇街道"]));
            assert_eq!(out.gaps("community-parent-school-urban").len(), 8);
            assert_eq!(out.gaps("community-parent-school-rural").len(), 27);
        } else {
            assert_eq!(out.gaps("community-parent-school-urban").len(), 1, "the one unit still gets a gap row");
        }
    }
}

#[test]
fn first_five_targets_on_the_cli_fixture() {
    // The fixture of tests/cli_support: six communities, five schools, fourteen activities.
    let mut fx = Fx::built_in("2020-2021-1", "2021-06-01");
    fx.community("110109106201", Area::Rural, ZHAITANG, ps(true))
        .community("110109106202", Area::Rural, ZHAITANG, ps(true))
        .community("110109106203", Area::Rural, ZHAITANG, ps(false))
        .community("110109001001", Area::Urban, DAYU, ps(true))
        .community("110109001002", Area::Urban, DAYU, ps(false))
        .community("110109002001", Area::Urban, CHENGZI, ps(true))
        .school("1111090001", SchoolType::Primary, "大峪街道", ps(true).with(Fact::PrincipalHeads, true))
        .school("1111090002", SchoolType::Kindergarten, "110109001", ps(true).with(Fact::PrincipalHeads, false))
        .school("1111090003", SchoolType::Junior, "城子街道", ps(false))
        .school("1111090004", SchoolType::Vocational, "城子街道", ps(true))
        .school("1111090005", SchoolType::NineYear, "斋堂镇", ps(true));
    fx.activities("1111090001", &[("2020-09-10", G), ("2020-10-01", P), ("2020-09-15", M)])
        .activities("1111090002", &[("2020-11-01", G), ("2020-09-20", M)])
        .activities("1111090004", &[("2020-12-01", G), ("2021-01-31", P)])
        .activities("1111090005", &[("2020-10-10", P)])
        .activities("110109001001", &[("2020-09-01", G), ("2020-10-01", P)])
        .activities("110109002001", &[("2020-11-11", G)])
        .activities("110109106201", &[("2020-09-05", P), ("2020-09-06", G)])
        .activity("110109106202", "2020-09-07", ActivityKind::HomeVisit);
    let out = fx.run();
    assert_eq!(out.report.rosters, fx.facts.rosters);
    // Schools: 4 of 5 have a parent school (0003 has none) → 100% of 5 = 5, shortfall 1.
    assert_eq!(nums(out.district("school-parent-school")), (4, Some(5), Some(1), Status::Gap));
    // Urban: 001001 ✓, 001002 ✗, 002001 ✓ → 2 of 3; ⌈2.85⌉ = 3 → shortfall 1.
    assert_eq!(nums(out.district("community-parent-school-urban")), (2, Some(3), Some(1), Status::Gap));
    // Rural: 106201 ✓, 106202 ✓, 106203 ✗ → 2 of 3; ⌈2.55⌉ = 3 → shortfall 1.
    assert_eq!(nums(out.district("community-parent-school-rural")), (2, Some(3), Some(1), Status::Gap));
    // Parent schools: 4 schools + 4 communities = 8. Both kinds held: 0001, 0004 (practice on
    // the term's last day), 001001, 106201 → 4 of 8, shortfall 4.
    assert_eq!(nums(out.district("parent-school-activities")), (4, Some(8), Some(4), Status::Gap));
    // Parent meetings: 0001, 0002, 0003, 0005 (0004 is vocational); 0001 and 0002 held one
    // → 2 of 4, shortfall 2.
    assert_eq!(nums(out.district("parent-meetings")), (2, Some(4), Some(2), Status::Gap));
    // By township. 大峪 urban: 1 of 2, ⌈1.9⌉ = 2 → shortfall 1; 城子 urban 1 of 1; 斋堂 none.
    assert_eq!(out.at(DAYU.0, "community-parent-school-urban"), (1, Some(2), Some(1), Status::Gap));
    assert_eq!(out.at(CHENGZI.0, "community-parent-school-urban"), (1, Some(1), Some(0), Status::Met));
    assert_eq!(out.at(ZHAITANG.0, "community-parent-school-urban"), (0, Some(0), Some(0), Status::NotApplicable));
    assert_eq!(out.at(ZHAITANG.0, "community-parent-school-rural"), (2, Some(3), Some(1), Status::Gap));
    // 大峪 schools 0001 (by name) and 0002 (by code) are one township.
    assert_eq!(out.at(DAYU.0, "school-parent-school"), (2, Some(2), Some(0), Status::Met));
    assert_eq!(out.at(CHENGZI.0, "school-parent-school"), (1, Some(2), Some(1), Status::Gap));
    // Parent-school activities: 大峪 0001 ✓, 0002 ✗, 001001 ✓ → 2 of 3; 城子 0004 ✓, 002001 ✗;
    // 斋堂 0005 ✗, 106201 ✓, 106202 ✗ → 1 of 3.
    assert_eq!(out.at(DAYU.0, "parent-school-activities"), (2, Some(3), Some(1), Status::Gap));
    assert_eq!(out.at(CHENGZI.0, "parent-school-activities"), (1, Some(2), Some(1), Status::Gap));
    assert_eq!(out.at(ZHAITANG.0, "parent-school-activities"), (1, Some(3), Some(2), Status::Gap));
    let mut codes = out.codes("parent-school-activities");
    codes.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        codes,
        owned(&[
            ("110109002001", "no-practice", Status::Gap),
            ("110109106202", "no-activity", Status::Gap),
            ("1111090002", "no-practice", Status::Gap),
            ("1111090005", "no-guidance", Status::Gap),
        ])
    );
    assert_eq!(out.codes("school-parent-school"), owned(&[("1111090003", "no-parent-school", Status::Gap)]));
    assert_eq!(out.codes("principal-heads-parent-school").len(), 3, "0002 no; 0004 and 0005 not reported");
    assert_eq!(out.gap("principal-heads-parent-school", "1111090002").reason_code, "fact-no");
    assert_eq!(out.gap("principal-heads-parent-school", "1111090004").reason_code, "not-reported");
}

// ---------------------------------------------------------------- the national plans

#[test]
fn national_2016_2020_school_and_community_rates() {
    let plan = national_2016();
    assert_eq!(plan.targets.len(), 8);
    let mut fx = Fx::new(plan, "2020-2021-1", "2021-03-01");
    // Urban schools: 10, 9 with a parent school. 90% of 10 = 9 → met, shortfall 0.
    for i in 0..10 {
        fx.school_in(&format!("SU{i}"), SchoolType::Primary, DAYU.1, Some(Area::Urban), ps(i < 9));
    }
    // Rural schools: 6, 4 with one. 80% of 6 = 4.8 → 5 needed → shortfall 1, gap.
    for i in 0..6 {
        fx.school_in(&format!("SR{i}"), SchoolType::Kindergarten, ZHAITANG.1, Some(Area::Rural), ps(i < 4));
    }
    // A school with no area counts in neither.
    fx.school("SX", SchoolType::Primary, CHENGZI.1, ps(false));
    // Urban communities: 20, 18 with one: 90% of 20 = 18 → met.
    for i in 0..20 {
        fx.community(&format!("CU{i:02}"), Area::Urban, DAYU, ps(i < 18));
    }
    // Rural communities: 11, 8 with one: 80% of 11 = 8.8 → 9 → shortfall 1.
    for i in 0..11 {
        fx.community(&format!("CR{i:02}"), Area::Rural, ZHAITANG, ps(i < 8));
    }
    let out = fx.run();
    assert_eq!(nums(out.district("school-parent-school-urban")), (9, Some(10), Some(0), Status::Met));
    assert_eq!(nums(out.district("school-parent-school-rural")), (4, Some(6), Some(1), Status::Gap));
    assert_eq!(nums(out.district("community-parent-school-urban")), (18, Some(20), Some(0), Status::Met));
    assert_eq!(nums(out.district("community-parent-school-rural")), (8, Some(11), Some(1), Status::Gap));
    assert_eq!(out.district("school-parent-school-urban").responsible, v(&["教育行政部门"]));
    // 城子街道's only school left its area blank: its urban count cannot be judged
    // (issue 22, item 3), where a township without schools has none to judge.
    assert_eq!(out.at(CHENGZI.0, "school-parent-school-urban"), (0, Some(0), Some(0), Status::NoData));
    assert_eq!(out.at(ZHAITANG.0, "school-parent-school-urban"), (0, Some(0), Some(0), Status::NotApplicable));
    assert_eq!(out.report.plan.id, "national-2016-2020");
    // Every row of the plan, in its order; all targets by township.
    let ids: Vec<&str> = out.report.district.iter().map(|r| out.report.target(r).id.as_str()).collect();
    assert_eq!(ids.len(), 8);
    assert!(out.report.townships.iter().all(|t| t.targets.len() == 8));
}

#[test]
fn national_2016_2020_activities_of_school_parent_schools_by_group() {
    let mut fx = Fx::new(national_2016(), "2020-2021-1", "2021-03-01");
    fx.school("P1", SchoolType::Primary, DAYU.1, ps(true))
        .school("K1", SchoolType::Kindergarten, DAYU.1, ps(true))
        .school("K2", SchoolType::Kindergarten, DAYU.1, ps(true))
        .school("K3", SchoolType::Kindergarten, ZHAITANG.1, ps(true))
        .school("V1", SchoolType::Vocational, ZHAITANG.1, ps(true))
        .school("V2", SchoolType::Vocational, ZHAITANG.1, ps(true))
        .school("V3", SchoolType::Vocational, ZHAITANG.1, ps(false));
    fx.activities("P1", &[("2020-09-10", G), ("2020-10-10", P)])
        .activities("K1", &[("2020-09-10", G), ("2020-10-10", P), ("2020-11-10", P)])
        .activities("K2", &[("2020-09-10", G), ("2020-10-10", P)])
        .activities("K3", &[("2020-10-10", P), ("2020-11-10", P)])
        .activities("V1", &[("2020-12-01", G)])
        .activities("V2", &[("2020-12-01", P), ("2020-12-02", M)]);
    let out = fx.run();
    // Primary/secondary: P1 1+1 ✓ → 1 of 1.
    assert_eq!(nums(out.district("primary-secondary-activities")), (1, Some(1), Some(0), Status::Met));
    // Kindergartens need 1 guidance + 2 practice: K1 1+2 ✓; K2 1+1 ✗ too-few-practice;
    // K3 0+2 ✗ no-guidance → 1 of 3, 100% of 3 = 3 → shortfall 2.
    assert_eq!(nums(out.district("kindergarten-activities")), (1, Some(3), Some(2), Status::Gap));
    assert_eq!(
        out.codes("kindergarten-activities"),
        owned(&[("K2", "too-few-practice", Status::Gap), ("K3", "no-guidance", Status::Gap)])
    );
    assert!(out.gap("kindergarten-activities", "K2").reason.en.contains("1 practice activity in 2020-2021-1; 2 required"));
    // 大峪: K1 ✓, K2 ✗ → 1 of 2; 斋堂: K3 ✗ → 0 of 1.
    assert_eq!(out.at(DAYU.0, "kindergarten-activities"), (1, Some(2), Some(1), Status::Gap));
    assert_eq!(out.at(ZHAITANG.0, "kindergarten-activities"), (0, Some(1), Some(1), Status::Gap));
    // Vocational: 1 guidance a term. V1 ✓, V2 ✗ (practice and a meeting are not guidance),
    // V3 has no parent school → 1 of 2, shortfall 1.
    assert_eq!(nums(out.district("vocational-activities")), (1, Some(2), Some(1), Status::Gap));
    assert_eq!(out.codes("vocational-activities"), owned(&[("V2", "no-guidance", Status::Gap)]));
    // No community parent schools: the yearly target is n/a.
    assert_eq!(nums(out.district("community-activities")), (0, Some(0), Some(0), Status::NotApplicable));
}

#[test]
fn national_2016_2020_community_activities_count_the_calendar_year() {
    let mut fx = Fx::new(national_2016(), "2020-2021-1", "2021-03-01");
    let year = fx.window(Period::Year);
    assert_eq!((year.start, year.end), (d("2020-01-01"), d("2020-12-31")));
    assert!(fx.windows().contains(&year));
    assert!(period::span(Period::Year, fx.term, &fx.plan, period::as_of(fx.term, fx.today)).over);
    fx.community("C1", Area::Urban, DAYU, ps(true))
        .community("C2", Area::Urban, DAYU, ps(true))
        .community("C3", Area::Rural, ZHAITANG, ps(true))
        .community("C4", Area::Rural, ZHAITANG, ps(false))
        .school("S1", SchoolType::Primary, DAYU.1, ps(true));
    // C1: 2 guidance + 2 practice between February and August 2020 (term 2019-2020-2).
    fx.activities("C1", &[("2020-02-15", G), ("2020-08-20", G), ("2020-03-10", P), ("2020-07-01", P)]);
    // C2: 2 guidance in 2020; practice once in October 2020 and once in January 2021.
    fx.activities("C2", &[("2020-05-05", G), ("2020-06-06", G), ("2020-10-10", P), ("2021-01-15", P)]);
    // C3: everything in January 2021 — in the term, outside the year.
    fx.activities("C3", &[("2021-01-05", G), ("2021-01-06", G), ("2021-01-07", P), ("2021-01-08", P)]);
    // C4 has no parent school; S1 is a school's (not counted by this target).
    fx.activities("C4", &[("2020-05-05", G), ("2020-05-06", G), ("2020-05-07", P), ("2020-05-08", P)]);
    let out = fx.run();
    let id = "community-activities";
    // C1 2+2 ✓; C2 2+1 ✗ too-few-practice; C3 0+0 ✗ no-activity → 1 of 3, shortfall 2; the
    // year ended within the term → gap, not pending.
    assert_eq!(nums(out.district(id)), (1, Some(3), Some(2), Status::Gap));
    assert_eq!(out.at(DAYU.0, id), (1, Some(2), Some(1), Status::Gap));
    assert_eq!(out.at(ZHAITANG.0, id), (0, Some(1), Some(1), Status::Gap));
    assert_eq!(out.codes(id), owned(&[("C2", "too-few-practice", Status::Gap), ("C3", "no-activity", Status::Gap)]));
    assert!(out.gap(id, "C3").reason.en.contains("in 2020"), "{}", out.gap(id, "C3").reason.en);
    assert_eq!(out.district(id).responsible, v(&["妇联", "乡镇街道"]));
    assert_eq!(out.report.spans[out.index(id)].period, Period::Year);
}

#[test]
fn national_2021_2025_school_and_community_activities() {
    let plan = national_2021();
    assert_eq!(plan.targets.len(), 4);
    let mut fx = Fx::new(plan, "2021-2022-1", "2022-03-01");
    let year = fx.window(Period::Year);
    assert_eq!((year.start, year.end), (d("2021-01-01"), d("2021-12-31")));
    // Schools: 2 guidance a term.
    fx.school("S1", SchoolType::Primary, DAYU.1, ps(true))
        .school("S2", SchoolType::Kindergarten, DAYU.1, ps(true))
        .school("S3", SchoolType::Vocational, ZHAITANG.1, ps(false))
        .school("S4", SchoolType::Junior, ZHAITANG.1, ps(true));
    fx.activities("S1", &[("2021-09-10", G), ("2022-01-10", G)])
        .activities("S2", &[("2021-09-10", G), ("2021-09-11", P), ("2021-09-12", P), ("2021-09-13", P)])
        .activities("S3", &[("2021-09-10", G), ("2021-09-11", G)])
        .activities("S4", &[("2021-08-30", G), ("2021-08-31", G)]);
    // Communities: urban 10, 9 with a parent school; rural 6, 4 with one.
    for i in 0..10 {
        fx.community(&format!("CU{i}"), Area::Urban, DAYU, ps(i < 9));
    }
    for i in 0..6 {
        fx.community(&format!("CR{i}"), Area::Rural, ZHAITANG, ps(i < 4));
    }
    // Community parent schools need 4 guidance/practice activities in calendar 2021.
    fx.activities("CU0", &[("2021-03-01", G), ("2021-04-01", G), ("2021-05-01", G), ("2021-12-31", P)])
        .activities("CU1", &[("2021-03-01", G), ("2021-04-01", G), ("2021-05-01", P), ("2022-01-05", P)])
        .activities("CU2", &[("2021-03-01", M), ("2021-04-01", M), ("2021-05-01", M), ("2021-06-01", M)])
        .activities("CU3", &[("2020-12-31", G), ("2021-01-01", G), ("2021-06-01", P), ("2021-07-01", P), ("2021-08-01", P)])
        .activities("CR0", &[("2021-02-01", P), ("2021-02-02", P), ("2021-02-03", P), ("2021-02-04", P)]);
    let out = fx.run();
    // S1 2 ✓ (one in January 2022, still the term); S2 1 ✗ too-few-guidance; S4 0 ✗ (its
    // two are in the previous term) no-guidance; S3 has no parent school → 1 of 3, shortfall 2.
    assert_eq!(nums(out.district("school-activities")), (1, Some(3), Some(2), Status::Gap));
    let mut codes = out.codes("school-activities");
    codes.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(codes, owned(&[("S2", "too-few-guidance", Status::Gap), ("S4", "no-guidance", Status::Gap)]));
    // Urban 9 of 10 at 90% = 9 → met; rural 4 of 6 at 80% = 4.8 → 5 → shortfall 1.
    assert_eq!(nums(out.district("community-parent-school-urban")), (9, Some(10), Some(0), Status::Met));
    assert_eq!(nums(out.district("community-parent-school-rural")), (4, Some(6), Some(1), Status::Gap));
    // Community parent schools: CU0..CU8 (9) and CR0..CR3 (4) = 13. CU0 3+1 = 4 ✓; CU1 2+1 = 3
    // (January 2022 is outside) ✗ too-few-activity; CU2 4 parent meetings ✗ no-activity;
    // CU3 1+3 = 4 in 2021 ✓ (2020-12-31 outside); CR0 4 practice ✓; the other 8 ✗ → 3 of 13,
    // shortfall 10.
    let id = "community-activities";
    assert_eq!(nums(out.district(id)), (3, Some(13), Some(10), Status::Gap));
    assert_eq!(out.at(DAYU.0, id), (2, Some(9), Some(7), Status::Gap));
    assert_eq!(out.at(ZHAITANG.0, id), (1, Some(4), Some(3), Status::Gap));
    assert_eq!(out.gap(id, "CU1").reason_code, "too-few-activity");
    assert!(
        out.gap(id, "CU1").reason.en.contains("3 guidance or practice activity in 2021; 4 required"),
        "{}",
        out.gap(id, "CU1").reason.en
    );
    assert_eq!(out.gap(id, "CU2").reason_code, "no-activity");
    assert_eq!(out.gap(id, "CR1").reason_code, "no-activity");
    assert_eq!(out.gaps(id).len(), 10);
}

#[test]
fn national_2021_2025_term_2_judges_the_year_under_way() {
    // A term-2 report judges the calendar year still under way: pending, not gap.
    let mut fx = Fx::new(national_2021(), "2021-2022-2", "2022-09-30");
    let year = fx.window(Period::Year);
    assert_eq!((year.start, year.end), (d("2022-01-01"), d("2022-08-31")));
    fx.community("C1", Area::Urban, DAYU, ps(true)).community("C2", Area::Urban, DAYU, ps(true));
    fx.activities("C1", &[("2022-01-05", G), ("2022-03-01", G), ("2022-05-01", P), ("2022-08-31", P)])
        .activities("C2", &[("2021-12-05", G), ("2022-03-01", G)]);
    let out = fx.run();
    assert_eq!(nums(out.district("community-activities")), (1, Some(2), Some(1), Status::Pending));
    assert_eq!(out.codes("community-activities"), owned(&[("C2", "too-few-activity", Status::Pending)]));
}

#[test]
fn windows_list_each_period_once() {
    let fx = Fx::built_in("2020-2021-1", "2021-06-01");
    let w = fx.windows();
    // term, school-year and plan windows; in term 1 the school year so far is the term so far,
    // one window.
    assert_eq!(fx.window(Period::Term), fx.window(Period::SchoolYear));
    assert_eq!(w.len(), 2);
    for p in [Period::Term, Period::SchoolYear, Period::Plan] {
        assert!(w.contains(&fx.window(p)), "{p:?}");
    }
    assert_eq!(fx.window(Period::SchoolYear), Window { start: d("2020-09-01"), end: d("2021-01-31") });
    assert_eq!(fx.window(Period::Plan), Window { start: d("2019-09-01"), end: d("2021-01-31") });
}

// ------------------------------------------- issue 22: figures that hid a missing return

#[test]
fn a_where_on_a_column_every_unit_left_blank_is_no_data_with_a_note_naming_it() {
    // The national plan splits schools by area; this schools roster has no area column.
    let mut fx = Fx::new(national_2016(), "2020-2021-1", "2021-03-01");
    for i in 0..4 {
        fx.school(&format!("S{i}"), SchoolType::Primary, DAYU.1, ps(i < 3));
    }
    fx.community("C1", Area::Urban, DAYU, ps(true));
    let out = fx.run();
    for id in ["school-parent-school-urban", "school-parent-school-rural"] {
        assert_eq!(nums(out.district(id)), (0, Some(0), Some(0), Status::NoData), "{id}");
        assert_eq!(out.at(DAYU.0, id).3, Status::NoData, "{id} in 大峪街道");
    }
    // Communities give their area: their targets are counted (a township without
    // communities has none to count: n/a, as before).
    assert_eq!(nums(out.district("community-parent-school-rural")), (0, Some(0), Some(0), Status::NotApplicable));
    let notes = crate::report::notes(&out.report, &fx.facts);
    let note = notes.iter().find(|n| n.starts_with("指标 school-parent-school-urban 无数据")).expect("a note");
    assert!(note.contains("area") && note.contains("城乡类型") && note.contains("学校名册"), "{note}");

    // One school giving its area is enough for the column to be there: the others are
    // counted in neither, and the rural target has no units.
    fx.school_in("S9", SchoolType::Primary, DAYU.1, Some(Area::Urban), ps(true));
    let out = fx.run();
    assert_eq!(nums(out.district("school-parent-school-urban")), (1, Some(1), Some(0), Status::Met));
    assert_eq!(nums(out.district("school-parent-school-rural")), (0, Some(0), Some(0), Status::NotApplicable));
    assert!(!crate::report::notes(&out.report, &fx.facts).iter().any(|n| n.contains("`where`")));
}

#[test]
fn a_where_on_a_fact_every_unit_left_blank_is_no_data_and_one_reported_no_is_not() {
    // coedu-committee-composition counts schools with coedu_committee = yes.
    let mut fx = Fx::built_in("2020-2021-1", "2021-03-01");
    fx.school("S1", SchoolType::Primary, DAYU.1, ps(true));
    fx.school("S2", SchoolType::Kindergarten, CHENGZI.1, ps(true));
    let out = fx.run();
    assert_eq!(nums(out.district("coedu-committee-composition")), (0, Some(0), Some(0), Status::NoData));
    let notes = crate::report::notes(&out.report, &fx.facts);
    assert!(
        notes.iter().any(|n| n.starts_with("指标 coedu-committee-composition 无数据") && n.contains("coedu_committee")),
        "{notes:?}"
    );
    // Reported no by one school: known to have no units — n/a there and in the district;
    // the other township's school left it blank.
    let mut fx = Fx::built_in("2020-2021-1", "2021-03-01");
    fx.school("S1", SchoolType::Primary, DAYU.1, ps(true).with(Fact::CoeduCommittee, false));
    fx.school("S2", SchoolType::Kindergarten, CHENGZI.1, ps(true));
    let out = fx.run();
    assert_eq!(nums(out.district("coedu-committee-composition")), (0, Some(0), Some(0), Status::NotApplicable));
    assert_eq!(out.at(DAYU.0, "coedu-committee-composition").3, Status::NotApplicable);
    assert_eq!(out.at(CHENGZI.0, "coedu-committee-composition").3, Status::NoData);
}

#[test]
fn a_target_counting_activities_over_a_window_with_no_activity_at_all_is_no_data_not_a_gap() {
    let mut fx = Fx::built_in("2020-2021-2", "2021-09-30");
    fx.school("S1", SchoolType::Primary, DAYU.1, ps(true));
    fx.school("S2", SchoolType::Kindergarten, CHENGZI.1, ps(true));
    fx.community("C1", Area::Urban, DAYU, ps(true));
    let out = fx.run();
    for id in ["parent-school-activities", "parent-meetings"] {
        assert_eq!(out.district(id).status, Status::NoData, "{id}");
        assert_eq!(out.at(DAYU.0, id).3, Status::NoData, "{id} in 大峪街道");
        assert!(out.gaps(id).is_empty(), "{id}: no gap rows");
    }
    // Figures that do not count activities are judged as before.
    assert_eq!(out.district("school-parent-school").status, Status::Met);
    let notes = crate::report::notes(&out.report, &fx.facts);
    assert!(
        notes.iter().any(|n| n.starts_with("指标 parent-meetings 无数据：台账中没有日期在 2021-02-01 至 2021-08-31")),
        "{notes:?}"
    );
    // One activity of any kind, by anyone: the return is in, and the others fail.
    fx.activity("C1", "2021-03-01", ActivityKind::Guidance);
    let out = fx.run();
    assert_eq!(out.district("parent-meetings").status, Status::Gap);
    assert_eq!(out.district("parent-school-activities").status, Status::Gap);
    assert_eq!(out.gaps("parent-meetings").len(), 2);
}
