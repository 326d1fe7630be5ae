//! `gongyu init`: create the ledger.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::ledger::{schema, Ledger};

pub(crate) fn run(db: &Path) -> Result<ExitCode> {
    let mut out = super::stdout();
    match Ledger::create(db)? {
        Some(_) => {
            writeln!(out, "{}", crate::t!("commands-init-created", path = db.display().to_string(), version = schema::LATEST))?
        }
        None => {
            // Say what is there, without changing it.
            let ledger = Ledger::open(db)?;
            let version = ledger.schema_version()?;
            writeln!(out, "{}", crate::t!("commands-init-exists", path = db.display().to_string(), version = version))?;
        }
    }
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}
