//! `gongyu quality`'s findings: a table for people (fits 100 columns, reasons in the
//! output language), CSV and JSON (`gongyu.quality.v1`) with stable English keys, a
//! workbook sheet and a page section.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::Result;
use serde_json::{json, Value};

use crate::lang::Lang;
use crate::plan::term::day_from_key;
use crate::plan::Plan;
use crate::quality::shown::{Quality, Shown};
use crate::quality::{Code, Reason, Severity};
use crate::tl;

/// The CSV columns (SPEC §15), never translated.
pub(crate) const CSV_COLUMNS: [&str; 15] = [
    "id",
    "code",
    "severity",
    "township_code",
    "township",
    "unit_code",
    "unit_name",
    "file",
    "line",
    "batch",
    "reason",
    "reviewed",
    "reviewed_by",
    "reviewed_at",
    "note",
];

fn day_text(day: i64) -> String {
    day_from_key(day).map_or_else(|| day.to_string(), |d| d.to_string())
}

/// A kind's word: the catalogue's, or (a kind it does not name) its id or Chinese name.
fn kind_word(kind: &str, lang: Lang) -> String {
    let name = crate::plan::ActivityKind::from_str_exact(kind).map_or(kind, |k| k.zh());
    tl!(lang, "quality-kind", kind = kind, name = name)
}

pub(crate) fn severity_word(s: Severity, lang: Lang) -> String {
    match s {
        Severity::High => tl!(lang, "quality-severity-high"),
        Severity::Medium => tl!(lang, "quality-severity-medium"),
        Severity::Low => tl!(lang, "quality-severity-low"),
    }
}

fn code_word(c: Code, lang: Lang) -> String {
    match c {
        Code::DuplicateAcrossHosts => tl!(lang, "quality-code-duplicate-across-hosts"),
        Code::DuplicateAcrossBatches => tl!(lang, "quality-code-duplicate-across-batches"),
        Code::ParticipantsOutlier => tl!(lang, "quality-code-participants-outlier"),
        Code::DigitHeaping => tl!(lang, "quality-code-digit-heaping"),
        Code::Burst => tl!(lang, "quality-code-burst"),
        Code::DeadlineBunching => tl!(lang, "quality-code-deadline-bunching"),
        Code::BeforeParentSchool => tl!(lang, "quality-code-before-parent-school"),
        Code::CopiedTerm => tl!(lang, "quality-code-copied-term"),
        Code::ConsistencyOverTime => tl!(lang, "quality-code-consistency-over-time"),
    }
}

fn one(x: f64) -> String {
    format!("{x:.1}")
}

/// The reason of a finding, in `lang`.
pub(crate) fn reason(f: &Shown, lang: Lang) -> String {
    let e = f.evidence.as_ref();
    let day = e.map(|e| day_text(e.day)).unwrap_or_default();
    let kind = e.map(|e| kind_word(&e.kind, lang)).unwrap_or_default();
    let title = e.and_then(|e| e.title.clone()).unwrap_or_default();
    let (other, file, line, batch) = match &f.other {
        Some(o) => (o.unit_code.clone(), o.file.clone(), o.line, o.batch),
        None => (String::new(), String::new(), 0, 0),
    };
    match f.reason {
        Reason::DuplicateAcrossHosts { hosts, .. } => tl!(
            lang,
            "quality-reason-duplicate-across-hosts",
            day = day,
            kind = kind,
            title = title,
            other = other,
            file = file,
            line = line,
            hosts = hosts
        ),
        Reason::DuplicateAcrossBatches { rows, .. } => tl!(
            lang,
            "quality-reason-duplicate-across-batches",
            day = day,
            kind = kind,
            title = title,
            batch = batch,
            file = file,
            line = line,
            rows = rows
        ),
        Reason::ParticipantsOutlier { participants, median, score } => tl!(
            lang,
            "quality-reason-participants-outlier",
            day = day,
            kind = kind,
            participants = participants,
            median = one(median),
            score = one(score)
        ),
        Reason::DigitHeaping { heaped, counted, z } => tl!(
            lang,
            "quality-reason-digit-heaping",
            heaped = heaped,
            counted = counted,
            share = one(100.0 * f64::from(heaped) / f64::from(counted.max(1))),
            z = one(z)
        ),
        Reason::Burst { day, count } => tl!(lang, "quality-reason-burst", day = day_text(day), count = count),
        Reason::DeadlineBunching { last_week, total, from } => {
            tl!(lang, "quality-reason-deadline-bunching", last_week = last_week, total = total, from = day_text(from))
        }
        Reason::BeforeParentSchool { count, since, first } => {
            tl!(lang, "quality-reason-before-parent-school", count = count, since = day_text(since), first = day_text(first))
        }
        Reason::CopiedTerm { matched, total, shift } => {
            tl!(lang, "quality-reason-copied-term", matched = matched, total = total, shift = shift)
        }
        Reason::ConsistencyOverTime { count, mean, terms } => tl!(
            lang,
            "quality-reason-consistency-over-time",
            count = count,
            mean = one(mean),
            terms = terms,
            pct = one(if mean > 0.0 { 100.0 * (count as f64 - mean) / mean } else { 0.0 })
        ),
    }
}

