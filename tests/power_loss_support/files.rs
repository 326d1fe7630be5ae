//! Ledger folders of `tests/power_loss.rs` as data: read, written back, and dumped as
//! SQLite recovers them.

use std::path::Path;

use super::{Files, VOLATILE};

pub fn read_files(dir: &Path) -> Files {
    let mut files = Files::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.ends_with("-shm") {
            files.insert(name, std::fs::read(e.path()).unwrap());
        }
    }
    files
}

pub fn restore(dir: &Path, files: &Files) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

/// Every row of every table, the schema and the version pragmas, in a deterministic form;
/// times of events only as set or not. Opening the file recovers it as SQLite would.
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
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    put(&mut out, b'c', check.as_bytes());
    Ok(out)
}

/// Dumps the file `name` of `files` from a copy of the folder (`alone`: the file without
/// the others, as a clerk would copy a backup out).
pub fn dump_of(files: &Files, name: &str, scratch: &Path, alone: bool) -> Result<Vec<u8>, String> {
    if alone {
        restore(scratch, &[(name.to_string(), files[name].clone())].into());
    } else {
        restore(scratch, files);
    }
    try_dump(&scratch.join(name)).map_err(|e| e.to_string())
}
