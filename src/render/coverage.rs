//! The coverage report as a table, CSV (SPEC §6.3) and JSON (SPEC §6.4).

use std::io::Write;

use anyhow::Result;
use comfy_table::CellAlignment;
use serde::Serialize;

use super::{fit, new_table, write, Format};
use crate::lang::Lang;
use crate::plan::model::Threshold;
use crate::plan::Status;
use crate::plan::Term;
use crate::report::{CoverageReport, TargetRow, TownshipKey};

/// Writes the coverage report. `by_township` adds township rows to table and CSV; JSON
/// always carries them.
pub(crate) fn coverage(
    out: &mut dyn Write,
    report: &CoverageReport,
    format: Format,
    by_township: bool,
    excel: bool,
    lang: Lang,
) -> Result<()> {
    match format {
        Format::Table => coverage_table(out, report, by_township, lang),
        Format::Csv => coverage_csv(out, report, by_township, excel, lang),
        Format::Json => coverage_json(out, report, lang),
    }
}

pub(super) fn scoped_rows(report: &CoverageReport, by_township: bool) -> Vec<(Option<&TownshipKey>, &TargetRow)> {
    report.rows().filter(|(t, _)| by_township || t.is_none()).collect()
}

fn required_label(report: &CoverageReport, r: &TargetRow, lang: Lang) -> String {
    match report.target(r).threshold {
        Threshold::Required(p) => format!("{p}%"),
        Threshold::AtLeast(n) => format!("≥ {n}"),
        // An informational target sets no requirement: it is only counted (仅统计).
        Threshold::Informational => crate::tl!(lang, "render-info").to_string(),
    }
}

fn met_of_units(r: &TargetRow) -> String {
    match r.denominator {
        Some(d) => format!("{} / {d}", r.numerator),
        None => r.numerator.to_string(),
    }
}

fn pct_cell(r: &TargetRow) -> String {
    match r.ratio() {
        Some(ratio) if ratio.denominator > 0 => format!("{}%", ratio.pct_text(1)),
        _ => "-".to_string(),
    }
}

/// A status as people read it.
pub(crate) fn status_word(status: Status, lang: Lang) -> &'static str {
    match lang {
        Lang::En => status.as_str(),
        Lang::Zh => match status {
            Status::Met => "达标",
            Status::Pending => "进行中",
            Status::Gap => "未达标",
            Status::NotApplicable => "不适用",
            Status::NoData => "无数据",
            Status::Info => "仅统计",
        },
    }
}

