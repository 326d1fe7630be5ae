//! Timeliness (SPEC §15, issue 24 items 1–3): deadlines in the plan file, `import
//! --received`, and the reporting and on-time rates of `gongyu returns`. Real processes on
//! real ledger files, spoken to through the commands only (no SQL); the figures of the
//! small ledger below are worked out by hand.

#[allow(dead_code)] // the helpers other test files use
mod workdir;

use std::path::{Path, PathBuf};

use serde_json::Value;
use workdir::Workdir;

const TERM: &str = "2020-2021-1";

/// A plan with one target on activities of communities with a parent school; due dates:
/// the communities roster by 2020-10-01 (30 days after the term starts), activities by
/// 2021-02-10 (10 days after it ends).
const PLAN: &str = r#"id = "small"
name = "小计划"
first_term = "2020-2021-1"
last_term = "2021-2022-2"

[deadlines]
communities = 30
activities = 10
reporting_rate = 90
on_time_rate = 75

[[target]]
id = "activities"
title = { zh = "家长学校活动" }
units = "parent-schools"
require = { any_activity = { kinds = ["guidance"], min = 1 } }
required = 100
responsible = ["区妇联"]
"#;

/// Four communities with a parent school: A, B and C in 大峪街道, D in 城子街道.
const COMMUNITIES: &str = "\
code,name,township,township_code,parent_school
110109001001,甲社区,大峪街道,110109001,是
110109001002,乙社区,大峪街道,110109001,是
110109001003,丙社区,大峪街道,110109001,是
110109002001,丁社区,城子街道,110109002,是
";

fn activity(id: &str, host: &str, date: &str) -> String {
    format!("id,host,date,kind\n{id},{host},{date},讲座\n")
}

fn plan(wd: &Workdir) -> PathBuf {
    wd.write_utf8("plan.toml", PLAN)
}

/// `import KIND FILE [--term TERM] --received DAY`, exit 0.
fn import_received(wd: &Workdir, kind: &str, file: &Path, term: Option<&str>, received: &str) {
    let mut args = vec!["import".to_string(), kind.into(), file.display().to_string(), "--received".into(), received.into()];
    if let Some(t) = term {
        args.extend(["--term".to_string(), t.to_string()]);
    }
    wd.ok(&args);
}

/// The small ledger: the roster on time; A's only activities batch 3 days late; B with a
/// batch 10 days late and another on time; C with none; D on its deadline day.
fn small_ledger() -> Workdir {
    let wd = Workdir::with_ledger();
    let c = wd.write_utf8("communities.csv", COMMUNITIES);
    import_received(&wd, "communities", &c, Some(TERM), "2020-09-15");
    let a = wd.write_utf8("a.csv", &activity("A1", "110109001001", "2020-10-01"));
    import_received(&wd, "activities", &a, None, "2021-02-13");
    let b1 = wd.write_utf8("b1.csv", &activity("B1", "110109001002", "2020-11-01"));
    import_received(&wd, "activities", &b1, None, "2021-02-20");
    let b2 = wd.write_utf8("b2.csv", &activity("B2", "110109001002", "2020-12-01"));
    import_received(&wd, "activities", &b2, None, "2021/2/5");
    let d = wd.write_utf8("d.csv", &activity("D1", "110109002001", "2021-01-20"));
    import_received(&wd, "activities", &d, None, "2021年2月10日");
    wd
}

fn returns(wd: &Workdir, extra: &[&str]) -> String {
    let plan = plan(wd);
    let mut args = vec!["--plan", plan.to_str().unwrap(), "returns", "--term", TERM];
    args.extend_from_slice(extra);
    wd.ok(&args).stdout
}

