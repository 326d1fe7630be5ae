//! The ledger: one SQLite file. Only this module speaks SQL.
//!
//! Connection discipline lives in [`Ledger::open`]: WAL (readers never wait for a writer),
//! `synchronous=FULL`, foreign keys on, a long busy timeout, and every write in an
//! IMMEDIATE transaction. The schema is versioned through `PRAGMA user_version`.

pub(crate) mod admin;
pub(crate) mod check;
pub(crate) mod counts;
mod flush;
#[cfg(feature = "fault-injection")]
pub mod iolog;
pub(crate) mod os;
pub(crate) mod quality;
mod raw;
pub(crate) mod read;
pub(crate) mod received;
pub mod schema;
pub(crate) mod term_rule;
pub(crate) mod terms;
pub(crate) mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use rusqlite::{Connection, OpenFlags};

pub(crate) use flush::WalFlusher;
pub use write::{ActivityOutcome, BatchInfo, CodeMap, ImportTx, LeftOut, Refusal};

/// SQL condition: the unit `u` is on some live roster of a kind whose units host
/// activities (schools, communities, bodies: their specs' `host`). Imports check hosts with
/// it; `check` and `revert` look for activities whose host is not.
pub(crate) static IN_LIVE_ROSTER: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let each: Vec<String> = host_rosters()
        .map(|k| {
            format!(
                "EXISTS (SELECT 1 FROM {} x JOIN batch b ON b.id = x.batch_id WHERE x.unit_id = u.id AND b.reverted_at IS NULL)",
                k.table
            )
        })
        .collect();
    format!("({})", each.join(" OR "))
});

/// The specs of the roster kinds whose units host activities.
pub(crate) fn host_rosters() -> impl Iterator<Item = &'static crate::returns::KindSpec> {
    crate::returns::kinds::ALL.into_iter().filter(|k| k.host.is_some())
}

/// Their names as an SQL list, `'schools', 'communities', 'bodies'` (constants of the specs,
/// never input).
pub(crate) static HOST_KINDS_SQL: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| host_rosters().map(|k| format!("'{}'", k.name)).collect::<Vec<_>>().join(", "));

/// `PRAGMA application_id` of a gongyu ledger ("GYLG").
pub const APPLICATION_ID: i32 = 0x4759_4C47;

/// The size of a new ledger's pages (issue 23). A national import writes every page twice,
/// to the WAL and then, at the checkpoint, into the ledger: with 16 KiB pages it makes a
/// quarter of the frames and system calls that 4 KiB pages make, and its B-trees are
/// shallower. A ledger made with another size keeps it (SQLite reads the size from the file).
pub const PAGE_SIZE: u32 = 16 * 1024;

/// How long a write waits for another writer before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(600);

/// An open ledger file.
pub struct Ledger {
    pub(crate) conn: Connection,
    path: PathBuf,
}

/// Whether gongyu could write the ledger and the side files beside it.
fn writable(path: &Path) -> bool {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let probe = dir.join(format!(".gongyu-write-probe-{}", std::process::id()));
    let ok = std::fs::OpenOptions::new().write(true).create_new(true).open(&probe).is_ok();
    let _ = std::fs::remove_file(&probe);
    ok && std::fs::OpenOptions::new().append(true).open(path).is_ok()
}

/// Turns SQLite's terse errors for a full disk or a read-only file into words a clerk can
/// act on. Other errors pass through unchanged.
pub fn explain(e: rusqlite::Error) -> anyhow::Error {
    match hint(&e) {
        Some(h) => anyhow::Error::new(e).context(h),
        None => anyhow::Error::new(e),
    }
}

/// The words for a full disk, a read-only or locked ledger, found anywhere in `e`'s chain.
pub fn database_hint(e: &anyhow::Error) -> Option<String> {
    e.chain().find_map(|c| c.downcast_ref::<rusqlite::Error>()).and_then(hint)
}

/// Whether `e` is a failure of the database rather than of the input.
pub fn is_database_error(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<rusqlite::Error>().is_some())
}

