//! Reading what a report needs, in one read transaction (a consistent snapshot that
//! never waits for an import: WAL readers see the last committed state).

use std::collections::HashMap;

use anyhow::{Context, Result};
use rusqlite::{params, OptionalExtension};

use super::Ledger;
use crate::plan::term::term_key;
use crate::plan::{Area, SchoolGroup, Term};

/// A school of the roster a report uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolUnit {
    pub code: String,
    pub name: String,
    pub group: SchoolGroup,
    /// As the roster gives it: a township name or code.
    pub township: String,
    pub parent_school: bool,
}

/// A community of the roster a report uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityUnit {
    pub code: String,
    pub name: String,
    pub township_name: Option<String>,
    pub township_code: Option<String>,
    pub area: Area,
    pub parent_school: bool,
}

/// How many activities of each kind a unit held in the term.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActivityTally {
    pub guidance: u64,
    pub practice: u64,
    pub parent_meetings: u64,
    pub home_visits: u64,
}

/// Everything a coverage report for one term reads from the ledger.
#[derive(Debug, Clone, Default)]
pub struct LedgerSnapshot {
    /// The term of the schools roster used (the latest at or before the report's term).
    pub schools_roster: Option<Term>,
    pub communities_roster: Option<Term>,
    pub schools: Vec<SchoolUnit>,
    pub communities: Vec<CommunityUnit>,
    /// Township code → name, from every community roster imported (the latest name).
    pub townships: Vec<(String, String)>,
    /// Every township name a community roster has used → its code.
    pub township_names: Vec<(String, String)>,
    /// Unit code → its activities in the term.
    pub activity: HashMap<String, ActivityTally>,
    /// All activities dated in the term, whoever held them.
    pub activities_in_term: u64,
}

impl Ledger {
    /// The latest live roster of `kind` whose term is `term` or earlier.
    fn roster_for(&self, kind: &str, term: Term) -> Result<Option<(i64, Term)>> {
        let row: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT id, term FROM batch WHERE kind = ?1 AND reverted_at IS NULL AND term <= ?2
                 ORDER BY term DESC, id DESC LIMIT 1",
                params![kind, term.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(id, t)| Ok((id, t.parse::<Term>().with_context(|| format!("batch {id} has a bad term {t}"))?))).transpose()
    }

    /// Reads the units, townships and activity counts a report for `term` needs.
    pub fn snapshot(&self, term: Term) -> Result<LedgerSnapshot> {
        let tx = self.conn.unchecked_transaction().context("starting a read of the ledger")?;
        let snap = self.snapshot_inner(term).context("reading the ledger")?;
        tx.finish()?;
        Ok(snap)
    }

    fn snapshot_inner(&self, term: Term) -> Result<LedgerSnapshot> {
        let mut snap = LedgerSnapshot::default();
        if let Some((batch, t)) = self.roster_for("schools", term)? {
            snap.schools_roster = Some(t);
            let mut stmt = self.conn.prepare(
                "SELECT u.code, s.name, s.school_group, s.township, s.parent_school
                 FROM school s JOIN unit u ON u.id = s.unit_id WHERE s.batch_id = ?1",
            )?;
            let rows = stmt.query_map([batch], |r| {
                let group: String = r.get(2)?;
                Ok(SchoolUnit {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    group: SchoolGroup::from_str_exact(&group).unwrap_or(SchoolGroup::PrimarySecondary),
                    township: r.get(3)?,
                    parent_school: r.get(4)?,
                })
            })?;
            snap.schools = rows.collect::<rusqlite::Result<_>>()?;
        }
        if let Some((batch, t)) = self.roster_for("communities", term)? {
            snap.communities_roster = Some(t);
            let mut stmt = self.conn.prepare(
                "SELECT u.code, c.name, c.township_name, c.township_code, c.area, c.parent_school
                 FROM community c JOIN unit u ON u.id = c.unit_id WHERE c.batch_id = ?1",
            )?;
            let rows = stmt.query_map([batch], |r| {
                let area: String = r.get(4)?;
                Ok(CommunityUnit {
                    code: r.get(0)?,
                    name: r.get(1)?,
                    township_name: r.get(2)?,
                    township_code: r.get(3)?,
                    area: if area == "urban" { Area::Urban } else { Area::Rural },
                    parent_school: r.get(5)?,
                })
            })?;
            snap.communities = rows.collect::<rusqlite::Result<_>>()?;
        }
        let mut stmt = self.conn.prepare("SELECT code, name FROM township ORDER BY code")?;
        snap.townships = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare("SELECT name, code FROM township_spelling ORDER BY name")?;
        snap.township_names = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;

        let mut stmt = self
            .conn
            .prepare("SELECT u.code, t.kind, t.n FROM activity_tally t JOIN unit u ON u.id = t.host_id WHERE t.term = ?1")?;
        let mut rows = stmt.query([term_key(term)])?;
        while let Some(r) = rows.next()? {
            let code: String = r.get(0)?;
            let kind: String = r.get(1)?;
            let n: i64 = r.get(2)?;
            let tally = snap.activity.entry(code).or_default();
            let n = n as u64;
            snap.activities_in_term += n;
            match kind.as_str() {
                "guidance" => tally.guidance += n,
                "practice" => tally.practice += n,
                "parent-meeting" => tally.parent_meetings += n,
                _ => tally.home_visits += n,
            }
        }
        Ok(snap)
    }
}