fn coverage_table(out: &mut dyn Write, report: &CoverageReport, by_township: bool, lang: Lang) -> Result<()> {
    let r = &report.rosters;
    let key_students = r.key_students.map(|t| t.school_year());
    let none = crate::tl!(lang, "render-none");
    let t = |x: Option<Term>| x.map_or_else(|| none.clone(), |t| t.to_string());
    let (term, term_words) = (report.term.to_string(), report.term.chinese());
    writeln!(out, "{}", crate::tl!(lang, "report-title", term = term, term_words = term_words))?;
    let (plan, plan_name, as_of) = (report.plan.id.clone(), report.plan.name.clone(), report.as_of.to_string());
    writeln!(out, "{}", crate::tl!(lang, "report-plan-line", plan = plan, plan_name = plan_name, as_of = as_of))?;
    let key_students = key_students.unwrap_or_else(|| none.clone());
    let (schools, communities, bodies) = (t(r.schools), t(r.communities), t(r.bodies));
    writeln!(
        out,
        "{}",
        crate::tl!(
            lang,
            "report-rosters-line",
            schools = schools,
            communities = communities,
            bodies = bodies,
            key_students = key_students
        )
    )?;
    let mut header: Vec<&str> = match lang {
        Lang::En => vec!["target", "plan", "required", "met / units", "pct", "shortfall", "status", "responsible"],
        Lang::Zh => vec!["指标", "编号", "条款", "要求", "达标/总数", "比例", "差额", "状态", "责任单位"],
    };
    let scope_word = crate::tl!(lang, "render-scope");
    if by_township {
        header.insert(0, &scope_word);
    }
    let mut table = new_table(&header);
    for (scope, r) in scoped_rows(report, by_township) {
        let def = report.target(r);
        let mut cells = vec![
            def.id.clone(),
            def.section.clone().unwrap_or_default(),
            required_label(report, r, lang),
            met_of_units(r),
            pct_cell(r),
            r.shortfall.map_or_else(|| "-".to_string(), |s| s.to_string()),
            status_word(r.status, lang).to_string(),
            r.responsible.join(lang.pick("、", ", ")),
        ];
        if lang == Lang::Zh {
            cells.insert(0, def.title.zh.clone());
        }
        if by_township {
            cells.insert(0, scope.map_or_else(|| crate::tl!(lang, "render-district").to_string(), township_label));
        }
        table.add_row(cells);
    }
    let first_numeric = usize::from(by_township) + if lang == Lang::Zh { 3 } else { 2 };
    for i in first_numeric..first_numeric + 4 {
        if let Some(c) = table.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    // On a narrow terminal the id, the plan's clause and the bodies responsible give way
    // first: the title says which target a row is.
    let off = usize::from(by_township);
    let droppable = match lang {
        Lang::Zh => [off + 1, off + 2, off + 8],
        Lang::En => [off + 1, off + 7, off + 7],
    };
    fit::fit(&mut table, &droppable);
    writeln!(out, "{table}")?;
    writeln!(out, "{}", summary(&report.district, lang))?;
    if let Some(c) = &report.closed {
        let at = crate::ambient::local_time(&c.at);
        writeln!(out, "{}", crate::tl!(lang, "report-closed", by = c.by.clone(), at = at))?;
    }
    Ok(())
}

/// `3 of 15 district targets met; 5 with a gap; 2 pending; 1 no data; 2 informational.`
fn summary(rows: &[TargetRow], lang: Lang) -> String {
    let count = |s: Status| rows.iter().filter(|r| r.status == s).count();
    let mut text = crate::tl!(lang, "summary-head", total = rows.len(), met = count(Status::Met), gap = count(Status::Gap));
    for (s, key) in [
        (Status::Pending, "summary-pending"),
        (Status::NoData, "summary-no-data"),
        (Status::Info, "summary-info"),
        (Status::NotApplicable, "summary-not-applicable"),
    ] {
        let n = count(s);
        if n > 0 {
            text += &crate::messages::text_in(lang, key, &[("count", crate::messages::Arg::value(&n))]);
        }
    }
    text + &crate::tl!(lang, "summary-end")
}

pub(crate) fn township_label(t: &TownshipKey) -> String {
    match &t.code {
        Some(c) if *c != t.name => format!("{c} {}", t.name),
        _ => t.name.clone(),
    }
}

const COVERAGE_COLUMNS: [&str; 15] = [
    "term",
    "scope",
    "township_code",
    "township",
    "target",
    "required_pct",
    "numerator",
    "denominator",
    "pct",
    "shortfall",
    "status",
    "responsible",
    "period",
    "title",
    "plan",
];

/// A header row of CSV cells, with the BOM first for Excel.
pub(super) fn csv_header(out: &mut write::Out, columns: &[&str], excel: bool) {
    if excel {
        out.bytes(b"\xEF\xBB\xBF");
    }
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            out.bytes(b",");
        }
        write::csv_cell(&mut out.buf, c);
    }
    out.bytes(b"\n");
}

