//! A return's header row mapped onto its kind's columns, and what is wrong with a row's
//! shape (cells right of the header, a cell longer than Excel allows).

use super::column_name::{unnamed, ColumnName};
use super::{header_hint, privacy, rejects, values, workbook, Column, ReturnKind, RowError, SourceFormat};

/// Where each column of the kind sits in the file, and what the file calls it.
#[derive(Debug, Clone, Default)]
pub struct Header {
    pub(super) positions: Vec<Option<usize>>,
    labels: Vec<String>,
    /// What each position of the file is called in messages: a column's label and header,
    /// or the header cell of a column gongyu does not know (masked, like every message).
    by_position: Vec<ColumnName>,
    /// How many columns the header names: up to its last non-blank cell.
    width: usize,
}

impl Header {
    /// Maps a header row onto the kind's columns. Returns the header, the warnings for
    /// unknown columns, or the file-level errors (missing or repeated columns).
    pub(super) fn map(
        cells: &csv::StringRecord,
        cols: &'static [Column],
    ) -> std::result::Result<(Header, Vec<String>), Vec<HeaderError>> {
        let mut positions = vec![None; cols.len()];
        let mut labels: Vec<String> = cols.iter().map(|c| c.name.to_string()).collect();
        let mut warnings = Vec::new();
        let mut errors = Vec::new();
        let mut by_position: Vec<ColumnName> = cells
            .iter()
            .enumerate()
            .map(|(i, raw)| {
                let header = privacy::mask_ids(values::trim(raw)).into_owned();
                ColumnName { label: header.clone(), header, index: Some(i) }
            })
            .collect();
        for (i, raw) in cells.iter().enumerate() {
            let name = values::trim(raw);
            if name.is_empty() {
                by_position[i] = unnamed(i);
                continue;
            }
            match cols.iter().position(|c| c.matches(name)) {
                Some(k) => {
                    if let Some(first) = positions[k] {
                        let message =
                            crate::t!("returns-header-repeated", first = first + 1, second = i + 1, column = cols[k].name);
                        errors.push(HeaderError { message, missing: false });
                    } else {
                        positions[k] = Some(i);
                        labels[k] = if name == cols[k].name { name.to_string() } else { format!("{name} ({})", cols[k].name) };
                    }
                }
                // The error column `--rejects` adds is ignored quietly on the way back in.
                None if rejects::ERROR_COLUMN == name || name == "错误" => {}
                None => warnings.push(crate::t!("returns-header-unknown-column", column = privacy::mask_ids(name).as_ref())),
            }
        }
        let missing: Vec<&Column> =
            cols.iter().enumerate().filter(|(k, c)| c.required && positions[*k].is_none()).map(|(_, c)| c).collect();
        errors.extend(header_hint::missing(&missing).map(|message| HeaderError { message, missing: true }));
        for (k, p) in positions.iter().enumerate() {
            if let Some(p) = p {
                by_position[*p].label = labels[k].clone();
            }
        }
        if errors.is_empty() {
            let width = cells.iter().collect::<Vec<_>>().iter().rposition(|c| !values::trim(c).is_empty()).map_or(0, |i| i + 1);
            Ok((Header { positions, labels, by_position, width }, warnings))
        } else {
            Err(errors)
        }
    }

    /// Whether the file has the column at all.
    pub fn has(&self, col: usize) -> bool {
        self.positions[col].is_some()
    }

    /// The column's name as the file spells it.
    pub fn label(&self, col: usize) -> &str {
        &self.labels[col]
    }

    /// The kind's column `col` as messages name it.
    pub fn column(&self, col: usize) -> ColumnName {
        match self.positions[col] {
            Some(p) => ColumnName { label: self.labels[col].clone(), ..self.column_at(p) },
            None => ColumnName { label: self.labels[col].clone(), header: self.labels[col].clone(), index: None },
        }
    }

