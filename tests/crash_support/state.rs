//! A ledger folder as a crash left it: its files, the WAL frames SQLite would accept and
//! replay, the crash state's key, and a dump of every table.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

pub use crate::sqlite_page::page_size;

/// Kills in a default `cargo test` run, spread over the operations.
pub const DEFAULT_CRASH_POINTS: usize = 720;
/// The ledger's file name in each folder.
pub const LEDGER: &str = "ledger.db";
/// Columns holding the time of an event: compared as set or not.
pub const VOLATILE: [&str; 3] = ["imported_at", "reverted_at", "at"];

/// A seeded xorshift, so a run can be repeated.
pub struct Rng(pub u64);

impl Rng {
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
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

pub fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// The files of a ledger folder that hold data, by name: everything but the `-shm` index,
/// which SQLite rebuilds from the WAL when the first connection opens.
pub type Files = BTreeMap<String, Vec<u8>>;

pub fn read_files(dir: &Path) -> Files {
    let mut files = Files::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.ends_with("-shm") {
            // A file may vanish between listing and reading only while a process runs.
            if let Ok(bytes) = std::fs::read(e.path()) {
                files.insert(name, bytes);
            }
        }
    }
    files
}

/// Empties `dir` (creating it if need be) and writes `files` into it.
pub fn restore(dir: &Path, files: &Files) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

/// Bytes in the folder's data files: what the test watches grow.
pub fn data_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().ends_with("-shm"))
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// SQLite's WAL checksum of `data`, continuing from `s`.
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

/// The frames of a WAL as SQLite's recovery reads them: each frame's page number and image,
/// up to the first frame whose salt or checksum is wrong, and how many of them end with a
/// commit (only those are replayed).
pub fn wal_frames(wal: &[u8]) -> (Vec<(u32, &[u8])>, usize) {
    let be = |o: usize| u32::from_be_bytes(wal[o..o + 4].try_into().unwrap());
    if wal.len() < 32 || be(0) & !1 != 0x377f_0682 {
        return (Vec::new(), 0);
    }
    let big = be(0) & 1 == 1;
    let page = be(8) as usize;
    let mut s = wal_checksum(&wal[..24], big, (0, 0));
    if s != (be(24), be(28)) {
        return (Vec::new(), 0);
    }
    let salt = (be(16), be(20));
    let (mut frames, mut committed, mut at) = (Vec::new(), 0, 32);
    while at + 24 + page <= wal.len() && (be(at + 8), be(at + 12)) == salt {
        s = wal_checksum(&wal[at..at + 8], big, s);
        s = wal_checksum(&wal[at + 24..at + 24 + page], big, s);
        if s != (be(at + 16), be(at + 20)) {
            break;
        }
        frames.push((be(at), &wal[at + 24..at + 24 + page]));
        if be(at + 4) != 0 {
            committed = frames.len();
        }
        at += 24 + page;
    }
    (frames, committed)
}

pub fn page(x: &[u8], i: usize, size: usize) -> &[u8] {
    x.get(i * size..((i + 1) * size).min(x.len())).unwrap_or_default()
}

/// Pages that differ between two versions of a file, in the pages of the newer one.
pub fn pages_differing(a: &[u8], b: &[u8]) -> usize {
    let size = page_size(b);
    (0..a.len().max(b.len()).div_ceil(size)).filter(|&i| page(a, i, size) != page(b, i, size)).count()
}

/// Pages whose last committed image in the WAL is not yet in the ledger file.
pub fn wal_pages_pending(db: &[u8], wal: &[u8]) -> usize {
    let (frames, committed) = wal_frames(wal);
    let latest: BTreeMap<u32, &[u8]> = frames[..committed].iter().copied().collect();
    let size = page_size(wal);
    latest.iter().filter(|(n, img)| db.get((**n as usize - 1) * size..**n as usize * size) != Some(**img)).count()
}

