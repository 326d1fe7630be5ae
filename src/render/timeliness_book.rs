//! `gongyu returns --format xlsx`: the timeliness of a term's returns as a workbook, in the
//! house style of the inspector's workbook (`xlsx.rs`): sheets of townships (with the
//! district), units and rosters, and a sheet of notes saying how the rates are counted.
//! Counts are numbers; rates are the exact fractions (`=received/expected`) shown as percent;
//! a row whose rate falls below the plan's threshold is shaded amber (never "gap": lateness
//! is not a target's gap).

use anyhow::Result;
use rust_xlsxwriter::{Color, Format, Workbook};

use super::township_label;
use super::xlsx::{page_setup, set_widths, table, Cell, Row};
use crate::lang::Lang;
use crate::plan::Status;
use crate::report::returns::Returns;
use crate::report::timeliness::{Counts, Expected, Timeliness};
use crate::report::TownshipKey;

fn shade(c: &Counts, t: &Timeliness) -> Option<Status> {
    let below =
        Timeliness::below(c.reporting_rate(), t.reporting_threshold) || Timeliness::below(c.on_time_rate(), t.on_time_threshold);
    below.then_some(Status::Pending)
}

fn rate(part: u64, expected: u64) -> Cell {
    if expected == 0 {
        Cell::Blank
    } else {
        Cell::Pct(part, expected)
    }
}

fn counts_cells(c: &Counts) -> Vec<Cell> {
    vec![
        Cell::Int(c.expected),
        Cell::Int(c.received),
        Cell::Int(c.on_time),
        Cell::Int(c.late),
        Cell::Int(c.most_days_late.max(0) as u64),
        Cell::Int(c.missing),
        rate(c.received, c.expected),
        rate(c.on_time, c.expected),
    ]
}

fn township_cells(t: Option<&TownshipKey>, lang: Lang) -> [Cell; 2] {
    match t {
        Some(t) => [Cell::text(t.code.clone().unwrap_or_default()), Cell::text(&t.name)],
        None => [Cell::Blank, Cell::text(crate::tl!(lang, "render-district-no-township"))],
    }
}

fn status_cell(e: &Expected, lang: Lang) -> Cell {
    Cell::text(match e.status() {
        "late" => crate::tl!(lang, "timeliness-status-late", days = e.days_late().unwrap_or(0)),
        "on-time" => crate::tl!(lang, "timeliness-status-on-time"),
        _ => crate::tl!(lang, "timeliness-status-missing"),
    })
}

fn day_cell(d: Option<chrono::NaiveDate>) -> Cell {
    d.map_or(Cell::Blank, |d| Cell::text(d.to_string()))
}

/// A sheet with a title, a subtitle and one table; returns nothing (widths are set).
fn sheet(book: &mut Workbook, name: &str, titles: [&str; 2], header: &[String], rows: &[Row]) -> Result<()> {
    let ws = book.add_worksheet();
    ws.set_name(name)?;
    ws.write_string_with_format(0, 0, titles[0], &Format::new().set_bold().set_font_size(14))?;
    ws.set_row_height(0, 22)?;
    ws.write_string_with_format(1, 0, titles[1], &Format::new().set_font_color(Color::RGB(0x595959)))?;
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut widths = Vec::new();
    let end = table(ws, 2, &header, rows, None, &mut widths)?;
    ws.set_freeze_panes(3, 0)?;
    if !rows.is_empty() {
        ws.autofilter(2, 0, end - 1, header.len() as u16 - 1)?;
    }
    page_setup(ws)?;
    set_widths(book, name, &widths)
}

