//! The JSON and CSV contract (SPEC §6) held byte for byte: a report full of awkward
//! strings (quotes, backslashes, control characters, formulas, Chinese, emoji) and an
//! empty one, written in every format and both languages, against the files in
//! `fixtures/render/` (written by the hand-made writers before serde wrote them).

use std::path::PathBuf;
use std::sync::Arc;

use crate::facts::RostersUsed;
use crate::lang::{Lang, Words};
use crate::memo::Same;
use crate::plan::model::Title;
use crate::plan::{period, Status, Term};
use crate::render::{self, Format};
use crate::report::{Bodies, ClosedMark, CoverageReport, Gap, TargetRow, TownshipKey, TownshipReport};

const AWKWARD: [&str; 9] = [
    "say \"hi\", \\ back",
    "line\nbreak\r\ntab\tnul\u{0}bell\u{7}esc\u{1b}\u{1f}\u{7f}",
    "=SUM(A1)",
    "-1",
    "@x",
    "门头沟区（2019～2021年）😀\u{2028}",
    "",
    "\tlead",
    "\"",
];

fn bodies(i: usize) -> Bodies {
    let all: Vec<Vec<String>> =
        vec![vec![], vec!["区教委".into()], AWKWARD.iter().map(|s| s.to_string()).collect(), vec!["+a".into(), "b;c".into()]];
    Arc::from(all[i % all.len()].clone())
}

fn row(target: usize, i: usize) -> TargetRow {
    let statuses = [Status::Met, Status::Pending, Status::Gap, Status::NotApplicable, Status::NoData, Status::Info];
    let denominator = [Some(0), Some(1), Some(3), Some(8), Some(126), None, Some(480_000)][i % 7];
    let numerator = denominator.map_or(i as u64 * 7, |d| (i as u64 * 37) % (d + 1));
    TargetRow {
        target,
        numerator,
        denominator,
        shortfall: if i.is_multiple_of(3) { None } else { Some(i as u64) },
        status: statuses[i % statuses.len()],
        responsible: bodies(i / 2),
        unreported: Default::default(),
    }
}

fn awkward_report() -> CoverageReport {
    let mut plan = crate::plan::file::built_in();
    plan.id = AWKWARD[0].into();
    plan.name = AWKWARD[1].into();
    plan.sha256 = AWKWARD[5].into();
    for (i, t) in plan.targets.iter_mut().enumerate() {
        if i.is_multiple_of(2) {
            t.id = format!("{}{i}", AWKWARD[i % AWKWARD.len()]);
            t.title = Title { zh: AWKWARD[(i + 1) % AWKWARD.len()].into(), en: Some(AWKWARD[(i + 2) % AWKWARD.len()].into()) };
            t.section = if i.is_multiple_of(4) { None } else { Some(AWKWARD[(i + 3) % AWKWARD.len()].into()) };
        }
    }
    let term: Term = "2020-2021-1".parse().unwrap();
    let as_of = "2020-12-15".parse().unwrap();
    let spans = plan.targets.iter().map(|t| period::span(t.period, term, &plan, as_of)).collect();
    let n = plan.targets.len();
    let townships = AWKWARD
        .iter()
        .enumerate()
        .map(|(i, s)| TownshipReport {
            township: TownshipKey::new(if i % 3 == 1 { None } else { Some(format!("{s}{i}")) }, AWKWARD[(i + 4) % 9].into()),
            targets: if i == 2 { vec![] } else { (0..n).map(|t| row(t, t * 5 + i)).collect() },
        })
        .collect();
    CoverageReport {
        plan,
        term,
        as_of,
        spans,
        rosters: RostersUsed { schools: Some(term), communities: None, bodies: Some(term), key_students: Some(term) },
        district: (0..n).map(|t| row(t, t)).collect(),
        townships,
        closed: Some(ClosedMark { at: AWKWARD[2].into(), by: AWKWARD[1].into() }),
    }
}

fn awkward_gaps(report: &CoverageReport) -> Vec<Gap> {
    (0..40)
        .map(|i| Gap {
            target: i % report.plan.targets.len(),
            township: match i % 4 {
                0 => None,
                1 => Some(TownshipKey::new(None, AWKWARD[i % 9].into())),
                _ => Some(TownshipKey::new(Some(AWKWARD[(i + 1) % 9].into()), AWKWARD[(i + 2) % 9].into())),
            },
            unit_code: AWKWARD[(i + 3) % 9].into(),
            unit_name: AWKWARD[(i + 5) % 9].into(),
            reason: Words::new(AWKWARD[(i + 6) % 9], AWKWARD[(i + 7) % 9]),
            reason_code: AWKWARD[(i + 8) % 9].into(),
            status: if i.is_multiple_of(2) { Status::Gap } else { Status::Pending },
            responsible: bodies(i),
        })
        .collect()
}

fn text(write: impl FnOnce(&mut Vec<u8>) -> anyhow::Result<()>) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out).unwrap();
    out
}

/// Every output of `report` and `gaps`, each with the name of its fixture file.
fn outputs(report: &CoverageReport, gaps: &[Gap]) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        let l = if lang == Lang::Zh { "zh" } else { "en" };
        all.push((format!("{l}/coverage.json"), text(|o| render::coverage(o, report, Format::Json, true, false, lang))));
        for excel in [false, true] {
            let x = if excel { "-excel" } else { "" };
            for by in [false, true] {
                let b = if by { "-township" } else { "" };
                all.push((
                    format!("{l}/coverage{b}{x}.csv"),
                    text(|o| render::coverage(o, report, Format::Csv, by, excel, lang)),
                ));
            }
            all.push((format!("{l}/gaps{x}.csv"), text(|o| render::gaps(o, report, gaps, Format::Csv, None, excel, lang))));
        }
        all.push((format!("{l}/gaps.json"), text(|o| render::gaps(o, report, gaps, Format::Json, None, false, lang))));
        all.push((format!("{l}/gaps-3.json"), text(|o| render::gaps(o, report, gaps, Format::Json, Some(3), false, lang))));
    }
    all
}

