//! `check`'s recount of the activities met by the tallies as stored, each read in its key
//! order.

use anyhow::{Context, Result};
use rusqlite::Connection;

use crate::ledger::admin::Finding;
use crate::ledger::counts::{self, Counts};
use crate::plan::ActivityKind;

/// A tally table read in key order, met by a recount in the same order.
pub(super) struct StoredTally<'c> {
    conn: &'c Connection,
    /// The term tally's rows in key order (the monthly tally is read a month at a time).
    stmt: Option<rusqlite::Statement<'c>>,
    period: &'static str,
    /// Units' ids are below this (the monthly sums are kept in a table of this size).
    hosts: usize,
}

impl<'c> StoredTally<'c> {
    /// The term tally, or the monthly tally, whose rows of each (month, host) are summed
    /// over the generations.
    pub(super) fn new(conn: &'c Connection, period: &'static str, hosts: usize) -> Result<StoredTally<'c>> {
        let stmt = match period {
            "term" => Some(conn.prepare("SELECT term, host_id, counts FROM term_tally ORDER BY term, host_id")?),
            _ => None,
        };
        Ok(StoredTally { conn, stmt, period, hosts })
    }

    pub(super) fn rows(&mut self) -> Result<TallyCursor<'_>> {
        let mut source = match &mut self.stmt {
            Some(stmt) => {
                let mut rows = stmt.query([])?;
                let first = read_stored(&mut rows)?;
                Source::Rows(rows, first)
            }
            None => Source::Summed(Box::new(MonthSums {
                conn: self.conn,
                months: tally_months(self.conn)?.into(),
                by_host: vec![[0; ActivityKind::COUNT]; self.hosts],
                others: std::collections::BTreeMap::new(),
                damaged: std::collections::BTreeSet::new(),
                month: 0,
                at: 1,
                hi: 0,
            })),
        };
        let next = source.next()?;
        Ok(TallyCursor { source, next, period: self.period })
    }
}

/// Every month the monthly tally has rows of, in order: a seek per generation and month.
fn tally_months(conn: &Connection) -> Result<Vec<i64>> {
    let mut months = std::collections::BTreeSet::new();
    let mut next_gen = conn.prepare("SELECT min(gen) FROM activity_tally WHERE gen > ?1")?;
    let mut next_month = conn.prepare("SELECT min(month) FROM activity_tally WHERE gen = ?1 AND month > ?2")?;
    let mut gen: Option<i64> = next_gen.query_row([i64::MIN], |r| r.get(0))?;
    while let Some(g) = gen {
        let mut month: Option<i64> = next_month.query_row([g, i64::MIN], |r| r.get(0))?;
        while let Some(m) = month {
            months.insert(m);
            month = next_month.query_row([g, m], |r| r.get(0))?;
        }
        gen = next_gen.query_row([g], |r| r.get(0))?;
    }
    Ok(months.into_iter().collect())
}

/// A tally row: (period, host) and the counts per kind, or `None` where a row's counts
/// cannot be read (a damaged blob, or more kinds than this gongyu knows): a finding, not an
/// error that would stop `check`.
type StoredRow = ((i64, i64), Option<Counts>);

fn read_stored(rows: &mut rusqlite::Rows<'_>) -> Result<Option<StoredRow>> {
    let Some(r) = rows.next()? else { return Ok(None) };
    let counts = r.get_ref(2)?.as_blob().ok().and_then(|b| counts::decode(b).ok());
    Ok(Some(((r.get(0)?, r.get(1)?), counts)))
}

/// Where a cursor's rows come from: the table's own rows, or their sums per (month, host).
enum Source<'s> {
    /// The rows, and the next one.
    Rows(rusqlite::Rows<'s>, Option<StoredRow>),
    Summed(Box<MonthSums<'s>>),
}

impl Source<'_> {
    fn next(&mut self) -> Result<Option<StoredRow>> {
        match self {
            Source::Rows(rows, ahead) => {
                let row = ahead.take();
                *ahead = read_stored(rows)?;
                Ok(row)
            }
            Source::Summed(sums) => sums.next(),
        }
    }
}

/// The monthly tally's rows summed over the generations per (month, host), given out in
/// that order: a month's rows of every generation are added up in a dense table of the
/// units, and a map for ids outside it (a damaged ledger's), which sort before or after.
struct MonthSums<'c> {
    conn: &'c Connection,
    months: std::collections::VecDeque<i64>,
    by_host: Vec<[u32; ActivityKind::COUNT]>,
    others: std::collections::BTreeMap<i64, Counts>,
    /// Hosts of the month with a row whose counts cannot be read.
    damaged: std::collections::BTreeSet<i64>,
    /// The month being given out, and the next and last units of the table to look at.
    month: i64,
    at: usize,
    hi: usize,
}

