//! The timeliness part of `gongyu returns` (SPEC §15): per township and for the district,
//! the returns expected, received, on time, late and missing, with DHIS2's reporting rate
//! and on-time rate against the plan's thresholds; per unit with `--by unit`. As a table,
//! CSV rows (added to `returns`' own) and the `timeliness` object of `gongyu.returns.v2`.

use std::io::Write;

use anyhow::Result;
use serde_json::{json, Value};

use super::{new_table, township_label};
use crate::lang::Lang;
use crate::report::timeliness::{Counts, Expected, Timeliness};
use crate::report::TownshipKey;

/// The columns timeliness adds to `returns`' CSV, after its own seven.
pub(crate) const CSV_COLUMNS: [&str; 10] =
    ["expected", "received", "on_time", "late", "days_late", "missing", "reporting_rate", "on_time_rate", "due", "received_on"];

/// A rate as the CSV and the table give it: two decimals, empty when nothing is expected.
fn rate(r: Option<f64>) -> String {
    r.map(|r| format!("{r:.2}")).unwrap_or_default()
}

fn counts_cells(c: &Counts) -> [String; 10] {
    [
        c.expected.to_string(),
        c.received.to_string(),
        c.on_time.to_string(),
        c.late.to_string(),
        c.most_days_late.to_string(),
        c.missing.to_string(),
        rate(c.reporting_rate()),
        rate(c.on_time_rate()),
        String::new(),
        String::new(),
    ]
}

