//! The inspector's workbook: sheets 汇总 (summary), 乡镇 (townships), 差距 (gaps), 趋势
//! (trend) and 说明 (notes), numbers as numbers and percentages as fractions formatted as
//! percent, so a spreadsheet computes on them.
//!
//! Every value from the ledger or the plan is written as a string or a number, never as a
//! formula. A percentage is the one formula: the exact fraction of two integers gongyu
//! counted (`=119/126`, with its value cached), so that a spreadsheet's sums and averages
//! agree with the report; it shows as the report's percentage.

use anyhow::Result;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use super::Inspection;
use crate::lang::Lang;
use crate::plan::model::{Period, TargetDef, Threshold};
use crate::plan::{Status, Term};
use crate::report::{CoverageReport, TargetRow, TownshipKey};

pub(super) use super::status_word;

/// A target's period in words.
pub(super) fn period_word(p: Period, lang: Lang) -> String {
    match p {
        Period::Term => crate::tl!(lang, "render-term"),
        Period::SchoolYear => crate::tl!(lang, "render-school-year"),
        Period::Year => crate::tl!(lang, "render-year"),
        Period::Plan => crate::tl!(lang, "render-plan"),
    }
}

/// A threshold in words: `≥ 95%`, `至少 1 个`, `仅统计`.
pub(super) fn threshold_words(t: Threshold, lang: Lang) -> String {
    match t {
        Threshold::Required(p) => format!("≥ {p}%"),
        Threshold::AtLeast(n) => crate::tl!(lang, "book-at-least", count = n),
        Threshold::Informational => crate::tl!(lang, "render-informational").to_string(),
    }
}

/// A term as people read it: `2020-2021学年第一学期`, or `2020-2021-1` in English.
pub(super) fn term_words(t: Term, lang: Lang) -> String {
    match lang {
        Lang::Zh => t.chinese(),
        Lang::En => t.to_string(),
    }
}

/// Numerator over denominator as a fraction, rounded as JSON's `pct` is (to a hundredth
/// of a percent); `None` without units.
pub(super) fn fraction(r: &TargetRow) -> Option<f64> {
    r.ratio().and_then(|x| x.pct_hundredths()).map(|h| h as f64 / 10_000.0)
}

/// Met over units as an exact fraction; blank without units.
fn exact(r: &TargetRow) -> Cell {
    match r.denominator {
        Some(units) if units > 0 => Cell::Pct(r.numerator, units),
        _ => Cell::Blank,
    }
}

/// The bodies responsible, joined for people.
pub(super) fn responsible_words(r: &[String], lang: Lang) -> String {
    r.join(lang.pick("、", ", "))
}

/// The title line shared by every sheet and the page: plan, term and as-of day.
fn title(report: &CoverageReport, lang: Lang) -> String {
    let (plan, term, term_words) = (report.plan.name.clone(), report.term.to_string(), report.term.chinese());
    crate::tl!(lang, "book-title", plan = plan, term = term, term_words = term_words)
}

fn subtitle(report: &CoverageReport, lang: Lang) -> String {
    let (plan, as_of) = (report.plan.id.clone(), report.as_of.to_string());
    crate::tl!(lang, "book-subtitle", plan = plan, as_of = as_of, version = env!("CARGO_PKG_VERSION"))
}

/// One cell of a table.
pub(super) enum Cell {
    Text(String),
    Int(u64),
    /// Met over units, written as the exact fraction `=met/units` and shown as `0.0%`.
    Pct(u64, u64),
    /// A required percentage shown as `0%`.
    Required(f64),
    Blank,
}

impl Cell {
    pub(super) fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// How wide the cell shows, in Excel's character widths.
    fn width(&self) -> usize {
        match self {
            Cell::Text(s) => display_width(s),
            Cell::Int(n) => n.to_string().len(),
            Cell::Pct(..) => 6,
            Cell::Required(_) => 4,
            Cell::Blank => 0,
        }
    }
}

