//! The ledger's messages speak Chinese by default and today's English with `--lang en`
//! (issue 21, item 1): a missing ledger, a folder given as the ledger, an unknown batch, a
//! closed term twice, a backup over a file, an upgrade, a closed term's refusals, a row the
//! ledger refuses, `check`'s findings and an operating system's error. Real processes on
//! real ledgers.

#[allow(dead_code)] // the helpers other test files use
mod workdir;

#[allow(dead_code)] // shared by the zh_* tests
mod chinese;

use chinese::{assert_chinese, english_sentence, line_with};
use workdir::{Run, Workdir};

const TERM: &str = "2020-2021-1";

const COMMUNITIES: &str = "\
code,name,township,township_code,area,parent_school
110109106201,斋堂村委会,斋堂镇,110109106,农村,是
";

const ACTIVITIES: &str = "\
id,host,date,kind
A1,110109106201,2020-09-10,讲座
";

const REGISTRY: &str = "\
township,category,count,filed
不存在镇,留守儿童,3,2020-10-01
";

/// An error of the ledger's, the whole of stderr: Chinese by default, today's English with
/// `--lang en`.
#[track_caller]
fn error_in_both(wd: &Workdir, args: &[&str], english: &str) {
    let (zh, en) = wd.both(args);
    assert_eq!(zh.code, 1, "{}", zh.stderr);
    assert_chinese(&zh.stderr);
    let english = english.replace("[DIR]", &wd.root().display().to_string());
    assert_eq!(en.expect_code(1).stderr, format!("gongyu: error: {english}\n"));
}

#[test]
fn the_english_sentence_finder_finds_sentences_and_nothing_else() {
    assert!(english_sentence("gongyu: 错误：there is no batch 5").is_some());
    assert!(english_sentence("gongyu: 错误：没有批次 5；gongyu log 列出所有批次").is_none());
    assert!(english_sentence("请先运行 gongyu term reopen 2020-2021-1 --reason \"…\"").is_none());
    assert!(english_sentence("/tmp/gongyu-test-x/ledger.db 处没有台账").is_none());
}

#[test]
fn opening_errors_are_chinese_by_default_and_unchanged_in_english() {
    let wd = Workdir::new();
    error_in_both(
        &wd,
        &["log"],
        "there is no ledger at [DIR]/ledger.db; create one with `gongyu init` (or choose another with --db or $GONGYU_DB)",
    );
    std::fs::create_dir(wd.db()).unwrap();
    error_in_both(&wd, &["log"], "[DIR]/ledger.db is a folder, not a ledger file");
}

#[test]
fn revert_term_and_backup_errors_are_chinese_by_default_and_unchanged_in_english() {
    let wd = Workdir::with_ledger();
    error_in_both(&wd, &["revert", "99"], "there is no batch 99; `gongyu log` lists the batches");
    wd.ok(&["term", "close", TERM]);
    error_in_both(&wd, &["term", "close", TERM], "term 2020-2021-1 is already closed; `gongyu term list` shows when and by whom");
    error_in_both(
        &wd,
        &["term", "reopen", TERM, "--reason", " "],
        "reopening a term needs a reason (--reason \"…\"); it is kept in the ledger's log",
    );
    let taken = wd.write_utf8("taken.db", "somebody's file");
    error_in_both(
        &wd,
        &["backup", taken.to_str().unwrap()],
        "backup [DIR]/taken.db: the file already exists; a backup never replaces a file — choose a new file name for it",
    );
    assert_eq!(std::fs::read_to_string(&taken).unwrap(), "somebody's file", "the file is kept");
}

#[test]
fn a_closed_terms_refusals_are_chinese_by_default_and_unchanged_in_english() {
    let wd = Workdir::with_ledger();
    let c = wd.write_utf8("communities.csv", COMMUNITIES);
    wd.import("communities", &c, TERM);
    wd.ok(&["term", "close", TERM]);
    let a = wd.write_utf8("activities.csv", ACTIVITIES);
    let closed = "term 2020-2021-1 is closed (by gongyu-test at ";
    let (zh, en) = wd.both(&["import", "activities", a.to_str().unwrap()]);
    assert_eq!(zh.code, 1, "{}", zh.stderr);
    assert_chinese(&zh.stderr);
    assert!(zh.stderr.contains("gongyu term reopen 2020-2021-1"), "{}", zh.stderr);
    let en = en.expect_code(1).stderr;
    assert!(en.starts_with(&format!("gongyu: error: {closed}")), "{en}");
    assert!(
        en.ends_with(
            "); importing activities dated in 2020-09 (on or before the term's last day) would change its report, \
             so nothing was written. If the change is right, reopen the term first: gongyu term reopen 2020-2021-1 --reason \"…\"\n"
        ),
        "{en}"
    );
    let (zh, en) = wd.both(&["revert", "1"]);
    assert_eq!(zh.code, 1, "{}", zh.stderr);
    assert_chinese(&zh.stderr);
    assert!(zh.stderr.contains("社区名册"), "the roster's kind in Chinese: {}", zh.stderr);
    let en = en.expect_code(1).stderr;
    assert!(
        en.contains(
            "); reverting batch 1, the communities roster of 2020-2021-1, which its report uses, would change its report, \
             so nothing was written."
        ),
        "{en}"
    );
}

