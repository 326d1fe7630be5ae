//! `bodies` roster (SPEC §8.1): parent schools and co-education committees that are not a
//! school's or a community's, one row each, for one term.

use std::sync::LazyLock;

use chrono::NaiveDate;

use super::{fact_columns, read_facts, row_term, since, Due, DueFrom, Guidance, KindSpec, Period, Record, RowContext};
use crate::plan::{BodyKind, BodyLevel, Fact, FactSet, HostKind, Term};
use crate::returns::columns::{col, Column};
use crate::returns::values::{normalize, parse_code};
use crate::returns::{Row, RowError};

pub const CODE: usize = 0;
pub const NAME: usize = 1;
pub const KIND: usize = 2;
pub const LEVEL: usize = 3;
pub const TOWNSHIP: usize = 4;
pub const SINCE: usize = 5;
pub const TERM: usize = 6;
/// The fact columns follow, one per fact of `FACTS` carried by bodies.
pub const FIRST_FACT: usize = 7;

pub static COLUMNS: LazyLock<Vec<Column>> = LazyLock::new(|| {
    let mut c = vec![
        col("code", &["机构代码", "编号"], true),
        col("name", &["机构名称", "名称"], true),
        col("kind", &["机构类型", "类型"], true),
        col("level", &["级别", "层级"], true),
        col("township", &["所属乡镇街道"], false),
        col("since", &["成立日期"], false),
        col("term", &["学期"], false),
    ];
    c.extend(fact_columns(HostKind::Bodies));
    c
});

/// The kind's name on the command line, in the ledger and in plan files.
pub const KIND_NAME: &str = "bodies";

pub static SPEC: KindSpec = KindSpec {
    name: KIND_NAME,
    key: "bodies",
    table: "body",
    host: Some(HostKind::Bodies),
    due: Due { from: DueFrom::TermStart, days: 30 },
    about: "Roster of parent schools and committees that are not a school's or a community's, for one term (机构)",
    one: "body",
    many: "bodies",
    sheet: "机构",
    period: Period::Term,
    columns: &COLUMNS,
    period_column: Some(TERM),
    key_column: Some(CODE),
    parse,
    guidance,
    roster: None,
};

/// One body of a `bodies` roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyRow {
    pub line: u64,
    pub code: String,
    pub name: String,
    pub kind: BodyKind,
    pub level: BodyLevel,
    /// A township name or code, if the body belongs to one.
    pub township: Option<String>,
    pub since: Option<NaiveDate>,
    /// `parent_school` is yes for a parent school and no for a committee; the standards
    /// facts where the roster has a column.
    pub facts: FactSet,
    pub term: Term,
}

fn guidance(c: &Column) -> Option<Guidance> {
    Some(match c.name {
        "code" => (crate::t!("returns-guide-bodies-code"), None),
        "kind" => (crate::t!("returns-guide-bodies-kind"), Some(&["家长学校", "家校社共育委员会"])),
        "level" => (crate::t!("returns-guide-bodies-level"), Some(&["区级", "机关", "社会组织", "企事业单位"])),
        "township" => (crate::t!("returns-guide-bodies-township"), None),
        "since" => (crate::t!("returns-guide-bodies-since"), None),
        _ => return None,
    })
}

/// Parses one body row.
pub fn parse(mut row: Row<'_>, cx: &RowContext) -> Result<Record, Vec<RowError>> {
    let code = row.parse_req(CODE, parse_code);
    let name = row.required(NAME).map(str::to_string);
    let kind = row.parse_req(KIND, |s| {
        BodyKind::parse(&normalize(s))
            .ok_or_else(|| crate::t!("returns-unknown-body-kind", value = s, expected = super::as_list(BodyKind::SPELLINGS)))
    });
    let level = row.parse_req(LEVEL, |s| {
        BodyLevel::parse(&normalize(s))
            .ok_or_else(|| crate::t!("returns-unknown-body-level", value = s, expected = super::as_list(BodyLevel::SPELLINGS)))
    });
    let township = row.get(TOWNSHIP).map(|t| normalize(t).into_owned());
    let mut facts = FactSet::default();
    if let Some(k) = kind {
        facts.set(Fact::ParentSchool, k == BodyKind::ParentSchool);
    }
    read_facts(&mut row, &COLUMNS, FIRST_FACT, &mut facts);
    let term = row_term(&mut row, TERM, cx.term);
    let since = since(&mut row, SINCE, None, term);
    if row.has_errors() {
        return Err(row.into_errors());
    }
    match (code, name, kind, level, term) {
        (Some(code), Some(name), Some(kind), Some(level), Some(term)) => {
            Ok(Record::Body(BodyRow { line: row.line, code, name, kind, level, township, since, facts, term }))
        }
        _ => Err(row.into_errors()),
    }
}