fn one_cells(e: &Expected) -> [String; 10] {
    let on_time = e.status() == "on-time";
    let flag = |b: bool| u8::from(b).to_string();
    [
        "1".into(),
        flag(e.received.is_some()),
        flag(on_time),
        flag(e.days_late().is_some()),
        e.days_late().unwrap_or(0).to_string(),
        flag(e.received.is_none()),
        String::new(),
        String::new(),
        e.due.to_string(),
        e.received.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

fn township_cells(t: Option<&TownshipKey>) -> (String, String) {
    (t.and_then(|t| t.code.clone()).unwrap_or_default(), t.map(|t| t.name.clone()).unwrap_or_default())
}

/// The title and the subtitle of the timeliness workbook and page.
pub(crate) fn titles(r: &crate::report::returns::Returns, lang: Lang) -> (String, String) {
    let t = &r.timeliness;
    let title = crate::tl!(lang, "timeliness-book-title", plan = r.plan_name.clone(), term = r.term.to_string());
    let subtitle = crate::tl!(
        lang,
        "timeliness-book-subtitle",
        as_of = r.as_of.to_string(),
        reporting = t.reporting_threshold,
        on_time = t.on_time_threshold
    );
    (title, subtitle)
}

/// The headers of a line of counts in the workbook and the page, in [`Counts`]' order.
pub(crate) fn counts_headers(lang: Lang) -> [String; 8] {
    [
        crate::tl!(lang, "timeliness-h-expected"),
        crate::tl!(lang, "timeliness-h-received"),
        crate::tl!(lang, "timeliness-h-on-time"),
        crate::tl!(lang, "timeliness-h-late"),
        crate::tl!(lang, "timeliness-h-most-days-late"),
        crate::tl!(lang, "timeliness-h-missing"),
        crate::tl!(lang, "timeliness-h-reporting-rate"),
        crate::tl!(lang, "timeliness-h-on-time-rate"),
    ]
}

/// The CSV rows: `timeliness` per township and for the district (status `township`,
/// `no-township` for bodies counted at district level, `district`); `timeliness-roster` per
/// roster; `timeliness-registry` per township's registry filings; `timeliness-unit` per
/// unit with `by_unit`. With `missing_only`, only the missing rosters, filings and units.
pub(crate) fn csv_rows(t: &Timeliness, by_unit: bool, missing_only: bool) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let row = |head: [String; 7], tail: [String; 10]| head.into_iter().chain(tail).collect::<Vec<String>>();
    for r in &t.rosters {
        if missing_only && r.received.is_some() {
            continue;
        }
        let head = [
            "timeliness-roster".into(),
            String::new(),
            String::new(),
            r.kind.into(),
            String::new(),
            r.status().into(),
            String::new(),
        ];
        out.push(row(head, one_cells(r)));
    }
    for e in t.registry.iter().filter(|e| !missing_only || e.received.is_none()) {
        let (code, name) = township_cells(e.township.as_deref());
        let head = ["timeliness-registry".into(), code, name, String::new(), String::new(), e.status().into(), String::new()];
        out.push(row(head, one_cells(e)));
    }
    for g in &t.townships {
        let (code, name) = township_cells(g.township.as_ref());
        let scope = if g.township.is_some() { "township" } else { "no-township" };
        out.push(row(
            ["timeliness".into(), code, name, String::new(), String::new(), scope.into(), String::new()],
            counts_cells(&g.counts),
        ));
    }
    let head =
        ["timeliness".into(), String::new(), String::new(), String::new(), String::new(), "district".into(), String::new()];
    out.push(row(head, counts_cells(&t.district)));
    if by_unit {
        for e in t.units.iter().filter(|e| !missing_only || e.received.is_none()) {
            let (code, name) = township_cells(e.township.as_deref());
            let u = e.unit.as_ref();
            let head = [
                "timeliness-unit".into(),
                code,
                name,
                u.map(|u| u.code.to_string()).unwrap_or_default(),
                u.map(|u| u.name.to_string()).unwrap_or_default(),
                e.status().into(),
                u.map(|u| u.kind.to_string()).unwrap_or_default(),
            ];
            out.push(row(head, one_cells(e)));
        }
    }
    out
}

fn counts_json(c: &Counts, t: &Timeliness) -> Value {
    let (reporting, on_time) = (c.reporting_rate(), c.on_time_rate());
    json!({
        "expected": c.expected,
        "received": c.received,
        "on_time": c.on_time,
        "late": c.late,
        "most_days_late": c.most_days_late,
        "missing": c.missing,
        "reporting_rate": reporting,
        "on_time_rate": on_time,
        "reporting_rate_met": reporting.map(|_| !Timeliness::below(reporting, t.reporting_threshold)),
        "on_time_rate_met": on_time.map(|_| !Timeliness::below(on_time, t.on_time_threshold)),
    })
}

fn expected_json(e: &Expected) -> Value {
    let tw = e.township.as_deref().map(|t| json!({"code": t.code, "name": t.name}));
    json!({
        "kind": e.kind,
        "township": tw,
        "unit": e.unit,
        "due": e.due.to_string(),
        "received": e.received.map(|d| d.to_string()),
        "status": e.status(),
        "days_late": e.days_late(),
    })
}

/// The `timeliness` object of `gongyu.returns.v2`. The units are listed with `by_unit`
/// (with `missing_only`, the missing ones): a district's 50,000 would double the document.
pub(crate) fn json(t: &Timeliness, by_unit: bool, missing_only: bool, today: chrono::NaiveDate) -> Value {
    let mut deadlines: Vec<Value> = Vec::new();
    let mut seen = Vec::new();
    for e in t.rosters.iter().chain(t.units.first()).chain(t.registry.first()) {
        if !seen.contains(&e.kind) {
            seen.push(e.kind);
            deadlines.push(json!({"kind": e.kind, "due": e.due.to_string(), "passed": e.due < today}));
        }
    }
    json!({
        "thresholds": {"reporting_rate": t.reporting_threshold, "on_time_rate": t.on_time_threshold},
        "deadlines": deadlines,
        "district": counts_json(&t.district, t),
        "townships": t.townships.iter().map(|g| {
            let mut o = counts_json(&g.counts, t);
            o["township"] = g.township.as_ref().map_or(Value::Null, |k| json!({"code": k.code, "name": k.name}));
            o
        }).collect::<Vec<_>>(),
        "rosters": t.rosters.iter().map(expected_json).collect::<Vec<_>>(),
        (crate::returns::kinds::registry::KIND_NAME): t.registry.iter().filter(|e| !missing_only || e.received.is_none()).map(expected_json).collect::<Vec<_>>(),
        "by_unit": by_unit,
        "units": t.units.iter().filter(|e| by_unit && (!missing_only || e.received.is_none())).map(expected_json).collect::<Vec<_>>(),
    })
}

/// A rate for people, marked when it falls short of its threshold.
fn rate_cell(r: Option<f64>, threshold: u32) -> String {
    match r {
        None => "—".into(),
        Some(v) if Timeliness::below(r, threshold) => format!("{v:.1}% *"),
        Some(v) => format!("{v:.1}%"),
    }
}

fn late_cell(c: &Counts, lang: Lang) -> String {
    match c.late {
        0 => "0".into(),
        n => crate::tl!(lang, "timeliness-late-cell", count = n, days = c.most_days_late),
    }
}

fn status_words(e: &Expected, lang: Lang) -> String {
    match e.days_late() {
        Some(days) => crate::tl!(lang, "timeliness-status-late", days = days),
        None if e.received.is_some() => crate::tl!(lang, "timeliness-status-on-time"),
        None => crate::tl!(lang, "timeliness-status-missing"),
    }
}

/// The timeliness tables, after `returns`' own.
pub(crate) fn table(
    out: &mut dyn Write,
    t: &Timeliness,
    by_unit: bool,
    missing_only: bool,
    today: chrono::NaiveDate,
    lang: Lang,
) -> Result<()> {
    writeln!(
        out,
        "\n{}",
        crate::tl!(lang, "timeliness-title", reporting = t.reporting_threshold, on_time = t.on_time_threshold)
    )?;
    if !t.rosters.is_empty() {
        let mut table = new_table(&[
            &crate::tl!(lang, "timeliness-h-roster"),
            &crate::tl!(lang, "timeliness-h-due"),
            &crate::tl!(lang, "timeliness-h-received-on"),
            &crate::tl!(lang, "timeliness-h-status"),
        ]);
        for r in t.rosters.iter().filter(|r| !missing_only || r.received.is_none()) {
            table.add_row(vec![
                crate::returns::kinds::kind_title(r.kind, lang).to_string(),
                r.due.to_string(),
                r.received.map(|d| d.to_string()).unwrap_or_default(),
                status_words(r, lang),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    if !t.registry.is_empty() {
        let mut table = new_table(&[
            &crate::tl!(lang, "timeliness-h-registry"),
            &crate::tl!(lang, "timeliness-h-due"),
            &crate::tl!(lang, "timeliness-h-received-on"),
            &crate::tl!(lang, "timeliness-h-status"),
        ]);
        for e in t.registry.iter().filter(|e| !missing_only || e.received.is_none()) {
            table.add_row(vec![
                e.township.as_deref().map(township_label).unwrap_or_default(),
                e.due.to_string(),
                e.received.map(|d| d.to_string()).unwrap_or_default(),
                status_words(e, lang),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    let header = [
        crate::tl!(lang, "timeliness-h-township"),
        crate::tl!(lang, "timeliness-h-expected"),
        crate::tl!(lang, "timeliness-h-received"),
        crate::tl!(lang, "timeliness-h-on-time"),
        crate::tl!(lang, "timeliness-h-late"),
        crate::tl!(lang, "timeliness-h-missing"),
        crate::tl!(lang, "timeliness-h-reporting-rate"),
        crate::tl!(lang, "timeliness-h-on-time-rate"),
    ];
    let mut table = new_table(&header.iter().map(String::as_str).collect::<Vec<_>>());
    let mut line = |label: String, c: &Counts| {
        table.add_row(vec![
            label,
            c.expected.to_string(),
            c.received.to_string(),
            c.on_time.to_string(),
            late_cell(c, lang),
            c.missing.to_string(),
            rate_cell(c.reporting_rate(), t.reporting_threshold),
            rate_cell(c.on_time_rate(), t.on_time_threshold),
        ]);
    };
    for g in &t.townships {
        let label = g.township.as_ref().map_or_else(|| crate::tl!(lang, "render-district-no-township"), township_label);
        line(label, &g.counts);
    }
    line(crate::tl!(lang, "timeliness-district"), &t.district);
    writeln!(out, "{table}")?;
    writeln!(out, "{}", crate::tl!(lang, "timeliness-legend", reporting = t.reporting_threshold, on_time = t.on_time_threshold))?;
    writeln!(out, "{}", crate::tl!(lang, "timeliness-definition"))?;
    if let Some(first) = t.units.first().filter(|e| e.due >= today) {
        writeln!(out, "{}", crate::tl!(lang, "timeliness-not-yet-due", due = first.due.to_string()))?;
    }
    if by_unit {
        let mut table = new_table(&[
            &crate::tl!(lang, "timeliness-h-township"),
            &crate::tl!(lang, "timeliness-h-unit"),
            &crate::tl!(lang, "timeliness-h-due"),
            &crate::tl!(lang, "timeliness-h-received-on"),
            &crate::tl!(lang, "timeliness-h-status"),
        ]);
        for e in t.units.iter().filter(|e| !missing_only || e.received.is_none()) {
            table.add_row(vec![
                e.township.as_deref().map_or_else(|| crate::tl!(lang, "render-district-no-township"), township_label),
                e.unit.as_ref().map(|u| format!("{} {}", u.code, u.name)).unwrap_or_default(),
                e.due.to_string(),
                e.received.map(|d| d.to_string()).unwrap_or_default(),
                status_words(e, lang),
            ]);
        }
        writeln!(out, "\n{}\n{table}", crate::tl!(lang, "timeliness-units-title"))?;
    }
    Ok(())
}
