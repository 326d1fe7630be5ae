//! The writer of `communities` rosters, which also name the townships.

use anyhow::Result;
use rusqlite::params;

use super::{BatchInfo, ImportTx};
use crate::returns::kinds::CommunityRow;

impl ImportTx<'_> {
    pub fn write_community(&self, batch: BatchInfo, c: &CommunityRow) -> Result<()> {
        let unit = self.unit_id(&c.code)?;
        let (yes, no) = c.facts.masks();
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO community (batch_id, unit_id, name, township_name, township_code, area, parent_school_since,
                                    facts_yes, facts_no, line)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        stmt.execute(params![
            batch.id,
            unit,
            c.name,
            c.township_name,
            c.township_code,
            c.area.as_str(),
            c.parent_school_since.map(|d| d.to_string()),
            yes,
            no,
            c.line as i64
        ])?;
        if let (Some(code), Some(name)) = (&c.township_code, &c.township_name) {
            let mut t = self.tx.prepare_cached(
                "INSERT INTO township (code, name) VALUES (?1, ?2) ON CONFLICT (code) DO UPDATE SET name = excluded.name",
            )?;
            t.execute(params![code, name])?;
            let mut n = self.tx.prepare_cached(
                "INSERT INTO township_spelling (name, code) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET code = excluded.code",
            )?;
            n.execute(params![name, code])?;
        }
        Ok(())
    }
}
