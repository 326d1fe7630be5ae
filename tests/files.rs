//! Files gongyu writes and reads beside the returns (issue 22 items 10, 11, 12, 15): `-o`,
//! `--rejects` and `backup` targets (SPEC §14), ledgers that can only be read, rejects
//! from workbooks, and .xls/.ods sheets read in bounded memory.

#[allow(dead_code)] // the helpers other test files use
mod workdir;

use std::path::Path;

use workdir::Workdir;

const TERM: &str = "2020-2021-1";

const COMMUNITIES: &str = "\
code,name,township,township_code,parent_school
110109001001,德露苑社区居委会,大峪街道,110109001,是
110109001002,月季园东里社区居委会,大峪街道,110109001,否
";

/// A ledger with a community roster.
fn ledger_with_roster() -> Workdir {
    let wd = Workdir::with_ledger();
    let c = wd.write_utf8("c.csv", COMMUNITIES);
    wd.import("communities", &c, TERM);
    wd
}

fn report_args(out: &Path, extra: &[&str]) -> Vec<std::ffi::OsString> {
    let mut a: Vec<std::ffi::OsString> =
        ["coverage", "report", "--term", TERM, "--format", "csv", "-o"].iter().map(Into::into).collect();
    a.push(out.into());
    a.extend(extra.iter().map(Into::into));
    a
}

/// The names in the folder that a write may have left behind.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial") || n.starts_with(".gongyu-"))
        .collect()
}

// ------------------------------------------------------------------ -o FILE (item 11)

/// Issue 22 item 11: `-o FILE` replaced any existing file without a word.
#[test]
fn regression_output_keeps_an_existing_file_unless_forced() {
    let wd = ledger_with_roster();
    let out = wd.write_utf8("报告.csv", "the clerk's own file\n");
    wd.run(&report_args(&out, &[])).expect_code(1).stderr_has("already exists").stderr_has("--force");
    // In Chinese by default.
    wd.run_with(&report_args(&out, &[]), |c| {
        c.env_remove("GONGYU_LANG");
    })
    .expect_code(1)
    .stderr_has("文件已存在");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "the clerk's own file\n");
    // The template and the workbook keep it too.
    wd.run(&["template", "schools", "-o", out.to_str().unwrap()]).expect_code(1).stderr_has("already exists");
    let mut xlsx = report_args(&out, &[]);
    xlsx[5] = "xlsx".into();
    wd.run(&xlsx).expect_code(1).stderr_has("already exists");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "the clerk's own file\n");

    // With --force the file is replaced, through a new file renamed into place: a hard
    // link to the old one still holds the old contents (it was not written over).
    #[cfg(unix)]
    std::fs::hard_link(&out, wd.path("old-link.csv")).unwrap();
    wd.ok(&report_args(&out, &["--force"]));
    assert!(std::fs::read_to_string(&out).unwrap().contains("target"), "the report was written");
    #[cfg(unix)]
    assert_eq!(std::fs::read_to_string(wd.path("old-link.csv")).unwrap(), "the clerk's own file\n");
    wd.ok(&["template", "schools", "--force", "-o", out.to_str().unwrap()]);
    assert!(leftovers(wd.root()).is_empty(), "{:?}", leftovers(wd.root()));
}

/// Issue 22 item 11: `-o` onto the ledger (or its WAL) wrote over it, even without --force.
#[test]
fn regression_output_never_writes_the_ledger_or_its_wal() {
    let wd = ledger_with_roster();
    let before = wd.ledger_dump();
    let bytes = std::fs::read(wd.db()).unwrap();
    let name = wd.db().file_name().unwrap().to_string_lossy().into_owned();
    for target in [name.clone(), format!("./{name}"), format!("{name}-wal"), format!("{name}-shm")] {
        for force in [&[][..], &["--force"][..]] {
            wd.run(&report_args(Path::new(&target), force)).expect_code(1).stderr_has("that is the ledger");
        }
    }
    wd.run(&["template", "schools", "--force", "-o", &name]).expect_code(1).stderr_has("that is the ledger");
    wd.run(&["backup", &format!("{name}-wal")]).expect_code(1).stderr_has("that is the ledger");
    let f = wd.write_utf8("bad.csv", "code,name,township,parent_school\n1,第一社区,大峪街道,也许\n");
    wd.run(&["import", "communities", f.to_str().unwrap(), "--term", TERM, "--rejects", &name, "--force"])
        .expect_code(1)
        .stderr_has("that is the ledger");
    assert_eq!(std::fs::read(wd.db()).unwrap(), bytes);
    assert_eq!(wd.ledger_dump(), before);
}