/// Writes the workbook to `file`.
pub(crate) fn write(file: &mut std::fs::File, r: &Returns, lang: Lang) -> Result<()> {
    let t = &r.timeliness;
    let (title, subtitle) = super::timeliness::titles(r, lang);
    let titles = [title.as_str(), subtitle.as_str()];
    let mut book = Workbook::new();

    let mut header = vec![crate::tl!(lang, "timeliness-h-township-code"), crate::tl!(lang, "timeliness-h-township")];
    header.extend(super::timeliness::counts_headers(lang));
    let mut rows: Vec<Row> = t
        .townships
        .iter()
        .map(|g| {
            let mut cells: Vec<Cell> = township_cells(g.township.as_ref(), lang).into();
            cells.extend(counts_cells(&g.counts));
            Row::new(cells, shade(&g.counts, t))
        })
        .collect();
    let mut cells = vec![Cell::Blank, Cell::text(crate::tl!(lang, "timeliness-district"))];
    cells.extend(counts_cells(&t.district));
    rows.push(Row::new(cells, shade(&t.district, t)));
    sheet(&mut book, &crate::tl!(lang, "timeliness-sheet-townships"), titles, &header, &rows)?;

    let header = [
        crate::tl!(lang, "timeliness-h-township-code"),
        crate::tl!(lang, "timeliness-h-township"),
        crate::tl!(lang, "timeliness-h-unit-code"),
        crate::tl!(lang, "timeliness-h-unit"),
        crate::tl!(lang, "timeliness-h-unit-kind"),
        crate::tl!(lang, "timeliness-h-due"),
        crate::tl!(lang, "timeliness-h-received-on"),
        crate::tl!(lang, "timeliness-h-days-late"),
        crate::tl!(lang, "timeliness-h-status"),
    ];
    let rows: Vec<Row> = t
        .units
        .iter()
        .map(|e| {
            let mut cells: Vec<Cell> = township_cells(e.township.as_deref(), lang).into();
            let u = e.unit.as_ref();
            cells.extend([
                Cell::text(u.map(|u| u.code.clone()).unwrap_or_default()),
                Cell::text(u.map(|u| u.name.clone()).unwrap_or_default()),
                Cell::text(u.map(|u| crate::returns::kinds::kind_title(u.kind, lang).to_string()).unwrap_or_default()),
                Cell::text(e.due.to_string()),
                day_cell(e.received),
                e.days_late().map_or(Cell::Blank, |d| Cell::Int(d as u64)),
                status_cell(e, lang),
            ]);
            Row::new(cells, (e.status() != "on-time").then_some(Status::Pending))
        })
        .collect();
    sheet(&mut book, &crate::tl!(lang, "timeliness-sheet-units"), titles, &header, &rows)?;

    let header = [
        crate::tl!(lang, "timeliness-h-roster"),
        crate::tl!(lang, "timeliness-h-due"),
        crate::tl!(lang, "timeliness-h-received-on"),
        crate::tl!(lang, "timeliness-h-days-late"),
        crate::tl!(lang, "timeliness-h-status"),
    ];
    let rows: Vec<Row> = t
        .rosters
        .iter()
        .chain(&t.registry)
        .map(|e| {
            let what = crate::returns::kinds::kind_title(e.kind, lang);
            let cells = vec![
                Cell::text(match &e.township {
                    Some(k) => format!("{what} {}", township_label(k)),
                    None => what.to_string(),
                }),
                Cell::text(e.due.to_string()),
                day_cell(e.received),
                e.days_late().map_or(Cell::Blank, |d| Cell::Int(d as u64)),
                status_cell(e, lang),
            ];
            Row::new(cells, (e.status() != "on-time").then_some(Status::Pending))
        })
        .collect();
    sheet(&mut book, &crate::tl!(lang, "timeliness-sheet-rosters"), titles, &header, &rows)?;

    let notes = book.add_worksheet();
    notes.set_name(crate::tl!(lang, "timeliness-sheet-notes"))?;
    notes.set_column_width(0, 110)?;
    let wrap = Format::new().set_text_wrap();
    let lines =
        [title.clone(), subtitle.clone(), crate::tl!(lang, "cmd-returns-after"), crate::tl!(lang, "timeliness-book-shading")];
    for (i, line) in lines.iter().enumerate() {
        notes.write_string_with_format(i as u32, 0, line, &wrap)?;
    }
    book.save_to_writer(file)?;
    Ok(())
}
