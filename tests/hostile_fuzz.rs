//! Hostile returns, by property (issue 11): the readers are fed arbitrary bytes and arbitrary
//! small workbooks, opened as every kind of return, and must never panic.
//! `PROPTEST_CASES=N` runs N cases of each; with `--nocapture` each run says what it reached.

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Cases per property: a few seconds in all by default; `PROPTEST_CASES=N` for more.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn runner(default: u32) -> TestRunner {
    TestRunner::new(Config { cases: cases(default), failure_persistence: None, ..Config::default() })
}

/// What a fuzz run reached, reported at its end (`--nocapture`).
#[derive(Default)]
struct Reached {
    cases: AtomicU64,
    distinct: std::sync::Mutex<HashSet<u64>>,
    opened: AtomicU64,
    rows: AtomicU64,
    parsed: AtomicU64,
}

impl Reached {
    fn case(&self, input: &[u8]) {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        input.hash(&mut h);
        self.cases.fetch_add(1, Ordering::Relaxed);
        self.distinct.lock().unwrap().insert(h.finish());
    }

    fn report(&self, what: &str) {
        eprintln!(
            "fuzz {what}: {} cases, {} distinct inputs, {} opened (header found), {} rows read, {} rows parsed without error",
            self.cases.load(Ordering::Relaxed),
            self.distinct.lock().unwrap().len(),
            self.opened.load(Ordering::Relaxed),
            self.rows.load(Ordering::Relaxed),
            self.parsed.load(Ordering::Relaxed),
        );
    }
}

/// Opens `path` as each kind of return and reads every row: must not panic.
fn read_every_way(path: &Path, reached: &Reached) {
    use gongyu::returns::{kinds::RowContext, ReturnFile, ReturnKind};
    for kind in ReturnKind::ALL {
        let Ok(mut file) = ReturnFile::open(path, kind, None) else { continue };
        reached.opened.fetch_add(1, Ordering::Relaxed);
        let mut n = 0;
        while let Some(next) = file.next_row() {
            n += 1;
            assert!(n < 100_000, "no end to the rows");
            let Ok(row) = next else { continue };
            reached.rows.fetch_add(1, Ordering::Relaxed);
            let ok = (kind.spec().parse)(row, &RowContext::default()).is_ok();
            reached.parsed.fetch_add(u64::from(ok), Ordering::Relaxed);
        }
        let _ = file.sha256();
    }
}

/// Pieces of real returns and of damage: headers, values, separators, quotes, line ends,
/// GBK and UTF-16 bytes, NULs and bytes valid in no encoding.
fn fragment() -> impl Strategy<Value = Vec<u8>> {
    let pieces: Vec<Vec<u8>> = vec![
        b"code,name,type,township,parent_school\n".to_vec(),
        b"id,host,date,kind,title,participants,mode\n".to_vec(),
        "社区代码,社区名称,所属乡镇街道,是否建立家长学校\r\n".as_bytes().to_vec(),
        "110109001001,德露苑社区居委会,大峪街道,是\n".as_bytes().to_vec(),
        "A1,110109001001,2020-09-10,讲座,家长会,12,线下\n".as_bytes().to_vec(),
        encoding_rs::GB18030.encode("学校代码,学校名称,学校类型,所属乡镇,是否建立家长学校\r\n").0.into_owned(),
        encoding_rs::GB18030.encode("1111090001,大峪第一小学,小学,大峪街道,是\r\n").0.into_owned(),
        b",".to_vec(),
        b"\"".to_vec(),
        b"\"\"".to_vec(),
        b"\n".to_vec(),
        b"\r\n".to_vec(),
        b"\r".to_vec(),
        b"\t".to_vec(),
        b";".to_vec(),
        b"\xEF\xBB\xBF".to_vec(),
        b"\xFF\xFE".to_vec(),
        b"\x00".to_vec(),
        b"\xE5\xAD".to_vec(),
        b"\x81\x7F".to_vec(),
        "合计".as_bytes().to_vec(),
        "填表人：".as_bytes().to_vec(),
        "２０２０－０９－０１".as_bytes().to_vec(),
        b"=1+1".to_vec(),
        b"1.10109E+11".to_vec(),
    ];
    prop_oneof![
        3 => proptest::sample::select(pieces),
        1 => proptest::collection::vec(any::<u8>(), 1..16),
    ]
}

/// The headers of the three kinds, in English and Chinese.
const HEADERS: [&[&str]; 6] = [
    &["code", "name", "type", "township", "parent_school", "term"],
    &["学校代码", "学校名称", "学校类型", "所属乡镇", "是否建立家长学校"],
    &["code", "name", "township", "township_code", "area", "parent_school"],
    &["社区代码", "社区名称", "所属乡镇街道", "是否建立家长学校"],
    &["id", "host", "date", "kind", "title", "participants", "mode"],
    &["活动编号", "主办单位代码", "活动日期", "活动类型", "活动名称"],
];

/// A cell's text: good values, near misses and damage.
fn cell_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(vec![
            "110109001001", "1111090001", "德露苑社区居委会", "大峪街道", "小学", "是", "否", "urban", "农村",
            "2020-09-10", "2020年9月1日", "２０２０－０９－０１", "2021-02-29", "讲座", "家长会", "亲子活动",
            "12", "1,200", "-5", "=1+1", "线上", "2020-2021-1", "合计", "填表人：张三", "", " ", "　",
            "1.10109E+11", "\"quoted, with a comma\"", "\"", "a\"b", "\r\n",
        ])
        .prop_map(str::to_string),
        1 => "\\PC{0,10}",
        1 => "[0-9]{0,20}",
    ]
}

