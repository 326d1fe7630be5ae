//! The writer of `bodies` rosters. A body's code must not be a school's or a community's:
//! activities name their host by code alone.

use anyhow::Result;
use rusqlite::params;

use super::{BatchInfo, ImportTx, Refusal};
use crate::returns::kinds::{bodies::CODE, BodyRow};

impl ImportTx<'_> {
    pub fn write_body(&self, batch: BatchInfo, b: &BodyRow) -> Result<Option<Refusal>> {
        for table in ["school", "community"] {
            if self.on_live_roster(table, &b.code)?.is_some() {
                let message = match table {
                    "school" => crate::t!("ledger-body-code-is-school", code = b.code.as_str()),
                    _ => crate::t!("ledger-body-code-is-community", code = b.code.as_str()),
                };
                return Ok(Some(Refusal::new(CODE, message)));
            }
        }
        let unit = self.unit_id(&b.code)?;
        let (yes, no) = b.facts.masks();
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO body (batch_id, unit_id, name, kind, level, township, since, facts_yes, facts_no, line)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        stmt.execute(params![
            batch.id,
            unit,
            b.name,
            b.kind.as_str(),
            b.level.as_str(),
            b.township,
            b.since.map(|d| d.to_string()),
            yes,
            no,
            b.line as i64
        ])?;
        Ok(None)
    }
}
