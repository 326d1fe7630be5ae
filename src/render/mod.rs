//! Rendering reports as a table for people, or CSV and JSON for scripts, into any
//! `io::Write`. The CSV columns and JSON fields are a contract (SPEC §6).

mod fit;
pub(crate) mod html;
pub(crate) mod quality;
#[cfg(test)]
mod reference;
pub(crate) mod returns;
pub(crate) mod timeliness;
pub(crate) mod timeliness_book;
pub(crate) mod timeliness_page;
pub(crate) mod trend;
mod write;
pub(crate) mod xlsx;

use std::io::Write;

use anyhow::Result;
use comfy_table::{presets, CellAlignment, ContentArrangement, Table};
use serde::Serialize;

use crate::lang::Lang;
use crate::plan::model::Threshold;
use crate::plan::Status;
use crate::plan::Term;
use crate::report::{CoverageReport, Gap, TargetRow, TownshipKey};

/// The output formats of the report commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// The formats of the inspector's reports (`coverage report|gaps|trend`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// For people, on the terminal
    Table,
    /// For scripts and spreadsheets (stable columns)
    Csv,
    /// For scripts (stable fields)
    Json,
    /// A workbook (sheets 汇总, 乡镇, 差距, 趋势); needs -o FILE
    Xlsx,
    /// One self-contained web page with charts, printable on A4
    Html,
}

impl ReportFormat {
    /// The plain-text format, for table, csv and json.
    pub fn text(self) -> Option<Format> {
        match self {
            ReportFormat::Table => Some(Format::Table),
            ReportFormat::Csv => Some(Format::Csv),
            ReportFormat::Json => Some(Format::Json),
            ReportFormat::Xlsx | ReportFormat::Html => None,
        }
    }
}

/// Everything the workbook and the web page show: one term's report and gaps, and the
/// plan's progress up to that term.
pub(crate) struct Inspection<'a> {
    pub report: &'a CoverageReport,
    pub gaps: &'a [Gap],
    pub trend: &'a crate::ops::Trend,
    pub lang: crate::lang::Lang,
    /// What the report rests on (older rosters, missing columns), for people.
    pub notes: &'a [String],
    /// The term's data quality findings (SPEC §15): a section of the page, a sheet of the
    /// workbook.
    pub quality: Option<&'a crate::ops::quality::Quality>,
}

pub(crate) use crate::safe_csv::SafeCsv;

/// A table in the house style. On a terminal it fits the terminal's width, wrapping long
/// cells; in a pipe or a file it is as wide as its contents.
pub(crate) fn new_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.to_vec());
    table
}

// ---------------------------------------------------------------- coverage report

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

