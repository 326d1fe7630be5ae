//! Integration tests of the `gongyu` binary (SPEC §2–6) on the coverage report, gaps and
//! trend: threshold arithmetic, rounding, the JSON shape, stdout and stderr, gap filters,
//! `--check`, and the reviewed outputs (snapshots). Real processes on real ledger files in
//! temporary folders.

#[allow(dead_code)] // each cli_* file uses some of the fixtures and helpers
mod cli_support;
#[allow(dead_code)] // the helpers other test files use
mod workdir;

use cli_support::{
    activities_for, district, fixture, ratio, target, township, urban_roster, COMMUNITIES, GAPS_HEADER, TARGET_IDS, TERM,
};
use serde_json::Value;
use workdir::Workdir;

#[test]
fn threshold_arithmetic_is_exact() {
    let wd = Workdir::with_ledger();
    // 19 of 20 urban communities: 95% met, shortfall 0.
    let (csv, with_school) = urban_roster(&[("110109002", "城子街道", 20, 19)]);
    wd.import("communities", &wd.write_utf8("c19.csv", &csv), "2020-2021-1");
    wd.import("activities", &wd.write_utf8("a19.csv", &activities_for(&with_school, "2020-10-10")), "");
    let r = wd.report_json("2020-2021-1");
    let urban = district(&r, "community-parent-school-urban");
    assert_eq!(ratio(urban), (19, 20));
    assert_eq!(urban["required_pct"], 95);
    assert_eq!(urban["pct"].as_f64(), Some(95.0));
    assert_eq!(urban["shortfall"], 0);
    assert_eq!(urban["status"], "met");
    assert_eq!(urban["responsible"], serde_json::json!(["区妇联", "乡镇街道"]));
    // Denominator 0: n/a, pct null.
    for id in ["school-parent-school", "community-parent-school-rural", "parent-meetings"] {
        let row = district(&r, id);
        assert_eq!(ratio(row), (0, 0), "{id}");
        assert_eq!(row["status"], "n/a", "{id}");
        assert_eq!(row["pct"], Value::Null, "{id}");
        assert_eq!(row["shortfall"], 0, "{id}");
    }
    let activities = district(&r, "parent-school-activities");
    assert_eq!(activities["status"], "met");
    // Only communities are counted, so only their bodies are responsible.
    assert_eq!(activities["responsible"], serde_json::json!(["区妇联", "乡镇街道"]));
    // An n/a row has no units, so no body is responsible for one (SPEC §5).
    assert_eq!(district(&r, "parent-meetings")["responsible"], serde_json::json!([]));
    // Every row met or n/a: --check exits 0.
    wd.ok(&["coverage", "report", "--term", "2020-2021-1", "--check"]);
    wd.ok(&["coverage", "report", "--term", "2020-2021-1", "--check", "--format", "json"]);

    // 18 of 20: gap, shortfall 1; --check exits 3.
    let (csv, with_school) = urban_roster(&[("110109002", "城子街道", 20, 18)]);
    wd.import("communities", &wd.write_utf8("c18.csv", &csv), "2020-2021-2");
    wd.import("activities", &wd.write_utf8("a18.csv", &activities_for(&with_school, "2021-03-10")), "");
    let r = wd.report_json("2020-2021-2");
    let urban = district(&r, "community-parent-school-urban");
    assert_eq!(ratio(urban), (18, 20));
    assert_eq!(urban["pct"].as_f64(), Some(90.0));
    assert_eq!(urban["shortfall"], 1);
    assert_eq!(urban["status"], "gap");
    let run = wd.run(&["coverage", "report", "--term", "2020-2021-2", "--check"]).expect_code(3);
    assert!(run.stdout.contains("gap"), "the report is still printed: {}", run.stdout);
    wd.run(&["coverage", "report", "--term", "2020-2021-2", "--check", "--format", "csv"]).expect_code(3);
    // Without --check a gap is not an error.
    wd.ok(&["coverage", "report", "--term", "2020-2021-2"]);

    // 19 of 20 in the district, but one township 9 of 10: --check looks at every level.
    let (csv, with_school) = urban_roster(&[("110109001", "大峪街道", 10, 10), ("110109002", "城子街道", 10, 9)]);
    wd.import("communities", &wd.write_utf8("c-split.csv", &csv), "2021-2022-1");
    wd.import("activities", &wd.write_utf8("a-split.csv", &activities_for(&with_school, "2021-10-10")), "");
    let r = wd.report_json("2021-2022-1");
    assert_eq!(district(&r, "community-parent-school-urban")["status"], "met");
    let chengzi = target(&township(&r, "110109002")["targets"], "community-parent-school-urban");
    assert_eq!(ratio(chengzi), (9, 10));
    assert_eq!(chengzi["shortfall"], 1);
    assert_eq!(chengzi["status"], "gap");
    wd.run(&["coverage", "report", "--term", "2021-2022-1", "--check"]).expect_code(3);
}

