//! Writing a rejected return back for the clerk to fix: every row as it was, with an added
//! error column filled in on the bad rows, in the input's own format — CSV in its encoding
//! and delimiter, or xlsx — so it opens in Excel, gets fixed, and is imported again whole
//! (imports are all-or-nothing, and a roster must list every unit, so the good rows come
//! back too). The clerk's cells are written back unchanged, even those Excel would read as
//! formulas: the file is theirs, and a changed cell would no longer match its duplicates.

use anyhow::{Context, Result};

use super::{ReturnFile, SourceFormat, TextEncoding};
use crate::files::Target;
use crate::safe_csv::csv_safe;

/// The name of the added column.
pub(crate) const ERROR_COLUMN: &str = "错误 (error)";

/// One row of a rejected return: its cells as read, and what is wrong with it (empty for a
/// good row).
#[derive(Debug, Clone)]
pub(crate) struct RejectedRow {
    pub line: u64,
    pub cells: csv::StringRecord,
    pub errors: String,
}

/// Writes the rejected `rows` of `file` to `target`: a workbook laid out as the original
/// for a workbook (see `rejects_book.rs`), else a table under the file's header.
pub(crate) fn write(target: &Target<'_>, file: &ReturnFile, rows: &[RejectedRow]) -> Result<()> {
    let (path, format, header) = (target.path, &file.format, &file.raw_header);
    let width = rows.iter().map(|r| r.cells.len()).chain(std::iter::once(header.len())).max().unwrap_or(0);
    let mut table: Vec<Vec<String>> = Vec::with_capacity(rows.len() + 1);
    let mut head: Vec<String> = header.iter().map(str::to_string).collect();
    head.resize(width, String::new());
    head.push(crate::t!("returns-rejects-error-column"));
    table.push(head);
    for r in rows {
        let mut cells: Vec<String> = r.cells.iter().map(str::to_string).collect();
        cells.resize(width, String::new());
        cells.push(r.errors.clone());
        table.push(cells);
    }
    // The name the clerk chose decides the container: .xlsx gets a workbook, anything else
    // text — in the input's encoding and separator, or UTF-8 with BOM for a workbook's rows.
    let wants_xlsx = path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    match (format, wants_xlsx) {
        (SourceFormat::Workbook { sheet }, true) => {
            target.write_with(|out, _| super::rejects_book::write(out, file, sheet, rows))
        }
        (SourceFormat::Text { .. }, true) => target.write_with(|out, _| write_xlsx(out, "rejects", &table)),
        (SourceFormat::Text { encoding, delimiter }, false) => target.write(&text_bytes(*encoding, *delimiter, &table)?),
        (SourceFormat::Workbook { .. }, false) => target.write(&text_bytes(TextEncoding::Utf8Bom, b',', &table)?),
    }
    .with_context(|| crate::t!("returns-rejects-cannot-write", file = path.display().to_string()))
}

fn text_bytes(encoding: TextEncoding, delimiter: u8, table: &[Vec<String>]) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new().delimiter(delimiter).terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    // The clerk's own cells go back exactly as they were read, so that a fixed file matches
    // its duplicates and its formulas-looking titles (-5, =家长会) stay what was typed; only
    // gongyu's own error column, the last, is made safe for Excel.
    for row in table {
        let (errors, cells) = row.split_last().map_or((None, &row[..]), |(e, c)| (Some(e), c));
        w.write_record(cells.iter().map(String::as_str).chain(errors.map(|e| csv_safe(e)).as_deref()))?;
    }
    let text = String::from_utf8(w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)?;
    let bytes: Vec<u8> = match encoding {
        TextEncoding::Utf8 => text.into_bytes(),
        TextEncoding::Utf8Bom => [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
        TextEncoding::Gb18030 => encoding_rs::GB18030.encode(&text).0.into_owned(),
        TextEncoding::Utf16Le => [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect(),
        TextEncoding::Utf16Be => [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect(),
    };
    Ok(bytes)
}

fn write_xlsx(file: &mut std::fs::File, sheet: &str, table: &[Vec<String>]) -> Result<()> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (r, row) in table.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if r == 0 {
                ws.write_string_with_format(r as u32, c as u16, cell, &bold)?;
            } else {
                ws.write_string(r as u32, c as u16, cell)?;
            }
        }
    }
    ws.set_column_width(table.first().map_or(0, |h| h.len().saturating_sub(1)) as u16, 60)?;
    book.save_to_writer(file)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clerks_cells_go_back_unchanged_and_only_the_error_column_is_neutralised() {
        let table = vec![
            vec!["title".to_string(), "date".to_string(), ERROR_COLUMN.to_string()],
            vec!["-5".to_string(), "=家长会".to_string(), "=bad".to_string()],
            vec!["@全体".to_string(), "+1".to_string(), String::new()],
        ];
        let text = String::from_utf8(text_bytes(TextEncoding::Utf8, b',', &table).unwrap()).unwrap();
        assert_eq!(text, format!("title,date,{ERROR_COLUMN}\r\n-5,=家长会,'=bad\r\n@全体,+1,\r\n"));
    }
}
