//! Records sorted by a byte key in bounded memory: records are gathered in a buffer of a
//! few megabytes, each full buffer is sorted and written to a temporary file (a run), and
//! the runs are merged as they are read back. The gaps of a national term keep hundreds of
//! thousands of failing units this way rather than in memory (`src/quality/spill.rs` does
//! the same for fixed-size keys).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use anyhow::{Context, Result};

/// Bytes of records per run by default.
pub(super) const RUN_BYTES: usize = 4 << 20;

/// Records to sort, gathered one by one; keys are compared as bytes and must be distinct.
pub(super) struct RecordSpill {
    buf: Vec<u8>,
    /// Per record: where it starts in `buf`, its key's length and its whole length.
    index: Vec<(usize, u32, u32)>,
    run_bytes: usize,
    runs: Vec<File>,
}

/// Records in key order: in memory, or merged from runs as they are read (once).
pub(super) enum Sorted {
    Memory { buf: Vec<u8>, index: Vec<(usize, u32, u32)> },
    Runs(Vec<BufReader<File>>),
}

fn temp_error() -> String {
    crate::t!("report-gaps-temp-file")
}

impl RecordSpill {
    pub(super) fn new(run_bytes: usize) -> RecordSpill {
        RecordSpill { buf: Vec::new(), index: Vec::new(), run_bytes: run_bytes.max(1), runs: Vec::new() }
    }

    pub(super) fn push(&mut self, key: &[u8], payload: &[u8]) -> Result<()> {
        if !self.index.is_empty() && self.buf.len() + key.len() + payload.len() > self.run_bytes {
            self.write_run()?;
        }
        if self.buf.capacity() == 0 {
            // At once: a buffer doubled as it fills holds both halves for a moment.
            self.buf.reserve_exact(self.run_bytes.min(RUN_BYTES));
        }
        let start = self.buf.len();
        self.buf.extend_from_slice(key);
        self.buf.extend_from_slice(payload);
        self.index.push((start, key.len() as u32, (key.len() + payload.len()) as u32));
        Ok(())
    }

    fn sort(&mut self) {
        let buf = &self.buf;
        let key = |&(at, k, _): &(usize, u32, u32)| &buf[at..at + k as usize];
        self.index.sort_unstable_by(|a, b| key(a).cmp(key(b)));
    }

    fn write_run(&mut self) -> Result<()> {
        self.sort();
        let mut w = BufWriter::with_capacity(1 << 16, tempfile::tempfile().with_context(temp_error)?);
        for &(at, k, len) in &self.index {
            write_frame(&mut w, &self.buf[at..at + k as usize], &self.buf[at + k as usize..at + len as usize])?;
        }
        let mut file = w.into_inner().map_err(|e| e.into_error()).with_context(temp_error)?;
        file.seek(SeekFrom::Start(0))?;
        self.runs.push(file);
        self.buf.clear();
        self.index.clear();
        Ok(())
    }

    /// The records in key order: in memory if they all fit in one run, else in runs on
    /// disk, merged as they are read.
    pub(super) fn sorted(mut self) -> Result<Sorted> {
        if self.runs.is_empty() {
            self.sort();
            return Ok(Sorted::Memory { buf: self.buf, index: self.index });
        }
        if !self.index.is_empty() {
            self.write_run()?;
        }
        // Small buffers: a national list of gaps merges a dozen runs or more.
        Ok(Sorted::Runs(self.runs.into_iter().map(|f| BufReader::with_capacity(1 << 14, f)).collect()))
    }
}

impl Sorted {
    /// Hands every record to `each`, in key order.
    pub(super) fn scan(self, mut each: impl FnMut(&[u8], &[u8]) -> Result<()>) -> Result<()> {
        match self {
            Sorted::Memory { buf, index } => {
                for &(at, k, len) in &index {
                    each(&buf[at..at + k as usize], &buf[at + k as usize..at + len as usize])?;
                }
            }
            Sorted::Runs(mut runs) => {
                let mut heads: Vec<(Vec<u8>, Vec<u8>)> = vec![Default::default(); runs.len()];
                let mut heap = BinaryHeap::with_capacity(runs.len());
                for (i, r) in runs.iter_mut().enumerate() {
                    let (key, payload) = &mut heads[i];
                    if read_frame(r, key, payload)? {
                        heap.push(Reverse((key.clone(), i)));
                    }
                }
                let mut next = heap.pop().map(|Reverse((_, i))| i);
                while let Some(i) = next {
                    let (key, payload) = &mut heads[i];
                    each(key, payload)?;
                    if !read_frame(&mut runs[i], key, payload)? {
                        next = heap.pop().map(|Reverse((_, i))| i);
                        continue;
                    }
                    // A run's next record that comes before every other run's is taken
                    // without the heap (runs of units in township order seldom mix).
                    if heap.peek().is_some_and(|Reverse((other, _))| *other < *key) {
                        heap.push(Reverse((key.clone(), i)));
                        next = heap.pop().map(|Reverse((_, i))| i);
                    }
                }
            }
        }
        Ok(())
    }
}

fn write_frame(w: &mut impl Write, key: &[u8], payload: &[u8]) -> Result<()> {
    w.write_all(&(key.len() as u32).to_le_bytes())?;
    w.write_all(&(payload.len() as u32).to_le_bytes())?;
    w.write_all(key)?;
    w.write_all(payload).with_context(temp_error)
}

/// Reads one record into `key` and `payload`; `false` at the end of the file.
fn read_frame(r: &mut impl Read, key: &mut Vec<u8>, payload: &mut Vec<u8>) -> Result<bool> {
    let mut lens = [0u8; 8];
    match r.read_exact(&mut lens) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(false),
        Err(e) => return Err(e).with_context(temp_error),
    }
    let k = u32::from_le_bytes([lens[0], lens[1], lens[2], lens[3]]) as usize;
    let p = u32::from_le_bytes([lens[4], lens[5], lens[6], lens[7]]) as usize;
    key.resize(k, 0);
    payload.resize(p, 0);
    r.read_exact(key).with_context(temp_error)?;
    r.read_exact(payload).with_context(temp_error)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(s: Sorted) -> Vec<(Vec<u8>, Vec<u8>)> {
        let mut out = Vec::new();
        s.scan(|k, p| {
            out.push((k.to_vec(), p.to_vec()));
            Ok(())
        })
        .unwrap();
        out
    }

    /// Records in runs of a few bytes, merged, come out as a sort in memory gives them.
    #[test]
    fn runs_merge_to_the_sort_in_memory() {
        let mut want = Vec::new();
        let (mut small, mut large) = (RecordSpill::new(40), RecordSpill::new(usize::MAX));
        for i in 0u32..500 {
            let key = format!("{:05}-{}", (i * 7919) % 1009, i).into_bytes();
            let payload = vec![i as u8; (i % 7) as usize];
            small.push(&key, &payload).unwrap();
            large.push(&key, &payload).unwrap();
            want.push((key, payload));
        }
        want.sort();
        assert!(small.runs.len() > 10, "many runs");
        let sorted = small.sorted().unwrap();
        assert!(matches!(sorted, Sorted::Runs(_)));
        assert_eq!(all(sorted), want, "merged from runs");
        assert_eq!(all(large.sorted().unwrap()), want, "one run, in memory");
        assert!(all(RecordSpill::new(8).sorted().unwrap()).is_empty());
    }
}
