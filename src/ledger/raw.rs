//! A statement driven through SQLite's C interface, for the statements run millions of
//! times: the scans a report makes (the term tally, the rosters) and the activities an
//! import writes.
//!
//! rusqlite asks SQLite for each value's type before reading it, and wraps every read;
//! nationally that was a tenth of a report's time. A [`Raw`] reads integers and texts
//! straight from the row. The columns it reads are typed by the schema (`INTEGER NOT
//! NULL`, `TEXT`); `gongyu check` is what vouches for the stored values.
//!
//! rusqlite binds every text as SQLite's `TRANSIENT`: SQLite copies it into memory of its
//! own, a `malloc` and a `free` per text (a quarter of an import's writing of activities).
//! [`Raw::execute`] binds texts in place, and clears them before it returns.

use std::ffi::{c_int, CStr, CString};
use std::marker::PhantomData;

use anyhow::{anyhow, Context, Result};
use rusqlite::{ffi, Connection};

/// A prepared statement, stepped row by row; finalized when dropped.
pub(super) struct Raw<'c> {
    stmt: *mut ffi::sqlite3_stmt,
    db: *mut ffi::sqlite3,
    sql: String,
    /// The statement must not outlive its connection.
    _conn: PhantomData<&'c Connection>,
}

fn error(db: *mut ffi::sqlite3, code: c_int, sql: &str) -> anyhow::Error {
    // SAFETY: `db` is an open connection; its message lives until the next call on it,
    // and is copied at once.
    let msg = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db)) }.to_string_lossy().into_owned();
    anyhow!("SQLite error {code}: {msg}").context(crate::t!("ledger-reading-with", sql = sql))
}

impl<'c> Raw<'c> {
    /// Prepares `sql` on `conn` with its integer parameters bound in order (?1, ?2, …).
    pub(super) fn new(conn: &'c Connection, sql: &str, params: &[i64]) -> Result<Raw<'c>> {
        // SAFETY: the handle is only used while `conn` is borrowed, on this thread.
        let db = unsafe { conn.handle() };
        let text = CString::new(sql).context("a statement with a NUL byte")?;
        let mut stmt = std::ptr::null_mut();
        // SAFETY: `text` is NUL-terminated and outlives the call; `stmt` is written by it.
        let rc = unsafe { ffi::sqlite3_prepare_v2(db, text.as_ptr(), -1, &mut stmt, std::ptr::null_mut()) };
        if rc != ffi::SQLITE_OK {
            return Err(error(db, rc, sql));
        }
        let scan = Raw { stmt, db, sql: sql.to_string(), _conn: PhantomData };
        for (i, &p) in params.iter().enumerate() {
            // SAFETY: `stmt` is a live statement; parameters count from 1.
            let rc = unsafe { ffi::sqlite3_bind_int64(stmt, i as c_int + 1, p) };
            if rc != ffi::SQLITE_OK {
                return Err(error(db, rc, sql));
            }
        }
        Ok(scan)
    }

    /// Steps to the next row: false once there are no more.
    pub(super) fn next(&mut self) -> Result<bool> {
        // SAFETY: `stmt` is live until drop; `&mut self` ends every borrow of the last row.
        match unsafe { ffi::sqlite3_step(self.stmt) } {
            ffi::SQLITE_ROW => Ok(true),
            ffi::SQLITE_DONE => Ok(false),
            rc => Err(error(self.db, rc, &self.sql)),
        }
    }

    /// Column `i` of the row as an integer (NULL reads 0).
    pub(super) fn int(&self, i: c_int) -> i64 {
        // SAFETY: a live statement on a row; SQLite checks the column's range itself.
        unsafe { ffi::sqlite3_column_int64(self.stmt, i) }
    }

    /// Whether column `i` of the row is NULL.
    pub(super) fn is_null(&self, i: c_int) -> bool {
        // SAFETY: a live statement on a row; SQLite checks the column's range itself.
        unsafe { ffi::sqlite3_column_type(self.stmt, i) == ffi::SQLITE_NULL }
    }

    /// Column `i` of the row as text: `None` for NULL. The text is valid until the next step.
    pub(super) fn text(&self, i: c_int) -> Result<Option<&str>> {
        let Some(bytes) = self.bytes(i) else { return Ok(None) };
        std::str::from_utf8(bytes).map(Some).with_context(|| format!("column {i} of `{}` is not UTF-8 text", self.sql))
    }

    /// Column `i` of the row as the bytes of its text, not checked as UTF-8: `None` for
    /// NULL. Valid until the next step.
    #[inline]
    pub(super) fn bytes(&self, i: c_int) -> Option<&[u8]> {
        // SAFETY: a live statement on a row. `sqlite3_column_text` comes before
        // `sqlite3_column_bytes`, as SQLite asks, so the length is that of the UTF-8 text;
        // the bytes stay valid while `self` is borrowed (no step, no other column read
        // converts this one).
        unsafe {
            let p = ffi::sqlite3_column_text(self.stmt, i);
            if p.is_null() {
                return None;
            }
            let n = ffi::sqlite3_column_bytes(self.stmt, i);
            Some(std::slice::from_raw_parts(p, n as usize))
        }
    }
}

/// Values parsed from the texts of `N` columns, kept by those texts' bytes: a roster's
/// rows repeat a few spellings (a school type, an area; a township over its units' rows).
/// A row whose texts are bytes kept has their value; only other texts are checked as
/// UTF-8 (as [`Raw::text`] checks them) and parsed. A national report read 2.8 million
/// texts of the rosters, and checked each.
pub(super) struct Parsed<T, const N: usize> {
    kept: Vec<(Spelled<N>, T)>,
    /// How many values are kept at most; then each new one takes the oldest one's place.
    cap: usize,
    next: usize,
}

/// The bytes of `N` columns' texts (`None` for NULL).
type Spelled<const N: usize> = [Option<Box<[u8]>>; N];

impl<T: Copy, const N: usize> Parsed<T, N> {
    pub(super) fn new(cap: usize) -> Parsed<T, N> {
        Parsed { kept: Vec::with_capacity(cap), cap: cap.max(1), next: 0 }
    }

