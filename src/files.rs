//! Writing a file a person named — `-o FILE`, `--rejects FILE`, a backup — safely (SPEC §14).
//!
//! - An existing file is never replaced unless `--force` is given.
//! - The ledger and its `-wal`/`-shm` are never written, even with `--force`: the target is
//!   compared with them by canonical path, and by file identity when it exists (a hard link,
//!   or another spelling of the same name on a case-insensitive disk).
//! - A symbolic link at the target is refused, with or without `--force`: gongyu never
//!   writes through a link (the file it points to may be anybody's), and does not replace
//!   the link either (someone made it on purpose). The person names the real file instead.
//! - The contents go to a temporary file beside the target, are synced, and the temporary
//!   file is renamed into place (then the folder is synced), so a crash leaves either the
//!   old file or the new one, never half of one. Without `--force` the rename refuses to
//!   replace a file that appeared meanwhile.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::lang::Lang;

/// A file to write, and what may be replaced.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub path: &'a Path,
    /// `--force`: an existing file (not a link, never the ledger) may be replaced.
    pub force: bool,
    /// The ledger in use, never to be written.
    pub ledger: Option<&'a Path>,
    /// The flag that named the file, for messages (`-o`, `--rejects`, `backup`).
    pub flag: &'a str,
    pub lang: Lang,
}

impl Target<'_> {
    /// Checks the target before any work is done: the same checks run again at the write.
    pub fn check(&self) -> Result<()> {
        let (path, lang, flag) = (self.path, self.lang, self.flag);
        if self.is_ledger() {
            bail!(crate::tl!(lang, "files-is-ledger", flag = flag, path = path.display().to_string()));
        }
        match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => {
                bail!(crate::tl!(lang, "files-symlink", flag = flag, path = path.display().to_string()))
            }
            Ok(m) if m.is_dir() => bail!(crate::tl!(lang, "files-folder", flag = flag, path = path.display().to_string())),
            // A backup is never written over an existing file: it has no --force to offer.
            Ok(_) if !self.force && flag == "backup" => {
                bail!(crate::tl!(lang, "files-backup-exists", flag = flag, path = path.display().to_string()))
            }
            Ok(_) if !self.force => bail!(crate::tl!(lang, "files-exists", flag = flag, path = path.display().to_string())),
            _ => Ok(()),
        }
    }

    /// Writes `bytes` to the target (see the module's rules).
    pub fn write(&self, bytes: &[u8]) -> Result<()> {
        self.write_with(|file, _| file.write_all(bytes).map_err(Into::into))
    }

    /// Writes the target through `fill`, given the temporary file (and its path) beside
    /// the target, `NAME.PID.partial`; then syncs it and renames it into place, syncing the
    /// folder ([`crate::durable::rename`]). Partial files that an earlier, interrupted write
    /// of the same name left behind (its process is gone) are gongyu's own: removed first.
    pub fn write_with(&self, fill: impl FnOnce(&mut std::fs::File, &Path) -> Result<()>) -> Result<()> {
        self.check()?;
        let path = self.path;
        let dir = parent(path);
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let prefix = format!("{file_name}.");
        for gone in crate::durable::remove_stale_partials(dir, |n| crate::durable::pid_between(n, &prefix, ".partial")) {
            crate::notice::note(&crate::tl!(
                self.lang,
                "files-removed-partial",
                partial = gone,
                file = path.display().to_string()
            ));
        }
        let temp_path = dir.join(format!("{file_name}.{}.partial", std::process::id()));
        let mut file =
            std::fs::OpenOptions::new().write(true).create_new(true).open(&temp_path).map_err(|e| self.cannot_write(e.into()))?;
        let written = (|| -> Result<()> {
            fill(&mut file, &temp_path)?;
            file.flush()?;
            set_permissions(&file, path);
            file.sync_all()?;
            Ok(())
        })();
        drop(file);
        let result = written.map_err(|e| self.cannot_write(e)).and_then(|()| {
            // Checked again just before the rename: the ledger may have made its WAL
            // meanwhile, or someone the file.
            self.check()?;
            if !self.force && std::fs::symlink_metadata(path).is_ok() {
                return self.check().and(Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists).into()));
            }
            crate::durable::rename(&temp_path, path).map_err(|e| self.cannot_write(e.into()))
        });
        if result.is_err() {
            let _ = std::fs::remove_file(&temp_path);
        }
        result
    }

    /// `e`, said as "cannot write FILE", an operating system's error in a clerk's words.
    fn cannot_write(&self, e: anyhow::Error) -> anyhow::Error {
        let path = self.path.display().to_string();
        match e.downcast_ref::<std::io::Error>() {
            Some(io) => {
                anyhow::anyhow!(crate::tl!(
                    self.lang,
                    "files-cannot-write-because",
                    path = path,
                    reason = crate::ledger::os::words(io)
                ))
            }
            None => e.context(crate::tl!(self.lang, "files-cannot-write", path = path)),
        }
    }

    /// Whether the target is the ledger or one of its side files.
    fn is_ledger(&self) -> bool {
        let Some(ledger) = self.ledger else { return false };
        let Some(target) = canonical(self.path) else { return false };
        let Some(db) = canonical(ledger) else { return false };
        let side = |suffix: &str| {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        };
        let names = [db.clone(), side("-wal"), side("-shm"), side("-journal")];
        if names.iter().any(|n| same_name(n, &target)) {
            return true;
        }
        names.iter().any(|n| same_file(n, self.path))
    }
}

