//! When the returns for a term were received (SPEC §15), for `returns`' timeliness: the day
//! each batch was received (`batch.received`, or before schema version 8 the local day it
//! was imported), per roster and per unit that hosted an activity in the term.

use std::collections::HashMap;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::params;

use super::Ledger;
use crate::plan::term::{month_key, term_key};
use crate::plan::Term;

/// The received day of each batch of `kind` (only the live ones with `live`), by id.
fn batch_days(ledger: &Ledger, kind: &str, period: Option<(&str, String)>, live: bool) -> Result<HashMap<i64, NaiveDate>> {
    let (column_filter, value) = match &period {
        Some(("term", v)) => ("AND term = ?2", Some(v.clone())),
        Some((_, v)) => ("AND school_year = ?2", Some(v.clone())),
        None => ("AND ?2 IS NULL", None),
    };
    let live = if live { "AND reverted_at IS NULL" } else { "" };
    let sql = format!("SELECT id, received, imported_at FROM batch WHERE kind = ?1 {live} {column_filter}");
    let mut stmt = ledger.conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params![kind, value], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, String>(2)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (id, received, imported_at) = row?;
        let day = super::admin::received_day(received, &imported_at);
        // A value gongyu did not write is left out rather than guessed.
        if let Ok(day) = day.parse::<NaiveDate>() {
            out.insert(id, day);
        }
    }
    Ok(out)
}

impl Ledger {
    /// The first day a live roster of `kind` (`schools`, `communities`, `bodies` for the
    /// term; `key-students` for its school year) was received, or `None` if none is in.
    /// A roster that replaced an earlier one does not move the day: the return was in.
    pub fn roster_received(&self, kind: &str, term: Term) -> Result<Option<NaiveDate>> {
        let period = match crate::returns::KindSpec::named(kind).map(|k| k.period) {
            Some(crate::returns::Period::SchoolYear) => ("school_year", term.school_year()),
            _ => ("term", term.to_string()),
        };
        Ok(batch_days(self, kind, Some(period), true)?.into_values().min())
    }

    /// Per township (as the filings give it) and category, the first day a live batch
    /// holding a filing of `term`'s school year, filed by `until`, was received.
    pub fn registry_received(&self, term: Term, until: NaiveDate) -> Result<HashMap<(String, String), NaiveDate>> {
        let mut stmt = self.conn.prepare(
            "SELECT r.township, r.category, b.received, b.imported_at FROM registry r JOIN batch b ON b.id = r.batch_id
             WHERE b.reverted_at IS NULL AND r.school_year = ?1 AND r.filed <= ?2",
        )?;
        let rows = stmt.query_map(params![term.start_year(), crate::plan::term::day_key(until)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, String>(3)?))
        })?;
        let mut first: HashMap<(String, String), NaiveDate> = HashMap::new();
        for row in rows {
            let (township, category, received, imported_at) = row?;
            if let Ok(day) = super::admin::received_day(received, &imported_at).parse::<NaiveDate>() {
                first.entry((township, category)).and_modify(|d| *d = (*d).min(day)).or_insert(day);
            }
        }
        Ok(first)
    }

    /// Per unit (by its key), the first day a live batch holding an activity it hosted,
    /// dated in `term`, was received.
    pub fn activities_received(&self, term: Term) -> Result<HashMap<i64, NaiveDate>> {
        // Reverted batches too: an import's generation is numbered by its first batch,
        // which may be reverted while another of its files is not.
        let days = batch_days(self, crate::returns::kinds::activities::KIND_NAME, None, false)?;
        let mut first: HashMap<i64, NaiveDate> = HashMap::new();
        let mut note = |host: i64, batch: i64| {
            if let Some(day) = days.get(&batch) {
                first.entry(host).and_modify(|d| *d = (*d).min(*day)).or_insert(*day);
            }
        };
        // An import's monthly counts are its own generation, numbered by its first batch;
        // every batch of an import was received the same day. The rows are read as they
        // lie, not grouped: a GROUP BY sorts them all first (four times as slow on a
        // district's 600,000 rows).
        // Rows that count something (counts of nothing are the empty blob).
        let months = (month_key(term.first_day()), month_key(term.last_day()));
        // The term's months of each generation, one range each (not a scan of every month).
        let mut stmt = self.conn.prepare(&format!(
            "{} SELECT t.gen, t.host_id FROM g CROSS JOIN activity_tally t ON t.gen = g.gen AND t.month BETWEEN ?1 AND ?2
             WHERE t.gen > 0 AND t.counts <> x''",
            super::write::tally::TALLY_GENERATIONS_SQL
        ))?;
        for row in stmt.query_map(params![months.0, months.1], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
            let (gen, host) = row?;
            note(host, gen);
        }
        // Generation 0 holds the counts of imports made before schema version 7: their
        // batches are found from the activities themselves.
        let old: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM activity_tally WHERE gen = 0 AND month BETWEEN ?1 AND ?2)",
            params![months.0, months.1],
            |r| r.get(0),
        )?;
        if old {
            let mut stmt = self.conn.prepare(
                "SELECT DISTINCT host_id, batch_id FROM activity
                 WHERE term = ?1 AND batch_id < coalesce((SELECT min(gen) FROM activity_tally WHERE gen > 0), 1 << 62)",
            )?;
            for row in stmt.query_map([term_key(term)], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
                let (host, batch) = row?;
                note(host, batch);
            }
        }
        Ok(first)
    }
}
