//! The operations the crash test kills, their reference runs (before- and after-state,
//! where they write), and the two kinds of kill.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::state::*;
use crate::integrity_support::*;

/// How running the operation again must go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redo {
    /// An import: again it imports, or it finds the file identical to a batch.
    Import,
    /// A revert: again it reverts, or it says the batch was already reverted.
    Revert,
    /// Opening an older ledger upgrades it; opened again, it upgrades nothing.
    Migrate,
    /// A backup to `copy.db`: again it writes the copy, or refuses to overwrite it.
    Backup,
    /// A term closed or reopened: again it does so, or refuses, saying this.
    Term(&'static str),
}

pub struct CrashOp {
    pub name: &'static str,
    pub redo: Redo,
    /// The ledger folder before the operation.
    pub before: Files,
    /// `{dir}` stands for the folder.
    pub args: Vec<String>,
    /// Share of the kills.
    pub share: f64,
    /// Another process (the test) holds a read transaction open while the operation runs,
    /// so no checkpoint reaches the operation's frames.
    pub reader: bool,
}

/// The backup's destination, in the ledger's folder so its partial copies are watched.
pub const BACKUP: &str = "copy.db";

impl CrashOp {
    /// The read transaction held while the operation runs, if it has one. Closing it does
    /// not checkpoint, so the files stay as the operation left them. (Files of the folder
    /// must not be opened meanwhile: closing any descriptor of a file drops every POSIX
    /// lock this process holds on it, the reader's too.)
    pub fn hold_reader(&self, dir: &Path) -> Option<rusqlite::Connection> {
        self.reader.then(|| {
            let conn = rusqlite::Connection::open(dir.join(LEDGER)).unwrap();
            conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true).unwrap();
            conn.execute_batch("BEGIN; SELECT count(*) FROM sqlite_master;").unwrap();
            conn
        })
    }
    pub fn args(&self, dir: &Path) -> Vec<String> {
        self.args.iter().map(|a| a.replace("{dir}", dir.to_str().unwrap())).collect()
    }
    pub fn spawn(&self, dir: &Path, file_size_limit: Option<u64>) -> std::process::Child {
        let mut cmd = Command::new(bin());
        cmd.arg("--db")
            .arg(dir.join(LEDGER))
            .args(self.args(dir))
            .env_remove("GONGYU_DB")
            .env_remove("GONGYU_FAULT")
            .env_remove("GONGYU_PLAN")
            .env("GONGYU_LANG", "en")
            .env("GONGYU_TODAY", "2021-02-01")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(limit) = file_size_limit {
            #[cfg(target_os = "linux")]
            file_size_limit::set(&mut cmd, limit);
            #[cfg(not(target_os = "linux"))]
            unreachable!("no file size limit here ({limit})");
        }
        cmd.spawn().expect("gongyu starts")
    }
    pub fn run(&self, dir: &Path) -> Output {
        let args = self.args(dir);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        gongyu(&dir.join(LEDGER), &args, None)
    }
}

/// What an operation does when it runs undisturbed.
pub struct Reference {
    pub before_dump: Vec<u8>,
    pub after_dump: Vec<u8>,
    /// `None` for an upgrade: an old ledger is upgraded before it can report.
    pub before_report: Option<String>,
    pub after_report: String,
    /// Bytes the operation writes at most (the running maximum of `data_bytes`, less the
    /// before-state's).
    pub peak: u64,
    /// Stretches where that running maximum stood still: (level, how long), to aim
    /// delayed kills at (a sync, a checkpoint rewriting pages in place, the exit).
    pub flats: Vec<(u64, Duration)>,
    /// The longest each file grew.
    pub longest: BTreeMap<String, u64>,
    /// The ledger folder after the operation.
    pub after: Files,
}