/// Issue 22 item 11: `-o` followed a symbolic link and wrote over the file it points to.
#[cfg(unix)]
#[test]
fn regression_output_does_not_follow_a_symbolic_link() {
    let wd = ledger_with_roster();
    let victim = wd.write_utf8("victim.txt", "somebody else's file\n");
    let link = wd.path("link.csv");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let dangling = wd.path("dangling.csv");
    std::os::unix::fs::symlink(wd.path("made-through-the-link.csv"), &dangling).unwrap();
    for force in [&[][..], &["--force"][..]] {
        wd.run(&report_args(&link, force)).expect_code(1).stderr_has("symbolic link");
        wd.run(&report_args(&dangling, force)).expect_code(1).stderr_has("symbolic link");
    }
    let f = wd.write_utf8("bad.csv", "code,name,township,parent_school\n1,第一社区,大峪街道,也许\n");
    wd.run(&["import", "communities", f.to_str().unwrap(), "--term", TERM, "--rejects", dangling.to_str().unwrap()])
        .expect_code(1)
        .stderr_has("symbolic link");
    wd.run(&["backup", dangling.to_str().unwrap()]).expect_code(1).stderr_has("symbolic link");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "somebody else's file\n");
    assert!(!wd.path("made-through-the-link.csv").exists());
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link itself is left alone");
}