fn hint(e: &rusqlite::Error) -> Option<String> {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => Some(crate::t!("ledger-hint-disk-full")),
        Some(ErrorCode::ReadOnly) => Some(crate::t!("ledger-hint-read-only")),
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Some(crate::t!("ledger-hint-locked")),
        Some(ErrorCode::NotADatabase) => Some(crate::t!("ledger-hint-not-a-database")),
        _ => None,
    }
}

/// Warns when the ledger sits on a network file system, where SQLite's locks (and so
/// gongyu's all-or-nothing imports) are not reliable.
pub fn network_fs_warning(path: &Path) -> Option<String> {
    let text = path.to_string_lossy();
    if text.starts_with("\\\\") || text.starts_with("//") {
        return Some(crate::t!("ledger-network-share", path = path.display().to_string()));
    }
    let dir = std::fs::canonicalize(path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))).ok()?;
    let mounts = std::fs::read_to_string("/proc/mounts").ok()?;
    let (fstype, mount) = mounts
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (_, mount, fstype) = (f.next()?, f.next()?, f.next()?);
            let mount = mount.replace("\\040", " ");
            dir.starts_with(&mount).then(|| (fstype.to_string(), mount))
        })
        .max_by_key(|(_, m)| m.len())?;
    const NETWORK: [&str; 9] = ["nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "fuse.sshfs", "9p"];
    NETWORK.contains(&fstype.as_str()).then(|| {
        crate::t!("ledger-network-fs", path = path.display().to_string(), fstype = fstype.as_str(), mount = mount.as_str())
    })
}

impl Ledger {
    /// Creates a new ledger at `path`. Returns `Ok(None)` if a file is already there.
    pub fn create(path: &Path) -> Result<Option<Ledger>> {
        if path.exists() {
            return Ok(None);
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                anyhow::anyhow!(crate::t!("ledger-create-folder", dir = dir.display().to_string(), reason = os::words(&e)))
            })?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| crate::t!("ledger-create", path = path.display().to_string()))?;
        counts::register(&conn)?;
        // Set before the first write (WAL mode is one): the size of a ledger's pages is fixed
        // when it is made. See PAGE_SIZE.
        conn.execute_batch(&format!("PRAGMA page_size = {PAGE_SIZE}"))
            .with_context(|| crate::t!("ledger-create", path = path.display().to_string()))?;
        let mut ledger = Ledger { conn, path: path.to_path_buf() };
        ledger.configure()?;
        schema::migrate(&mut ledger.conn, path)?;
        Ok(Some(ledger))
    }

    /// Opens an existing ledger, upgrading its schema if it is older. Never creates a file.
    pub fn open(path: &Path) -> Result<Ledger> {
        if !path.exists() {
            bail!(crate::t!("ledger-missing", path = path.display().to_string()));
        }
        if path.is_dir() {
            bail!(crate::t!("ledger-is-a-folder", path = path.display().to_string()));
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .with_context(|| crate::t!("ledger-open", path = path.display().to_string()))?;
        counts::register(&conn)?;
        let mut ledger = Ledger { conn, path: path.to_path_buf() };
        match ledger.configure() {
            Ok(()) => {}
            // On a read-only disk or share SQLite cannot make the WAL's side files, even to
            // read. Nothing can change the file there, so it is read as immutable: reports
            // work, and any write fails with "the ledger is read-only".
            Err(e) if !writable(path) => {
                return Ledger::open_read_only(path).with_context(|| {
                    crate::t!("ledger-read-only-unreadable", path = path.display().to_string(), error = format!("{e:#}"))
                })
            }
            Err(e) => return Err(e.context(crate::t!("ledger-unusable", path = path.display().to_string()))),
        }
        schema::check_and_migrate(&mut ledger.conn, path)?;
        Ok(ledger)
    }

    /// Opens a ledger that cannot be written here. Its WAL, if a stopped import or a crash
    /// left one, holds committed changes not yet in the file: it is read (through a private
    /// index in memory, as the folder has no room for the `-shm` file), never ignored.
    /// Only a ledger without a WAL is read as immutable.
    pub(crate) fn open_read_only(path: &Path) -> Result<Ledger> {
        let wal = wal_path(path);
        let pending = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
        let conn = if pending {
            let open = || -> rusqlite::Result<Connection> {
                // The VFS without file locks: a read-only file cannot take the exclusive lock.
                let vfs = if cfg!(windows) { "win32-none" } else { "unix-none" };
                let conn = Connection::open_with_flags_and_vfs(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    vfs,
                )?;
                // Exclusive locking before the first read: SQLite then keeps the WAL's index
                // in memory and needs no `-shm` file.
                conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE;")?;
                conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))?;
                Ok(conn)
            };
            open().map_err(|e| {
                anyhow::anyhow!(
                    "{} is read-only here and has changes not yet written into it, in {} (left by an import that was stopped?), which cannot be read in this folder ({e}); copy the ledger together with its -wal file to a folder gongyu can write, or make this folder writable, and run the command again",
                    path.display(),
                    wal.display()
                )
            })?
        } else {
            let uri = format!("file:{}?immutable=1", path.display().to_string().replace('?', "%3f").replace('#', "%23"));
            Connection::open_with_flags(
                uri,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?
        };
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        if app != APPLICATION_ID {
            bail!(crate::t!("ledger-not-gongyu", path = path.display().to_string()));
        }
        if version != schema::LATEST {
            bail!(crate::t!(
                "ledger-read-only-old-schema",
                path = path.display().to_string(),
                version = version,
                latest = schema::LATEST
            ));
        }
        crate::notice::note(&crate::t!("ledger-read-only-note", path = path.display().to_string()));
        Ok(Ledger { conn, path: path.to_path_buf() })
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL is persistent; setting it again is cheap and needs no lock once set.
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .with_context(|| crate::t!("ledger-setting-wal"))?;
        if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
            bail!(crate::t!("ledger-no-wal", mode = mode.as_str()));
        }
        self.conn
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .with_context(|| crate::t!("ledger-configuring"))?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open ledger.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

