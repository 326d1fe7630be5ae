//! A rejected workbook written back as a workbook laid out as the original: its title rows,
//! its header rows with their merged cells, dates as dates and numbers as numbers, every
//! cell on the row and in the column it had — so the error the message gives on row N is
//! on row N here — and the error column added to the right of the sheet's last column.
//! What a message withholds is withheld here too (SPEC §13): ID-card numbers are masked
//! and a student ref that may be a name is replaced.

use std::collections::HashMap;

use anyhow::Result;
use calamine::Data;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::privacy::{self, WITHHELD};
use super::rejects::{RejectedRow, ERROR_COLUMN};
use super::ReturnFile;

/// The longest text a cell of a workbook holds.
const MAX_CELL_CHARS: usize = 32_767;

/// Writes the rejects of workbook `file` (sheet `sheet`) to `out`.
pub(super) fn write(out: &mut std::fs::File, file: &ReturnFile, sheet: &str, rows: &[RejectedRow]) -> Result<()> {
    let (header_first, header_last) = file.header_lines;
    let refs = file.header.ref_positions(file.kind);
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let whole = Format::new().set_num_format("0");
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let mut width: u32 = 0;
    let mut values: HashMap<(u32, u32), Data> = HashMap::new();
    let merged = super::workbook::read_layout(&file.path, sheet, |(r, c), value| {
        width = width.max(c + 1);
        // A merged range's first cell is written with the range below.
        values.insert((r, c), value.clone());
        Ok(())
    })?;
    let below_header = |r: u32| u64::from(r) + 1 > header_last;
    let text_of = |r: u32, c: u32, s: &str| -> String {
        if below_header(r) && refs.contains(&(c as usize)) && privacy::ref_is_withheld(s) {
            WITHHELD.to_string()
        } else {
            privacy::mask_ids(s).chars().take(MAX_CELL_CHARS).collect()
        }
    };
    let mut in_merge: std::collections::HashSet<(u32, u32)> = Default::default();
    for &((r0, c0), (r1, c1)) in &merged {
        if (r0, c0) == (r1, c1) || c1 >= 16_384 {
            continue;
        }
        let first = values.remove(&(r0, c0)).unwrap_or(Data::Empty);
        let text = match &first {
            Data::Empty => String::new(),
            Data::String(s) => text_of(r0, c0, s),
            other => super::workbook::cell_text(other).map(|t| text_of(r0, c0, &t)).unwrap_or_default(),
        };
        if ws.merge_range(r0, c0 as u16, r1, c1 as u16, &text, &Format::new()).is_ok() {
            for r in r0..=r1 {
                for c in c0..=c1 {
                    in_merge.insert((r, c));
                }
            }
        }
    }
    let mut cells: Vec<_> = values.into_iter().filter(|(at, _)| !in_merge.contains(at)).collect();
    cells.sort_by_key(|(at, _)| *at);
    for ((r, c), value) in cells {
        write_cell(ws, r, c as u16, &value, &text_of, &date, &whole)?;
    }
    // The error column, right of every cell of the sheet.
    let col = width.min(16_383) as u16;
    let (h0, h1) = ((header_first - 1) as u32, (header_last - 1) as u32);
    if h1 > h0 {
        ws.merge_range(h0, col, h1, col, ERROR_COLUMN, &bold)?;
    } else {
        ws.write_string_with_format(h0, col, ERROR_COLUMN, &bold)?;
    }
    for r in rows.iter().filter(|r| !r.errors.is_empty()) {
        let text: String = r.errors.chars().take(MAX_CELL_CHARS).collect();
        ws.write_string_with_format((r.line - 1) as u32, col, &text, &wrap)?;
    }
    ws.set_column_width(col, 60)?;
    book.save_to_writer(out)?;
    Ok(())
}

fn write_cell(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    value: &Data,
    text_of: &dyn Fn(u32, u32, &str) -> String,
    date: &Format,
    whole: &Format,
) -> Result<()> {
    // A number that reads as an ID-card number is written masked, as text.
    let number = |f: f64, ws: &mut Worksheet| -> Result<()> {
        let shown = super::workbook::cell_text(&Data::Float(f)).unwrap_or_default();
        if !privacy::masked_ids(&shown).is_empty() {
            ws.write_string(r, c, text_of(r, u32::from(c), &shown))?;
        } else if f.fract() == 0.0 && f.abs() >= 1e11 {
            // Codes typed as numbers: shown whole, not as 1.10109E+11.
            ws.write_number_with_format(r, c, f, whole)?;
        } else {
            ws.write_number(r, c, f)?;
        }
        Ok(())
    };
    match value {
        Data::Empty => {}
        Data::String(s) => {
            ws.write_string(r, c, text_of(r, u32::from(c), s))?;
        }
        Data::Int(i) => number(*i as f64, ws)?,
        Data::Float(f) => number(*f, ws)?,
        Data::Bool(b) => {
            ws.write_boolean(r, c, *b)?;
        }
        Data::DateTime(dt) if dt.is_datetime() => {
            ws.write_number_with_format(r, c, dt.as_f64(), date)?;
        }
        Data::DateTime(dt) => {
            ws.write_number(r, c, dt.as_f64())?;
        }
        Data::DateTimeIso(s) => match chrono::NaiveDate::parse_from_str(s.split('T').next().unwrap_or(s), "%Y-%m-%d") {
            Ok(d) => {
                let serial = (d - chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default()).num_days() as f64;
                ws.write_number_with_format(r, c, serial, date)?;
            }
            Err(_) => {
                ws.write_string(r, c, text_of(r, u32::from(c), s))?;
            }
        },
        Data::DurationIso(s) => {
            ws.write_string(r, c, s)?;
        }
        Data::Error(e) => {
            ws.write_string(r, c, e.to_string())?;
        }
    }
    Ok(())
}
