//! Rendering reports as a table for people, or CSV and JSON for scripts, into any
//! `io::Write`. The CSV columns and JSON fields are a contract (SPEC §6).

pub mod html;
pub mod returns;
pub mod trend;
pub mod xlsx;

use std::io::Write;

use anyhow::{Context, Result};
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
pub struct Inspection<'a> {
    pub report: &'a CoverageReport,
    pub gaps: &'a [Gap],
    pub trend: &'a crate::ops::Trend,
    pub lang: crate::lang::Lang,
    /// What the report rests on (older rosters, missing columns), for people.
    pub notes: &'a [String],
}

pub use crate::safe_csv::{csv_safe, SafeCsv};

fn term_label(t: Option<Term>) -> String {
    t.map_or_else(|| "none".to_string(), |t| t.to_string())
}

fn new_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec());
    table
}

// ---------------------------------------------------------------- coverage report

/// Writes the coverage report. `by_township` adds township rows to table and CSV; JSON
/// always carries them.
pub fn coverage(
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

/// `mentougou-2019-2021 (门头沟区…)`.
fn plan_label(report: &CoverageReport) -> String {
    format!("{} ({})", report.plan.id, report.plan.name)
}

fn required_label(report: &CoverageReport, r: &TargetRow) -> String {
    match report.target(r).threshold {
        Threshold::Required(p) => format!("{p}%"),
        Threshold::AtLeast(n) => format!("≥ {n}"),
        Threshold::Informational => "info".to_string(),
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
pub fn status_word(status: Status, lang: Lang) -> &'static str {
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
    match lang {
        Lang::En => {
            writeln!(out, "Coverage of the co-education plan (家校社共育) — term {} ({})", report.term, report.term.chinese())?;
            writeln!(out, "Plan: {}; judged as of {}", plan_label(report), report.as_of)?;
            writeln!(
                out,
                "Rosters used: schools {}, communities {}, bodies {}, key-students {}",
                term_label(r.schools),
                term_label(r.communities),
                term_label(r.bodies),
                key_students.unwrap_or_else(|| "none".into()),
            )?;
        }
        Lang::Zh => {
            let t = |x: Option<Term>| x.map_or_else(|| "无".to_string(), |t| t.to_string());
            writeln!(out, "家校社共育计划达标情况 — {}（{}）", report.term.chinese(), report.term)?;
            writeln!(out, "计划：{}（{}）；截至 {}", report.plan.name, report.plan.id, report.as_of)?;
            writeln!(
                out,
                "所用名册：学校 {}，社区 {}，机构 {}，重点关注学生 {}",
                t(r.schools),
                t(r.communities),
                t(r.bodies),
                key_students.unwrap_or_else(|| "无".into()),
            )?;
        }
    }
    let mut header: Vec<&str> = match lang {
        Lang::En => vec!["target", "plan", "required", "met / units", "pct", "shortfall", "status", "responsible"],
        Lang::Zh => vec!["指标", "编号", "条款", "要求", "达标/总数", "比例", "差额", "状态", "责任单位"],
    };
    if by_township {
        header.insert(0, lang.pick("范围", "scope"));
    }
    let mut table = new_table(&header);
    for (scope, r) in scoped_rows(report, by_township) {
        let def = report.target(r);
        let mut cells = vec![
            def.id.clone(),
            def.section.clone().unwrap_or_default(),
            required_label(report, r),
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
            cells.insert(0, scope.map_or_else(|| lang.pick("全区", "district 全区").to_string(), township_label));
        }
        table.add_row(cells);
    }
    let first_numeric = usize::from(by_township) + if lang == Lang::Zh { 3 } else { 2 };
    for i in first_numeric..first_numeric + 4 {
        if let Some(c) = table.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    writeln!(out, "{table}")?;
    writeln!(out, "{}", summary(&report.district, lang))?;
    if let Some(c) = &report.closed {
        match lang {
            Lang::Zh => writeln!(out, "本学期已关闭（{} 于 {}）：其结果不再改变。", c.by, c.at)?,
            Lang::En => writeln!(out, "This term is closed (by {} at {}): its results no longer change.", c.by, c.at)?,
        }
    }
    Ok(())
}

/// `3 of 15 district targets met; 5 with a gap; 2 pending; 1 no data; 2 informational.`
pub fn summary(rows: &[TargetRow], lang: Lang) -> String {
    let count = |s: Status| rows.iter().filter(|r| r.status == s).count();
    if lang == Lang::Zh {
        let mut text = format!("全区{}项指标：{}项达标，{}项未达标", rows.len(), count(Status::Met), count(Status::Gap));
        for s in [Status::Pending, Status::NoData, Status::Info, Status::NotApplicable] {
            let n = count(s);
            if n > 0 {
                text += &format!("，{n}项{}", status_word(s, lang));
            }
        }
        return text + "。";
    }
    let mut text = format!("{} of {} district targets met; {} with a gap", count(Status::Met), rows.len(), count(Status::Gap));
    for (s, words) in [
        (Status::Pending, "pending"),
        (Status::NoData, "no data"),
        (Status::Info, "informational"),
        (Status::NotApplicable, "n/a"),
    ] {
        let n = count(s);
        if n > 0 {
            text += &format!("; {n} {words}");
        }
    }
    text + "."
}

pub(crate) fn township_label(t: &TownshipKey) -> String {
    match &t.code {
        Some(c) if *c != t.name => format!("{c} {}", t.name),
        _ => t.name.clone(),
    }
}

fn coverage_csv(out: &mut dyn Write, report: &CoverageReport, by_township: bool, excel: bool, lang: Lang) -> Result<()> {
    let mut w = SafeCsv::new(out, excel)?;
    w.row([
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
    ])?;
    for (scope, r) in scoped_rows(report, by_township) {
        let def = report.target(r);
        w.row([
            report.term.to_string(),
            if scope.is_some() { "township" } else { "district" }.to_string(),
            scope.and_then(|t| t.code.clone()).unwrap_or_default(),
            scope.map(|t| t.name.clone()).unwrap_or_default(),
            def.id.clone(),
            def.required_pct().map(|p| p.to_string()).unwrap_or_default(),
            r.numerator.to_string(),
            r.denominator.map(|d| d.to_string()).unwrap_or_default(),
            r.ratio().map(|x| x.pct_text(1)).unwrap_or_default(),
            r.shortfall.map(|s| s.to_string()).unwrap_or_default(),
            r.status.as_str().to_string(),
            r.responsible.join(";"),
            def.period.as_str().to_string(),
            def.title.get(lang.is_english()).to_string(),
            report.plan.id.clone(),
        ])?;
    }
    w.finish()
}

/// The `plan` object of every JSON report.
#[derive(Serialize)]
pub(crate) struct JsonPlanRef<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub sha256: &'a str,
}

type JsonPlan<'a> = JsonPlanRef<'a>;

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    term: String,
    plan: JsonPlan<'a>,
    as_of: String,
    closed: Option<&'a crate::report::ClosedMark>,
    rosters: JsonRosters,
    targets: Vec<JsonTarget<'a>>,
    /// Written as they are made: a national report has hundreds of thousands of rows.
    townships: Lazy<Box<dyn Iterator<Item = JsonTownship<'a>> + 'a>>,
}

/// A sequence serialized straight from an iterator, never held whole (serialized once).
pub(crate) struct Lazy<I>(std::cell::RefCell<Option<I>>);

impl<I> Lazy<I> {
    pub(crate) fn new(items: I) -> Lazy<I> {
        Lazy(std::cell::RefCell::new(Some(items)))
    }
}

impl<I: Iterator<Item = T>, T: Serialize> Serialize for Lazy<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let items = self.0.borrow_mut().take().ok_or_else(|| serde::ser::Error::custom("a sequence serialized twice"))?;
        s.collect_seq(items)
    }
}

