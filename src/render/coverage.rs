//! The coverage report as a table, CSV (SPEC §6.3) and JSON (SPEC §6.4).

use std::io::Write;

use anyhow::Result;
use comfy_table::CellAlignment;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::serial::{self, Lists, Rosters, Tenths};
use super::{fit, new_table, Format, SafeCsv};
use crate::lang::Lang;
use crate::memo::Same;
use crate::plan::model::Threshold;
use crate::plan::Status;
use crate::plan::Term;
use crate::report::{CoverageReport, TargetRow, TownshipKey, TownshipReport};

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
    for (scope, r) in report.rows().filter(|(t, _)| by_township || t.is_none()) {
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

/// The columns of the coverage CSV (SPEC §6.3): the header, and the keys of [`CsvRow`].
pub(super) const COVERAGE_COLUMNS: [&str; 15] = [
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

/// One row of the coverage CSV, its fields in [`COVERAGE_COLUMNS`]' order and names. The
/// cells that are the same on many rows (the term, the township, the target's) are
/// [`Same`]: borrowed from the report (or made once per report), written once.
#[derive(Serialize)]
struct CsvRow<'a> {
    term: Same<'a, str>,
    scope: Same<'a, str>,
    township_code: Same<'a, str>,
    township: Same<'a, str>,
    target: Same<'a, str>,
    required_pct: Same<'a, Option<u32>>,
    numerator: u64,
    denominator: Option<u64>,
    pct: Option<Tenths>,
    shortfall: Option<u64>,
    status: Status,
    responsible: Same<'a, str>,
    period: Same<'a, str>,
    title: Same<'a, str>,
    plan: Same<'a, str>,
}

fn coverage_csv(out: &mut dyn Write, report: &CoverageReport, by_township: bool, excel: bool, lang: Lang) -> Result<()> {
    let mut w = SafeCsv::with_header(out, excel, &COVERAGE_COLUMNS)?;
    let mut lists = Lists::default();
    let term = report.term.to_string();
    let required: Vec<Option<u32>> = report.plan.targets.iter().map(|def| def.required_pct()).collect();
    let mut rows = |rows: &[TargetRow], township: Option<&TownshipKey>| -> Result<()> {
        for r in rows {
            let def = report.target(r);
            w.record(&CsvRow {
                term: Same(&term),
                scope: Same(if township.is_some() { "township" } else { "district" }),
                township_code: Same(township.and_then(|t| t.code.as_deref()).unwrap_or_default()),
                township: Same(township.map_or("", |t| &t.name)),
                target: Same(&def.id),
                required_pct: Same(&required[r.target]),
                numerator: r.numerator,
                denominator: r.denominator,
                pct: r.ratio().and_then(|x| x.pct_tenths()).map(Tenths),
                shortfall: r.shortfall,
                status: r.status,
                responsible: Same(lists.of(&r.responsible).1),
                period: Same(def.period.as_str()),
                title: Same(def.title.get(lang.is_english())),
                plan: Same(&report.plan.id),
            })?;
        }
        Ok(())
    };
    rows(&report.district, None)?;
    if by_township {
        for t in &report.townships {
            rows(&t.targets, Some(&t.township))?;
        }
    }
    w.finish()
}

/// What a row of the coverage JSON says of its target that is the same in every row, made
/// once: its period's first and last day as text, its required percentage and threshold
/// (each row's [`Same`] borrows them).
struct Json<'a> {
    report: &'a CoverageReport,
    lang: Lang,
    days: Vec<(String, String)>,
    targets: Vec<(Option<u32>, JsonThreshold)>,
}

/// The report as `gongyu.coverage.v2` JSON (SPEC §6.4).
impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let report = self.report;
        let mut m = s.serialize_struct("Coverage", 8)?;
        serial::head(&mut m, report, "gongyu.coverage.v2")?;
        m.serialize_field("closed", &report.closed)?;
        m.serialize_field("rosters", &Rosters(report))?;
        m.serialize_field("targets", &JsonRows { json: self, rows: &report.district, township: None })?;
        m.serialize_field("townships", &JsonTownships(self))?;
        m.end()
    }
}

