//! `gongyu init`: create the ledger.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::ledger::{schema, Ledger};

pub fn run(db: &Path) -> Result<ExitCode> {
    let mut out = super::stdout();
    match Ledger::create(db)? {
        Some(_) => writeln!(out, "created the ledger {} (schema version {})", db.display(), schema::LATEST)?,
        None => {
            // Say what is there, without changing it.
            let ledger = Ledger::open(db)?;
            writeln!(
                out,
                "the ledger {} already exists (schema version {}); nothing changed",
                db.display(),
                ledger.schema_version()?
            )?;
        }
    }
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}
