//! An import's activity counts per (month, host, kind), kept in bounded memory whatever
//! the size of the file, and added to `activity_tally` in one ordered pass on commit.
//!
//! Each activity written appends one packed key (an integer, no hashing) to a buffer.
//! Kinds are counted by their position in the kinds table (`ActivityKind::index`), so a
//! row's counts are a [`Counts`] whatever kinds the table lists.
//! A full buffer is sorted and spilled to an anonymous temporary file as a sorted run; on
//! commit the runs and the buffers are merged in key order — (month, host, kind), the
//! table's own order — and counted into one tally row per (month, host). The upserts then
//! walk the tally's b-tree from left to right once, instead of seeking at random per
//! activity or re-walking it per spilled run.

use std::collections::{BTreeMap, BinaryHeap};
use std::fs::File;
use std::io::{Seek, SeekFrom, Write};

use anyhow::{Context, Result};

use crate::ledger::counts::Counts;
use crate::ledger::term_rule::term_of_month;
use crate::plan::ActivityKind;

/// Keys held in memory before a sorted run is spilled (8 bytes each: 8 MiB).
const BUFFER_KEYS: usize = 1 << 20;

/// Keys read back per run at a time while merging (64 KiB each).
const READ_KEYS: usize = 8 * 1024;

/// Bits of a key for the kind's position: up to 64 kinds.
const KIND_BITS: u32 = 6;

/// Bits of a key for the host: unit ids below 2^36 (68 billion).
const HOST_BITS: u32 = 36;

const _: () = assert!(ActivityKind::COUNT <= 1 << KIND_BITS, "more activity kinds than a tally key holds");

/// Packs (month, host, kind) into one integer key that sorts as the tally does: month
/// (YYYYMM) < 2^22, host < 2^36, the kind's position in the kinds table < 2^6.
pub(crate) fn tally_key(month: i64, host: i64, kind: ActivityKind) -> u64 {
    ((month as u64) << (HOST_BITS + KIND_BITS)) | ((host as u64) << KIND_BITS) | kind.index() as u64
}

/// (month, host, kind position) of a key.
pub(crate) fn unpack_tally_key(key: u64) -> (i64, i64, usize) {
    let host = (key >> KIND_BITS) & ((1 << HOST_BITS) - 1);
    ((key >> (HOST_BITS + KIND_BITS)) as i64, host as i64, (key & ((1 << KIND_BITS) - 1)) as usize)
}

/// One tally row: activities of a host in a month, per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TallyRow {
    pub month: i64,
    pub host: i64,
    pub counts: Counts,
}

/// The activities counted by one file (or, merged, by one import).
#[derive(Default)]
pub(crate) struct TallyKeys {
    /// Keys not yet spilled, in the order written.
    buffer: Vec<u64>,
    /// Sorted runs in `spill`: (first key's index, number of keys).
    runs: Vec<(u64, u64)>,
    spill: Option<File>,
    spilled: u64,
    /// Month (YYYYMM) → the latest day (YYYYMMDD) counted in it.
    months: BTreeMap<i64, i64>,
    /// Time spent sorting and spilling runs (two clock reads a run: always kept).
    spill_time: std::time::Duration,
}

impl TallyKeys {
    /// Counts one activity of `host` of `kind` on `day` (YYYYMMDD).
    pub(crate) fn add(&mut self, host: i64, kind: ActivityKind, day: i64) -> Result<()> {
        let month = day / 100;
        let latest = self.months.entry(month).or_insert(day);
        *latest = (*latest).max(day);
        self.buffer.push(tally_key(month, host, kind));
        if self.buffer.len() >= BUFFER_KEYS {
            self.spill_buffer()?;
        }
        Ok(())
    }

    /// The time spent sorting and spilling runs so far.
    pub(crate) fn spill_time(&self) -> std::time::Duration {
        self.spill_time
    }

