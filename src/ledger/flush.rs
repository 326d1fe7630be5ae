//! A long import's WAL written to disk while the import goes on (issue 23).
//!
//! An import is one transaction: its pages go to the WAL as the page cache fills, and the
//! operating system keeps them in memory, dirty, until the commit makes SQLite sync the WAL
//! (`synchronous=FULL`) — then copy it into the ledger at the checkpoint and sync that.
//! At national scale (2–3 GB of WAL) the commit waited on the disk twice, after the file
//! was read, with the processors idle. This thread syncs the WAL every time it has grown by
//! [`STEP`] bytes, so the disk works while the import parses, and the commit's own sync
//! finds little left to write.
//!
//! The ledger itself is watched the same way: it grows only at the checkpoint, which
//! SQLite runs as the import commits (the WAL being over its automatic checkpoint's size);
//! synced as it grows, the disk writes the first pages copied while SQLite copies the
//! rest, instead of all of them at the checkpoint's own sync.
//!
//! It changes nothing SQLite relies on: a sync only makes sure of bytes already written,
//! which the system may write back at any time anyway. Errors are ignored (the commit
//! syncs as before); on Windows, where a sync needs write access, it does nothing.

use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;

/// Growth of the WAL between two syncs.
const STEP: u64 = 64 << 20;
/// How often the WAL's length is looked at.
const EVERY: Duration = Duration::from_millis(250);

/// Syncs a ledger's WAL in the background until dropped. Dropping it does not wait for
/// the thread, which ends at its next look (or once a sync under way returns): an import
/// that fails is not held up by the disk.
pub(crate) struct WalFlusher {
    _stop: Sender<()>,
    /// The syncs made, counted for the test.
    #[cfg_attr(not(test), allow(dead_code))]
    syncs: Arc<AtomicU32>,
}

impl WalFlusher {
    /// Starts syncing the WAL beside `ledger`, and the ledger, as they grow. A thread that
    /// cannot be started is no error: the commit syncs as it always did.
    pub(crate) fn start(ledger: &Path) -> WalFlusher {
        let len = |path: &Path| std::fs::metadata(path).map_or(0, |m| m.len());
        // Each file with the length it was last synced at (the ledger: as it is now).
        let mut files = [(super::wal_path(ledger), 0u64), (ledger.to_path_buf(), len(ledger))];
        let (stop, stopped) = mpsc::channel::<()>();
        let syncs = Arc::new(AtomicU32::new(0));
        let made = Arc::clone(&syncs);
        std::thread::Builder::new()
            .name("wal-flush".into())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
                    for (path, synced) in &mut files {
                        let now = len(path);
                        if now >= *synced + STEP {
                            if File::open(&*path).and_then(|file| file.sync_data()).is_ok() {
                                made.fetch_add(1, Ordering::Relaxed);
                            }
                            *synced = now;
                        }
                    }
                }
            })
            .ok();
        WalFlusher { _stop: stop, syncs }
    }

    /// The syncs made so far (of either file).
    #[cfg(test)]
    fn syncs(&self) -> u32 {
        self.syncs.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A WAL that grows by more than a step is synced; one that does not, never.
    #[test]
    fn the_wal_is_synced_once_it_has_grown_by_a_step() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("l.db");
        let flusher = WalFlusher::start(&ledger);
        let mut wal = File::create(super::super::wal_path(&ledger)).unwrap();
        wal.write_all(&vec![7; STEP as usize / 2]).unwrap();
        std::thread::sleep(EVERY * 4);
        assert_eq!(flusher.syncs(), 0, "synced before the WAL grew by a step");
        wal.write_all(&vec![7; STEP as usize]).unwrap();
        let start = std::time::Instant::now();
        while flusher.syncs() == 0 && start.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(EVERY);
        }
        assert_eq!(flusher.syncs(), 1);
        // The ledger, too, once it has grown by a step from its length at the start.
        let mut file = File::create(&ledger).unwrap();
        file.write_all(&vec![7; STEP as usize + 1]).unwrap();
        let start = std::time::Instant::now();
        while flusher.syncs() == 1 && start.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(EVERY);
        }
        assert_eq!(flusher.syncs(), 2);
    }
}
