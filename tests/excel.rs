//! Returns as Excel and WPS hand them over (issue 4): workbooks written by a real xlsx
//! writer, UTF-16 "Unicode text", title and total rows, templates and rejects — each
//! imported by the real binary into a real ledger.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn gongyu(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongyu"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("GONGYU_DB")
        .env_remove("GONGYU_PLAN")
        .env("TZ", "UTC")
        // The English words these tests compare; tests/zh_returns.rs checks the Chinese.
        .env("GONGYU_LANG", "en")
        .env("GONGYU_TODAY", "2021-02-01")
        .output()
        .expect("gongyu runs")
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "failed: {}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn fresh(dir: &Path, name: &str) -> PathBuf {
    let db = dir.join(name);
    ok(&gongyu(&db, &["init"]));
    db
}

/// The same small district as rows of cells: communities, schools, activities.
const COMMUNITIES: &[[&str; 5]] = &[
    ["社区代码", "社区名称", "所属乡镇街道", "乡镇街道代码", "是否建立家长学校"],
    ["110109001001", "德露苑社区居委会", "大峪街道", "110109001", "是"],
    ["110109001002", "月季园东里社区居委会", "大峪街道", "110109001", "否"],
    ["110109105201", "雁翅村委会", "雁翅镇", "110109105", "是"],
];
const SCHOOLS: &[[&str; 5]] = &[
    ["学校代码", "学校名称", "学校类型", "所属乡镇", "是否建立家长学校"],
    ["1111090001", "大峪第一小学", "小学", "大峪街道", "是"],
    ["1111090002", "雁翅幼儿园", "幼儿园", "雁翅镇", "否"],
];
const ACTIVITIES: &[[&str; 5]] = &[
    ["活动编号", "主办单位代码", "活动日期", "活动类型", "参与人数"],
    ["A1", "110109001001", "2020-09-01", "讲座", "35"],
    ["A2", "110109001001", "2021-01-31", "亲子活动", "1200"],
    ["A3", "1111090001", "2020-10-15", "家长会", "80"],
    ["A4", "110109105201", "2020-11-02", "咨询", "12"],
];

fn csv_text(rows: &[[&str; 5]]) -> String {
    rows.iter().map(|r| r.join(",")).collect::<Vec<_>>().join("\r\n") + "\r\n"
}

fn utf16le_tab(rows: &[[&str; 5]]) -> Vec<u8> {
    let text = rows.iter().map(|r| r.join("\t")).collect::<Vec<_>>().join("\r\n") + "\r\n";
    [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect()
}

/// Writes rows to a sheet as Excel would store what a clerk typed: codes and counts as
/// numbers, dates as date cells; with a merged title row above the header, a blank row
/// in the data, and a 合计 row at the bottom.
fn workbook(path: &Path, sheet: &str, rows: &[[&str; 5]]) {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).unwrap();
    let date = Format::new().set_num_format("yyyy/m/d");
    ws.merge_range(0, 0, 0, 4, "门头沟区2020-2021学年第一学期统计表", &Format::new()).unwrap();
    let mut r = 1u32;
    for (i, row) in rows.iter().enumerate() {
        if i == 2 {
            r += 1; // an empty row in the middle
        }
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            if i > 0 && cell.len() == 10 && cell.as_bytes()[4] == b'-' {
                let d = ExcelDateTime::parse_from_str(cell).unwrap();
                ws.write_datetime_with_format(r, c, &d, &date).unwrap();
            } else if i > 0 && !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit()) {
                ws.write_number(r, c, cell.parse::<f64>().unwrap()).unwrap();
            } else {
                ws.write_string(r, c, *cell).unwrap();
            }
        }
        r += 1;
    }
    ws.write_string(r, 0, "合计").unwrap();
    ws.write_number(r, 4, 2.0).unwrap();
    book.save(path).unwrap();
}

fn import_all(db: &Path, files: [&Path; 3]) {
    ok(&gongyu(db, &["import", "communities", files[0].to_str().unwrap(), "--term", "2020-2021-1"]));
    ok(&gongyu(db, &["import", "schools", files[1].to_str().unwrap(), "--term", "2020-2021-1"]));
    ok(&gongyu(db, &["import", "activities", files[2].to_str().unwrap()]));
}

fn reports(db: &Path) -> String {
    let mut all = String::new();
    for format in ["json", "csv", "table"] {
        all += &ok(&gongyu(db, &["coverage", "report", "--term", "2020-2021-1", "--by", "township", "--format", format]));
        all += &ok(&gongyu(db, &["coverage", "gaps", "--term", "2020-2021-1", "--format", format]));
    }
    all
}

