//! Integration tests of issue 22's clerk mistakes that once passed silently or pointed the
//! wrong way: mixed encodings, a term closed by a typo, dates in the future or outside the
//! plan, a plan with several mistakes, a header in another encoding.
//!
//! Each test failed on the behaviour before its fix.

#[allow(dead_code)] // the helpers other test files use
mod workdir;

use workdir::Workdir;

/// A UTF-8 activity return of nine lines with the lines `gbk` pasted in from a GBK file.
fn mixed_return(wd: &Workdir, gbk: &[usize]) -> std::path::PathBuf {
    let mut lines = vec!["活动编号,主办单位代码,活动日期,活动类型,活动名称".to_string()];
    for i in 2..=9 {
        lines.push(format!("A{i},1111090001,2020-09-{i:02},讲座,家庭教育讲座第{i}期"));
    }
    let mut bytes = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let line = format!("{line}\n");
        if gbk.contains(&(n + 1)) {
            bytes.extend_from_slice(&encoding_rs::GB18030.encode(&line).0);
        } else {
            bytes.extend_from_slice(line.as_bytes());
        }
    }
    wd.write_bytes("m4.csv", &bytes)
}

/// The `FILE:LINE:` numbers an error names, in order.
fn named_lines(stderr: &str) -> Vec<u64> {
    stderr.lines().filter_map(|l| l.split_once("m4.csv:")?.1.split(':').next()?.parse().ok()).collect()
}

#[test]
fn regression_gbk_lines_in_a_utf8_file_are_each_named() {
    for gbk in [vec![3, 5], vec![4, 7, 9], vec![6]] {
        let wd = Workdir::with_ledger();
        let file = mixed_return(&wd, &gbk);
        let before = wd.ledger_dump();
        let run = wd.run(&["import".as_ref(), "activities".as_ref(), file.as_os_str()]).expect_code(1);
        let named = named_lines(&run.stderr);
        assert_eq!(named, gbk.iter().map(|n| *n as u64).collect::<Vec<_>>(), "GBK on {gbk:?}\n{}", run.stderr);
        assert!(run.stderr.contains("looks like GBK"), "{}", run.stderr);
        assert_eq!(wd.ledger_dump(), before);
    }
}

#[test]
fn regression_a_mistyped_term_is_not_closed_without_force() {
    let wd = Workdir::with_ledger();
    // 2030 for 2020: a term that has not ended and lies outside the plan.
    let run = wd.run(&["term", "close", "2030-2031-1"]).expect_code(1);
    for words in [
        "term 2030-2031-1 has not ended (it ends on 2031-01-31; today is 2022-03-01)",
        "term 2030-2031-1 lies outside the plan's terms (2019-2020-1 to 2021-2022-1)",
        "activities and registry filings dated on or before 2031-01-31",
        "--force",
    ] {
        assert!(run.stderr.contains(words), "lacks {words:?}\n{}", run.stderr);
    }
    assert_eq!(wd.ok(&["term", "list", "--format", "json"]).json()["events"], serde_json::json!([]), "nothing recorded");
    // The term that is running today, inside the plan, is refused too; in Chinese by default.
    let run = wd.run_with(&["term", "close", "2021-2022-1"], |c| {
        c.env_remove("GONGYU_LANG").env("GONGYU_TODAY", "2021-12-01");
    });
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("学期 2021-2022-1 尚未结束（2022-01-31 结束，今天是 2021-12-01）"), "{}", run.stderr);
    assert!(!run.stderr.contains("不在计划"), "{}", run.stderr);
    // --force closes it, and says what is locked.
    wd.ok(&["term", "close", "2030-2031-1", "--force"]).stdout_has("closed term 2030-2031-1: from now on");
    wd.ok(&["term", "close", "2020-2021-1"]).stdout_has("dated on or before 2021-01-31");
}

/// A communities roster of 2020-2021-1 with one township, for activities and filings.
fn ledger_with_communities() -> Workdir {
    let wd = Workdir::with_ledger();
    let c = wd.write_utf8(
        "c.csv",
        "code,name,township,township_code,area,parent_school\n110109001001,德露苑社区居委会,大峪街道,110109001,城区,是\n",
    );
    wd.import("communities", &c, "2020-2021-1");
    wd
}

#[test]
fn regression_an_activity_dated_after_today_is_refused() {
    let wd = ledger_with_communities();
    // Today is 2022-03-01 (pinned); the clerk meant 2020.
    let a = wd.write_utf8(
        "a.csv",
        "id,host,活动日期,kind\nA1,110109001001,2020-10-01,讲座\nA2,110109001001,2023-10-01,讲座\nA3,110109001001,2022-03-02,讲座\nA4,110109001001,2022-03-01,讲座\n",
    );
    let before = wd.ledger_dump();
    let run = wd.run(&["import".as_ref(), "activities".as_ref(), a.as_os_str()]).expect_code(1);
    for line in [3, 4] {
        let want = format!("a.csv:{line}: column 活动日期 (date)");
        let row = run.stderr.lines().find(|l| l.contains(&want)).unwrap_or_else(|| panic!("lacks {want}\n{}", run.stderr));
        assert!(row.contains("date in the future") && row.contains("after today (2022-03-01)"), "{row}");
    }
    assert!(!run.stderr.contains("a.csv:2:") && !run.stderr.contains("a.csv:5:"), "{}", run.stderr);
    assert_eq!(wd.ledger_dump(), before);
}

