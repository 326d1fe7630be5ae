//! Integration tests of the `gongyu` binary (SPEC §2–6) on what the ledger keeps: identical
//! files, replaced rosters kept as history, later terms falling back on earlier rosters,
//! repeated activities, townships keyed by code, unit keys, reverts, and reports read while
//! an import writes. Real processes on real ledger files in temporary folders.
//!
//! Tests named `regression_*` pin bugs found and fixed: each failed before its fix.

#[allow(dead_code)] // each cli_* file uses some of the fixtures and helpers
mod cli_support;
#[allow(dead_code)] // the helpers other test files use
mod workdir;

use cli_support::{args, district, fixture, ratio, target, township, ACTIVITIES, COMMUNITIES, GAPS_HEADER, TERM};
use serde_json::Value;
use workdir::Workdir;

#[test]
fn reimporting_a_byte_identical_file_changes_nothing() {
    let wd = fixture();
    let before = wd.ledger_dump();
    for (kind, name, term) in
        [("communities", "communities.csv", TERM), ("schools", "schools.csv", TERM), ("activities", "activities.csv", "")]
    {
        let run = wd.import(kind, &wd.path(name), term);
        assert!(run.stdout.contains("identical"), "{kind}: {}", run.stdout);
        assert_eq!(before, wd.ledger_dump(), "{kind}");
    }
    // A copy under another name is the same bytes.
    let copy = wd.write_utf8("activities-copy.csv", ACTIVITIES);
    wd.import("activities", &copy, "").stdout_has("identical");
    assert_eq!(before, wd.ledger_dump());
}

/// The same file given twice in one command is imported once; the second says so.
#[test]
fn the_same_file_twice_in_one_command() {
    let wd = fixture();
    let f = wd.write_utf8("a.csv", "id,host,date,kind\nT1,1111090001,2020-10-01,讲座\nT1,1111090001,2020-10-01,讲座\n");
    wd.run(&args(&[&"import", &"activities", &f, &f]))
        .expect_code(0)
        .stdout_has("imported 1 activity from 2 rows (UTF-8), 1 duplicate skipped")
        .stdout_has("the same file was given earlier in this import; skipped");
    assert_eq!(wd.batches_of("activities").len(), 2);
    // Once a batch was reverted, an unchanged file still changes nothing and says so.
    wd.ok(&["revert", "4"]);
    wd.import("activities", &f, "").stdout_has("imported 1 activity");
    wd.import("activities", &f, "").stdout_has("identical to batch");
}

#[test]
fn a_second_roster_for_the_same_term_replaces_the_first_and_keeps_it_as_history() {
    let wd = fixture();
    let first_batch = wd.batches_of("communities")[0]["id"].as_u64().unwrap();
    // Everybody now has a parent school.
    let all_yes = COMMUNITIES.replace(",否,", ",是,");
    let f = wd.write_utf8("communities-v2.csv", &all_yes);
    let run = wd.import("communities", &f, TERM);
    assert!(run.stdout.contains(&format!("replaces the roster of batch {first_batch}")), "{}", run.stdout);
    let report = wd.report_json(TERM);
    assert_eq!(ratio(district(&report, "community-parent-school-urban")), (3, 3));
    assert_eq!(ratio(district(&report, "community-parent-school-rural")), (3, 3));
    let rosters = wd.batches_of("communities");
    assert_eq!(rosters.len(), 2);
    assert!(rosters.iter().all(|b| b["term"] == TERM && b["reverted_at"].is_null()), "{rosters:?}");
    assert_eq!(rosters[0]["replaces"], first_batch);
    // The first roster is kept as history: reverting the second makes it current again.
    let second = rosters[0]["id"].to_string();
    wd.ok(&["revert", second.as_str()]);
    assert_eq!(ratio(district(&wd.report_json(TERM), "community-parent-school-urban")), (2, 3));
    // And importing the second file again, then the first, makes each current in turn.
    wd.import("communities", &f, TERM);
    assert_eq!(ratio(district(&wd.report_json(TERM), "community-parent-school-urban")), (3, 3));
    wd.import("communities", &wd.path("communities.csv"), TERM);
    assert_eq!(ratio(district(&wd.report_json(TERM), "community-parent-school-urban")), (2, 3));
}

