//! The activity table's indexes held to the table, for `check`, in two sequential reads
//! rather than SQLite's lookup of every row in every index.
//!
//! `PRAGMA integrity_check` is `PRAGMA quick_check` plus two things: each index holds
//! exactly one entry per row of its table (for a partial index, per row its `WHERE`
//! admits), with the row's values, and a UNIQUE index holds no value twice. SQLite finds
//! the first by looking every row up in every index: at national scale, tens of millions
//! of b-tree searches, random ones when the ids come in random order. Here the table's
//! pass of `check` hashes each row's entry of each index (its key columns and rowid); the
//! index is then read in its own order, covering (no table lookup), and its entries are
//! hashed alike, and checked to come in strictly ascending order (which is also what
//! makes the UNIQUE index hold no value twice). The counts and the sums of the hashes must
//! agree: an index missing an entry, holding one too many, or holding a wrong value is
//! found (two different multisets of entries with the same count and the same 64-bit sum
//! would pass: a chance of about one in 2⁶⁴ for damage that is not crafted to do so).
//!
//! Only the indexes named in [`INDEXES`], as `schema.sql` creates them, are checked this
//! way; should the activity table have any other (a later migration that did not update
//! this list), or one made otherwise, `check` runs SQLite's own `integrity_check` on the
//! table instead. A test holds the list to the schema; `tests/schema.rs` holds
//! `schema.sql` to a migrated ledger.

use std::ffi::c_int;

use anyhow::Result;
use rusqlite::{ffi, Connection};

use super::super::raw::Raw;

/// The activity table's indexes, and a covering read of each in its order: key columns,
/// then the rowid.
pub(super) const INDEXES: [(&str, &str); 3] = [
    ("activity_ext_id", "SELECT ext_id, rowid FROM activity INDEXED BY activity_ext_id WHERE ext_id IS NOT NULL"),
    ("activity_fingerprint", "SELECT fingerprint, rowid FROM activity INDEXED BY activity_fingerprint WHERE ext_id IS NULL"),
    (
        "activity_student",
        "SELECT host_id, student, day, rowid FROM activity INDEXED BY activity_student WHERE student IS NOT NULL",
    ),
];

/// The current schema, where the statements creating the indexes are read from.
const SCHEMA_SQL: &str = include_str!("../../../schema.sql");

/// The statement of `schema.sql` that creates the index `name` (without its `;`): also
/// what an import that dropped an index for a large file builds it again with.
pub(crate) fn created(name: &str) -> Option<&'static str> {
    let named = format!(" INDEX {name} ON ");
    SCHEMA_SQL.lines().map(str::trim).find(|l| l.starts_with("CREATE ") && l.contains(&named)).map(|l| l.trim_end_matches(';'))
}

/// Whether the activity table's indexes are exactly [`INDEXES`], as `schema.sql` creates them.
pub(super) fn known(conn: &Connection) -> Result<bool> {
    let mut stmt =
        conn.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'activity' ORDER BY name")?;
    let found: Vec<(String, Option<String>)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let mut want: Vec<(String, Option<String>)> =
        INDEXES.iter().map(|(name, _)| (name.to_string(), created(name).map(str::to_string))).collect();
    want.sort();
    Ok(found == want)
}

/// How many entries an index holds (or its rows call for), and the sum of their hashes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Digest {
    pub count: u64,
    sum: u64,
}

impl Digest {
    fn add(&mut self, hash: u64) {
        self.count += 1;
        self.sum = self.sum.wrapping_add(hash);
    }
}

/// MurmurHash3's 64-bit finaliser: every bit of the input moves about half of the output.
fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The hash of one index entry, fed its values in the index's column order.
struct Entry(u64);

impl Entry {
    fn of(index: usize) -> Entry {
        Entry(0xcbf2_9ce4_8422_2325 ^ index as u64)
    }

