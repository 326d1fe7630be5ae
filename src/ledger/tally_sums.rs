//! The SQL that sums the activity tallies for a report: a window's activities per host and
//! kind, from the tallies' rows (counts per kind as `ledger::counts` blobs) and, for days
//! of a month a window covers only in part, from the activities themselves. No kind is
//! named: each count lands at its kind's position in the kinds table.

use anyhow::Result;

use super::counts;
use super::raw::Raw;
use super::Ledger;
use crate::facts::HostCounts;
use crate::plan::ActivityKind;

impl Ledger {
    /// Adds the rows of `table` (a tally keyed by `period`, then host; the monthly tally by
    /// generation first) whose period is in one of `ranges` to that range's window's
    /// counts, in one scan (of each generation).
    pub(super) fn add_tally_rows(
        &self,
        table: &str,
        period: &str,
        ranges: &[(usize, (i64, i64))],
        counts: &mut [HostCounts],
    ) -> Result<()> {
        let (Some(lo), Some(hi)) = (ranges.iter().map(|(_, (lo, _))| *lo).min(), ranges.iter().map(|(_, (_, hi))| *hi).max())
        else {
            return Ok(());
        };
        // One range (a report's usual whole term) needs no period read per row.
        let one = ranges.len() == 1;
        let period_column = if one { String::new() } else { format!(", t.{period}") };
        let columns = format!("t.host_id, t.counts{period_column}");
        let sql = if table == "activity_tally" {
            // Each generation's range of months.
            format!(
                "{} SELECT {columns} FROM g CROSS JOIN activity_tally t ON t.gen = g.gen AND t.month BETWEEN ?1 AND ?2",
                super::write::tally::TALLY_GENERATIONS_SQL
            )
        } else {
            format!("SELECT {columns} FROM {table} t WHERE t.{period} BETWEEN ?1 AND ?2")
        };
        let mut rows = Raw::new(&self.conn, &sql, &[lo, hi])?;
        while rows.next()? {
            let host = rows.int(0);
            let mut all = [0; ActivityKind::COUNT];
            counts::add_into(rows.value(1).map_or(&[][..], |(_, b)| b), &mut all)?;
            if one {
                counts[ranges[0].0].add_all(host, &all);
                continue;
            }
            let key = rows.int(2);
            for (i, (a, b)) in ranges {
                if *a <= key && key <= *b {
                    counts[*i].add_all(host, &all);
                }
            }
        }
        Ok(())
    }

    /// Adds the activities dated from `from` to `to` (YYYYMMDD, both included) to `counts`:
    /// a scan of the activities, for the days of a month a window covers only in part.
    pub(super) fn add_activity_days(&self, (from, to): (i64, i64), counts: &mut HostCounts) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT host_id, kind, count(*) FROM activity WHERE day BETWEEN ?1 AND ?2 GROUP BY host_id, kind")?;
        let mut rows = stmt.query([from, to])?;
        while let Some(r) = rows.next()? {
            counts.add(r.get(0)?, counts::kind_of(r.get_ref(1)?.as_str()?)?, r.get::<_, i64>(2)? as u64);
        }
        Ok(())
    }
}
