//! Figures that hid a missing return (issue 22, items 3, 6, 7, 8): a filter column no
//! roster gives, a roster carried over from an earlier term, a term without an activity
//! return, and a roster that drops units hosting activities. Real processes on real
//! ledger files.

#[allow(dead_code)] // the helpers other test files use
mod workdir;

use workdir::Workdir;

const T1: &str = "2020-2021-1";
const T2: &str = "2020-2021-2";

const COMMUNITIES: &str = "\
code,name,township,township_code,parent_school
110109001001,德露苑社区居委会,大峪街道,110109001,是
110109106201,斋堂村委会,斋堂镇,110109106,否
";

const SCHOOLS: &str = "\
code,name,type,township,parent_school
1111090001,大峪第一小学,小学,大峪街道,是
1111090002,大峪幼儿园,幼儿园,110109001,是
1111090005,斋堂学校,九年一贯制学校,斋堂镇,否
";

/// Three activities of term 1: two by one school, one by another.
const ACTIVITIES: &str = "\
id,host,date,kind
A1,1111090001,2020-10-01,讲座
A2,1111090001,2020-10-02,研学
A3,1111090002,2020-10-03,家长会
";

/// A ledger with the communities and schools rosters of term 1 and its activities.
fn fixture() -> Workdir {
    let wd = Workdir::with_ledger();
    let c = wd.write_utf8("communities.csv", COMMUNITIES);
    wd.import("communities", &c, T1);
    let s = wd.write_utf8("schools.csv", SCHOOLS);
    wd.import("schools", &s, T1);
    let a = wd.write_utf8("activities.csv", ACTIVITIES);
    wd.import("activities", &a, "");
    wd
}

// ------------------------------------------------- item 8: a roster that drops hosts

/// The schools roster without 大峪第一小学, which hosts two activities of term 1.
const SCHOOLS_WITHOUT_FIRST: &str = "\
code,name,type,township,parent_school
1111090002,大峪幼儿园,幼儿园,110109001,是
1111090005,斋堂学校,九年一贯制学校,斋堂镇,否
";

#[test]
fn a_replacement_roster_that_drops_a_host_of_activities_warns_with_their_number_in_a_dry_run_too() {
    let wd = fixture();
    let s = wd.write_utf8("schools-new.csv", SCHOOLS_WITHOUT_FIRST);
    let before = wd.ledger_dump();
    let dry = wd.ok(&["import", "schools", s.to_str().unwrap(), "--term", T1, "--dry-run"]);
    let expected = "2 activities dated from 2020-2021-1 on are hosted by 1 unit that the roster it replaces (batch 2) \
                    listed and this roster leaves out: 1111090001 大峪第一小学";
    assert!(dry.stderr.contains(expected), "dry run: {}", dry.stderr);
    assert_eq!(before, wd.ledger_dump(), "a dry run writes nothing");
    // The import itself succeeds, with the same warning.
    let run = wd.import("schools", &s, T1);
    assert!(run.stderr.contains(expected), "import: {}", run.stderr);
    assert!(run.stdout.contains("imported 2 schools for 2020-2021-1"), "{}", run.stdout);
}

