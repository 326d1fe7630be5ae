//! Reading a return straight from a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods).
//!
//! Cells come back as the text a clerk typed: whole-number codes without `.0` or
//! exponents, date cells as `YYYY-MM-DD` (Excel's 1900 serials, with its fictitious
//! 1900-02-29 refused). Rows are numbered as Excel shows them.
//!
//! A workbook is read whole, so its size is bounded before and while it is read: a small
//! file can unpack to gigabytes of XML (a "zip bomb"). The file's size, its parts'
//! unpacked sizes (measured by unpacking them, not taken from the zip's own word) and the
//! memory the sheet's rows take are all capped, and .xlsx/.xlsb/.ods sheets are streamed
//! cell by cell rather than laid out as one rectangle (a cell at A1 and one at XFD1048576
//! would make a rectangle of 17 billion cells; .ods through our own reader, `ods.rs`).
//! .xls is still read through calamine's rectangles, so its records are sized first
//! (`xls.rs`) and a workbook whose rectangles pass the sheet limit is refused.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use anyhow::{bail, Context, Result};
use calamine::{open_workbook_from_rs, Data, Reader, Xls, Xlsb, Xlsx};

/// The extensions read as workbooks.
pub(crate) const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// The largest workbook file read (a return's workbook is a few megabytes at most).
pub(crate) const MAX_FILE_BYTES: u64 = 64 << 20;
/// The most one part of a zipped workbook (a sheet, the shared strings) may unpack to:
/// a sheet of some 150,000 rows.
pub(crate) const MAX_PART_BYTES: u64 = 48 << 20;
/// The most all the XML parts of a zipped workbook may unpack to together.
pub(crate) const MAX_UNPACKED_BYTES: u64 = 96 << 20;
/// The most parts a zipped workbook may have (Excel writes a few dozen).
const MAX_PARTS: u64 = 10_000;
/// About the most memory the rows of one sheet may take once read.
pub(crate) const MAX_SHEET_BYTES: usize = 64 << 20;

/// What to do with a workbook too large to read.
fn too_large_advice() -> String {
    crate::t!("returns-workbook-too-large-advice")
}

/// Whether `path` is a workbook: by its extension, or by its first bytes (a zip or OLE
/// file), so an .xlsx renamed to .csv is still read as what it is.
pub(crate) fn is_workbook(path: &Path) -> bool {
    if path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())) {
        return true;
    }
    matches!(head(path), Some(h) if h == *b"PK\x03\x04" || h == OLE_MAGIC)
}

const OLE_MAGIC: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];

fn head(path: &Path) -> Option<[u8; 4]> {
    let mut head = [0u8; 4];
    File::open(path).and_then(|mut f| f.read_exact(&mut head)).ok().map(|_| head)
}

/// One sheet's non-blank rows, as text.
pub(crate) struct Sheet {
    pub sheet: String,
    /// (Excel row number, cells)
    pub rows: Vec<(u64, csv::StringRecord)>,
}

/// The container formats calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Xls,
    Xlsx,
    Xlsb,
    Ods,
}

/// Reads the first sheet, or the one named.
pub(crate) fn read(path: &Path, sheet: Option<&str>) -> Result<Sheet> {
    let container = inspect(path)?;
    let open = || -> Result<BufReader<File>> {
        Ok(BufReader::new(File::open(path).map_err(|e| super::os_error::cannot_read(path, &e))?))
    };
    let damaged = |e: &dyn std::fmt::Display| {
        anyhow::anyhow!("{}", crate::t!("returns-workbook-damaged", file = path.display().to_string(), error = e.to_string()))
    };
    // The spreadsheet reader may panic on a damaged file (the fuzz tests found an
    // overflow in its cell references): that is a damaged file too, not a crash.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_container(path, container, sheet, &open, &damaged)))
        .unwrap_or_else(|_| Err(damaged(&crate::t!("returns-workbook-reader-stopped"))))
}

