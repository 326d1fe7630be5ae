//! One pass over a term's activity rows (and the previous term's, for `copied-term`),
//! feeding every check at once: head counts per host group, and three spills of 16-byte
//! keys sorted on disk (by host and day; by day, kind and title; by host and twin).
//! Nothing is allocated per row, and nothing indexed by host is touched per row: rows come
//! in any order, so a per-host counter was a cache miss per row (80 % of a national scan);
//! each host's counts are taken from the host-sorted keys instead, host after host.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use anyhow::{bail, Context, Result};
use chrono::{Datelike, NaiveDate};

use super::duplicates::{self, Seen};
use super::outliers::Counts;
use super::spill::{Spill, CHUNK};
use super::{copied, founding, heaping, host_group, kind_index, timing};
use super::{Code, Finding, Key, Reason, Row, Thresholds, Units};
use crate::plan::term::day_key;
use crate::plan::ActivityKind;
use crate::plan::Term;

/// What the scan counts of a host in the term, from its sorted keys.
#[derive(Debug, Clone, Copy, Default)]
struct HostTally {
    total: u32,
    /// Head counts of 10 or more, and of those the ones ending in 0 or 5.
    counted: u32,
    heaped: u32,
    last_week: u32,
    /// The first row in the last week (evidence of `deadline-bunching`).
    last_week_row: u32,
    before: u32,
    before_row: u32,
    before_day: u32,
}

const MASK24: u128 = (1 << 24) - 1;
const MASK32: u128 = (1 << 32) - 1;

/// The checks of one term, fed row by row.
pub(crate) struct Scan<'u> {
    units: &'u Units,
    th: Thresholds,
    first: NaiveDate,
    /// The first day of each term's year before the term, for [`Scan::offset`].
    base_year: i32,
    /// Per day of the two terms (by year, month and day from `base_year`): 1 + its place in its term.
    places: Vec<u16>,
    last_week_from: i64,
    by_host_day: Spill,
    by_title: Spill,
    twins: Option<Spill>,
    heads: Vec<Counts>,
    /// Every head count with its group and row, for a second look once the medians are known.
    head_rows: BufWriter<File>,
}

/// The smallest values a scan cannot hold, for the error.
fn too_large(what: &str, value: i64) -> anyhow::Error {
    anyhow::anyhow!(crate::t!("quality-too-large", what = what, value = value))
}

impl<'u> Scan<'u> {
    /// A scan of `term`; `with_previous` when the term before has activities to compare.
    pub(crate) fn new(units: &'u Units, th: Thresholds, term: Term, with_previous: bool) -> Result<Scan<'u>> {
        Scan::with_chunk(units, th, term, with_previous, CHUNK)
    }

    /// As [`Scan::new`], spilling runs of `chunk` keys (small in tests, to merge runs).
    pub(crate) fn with_chunk(
        units: &'u Units,
        th: Thresholds,
        term: Term,
        with_previous: bool,
        chunk: usize,
    ) -> Result<Scan<'u>> {
        let last_week_from = day_key(term.last_day() - chrono::Duration::days(timing::LAST_WEEK_DAYS - 1));
        let head_rows = BufWriter::with_capacity(1 << 16, tempfile::tempfile().with_context(|| crate::t!("quality-temp-file"))?);
        let base_year = term.previous().first_day().year();
        let mut places = vec![0u16; 4 * 372];
        for t in [term.previous(), term] {
            let mut d = t.first_day();
            while d <= t.last_day() {
                places[Scan::slot(base_year, d.year(), d.month(), d.day())] = (d - t.first_day()).num_days() as u16 + 1;
                d += chrono::Duration::days(1);
            }
        }
        Ok(Scan {
            units,
            th,
            first: term.first_day(),
            base_year,
            places,
            last_week_from,
            by_host_day: Spill::new(chunk),
            by_title: Spill::new(chunk),
            twins: with_previous.then(|| Spill::new(chunk)),
            heads: vec![Counts::default(); host_group::COUNT * ActivityKind::COUNT],
            head_rows,
        })
    }

    fn slot(base_year: i32, year: i32, month: u32, day: u32) -> usize {
        (year - base_year) as usize * 372 + (month as usize - 1) * 31 + (day as usize - 1)
    }