fn coverage_csv(out: &mut dyn Write, report: &CoverageReport, by_township: bool, excel: bool, lang: Lang) -> Result<()> {
    use write::csv_cell;
    let mut out = write::Out::new(out);
    csv_header(&mut out, &COVERAGE_COLUMNS, excel);
    // What every row of a target shares: `target,required_pct,` and `,period,title,plan\n`.
    let parts: Vec<(Vec<u8>, Vec<u8>, write::Memo)> = report
        .plan
        .targets
        .iter()
        .map(|def| {
            let mut head = Vec::new();
            csv_cell(&mut head, &def.id);
            head.push(b',');
            csv_cell(&mut head, &def.required_pct().map(|p| p.to_string()).unwrap_or_default());
            head.push(b',');
            let mut tail = vec![b','];
            csv_cell(&mut tail, def.period.as_str());
            tail.push(b',');
            csv_cell(&mut tail, def.title.get(lang.is_english()));
            tail.push(b',');
            csv_cell(&mut tail, &report.plan.id);
            tail.push(b'\n');
            (head, tail, write::Memo::new())
        })
        .collect();
    let scope_cells = |scope: &str| {
        let mut b = Vec::new();
        csv_cell(&mut b, &report.term.to_string());
        b.push(b',');
        csv_cell(&mut b, scope);
        b.push(b',');
        b
    };
    let (district, township) = (scope_cells("district"), scope_cells("township"));
    let mut parts = parts;
    let mut rows = |out: &mut write::Out, rows: &[TargetRow], start: &[u8], place: &[u8]| -> Result<()> {
        for r in rows {
            let (head, tail, bodies) = &mut parts[r.target];
            let buf = &mut out.buf;
            buf.extend_from_slice(start);
            buf.extend_from_slice(place);
            buf.extend_from_slice(head);
            write::push_u64(buf, r.numerator);
            buf.push(b',');
            if let Some(d) = r.denominator {
                write::push_u64(buf, d);
            }
            buf.push(b',');
            if let Some(t) = r.ratio().and_then(|x| x.pct_tenths()) {
                write::push_u64(buf, t / 10);
                buf.extend_from_slice(&[b'.', b'0' + (t % 10) as u8]);
            }
            buf.push(b',');
            if let Some(s) = r.shortfall {
                write::push_u64(buf, s);
            }
            buf.push(b',');
            csv_cell(buf, r.status.as_str());
            buf.push(b',');
            buf.extend_from_slice(bodies.get(&r.responsible, |b, items| write::csv_joined(b, items, ";")));
            buf.extend_from_slice(tail);
        }
        out.flush_if_full()?;
        Ok(())
    };
    rows(&mut out, &report.district, &district, b",,")?;
    if by_township {
        let mut place = Vec::new();
        for t in &report.townships {
            place.clear();
            csv_cell(&mut place, t.township.code.as_deref().unwrap_or_default());
            place.push(b',');
            csv_cell(&mut place, &t.township.name);
            place.push(b',');
            rows(&mut out, &t.targets, &township, &place)?;
        }
    }
    out.finish()?;
    Ok(())
}

/// The `plan` object of every JSON report.
#[derive(Serialize)]
pub(crate) struct JsonPlanRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub sha256: &'a str,
}

/// The parts of a target's JSON object that are the same in every row of the target, at
/// one depth (`levels`: where its keys sit) and scope.
struct TargetJson {
    /// `{` to `"township": `.
    head: Vec<u8>,
    /// `,` after the township to `"numerator": `.
    mid: Vec<u8>,
    /// `,` after `responsible` to the closing `}`.
    tail: Vec<u8>,
    /// `,\n  "denominator": ` and the other keys between the numbers, at this depth.
    denominator: Vec<u8>,
    pct: Vec<u8>,
    shortfall: Vec<u8>,
    status: Vec<u8>,
    responsible: Vec<u8>,
    levels: usize,
    bodies: write::Memo,
}