fn unit_cell(f: &Shown) -> String {
    match (&f.unit_code, &f.unit_name) {
        (Some(c), Some(n)) => format!("{c} {n}"),
        (Some(c), None) => c.clone(),
        _ => String::new(),
    }
}

fn township_cell(f: &Shown) -> String {
    match (&f.township_code, &f.township) {
        (Some(c), Some(n)) if c != n => format!("{c} {n}"),
        (Some(c), _) => c.clone(),
        _ => String::new(),
    }
}

fn evidence_cell(f: &Shown, lang: Lang) -> String {
    match &f.evidence {
        Some(e) => tl!(lang, "quality-evidence", file = e.file.clone(), line = e.line, batch = e.batch),
        None => String::new(),
    }
}

/// The evidence with the file's name alone (the table is narrow; CSV and JSON keep the path).
fn short_evidence_cell(f: &Shown, lang: Lang) -> String {
    match &f.evidence {
        Some(e) => {
            let name = e.file.rsplit(['/', '\\']).next().unwrap_or(&e.file).to_string();
            tl!(lang, "quality-evidence", file = name, line = e.line, batch = e.batch)
        }
        None => String::new(),
    }
}

fn review_cell(f: &Shown, lang: Lang) -> String {
    match f.reviewed() {
        Some(r) => tl!(
            lang,
            "quality-reviewed-by",
            by = r.by.clone(),
            at = crate::ambient::local_time(&r.at),
            note = r.note.clone().unwrap_or_default()
        ),
        None => tl!(lang, "quality-not-reviewed"),
    }
}

/// The counts line: how many findings of each severity, and the unreviewed high ones.
pub(crate) fn summary(q: &Quality, lang: Lang) -> String {
    let n = |s: Severity| q.findings.iter().filter(|f| f.severity == s).count();
    tl!(
        lang,
        "quality-summary",
        term = q.term.to_string(),
        total = q.findings.len(),
        high = n(Severity::High),
        unreviewed = q.unreviewed_high().count(),
        medium = n(Severity::Medium),
        low = n(Severity::Low)
    )
}

/// The table (wrapped to 100 columns), then the counts.
pub(crate) fn table(out: &mut dyn Write, q: &Quality, lang: Lang) -> Result<()> {
    if q.findings.is_empty() {
        writeln!(out, "{}", tl!(lang, "quality-none", term = q.term.to_string()))?;
        return Ok(());
    }
    let header: Vec<String> =
        ["id", "severity", "code", "unit", "evidence", "reason", "reviewed"].iter().map(|k| header_word(k, lang)).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = super::new_table(&header);
    t.set_width(100);
    for f in &q.findings {
        let unit = [unit_cell(f), township_cell(f)].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n");
        let review = match f.reviewed() {
            Some(r) => tl!(lang, "quality-reviewed-short", by = r.by.clone()),
            None => tl!(lang, "quality-not-reviewed"),
        };
        t.add_row(vec![
            f.id.clone(),
            severity_word(f.severity, lang),
            code_word(f.code, lang),
            unit,
            short_evidence_cell(f, lang),
            reason(f, lang),
            review,
        ]);
    }
    writeln!(out, "{t}")?;
    writeln!(out, "{}", summary(q, lang))?;
    writeln!(out, "{}", tl!(lang, "quality-inform"))?;
    Ok(())
}