#[derive(Serialize)]
struct JsonRosters {
    schools: Option<String>,
    communities: Option<String>,
    bodies: Option<String>,
    #[serde(rename = "key-students")]
    key_students: Option<String>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum JsonThreshold {
    Required { required_pct: u32 },
    AtLeast { at_least: u64 },
    Informational { informational: bool },
}

#[derive(Serialize)]
struct JsonTarget<'a> {
    id: &'a str,
    scope: &'static str,
    township: Option<&'a str>,
    required_pct: Option<u32>,
    numerator: u64,
    denominator: Option<u64>,
    pct: Option<f64>,
    shortfall: Option<u64>,
    status: Status,
    responsible: &'a [String],
    title: &'a str,
    section: Option<&'a str>,
    period: &'static str,
    period_start: &'a str,
    period_end: &'a str,
    threshold: JsonThreshold,
}

#[derive(Serialize)]
struct JsonTownship<'a> {
    code: Option<&'a str>,
    name: &'a str,
    targets: Lazy<Box<dyn Iterator<Item = JsonTarget<'a>> + 'a>>,
}

/// Each target's period's first and last day, as JSON gives them.
fn period_days(report: &CoverageReport) -> Vec<(String, String)> {
    report.spans.iter().map(|s| (s.start.to_string(), s.end.to_string())).collect()
}

