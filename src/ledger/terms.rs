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
pub(crate) fn closed_terms(conn: &Connection) -> Result<Vec<Closed>> {
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
            term: term.parse().with_context(|| crate::t!("ledger-closed-term-bad", term = term.as_str()))?,
            at,
            by,
        });
    }
    Ok(out)
}

/// What an import or a revert changes, for checking it against closed terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Touch {
    /// A roster batch of `kind` for `term` (written or undone).
    Roster { kind: String, term: Term, batch: i64 },
    /// A key-students roster of the school year that starts in `start_year`.
    SchoolYear { start_year: i32 },
    /// Activities or registry filings, the earliest dated `from`; `what` names them for
    /// people (e.g. `activities dated in 2020-12`).
    Dated { what: String, from: chrono::NaiveDate },
}

/// The first closed term whose report `touch` could change, with words for the refusal.
///
/// A roster changes T when it is the roster T uses (the latest live one of its kind with
/// term ≤ T); key students, when of T's school year; activities and filings, when dated
/// on or before T's last day (every period a report counts ends by then).
pub(crate) fn touched(conn: &Connection, closed: &[Closed], touch: &Touch) -> Result<Option<(Closed, String)>> {
    for c in closed {
        let hit = match touch {
            Touch::Roster { kind, term, batch } => {
                *term <= c.term && {
                    let later: bool = conn.query_row(
                        "SELECT EXISTS (SELECT 1 FROM batch WHERE kind = ?1 AND reverted_at IS NULL AND id <> ?2
                           AND term <= ?4 AND (term > ?3 OR (term = ?3 AND id > ?2)))",
                        params![kind, batch, term.to_string(), c.term.to_string()],
                        |r| r.get(0),
                    )?;
                    !later
                }
            }
            Touch::SchoolYear { start_year } => *start_year == c.term.start_year(),
            Touch::Dated { from, .. } => *from <= c.term.last_day(),
        };
        if hit {
            let what = match touch {
                Touch::Roster { kind, term, .. } => crate::t!(
                    "ledger-touch-roster",
                    kind = crate::returns::kinds::kind_title(kind, crate::messages::lang()),
                    term = term.to_string()
                ),
                Touch::SchoolYear { start_year } => {
                    crate::t!("ledger-touch-key-students", year = crate::returns::kinds::school_year_text(*start_year))
                }
                Touch::Dated { what, .. } => crate::t!("ledger-touch-dated", what = what.as_str()),
            };
            return Ok(Some((c.clone(), what)));
        }
    }
    Ok(None)
}

/// The refusal for a change to a closed term: names the term in its canonical spelling and
/// says how to reopen it.
pub(crate) fn refusal(closed: &Closed, what: &str, doing: &str) -> anyhow::Error {
    anyhow::anyhow!(crate::t!(
        "ledger-closed-refusal",
        term = closed.term.to_string(),
        by = closed.by.as_str(),
        at = crate::ambient::local_time(&closed.at),
        doing = doing,
        what = what
    ))
}

impl Ledger {
    fn term_event(&mut self, term: Term, action: &str, user: &str, now: &str, note: Option<&str>) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(super::explain)?;
        let closed = closed_terms(&tx)?.into_iter().any(|c| c.term == term);
        match (action, closed) {
            ("close", true) => bail!(crate::t!("ledger-term-already-closed", term = term.to_string())),
            ("reopen", false) => bail!(crate::t!("ledger-term-not-closed", term = term.to_string())),
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
            bail!(crate::t!("ledger-reopen-needs-reason"));
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
