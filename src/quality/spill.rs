//! Sorting many fixed-size keys in bounded memory: keys are gathered in a buffer of
//! `chunk` keys, each full buffer is sorted and written to a temporary file (a run), and
//! the runs are merged as they are read back. Nationally a term has 10M activities: their
//! 16-byte keys would take 160 MB at once, a run of 2^19 keys takes 8 MB.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use anyhow::{Context, Result};

/// Keys per run by default (8 MB of `u128`).
pub(crate) const CHUNK: usize = 1 << 19;

/// Keys to sort, gathered one by one.
pub(crate) struct Spill {
    buf: Vec<u128>,
    chunk: usize,
    runs: Vec<File>,
}

impl Spill {
    pub(crate) fn new(chunk: usize) -> Spill {
        Spill { buf: Vec::new(), chunk: chunk.max(1), runs: Vec::new() }
    }

    pub(crate) fn push(&mut self, key: u128) -> Result<()> {
        if self.buf.len() >= self.chunk {
            self.write_run()?;
        }
        if self.buf.capacity() == 0 {
            self.buf.reserve_exact(self.chunk);
        }
        self.buf.push(key);
        Ok(())
    }

    fn write_run(&mut self) -> Result<()> {
        self.buf.sort_unstable();
        let file = tempfile::tempfile().with_context(|| crate::t!("quality-temp-file"))?;
        let mut w = BufWriter::with_capacity(1 << 16, file);
        for k in &self.buf {
            w.write_all(&k.to_le_bytes())?;
        }
        let mut file = w.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        self.runs.push(file);
        self.buf.clear();
        Ok(())
    }

    /// The keys in ascending order.
    pub(crate) fn sorted(mut self) -> Result<Sorted> {
        if self.runs.is_empty() {
            self.buf.sort_unstable();
            return Ok(Sorted { memory: self.buf.into_iter(), runs: Vec::new(), heap: BinaryHeap::new() });
        }
        if !self.buf.is_empty() {
            self.write_run()?;
        }
        self.buf = Vec::new();
        let mut runs: Vec<BufReader<File>> = self.runs.into_iter().map(|f| BufReader::with_capacity(1 << 16, f)).collect();
        let mut heap = BinaryHeap::with_capacity(runs.len());
        for (i, r) in runs.iter_mut().enumerate() {
            if let Some(k) = read_key(r)? {
                heap.push(Reverse((k, i)));
            }
        }
        Ok(Sorted { memory: Vec::new().into_iter(), runs, heap })
    }
}

fn read_key(r: &mut BufReader<File>) -> Result<Option<u128>> {
    let mut b = [0u8; 16];
    match r.read_exact(&mut b) {
        Ok(()) => Ok(Some(u128::from_le_bytes(b))),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e).with_context(|| crate::t!("quality-temp-file")),
    }
}

/// The keys of a [`Spill`], smallest first.
pub(crate) struct Sorted {
    memory: std::vec::IntoIter<u128>,
    runs: Vec<BufReader<File>>,
    heap: BinaryHeap<Reverse<(u128, usize)>>,
}

impl Sorted {
    pub(crate) fn next_key(&mut self) -> Result<Option<u128>> {
        if self.runs.is_empty() {
            return Ok(self.memory.next());
        }
        let Some(Reverse((k, i))) = self.heap.pop() else { return Ok(None) };
        if let Some(next) = read_key(&mut self.runs[i])? {
            self.heap.push(Reverse((next, i)));
        }
        Ok(Some(k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(mut s: Sorted) -> Vec<u128> {
        let mut v = Vec::new();
        while let Some(k) = s.next_key().unwrap() {
            v.push(k);
        }
        v
    }

    #[test]
    fn sorts_in_memory_and_across_runs_alike() {
        let keys: Vec<u128> = (0..1000u128).map(|i| ((i * 7919 + (i << 100)) % 1013) | ((i % 3) << 120)).collect();
        let mut expected = keys.clone();
        expected.sort_unstable();
        for chunk in [1, 7, 64, 1000, CHUNK] {
            let mut s = Spill::new(chunk);
            for &k in &keys {
                s.push(k).unwrap();
            }
            assert_eq!(all(s.sorted().unwrap()), expected, "chunk {chunk}");
        }
        assert!(all(Spill::new(4).sorted().unwrap()).is_empty());
    }
}