#[test]
fn a_row_the_ledger_refuses_is_worded_in_chinese_by_default_and_unchanged_in_english() {
    let wd = Workdir::with_ledger();
    let c = wd.write_utf8("communities.csv", COMMUNITIES);
    wd.import("communities", &c, TERM);
    let r = wd.write_utf8("registry.csv", REGISTRY);
    let (zh, en) = wd.both(&["import", "registry", r.to_str().unwrap()]);
    assert_eq!(zh.code, 1, "{}", zh.stderr);
    // The row's start (`FILE:LINE: column …:`) is the returns' part; the reason is the ledger's.
    let zh_line = line_with(&zh.stderr, "registry.csv:2:");
    assert_chinese(zh_line.split_once("不存在镇").expect("the township is named").1);
    let en = en.expect_code(1).stderr;
    assert!(
        en.contains(
            ": \"不存在镇\" is not a township of any imported communities roster; \
             write the township's name or code as the communities roster does\n"
        ),
        "{en}"
    );
}

#[test]
fn an_upgrade_is_announced_in_chinese_by_default_and_unchanged_in_english() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ledgers/v5.db");
    let wd = Workdir::new();
    std::fs::copy(fixture, wd.db()).unwrap();
    let zh = wd.run_with(&["log", "--limit", "1"], |c| {
        c.env_remove("GONGYU_LANG");
    });
    let zh = zh.expect_code(0);
    let note = line_with(&zh.stderr, "gongyu:");
    assert_chinese(note);
    let wd = Workdir::new();
    std::fs::copy(fixture, wd.db()).unwrap();
    let en = wd.ok(&["log", "--limit", "1"]);
    assert_eq!(
        wd.redact(&en.stderr),
        format!(
            "gongyu: upgrading [DIR]/ledger.db from schema version 5 to {} (backup: [DIR]/ledger.v5.bak)\n",
            gongyu::ledger::schema::LATEST
        )
    );
}

/// `gongyu --db DB init` in `wd`'s folder (the Workdir's own command names its ledger),
/// in Chinese (no `GONGYU_LANG`) or, if `english`, with `--lang en`.
fn init_at(wd: &Workdir, db: &std::path::Path, english: bool) -> Run {
    let mut cmd = assert_cmd::Command::cargo_bin("gongyu").expect("the gongyu binary");
    cmd.current_dir(wd.root())
        .env_remove("GONGYU_DB")
        .env_remove("GONGYU_PLAN")
        .env_remove("GONGYU_LANG")
        .env("TZ", "UTC")
        .arg("--db")
        .arg(db);
    if english {
        cmd.args(["--lang", "en"]);
    }
    let out = cmd.arg("init").timeout(std::time::Duration::from_secs(60)).output().expect("running gongyu");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8"),
    }
}

#[test]
fn an_operating_systems_error_is_said_in_a_clerks_words() {
    let wd = Workdir::new();
    let file = wd.write_utf8("a-file", "not a folder");
    let db = file.join("sub").join("ledger.db");
    let zh = init_at(&wd, &db, false);
    assert_eq!(zh.code, 1, "{}", zh.stderr);
    assert_chinese(&zh.stderr);
    assert!(zh.stderr.contains("请检查路径"), "what to do: {}", zh.stderr);
    let en = init_at(&wd, &db, true).expect_code(1);
    assert!(en.stderr.contains("cannot create the folder"), "{}", en.stderr);
    assert!(!en.stderr.contains("os error"), "no bare system error: {}", en.stderr);
}

/// A partial pre-upgrade copy that an interrupted upgrade left (its process gone) is
/// removed when the upgrade runs again, and the note saying so is in Chinese by default:
/// the library hands it to the shell, which prints it.
#[test]
fn a_stale_upgrade_copy_is_removed_with_a_chinese_note() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/ledgers/v5.db");
    for english in [false, true] {
        let wd = Workdir::new();
        std::fs::copy(fixture, wd.db()).unwrap();
        // No process has this id (Linux's pid_max is at most 2^22).
        let stale = wd.root().join("ledger.v5.partial-99999999");
        std::fs::write(&stale, b"half a copy").unwrap();
        let run = if english {
            wd.ok(&["--lang", "en", "log", "--limit", "1"])
        } else {
            wd.run_with(&["log", "--limit", "1"], |c| {
                c.env_remove("GONGYU_LANG");
            })
            .expect_code(0)
        };
        assert!(!stale.exists(), "the stale copy is removed");
        let note = line_with(&run.stderr, "ledger.v5.partial-99999999");
        if english {
            assert_eq!(
                wd.redact(note),
                "gongyu: removed ledger.v5.partial-99999999, a partial copy left by an interrupted upgrade of [DIR]/ledger.db"
            );
        } else {
            assert!(note.starts_with("gongyu: "), "{note}");
            assert_chinese(note);
        }
    }
}
