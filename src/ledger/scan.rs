//! A statement stepped through SQLite's C interface, for the scans of a million rows and
//! more that a report makes (the term tally, the rosters).
//!
//! rusqlite asks SQLite for each value's type before reading it, and wraps every read;
//! nationally that was a tenth of a report's time. A [`Scan`] reads integers and texts
//! straight from the row. The columns it reads are typed by the schema (`INTEGER NOT
//! NULL`, `TEXT`); `gongyu check` is what vouches for the stored values.

use std::ffi::{c_int, CStr, CString};
use std::marker::PhantomData;

use anyhow::{anyhow, Context, Result};
use rusqlite::{ffi, Connection};

/// A prepared statement, stepped row by row; finalized when dropped.
pub(super) struct Scan<'c> {
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
    anyhow!("SQLite error {code}: {msg}").context(format!("reading the ledger with `{sql}`"))
}

impl<'c> Scan<'c> {
    /// Prepares `sql` on `conn` with its integer parameters bound in order (?1, ?2, …).
    pub(super) fn new(conn: &'c Connection, sql: &str, params: &[i64]) -> Result<Scan<'c>> {
        // SAFETY: the handle is only used while `conn` is borrowed, on this thread.
        let db = unsafe { conn.handle() };
        let text = CString::new(sql).context("a statement with a NUL byte")?;
        let mut stmt = std::ptr::null_mut();
        // SAFETY: `text` is NUL-terminated and outlives the call; `stmt` is written by it.
        let rc = unsafe { ffi::sqlite3_prepare_v2(db, text.as_ptr(), -1, &mut stmt, std::ptr::null_mut()) };
        if rc != ffi::SQLITE_OK {
            return Err(error(db, rc, sql));
        }
        let scan = Scan { stmt, db, sql: sql.to_string(), _conn: PhantomData };
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

    /// Column `i` of the row as text: `None` for NULL. The text is valid until the next step.
    pub(super) fn text(&self, i: c_int) -> Result<Option<&str>> {
        // SAFETY: a live statement on a row. `sqlite3_column_text` comes before
        // `sqlite3_column_bytes`, as SQLite asks, so the length is that of the UTF-8 text;
        // the bytes stay valid while `self` is borrowed (no step, no other column read
        // converts this one).
        let bytes = unsafe {
            let p = ffi::sqlite3_column_text(self.stmt, i);
            if p.is_null() {
                return Ok(None);
            }
            let n = ffi::sqlite3_column_bytes(self.stmt, i);
            std::slice::from_raw_parts(p, n as usize)
        };
        std::str::from_utf8(bytes).map(Some).with_context(|| format!("column {i} of `{}` is not UTF-8 text", self.sql))
    }
}

impl Drop for Scan<'_> {
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
        let mut scan = Scan::new(&conn, "SELECT a, b FROM t WHERE a >= ?1 ORDER BY a", &[2]).unwrap();
        let mut seen = Vec::new();
        while scan.next().unwrap() {
            seen.push((scan.int(0), scan.text(1).unwrap().map(str::to_string)));
        }
        assert_eq!(seen, [(2, None), (3, Some("x".to_string()))]);
        let mut scan = Scan::new(&conn, "SELECT b FROM t WHERE a = ?1", &[1]).unwrap();
        assert!(scan.next().unwrap());
        assert_eq!(scan.text(0).unwrap(), Some("门头沟"));
        assert!(!scan.next().unwrap());

        let e = Scan::new(&conn, "SELECT nope FROM t", &[]).err().unwrap();
        assert!(format!("{e:#}").contains("no such column: nope"), "{e:#}");
        assert!(format!("{e:#}").contains("SELECT nope FROM t"), "{e:#}");
        conn.execute_batch("INSERT INTO t VALUES (4, CAST(x'ff' AS TEXT))").unwrap();
        let mut scan = Scan::new(&conn, "SELECT b FROM t WHERE a = 4", &[]).unwrap();
        assert!(scan.next().unwrap());
        assert!(format!("{:#}", scan.text(0).unwrap_err()).contains("not UTF-8"));
    }
}
