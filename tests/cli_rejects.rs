//! Integration tests of the `gongyu` binary (SPEC §2–6) on bad cells: each is rejected
//! naming its file, physical line and column, and nothing is written; the reviewed error
//! messages (snapshots). Real processes on real ledger files in temporary folders.
//!
//! Many bad files here start with a good record whose quoted cell holds a line break, so
//! the second record starts on physical line 4 while it is data row 2.
//!
//! Tests named `regression_*` pin bugs found and fixed: each failed before its fix.

#[allow(dead_code)] // each cli_* file uses some of the fixtures and helpers
mod cli_support;
#[allow(dead_code)] // the helpers other test files use
mod workdir;

use cli_support::{args, assert_rejected, at, fixture, problem_lines, TERM};
use workdir::Workdir;

/// Every bad file below starts with a good record whose quoted cell holds a line break,
/// so the second record starts on physical line 4 while it is data row 2.
#[test]
fn unknown_school_type_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "s.csv",
        "code,name,type,township,parent_school\n2001,\"大峪\n第二小学\",小学,大峪街道,是\n2002,大峪中学,中学校,大峪街道,是\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"schools", &f, &"--term", &TERM]),
        &[format!("{} unknown school type \"中学校\"", at(&f, 4, "type")), "九年一贯制学校".into()],
    );
}

#[test]
fn bad_yes_no_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "c.csv",
        "社区代码,社区名称,所属街道,乡镇街道代码,家长学校\n1,\"第一\n社区\",大峪街道,110109001,是\n2,第二社区,大峪街道,110109001,对\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &f, &"--term", &TERM]),
        &[format!("{} \"对\" is not yes or no", at(&f, 4, "家长学校 (parent_school)"))],
    );
}

#[test]
fn impossible_date_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "a.csv",
        "host,date,kind,title\n1111090001,2021-02-28,讲座,\"冬季\n讲座\"\n1111090001,2021-02-29,讲座,春季讲座\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &f]),
        &[format!("{} \"2021-02-29\" is not a real date", at(&f, 4, "date"))],
    );
}

#[test]
fn bad_date_forms_are_rejected_each_on_its_line() {
    let wd = fixture();
    let f = wd.write_utf8(
        "a.csv",
        "主办单位代码,活动日期,类型,主题\n\
         1111090001,2020-10-08,讲座,\"秋季\n\
         讲座\"\n\
         1111090001,9/1/2020,讲座,x\n\
         1111090001,2020-9,讲座,y\n\
         1111090001,明天,讲座,z\n\
         1111090001,2020-09-01 10:00,讲座,w\n",
    );
    let col = "活动日期 (date)";
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &f]),
        &[
            format!("{} \"9/1/2020\" is not a date", at(&f, 4, col)),
            format!("{} \"2020-9\" is not a date", at(&f, 5, col)),
            format!("{} \"明天\" is not a date", at(&f, 6, col)),
            format!("{} \"2020-09-01 10:00\" is not a date", at(&f, 7, col)),
            "4 problems".into(),
        ],
    );
}

#[test]
fn missing_required_cell_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "s.csv",
        "code,name,type,township,parent_school\n2001,\"大峪\n第二小学\",小学,大峪街道,是\n2002,　 ,小学,大峪街道,是\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"schools", &f, &"--term", &TERM]),
        &[format!("{} a value is required here", at(&f, 4, "name"))],
    );
}

#[test]
fn missing_required_column_is_rejected_with_its_spellings() {
    let wd = fixture();
    let f = wd.write_utf8("a.csv", "id,host,date,title\nX1,1111090001,2020-10-08,讲座\n");
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &f]),
        &[format!("{}:1: required column kind is missing; the header may name it as any of: kind, 活动类型, 类型", f.display())],
    );
    let f = wd.write_utf8("s.csv", "学校代码,学校名称,所属乡镇,家长学校\n1,一小,大峪街道,是\n");
    assert_rejected(
        &wd,
        &args(&[&"import", &"schools", &f, &"--term", &TERM]),
        &[format!(
            "{}:1: required column type is missing; the header may name it as any of: type, 学校类型, 办学类型",
            f.display()
        )],
    );
}

#[test]
fn community_name_of_unknown_area_without_area_column_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "c.csv",
        "code,name,township,parent_school\n9001,\"新\n社区\",大峪街道,是\n9002,门头沟管委会,大峪街道,是\n9003,东山村,大峪街道,是\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &f, &"--term", &TERM]),
        &[format!("{} cannot tell whether \"门头沟管委会\" is urban or rural", at(&f, 4, "area")), "1 problem".into()],
    );
}

#[test]
fn founding_date_after_the_terms_end_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "c.csv",
        "code,name,township,township_code,parent_school,parent_school_since\n\
         9001,\"新\n\
         社区\",大峪街道,110109001,是,2021-01-31\n\
         9002,旧社区,大峪街道,110109001,是,2021-02-01\n",
    );
    let run = assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &f, &"--term", &TERM]),
        &[format!("{} 2021-02-01 is after the end of term 2020-2021-1", at(&f, 4, "parent_school_since")), "1 problem".into()],
    );
    assert!(!run.stderr.contains(&format!("{}:2:", f.display())), "the term's last day is allowed: {}", run.stderr);
}

#[test]
fn negative_participants_are_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "a.csv",
        "host,date,kind,title,参与人数\n1111090001,2020-10-08,讲座,\"秋季\n讲座\",10\n1111090001,2020-10-09,讲座,x,-5\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &f]),
        &[format!("{} \"-5\" is not a whole number", at(&f, 4, "参与人数 (participants)"))],
    );
}