/// The WAL beside a ledger: its path with `-wal` added.
pub(crate) fn wal_path(ledger: &Path) -> PathBuf {
    let mut wal = ledger.as_os_str().to_owned();
    wal.push("-wal");
    PathBuf::from(wal)
}

/// Whether the file at `path` is a ledger whose every batch — at least one — was written by
/// `os_user` (the demo's own ledger). Looked at read-only, without opening it as a ledger,
/// which would upgrade (and back up) an old one; anything unreadable is `false`.
pub fn written_only_by(path: &Path, os_user: &str) -> bool {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| {
            c.query_row("SELECT count(*) > 0 AND count(*) FILTER (WHERE os_user <> ?1) = 0 FROM batch", [os_user], |r| {
                r.get::<_, bool>(0)
            })
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_shares_are_warned_about() {
        assert!(network_fs_warning(Path::new("\\\\server\\share\\ledger.db")).is_some());
        assert!(network_fs_warning(Path::new("//server/share/ledger.db")).is_some());
        // A temporary folder is a local disk here.
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(network_fs_warning(&dir.path().join("ledger.db")), None);
    }

    /// Issue 22 item 12: a read-only ledger was opened as immutable, ignoring the WAL that
    /// a stopped import left: the changes committed there were missing from its reports.
    #[test]
    fn regression_a_read_only_ledger_is_read_with_its_wal() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("l.db");
        drop(Ledger::create(&db).unwrap().unwrap());
        // A reader holds its snapshot while a write commits, so the write stays in the WAL;
        // the files are copied aside as a crash would leave them, without the -shm.
        let reader = Connection::open(&db).unwrap();
        reader.execute_batch("BEGIN; SELECT count(*) FROM batch;").unwrap();
        let writer = Connection::open(&db).unwrap();
        writer.execute_batch("CREATE TABLE probe(x); INSERT INTO probe VALUES (42);").unwrap();
        let copy = dir.path().join("copy");
        std::fs::create_dir(&copy).unwrap();
        std::fs::copy(&db, copy.join("l.db")).unwrap();
        std::fs::copy(dir.path().join("l.db-wal"), copy.join("l.db-wal")).unwrap();
        drop((reader, writer));
        let ledger = Ledger::open_read_only(&copy.join("l.db")).unwrap();
        let x: i64 = ledger.conn.query_row("SELECT x FROM probe", [], |r| r.get(0)).unwrap();
        assert_eq!(x, 42);
        assert!(!copy.join("l.db-shm").exists(), "nothing is written beside a read-only ledger");
    }
}