    /// What the file's column at `position` (0-based) is called in messages.
    pub fn column_at(&self, position: usize) -> ColumnName {
        self.by_position.get(position).cloned().unwrap_or_else(|| unnamed(position))
    }

    /// An error of `line` in the kind's column `col` (ID-card numbers in it masked).
    pub fn row_error(&self, line: u64, col: usize, message: String) -> RowError {
        RowError { line, column: Some(self.column(col)), message: privacy::mask_ids(&message).into_owned() }
    }
}

/// What is wrong with a header: a repeated column, or the required columns it lacks.
#[derive(Debug, Clone)]
pub(super) struct HeaderError {
    pub(super) message: String,
    /// Whether it names missing columns (then the header as read is shown too).
    pub(super) missing: bool,
}

/// The most characters a cell may hold: Excel's limit. A longer cell is refused, and not
/// shown in the message.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The longest record the CSV reader reads before it gives up on the row: far more than
/// any real row (a few hundred bytes), so a quote that is never closed, or a file that is
/// one enormous line, is refused in bounded memory.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;

/// What is wrong with a row's shape, whatever the return: values right of the header's
/// last column (an unquoted comma shifts a row), or a cell longer than Excel allows.
impl Header {
    /// The file positions of the columns holding student refs (SPEC §13).
    pub fn ref_positions(&self, kind: ReturnKind) -> Vec<usize> {
        kind.columns()
            .iter()
            .zip(&self.positions)
            .filter(|(c, _)| privacy::REF_COLUMNS.contains(&c.name))
            .filter_map(|(_, p)| *p)
            .collect()
    }
}

pub(super) fn shape_errors(header: &Header, format: &SourceFormat, line: u64, record: &csv::StringRecord) -> Vec<RowError> {
    let mut errors = Vec::new();
    // Cheap test first: this runs on every row.
    if record.len() <= header.width && record.as_slice().len() <= MAX_CELL_CHARS {
        return errors;
    }
    if let Some(last) = (header.width..record.len()).rev().find(|&i| !values::trim(&record[i]).is_empty()) {
        let message = match format {
            SourceFormat::Text { delimiter, .. } => {
                let (sep, example) = match delimiter {
                    b'\t' => (crate::t!("returns-sep-tab"), "\t"),
                    b';' => (crate::t!("returns-sep-semicolon"), ";"),
                    _ => (crate::t!("returns-sep-comma"), ","),
                };
                crate::t!("returns-row-too-many-cells", cells = last + 1, width = header.width, sep = sep, example = example)
            }
            SourceFormat::Workbook { .. } => crate::t!(
                "returns-row-right-of-header",
                column = workbook::column_letter(last),
                last = workbook::column_letter(header.width - 1)
            ),
        };
        errors.push(RowError { line, column: None, message });
    }
    for (i, cell) in record.iter().enumerate() {
        if cell.len() > MAX_CELL_CHARS && cell.chars().count() > MAX_CELL_CHARS {
            errors.push(RowError {
                line,
                column: Some(header.column_at(i)),
                message: too_long_cell(format, cell.chars().count()),
            });
        }
    }
    errors
}

