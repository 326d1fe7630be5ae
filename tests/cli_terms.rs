//! Integration tests of the `gongyu` binary (SPEC §2–6) on terms: both spellings, the term
//! an activity's date falls in, the default term, closing and reopening a term. Real
//! processes on real ledger files in temporary folders.

#[allow(dead_code)] // each cli_* file uses some of the fixtures and helpers
mod cli_support;
#[allow(dead_code)] // the helpers other test files use
mod workdir;

use cli_support::{district, fixture, ratio, COMMUNITIES, TERM};
use serde_json::Value;
use workdir::Workdir;

#[test]
fn both_term_spellings_work_on_the_flag_and_in_a_term_column() {
    let wd = Workdir::with_ledger();
    let roster = "code,name,township,parent_school\n1,第一社区,大峪街道,是\n";
    let f1 = wd.write_utf8("c1.csv", roster);
    wd.import("communities", &f1, "2020-2021学年第一学期").stdout_has("for 2020-2021-1");

    let f2 = wd.write_utf8("c2.csv", "code,name,township,parent_school,学期\n1,第一社区,大峪街道,否,2020-2021学年第二学期\n");
    wd.import("communities", &f2, "").stdout_has("for 2020-2021-2");

    let f3 = wd.write_utf8("c3.csv", "code,name,township,parent_school,term\n1,第一社区,大峪街道,是,２０２１－２０２２－１\n");
    wd.import("communities", &f3, "2021-2022学年第一学期").stdout_has("for 2021-2022-1");

    let f4 = wd.write_utf8("c4.csv", "code,name,township,parent_school,term\n1,第一社区,大峪街道,是,2021-2022学年第二学期\n");
    wd.import("communities", &f4, "2021-2022-2").stdout_has("for 2021-2022-2");

    assert_eq!(wd.batches_of("communities").len(), 4);
    let terms: Vec<String> = wd.batches_of("communities").iter().map(|b| b["term"].as_str().unwrap().to_string()).collect();
    assert_eq!(terms, ["2021-2022-2", "2021-2022-1", "2020-2021-2", "2020-2021-1"], "newest first");
    // The report takes both spellings too, and picks each term's own roster.
    let r = wd.report_json("2020-2021学年第二学期");
    assert_eq!(r["term"], "2020-2021-2");
    assert_eq!(r["rosters"]["communities"], "2020-2021-2");
    assert_eq!(ratio(district(&r, "community-parent-school-urban")), (0, 1));
    let r = wd.report_json("2020-2021学年第一学期");
    assert_eq!(r["term"], "2020-2021-1");
    assert_eq!(ratio(district(&r, "community-parent-school-urban")), (1, 1));

    for bad in ["2020-2022-1", "2020-2021-3", "2020-2021学年第三学期", "2020/2021-1", "20202021-1"] {
        wd.run(&["coverage", "report", "--term", bad]).expect_code(1).stderr_has("is not a term");
        wd.run(&["import", "communities", f1.to_str().unwrap(), "--term", bad]).expect_code(1).stderr_has("is not a term");
    }
}

#[test]
fn activities_land_in_the_term_containing_their_date() {
    let wd = Workdir::with_ledger();
    let s = wd.write_utf8("s.csv", "code,name,type,township,parent_school\nS1,第一小学,小学,大峪街道,是\n");
    wd.import("schools", &s, "2019-2020-2");
    let a = wd.write_utf8(
        "a.csv",
        "host,date,kind\n\
         S1,2020-08-31,guidance\n\
         S1,2020-09-01,guidance\n\
         S1,2021-01-31,practice\n\
         S1,2021-02-01,practice\n",
    );
    wd.import("activities", &a, "").stdout_has("imported 4 activities");
    let reason = |term: &str| {
        let out = wd.ok(&["coverage", "gaps", "--term", term, "--target", "parent-school-activities", "--format", "csv"]).stdout;
        let rows: Vec<&str> = out.lines().skip(1).collect();
        assert!(rows.len() <= 1, "{out}");
        rows.first().map(|r| r.split(',').nth(5).unwrap().to_string())
    };
    // 2020-08-31 guidance only → 2019-2020-2 lacks practice.
    assert_eq!(reason("2019-2020-2").as_deref(), Some("no practice activity in 2019-2020-2"));
    // 2020-09-01 guidance and 2021-01-31 practice → 2020-2021-1 complete.
    assert_eq!(reason("2020-2021-1"), None);
    assert_eq!(ratio(district(&wd.report_json("2020-2021-1"), "parent-school-activities")), (1, 1));
    // 2021-02-01 practice only → 2020-2021-2 lacks guidance.
    assert_eq!(reason("2020-2021-2").as_deref(), Some("no guidance activity in 2020-2021-2"));
    // No activity at all is dated in 2021-2022-1: its return is missing, not failed
    // (issue 22, item 7) — no-data, with no gap rows.
    assert_eq!(reason("2021-2022-1"), None);
    assert_eq!(district(&wd.report_json("2021-2022-1"), "parent-school-activities")["status"], "no-data");
}