/// The crash state the files are in: each file's length; for a WAL, the frames recovery
/// accepts and those it would replay; for a file of the before-state, the pages changed.
pub fn state_key(files: &Files, before: &Files) -> String {
    let mut key = String::new();
    for (name, bytes) in files {
        write!(key, "{}:{}", without_pid(name), bytes.len()).unwrap();
        if name.ends_with("-wal") {
            let (frames, committed) = wal_frames(bytes);
            write!(key, ":frames {}:committed {committed}", frames.len()).unwrap();
        } else if let Some(old) = before.get(name) {
            write!(key, ":changed {}", pages_differing(old, bytes)).unwrap();
        }
        key.push(' ');
    }
    key
}

/// A file name without the process id gongyu puts in the names of its partial copies
/// (`copy.db.1234.partial`, `ledger.v1.partial-1234`): a run of two digits or more.
pub fn without_pid(name: &str) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    for c in name.chars().chain(['\0']) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        out += if digits.len() >= 2 { "#" } else { &digits };
        digits.clear();
        if c != '\0' {
            out.push(c);
        }
    }
    out
}

/// Every row of every table `sqlite_master` lists (and the schema itself, and the version
/// pragmas), in a deterministic form; times of events only as set or not. Opening the file
/// recovers it as any SQLite connection would (WAL replay, hot journal rollback).
pub fn dump(db: &Path) -> Vec<u8> {
    assert!(db.exists(), "{} is missing", db.display());
    try_dump(db).unwrap_or_else(|e| panic!("{}: {e}", db.display()))
}

pub fn try_dump(db: &Path) -> rusqlite::Result<Vec<u8>> {
    use rusqlite::types::ValueRef;
    let conn = rusqlite::Connection::open(db)?;
    let mut out = Vec::new();
    let put = |out: &mut Vec<u8>, tag: u8, bytes: &[u8]| {
        out.push(tag);
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(bytes);
    };
    for pragma in ["user_version", "application_id"] {
        let v: i64 = conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))?;
        put(&mut out, b'p', format!("{pragma} = {v}").as_bytes());
    }
    let schema: Vec<(String, String, Option<String>)> = conn
        .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (kind, name, sql) in &schema {
        put(&mut out, b's', format!("{kind} {name}: {}", sql.as_deref().unwrap_or("-")).as_bytes());
    }
    for (_, table, _) in schema.iter().filter(|(kind, _, _)| kind == "table") {
        let columns: Vec<String> =
            conn.prepare(&format!("SELECT * FROM \"{table}\" LIMIT 0"))?.column_names().iter().map(|c| c.to_string()).collect();
        let select: Vec<String> = columns
            .iter()
            .map(|c| if VOLATILE.contains(&c.as_str()) { format!("\"{c}\" IS NOT NULL") } else { format!("\"{c}\"") })
            .collect();
        let order: Vec<String> = (1..=columns.len()).map(|i| i.to_string()).collect();
        let sql = format!("SELECT {} FROM \"{table}\" ORDER BY {}", select.join(", "), order.join(", "));
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        put(&mut out, b't', format!("{table} ({})", columns.join(", ")).as_bytes());
        while let Some(row) = rows.next()? {
            out.push(b'r');
            for i in 0..columns.len() {
                match row.get_ref(i)? {
                    ValueRef::Null => out.push(b'n'),
                    ValueRef::Integer(n) => put(&mut out, b'i', &n.to_le_bytes()),
                    ValueRef::Real(f) => put(&mut out, b'f', &f.to_le_bytes()),
                    ValueRef::Text(t) => put(&mut out, b'x', t),
                    ValueRef::Blob(b) => put(&mut out, b'b', b),
                }
            }
        }
    }
    Ok(out)
}

/// Dumps the ledger of `files` from a copy, so the files themselves are left as they are.
pub fn dump_of(files: &Files, scratch: &Path) -> Vec<u8> {
    restore(scratch, files);
    dump(&scratch.join(LEDGER))
}
