//! The returns' own words in Chinese (issue 21, SPEC §14): row problems, the rejects
//! file's error column, header and file errors, the templates' guidance — Chinese with
//! `GONGYU_LANG` unset, today's English with `--lang en`. Row problems keep their
//! `FILE:LINE:` start in both and, in Chinese, name the column by its Excel letter and the
//! file's own header.

#[allow(dead_code)] // the helpers other test files use
mod workdir;

#[allow(dead_code)] // shared by the zh_* tests
mod chinese;

use calamine::{open_workbook, Reader, Xlsx};
use chinese::{english_sentences, has_cjk};
use workdir::{Run, Workdir};

const TERM: &str = "2020-2021-1";

/// A schools roster with a Chinese header and two bad rows: an unknown school type (C),
/// a blank township (D).
const BAD_SCHOOLS: &str = "\
学校代码,学校名称,学校类型,所属乡镇,是否建立家长学校
1111090001,大峪第一小学,中学校,大峪街道,是
1111090002,大峪第二小学,小学,,是
";

/// Runs in Chinese (`GONGYU_LANG` unset) or in `lang`.
fn run(wd: &Workdir, lang: Option<&str>, args: &[&str]) -> Run {
    wd.run_with(args, |c| {
        c.env_remove("GONGYU_LANG");
        if let Some(l) = lang {
            c.env("GONGYU_LANG", l);
        }
    })
}

/// The cells of a CSV file, row by row.
fn csv_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(path).expect("the rejects file");
    reader.records().map(|r| r.expect("a row").iter().map(str::to_string).collect()).collect()
}

/// The lines of `text` that start with `start` (`FILE:LINE:`: the returns' own messages;
/// the lines around them are the import's).
fn lines_naming<'a>(text: &'a str, start: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.starts_with(start)).collect()
}

#[test]
fn row_problems_name_the_column_by_letter_and_header_in_chinese_and_as_before_in_english() {
    let wd = Workdir::with_ledger();
    let file = wd.write_utf8("学校.csv", BAD_SCHOOLS);
    let f = file.display().to_string();
    let zh = run(&wd, None, &["import", "schools", &f, "--term", TERM]).expect_code(1);
    let lines = lines_naming(&zh.stderr, &format!("{f}:"));
    assert_eq!(lines.len(), 2, "{}", zh.stderr);
    assert!(lines[0].starts_with(&format!("{f}:2: C列「学校类型」：未知的学校类型\"中学校\"；应为 小学")), "{}", zh.stderr);
    assert_eq!(lines[1], format!("{f}:3: D列「所属乡镇」：这一项必填，但单元格是空的"));
    for l in &lines {
        assert!(has_cjk(l) && english_sentences(l).is_empty(), "an English sentence in Chinese: {l}");
    }

    let en = run(&wd, Some("en"), &["import", "schools", &f, "--term", TERM]).expect_code(1);
    let lines = lines_naming(&en.stderr, &format!("{f}:"));
    assert!(
        lines[0].starts_with(&format!("{f}:2: column 学校类型 (type): unknown school type \"中学校\"; expected one of 小学")),
        "{}",
        en.stderr
    );
    assert_eq!(lines[1], format!("{f}:3: column 所属乡镇 (township): a value is required here, but the cell is empty"));
}

#[test]
fn the_rejects_files_error_column_is_in_the_output_language() {
    let wd = Workdir::with_ledger();
    let file = wd.write_utf8("学校.csv", BAD_SCHOOLS).display().to_string();
    run(&wd, None, &["import", "schools", &file, "--term", TERM, "--rejects", "待修改.csv"]).expect_code(1);
    let rows = csv_rows(&wd.path("待修改.csv"));
    assert_eq!(rows[0].last().map(String::as_str), Some("错误"), "{rows:?}");
    let errors: Vec<&str> = rows.iter().skip(1).map(|r| r.last().map_or("", String::as_str)).collect();
    assert!(errors[0].starts_with("C列「学校类型」：未知的学校类型\"中学校\"；应为 小学、初中、"), "{errors:?}");
    assert_eq!(errors[1], "D列「所属乡镇」：这一项必填，但单元格是空的");
    for e in &errors {
        assert!(english_sentences(e).is_empty(), "{e}");
    }

    run(&wd, Some("en"), &["import", "schools", &file, "--term", TERM, "--rejects", "rejects.csv"]).expect_code(1);
    let rows = csv_rows(&wd.path("rejects.csv"));
    assert_eq!(rows[0].last().map(String::as_str), Some("错误 (error)"), "{rows:?}");
    assert_eq!(
        rows[2].last().map(String::as_str),
        Some("column 所属乡镇 (township): a value is required here, but the cell is empty")
    );
}

