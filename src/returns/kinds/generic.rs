//! Rosters declared as data (issue 20): a spec whose [`KindSpec::roster`] says which columns
//! give a unit's code and name and which values it offers plans is read, written, kept and
//! counted with no code of its own. Its rows are [`RosterRow`]s; the ledger keeps them in
//! one table for every such kind (`roster_entry`, values as a JSON array in the spec's
//! order), and a plan's target counts its units with `units = "<kind name>"`, each offered
//! value usable as a fact (a yes/no) or a least count.
//!
//! A kind with more to it than units and values (townships, hosts of activities,
//! children's privacy) keeps a parser and a writer of its own.

use std::fmt;

use super::{row_school_year, row_term, KindSpec, Period, Record, RosterPeriod, RowContext};
use crate::returns::values::{normalize, parse_code, parse_count, parse_yes_no};
use crate::returns::{Row, RowError};

/// The ledger table every roster declared as data keeps its rows in.
pub const TABLE: &str = "roster_entry";

/// What an offered value is, as a plan reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// 是/否 (and the other spellings of a yes/no): a fact a plan requires or selects.
    YesNo,
    /// A whole number: a plan requires at least so many.
    Count,
    /// Words, kept and shown, never counted.
    Text,
}

/// One value a roster offers: its column (an index into the spec's columns) and type.
#[derive(Debug)]
pub struct ValueColumn {
    pub column: usize,
    pub ty: ValueType,
}

/// A roster row as data: the columns of the unit's code and name, and the values offered.
#[derive(Debug)]
pub struct RosterSpec {
    pub code: usize,
    pub name: usize,
    pub values: &'static [ValueColumn],
}

/// One value of a row, as read: blank, or of the value's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Blank,
    YesNo(bool),
    Count(u64),
    Text(String),
}

/// One unit of a roster declared as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    pub kind: &'static KindSpec,
    pub line: u64,
    pub code: String,
    pub name: String,
    pub period: RosterPeriod,
    /// One per value of the spec's [`RosterSpec::values`], in its order.
    pub values: Vec<Value>,
}

impl fmt::Debug for KindSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// A kind is one spec: two are the same kind when they are the same spec.
impl PartialEq for KindSpec {
    fn eq(&self, other: &KindSpec) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for KindSpec {}

impl std::hash::Hash for KindSpec {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state)
    }
}

impl KindSpec {
    /// The value of this roster named `name` (its column's name): its place and type.
    pub fn value_named(&self, name: &str) -> Option<(usize, ValueType)> {
        let r = self.roster?;
        r.values.iter().enumerate().find(|(_, v)| self.columns[v.column].name == name).map(|(i, v)| (i, v.ty))
    }

    /// The column of the roster's value `i`.
    pub fn value_column(&self, i: usize) -> &'static crate::returns::columns::Column {
        let r = self.roster.expect("a roster declared as data");
        &self.columns[r.values[i].column]
    }
}

/// Every kind whose roster is declared as data (with, in unit tests, a kind of their own).
pub fn specs() -> impl Iterator<Item = &'static KindSpec> {
    let all = super::ALL.into_iter();
    #[cfg(test)]
    let all = all.chain([&test_kind::SPEC]);
    all.filter(|k| k.roster.is_some())
}

/// The kind named `name` whose roster is declared as data.
pub fn named(name: &str) -> Option<&'static KindSpec> {
    specs().find(|k| k.name == name)
}