impl TargetJson {
    fn new(report: &CoverageReport, target: usize, levels: usize, township: bool, lang: Lang) -> TargetJson {
        use write::{json_end_object, json_key, json_str};
        let def = &report.plan.targets[target];
        let span = &report.spans[target];
        let key = |k: &str| {
            let mut b = Vec::new();
            json_key(&mut b, levels, k, false);
            b
        };
        let mut head = Vec::new();
        json_key(&mut head, levels, "id", true);
        json_str(&mut head, &def.id);
        json_key(&mut head, levels, "scope", false);
        json_str(&mut head, if township { "township" } else { "district" });
        json_key(&mut head, levels, "township", false);
        let mut mid = Vec::new();
        json_key(&mut mid, levels, "required_pct", false);
        write::json_opt_u64(&mut mid, def.required_pct().map(u64::from));
        json_key(&mut mid, levels, "numerator", false);
        let mut tail = Vec::new();
        json_key(&mut tail, levels, "title", false);
        json_str(&mut tail, def.title.get(lang.is_english()));
        json_key(&mut tail, levels, "section", false);
        write::json_opt_str(&mut tail, def.section.as_deref());
        json_key(&mut tail, levels, "period", false);
        json_str(&mut tail, def.period.as_str());
        json_key(&mut tail, levels, "period_start", false);
        json_str(&mut tail, &span.start.to_string());
        json_key(&mut tail, levels, "period_end", false);
        json_str(&mut tail, &span.end.to_string());
        json_key(&mut tail, levels, "threshold", false);
        match def.threshold {
            Threshold::Required(p) => {
                json_key(&mut tail, levels + 1, "required_pct", true);
                write::push_u64(&mut tail, u64::from(p));
            }
            Threshold::AtLeast(n) => {
                json_key(&mut tail, levels + 1, "at_least", true);
                write::push_u64(&mut tail, n);
            }
            Threshold::Informational => {
                json_key(&mut tail, levels + 1, "informational", true);
                tail.extend_from_slice(b"true");
            }
        }
        json_end_object(&mut tail, levels + 1);
        json_end_object(&mut tail, levels);
        TargetJson {
            head,
            mid,
            tail,
            denominator: key("denominator"),
            pct: key("pct"),
            shortfall: key("shortfall"),
            status: key("status"),
            responsible: key("responsible"),
            levels,
            bodies: write::Memo::new(),
        }
    }

    /// One row's object; `township` is the township's id as a JSON string, or `null`.
    fn write(&mut self, out: &mut write::Out, r: &TargetRow, township: &[u8]) {
        let buf = &mut out.buf;
        buf.extend_from_slice(&self.head);
        buf.extend_from_slice(township);
        buf.extend_from_slice(&self.mid);
        write::push_u64(buf, r.numerator);
        buf.extend_from_slice(&self.denominator);
        write::json_opt_u64(buf, r.denominator);
        buf.extend_from_slice(&self.pct);
        match r.ratio().and_then(|x| x.pct_hundredths()) {
            Some(h) => write::json_pct(buf, h),
            None => buf.extend_from_slice(b"null"),
        }
        buf.extend_from_slice(&self.shortfall);
        write::json_opt_u64(buf, r.shortfall);
        buf.extend_from_slice(&self.status);
        write::json_str(buf, r.status.as_str());
        buf.extend_from_slice(&self.responsible);
        let levels = self.levels;
        buf.extend_from_slice(self.bodies.get(&r.responsible, |b, items| write::json_str_array(b, levels, items)));
        buf.extend_from_slice(&self.tail);
    }
}

