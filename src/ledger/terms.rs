//! Closed terms (SPEC §12): once an inspector has reported a term upward, `term close`
//! locks it: an import or revert that could change its report is refused until
//! `term reopen` (with a reason, kept in the log).

use anyhow::{bail, Context, Result};
use rusqlite::{params, Connection, TransactionBehavior};

use super::Ledger;
use crate::plan::Term;

/// One close or reopen of a term.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TermEvent {
    pub id: i64,
    pub term: String,
    /// `close` or `reopen`.
    pub action: String,
    pub at: String,
    pub by: String,
    /// The note of a close, the reason of a reopen.
    pub note: Option<String>,
}

/// A closed term: when and by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub term: Term,
    pub at: String,
    pub by: String,
}

/// The terms whose latest event is a close.
pub fn closed_terms(conn: &Connection) -> Result<Vec<Closed>> {
    let mut stmt = conn.prepare(
        "SELECT e.term, e.at, e.os_user FROM term_event e
         WHERE e.action = 'close' AND e.id = (SELECT max(id) FROM term_event x WHERE x.term = e.term)
         ORDER BY e.term",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (term, at, by) = row?;
        out.push(Closed {
            term: term.parse().with_context(|| format!("a closed term in the ledger is not a term: {term}"))?,
            at,
            by,
        });
    }
    Ok(out)
}

/// What an import or a revert would touch, for checking it against closed terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touches {
    /// A roster of this term, of a kind whose latest roster for a closed term T is this one
    /// when `current_for(T)` says so.
    Roster { kind_term: Term },
    /// Key students of the school year starting in this year.
    SchoolYear { start_year: i32 },
    /// Activities or filings dated on or after this day (the earliest).
    DatedFrom(chrono::NaiveDate),
}

/// The refusal for a change to a closed term: names the term in its canonical spelling and
/// says how to reopen it.
pub fn refusal(closed: &Closed, what: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "term {} is closed (by {} at {}); {what} would change its report, so nothing was written. \
         If the change is right, reopen the term first: gongyu term reopen {} --reason \"…\"",
        closed.term,
        closed.by,
        closed.at,
        closed.term
    )
}

impl Ledger {
    fn term_event(&mut self, term: Term, action: &str, user: &str, now: &str, note: Option<&str>) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(super::explain)?;
        let closed = closed_terms(&tx)?.into_iter().any(|c| c.term == term);
        match (action, closed) {
            ("close", true) => bail!("term {term} is already closed; `gongyu term list` shows when and by whom"),
            ("reopen", false) => bail!("term {term} is not closed; nothing to reopen"),
            _ => {}
        }
        tx.execute(
            "INSERT INTO term_event (term, action, at, os_user, note) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![term.to_string(), action, now, user, note],
        )?;
        tx.commit().map_err(super::explain)?;
        Ok(())
    }

    /// Closes a term: its report can no longer change.
    pub fn close_term(&mut self, term: Term, user: &str, now: &str, note: Option<&str>) -> Result<()> {
        self.term_event(term, "close", user, now, note)
    }

    /// Reopens a closed term; the reason is kept.
    pub fn reopen_term(&mut self, term: Term, user: &str, now: &str, reason: &str) -> Result<()> {
        if reason.trim().is_empty() {
            bail!("reopening a term needs a reason (--reason \"…\"); it is kept in the ledger's log");
        }
        self.term_event(term, "reopen", user, now, Some(reason))
    }

    /// Every close and reopen, oldest first.
    pub fn term_events(&self) -> Result<Vec<TermEvent>> {
        let mut stmt = self.conn.prepare("SELECT id, term, action, at, os_user, note FROM term_event ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(TermEvent { id: r.get(0)?, term: r.get(1)?, action: r.get(2)?, at: r.get(3)?, by: r.get(4)?, note: r.get(5)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The closed terms, for reports to say so.
    pub fn closed_terms(&self) -> Result<Vec<Closed>> {
        closed_terms(&self.conn)
    }
}