    /// A day's place in its term (days since the term's first day), by table.
    fn offset(&self, day: i64) -> Result<u128> {
        let (y, m, d) = ((day / 10_000) as i32, (day / 100 % 100) as u32, (day % 100) as u32);
        let place = if (self.base_year..self.base_year + 4).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d) {
            self.places[Scan::slot(self.base_year, y, m, d)]
        } else {
            0
        };
        match place {
            0 => Err(too_large("day", day)),
            p => Ok(u128::from(p - 1)),
        }
    }

    /// Counts one row: of the term (`current`) or of the term before.
    pub(crate) fn row(&mut self, r: &Row, current: bool) -> Result<()> {
        let (Ok(host), Ok(id), Ok(batch)) = (u32::try_from(r.host), u32::try_from(r.id), u32::try_from(r.batch)) else {
            return Err(too_large("row", r.id));
        };
        if u128::from(host) > MASK24 || u128::from(batch) > MASK24 {
            return Err(too_large("unit", r.host.max(r.batch)));
        }
        let off = self.offset(r.day)?;
        let kind = u128::from(kind_index(r.kind));
        let title = r.title;
        if let Some(twins) = self.twins.as_mut() {
            let mut twin = title ^ u64::from(kind_index(r.kind)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            twin ^= (r.participants.unwrap_or(-1) as u64).wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
            let twin = u128::from((twin >> 33) as u32 & 0x7fff_ffff);
            twins.push(u128::from(host) << 96 | twin << 65 | u128::from(current) << 64 | off << 32 | u128::from(id))?;
        }
        if !current {
            return Ok(());
        }
        let title26 = if title == 0 { 0 } else { u128::from((title >> 38) | 1) };
        let (counted, heaped) = r.participants.filter(|p| *p >= 0).map_or((false, false), heaping::classify);
        let flags = u128::from(counted) << 1 | u128::from(heaped);
        self.by_host_day.push(
            u128::from(host) << 96
                | off << 87
                | kind << 84
                | title26 << 58
                | flags << 56
                | u128::from(batch) << 32
                | u128::from(id),
        )?;
        if title != 0 && !(r.student && r.kind == crate::plan::ActivityKind::HomeVisit) {
            // Day, kind and title, then the head count (0: none) within them.
            let title44 = u128::from(title >> 20);
            let heads = u128::from(r.participants.map_or(0, |p| p.clamp(0, 65_534) as u64 + 1));
            self.by_title
                .push(off << 119 | kind << 116 | title44 << 72 | heads << 56 | u128::from(host) << 32 | u128::from(id))?;
        }
        if let Some(p) = r.participants.filter(|p| *p >= 0) {
            let group = self.units.group_of(r.host);
            if group != host_group::NONE {
                let gk = usize::from(group) * ActivityKind::COUNT + kind as usize;
                self.heads[gk].add(p as u64);
                let x = (p as u64).min((1 << 26) - 1);
                self.head_rows.write_all(&((gk as u64) << 58 | x << 32 | u64::from(id)).to_le_bytes())?;
            }
        }
        Ok(())
    }

    /// Every finding of the rows seen (township counts are [`super::consistency`]'s).
    pub(crate) fn finish(self) -> Result<Vec<Finding>> {
        let Scan { th, by_host_day, by_title, twins, heads, head_rows, .. } = self;
        let (units, first, last_week_from) = (self.units, self.first, self.last_week_from);
        let mut found = Vec::new();
        // By host and day: each host's counts (heaping, bunching, founding), bursts, and the
        // same activity in two batches.
        let host_done = |host: i64, t: &HostTally, found: &mut Vec<Finding>| {
            let h = Some(host);
            if let Some(z) = heaping::check(t.counted, t.heaped, &th) {
                let reason = Reason::DigitHeaping { heaped: t.heaped, counted: t.counted, z };
                found.push(Finding { code: Code::DigitHeaping, host: h, township: None, row: None, key: Key::Host, reason });
            }
            if timing::is_bunched(t.last_week, t.total, &th) {
                let reason = Reason::DeadlineBunching { last_week: t.last_week, total: t.total, from: last_week_from };
                let row = Some(i64::from(t.last_week_row));
                found.push(Finding { code: Code::DeadlineBunching, host: h, township: None, row, key: Key::Host, reason });
            }
            if t.before > 0 {
                let since = i64::from(units.since_of(host));
                let reason = Reason::BeforeParentSchool { count: t.before, since, first: i64::from(t.before_day) };
                let row = Some(i64::from(t.before_row));
                found.push(Finding { code: Code::BeforeParentSchool, host: h, township: None, row, key: Key::Host, reason });
            }
        };
        let mut keys = by_host_day.sorted()?;
        let (mut run, mut same): (Vec<u128>, Vec<(u32, u32)>) = (Vec::new(), Vec::new());
        let mut tally = HostTally::default();
        let mut flush = |run: &mut Vec<u128>, tally: &mut HostTally, found: &mut Vec<Finding>| {
            if run.is_empty() {
                return;
            }
            let host = (run[0] >> 96) as i64;
            let day_off = (run[0] >> 87 & 511) as i64;
            let day = day_key(first + chrono::Duration::days(day_off));
            let since = units.since_of(host);
            for k in run.iter() {
                let row = (k & MASK32) as u32;
                tally.total += 1;
                tally.counted += (k >> 57 & 1) as u32;
                tally.heaped += (k >> 56 & 1) as u32;
                if day >= last_week_from {
                    if tally.last_week == 0 {
                        tally.last_week_row = row;
                    }
                    tally.last_week += 1;
                }
                if founding::before(super::kind_at((k >> 84 & 7) as u8), day, since) {
                    if tally.before == 0 {
                        (tally.before_row, tally.before_day) = (row, day as u32);
                    }
                    tally.before += 1;
                }
            }
            if timing::is_burst(run.len() as u32, &th) {
                let row = run.iter().map(|k| (k & MASK32) as i64).min();
                let reason = Reason::Burst { day, count: run.len() as u32 };
                found.push(Finding { code: Code::Burst, host: Some(host), township: None, row, key: Key::HostDay(day), reason });
            }
            // Same kind and title within the host's day (whatever the head counts).
            let mut i = 0;
            while i < run.len() {
                let title = run[i] >> 58 & ((1 << 29) - 1);
                let n = run[i..].iter().take_while(|k| *k >> 58 & ((1 << 29) - 1) == title).count();
                if title & ((1 << 26) - 1) != 0 && n > 1 {
                    same.clear();
                    same.extend(run[i..i + n].iter().map(|k| ((k >> 32 & MASK24) as u32, (k & MASK32) as u32)));
                    if let Some((row, other, rows)) = duplicates::across_batches(&same) {
                        let reason = Reason::DuplicateAcrossBatches { other: i64::from(other), rows };
                        found.push(Finding {
                            code: Code::DuplicateAcrossBatches,
                            host: Some(host),
                            township: None,
                            row: Some(i64::from(row)),
                            key: Key::Row,
                            reason,
                        });
                    }
                }
                i += n;
            }
            run.clear();
        };
        while let Some(k) = keys.next_key()? {
            if let Some(l) = run.last().copied() {
                if l >> 87 != k >> 87 {
                    flush(&mut run, &mut tally, &mut found);
                }
                if l >> 96 != k >> 96 {
                    host_done((l >> 96) as i64, &tally, &mut found);
                    tally = HostTally::default();
                }
            }
            run.push(k);
        }
        if let Some(l) = run.last().copied() {
            flush(&mut run, &mut tally, &mut found);
            host_done((l >> 96) as i64, &tally, &mut found);
        }
        drop(keys);
        // By day, kind and title, then head count: the same activity from two hosts.
        let mut keys = by_title.sorted()?;
        let (mut run, mut same): (Vec<u128>, Vec<Seen>) = (Vec::new(), Vec::new());
        let mut flush = |run: &mut Vec<u128>, found: &mut Vec<Finding>| {
            // The run is sorted by head count, then host: hosts are counted per head count.
            let mut hosts: Vec<u32> = run.iter().map(|k| (k >> 32 & MASK24) as u32).collect();
            hosts.sort_unstable();
            hosts.dedup();
            let title_hosts = hosts.len() as u32;
            if title_hosts > th.duplicate_max_hosts.max(2) {
                run.clear();
                return;
            }
            let mut i = 0;
            while title_hosts >= 2 && i < run.len() {
                let n = run[i..].iter().take_while(|k| *k >> 56 == run[i] >> 56).count();
                same.clear();
                same.extend(run[i..i + n].iter().map(|k| Seen { host: (k >> 32 & MASK24) as u32, row: (k & MASK32) as u32 }));
                for (host, row, other, hosts) in duplicates::across_hosts(&mut same, title_hosts, &th) {
                    let reason = Reason::DuplicateAcrossHosts { other: i64::from(other), hosts };
                    let (host, row) = (Some(i64::from(host)), Some(i64::from(row)));
                    found.push(Finding { code: Code::DuplicateAcrossHosts, host, township: None, row, key: Key::Row, reason });
                }
                i += n;
            }
            run.clear();
        };
        while let Some(k) = keys.next_key()? {
            if run.last().is_some_and(|l| l >> 72 != k >> 72) {
                flush(&mut run, &mut found);
            }
            run.push(k);
        }
        flush(&mut run, &mut found);
        drop(keys);
        // By host and twin: a term copied from the one before.
        if let Some(twins) = twins {
            let mut keys = twins.sorted()?;
            let mut items: Vec<copied::Dated> = Vec::new();
            let flush = |items: &mut Vec<copied::Dated>, host: u128, found: &mut Vec<Finding>| {
                if let Some((row, matched, total, shift)) = copied::check(items, &th) {
                    let reason = Reason::CopiedTerm { matched, total, shift };
                    let (host, row) = (Some(host as i64), Some(i64::from(row)));
                    found.push(Finding { code: Code::CopiedTerm, host, township: None, row, key: Key::Host, reason });
                }
                items.clear();
            };
            let mut host = None;
            while let Some(k) = keys.next_key()? {
                let h = k >> 96;
                if host.is_some_and(|x| x != h) {
                    flush(&mut items, host.unwrap_or_default(), &mut found);
                }
                host = Some(h);
                items.push(copied::Dated {
                    twin: (k >> 65 & 0x7fff_ffff) as u32,
                    current: k >> 64 & 1 == 1,
                    offset: (k >> 32 & 511) as u16,
                    row: (k & MASK32) as u32,
                });
            }
            if let Some(h) = host {
                flush(&mut items, h, &mut found);
            }
        }
        // Head counts: a second look at each, once every group's median is known.
        let scales: Vec<Option<(f64, f64)>> = heads.iter().map(|c| c.scale(&th)).collect();
        drop(heads);
        if scales.iter().any(Option::is_some) {
            let mut file = head_rows.into_inner().map_err(|e| e.into_error())?;
            file.seek(SeekFrom::Start(0))?;
            let mut r = BufReader::with_capacity(1 << 16, file);
            let mut b = [0u8; 8];
            loop {
                match r.read_exact(&mut b) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
                    Err(e) => bail!(e),
                }
                let k = u64::from_le_bytes(b);
                let gk = (k >> 58) as usize;
                let Some(scale) = scales.get(gk).copied().flatten() else { continue };
                let x = k >> 32 & ((1 << 26) - 1);
                if let Some(score) = super::outliers::score(x, scale, &th) {
                    let reason = Reason::ParticipantsOutlier { participants: x as i64, median: scale.0, score };
                    found.push(Finding {
                        code: Code::ParticipantsOutlier,
                        host: None,
                        township: None,
                        row: Some((k & 0xffff_ffff) as i64),
                        key: Key::Row,
                        reason,
                    });
                }
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::ActivityKind;

    fn run(rows: &[Row], chunk: usize) -> Vec<Finding> {
        let units = Units {
            group: vec![host_group::URBAN_COMMUNITY; 10],
            since: vec![0; 10],
            township: vec![u32::MAX; 10],
            townships: Vec::new(),
        };
        let term: Term = "2020-2021-1".parse().unwrap();
        let mut scan = Scan::with_chunk(&units, Thresholds::default(), term, true, chunk).unwrap();
        for r in rows {
            scan.row(r, true).unwrap();
        }
        let mut found = scan.finish().unwrap();
        found.sort_by_key(|f| (f.code, f.host, f.row));
        found
    }

    #[test]
    fn runs_merged_from_disk_find_what_one_sorted_buffer_finds() {
        let mut rows = Vec::new();
        let titles = ["家长课堂", "亲子阅读", "家长会"];
        for id in 1..=60i64 {
            let host = 1 + id % 3;
            let day = 20201001 + id % 2;
            rows.push(Row {
                id,
                batch: 1 + (id / 7) % 2,
                host,
                day,
                kind: if id % 3 == 0 { ActivityKind::Practice } else { ActivityKind::Guidance },
                title: crate::quality::title_hash(titles[(id % 3) as usize]),
                participants: Some(30 + id % 4),
                student: false,
            });
        }
        let whole = run(&rows, CHUNK);
        assert!(whole.iter().any(|f| f.code == Code::Burst), "{whole:?}");
        assert!(whole.iter().any(|f| f.code == Code::DuplicateAcrossBatches), "{whole:?}");
        for chunk in [1, 3, 16] {
            assert_eq!(run(&rows, chunk), whole, "chunk {chunk}");
        }
    }
}