#[test]
fn the_reporting_and_on_time_rates_of_a_small_ledger_are_as_worked_out_by_hand() {
    let wd = small_ledger();
    let doc: Value = serde_json::from_str(&returns(&wd, &["--format", "json", "--by", "unit"])).unwrap();
    assert_eq!(doc["schema"], "gongyu.returns.v2");
    let t = &doc["timeliness"];
    assert_eq!(t["thresholds"], serde_json::json!({"reporting_rate": 90, "on_time_rate": 75}));
    let counts =
        |v: &Value| ["expected", "received", "on_time", "late", "most_days_late", "missing"].map(|k| v[k].as_i64().unwrap());
    // 大峪街道: A late by 3 days, B on time (one of its two batches was), C missing.
    let dayu = &t["townships"][0];
    assert_eq!(dayu["township"]["name"], "大峪街道");
    assert_eq!(counts(dayu), [3, 2, 1, 1, 3, 1]);
    assert_eq!((dayu["reporting_rate"].as_f64(), dayu["on_time_rate"].as_f64()), (Some(66.67), Some(33.33)));
    assert_eq!((&dayu["reporting_rate_met"], &dayu["on_time_rate_met"]), (&Value::Bool(false), &Value::Bool(false)));
    // 城子街道: D came in on its deadline day, which is on time.
    let chengzi = &t["townships"][1];
    assert_eq!(counts(chengzi), [1, 1, 1, 0, 0, 0]);
    assert_eq!(chengzi["on_time_rate"].as_f64(), Some(100.0));
    // The district: the three rosters a parent-schools target reads (the schools and bodies
    // rosters missing) and the 4 units.
    assert_eq!(counts(&t["district"]), [7, 4, 3, 1, 3, 3]);
    assert_eq!((t["district"]["reporting_rate"].as_f64(), t["district"]["on_time_rate"].as_f64()), (Some(57.14), Some(42.86)));
    let rosters: Vec<(&str, &str, &str)> = t["rosters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["kind"].as_str().unwrap(), r["due"].as_str().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rosters,
        [("schools", "2020-10-01", "missing"), ("communities", "2020-10-01", "on-time"), ("bodies", "2020-10-01", "missing")]
    );
    let units: Vec<(String, String, Value, Value)> = t["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["unit"]["code"].as_str().unwrap().to_string(),
                u["status"].as_str().unwrap().to_string(),
                u["received"].clone(),
                u["days_late"].clone(),
            )
        })
        .collect();
    assert_eq!(
        units,
        [
            ("110109001001".into(), "late".into(), "2021-02-13".into(), 3.into()),
            ("110109001002".into(), "on-time".into(), "2021-02-05".into(), Value::Null),
            ("110109001003".into(), "missing".into(), Value::Null, Value::Null),
            ("110109002001".into(), "on-time".into(), "2021-02-10".into(), Value::Null),
        ]
    );
    let by_township: Value = serde_json::from_str(&returns(&wd, &["--format", "json"])).unwrap();
    assert_eq!(by_township["timeliness"]["units"], serde_json::json!([]), "units only with --by unit");
    assert_eq!(by_township["timeliness"]["district"], t["district"]);
    // The v1 fields are all still there.
    for key in ["term", "as_of", "missing_only", "rosters", "activities", "key_students", "registry", "unknown_home_visits"] {
        assert!(doc.get(key).is_some(), "{key} kept from v1");
    }

    // CSV: one row per township and the district, and per unit with --by unit.
    let csv = returns(&wd, &["--format", "csv", "--by", "unit"]);
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with("detail,expected,received,on_time,late,days_late,missing,reporting_rate,on_time_rate,due,received_on"),
        "{header}"
    );
    assert!(csv.contains("\ntimeliness,110109001,大峪街道,,,township,,3,2,1,1,3,1,66.67,33.33,,\n"), "{csv}");
    assert!(csv.contains("\ntimeliness,,,,,district,,7,4,3,1,3,3,57.14,42.86,,\n"), "{csv}");
    assert!(
        csv.contains(
            "\ntimeliness-unit,110109001,大峪街道,110109001001,甲社区,late,communities,1,1,0,1,3,0,,,2021-02-10,2021-02-13\n"
        ),
        "{csv}"
    );
    assert!(csv.contains("\ntimeliness-roster,,,communities,,on-time,,1,1,1,0,0,0,,,2020-10-01,2020-09-15\n"), "{csv}");
    let by_township = returns(&wd, &["--format", "csv"]);
    assert!(!by_township.contains("timeliness-unit"), "units only with --by unit");

    // The table marks the rates below the plan's thresholds.
    let table = returns(&wd, &[]);
    assert!(table.contains("66.7% *") && table.contains("33.3% *") && table.contains("57.1% *"), "{table}");
    assert!(table.contains("1 (max 3 d)"), "{table}");
    let units = returns(&wd, &["--by", "unit"]);
    assert!(units.contains("late by 3 days") && units.contains("110109001003 丙社区"), "{units}");
}

