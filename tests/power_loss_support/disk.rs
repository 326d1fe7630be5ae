//! The disk model of `tests/power_loss.rs`: its I/O log read back, the folder as a file
//! system holds it while the operation runs (synced bytes, unsynced writes, names as they
//! are and as last synced), what a kill and a power cut leave of it, and the keys that
//! tell crash states apart.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::sqlite_page::page_size;
use super::{Files, SECTOR};

// ------------------------------------------------------------------ the I/O log

#[derive(Debug)]
pub enum Event {
    Open { id: u32, name: Option<String> },
    Write { id: u32, offset: usize, at: usize, len: usize },
    Truncate { id: u32, size: usize },
    Sync { id: u32, dir_too: bool },
    Delete { name: Option<String>, dir_too: bool },
    Rename { from: Option<String>, to: Option<String> },
    DirSync { ours: bool },
}

/// Parses the log; names are kept for files in `dir` only.
pub fn parse_log(log: &[u8], dir: &Path) -> Vec<Event> {
    let mut at = 0;
    let u32_at = |at: &mut usize| {
        let v = u32::from_le_bytes(log[*at..*at + 4].try_into().unwrap());
        *at += 4;
        v
    };
    let u64_at = |at: &mut usize| {
        let v = u64::from_le_bytes(log[*at..*at + 8].try_into().unwrap());
        *at += 8;
        v
    };
    let path_at = |at: &mut usize| {
        let n = u32_at(at) as usize;
        let p = PathBuf::from(String::from_utf8(log[*at..*at + n].to_vec()).unwrap());
        *at += n;
        p
    };
    let in_dir = |p: PathBuf| (p.parent() == Some(dir)).then(|| p.file_name().unwrap().to_string_lossy().into_owned());
    let mut events = Vec::new();
    while at < log.len() {
        let tag = log[at];
        at += 1;
        events.push(match tag {
            b'O' => {
                let id = u32_at(&mut at);
                let _flags = u32_at(&mut at);
                Event::Open { id, name: in_dir(path_at(&mut at)) }
            }
            b'W' => {
                let id = u32_at(&mut at);
                let offset = u64_at(&mut at) as usize;
                let len = u32_at(&mut at) as usize;
                at += len;
                Event::Write { id, offset, at: at - len, len }
            }
            b'T' => {
                let id = u32_at(&mut at);
                Event::Truncate { id, size: u64_at(&mut at) as usize }
            }
            b'S' => {
                let id = u32_at(&mut at);
                at += 1;
                Event::Sync { id, dir_too: log[at - 1] == 1 }
            }
            b'D' => {
                let name = in_dir(path_at(&mut at));
                at += 1;
                Event::Delete { name, dir_too: log[at - 1] == 1 }
            }
            b'R' => {
                let from = in_dir(path_at(&mut at));
                Event::Rename { from, to: in_dir(path_at(&mut at)) }
            }
            b'Y' => Event::DirSync { ours: path_at(&mut at) == dir },
            t => panic!("unknown record {t} at byte {at} of the I/O log"),
        });
    }
    events
}

pub enum Pending {
    Write { offset: usize, at: usize, len: usize },
    Truncate(usize),
}

pub struct Inode {
    synced: Vec<u8>,
    current: Vec<u8>,
    pending: Vec<Pending>,
}

/// The folder as a file system holds it while the operation runs.
pub struct Disk<'a> {
    log: &'a [u8],
    inodes: Vec<Inode>,
    names: BTreeMap<String, usize>,
    synced_names: BTreeMap<String, usize>,
    handles: BTreeMap<u32, Option<usize>>,
}

pub fn put(buf: &mut Vec<u8>, offset: usize, bytes: &[u8]) {
    if buf.len() < offset + bytes.len() {
        buf.resize(offset + bytes.len(), 0);
    }
    buf[offset..offset + bytes.len()].copy_from_slice(bytes);
}