/// Runs the operation undisturbed a few times, watching its files grow.
pub fn reference(op: &CrashOp, root: &Path) -> Reference {
    let dir = root.join(format!("{}-reference", op.name));
    let scratch = root.join("scratch");
    let before_dump = dump_of(&op.before, &scratch);
    let before_bytes: u64 = op.before.values().map(|b| b.len() as u64).sum();
    let before_report = (op.redo != Redo::Migrate).then(|| {
        restore(&dir, &op.before);
        report(&dir.join(LEDGER))
    });
    let (mut peak, mut flats, mut longest) = (0, Vec::new(), BTreeMap::new());
    for _ in 0..3 {
        restore(&dir, &op.before);
        let reader = op.hold_reader(&dir);
        let mut child = op.spawn(&dir, None);
        let started = Instant::now();
        let mut steps: Vec<(Duration, u64)> = Vec::new();
        let mut max = 0;
        loop {
            let exited = child.try_wait().unwrap();
            let mut total = 0;
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                let Ok(len) = e.metadata().map(|m| m.len()) else { continue };
                if !name.ends_with("-shm") {
                    total += len;
                    let l = longest.entry(name).or_insert(0);
                    *l = len.max(*l);
                }
            }
            let grown = total.saturating_sub(before_bytes);
            if grown > max || steps.is_empty() {
                max = max.max(grown);
                steps.push((started.elapsed(), max));
            }
            if let Some(status) = exited {
                drop(reader);
                assert!(status.success(), "{}: the undisturbed run failed", op.name);
                steps.push((started.elapsed(), max));
                break;
            }
            if max == 0 {
                std::thread::sleep(Duration::from_micros(100));
            }
        }
        peak = peak.max(max);
        for w in steps.windows(2) {
            let (level, len) = (w[0].1, w[1].0 - w[0].0);
            if level > 0 && len >= Duration::from_micros(20) {
                flats.push((level, len));
            }
        }
    }
    let after = read_files(&dir);
    let after_dump = dump_of(&after, &scratch);
    let after_report = report(&dir.join(LEDGER));
    Reference { before_dump, after_dump, before_report, after_report, peak, flats, longest, after }
}

/// How a run is cut short.
#[derive(Debug, Clone, Copy)]
pub enum Kill {
    /// SIGKILL from the test once the bytes written reach `threshold` (their running
    /// maximum), and `delay` more has passed.
    Signal { threshold: u64, delay: Duration },
    /// The kernel kills the process (SIGXFSZ) at its first write that reaches byte `limit`
    /// of a file (RLIMIT_FSIZE): a crash at an exact write, whatever the machine's load.
    /// Limits are put where writes begin — a WAL frame's header or page, a page of a new
    /// file or of the ledger — so no write is cut short.
    AtWrite { limit: u64 },
}

/// The size of a WAL frame of the operation's ledger: its 24-byte header, then the page.
pub fn frame(r: &Reference) -> u64 {
    24 + ledger_page(r)
}

/// The page size of the operation's ledger, as it stands after the operation.
fn ledger_page(r: &Reference) -> u64 {
    r.after.get(LEDGER).map_or(4096, |db| page_size(db)) as u64
}
/// Below this the `-shm` index is set up (one 32 KiB region): no limit goes there.
pub const SHM_REGION: u64 = 32 * 1024;

/// Where writes begin that a file-size limit can stop, in the order the operation makes
/// them: pages of new files (a backup, the pre-upgrade copy), the WAL's frames (each
/// frame's header, and its page), then the checkpoint's writes of the WAL's pages
/// (`wal_pages`) into the ledger. A limit stops the first write to reach it in any file,
/// so each stretch starts past the bytes written before it. Returns the copies' and the
/// checkpoint's offsets, and the WAL's apart: SQLite's temporary files (a statement
/// journal, a sorter) may grow before the commit and take the lower ones.
pub fn write_offsets(r: &Reference, wal_pages: &[u32]) -> (Vec<u64>, Vec<u64>) {
    let wal = r.longest.get(&format!("{LEDGER}-wal")).copied().unwrap_or(0);
    let copies =
        r.longest.iter().filter(|(n, _)| n.ends_with(".bak") || n.ends_with(".partial")).map(|(_, &l)| l).max().unwrap_or(0);
    let page = ledger_page(r);
    let frame = frame(r);
    let mut others: Vec<u64> = (SHM_REGION.div_ceil(page)..copies.div_ceil(page)).map(|k| k * page).collect();
    let wal_offsets = (0..wal.saturating_sub(32) / frame)
        .flat_map(|k| [32 + k * frame, 32 + k * frame + 24])
        .filter(|&at| at >= SHM_REGION && at > copies)
        .collect();
    let checkpoint: BTreeSet<u64> =
        wal_pages.iter().map(|&n| (n as u64 - 1) * page).filter(|&at| at >= wal.max(copies).max(SHM_REGION)).collect();
    others.extend(checkpoint);
    (others, wal_offsets)
}