#[test]
fn regression_a_filing_dated_after_today_is_refused() {
    let wd = ledger_with_communities();
    let r = wd
        .write_utf8("r.csv", "township,category,count,filed\n大峪街道,留守儿童,12,2020-10-15\n大峪街道,困境儿童,2,2030-10-15\n");
    let before = wd.ledger_dump();
    let run = wd.run(&["import".as_ref(), "registry".as_ref(), r.as_os_str()]).expect_code(1);
    assert!(run.stderr.contains("r.csv:3: column filed") && run.stderr.contains("date in the future"), "{}", run.stderr);
    assert_eq!(wd.ledger_dump(), before);
}

#[test]
fn regression_activities_outside_the_plan_are_imported_with_a_warning() {
    let wd = ledger_with_communities();
    let mut text = String::from("id,host,date,kind\nA1,110109001001,2020-10-01,讲座\n");
    for i in 2..=9 {
        text += &format!("A{i},110109001001,2002-10-0{i},讲座\n");
    }
    let a = wd.write_utf8("a.csv", &text);
    let warning = "a.csv: 8 activities dated outside the plan's terms (2019-2020-1 to 2021-2022-1, 2019-09-01 to 2022-01-31) on line(s) 3, 4, 5, 6, 7 and 3 more";
    wd.ok(&["import".as_ref(), "activities".as_ref(), a.as_os_str(), "--dry-run".as_ref()]).stderr_has(warning);
    let run = wd.import("activities", &a, "").stderr_has(warning);
    assert!(run.stdout.contains("imported 9 activities"), "{}", run.stdout);
    // A file inside the plan says nothing.
    let b = wd.write_utf8("b.csv", "id,host,date,kind\nB1,110109001001,2020-10-01,讲座\n");
    let run = wd.ok(&["import".as_ref(), "activities".as_ref(), b.as_os_str()]);
    assert!(!run.stderr.contains("outside the plan"), "{}", run.stderr);
}

/// A hand-written plan with six mistakes: at the top and in each of three targets.
const PLAN_WITH_MISTAKES: &str = r#"id = "my-plan"
name = "我的计划"
author = "me"
first_term = "2020-2021-1"
last_term = "2021-2023-2"

[[target]]
id = "a"
title = { zh = "甲" }
units = "communities"
colour = "red"
require = { parent_school = true }
required = 90
responsible = ["区妇联"]

[[target]]
id = "b"
title = { zh = "乙" }
require = { parent_school = true }
required = 90
responsible = ["区妇联"]

[[target]]
id = "c"
title = { zh = "丙" }
units = "schools"
require = { parent_schol = true }
required = "90"
responsible = ["区教委"]
"#;

#[test]
fn regression_plan_check_lists_every_mistake_in_one_pass() {
    let wd = Workdir::new();
    let plan = wd.write_utf8("p.toml", PLAN_WITH_MISTAKES);
    let want = [
        "p.toml:3: unknown field `author`",
        "p.toml:5: last_term \"2021-2023-2\"",
        "p.toml:11: target a: unknown field `colour`",
        "p.toml:16: target b: missing field `units`",
        "p.toml:27: target c: require.parent_schol: unknown fact",
        "p.toml:28: target c: `required` must be a whole number, not a string",
    ];
    for args in [
        vec!["plan".as_ref(), "check".as_ref(), plan.as_os_str()],
        vec!["--plan".as_ref(), plan.as_os_str(), "plan".as_ref(), "show".as_ref()],
    ] {
        let run = wd.run(&args).expect_code(1);
        let named: Vec<&str> = run.stderr.lines().filter(|l| l.contains("p.toml:")).collect();
        assert_eq!(named.len(), want.len(), "{}", run.stderr);
        for (line, want) in named.iter().zip(want) {
            assert!(line.contains(want), "{line:?} lacks {want:?}\n{}", run.stderr);
        }
    }
}

#[test]
fn regression_a_big5_file_is_named_as_such_with_its_header() {
    let wd = ledger_with_communities();
    let text = "活動編號,主辦單位代碼,活動日期,活動類型,活動名稱\nA1,110109001001,2020-10-01,講座,家庭教育講座\n";
    let (bytes, _, unmappable) = encoding_rs::BIG5.encode(text);
    assert!(!unmappable);
    let a = wd.write_bytes("big5.csv", &bytes);
    let before = wd.ledger_dump();
    let run = wd.run(&["import".as_ref(), "activities".as_ref(), a.as_os_str()]).expect_code(1);
    let named: Vec<&str> = run.stderr.lines().filter(|l| l.contains("big5.csv:1:")).collect();
    assert_eq!(named.len(), 1, "one message, not one per column\n{}", run.stderr);
    for words in [
        "big5.csv:1: required columns host, date and kind are missing",
        "The header as read (GB18030): \"",
        "probably in Big5 (traditional Chinese)",
        "\"活動編號\", \"主辦單位代碼\", \"活動日期\"",
        "CSV UTF-8",
    ] {
        assert!(named[0].contains(words), "lacks {words:?}\n{}", run.stderr);
    }
    assert_eq!(wd.ledger_dump(), before);
}

#[test]
fn missing_columns_of_a_utf8_file_show_its_header_without_a_hint() {
    let wd = ledger_with_communities();
    let a = wd.write_utf8("a.csv", "编号,单位,日子\nA1,110109001001,2020-10-01\n");
    let run = wd.run(&["import".as_ref(), "activities".as_ref(), a.as_os_str()]).expect_code(1);
    assert!(
        run.stderr
            .contains("a.csv:1: required columns host, date and kind are missing; the header may name host as any of: host, "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("The header as read (UTF-8): \"编号\", \"单位\", \"日子\""), "{}", run.stderr);
    assert!(!run.stderr.contains("Big5"), "{}", run.stderr);
}