fn read_container(
    path: &Path,
    container: Container,
    sheet: Option<&str>,
    open: &dyn Fn() -> Result<BufReader<File>>,
    damaged: &dyn Fn(&dyn std::fmt::Display) -> anyhow::Error,
) -> Result<Sheet> {
    match container {
        Container::Xlsx => {
            let mut book: Xlsx<_> = open_workbook_from_rs(open()?).map_err(|e| damaged(&e))?;
            let name = pick_sheet(path, &book.sheet_names(), sheet)?;
            let mut cells = book.worksheet_cells_reader(&name).with_context(|| reading_sheet(&name, path))?;
            let mut rows = SheetRows::new(path, &name);
            while let Some(cell) = cells.next_cell().map_err(|e| damaged(&e))? {
                rows.push(cell.get_position(), &Data::from(cell.get_value().clone()))?;
            }
            Ok(Sheet { rows: rows.finish(), sheet: name })
        }
        Container::Xlsb => {
            let mut book: Xlsb<_> = open_workbook_from_rs(open()?).map_err(|e| damaged(&e))?;
            let name = pick_sheet(path, &book.sheet_names(), sheet)?;
            let mut cells = book.worksheet_cells_reader(&name).with_context(|| reading_sheet(&name, path))?;
            let mut rows = SheetRows::new(path, &name);
            while let Some(cell) = cells.next_cell().map_err(|e| damaged(&e))? {
                rows.push(cell.get_position(), &Data::from(cell.get_value().clone()))?;
            }
            Ok(Sheet { rows: rows.finish(), sheet: name })
        }
        Container::Xls => {
            check_xls_extents(path)?;
            let book: Xls<_> = open_workbook_from_rs(open()?).map_err(|e| damaged(&e))?;
            read_range(path, book, sheet)
        }
        Container::Ods => {
            // Streamed (see `ods.rs`): calamine lays every sheet out as a rectangle.
            let mut zip = zip::ZipArchive::new(open()?).map_err(|e| damaged(&e))?;
            let content = zip.by_name("content.xml").map_err(|e| damaged(&e))?;
            let mut rows: Option<SheetRows> = None;
            let mut failed = None;
            let read = super::ods::read_sheet(BufReader::new(content), sheet, None, |name, at, value| {
                let rows = rows.get_or_insert_with(|| SheetRows::new(path, name));
                rows.push(at, value).inspect_err(|e| failed = Some(format!("{e}")))
            });
            if let Some(e) = failed {
                bail!("{e}");
            }
            match read.map_err(|e| damaged(&e))? {
                Ok(name) => {
                    let rows = rows.map(SheetRows::finish).unwrap_or_default();
                    Ok(Sheet { rows, sheet: name })
                }
                Err(names) => Err(pick_sheet(path, &names, sheet)
                    .err()
                    .unwrap_or_else(|| damaged(&"its sheet could not be found in its content"))),
            }
        }
    }
}

/// A merged range: its first and last cells, (row, column), 0-based.
pub(crate) type Merged = ((u32, u32), (u32, u32));

/// A sheet as laid out, for writing it back: every cell with its value as stored (dates as
/// dates, numbers as numbers), in order, to `cell`; returns the merged ranges. The
/// workbook has been read once already (its size checked).
pub(crate) fn read_layout(
    path: &Path,
    sheet: &str,
    mut cell: impl FnMut((u32, u32), &Data) -> Result<()>,
) -> Result<Vec<Merged>> {
    let container = inspect(path)?;
    let open = || -> Result<BufReader<File>> {
        Ok(BufReader::new(File::open(path).with_context(|| format!("cannot read {}", path.display()))?))
    };
    let damaged = |e: &dyn std::fmt::Display| anyhow::anyhow!("{} cannot be read again as a workbook ({e})", path.display());
    let dims = |d: Vec<calamine::Dimensions>| d.into_iter().map(|d| (d.start, d.end)).collect::<Vec<_>>();
    match container {
        Container::Xlsx => {
            let mut book: Xlsx<_> = open_workbook_from_rs(open()?).map_err(|e| damaged(&e))?;
            let merged = book.merge_cells_by_sheet_name(sheet).map(dims).unwrap_or_default();
            let mut cells = book.worksheet_cells_reader(sheet).map_err(|e| damaged(&e))?;
            while let Some(c) = cells.next_cell().map_err(|e| damaged(&e))? {
                cell(c.get_position(), &Data::from(c.get_value().clone()))?;
            }
            Ok(merged)
        }
        Container::Xlsb => {
            let mut book: Xlsb<_> = open_workbook_from_rs(open()?).map_err(|e| damaged(&e))?;
            let mut cells = book.worksheet_cells_reader(sheet).map_err(|e| damaged(&e))?;
            while let Some(c) = cells.next_cell().map_err(|e| damaged(&e))? {
                cell(c.get_position(), &Data::from(c.get_value().clone()))?;
            }
            Ok(Vec::new())
        }
        Container::Xls => {
            let mut book: Xls<_> = open_workbook_from_rs(open()?).map_err(|e| damaged(&e))?;
            let merged = book.merge_cells_by_sheet_name(sheet).map(dims).unwrap_or_default();
            let range = book.worksheet_range(sheet).map_err(|e| damaged(&e))?;
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for (r, c, v) in range.used_cells() {
                cell((r0 + r as u32, c0 + c as u32), v)?;
            }
            Ok(merged)
        }
        Container::Ods => {
            let mut zip = zip::ZipArchive::new(open()?).map_err(|e| damaged(&e))?;
            let content = zip.by_name("content.xml").map_err(|e| damaged(&e))?;
            let mut merged = Vec::new();
            match super::ods::read_sheet(BufReader::new(content), Some(sheet), Some(&mut merged), |_, at, v| cell(at, v))
                .map_err(|e| damaged(&e))?
            {
                Ok(_) => Ok(merged),
                Err(_) => Err(damaged(&format!("it has no sheet {sheet} now"))),
            }
        }
    }
}