/// The message for a cell over [`MAX_CELL_CHARS`]; `chars` is how many it holds (or at least).
pub(super) fn too_long_cell(format: &SourceFormat, chars: usize) -> String {
    match format {
        SourceFormat::Text { .. } => crate::t!("returns-cell-too-long-text", chars = chars, max = MAX_CELL_CHARS),
        SourceFormat::Workbook { .. } => crate::t!("returns-cell-too-long", chars = chars, max = MAX_CELL_CHARS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::returns::{kinds, TextEncoding};

    #[test]
    fn header_aliases_case_and_padding() {
        let rec =
            csv::StringRecord::from(vec!["\u{feff}学校代码", " NAME ", "　办学类型　", "所属乡镇", "是否建立家长学校", "备注"]);
        let (h, warnings) = Header::map(&rec, &kinds::schools::COLUMNS).unwrap();
        assert!(h.has(kinds::schools::CODE) && h.has(kinds::schools::TYPE) && !h.has(kinds::schools::TERM));
        assert_eq!(h.label(kinds::schools::TYPE), "办学类型 (type)");
        assert_eq!(h.label(kinds::schools::NAME), "NAME (name)");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("备注"));
        // Messages name a column by its letter and the file's own header (SPEC §14).
        let ty = h.column(kinds::schools::TYPE);
        assert_eq!((ty.header.as_str(), ty.index), ("办学类型", Some(2)));
        assert_eq!(ty.describe(), "C列「办学类型」");
        let term = h.column(kinds::schools::TERM);
        assert_eq!((term.label.as_str(), term.index), ("term", None));
        assert_eq!(term.describe(), "「term」列");
    }

    #[test]
    fn rows_wider_than_the_header_and_cells_longer_than_excel_allows() {
        let (header, _) =
            Header::map(&csv::StringRecord::from(vec!["id", "host", "date", "kind", ""]), &kinds::activities::COLUMNS).unwrap();
        assert_eq!(header.width, 4);
        let text = SourceFormat::Text { encoding: TextEncoding::Utf8, delimiter: b',' };
        let trailing = csv::StringRecord::from(vec!["A1", "1", "2020-09-01", "讲座", "", " "]);
        assert!(shape_errors(&header, &text, 2, &trailing).is_empty());
        let shifted = csv::StringRecord::from(vec!["A1", "1", "2020-09-01", "讲座", "x", ""]);
        let e = shape_errors(&header, &text, 3, &shifted);
        assert!(e[0].message.starts_with("这一行有 5 个单元格，但表头只有 4 列"), "{e:?}");
        let sheet = SourceFormat::Workbook { sheet: "Sheet1".into() };
        let e = shape_errors(&header, &sheet, 3, &shifted);
        assert!(e[0].message.contains("在 E 列有值，超出了表头的最后一列 D"), "{e:?}");

        let at_limit = "字".repeat(MAX_CELL_CHARS);
        assert!(shape_errors(&header, &text, 4, &csv::StringRecord::from(vec!["A1", &at_limit])).is_empty());
        let over = "字".repeat(MAX_CELL_CHARS + 1);
        let e = shape_errors(&header, &text, 4, &csv::StringRecord::from(vec!["A1", &over, "", "", "", &over]));
        assert_eq!(e.len(), 3, "{e:?}");
        let columns: Vec<ColumnName> = e.iter().filter_map(|e| e.column.clone()).collect();
        assert_eq!((columns[0].label.as_str(), columns[0].index), ("host", Some(1)));
        assert_eq!((columns[1].label.as_str(), columns[1].header.as_str(), columns[1].index), ("#6 (F)", "", Some(5)));
        assert_eq!(columns[1].describe(), "F列");
        assert_eq!(e[2].display("a.csv").to_string(), format!("a.csv:4: F列：{}", e[2].message));
        assert!(e.iter().all(|e| !e.message.contains("字字")), "a long cell is never echoed");
    }

    #[test]
    fn missing_and_repeated_columns() {
        let rec = csv::StringRecord::from(vec!["code", "学校代码", "name"]);
        let errors = Header::map(&rec, &kinds::schools::COLUMNS).unwrap_err();
        assert!(errors.iter().any(|e| !e.missing && e.message.contains("第 1 列和第 2 列都是 code")), "{errors:?}");
        // The missing columns in one message, each with its spellings.
        let missing: Vec<&HeaderError> = errors.iter().filter(|e| e.missing).collect();
        assert_eq!(missing.len(), 1, "{errors:?}");
        assert!(missing[0].message.contains("type 写作 type、学校类型、办学类型 之一"), "{errors:?}");
        assert!(missing[0].message.contains("parent_school 写作"), "{errors:?}");
    }
}
