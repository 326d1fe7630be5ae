//! Integration tests of the `gongyu` binary (SPEC §2–6) around the ledger itself: `init`,
//! commands on a missing ledger, usage errors, the demo, completions and the man page, the
//! language people read, and `returns`. Real processes on real ledger files in temporary folders.

#[allow(dead_code)] // each cli_* file uses some of the fixtures and helpers
mod cli_support;
#[allow(dead_code)] // the helpers other test files use
mod workdir;

use std::ffi::OsString;

use cli_support::{args, district, fixture, ratio, target, township, COMMUNITIES, GAPS_HEADER, TARGET_IDS, TERM};
use serde_json::Value;
use workdir::Workdir;

#[test]
fn init_creates_the_ledger_and_a_second_init_changes_nothing() {
    let wd = Workdir::new();
    assert!(!wd.db().exists());
    wd.ok(&["init"]).stdout_has("created the ledger");
    assert!(wd.db().exists());
    // An empty ledger reports n/a everywhere, but for informational targets (info) and
    // the district bodies the plan asks for by its end (pending in 2020-2021-1).
    let report = wd.report_json(TERM);
    for id in TARGET_IDS {
        let want = match id {
            "coedu-committees" | "organisation-parent-schools" => "info",
            "district-parent-school" | "district-coedu-committee" => "pending",
            _ => "n/a",
        };
        assert_eq!(district(&report, id)["status"], want, "{id}");
    }

    let c = wd.write_utf8("communities.csv", COMMUNITIES);
    wd.import("communities", &c, TERM);
    let before = wd.ledger_dump();
    let bytes = std::fs::read(wd.db()).unwrap();
    let run = wd.ok(&["init"]);
    assert!(run.stdout.contains("already exists") && run.stdout.contains("nothing changed"), "{}", run.stdout);
    assert_eq!(before, wd.ledger_dump());
    assert_eq!(bytes, std::fs::read(wd.db()).unwrap(), "init rewrote the existing ledger file");
}

#[test]
fn commands_on_a_missing_ledger_fail_and_create_no_file() {
    let wd = Workdir::new();
    let c = wd.write_utf8("communities.csv", COMMUNITIES);
    let listing = || {
        let mut names: Vec<String> =
            std::fs::read_dir(wd.root()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    };
    let before = listing();
    let commands: Vec<Vec<OsString>> = vec![
        args(&[&"coverage", &"report", &"--term", &TERM]),
        args(&[&"coverage", &"report"]),
        args(&[&"coverage", &"gaps", &"--format", &"csv"]),
        args(&[&"import", &"communities", &c, &"--term", &TERM]),
        args(&[&"import", &"communities", &c, &"--term", &TERM, &"--dry-run"]),
    ];
    for argv in commands {
        let run = wd.run(&argv).expect_code(1).stderr_has("gongyu init");
        assert!(run.stdout.is_empty(), "{argv:?}: {}", run.stdout);
        assert!(!wd.db().exists(), "{argv:?} created the ledger");
        assert_eq!(before, listing(), "{argv:?} created a file");
    }
}

#[test]
fn usage_errors_exit_2() {
    let wd = fixture();
    let before = wd.ledger_dump();
    for argv in [
        &["frobnicate"][..],
        &["coverage", "report", "--bogus"],
        &["coverage", "report", "--format", "xml"],
        &["coverage", "report", "--by", "school"],
        &["coverage", "summary"],
        &["import", "teachers", "x.csv"],
        &["import", "schools"],
        &["init", "--force"],
        &[],
    ] {
        let run = wd.run(argv);
        assert_eq!(run.code, 2, "{argv:?}\n{}", run.stderr);
        assert!(!run.stderr.is_empty());
        assert!(run.stdout.is_empty(), "{argv:?}: {}", run.stdout);
    }
    assert_eq!(before, wd.ledger_dump());
    wd.ok(&["--help"]);
    // The hint names the command, not its first required flag.
    let run = wd.run(&["coverage", "gaps", "--term", "2020-2021-1", "--target", "x", "--bogus"]);
    assert!(run.stderr.contains("try 'gongyu coverage gaps --help'"), "{}", run.stderr);
}

#[test]
fn completions_and_man_page() {
    let wd = Workdir::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = wd.ok(&["completions", shell]).stdout;
        assert!(out.contains("coverage") && out.contains("trend") && out.contains("--plan"), "{shell}");
    }
    wd.run(&["completions", "tcsh"]).expect_code(2);
    let man = wd.ok(&["man"]).stdout;
    assert!(man.starts_with(".ie") && man.contains(".TH gongyu 1") && man.contains("coverage"), "{man}");
    assert!(!wd.db().exists(), "neither needs a ledger");
}

