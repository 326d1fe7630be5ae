//! The writer of `registry` returns: filings by township, counts only.

use anyhow::Result;
use rusqlite::{params, OptionalExtension};

use super::{BatchInfo, ImportTx, Refusal};
use crate::plan::term::{day_key, school_year_of};
use crate::returns::kinds::{registry::TOWNSHIP, RegistryRow};

impl ImportTx<'_> {
    /// How a registry return's township is keyed: its code where the communities rosters
    /// give one, else the name or code as they give it. `None`: no roster names it.
    fn township_key(&self, township: &str) -> Result<Option<String>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT code FROM township WHERE code = ?1
             UNION ALL SELECT code FROM township_spelling WHERE name = ?1
             UNION ALL SELECT ?1 WHERE EXISTS (SELECT 1 FROM community c JOIN batch b ON b.id = c.batch_id
                 WHERE b.reverted_at IS NULL AND (c.township_code = ?1 OR c.township_name = ?1))
             LIMIT 1",
        )?;
        Ok(stmt.query_row([township], |r| r.get(0)).optional()?)
    }

    pub fn write_registry(&self, batch: BatchInfo, r: &RegistryRow) -> Result<Option<Refusal>> {
        let Some(key) = self.township_key(&r.township)? else {
            return Ok(Some(Refusal::new(
                TOWNSHIP,
                crate::t!("ledger-registry-unknown-township", township = r.township.as_str()),
            )));
        };
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO registry (batch_id, township, township_key, category, count, filed, school_year, line)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        stmt.execute(params![
            batch.id,
            r.township,
            key,
            r.category.as_str(),
            r.count as i64,
            day_key(r.filed),
            school_year_of(r.filed),
            r.line as i64
        ])?;
        Ok(None)
    }
}