    /// The value of columns `cols` of `row`: kept, or `parse` of their texts (`None` for
    /// NULL), kept from now on.
    #[inline]
    pub(super) fn get(&mut self, row: &Raw<'_>, cols: [c_int; N], parse: impl FnOnce([Option<&str>; N]) -> T) -> Result<T> {
        let bytes = cols.map(|i| row.bytes(i));
        if let Some((_, v)) = self.kept.iter().find(|(k, _)| k.iter().zip(&bytes).all(|(a, b)| a.as_deref() == *b)) {
            return Ok(*v);
        }
        let mut texts = [None; N];
        for (t, &i) in texts.iter_mut().zip(&cols) {
            *t = row.text(i)?;
        }
        let v = parse(texts);
        let entry = (bytes.map(|b| b.map(Box::from)), v);
        if self.kept.len() < self.cap {
            self.kept.push(entry);
        } else {
            self.kept[self.next] = entry;
            self.next = (self.next + 1) % self.cap;
        }
        Ok(v)
    }
}

impl Raw<'_> {
    /// Column `i` of the row as SQLite stores it: its type (`SQLITE_INTEGER`, `SQLITE_TEXT`,
    /// …) and its bytes (a blob's own, else its text), or `None` for NULL. Valid until the
    /// next step; each column is read once (reading a number as text converts it).
    pub(super) fn value(&self, i: c_int) -> Option<(c_int, &[u8])> {
        // SAFETY: a live statement on a row. The type is read before the value is
        // converted; the bytes stay valid while `self` is borrowed (no step, no other read
        // of this column).
        unsafe {
            let kind = ffi::sqlite3_column_type(self.stmt, i);
            if kind == ffi::SQLITE_NULL {
                return None;
            }
            let p = if kind == ffi::SQLITE_BLOB {
                ffi::sqlite3_column_blob(self.stmt, i).cast::<u8>()
            } else {
                ffi::sqlite3_column_text(self.stmt, i)
            };
            let n = ffi::sqlite3_column_bytes(self.stmt, i);
            if p.is_null() || n <= 0 {
                return Some((kind, &[]));
            }
            Some((kind, std::slice::from_raw_parts(p, n as usize)))
        }
    }
}

/// The parameters of one [`Raw::execute`]: texts are bound in place, so they must outlive
/// the execution, which the borrow `'t` ensures.
pub(super) struct Binds<'s, 't> {
    stmt: *mut ffi::sqlite3_stmt,
    _texts: PhantomData<(&'s mut (), &'t str)>,
}

