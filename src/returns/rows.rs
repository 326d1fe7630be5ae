//! Typed rows of each return, parsed and checked cell by cell.

use chrono::NaiveDate;

use super::columns::*;
use super::values::{normalize, parse_code, parse_count, parse_date, parse_yes_no};
use super::{Row, RowError};
use crate::plan::{ActivityKind, Area, Mode, SchoolType, Term};

/// One school of a `schools` roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolRow {
    pub line: u64,
    pub code: String,
    pub name: String,
    pub school_type: SchoolType,
    /// The township as written: a name or a code.
    pub township: String,
    pub parent_school: bool,
    pub parent_school_since: Option<NaiveDate>,
    pub principal_heads: Option<bool>,
    pub term: Term,
}

/// One community of a `communities` roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityRow {
    pub line: u64,
    pub code: String,
    pub name: String,
    /// The township's name, when the return gives one.
    pub township_name: Option<String>,
    /// The township's code, from `township_code` or a `township` cell that is a code.
    pub township_code: Option<String>,
    pub area: Area,
    pub parent_school: bool,
    pub parent_school_since: Option<NaiveDate>,
    pub term: Term,
}

/// One activity of an `activities` return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRow {
    pub line: u64,
    pub id: Option<String>,
    pub host: String,
    pub date: NaiveDate,
    pub term: Term,
    pub kind: ActivityKind,
    pub title: Option<String>,
    pub participants: Option<u64>,
    pub mode: Option<Mode>,
}

