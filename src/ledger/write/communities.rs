//! The writer of `communities` rosters, which also name the townships.

use anyhow::Result;
use rusqlite::params;
use rusqlite::types::Value;

use super::{BatchInfo, ImportTx};
use crate::returns::kinds::CommunityRow;

impl ImportTx<'_> {
    pub fn write_community(&self, batch: BatchInfo, c: &CommunityRow) -> Result<()> {
        let (yes, no) = c.facts.masks();
        let text = |t: &Option<String>| t.clone().map_or(Value::Null, Value::Text);
        self.queue_row(
            "community",
            "batch_id, name, township_name, township_code, area, parent_school_since, facts_yes, facts_no, line",
            &c.code,
            [
                Value::Integer(batch.id),
                Value::Text(c.name.clone()),
                text(&c.township_name),
                text(&c.township_code),
                Value::Text(c.area.as_str().into()),
                c.parent_school_since.map_or(Value::Null, |d| Value::Text(d.to_string())),
                Value::Integer(yes.into()),
                Value::Integer(no.into()),
                Value::Integer(c.line as i64),
            ],
        )?;
        if let (Some(code), Some(name)) = (&c.township_code, &c.township_name) {
            // A township has tens of communities, listed together: write its name once.
            {
                let mut last = self.last_township.borrow_mut();
                if last.as_ref().is_some_and(|(c, n)| c == code && n == name) {
                    return Ok(());
                }
                *last = Some((code.clone(), name.clone()));
            }
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