fn json_target<'a>(
    report: &'a CoverageReport,
    days: &'a [(String, String)],
    r: &'a TargetRow,
    township: Option<&'a TownshipKey>,
    lang: Lang,
) -> JsonTarget<'a> {
    let def = report.target(r);
    let (start, end) = &days[r.target];
    JsonTarget {
        id: &def.id,
        scope: if township.is_some() { "township" } else { "district" },
        township: township.map(|t| t.id()),
        required_pct: def.required_pct(),
        numerator: r.numerator,
        denominator: r.denominator,
        pct: r.ratio().and_then(|x| x.pct_json()),
        shortfall: r.shortfall,
        status: r.status,
        responsible: &r.responsible,
        title: def.title.get(lang.is_english()),
        section: def.section.as_deref(),
        period: def.period.as_str(),
        period_start: start,
        period_end: end,
        threshold: match def.threshold {
            Threshold::Required(p) => JsonThreshold::Required { required_pct: p },
            Threshold::AtLeast(n) => JsonThreshold::AtLeast { at_least: n },
            Threshold::Informational => JsonThreshold::Informational { informational: true },
        },
    }
}

fn rosters(report: &CoverageReport) -> JsonRosters {
    let r = &report.rosters;
    JsonRosters {
        schools: r.schools.map(|t| t.to_string()),
        communities: r.communities.map(|t| t.to_string()),
        bodies: r.bodies.map(|t| t.to_string()),
        key_students: r.key_students.map(|t| t.school_year()),
    }
}

fn json_plan(report: &CoverageReport) -> JsonPlan<'_> {
    JsonPlanRef { id: &report.plan.id, name: &report.plan.name, sha256: &report.plan.sha256 }
}

fn coverage_json(out: &mut dyn Write, report: &CoverageReport, lang: Lang) -> Result<()> {
    let days = period_days(report);
    let days = &days[..];
    let doc = JsonReport {
        schema: "gongyu.coverage.v2",
        term: report.term.to_string(),
        plan: json_plan(report),
        as_of: report.as_of.to_string(),
        closed: report.closed.as_ref(),
        rosters: rosters(report),
        targets: report.district.iter().map(|r| json_target(report, days, r, None, lang)).collect(),
        townships: Lazy::new(Box::new(report.townships.iter().map(move |t| JsonTownship {
            code: t.township.code.as_deref(),
            name: &t.township.name,
            targets: Lazy::new(Box::new(t.targets.iter().map(move |r| json_target(report, days, r, Some(&t.township), lang)))),
        }))),
    };
    // Buffered here, so serde's many small writes are plain calls, not calls through `dyn`.
    let mut buf = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
    serde_json::to_writer_pretty(&mut buf, &doc)?;
    writeln!(buf)?;
    buf.flush()?;
    Ok(())
}

// ---------------------------------------------------------------- gaps

const GAP_COLUMNS: [&str; 10] =
    ["target", "township_code", "township", "unit_code", "unit_name", "reason", "responsible", "status", "reason_code", "plan"];

