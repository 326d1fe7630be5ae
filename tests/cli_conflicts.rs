//! Integration tests of the `gongyu` binary (SPEC §2–6) on rows that conflict with each
//! other, with the other files of the command or with the ledger: repeated codes and ids,
//! terms missing or disagreeing, unknown hosts, two rosters at once; a bad file keeps the
//! whole command out, and a dry run reports the same. Real processes on real ledger files
//! in temporary folders.
//!
//! Many bad files here start with a good record whose quoted cell holds a line break, so
//! the second record starts on physical line 4 while it is data row 2.
//!
//! Tests named `regression_*` pin bugs found and fixed: each failed before its fix.

#[allow(dead_code)] // each cli_* file uses some of the fixtures and helpers
mod cli_support;
#[allow(dead_code)] // the helpers other test files use
mod workdir;

use cli_support::{args, assert_rejected, at, fixture, problem_lines, schools_roster, COMMUNITIES, TERM};
use workdir::Workdir;

#[test]
fn duplicate_code_in_a_roster_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "c.csv",
        "code,name,township,township_code,parent_school\n\
         110109001099,\"新\n\
         社区\",大峪街道,110109001,是\n\
         110109001098,旧社区,大峪街道,110109001,是\n\
         110109001099,又一社区,大峪街道,110109001,否\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &f, &"--term", &TERM]),
        &[format!("{} code 110109001099 appears twice in this file; it was first on line 2", at(&f, 5, "code"))],
    );
}

#[test]
fn a_code_repeated_many_rows_later_is_rejected_and_nothing_is_written() {
    // The repeat is in a later run of rows than the first use.
    let wd = Workdir::with_ledger();
    let mut codes: Vec<u32> = (0..200).map(|i| 7000 + i).collect();
    codes[150] = 7003;
    let f = wd.write_utf8("s.csv", &schools_roster(&codes));
    let before = wd.ledger_dump();
    assert_rejected(
        &wd,
        &args(&[&"import", &"schools", &f, &"--term", &TERM]),
        &[format!("{} code 7003 appears twice in this file; it was first on line 5", at(&f, 152, "code"))],
    );
    assert_eq!(wd.ledger_dump(), before);
}

#[test]
fn roster_term_column_disagreeing_with_the_flag_or_itself_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "s.csv",
        "code,name,type,township,parent_school,学期\n\
         2001,\"大峪\n\
         第二小学\",小学,大峪街道,是,2020-2021-1\n\
         2002,大峪中学,初中,大峪街道,是,2020-2021-2\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"schools", &f, &"--term", &TERM]),
        &[format!("{} the row says term 2020-2021-2 but --term says 2020-2021-1", at(&f, 4, "学期 (term)"))],
    );
    // Without --term, the rows must agree with each other.
    assert_rejected(
        &wd,
        &args(&[&"import", &"schools", &f]),
        &[format!("{} this row is for term 2020-2021-2", at(&f, 4, "学期 (term)"))],
    );
}

#[test]
fn roster_without_any_term_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8("c.csv", "code,name,township,parent_school\n1,第一社区,大峪街道,是\n");
    assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &f]),
        &[format!("{}: a communities roster needs its term", f.display())],
    );
    // A term column with a blank cell and no --term.
    let f = wd.write_utf8(
        "s.csv",
        "code,name,type,township,parent_school,term\n1,一小,小学,大峪街道,是,2020-2021-1\n2,二小,小学,大峪街道,是,\n",
    );
    assert_rejected(&wd, &args(&[&"import", &"schools", &f]), &[at(&f, 3, "term")]);
}

