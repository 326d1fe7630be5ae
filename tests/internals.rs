//! What only SQL can see (issue 20). Behaviour tests speak through the commands; the tests
//! here look inside the ledger, because what they hold to is not in any output: how each
//! spelling of a column is stored, how unit codes are interned to keys, a report read while
//! another connection holds the write lock, an independent count of the activities a revert
//! orphans, a reader's snapshot keeping pages in the WAL, and `check`'s findings on a ledger
//! damaged by hand. With `integrity.rs`, `crashes.rs`, `power_loss.rs`, `schema.rs`, `internals_tally.rs`
//! and `internals_check.rs`, these are the only test files that run SQL on a ledger, so a
//! change of the schema meets its tests here and nowhere else.

#[allow(dead_code)] // shared by the zh_* tests
mod chinese;
#[allow(dead_code)] // each cli_* file uses some of the fixtures and helpers
mod cli_support;
#[allow(dead_code)] // the helpers other test files use
mod workdir;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use chinese::line_with;
use cli_support::{district, fixture, ratio, schools_roster, COMMUNITIES, TERM};
use workdir::Workdir;

/// Each column takes each of its spellings (SPEC §3.1–3.3), and the value lands in the
/// right field of the ledger.
#[test]
fn every_header_spelling_of_every_column_is_accepted() {
    let wd = fixture();
    type Cols<'a> = &'a [(&'a [&'a str], &'a str)];
    let header_and_row = |cols: Cols, k: usize| -> String {
        let header: Vec<&str> = cols.iter().map(|(names, _)| names[k % names.len()]).collect();
        let row: Vec<String> = cols.iter().map(|(_, v)| v.replace("{k}", &k.to_string())).collect();
        format!("{}\n{}\n", header.join(","), row.join(","))
    };
    let schools: Cols = &[
        (&["code", "学校代码", "学校标识码"], "99000{k}"),
        (&["name", "学校名称"], "测试{k}小学"),
        (&["type", "学校类型", "办学类型"], "幼儿园"),
        (&["township", "所属乡镇", "所属街道", "乡镇街道"], "城子街道"),
        (&["parent_school", "家长学校", "是否建立家长学校"], "是"),
        (&["parent_school_since", "家长学校成立日期"], "2019-09-0{k}"),
        (&["principal_heads", "校长兼任家长学校校长", "校长是否兼任"], "否"),
        (&["term", "学期"], "2021-2022-1"),
    ];
    let communities: Cols = &[
        (&["code", "社区代码", "村居代码", "统计用区划代码"], "88000{k}"),
        (&["name", "社区名称", "村居名称", "名称"], "测试{k}"),
        (&["township", "所属乡镇街道", "乡镇街道", "所属乡镇", "所属街道"], "测试镇"),
        (&["township_code", "乡镇街道代码"], "11010919{k}"),
        (&["area", "城乡类型", "城乡分类", "城乡分类代码"], "农村"),
        (&["parent_school", "家长学校", "是否建立家长学校"], "否"),
        (&["parent_school_since"], ""),
        (&["term", "学期"], "2021-2022-1"),
    ];
    let activities: Cols = &[
        (&["id", "活动编号"], "H{k}"),
        (&["host", "主办单位代码", "家长学校代码", "单位代码"], "1111090003"),
        (&["date", "活动日期", "日期"], "2021-01-0{k}"),
        (&["kind", "活动类型", "类型"], "家访"),
        (&["title", "活动名称", "主题"], "家访{k}"),
        (&["participants", "参与人数", "参加人数"], "{k}"),
        (&["mode", "形式"], "线上"),
    ];
    for k in 1..=5 {
        let s = wd.write_utf8(&format!("schools-{k}.csv"), &header_and_row(schools, k));
        let run = wd.import("schools", &s, "");
        assert!(!run.stderr.contains("not a column"), "{}", run.stderr);
        let c = wd.write_utf8(&format!("communities-{k}.csv"), &header_and_row(communities, k));
        let run = wd.import("communities", &c, "");
        assert!(!run.stderr.contains("not a column"), "{}", run.stderr);
        let a = wd.write_utf8(&format!("activities-{k}.csv"), &header_and_row(activities, k));
        let run = wd.import("activities", &a, "");
        assert!(!run.stderr.contains("not a column"), "{}", run.stderr);

        assert_eq!(
            wd.count(&format!(
                "SELECT count(*) FROM school s JOIN unit u ON u.id = s.unit_id JOIN batch b ON b.id = s.batch_id
                 WHERE u.code = '99000{k}' AND s.name = '测试{k}小学' AND s.type = '幼儿园' AND s.school_group = '幼儿园'
                 AND s.township = '城子街道' AND s.facts_yes = 1 AND s.parent_school_since = '2019-09-0{k}'
                 AND s.facts_no = 2 AND b.term = '2021-2022-1'"
            )),
            1,
            "schools spelling {k}"
        );
        assert_eq!(
            wd.count(&format!(
                "SELECT count(*) FROM community c JOIN unit u ON u.id = c.unit_id JOIN batch b ON b.id = c.batch_id
                 WHERE u.code = '88000{k}' AND c.name = '测试{k}' AND c.township_name = '测试镇'
                 AND c.township_code = '11010919{k}' AND c.area = 'rural' AND c.facts_no = 1 AND b.term = '2021-2022-1'"
            )),
            1,
            "communities spelling {k}"
        );
        assert_eq!(
            wd.count(&format!(
                "SELECT count(*) FROM activity a JOIN unit u ON u.id = a.host_id
                 WHERE a.ext_id = 'H{k}' AND u.code = '1111090003' AND a.day = 2021010{k} AND a.term = 20201
                 AND a.kind = 'home-visit' AND a.title = '家访{k}' AND a.participants = {k} AND a.mode = 'online'"
            )),
            1,
            "activities spelling {k}"
        );
    }
}

#[test]
fn every_yes_no_spelling_is_read() {
    let yes = ["是", "有", "已建", "Y", "y", "yes", "YES", "Yes", "true", "TRUE", "1", "✓", "Ｙ", " 是　"];
    let no = ["否", "无", "未建", "N", "n", "no", "NO", "false", "False", "0", "✗", "０"];
    let mut text = String::from("code,name,township,parent_school,principal_heads,type\n");
    let mut want = Vec::new();
    for (i, v) in yes.iter().map(|v| (v, true)).chain(no.iter().map(|v| (v, false))).enumerate() {
        let code = format!("{:04}", i + 1);
        text.push_str(&format!("{code},学校{i},大峪街道,{},{},小学\n", v.0, v.0));
        want.push((code, v.1));
    }
    let wd = Workdir::with_ledger();
    // A schools roster has two yes/no columns.
    let file = wd.write_utf8("schools.csv", &text);
    wd.import("schools", &file, TERM);
    let conn = rusqlite::Connection::open(wd.db()).unwrap();
    let mut stmt = conn
        .prepare(
            // Facts are bit masks: bit 0 parent_school, bit 1 principal_heads.
            "SELECT u.code, s.facts_yes & 1 = 1, s.facts_yes & 2 = 2 FROM school s JOIN unit u ON u.id = s.unit_id ORDER BY u.code",
        )
        .unwrap();
    let got: Vec<(String, bool)> = stmt
        .query_map([], |r| {
            let (code, p, h): (String, bool, bool) = (r.get(0)?, r.get(1)?, r.get(2)?);
            assert_eq!(p, h);
            Ok((code, p))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(got, want);
    let report = wd.report_json(TERM);
    assert_eq!(ratio(district(&report, "school-parent-school")), (yes.len() as u64, (yes.len() + no.len()) as u64));
}

#[test]
fn every_date_form_is_the_same_date() {
    let wd = fixture();
    let forms =
        ["2020-09-01", "2020/9/1", "2020/09/01", "2020.9.1", "2020年9月1日", "20200901", "２０２０－０９－０１", " 2020-9-1　"];
    let mut text = String::from("host,date,kind,title\n");
    for f in forms {
        text.push_str(&format!("1111090003,{f},家访,开学家访\n"));
    }
    let file = wd.write_utf8("visits.csv", &text);
    wd.import("activities", &file, "")
        .stdout_has(&format!("imported 1 activity from {} rows", forms.len()))
        .stdout_has(&format!("{} duplicates skipped", forms.len() - 1));
    assert_eq!(wd.count("SELECT count(*) FROM activity WHERE ext_id IS NULL AND day = 20200901 AND term = 20201"), 1);

    // Founding dates in a roster, in every form, are stored as the same day.
    let mut roster = String::from("code,name,township,township_code,parent_school,parent_school_since\n");
    for (i, f) in ["2019-03-05", "2019/3/5", "2019.3.5", "2019年3月5日", "20190305", "２０１９/０３/０５"].iter().enumerate()
    {
        roster.push_str(&format!("77{i},第{i}社区,大峪街道,110109001,是,{f}\n"));
    }
    let file = wd.write_utf8("since.csv", &roster);
    wd.import("communities", &file, "2020-2021-2");
    assert_eq!(wd.count("SELECT count(*) FROM community WHERE parent_school_since = '2019-03-05'"), 6);
}

#[test]
fn long_rosters_keep_known_unit_keys_and_give_new_codes_keys_in_file_order() {
    // Units are interned many rows at a time: known codes keep their keys, new ones get
    // theirs in the order of the file, and every row gets its own code's key.
    let wd = Workdir::with_ledger();
    let first: Vec<u32> = (0..100).map(|i| 5000 + i).collect();
    wd.import("schools", &wd.write_utf8("s1.csv", &schools_roster(&first)), TERM);
    assert_eq!(wd.count("SELECT count(*) FROM unit WHERE id = code - 4999"), 100);
    // 150 rows, known and new codes interleaved and out of order.
    let second: Vec<u32> = (0..150).map(|i| if i % 2 == 0 { 5099 - i / 2 } else { 6000 - i }).collect();
    wd.import("schools", &wd.write_utf8("s2.csv", &schools_roster(&second)), "2020-2021-2");
    assert_eq!(wd.count("SELECT count(*) FROM unit"), 175);
    assert_eq!(wd.count("SELECT count(*) FROM unit WHERE id <= 100 AND id = code - 4999"), 100);
    let new: Vec<String> = second.iter().filter(|c| **c >= 6000 - 149).map(u32::to_string).collect();
    let interned: Vec<String> = (101..=175).map(|id| wd.text(&format!("SELECT code FROM unit WHERE id = {id}"))).collect();
    assert_eq!(interned, new);
    assert_eq!(
        wd.count(
            "SELECT count(*) FROM school s JOIN unit u ON u.id = s.unit_id JOIN batch b ON b.id = s.batch_id
             WHERE b.term = '2020-2021-2' AND s.name = '学校' || u.code"
        ),
        150
    );
}

#[test]
fn a_report_does_not_wait_for_an_import_in_progress() {
    let wd = fixture();
    let conn = rusqlite::Connection::open(wd.db()).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE; INSERT INTO unit (code) VALUES ('in-flight');").unwrap();
    let started = std::time::Instant::now();
    let run = wd.run_with(&["coverage", "report", "--term", TERM, "--format", "json"], |c| {
        c.timeout(std::time::Duration::from_secs(20));
    });
    let run = run.expect_code(0);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(ratio(district(&run.json(), "school-parent-school")), (4, 5));
    conn.execute_batch("ROLLBACK").unwrap();
}

/// Reverting a roster whose units host activities no other roster lists needs --force.
#[test]
fn reverting_a_roster_that_would_orphan_activities_needs_force() {
    let wd = fixture();
    let before = wd.ledger_dump();
    let refused = wd.run(&["revert", "2"]).expect_code(1).stderr_has("give --force to revert anyway");
    assert_eq!(wd.ledger_dump(), before);
    let forced = wd.ok(&["revert", "2", "--force"]).stderr_has("activities are hosted by units that are in no roster now");
    let check = wd.run(&["check"]).expect_code(1).stdout_has("activity-host-in-roster");
    // One finding per orphaned activity (the check looks each host up once, not each row).
    let listed = check.stdout.lines().filter(|l| l.contains("which is in no live roster")).count();
    let orphaned = wd.count(
        "SELECT count(*) FROM activity a WHERE NOT EXISTS (SELECT 1 FROM school s JOIN batch b ON b.id = s.batch_id
           WHERE s.unit_id = a.host_id AND b.reverted_at IS NULL)
         AND NOT EXISTS (SELECT 1 FROM community c JOIN batch b ON b.id = c.batch_id
           WHERE c.unit_id = a.host_id AND b.reverted_at IS NULL)
         AND NOT EXISTS (SELECT 1 FROM body y JOIN batch b ON b.id = y.batch_id
           WHERE y.unit_id = a.host_id AND b.reverted_at IS NULL)",
    );
    assert!(orphaned > 0);
    assert_eq!(listed as i64, orphaned, "{}", check.stdout);
    // The count the refusal and the warning give (from the tally) is the activities'.
    refused.stderr_has(&format!("would leave {orphaned} activities"));
    forced.stderr_has(&format!("warning: {orphaned} activities"));
}

/// How to run gongyu so that a folder's permissions bind it: as root, as `nobody` through
/// `setpriv` (root writes anywhere); `None`, with the reason, when that cannot be done.
fn unprivileged() -> Result<std::process::Command, String> {
    let bin = env!("CARGO_BIN_EXE_gongyu");
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(std::process::Command::new(bin));
    }
    let probe = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", bin, "--version"])
        .output();
    match probe {
        Ok(o) if o.status.success() => {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
            Ok(c)
        }
        Ok(o) => Err(format!("running as root, and setpriv cannot run gongyu as nobody: {}", String::from_utf8_lossy(&o.stderr))),
        Err(e) => Err(format!("running as root, and setpriv is not available to drop root: {e}")),
    }
}

/// Issue 22 item 12: a ledger in a folder gongyu cannot write, with a WAL an import left
/// (committed, not yet checked in, no `-shm` beside it), was read as immutable: the WAL was
/// ignored and `log` said "No imports yet".
#[cfg(unix)]
#[test]
fn regression_a_read_only_ledger_with_a_wal_left_behind_is_read_whole() {
    use std::os::unix::fs::PermissionsExt;
    let mut cmd = match unprivileged() {
        Ok(c) => c,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    let wd = Workdir::with_ledger();
    let c = wd.write_utf8("c.csv", COMMUNITIES);
    // A reader's snapshot keeps the import's pages out of the ledger file, in its WAL.
    let reader = rusqlite::Connection::open(wd.db()).unwrap();
    reader.execute_batch("BEGIN; SELECT count(*) FROM batch;").unwrap();
    wd.import("communities", &c, TERM);
    // A folder only its owner may write, everyone may read (the tests' folder is private).
    let shared = tempfile::Builder::new().prefix("gongyu-ro-").tempdir().unwrap();
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let ro = shared.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let name = wd.db().file_name().unwrap().to_string_lossy().into_owned();
    for side in ["", "-wal"] {
        std::fs::copy(wd.path(&format!("{name}{side}")), ro.join(format!("{name}{side}"))).unwrap();
        std::fs::set_permissions(ro.join(format!("{name}{side}")), std::fs::Permissions::from_mode(0o444)).unwrap();
    }
    drop(reader);
    assert!(std::fs::metadata(ro.join(format!("{name}-wal"))).unwrap().len() > 0, "the WAL holds the import");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let out = cmd
        .arg("--db")
        .arg(ro.join(&name))
        .args(["log", "--format", "csv"])
        .env_remove("GONGYU_DB")
        .env_remove("GONGYU_PLAN")
        .env("GONGYU_LANG", "en")
        .env("GONGYU_TODAY", workdir::TODAY)
        .output()
        .unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stderr.contains("is read-only"), "the read-only path was taken: {stderr}");
    assert!(stdout.contains("communities") && stdout.contains("c.csv"), "the import in the WAL is read:\n{stdout}\n{stderr}");
    let left: Vec<_> = std::fs::read_dir(&ro).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 2, "nothing was written beside it: {left:?}");
}