fn header_word(key: &str, lang: Lang) -> String {
    match key {
        "id" => tl!(lang, "quality-col-id"),
        "severity" => tl!(lang, "quality-col-severity"),
        "code" => tl!(lang, "quality-col-code"),
        "township" => tl!(lang, "quality-col-township"),
        "unit" => tl!(lang, "quality-col-unit"),
        "evidence" => tl!(lang, "quality-col-evidence"),
        "reason" => tl!(lang, "quality-col-reason"),
        _ => tl!(lang, "quality-col-reviewed"),
    }
}

fn csv_cells(f: &Shown, lang: Lang) -> [String; 15] {
    let e = f.evidence.as_ref();
    let r = f.reviewed();
    [
        f.id.clone(),
        f.code.as_str().to_string(),
        f.severity.as_str().to_string(),
        f.township_code.clone().unwrap_or_default(),
        f.township.clone().unwrap_or_default(),
        f.unit_code.clone().unwrap_or_default(),
        f.unit_name.clone().unwrap_or_default(),
        e.map(|e| e.file.clone()).unwrap_or_default(),
        e.map(|e| e.line.to_string()).unwrap_or_default(),
        e.map(|e| e.batch.to_string()).unwrap_or_default(),
        reason(f, lang),
        if r.is_some() { "yes" } else { "no" }.to_string(),
        r.map(|r| r.by.clone()).unwrap_or_default(),
        r.map(|r| r.at.clone()).unwrap_or_default(),
        r.and_then(|r| r.note.clone()).unwrap_or_default(),
    ]
}

pub(crate) fn csv(out: &mut dyn Write, q: &Quality, excel: bool, lang: Lang) -> Result<()> {
    let mut w = super::SafeCsv::new(out, excel)?;
    w.row(CSV_COLUMNS)?;
    for f in &q.findings {
        w.row(csv_cells(f, lang))?;
    }
    w.finish()?;
    Ok(())
}

fn counts(q: &Quality) -> Value {
    let by_code: serde_json::Map<String, Value> =
        Code::ALL.iter().map(|c| (c.as_str().to_string(), json!(q.findings.iter().filter(|f| f.code == *c).count()))).collect();
    let by_severity: serde_json::Map<String, Value> = Severity::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), json!(q.findings.iter().filter(|f| f.severity == *s).count())))
        .collect();
    json!({
        "total": q.findings.len(),
        "unreviewed_high": q.unreviewed_high().count(),
        "by_code": by_code,
        "by_severity": by_severity,
    })
}

fn finding_json(f: &Shown, lang: Lang) -> Value {
    let evidence = f.evidence.as_ref().map(|e| {
        json!({
            "file": e.file, "line": e.line, "batch": e.batch, "day": day_text(e.day), "kind": e.kind,
            "title": e.title, "participants": e.participants,
        })
    });
    let other = f.other.as_ref().map(|o| json!({"unit_code": o.unit_code, "file": o.file, "line": o.line, "batch": o.batch}));
    let review = f.reviewed().map(|r| json!({"by": r.by, "at": r.at, "note": r.note}));
    json!({
        "id": f.id,
        "code": f.code,
        "severity": f.severity,
        "township_code": f.township_code,
        "township": f.township,
        "unit_code": f.unit_code,
        "unit_name": f.unit_name,
        "evidence": evidence,
        "other": other,
        "details": f.reason,
        "reason": reason(f, lang),
        "reviewed": f.reviewed().is_some(),
        "review": review,
    })
}

