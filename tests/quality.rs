//! `gongyu quality` (issue 24 items 4–5, SPEC §15): each check finds what it is for in a
//! small made-up ledger built through `gongyu import`, and stays quiet on rows that only
//! look alike; reviews stick, `--check` exits 3 on an unreviewed high finding, counting
//! never changes, and closing a term lists what is left.

#[allow(dead_code)] // the helpers other test files use
mod workdir;

#[allow(dead_code)] // shared by the zh_* tests
mod chinese;

use serde_json::Value;
use workdir::Workdir;

const TERM: &str = "2020-2021-1";

/// Township 110109001 大峪街道 with communities C01…C12 (110109001001…), and township
/// 110109002 城子街道 with D01…D04 (110109002001…); every one with a parent school since
/// 2019-01-01, but C12's founded on 2020-11-01.
fn roster() -> String {
    let mut csv = String::from("code,name,township,township_code,area,parent_school,parent_school_since\n");
    for i in 1..=12 {
        let since = if i == 12 { "2020-11-01" } else { "2019-01-01" };
        csv.push_str(&format!("1101090010{i:02},第{i}社区居委会,大峪街道,110109001,urban,是,{since}\n"));
    }
    for i in 1..=4 {
        csv.push_str(&format!("1101090020{i:02},城子第{i}社区居委会,城子街道,110109002,urban,是,2019-01-01\n"));
    }
    csv
}

fn c(i: u32) -> String {
    format!("1101090010{i:02}")
}

/// A ledger with the roster (for `term`) and each activity file imported in turn.
fn ledger(term: &str, files: &[&str]) -> Workdir {
    let wd = Workdir::with_ledger();
    let r = wd.write_utf8("communities.csv", &roster());
    wd.import("communities", &r, term);
    for (i, text) in files.iter().enumerate() {
        let f = wd.write_utf8(&format!("activities-{i}.csv"), text);
        wd.import("activities", &f, "");
    }
    wd
}

/// Activities: a header, then `host,date,kind,title,participants` rows.
fn acts(rows: &[(String, &str, &str, String, u32)]) -> String {
    let mut s = String::from("host,date,kind,title,participants\n");
    for (h, d, k, t, p) in rows {
        s.push_str(&format!("{h},{d},{k},{t},{p}\n"));
    }
    s
}

/// Background rows that trip no check: each of C01…C10 holds four activities on distinct
/// days with distinct titles and ordinary head counts.
fn background() -> Vec<(String, &'static str, &'static str, String, u32)> {
    let days = ["2020-09-14", "2020-10-13", "2020-11-12", "2020-12-11"];
    let mut rows = Vec::new();
    for i in 1..=10u32 {
        for (j, d) in days.iter().enumerate() {
            let kind = if j % 2 == 0 { "guidance" } else { "practice" };
            rows.push((c(i), *d, kind, format!("第{i}社区活动{j}"), 31 + (i * 7 + j as u32 * 3) % 17));
        }
    }
    rows
}

fn quality_json(wd: &Workdir, term: &str) -> Value {
    wd.ok(&["quality", "--term", term, "--format", "json"]).json()
}

fn findings<'a>(q: &'a Value, code: &str) -> Vec<&'a Value> {
    q["findings"].as_array().unwrap().iter().filter(|f| f["code"] == code).collect()
}