/// The folder a path is in (`.` for a bare file name).
fn parent(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// `path` with its folder made canonical (the file itself need not exist, and a link at
/// the file's own name is not followed).
fn canonical(path: &Path) -> Option<PathBuf> {
    let dir = std::fs::canonicalize(parent(path)).ok()?;
    Some(dir.join(path.file_name()?))
}

fn same_name(a: &Path, b: &Path) -> bool {
    if cfg!(any(windows, target_os = "macos")) {
        a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase()
    } else {
        a == b
    }
}

/// Whether two existing paths are the same file (a hard link, or another spelling).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::symlink_metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// Gives the new file the permissions a plainly created one would have (the temporary
/// file is private to its owner), or those of the file it replaces.
fn set_permissions(file: &std::fs::File, path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match std::fs::symlink_metadata(path) {
            Ok(m) => m.permissions().mode() & 0o7777,
            Err(_) => 0o666 & !umask(),
        };
        let _ = file.set_permissions(std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = (file, path);
}

/// The process's umask, read without changing it (Linux shows it in /proc; else 022).
#[cfg(unix)]
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find_map(|l| l.strip_prefix("Umask:").map(|v| v.trim().to_string())))
        .and_then(|v| u32::from_str_radix(&v, 8).ok())
        .unwrap_or(0o022)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target<'a>(path: &'a Path, force: bool, ledger: Option<&'a Path>) -> Target<'a> {
        Target { path, force, ledger, flag: "-o", lang: Lang::En }
    }

    #[test]
    fn an_existing_file_is_kept_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        target(&path, false, None).write(b"one").unwrap();
        let e = target(&path, false, None).write(b"two").unwrap_err().to_string();
        assert!(e.contains("already exists"), "{e}");
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        target(&path, true, None).write(b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind: {left:?}");
    }

    #[test]
    fn the_ledger_and_its_side_files_are_never_written() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("g.db");
        std::fs::write(&db, b"ledger").unwrap();
        for name in ["g.db", "g.db-wal", "g.db-shm", "./g.db"] {
            let path = dir.path().join(name);
            let e = target(&path, true, Some(&db)).write(b"x").unwrap_err().to_string();
            assert!(e.contains("that is the ledger"), "{name}: {e}");
        }
        assert_eq!(std::fs::read(&db).unwrap(), b"ledger");
        #[cfg(unix)]
        {
            let link = dir.path().join("hard.db");
            std::fs::hard_link(&db, &link).unwrap();
            let e = target(&link, true, Some(&db)).write(b"x").unwrap_err().to_string();
            assert!(e.contains("that is the ledger"), "{e}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_neither_followed_nor_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"keep").unwrap();
        let link = dir.path().join("out.csv");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let dangling = dir.path().join("dangling.csv");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        for (path, force) in [(&link, false), (&link, true), (&dangling, false)] {
            let e = target(path, force, None).write(b"x").unwrap_err().to_string();
            assert!(e.contains("symbolic link"), "{e}");
        }
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        assert!(!dir.path().join("nowhere").exists());
    }
}