/// A row of cells and the status that colours it.
pub(super) struct Row {
    cells: Vec<Cell>,
    status: Option<Status>,
    /// Colour every cell by its own status (the trend's cells), not the row.
    cell_status: Vec<Option<Status>>,
}

impl Row {
    pub(super) fn new(cells: Vec<Cell>, status: Option<Status>) -> Row {
        Row { cells, status, cell_status: Vec::new() }
    }
}

/// Display width: a CJK or full-width character counts as two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
                || (0x20000..=0x3FFFD).contains(&u);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

/// The fill and font colours of a status; `None` for rows left plain.
fn colours(s: Status) -> Option<(u32, u32)> {
    match s {
        Status::Gap => Some((0xFFC7CE, 0x9C0006)),
        Status::Pending => Some((0xFFEB9C, 0x9C5700)),
        Status::NoData => Some((0xD9D9D9, 0x404040)),
        Status::Met => Some((0xC6EFCE, 0x006100)),
        Status::Info => Some((0xDDEBF7, 0x1F4E78)),
        Status::NotApplicable => None,
    }
}

/// Whether a whole row is filled (gap, pending and no-data rows); met and info colour the
/// status cell only.
fn fills_row(s: Status) -> bool {
    matches!(s, Status::Gap | Status::Pending | Status::NoData)
}

fn cell_format(cell: &Cell, status: Option<Status>, whole: bool, wrap: bool) -> Format {
    let mut f = Format::new().set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xBFBFBF));
    f = match cell {
        Cell::Pct(..) => f.set_num_format("0.0%"),
        Cell::Required(_) => f.set_num_format("0%"),
        Cell::Int(_) => f.set_num_format("0"),
        Cell::Text(_) | Cell::Blank => f,
    };
    if wrap {
        f = f.set_text_wrap();
    }
    if let Some((s, (fill, font))) = status.and_then(|s| colours(s).map(|c| (s, c))) {
        if whole || fills_row(s) {
            f = f.set_background_color(Color::RGB(fill));
        }
        if whole {
            f = f.set_font_color(Color::RGB(font));
        }
    }
    f
}

/// Widest a column grows before its text wraps.
const MAX_WIDTH: usize = 48;

/// Writes title lines, a header and rows at `first_row`; returns the next free row.
pub(super) fn table(
    ws: &mut Worksheet,
    first_row: u32,
    header: &[&str],
    rows: &[Row],
    status_col: Option<usize>,
    widths: &mut Vec<usize>,
) -> Result<u32> {
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x1F4E78))
        .set_font_color(Color::White)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_border(FormatBorder::Thin);
    widths.resize(widths.len().max(header.len()), 0);
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(first_row, c as u16, *h, &head)?;
        widths[c] = widths[c].max(display_width(h) + 2);
    }
    for (i, row) in rows.iter().enumerate() {
        for (c, cell) in row.cells.iter().enumerate() {
            widths[c] = widths[c].max(cell.width() + 2);
        }
        let r = first_row + 1 + i as u32;
        for (c, cell) in row.cells.iter().enumerate() {
            let col = c as u16;
            let wrap = cell.width() + 2 > MAX_WIDTH;
            let (status, whole) = match row.cell_status.get(c) {
                Some(s) => (*s, true),
                None => (row.status, status_col == Some(c)),
            };
            let f = cell_format(cell, status, whole, wrap);
            match cell {
                Cell::Text(s) => ws.write_string_with_format(r, col, s, &f)?,
                Cell::Int(n) => ws.write_number_with_format(r, col, *n as f64, &f)?,
                Cell::Pct(met, units) => {
                    let exact = *met as f64 / *units as f64;
                    let formula = rust_xlsxwriter::Formula::new(format!("={met}/{units}")).set_result(exact.to_string());
                    ws.write_formula_with_format(r, col, formula, &f)?
                }
                Cell::Required(x) => ws.write_number_with_format(r, col, *x, &f)?,
                Cell::Blank => ws.write_blank(r, col, &f)?,
            };
        }
    }
    Ok(first_row + 1 + rows.len() as u32)
}