#[test]
fn csv_xlsx_and_utf16_text_give_byte_identical_reports() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut outputs = Vec::new();
    for (variant, ext) in [("csv", "csv"), ("xlsx", "xlsx"), ("utf16", "txt")] {
        let paths: Vec<PathBuf> =
            ["communities", "schools", "activities"].iter().map(|k| d.join(format!("{k}-{variant}.{ext}"))).collect();
        for (path, rows, sheet) in
            [(&paths[0], COMMUNITIES, "社区"), (&paths[1], SCHOOLS, "学校"), (&paths[2], ACTIVITIES, "活动")]
        {
            match variant {
                "csv" => std::fs::write(path, encoding_rs::GB18030.encode(&csv_text(rows)).0).unwrap(),
                "xlsx" => workbook(path, sheet, rows),
                _ => std::fs::write(path, utf16le_tab(rows)).unwrap(),
            }
        }
        let db = fresh(d, &format!("{variant}.db"));
        import_all(&db, [&paths[0], &paths[1], &paths[2]]);
        outputs.push((variant, reports(&db)));
    }
    assert!(outputs[0].1.contains("gongyu.coverage.v2"));
    for (variant, out) in &outputs[1..] {
        assert_eq!(out, &outputs[0].1, "{variant} differs from csv");
    }
}

#[test]
fn workbook_cells_come_back_as_typed_and_errors_name_sheet_and_row() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = fresh(d, "ledger.db");
    let book = d.join("returns.xlsx");
    workbook(&book, "社区", COMMUNITIES);
    let out = ok(&gongyu(&db, &["import", "communities", book.to_str().unwrap(), "--term", "2020-2021-1"]));
    assert!(out.contains("imported 3 communities"), "{out}");
    let stderr = String::from_utf8_lossy(&gongyu(&db, &["log", "--format", "csv"]).stderr).into_owned();
    assert!(stderr.is_empty(), "{stderr}");
    // Codes stored as numbers come back as the digits typed: an activity names its host so.
    let visit = d.join("visit.csv");
    std::fs::write(&visit, "id,host,date,kind\nE1,110109001001,2020-10-01,讲座\n").unwrap();
    let out = ok(&gongyu(&db, &["import", "activities", visit.to_str().unwrap()]));
    assert!(out.contains("imported 1 activity"), "{out}");

    // A bad cell is reported as sheet and Excel row: row 1 is the title, 2 the header,
    // 3 the first community, 4 blank, 5 the second community.
    let mut bad = COMMUNITIES.to_vec();
    bad[2][4] = "也许";
    let bad_book = d.join("bad.xlsx");
    workbook(&bad_book, "社区", &bad);
    let out = gongyu(&db, &["import", "communities", bad_book.to_str().unwrap(), "--term", "2020-2021-2"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{}[社区]:5: column 是否建立家长学校 (parent_school)", bad_book.display())), "{stderr}");
    // --sheet picks a sheet by name, and an unknown one is named.
    let out = gongyu(&db, &["import", "communities", book.to_str().unwrap(), "--sheet", "Sheet9", "--term", "2020-2021-2"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no sheet \"Sheet9\""));
}

#[test]
fn template_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = fresh(d, "ledger.db");
    // CSV template: fill in rows below the header and import.
    let template = d.join("template.csv");
    ok(&gongyu(&db, &["template", "communities", "-o", template.to_str().unwrap()]));
    let mut text = std::fs::read_to_string(&template).unwrap();
    assert!(text.starts_with('\u{feff}'), "the CSV template has a BOM for Excel");
    assert!(text.contains("社区代码") && text.contains("是否建立家长学校"));
    text += "110109001001,德露苑社区居委会,大峪街道,110109001,城区,是,2019/5/10,2020-2021-1\r\n";
    std::fs::write(&template, text).unwrap();
    let out = ok(&gongyu(&db, &["import", "communities", template.to_str().unwrap()]));
    assert!(out.contains("imported 1 community for 2020-2021-1"), "{out}");

    // xlsx template: has the header, dropdowns and a 说明 sheet; filled by a writer, imported.
    let xlsx = d.join("template.xlsx");
    ok(&gongyu(&db, &["template", "schools", "--format", "xlsx", "-o", xlsx.to_str().unwrap()]));
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    use calamine::Reader;
    assert_eq!(book.sheet_names(), vec!["学校".to_string(), "说明".to_string()]);
    let header = book.worksheet_range("学校").unwrap();
    let first: Vec<String> = header.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(first[..5], ["学校代码", "学校名称", "学校类型", "所属乡镇", "是否建立家长学校"]);
    // The dropdown lists are data validations in the first sheet's XML.
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
    let mut sheet_xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut sheet_xml).unwrap();
    assert!(sheet_xml.contains("<dataValidation "), "no dropdowns in {sheet_xml}");
    assert!(sheet_xml.contains("幼儿园"), "the school type list: {sheet_xml}");
    assert!(sheet_xml.contains("是,否"), "the yes/no list: {sheet_xml}");
    let mut filled = Workbook::new();
    let ws = filled.add_worksheet();
    for (c, h) in first.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (c, v) in ["1111090001", "大峪第一小学", "小学", "大峪街道", "是"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    let filled_path = d.join("filled.xlsx");
    filled.save(&filled_path).unwrap();
    let out = ok(&gongyu(&db, &["import", "schools", filled_path.to_str().unwrap(), "--term", "2020-2021-1"]));
    assert!(out.contains("imported 1 school"), "{out}");
}