#[test]
fn a_next_terms_roster_that_drops_a_host_of_its_activities_warns_and_one_that_keeps_them_does_not() {
    let wd = fixture();
    // Term-2 activities of 大峪幼儿园, still on the term-1 roster carried over.
    let a = wd.write_utf8("a2.csv", "id,host,date,kind\nB1,1111090002,2021-03-01,讲座\n");
    wd.import("activities", &a, "");
    // A term-2 roster with every school that hosts term-2 activities: no warning (the
    // term-1 activities of the school it drops stay counted by the term-1 roster).
    let keeps = wd.write_utf8("keeps.csv", SCHOOLS_WITHOUT_FIRST);
    let run = wd.import("schools", &keeps, T2);
    assert!(!run.stderr.contains("leaves out"), "{}", run.stderr);
    // Reverted, and a term-2 roster without 大峪幼儿园 instead.
    let batch = wd.batches_of("schools")[0]["id"].to_string();
    wd.ok(&["revert", batch.as_str()]);
    let drops = wd.write_utf8(
        "drops.csv",
        "code,name,type,township,parent_school\n1111090001,大峪第一小学,小学,大峪街道,是\n1111090005,斋堂学校,九年一贯制学校,斋堂镇,否\n",
    );
    let run = wd.import("schools", &drops, T2);
    assert!(
        run.stderr.contains(
            "1 activity dated from 2020-2021-2 on is hosted by 1 unit that the schools roster of 2020-2021-1 (batch 2) \
             used until now listed and this roster leaves out: 1111090002 大峪幼儿园"
        ),
        "{}",
        run.stderr
    );
    // A term-1 roster without it now: its term-2 activity is the term-2 roster's to count,
    // its term-1 one (A3) is left out.
    let t1 = wd.write_utf8("t1.csv", &SCHOOLS.replace("1111090002,大峪幼儿园,幼儿园,110109001,是\n", ""));
    let run = wd.import("schools", &t1, T1);
    assert!(
        run.stderr
            .contains("1 activity dated from 2020-2021-1 up to 2020-2021-2 is hosted by 1 unit that the roster it replaces"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_communities_or_bodies_roster_that_drops_a_host_of_activities_warns_too() {
    let wd = fixture();
    let b = wd.write_utf8(
        "bodies.csv",
        "code,name,kind,level\nB001,门头沟区家长学校,家长学校,区级\nB002,区妇联家长学校,家长学校,机关\n",
    );
    wd.import("bodies", &b, T1);
    let a = wd.write_utf8(
        "a.csv",
        "id,host,date,kind\nC1,110109106201,2020-10-05,讲座\nC2,B002,2020-10-06,讲座\nC3,B002,2020-11-06,研学\n",
    );
    wd.import("activities", &a, "");
    let c = wd.write_utf8(
        "c2.csv",
        "code,name,township,township_code,parent_school\n110109001001,德露苑社区居委会,大峪街道,110109001,是\n",
    );
    let run = wd.import("communities", &c, T1);
    assert!(run.stderr.contains("1 activity dated from 2020-2021-1 on is hosted by 1 unit that"), "{}", run.stderr);
    assert!(run.stderr.contains("110109106201 斋堂村委会"), "{}", run.stderr);
    let b2 = wd.write_utf8("bodies2.csv", "code,name,kind,level\nB001,门头沟区家长学校,家长学校,区级\n");
    let run = wd.import("bodies", &b2, T1);
    assert!(run.stderr.contains("2 activities dated from 2020-2021-1 on are hosted by 1 unit that"), "{}", run.stderr);
    assert!(run.stderr.contains("B002 区妇联家长学校"), "{}", run.stderr);
}

// ------------------------------------- item 6: `returns` and a roster carried over

#[test]
fn returns_shows_a_roster_carried_over_from_an_earlier_term_as_carried_over_not_reported() {
    let wd = fixture();
    let zh = wd.run_with(&["returns", "--term", T2], |c| {
        c.env_remove("GONGYU_LANG");
    });
    let zh = zh.expect_code(0);
    let schools = zh.stdout.lines().find(|l| l.contains("schools")).unwrap_or_default().to_string();
    assert!(schools.contains("沿用上学期") && !schools.contains("已报"), "{}", zh.stdout);
    let en = wd.ok(&["returns", "--term", T2]);
    assert!(en.stdout.contains("carried over from 2020-2021-1"), "{}", en.stdout);
    let csv = wd.ok(&["returns", "--term", T2, "--format", "csv"]);
    assert!(csv.stdout.contains("schools.csv,carried-over,2020-2021-1 batch 2 (3 rows)"), "{}", csv.stdout);
    let json = wd.ok(&["returns", "--term", T2, "--format", "json"]).json();
    assert_eq!(json["rosters"][0]["status"], "carried-over", "{json:#}");
    // Not reported for the term: listed by --missing.
    let missing = wd.ok(&["returns", "--term", T2, "--missing", "--format", "json"]).json();
    let kinds: Vec<&str> = missing["rosters"].as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"schools") && kinds.contains(&"communities"), "{missing:#}");
    // The term's own roster is in.
    let own = wd.ok(&["returns", "--term", T1, "--format", "json"]).json();
    assert_eq!(own["rosters"][0]["status"], "in", "{own:#}");
}

#[test]
fn returns_counts_activities_in_its_activities_column_not_units() {
    let wd = fixture();
    let zh = wd.run_with(&["returns", "--term", T1], |c| {
        c.env_remove("GONGYU_LANG");
    });
    let zh = zh.expect_code(0);
    assert!(zh.stdout.contains("已报单位") && zh.stdout.contains("已报活动"), "{}", zh.stdout);
    // 大峪街道: 2 of its 3 units with a parent school reported, 3 activities between them.
    let row = zh.stdout.lines().find(|l| l.contains("大峪街道")).unwrap_or_default();
    let cells: Vec<&str> = row.split('┆').map(str::trim).collect();
    assert_eq!(cells.get(1..4), Some(&["2", "3", "3"][..]), "{}", zh.stdout);
    let json = wd.ok(&["returns", "--term", T1, "--format", "json"]).json();
    assert_eq!((json["activities"][0]["reported"].as_u64(), json["activities"][0]["activities"].as_u64()), (Some(2), Some(3)));
}

// ------------------------------- item 3: a `where` column no roster gives is no-data

#[test]
fn urban_and_rural_school_targets_without_an_area_column_are_no_data_with_a_note_not_n_a() {
    let wd = fixture();
    let plan = wd.write_utf8("national.toml", include_str!("../plans/national-2016-2020.toml"));
    let plan = plan.to_str().unwrap();
    let run = wd.ok(&["--plan", plan, "coverage", "report", "--term", T1, "--format", "json"]);
    let json = run.json();
    for id in ["school-parent-school-urban", "school-parent-school-rural"] {
        let row = json["targets"].as_array().unwrap().iter().find(|t| t["id"] == id).unwrap();
        assert_eq!((row["status"].as_str(), row["denominator"].as_u64()), (Some("no-data"), Some(0)), "{id}: {row:#}");
        assert!(
            run.stderr
                .contains(&format!("note: {id} is no-data: its `where` selects units by area, which every unit left blank")),
            "{id}: {}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("add it (城乡类型)"), "{}", run.stderr);
    // The table, in Chinese: 无数据, not 不适用.
    let zh = wd.run_with(&["--plan", plan, "coverage", "report", "--term", T1], |c| {
        c.env_remove("GONGYU_LANG");
    });
    let line = zh.stdout.lines().find(|l| l.contains("school-parent-school-urban")).unwrap_or_default().to_string();
    assert!(line.contains("无数据") && !line.contains("不适用"), "{}", zh.stdout);
    // With the column, the targets are counted.
    let s = wd.write_utf8(
        "schools-area.csv",
        "code,name,type,township,parent_school,城乡类型\n1111090001,大峪第一小学,小学,大峪街道,是,城区\n1111090002,大峪幼儿园,幼儿园,110109001,是,城区\n1111090005,斋堂学校,九年一贯制学校,斋堂镇,否,农村\n",
    );
    wd.import("schools", &s, T1);
    let json = wd.ok(&["--plan", plan, "coverage", "report", "--term", T1, "--format", "json"]).json();
    let status: Vec<&str> = json["targets"].as_array().unwrap()[2..4].iter().map(|t| t["status"].as_str().unwrap()).collect();
    assert_eq!(status, ["met", "gap"], "{json:#}");
}

// ---------------------------- item 7: a term without an activity return is no-data

#[test]
fn trend_says_no_data_for_a_term_without_an_activity_return_as_report_does() {
    let wd = fixture();
    let trend = wd.ok(&["coverage", "trend", "--from", T1, "--to", T2, "--target", "parent-meetings", "--format", "json"]).json();
    let points = &trend["series"][0]["points"];
    assert_eq!(points[0]["status"], "gap", "term 1 has its activities: a real gap\n{trend:#}");
    assert_eq!(points[1]["status"], "no-data", "term 2 has no activity return\n{trend:#}");
    // The report of that term says the same, and why.
    let run = wd.ok(&["coverage", "report", "--term", T2, "--format", "json"]);
    let json = run.json();
    let row = json["targets"].as_array().unwrap().iter().find(|t| t["id"] == "parent-meetings").unwrap();
    assert_eq!(row["status"], "no-data", "{row:#}");
    assert!(
        run.stderr.contains("note: parent-meetings is no-data: no activities dated 2021-02-01 to 2021-08-31 are in the ledger"),
        "{}",
        run.stderr
    );
    // No gap rows for it, and `--check` is not failed by a missing return.
    let gaps = wd.ok(&["coverage", "gaps", "--term", T2, "--target", "parent-meetings", "--format", "csv"]);
    assert_eq!(gaps.stdout.lines().count(), 1, "{}", gaps.stdout);
    // The table, in Chinese: 无数据 for term 2, not 0.0% 未达标.
    let zh = wd.run_with(&["coverage", "trend", "--from", T1, "--to", T2, "--target", "parent-meetings"], |c| {
        c.env_remove("GONGYU_LANG");
    });
    let district = zh.stdout.lines().find(|l| l.contains("全区")).unwrap_or_default().to_string();
    let cells: Vec<&str> = district.split('┆').map(|c| c.trim().trim_end_matches('│').trim()).collect();
    assert_eq!(cells.get(2..4), Some(&["33.3% 未达标", "无数据"][..]), "{}", zh.stdout);
}

#[test]
fn trend_townships_use_the_districts_words_for_a_term_before_their_rosters() {
    let wd = fixture();
    let zh = wd.run_with(
        &["coverage", "trend", "--from", "2019-2020-2", "--to", T1, "--target", "school-parent-school", "--by", "township"],
        |c| {
            c.env_remove("GONGYU_LANG");
        },
    );
    let zh = zh.expect_code(0);
    // In Chinese a row names its target by title (the id is on the line below).
    let rows: Vec<&str> = zh.stdout.lines().filter(|l| l.contains("学校家长学校建校率")).collect();
    assert_eq!(rows.len(), 3, "{}", zh.stdout);
    for row in rows {
        let first = row.split('┆').nth(2).unwrap_or_default().trim();
        assert_eq!(first, "不适用", "2019-2020-2 has no rosters: {row}\n{}", zh.stdout);
    }
}