fn folder(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/render").join(name)
}

fn check(name: &str, report: &CoverageReport, gaps: &[Gap]) {
    for (file, bytes) in outputs(report, gaps) {
        let path = folder(name).join(&file);
        let expected = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if bytes != expected {
            panic!(
                "{} differs from what was written:\n--- expected\n{}\n--- written\n{}",
                path.display(),
                String::from_utf8_lossy(&expected),
                String::from_utf8_lossy(&bytes)
            );
        }
        if file.ends_with(".json") {
            serde_json::from_slice::<serde_json::Value>(&bytes).unwrap();
        }
    }
}

#[test]
fn awkward_strings_are_written_as_the_contract_says() {
    let report = awkward_report();
    let gaps = awkward_gaps(&report);
    check("awkward", &report, &gaps);
}

#[test]
fn empty_lists_are_written_as_the_contract_says() {
    let mut report = awkward_report();
    report.closed = None;
    report.rosters = RostersUsed::default();
    report.district.clear();
    report.townships.clear();
    check("empty", &report, &[]);
}

#[test]
fn the_gaps_own_error_is_what_a_failed_walk_reports() {
    let report = awkward_report();
    let gaps = awkward_gaps(&report);
    for format in [Format::Json, Format::Csv] {
        let mut out = Vec::new();
        let e = render::gaps_from(&mut out, &report, format, Some(5), false, Lang::En, |row| {
            gaps[..3].iter().try_for_each(&mut *row)?;
            Err(std::io::Error::other("the gaps' temporary file").into())
        })
        .unwrap_err();
        assert!(e.downcast_ref::<std::io::Error>().is_some(), "{format:?}: {e:#}");
        assert_eq!(e.to_string(), "the gaps' temporary file", "{format:?}");
    }
}

#[test]
fn the_pretty_printer_writes_what_serde_json_s_writes() {
    let mut deep = serde_json::json!({"leaf": [1, {"k": null}, [], {}]});
    for i in 0..20 {
        deep = serde_json::json!({ format!("level {i}"): [deep, i, "x\"y\\z\n", {"": true}], "2": [[]] });
    }
    let numbers = serde_json::json!([80.0, 79.96, 0.05, 1e300, -0.0, 1.5e-7, -5, u64::MAX, i64::MIN, true, false, null]);
    // Every byte below U+0080 at every place of strings longer and shorter than eight bytes.
    let strings: Vec<String> = (0u8..0x80)
        .flat_map(|b| (0..20).map(move |at| format!("{}{}{}", "é".repeat(at / 2), char::from(b), "x".repeat(19 - at))))
        .collect();
    let others = [serde_json::json!([]), serde_json::json!({}), serde_json::json!("s"), serde_json::json!(AWKWARD)];
    for value in [deep, numbers, serde_json::json!(strings)].into_iter().chain(others) {
        let mut ours = Vec::new();
        super::serial::pretty(&mut ours, &value).unwrap();
        let theirs = serde_json::to_string_pretty(&value).unwrap() + "\n";
        assert_eq!(String::from_utf8(ours).unwrap(), theirs);
    }
}

/// Struct keys (remembered per key and depth) at many depths, one needing escapes.
#[derive(serde::Serialize)]
struct Nest {
    #[serde(rename = "quo\"te\n")]
    q: u8,
    inner: Option<Box<Nest>>,
    /// As long as `inner`.
    #[serde(rename = "lists")]
    list: Vec<Nest>,
}

#[test]
fn struct_keys_are_written_as_serde_json_writes_them_at_every_depth() {
    let mut nest = Nest { q: 0, inner: None, list: vec![] };
    for q in 1..20 {
        nest = Nest { q, list: vec![Nest { q, inner: None, list: vec![] }], inner: Some(Box::new(nest)) };
    }
    let theirs = serde_json::to_string_pretty(&[&nest, &nest]).unwrap() + "\n";
    for slots in [1, 256] {
        let mut ours = Vec::new();
        let mut json = super::json::Pretty::with_key_slots(&mut ours, slots);
        serde::Serialize::serialize(&[&nest, &nest], &mut json).unwrap();
        json.finish().unwrap();
        assert_eq!(String::from_utf8(ours).unwrap(), theirs, "{slots} slots");
    }
}

/// A struct whose fields share what they wrap: one string under two keys (first and not),
/// a list, and the same again one level down.
#[derive(serde::Serialize)]
struct Shared<'a> {
    first: Same<'a, str>,
    again: Same<'a, str>,
    list: Same<'a, [String]>,
    plain: Option<u8>,
    inner: Option<Box<Shared<'a>>>,
}

/// `Same` values, kept by their place, key and depth, are written as serde_json writes the
/// values themselves: a key or a depth of another `Same` at the same place is not copied.
#[test]
fn same_values_are_written_as_serde_json_writes_them() {
    let (text, list) = (AWKWARD.concat(), AWKWARD.map(String::from).to_vec());
    let shared = |inner| Shared { first: Same(&text), again: Same(&text), list: Same(&list), plain: None, inner };
    let nested = shared(Some(Box::new(shared(Some(Box::new(shared(None)))))));
    let rows = [&nested, &nested, &nested];
    let theirs = serde_json::to_string_pretty(&rows).unwrap() + "\n";
    let mut ours = Vec::new();
    super::serial::pretty(&mut ours, &rows).unwrap();
    assert_eq!(String::from_utf8(ours).unwrap(), theirs);
}