#[test]
fn chinese_is_the_default_for_people_and_keys_never_change() {
    let wd = fixture();
    let zh = |args: &[&str]| {
        wd.run_with(args, |c| {
            c.env_remove("GONGYU_LANG");
        })
        .expect_code(0)
    };
    let table = zh(&["coverage", "report", "--term", TERM]).stdout;
    assert!(
        table.contains("家校社共育计划达标情况") && table.contains("未达标") && table.contains("学校家长学校建校率"),
        "{table}"
    );
    assert!(table.contains("全区5项") || table.contains("全区15项"), "{table}");
    let gaps = zh(&["coverage", "gaps", "--term", TERM, "--format", "csv"]).stdout;
    assert!(gaps.starts_with(GAPS_HEADER), "CSV keys do not change: {gaps}");
    assert!(gaps.contains("城子中学,未建立家长学校,区教委,gap,no-parent-school"), "{gaps}");
    let json = zh(&["coverage", "report", "--term", TERM, "--format", "json"]).json();
    assert_eq!(district(&json, "school-parent-school")["title"], "学校家长学校建校率");
    assert_eq!(district(&json, "school-parent-school")["status"], "gap", "ids and statuses stay English");
    // --lang en and GONGYU_LANG=en switch; the flag wins over the variable.
    let en = wd
        .run_with(&["--lang", "en", "coverage", "report", "--term", TERM], |c| {
            c.env("GONGYU_LANG", "zh");
        })
        .expect_code(0)
        .stdout;
    assert!(en.starts_with("Coverage of the co-education plan") && en.contains(" gap "), "{en}");
    let json = wd.ok(&["coverage", "report", "--term", TERM, "--format", "json"]).json();
    assert_eq!(district(&json, "school-parent-school")["title"], "schools with a parent school");
    let trend = zh(&["coverage", "trend", "--from", TERM, "--to", TERM]).stdout;
    assert!(trend.contains("进展") && trend.contains("全区"), "{trend}");
    wd.run_with(&["coverage", "report", "--term", TERM], |c| {
        c.env("GONGYU_LANG", "fr");
    })
    .expect_code(1)
    .stderr_has("GONGYU_LANG=fr");
}

#[test]
fn demo_builds_a_ledger_prints_the_report_and_can_run_again() {
    let wd = Workdir::new();
    let run = wd.ok(&["demo"]);
    for id in TARGET_IDS {
        assert!(run.stdout.contains(id), "demo output lacks {id}");
    }
    assert!(run.stdout.contains("imported 304 communities"), "{}", run.stdout);
    assert!(run.stdout.contains("3 duplicates skipped"), "{}", run.stdout);
    assert!(wd.db().exists());
    // The ledger holds what fixtures/README.md promises.
    let r = wd.report_json("2020-2021-1");
    let expect = [
        ("school-parent-school", 96, 100, "gap"),
        ("community-parent-school-urban", 119, 126, "gap"),
        ("community-parent-school-rural", 155, 178, "met"),
        // The demo's 5 parent-school bodies join the 370 schools' and communities' parent schools.
        ("parent-school-activities", 338, 375, "gap"),
        ("parent-meetings", 92, 97, "gap"),
    ];
    for (id, n, d, status) in expect {
        assert_eq!(ratio(district(&r, id)), (n, d), "{id}");
        assert_eq!(district(&r, id)["status"], status, "{id}");
    }
    assert_eq!(r["townships"].as_array().unwrap().len(), 13);
    assert_eq!(target(&township(&r, "110109002")["targets"], "community-parent-school-urban")["status"], "met");
    assert_eq!(ratio(target(&township(&r, "110109002")["targets"], "community-parent-school-urban")), (19, 20));
    assert_eq!(ratio(target(&township(&r, "110109107")["targets"], "community-parent-school-rural")), (27, 32));

    let dump = wd.dump_tables(&["unit", "township", "school", "community"]);
    let again = wd.ok(&["demo"]);
    assert!(again.stdout.contains("parent-meetings"));
    assert_eq!(dump, wd.dump_tables(&["unit", "township", "school", "community"]));
    assert_eq!(wd.batches().len(), 6, "the second demo starts afresh");
}

