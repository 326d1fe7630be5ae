//! Reading one sheet of an OpenDocument spreadsheet (.ods) as a stream of cells.
//!
//! calamine lays every sheet of an .ods out as one dense rectangle when the file is opened:
//! a cell in the far corner, or a row repeated a million times (`table:number-rows-repeated`,
//! which LibreOffice writes for blank stretches), makes a rectangle of up to 100 million
//! cells. This reader walks `content.xml` instead and hands the cells of the chosen sheet,
//! in order, to the same bounded row builder as .xlsx: blank rows and cells cost nothing,
//! a repeated row with values costs what its copies do, and the builder stops at the
//! sheet's memory limit. Values are read as calamine reads them.

use std::io::BufRead;

use anyhow::{bail, Result};
use calamine::Data;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// The most rows and columns a sheet has (those of Excel and LibreOffice).
const MAX_ROWS: u64 = 1 << 20;
const MAX_COLUMNS: u64 = 1 << 14;

/// Reads the chosen sheet of `content.xml` (the first, or the one named `want`), giving
/// its cells to `cell` as `(sheet, (row, column), value)`, in order, and its merged cells
/// to `merged` if given. Returns the sheet's name, or, if no sheet has the name asked for,
/// all the names.
pub(super) fn read_sheet<R: BufRead>(
    xml: R,
    want: Option<&str>,
    mut merged: Option<&mut Vec<super::workbook::Merged>>,
    mut cell: impl FnMut(&str, (u32, u32), &Data) -> Result<()>,
) -> Result<std::result::Result<String, Vec<String>>> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut names = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) if e.name().as_ref() == "table:table" => {
                let name = attr(&e, "table:name")?.unwrap_or_default();
                if want.is_none_or(|w| w == name) {
                    read_table(&mut reader, &mut merged, &mut |at, value| cell(&name, at, value))?;
                    return Ok(Ok(name));
                }
                names.push(name);
                let end = e.name().as_ref().to_string();
                reader.read_to_end_into(quick_xml::name::QName(&end), &mut Vec::new())?;
            }
            Event::Eof => return Ok(Err(names)),
            _ => {}
        }
    }
}

fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>> {
    Ok(match e.try_get_attribute(name)? {
        Some(a) => Some(a.normalized_value(quick_xml::XmlVersion::Implicit1_0)?.into_owned()),
        None => None,
    })
}

/// A repeat count (`table:number-*-repeated`), 1 if absent.
fn repeats(e: &BytesStart<'_>, name: &str) -> Result<u64> {
    match attr(e, name)? {
        Some(v) => match v.trim().parse::<u64>() {
            Ok(n) => Ok(n.max(1)),
            Err(_) => bail!("the sheet has a repeat count that is not a number ({name}=\"{v}\")"),
        },
        None => Ok(1),
    }
}

fn read_table<R: BufRead>(
    reader: &mut Reader<R>,
    merged: &mut Option<&mut Vec<super::workbook::Merged>>,
    cell: &mut impl FnMut((u32, u32), &Data) -> Result<()>,
) -> Result<()> {
    let mut buf = Vec::new();
    let mut row: u64 = 0;
    let mut cells: Vec<(u64, u64, Data)> = Vec::new();
    let mut spans: Vec<(u64, u64, u64)> = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                let n = repeats(&e, "table:number-rows-repeated")?;
                cells.clear();
                spans.clear();
                read_row(reader, &mut cells, merged.is_some().then_some(&mut spans))?;
                if let Some(merged) = merged.as_deref_mut().filter(|_| row < MAX_ROWS) {
                    for &(c, rows, cols) in &spans {
                        let last = |from: u64, n: u64, max: u64| (from + n - 1).min(max - 1) as u32;
                        merged.push(((row as u32, c as u32), (last(row, rows, MAX_ROWS), last(c, cols, MAX_COLUMNS))));
                    }
                }
                if !cells.is_empty() {
                    // A row with values is given once per copy: the row builder's limit
                    // stops a row repeated past it.
                    for r in row..(row + n).min(MAX_ROWS) {
                        for (c, width, value) in &cells {
                            for c in *c..(c + width).min(MAX_COLUMNS) {
                                cell((r as u32, c as u32), value)?;
                            }
                        }
                    }
                }
                row = row.saturating_add(n);
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(repeats(&e, "table:number-rows-repeated")?);
            }
            // A table inside a cell (rare) is not part of this sheet's rows.
            Event::End(e) if e.name().as_ref() == "table:table" => return Ok(()),
            Event::Eof => bail!("the sheet ends before its end tag: the file is damaged"),
            _ => {}
        }
        if row >= MAX_ROWS && !cells.is_empty() {
            // Rows past the last a spreadsheet has are not read.
            cells.clear();
        }
    }
}

/// The cells with a value of one row: (first column, copies, value); and if asked, the
/// cells merged over others: (column, rows, columns).
fn read_row<R: BufRead>(
    reader: &mut Reader<R>,
    cells: &mut Vec<(u64, u64, Data)>,
    mut spans: Option<&mut Vec<(u64, u64, u64)>>,
) -> Result<()> {
    let mut buf = Vec::new();
    let mut col: u64 = 0;
    loop {
        buf.clear();
        let mut span = |e: &BytesStart<'_>, col: u64| -> Result<()> {
            if let Some(spans) = spans.as_deref_mut().filter(|_| col < MAX_COLUMNS) {
                let rows = repeats(e, "table:number-rows-spanned")?;
                let cols = repeats(e, "table:number-columns-spanned")?;
                if rows > 1 || cols > 1 {
                    spans.push((col, rows, cols));
                }
            }
            Ok(())
        };
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) if is_cell(&e) => {
                span(&e, col)?;
                let n = repeats(&e, "table:number-columns-repeated")?;
                let e = e.into_owned();
                let value = cell_value(reader, &e, true)?;
                if !matches!(value, Data::Empty) && col < MAX_COLUMNS {
                    cells.push((col, n, value));
                }
                col = col.saturating_add(n);
            }
            Event::Empty(e) if is_cell(&e) => {
                span(&e, col)?;
                let n = repeats(&e, "table:number-columns-repeated")?;
                let value = cell_value(reader, &e, false)?;
                if !matches!(value, Data::Empty) && col < MAX_COLUMNS {
                    cells.push((col, n, value));
                }
                col = col.saturating_add(n);
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => return Ok(()),
            Event::Eof => bail!("a row of the sheet ends before its end tag: the file is damaged"),
            _ => {}
        }
    }
}

