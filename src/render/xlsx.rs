//! The inspector's workbook: sheets 汇总 (summary), 乡镇 (townships), 差距 (gaps) and 趋势
//! (trend), numbers as numbers and percentages as fractions formatted as percent.

use std::path::Path;

use anyhow::{bail, Result};

use super::Inspection;

/// Writes the workbook to `path`.
pub fn write(_path: &Path, _inspection: &Inspection<'_>) -> Result<()> {
    bail!("--format xlsx is not implemented yet")
}