/// The start of every JSON report: schema, term, plan, as-of day, and (for the coverage
/// report) the closed mark, then the rosters; the next key follows.
pub(super) fn json_head(buf: &mut Vec<u8>, report: &CoverageReport, schema: &str, closed: bool) {
    use write::{json_end_object, json_key, json_opt_str, json_str};
    json_key(buf, 1, "schema", true);
    json_str(buf, schema);
    json_key(buf, 1, "term", false);
    json_str(buf, &report.term.to_string());
    json_key(buf, 1, "plan", false);
    json_key(buf, 2, "id", true);
    json_str(buf, &report.plan.id);
    json_key(buf, 2, "name", false);
    json_str(buf, &report.plan.name);
    json_key(buf, 2, "sha256", false);
    json_str(buf, &report.plan.sha256);
    json_end_object(buf, 2);
    json_key(buf, 1, "as_of", false);
    json_str(buf, &report.as_of.to_string());
    if closed {
        json_key(buf, 1, "closed", false);
        match &report.closed {
            Some(c) => {
                json_key(buf, 2, "at", true);
                json_str(buf, &c.at);
                json_key(buf, 2, "by", false);
                json_str(buf, &c.by);
                json_end_object(buf, 2);
            }
            None => buf.extend_from_slice(b"null"),
        }
    }
    let r = &report.rosters;
    json_key(buf, 1, "rosters", false);
    json_key(buf, 2, crate::returns::kinds::schools::KIND_NAME, true);
    json_opt_str(buf, r.schools.map(|t| t.to_string()).as_deref());
    json_key(buf, 2, crate::returns::kinds::communities::KIND_NAME, false);
    json_opt_str(buf, r.communities.map(|t| t.to_string()).as_deref());
    json_key(buf, 2, crate::returns::kinds::bodies::KIND_NAME, false);
    json_opt_str(buf, r.bodies.map(|t| t.to_string()).as_deref());
    json_key(buf, 2, crate::returns::kinds::key_students::KIND_NAME, false);
    json_opt_str(buf, r.key_students.map(|t| t.school_year()).as_deref());
    json_end_object(buf, 2);
}

/// Array items at `levels`: `[` or `,` before each, then the item's indentation.
pub(super) fn json_item(buf: &mut Vec<u8>, levels: usize, first: bool) {
    buf.extend_from_slice(if first { b"[\n" } else { b",\n" });
    write::indent(buf, levels);
}

/// The end of an array whose items sit at `levels` (`[]` if it had none).
pub(super) fn json_end_array(buf: &mut Vec<u8>, levels: usize, empty: bool) {
    if empty {
        buf.extend_from_slice(b"[]");
    } else {
        buf.push(b'\n');
        write::indent(buf, levels - 1);
        buf.push(b']');
    }
}

/// The report as `gongyu.coverage.v2` JSON (SPEC §6), pretty-printed with two spaces.
fn coverage_json(out: &mut dyn Write, report: &CoverageReport, lang: Lang) -> Result<()> {
    let mut out = write::Out::new(out);
    let n = report.plan.targets.len();
    let mut district: Vec<TargetJson> = (0..n).map(|t| TargetJson::new(report, t, 3, false, lang)).collect();
    let mut township: Vec<TargetJson> = (0..n).map(|t| TargetJson::new(report, t, 5, true, lang)).collect();
    json_head(&mut out.buf, report, "gongyu.coverage.v2", true);
    write::json_key(&mut out.buf, 1, "targets", false);
    for (i, r) in report.district.iter().enumerate() {
        json_item(&mut out.buf, 2, i == 0);
        district[r.target].write(&mut out, r, b"null");
    }
    json_end_array(&mut out.buf, 2, report.district.is_empty());
    write::json_key(&mut out.buf, 1, "townships", false);
    let mut id = Vec::new();
    for (i, t) in report.townships.iter().enumerate() {
        json_item(&mut out.buf, 2, i == 0);
        write::json_key(&mut out.buf, 3, "code", true);
        write::json_opt_str(&mut out.buf, t.township.code.as_deref());
        write::json_key(&mut out.buf, 3, "name", false);
        write::json_str(&mut out.buf, &t.township.name);
        write::json_key(&mut out.buf, 3, "targets", false);
        id.clear();
        write::json_str(&mut id, t.township.id());
        for (j, r) in t.targets.iter().enumerate() {
            json_item(&mut out.buf, 4, j == 0);
            township[r.target].write(&mut out, r, &id);
        }
        json_end_array(&mut out.buf, 4, t.targets.is_empty());
        write::json_end_object(&mut out.buf, 3);
        out.flush_if_full()?;
    }
    json_end_array(&mut out.buf, 2, report.townships.is_empty());
    out.bytes(b"\n}\n");
    out.finish()?;
    Ok(())
}