fn scoped_rows(report: &CoverageReport, by_township: bool) -> Vec<(Option<&TownshipKey>, &TargetRow)> {
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
pub(crate) fn summary(rows: &[TargetRow], lang: Lang) -> String {
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
fn csv_header(out: &mut write::Out, columns: &[&str], excel: bool) {
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
fn json_head(buf: &mut Vec<u8>, report: &CoverageReport, schema: &str, closed: bool) {
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
fn json_item(buf: &mut Vec<u8>, levels: usize, first: bool) {
    buf.extend_from_slice(if first { b"[\n" } else { b",\n" });
    write::indent(buf, levels);
}

/// The end of an array whose items sit at `levels` (`[]` if it had none).
fn json_end_array(buf: &mut Vec<u8>, levels: usize, empty: bool) {
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

// ---------------------------------------------------------------- gaps

const GAP_COLUMNS: [&str; 10] =
    ["target", "township_code", "township", "unit_code", "unit_name", "reason", "responsible", "status", "reason_code", "plan"];

/// Writes one row per failing unit.
pub(crate) fn gaps(
    out: &mut dyn Write,
    report: &CoverageReport,
    gaps: &[Gap],
    format: Format,
    limit: Option<usize>,
    excel: bool,
    lang: Lang,
) -> Result<()> {
    gaps_from(out, report, format, limit, excel, lang, |row| gaps.iter().try_for_each(row))
}

/// [`gaps`], the gaps given one at a time by `produce` (in their order) rather than held:
/// CSV and JSON are written as they come; a table is drawn when all have come. A gap's
/// list of bodies must outlive the walk (the writers remember the last list by address):
/// [`report::each_gap`](crate::report::each_gap) hands out lists it keeps.
pub(crate) fn gaps_from(
    out: &mut dyn Write,
    report: &CoverageReport,
    format: Format,
    limit: Option<usize>,
    excel: bool,
    lang: Lang,
    produce: impl FnOnce(&mut dyn FnMut(&Gap) -> Result<()>) -> Result<()>,
) -> Result<()> {
    let limit = limit.unwrap_or(usize::MAX);
    match format {
        Format::Table => {
            let header: &[&str] = match lang {
                Lang::En => &GAP_COLUMNS[..9],
                Lang::Zh => &["指标", "乡镇代码", "乡镇", "单位代码", "单位名称", "原因", "责任单位", "状态", "原因代码"],
            };
            let mut table = new_table(header);
            let mut total = 0usize;
            produce(&mut |g| {
                if total < limit {
                    let mut cells = gap_cells(report, g, lang.pick("、", ", "), lang);
                    cells[7] = status_word(g.status, lang).to_string();
                    table.add_row(&cells[..9]);
                }
                total += 1;
                Ok(())
            })?;
            let shown = total.min(limit);
            let (term, term_words) = (report.term.to_string(), report.term.chinese());
            writeln!(
                out,
                "{}",
                crate::tl!(
                    lang,
                    "gaps-title",
                    term = term,
                    term_words = term_words,
                    count = total,
                    plan = report.plan.id.clone()
                )
            )?;
            if shown > 0 {
                // Narrow terminals drop the reason code, the township's code and the bodies.
                fit::fit(&mut table, &[8, 1, 6]);
                writeln!(out, "{table}")?;
            }
            if shown < total {
                let more = total - shown;
                writeln!(out, "{}", crate::tl!(lang, "gaps-more", count = more))?;
            }
        }
        Format::Csv => gaps_csv(out, report, limit, excel, lang, produce)?,
        Format::Json => gaps_json(out, report, limit, lang, produce)?,
    }
    Ok(())
}

/// Gives `produce`'s gaps to `row`, the first `limit` of them.
fn limited(
    limit: usize,
    produce: impl FnOnce(&mut dyn FnMut(&Gap) -> Result<()>) -> Result<()>,
    mut row: impl FnMut(usize, &Gap) -> Result<()>,
) -> Result<usize> {
    let mut n = 0usize;
    produce(&mut |g| {
        if n < limit {
            row(n, g)?;
        }
        n += 1;
        Ok(())
    })?;
    Ok(n.min(limit))
}

fn gaps_csv(
    out: &mut dyn Write,
    report: &CoverageReport,
    limit: usize,
    excel: bool,
    lang: Lang,
    produce: impl FnOnce(&mut dyn FnMut(&Gap) -> Result<()>) -> Result<()>,
) -> Result<()> {
    use write::csv_cell;
    let mut out = write::Out::new(out);
    csv_header(&mut out, &GAP_COLUMNS, excel);
    let targets: Vec<Vec<u8>> = report
        .plan
        .targets
        .iter()
        .map(|t| {
            let mut b = Vec::new();
            csv_cell(&mut b, &t.id);
            b.push(b',');
            b
        })
        .collect();
    let mut plan = vec![b','];
    csv_cell(&mut plan, &report.plan.id);
    plan.push(b'\n');
    let mut bodies = write::Memo::new();
    limited(limit, produce, |_, g| {
        let buf = &mut out.buf;
        buf.extend_from_slice(&targets[g.target]);
        if let Some(t) = &g.township {
            csv_cell(buf, t.code.as_deref().unwrap_or_default());
            buf.push(b',');
            csv_cell(buf, &t.name);
        } else {
            buf.push(b',');
        }
        buf.push(b',');
        csv_cell(buf, &g.unit_code);
        buf.push(b',');
        csv_cell(buf, &g.unit_name);
        buf.push(b',');
        csv_cell(buf, g.reason.get(lang));
        buf.push(b',');
        buf.extend_from_slice(bodies.get(&g.responsible, |b, items| write::csv_joined(b, items, ";")));
        buf.push(b',');
        csv_cell(buf, g.status.as_str());
        buf.push(b',');
        csv_cell(buf, &g.reason_code);
        buf.extend_from_slice(&plan);
        out.flush_if_full()?;
        Ok(())
    })?;
    out.finish()?;
    Ok(())
}

/// The gaps as `gongyu.gaps.v2` JSON (SPEC §6), pretty-printed with two spaces.
fn gaps_json(
    out: &mut dyn Write,
    report: &CoverageReport,
    limit: usize,
    lang: Lang,
    produce: impl FnOnce(&mut dyn FnMut(&Gap) -> Result<()>) -> Result<()>,
) -> Result<()> {
    use write::{json_key, json_opt_str, json_str};
    let mut out = write::Out::new(out);
    json_head(&mut out.buf, report, "gongyu.gaps.v2", false);
    json_key(&mut out.buf, 1, "gaps", false);
    let targets: Vec<Vec<u8>> = report
        .plan
        .targets
        .iter()
        .map(|t| {
            let mut b = Vec::new();
            json_key(&mut b, 3, "target", true);
            json_str(&mut b, &t.id);
            json_key(&mut b, 3, "township_code", false);
            b
        })
        .collect();
    let mut bodies = write::Memo::new();
    let shown = limited(limit, produce, |i, g| {
        let buf = &mut out.buf;
        json_item(buf, 2, i == 0);
        buf.extend_from_slice(&targets[g.target]);
        json_opt_str(buf, g.township.as_ref().and_then(|t| t.code.as_deref()));
        json_key(buf, 3, "township", false);
        json_opt_str(buf, g.township.as_ref().map(|t| t.name.as_str()));
        json_key(buf, 3, "unit_code", false);
        json_str(buf, &g.unit_code);
        json_key(buf, 3, "unit_name", false);
        json_str(buf, &g.unit_name);
        json_key(buf, 3, "reason", false);
        json_str(buf, g.reason.get(lang));
        json_key(buf, 3, "responsible", false);
        buf.extend_from_slice(bodies.get(&g.responsible, |b, items| write::json_str_array(b, 3, items)));
        json_key(buf, 3, "status", false);
        json_str(buf, g.status.as_str());
        json_key(buf, 3, "reason_code", false);
        json_str(buf, &g.reason_code);
        write::json_end_object(buf, 3);
        out.flush_if_full()?;
        Ok(())
    })?;
    json_end_array(&mut out.buf, 2, shown == 0);
    out.bytes(b"\n}\n");
    out.finish()?;
    Ok(())
}

fn gap_cells(report: &CoverageReport, g: &Gap, sep: &str, lang: Lang) -> Vec<String> {
    vec![
        report.plan.targets[g.target].id.clone(),
        g.township.as_ref().and_then(|t| t.code.clone()).unwrap_or_default(),
        g.township.as_ref().map(|t| t.name.clone()).unwrap_or_default(),
        g.unit_code.clone(),
        g.unit_name.clone(),
        g.reason.get(lang).to_string(),
        g.responsible.join(sep),
        g.status.as_str().to_string(),
        g.reason_code.clone(),
        report.plan.id.clone(),
    ]
}
