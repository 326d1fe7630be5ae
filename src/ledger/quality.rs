//! What `gongyu quality` reads (SPEC §15): the units of a term's rosters as compact
//! arrays, one streaming pass over the activity rows of a term and the one before, the
//! township counts of the term tally, the evidence of each finding, and the reviews.

use std::collections::HashMap;

use anyhow::{bail, Result};
use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::raw::Raw;
use super::Ledger;
use crate::plan::term::term_key;
use crate::plan::{SchoolGroup, Term};
use crate::quality::shown::{Evidence, Review};
use crate::quality::{host_group, Row, Units};

/// `YYYY-MM-DD` as YYYYMMDD (0 if not a date).
fn day_number(s: Option<&str>) -> u32 {
    s.and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()).map_or(0, |d| crate::plan::term::day_key(d) as u32)
}

impl Ledger {
    /// The units on the rosters `term` uses (schools, communities, bodies): group,
    /// parent-school founding day and township, indexed by unit id.
    pub fn quality_units(&self, term: Term) -> Result<Units> {
        let mut names: HashMap<String, String> = HashMap::new();
        let mut stmt = self.conn.prepare("SELECT code, name FROM township")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            names.insert(r.get(0)?, r.get(1)?);
        }
        let mut spelt: HashMap<String, String> = HashMap::new();
        let mut stmt = self.conn.prepare("SELECT name, code FROM township_spelling")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            spelt.insert(r.get(0)?, r.get(1)?);
        }
        let mut u = Units::default();
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut township = |u: &mut Units, given: Option<&str>| -> u32 {
            let Some(given) = given.map(str::trim).filter(|g| !g.is_empty()) else { return u32::MAX };
            let code = if names.contains_key(given) { given.to_string() } else { spelt.get(given).cloned().unwrap_or_default() };
            let key = if code.is_empty() { given.to_string() } else { code.clone() };
            if let Some(i) = index.get(&key) {
                return *i;
            }
            let name = names.get(&key).cloned().unwrap_or_else(|| given.to_string());
            u.townships.push((key.clone(), name));
            let i = (u.townships.len() - 1) as u32;
            index.insert(key, i);
            i
        };
        let put = |u: &mut Units, id: i64, group: u8, since: u32, town: u32| {
            let Ok(i) = usize::try_from(id) else { return };
            if i >= u.group.len() {
                u.group.resize(i + 1, host_group::NONE);
                u.since.resize(i + 1, 0);
                u.township.resize(i + 1, u32::MAX);
            }
            (u.group[i], u.since[i], u.township[i]) = (group, since, town);
        };
        let rosters = [
            (
                crate::returns::kinds::bodies::KIND_NAME,
                "SELECT unit_id, 'body', township, NULL, since FROM body WHERE batch_id = ?1",
            ),
            (
                crate::returns::kinds::schools::KIND_NAME,
                "SELECT unit_id, school_group, township, NULL, parent_school_since FROM school WHERE batch_id = ?1",
            ),
            (
                crate::returns::kinds::communities::KIND_NAME,
                "SELECT unit_id, area, township_code, township_name, parent_school_since FROM community WHERE batch_id = ?1",
            ),
        ];
        for (kind, sql) in rosters {
            let Some((batch, _)) = self.roster_for(kind, term)? else { continue };
            let mut rows = Raw::new(&self.conn, sql, &[batch])?;
            while rows.next()? {
                let group = match rows.text(1)?.unwrap_or("") {
                    "body" => host_group::BODY,
                    "urban" => host_group::URBAN_COMMUNITY,
                    "rural" => host_group::RURAL_COMMUNITY,
                    g => match SchoolGroup::from_str_exact(g) {
                        Some(SchoolGroup::Kindergarten) => host_group::KINDERGARTEN,
                        Some(SchoolGroup::Vocational) => host_group::VOCATIONAL,
                        _ => host_group::PRIMARY_SECONDARY,
                    },
                };
                let town = match rows.text(2)? {
                    Some(t) if !t.trim().is_empty() => township(&mut u, Some(t)),
                    _ => township(&mut u, rows.text(3)?),
                };
                let since = day_number(rows.text(4)?);
                put(&mut u, rows.int(0), group, since, town);
            }
        }
        Ok(u)
    }

    /// Whether any activity is dated in `term` (by the term tally).
    pub fn term_has_activities(&self, term: Term) -> Result<bool> {
        Ok(self.conn.query_row("SELECT EXISTS (SELECT 1 FROM term_tally WHERE term = ?1)", [term_key(term)], |r| r.get(0))?)
    }

    /// Every activity dated in `term` (`each(row, true)`) or, with `previous`, in the term
    /// before (`each(row, false)`), in one scan; titles are hashed as they stream.
    pub fn quality_rows(&self, term: Term, previous: bool, each: &mut dyn FnMut(&Row, bool) -> Result<()>) -> Result<()> {
        let (key, prev) = (term_key(term), if previous { term_key(term.previous()) } else { term_key(term) });
        let mut rows = Raw::new(
            &self.conn,
            "SELECT id, batch_id, host_id, day, term, kind, title, participants, student IS NOT NULL
             FROM activity WHERE term = ?1 OR term = ?2",
            &[key, prev],
        )?;
        while rows.next()? {
            let kind = super::counts::kind_of(rows.text(5)?.unwrap_or(""))?;
            let participants = (!rows.is_null(7)).then(|| rows.int(7));
            let row = Row {
                id: rows.int(0),
                batch: rows.int(1),
                host: rows.int(2),
                day: rows.int(3),
                kind,
                title: rows.text(6)?.map_or(0, crate::quality::title_hash),
                participants,
                student: rows.int(8) != 0,
            };
            each(&row, rows.int(4) == key)?;
        }
        Ok(())
    }

    /// Activities per term and host, for the terms up to `term` (the term tally).
    pub fn term_host_counts(&self, term: Term, each: &mut dyn FnMut(i64, i64, u64)) -> Result<()> {
        let mut rows = Raw::new(&self.conn, "SELECT term, host_id, counts FROM term_tally WHERE term <= ?1", &[term_key(term)])?;
        while rows.next()? {
            let counts = super::counts::decode(rows.value(2).map_or(&[][..], |(_, b)| b))?;
            each(rows.int(0), rows.int(1), counts.iter().sum());
        }
        Ok(())
    }

    /// An activity row with its batch's file.
    pub fn evidence(&self, row: i64) -> Result<Option<Evidence>> {
        Ok(self
            .conn
            .query_row(
                "SELECT a.host_id, a.day, a.kind, a.title, a.participants, a.batch_id, a.line, b.file_name
                 FROM activity a JOIN batch b ON b.id = a.batch_id WHERE a.id = ?1",
                [row],
                |r| {
                    Ok(Evidence {
                        host: r.get(0)?,
                        day: r.get(1)?,
                        kind: r.get(2)?,
                        title: r.get(3)?,
                        participants: r.get(4)?,
                        batch: r.get(5)?,
                        line: r.get(6)?,
                        file: r.get(7)?,
                    })
                },
            )
            .optional()?)
    }

    /// A unit's code, and its name on the rosters `term` uses (if it is on one).
    pub fn unit_code_and_name(&self, term: Term, unit: i64) -> Result<(String, Option<String>)> {
        let code: String = self.conn.query_row("SELECT code FROM unit WHERE id = ?1", [unit], |r| r.get(0))?;
        for (kind, sql) in [
            (crate::returns::kinds::schools::KIND_NAME, "SELECT name FROM school WHERE batch_id = ?1 AND unit_id = ?2"),
            (crate::returns::kinds::communities::KIND_NAME, "SELECT name FROM community WHERE batch_id = ?1 AND unit_id = ?2"),
            (crate::returns::kinds::bodies::KIND_NAME, "SELECT name FROM body WHERE batch_id = ?1 AND unit_id = ?2"),
        ] {
            let Some((batch, _)) = self.roster_for(kind, term)? else { continue };
            if let Some(name) = self.conn.query_row(sql, params![batch, unit], |r| r.get(0)).optional()? {
                return Ok((code, Some(name)));
            }
        }
        Ok((code, None))
    }

    /// The latest review event of each finding of `term`.
    pub fn quality_reviews(&self, term: Term) -> Result<HashMap<String, Review>> {
        let mut stmt = self.conn.prepare(
            "SELECT q.finding, q.action, q.note, q.at, q.os_user FROM quality_review q
             WHERE q.term = ?1 AND q.id = (SELECT max(id) FROM quality_review x WHERE x.finding = q.finding AND x.term = q.term)",
        )?;
        let rows = stmt.query_map([term.to_string()], |r| {
            Ok(Review { finding: r.get(0)?, action: r.get(1)?, note: r.get(2)?, at: r.get(3)?, by: r.get(4)? })
        })?;
        let mut out = HashMap::new();
        for r in rows {
            let r = r?;
            out.insert(r.finding.clone(), r);
        }
        Ok(out)
    }

    /// Records a review (or, with `undo`, its undoing) of `finding` in `term`. Undoing a
    /// finding that is not reviewed is refused.
    pub fn review_finding(
        &mut self,
        term: Term,
        finding: &str,
        undo: bool,
        note: Option<&str>,
        user: &str,
        now: &str,
    ) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(super::explain)?;
        let latest: Option<String> = tx
            .query_row(
                "SELECT action FROM quality_review WHERE finding = ?1 AND term = ?2 ORDER BY id DESC LIMIT 1",
                params![finding, term.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let reviewed = latest.as_deref() == Some("review");
        if undo && !reviewed {
            bail!(crate::t!("quality-review-not-reviewed", id = finding));
        }
        let action = if undo { "undo" } else { "review" };
        tx.execute(
            "INSERT INTO quality_review (finding, term, action, note, at, os_user) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![finding, term.to_string(), action, note, now, user],
        )?;
        tx.commit().map_err(super::explain)?;
        Ok(())
    }
}