/// A sheet: two title lines, then a table with a frozen header and a filter.
fn sheet(
    book: &mut Workbook,
    name: &str,
    report: &CoverageReport,
    lang: Lang,
    header: &[&str],
    rows: &[Row],
    status_col: Option<usize>,
) -> Result<(u32, Vec<usize>)> {
    let ws = book.add_worksheet();
    ws.set_name(name)?;
    let big = Format::new().set_bold().set_font_size(14);
    let small = Format::new().set_font_color(Color::RGB(0x595959));
    ws.write_string_with_format(0, 0, title(report, lang), &big)?;
    ws.set_row_height(0, 22)?;
    ws.write_string_with_format(1, 0, subtitle(report, lang), &small)?;
    let mut widths = Vec::new();
    let end = table(ws, 2, header, rows, status_col, &mut widths)?;
    ws.set_freeze_panes(3, 0)?;
    if !rows.is_empty() {
        ws.autofilter(2, 0, end - 1, header.len() as u16 - 1)?;
    }
    page_setup(ws)?;
    Ok((end, widths))
}

pub(super) fn page_setup(ws: &mut Worksheet) -> Result<()> {
    ws.set_paper_size(9); // A4
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(2, 2)?;
    Ok(())
}

pub(super) fn set_widths(book: &mut Workbook, name: &str, widths: &[usize]) -> Result<()> {
    let ws = book.worksheet_from_name(name)?;
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w).clamp(6, MAX_WIDTH) as f64)?;
    }
    Ok(())
}

/// The cells every target row has: id, title, section, threshold, period, numerator,
/// denominator, fraction, shortfall, status, responsible.
fn target_cells(def: &TargetDef, r: &TargetRow, lang: Lang) -> Vec<Cell> {
    vec![
        Cell::text(&def.id),
        Cell::text(def.title.get(lang.is_english())),
        Cell::text(def.section.clone().unwrap_or_default()),
        match def.threshold {
            Threshold::Required(p) => Cell::Required(f64::from(p) / 100.0),
            t => Cell::Text(threshold_words(t, lang)),
        },
        Cell::text(period_word(def.period, lang)),
        Cell::Int(r.numerator),
        r.denominator.map_or(Cell::Blank, Cell::Int),
        exact(r),
        r.shortfall.map_or(Cell::Blank, Cell::Int),
        Cell::text(status_word(r.status, lang)),
        Cell::text(responsible_words(&r.responsible, lang)),
    ]
}

fn target_header(lang: Lang) -> Vec<String> {
    ["target", "title", "section", "required", "period", "met", "units", "pct", "shortfall", "status", "responsible"]
        .iter()
        .map(|c| crate::messages::text_in(lang, &format!("book-col-{c}"), &[]))
        .collect()
}

fn township_cells(t: &TownshipKey) -> [Cell; 2] {
    [Cell::text(t.code.clone().unwrap_or_default()), Cell::text(&t.name)]
}

/// The sheet names, in order: summary, townships, gaps, trend, notes.
pub(crate) fn sheet_names(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Zh => ["汇总", "乡镇", "差距", "趋势", "说明"],
        Lang::En => ["Summary", "Townships", "Gaps", "Trend", "Notes"],
    }
}

/// Writes the workbook to `file`.
pub(crate) fn write(file: &mut std::fs::File, inspection: &Inspection<'_>) -> Result<()> {
    let mut book = Workbook::new();
    let names = sheet_names(inspection.lang);
    summary_sheet(&mut book, names[0], inspection)?;
    townships_sheet(&mut book, names[1], inspection)?;
    gaps_sheet(&mut book, names[2], inspection)?;
    trend_sheet(&mut book, names[3], inspection)?;
    notes_sheet(&mut book, names[4], inspection)?;
    if let Some(q) = inspection.quality {
        super::quality::xlsx_sheet(&mut book, q, inspection.lang)?;
    }
    book.save_to_writer(file)?;
    Ok(())
}