/// The rejects file and the backup follow the same rules; --force replaces a rejects file.
#[test]
fn rejects_and_backup_targets_are_written_safely() {
    let wd = ledger_with_roster();
    let f = wd.write_utf8("bad.csv", "code,name,township,parent_school\n1,第一社区,大峪街道,也许\n");
    let rejects = wd.write_utf8("rejects.csv", "old rejects\n");
    let args = |force: bool| {
        let mut a = vec!["import", "communities", f.to_str().unwrap(), "--term", TERM, "--rejects", "rejects.csv"];
        if force {
            a.push("--force");
        }
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    wd.run(&args(false)).expect_code(1).stderr_has("already exists");
    assert_eq!(std::fs::read_to_string(&rejects).unwrap(), "old rejects\n");
    wd.run(&args(true)).expect_code(1).stderr_has("rejects.csv");
    assert!(std::fs::read_to_string(&rejects).unwrap().contains("也许"));
    wd.ok(&["backup", "b.db"]);
    let again = wd.run(&["backup", "b.db"]).expect_code(1).stderr_has("already exists");
    assert!(!again.stderr.contains("--force"), "backup has no --force: {}", again.stderr);
    assert!(leftovers(wd.root()).is_empty(), "{:?}", leftovers(wd.root()));
}

// ------------------------------------------------------------------ read-only ledgers (item 12)

// ------------------------------------------------------------------ rejects (item 10)

/// Issue 22 item 10: the message withheld a key student's ref that looked like a name, but
/// the rejects file kept it.
#[test]
fn regression_a_withheld_ref_is_withheld_from_the_rejects_file() {
    let wd = Workdir::with_ledger();
    let s = wd.write_utf8("s.csv", "code,name,type,township,parent_school\n1111090001,大峪第一小学,小学,大峪街道,是\n");
    wd.import("schools", &s, TERM);
    let k = wd.write_utf8("k.csv", "学校代码,学生编号,关注类别\n1111090001,K0001,留守\n1111090001,王小明,留守\n");
    let run = wd
        .run(&["import", "key-students", k.to_str().unwrap(), "--school-year", "2020-2021", "--rejects", "r.csv"])
        .expect_code(1)
        .stderr_has("k.csv:3");
    assert!(!run.stderr.contains("王小明"), "{}", run.stderr);
    let rejects = std::fs::read_to_string(wd.path("r.csv")).unwrap();
    assert!(!rejects.contains("王小明"), "the rejects file names the child:\n{rejects}");
    assert!(rejects.contains("withheld") && rejects.contains("K0001"), "{rejects}");
}

// ------------------------------------------------------------------ .ods in bounded memory (item 15)

/// An .ods workbook with one sheet whose `<table:table>` body is `rows` (XML).
fn ods(wd: &Workdir, name: &str, rows: &str) -> std::path::PathBuf {
    use std::io::Write;
    let path = wd.path(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("META-INF/manifest.xml", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    zip.start_file("content.xml", zip::write::SimpleFileOptions::default()).unwrap();
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="社区">{rows}</table:table><table:table table:name="说明"><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
    )
    .unwrap();
    zip.finish().unwrap();
    path
}

fn ods_row(cells: &[&str]) -> String {
    let cells: String = cells
        .iter()
        .map(|c| match c.parse::<u64>() {
            Ok(n) => format!(
                r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{n}</text:p></table:table-cell>"#
            ),
            Err(_) => format!(r#"<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>"#),
        })
        .collect();
    format!("<table:table-row>{cells}</table:table-row>")
}

const ODS_HEADER: [&str; 5] = ["code", "name", "township", "township_code", "parent_school"];

/// Issue 22 item 15: a cell in the far corner of an .ods sheet (a note in column WOU of the
/// header, a unit on row 1,000,000 after a million blank rows) made calamine lay out a
/// rectangle of 16 billion cells; it refused the file as too many cells. Read as a stream,
/// it imports like the .xlsx would.
#[test]
fn regression_an_ods_cell_in_the_far_corner_is_read_in_little_memory() {
    let wd = Workdir::with_ledger();
    let header = ods_row(&ODS_HEADER).replace(
        "</table:table-row>",
        r#"<table:table-cell table:number-columns-repeated="15995"/><table:table-cell office:value-type="string"><text:p>备注</text:p></table:table-cell></table:table-row>"#,
    );
    let rows = format!(
        "{header}{}{}<table:table-row table:number-rows-repeated=\"999996\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>{}",
        ods_row(&["110109001001", "德露苑社区居委会", "大峪街道", "110109001", "是"]),
        ods_row(&["110109001002", "月季园东里社区居委会", "大峪街道", "110109001", "否"]),
        ods_row(&["110109001003", "峪园社区居委会", "大峪街道", "110109001", "是 &amp; 否"]),
    );
    let f = ods(&wd, "c.ods", &rows);
    let run = wd.run(&["import", "communities", f.to_str().unwrap(), "--term", TERM]).expect_code(1);
    // The unit on the far row is read, and named by its row as the sheet numbers it.
    assert!(run.stderr.contains("c.ods[社区]:1000000"), "{}", run.stderr);
    assert!(run.stderr.contains("是 & 否"), "{}", run.stderr);
    let fixed = ods(&wd, "d.ods", &rows.replace("是 &amp; 否", "是"));
    wd.ok(&["import", "communities", fixed.to_str().unwrap(), "--term", TERM]).stdout_has("imported 3 communities");
}

/// Issue 22 item 15: a row with values repeated a million times (`number-rows-repeated`)
/// was laid out whole; it is now read copy by copy, within the sheet's memory limit.
#[test]
fn regression_an_ods_row_repeated_past_the_limit_is_refused_as_too_large() {
    let wd = Workdir::with_ledger();
    let unit = ods_row(&["110109001001", "德露苑社区居委会", "大峪街道", "110109001", "是"]);
    let small = format!(
        "{}{}",
        ods_row(&ODS_HEADER),
        unit.replace("<table:table-row>", r#"<table:table-row table:number-rows-repeated="3">"#)
    );
    let f = ods(&wd, "small.ods", &small);
    // Three copies of a unit: the same unit three times, named on rows 2–4.
    wd.run(&["import", "communities", f.to_str().unwrap(), "--term", TERM])
        .expect_code(1)
        .stderr_has("small.ods[社区]:3: column code: code 110109001001 appears twice in this file; it was first on line 2")
        .stderr_has("small.ods[社区]:4: column code");
    let huge = format!(
        "{}{}",
        ods_row(&ODS_HEADER),
        unit.replace("<table:table-row>", r#"<table:table-row table:number-rows-repeated="1048575">"#)
    );
    let f = ods(&wd, "huge.ods", &huge);
    wd.run(&["import", "communities", f.to_str().unwrap(), "--term", TERM]).expect_code(1).stderr_has("too large to read");
    // A 2 KB file of a 100-column row repeated 200,000 times: calamine's rectangle took
    // 1.6 GB to read; the stream stops at the sheet's limit.
    let wide_unit = unit.replace(
        "</table:table-row>",
        r#"<table:table-cell table:number-columns-repeated="95" office:value-type="string"><text:p>备注</text:p></table:table-cell></table:table-row>"#,
    );
    let wide = format!(
        "{}{}",
        ods_row(&ODS_HEADER),
        wide_unit.replace("<table:table-row>", r#"<table:table-row table:number-rows-repeated="200000">"#)
    );
    let f = ods(&wd, "wide.ods", &wide);
    #[cfg(target_os = "linux")]
    {
        let (code, peak_mb) = peak_memory(&wd, &["import", "communities", f.to_str().unwrap(), "--term", TERM]);
        assert_eq!(code, 1);
        assert!(peak_mb < 256, "reading a 2 KB .ods took {peak_mb} MB");
    }
}

/// Runs gongyu and returns its exit code and its peak memory (MB), from `wait4` (which
/// reaps the child in place of `wait`).
#[cfg(target_os = "linux")]
#[allow(clippy::zombie_processes)]
fn peak_memory(wd: &Workdir, args: &[&str]) -> (i32, i64) {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_gongyu"))
        .arg("--db")
        .arg(wd.db())
        .args(args)
        .env_remove("GONGYU_DB")
        .env_remove("GONGYU_PLAN")
        .env("GONGYU_LANG", "en")
        .env("GONGYU_TODAY", workdir::TODAY)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; the pid is our own child, not yet reaped.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    (libc::WEXITSTATUS(status), usage.ru_maxrss / 1024)
}

/// Issue 22 item 10: rejects from a workbook flattened the merged header, dropped the title
/// row, turned dates into text and moved rows up (the error said row 5, the file had it on
/// row 3). Now the rejects workbook is laid out as the original, the error on row N is on
/// row N, and a ref or ID number the message withholds is withheld in its cells too.
#[test]
fn regression_rejects_from_a_workbook_keep_its_layout() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let wd = Workdir::with_ledger();
    let s = wd.write_utf8(
        "s.csv",
        "code,name,type,township,parent_school\n1111090001,大峪第一小学,小学,大峪街道,是\n1111090002,大峪第二小学,小学,大峪街道,是\n",
    );
    wd.import("schools", &s, TERM);
    let path = wd.path("schools.xlsx");
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("学校").unwrap();
    let plain = Format::new();
    ws.merge_range(0, 0, 0, 5, "门头沟区学校家长学校情况统计表", &plain).unwrap();
    for (c, h) in ["学校代码", "学校名称", "学校类型", "所属乡镇"].iter().enumerate() {
        ws.merge_range(1, c as u16, 2, c as u16, h, &plain).unwrap();
    }
    ws.merge_range(1, 4, 1, 5, "家长学校", &plain).unwrap();
    ws.write_string(2, 4, "是否建立家长学校").unwrap();
    ws.write_string(2, 5, "家长学校成立日期").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let rows: [(f64, &str, &str); 3] =
        [(1111090001.0, "是", "2019-09-01"), (1111090002.0, "也许", "2019-10-01"), (1111090003.0, "是", "2019-11-01")];
    for (i, (code, ps, since)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_number(r, 0, *code).unwrap();
        ws.write_string(r, 1, format!("学校{i}")).unwrap();
        ws.write_string(r, 2, "小学").unwrap();
        ws.write_string(r, 3, "大峪街道").unwrap();
        ws.write_string(r, 4, *ps).unwrap();
        ws.write_datetime_with_format(r, 5, ExcelDateTime::parse_from_str(since).unwrap(), &date).unwrap();
    }
    // An ID-card number pasted into the title's row, beyond the table.
    ws.write_string(0, 7, "11010519491231002X").unwrap();
    book.save(&path).unwrap();
    let run = wd.run(&["import", "schools", path.to_str().unwrap(), "--term", TERM, "--rejects", "rejects.xlsx"]).expect_code(1);
    assert!(run.stderr.contains("schools.xlsx[学校]:5:"), "the bad row is row 5: {}", run.stderr);
    let mut rejects: Xlsx<_> = open_workbook(wd.path("rejects.xlsx")).unwrap();
    assert_eq!(rejects.sheet_names(), vec!["学校".to_string()]);
    let merged = rejects.merge_cells_by_sheet_name("学校").unwrap();
    let range = rejects.worksheet_range("学校").unwrap();
    let at = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    // The title row and the two header rows, merged as they were.
    assert_eq!(at(0, 0), Data::String("门头沟区学校家长学校情况统计表".into()));
    assert!(merged.iter().any(|d| d.start == (0, 0) && d.end == (0, 5)), "{merged:?}");
    assert!(merged.iter().any(|d| d.start == (1, 4) && d.end == (1, 5)), "{merged:?}");
    assert!(merged.iter().any(|d| d.start == (1, 0) && d.end == (2, 0)), "{merged:?}");
    assert_eq!(at(2, 5), Data::String("家长学校成立日期".into()));
    // Dates as dates, codes as numbers, every row where it was.
    assert!(matches!(at(3, 5), Data::DateTime(d) if d.is_datetime() && d.as_f64() == 43709.0), "{:?}", at(3, 5));
    assert_eq!(at(4, 0), Data::Float(1111090002.0));
    assert_eq!(at(4, 4), Data::String("也许".into()));
    // The error column, right of the last column, on the header and on the bad row 5.
    let error_col = (0..20).find(|&c| matches!(at(1, c), Data::String(s) if s.contains("错误"))).expect("an error column");
    assert!(error_col > 7, "right of every cell: {error_col}");
    assert!(matches!(at(4, error_col), Data::String(s) if s.contains("也许")), "{:?}", at(4, error_col));
    assert_eq!(at(3, error_col), Data::Empty);
    // The ID number is masked.
    assert_eq!(at(0, 7), Data::String("110105********002X".into()));
    // Imported again, the rejects file reads as the original did: the same row is named.
    let again = wd.run(&["import", "schools", "rejects.xlsx", "--term", TERM]).expect_code(1);
    assert!(again.stderr.contains("rejects.xlsx[学校]:5:") && again.stderr.contains("也许"), "{}", again.stderr);
    assert!(!again.stderr.contains(":4:") && !again.stderr.contains(":6:"), "{}", again.stderr);
}

/// Issue 22 item 15: an .xls with a value at IV65536 beside a small table was laid out by
/// calamine as a rectangle of 16.7 million cells (1 GB for a 6 KB file). The sheet's records
/// are sized first, and such a file is refused naming the far cell, in little memory.
/// (`fixtures/xls/*.xls` were written with Python's xlwt 1.3.0; nothing in Rust writes .xls.)
#[test]
fn regression_an_xls_value_in_the_far_corner_is_refused_in_little_memory() {
    let wd = Workdir::with_ledger();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/xls");
    let plain = dir.join("plain.xls");
    wd.ok(&["import", "communities", plain.to_str().unwrap(), "--term", TERM, "--dry-run"])
        .stdout_has("would import 2 communities");
    let far = dir.join("far-corner.xls");
    wd.run(&["import", "communities", far.to_str().unwrap(), "--term", TERM])
        .expect_code(1)
        .stderr_has("far-corner.xls[社区]: the sheet's values reach from A1 to IV65536");
    #[cfg(target_os = "linux")]
    {
        let (code, peak_mb) = peak_memory(&wd, &["import", "communities", far.to_str().unwrap(), "--term", TERM]);
        assert_eq!(code, 1);
        assert!(peak_mb < 256, "reading a 6 KB .xls took {peak_mb} MB");
    }
}

/// The same for an .ods return: its merged title stays merged, and rows stay where they were.
#[test]
fn rejects_from_an_ods_keep_its_layout() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let wd = Workdir::with_ledger();
    let title = r#"<table:table-row><table:table-cell table:number-columns-spanned="5" office:value-type="string"><text:p>社区家长学校统计表</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="4"/></table:table-row>"#;
    let rows = format!(
        "{title}{}{}<table:table-row table:number-rows-repeated=\"2\"><table:table-cell/></table:table-row>{}",
        ods_row(&ODS_HEADER),
        ods_row(&["110109001001", "德露苑社区居委会", "大峪街道", "110109001", "是"]),
        ods_row(&["110109001002", "月季园东里社区居委会", "大峪街道", "110109001", "也许"]),
    );
    let f = ods(&wd, "c.ods", &rows);
    wd.run(&["import", "communities", f.to_str().unwrap(), "--term", TERM, "--rejects", "r.xlsx"])
        .expect_code(1)
        .stderr_has("c.ods[社区]:6:");
    let mut book: Xlsx<_> = open_workbook(wd.path("r.xlsx")).unwrap();
    let merged = book.merge_cells_by_sheet_name("社区").unwrap();
    assert!(merged.iter().any(|d| d.start == (0, 0) && d.end == (0, 4)), "{merged:?}");
    let range = book.worksheet_range("社区").unwrap();
    let at = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(at(0, 0), Data::String("社区家长学校统计表".into()));
    assert_eq!(at(5, 4), Data::String("也许".into()));
    assert!(matches!(at(5, 5), Data::String(s) if s.contains("也许")), "{:?}", at(5, 5));
    assert_eq!(at(1, 5), Data::String("错误 (error)".into()));
}