#[test]
fn the_default_term_is_the_one_containing_gongyu_today() {
    let wd = fixture();
    for (today, term) in [
        ("2020-08-31", "2019-2020-2"),
        ("2020-09-01", "2020-2021-1"),
        ("2021-01-31", "2020-2021-1"),
        ("2021-02-01", "2020-2021-2"),
    ] {
        let run = wd
            .run_with(&["coverage", "report", "--format", "json"], |c| {
                c.env("GONGYU_TODAY", today);
            })
            .expect_code(0);
        assert_eq!(run.json()["term"], term, "GONGYU_TODAY={today}");
        let run = wd
            .run_with(&["coverage", "gaps", "--format", "json"], |c| {
                c.env("GONGYU_TODAY", today);
            })
            .expect_code(0);
        assert_eq!(run.json()["term"], term, "gaps, GONGYU_TODAY={today}");
    }
    // With a day of the fixture's own term as today, the report is the fixture's.
    let run = wd.run_with(&["coverage", "report", "--format", "json"], |c| {
        c.env("GONGYU_TODAY", "2020-11-15");
    });
    let run = run.expect_code(0);
    assert_eq!(run.json()["term"], TERM);
    assert_eq!(run.json()["as_of"], "2020-11-15");
    // Judged as of today: an activity dated later in the term does not count yet (4 of 8
    // once the term is over), and the row is pending, not a gap.
    assert_eq!(ratio(district(&run.json(), "parent-school-activities")), (3, 8));
    assert_eq!(district(&run.json(), "parent-school-activities")["status"], "pending");
}

#[test]
fn a_closed_term_refuses_every_change_to_its_report_until_reopened() {
    let wd = fixture();
    let report_before = wd.ok(&["coverage", "report", "--term", TERM, "--format", "json"]).stdout;
    wd.ok(&["term", "close", TERM, "--note", "reported to the district board"]).stdout_has("closed term 2020-2021-1");
    wd.run(&["term", "close", TERM]).expect_code(1).stderr_has("already closed");
    let json = wd.report_json(TERM);
    assert_eq!(json["closed"]["by"], "gongyu-test", "{}", json["closed"]);
    wd.ok(&["coverage", "report", "--term", TERM]).stdout_has("This term is closed");
    let before = wd.ledger_dump();

    // Activities dated in the term, a roster it uses (of the term itself or an earlier one
    // it would fall back on), key students of its school year, a revert of its activities:
    // all refused, naming the term in its canonical spelling and how to reopen it.
    let late = wd.write_utf8("late.csv", "host,date,kind\n1111090001,2020-12-01,讲座\n");
    wd.run(&["import", "activities", late.to_str().unwrap()])
        .expect_code(1)
        .stderr_has("term 2020-2021-1 is closed")
        .stderr_has("gongyu term reopen 2020-2021-1 --reason");
    let c = wd.write_utf8("c-again.csv", &COMMUNITIES.replace("否", "是"));
    wd.run(&["import", "communities", c.to_str().unwrap(), "--term", "2020-2021学年第一学期"])
        .expect_code(1)
        .stderr_has("term 2020-2021-1 is closed");
    wd.run(&["import", "communities", c.to_str().unwrap(), "--term", "2019-2020-2"]).expect_code(0);
    let after_earlier = wd.ledger_dump();
    assert_ne!(before, after_earlier, "an earlier roster the closed term does not use is fine");
    let log = wd.ok(&["log", "--format", "json"]).json();
    let activities_batch =
        log["batches"].as_array().unwrap().iter().find(|b| b["kind"] == "activities").unwrap()["id"].as_i64().unwrap();
    wd.run(&["revert", &activities_batch.to_string()]).expect_code(1).stderr_has("term 2020-2021-1 is closed");
    // A dry run says so too, and nothing changed.
    wd.run(&["import", "activities", late.to_str().unwrap(), "--dry-run"]).expect_code(1).stderr_has("is closed");
    assert_eq!(wd.ledger_dump(), after_earlier);
    assert_eq!(
        wd.ok(&["coverage", "report", "--term", TERM, "--format", "json"]).json()["targets"],
        serde_json::from_str::<Value>(&report_before).unwrap()["targets"],
        "the closed term's figures did not move"
    );
    // Activities of a later term are fine.
    let next = wd.write_utf8("next.csv", "host,date,kind\n1111090001,2021-03-01,讲座\n");
    wd.ok(&["import", "activities", next.to_str().unwrap()]);

    // Reopening needs a reason, which the list keeps; then the change goes through.
    wd.run(&["term", "reopen", TERM]).expect_code(2);
    wd.run(&["term", "reopen", TERM, "--reason", " "]).expect_code(1).stderr_has("needs a reason");
    wd.ok(&["term", "reopen", TERM, "--reason", "王平镇补报"]);
    wd.ok(&["import", "activities", late.to_str().unwrap()]);
    let list = wd.ok(&["term", "list", "--format", "json"]).json();
    let events = list["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(
        (events[0]["action"].as_str(), events[0]["note"].as_str()),
        (Some("close"), Some("reported to the district board"))
    );
    assert_eq!((events[1]["action"].as_str(), events[1]["note"].as_str()), (Some("reopen"), Some("王平镇补报")));
    assert_eq!(wd.report_json(TERM)["closed"], Value::Null);
    wd.ok(&["term", "list"]).stdout_has("王平镇补报");
}