#[test]
fn rejects_round_trip_in_the_inputs_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = fresh(d, "ledger.db");
    let bad = "社区代码,社区名称,所属乡镇街道,是否建立家长学校\r\n110109001001,德露苑社区居委会,大峪街道,是\r\n110109001002,月季园东里社区居委会,大峪街道,也许\r\n110109001003,某某管委会,大峪街道,否\r\n";
    let file = d.join("bad.csv");
    std::fs::write(&file, encoding_rs::GB18030.encode(bad).0).unwrap();
    let rejects = d.join("rejects.csv");
    let out = gongyu(
        &db,
        &["import", "communities", file.to_str().unwrap(), "--term", "2020-2021-1", "--rejects", rejects.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("错误 (error)"));
    // The rejects file is GB18030 like the input, holds every row, and says what is wrong.
    let bytes = std::fs::read(&rejects).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "written in GB18030, as the input was");
    let (text, _, bad_bytes) = encoding_rs::GB18030.decode(&bytes);
    assert!(!bad_bytes);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].ends_with("错误 (error)"));
    assert!(lines[1].ends_with(','), "a good row has an empty error cell: {}", lines[1]);
    assert!(lines[2].contains("也许") && lines[2].contains("not yes or no"));
    assert!(lines[3].contains("urban or rural"));
    // The clerk fixes the two rows in place and imports the rejects file whole.
    let fixed = text.replace(",也许,", ",否,").replace("某某管委会", "某某社区居委会");
    std::fs::write(&rejects, encoding_rs::GB18030.encode(&fixed).0).unwrap();
    let out = gongyu(&db, &["import", "communities", rejects.to_str().unwrap(), "--term", "2020-2021-1"]);
    let stdout = ok(&out);
    assert!(stdout.contains("imported 3 communities"), "{stdout}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("错误"), "the error column is ignored quietly");
}

#[test]
fn csv_output_is_safe_for_excel() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = fresh(d, "ledger.db");
    let file = d.join("c.csv");
    std::fs::write(
        &file,
        "code,name,township,township_code,parent_school\n110109001001,=HYPERLINK(\"x\")社区,大峪街道,110109001,否\n",
    )
    .unwrap();
    ok(&gongyu(&db, &["import", "communities", file.to_str().unwrap(), "--term", "2020-2021-1"]));
    let out = ok(&gongyu(&db, &["coverage", "gaps", "--term", "2020-2021-1", "--format", "csv", "--excel"]));
    assert!(out.starts_with('\u{feff}'), "--excel starts with a BOM");
    assert!(out.contains("'=HYPERLINK"), "{out}");
    assert!(!out.contains(",=HYPERLINK"), "{out}");
}

/// Two sheets of one workbook are two returns, though their bytes are one file's.
#[test]
fn two_sheets_of_one_workbook_are_two_returns() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = fresh(d, "ledger.db");
    let rosters = d.join("rosters.csv");
    std::fs::write(&rosters, csv_text(COMMUNITIES)).unwrap();
    ok(&gongyu(&db, &["import", "communities", rosters.to_str().unwrap(), "--term", "2020-2021-1"]));
    let path = d.join("months.xlsx");
    let mut book = Workbook::new();
    for (sheet, day) in [("9月", "2020-09-15"), ("10月", "2020-10-15")] {
        let ws = book.add_worksheet();
        ws.set_name(sheet).unwrap();
        for (c, h) in ["活动编号", "主办单位代码", "活动日期", "活动类型"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (c, v) in [format!("{sheet}-1"), "110109001001".into(), day.into(), "讲座".into()].iter().enumerate() {
            ws.write_string(1, c as u16, v).unwrap();
        }
    }
    book.save(&path).unwrap();
    let p = path.to_str().unwrap();
    ok(&gongyu(&db, &["import", "activities", p, "--sheet", "9月"]));
    let out = ok(&gongyu(&db, &["import", "activities", p, "--sheet", "10月"]));
    assert!(out.contains("imported 1 activity"), "{out}");
    let again = ok(&gongyu(&db, &["import", "activities", p, "--sheet", "10月"]));
    assert!(again.contains("identical"), "{again}");
}