#[test]
fn header_and_file_problems_speak_chinese() {
    let wd = Workdir::with_ledger();
    // Required columns missing: named, with the header as read.
    let file = wd.write_utf8("活动.csv", "编号,名称\nA1,讲座\n").display().to_string();
    let zh = run(&wd, None, &["import", "activities", &file]).expect_code(1);
    let line = lines_naming(&zh.stderr, &format!("{file}:1:"))[0].to_string();
    assert!(line.contains("缺少必填列 host、date 和 kind"), "{line}");
    assert!(line.contains("。读到的表头（UTF-8）：\"编号\"、\"名称\""), "{line}");
    assert!(english_sentences(&line).is_empty(), "{line}");
    let en = run(&wd, Some("en"), &["import", "activities", &file]).expect_code(1);
    assert!(en.stderr.contains("required columns host, date and kind are missing"), "{}", en.stderr);
    assert!(en.stderr.contains(". The header as read (UTF-8): \"编号\", \"名称\""), "{}", en.stderr);

    // A file that is not there: what happened and what to do, without the system's English.
    let zh = run(&wd, None, &["import", "activities", "没有这个文件.csv"]).expect_code(1);
    let line = zh.stderr.lines().find(|l| l.starts_with("无法打开")).unwrap_or_else(|| panic!("{}", zh.stderr));
    assert_eq!(line, "无法打开 没有这个文件.csv：文件不存在。请检查文件名和所在的文件夹");
    let en = run(&wd, Some("en"), &["import", "activities", "没有这个文件.csv"]).expect_code(1);
    assert!(en.stderr.contains("cannot open 没有这个文件.csv: "), "{}", en.stderr);

    // A value in the wrong form, and an unknown column (a warning).
    let file = wd.write_utf8("活动2.csv", "id,host,date,kind,备注\nA1,1111090001,2020-13-01,讲座,x\n").display().to_string();
    let zh = run(&wd, None, &["import", "activities", &file]).expect_code(1);
    assert!(
        zh.stderr.contains(&format!("{file}:2: C列「date」：\"2020-13-01\" 不是真实存在的日期（没有 2020-13-01 这一天）")),
        "{}",
        zh.stderr
    );
    let en = run(&wd, Some("en"), &["import", "activities", &file]).expect_code(1);
    assert!(en.stderr.contains(&format!("{file}:2: column date: \"2020-13-01\" is not a real date")), "{}", en.stderr);
}

#[test]
fn the_templates_guidance_is_in_the_output_language() {
    let wd = Workdir::with_ledger();
    let guidance = |lang: Option<&str>, name: &str| -> Vec<String> {
        run(&wd, lang, &["template", "schools", "--format", "xlsx", "-o", name]).expect_code(0);
        let mut book: Xlsx<_> = open_workbook(wd.path(name)).expect("the template");
        let sheet = book.worksheet_range("说明").expect("the 说明 sheet");
        sheet.rows().skip(1).map(|r| r[4].to_string()).filter(|s| !s.is_empty()).collect()
    };
    let zh = guidance(None, "学校-模板.xlsx");
    assert!(zh.iter().any(|g| g.starts_with("单位代码，本表内不能重复")), "{zh:?}");
    for g in &zh {
        assert!(has_cjk(g) && english_sentences(g).is_empty(), "English in the Chinese guidance: {g}");
    }
    let en = guidance(Some("en"), "schools-template.xlsx");
    assert!(
        en.iter()
            .any(|g| g == "the unit's code, unique in the file; format the column as text (文本) so Excel keeps every digit"),
        "{en:?}"
    );
}
