//! Hostile returns (issue 11): files that are damaged, pieced together, enormous or built
//! to hurt — each refused on its line (`FILE:LINE: column NAME: …`), with exit 1, no panic
//! and the ledger unchanged; and the small fixes around them (closed pipes, the rejects
//! file, backup, log, demo). The property tests are `hostile_fuzz.rs`.

#[allow(dead_code)] // the helpers other test files use
mod workdir;

use std::io::Write;
use std::path::Path;

use workdir::{Run, Workdir};

const TERM: &str = "2020-2021-1";

const COMMUNITIES: &str = "\
code,name,township,township_code,parent_school
110109001001,德露苑社区居委会,大峪街道,110109001,是
110109001002,月季园东里社区居委会,大峪街道,110109001,否
";

/// A ledger with a community roster, ready for activities.
fn ledger_with_roster() -> Workdir {
    let wd = Workdir::with_ledger();
    let c = wd.write_utf8("c.csv", COMMUNITIES);
    wd.import("communities", &c, TERM);
    wd
}

/// Runs `args`, insisting on exit 1, no panic and an unchanged ledger.
#[track_caller]
fn refused<S: AsRef<std::ffi::OsStr>>(wd: &Workdir, args: &[S]) -> Run {
    let before = wd.ledger_dump();
    let run = wd.run(args).expect_code(1);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(before, wd.ledger_dump(), "a refused import changed the ledger");
    run
}

fn import_args(kind: &str, file: &Path) -> Vec<std::ffi::OsString> {
    vec!["import".into(), kind.into(), file.into()]
}

// ------------------------------------------------------------------ shifted rows

