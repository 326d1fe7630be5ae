//! Rendering reports as a table for people, or CSV and JSON for scripts, into any
//! `io::Write`. The CSV columns and JSON fields are a contract (SPEC §6).

use std::io::Write;

use anyhow::Result;
use comfy_table::{presets, CellAlignment, ContentArrangement, Table};
use serde::Serialize;

use crate::plan::Term;
use crate::report::{CoverageReport, Gap, TargetRow, TownshipKey};

/// The output formats of the report commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
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
pub fn coverage(out: &mut dyn Write, report: &CoverageReport, format: Format, by_township: bool, excel: bool) -> Result<()> {
    match format {
        Format::Table => coverage_table(out, report, by_township),
        Format::Csv => coverage_csv(out, report, by_township, excel),
        Format::Json => coverage_json(out, report),
    }
}

fn scoped_rows(report: &CoverageReport, by_township: bool) -> Vec<(Option<&TownshipKey>, &TargetRow)> {
    let mut rows: Vec<_> = report.district.iter().map(|r| (None, r)).collect();
    if by_township {
        for t in &report.townships {
            rows.extend(t.targets.iter().map(|r| (Some(&t.township), r)));
        }
    }
    rows
}

fn coverage_table(out: &mut dyn Write, report: &CoverageReport, by_township: bool) -> Result<()> {
    writeln!(out, "Coverage of the co-education plan (家校社共育) — term {} ({})", report.term, report.term.chinese())?;
    writeln!(
        out,
        "Rosters used: schools {}, communities {}",
        term_label(report.schools_roster),
        term_label(report.communities_roster)
    )?;
    let mut header = vec!["target", "plan", "required", "met / units", "pct", "shortfall", "status", "responsible"];
    if by_township {
        header.insert(0, "scope");
    }
    let mut table = new_table(&header);
    for (scope, r) in scoped_rows(report, by_township) {
        let mut cells = vec![
            r.target.id().to_string(),
            r.target.plan_section().to_string(),
            format!("{}%", r.target.required_pct()),
            format!("{} / {}", r.ratio.numerator, r.ratio.denominator),
            if r.ratio.denominator == 0 { "-".to_string() } else { format!("{}%", r.ratio.pct_text(1)) },
            r.shortfall().to_string(),
            r.status().as_str().to_string(),
            r.responsible.join(", "),
        ];
        if by_township {
            cells.insert(0, scope.map_or_else(|| "district 全区".to_string(), township_label));
        }
        table.add_row(cells);
    }
    let numeric = if by_township { [3, 4, 5, 6] } else { [2, 3, 4, 5] };
    for i in numeric {
        if let Some(c) = table.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    writeln!(out, "{table}")?;
    let gaps = report.district.iter().filter(|r| r.status() == crate::plan::Status::Gap).count();
    writeln!(
        out,
        "{} of {} district targets met; {} with a gap.",
        report.district.len() - gaps - report.district.iter().filter(|r| r.ratio.denominator == 0).count(),
        report.district.len(),
        gaps
    )?;
    Ok(())
}

fn township_label(t: &TownshipKey) -> String {
    match &t.code {
        Some(c) if *c != t.name => format!("{c} {}", t.name),
        _ => t.name.clone(),
    }
}

fn coverage_csv(out: &mut dyn Write, report: &CoverageReport, by_township: bool, excel: bool) -> Result<()> {
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
    ])?;
    for (scope, r) in scoped_rows(report, by_township) {
        w.row([
            report.term.to_string(),
            if scope.is_some() { "township" } else { "district" }.to_string(),
            scope.and_then(|t| t.code.clone()).unwrap_or_default(),
            scope.map(|t| t.name.clone()).unwrap_or_default(),
            r.target.id().to_string(),
            r.target.required_pct().to_string(),
            r.ratio.numerator.to_string(),
            r.ratio.denominator.to_string(),
            r.ratio.pct_text(1),
            r.shortfall().to_string(),
            r.status().as_str().to_string(),
            r.responsible.join(";"),
        ])?;
    }
    w.finish()
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    term: String,
    rosters: JsonRosters,
    targets: Vec<JsonTarget<'a>>,
    townships: Vec<JsonTownship<'a>>,
}

#[derive(Serialize)]
struct JsonRosters {
    schools: Option<String>,
    communities: Option<String>,
}