#[test]
fn a_late_activities_return_counts_for_the_targets_exactly_as_an_on_time_one() {
    let report = |received: &str| {
        let wd = Workdir::with_ledger();
        let c = wd.write_utf8("communities.csv", COMMUNITIES);
        import_received(&wd, "communities", &c, Some(TERM), "2020-09-15");
        let a = wd.write_utf8("a.csv", &activity("A1", "110109001001", "2020-10-01"));
        import_received(&wd, "activities", &a, None, received);
        let plan = plan(&wd);
        let mut r = wd.ok(&["--plan", plan.to_str().unwrap(), "coverage", "report", "--term", TERM, "--format", "json"]).json();
        let rates = wd.ok(&["--plan", plan.to_str().unwrap(), "returns", "--term", TERM, "--format", "json"]).json();
        r["plan"]["sha256"] = Value::Null;
        (r, rates["timeliness"]["district"]["on_time"].clone())
    };
    let (on_time, counted_on_time) = report("2021-02-01");
    let (late, counted_late) = report("2022-02-28");
    assert_eq!((counted_on_time, counted_late), (2.into(), 1.into()), "the two returns differ in timeliness");
    assert_eq!(on_time["targets"], late["targets"]);
    assert_eq!(on_time["townships"], late["townships"]);
}

#[test]
fn received_is_kept_on_each_batch_and_shown_by_log() {
    let wd = Workdir::with_ledger();
    let c = wd.write_utf8("communities.csv", COMMUNITIES);
    wd.ok(&["import", "communities", c.to_str().unwrap(), "--term", TERM, "--received", "2021年1月15日"]);
    let a = wd.write_utf8("a.csv", &activity("A1", "110109001001", "2020-10-01"));
    wd.import("activities", &a, "");
    let log = wd.ok(&["log", "--format", "json"]).json();
    let received: Vec<&str> = log["batches"].as_array().unwrap().iter().map(|b| b["received"].as_str().unwrap()).collect();
    assert_eq!(received, ["2022-03-01", "2021-01-15"], "newest first; the default is today");
    let csv = wd.ok(&["log", "--format", "csv"]).stdout;
    assert!(csv.lines().next().unwrap().ends_with(",reverted_at,reverted_by,received"), "{csv}");
    assert!(csv.lines().nth(2).unwrap().ends_with(",2021-01-15"), "{csv}");
    let table = wd.ok(&["log"]).stdout;
    assert!(table.contains("received") && table.contains("2021-01-15"), "{table}");
}

#[test]
fn a_received_day_after_today_or_before_the_period_is_refused_and_nothing_changes() {
    let wd = Workdir::with_ledger();
    let c = wd.write_utf8("communities.csv", COMMUNITIES);
    wd.import("communities", &c, TERM);
    let s = wd.write_utf8("schools.csv", "code,name,type,township,parent_school\n1111090001,大峪第一小学,小学,大峪街道,是\n");
    wd.import("schools", &s, TERM);
    let before = wd.ledger_dump();
    let a = wd.write_utf8("a.csv", &activity("A1", "110109001001", "2020-10-01"));
    let a_arg = a.to_str().unwrap();
    // After today (GONGYU_TODAY is 2022-03-01).
    wd.run(&["import", "activities", a_arg, "--received", "2022-03-02"])
        .expect_code(1)
        .stderr_has("--received 2022-03-02 is after today (2022-03-01)");
    // Before the term of the earliest activity starts.
    for dry in [false, true] {
        let mut args = vec!["import", "activities", a_arg, "--received", "2020-08-31"];
        if dry {
            args.push("--dry-run");
        }
        wd.run(&args)
            .expect_code(1)
            .stderr_has(&format!("{a_arg}: received 2020-08-31 is before its period 2020-2021-1 starts (2020-09-01)"));
    }
    // A roster: before its term; a key-students roster: before its school year.
    let c2 = wd.write_utf8("c2.csv", COMMUNITIES);
    wd.run(&["import", "communities", c2.to_str().unwrap(), "--term", "2020-2021-2", "--received", "2021-01-31"])
        .expect_code(1)
        .stderr_has("before its period 2020-2021-2 starts (2021-02-01)");
    let k = wd.write_utf8("k.csv", "school,ref\n1111090001,K0001\n");
    wd.run(&["import", "key-students", k.to_str().unwrap(), "--school-year", "2021-2022", "--received", "2021-08-31"])
        .expect_code(1)
        .stderr_has("before its period 2021-2022 starts (2021-09-01)");
    // Not a date.
    wd.run(&["import", "activities", a_arg, "--received", "yesterday"])
        .expect_code(1)
        .stderr_has("--received: \"yesterday\" is not a date");
    assert_eq!(before, wd.ledger_dump(), "a refused import leaves the ledger as it was");
    // The first day of the period is accepted.
    wd.ok(&["import", "activities", a_arg, "--received", "2020-09-01"]);
}