#[test]
fn rounding_of_pct_and_shortfall() {
    // 2 of 3 rural at 85%: ⌈2.55⌉ = 3 needed, shortfall 1; pct 66.67 in JSON, 66.7 in CSV.
    let wd = fixture();
    let r = wd.report_json(TERM);
    let rural = district(&r, "community-parent-school-rural");
    assert_eq!(ratio(rural), (2, 3));
    assert_eq!(rural["pct"].as_f64(), Some(66.67));
    assert_eq!(rural["shortfall"], 1);
    let csv = wd.ok(&["coverage", "report", "--term", TERM, "--format", "csv"]).stdout;
    assert!(csv.contains("2020-2021-1,district,,,community-parent-school-rural,85,2,3,66.7,1,gap,区妇联;乡镇街道"), "{csv}");
}

#[test]
fn json_report_shape_follows_the_spec() {
    let wd = fixture();
    let run = wd.ok(&["coverage", "report", "--term", TERM, "--format", "json"]);
    let r = run.json();
    assert_eq!(r["schema"], "gongyu.coverage.v2");
    assert_eq!(r["term"], TERM);
    assert_eq!(r["rosters"], serde_json::json!({"schools": TERM, "communities": TERM, "bodies": null, "key-students": null}));
    let ids: Vec<&str> = r["targets"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, TARGET_IDS);
    let fields =
        ["id", "scope", "township", "required_pct", "numerator", "denominator", "pct", "shortfall", "status", "responsible"];
    for t in r["targets"].as_array().unwrap() {
        assert_eq!(t["scope"], "district");
        assert_eq!(t["township"], Value::Null);
        let keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
        for f in fields {
            assert!(keys.contains(&f), "{f} missing from {t}");
        }
    }
    let required: Vec<u64> =
        r["targets"].as_array().unwrap().iter().take(5).map(|t| t["required_pct"].as_u64().unwrap()).collect();
    assert_eq!(required, [100, 95, 85, 100, 100]);
    let responsible: Vec<Value> = r["targets"].as_array().unwrap().iter().take(5).map(|t| t["responsible"].clone()).collect();
    assert_eq!(
        responsible,
        [
            serde_json::json!(["区教委"]),
            serde_json::json!(["区妇联", "乡镇街道"]),
            serde_json::json!(["区妇联", "乡镇街道"]),
            serde_json::json!(["区教委", "区妇联", "乡镇街道"]),
            serde_json::json!(["区教委"]),
        ]
    );
    let expected = [(4, 5, 1, "gap"), (2, 3, 1, "gap"), (2, 3, 1, "gap"), (4, 8, 4, "gap"), (2, 4, 2, "gap")];
    for (id, (n, d, short, status)) in TARGET_IDS.iter().zip(expected) {
        let row = district(&r, id);
        assert_eq!(ratio(row), (n, d), "{id}");
        assert_eq!(row["shortfall"], short, "{id}");
        assert_eq!(row["status"], status, "{id}");
    }
    // Townships sorted by code, each with every target in order but the district-only ones.
    let townships = r["townships"].as_array().unwrap();
    let codes: Vec<&str> = townships.iter().map(|t| t["code"].as_str().unwrap()).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted);
    for t in townships {
        let ids: Vec<&str> = t["targets"].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap()).collect();
        let by_township: Vec<&str> = TARGET_IDS.into_iter().filter(|id| !id.starts_with("district-")).collect();
        assert_eq!(ids, by_township);
    }
    // The township rows add up to the district rows.
    for id in TARGET_IDS.into_iter().filter(|id| !id.starts_with("district-")) {
        let (mut n, mut d) = (0, 0);
        for t in townships {
            let (a, b) = ratio(target(&t["targets"], id));
            n += a;
            d += b;
        }
        assert_eq!((n, d), ratio(district(&r, id)), "{id}");
    }
    // The fixture has no bodies or key-students roster and its rosters carry none of the
    // newer fact columns: notes say so, and nothing else.
    assert!(
        run.stderr
            .lines()
            .all(|l| l.contains("is no-data") || l.contains("no bodies roster") || l.contains("no key-students roster")),
        "{}",
        run.stderr
    );
}