fn codes(q: &Value) -> Vec<String> {
    q["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

#[test]
fn clean_rows_give_no_finding_and_check_passes() {
    let wd = ledger(TERM, &[&acts(&background())]);
    let q = quality_json(&wd, TERM);
    assert_eq!(q["schema"], "gongyu.quality.v1");
    assert_eq!(q["term"], TERM);
    assert_eq!(q["counts"]["total"], 0, "{q:#}");
    assert_eq!(q["thresholds"]["outlier_z"], 3.5);
    assert_eq!(q["thresholds"]["consistency_pct"], 33.0);
    wd.ok(&["quality", "--term", TERM, "--check"]).stdout_has("no data quality findings in term 2020-2021-1");
}

#[test]
fn the_same_activity_from_two_hosts_is_found_but_a_campaign_and_other_head_counts_are_not() {
    let mut rows = background();
    // C11 returns C01's lecture: same day, kind, title (spelt with other spaces) and head count.
    rows.push((c(1), "2020-10-20", "guidance", "家长课堂 第三讲".into(), 40));
    rows.push((c(11), "2020-10-20", "指导", "家长课堂第三讲".into(), 40));
    // The same title on the same day with another head count: another activity.
    rows.push((c(2), "2020-10-20", "guidance", "家长课堂第三讲".into(), 52));
    // Six hosts: a district campaign, not a duplicate.
    for i in 3..=8 {
        rows.push((c(i), "2020-11-20", "practice", "全区亲子运动会".into(), 60));
    }
    let wd = ledger(TERM, &[&acts(&rows)]);
    let q = quality_json(&wd, TERM);
    let found = findings(&q, "duplicate-across-hosts");
    assert_eq!(codes(&q), ["duplicate-across-hosts"], "{q:#}");
    let f = found[0];
    assert_eq!(f["severity"], "high");
    assert_eq!(f["unit_code"], c(11));
    assert_eq!(f["unit_name"], "第11社区居委会");
    assert_eq!((f["township_code"].as_str(), f["township"].as_str()), (Some("110109001"), Some("大峪街道")));
    assert!(f["evidence"]["file"].as_str().unwrap().ends_with("activities-0.csv"), "{f:#}");
    assert_eq!(f["evidence"]["line"], 43, "the header is line 1, the 40 background rows 2–41");
    assert_eq!(f["other"]["unit_code"], c(1));
    assert_eq!(f["other"]["line"], 42);
    assert!(f["reason"].as_str().unwrap().contains("also returned by 110109001001"), "{f:#}");
    let id = f["id"].as_str().unwrap();
    assert!(id.len() == 11 && id.starts_with('Q'), "{id}");
    // The id is the same on another run, and in another ledger holding the same rows.
    assert_eq!(quality_json(&wd, TERM)["findings"][0]["id"], id);
    assert_eq!(quality_json(&ledger(TERM, &[&acts(&rows)]), TERM)["findings"][0]["id"], id);
}

#[test]
fn the_same_activity_in_two_batches_is_found_not_twice_in_one() {
    let first = "id,host,date,kind,title,participants\nA1,110109001001,2020-10-12,practice,亲子阅读,30\n";
    // Another id in another batch, one more parent counted.
    let second = "id,host,date,kind,title,participants\nB1,110109001001,2020-10-12,practice,亲子阅读,31\n";
    let wd = ledger(TERM, &[&acts(&background()), first, second]);
    let q = quality_json(&wd, TERM);
    assert_eq!(codes(&q), ["duplicate-across-batches"], "{q:#}");
    let f = findings(&q, "duplicate-across-batches")[0];
    assert_eq!((f["unit_code"].as_str(), f["evidence"]["line"].as_i64()), (Some(c(1).as_str()), Some(2)));
    assert!(f["evidence"]["file"].as_str().unwrap().ends_with("activities-2.csv"), "{f:#}");
    assert!(f["other"]["file"].as_str().unwrap().ends_with("activities-1.csv"), "{f:#}");
    // Both rows in one batch: not this check's (the clerk's return holds both).
    let both = "id,host,date,kind,title,participants\nA1,110109001001,2020-10-12,practice,亲子阅读,30\nB1,110109001001,2020-10-12,practice,亲子阅读,31\n";
    let quiet = ledger(TERM, &[&acts(&background()), both]);
    assert_eq!(quality_json(&quiet, TERM)["counts"]["total"], 0);
}

#[test]
fn a_head_count_far_from_its_group_is_an_outlier() {
    let mut rows = background();
    rows.push((c(5), "2020-12-20", "guidance", "家庭教育讲座".into(), 900));
    let wd = ledger(TERM, &[&acts(&rows)]);
    let q = quality_json(&wd, TERM);
    assert_eq!(codes(&q), ["participants-outlier"], "{q:#}");
    let f = findings(&q, "participants-outlier")[0];
    assert_eq!((f["severity"].as_str(), f["unit_code"].as_str()), (Some("medium"), Some(c(5).as_str())));
    assert_eq!(f["details"]["participants"], 900);
    assert!(f["details"]["score"].as_f64().unwrap() > 3.5);
    // 45 is within the spread of guidance head counts (31–47).
    rows.pop();
    rows.push((c(5), "2020-12-20", "guidance", "家庭教育讲座".into(), 45));
    assert_eq!(quality_json(&ledger(TERM, &[&acts(&rows)]), TERM)["counts"]["total"], 0);
}

#[test]
fn head_counts_ending_in_0_or_5_far_too_often_are_heaping() {
    let mut rows = background();
    let days = (1..=24).map(|d| format!("2020-10-{d:02}")).collect::<Vec<_>>();
    for (i, d) in days.iter().enumerate() {
        let p = 30 + 5 * (i as u32 % 4); // 30, 35, 40, 45: all heaped
        rows.push((c(11), Box::leak(d.clone().into_boxed_str()), "practice", format!("实践{i}"), p));
    }
    let wd = ledger(TERM, &[&acts(&rows)]);
    let q = quality_json(&wd, TERM);
    assert_eq!(codes(&q), ["digit-heaping"], "{q:#}");
    let f = findings(&q, "digit-heaping")[0];
    assert_eq!((f["severity"].as_str(), f["unit_code"].as_str()), (Some("low"), Some(c(11).as_str())));
    assert_eq!((f["details"]["heaped"].as_u64(), f["details"]["counted"].as_u64()), (Some(24), Some(24)));
    // Counts of every last digit: quiet.
    let mut rows = background();
    for (i, d) in days.iter().enumerate() {
        rows.push((c(11), Box::leak(d.clone().into_boxed_str()), "practice", format!("实践{i}"), 31 + i as u32));
    }
    assert_eq!(quality_json(&ledger(TERM, &[&acts(&rows)]), TERM)["counts"]["total"], 0);
}

#[test]
fn five_activities_of_one_host_on_one_day_are_a_burst_four_are_not() {
    let burst = |n: usize| {
        let mut rows = background();
        for i in 0..n {
            rows.push((c(3), "2020-11-03", if i % 2 == 0 { "guidance" } else { "practice" }, format!("同日活动{i}"), 33));
        }
        ledger(TERM, &[&acts(&rows)])
    };
    let q = quality_json(&burst(5), TERM);
    assert_eq!(codes(&q), ["burst"], "{q:#}");
    let f = findings(&q, "burst")[0];
    assert_eq!((f["details"]["count"].as_u64(), f["details"]["day"].as_i64()), (Some(5), Some(20201103)));
    assert_eq!(quality_json(&burst(4), TERM)["counts"]["total"], 0);
}

#[test]
fn most_of_a_hosts_term_in_its_last_week_is_deadline_bunching() {
    let mut rows = background();
    // C11: 4 activities in the term before its last week, 6 in it (2021-01-25…31).
    for (i, d) in [
        "2020-09-20",
        "2020-10-20",
        "2020-11-20",
        "2020-12-20",
        "2021-01-25",
        "2021-01-26",
        "2021-01-27",
        "2021-01-28",
        "2021-01-29",
        "2021-01-30",
    ]
    .iter()
    .enumerate()
    {
        rows.push((c(11), d, "practice", format!("实践{i}"), 33 + i as u32));
    }
    let wd = ledger(TERM, &[&acts(&rows)]);
    let q = quality_json(&wd, TERM);
    assert_eq!(codes(&q), ["deadline-bunching"], "{q:#}");
    let f = findings(&q, "deadline-bunching")[0];
    assert_eq!((f["details"]["last_week"].as_u64(), f["details"]["total"].as_u64()), (Some(6), Some(10)));
    assert_eq!(f["details"]["from"], 20210125);
}

#[test]
fn guidance_before_the_parent_school_was_founded_is_found_a_home_visit_is_not() {
    let mut rows = background();
    rows.push((c(12), "2020-10-01", "guidance", "家长学校开学第一课".into(), 35));
    rows.push((c(12), "2020-10-02", "home-visit", "入户家访".into(), 3));
    rows.push((c(12), "2020-11-02", "guidance", "家长学校第二课".into(), 36));
    let wd = ledger(TERM, &[&acts(&rows)]);
    let q = quality_json(&wd, TERM);
    assert_eq!(codes(&q), ["before-parent-school"], "{q:#}");
    let f = findings(&q, "before-parent-school")[0];
    assert_eq!((f["severity"].as_str(), f["unit_code"].as_str()), (Some("high"), Some(c(12).as_str())));
    assert_eq!((f["details"]["count"].as_u64(), f["details"]["since"].as_i64()), (Some(1), Some(20201101)));
    assert_eq!(f["evidence"]["line"], 42);
}

/// Five activities of C11 in 2019-2020-2 (from 2020-02-01), and the same five a term
/// later, each `shift` days further into its term than its twin.
fn two_terms(shift: &[i64]) -> Workdir {
    let prev_first = chrono::NaiveDate::from_ymd_opt(2020, 2, 1).unwrap();
    let first = chrono::NaiveDate::from_ymd_opt(2020, 9, 1).unwrap();
    let (mut before, mut now) = (Vec::new(), background());
    for (i, s) in shift.iter().enumerate() {
        let at = 20 + 10 * i as i64;
        let d1 = (prev_first + chrono::Duration::days(at)).to_string();
        let d2 = (first + chrono::Duration::days(at + s)).to_string();
        before.push((c(11), Box::leak(d1.into_boxed_str()) as &str, "guidance", format!("家长课堂第{i}讲"), 40 + i as u32));
        now.push((c(11), Box::leak(d2.into_boxed_str()) as &str, "guidance", format!("家长课堂第{i}讲"), 40 + i as u32));
    }
    ledger(TERM, &[&acts(&before), &acts(&now)])
}

#[test]
fn a_term_that_repeats_the_previous_one_shifted_is_copied() {
    let q = quality_json(&two_terms(&[7, 7, 7, 7, 7]), TERM);
    assert_eq!(codes(&q), ["copied-term"], "{q:#}");
    let f = findings(&q, "copied-term")[0];
    assert_eq!((f["severity"].as_str(), f["unit_code"].as_str()), (Some("high"), Some(c(11).as_str())));
    assert_eq!(f["details"]["shift"], 7);
    assert_eq!((f["details"]["matched"].as_u64(), f["details"]["total"].as_u64()), (Some(5), Some(5)));
}

#[test]
fn twins_at_scattered_shifts_are_not_a_copy() {
    let q = quality_json(&two_terms(&[0, 9, 23, 40, 3]), TERM);
    assert!(findings(&q, "copied-term").is_empty(), "{q:#}");
}

#[test]
fn a_township_far_from_its_earlier_terms_is_inconsistent() {
    // 大峪街道: 8 activities in each of two earlier terms, then 40 (the background);
    // 城子街道: 4, 4, then 4.
    let mut earlier = Vec::new();
    for (term_day, tag) in [("2019-10-15", "a"), ("2020-04-15", "b")] {
        for i in 1..=8 {
            earlier.push((c(i), term_day, "guidance", format!("往期{tag}{i}"), 20 + i));
        }
        for i in 1..=4 {
            earlier.push((format!("1101090020{i:02}"), term_day, "practice", format!("城子往期{tag}{i}"), 20 + i));
        }
    }
    let mut now = background();
    for i in 1..=4 {
        now.push((format!("1101090020{i:02}"), "2020-10-15", "practice", format!("城子本期{i}"), 30 + i));
    }
    let wd = ledger(TERM, &[&acts(&earlier), &acts(&now)]);
    let q = quality_json(&wd, TERM);
    assert_eq!(codes(&q), ["consistency-over-time"], "{q:#}");
    let f = findings(&q, "consistency-over-time")[0];
    assert_eq!((f["township_code"].as_str(), f["unit_code"].as_str()), (Some("110109001"), None));
    assert_eq!(f["details"]["count"], 40);
    assert_eq!(f["details"]["mean"], 8.0);
    assert_eq!(f["details"]["terms"], 2);
}

#[test]
fn reviews_stick_undo_and_never_change_a_count() {
    let mut rows = background();
    rows.push((c(12), "2020-10-01", "guidance", "家长学校开学第一课".into(), 35));
    let wd = ledger(TERM, &[&acts(&rows)]);
    let id = quality_json(&wd, TERM)["findings"][0]["id"].as_str().unwrap().to_string();
    wd.run(&["quality", "--term", TERM, "--check"]).expect_code(3).stderr_has(&id);
    let report = wd.ok(&["coverage", "report", "--term", TERM, "--format", "json"]).stdout;

    // An unknown id is an error that writes nothing.
    let before = wd.ledger_dump();
    wd.run(&["quality", "review", "Q0000000000", "--term", TERM, "--note", "x"])
        .expect_code(1)
        .stderr_has("term 2020-2021-1 has no finding Q0000000000");
    assert_eq!(wd.ledger_dump(), before);
    // A review needs a note.
    wd.run(&["quality", "review", &id, "--term", TERM]).expect_code(2);

    wd.ok(&["quality", "review", &id, "--term", TERM, "--note", "开学第一课由街道家长学校筹备组举办，已核实"])
        .stdout_has(&format!("reviewed finding {id}"));
    let f = quality_json(&wd, TERM)["findings"][0].clone();
    assert_eq!(f["reviewed"], true, "{f:#}");
    assert_eq!(f["review"]["by"], "gongyu-test");
    assert_eq!(f["review"]["note"], "开学第一课由街道家长学校筹备组举办，已核实");
    assert!(f["review"]["at"].as_str().unwrap().starts_with("20"), "{f:#}");
    let csv = wd.ok(&["quality", "--term", TERM, "--format", "csv"]).stdout;
    assert!(csv.starts_with("id,code,severity,township_code,township,unit_code,unit_name,file,line,batch,reason,reviewed,reviewed_by,reviewed_at,note\n"), "{csv}");
    assert!(csv.contains(",yes,gongyu-test,"), "{csv}");
    wd.ok(&["quality", "--term", TERM, "--check"]);
    // Counting is unchanged by findings and reviews alike.
    assert_eq!(wd.ok(&["coverage", "report", "--term", TERM, "--format", "json"]).stdout, report);

    wd.ok(&["quality", "review", &id, "--term", TERM, "--undo"]);
    assert_eq!(quality_json(&wd, TERM)["findings"][0]["reviewed"], false);
    wd.run(&["quality", "--term", TERM, "--check"]).expect_code(3);
    // A refused undo writes nothing.
    let before = wd.ledger_dump();
    wd.run(&["quality", "review", &id, "--term", TERM, "--undo"]).expect_code(1).stderr_has("is not reviewed");
    assert_eq!(wd.ledger_dump(), before);
}

#[test]
fn closing_a_term_lists_its_unreviewed_high_findings_and_still_closes() {
    let mut rows = background();
    rows.push((c(12), "2020-10-01", "guidance", "家长学校开学第一课".into(), 35));
    let wd = ledger(TERM, &[&acts(&rows)]);
    let id = quality_json(&wd, TERM)["findings"][0]["id"].as_str().unwrap().to_string();
    let out = wd.ok(&["term", "close", TERM]).stdout;
    assert!(out.contains("closed term 2020-2021-1"), "{out}");
    assert!(out.contains("1 high-severity data quality findings not reviewed (the term is closed all the same"), "{out}");
    assert!(out.contains(&format!("{id} before-parent-school 110109001012")), "{out}");
    // A review changes no figure, so it is allowed in a closed term.
    wd.ok(&["quality", "review", &id, "--term", TERM, "--note", "已核实"]);
    wd.ok(&["term", "reopen", TERM, "--reason", "补录"]);
    let out = wd.ok(&["term", "close", TERM]).stdout;
    assert!(!out.contains("not reviewed"), "{out}");
}

#[test]
fn the_plans_quality_table_sets_thresholds_and_its_mistakes_are_named() {
    let plan = Workdir::new().ok(&["plan", "show"]).stdout;
    let mut rows = background();
    for i in 0..3 {
        rows.push((c(3), "2020-11-03", "guidance", format!("同日活动{i}"), 33));
    }
    let wd = ledger(TERM, &[&acts(&rows)]);
    let good = wd.write_utf8("plan.toml", &format!("{plan}\n[quality]\nburst_min = 3\nconsistency_pct = 25\n"));
    let q = wd.ok(&["--plan", good.to_str().unwrap(), "quality", "--term", TERM, "--format", "json"]).json();
    assert_eq!(codes(&q), ["burst"], "{q:#}");
    assert_eq!(q["thresholds"]["burst_min"], 3);
    assert_eq!(q["thresholds"]["consistency_pct"], 25.0);
    // `plan show` writes the table back, and shows the thresholds in force.
    let shown = wd.ok(&["--plan", good.to_str().unwrap(), "plan", "show"]).stdout;
    assert!(shown.ends_with("\n[quality]\nburst_min = 3\nconsistency_pct = 25\n"), "{shown}");
    let again = wd.write_utf8("again.toml", &shown);
    wd.ok(&["plan", "check", again.to_str().unwrap()]);
    let json = wd.ok(&["--plan", again.to_str().unwrap(), "plan", "show", "--format", "json"]).json();
    assert_eq!((json["quality"]["burst_min"].clone(), json["quality"]["outlier_z"].clone()), (3.into(), 3.5.into()));
    let lines = plan.lines().count();
    let bad = wd.write_utf8("bad.toml", &format!("{plan}\n[quality]\nburst_min = 1\nz = 2\n"));
    let run = wd.run(&["plan", "check", bad.to_str().unwrap()]).expect_code(1);
    assert!(run.stderr.contains(&format!("bad.toml:{}:", lines + 3)) && run.stderr.contains("burst_min"), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("bad.toml:{}:", lines + 4)) && run.stderr.contains("unknown key `z`"), "{}", run.stderr);
    wd.run(&["--plan", bad.to_str().unwrap(), "quality", "--term", TERM]).expect_code(1);
}

#[test]
fn the_page_and_the_workbook_hold_the_findings() {
    let mut rows = background();
    rows.push((c(12), "2020-10-01", "guidance", "家长学校开学第一课".into(), 35));
    let wd = ledger(TERM, &[&acts(&rows)]);
    let page = wd.ok(&["quality", "--term", TERM, "--format", "html"]).stdout;
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<section class=\"quality\">"), "{page}");
    assert!(page.contains("before-parent-school") && page.contains("110109001012"), "{page}");
    let book = wd.path("q.xlsx");
    wd.run(&["quality", "--term", TERM, "--format", "xlsx"]).expect_code(1);
    wd.ok(&["quality", "--term", TERM, "--format", "xlsx", "-o", book.to_str().unwrap()]);
    assert!(std::fs::read(&book).unwrap().starts_with(b"PK"));
    let table = wd.ok(&["quality", "--term", TERM]).stdout;
    assert!(table.lines().all(|l| l.chars().count() <= 100), "{table}");
}

