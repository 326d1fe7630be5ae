//! `key-students` roster (SPEC §8.2, §13): the schools' pseudonymous refs of their
//! key-concern students (重点关注学生), one roster per school year. Nothing else about a
//! child is kept.

use std::sync::LazyLock;

use super::{row_school_year, Due, DueFrom, Guidance, KindSpec, Period, Record, RowContext};
use crate::plan::StudentCategory;
use crate::returns::columns::{col, Column};
use crate::returns::privacy::parse_ref;
use crate::returns::values::{normalize, parse_code};
use crate::returns::{Row, RowError};

pub const SCHOOL: usize = 0;
pub const REF: usize = 1;
pub const CATEGORY: usize = 2;
pub const SCHOOL_YEAR: usize = 3;

pub static COLUMNS: LazyLock<Vec<Column>> = LazyLock::new(|| {
    vec![
        col("school", &["学校代码"], true),
        col("ref", &["学生编号", "学生代号"], true),
        col("category", &["关注类别", "类别"], false),
        col("school_year", &["学年"], false),
    ]
});

/// The kind's name on the command line, in the ledger and in plan files.
pub const KIND_NAME: &str = "key-students";

pub static SPEC: KindSpec = KindSpec {
    name: KIND_NAME,
    key: "key_students",
    table: "key_student",
    host: None,
    due: Due { from: DueFrom::SchoolYearStart, days: 30 },
    about: "Roster of key-concern students by the schools' pseudonymous refs, for one school year (重点关注学生)",
    one: "key student",
    many: "key students",
    sheet: "重点关注学生",
    period: Period::SchoolYear,
    columns: &COLUMNS,
    period_column: Some(SCHOOL_YEAR),
    key_column: Some(REF),
    parse,
    guidance,
    roster: None,
};

/// One key student: a school's code and its ref for the student.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyStudentRow {
    pub line: u64,
    pub school: String,
    pub reference: String,
    pub category: Option<StudentCategory>,
    /// The school year, by its first calendar year.
    pub school_year: i32,
}

fn guidance(c: &Column) -> Option<Guidance> {
    Some(match c.name {
        "school" => (crate::t!("returns-guide-key-students-school"), None),
        "ref" => (crate::t!("returns-guide-key-students-ref"), None),
        "category" => {
            (crate::t!("returns-guide-key-students-category"), Some(&["留守", "残疾", "困境", "学业", "心理", "行为", "其他"]))
        }
        _ => return None,
    })
}

/// Parses one key-student row.
pub fn parse(mut row: Row<'_>, cx: &RowContext) -> Result<Record, Vec<RowError>> {
    let school = row.parse_req(SCHOOL, parse_code);
    let reference = row.parse_req(REF, parse_ref);
    let category = row.parse_opt(CATEGORY, |s| {
        StudentCategory::parse(&normalize(s)).ok_or_else(|| {
            crate::t!("returns-unknown-category", value = s, expected = super::as_list(StudentCategory::SPELLINGS))
        })
    });
    let school_year = row_school_year(&mut row, SCHOOL_YEAR, cx.school_year);
    if row.has_errors() {
        return Err(row.into_errors());
    }
    match (school, reference, school_year) {
        (Some(school), Some(reference), Some(school_year)) => {
            Ok(Record::KeyStudent(KeyStudentRow { line: row.line, school, reference, category, school_year }))
        }
        _ => Err(row.into_errors()),
    }
}