/// Parses one row of `spec`'s roster: the code and name, each value by its type (a
/// required column must be filled), and the period.
pub fn parse(spec: &'static KindSpec, mut row: Row<'_>, cx: &RowContext) -> Result<Record, Vec<RowError>> {
    let r = spec.roster.expect("a roster declared as data");
    let code = row.parse_req(r.code, parse_code);
    let name = row.required(r.name).map(str::to_string);
    let mut values = Vec::with_capacity(r.values.len());
    for v in r.values {
        if spec.columns[v.column].required && row.required(v.column).is_none() {
            values.push(Value::Blank);
            continue;
        }
        values.push(
            match v.ty {
                ValueType::YesNo => row.parse_opt(v.column, parse_yes_no).map(Value::YesNo),
                ValueType::Count => row.parse_opt(v.column, parse_count).map(Value::Count),
                ValueType::Text => row.get(v.column).map(|t| Value::Text(normalize(t).into_owned())),
            }
            .unwrap_or(Value::Blank),
        );
    }
    let at = spec.period_column.expect("a roster has a period column");
    let period = match spec.period {
        Period::Term => row_term(&mut row, at, cx.term).map(RosterPeriod::Term),
        Period::SchoolYear => row_school_year(&mut row, at, cx.school_year).map(RosterPeriod::SchoolYear),
        Period::Event => unreachable!("a roster declared as data has a period"),
    };
    if row.has_errors() {
        return Err(row.into_errors());
    }
    match (code, name, period) {
        (Some(code), Some(name), Some(period)) => {
            Ok(Record::Roster(RosterRow { kind: spec, line: row.line, code, name, period, values }))
        }
        _ => Err(row.into_errors()),
    }
}

/// Values as the ledger keeps them: a JSON array, one element per value (`null` blank).
pub fn values_json(values: &[Value]) -> String {
    let each = values.iter().map(|v| match v {
        Value::Blank => serde_json::Value::Null,
        Value::YesNo(b) => serde_json::Value::Bool(*b),
        Value::Count(n) => serde_json::Value::from(*n),
        Value::Text(t) => serde_json::Value::String(t.clone()),
    });
    serde_json::Value::Array(each.collect()).to_string()
}

/// Values from the ledger's JSON array (see [`values_json`]); `None` if it is not one.
pub fn values_from_json(text: &str) -> Option<Vec<Value>> {
    let serde_json::Value::Array(list) = serde_json::from_str(text).ok()? else { return None };
    list.into_iter()
        .map(|v| match v {
            serde_json::Value::Null => Some(Value::Blank),
            serde_json::Value::Bool(b) => Some(Value::YesNo(b)),
            serde_json::Value::Number(n) => n.as_u64().map(Value::Count),
            serde_json::Value::String(s) => Some(Value::Text(s)),
            _ => None,
        })
        .collect()
}

/// A kind declared as data for the unit tests: a roster of family education guidance
/// stations (家庭教育指导站), each with a yes/no, a count and words.
#[cfg(test)]
pub(crate) mod test_kind {
    use std::sync::LazyLock;

    use super::{RosterSpec, ValueColumn, ValueType};
    use crate::returns::columns::{col, Column};
    use crate::returns::kinds::{Due, DueFrom, KindSpec, Period, Record, RowContext};
    use crate::returns::{Row, RowError};

    pub static COLUMNS: LazyLock<Vec<Column>> = LazyLock::new(|| {
        vec![
            col("code", &["指导站代码"], true),
            col("name", &["指导站名称"], true),
            col("township", &["所属乡镇"], false),
            col("has_site", &["有无固定场所"], false),
            col("counsellors", &["指导员人数"], false),
            col("term", &["学期"], false),
        ]
    });

    pub static SPEC: KindSpec = KindSpec {
        name: "test-stations",
        key: "test_stations",
        table: super::TABLE,
        host: None,
        due: Due { from: DueFrom::TermStart, days: 30 },
        about: "Roster of family education guidance stations (unit tests)",
        one: "station",
        many: "stations",
        sheet: "指导站",
        period: Period::Term,
        columns: &COLUMNS,
        period_column: Some(5),
        key_column: Some(0),
        parse,
        guidance: |_| None,
        roster: Some(&RosterSpec {
            code: 0,
            name: 1,
            values: &[
                ValueColumn { column: 2, ty: ValueType::Text },
                ValueColumn { column: 3, ty: ValueType::YesNo },
                ValueColumn { column: 4, ty: ValueType::Count },
            ],
        }),
    };

    fn parse(row: Row<'_>, cx: &RowContext) -> Result<Record, Vec<RowError>> {
        super::parse(&SPEC, row, cx)
    }
}