pub(crate) fn json(out: &mut dyn Write, q: &Quality, plan: &Plan, lang: Lang) -> Result<()> {
    let doc = json!({
        "schema": "gongyu.quality.v1",
        "term": q.term.to_string(),
        "plan": {"id": plan.id, "name": plan.name, "source": plan.source, "sha256": plan.sha256},
        "thresholds": q.thresholds,
        "counts": counts(q),
        "findings": q.findings.iter().map(|f| finding_json(f, lang)).collect::<Vec<_>>(),
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(())
}

/// The findings as a section of a page (`<section>` with a heading, the counts and a table).
pub(crate) fn html_section(o: &mut String, q: &Quality, lang: Lang) {
    let esc = super::html::esc;
    let _ = write!(
        o,
        "<section class=\"quality\">\n<h2>{}</h2>\n<p>{} {}</p>\n",
        esc(&tl!(lang, "quality-title")),
        esc(&summary(q, lang)),
        esc(&tl!(lang, "quality-inform"))
    );
    if q.findings.is_empty() {
        let _ = writeln!(o, "<p>{}</p>\n</section>", esc(&tl!(lang, "quality-none", term = q.term.to_string())));
        return;
    }
    let header = ["id", "severity", "code", "township", "unit", "evidence", "reason", "reviewed"];
    o.push_str("<table>\n<thead><tr>");
    for h in header {
        let _ = write!(o, "<th>{}</th>", esc(&header_word(h, lang)));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for f in &q.findings {
        let cells = [
            f.id.clone(),
            severity_word(f.severity, lang),
            code_word(f.code, lang),
            township_cell(f),
            unit_cell(f),
            evidence_cell(f, lang),
            reason(f, lang),
            review_cell(f, lang),
        ];
        let _ = write!(o, "<tr class=\"{}\">", f.severity.as_str());
        for c in cells {
            let _ = write!(o, "<td>{}</td>", esc(&c));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

/// A page of the findings alone.
pub(crate) fn html(out: &mut dyn Write, q: &Quality, plan: &Plan, lang: Lang) -> Result<()> {
    let esc = super::html::esc;
    let title = tl!(lang, "quality-page-title", plan = plan.name.clone(), term = q.term.to_string());
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"generator\" content=\"gongyu {}\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        lang.pick("zh-CN", "en"),
        env!("CARGO_PKG_VERSION"),
        esc(&title),
        CSS,
        esc(&title)
    );
    html_section(&mut o, q, lang);
    o.push_str("</main>\n</body>\n</html>\n");
    out.write_all(o.as_bytes())?;
    Ok(())
}

const CSS: &str = "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;font-size:13px}\
th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}\
tr.high td:nth-child(2){color:#b00020;font-weight:bold}";

/// The findings as a sheet of a workbook.
pub(crate) fn xlsx_sheet(book: &mut rust_xlsxwriter::Workbook, q: &Quality, lang: Lang) -> Result<()> {
    use rust_xlsxwriter::Format;
    let ws = book.add_worksheet();
    ws.set_name(tl!(lang, "quality-sheet"))?;
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, summary(q, lang), &bold)?;
    let header = ["id", "severity", "code", "township", "unit", "evidence", "reason", "reviewed"];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, header_word(h, lang), &bold)?;
    }
    for (i, f) in q.findings.iter().enumerate() {
        let row = 3 + i as u32;
        let cells = [
            f.id.clone(),
            severity_word(f.severity, lang),
            code_word(f.code, lang),
            township_cell(f),
            unit_cell(f),
            evidence_cell(f, lang),
            reason(f, lang),
            review_cell(f, lang),
        ];
        for (c, text) in cells.iter().enumerate() {
            ws.write_string(row, c as u16, text)?;
        }
    }
    for (c, w) in [12.0, 6.0, 14.0, 20.0, 28.0, 28.0, 60.0, 24.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(3, 0)?;
    Ok(())
}

/// A workbook of the findings alone.
pub(crate) fn xlsx(file: &mut std::fs::File, q: &Quality, lang: Lang) -> Result<()> {
    let mut book = rust_xlsxwriter::Workbook::new();
    xlsx_sheet(&mut book, q, lang)?;
    let bytes = book.save_to_buffer()?;
    file.write_all(&bytes)?;
    Ok(())
}