/// The report's own page and workbook carry the findings too: a section and a sheet.
#[test]
fn the_reports_page_and_workbook_carry_the_findings() {
    let mut rows = background();
    rows.push((c(12), "2020-10-01", "guidance", "家长学校开学第一课".into(), 35));
    let wd = ledger(TERM, &[&acts(&rows)]);
    let page = wd.ok(&["coverage", "report", "--term", TERM, "--format", "html"]).stdout;
    let section = page.split("<section class=\"quality\">").nth(1).unwrap_or_else(|| panic!("no quality section:\n{page}"));
    assert!(section.contains("before-parent-school") || section.contains("110109001012"), "{section}");
    let book = wd.path("report.xlsx");
    wd.ok(&["coverage", "report", "--term", TERM, "--format", "xlsx", "-o", book.to_str().unwrap()]);
    use calamine::Reader;
    let mut xlsx: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    assert_eq!(xlsx.sheet_names().last().map(String::as_str), Some("Data quality"), "{:?}", xlsx.sheet_names());
    let sheet = xlsx.worksheet_range("Data quality").unwrap();
    assert!(sheet.rows().any(|r| r.iter().any(|c| c.to_string().contains("110109001012"))), "the finding's unit is on the sheet");
}

#[test]
fn the_demo_has_only_its_home_visits_with_crowds() {
    let wd = Workdir::new();
    wd.ok(&["demo"]);
    let q = quality_json(&wd, TERM);
    // The demo's made-up home visits at kindergartens: a few name 15–39 people where the
    // group's median is 4. Everything else is quiet.
    let counts = &q["counts"]["by_code"];
    assert_eq!(q["counts"]["total"], counts["participants-outlier"], "{:#}", q["counts"]);
    assert_eq!(counts["participants-outlier"], 18, "{:#}", q["counts"]);
    assert_eq!(q["counts"]["by_severity"]["high"], 0);
    for f in findings(&q, "participants-outlier") {
        assert_eq!(f["evidence"]["kind"], "home-visit", "{f:#}");
        assert!(f["details"]["participants"].as_u64().unwrap() >= 15, "{f:#}");
    }
}