/// What calamine costs per cell of the rectangle it lays an .xls sheet out as.
const XLS_BYTES_PER_CELL: u64 = std::mem::size_of::<Data>() as u64;

/// Refuses an .xls whose sheets calamine would lay out as rectangles beyond the sheet
/// memory limit (it reads every sheet on opening, so all of them count).
fn check_xls_extents(path: &Path) -> Result<()> {
    let Some(extents) = super::xls::extents(path) else { return Ok(()) };
    let total: u64 = extents.iter().map(|e| e.cells()).sum();
    if total.saturating_mul(XLS_BYTES_PER_CELL) <= MAX_SHEET_BYTES as u64 {
        return Ok(());
    }
    let widest = extents.iter().max_by_key(|e| e.cells()).expect("a workbook over the limit has a sheet");
    let corner = |r: u32, c: u32| format!("{}{}", column_letter(c as usize), r + 1);
    bail!(
        "{}[{}]: the sheet's values reach from {} to {}, which an Excel 97–2003 workbook is read as whole ({} cells{}), more than gongyu reads (about {} MB); a value far from the table may have been typed by mistake — delete it — or {}",
        path.display(),
        widest.sheet,
        corner(widest.rows.0, widest.cols.0),
        corner(widest.rows.1, widest.cols.1),
        widest.cells(),
        if extents.len() > 1 { format!(", {total} with the other sheets") } else { String::new() },
        MAX_SHEET_BYTES >> 20,
        too_large_advice()
    );
}

/// `reading sheet NAME of FILE`.
fn reading_sheet(name: &str, path: &Path) -> String {
    crate::t!("returns-workbook-reading-sheet", sheet = name, file = path.display().to_string())
}

/// The sheet to read: the one named, or the first.
fn pick_sheet(path: &Path, names: &[String], sheet: Option<&str>) -> Result<String> {
    let file = path.display().to_string();
    match sheet {
        Some(s) if names.iter().any(|n| n == s) => Ok(s.to_string()),
        Some(s) => bail!(
            "{}",
            crate::t!(
                "returns-workbook-no-such-sheet",
                file = file,
                sheet = s,
                sheets = names.join(&crate::t!("returns-list-separator"))
            )
        ),
        None => names.first().cloned().with_context(|| crate::t!("returns-workbook-no-sheets", file = file)),
    }
}

/// Reads a sheet of a format calamine lays out only as a whole rectangle (.xls).
fn read_range<RS: Read + Seek, R: Reader<RS>>(path: &Path, mut book: R, sheet: Option<&str>) -> Result<Sheet>
where
    R::Error: std::error::Error + Send + Sync + 'static,
{
    let name = pick_sheet(path, &book.sheet_names(), sheet)?;
    let range = book.worksheet_range(&name).with_context(|| reading_sheet(&name, path))?;
    let mut rows = SheetRows::new(path, &name);
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (r, c, cell) in range.used_cells() {
        rows.push((r0 + r as u32, c0 + c as u32), cell)?;
    }
    Ok(Sheet { rows: rows.finish(), sheet: name })
}

