//! `gongyu init`: create the ledger.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::ledger::{schema, Ledger};

pub fn run(db: &Path) -> Result<ExitCode> {
    match Ledger::create(db)? {
        Some(_) => println!("created the ledger {} (schema version {})", db.display(), schema::LATEST),
        None => {
            // Say what is there, without changing it.
            let ledger = Ledger::open(db)?;
            println!("the ledger {} already exists (schema version {}); nothing changed", db.display(), ledger.schema_version()?);
        }
    }
    Ok(ExitCode::SUCCESS)
}
