//! `schools` roster (SPEC §3.1, §8.3): one row per school, for one term.

use std::sync::LazyLock;

use chrono::NaiveDate;

use super::{fact_columns, read_facts, row_term, since, Due, DueFrom, Guidance, KindSpec, Period, Record, RowContext};
use crate::plan::{Area, Fact, FactSet, HostKind, SchoolType, Term};
use crate::returns::columns::{col, Column};
use crate::returns::values::{normalize, parse_code, parse_yes_no};
use crate::returns::{Row, RowError};

pub const CODE: usize = 0;
pub const NAME: usize = 1;
pub const TYPE: usize = 2;
pub const TOWNSHIP: usize = 3;
pub const PARENT_SCHOOL: usize = 4;
pub const SINCE: usize = 5;
pub const AREA: usize = 6;
pub const TERM: usize = 7;
/// The fact columns follow, one per fact of `FACTS` carried by schools.
pub const FIRST_FACT: usize = 8;

pub static COLUMNS: LazyLock<Vec<Column>> = LazyLock::new(|| {
    let mut c = vec![
        col("code", &["学校代码", "学校标识码"], true),
        col("name", &["学校名称"], true),
        col("type", &["学校类型", "办学类型"], true),
        col("township", &["所属乡镇", "所属街道", "乡镇街道"], true),
        col("parent_school", Fact::ParentSchool.spec().aliases, true),
        col("parent_school_since", &["家长学校成立日期"], false),
        col("area", &["城乡类型", "城乡分类", "城乡分类代码"], false),
        col("term", &["学期"], false),
    ];
    c.extend(fact_columns(HostKind::Schools));
    c
});

/// The kind's name on the command line, in the ledger and in plan files.
pub const KIND_NAME: &str = "schools";

pub static SPEC: KindSpec = KindSpec {
    name: KIND_NAME,
    key: "schools",
    table: "school",
    host: Some(HostKind::Schools),
    due: Due { from: DueFrom::TermStart, days: 30 },
    about: "Roster of schools for one term (学校)",
    one: "school",
    many: "schools",
    sheet: "学校",
    period: Period::Term,
    columns: &COLUMNS,
    period_column: Some(TERM),
    key_column: Some(CODE),
    parse,
    guidance,
    roster: None,
};

/// One school of a `schools` roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolRow {
    pub line: u64,
    pub code: String,
    pub name: String,
    pub school_type: SchoolType,
    /// The township as written: a name or a code.
    pub township: String,
    pub area: Option<Area>,
    pub parent_school_since: Option<NaiveDate>,
    /// `parent_school` is always reported; the other facts where the roster has a column.
    pub facts: FactSet,
    pub term: Term,
}

impl SchoolRow {
    pub fn parent_school(&self) -> bool {
        self.facts.get(Fact::ParentSchool) == Some(true)
    }
}

const TYPES: &[&str] =
    &["小学", "初中", "高中", "完全中学", "九年一贯制学校", "十二年一贯制学校", "特殊教育学校", "幼儿园", "中等职业学校"];

fn guidance(c: &Column) -> Option<Guidance> {
    match c.name {
        "type" => Some((crate::t!("returns-guide-schools-type"), Some(TYPES))),
        "area" => Some((crate::t!("returns-guide-schools-area"), Some(&["城区", "农村"]))),
        _ => None,
    }
}

/// Parses one school row.
pub fn parse(mut row: Row<'_>, cx: &RowContext) -> Result<Record, Vec<RowError>> {
    let code = row.parse_req(CODE, parse_code);
    let name = row.required(NAME).map(str::to_string);
    let school_type = row.parse_req(TYPE, |s| {
        SchoolType::parse(&normalize(s)).ok_or_else(|| {
            crate::t!("returns-unknown-school-type", value = s, expected = super::as_list(&SchoolType::spellings()))
        })
    });
    let township = row.required(TOWNSHIP).map(|t| normalize(t).into_owned());
    let area = row.parse_opt(AREA, |s| {
        Area::parse(&normalize(s))
            .ok_or_else(|| crate::t!("returns-not-an-area", value = s, expected = super::as_list(Area::SPELLINGS)))
    });
    let parent_school = row.parse_req(PARENT_SCHOOL, parse_yes_no);
    let mut facts = FactSet::default();
    if let Some(p) = parent_school {
        facts.set(Fact::ParentSchool, p);
    }
    read_facts(&mut row, &COLUMNS, FIRST_FACT, &mut facts);
    let term = row_term(&mut row, TERM, cx.term);
    let parent_school_since = since(&mut row, SINCE, parent_school, term);
    if row.has_errors() {
        return Err(row.into_errors());
    }
    match (code, name, school_type, township, parent_school, term) {
        (Some(code), Some(name), Some(school_type), Some(township), Some(_), Some(term)) => Ok(Record::School(SchoolRow {
            line: row.line,
            code,
            name,
            school_type,
            township,
            area,
            parent_school_since,
            facts,
            term,
        })),
        _ => Err(row.into_errors()),
    }
}
