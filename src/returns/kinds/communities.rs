//! `communities` roster (SPEC §3.2, §8.3): one row per community, for one term.

use std::sync::LazyLock;

use chrono::NaiveDate;

use super::{fact_columns, is_code, read_facts, row_term, since, Due, DueFrom, Guidance, KindSpec, Period, Record, RowContext};
use crate::plan::{Area, Fact, FactSet, HostKind, Term};
use crate::returns::columns::{col, Column};
use crate::returns::values::{normalize, parse_code, parse_yes_no};
use crate::returns::{Row, RowError};

pub const CODE: usize = 0;
pub const NAME: usize = 1;
pub const TOWNSHIP: usize = 2;
pub const TOWNSHIP_CODE: usize = 3;
pub const AREA: usize = 4;
pub const PARENT_SCHOOL: usize = 5;
pub const SINCE: usize = 6;
pub const TERM: usize = 7;
/// The fact columns follow, one per fact of `FACTS` carried by communities.
pub const FIRST_FACT: usize = 8;

pub static COLUMNS: LazyLock<Vec<Column>> = LazyLock::new(|| {
    let mut c = vec![
        col("code", &["社区代码", "村居代码", "统计用区划代码"], true),
        col("name", &["社区名称", "村居名称", "名称"], true),
        col("township", &["所属乡镇街道", "乡镇街道", "所属乡镇", "所属街道"], true),
        col("township_code", &["乡镇街道代码"], false),
        col("area", &["城乡类型", "城乡分类", "城乡分类代码"], false),
        col("parent_school", Fact::ParentSchool.spec().aliases, true),
        col("parent_school_since", &["家长学校成立日期"], false),
        col("term", &["学期"], false),
    ];
    c.extend(fact_columns(HostKind::Communities));
    c
});

/// The kind's name on the command line, in the ledger and in plan files.
pub const KIND_NAME: &str = "communities";

pub static SPEC: KindSpec = KindSpec {
    name: KIND_NAME,
    key: "communities",
    table: "community",
    host: Some(HostKind::Communities),
    due: Due { from: DueFrom::TermStart, days: 30 },
    about: "Roster of communities for one term (社区/村)",
    one: "community",
    many: "communities",
    sheet: "社区",
    period: Period::Term,
    columns: &COLUMNS,
    period_column: Some(TERM),
    key_column: Some(CODE),
    parse,
    guidance,
    roster: None,
};

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
    pub parent_school_since: Option<NaiveDate>,
    /// `parent_school` is always reported; the other facts where the roster has a column.
    pub facts: FactSet,
    pub term: Term,
}

impl CommunityRow {
    pub fn parent_school(&self) -> bool {
        self.facts.get(Fact::ParentSchool) == Some(true)
    }
}

fn guidance(_: &Column) -> Option<Guidance> {
    None
}

/// Parses one community row.
pub fn parse(mut row: Row<'_>, cx: &RowContext) -> Result<Record, Vec<RowError>> {
    let code = row.parse_req(CODE, parse_code);
    let name = row.required(NAME).map(str::to_string);
    let township = row.required(TOWNSHIP).map(|t| normalize(t).into_owned());
    let township_code = row.parse_opt(TOWNSHIP_CODE, |s| {
        let v = normalize(s).into_owned();
        if is_code(&v) {
            Ok(v)
        } else {
            Err(crate::t!("returns-not-a-township-code", value = s))
        }
    });
    let (mut township_name, mut tcode) = (None, township_code.clone());
    if let Some(t) = township {
        if is_code(&t) {
            if let Some(c) = &township_code {
                if *c != t {
                    row.error(TOWNSHIP_CODE, crate::t!("returns-township-code-mismatch", code = c, township = &t));
                }
            }
            tcode = Some(t);
        } else {
            township_name = Some(t);
        }
    }
    let area = match row.parse_opt(AREA, |s| {
        Area::parse(&normalize(s))
            .ok_or_else(|| crate::t!("returns-not-an-area", value = s, expected = super::as_list(Area::SPELLINGS)))
    }) {
        Some(a) => Some(a),
        None if row.get(AREA).is_some() => None,
        None => match &name {
            Some(n) => {
                let inferred = Area::from_name(n);
                if inferred.is_none() {
                    row.error(AREA, crate::t!("returns-area-not-inferred", name = n, expected = super::as_list(Area::SPELLINGS)));
                }
                inferred
            }
            None => None,
        },
    };
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
    match (code, name, area, parent_school, term) {
        (Some(code), Some(name), Some(area), Some(_), Some(term)) => Ok(Record::Community(CommunityRow {
            line: row.line,
            code,
            name,
            township_name,
            township_code: tcode,
            area,
            parent_school_since,
            facts,
            term,
        })),
        _ => Err(row.into_errors()),
    }
}