/// Whether a cell is a township code (digits only) rather than a name.
pub fn is_code(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The roster's term for a row: the `term` cell and `--term` must agree; one is needed.
fn row_term(row: &mut Row<'_>, col: usize, given: Option<Term>) -> Option<Term> {
    let cell = row.parse_opt(col, normalize_term);
    match (cell, given) {
        (Some(c), Some(g)) if c != g => {
            row.error(col, format!("the row says term {c} but --term says {g}; they must agree"));
            None
        }
        (Some(c), _) => Some(c),
        (None, Some(g)) => Some(g),
        (None, None) => {
            if !row.has_errors() {
                row.error(col, "the term is empty; fill it in or give --term");
            }
            None
        }
    }
}

fn normalize_term(s: &str) -> Result<Term, String> {
    normalize(s).parse::<Term>().map_err(|e| e.to_string())
}

fn since(row: &mut Row<'_>, col: usize, parent_school: Option<bool>, term: Option<Term>) -> Option<NaiveDate> {
    let date = row.parse_opt(col, parse_date)?;
    if parent_school == Some(false) {
        row.error(col, "a founding date is given, but the row says there is no parent school");
        return None;
    }
    if let Some(t) = term {
        if date > t.last_day() {
            row.error(
                col,
                format!(
                    "{date} is after the end of term {t} ({}); a roster cannot record a parent school founded later",
                    t.last_day()
                ),
            );
            return None;
        }
    }
    Some(date)
}

/// Parses one school row; `term` is `--term`, if given.
pub fn school(mut row: Row<'_>, term: Option<Term>) -> Result<SchoolRow, Vec<RowError>> {
    let code = row.parse_req(S_CODE, parse_code);
    let name = row.required(S_NAME).map(str::to_string);
    let school_type = row.parse_req(S_TYPE, |s| {
        SchoolType::parse(&normalize(s))
            .ok_or_else(|| format!("unknown school type \"{s}\"; expected one of {}", SchoolType::spellings()))
    });
    let township = row.required(S_TOWNSHIP).map(|t| normalize(t).into_owned());
    let parent_school = row.parse_req(S_PARENT_SCHOOL, parse_yes_no);
    let principal_heads = row.parse_opt(S_PRINCIPAL, parse_yes_no);
    let term = row_term(&mut row, S_TERM, term);
    let parent_school_since = since(&mut row, S_SINCE, parent_school, term);
    if row.has_errors() {
        return Err(row.into_errors());
    }
    match (code, name, school_type, township, parent_school, term) {
        (Some(code), Some(name), Some(school_type), Some(township), Some(parent_school), Some(term)) => Ok(SchoolRow {
            line: row.line,
            code,
            name,
            school_type,
            township,
            parent_school,
            parent_school_since,
            principal_heads,
            term,
        }),
        _ => Err(row.into_errors()),
    }
}

/// Parses one community row; `term` is `--term`, if given.
pub fn community(mut row: Row<'_>, term: Option<Term>) -> Result<CommunityRow, Vec<RowError>> {
    let code = row.parse_req(C_CODE, parse_code);
    let name = row.required(C_NAME).map(str::to_string);
    let township = row.required(C_TOWNSHIP).map(|t| normalize(t).into_owned());
    let township_code = row.parse_opt(C_TOWNSHIP_CODE, |s| {
        let v = normalize(s).into_owned();
        if is_code(&v) {
            Ok(v)
        } else {
            Err(format!("\"{s}\" is not a township code; a code is digits only, e.g. 110109001"))
        }
    });
    let (mut township_name, mut tcode) = (None, township_code.clone());
    if let Some(t) = township {
        if is_code(&t) {
            if let Some(c) = &township_code {
                if *c != t {
                    row.error(C_TOWNSHIP_CODE, format!("township code {c} does not match the township column's code {t}"));
                }
            }
            tcode = Some(t);
        } else {
            township_name = Some(t);
        }
    }
    let area = match row.parse_opt(C_AREA, |s| {
        Area::parse(&normalize(s)).ok_or_else(|| format!("\"{s}\" is not an urban/rural type; write {}", Area::SPELLINGS))
    }) {
        Some(a) => Some(a),
        None if row.get(C_AREA).is_some() => None,
        None => match &name {
            Some(n) => {
                let inferred = Area::from_name(n);
                if inferred.is_none() {
                    row.error(
                        C_AREA,
                        format!(
                            "cannot tell whether \"{n}\" is urban or rural from its name; add an area (城乡类型) column: {}",
                            Area::SPELLINGS
                        ),
                    );
                }
                inferred
            }
            None => None,
        },
    };
    let parent_school = row.parse_req(C_PARENT_SCHOOL, parse_yes_no);
    let term = row_term(&mut row, C_TERM, term);
    let parent_school_since = since(&mut row, C_SINCE, parent_school, term);
    if row.has_errors() {
        return Err(row.into_errors());
    }
    match (code, name, area, parent_school, term) {
        (Some(code), Some(name), Some(area), Some(parent_school), Some(term)) => Ok(CommunityRow {
            line: row.line,
            code,
            name,
            township_name,
            township_code: tcode,
            area,
            parent_school,
            parent_school_since,
            term,
        }),
        _ => Err(row.into_errors()),
    }
}

/// Parses one activity row. Whether the host exists is checked against the ledger later.
pub fn activity(mut row: Row<'_>) -> Result<ActivityRow, Vec<RowError>> {
    let id = row.get(A_ID).map(|i| normalize(i).into_owned());
    let host = row.parse_req(A_HOST, parse_code);
    let date = row.parse_req(A_DATE, parse_date);
    let kind = row.parse_req(A_KIND, |s| {
        ActivityKind::parse(&normalize(s))
            .ok_or_else(|| format!("unknown activity kind \"{s}\"; expected one of {}", ActivityKind::spellings()))
    });
    let title = row.get(A_TITLE).map(str::to_string);
    let participants = row.parse_opt(A_PARTICIPANTS, parse_count);
    let mode = row.parse_opt(A_MODE, |s| {
        Mode::parse(&normalize(s)).ok_or_else(|| format!("\"{s}\" is not a mode; write {}", Mode::SPELLINGS))
    });
    if row.has_errors() {
        return Err(row.into_errors());
    }
    match (host, date, kind) {
        (Some(host), Some(date), Some(kind)) => {
            Ok(ActivityRow { line: row.line, id, host, date, term: Term::containing(date), kind, title, participants, mode })
        }
        _ => Err(row.into_errors()),
    }
}