/// A return as bytes: a header (maybe under a title row), rows of cells with a separator,
/// in one encoding; then a few bytes inserted, changed or cut off.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    let text = (
        proptest::sample::select(HEADERS.to_vec()),
        proptest::sample::select(vec![",", "\t", ";"]),
        proptest::sample::select(vec!["\n", "\r\n"]),
        any::<bool>(),
        proptest::collection::vec(proptest::collection::vec(cell_text(), 0..9), 0..12),
    )
        .prop_map(|(header, sep, end, title, rows)| {
            let mut t = if title { format!("门头沟区统计表{end}") } else { String::new() };
            t += &header.join(sep);
            t += end;
            for row in rows {
                t += &row.join(sep);
                t += end;
            }
            t
        });
    let encoded = (text, 0u8..5).prop_map(|(t, enc)| match enc {
        0 => encoding_rs::GB18030.encode(&t).0.into_owned(),
        1 => [&b"\xEF\xBB\xBF"[..], t.as_bytes()].concat(),
        2 => [0xFF, 0xFE].into_iter().chain(t.encode_utf16().flat_map(u16::to_le_bytes)).collect(),
        _ => t.into_bytes(),
    });
    let damage = proptest::collection::vec((any::<usize>(), fragment(), 0u8..3), 0..4);
    prop_oneof![
        6 => (encoded, damage).prop_map(|(mut bytes, damage)| {
            for (at, piece, how) in damage {
                let i = if bytes.is_empty() { 0 } else { at % bytes.len() };
                match how {
                    0 => drop(bytes.splice(i..i, piece)),
                    1 => bytes.truncate(i),
                    _ => {
                        if let Some(b) = bytes.get_mut(i) {
                            *b = piece[0];
                        }
                    }
                }
            }
            bytes
        }),
        1 => proptest::collection::vec(fragment(), 0..60).prop_map(|parts| parts.concat()),
        1 => proptest::collection::vec(any::<u8>(), 0..512),
    ]
}

#[test]
fn fuzz_text_returns_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.csv");
    let reached = Reached::default();
    runner(1500)
        .run(&hostile_bytes(), |bytes| {
            reached.case(&bytes);
            std::fs::write(&path, &bytes).unwrap();
            read_every_way(&path, &reached);
            Ok(())
        })
        .unwrap();
    reached.report("text returns");
}

/// A cell of a small workbook: text (from the same pieces), a number, a date, a bool.
#[derive(Debug, Clone)]
enum CellValue {
    Text(String),
    Number(f64),
    Date(u16, u8, u8),
    Bool(bool),
}

fn cell_value() -> impl Strategy<Value = CellValue> {
    prop_oneof![
        3 => proptest::sample::select(vec![
            "社区代码", "社区名称", "所属乡镇街道", "是否建立家长学校", "活动编号", "主办单位代码", "活动日期", "活动类型",
            "code", "host", "date", "kind", "110109001001", "讲座", "是", "合计", "2020-09-10", "=1+1", "",
        ])
        .prop_map(|s| CellValue::Text(s.to_string())),
        1 => "\\PC{0,12}".prop_map(CellValue::Text),
        1 => any::<f64>().prop_map(CellValue::Number),
        1 => (1900u16..2100, 1u8..13, 1u8..29).prop_map(|(y, m, d)| CellValue::Date(y, m, d)),
        1 => any::<bool>().prop_map(CellValue::Bool),
    ]
}

/// A small workbook: maybe a header row of some kind, cells anywhere in a 40 × 12 corner
/// or a few further away; then some of its bytes changed. (Cells at the sheet's far
/// corner are tested on their own: the xlsx writer takes most of a second to save one.)
type SmallWorkbook = (Option<(usize, u32)>, Vec<(u32, u16, CellValue)>, Vec<(usize, u8)>);

fn small_workbook() -> impl Strategy<Value = SmallWorkbook> {
    let near = (0u32..40, 0u16..12, cell_value());
    let far = (0u32..1_000, 0u16..300, cell_value());
    (
        proptest::option::weighted(0.7, (0..HEADERS.len(), 0u32..3)),
        proptest::collection::vec(prop_oneof![8 => near, 1 => far], 0..40),
        proptest::collection::vec((any::<usize>(), any::<u8>()), 0..3),
    )
}

fn build_workbook(header: Option<(usize, u32)>, cells: &[(u32, u16, CellValue)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    if let Some((kind, row)) = header {
        for (c, name) in HEADERS[kind].iter().enumerate() {
            ws.write_string(row, c as u16, *name).unwrap();
        }
    }
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (r, c, v) in cells {
        let _ = match v {
            CellValue::Text(s) => ws.write_string(*r, *c, s).map(|_| ()),
            CellValue::Number(f) => ws.write_number(*r, *c, *f).map(|_| ()),
            CellValue::Date(y, m, d) => match rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d) {
                Ok(dt) => ws.write_datetime_with_format(*r, *c, &dt, &date).map(|_| ()),
                Err(_) => Ok(()),
            },
            CellValue::Bool(b) => ws.write_boolean(*r, *c, *b).map(|_| ()),
        };
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn fuzz_small_workbooks_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.xlsx");
    let reached = Reached::default();
    runner(100)
        .run(&small_workbook(), |(header, cells, flips)| {
            let mut bytes = build_workbook(header, &cells);
            // A changed byte mostly lands in compressed data; now and then in a header.
            for (at, b) in &flips {
                let i = at % bytes.len();
                bytes[i] = *b;
            }
            reached.case(&bytes);
            std::fs::write(&path, &bytes).unwrap();
            read_every_way(&path, &reached);
            Ok(())
        })
        .unwrap();
    reached.report("small workbooks");
}
