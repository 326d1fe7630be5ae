//! The writer of `key-students` rosters: refs only, each under a school already on a
//! schools roster.

use anyhow::Result;
use rusqlite::params;

use super::{BatchInfo, ImportTx, Refusal};
use crate::returns::kinds::{key_students::SCHOOL, KeyStudentRow};

impl ImportTx<'_> {
    pub fn write_key_student(&self, batch: BatchInfo, k: &KeyStudentRow) -> Result<Option<Refusal>> {
        let Some(school) = self.on_live_roster("school", &k.school)? else {
            return Ok(Some(Refusal::new(SCHOOL, crate::t!("ledger-key-student-no-school", code = k.school.as_str()))));
        };
        let mut stmt = self
            .tx
            .prepare_cached("INSERT INTO key_student (batch_id, school_id, ref, category, line) VALUES (?1, ?2, ?3, ?4, ?5)")?;
        stmt.execute(params![batch.id, school, k.reference, k.category.map(|c| c.as_str()), k.line as i64])?;
        Ok(None)
    }
}
