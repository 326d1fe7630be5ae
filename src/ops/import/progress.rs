//! How an import tells how far it has come. The library only says where it is; the shell
//! (`commands/import.rs`) decides whether and how to show it (issue 20: the library never
//! prints).

/// Told how far the writing of an import has come, a chunk of rows at a time.
pub(crate) trait Progress {
    /// `rows` of `file` written so far, reaching `at` of its `total` (bytes of text, or
    /// rows of a sheet).
    fn advance(&mut self, file: &str, rows: u64, at: u64, total: u64);
    /// The file is written (what was shown for it can go).
    fn file_done(&mut self);
}

/// Progress that nobody is shown.
pub(crate) struct Unseen;

impl Progress for Unseen {
    fn advance(&mut self, _: &str, _: u64, _: u64, _: u64) {}
    fn file_done(&mut self) {}
}