#[test]
fn demo_refuses_to_overwrite_a_ledger_that_is_not_a_demo() {
    let wd = fixture();
    let before = wd.ledger_dump();
    let run = wd.run(&["demo"]).expect_code(1);
    assert!(run.stderr.contains("not a demo ledger"), "{}", run.stderr);
    assert_eq!(before, wd.ledger_dump());
    // Nor any other file.
    let other = Workdir::new();
    other.write_utf8("ledger.db", "my notes\n");
    other.run(&["demo"]).expect_code(1);
    assert_eq!(std::fs::read_to_string(other.db()).unwrap(), "my notes\n");
}

#[test]
fn returns_missing_lists_exactly_who_has_not_reported() {
    let wd = fixture();
    let missing = |wd: &Workdir| wd.ok(&["returns", "--term", TERM, "--missing", "--format", "json"]).json();
    let m = missing(&wd);
    assert_eq!(m["schema"], "gongyu.returns.v2");
    let kinds: Vec<&str> = m["rosters"].as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
    // Every roster kind but the two the fixture has, in the order of the kinds' specs.
    let others: Vec<&str> = gongyu::returns::kinds::ALL
        .iter()
        .filter(|k| k.is_roster() && !["schools", "communities"].contains(&k.name))
        .map(|k| k.name)
        .collect();
    assert!(others.contains(&"bodies") && others.contains(&"key-students"), "{others:?}");
    assert_eq!(kinds, others, "the fixture has schools and communities rosters only");
    // Every one of the fixture's 8 parent schools held an activity in the term.
    let units_missing = |m: &Value| -> Vec<String> {
        m["activities"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["missing"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap().to_string()))
            .collect()
    };
    assert!(units_missing(&m).is_empty(), "{m}");
    let all = wd.ok(&["returns", "--term", TERM, "--format", "json"]).json();
    let units: u64 = all["activities"].as_array().unwrap().iter().map(|t| t["units"].as_u64().unwrap()).sum();
    assert_eq!(units, 8);
    // Nobody filed the registry: every township misses all three categories.
    assert_eq!(m["registry"].as_array().unwrap().len(), 3);
    assert!(m["registry"].as_array().unwrap().iter().all(|t| t["missing"].as_array().unwrap().len() == 3));

    // A new community with a parent school and no activities; one township files all three.
    let c = format!("{COMMUNITIES}110109106204,新村村委会,斋堂镇,110109106,农村,是,\n");
    wd.import("communities", &wd.write_utf8("c-new.csv", &c), TERM);
    let registry = "township,category,count,filed\n斋堂镇,留守儿童,12,2020-10-01\n110109106,残疾儿童,3,2020-10-01\n斋堂镇,困境儿童,0,2020-10-02\n大峪街道,留守儿童,4,2020-10-01\n";
    wd.import("registry", &wd.write_utf8("registry.csv", registry), "");
    let visit = "host,date,kind,student\n1111090001,2020-10-20,家访,K-UNKNOWN-1\n";
    wd.import("activities", &wd.write_utf8("visit.csv", visit), "");
    let m = missing(&wd);
    assert_eq!(units_missing(&m), ["110109106204"]);
    let registry: Vec<(String, Vec<String>)> = m["registry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["township"]["code"].as_str().unwrap().to_string(),
                t["missing"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(
        registry,
        [
            ("110109001".to_string(), vec!["残疾儿童".to_string(), "困境儿童".to_string()]),
            ("110109002".to_string(), vec!["留守儿童".to_string(), "残疾儿童".to_string(), "困境儿童".to_string()]),
        ],
        "斋堂镇 filed all three, by name and by code"
    );
    assert_eq!(m["unknown_home_visits"], serde_json::json!([{"school": "1111090001", "reference": "K-UNKNOWN-1", "visits": 1}]));
    // The table and CSV say the same, in Chinese by default.
    let table = wd.run_with(&["returns", "--term", TERM, "--missing"], |c| {
        c.env_remove("GONGYU_LANG");
    });
    let table = table.expect_code(0).stdout;
    assert!(table.contains("110109106204 新村村委会") && table.contains("缺报") && table.contains("K-UNKNOWN-1"), "{table}");
    let csv = wd.ok(&["returns", "--term", TERM, "--missing", "--format", "csv"]).stdout;
    assert!(csv.contains("activities,110109106,斋堂镇,110109106204,新村村委会,missing,communities"), "{csv}");
    assert!(csv.lines().skip(1).all(|l| !l.contains(",reported,") && !l.contains(",filed,")), "{csv}");
}