/// Checks a workbook's size before calamine reads it, and tells its container apart.
/// A zipped workbook's XML parts are unpacked (into nothing) to measure them.
fn inspect(path: &Path) -> Result<Container> {
    let file_name = path.display().to_string();
    let len = std::fs::metadata(path).map_err(|e| super::os_error::cannot_read(path, &e))?.len();
    if len > MAX_FILE_BYTES {
        bail!(
            "{}",
            crate::t!(
                "returns-workbook-too-large",
                file = &file_name,
                mb = len >> 20,
                max = MAX_FILE_BYTES >> 20,
                advice = too_large_advice()
            )
        );
    }
    match head(path) {
        Some(OLE_MAGIC) => return Ok(Container::Xls),
        Some(h) if h == *b"PK\x03\x04" => {}
        _ => bail!("{}", crate::t!("returns-workbook-unknown-container", file = &file_name)),
    }
    let mut file = File::open(path).map_err(|e| super::os_error::cannot_read(path, &e))?;
    if zip_entries(&mut file).is_some_and(|n| n > MAX_PARTS) {
        bail!("{}", crate::t!("returns-workbook-too-many-parts", file = &file_name, max = MAX_PARTS));
    }
    file.seek(SeekFrom::Start(0)).map_err(|e| super::os_error::cannot_read(path, &e))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| {
        anyhow::anyhow!("{}", crate::t!("returns-workbook-zip-damaged", file = &file_name, error = e.to_string()))
    })?;
    let names: Vec<String> = zip.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
    let container = if names.iter().any(|n| n == "xl/workbook.bin") {
        Container::Xlsb
    } else if names.iter().any(|n| n == "xl/workbook.xml") {
        Container::Xlsx
    } else if names.iter().any(|n| n == "content.xml") {
        Container::Ods
    } else {
        bail!("{}", crate::t!("returns-workbook-zip-not-workbook", file = &file_name));
    };
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else { continue };
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let lower = name.to_ascii_lowercase();
        if !(lower.ends_with(".xml") || lower.ends_with(".bin") || lower.ends_with(".rels")) {
            continue;
        }
        let mut size = 0u64;
        while let Ok(n) = part.read(&mut buf) {
            if n == 0 {
                break;
            }
            size += n as u64;
            total += n as u64;
            if size > MAX_PART_BYTES || total > MAX_UNPACKED_BYTES {
                let mb = size.max(total) >> 20;
                let advice = too_large_advice();
                bail!(
                    "{}",
                    if size > MAX_PART_BYTES {
                        crate::t!(
                            "returns-workbook-part-too-large",
                            file = &file_name,
                            part = &name,
                            mb = mb,
                            max = MAX_PART_BYTES >> 20,
                            advice = advice
                        )
                    } else {
                        crate::t!(
                            "returns-workbook-parts-too-large",
                            file = &file_name,
                            part = &name,
                            mb = mb,
                            max = MAX_UNPACKED_BYTES >> 20,
                            advice = advice
                        )
                    }
                );
            }
        }
    }
    Ok(container)
}

/// How many entries a zip file's end record says it has, read before the zip library
/// lays out its directory in memory (`None` if there is no end record to read).
fn zip_entries(file: &mut File) -> Option<u64> {
    let len = file.seek(SeekFrom::End(0)).ok()?;
    let tail = len.min(22 + 0xFFFF);
    file.seek(SeekFrom::Start(len - tail)).ok()?;
    let mut buf = vec![0u8; tail as usize];
    file.read_exact(&mut buf).ok()?;
    let at = buf.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let count = buf.get(at + 10..at + 12)?;
    let count = u16::from_le_bytes([count[0], count[1]]);
    // 0xFFFF: the real count is in a zip64 record, which only enormous files need.
    Some(if count == 0xFFFF { u64::MAX } else { u64::from(count) })
}

/// A sheet's rows, built cell by cell in the order the sheet stores them, within
/// [`MAX_SHEET_BYTES`].
struct SheetRows<'a> {
    path: &'a Path,
    sheet: String,
    rows: Vec<(u64, csv::StringRecord)>,
    /// The row being built: its 0-based number and cells.
    row: Option<(u32, Vec<String>)>,
    bytes: usize,
}