/// Writes one row per failing unit.
pub fn gaps(
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
/// CSV and JSON are written as they come; a table is drawn when all have come.
pub fn gaps_from(
    out: &mut dyn Write,
    report: &CoverageReport,
    format: Format,
    limit: Option<usize>,
    excel: bool,
    lang: Lang,
    produce: impl FnOnce(&mut dyn FnMut(&Gap) -> Result<()>) -> Result<()>,
) -> Result<()> {
    let limit = limit.unwrap_or(usize::MAX);
    let mut total = 0usize;
    match format {
        Format::Table => {
            let header: &[&str] = match lang {
                Lang::En => &GAP_COLUMNS[..9],
                Lang::Zh => &["指标", "乡镇代码", "乡镇", "单位代码", "单位名称", "原因", "责任单位", "状态", "原因代码"],
            };
            let mut table = new_table(header);
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
            match lang {
                Lang::En => writeln!(
                    out,
                    "Gaps in term {} ({}): {} failing unit(s) — plan {}",
                    report.term,
                    report.term.chinese(),
                    total,
                    report.plan.id
                )?,
                Lang::Zh => writeln!(out, "{}差距：{}条 — 计划 {}", report.term.chinese(), total, report.plan.id)?,
            }
            if shown > 0 {
                writeln!(out, "{table}")?;
            }
            if shown < total {
                let more = total - shown;
                match lang {
                    Lang::En => writeln!(out, "… and {more} more (see `gongyu coverage gaps`)")?,
                    Lang::Zh => writeln!(out, "……另有{more}条（见 `gongyu coverage gaps`）")?,
                }
            }
        }
        Format::Csv => {
            let mut w = SafeCsv::new(&mut *out, excel)?;
            w.row(GAP_COLUMNS)?;
            produce(&mut |g| {
                if total < limit {
                    w.row(gap_cells(report, g, ";", lang))?;
                }
                total += 1;
                Ok(())
            })?;
            w.finish()?;
        }
        Format::Json => {
            #[derive(Serialize)]
            struct JsonGap<'a> {
                target: &'a str,
                township_code: Option<&'a str>,
                township: Option<&'a str>,
                unit_code: &'a str,
                unit_name: &'a str,
                reason: &'a str,
                responsible: &'a [String],
                status: Status,
                reason_code: &'a str,
            }
            #[derive(Serialize)]
            struct JsonGapsHead<'a> {
                schema: &'static str,
                term: String,
                plan: JsonPlan<'a>,
                as_of: String,
                rosters: JsonRosters,
            }
            // serde_json's pretty layout, written a gap at a time: the head's object left
            // open, then each gap as an element of `gaps` at depth two.
            let head = serde_json::to_string_pretty(&JsonGapsHead {
                schema: "gongyu.gaps.v2",
                term: report.term.to_string(),
                plan: json_plan(report),
                as_of: report.as_of.to_string(),
                rosters: rosters(report),
            })?;
            let head = head.strip_suffix("\n}").context("a JSON object ends with a brace")?;
            let mut buf = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
            write!(buf, "{head},\n  \"gaps\": [")?;
            let mut item = String::new();
            produce(&mut |g| {
                if total < limit {
                    let gap = JsonGap {
                        target: &report.plan.targets[g.target].id,
                        township_code: g.township.as_ref().and_then(|t| t.code.as_deref()),
                        township: g.township.as_ref().map(|t| t.name.as_str()),
                        unit_code: &g.unit_code,
                        unit_name: &g.unit_name,
                        reason: g.reason.get(lang),
                        responsible: &g.responsible,
                        status: g.status,
                        reason_code: &g.reason_code,
                    };
                    item.clear();
                    item.push_str(&serde_json::to_string_pretty(&gap)?);
                    // Strings are escaped: a newline in `item` is the layout's own.
                    buf.write_all(if total == 0 { b"\n    " } else { b",\n    " })?;
                    buf.write_all(item.replace('\n', "\n    ").as_bytes())?;
                }
                total += 1;
                Ok(())
            })?;
            buf.write_all(if total.min(limit) == 0 { b"]\n}\n" } else { b"\n  ]\n}\n" })?;
            buf.flush()?;
        }
    }
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