    fn int(mut self, v: i64) -> Entry {
        self.0 = fmix(self.0 ^ v as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
        self
    }

    /// A value read by [`Raw::value`]: its type, length and bytes (FNV-1a).
    fn value(mut self, v: Option<(c_int, &[u8])>) -> Entry {
        let Some((kind, bytes)) = v else { return self.int(-1) };
        self = self.int(i64::from(kind)).int(bytes.len() as i64);
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    fn done(self) -> u64 {
        fmix(self.0)
    }
}

/// The entries the table's rows call for, index by index (in the order of [`INDEXES`]).
#[derive(Debug, Default)]
pub(super) struct FromTable(pub [Digest; 3]);

impl FromTable {
    /// One activity row: the entry of each index its values put it in.
    pub(super) fn row(
        &mut self,
        id: i64,
        ext_id: Option<(c_int, &[u8])>,
        fingerprint: i64,
        host: i64,
        student: Option<(c_int, &[u8])>,
        day: i64,
    ) {
        match ext_id {
            Some(_) => self.0[0].add(Entry::of(0).value(ext_id).int(id).done()),
            None => self.0[1].add(Entry::of(1).int(fingerprint).int(id).done()),
        }
        if student.is_some() {
            self.0[2].add(Entry::of(2).int(host).value(student).int(day).int(id).done());
        }
    }
}

/// Where SQLite sorts a value of a type: numbers, then texts, then blobs (NULL first).
fn type_rank(kind: c_int) -> u8 {
    match kind {
        ffi::SQLITE_INTEGER | ffi::SQLITE_FLOAT => 1,
        ffi::SQLITE_TEXT => 2,
        _ => 3,
    }
}

/// The last entry read of an index, to check the next one comes after it: numbers, and
/// one text or blob (type rank and bytes; SQLite's BINARY collation, the only one the
/// schema uses), in the index's column order as [`Last::after`] compares them.
#[derive(Default)]
struct Last {
    seen: bool,
    before: i64,
    rank: u8,
    bytes: Vec<u8>,
    after: [i64; 2],
}

impl Last {
    /// Whether (before, value, after) comes strictly after the last entry; remembers it.
    fn after(&mut self, before: i64, value: Option<(c_int, &[u8])>, after: [i64; 2]) -> bool {
        let (rank, bytes) = value.map_or((0, &[][..]), |(kind, b)| (type_rank(kind), b));
        let later = !self.seen || (before, rank, bytes, after) > (self.before, self.rank, &self.bytes[..], self.after);
        self.seen = true;
        (self.before, self.rank, self.after) = (before, rank, after);
        self.bytes.clear();
        self.bytes.extend_from_slice(bytes);
        later
    }
}

/// A problem an index has: words for the `integrity_check` finding.
pub(super) enum Problem {
    /// Entry out of order or repeated, at this rowid.
    Order(&'static str, i64),
    Count(&'static str, u64, u64),
    Content(&'static str, u64),
}

impl Problem {
    pub(super) fn words(&self) -> String {
        match *self {
            Problem::Order(index, row) => crate::t!("ledger-check-index-order", index = index, row = row),
            Problem::Count(index, rows, entries) => {
                crate::t!("ledger-check-index-count", index = index, table = "activity", rows = rows, entries = entries)
            }
            Problem::Content(index, rows) => {
                crate::t!("ledger-check-index-content", index = index, table = "activity", rows = rows)
            }
        }
    }
}

/// Reads each index of [`INDEXES`] in its order and holds it to what the table called for.
pub(super) fn held_to(conn: &Connection, table: &FromTable) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    for (i, (name, sql)) in INDEXES.iter().enumerate() {
        let mut rows = Raw::new(conn, sql, &[])?;
        let mut digest = Digest::default();
        let mut last = Last::default();
        let mut out_of_order = None;
        while rows.next()? {
            // The entry's hash, and whether it comes after the last: a UNIQUE index's keys
            // strictly ascend (the rowid is not compared), another's with the rowid.
            let (hash, later, id) = match i {
                0 => {
                    let (ext, id) = (rows.value(0), rows.int(1));
                    (Entry::of(0).value(ext).int(id).done(), last.after(0, ext, [0, 0]), id)
                }
                1 => {
                    let (fingerprint, id) = (rows.int(0), rows.int(1));
                    (Entry::of(1).int(fingerprint).int(id).done(), last.after(fingerprint, None, [id, 0]), id)
                }
                _ => {
                    let (host, student, day, id) = (rows.int(0), rows.value(1), rows.int(2), rows.int(3));
                    (Entry::of(2).int(host).value(student).int(day).int(id).done(), last.after(host, student, [day, id]), id)
                }
            };
            digest.add(hash);
            if !later && out_of_order.is_none() {
                out_of_order = Some(id);
            }
        }
        if let Some(id) = out_of_order {
            problems.push(Problem::Order(name, id));
        }
        let want = table.0[i];
        if want.count != digest.count {
            problems.push(Problem::Count(name, want.count, digest.count));
        } else if want != digest {
            problems.push(Problem::Content(name, want.count));
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    /// The list is the schema's: a new ledger's activity indexes are exactly these (else
    /// `check` falls back to SQLite's slower `integrity_check` of the table).
    #[test]
    fn the_activity_indexes_listed_are_the_schemas() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = crate::ledger::Ledger::create(&dir.path().join("l.db")).unwrap().unwrap();
        assert!(super::known(&ledger.conn).unwrap());
    }
}
