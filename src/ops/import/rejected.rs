//! A rejected import: every problem found, listed in file order (the first
//! [`MAX_LISTED_ERRORS`] of them) and counted.

use std::fmt;
use std::path::PathBuf;

use super::MAX_LISTED_ERRORS;
use crate::returns::privacy::mask_ids;
use crate::returns::rejects::RejectedRow;
use crate::returns::RowError;

/// A rejected import: every problem found, in every file. Nothing was written.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rejected {
    /// `FILE:LINE: column NAME: what is wrong`, or a file-level message.
    pub problems: Vec<String>,
    /// How many problems there were in all (more than `problems` holds past the cap).
    pub total: usize,
    pub files_rejected: Vec<String>,
    /// How many of the problems are a row's (`FILE:LINE: …`), not a whole file's.
    pub row_problems: usize,
    pub dry_run: bool,
    /// The bad rows themselves, kept when `--rejects` asks for them.
    pub rows: Vec<RejectedRow>,
    /// Where they were written, if they were.
    pub rejects_file: Option<PathBuf>,
}

impl Rejected {
    /// Where the lists stand, to go back to with [`reset_to`](Self::reset_to).
    pub(super) fn mark(&self) -> (usize, usize, usize, usize) {
        (self.total, self.problems.len(), self.rows.len(), self.row_problems)
    }

    /// Forgets what a file added since `mark`.
    pub(super) fn reset_to(&mut self, (total, problems, rows, row_problems): (usize, usize, usize, usize)) {
        self.total = total;
        self.row_problems = row_problems;
        self.problems.truncate(problems);
        self.rows.truncate(rows);
    }

    pub(super) fn push(&mut self, message: String) {
        // A file-level failure may list several problems, one per line. No message
        // carries an ID-card number in full (SPEC §13).
        for line in message.lines() {
            self.total += 1;
            if self.problems.len() < MAX_LISTED_ERRORS {
                self.problems.push(mask_ids(line).into_owned());
            }
        }
    }

    pub(super) fn row(&mut self, file: &str, e: &RowError) {
        self.row_problems += 1;
        self.push(e.display(file).to_string());
    }
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (files, count) = (self.files_rejected.join(", "), self.total);
        if self.dry_run {
            writeln!(f, "{}", crate::t!("import-rejected-dry-run", files = files, count = count))?;
        } else {
            writeln!(f, "{}", crate::t!("import-rejected", files = files, count = count))?;
        }
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        if self.total > self.problems.len() {
            writeln!(f, "{}", crate::t!("import-not-listed", count = self.total - self.problems.len()))?;
        }
        match &self.rejects_file {
            Some(p) => write!(f, "{}", crate::t!("import-rejects-written", file = p.display().to_string())),
            None if self.row_problems > 0 => write!(f, "{}", crate::t!("import-fix-rows")),
            None => write!(f, "{}", crate::t!("import-fix-files")),
        }
    }
}

impl std::error::Error for Rejected {}