#[test]
fn the_received_day_is_refused_in_chinese_too() {
    let wd = Workdir::with_ledger();
    let a = wd.write_utf8("a.csv", &activity("A1", "110109001001", "2020-10-01"));
    let run = wd.run_with(&["import", "activities", a.to_str().unwrap(), "--received", "2022-03-05"], |c| {
        c.env_remove("GONGYU_LANG");
    });
    let run = run.expect_code(1);
    assert!(run.stderr.contains("晚于今天（2022-03-01）"), "{}", run.stderr);
}

#[test]
fn batches_of_an_upgraded_version_7_ledger_were_received_the_day_they_were_imported() {
    let wd = Workdir::new();
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ledgers/v7.db"), wd.db()).unwrap();
    let log = wd.ok(&["log", "--format", "json"]).json();
    let batches = log["batches"].as_array().unwrap();
    assert_eq!(batches.len(), 7);
    for b in batches {
        // TZ is UTC for the tests: the local day is the stored day.
        assert_eq!(b["received"].as_str().unwrap(), &b["imported_at"].as_str().unwrap()[..10], "{b}");
    }
}

#[test]
fn deadlines_are_read_shown_written_back_and_checked() {
    let wd = Workdir::new();
    let plan = plan(&wd);
    let plan_arg = plan.to_str().unwrap();
    let shown = wd.ok(&["--plan", plan_arg, "plan", "show"]).stdout;
    assert!(
        shown.contains("\n[deadlines]\ncommunities = 30\nactivities = 10\nreporting_rate = 90\non_time_rate = 75\n"),
        "{shown}"
    );
    // Written back, it reads as the same plan; check says what is in force.
    let again = wd.write_utf8("again.toml", &shown);
    // The kinds the file leaves to their defaults: every kind but the two it sets.
    let unset: Vec<String> = gongyu::returns::kinds::ALL
        .iter()
        .filter(|k| !["communities", "activities"].contains(&k.name))
        .map(|k| format!("`{}`", k.name))
        .collect();
    assert!(unset.starts_with(&["`schools`", "`bodies`", "`key-students`", "`registry`"].map(String::from)), "{unset:?}");
    wd.ok(&["plan", "check", again.to_str().unwrap()]).stdout_has(&format!(
        "deadlines: schools, communities, bodies rosters 30, 30, 30 days after the term starts; key students 30 days after \
         the school year starts; activities 10 and registry filings 30 days after the term ends; reporting rate 90%, \
         on-time rate 75% (the file sets no {}: defaults)",
        unset.join(", ")
    ));
    assert_eq!(wd.ok(&["--plan", again.to_str().unwrap(), "plan", "show"]).stdout, shown);
    let json = wd.ok(&["--plan", plan_arg, "plan", "show", "--format", "json"]).json();
    assert_eq!(json["deadlines"]["activities"], serde_json::json!({"days": 10, "after": "term-end"}));
    // Left out: the default, said as such.
    assert_eq!(json["deadlines"]["key-students"], serde_json::json!({"days": 30, "after": "school-year-start"}));
    assert_eq!(json["deadlines"]["schools"], serde_json::json!({"days": 30, "after": "term-start"}));
    // The shipped plans all set them.
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("plans")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\n[deadlines]\n"), "{}", path.display());
        for key in
            ["schools", "communities", "bodies", "key-students", "activities", "registry", "reporting_rate", "on_time_rate"]
        {
            assert!(text.contains(&format!("\n{key} = ")), "{}: {key}", path.display());
        }
        wd.ok(&["plan", "check", path.to_str().unwrap()]);
    }
    // Mistakes are FILE:LINE.
    let bad = wd.write_utf8(
        "bad.toml",
        &PLAN.replace("communities = 30", "communities = -3\nvillages = 2").replace("on_time_rate = 75", "on_time_rate = 175"),
    );
    let bad_arg = bad.to_str().unwrap();
    let run = wd.run(&["plan", "check", bad_arg]).expect_code(1);
    assert!(
        run.stderr.contains(&format!("{bad_arg}:7: deadlines: communities = -3 must be a whole number of days")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(&format!("{bad_arg}:8: deadlines: unknown key `villages`")), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{bad_arg}:11: deadlines: on_time_rate = 175 must be a percentage")), "{}", run.stderr);
    let not_table = wd.write_utf8("nt.toml", &PLAN.replace("[deadlines]\n", "deadlines = 3\n[x]\n"));
    wd.run(&["plan", "check", not_table.to_str().unwrap()]).expect_code(1).stderr_has(":6:");
}

#[test]
fn the_workbook_and_the_page_show_the_timeliness_with_numbers_a_spreadsheet_can_sum() {
    use calamine::{Data, Reader};
    let wd = small_ledger();
    let plan = plan(&wd);
    let plan_arg = plan.to_str().unwrap();
    let xlsx = wd.path("t.xlsx");
    wd.ok(&["--plan", plan_arg, "returns", "--term", TERM, "--format", "xlsx", "-o", xlsx.to_str().unwrap()]);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["Timeliness", "Units", "Rosters", "Notes"]);
    let sheet = book.worksheet_range("Timeliness").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    let dayu = rows.iter().find(|r| r.get(1) == Some(&Data::String("大峪街道".into()))).expect("a row for 大峪街道");
    let number = |c: &Data| match c {
        Data::Float(f) => *f,
        Data::Int(n) => *n as f64,
        other => other.to_string().parse().unwrap_or_else(|_| panic!("not a number: {other:?}")),
    };
    let numbers: Vec<f64> = dayu[2..8].iter().map(number).collect();
    assert_eq!(numbers, [3.0, 2.0, 1.0, 1.0, 3.0, 1.0]);
    // The rates are the exact fractions (cached values of =2/3 and =1/3).
    let rate = number;
    assert!((rate(&dayu[8]) - 2.0 / 3.0).abs() < 1e-9 && (rate(&dayu[9]) - 1.0 / 3.0).abs() < 1e-9, "{dayu:?}");
    let units = book.worksheet_range("Units").unwrap();
    assert_eq!(units.rows().count(), 3 + 4, "two title lines, a header and the four units");

    let html = wd.ok(&["--plan", plan_arg, "returns", "--term", TERM, "--format", "html"]).stdout;
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("default-src 'none'"), "self-contained");
    assert!(!html.contains("http://") && !html.contains("https://"), "fetches nothing");
    assert!(html.contains("66.7%") && html.contains("late by 3 days") && html.contains("<svg"), "{html}");
    // The workbook needs -o; an existing file is kept unless --force.
    wd.run(&["--plan", plan_arg, "returns", "--term", TERM, "--format", "xlsx"]).expect_code(1).stderr_has("-o FILE");
    wd.run(&["--plan", plan_arg, "returns", "--term", TERM, "--format", "xlsx", "-o", xlsx.to_str().unwrap()]).expect_code(1);
}