/// The WAL offsets (ascending) from which a limit stops a write to the WAL rather than to
/// a temporary file: a binary search for the first that leaves a frame in the WAL.
pub fn calibrate(op: &CrashOp, r: &Reference, dir: &Path, wal_offsets: &[u64]) -> usize {
    let before_bytes: u64 = op.before.values().map(|b| b.len() as u64).sum();
    let (mut lo, mut hi) = (0, wal_offsets.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        restore(dir, &op.before);
        kill_at(op, dir, before_bytes, Kill::AtWrite { limit: wal_offsets[mid] });
        let wal = std::fs::metadata(dir.join(format!("{LEDGER}-wal"))).map_or(0, |m| m.len());
        if wal >= 32 + frame(r) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

#[cfg(target_os = "linux")]
mod file_size_limit {
    use std::process::Command;

    #[repr(C)]
    struct Rlimit {
        current: u64,
        max: u64,
    }
    extern "C" {
        fn setrlimit(resource: i32, limit: *const Rlimit) -> i32;
    }
    const RLIMIT_FSIZE: i32 = 1;
    const RLIMIT_CORE: i32 = 4;
    pub const SIGXFSZ: i32 = 25;

    /// The command's process dies of SIGXFSZ at its first write reaching byte `limit` of any
    /// file, and leaves no core file.
    pub fn set(cmd: &mut Command, limit: u64) {
        use std::os::unix::process::CommandExt;
        // SAFETY: between fork and exec the closure only calls setrlimit, which is
        // async-signal-safe, on the child's own limits.
        unsafe {
            cmd.pre_exec(move || {
                for (resource, value) in [(RLIMIT_CORE, 0), (RLIMIT_FSIZE, limit)] {
                    if setrlimit(resource, &Rlimit { current: value, max: value }) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
    }
}

/// How a cut-short run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Killed while it ran.
    Killed,
    /// It had exited before the kill (or never reached the limit).
    Exited,
    /// It exited with an error: a write was cut short (as on a full disk).
    Failed,
}

pub fn kill_at(op: &CrashOp, dir: &Path, before_bytes: u64, kill: Kill) -> Ended {
    let limit = match kill {
        Kill::AtWrite { limit } => Some(limit),
        Kill::Signal { .. } => None,
    };
    let reader = op.hold_reader(dir);
    let mut child = op.spawn(dir, limit);
    let started = Instant::now();
    let (mut max, mut reached) = (0, None);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        match kill {
            Kill::AtWrite { .. } => std::thread::sleep(Duration::from_millis(1)),
            Kill::Signal { threshold, delay } => {
                if reached.is_none() {
                    max = max.max(data_bytes(dir).saturating_sub(before_bytes));
                    if max >= threshold {
                        reached = Some(Instant::now());
                    }
                }
                match reached {
                    Some(at) if at.elapsed() >= delay => {
                        child.kill().unwrap(); // SIGKILL on Unix
                        break None;
                    }
                    // Nothing written yet (reading, checking): poll gently.
                    None if max == 0 => std::thread::sleep(Duration::from_micros(100)),
                    _ => std::hint::spin_loop(),
                }
            }
        }
        assert!(started.elapsed() < Duration::from_secs(300), "{}: the operation hangs", op.name);
    };
    child.wait().unwrap();
    drop(reader);
    match status {
        None => Ended::Killed,
        Some(s) if s.success() => Ended::Exited,
        #[cfg(target_os = "linux")]
        Some(s) if std::os::unix::process::ExitStatusExt::signal(&s) == Some(file_size_limit::SIGXFSZ) => Ended::Killed,
        Some(_) => Ended::Failed,
    }
}
