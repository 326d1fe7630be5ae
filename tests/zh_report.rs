//! The report's notes and gap reasons, plan-file errors and term errors (issue 21 item 1)
//! in Chinese by default, with `GONGYU_LANG` unset, and in today's English with `--lang en`.

#[allow(dead_code)] // the helpers other test files use
mod workdir;

#[allow(dead_code)] // shared by the zh_* tests
mod chinese;

use chinese::english_sentences;
use workdir::{Run, Workdir};

const TERM: &str = "2020-2021-1";

const COMMUNITIES: &str = "\
code,name,township,township_code,area,parent_school
110109106201,斋堂村委会,斋堂镇,110109106,农村,是
110109001001,德露苑社区居委会,大峪街道,110109001,城区,是
110109002001,市场街社区居委会,城子街道,110109002,城区,否
";

/// No `coedu_*` columns: the committee-composition target is no-data.
const SCHOOLS: &str = "\
code,name,type,township,parent_school
1111090001,大峪第一小学,小学,大峪街道,是
1111090003,城子中学,初中,城子街道,否
";

const ACTIVITIES: &str = "\
id,host,date,kind
A1,1111090001,2020-09-10,讲座
A2,110109001001,2020-10-01,亲子活动
";

fn fixture() -> Workdir {
    let wd = Workdir::with_ledger();
    let c = wd.write_utf8("communities.csv", COMMUNITIES);
    let s = wd.write_utf8("schools.csv", SCHOOLS);
    let a = wd.write_utf8("activities.csv", ACTIVITIES);
    wd.import("communities", &c, TERM);
    wd.import("schools", &s, TERM);
    wd.import("activities", &a, "");
    wd
}

/// Runs with `GONGYU_LANG` unset: Chinese, the default.
fn zh(wd: &Workdir, args: &[&str]) -> Run {
    wd.run_with(args, |c| {
        c.env_remove("GONGYU_LANG");
    })
}

/// Runs with `--lang en`.
fn en(wd: &Workdir, args: &[&str]) -> Run {
    let mut with: Vec<&str> = vec!["--lang", "en"];
    with.extend_from_slice(args);
    wd.run_with(&with, |c| {
        c.env_remove("GONGYU_LANG");
    })
}

#[track_caller]
fn chinese(what: &str, text: &str) {
    assert!(chinese::has_cjk(text), "{what}: no Chinese in\n{text}");
    let english = english_sentences(text);
    assert!(english.is_empty(), "{what}: English sentences:\n{}", english.join("\n"));
}

/// The lines of the report's notes on stderr.
fn notes(stderr: &str) -> String {
    stderr.lines().filter(|l| !l.trim().is_empty()).map(|l| format!("{l}\n")).collect()
}