#[test]
fn a_townships_registry_is_received_when_its_last_required_category_comes_in() {
    let wd = small_ledger();
    // The plan also requires two registry categories of each township, due 30 days after
    // the term ends (2021-03-02).
    let plan = wd.write_utf8(
        "registry-plan.toml",
        &format!(
            "{}\n[[target]]\nid = \"registry\"\ntitle = {{ zh = \"备案\" }}\nunits = \"townships\"\n\
             require = {{ registry = [\"留守儿童\", \"残疾儿童\"] }}\nrequired = 100\nperiod = \"school-year\"\nresponsible = [\"区民政局\"]\n",
            PLAN.replace("activities = 10", "activities = 10\nregistry = 30")
        ),
    );
    let r1 = wd
        .write_utf8("r1.csv", "township,category,count,filed\n110109001,留守儿童,3,2020-10-15\n城子街道,留守儿童,2,2020-11-01\n");
    import_received(&wd, "registry", &r1, None, "2021-02-01");
    let r2 = wd.write_utf8("r2.csv", "township,category,count,filed\n大峪街道,残疾儿童,1,2021-01-10\n");
    import_received(&wd, "registry", &r2, None, "2021-03-05");
    let doc = wd.ok(&["--plan", plan.to_str().unwrap(), "returns", "--term", TERM, "--format", "json"]).json();
    let registry: Vec<(&str, &str, Value)> = doc["timeliness"]["registry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["township"]["name"].as_str().unwrap(), e["status"].as_str().unwrap(), e["days_late"].clone()))
        .collect();
    // 大峪街道: its second category came 3 days late; 城子街道 has one of the two.
    assert_eq!(registry, [("大峪街道", "late", 3.into()), ("城子街道", "missing", Value::Null)]);
    let dayu = &doc["timeliness"]["townships"][0];
    assert_eq!((dayu["expected"].as_i64(), dayu["late"].as_i64()), (Some(4), Some(2)), "three units and the registry");
    let csv = wd.ok(&["--plan", plan.to_str().unwrap(), "returns", "--term", TERM, "--format", "csv"]).stdout;
    assert!(csv.contains("\ntimeliness-registry,110109001,大峪街道,,,late,,1,1,0,1,3,0,,,2021-03-02,2021-03-05\n"), "{csv}");
}