/// Issue 11: an unquoted comma in a title shifted the row; the extra value was dropped.
#[test]
fn regression_a_row_with_more_values_than_the_header_is_refused() {
    let wd = ledger_with_roster();
    let a = wd.write_utf8(
        "a.csv",
        "id,host,date,kind,title\n\
         A1,110109001001,2020-09-10,讲座,家庭教育讲座\n\
         A2,110109001001,2020-09-11,讲座,讲座,亲子阅读\n\
         A3,110109001001,2020-09-12,讲座,讲座,,,\n",
    );
    let run = refused(&wd, &import_args("activities", &a));
    assert!(
        run.stderr.contains("a.csv:3: this row has 6 cells but the header has 5: a cell probably holds an unquoted comma"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("a.csv:4:"), "trailing empty cells are not an error\n{}", run.stderr);
}

#[test]
fn trailing_empty_cells_from_excel_are_fine() {
    let wd = ledger_with_roster();
    let a = wd.write_crlf(
        "a.csv",
        "id,host,date,kind,title,,\nA1,110109001001,2020-09-10,讲座,讲座,,\nA2,110109001001,2020-09-11,讲座,,, ,\n",
    );
    wd.import("activities", &a, "").stdout_has("imported 2 activities");
}

#[test]
fn a_tab_separated_row_with_an_extra_value_names_the_tab() {
    let wd = ledger_with_roster();
    let a = wd.write_utf8("a.tsv", "id\thost\tdate\tkind\nA1\t110109001001\t2020-09-10\t讲座\tx\n");
    refused(&wd, &import_args("activities", &a))
        .stderr_has("a.tsv:2: this row has 5 cells but the header has 4")
        .stderr_has("unquoted tab");
}

#[test]
fn a_value_right_of_a_workbook_header_is_refused() {
    let wd = ledger_with_roster();
    let path = wd.path("a.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in ["活动编号", "主办单位代码", "活动日期", "活动类型", "活动名称"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["A1", "110109001001", "2020-09-10", "讲座", "讲座"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    ws.write_string(1, 6, "备注").unwrap();
    book.save(&path).unwrap();
    refused(&wd, &import_args("activities", &path))
        .stderr_has("a.xlsx[Sheet1]:2: this row has a value in column G, right of the header's last column E");
}

// ------------------------------------------------------------------ long cells and lines

#[test]
fn regression_a_cell_over_excels_limit_is_refused_without_being_shown() {
    let wd = ledger_with_roster();
    let title = "长".repeat(40_000);
    let a = wd.write_utf8("a.csv", &format!("id,host,date,kind,title\nA1,110109001001,2020-09-10,讲座,{title}\n"));
    let run = refused(&wd, &import_args("activities", &a));
    assert!(run.stderr.contains("a.csv:2: column title: the cell holds 40000 characters"), "{}", run.stderr);
    assert!(run.stderr.len() < 2000, "the cell was echoed: {} bytes of stderr", run.stderr.len());
}

/// A cell of megabytes is refused by the reader itself (it stops at 1 MB), still naming
/// its column and line.
#[test]
fn a_cell_of_megabytes_is_refused_naming_its_column() {
    let wd = ledger_with_roster();
    let mut text = String::from("活动编号,主办单位代码,活动日期,活动类型,活动名称\nA1,110109001001,2020-09-10,讲座,讲座\n");
    text += &format!("A2,110109001001,2020-09-10,讲座,{}\n", "x".repeat(3 << 20));
    let a = wd.write_utf8("a.csv", &text);
    let run = refused(&wd, &import_args("activities", &a));
    assert!(run.stderr.contains("a.csv:3: column 活动名称 (title): the cell holds "), "{}", run.stderr);
    assert!(run.stderr.contains(" characters or more, more than a cell can (Excel's limit is 32767)"), "{}", run.stderr);
    assert!(run.stderr.len() < 2000, "{} bytes of stderr", run.stderr.len());
}

/// A quote that is never closed makes the rest of the file one cell: refused on the
/// line where it opens, in bounded memory.
#[test]
fn an_unclosed_quote_is_refused_on_its_line() {
    let wd = ledger_with_roster();
    let mut text = String::from("id,host,date,kind,title\nA1,110109001001,2020-09-10,讲座,\"家长会\n");
    for i in 2..60_000 {
        text += &format!("A{i},110109001001,2020-09-10,讲座,讲座\n");
    }
    let a = wd.write_utf8("a.csv", &text);
    let run = refused(&wd, &import_args("activities", &a));
    assert!(run.stderr.contains("a.csv:2: column title:"), "{}", run.stderr);
    assert!(run.stderr.contains("never closed"), "{}", run.stderr);
}

/// One line over 1 MB with no long cell: many small cells.
#[test]
fn a_row_of_a_million_cells_is_refused() {
    let wd = ledger_with_roster();
    let text = format!("id,host,date,kind\nA1,110109001001,2020-09-10,讲座{}\n", ",".repeat(1_200_000));
    let a = wd.write_utf8("a.csv", &text);
    refused(&wd, &import_args("activities", &a)).stderr_has("a.csv:2: this row runs on for more than 1 MB");
}

// ------------------------------------------------------------------ encodings

#[test]
fn regression_one_gbk_line_in_a_utf8_file_is_named() {
    let wd = ledger_with_roster();
    let mut bytes = "id,host,date,kind,title\n".as_bytes().to_vec();
    for i in 1..=5 {
        bytes.extend_from_slice(format!("A{i},110109001001,2020-09-1{i},讲座,家庭教育讲座\n").as_bytes());
    }
    bytes.extend_from_slice(&encoding_rs::GB18030.encode("A6,110109001001,2020-09-16,讲座,亲子阅读活动\n").0);
    bytes.extend_from_slice("A7,110109001001,2020-09-17,讲座,家庭教育讲座\n".as_bytes());
    let a = wd.write_bytes("a.csv", &bytes);
    let run = refused(&wd, &import_args("activities", &a));
    assert!(run.stderr.contains("a.csv:7: line 7 is not UTF-8 like the rest of the file; it looks like GBK"), "{}", run.stderr);
    assert_eq!(run.stderr.matches("is not UTF-8").count(), 1, "{}", run.stderr);
}

#[test]
fn regression_a_nul_byte_names_its_line() {
    let wd = ledger_with_roster();
    let a = wd.write_bytes(
        "a.csv",
        b"id,host,date,kind\nA1,110109001001,2020-09-10,guidance\nA2,110109001001,2020-09-1\x001,guidance\n",
    );
    refused(&wd, &import_args("activities", &a)).stderr_has("a.csv:3: a NUL byte");
}

#[test]
fn genuine_gb18030_still_imports() {
    let wd = Workdir::with_ledger();
    let c = wd.write_gb18030(
        "c.csv",
        &COMMUNITIES.replace(
            "code,name,township,township_code,parent_school",
            "社区代码,社区名称,所属乡镇街道,乡镇街道代码,是否建立家长学校",
        ),
    );
    wd.import("communities", &c, TERM).stdout_has("(GB18030)");
    // 学 is D1 A7 in GB18030: valid UTF-8 on its own.
    let s = wd.write_gb18030(
        "s.csv",
        "学校代码,学校名称,学校类型,所属乡镇,是否建立家长学校\n1111090001,大峪第一小学,小学,大峪街道,是\n",
    );
    wd.import("schools", &s, TERM).stdout_has("(GB18030)");
}

// ------------------------------------------------------------------ workbooks

/// Writes a zip with the parts of a minimal .xlsx, the sheet's XML streamed by `sheet`.
fn raw_xlsx(path: &Path, sheet: impl FnOnce(&mut dyn Write)) {
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, &str); 4] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    // One shared string, `<c t="s"><v>0</v></c>`: 家 30,000 times.
    zip.start_file("xl/sharedStrings.xml", opts).unwrap();
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{}</t></si></sst>"#,
        "家".repeat(30_000)
    )
    .unwrap();
    zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    sheet(&mut zip);
    zip.finish().unwrap();
}

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const HEADER_ROW: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>host</t></is></c><c r="C1" t="inlineStr"><is><t>date</t></is></c><c r="D1" t="inlineStr"><is><t>kind</t></is></c></row>"#;