/// Within one roster, one code with two names (or one name with two codes) is an error.
#[test]
fn one_roster_may_not_give_a_township_two_names_or_two_codes() {
    let wd = Workdir::with_ledger();
    let before = wd.ledger_dump();
    let c = wd.write_utf8(
        "c.csv",
        "code,name,township,township_code,parent_school\n\
         1,德露苑社区,大峪街道,110109001,是\n\
         2,月季园社区,城子街道,110109001,否\n\
         3,向阳社区,大峪街道,110109002,否\n",
    );
    let out = wd.run(&["import", "communities", c.to_str().unwrap(), "--term", TERM]).expect_code(1);
    let stderr = &out.stderr;
    assert!(
        stderr.contains(&format!(
            "{}:3: column township: township code 110109001 is 大峪街道 on line 2 but 城子街道 here",
            c.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{}:4: column township_code: township 大峪街道 has code 110109001 on line 2 but 110109002 here",
            c.display()
        )),
        "{stderr}"
    );
    assert_eq!(wd.ledger_dump(), before);
}

/// Two rosters of one kind and term in one command would have the second replace the first.
#[test]
fn two_rosters_for_one_term_in_one_command_are_refused() {
    let wd = Workdir::with_ledger();
    let before = wd.ledger_dump();
    let (a, b) = COMMUNITIES.split_at(COMMUNITIES.find("110109001001").unwrap());
    let header = COMMUNITIES.lines().next().unwrap();
    let p1 = wd.write_utf8("p1.csv", a);
    let p2 = wd.write_utf8("p2.csv", &format!("{header}\n{b}"));
    wd.run(&args(&[&"import", &"communities", &p1, &p2, &"--term", &TERM])).expect_code(1).stderr_has(
        "are both communities rosters for 2020-2021-1; a roster lists every unit of its term, so combine them into one file",
    );
    assert_eq!(wd.ledger_dump(), before);
}

#[test]
fn activity_host_in_no_roster_is_rejected() {
    let wd = fixture();
    let f =
        wd.write_utf8("a.csv", "host,date,kind,title\n1111090001,2020-10-08,讲座,\"秋季\n讲座\"\n9999999999,2020-10-09,讲座,x\n");
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &f]),
        &[format!("{} no school, community or body with code 9999999999", at(&f, 4, "host"))],
    );
}

#[test]
fn activity_id_reused_for_a_different_activity_is_rejected_naming_both_places() {
    let wd = fixture();
    // Within one file.
    let f = wd.write_utf8(
        "a.csv",
        "id,host,date,kind,title\nB1,1111090001,2020-10-08,讲座,\"秋季\n讲座\"\nB1,1111090001,2020-10-09,讲座,秋季讲座\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &f]),
        &[format!(
            "{} id B1 is already used by a different activity at {}:2, earlier in this file",
            at(&f, 4, "id"),
            f.display()
        )],
    );
    // Against the ledger: A1 is line 2 of the fixture's activities.csv.
    let g = wd.write_utf8(
        "b.csv",
        "id,host,date,kind,title\n\
         B2,1111090001,2020-10-08,讲座,\"秋季\n\
         讲座\"\n\
         A1,1111090001,2020-09-10,讲座,另一个讲座\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &g]),
        &[format!(
            "{} id A1 is already used by a different activity at {}:2",
            at(&g, 4, "id"),
            wd.path("activities.csv").display()
        )],
    );
}

/// A file large beside the ledger's activities has its id index built after its rows
/// (issue 23); when two of its rows share an id, it is written again the ordinary way, so
/// the outcome is as it always was: the repeat of an activity is a duplicate, counted and
/// kept once, and `check` finds the ledger whole.
#[test]
fn a_repeated_activity_in_a_file_indexed_after_its_rows_is_kept_once() {
    let wd = fixture();
    // Ids out of order, as districts number them (in order, the index stays).
    let rows: String =
        (0..300).map(|i| format!("Z{:03},1111090001,2020-10-{:02},讲座,t{i}\n", i * 7 % 300, i % 28 + 1)).collect();
    let f = wd.write_utf8("big.csv", &format!("id,host,date,kind,title\n{rows}Z049,1111090001,2020-10-08,讲座,t7\n"));
    let before = wd.activities_held();
    wd.ok(&args(&[&"import", &"activities", &f]))
        .stdout_has("imported 300 activities from 301 rows (UTF-8), 1 duplicate skipped");
    assert_eq!(wd.activities_held(), before + 300);
    let batch = &wd.batches_of("activities")[0];
    assert_eq!((batch["imported"].as_u64(), batch["duplicates"].as_u64()), (Some(300), Some(1)), "{batch}");
    wd.ok(&["check"]);
    // The same ids again, now against the ledger: every row a duplicate.
    let g = wd.write_utf8("again.csv", &format!("id,host,date,kind,title\n{rows}"));
    wd.ok(&args(&[&"import", &"activities", &g])).stdout_has("300 duplicates skipped");
    assert_eq!(wd.activities_held(), before + 300);
}

