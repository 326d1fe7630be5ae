//! `registry` return (SPEC §8.3): the townships' filings of the children's registries
//! (留守儿童、残疾儿童、困境儿童 登记备案), counts only. Each filing is dated; a later filing of
//! the same township, category and school year replaces an earlier one.

use std::sync::LazyLock;

use chrono::NaiveDate;

use super::{parse_event_date, Due, DueFrom, Guidance, KindSpec, Period, Record, RowContext};
use crate::plan::RegistryCategory;
use crate::returns::columns::{col, Column};
use crate::returns::values::{normalize, parse_count};
use crate::returns::{Row, RowError};

pub const TOWNSHIP: usize = 0;
pub const CATEGORY: usize = 1;
pub const COUNT: usize = 2;
pub const FILED: usize = 3;

pub static COLUMNS: LazyLock<Vec<Column>> = LazyLock::new(|| {
    vec![
        col("township", &["所属乡镇街道", "乡镇街道"], true),
        col("category", &["类别"], true),
        col("count", &["人数"], true),
        col("filed", &["备案日期"], true),
    ]
});

/// The kind's name on the command line, in the ledger and in plan files.
pub const KIND_NAME: &str = "registry";

pub static SPEC: KindSpec = KindSpec {
    name: KIND_NAME,
    key: "registry",
    table: "registry",
    host: None,
    due: Due { from: DueFrom::TermEnd, days: 30 },
    about: "Filings of the children's registries by township: 留守儿童, 残疾儿童, 困境儿童, counts only (登记备案)",
    one: "filing",
    many: "filings",
    sheet: "登记备案",
    period: Period::Event,
    columns: &COLUMNS,
    period_column: None,
    key_column: None,
    parse,
    guidance,
    roster: None,
};

/// One filing of a registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRow {
    pub line: u64,
    /// The township as written: a name or a code (checked against the ledger's townships).
    pub township: String,
    pub category: RegistryCategory,
    pub count: u64,
    pub filed: NaiveDate,
}

const CATEGORIES: &[&str] = &["留守儿童", "残疾儿童", "困境儿童"];

fn guidance(c: &Column) -> Option<Guidance> {
    Some(match c.name {
        "township" => (crate::t!("returns-guide-registry-township"), None),
        "category" => (crate::t!("returns-guide-registry-category"), Some(CATEGORIES)),
        "count" => (crate::t!("returns-guide-registry-count"), None),
        "filed" => (crate::t!("returns-guide-registry-filed"), None),
        _ => return None,
    })
}

/// Parses one registry row.
pub fn parse(mut row: Row<'_>, cx: &RowContext) -> Result<Record, Vec<RowError>> {
    let township = row.required(TOWNSHIP).map(|t| normalize(t).into_owned());
    let category = row.parse_req(CATEGORY, |s| {
        let v = normalize(s);
        RegistryCategory::parse(&v).or_else(|| RegistryCategory::parse(&format!("{v}儿童"))).ok_or_else(|| {
            crate::t!("returns-unknown-category", value = s, expected = super::as_list(RegistryCategory::SPELLINGS))
        })
    });
    let count = row.parse_req(COUNT, parse_count);
    let filed = row.parse_req(FILED, |s| parse_event_date(s, cx));
    if row.has_errors() {
        return Err(row.into_errors());
    }
    match (township, category, count, filed) {
        (Some(township), Some(category), Some(count), Some(filed)) => {
            Ok(Record::Registry(RegistryRow { line: row.line, township, category, count, filed }))
        }
        _ => Err(row.into_errors()),
    }
}