    fn spill_buffer(&mut self) -> Result<()> {
        let started = std::time::Instant::now();
        self.buffer.sort_unstable();
        if self.spill.is_none() {
            self.spill =
                Some(tempfile::tempfile().map_err(|e| {
                    anyhow::anyhow!(crate::t!("ledger-tally-temp-create", reason = crate::ledger::os::words(&e)))
                })?);
        }
        let file = self.spill.as_mut().expect("just created");
        // Runs are appended after the last one, wherever a read left the file's position
        // (on Windows a positioned read moves it).
        file.seek(SeekFrom::Start(self.spilled * 8)).context("writing the activity tally's temporary file")?;
        let mut out = std::io::BufWriter::with_capacity(READ_KEYS * 8, file);
        for k in &self.buffer {
            out.write_all(&k.to_le_bytes())
                .map_err(|e| anyhow::anyhow!(crate::t!("ledger-tally-temp-write", reason = crate::ledger::os::words(&e))))?;
        }
        out.flush().map_err(|e| anyhow::anyhow!(crate::t!("ledger-tally-temp-write", reason = crate::ledger::os::words(&e))))?;
        drop(out);
        self.runs.push((self.spilled, self.buffer.len() as u64));
        self.spilled += self.buffer.len() as u64;
        self.buffer.clear();
        self.spill_time += started.elapsed();
        Ok(())
    }

    /// The months counted, each with its latest day.
    pub(crate) fn months(&self) -> &BTreeMap<i64, i64> {
        &self.months
    }

    /// Adds another file's counts to these.
    pub(crate) fn absorb(&mut self, mut other: TallyKeys) -> Result<()> {
        if self.months.is_empty() {
            // The first file of an import: its counts are the import's.
            *self = other;
            return Ok(());
        }
        for (month, day) in std::mem::take(&mut other.months) {
            let latest = self.months.entry(month).or_insert(day);
            *latest = (*latest).max(day);
        }
        // The other file's runs are copied into this one's spill file (sequential I/O,
        // 8 bytes per activity), so that the merge has one file to read.
        for k in other.buffer.drain(..) {
            self.buffer.push(k);
            if self.buffer.len() >= BUFFER_KEYS {
                self.spill_buffer()?;
            }
        }
        if let Some(file) = &other.spill {
            for &(start, len) in &other.runs {
                let mut run = RunReader { file, next: start, end: start + len, keys: Vec::new(), at: 0 };
                let mut keys = Vec::with_capacity(len as usize);
                while let Some(k) = run.next()? {
                    keys.push(k);
                }
                let own = std::mem::replace(&mut self.buffer, keys);
                self.spill_buffer()?;
                self.buffer = own;
            }
        }
        Ok(())
    }

    /// Every (month, host) counted, in key order, with its counts per kind.
    pub(crate) fn rows(mut self, mut each: impl FnMut(TallyRow) -> Result<()>) -> Result<()> {
        self.buffer.sort_unstable();
        let mut readers: Vec<RunReader<'_>> = match &self.spill {
            Some(file) => self
                .runs
                .iter()
                .map(|&(start, len)| RunReader { file, next: start, end: start + len, keys: Vec::new(), at: 0 })
                .collect(),
            None => Vec::new(),
        };
        let mut memory = self.buffer.iter().copied();
        // A min-heap of (key, source): source readers.len() is the in-memory buffer.
        let mut heap = BinaryHeap::new();
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some(k) = r.next()? {
                heap.push(std::cmp::Reverse((k, i)));
            }
        }
        let buffer_source = readers.len();
        if let Some(k) = memory.next() {
            heap.push(std::cmp::Reverse((k, buffer_source)));
        }
        let mut current: Option<TallyRow> = None;
        while let Some(std::cmp::Reverse((key, source))) = heap.pop() {
            let next = if source == buffer_source { memory.next() } else { readers[source].next()? };
            if let Some(k) = next {
                heap.push(std::cmp::Reverse((k, source)));
            }
            let (month, host, kind) = unpack_tally_key(key);
            match &mut current {
                Some(row) if row.month == month && row.host == host => row.counts[kind] += 1,
                _ => {
                    if let Some(row) = current.take() {
                        each(row)?;
                    }
                    let mut counts = [0; ActivityKind::COUNT];
                    counts[kind] = 1;
                    current = Some(TallyRow { month, host, counts });
                }
            }
        }
        if let Some(row) = current {
            each(row)?;
        }
        Ok(())
    }
}

