//! Activities a new roster leaves without a host (issue 22, item 8): a roster that drops
//! a unit hosting activities in the terms it governs makes those activities count in no
//! report — the same situation `revert` refuses — so the import says so.

use anyhow::Result;
use rusqlite::{params, OptionalExtension};

use super::ImportTx;
use crate::plan::term::term_key;
use crate::plan::Term;
use crate::returns::ReturnKind;

/// How many of the units left out a warning names.
pub(super) const NAMED: usize = 5;

/// The activities a roster leaves without a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The roster in use for the term before this one: the one it replaces, or an
    /// earlier term's roster carried over.
    pub previous: i64,
    pub previous_term: String,
    /// The first term after the roster's own that has a roster of its kind (the
    /// activities counted are dated before it).
    pub until: Option<String>,
    pub activities: u64,
    pub units: u64,
    /// The first units by code (at most [`NAMED`]): code and name, as the previous roster
    /// gave them.
    pub named: Vec<(String, String)>,
}

/// The roster table of a kind of roster that hosts activities.
fn table(kind: ReturnKind) -> Option<&'static str> {
    let spec = kind.spec();
    spec.host.map(|_| spec.table)
}

impl ImportTx<'_> {
    /// The activities dated in the terms roster `batch` (of `kind`, for `term`) governs —
    /// from `term` up to the next roster of its kind — whose hosts were on the roster in
    /// use for `term` before it and are not on it. `None` if there are none. Counted from
    /// the term tally (a row per term and host), not by reading the activities.
    pub fn activities_left_out(&self, batch: i64, kind: ReturnKind, term: Term) -> Result<Option<LeftOut>> {
        let Some(table) = table(kind) else { return Ok(None) };
        let t = term.to_string();
        // The roster in use before: the term's own (replaced), else an earlier term's.
        let previous: Option<(i64, String)> = self
            .tx
            .query_row(
                "SELECT id, term FROM batch WHERE kind = ?1 AND term <= ?2 AND reverted_at IS NULL AND id <> ?3
                 ORDER BY term DESC, id DESC LIMIT 1",
                params![kind.as_str(), t, batch],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((previous, previous_term)) = previous else { return Ok(None) };
        let until: Option<String> = self.tx.query_row(
            "SELECT min(term) FROM batch WHERE kind = ?1 AND term > ?2 AND reverted_at IS NULL",
            params![kind.as_str(), t],
            |r| r.get(0),
        )?;
        // The terms it governs that activities are dated in: from its own up to the next
        // roster's (or the last term of the tally), each looked up by the tally's key.
        let last: Option<i64> = self.tx.query_row("SELECT max(term) FROM term_tally", [], |r| r.get(0))?;
        let until_key = until.as_deref().and_then(|u| u.parse::<Term>().ok()).map(term_key);
        let mut terms = Vec::new();
        let mut at = term;
        while last.is_some_and(|l| term_key(at) <= l) && until_key.is_none_or(|u| term_key(at) < u) {
            terms.push(term_key(at));
            at = at.next();
        }
        if terms.is_empty() {
            return Ok(None);
        }
        // The units the previous roster lists and this one does not (a seek per unit of
        // the previous roster), then their activities in those terms (a seek per term):
        // not a walk of every host's tally.
        let placeholders = vec!["?"; terms.len()].join(", ");
        let sql = format!(
            "WITH dropped AS (SELECT o.unit_id, o.name FROM {table} o WHERE o.batch_id = ?1
                 AND NOT EXISTS (SELECT 1 FROM {table} n WHERE n.batch_id = ?2 AND n.unit_id = o.unit_id))
             SELECT u.code, d.name, sum(counts_total(t.counts))
             FROM dropped d JOIN term_tally t ON t.host_id = d.unit_id AND t.term IN ({placeholders})
             JOIN unit u ON u.id = d.unit_id
             GROUP BY d.unit_id ORDER BY u.code"
        );
        let mut stmt = self.tx.prepare(&sql)?;
        let mut args: Vec<i64> = vec![previous, batch];
        args.extend(&terms);
        let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
        let (mut activities, mut units, mut named) = (0u64, 0u64, Vec::new());
        while let Some(r) = rows.next()? {
            let n: i64 = r.get(2)?;
            if n <= 0 {
                continue;
            }
            activities += n as u64;
            units += 1;
            if named.len() < NAMED {
                named.push((r.get(0)?, r.get(1)?));
            }
        }
        Ok((activities > 0).then_some(LeftOut { previous, previous_term, until, activities, units, named }))
    }
}