/// Target rows of one scope, as a JSON array.
struct JsonRows<'a> {
    json: &'a Json<'a>,
    rows: &'a [TargetRow],
    township: Option<&'a TownshipKey>,
}

impl Serialize for JsonRows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.rows.iter().map(|row| JsonRow { json: self.json, row, township: self.township }))
    }
}

struct JsonTownships<'a>(&'a Json<'a>);

impl Serialize for JsonTownships<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.report.townships.iter().map(|t| JsonTownship { json: self.0, t }))
    }
}

struct JsonTownship<'a> {
    json: &'a Json<'a>,
    t: &'a TownshipReport,
}

impl Serialize for JsonTownship<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.t;
        let mut m = s.serialize_struct("Township", 3)?;
        m.serialize_field("code", &t.township.code)?;
        m.serialize_field("name", &t.township.name)?;
        m.serialize_field("targets", &JsonRows { json: self.json, rows: &t.targets, township: Some(&t.township) })?;
        m.end()
    }
}

/// One target at one scope.
struct JsonRow<'a> {
    json: &'a Json<'a>,
    row: &'a TargetRow,
    township: Option<&'a TownshipKey>,
}

impl Serialize for JsonRow<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (r, report) = (self.row, self.json.report);
        let def = report.target(r);
        let (start, end) = &self.json.days[r.target];
        let (required_pct, threshold) = &self.json.targets[r.target];
        let mut m = s.serialize_struct("Target", 16)?;
        m.serialize_field("id", &Same(&def.id))?;
        match self.township {
            Some(t) => {
                m.serialize_field("scope", &Same("township"))?;
                m.serialize_field("township", &Same(t.id()))?;
            }
            None => {
                m.serialize_field("scope", &Same("district"))?;
                m.serialize_field("township", &None::<&str>)?;
            }
        }
        m.serialize_field("required_pct", &Same(required_pct))?;
        m.serialize_field("numerator", &r.numerator)?;
        m.serialize_field("denominator", &r.denominator)?;
        m.serialize_field("pct", &r.ratio().and_then(|x| x.pct_json()))?;
        m.serialize_field("shortfall", &r.shortfall)?;
        m.serialize_field("status", &r.status)?;
        // The report's rows hold their lists for as long as it is written.
        m.serialize_field("responsible", &Same(&*r.responsible))?;
        m.serialize_field("title", &Same(def.title.get(self.json.lang.is_english())))?;
        m.serialize_field("section", &Same(&def.section))?;
        m.serialize_field("period", &Same(def.period.as_str()))?;
        m.serialize_field("period_start", &Same(start))?;
        m.serialize_field("period_end", &Same(end))?;
        m.serialize_field("threshold", &Same(threshold))?;
        m.end()
    }
}

/// A target's threshold as an object of one key: `required_pct`, `at_least` or
/// `informational` (`true`).
struct JsonThreshold(Threshold);

impl Serialize for JsonThreshold {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("Threshold", 1)?;
        match self.0 {
            Threshold::Required(p) => m.serialize_field("required_pct", &p)?,
            Threshold::AtLeast(n) => m.serialize_field("at_least", &n)?,
            Threshold::Informational => m.serialize_field("informational", &true)?,
        }
        m.end()
    }
}

/// The report as `gongyu.coverage.v2` JSON (SPEC §6.4), pretty-printed with two spaces.
fn coverage_json(out: &mut dyn Write, report: &CoverageReport, lang: Lang) -> Result<()> {
    let days = report.spans.iter().map(|s| (s.start.to_string(), s.end.to_string())).collect();
    let targets = report.plan.targets.iter().map(|def| (def.required_pct(), JsonThreshold(def.threshold))).collect();
    serial::pretty(out, &Json { report, lang, days, targets })
}