/// The generations of `activity_tally` (each import's own rows, keyed first by `gen`) as
/// a common table `g(gen)`, one seek each: a query joins `g CROSS JOIN activity_tally t ON
/// t.gen = g.gen AND t.month ...` to read a range of months of every generation.
pub(crate) const TALLY_GENERATIONS_SQL: &str = "WITH RECURSIVE g(gen) AS (SELECT min(gen) FROM activity_tally \
     UNION ALL SELECT (SELECT min(gen) FROM activity_tally WHERE gen > g.gen) FROM g WHERE g.gen IS NOT NULL)";

/// One row of `term_tally`: activities of a host in a term, per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TermRow {
    pub term: i64,
    pub host: i64,
    pub counts: Counts,
}

/// Sums monthly tally rows, fed in (month, host) order, into one row per (term, host),
/// given out in (term, host) order as each term ends: one dense table of the hosts of the
/// term at hand (4 bytes a kind and unit id), not a row per activity.
pub(crate) struct TermSums {
    term: Option<i64>,
    by_host: Vec<[u32; ActivityKind::COUNT]>,
    /// The lowest and highest host counted in this term (nothing when lo > hi).
    lo: usize,
    hi: usize,
}

impl Default for TermSums {
    fn default() -> TermSums {
        TermSums { term: None, by_host: Vec::new(), lo: 1, hi: 0 }
    }
}

impl TermSums {
    /// Sums for hosts whose ids are below `hosts`, made room for at once (4 bytes a kind
    /// and host): a table grown by doubling would hold up to twice that.
    pub(crate) fn for_hosts(hosts: usize) -> TermSums {
        TermSums { by_host: vec![[0; ActivityKind::COUNT]; hosts], ..TermSums::default() }
    }

    /// Counts one monthly row; rows of a later term first give out the earlier term's.
    pub(crate) fn add(&mut self, row: &TallyRow, sink: &mut impl TermSink) -> Result<()> {
        let term = term_of_month(row.month);
        if self.term != Some(term) {
            self.finish(sink)?;
            self.term = Some(term);
        }
        self.count(row.host, &row.counts)
    }

    /// Adds a host's counts to the term at hand.
    fn count(&mut self, host: i64, counts: &Counts) -> Result<()> {
        let host = usize::try_from(host).context("a negative unit id in the activity tally")?;
        if host >= self.by_host.len() {
            // Not sized for this host (a caller without a bound): grown as a `Vec` grows.
            self.by_host.resize(host + 1, [0; ActivityKind::COUNT]);
        }
        if self.lo > self.hi {
            (self.lo, self.hi) = (host, host);
        }
        (self.lo, self.hi) = (self.lo.min(host), self.hi.max(host));
        for (slot, &n) in self.by_host[host].iter_mut().zip(counts) {
            *slot = u32::try_from(u64::from(*slot) + n).with_context(|| crate::t!("ledger-tally-too-many-in-term"))?;
        }
        Ok(())
    }

    /// Gives out the rows of the term at hand, in host order, with the counts the sink
    /// already keeps for the term added in, and starts afresh.
    pub(crate) fn finish(&mut self, sink: &mut impl TermSink) -> Result<()> {
        if let Some(term) = self.term.take() {
            sink.kept(term, &mut |host, counts| self.count(host, counts))?;
            if self.lo <= self.hi {
                for host in self.lo..=self.hi {
                    let c = std::mem::take(&mut self.by_host[host]);
                    if c != [0; ActivityKind::COUNT] {
                        sink.row(TermRow { term, host: host as i64, counts: c.map(u64::from) })?;
                    }
                }
            }
        }
        (self.lo, self.hi) = (1, 0);
        Ok(())
    }
}

/// Where [`TermSums`] gives out a term's rows: the counts already kept for the term are
/// taken first (and given up: the rows given out are the whole term's), then every row.
pub(crate) trait TermSink {
    /// Gives each (host, counts) already kept for `term` to `add`, and drops them.
    fn kept(&mut self, term: i64, add: &mut dyn FnMut(i64, &Counts) -> Result<()>) -> Result<()>;
    /// One row of the term, kept counts included.
    fn row(&mut self, row: TermRow) -> Result<()>;
}