#[test]
fn json_goes_to_stdout_alone_while_notes_go_to_stderr() {
    let wd = fixture();
    // 2021-2022-1 has no rosters of its own and no activities: notes on stderr.
    let run = wd.ok(&["coverage", "report", "--term", "2021-2022-1", "--format", "json"]);
    assert!(run.stderr.contains("note"), "expected notes: {}", run.stderr);
    let r = run.json();
    assert_eq!(r["schema"], "gongyu.coverage.v2");
    let run = wd.ok(&["coverage", "gaps", "--term", "2021-2022-1", "--format", "json"]);
    assert!(!run.stderr.is_empty());
    run.json();
    // On an empty ledger too.
    let empty = Workdir::with_ledger();
    let run = empty.ok(&["coverage", "report", "--format", "json"]);
    assert!(run.stderr.contains("no schools roster"), "{}", run.stderr);
    let r = run.json();
    assert_eq!(r["townships"], serde_json::json!([]));
    assert_eq!(r["targets"].as_array().unwrap().len(), 15);
    let run = empty.ok(&["coverage", "report", "--format", "csv"]);
    assert_eq!(run.stdout.lines().count(), 16, "{}", run.stdout);
}

#[test]
fn gaps_columns_and_filters() {
    let wd = fixture();
    let all = wd.ok(&["coverage", "gaps", "--term", TERM, "--format", "csv"]).stdout;
    let mut rdr = csv::Reader::from_reader(all.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header.join(","), GAPS_HEADER);
    let rows: Vec<csv::StringRecord> = rdr.records().collect::<Result<_, _>>().unwrap();
    // 9 failing units of the first five targets, 3 schools whose principal does not head
    // the parent school (or that did not say), 3 townships yet to file their registry and
    // the 2 district bodies yet to be set up (both pending).
    assert_eq!(rows.len(), 17);
    assert!(rows.iter().all(|r| r.len() == 10));
    assert_eq!(rows.iter().filter(|r| &r[7] == "pending").count(), 5);

    let count = |extra: &[&str]| {
        let mut argv = vec!["coverage", "gaps", "--term", TERM, "--format", "csv"];
        argv.extend_from_slice(extra);
        let out = wd.ok(&argv).stdout;
        assert!(out.starts_with(GAPS_HEADER), "{out}");
        out.lines().skip(1).map(str::to_string).collect::<Vec<_>>()
    };
    let activities = count(&["--target", "parent-school-activities"]);
    assert_eq!(activities.len(), 4);
    assert!(activities.iter().all(|l| l.starts_with("parent-school-activities,")));
    let by_name = count(&["--township", "斋堂镇"]);
    let by_code = count(&["--township", "110109106"]);
    assert_eq!(by_name, by_code);
    // 4 units of the first five targets, 1 of principal-heads, and the township's registry (pending).
    assert_eq!(by_name.len(), 6);
    assert!(by_name.iter().all(|l| l.split(',').nth(1) == Some("110109106")));
    let both = count(&["--township", "110109106", "--target", "parent-meetings"]);
    assert_eq!(both, ["parent-meetings,110109106,斋堂镇,1111090005,斋堂学校,no parent meeting (家长会) in 2020-2021-1,区教委,gap,no-parent-meeting,mentougou-2019-2021"]);
    assert!(count(&["--township", "大峪街道", "--target", "school-parent-school"]).is_empty());

    wd.run(&["coverage", "gaps", "--term", TERM, "--target", "no-such-target"]).expect_code(1).stderr_has("no-such-target");
    wd.run(&["coverage", "gaps", "--term", TERM, "--township", "朝阳区"]).expect_code(1).stderr_has("朝阳区");

    // The table and JSON forms hold the same rows.
    let table = wd.ok(&["coverage", "gaps", "--term", TERM]).stdout;
    assert!(table.contains("17 failing unit(s)"), "{table}");
    let json = wd.ok(&["coverage", "gaps", "--term", TERM, "--format", "json"]).json();
    assert_eq!(json["gaps"].as_array().unwrap().len(), 17);
}

/// `--check` says on stderr which rows have a gap, even when the table shows none.
#[test]
fn check_names_the_rows_with_a_gap() {
    let wd = fixture();
    wd.run(&["coverage", "report", "--term", TERM, "--check"]).expect_code(3).stderr_has("check: ").stderr_has("110109001 ");
}

