//! How a row problem names a column (SPEC §14): by the file's own header and its Excel
//! letter in Chinese (`C列「学校类型」`), by its label in English (`column 学校类型 (type)`).

/// A column as a row problem names it (SPEC §14): by the file's own header and its Excel
/// letter (`C列「学校类型」`), or by its label (`column 学校类型 (type)`), as the
/// catalogue's `returns-column-style` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnName {
    /// `学校类型 (type)`: the file's header with the column's own name; `#6 (F)` for a
    /// column without a header.
    pub label: String,
    /// The header cell as the file has it (ids masked); empty when the column has none.
    pub header: String,
    /// Where the column is in the file (0-based); `None` for a column the file lacks.
    pub index: Option<usize>,
}

impl ColumnName {
    /// The column in the output language's words, e.g. `C列「学校类型」` or
    /// `column 学校类型 (type)`.
    pub fn describe(&self) -> String {
        let by_letter = crate::t!("returns-column-style") == "letter";
        match self.index {
            Some(i) if by_letter && self.header.is_empty() => {
                crate::t!("returns-column-letter-only", letter = super::workbook::column_letter(i))
            }
            Some(i) if by_letter => {
                crate::t!("returns-column-lettered", letter = super::workbook::column_letter(i), header = &self.header)
            }
            _ => crate::t!("returns-column-labelled", label = &self.label),
        }
    }
}

/// A column without a header, at `position`: `#6 (F)`.
pub(super) fn unnamed(position: usize) -> ColumnName {
    ColumnName {
        label: format!("#{} ({})", position + 1, super::workbook::column_letter(position)),
        header: String::new(),
        index: Some(position),
    }
}