/// A sink that keeps nothing of its own: each row goes to the function.
impl<F: FnMut(TermRow) -> Result<()>> TermSink for F {
    fn kept(&mut self, _: i64, _: &mut dyn FnMut(i64, &Counts) -> Result<()>) -> Result<()> {
        Ok(())
    }

    fn row(&mut self, row: TermRow) -> Result<()> {
        self(row)
    }
}

/// Reads one sorted run back from the spill file, a block at a time.
struct RunReader<'f> {
    file: &'f File,
    /// Index of the next key to read from the file, and one past the run's last.
    next: u64,
    end: u64,
    keys: Vec<u64>,
    at: usize,
}

impl RunReader<'_> {
    fn next(&mut self) -> Result<Option<u64>> {
        if self.at == self.keys.len() {
            if self.next == self.end {
                return Ok(None);
            }
            let n = (self.end - self.next).min(READ_KEYS as u64) as usize;
            let mut bytes = vec![0u8; n * 8];
            read_exact_at(self.file, &mut bytes, self.next * 8)
                .map_err(|e| anyhow::anyhow!(crate::t!("ledger-tally-temp-read", reason = crate::ledger::os::words(&e))))?;
            self.keys.clear();
            self.keys.extend(bytes.chunks_exact(8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes"))));
            self.next += n as u64;
            self.at = 0;
        }
        self.at += 1;
        Ok(Some(self.keys[self.at - 1]))
    }
}

/// Fills `buf` from `file` at byte `offset`, not through the file's position, so that
/// runs can be read from the file that is being merged.
#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

/// Fills `buf` from `file` at byte `offset` (Windows: `seek_read` may read less than asked).
#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds() -> Vec<ActivityKind> {
        ActivityKind::all().collect()
    }

    #[test]
    fn keys_round_trip_and_sort_as_the_table() {
        let (kinds, last) = (kinds(), ActivityKind::COUNT - 1);
        for (month, host, kind) in [(202009, 1, 0), (209912, (1 << HOST_BITS) - 1, 1), (201902, 123_456, last)] {
            assert_eq!(unpack_tally_key(tally_key(month, host, kinds[kind])), (month, host, kind));
        }
        assert!(tally_key(202009, 5, kinds[last]) < tally_key(202010, 1, kinds[0]));
        assert!(tally_key(202009, 1, kinds[last]) < tally_key(202009, 2, kinds[0]));
    }

    /// Counts through spilled runs, several files and the buffers equal a plain count.
    #[test]
    fn spilled_runs_merge_to_the_plain_count() {
        let kinds = kinds();
        let mut expected: BTreeMap<(i64, i64), Counts> = BTreeMap::new();
        let mut import = TallyKeys::default();
        let mut seed = 7u64;
        for file in 0..3 {
            let mut keys = TallyKeys::default();
            // The second file is large enough to spill twice and leave a buffer.
            let n = if file == 1 { 2 * BUFFER_KEYS + 1000 } else { 5000 };
            for _ in 0..n {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let host = (seed >> 33) as i64 % 5000 + 1;
                let day = 20200901 + ((seed >> 20) % 3) as i64 * 100 + ((seed >> 10) % 28) as i64;
                let kind = (seed >> 5) as usize % kinds.len();
                keys.add(host, kinds[kind], day).unwrap();
                expected.entry((day / 100, host)).or_default()[kind] += 1;
            }
            import.absorb(keys).unwrap();
        }
        assert!(import.runs.len() >= 2, "the test must exercise spilled runs");
        let mut got = BTreeMap::new();
        let mut last = None;
        import
            .rows(|r| {
                assert!(last < Some((r.month, r.host)), "rows come in key order, once each");
                last = Some((r.month, r.host));
                got.insert((r.month, r.host), r.counts);
                Ok(())
            })
            .unwrap();
        assert_eq!(got, expected);
    }
}
