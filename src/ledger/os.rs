//! An operating system's error in words a clerk can act on: what happened to the file and
//! what to do, from the message catalogue. Rarer errors keep the system's own words (which
//! a Chinese Windows gives in Chinese).

use std::io::ErrorKind;

/// What went wrong, and what to do about it.
pub(crate) fn words(e: &std::io::Error) -> String {
    match e.kind() {
        ErrorKind::NotFound => crate::t!("ledger-os-not-found"),
        ErrorKind::PermissionDenied => crate::t!("ledger-os-permission"),
        ErrorKind::StorageFull => crate::t!("ledger-os-disk-full"),
        ErrorKind::ReadOnlyFilesystem => crate::t!("ledger-os-read-only"),
        ErrorKind::AlreadyExists => crate::t!("ledger-os-exists"),
        ErrorKind::NotADirectory => crate::t!("ledger-os-not-a-folder"),
        ErrorKind::IsADirectory => crate::t!("ledger-os-is-a-folder"),
        _ => crate::t!("ledger-os-other", error = e.to_string()),
    }
}
