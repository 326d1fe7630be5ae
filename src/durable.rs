//! Renames that survive a power cut. A rename changes the folder, not the file: until the
//! folder itself is synced, a power cut can undo it (or leave the new name without the
//! old). So every rename whose result gongyu reports as done — a backup moved into place,
//! the copy kept before an upgrade — is followed by a sync of the folder. On Unix the
//! folder is opened and `fsync`ed; elsewhere (Windows' `MoveFileEx` has no such step for
//! an ordinary program) the sync is skipped.

use std::path::Path;

/// Renames `from` to `to` and syncs the folder of `to` (and of `from`, if another), so
/// that once this returns the new name is on disk.
pub(crate) fn rename(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::rename(from, to)?;
    #[cfg(feature = "fault-injection")]
    crate::ledger::iolog::rename(from, to);
    let to_dir = folder_of(to);
    sync_dir(to_dir)?;
    let from_dir = folder_of(from);
    if from_dir != to_dir {
        sync_dir(from_dir)?;
    }
    Ok(())
}

fn folder_of(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Syncs the folder `dir`, making the names in it (new, renamed, removed) durable.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()?;
        #[cfg(feature = "fault-injection")]
        crate::ledger::iolog::dir_synced(dir);
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Removes the partial copies an interrupted gongyu left in `dir` — each file whose name,
/// less an SQLite side file's suffix (`-journal`, `-wal`, `-shm`), `pid_of` recognises as
/// a partial copy made by process `pid`, where that process is gone — and returns their
/// names. A partial copy is never a finished one (those are renamed into place whole), so
/// nothing of value is lost; a copy still being written by a live gongyu is left alone.
/// Where it cannot be told whether a process is alive (outside Unix), nothing is removed.
pub(crate) fn remove_stale_partials(dir: &Path, pid_of: impl Fn(&str) -> Option<u32>) -> Vec<String> {
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return removed };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let base = ["-journal", "-wal", "-shm"].iter().find_map(|s| name.strip_suffix(s)).unwrap_or(&name);
        let Some(pid) = pid_of(base) else { continue };
        if pid != std::process::id() && process_is_gone(pid) && std::fs::remove_file(e.path()).is_ok() {
            removed.push(name);
        }
    }
    removed.sort();
    removed
}

/// The process id in `name` if it is `{prefix}{pid}{suffix}`.
pub(crate) fn pid_between(name: &str, prefix: &str, suffix: &str) -> Option<u32> {
    let digits = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn process_is_gone(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
        // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
        let r = unsafe { libc::kill(pid, 0) };
        r != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_partial_copies_of_gone_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let own = std::process::id();
        // A process id no process has: above the kernel's limit (4194304 at most on Linux).
        let gone = 99_999_999;
        let names = [
            format!("copy.db.{gone}.partial"),
            format!("copy.db.{gone}.partial-journal"),
            format!("copy.db.{own}.partial"),
            "copy.db".to_string(),
            "copy.db.x.partial".to_string(),
            format!("other.db.{gone}.partial"),
        ];
        for n in &names {
            std::fs::write(dir.path().join(n), b"x").unwrap();
        }
        let removed = remove_stale_partials(dir.path(), |n| pid_between(n, "copy.db.", ".partial"));
        if cfg!(unix) {
            assert_eq!(removed, [format!("copy.db.{gone}.partial"), format!("copy.db.{gone}.partial-journal")]);
        } else {
            assert!(removed.is_empty());
        }
        for n in &names[2..] {
            assert!(dir.path().join(n).exists(), "{n} is kept");
        }
    }
}