impl<'a> Disk<'a> {
    pub fn new(before: &Files, log: &'a [u8]) -> Disk<'a> {
        let mut d =
            Disk { log, inodes: Vec::new(), names: BTreeMap::new(), synced_names: BTreeMap::new(), handles: BTreeMap::new() };
        for (name, bytes) in before {
            d.inodes.push(Inode { synced: bytes.clone(), current: bytes.clone(), pending: Vec::new() });
            d.names.insert(name.clone(), d.inodes.len() - 1);
        }
        d.synced_names = d.names.clone();
        d
    }

    pub fn apply(&mut self, e: &Event) {
        match e {
            Event::Open { id, name } => {
                let inode = name.as_ref().map(|n| {
                    *self.names.entry(n.clone()).or_insert_with(|| {
                        self.inodes.push(Inode { synced: Vec::new(), current: Vec::new(), pending: Vec::new() });
                        self.inodes.len() - 1
                    })
                });
                self.handles.insert(*id, inode);
            }
            Event::Write { id, offset, at, len } => {
                if let Some(i) = self.handles[id] {
                    let node = &mut self.inodes[i];
                    put(&mut node.current, *offset, &self.log[*at..*at + *len]);
                    node.pending.push(Pending::Write { offset: *offset, at: *at, len: *len });
                }
            }
            Event::Truncate { id, size } => {
                if let Some(i) = self.handles[id] {
                    self.inodes[i].current.resize(*size, 0);
                    self.inodes[i].pending.push(Pending::Truncate(*size));
                }
            }
            Event::Sync { id, dir_too } => {
                if let Some(i) = self.handles[id] {
                    let node = &mut self.inodes[i];
                    node.synced = node.current.clone();
                    node.pending.clear();
                    if *dir_too {
                        self.synced_names = self.names.clone();
                    }
                }
            }
            Event::Delete { name, dir_too } => {
                if let Some(n) = name {
                    self.names.remove(n);
                    if *dir_too {
                        self.synced_names = self.names.clone();
                    }
                }
            }
            Event::Rename { from, to } => {
                if let (Some(from), Some(to)) = (from, to) {
                    let i = self.names.remove(from).expect("renaming a file the log knows");
                    self.names.insert(to.clone(), i);
                }
            }
            Event::DirSync { ours } => {
                if *ours {
                    self.synced_names = self.names.clone();
                }
            }
        }
    }

    /// The folder after a kill: every write so far, every name as it is.
    pub fn killed(&self) -> Files {
        self.names.iter().map(|(n, &i)| (n.clone(), self.inodes[i].current.clone())).collect()
    }

    /// The folder after a power cut; counts what was lost into `f`.
    pub fn power_cut(&self, rng: &mut Rng, f: &mut CutFigures) -> Files {
        f.names_lost += self.names.iter().filter(|(n, i)| self.synced_names.get(*n) != Some(i)).count()
            + self.synced_names.keys().filter(|n| !self.names.contains_key(*n)).count();
        let mut files = Files::new();
        for (name, &i) in &self.synced_names {
            let node = &self.inodes[i];
            let mut bytes = node.synced.clone();
            for p in &node.pending {
                match *p {
                    Pending::Truncate(size) => {
                        if rng.below(2) == 0 {
                            bytes.resize(size, 0);
                        }
                    }
                    Pending::Write { offset, at, len } => {
                        let mut o = offset;
                        while o < offset + len {
                            let end = ((o / SECTOR + 1) * SECTOR).min(offset + len);
                            let src = &self.log[at + (o - offset)..at + (end - offset)];
                            match rng.below(5) {
                                0 | 1 => put(&mut bytes, o, src),
                                2 | 3 => f.sectors_dropped += 1,
                                _ => {
                                    let junk: Vec<u8> = (0..src.len()).map(|_| rng.next() as u8).collect();
                                    put(&mut bytes, o, &junk);
                                    f.sectors_garbled += 1;
                                }
                            }
                            o = end;
                        }
                    }
                }
            }
            files.insert(name.clone(), bytes);
        }
        files
    }
}

// ------------------------------------------------------------------ state keys

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // splitmix64, so that small seeds start the xorshift well.
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

pub fn wal_checksum(data: &[u8], big_endian: bool, mut s: (u32, u32)) -> (u32, u32) {
    let word = |b: &[u8]| {
        let a: [u8; 4] = b.try_into().unwrap();
        if big_endian {
            u32::from_be_bytes(a)
        } else {
            u32::from_le_bytes(a)
        }
    };
    for w in data.chunks_exact(8) {
        s.0 = s.0.wrapping_add(word(&w[..4])).wrapping_add(s.1);
        s.1 = s.1.wrapping_add(word(&w[4..])).wrapping_add(s.0);
    }
    s
}

/// The frames of a WAL that SQLite's recovery accepts (salts and checksums right), and how
/// many of them end with a commit (those it replays).
pub fn wal_frames(wal: &[u8]) -> (usize, usize) {
    let be = |o: usize| u32::from_be_bytes(wal[o..o + 4].try_into().unwrap());
    if wal.len() < 32 || be(0) & !1 != 0x377f_0682 {
        return (0, 0);
    }
    let big = be(0) & 1 == 1;
    let page = be(8) as usize;
    let mut s = wal_checksum(&wal[..24], big, (0, 0));
    if s != (be(24), be(28)) {
        return (0, 0);
    }
    let salt = (be(16), be(20));
    let (mut frames, mut committed, mut at) = (0, 0, 32);
    while at + 24 + page <= wal.len() && (be(at + 8), be(at + 12)) == salt {
        s = wal_checksum(&wal[at..at + 8], big, s);
        s = wal_checksum(&wal[at + 24..at + 24 + page], big, s);
        if s != (be(at + 16), be(at + 20)) {
            break;
        }
        frames += 1;
        if be(at + 4) != 0 {
            committed = frames;
        }
        at += 24 + page;
    }
    (frames, committed)
}

/// A file name without the process id gongyu puts in the names of its partial copies.
pub fn without_pid(name: &str) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    for c in name.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if !digits.is_empty() {
            // `copy.db.1234.partial`, `ledger.v1.partial-1234`: ids have 2 or more digits.
            out += if digits.len() >= 2 { "#" } else { &digits };
            digits.clear();
        }
        out.push(c);
    }
    out + if digits.len() >= 2 { "#" } else { &digits }
}

pub fn is_partial(name: &str) -> bool {
    name.contains(".partial")
}

pub fn state_key(files: &Files, before: &Files) -> String {
    let mut key = String::new();
    for (name, bytes) in files {
        write!(key, "{}:{}", without_pid(name), bytes.len()).unwrap();
        if name.ends_with("-wal") {
            let (frames, committed) = wal_frames(bytes);
            write!(key, ":frames {frames}:committed {committed}").unwrap();
        } else if let Some(old) = before.get(name) {
            let size = page_size(bytes);
            let pages = bytes.len().max(old.len()).div_ceil(size);
            let page = |x: &[u8], i: usize| x.get(i * size..((i + 1) * size).min(x.len())).map(<[u8]>::to_vec);
            write!(key, ":changed {}", (0..pages).filter(|&i| page(old, i) != page(bytes, i)).count()).unwrap();
        }
        key.push(' ');
    }
    key
}

#[derive(Default)]
pub struct CutFigures {
    pub names_lost: usize,
    pub sectors_dropped: usize,
    pub sectors_garbled: usize,
}
