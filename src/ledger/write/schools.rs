//! The writer of `schools` rosters.

use anyhow::Result;
use rusqlite::params;

use super::{BatchInfo, ImportTx};
use crate::returns::kinds::SchoolRow;

impl ImportTx<'_> {
    pub fn write_school(&self, batch: BatchInfo, s: &SchoolRow) -> Result<()> {
        let unit = self.unit_id(&s.code)?;
        let (yes, no) = s.facts.masks();
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO school (batch_id, unit_id, name, type, school_group, township, area, parent_school_since,
                                 facts_yes, facts_no, line)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        stmt.execute(params![
            batch.id,
            unit,
            s.name,
            s.school_type.as_str(),
            s.school_type.group().as_str(),
            s.township,
            s.area.map(|a| a.as_str()),
            s.parent_school_since.map(|d| d.to_string()),
            yes,
            no,
            s.line as i64
        ])?;
        Ok(())
    }
}
