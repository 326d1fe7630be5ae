//! The commands' and the import's messages speak Chinese by default and today's English
//! with `--lang en` (issue 21, item 1): `init`, an import's summary, a dry run, a file
//! given again, a rejected import and its hint, `--rejects` refused for two files, revert,
//! check, backup, template, `plan check`, and a bad `GONGYU_TODAY`. Real processes on real
//! ledgers.

#[allow(dead_code)] // the helpers other test files use
mod workdir;

#[allow(dead_code)] // shared by the zh_* tests
mod chinese;

use std::path::Path;

use chinese::{assert_chinese, english_sentence};
use workdir::Workdir;

const TERM: &str = "2020-2021-1";

const COMMUNITIES: &str = "\
code,name,township,township_code,area,parent_school
110109106201,斋堂村委会,斋堂镇,110109106,农村,是
110109106202,东斋堂村委会,斋堂镇,110109106,农村,否
";

/// The same code twice: a problem the import finds across rows.
const TWICE: &str = "\
code,name,township,township_code,area,parent_school
110109106201,斋堂村委会,斋堂镇,110109106,农村,是
110109106201,斋堂村委会,斋堂镇,110109106,农村,是
";

/// `text` with the test's folder shown as `[DIR]`.
fn shown(wd: &Workdir, text: &str) -> String {
    text.replace(&wd.root().display().to_string(), "[DIR]")
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn the_english_sentence_finder_finds_sentences_and_nothing_else() {
    assert!(english_sentence("gongyu: 错误：fix the rows above").is_some());
    assert!(english_sentence("/tmp/x/a.csv：已导入 2020-2021-1 的 2 个社区（共 2 行，UTF-8）；批次 1").is_none());
    assert!(english_sentence("请加 --term（如 --term 2020-2021-1）").is_none());
}

#[test]
fn init_and_check_speak_chinese_by_default_and_todays_english() {
    let wd = Workdir::new();
    let (zh, en) = wd.both(&["init"]);
    let zh = zh.expect_code(0);
    assert_chinese(&zh.stdout);
    assert_eq!(
        shown(&wd, &en.expect_code(0).stdout),
        format!(
            "the ledger [DIR]/ledger.db already exists (schema version {}); nothing changed\n",
            gongyu::ledger::schema::LATEST
        )
    );
    let fresh = Workdir::new();
    let zh = fresh.run_with(&["init"], |c| {
        c.env_remove("GONGYU_LANG");
    });
    let zh = zh.expect_code(0);
    assert_chinese(&zh.stdout);
    assert!(zh.stdout.starts_with("已创建台账 "), "{}", zh.stdout);
    let (zh, en) = wd.both(&["check"]);
    let zh = zh.expect_code(0);
    assert_chinese(&zh.stdout);
    assert_eq!(shown(&wd, &en.expect_code(0).stdout), "[DIR]/ledger.db: ok (integrity, foreign keys and ledger invariants)\n");
}

#[test]
fn an_imports_summaries_speak_chinese_by_default_and_todays_english() {
    let wd = Workdir::with_ledger();
    let file = wd.write_utf8("社区.csv", COMMUNITIES);
    let (zh, en) = wd.both(&["import", "communities", p(&file), "--term", TERM, "--dry-run"]);
    let zh = zh.expect_code(0);
    assert_chinese(&zh.stdout);
    assert!(zh.stdout.contains("2 个社区"), "{}", zh.stdout);
    assert_eq!(
        shown(&wd, &en.expect_code(0).stdout),
        "[DIR]/社区.csv: valid (UTF-8): would import 2 communities for 2020-2021-1 from 2 rows\n\
         dry run: nothing was written to the ledger\n"
    );
    let zh = wd.run_with(&["import", "communities", p(&file), "--term", TERM], |c| {
        c.env_remove("GONGYU_LANG");
    });
    let zh = zh.expect_code(0);
    assert_chinese(&zh.stdout);
    assert!(zh.stdout.contains("已导入 2020-2021-1 的 2 个社区") && zh.stdout.contains("批次 1"), "{}", zh.stdout);
    let (zh, en) = wd.both(&["import", "communities", p(&file), "--term", TERM]);
    let zh = zh.expect_code(0);
    assert_chinese(&zh.stdout);
    assert_eq!(
        shown(&wd, &en.expect_code(0).stdout),
        "[DIR]/社区.csv: identical to batch 1, already in the ledger; nothing changed\n"
    );
    // Undone: the roster goes, and the clerk is told what reports use now.
    let en = wd.run(&["--lang", "en", "revert", "1"]).expect_code(0);
    assert_eq!(
        shown(&wd, &en.stdout),
        "reverted batch 1 (2 communities for 2020-2021-1, [DIR]/社区.csv)\n\
         there is no communities roster for 2020-2021-1 now; reports fall back to an earlier term's roster, if any\n"
    );
    wd.ok(&["import", "communities", p(&file), "--term", TERM]);
    let zh = wd.run_with(&["revert", "2"], |c| {
        c.env_remove("GONGYU_LANG");
    });
    let zh = zh.expect_code(0);
    assert_chinese(&zh.stdout);
    assert!(zh.stdout.contains("2 个社区") && zh.stdout.contains("社区名册"), "{}", zh.stdout);
}

/// A rejected import: the count, the problem found across rows and the hint to fix the rows
/// (chosen by whether a row was at fault, not by the English words of the row errors).
#[test]
fn a_rejected_import_speaks_chinese_by_default_and_todays_english() {
    let wd = Workdir::with_ledger();
    let file = wd.write_utf8("社区-重复.csv", TWICE);
    let (zh, en) = wd.both(&["import", "communities", p(&file), "--term", TERM]);
    let zh = zh.expect_code(1).stderr;
    let lines: Vec<&str> = zh.lines().collect();
    assert_eq!(lines.len(), 3, "{zh}");
    assert_chinese(lines[0]);
    assert!(lines[0].contains("1 处问题"), "{zh}");
    assert!(lines[1].contains("社区-重复.csv:3:") && lines[1].contains("在本文件中出现了两次"), "{zh}");
    assert_chinese(lines[2]);
    assert_eq!(lines[2], "请改正上面列出的行，然后重新导入文件");
    assert_eq!(
        shown(&wd, &en.expect_code(1).stderr),
        "gongyu: error: rejected [DIR]/社区-重复.csv: 1 problem; nothing was written to the ledger\n\
         [DIR]/社区-重复.csv:3: column code: code 110109106201 appears twice in this file; it was first on line 2\n\
         fix the rows above and import the file(s) again\n"
    );
    // A file that cannot be read is no row's fault: the hint is to fix the file.
    let (zh, en) = wd.both(&["import", "communities", "没有这个文件.csv", "--term", TERM]);
    let zh = zh.expect_code(1);
    assert!(zh.stderr.ends_with("请改正文件，然后重新导入\n"), "{}", zh.stderr);
    let en = en.expect_code(1);
    assert!(en.stderr.ends_with("\nfix the file(s) and import again\n"), "{}", en.stderr);
    let (zh, en) = wd.both(&["import", "communities", p(&file), p(&file), "--term", TERM, "--rejects", "r.csv"]);
    let zh = zh.expect_code(1);
    assert_chinese(&zh.stderr);
    assert_eq!(
        en.expect_code(1).stderr,
        "gongyu: error: --rejects writes back one return; import the files one at a time to collect their rejects\n"
    );
}

#[test]
fn template_backup_plan_check_and_a_bad_today_speak_chinese_by_default_and_todays_english() {
    let wd = Workdir::with_ledger();
    let zh = wd.run_with(&["template", "communities", "--format", "xlsx", "-o", "社区.xlsx"], |c| {
        c.env_remove("GONGYU_LANG");
    });
    let zh = zh.expect_code(0);
    assert_chinese(&zh.stderr);
    let en = wd.run(&["--lang", "en", "template", "communities", "--format", "xlsx", "-o", "c.xlsx"]).expect_code(0);
    assert_eq!(en.stderr, "gongyu: wrote a blank communities workbook to c.xlsx\n");
    let (zh, en) = wd.both(&["backup", "b1.db"]);
    let zh = zh.expect_code(0);
    assert_chinese(&zh.stdout);
    let en = en.expect_code(1); // b1.db exists now: the Chinese run wrote it
    assert!(en.stderr.contains("the file already exists; a backup never replaces a file"), "{}", en.stderr);
    let en = wd.run(&["--lang", "en", "backup", "b2.db"]).expect_code(0);
    assert_eq!(shown(&wd, &en.stdout), "backed up [DIR]/ledger.db to b2.db\n");
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("plans/national-2021-2025.toml");
    let (zh, en) = wd.both(&["plan", "check", p(&plan)]);
    let zh = zh.expect_code(0);
    assert_chinese(&zh.stdout);
    let en = en.expect_code(0);
    assert!(en.stdout.contains(": plan national-2021-2025 ("), "{}", en.stdout);
    assert!(en.stdout.contains(") is valid: 4 targets, "), "{}", en.stdout);
    let zh = wd.run_with(&["returns"], |c| {
        c.env_remove("GONGYU_LANG").env("GONGYU_TODAY", "tomorrow");
    });
    assert_chinese(zh.expect_code(1).stderr.lines().next().unwrap());
    let en = wd.run_with(&["--lang", "en", "returns"], |c| {
        c.env("GONGYU_TODAY", "tomorrow");
    });
    let en = en.expect_code(1);
    assert!(en.stderr.starts_with("gongyu: error: GONGYU_TODAY=tomorrow is not a date in the form YYYY-MM-DD"), "{}", en.stderr);
}
