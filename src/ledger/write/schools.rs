//! The writer of `schools` rosters.

use anyhow::Result;
use rusqlite::types::Value;

use super::{BatchInfo, ImportTx};
use crate::returns::kinds::SchoolRow;

impl ImportTx<'_> {
    pub fn write_school(&self, batch: BatchInfo, s: &SchoolRow) -> Result<()> {
        let (yes, no) = s.facts.masks();
        self.queue_row(
            "school",
            "batch_id, name, type, school_group, township, area, parent_school_since, facts_yes, facts_no, line",
            &s.code,
            [
                Value::Integer(batch.id),
                Value::Text(s.name.clone()),
                Value::Text(s.school_type.as_str().into()),
                Value::Text(s.school_type.group().as_str().into()),
                Value::Text(s.township.clone()),
                s.area.map_or(Value::Null, |a| Value::Text(a.as_str().into())),
                s.parent_school_since.map_or(Value::Null, |d| Value::Text(d.to_string())),
                Value::Integer(yes.into()),
                Value::Integer(no.into()),
                Value::Integer(s.line as i64),
            ],
        )?;
        Ok(())
    }
}
