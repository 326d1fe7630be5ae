//! The ledger: one SQLite file. Only this module speaks SQL.
//!
//! Connection discipline lives in [`Ledger::open`]: WAL (readers never wait for a writer),
//! `synchronous=FULL`, foreign keys on, a long busy timeout, and every write in an
//! IMMEDIATE transaction. The schema is versioned through `PRAGMA user_version`.

pub mod read;
pub mod schema;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use rusqlite::{Connection, OpenFlags};

pub use read::{CommunityUnit, LedgerSnapshot, SchoolUnit};
pub use write::{ActivityOutcome, BatchInfo, ImportTx};

/// `PRAGMA application_id` of a gongyu ledger ("GYLG").
pub const APPLICATION_ID: i32 = 0x4759_4C47;

/// How long a write waits for another writer before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(600);

/// An open ledger file.
pub struct Ledger {
    pub(crate) conn: Connection,
    path: PathBuf,
}

impl Ledger {
    /// Creates a new ledger at `path`. Returns `Ok(None)` if a file is already there.
    pub fn create(path: &Path) -> Result<Option<Ledger>> {
        if path.exists() {
            return Ok(None);
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)
            .with_context(|| format!("cannot create the ledger {}", path.display()))?;
        let mut ledger = Ledger { conn, path: path.to_path_buf() };
        ledger.configure()?;
        schema::migrate(&mut ledger.conn, path)?;
        Ok(Some(ledger))
    }

    /// Opens an existing ledger, upgrading its schema if it is older. Never creates a file.
    pub fn open(path: &Path) -> Result<Ledger> {
        if !path.exists() {
            bail!(
                "there is no ledger at {}; create one with `gongyu init` (or choose another with --db or $GONGYU_DB)",
                path.display()
            );
        }
        if path.is_dir() {
            bail!("{} is a folder, not a ledger file", path.display());
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
            .with_context(|| format!("cannot open the ledger {}", path.display()))?;
        let mut ledger = Ledger { conn, path: path.to_path_buf() };
        ledger.configure().with_context(|| format!("{} is not a usable gongyu ledger", path.display()))?;
        schema::check_and_migrate(&mut ledger.conn, path)?;
        Ok(ledger)
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL is persistent; setting it again is cheap and needs no lock once set.
        let mode: String = self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).context("setting WAL mode")?;
        if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
            bail!("the ledger cannot use write-ahead logging (journal_mode is {mode})");
        }
        self.conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;").context("configuring the connection")?;
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