impl<'a> SheetRows<'a> {
    fn new(path: &'a Path, sheet: &str) -> SheetRows<'a> {
        SheetRows { path, sheet: sheet.to_string(), rows: Vec::new(), row: None, bytes: 0 }
    }

    fn push(&mut self, (r, c): (u32, u32), value: &Data) -> Result<()> {
        let text = cell_text(value).map_err(|e| {
            let column = crate::t!("returns-column-letter-only", letter = column_letter(c as usize));
            anyhow::anyhow!(
                "{}[{}]:{}: {}",
                self.path.display(),
                self.sheet,
                u64::from(r) + 1,
                crate::t!("returns-column-problem", column = column, problem = e)
            )
        })?;
        if text.is_empty() {
            return Ok(());
        }
        let path = self.path;
        let out_of_order = |sheet: &str, what: String| {
            anyhow::anyhow!(
                "{}[{sheet}]:{}: {}",
                path.display(),
                u64::from(r) + 1,
                crate::t!("returns-workbook-out-of-order", what = what)
            )
        };
        match &self.row {
            Some((current, _)) if r < *current => {
                return Err(out_of_order(
                    &self.sheet,
                    crate::t!("returns-workbook-row-after-row", row = r + 1, previous = current + 1),
                ))
            }
            Some((current, _)) if r > *current => self.end_row(),
            _ => {}
        }
        let (_, cells) = self.row.get_or_insert_with(|| (r, Vec::new()));
        let c = c as usize;
        if c < cells.len() {
            let what = crate::t!(
                "returns-workbook-column-after-column",
                column = column_letter(c),
                previous = column_letter(cells.len() - 1)
            );
            return Err(out_of_order(&self.sheet, what));
        }
        // Each cell costs its text and a little bookkeeping; blank cells before it too.
        self.bytes += (c + 1 - cells.len()) * 32 + text.len();
        cells.resize(c, String::new());
        cells.push(text);
        if self.bytes > MAX_SHEET_BYTES {
            bail!(
                "{}[{}]:{}: {}",
                self.path.display(),
                self.sheet,
                u64::from(r) + 1,
                crate::t!("returns-workbook-sheet-too-large", mb = MAX_SHEET_BYTES >> 20, advice = too_large_advice())
            );
        }
        Ok(())
    }

    fn end_row(&mut self) {
        if let Some((r, cells)) = self.row.take().filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty())) {
            self.rows.push((u64::from(r) + 1, csv::StringRecord::from(cells)));
        }
    }

    fn finish(mut self) -> Vec<(u64, csv::StringRecord)> {
        self.end_row();
        self.rows
    }
}

/// The text of a cell as the clerk sees it.
pub(crate) fn cell_text(cell: &Data) -> std::result::Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "true" } else { "false" }.to_string(),
        Data::DateTime(dt) => {
            if !dt.is_datetime() {
                return Err(crate::t!("returns-cell-duration", value = dt.as_f64().to_string()));
            }
            let serial = dt.as_f64();
            if serial.floor() == 60.0 {
                return Err(crate::t!("returns-cell-1900-02-29"));
            }
            let Some(t) = dt.as_datetime() else {
                return Err(crate::t!("returns-cell-date-serial", serial = serial.to_string()));
            };
            t.date().format("%Y-%m-%d").to_string()
        }
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(crate::t!("returns-cell-excel-error", error = e.to_string())),
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
pub(crate) fn column_letter(mut i: usize) -> String {
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
    fn cells_out_of_order_and_blank_rows() {
        let path = Path::new("r.xlsx");
        let mut rows = SheetRows::new(path, "S");
        rows.push((0, 1), &Data::String("b".into())).unwrap();
        rows.push((2, 0), &Data::String("  ".into())).unwrap();
        rows.push((3, 0), &Data::Int(7)).unwrap();
        let e = rows.push((3, 0), &Data::Int(8)).unwrap_err().to_string();
        assert!(e.contains("r.xlsx[S]:4: 工作表中单元格的存放顺序不对（A 列在 A 列之后）"), "{e}");
        let e = rows.push((1, 0), &Data::Int(8)).unwrap_err().to_string();
        assert!(e.contains("（第 2 行在第 4 行之后）"), "{e}");
        let rows = rows.finish();
        assert_eq!(rows.len(), 2, "the blank row 3 is dropped");
        assert_eq!(rows[0].0, 1);
        assert_eq!(rows[0].1.iter().collect::<Vec<_>>(), vec!["", "b"]);
        assert_eq!(rows[1].0, 4);
    }

    #[test]
    fn a_zips_entry_count_is_read_from_its_end_record() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z.zip");
        let mut zip = zip::ZipWriter::new(File::create(&path).unwrap());
        for i in 0..3 {
            zip.start_file(format!("f{i}.xml"), zip::write::SimpleFileOptions::default()).unwrap();
            zip.write_all(b"<x/>").unwrap();
        }
        zip.finish().unwrap();
        assert_eq!(zip_entries(&mut File::open(&path).unwrap()), Some(3));
        std::fs::write(&path, b"PK\x03\x04 not really a zip").unwrap();
        assert_eq!(zip_entries(&mut File::open(&path).unwrap()), None);
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