#[test]
fn a_later_term_uses_the_latest_earlier_roster_and_says_which() {
    let wd = fixture();
    let later = COMMUNITIES.replace(",否,", ",是,");
    let f = wd.write_utf8("communities-2021-2.csv", &later);
    wd.import("communities", &f, "2020-2021-2");

    let run = wd.ok(&["coverage", "report", "--term", "2021-2022-1", "--format", "json"]);
    let r = run.json();
    assert_eq!(r["term"], "2021-2022-1");
    assert_eq!(r["rosters"]["schools"], "2020-2021-1");
    assert_eq!(r["rosters"]["communities"], "2020-2021-2");
    assert_eq!(ratio(district(&r, "community-parent-school-urban")), (3, 3));
    assert_eq!(ratio(district(&r, "school-parent-school")), (4, 5));
    assert!(run.stderr.contains("using the schools roster of 2020-2021-1"), "{}", run.stderr);

    // The earlier term still uses its own roster; a term before any roster has none.
    let r = wd.report_json(TERM);
    assert_eq!(r["rosters"]["communities"], TERM);
    assert_eq!(ratio(district(&r, "community-parent-school-urban")), (2, 3));
    let r = wd.report_json("2019-2020-2");
    assert_eq!(r["rosters"]["schools"], Value::Null);
    assert_eq!(r["rosters"]["communities"], Value::Null);
    assert_eq!(district(&r, "school-parent-school")["status"], "n/a");
    // The table names the rosters too.
    wd.ok(&["coverage", "report", "--term", "2021-2022-1"])
        .stdout_has("Rosters used: schools 2020-2021-1, communities 2020-2021-2");
}

#[test]
fn repeated_activities_are_skipped_and_counted() {
    let wd = fixture();
    // Same ids and fields as the ledger's (in other spellings), and rows without ids that
    // repeat each other with the date written differently.
    let text = "\
活动编号,单位代码,日期,类型,活动名称,参加人数,形式
A1,1111090001,2020/9/10,讲座,家庭教育讲座,120,线下
A4,１１１１０９０００２,2020年11月1日,指导,育儿讲座,50,线上
,110109001002,2020-10-20,家访,入户,3,
,110109001002,20201020,入户家访,入户,3,
,110109001002,2020.10.20,home-visit,入户,3,
,110109001002,2020.10.20,home-visit,入户,4,
,110109001002,2020.10.20,home-visit,另一次入户,3,
N1,110109001002,2020-10-20,家访,入户,3,
N1,110109001002,2020/10/20,家访,入户,3,
";
    let f = wd.write_utf8("more.csv", text);
    wd.import("activities", &f, "").stdout_has("imported 4 activities from 9 rows (UTF-8), 5 duplicates skipped");
    assert_eq!(wd.activities_held(), 18);
    assert_eq!(wd.batches()[0]["duplicates"], 5);
    // Again, from another file: every row is now a duplicate.
    let g = wd.write_utf8("more-again.csv", &text.replace("活动编号", "id"));
    wd.import("activities", &g, "").stdout_has("imported 0 activities from 9 rows (UTF-8), 9 duplicates skipped");
    assert_eq!(wd.activities_held(), 18);
}