#[test]
fn a_minimal_hand_made_workbook_imports() {
    let wd = ledger_with_roster();
    let path = wd.path("a.xlsx");
    raw_xlsx(&path, |w| {
        write!(w, "{SHEET_HEAD}{HEADER_ROW}").unwrap();
        write!(w, r#"<row r="2"><c r="A2" t="inlineStr"><is><t>A1</t></is></c><c r="B2"><v>110109001001</v></c><c r="C2" t="inlineStr"><is><t>2020-09-10</t></is></c><c r="D2" t="inlineStr"><is><t>讲座</t></is></c></row>"#).unwrap();
        write!(w, "</sheetData></worksheet>").unwrap();
    });
    wd.import("activities", &path, "").stdout_has("imported 1 activity from 1 row");
}

/// Issue 11: a small .xlsx whose sheet inflates to hundreds of MB of XML. Refused after
/// unpacking 48 MB into nothing, before calamine reads it.
#[test]
fn regression_a_zip_bomb_workbook_is_refused() {
    let wd = ledger_with_roster();
    let path = wd.path("bomb.xlsx");
    raw_xlsx(&path, |w| {
        write!(w, "{SHEET_HEAD}{HEADER_ROW}").unwrap();
        let filler = vec![b' '; 1 << 20];
        for _ in 0..60 {
            w.write_all(&filler).unwrap();
        }
        write!(w, "</sheetData></worksheet>").unwrap();
    });
    assert!(std::fs::metadata(&path).unwrap().len() < 1 << 20);
    refused(&wd, &import_args("activities", &path))
        .stderr_has("the workbook is too large to read: its part xl/worksheets/sheet1.xml unpacks to more than")
        .stderr_has("CSV UTF-8");
}

/// One cell at A1 and one at XFD1048576: a rectangle of 17 billion cells, were the
/// sheet laid out whole.
#[test]
fn a_cell_in_the_far_corner_of_a_workbook_is_refused_quickly() {
    let wd = ledger_with_roster();
    let path = wd.path("corner.xlsx");
    raw_xlsx(&path, |w| {
        write!(w, "{SHEET_HEAD}{HEADER_ROW}").unwrap();
        write!(w, r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>"#).unwrap();
    });
    refused(&wd, &import_args("activities", &path)).stderr_has("[Sheet1]:1048576: this row has a value in column XFD");
}

#[test]
fn cells_out_of_order_are_refused() {
    let wd = ledger_with_roster();
    let path = wd.path("order.xlsx");
    raw_xlsx(&path, |w| {
        write!(w, "{SHEET_HEAD}{HEADER_ROW}").unwrap();
        write!(w, r#"<row r="5"><c r="A5"><v>1</v></c></row><row r="3"><c r="A3"><v>1</v></c></row></sheetData></worksheet>"#)
            .unwrap();
    });
    refused(&wd, &import_args("activities", &path)).stderr_has("order.xlsx[Sheet1]:3: the sheet stores its cells out of order");
}

/// Many rows of one long shared string: small XML, a great deal of text once read.
#[test]
fn a_sheet_too_large_for_memory_is_refused() {
    let wd = ledger_with_roster();
    let path = wd.path("big.xlsx");
    raw_xlsx(&path, |w| {
        write!(w, "{SHEET_HEAD}{HEADER_ROW}").unwrap();
        for r in 2..2000 {
            write!(w, r#"<row r="{r}"><c r="E{r}" t="s"><v>0</v></c></row>"#).unwrap();
        }
        write!(w, "</sheetData></worksheet>").unwrap();
    });
    refused(&wd, &import_args("activities", &path)).stderr_has("the sheet is too large to read from a workbook");
}

#[test]
fn a_zip_that_is_not_a_workbook_is_refused() {
    let wd = ledger_with_roster();
    let path = wd.path("a.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(b"hello").unwrap();
    zip.finish().unwrap();
    refused(&wd, &import_args("activities", &path)).stderr_has("is a zip file but not a workbook");
}

// ------------------------------------------------------------------ rejects round trip

/// Issue 11: the rejects file put an apostrophe before a clerk's `-5` or `=家长会`, so the
/// fixed file no longer matched its duplicates.
#[test]
fn regression_a_fixed_rejects_file_gives_the_same_activities_as_the_original() {
    let good = "host,date,kind,title,participants\n\
                110109001001,2020-09-10,讲座,-5,10\n\
                110109001001,2020-09-11,家长会,=家长会,20\n\
                110109001001,2020-09-12,讲座,+1 讲座,30\n\
                110109001001,2020-09-13,讲座,@全体家长,40\n";
    let bad = good.replace("2020-09-12", "2020-13-12");

    let original = ledger_with_roster();
    let f = original.write_utf8("a.csv", good);
    original.import("activities", &f, "").stdout_has("imported 4 activities");

    let wd = ledger_with_roster();
    let f = wd.write_utf8("a.csv", &bad);
    let rejects = wd.path("a-rejects.csv");
    let mut args = import_args("activities", &f);
    args.extend(["--rejects".into(), rejects.clone().into()]);
    refused(&wd, &args);
    let written = std::fs::read_to_string(&rejects).unwrap();
    for cell in [",-5,", ",=家长会,", ",+1 讲座,", ",@全体家长,"] {
        assert!(written.contains(cell), "{cell} not written back as it was:\n{written}");
    }
    std::fs::write(&rejects, written.replace("2020-13-12", "2020-09-12")).unwrap();
    wd.import("activities", &rejects, "").stdout_has("imported 4 activities");
    assert_eq!(
        wd.dump_tables_without(&["activity"], &["batch_id", "line"]),
        original.dump_tables_without(&["activity"], &["batch_id", "line"])
    );
    // The original file, imported now, is all duplicates.
    let f = wd.write_utf8("again.csv", good);
    wd.import("activities", &f, "").stdout_has("4 duplicates");
}

// ------------------------------------------------------------------ commands

/// `gongyu … | head`: stdout closed before anything is written is a quiet exit 0.
#[test]
fn regression_a_closed_pipe_is_a_quiet_success() {
    let wd = ledger_with_roster();
    for args in [
        &["init"][..],
        &["check"],
        &["log"],
        &["log", "--format", "csv"],
        &["log", "--format", "json"],
        &["backup", "copy.db"],
        &["coverage", "report", "--term", TERM],
        &["revert", "1"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongyu"))
            .current_dir(wd.root())
            .env_remove("GONGYU_DB")
            .env_remove("GONGYU_PLAN")
            .env("GONGYU_LANG", "en")
            .env("TZ", "UTC")
            .env("GONGYU_TODAY", workdir::TODAY)
            .arg("--db")
            .arg(wd.db())
            .args(args)
            .stdout(writer)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn regression_backup_leaves_an_existing_partial_file_alone() {
    let wd = ledger_with_roster();
    for name in ["b.partial", "b.db.partial"] {
        wd.write_utf8(name, "somebody's file");
    }
    wd.ok(&["backup", "b.db"]).stdout_has("backed up");
    for name in ["b.partial", "b.db.partial"] {
        assert_eq!(std::fs::read_to_string(wd.path(name)).unwrap(), "somebody's file");
    }
    // The copy's own partial file is gone.
    let partials: Vec<String> = std::fs::read_dir(wd.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert_eq!(partials.len(), 2, "{partials:?}");
}

#[test]
fn regression_log_csv_is_formula_safe_and_takes_excel() {
    let wd = Workdir::with_ledger();
    wd.write_utf8("=1+2.csv", COMMUNITIES);
    wd.ok(&["import", "communities", "=1+2.csv", "--term", TERM]);
    let run = wd.ok(&["log", "--format", "csv", "--excel"]);
    assert!(run.stdout.starts_with("\u{feff}id,imported_at,"), "{}", run.stdout);
    assert!(run.stdout.contains(",'=1+2.csv,"), "{}", run.stdout);
    assert!(!run.stdout.contains(",=") && !run.stdout.contains(",\"="), "{}", run.stdout);
    let plain = wd.ok(&["log", "--format", "csv"]);
    assert!(plain.stdout.starts_with("id,"), "{}", plain.stdout);
    wd.ok(&["log", "--excel"]).stderr_has("--excel applies to --format csv only");
}

#[test]
fn regression_demo_unpacks_into_a_private_folder_and_refuses_a_symlinked_ledger() {
    // The workdir is the demo's temporary folder (TMPDIR) and holds its ledger.
    let wd = Workdir::new();
    wd.ok(&["demo"]).stdout_has("gongyu demo");
    let left: Vec<String> = std::fs::read_dir(wd.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gongyu-demo-fixtures"))
        .collect();
    assert!(left.is_empty(), "fixture folders left behind: {left:?}");
    #[cfg(unix)]
    {
        let wd = Workdir::new();
        let victim = wd.path("victim.db");
        std::os::unix::fs::symlink(&victim, wd.db()).unwrap();
        wd.run(&["demo"]).expect_code(1).stderr_has("is a symbolic link");
        assert!(!victim.exists());
    }
}