#[test]
fn trend_points_equal_the_reports_of_their_terms() {
    let wd = fixture();
    // A second and third term of data: a new communities roster in 2020-2021-2 (one more
    // urban community with a parent school) and activities in both later terms.
    let c2 = COMMUNITIES.replace("否", "是");
    wd.import("communities", &wd.write_utf8("c2.csv", &c2), "2020-2021-2");
    let later = "host,date,kind\n1111090001,2021-03-10,讲座\n1111090001,2021-03-11,亲子活动\n1111090001,2021-09-20,家长会\n";
    wd.import("activities", &wd.write_utf8("later.csv", later), "");
    let trend = wd.ok(&["coverage", "trend", "--from", "2020-2021-1", "--to", "2021-2022-1", "--format", "json"]).json();
    assert_eq!(trend["schema"], "gongyu.trend.v1");
    assert_eq!(trend["plan"]["id"], "mentougou-2019-2021");
    assert_eq!(trend["terms"], serde_json::json!(["2020-2021-1", "2020-2021-2", "2021-2022-1"]));
    let series = trend["series"].as_array().unwrap();
    let mut compared = 0;
    for term in ["2020-2021-1", "2020-2021-2", "2021-2022-1"] {
        let report = wd.report_json(term);
        for s in series {
            let id = s["id"].as_str().unwrap();
            let row = match s["township"].as_str() {
                None => district(&report, id).clone(),
                Some(code) => target(&township(&report, code)["targets"], id).clone(),
            };
            let point = s["points"].as_array().unwrap().iter().find(|p| p["term"] == term).expect("a point per term");
            for field in ["numerator", "denominator", "pct", "status"] {
                assert_eq!(point[field], row[field], "{id} {} {term} {field}", s["township"]);
            }
            compared += 1;
        }
    }
    assert!(compared > 100, "{compared}");
    // The numbers move: the urban rate rises with the new roster.
    let urban = series.iter().find(|s| s["id"] == "community-parent-school-urban" && s["scope"] == "district").unwrap();
    let pcts: Vec<f64> = urban["points"].as_array().unwrap().iter().map(|p| p["pct"].as_f64().unwrap()).collect();
    assert!(pcts[0] < pcts[1], "{pcts:?}");
    // The table names the plan and every term; --target and --township narrow it.
    let table = wd.ok(&["coverage", "trend", "--from", "2020-2021-1", "--to", "2021-2022-1"]).stdout;
    assert!(table.contains("mentougou-2019-2021") && table.contains("2021-2022-1"), "{table}");
    let csv = wd
        .ok(&[
            "coverage",
            "trend",
            "--from",
            "2020-2021-1",
            "--to",
            "2020-2021-2",
            "--target",
            "parent-meetings",
            "--township",
            "斋堂镇",
            "--format",
            "csv",
        ])
        .stdout;
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.lines().skip(1).all(|l| l.contains(",township,110109106,斋堂镇,parent-meetings,")), "{csv}");
    wd.run(&["coverage", "trend", "--target", "nope"]).expect_code(1).stderr_has("no such target");
    wd.run(&["coverage", "trend", "--from", "2021-2022-1", "--to", "2020-2021-1"]).expect_code(1).stderr_has("backwards");
}

// ------------------------------------------------------------------ snapshots

#[test]
fn snapshot_report_table() {
    let wd = fixture();
    insta::assert_snapshot!("report_table", wd.ok(&["coverage", "report", "--term", TERM]).stdout);
}

#[test]
fn snapshot_report_table_by_township() {
    let wd = fixture();
    insta::assert_snapshot!(
        "report_table_by_township",
        wd.ok(&["coverage", "report", "--term", TERM, "--by", "township"]).stdout
    );
}

#[test]
fn snapshot_report_csv() {
    let wd = fixture();
    let run = wd.ok(&["coverage", "report", "--term", TERM, "--format", "csv", "--by", "township"]);
    insta::assert_snapshot!("report_csv_by_township", run.stdout);
    insta::assert_snapshot!("report_csv", wd.ok(&["coverage", "report", "--term", TERM, "--format", "csv"]).stdout);
}

#[test]
fn snapshot_report_json() {
    let wd = fixture();
    insta::assert_snapshot!("report_json", wd.ok(&["coverage", "report", "--term", TERM, "--format", "json"]).stdout);
}

#[test]
fn snapshot_gaps_csv() {
    let wd = fixture();
    insta::assert_snapshot!("gaps_csv", wd.ok(&["coverage", "gaps", "--term", TERM, "--format", "csv"]).stdout);
}