#[test]
fn a_school_roster_naming_townships_is_keyed_by_the_community_rosters_codes() {
    let wd = fixture();
    let r = wd.report_json(TERM);
    let codes: Vec<&str> = r["townships"].as_array().unwrap().iter().map(|t| t["code"].as_str().expect("a code")).collect();
    assert_eq!(codes, ["110109001", "110109002", "110109106"]);
    // 大峪街道 holds the school named by township and the one given by code.
    let dayu = township(&r, "110109001");
    assert_eq!(dayu["name"], "大峪街道");
    assert_eq!(ratio(target(&dayu["targets"], "school-parent-school")), (2, 2));
    assert_eq!(ratio(target(&township(&r, "110109002")["targets"], "school-parent-school")), (1, 2));
    assert_eq!(ratio(target(&township(&r, "110109106")["targets"], "school-parent-school")), (1, 1));
    for t in r["townships"].as_array().unwrap() {
        for row in t["targets"].as_array().unwrap() {
            assert_eq!(row["township"], t["code"], "a township's rows name it by code");
            assert_eq!(row["scope"], "township");
        }
    }
    // Gaps name the code as well.
    let gaps = wd.ok(&["coverage", "gaps", "--term", TERM, "--target", "school-parent-school", "--format", "csv"]).stdout;
    assert_eq!(
        gaps,
        format!(
            "{GAPS_HEADER}\nschool-parent-school,110109002,城子街道,1111090003,城子中学,no parent school (家长学校),区教委,gap,no-parent-school,mentougou-2019-2021\n"
        )
    );
}

/// Reverting the batch a later import's duplicates pointed at must not strand them.
#[test]
fn a_file_whose_duplicates_were_reverted_can_be_imported_again() {
    let wd = fixture();
    let held = wd.activities_held();
    let a = wd.write_utf8("a.csv", "id,host,date,kind\nX1,1111090003,2020-10-01,讲座\n");
    let b = wd.write_utf8("b.csv", "id,host,date,kind\nX1,1111090003,2020-10-01,讲座\nX2,1111090003,2020-10-02,亲子活动\n");
    wd.import("activities", &a, "").stdout_has("batch 4");
    wd.import("activities", &b, "").stdout_has("1 duplicate skipped; batch 5");
    wd.ok(&["revert", "4"]).stdout_has("removed 1 activities");
    wd.import("activities", &b, "").stdout_has("imported 1 activity from 2 rows");
    assert_eq!(wd.activities_held(), held + 2);
    // Again: nothing changes (the file is re-read, as it skipped rows of a reverted batch).
    wd.import("activities", &b, "");
    assert_eq!(wd.activities_held(), held + 2);
}

/// Reverting a roster takes its township spellings with it.
#[test]
fn reverting_a_community_roster_restores_township_names() {
    let wd = fixture();
    let renamed = COMMUNITIES.replace(",大峪街道,", ",大峪街道办事处,");
    let f = wd.write_utf8("renamed.csv", &renamed);
    wd.import("communities", &f, "2020-2021-2");
    assert_eq!(township(&wd.report_json(TERM), "110109001")["name"], "大峪街道办事处");
    wd.ok(&["revert", "4"]);
    assert_eq!(township(&wd.report_json(TERM), "110109001")["name"], "大峪街道");
}

// ------------------------------------------------------------------ regressions: bugs found and fixed

/// SPEC §3: a township is one unit whether a return names it or gives its code; reports
/// key townships by code wherever one is known.
#[test]
fn regression_one_township_per_code() {
    let wd = Workdir::with_ledger();
    // Last term's roster spelled the township one way, this term's another: one code.
    let earlier =
        wd.write_utf8("c1.csv", "code,name,township,township_code,parent_school\n1,德露苑社区,大峪街道办事处,110109001,是\n");
    wd.import("communities", &earlier, "2019-2020-2");
    let c = wd.write_utf8(
        "c.csv",
        "code,name,township,township_code,parent_school\n\
         1,德露苑社区,大峪街道,110109001,是\n\
         2,月季园社区,大峪街道,110109001,否\n",
    );
    wd.import("communities", &c, TERM);
    let s = wd
        .write_utf8("s.csv", "code,name,type,township,parent_school\nS1,一小,小学,大峪街道,是\nS2,二小,小学,大峪街道办事处,是\n");
    wd.import("schools", &s, TERM);
    let r = wd.report_json(TERM);
    let codes: Vec<Value> = r["townships"].as_array().unwrap().iter().map(|t| t["code"].clone()).collect();
    assert_eq!(codes, [Value::from("110109001")], "{:#}", r["townships"]);
    let t = township(&r, "110109001");
    assert_eq!(ratio(target(&t["targets"], "community-parent-school-urban")), (1, 2));
    assert_eq!(ratio(target(&t["targets"], "school-parent-school")), (2, 2));
}
