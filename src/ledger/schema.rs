//! Schema versions: `migrations/0001_initial.sql` is version 1; each later version is one
//! more migration in `migrations/`, applied in order (to a new ledger too), all in one
//! transaction, recorded in `PRAGMA user_version`. Migrations may rebuild tables: they run
//! with foreign keys off (which SQLite only lets a connection change outside a transaction),
//! and `PRAGMA foreign_key_check` must find nothing before each one commits. A fixture
//! ledger of every earlier version lives in `fixtures/ledgers/` and is opened by the tests.
//! `schema.sql` at the repository root is the schema they all end at, whole, for readers;
//! `tests/schema.rs` checks it against a new ledger, so a migration must update it.

use std::path::Path;

use anyhow::{bail, Context, Result};
use rusqlite::{Connection, TransactionBehavior};

use super::APPLICATION_ID;

/// Migration `i` takes a ledger from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_reverts.sql"),
    include_str!("migrations/0003_plan_as_data.sql"),
    include_str!("migrations/0004_term_close.sql"),
    include_str!("migrations/0005_tally_rows.sql"),
    include_str!("migrations/0006_term_tally.sql"),
    include_str!("migrations/0007_tally_generations.sql"),
    include_str!("migrations/0008_received_and_reviews.sql"),
    include_str!("migrations/0009_activity_kinds_as_data.sql"),
    include_str!("migrations/0010_rosters_as_data.sql"),
];

/// The schema version this build of gongyu writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// Applies every migration the ledger lacks.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let fk: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    conn.execute_batch("PRAGMA foreign_keys = OFF;")?;
    let result = migrate_with_foreign_keys_off(conn, path);
    if fk {
        conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    }
    result
}

fn migrate_with_foreign_keys_off(conn: &mut Connection, path: &Path) -> Result<()> {
    // One transaction for every step: an upgrade killed half way leaves the ledger at the
    // version it had, never at a version in between.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Read under the lock: another process may have migrated while we waited for it.
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = i + 1;
        tx.execute_batch(sql)
            .with_context(|| crate::t!("ledger-upgrade-step", path = path.display().to_string(), version = version))?;
        let broken: Vec<String> = tx
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |r| {
                let row = r.get::<_, Option<i64>>(1)?.map_or("?".to_string(), |n| n.to_string());
                Ok(crate::t!(
                    "ledger-upgrade-broken-row",
                    table = r.get::<_, String>(0)?,
                    row = row,
                    parent = r.get::<_, String>(2)?
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        if !broken.is_empty() {
            anyhow::bail!(crate::t!(
                "ledger-upgrade-breaks",
                path = path.display().to_string(),
                version = version,
                count = broken.len(),
                first = broken[0].as_str()
            ));
        }
        tx.execute_batch(&format!("PRAGMA user_version = {version}; PRAGMA application_id = {APPLICATION_ID};"))?;
    }
    tx.commit()?;
    Ok(())
}

/// Refuses files that are not gongyu ledgers or were written by a newer gongyu; upgrades
/// older ledgers after copying them to `PATH.v{N}.bak`.
pub fn check_and_migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if app != APPLICATION_ID {
        bail!(crate::t!("ledger-not-gongyu-file", path = path.display().to_string()));
    }
    if version > LATEST {
        bail!(crate::t!("ledger-too-new", path = path.display().to_string(), version = version, latest = LATEST));
    }
    if version < LATEST {
        remove_stale_upgrade_copies(path);
        let mut backup = path.with_extension(format!("v{version}.bak"));
        let mut n = 1;
        while backup.exists() {
            n += 1;
            backup = path.with_extension(format!("v{version}.{n}.bak"));
        }
        // Copied under a temporary name and renamed when whole: a copy cut short by a crash
        // must never sit under the name of a finished backup.
        let partial = backup.with_extension(format!("partial-{}", std::process::id()));
        conn.backup(rusqlite::DatabaseName::Main, &partial, None).with_context(|| {
            crate::t!("ledger-upgrade-backup", path = path.display().to_string(), backup = backup.display().to_string())
        })?;
        // Renamed with a sync of the folder: the migration below must never reach the disk
        // while the backup's name does not.
        crate::durable::rename(&partial, &backup).map_err(|e| {
            anyhow::anyhow!(crate::t!(
                "ledger-upgrade-backup-name",
                path = path.display().to_string(),
                backup = backup.display().to_string(),
                reason = super::os::words(&e)
            ))
        })?;
        crate::notice::note(&crate::t!(
            "ledger-upgrading",
            path = path.display().to_string(),
            version = version,
            latest = LATEST,
            backup = backup.display().to_string()
        ));
        migrate(conn, path)?;
    }
    Ok(())
}

/// Removes the partial pre-upgrade copies (`LEDGER.v{N}[.{n}].partial-{pid}`) an upgrade
/// that was interrupted left beside the ledger: the upgrade is being made again, with a
/// copy of its own.
fn remove_stale_upgrade_copies(path: &Path) {
    let (Some(dir), Some(stem)) = (path.parent(), path.file_stem().and_then(|s| s.to_str())) else { return };
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let prefix = format!("{stem}.v");
    let pid_of = |name: &str| {
        let (_, pid) = name.strip_prefix(&prefix)?.rsplit_once(".partial-")?;
        crate::durable::pid_between(pid, "", "")
    };
    for gone in crate::durable::remove_stale_partials(dir, pid_of) {
        crate::notice::note(&crate::t!("ledger-removed-upgrade-partial", partial = gone, path = path.display().to_string()));
    }
}