impl<'t> Binds<'_, 't> {
    /// Parameter `i` (from 1): an integer.
    pub(super) fn int(&mut self, i: usize, v: i64) {
        // SAFETY: a live statement, not stepping; SQLite checks the index (an index out of
        // range is SQLITE_RANGE, which a statement of fixed text never meets).
        unsafe { ffi::sqlite3_bind_int64(self.stmt, i as c_int, v) };
    }

    /// Parameter `i` (from 1): a text, or NULL.
    pub(super) fn text(&mut self, i: usize, v: Option<&'t str>) {
        // SAFETY: SQLITE_STATIC: SQLite reads the bytes in place until the bindings are
        // cleared, which `execute` does before the borrow `'t` can end.
        unsafe {
            match v {
                Some(t) => ffi::sqlite3_bind_text(
                    self.stmt,
                    i as c_int,
                    t.as_ptr().cast(),
                    c_int::try_from(t.len()).unwrap_or(c_int::MAX),
                    ffi::SQLITE_STATIC(),
                ),
                None => ffi::sqlite3_bind_null(self.stmt, i as c_int),
            };
        }
    }

    /// Parameter `i` (from 1): a blob, bound in place as [`text`](Self::text) is.
    pub(super) fn blob(&mut self, i: usize, v: &'t [u8]) {
        // SAFETY: as `text`: SQLite reads the bytes in place until the bindings are cleared.
        unsafe {
            ffi::sqlite3_bind_blob(
                self.stmt,
                i as c_int,
                v.as_ptr().cast(),
                c_int::try_from(v.len()).unwrap_or(c_int::MAX),
                ffi::SQLITE_STATIC(),
            )
        };
    }

    /// Parameter `i` (from 1): an integer, or NULL.
    pub(super) fn opt_int(&mut self, i: usize, v: Option<i64>) {
        match v {
            Some(v) => self.int(i, v),
            // SAFETY: as `int`.
            None => unsafe {
                ffi::sqlite3_bind_null(self.stmt, i as c_int);
            },
        }
    }
}

/// How a statement run by [`Raw::execute`] ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Executed {
    /// Done: this many rows were changed.
    Changed(u64),
    /// A constraint failed (a UNIQUE index, a CHECK…), as SQLite words it: what the
    /// statement did is as its conflict clause says (OR FAIL keeps the rows before the
    /// failing one).
    Constraint(String),
}

impl<'c> Raw<'c> {
    /// Binds the parameters (`bind` is handed the binder), runs the statement to its end
    /// and makes it ready to run again, its texts unbound.
    pub(super) fn execute<'t>(&mut self, bind: impl FnOnce(&mut Binds<'_, 't>)) -> Result<Executed> {
        let mut binds = Binds { stmt: self.stmt, _texts: PhantomData };
        bind(&mut binds);
        // SAFETY: a live statement with its parameters bound; stepped until done (an
        // INSERT or DELETE returns no rows), then reset and unbound whatever happened, so
        // no text bound in place is read after this call.
        let outcome = unsafe {
            let mut rc = ffi::sqlite3_step(self.stmt);
            while rc == ffi::SQLITE_ROW {
                rc = ffi::sqlite3_step(self.stmt);
            }
            // Read before the reset: the changes and the message are of this statement.
            let outcome = match rc {
                ffi::SQLITE_DONE => Ok(Executed::Changed(ffi::sqlite3_changes64(self.db) as u64)),
                rc if rc & 0xff == ffi::SQLITE_CONSTRAINT => {
                    Ok(Executed::Constraint(CStr::from_ptr(ffi::sqlite3_errmsg(self.db)).to_string_lossy().into_owned()))
                }
                rc => Err(error(self.db, rc, &self.sql)),
            };
            ffi::sqlite3_reset(self.stmt);
            ffi::sqlite3_clear_bindings(self.stmt);
            outcome
        };
        outcome
    }
}