#[test]
fn in_chinese_by_default_with_no_english_sentence() {
    let mut rows = background();
    rows.push((c(12), "2020-10-01", "guidance", "家长学校开学第一课".into(), 35));
    rows.push((c(5), "2020-12-20", "guidance", "家庭教育讲座".into(), 900));
    let wd = ledger(TERM, &[&acts(&rows)]);
    let zh = |args: &[&str], code: i32| {
        let run = wd.run_with(args, |c| {
            c.env_remove("GONGYU_LANG");
        });
        assert_eq!(run.code, code, "{args:?}\n{}\n{}", run.stdout, run.stderr);
        let both = format!("{}\n{}", run.stdout, run.stderr);
        assert!(chinese::english_sentences(&both).is_empty(), "{args:?}: {:?}\n{both}", chinese::english_sentences(&both));
        assert!(chinese::has_cjk(&both), "{both}");
        both
    };
    let table = zh(&["quality", "--term", TERM], 0);
    assert!(table.contains("人数异常") && table.contains("未复核"), "{table}");
    zh(&["quality", "--term", TERM, "--check"], 3);
    zh(&["quality", "--help"], 0);
    zh(&["quality", "review", "--help"], 0);
    zh(&["quality", "review", "Q0000000000", "--term", TERM, "--note", "已核实"], 1);
    zh(&["term", "close", TERM], 0);
    let page = zh(&["quality", "--term", TERM, "--format", "html"], 0);
    assert!(page.contains("数据质量") && page.contains("早于家长学校成立"), "{page}");
}