#[test]
fn a_reports_notes_are_chinese_by_default_and_todays_english_with_lang_en() {
    let wd = fixture();
    let run = zh(&wd, &["coverage", "report", "--term", TERM]).expect_code(0);
    let said = notes(&run.stderr);
    assert!(said.contains("指标 coedu-committee-composition 无数据：它的 `where` 条件按 coedu_committee 筛选单位"), "{said}");
    assert!(said.contains("指标 parent-school-standards 无数据"), "{said}");
    assert!(said.contains("多半是学校/社区/机构名册缺少这些列"), "{said}");
    assert!(said.contains("台账中没有 2020-2021-1 及以前的机构名册"), "{said}");
    // The note's own words; the `gongyu: note:` prefix belongs to the command line.
    let words: String = said.lines().map(|l| l.rsplit_once("note: ").map_or(l, |(_, n)| n)).collect::<Vec<_>>().join("\n");
    chinese("notes", &words);

    let run = en(&wd, &["coverage", "report", "--term", TERM]).expect_code(0);
    assert!(
        run.stderr.contains(
            "parent-school-standards is no-data: every unit left standards_rules, standards_teachers, standards_plan, \
             standards_curriculum, standards_evaluation blank — most likely the column is missing from the \
             schools/communities/bodies roster; add it (制度规范, 师资专业, 计划明确, 教学系统, 评估有效) so the target \
             can be judged (no gap rows are listed for it)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "coedu-committee-composition is no-data: its `where` selects units by coedu_committee, which every unit \
             left blank — most likely the column is missing from the schools roster; add it (家校社共育委员会) so the \
             target can be judged (no gap rows are listed for it)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "no bodies roster for 2020-2021-1 or earlier is in the ledger, so it has no units to count \
             (import one with `gongyu import bodies FILE --term 2020-2021-1`)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn gap_reasons_are_chinese_by_default_and_todays_english_with_lang_en() {
    let wd = fixture();
    let args = ["coverage", "gaps", "--term", TERM, "--format", "csv"];
    let out = zh(&wd, &args).expect_code(0).stdout;
    assert!(out.contains("未建立家长学校"), "{out}");
    assert!(out.contains("2020-2021学年第一学期无家长会"), "{out}");
    let out = en(&wd, &args).expect_code(0).stdout;
    assert!(out.contains("no parent school (家长学校)"), "{out}");
    assert!(out.contains("no parent meeting (家长会) in 2020-2021-1"), "{out}");
}

const PLAN: &str = r#"id = "test-plan"
name = "测试"
first_term = "2020-2021-1"
last_term = "2021-2022-2"

[[target]]
id = "a"
title = { zh = "甲" }
units = "communities"
require = { parent_school = true }
required = 190
responsible = ["区妇联"]
colour = "red"
"#;

#[test]
fn plan_file_mistakes_are_chinese_by_default_and_todays_english_with_lang_en() {
    let wd = Workdir::new();
    let plan = wd.write_utf8("计划.toml", PLAN);
    let plan = plan.to_str().unwrap();
    let run = zh(&wd, &["plan", "check", plan]).expect_code(1);
    assert!(run.stderr.contains("有 2 处问题"), "{}", run.stderr);
    assert!(run.stderr.contains(":11: 指标 a：required = 190 超出 0–100（应为百分比）"), "{}", run.stderr);
    assert!(run.stderr.contains(":13: 指标 a：未知的项 `colour`"), "{}", run.stderr);
    chinese("plan check", &run.stderr.replace(plan, "计划.toml"));

    let run = en(&wd, &["plan", "check", plan]).expect_code(1);
    assert!(
        run.stderr.contains(&format!(
            "the plan file {plan} has 2 problems (`gongyu plan show` prints a valid plan):\n\
             {plan}:11: target a: required = 190 is outside 0–100 (a percentage)\n\
             {plan}:13: target a: unknown field `colour`, expected one of `id`, "
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn a_plan_file_that_is_not_there_is_named_with_what_to_do() {
    let wd = Workdir::new();
    let run = zh(&wd, &["--plan", "没有这个计划.toml", "plan", "show"]).expect_code(1);
    assert!(run.stderr.contains("无法读取计划文件 没有这个计划.toml：文件不存在。请检查 --plan"), "{}", run.stderr);
    chinese("a missing plan", &run.stderr);
    let run = en(&wd, &["--plan", "没有这个计划.toml", "plan", "show"]).expect_code(1);
    assert!(run.stderr.contains("cannot read the plan file 没有这个计划.toml: "), "{}", run.stderr);
}

#[test]
fn a_term_that_is_not_one_is_chinese_by_default_and_todays_english_with_lang_en() {
    let wd = fixture();
    let run = zh(&wd, &["coverage", "report", "--term", "2020-2021-3"]).expect_code(1);
    assert!(run.stderr.contains("\"2020-2021-3\" 不是学期；请写成 2020-2021-1"), "{}", run.stderr);
    chinese("a bad term", &run.stderr);
    let run = en(&wd, &["coverage", "report", "--term", "2020-2022-1"]).expect_code(1);
    assert!(
        run.stderr.contains("\"2020-2022-1\" is not a term: the two years of a school year must be consecutive (e.g. 2020-2021)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_row_problem_lists_the_chinese_school_types_in_chinese_and_every_spelling_in_english() {
    let wd = Workdir::with_ledger();
    let bad = wd.write_utf8("学校.csv", "code,name,type,township,parent_school\n1111090001,大峪第一小学,中学校,大峪街道,是\n");
    let bad = bad.to_str().unwrap();
    let run = zh(&wd, &["import", "schools", bad, "--term", TERM]).expect_code(1);
    assert!(run.stderr.contains("小学、初中、高中、完全中学、九年一贯制学校"), "{}", run.stderr);
    assert!(!run.stderr.contains("primary"), "{}", run.stderr);
    let run = en(&wd, &["import", "schools", bad, "--term", TERM]).expect_code(1);
    assert!(
        run.stderr.contains(
            "小学, 初中, 高中, 完全中学, 九年一贯制学校, 十二年一贯制学校, 特殊教育学校, 幼儿园, 中等职业学校, \
             primary, junior, senior, complete-secondary, nine-year, twelve-year, special, kindergarten, 中职, vocational"
        ),
        "{}",
        run.stderr
    );
}