impl MonthSums<'_> {
    fn next(&mut self) -> Result<Option<StoredRow>> {
        loop {
            if let Some(e) = self.others.first_entry().filter(|e| *e.key() < 0) {
                let (host, c) = e.remove_entry();
                return Ok(Some(((self.month, host), self.readable(host, c))));
            }
            while self.at <= self.hi && self.at < self.by_host.len() {
                let h = self.at;
                self.at += 1;
                let c = std::mem::take(&mut self.by_host[h]);
                if c != [0; ActivityKind::COUNT] || self.damaged.contains(&(h as i64)) {
                    return Ok(Some(((self.month, h as i64), self.readable(h as i64, c.map(u64::from)))));
                }
            }
            if let Some((host, c)) = self.others.pop_first() {
                return Ok(Some(((self.month, host), self.readable(host, c))));
            }
            let Some(month) = self.months.pop_front() else { return Ok(None) };
            (self.month, self.at, self.hi) = (month, usize::MAX, 0);
            self.damaged.clear();
            let sql = format!(
                "{} SELECT t.host_id, t.counts FROM g CROSS JOIN activity_tally t ON t.gen = g.gen AND t.month = ?1",
                crate::ledger::write::tally::TALLY_GENERATIONS_SQL
            );
            let mut rows = crate::ledger::raw::Raw::new(self.conn, &sql, &[month])?;
            while rows.next()? {
                let host = rows.int(0);
                let counts = match counts::decode(rows.value(1).map_or(&[][..], |(_, b)| b)) {
                    Ok(c) => c,
                    Err(_) => {
                        self.damaged.insert(host);
                        [0; ActivityKind::COUNT]
                    }
                };
                match usize::try_from(host).ok().filter(|&h| h < self.by_host.len()) {
                    Some(h) => {
                        (self.at, self.hi) = (self.at.min(h), self.hi.max(h));
                        for (s, n) in self.by_host[h].iter_mut().zip(counts) {
                            *s = u32::try_from(u64::from(*s) + n).with_context(|| crate::t!("ledger-tally-too-many-in-month"))?;
                        }
                    }
                    None => {
                        let slot = self.others.entry(host).or_default();
                        for (s, n) in slot.iter_mut().zip(counts) {
                            *s = s.saturating_add(n);
                        }
                    }
                }
            }
        }
    }
}

impl MonthSums<'_> {
    /// A host's sums, unless one of its rows of the month could not be read.
    fn readable(&self, host: i64, c: Counts) -> Option<Counts> {
        (!self.damaged.contains(&host)).then_some(c)
    }
}

pub(super) struct TallyCursor<'s> {
    source: Source<'s>,
    next: Option<StoredRow>,
    period: &'static str,
}

impl TallyCursor<'_> {
    fn differ(&self, out: &mut Finding, (period, host): (i64, i64), c: Counts, t: Option<Counts>) {
        let Some(t) = t else {
            out.note(|| match self.period {
                "term" => crate::t!("ledger-check-tally-term-unreadable", term = period, host = host),
                _ => crate::t!("ledger-check-tally-month-unreadable", month = period, host = host),
            });
            return;
        };
        if c != t {
            let counts = |n: Counts| counts::words(&n);
            out.note(|| match self.period {
                "term" => crate::t!("ledger-check-tally-term", term = period, host = host, counted = counts(c), told = counts(t)),
                _ => crate::t!("ledger-check-tally-month", month = period, host = host, counted = counts(c), told = counts(t)),
            });
        }
    }

    /// The recount of `key` (keys come in order): stored rows before it were not recounted.
    pub(super) fn meet(&mut self, key: (i64, i64), counts: Counts, out: &mut Finding) -> Result<()> {
        while let Some((k, t)) = self.next.filter(|(k, _)| *k < key) {
            self.differ(out, k, [0; ActivityKind::COUNT], t);
            self.next = self.source.next()?;
        }
        match self.next {
            Some((k, t)) if k == key => {
                self.differ(out, key, counts, t);
                self.next = self.source.next()?;
            }
            _ => self.differ(out, key, counts, Some([0; ActivityKind::COUNT])),
        }
        Ok(())
    }

    /// Stored rows after the last recounted key.
    pub(super) fn rest(&mut self, out: &mut Finding) -> Result<()> {
        while let Some((k, t)) = self.next {
            self.differ(out, k, [0; ActivityKind::COUNT], t);
            self.next = self.source.next()?;
        }
        Ok(())
    }
}