#[test]
fn checks_findings_are_chinese_by_default_and_unchanged_in_english() {
    let wd = Workdir::with_ledger();
    let c = wd.write_utf8("communities.csv", COMMUNITIES);
    wd.import("communities", &c, TERM);
    // A batch marked reverted with no revert recorded: damage only `check` sees.
    let conn = rusqlite::Connection::open(wd.db()).unwrap();
    conn.execute("UPDATE batch SET reverted_at = '2021-01-01T00:00:00Z' WHERE id = 1", []).unwrap();
    drop(conn);
    let (zh, en) = wd.both(&["check"]);
    assert_eq!(zh.code, 1, "{}", zh.stderr);
    let finding = line_with(&zh.stdout, "批次 1");
    assert!(chinese::has_cjk(finding), "not Chinese: {finding}");
    assert_eq!(chinese::english_sentences(finding), Vec::<String>::new(), "{finding}");
    assert_eq!(line_with(&en.stdout, "batch 1"), "  batch 1 is marked reverted but no revert is recorded");
}

/// A workbook whose header spans two rows under merged cells, as government forms have it:
/// 家长学校 merged over two columns, with 是否建立家长学校 and 家长学校成立日期 beneath.
#[test]
fn a_two_row_header_with_merged_cells() {
    let wd = Workdir::with_ledger();
    let path = wd.path("schools.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let plain = Format::new();
    ws.merge_range(0, 0, 0, 5, "门头沟区学校家长学校情况统计表", &plain).unwrap();
    for (c, h) in ["学校代码", "学校名称", "学校类型", "所属乡镇"].iter().enumerate() {
        ws.merge_range(1, c as u16, 2, c as u16, h, &plain).unwrap();
    }
    ws.merge_range(1, 4, 1, 5, "家长学校", &plain).unwrap();
    ws.write_string(2, 4, "是否建立家长学校").unwrap();
    ws.write_string(2, 5, "家长学校成立日期").unwrap();
    ws.write_number(3, 0, 1111090001.0).unwrap();
    ws.write_string(3, 1, "大峪第一小学").unwrap();
    ws.write_string(3, 2, "小学").unwrap();
    ws.write_string(3, 3, "大峪街道").unwrap();
    ws.write_string(3, 4, "是").unwrap();
    let date = Format::new().set_num_format("yyyy年m月d日");
    ws.write_datetime_with_format(3, 5, ExcelDateTime::parse_from_str("2019-09-01").unwrap(), &date).unwrap();
    book.save(&path).unwrap();
    wd.import("schools", &path, "2020-2021-1").stdout_has("imported 1 school for 2020-2021-1");
    // The founding date is kept and never read back by a report: only SQL sees it.
    assert_eq!(wd.text("SELECT parent_school_since FROM school"), "2019-09-01");
}

/// A roster's types, areas and townships are read once per spelling (the bytes of the row
/// before, or of the few types met): a township spelled again after another is still one
/// township, by name or by code; and a text that is not UTF-8, damaged by hand, is an
/// error on whichever row it is, after rows that were read well.
#[test]
fn roster_spellings_met_again_are_one_township_and_damaged_text_is_an_error() {
    let wd = Workdir::with_ledger();
    wd.import("communities", &wd.write_utf8("c.csv", COMMUNITIES), TERM);
    let schools = "code,name,type,township,parent_school\n\
                   1111090001,一小,小学,大峪街道,是\n\
                   1111090002,二小,幼儿园,斋堂镇,是\n\
                   1111090003,三小,小学,大峪街道,否\n\
                   1111090004,四小,初中,110109106,是\n\
                   1111090005,五小,小学,斋堂镇,是\n\
                   1111090006,六小,幼儿园,110109001,是\n";
    wd.import("schools", &wd.write_utf8("s.csv", schools), TERM);
    let r = wd.report_json(TERM);
    assert_eq!(of(&r, "110109001"), (2, 3), "大峪街道: 一小, 三小 and 六小 (by code)");
    assert_eq!(of(&r, "110109106"), (3, 3), "斋堂镇: 二小, 四小 (by code) and 五小");
    assert_eq!(ratio(district(&r, "school-parent-school")), (5, 6));

    // The last school's township made bytes that are not UTF-8: those of the row before
    // (斋堂镇) but the last (the rows before it read as ever); then every township one
    // spelling again, read well; then the fourth school's type damaged so, after 小学.
    let not_utf8 = |damage: &str| {
        write(&wd, damage);
        let run = wd.run(&["coverage", "report", "--term", TERM, "--format", "json"]);
        assert_ne!(run.code, 0, "{damage}: {}", run.stdout);
        assert!(run.stderr.contains("is not UTF-8 text"), "{damage}: {}", run.stderr);
    };
    not_utf8(
        "UPDATE school SET township = CAST(x'e6968be5a082e995ff' AS TEXT) WHERE unit_id = (SELECT max(unit_id) FROM school)",
    );
    write(&wd, "UPDATE school SET township = '大峪街道'");
    assert_eq!(of(&wd.report_json(TERM), "110109001"), (5, 6), "every school now in 大峪街道");
    not_utf8(
        "UPDATE school SET type = CAST(x'e5b08fe5adff' AS TEXT) WHERE unit_id = (SELECT id FROM unit WHERE code = '1111090004')",
    );
}

/// `school-parent-school` in the township with `code` of a JSON report.
fn of(r: &serde_json::Value, code: &str) -> (u64, u64) {
    ratio(cli_support::target(&cli_support::township(r, code)["targets"], "school-parent-school"))
}

/// Changes the ledger by hand.
fn write(wd: &Workdir, sql: &str) {
    let conn = rusqlite::Connection::open(wd.db()).unwrap();
    conn.execute(sql, []).unwrap_or_else(|e| panic!("{sql}: {e}"));
}