fn summary_sheet(book: &mut Workbook, name: &str, i: &Inspection<'_>) -> Result<()> {
    let (report, lang) = (i.report, i.lang);
    let rows: Vec<Row> =
        report.district.iter().map(|r| Row::new(target_cells(report.target(r), r, lang), Some(r.status))).collect();
    let header = target_header(lang);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let (_, widths) = sheet(book, name, report, lang, &header, &rows, Some(9))?;
    set_widths(book, name, &widths)
}

fn townships_sheet(book: &mut Workbook, name: &str, i: &Inspection<'_>) -> Result<()> {
    let (report, lang) = (i.report, i.lang);
    let mut header = vec![crate::tl!(lang, "render-township-code"), crate::tl!(lang, "render-township")];
    header.extend(target_header(lang));
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    // Target by target, so one target's townships stand together.
    let mut rows = Vec::new();
    for (index, def) in report.plan.targets.iter().enumerate() {
        for t in &report.townships {
            if let Some(r) = t.targets.iter().find(|r| r.target == index) {
                let mut cells: Vec<Cell> = township_cells(&t.township).into();
                cells.extend(target_cells(def, r, lang));
                rows.push(Row::new(cells, Some(r.status)));
            }
        }
    }
    let (_, widths) = sheet(book, name, report, lang, &header, &rows, Some(11))?;
    set_widths(book, name, &widths)
}

fn gaps_sheet(book: &mut Workbook, name: &str, i: &Inspection<'_>) -> Result<()> {
    let (report, lang) = (i.report, i.lang);
    let header: Vec<String> = [
        "target",
        "title",
        "township-code",
        "township",
        "unit-code",
        "unit-name",
        "reason",
        "reason-code",
        "status",
        "responsible",
    ]
    .iter()
    .map(|c| crate::messages::text_in(lang, &format!("book-gap-col-{c}"), &[]))
    .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows: Vec<Row> = i
        .gaps
        .iter()
        .map(|g| {
            let def = &report.plan.targets[g.target];
            let (code, township) = g.township.as_ref().map_or([Cell::Blank, Cell::Blank], township_cells).into();
            Row::new(
                vec![
                    Cell::text(&def.id),
                    Cell::text(def.title.get(lang.is_english())),
                    code,
                    township,
                    Cell::text(&g.unit_code),
                    Cell::text(&g.unit_name),
                    Cell::text(g.reason.get(lang)),
                    Cell::text(&g.reason_code),
                    Cell::text(status_word(g.status, lang)),
                    Cell::text(responsible_words(&g.responsible, lang)),
                ],
                Some(g.status),
            )
        })
        .collect();
    let (_, widths) = sheet(book, name, report, lang, &header, &rows, Some(8))?;
    set_widths(book, name, &widths)
}

fn trend_sheet(book: &mut Workbook, name: &str, i: &Inspection<'_>) -> Result<()> {
    let (report, trend, lang) = (i.report, i.trend, i.lang);
    let terms: Vec<String> = trend.terms.iter().map(|t| term_words(*t, lang)).collect();
    let mut header =
        vec![crate::tl!(lang, "render-target"), crate::tl!(lang, "render-title"), crate::tl!(lang, "render-required")];
    header.extend(terms.iter().cloned());
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let lead = |def: &TargetDef| -> Vec<Cell> {
        vec![
            Cell::text(&def.id),
            Cell::text(def.title.get(lang.is_english())),
            match def.threshold {
                Threshold::Required(p) => Cell::Required(f64::from(p) / 100.0),
                t => Cell::Text(threshold_words(t, lang)),
            },
        ]
    };
    let mut values = Vec::new();
    let mut statuses = Vec::new();
    for (index, def) in trend.plan.targets.iter().enumerate() {
        let points: Vec<&TargetRow> = trend.reports.iter().map(|r| &r.district[index]).collect();
        let mut v = lead(def);
        let mut s = lead(def);
        let mut colour = vec![None; 3];
        for p in &points {
            v.push(match def.threshold {
                Threshold::AtLeast(_) => Cell::Int(p.numerator),
                _ => exact(p),
            });
            s.push(Cell::text(status_word(p.status, lang)));
            colour.push(Some(p.status));
        }
        values.push(Row { cells: v, status: None, cell_status: colour.clone() });
        statuses.push(Row { cells: s, status: None, cell_status: colour });
    }
    let (end, mut widths) = sheet(book, name, report, lang, &header, &values, None)?;
    let ws = book.worksheet_from_name(name)?;
    let note = Format::new().set_bold();
    let below = end + 1;
    ws.write_string_with_format(below, 0, crate::tl!(lang, "render-status-by-term-district-figures-at"), &note)?;
    table(ws, below + 1, &header, &statuses, None, &mut widths)?;
    set_widths(book, name, &widths)
}

