//! A row's checks against the file's earlier rows (one period, each key once, a
//! township's code and name paired alike), made on the reading thread.

use std::collections::HashMap;

use crate::ledger::CodeMap;
use crate::returns::kinds::{communities, CommunityRow};
use crate::returns::{Header, Record, RosterPeriod, RowError};

/// What a file's rows are checked against: its earlier rows. Kept by the thread that
/// reads the file, which checks each row as it parses it.
pub(super) struct FileChecks {
    pub(super) spec: &'static crate::returns::KindSpec,
    /// The file's header, for naming columns.
    pub(super) header: Header,
    pub(super) roster_period: Option<RosterPeriod>,
    /// Roster keys (unit codes; school and ref) seen in this file → the line they were
    /// first on.
    /// (Compact: a national roster has a million codes.)
    pub(super) keys: CodeMap,
    /// Township code → (name, line) and name → (code, line) as this file pairs them.
    pub(super) township_names: HashMap<String, (String, u64)>,
    pub(super) township_codes: HashMap<String, (String, u64)>,
}

/// An error of `line` in column `col` of a file with this header.
pub(super) fn column_error(header: &Header, line: u64, col: usize, message: String) -> RowError {
    header.row_error(line, col, message)
}

impl FileChecks {
    fn error(&self, line: u64, col: usize, message: String) -> RowError {
        column_error(&self.header, line, col, message)
    }

    /// Checks a parsed row against the file's earlier rows: the errors, and whether the
    /// row is to be written all the same (to be checked against the ledger: it is unless
    /// it repeats a key or has another period).
    pub(super) fn check(&mut self, line: u64, record: &Record) -> (Vec<RowError>, bool) {
        let mut errors = match record {
            Record::Community(c) => self.township_consistency(c),
            _ => Vec::new(),
        };
        let before = errors.len();
        self.roster_row(line, record, &mut errors);
        let write = errors.len() == before;
        (errors, write)
    }

    /// Checks a parsed row of a roster (or registry) against the rest of the file: one
    /// period, each key once.
    fn roster_row(&mut self, line: u64, record: &Record, errors: &mut Vec<RowError>) {
        let spec = self.spec;
        if let (Some(period), Some(col)) = (record.period(), spec.period_column) {
            match self.roster_period {
                None => self.roster_period = Some(period),
                Some(p) if p != period => {
                    let (period, first) = (period.to_string(), p.to_string());
                    let message = match p {
                        RosterPeriod::Term(_) => crate::t!("import-other-term", period = period, first = first),
                        RosterPeriod::SchoolYear(_) => crate::t!("import-other-school-year", period = period, first = first),
                    };
                    errors.push(self.error(line, col, message))
                }
                Some(_) => {}
            }
        }
        if let (Some(key), Some(col)) = (record.roster_key(), spec.key_column) {
            if let Some(first) = self.keys.get(&key) {
                let first = first as u64;
                let shown = key.rsplit(' ').next().unwrap_or(&key).to_string();
                let message = if matches!(record, Record::KeyStudent(_)) {
                    crate::t!("import-ref-twice", code = shown, line = first)
                } else {
                    crate::t!("import-code-twice", code = shown, line = first)
                };
                errors.push(self.error(line, col, message));
            } else {
                // (A line beyond 32 bits is beyond the record cap of any return.)
                self.keys.insert(key.as_bytes(), line as i64, true);
            }
        }
    }

    /// Within one roster a township code has one name and a name one code (SPEC §3: a
    /// township is one unit whether a return names it or gives its code).
    fn township_consistency(&mut self, c: &CommunityRow) -> Vec<RowError> {
        let (Some(code), Some(name)) = (&c.township_code, &c.township_name) else { return Vec::new() };
        let mut errors = Vec::new();
        match self.township_names.get(code) {
            Some((other, line)) if other != name => errors.push(self.error(
                c.line,
                communities::TOWNSHIP,
                crate::t!("import-township-code-names", code = code, other = other, line = *line, name = name),
            )),
            Some(_) => {}
            None => {
                self.township_names.insert(code.clone(), (name.clone(), c.line));
            }
        }
        match self.township_codes.get(name) {
            Some((other, line)) if other != code => errors.push(self.error(
                c.line,
                communities::TOWNSHIP_CODE,
                crate::t!("import-township-name-codes", name = name, other = other, line = *line, code = code),
            )),
            Some(_) => {}
            None => {
                self.township_codes.insert(name.clone(), (code.clone(), c.line));
            }
        }
        errors
    }
}
