//! Reading a return straight from a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods).
//!
//! Cells come back as the text a clerk typed: whole-number codes without `.0` or
//! exponents, date cells as `YYYY-MM-DD` (Excel's 1900 serials, with its fictitious
//! 1900-02-29 refused). Rows are numbered as Excel shows them.

use std::path::Path;

use anyhow::{bail, Context, Result};
use calamine::{open_workbook_auto_from_rs, Data, Reader};

/// The extensions read as workbooks.
pub const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Whether `path` is a workbook: by its extension, or by its first bytes (a zip or OLE
/// file), so an .xlsx renamed to .csv is still read as what it is.
pub fn is_workbook(path: &Path) -> bool {
    if path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())) {
        return true;
    }
    let mut head = [0u8; 4];
    std::fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head)).is_ok()
        && (head == *b"PK\x03\x04" || head == [0xD0, 0xCF, 0x11, 0xE0])
}

/// One sheet's non-blank rows, as text.
pub struct Sheet {
    pub sheet: String,
    pub sha256: String,
    /// (Excel row number, cells)
    pub rows: Vec<(u64, csv::StringRecord)>,
}

/// Reads the first sheet, or the one named.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Sheet> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let sha256 = super::decode::sha256_hex(&bytes);
    let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
        anyhow::anyhow!("{} cannot be read as a workbook: it may be damaged, or not really a spreadsheet ({e})", path.display())
    })?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) if names.iter().any(|n| n == s) => s.to_string(),
        Some(s) => bail!("{}: there is no sheet \"{s}\"; the sheets are: {}", path.display(), names.join(", ")),
        None => names.first().cloned().with_context(|| format!("{} has no sheets", path.display()))?,
    };
    let range = book.worksheet_range(&name).with_context(|| format!("reading sheet {name} of {}", path.display()))?;
    let first_row = range.start().map_or(0, |(r, _)| r) as u64;
    let first_col = range.start().map_or(0, |(_, c)| c) as usize;
    let mut rows = Vec::new();
    for (i, cells) in range.rows().enumerate() {
        let excel_row = first_row + i as u64 + 1;
        let mut texts = vec![String::new(); first_col];
        for (j, cell) in cells.iter().enumerate() {
            let text = cell_text(cell).map_err(|e| {
                anyhow::anyhow!("{}[{name}]:{excel_row}: column {}: {e}", path.display(), column_letter(first_col + j))
            })?;
            texts.push(text);
        }
        if texts.iter().all(|t| t.trim().is_empty()) {
            continue;
        }
        rows.push((excel_row, csv::StringRecord::from(texts)));
    }
    Ok(Sheet { sheet: name, sha256, rows })
}

/// The text of a cell as the clerk sees it.
pub fn cell_text(cell: &Data) -> std::result::Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "true" } else { "false" }.to_string(),
        Data::DateTime(dt) => {
            if !dt.is_datetime() {
                return Err(format!("a duration ({}) where a value was expected", dt.as_f64()));
            }
            let serial = dt.as_f64();
            if serial.floor() == 60.0 {
                return Err("Excel's 1900-02-29 is not a real date".into());
            }
            let Some(t) = dt.as_datetime() else { return Err(format!("the date serial {serial} is out of range")) };
            t.date().format("%Y-%m-%d").to_string()
        }
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(format!("the cell holds the Excel error {e}; fix the formula or type the value")),
    })
}

/// A number as typed: integers without `.0` or an exponent.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e17 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Excel's column letter for a 0-based index (0 → A, 26 → AA).
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_come_back_as_typed() {
        assert_eq!(number_text(110109001001.0), "110109001001");
        assert_eq!(number_text(35.0), "35");
        assert_eq!(number_text(1.5), "1.5");
        assert_eq!(cell_text(&Data::Int(7)).unwrap(), "7");
    }

    #[test]
    fn date_serials() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let d = |v| cell_text(&Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false)));
        assert_eq!(d(44075.0).unwrap(), "2020-09-01");
        assert_eq!(d(44227.0).unwrap(), "2021-01-31");
        assert_eq!(d(59.0).unwrap(), "1900-02-28");
        assert_eq!(d(61.0).unwrap(), "1900-03-01");
        assert!(d(60.0).unwrap_err().contains("1900-02-29"));
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