impl Drop for Raw<'_> {
    fn drop(&mut self) {
        // SAFETY: finalized once, here.
        unsafe { ffi::sqlite3_finalize(self.stmt) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_integers_texts_and_nulls_and_names_the_statement_in_errors() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, '门头沟'), (2, NULL), (3, 'x');")
            .unwrap();
        let mut scan = Raw::new(&conn, "SELECT a, b FROM t WHERE a >= ?1 ORDER BY a", &[2]).unwrap();
        let mut seen = Vec::new();
        while scan.next().unwrap() {
            seen.push((scan.int(0), scan.text(1).unwrap().map(str::to_string)));
        }
        assert_eq!(seen, [(2, None), (3, Some("x".to_string()))]);
        let mut scan = Raw::new(&conn, "SELECT b FROM t WHERE a = ?1", &[1]).unwrap();
        assert!(scan.next().unwrap());
        assert_eq!(scan.text(0).unwrap(), Some("门头沟"));
        assert!(!scan.next().unwrap());

        let e = Raw::new(&conn, "SELECT nope FROM t", &[]).err().unwrap();
        assert!(format!("{e:#}").contains("no such column: nope"), "{e:#}");
        assert!(format!("{e:#}").contains("SELECT nope FROM t"), "{e:#}");
        conn.execute_batch("INSERT INTO t VALUES (4, CAST(x'ff' AS TEXT))").unwrap();
        let mut scan = Raw::new(&conn, "SELECT b FROM t WHERE a = 4", &[]).unwrap();
        assert!(scan.next().unwrap());
        assert!(format!("{:#}", scan.text(0).unwrap_err()).contains("not UTF-8"));
    }

    #[test]
    fn executes_with_texts_bound_in_place_and_tells_constraints_from_errors() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a INTEGER NOT NULL UNIQUE, b TEXT, c INTEGER CHECK (c >= 0))").unwrap();
        let mut insert = Raw::new(&conn, "INSERT OR FAIL INTO t VALUES (?1, ?2, ?3), (?4, ?5, ?6)", &[]).unwrap();
        for (a, b) in [(1i64, "门头沟".to_string()), (3, String::from("x"))] {
            let rc = insert
                .execute(|p| {
                    p.int(1, a);
                    p.text(2, Some(&b));
                    p.opt_int(3, None);
                    p.int(4, a + 1);
                    p.text(5, None);
                    p.opt_int(6, Some(7));
                })
                .unwrap();
            assert_eq!(rc, Executed::Changed(2));
        }
        let rows: Vec<(i64, Option<String>, Option<i64>)> = conn
            .prepare("SELECT a, b, c FROM t ORDER BY a")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(rows, [(1, Some("门头沟".into()), None), (2, None, Some(7)), (3, Some("x".into()), None), (4, None, Some(7))]);
        // A repeated key part-way: OR FAIL keeps the row before it.
        let rc = insert.execute(|p| (p.int(1, 5), p.int(4, 1)).1).unwrap();
        assert_eq!(rc, Executed::Constraint("UNIQUE constraint failed: t.a".into()));
        assert_eq!(conn.query_row("SELECT count(*) FROM t WHERE a = 5", [], |r| r.get::<_, i64>(0)).unwrap(), 1);
        // The statement runs again after a failure, with nothing left bound from before.
        let rc = insert.execute(|p| (p.int(1, 8), p.int(4, 9)).1).unwrap();
        assert_eq!(rc, Executed::Changed(2));
        let unbound = "SELECT count(*) FROM t WHERE a IN (8, 9) AND b IS NULL AND c IS NULL";
        assert_eq!(conn.query_row(unbound, [], |r| r.get::<_, i64>(0)).unwrap(), 2);
        assert!(Raw::new(&conn, "INSERT INTO t SELECT * FROM nowhere", &[]).is_err());
        let mut check = Raw::new(&conn, "INSERT INTO t VALUES (?1, NULL, ?2)", &[]).unwrap();
        let rc = check.execute(|p| (p.int(1, 20), p.int(2, -1)).1).unwrap();
        assert_eq!(rc, Executed::Constraint("CHECK constraint failed: c >= 0".into()));
        conn.execute_batch("CREATE TABLE busy (x)").unwrap();
        let mut gone = Raw::new(&conn, "INSERT INTO busy VALUES (1)", &[]).unwrap();
        conn.execute_batch("DROP TABLE busy").unwrap();
        assert!(gone.execute(|_| {}).is_err(), "a statement whose table is gone is an error, not a constraint");
    }
}
