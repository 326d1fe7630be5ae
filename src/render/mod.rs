//! Rendering reports as a table for people, or CSV and JSON for scripts, into any
//! `io::Write`. The CSV columns and JSON fields are a contract (SPEC §6).

mod coverage;
pub(crate) mod fit;
mod gaps;
pub(crate) mod html;
mod json;
pub(crate) mod quality;
pub(crate) mod returns;
mod serial;
#[cfg(test)]
mod tests;
pub(crate) mod timeliness;
pub(crate) mod timeliness_book;
pub(crate) mod timeliness_page;
pub(crate) mod trend;
pub(crate) mod xlsx;

use comfy_table::{presets, ContentArrangement, Table};

use crate::report::{CoverageReport, Gap};

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
    pub trend: &'a crate::report::Trend,
    pub lang: crate::lang::Lang,
    /// What the report rests on (older rosters, missing columns), for people.
    pub notes: &'a [String],
    /// The term's data quality findings (SPEC §15): a section of the page, a sheet of the
    /// workbook.
    pub quality: Option<&'a crate::quality::shown::Quality>,
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

pub(crate) use coverage::{coverage, status_word, township_label};
pub(crate) use gaps::{gaps, gaps_from};
pub(crate) use serial::JsonPlanRef;