#[test]
fn bytes_valid_in_neither_utf8_nor_gb18030_are_rejected_naming_the_line() {
    let wd = fixture();
    let mut bytes = b"host,date,kind,title\n1111090001,2020-10-08,guidance,\"a\nb\"\n1111090001,2020-10-09,guidance,".to_vec();
    bytes.extend_from_slice(b"\x81\x7f\n");
    let f = wd.write_bytes("a.csv", &bytes);
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &f]),
        &[format!("{}:4: the bytes here are neither UTF-8 nor GB18030", f.display())],
    );
}

#[test]
fn counts_beyond_belief_are_row_errors() {
    let wd = fixture();
    let f = wd.write_utf8("a.csv", "host,date,kind,participants\n1111090001,2020-10-01,讲座,9223372036854775808\n");
    wd.run(&args(&[&"import", &"activities", &f]))
        .expect_code(1)
        .stderr_has(&format!("{}:2: column participants: \"9223372036854775808\" is too large", f.display()));
}

#[test]
fn more_than_a_hundred_bad_rows_are_all_listed() {
    let wd = fixture();
    let mut text = String::from("code,name,township,parent_school\n");
    for i in 0..150 {
        text.push_str(&format!("{i},第{i}社区,大峪街道,{}\n", if i % 2 == 0 { "maybe" } else { "perhaps" }));
    }
    let f = wd.write_utf8("c.csv", &text);
    let run = assert_rejected(&wd, &args(&[&"import", &"communities", &f, &"--term", &TERM]), &["150 problems".into()]);
    let problems = problem_lines(&run.stderr, &f);
    assert!(problems.len() >= 100, "only {} listed", problems.len());
    for (i, line) in (2..).take(problems.len()).enumerate() {
        assert!(problems[i].starts_with(&at(&f, line, "parent_school")), "{}", problems[i]);
    }
}

#[test]
fn snapshot_error_messages() {
    let wd = fixture();
    let rows = wd.write_utf8(
        "schools-bad.csv",
        "学校代码,学校名称,学校类型,所属乡镇,是否建立家长学校,家长学校成立日期\n\
         2001,\"大峪\n第二小学\",小学,大峪街道,是,2019-09-01\n\
         2002,大峪中学,中学校,大峪街道,对,\n\
         2003,大峪三小,小学,,否,2020-09-01\n\
         2004,大峪四小,幼儿园,大峪街道,是,2021-02-29\n",
    );
    let run = wd.run(&args(&[&"import", &"schools", &rows, &"--term", &TERM])).expect_code(1);
    insta::assert_snapshot!("error_bad_rows", wd.redact(&run.stderr));

    let header = wd.write_utf8("activities-bad.csv", "编号,单位代码,时间,类型\nX,1111090001,2020-10-01,讲座\n");
    let run = wd.run(&args(&[&"import", &"activities", &header])).expect_code(1);
    insta::assert_snapshot!("error_missing_columns", wd.redact(&run.stderr));

    let conflict = wd.write_utf8("activities-conflict.csv", "id,host,date,kind\nA1,1111090001,2020-09-10,guidance\n");
    let run = wd.run(&args(&[&"import", &"activities", &conflict])).expect_code(1);
    insta::assert_snapshot!("error_id_conflict", wd.redact(&run.stderr));

    let missing = Workdir::new();
    let run = missing.run(&["coverage", "report"]).expect_code(1);
    insta::assert_snapshot!("error_missing_ledger", missing.redact(&run.stderr));
}

// ------------------------------------------------------------------ regressions: bugs found and fixed

/// SPEC §3.5: LINE is the physical line where the record starts. Excel writes CRLF.
#[test]
fn regression_crlf_row_errors_name_the_records_own_line() {
    let wd = fixture();
    let f = wd.write_crlf(
        "c.csv",
        "code,name,township,parent_school\n1,第一社区,大峪街道,x1\n2,\"第二\n社区\",大峪街道,是\n3,第三社区,大峪街道,x3\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &f, &"--term", &TERM]),
        &[format!("{} \"x1\"", at(&f, 2, "parent_school")), format!("{} \"x3\"", at(&f, 5, "parent_school"))],
    );
}

/// The same for a GB18030 CRLF file, as Excel's "CSV" writes on Chinese Windows; the line
/// is also stored in the ledger.
#[test]
fn regression_crlf_lines_stored_in_the_ledger_are_physical_lines() {
    let wd = Workdir::with_ledger();
    let f = wd.write_gb18030(
        "c.csv",
        &workdir::crlf("社区代码,社区名称,所属乡镇街道,家长学校\n1,第一社区,大峪街道,是\n2,第二社区,大峪街道,是\n"),
    );
    wd.import("communities", &f, TERM);
    let lines = wd.dump_tables_without(
        &["community"],
        &["batch_id", "unit_id", "township_name", "township_code", "area", "facts_yes", "facts_no", "parent_school_since"],
    );
    assert!(lines.contains("\"第一社区\" | 2\n") && lines.contains("\"第二社区\" | 3\n"), "{lines}");
}

#[test]
fn regression_blank_lines_count_towards_line_numbers() {
    let wd = fixture();
    let f = wd.write_utf8("c.csv", "code,name,township,parent_school\n1,第一社区,大峪街道,x1\n\n\n2,第二社区,大峪街道,x2\n");
    assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &f, &"--term", &TERM]),
        &[format!("{} \"x1\"", at(&f, 2, "parent_school")), format!("{} \"x2\"", at(&f, 5, "parent_school"))],
    );
    let g = wd.write_utf8("d.csv", "\n\ncode,name,township\n1,第一社区,大峪街道\n");
    assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &g, &"--term", &TERM]),
        &[format!("{}:3: required column parent_school", g.display())],
    );
}
