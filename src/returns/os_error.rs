//! The operating system's errors on a return's file, in words a clerk can act on: which
//! file, what happened, what to do ("无法打开 学校.csv：文件不存在。请检查文件名和所在的文件夹。").
//! Where the catalogue has no words of its own for a case (an empty message), the system's
//! own are shown — on a Chinese Windows they are Chinese already.

use std::io;
use std::path::Path;

/// `cannot open FILE: why`.
pub(super) fn cannot_open(path: &Path, e: &io::Error) -> anyhow::Error {
    anyhow::anyhow!("{}", crate::t!("returns-cannot-open", file = path.display().to_string(), reason = reason(e)))
}

/// `cannot read FILE: why`.
pub(super) fn cannot_read(path: &Path, e: &io::Error) -> anyhow::Error {
    anyhow::anyhow!("{}", crate::t!("returns-cannot-read", file = path.display().to_string(), reason = reason(e)))
}

/// Why, in the catalogue's words where it has them, else the system's.
fn reason(e: &io::Error) -> String {
    let ours = match e.kind() {
        io::ErrorKind::NotFound => crate::t!("returns-os-not-found"),
        io::ErrorKind::PermissionDenied => crate::t!("returns-os-permission-denied"),
        io::ErrorKind::IsADirectory => crate::t!("returns-os-is-a-folder"),
        _ => String::new(),
    };
    if ours.is_empty() {
        e.to_string()
    } else {
        ours
    }
}