#[derive(Serialize)]
struct JsonTarget<'a> {
    id: &'static str,
    scope: &'static str,
    township: Option<&'a str>,
    required_pct: u32,
    numerator: u64,
    denominator: u64,
    pct: Option<f64>,
    shortfall: u64,
    status: crate::plan::Status,
    responsible: &'a [&'static str],
}

#[derive(Serialize)]
struct JsonTownship<'a> {
    code: Option<&'a str>,
    name: &'a str,
    targets: Vec<JsonTarget<'a>>,
}

fn json_target<'a>(r: &'a TargetRow, township: Option<&'a TownshipKey>) -> JsonTarget<'a> {
    JsonTarget {
        id: r.target.id(),
        scope: if township.is_some() { "township" } else { "district" },
        township: township.map(|t| t.id()),
        required_pct: r.target.required_pct(),
        numerator: r.ratio.numerator,
        denominator: r.ratio.denominator,
        pct: r.ratio.pct_json(),
        shortfall: r.shortfall(),
        status: r.status(),
        responsible: &r.responsible,
    }
}

fn rosters(report: &CoverageReport) -> JsonRosters {
    JsonRosters {
        schools: report.schools_roster.map(|t| t.to_string()),
        communities: report.communities_roster.map(|t| t.to_string()),
    }
}

fn coverage_json(out: &mut dyn Write, report: &CoverageReport) -> Result<()> {
    let doc = JsonReport {
        schema: "gongyu.coverage.v1",
        term: report.term.to_string(),
        rosters: rosters(report),
        targets: report.district.iter().map(|r| json_target(r, None)).collect(),
        townships: report
            .townships
            .iter()
            .map(|t| JsonTownship {
                code: t.township.code.as_deref(),
                name: &t.township.name,
                targets: t.targets.iter().map(|r| json_target(r, Some(&t.township))).collect(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(())
}

// ---------------------------------------------------------------- gaps

/// Writes one row per failing unit.
pub fn gaps(
    out: &mut dyn Write,
    report: &CoverageReport,
    gaps: &[Gap],
    format: Format,
    limit: Option<usize>,
    excel: bool,
) -> Result<()> {
    let shown = &gaps[..limit.map_or(gaps.len(), |l| l.min(gaps.len()))];
    match format {
        Format::Table => {
            let mut table =
                new_table(&["target", "township_code", "township", "unit_code", "unit_name", "reason", "responsible"]);
            for g in shown {
                table.add_row(gap_cells(g, ", "));
            }
            writeln!(out, "Gaps in term {} ({}): {} failing unit(s)", report.term, report.term.chinese(), gaps.len())?;
            if !shown.is_empty() {
                writeln!(out, "{table}")?;
            }
            if shown.len() < gaps.len() {
                writeln!(out, "… and {} more (see `gongyu coverage gaps`)", gaps.len() - shown.len())?;
            }
        }
        Format::Csv => {
            let mut w = SafeCsv::new(&mut *out, excel)?;
            w.row(["target", "township_code", "township", "unit_code", "unit_name", "reason", "responsible"])?;
            for g in shown {
                w.row(gap_cells(g, ";"))?;
            }
            w.finish()?;
        }
        Format::Json => {
            #[derive(Serialize)]
            struct JsonGap<'a> {
                target: &'static str,
                township_code: Option<&'a str>,
                township: &'a str,
                unit_code: &'a str,
                unit_name: &'a str,
                reason: &'a str,
                responsible: &'a [&'static str],
            }
            #[derive(Serialize)]
            struct JsonGaps<'a> {
                schema: &'static str,
                term: String,
                rosters: JsonRosters,
                gaps: Vec<JsonGap<'a>>,
            }
            let doc = JsonGaps {
                schema: "gongyu.gaps.v1",
                term: report.term.to_string(),
                rosters: rosters(report),
                gaps: shown
                    .iter()
                    .map(|g| JsonGap {
                        target: g.target.id(),
                        township_code: g.township.code.as_deref(),
                        township: &g.township.name,
                        unit_code: &g.unit_code,
                        unit_name: &g.unit_name,
                        reason: &g.reason,
                        responsible: &g.responsible,
                    })
                    .collect(),
            };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

fn gap_cells(g: &Gap, sep: &str) -> Vec<String> {
    vec![
        g.target.id().to_string(),
        g.township.code.clone().unwrap_or_default(),
        g.township.name.clone(),
        g.unit_code.clone(),
        g.unit_name.clone(),
        g.reason.clone(),
        g.responsible.join(sep),
    ]
}
