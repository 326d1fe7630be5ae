//! The inspector's web page: one self-contained HTML file (no scripts or fonts fetched),
//! with inline SVG charts and print CSS for A4.

use std::io::Write;

use anyhow::{bail, Result};

use super::Inspection;

/// Writes the page.
pub fn write(_out: &mut dyn Write, _inspection: &Inspection<'_>) -> Result<()> {
    bail!("--format html is not implemented yet")
}