fn notes_sheet(book: &mut Workbook, name: &str, i: &Inspection<'_>) -> Result<()> {
    let (report, lang) = (i.report, i.lang);
    let ws = book.add_worksheet();
    ws.set_name(name)?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let r = &report.rosters;
    let roster = |t: Option<Term>| t.map_or_else(|| crate::tl!(lang, "render-none").to_string(), |t| t.to_string());
    let mut rows: Vec<(String, String)> = vec![
        (crate::tl!(lang, "render-plan-2"), report.plan.name.clone()),
        (crate::tl!(lang, "render-plan-id"), report.plan.id.clone()),
        (crate::tl!(lang, "render-plan-sha-256"), report.plan.sha256.clone()),
        (crate::tl!(lang, "render-term-2"), format!("{} ({})", report.term.chinese(), report.term)),
        (crate::tl!(lang, "render-judged-as-of"), report.as_of.to_string()),
        (
            crate::tl!(lang, "render-rosters-used"),
            format!(
                "{} {}; {} {}; {} {}; {} {}",
                crate::tl!(lang, "render-schools"),
                roster(r.schools),
                crate::tl!(lang, "render-communities"),
                roster(r.communities),
                crate::tl!(lang, "render-bodies"),
                roster(r.bodies),
                crate::tl!(lang, "render-key-students"),
                r.key_students.map_or_else(|| crate::tl!(lang, "render-none").to_string(), |t| t.school_year()),
            ),
        ),
        (crate::tl!(lang, "render-percentages"), crate::tl!(lang, "render-stored-as-exact-fractions-e-g").to_string()),
        (crate::tl!(lang, "render-colours"), crate::tl!(lang, "render-red-gap-the-period-is-over").to_string()),
        (crate::tl!(lang, "render-written-by"), format!("gongyu {}", env!("CARGO_PKG_VERSION"))),
    ];
    if let Some(c) = &report.closed {
        rows.push((crate::tl!(lang, "render-term-closed"), format!("{} {}", c.by, crate::ambient::local_time(&c.at))));
    }
    rows.extend(i.notes.iter().map(|n| (crate::tl!(lang, "render-note"), n.clone())));
    ws.write_string_with_format(0, 0, title(report, lang), &Format::new().set_bold().set_font_size(14))?;
    for (n, (k, v)) in rows.iter().enumerate() {
        let row = n as u32 + 2;
        ws.write_string_with_format(row, 0, k.as_str(), &bold)?;
        ws.write_string_with_format(row, 1, v, &wrap)?;
    }
    let legend_row = rows.len() as u32 + 3;
    for (n, s) in
        [Status::Met, Status::Pending, Status::Gap, Status::NoData, Status::Info, Status::NotApplicable].iter().enumerate()
    {
        let f = cell_format(&Cell::Blank, Some(*s), true, false);
        ws.write_string_with_format(legend_row + n as u32, 0, status_word(*s, lang), &f)?;
        ws.write_string(legend_row + n as u32, 1, s.as_str())?;
    }
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 90)?;
    Ok(())
}
