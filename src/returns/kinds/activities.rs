//! `activities` return (SPEC §3.3, §8.2): one row per activity, each dated.

use std::sync::LazyLock;

use chrono::NaiveDate;

use super::{parse_event_date, Due, DueFrom, Guidance, KindSpec, Period, Record, RowContext};
use crate::plan::{ActivityKind, Mode, Term};
use crate::returns::columns::{col, Column};
use crate::returns::privacy::parse_ref;
use crate::returns::values::{normalize, parse_code, parse_count};
use crate::returns::{Row, RowError};

pub const ID: usize = 0;
pub const HOST: usize = 1;
pub const DATE: usize = 2;
pub const KIND: usize = 3;
pub const TITLE: usize = 4;
pub const PARTICIPANTS: usize = 5;
pub const MODE: usize = 6;
pub const STUDENT: usize = 7;

pub static COLUMNS: LazyLock<Vec<Column>> = LazyLock::new(|| {
    vec![
        col("id", &["活动编号"], false),
        col("host", &["主办单位代码", "家长学校代码", "单位代码"], true),
        col("date", &["活动日期", "日期"], true),
        col("kind", &["活动类型", "类型"], true),
        col("title", &["活动名称", "主题"], false),
        col("participants", &["参与人数", "参加人数"], false),
        col("mode", &["形式"], false),
        col("student", &["学生编号", "学生代号"], false),
    ]
});

/// The kind's name on the command line, in the ledger and in plan files.
pub const KIND_NAME: &str = "activities";

pub static SPEC: KindSpec = KindSpec {
    name: KIND_NAME,
    key: "activities",
    table: "activity",
    host: None,
    due: Due { from: DueFrom::TermEnd, days: 15 },
    about: "Parent-school activities (活动)",
    one: "activity",
    many: "activities",
    sheet: "活动",
    period: Period::Event,
    columns: &COLUMNS,
    period_column: None,
    key_column: None,
    parse,
    guidance,
    roster: None,
};

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
    /// On a home visit: the ref of the student visited (a key student of the host school).
    pub student: Option<String>,
}

fn guidance(c: &Column) -> Option<Guidance> {
    Some(match c.name {
        "id" => (crate::t!("returns-guide-activities-id"), None),
        "host" => (crate::t!("returns-guide-activities-host"), None),
        "date" => (crate::t!("returns-guide-activities-date"), None),
        "kind" => (
            crate::t!("returns-guide-activities-kind", kinds = ActivityKind::guide(crate::messages::lang())),
            Some(ActivityKind::offered()),
        ),
        "title" => (crate::t!("returns-guide-activities-title"), None),
        "participants" => (crate::t!("returns-guide-activities-participants"), None),
        "mode" => (crate::t!("returns-guide-activities-mode"), Some(&["线上", "线下"])),
        "student" => (crate::t!("returns-guide-activities-student"), None),
        _ => return None,
    })
}

/// Parses one activity row. Whether the host exists is checked against the ledger later.
pub fn parse(mut row: Row<'_>, cx: &RowContext) -> Result<Record, Vec<RowError>> {
    let id = row.get(ID).map(|i| normalize(i).into_owned());
    let host = row.parse_req(HOST, parse_code);
    let date = row.parse_req(DATE, |s| parse_event_date(s, cx));
    let kind = row.parse_req(KIND, |s| {
        ActivityKind::parse(&normalize(s)).ok_or_else(|| {
            crate::t!("returns-unknown-activity-kind", value = s, expected = super::as_list(&ActivityKind::spellings()))
        })
    });
    let title = row.get(TITLE).map(str::to_string);
    let participants = row.parse_opt(PARTICIPANTS, parse_count);
    let mode = row.parse_opt(MODE, |s| {
        Mode::parse(&normalize(s))
            .ok_or_else(|| crate::t!("returns-not-a-mode", value = s, expected = super::as_list(Mode::SPELLINGS)))
    });
    let student = row.parse_opt(STUDENT, parse_ref);
    if student.is_some() && kind.is_some_and(|k| k != ActivityKind::HomeVisit) {
        row.error(STUDENT, crate::t!("returns-student-not-on-home-visit"));
    }
    if row.has_errors() {
        return Err(row.into_errors());
    }
    match (host, date, kind) {
        (Some(host), Some(date), Some(kind)) => Ok(Record::Activity(ActivityRow {
            line: row.line,
            id,
            host,
            date,
            term: Term::containing(date),
            kind,
            title,
            participants,
            mode,
            student,
        })),
        _ => Err(row.into_errors()),
    }
}
