//! `schema.sql` is the current schema (issue 20): the tables and indexes it creates on an
//! empty database, and its `user_version` and `application_id`, are those of a ledger made
//! by `gongyu init` (version 1 and every migration after it). A migration that does not
//! update `schema.sql` fails here.

#[allow(dead_code)] // shared with tests/cli.rs, which uses all of it
mod workdir;

use std::collections::BTreeMap;

use rusqlite::{Connection, OpenFlags};
use workdir::Workdir;

const SCHEMA_SQL: &str = include_str!("../schema.sql");

/// What a database's schema is: each table and index by (type, name), with its table and
/// its SQL normalised (`None` for SQLite's own indexes of UNIQUE and PRIMARY KEY), and the
/// two header pragmas.
#[derive(Debug, PartialEq)]
struct Shape {
    objects: BTreeMap<(String, String), (String, Option<String>)>,
    user_version: i64,
    application_id: i64,
}

fn shape(conn: &Connection) -> Shape {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master").unwrap();
    let objects = stmt
        .query_map([], |r| {
            let sql: Option<String> = r.get(3)?;
            Ok(((r.get(0)?, r.get(1)?), (r.get(2)?, sql.as_deref().map(normalise))))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let pragma = |name: &str| conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0)).unwrap();
    Shape { objects, user_version: pragma("user_version"), application_id: pragma("application_id") }
}

/// SQL as SQLite keeps it, with what does not change its meaning taken out: `--` comments,
/// runs of white space, white space beside `(`, `)` and `,` (a column that `ALTER TABLE ADD
/// COLUMN` appended is kept as `\n, student TEXT`), and the double quotes SQLite puts
/// around a table's name when `ALTER TABLE … RENAME` gives it. Text in single quotes is
/// kept as it is.
fn normalise(sql: &str) -> String {
    let tight = |c: char| matches!(c, '(' | ')' | ',');
    let mut out = String::new();
    let mut chars = sql.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '-' if chars.peek() == Some(&'-') => {
                while chars.next_if(|&c| c != '\n').is_some() {}
                space = true;
            }
            '"' => {}
            c if c.is_whitespace() => space = true,
            c => {
                if space && !out.is_empty() && !tight(c) && !out.ends_with(tight) {
                    out.push(' ');
                }
                space = false;
                out.push(c);
                if c == '\'' {
                    // A string, to its closing quote ('' inside it is two strings in a row).
                    for c in chars.by_ref() {
                        out.push(c);
                        if c == '\'' {
                            break;
                        }
                    }
                }
            }
        }
    }
    out
}

/// The objects only one side has, or has differently, one a line.
fn differences(init: &Shape, file: &Shape) -> String {
    let mut lines = Vec::new();
    for (key, value) in &init.objects {
        match file.objects.get(key) {
            None => lines.push(format!("only in a new ledger: {key:?}: {value:?}")),
            Some(other) if other != value => {
                lines.push(format!("{key:?}:\n  a new ledger: {value:?}\n  schema.sql:   {other:?}"))
            }
            Some(_) => {}
        }
    }
    for (key, value) in &file.objects {
        if !init.objects.contains_key(key) {
            lines.push(format!("only in schema.sql: {key:?}: {value:?}"));
        }
    }
    for (what, a, b) in
        [("user_version", init.user_version, file.user_version), ("application_id", init.application_id, file.application_id)]
    {
        if a != b {
            lines.push(format!("{what}: a new ledger has {a}, schema.sql sets {b}"));
        }
    }
    lines.join("\n")
}

#[test]
fn schema_sql_creates_the_schema_of_a_new_ledger() {
    let wd = Workdir::with_ledger();
    let ledger = Connection::open_with_flags(wd.db(), OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let init = shape(&ledger);
    let memory = Connection::open_in_memory().unwrap();
    memory.execute_batch(SCHEMA_SQL).expect("schema.sql runs on an empty database");
    let file = shape(&memory);
    assert_eq!(
        init,
        file,
        "schema.sql is not the schema `gongyu init` makes; bring it up to date with the migrations:\n{}",
        differences(&init, &file)
    );
    // Not a comparison of two empty lists: every table the reports read is there.
    for table in ["batch", "unit", "school", "community", "body", "key_student", "registry", "activity", "activity_tally"] {
        assert!(init.objects.contains_key(&("table".into(), table.into())), "{table} missing");
    }
    assert!(init.user_version >= 7, "{}", init.user_version);
}

#[test]
fn the_normalised_sql_keeps_what_changes_a_table() {
    let kept = "CREATE TABLE \"t\" (\n    a INTEGER NOT NULL,   -- the first\n    b TEXT CHECK (b IN ('x -- y', 'z'))\n, c TEXT)";
    let written = "CREATE TABLE t (a INTEGER NOT NULL, b TEXT CHECK (b IN ('x -- y', 'z')), c TEXT)";
    assert_eq!(normalise(kept), normalise(written));
    assert_eq!(normalise(written), "CREATE TABLE t(a INTEGER NOT NULL,b TEXT CHECK(b IN('x -- y','z')),c TEXT)");
    for changed in [
        "CREATE TABLE t (a INTEGER, b TEXT CHECK (b IN ('x -- y', 'z')), c TEXT)",
        "CREATE TABLE t (a INTEGER NOT NULL, b TEXT CHECK (b IN ('x -- y', ' z')), c TEXT)",
        "CREATE TABLE t (a INTEGER NOT NULL, c TEXT, b TEXT CHECK (b IN ('x -- y', 'z')))",
        "CREATE TABLE t (a INTEGER NOT NULL, b TEXT CHECK (b IN ('x -- y', 'z')), c TEXT) WITHOUT ROWID",
    ] {
        assert_ne!(normalise(kept), normalise(changed), "{changed}");
    }
}

/// Issue 23: a new ledger has 16 KiB pages (a national import writes a quarter of the WAL
/// frames); a ledger made with SQLite's 4 KiB pages keeps them through its upgrade and
/// its imports, and checks clean.
#[test]
fn a_new_ledger_has_16_kib_pages_and_an_old_one_keeps_its_own() {
    let page_size = |db: &std::path::Path| -> i64 {
        let c = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap()
    };
    let wd = Workdir::with_ledger();
    assert_eq!(page_size(&wd.db()), 16384);

    let old = Workdir::new();
    std::fs::copy(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ledgers/v1.db"), old.db()).unwrap();
    assert_eq!(page_size(&old.db()), 4096, "the v1 fixture was made with 4 KiB pages");
    let file = old.write_utf8("a.csv", "活动编号,主办单位代码,活动日期,活动类型\nX1,110109001001,2020-10-01,家庭教育指导\n");
    old.ok(&["import", "activities", file.to_str().unwrap()]);
    old.ok(&["check"]);
    assert_eq!(page_size(&old.db()), 4096);
}