fn is_cell(e: &BytesStart<'_>) -> bool {
    matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell")
}

/// A cell's value, as calamine reads it: the typed value of its attributes, else (a
/// string cell) its paragraphs' text. `open`: the cell has content to read to its end tag.
fn cell_value<R: BufRead>(reader: &mut Reader<R>, e: &BytesStart<'_>, open: bool) -> Result<Data> {
    let kind = attr(e, "office:value-type")?;
    let typed = if let Some(v) = attr(e, "office:value")? {
        Some(Data::Float(v.trim().parse::<f64>().map_err(|_| anyhow::anyhow!("a number cell holds \"{v}\""))?))
    } else if let Some(v) = attr(e, "office:string-value")? {
        Some(Data::String(v))
    } else if let Some(v) = attr(e, "office:date-value")? {
        Some(Data::DateTimeIso(v))
    } else if let Some(v) = attr(e, "office:time-value")? {
        Some(Data::DurationIso(v))
    } else {
        attr(e, "office:boolean-value")?.map(|v| Data::Bool(v == "true" || v == "TRUE"))
    };
    let text = if open { cell_text(reader)? } else { String::new() };
    Ok(match typed {
        Some(v) => v,
        None if kind.as_deref() == Some("string") || !text.is_empty() => Data::String(text),
        None => Data::Empty,
    })
}

/// The text of a cell's paragraphs (joined by line breaks), read to the cell's end tag;
/// comments (`office:annotation`) are skipped.
fn cell_text<R: BufRead>(reader: &mut Reader<R>) -> Result<String> {
    let mut buf = Vec::new();
    let mut s = String::new();
    let mut paragraphs = 0;
    let mut annotation = 0;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) if e.name().as_ref() == "office:annotation" => annotation += 1,
            Event::End(e) if e.name().as_ref() == "office:annotation" => annotation -= 1,
            _ if annotation > 0 => {}
            Event::Text(t) => s.push_str(&t.xml10_content()),
            Event::CData(t) => s.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref()? {
                Some(c) => s.push(c),
                None => s.push_str(match r.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                }),
            },
            Event::Start(e) if e.name().as_ref() == "text:p" => {
                if paragraphs > 0 {
                    s.push('\n');
                }
                paragraphs += 1;
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "text:s" => {
                let n = attr(&e, "text:c")?.and_then(|v| v.trim().parse::<usize>().ok()).unwrap_or(1);
                s.extend(std::iter::repeat_n(' ', n.min(1024)));
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "text:tab" => s.push('\t'),
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "text:line-break" => s.push('\n'),
            Event::End(e) if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") => return Ok(s),
            Event::Eof => bail!("a cell of the sheet ends before its end tag: the file is damaged"),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_repeats_are_read_as_calamine_reads_them() {
        let xml = r#"<office:document-content><office:body><office:spreadsheet>
            <table:table table:name="A"><table:table-row><table:table-cell office:value-type="string"><text:p>skipped</text:p></table:table-cell></table:table-row></table:table>
            <table:table table:name="B">
              <table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
              <table:table-row>
                <table:table-cell office:value-type="date" office:date-value="2020-09-01"><text:p>2020/9/1</text:p></table:table-cell>
                <table:table-cell table:number-columns-repeated="2"/>
                <table:table-cell office:value-type="float" office:value="35" table:number-rows-spanned="2"><text:p>35</text:p></table:table-cell>
                <table:table-cell office:value-type="string"><text:p>a<text:s text:c="2"/>b</text:p><text:p>c &amp; d</text:p><office:annotation><text:p>note</text:p></office:annotation></table:table-cell>
                <table:table-cell office:value-type="boolean" office:boolean-value="true"/>
              </table:table-row>
            </table:table></office:spreadsheet></office:body></office:document-content>"#;
        let mut cells = Vec::new();
        let mut merged = Vec::new();
        let read = read_sheet(xml.as_bytes(), Some("B"), Some(&mut merged), |sheet, at, v| {
            cells.push((sheet.to_string(), at, v.clone()));
            Ok(())
        })
        .unwrap();
        assert_eq!(read, Ok("B".to_string()));
        let at: Vec<_> = cells.iter().map(|(s, at, _)| (s.as_str(), *at)).collect();
        assert_eq!(at, vec![("B", (2, 0)), ("B", (2, 3)), ("B", (2, 4)), ("B", (2, 5))]);
        assert_eq!(cells[0].2, Data::DateTimeIso("2020-09-01".into()));
        assert_eq!(cells[1].2, Data::Float(35.0));
        assert_eq!(cells[2].2, Data::String("a  b\nc & d".into()));
        assert_eq!(cells[3].2, Data::Bool(true));
        assert_eq!(merged, vec![((2, 3), (3, 3))]);
        let missing = read_sheet(xml.as_bytes(), Some("C"), None, |_, _, _| Ok(())).unwrap();
        assert_eq!(missing, Err(vec!["A".to_string(), "B".to_string()]));
    }
}
