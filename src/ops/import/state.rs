//! What the writing thread knows of the file it is writing: its counts, and each
//! activity's outcome turned into the row's errors.

use anyhow::{Context, Result};

use super::checks::column_error;
use crate::ledger::{ActivityOutcome, BatchInfo, ImportTx};
use crate::plan::ActivityKind;
use crate::returns::kinds::{activities, ActivityRow};
use crate::returns::{Header, RowError};

pub(super) struct FileState {
    pub(super) batch: BatchInfo,
    /// The file's header, for naming columns in errors found after parsing.
    pub(super) header: Header,
    /// Lines of home visits naming a student on no key-students roster.
    pub(super) unknown_students: Vec<u64>,
    pub(super) rows: u64,
    pub(super) imported: u64,
    pub(super) duplicates: u64,
    pub(super) bad: bool,
}

impl FileState {
    pub(super) fn error(&self, line: u64, col: usize, message: String) -> RowError {
        column_error(&self.header, line, col, message)
    }

    /// Accounts for one activity row: `host` is its host's key if it is in a roster, and
    /// `written` holds, in order, what happened to each row of the chunk whose host is.
    pub(super) fn activity_row(
        &mut self,
        tx: &ImportTx<'_>,
        host: Option<i64>,
        written: &mut std::collections::VecDeque<ActivityOutcome>,
        a: &ActivityRow,
    ) -> Result<Vec<RowError>> {
        let Some(host) = host else {
            return Ok(vec![self.error(a.line, activities::HOST, crate::t!("import-unknown-host", code = a.host))]);
        };
        // Rows after a bad one are still written — the whole import is rolled back in the
        // end — so that duplicates and id conflicts further down are found and listed too.
        match written.pop_front().context("an activity's outcome is missing")? {
            ActivityOutcome::Inserted => {
                self.imported += 1;
                if let (ActivityKind::HomeVisit, Some(student)) = (a.kind, &a.student) {
                    if !tx.is_key_student(host, a.date, student)? {
                        self.unknown_students.push(a.line);
                    }
                }
            }
            ActivityOutcome::Duplicate => self.duplicates += 1,
            ActivityOutcome::IdConflict { same_batch, file: other, line } => {
                let (id, place) = (a.id.as_deref().unwrap_or(""), format!("{other}:{line}"));
                let message = if same_batch {
                    crate::t!("import-id-conflict-same-file", id = id, place = place)
                } else {
                    crate::t!("import-id-conflict", id = id, place = place)
                };
                return Ok(vec![self.error(a.line, activities::ID, message)]);
            }
        }
        Ok(Vec::new())
    }
}