/// Rows without an id in a file large beside the ledger's activities are written with
/// their fingerprint index built after them (issue 23); a repeated activity among them, or
/// one already kept, sends the file back the ordinary way, which compares their fields:
/// the outcome is as it always was.
#[test]
fn a_repeated_activity_without_an_id_in_a_large_file_is_kept_once() {
    let wd = fixture();
    let rows: String = (0..300).map(|i| format!(",1111090001,2020-10-{:02},讲座,t{i}\n", i % 28 + 1)).collect();
    let f = wd.write_utf8("big.csv", &format!("id,host,date,kind,title\n{rows},1111090001,2020-10-08,讲座,t7\n"));
    let before = wd.activities_held();
    wd.ok(&args(&[&"import", &"activities", &f]))
        .stdout_has("imported 300 activities from 301 rows (UTF-8), 1 duplicate skipped");
    assert_eq!(wd.activities_held(), before + 300);
    wd.ok(&["check"]);
    // The same rows again, now against the ledger: every row a duplicate.
    let g = wd.write_utf8("again.csv", &format!("id,host,date,kind,title\n{rows}"));
    wd.ok(&args(&[&"import", &"activities", &g])).stdout_has("300 duplicates skipped");
    assert_eq!(wd.activities_held(), before + 300);
    // New rows, none repeated: all kept, and the index they were written without is whole.
    let new: String = (0..300).map(|i| format!(",1111090001,2020-11-{:02},讲座,n{i}\n", i % 28 + 1)).collect();
    let h = wd.write_utf8("new.csv", &format!("id,host,date,kind,title\n{new}"));
    wd.ok(&args(&[&"import", &"activities", &h])).stdout_has("imported 300 activities from 300 rows");
    assert_eq!(wd.activities_held(), before + 600);
    wd.ok(&["check"]);
}

/// A reused id is "earlier in this file" only when it is; a file of the same name
/// imported before is another place.
#[test]
fn an_id_reused_from_an_earlier_file_of_the_same_name_names_that_import() {
    let wd = fixture();
    let f = wd.write_utf8("act.csv", "id,host,date,kind\nM1,1111090001,2020-10-01,讲座\n");
    wd.import("activities", &f, "");
    let g = wd.write_utf8("act.csv", "id,host,date,kind\nM0,1111090001,2020-10-02,讲座\nM1,1111090001,2020-10-03,讲座\n");
    let out = wd.run(&args(&[&"import", &"activities", &g])).expect_code(1);
    assert!(
        out.stderr.contains(&format!(
            "{}:3: column id: id M1 is already used by a different activity at {}:2;",
            g.display(),
            f.display()
        )),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("earlier in this file"), "{}", out.stderr);
}

#[test]
fn a_bad_second_file_keeps_the_first_out_of_the_ledger() {
    let wd = fixture();
    let held = wd.activities_held();
    let good = wd.write_utf8("good.csv", "id,host,date,kind\nG1,1111090003,2020-10-08,家访\nG2,1111090003,2020-10-09,家访\n");
    let bad = wd.write_utf8("bad.csv", "id,host,date,kind\nG3,1111090003,2020-10-10,家访\nG4,1111090003,2020-10-11,联欢会\n");
    let run = assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &good, &bad]),
        &[format!("{} unknown activity kind \"联欢会\"", at(&bad, 3, "kind"))],
    );
    assert!(!run.stderr.contains(&format!("{}:", good.display())), "{}", run.stderr);
    assert_eq!(wd.activities_held(), held);

    // Rosters too: a good communities roster for a new term and a bad one.
    let c1 = wd.write_utf8("c1.csv", "code,name,township,parent_school\n1,第一社区,大峪街道,是\n");
    let c2 = wd.write_utf8("c2.csv", "code,name,township,parent_school\n2,第二社区,大峪街道,maybe\n");
    assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &c1, &c2, &"--term", &"2021-2022-1"]),
        &[at(&c2, 2, "parent_school")],
    );
    assert!(wd.batches().iter().all(|b| b["term"] != "2021-2022-1"));
    // And both good files go in together.
    wd.ok(&args(&[
        &"import",
        &"activities",
        &good,
        &wd.write_utf8("ok.csv", "id,host,date,kind\nG5,1111090003,2020-10-12,家访\n"),
    ]));
    assert_eq!(wd.activities_held(), held + 3);
}

#[test]
fn dry_run_writes_nothing_and_reports_the_same_errors() {
    let wd = fixture();
    let before = wd.ledger_dump();
    let c = wd.write_utf8("c.csv", "code,name,township,parent_school\n1,第一社区,大峪街道,是\n2,第二社区,大峪街道,否\n");
    let run = wd.ok(&args(&[&"import", &"communities", &c, &"--term", &"2020-2021-2", &"--dry-run"]));
    assert!(run.stdout.contains("would import 2 communities for 2020-2021-2"), "{}", run.stdout);
    assert!(run.stdout.contains("dry run: nothing was written"), "{}", run.stdout);
    assert_eq!(before, wd.ledger_dump());
    let a = wd.write_utf8("a.csv", "id,host,date,kind\nD1,1111090003,2020-10-08,家访\n");
    wd.ok(&args(&[&"import", &"activities", &a, &"--dry-run"]));
    assert_eq!(before, wd.ledger_dump());
    // The same import for real does change the ledger.
    wd.import("communities", &c, "2020-2021-2");
    assert_ne!(before, wd.ledger_dump());

    let before = wd.ledger_dump();
    let bad = wd.write_utf8(
        "bad.csv",
        "code,name,type,township,parent_school\n\
         2001,\"大峪\n\
         第二小学\",小学,大峪街道,是\n\
         2002,大峪中学,中学校,大峪街道,是\n\
         2003,,小学,大峪街道,也许\n",
    );
    let dry = wd.run(&args(&[&"import", &"schools", &bad, &"--term", &TERM, &"--dry-run"])).expect_code(1);
    assert_eq!(before, wd.ledger_dump());
    let real = wd.run(&args(&[&"import", &"schools", &bad, &"--term", &TERM])).expect_code(1);
    assert_eq!(before, wd.ledger_dump());
    let problems = problem_lines(&dry.stderr, &bad);
    assert_eq!(problems.len(), 3, "{}", dry.stderr);
    assert_eq!(problems, problem_lines(&real.stderr, &bad));
}

/// --rejects never overwrites a file, least of all the return itself.
#[test]
fn rejects_never_overwrite_a_file() {
    let wd = Workdir::with_ledger();
    let f = wd.write_utf8("c.csv", "code,name,township,parent_school\n1,第一社区,大峪街道,也许\n");
    let original = std::fs::read(&f).unwrap();
    wd.run(&args(&[&"import", &"communities", &f, &"--term", &TERM, &"--rejects", &f]))
        .expect_code(1)
        .stderr_has("already exists");
    assert_eq!(std::fs::read(&f).unwrap(), original);
}

// ------------------------------------------------------------------ regressions: bugs found and fixed

/// SPEC §3.5: the error lists every bad row.
#[test]
fn regression_id_conflicts_after_a_bad_row_are_still_listed() {
    let wd = fixture();
    let f = wd.write_utf8(
        "a.csv",
        "id,host,date,kind,title\n\
         B1,1111090001,2020-09-10,讲座,x\n\
         B2,1111090001,2020-09-31,讲座,y\n\
         B1,1111090001,2020-09-12,讲座,w\n\
         A1,1111090001,2020-09-12,讲座,w\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &f]),
        &[at(&f, 3, "date"), at(&f, 4, "id"), at(&f, 5, "id"), "3 problems".into()],
    );
}
