//! One spec per kind of return: its columns and their aliases, whether it is a roster and
//! of what period, how a row becomes a record, and what a template tells the clerk. A new
//! kind is one module here: a roster whose spec declares its row as data (`generic`) needs
//! nothing else; a kind with more to it, also a writer in `ledger::write`.
//!
//! Everything else — the import pipeline, templates, the CLI's list of kinds, nouns in
//! summaries — reads these specs instead of matching on the kind.

pub mod generic;

/// Declares each kind's spec module and lists its `SPEC` in [`ALL`], in the order given.
macro_rules! kinds {
    ($($kind:ident),* $(,)?) => {
        $(pub mod $kind;)*
        /// Every kind's spec, in the order the CLI lists them.
        pub const ALL: [&KindSpec; [$(stringify!($kind)),*].len()] = [$(&$kind::SPEC),*];
    };
}

// A new kind: its module (`kinds/<kind>.rs`, with its `SPEC`), and its line here.
kinds! {
    schools,
    communities,
    bodies,
    key_students,
    activities,
    registry,
}

use std::fmt;
use std::sync::LazyLock;

use chrono::NaiveDate;

use super::columns::Column;
use super::values::{normalize, parse_count, parse_yes_no};
use super::{Row, RowError};
pub(crate) use crate::plan::deadlines::{Due, DueFrom};
use crate::plan::fact::{FactValue, FACTS};
use crate::plan::{FactSet, HostKind, Term};

pub use activities::ActivityRow;
pub use bodies::BodyRow;
pub use communities::CommunityRow;
pub use generic::{RosterRow, RosterSpec};
pub use key_students::KeyStudentRow;
pub use registry::RegistryRow;
pub use schools::SchoolRow;

/// What period a return speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// A roster of units for one term (`--term` or a `term` column); the latest roster of
    /// a term replaces earlier ones.
    Term,
    /// A roster for one school year (`--school-year` or a `school_year` column).
    SchoolYear,
    /// Events, each dated: no period of its own.
    Event,
}

/// The period one roster covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RosterPeriod {
    Term(Term),
    /// A school year by its first calendar year (2020 for 2020-2021).
    SchoolYear(i32),
}

impl fmt::Display for RosterPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RosterPeriod::Term(t) => write!(f, "{t}"),
            RosterPeriod::SchoolYear(y) => write!(f, "{}", school_year_text(*y)),
        }
    }
}

/// `2020-2021` for 2020.
pub fn school_year_text(start: i32) -> String {
    format!("{start}-{}", start + 1)
}

/// Parses a school year: `2020-2021` or `2020-2021学年` (full-width digits allowed).
pub fn parse_school_year(raw: &str) -> Result<i32, String> {
    let v = normalize(raw);
    let v = v.strip_suffix("学年").unwrap_or(&v);
    let bad = || crate::t!("returns-not-a-school-year", value = raw.trim());
    let (a, b) = v.split_once('-').ok_or_else(bad)?;
    let four = |x: &str| x.len() == 4 && x.bytes().all(|c| c.is_ascii_digit());
    if !four(a) || !four(b) {
        return Err(bad());
    }
    let (a, b): (i32, i32) = (a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?);
    if b != a + 1 || !(1949..=2098).contains(&a) {
        return Err(crate::t!("returns-school-year-not-consecutive", value = raw.trim(), example = school_year_text(a)));
    }
    Ok(a)
}

/// What the command line says about the period of the returns being imported.
#[derive(Debug, Clone, Copy, Default)]
pub struct RowContext {
    /// `--term`.
    pub term: Option<Term>,
    /// `--school-year`, by its first year.
    pub school_year: Option<i32>,
    /// Today: an activity or a filing dated after it is refused. `None`: not checked.
    pub today: Option<NaiveDate>,
}

/// Parses the date of an event (an activity, a filing), refusing one after today: a
/// mistyped year would otherwise go straight into the ledger.
pub fn parse_event_date(raw: &str, cx: &RowContext) -> Result<NaiveDate, String> {
    let date = crate::returns::values::parse_date(raw)?;
    match cx.today {
        Some(today) if date > today => {
            Err(crate::t!("returns-date-in-future", date = date.to_string(), today = today.to_string()))
        }
        _ => Ok(date),
    }
}

/// A row of any return, parsed and checked cell by cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    School(SchoolRow),
    Community(CommunityRow),
    Body(BodyRow),
    KeyStudent(KeyStudentRow),
    Activity(ActivityRow),
    Registry(RegistryRow),
    /// A row of a roster declared as data.
    Roster(RosterRow),
}

impl Record {
    /// What identifies the row within its roster (a unit's code; a school and ref), for
    /// finding repeats. `None` for events.
    pub fn roster_key(&self) -> Option<String> {
        match self {
            Record::School(s) => Some(s.code.clone()),
            Record::Community(c) => Some(c.code.clone()),
            Record::Body(b) => Some(b.code.clone()),
            Record::KeyStudent(k) => Some(format!("{} {}", k.school, k.reference)),
            Record::Roster(r) => Some(r.code.clone()),
            Record::Activity(_) | Record::Registry(_) => None,
        }
    }

    /// The period of the roster the row belongs to.
    pub fn period(&self) -> Option<RosterPeriod> {
        match self {
            Record::School(s) => Some(RosterPeriod::Term(s.term)),
            Record::Community(c) => Some(RosterPeriod::Term(c.term)),
            Record::Body(b) => Some(RosterPeriod::Term(b.term)),
            Record::KeyStudent(k) => Some(RosterPeriod::SchoolYear(k.school_year)),
            Record::Roster(r) => Some(r.period),
            Record::Activity(_) | Record::Registry(_) => None,
        }
    }
}

/// What a template says about a column: what to write (in the output language), and the
/// dropdown choices if the list is closed.
pub type Guidance = (String, Option<&'static [&'static str]>);

/// Everything gongyu knows about one kind of return.
pub struct KindSpec {
    /// The kind's name on the command line, in the ledger (`batch.kind`), as the key of the
    /// plan file's `[deadlines]` and, for a roster a target reads, of its `units`: `schools`.
    pub name: &'static str,
    /// The name as an identifier, where a hyphen may not stand (JSON keys of
    /// `returns --format json`, message placeholders): `key_students`.
    pub key: &'static str,
    /// The ledger table its rows go to: `school`.
    pub table: &'static str,
    /// The kind of unit its rows are, for a roster whose units report facts and host
    /// activities.
    pub host: Option<HostKind>,
    /// When a return of this kind is due, unless the plan's `[deadlines]` says otherwise.
    pub(crate) due: Due,
    /// What the CLI's help says of it.
    pub about: &'static str,
    /// One unit or event, and several: `school`, `schools`.
    pub one: &'static str,
    pub many: &'static str,
    /// The sheet name of its template.
    pub sheet: &'static str,
    pub period: Period,
    pub columns: &'static LazyLock<Vec<Column>>,
    /// The column giving the period (`term`, `school_year`), for a roster.
    pub period_column: Option<usize>,
    /// The column named when a row repeats another's key.
    pub key_column: Option<usize>,
    /// Parses and checks one row.
    pub parse: fn(Row<'_>, &RowContext) -> Result<Record, Vec<RowError>>,
    /// Template notes for a column not shared by every kind (see [`common_guidance`]).
    pub guidance: fn(&Column) -> Option<Guidance>,
    /// For a roster declared as data, its row: the code's and name's columns and the values
    /// offered to plans (see [`generic`]). Its table is then [`generic::TABLE`].
    pub roster: Option<&'static RosterSpec>,
}

impl KindSpec {
    /// The spec of the kind named `name`.
    pub fn named(name: &str) -> Option<&'static KindSpec> {
        ALL.iter().copied().find(|k| k.name == name)
    }

    pub fn is_roster(&self) -> bool {
        self.period != Period::Event
    }

    /// The noun for `n` of them.
    pub fn noun(&self, n: u64) -> &'static str {
        if n == 1 {
            self.one
        } else {
            self.many
        }
    }

    /// What a template says about column `c`.
    pub fn guidance_for(&self, c: &Column) -> Guidance {
        let yes_no = || {
            let v = self.roster?.values.iter().find(|v| std::ptr::eq(&self.columns[v.column], c))?;
            (v.ty == generic::ValueType::YesNo).then(|| (crate::t!("returns-guide-fact-yes-no"), Some(YES_NO)))
        };
        (self.guidance)(c).or_else(yes_no).or_else(|| common_guidance(c)).unwrap_or((String::new(), None))
    }
}

const YES_NO: &[&str] = &["是", "否"];

/// Template notes for columns several kinds share.
fn common_guidance(c: &Column) -> Option<Guidance> {
    if let Some(f) = c.fact {
        return Some(match f.spec().value {
            FactValue::YesNo => (crate::t!("returns-guide-fact-yes-no"), Some(YES_NO)),
            FactValue::YesNoOrCount => (crate::t!("returns-guide-fact-yes-no-or-count"), None),
        });
    }
    Some(match c.name {
        "code" => (crate::t!("returns-guide-code"), None),
        "name" => (crate::t!("returns-guide-name"), None),
        "township" => (crate::t!("returns-guide-township"), None),
        "township_code" => (crate::t!("returns-guide-township-code"), None),
        "area" => (crate::t!("returns-guide-area"), Some(&["城区", "农村"])),
        "parent_school" => (crate::t!("returns-guide-parent-school"), Some(YES_NO)),
        "parent_school_since" => (crate::t!("returns-guide-parent-school-since"), None),
        "term" => (crate::t!("returns-guide-term"), None),
        "school_year" => (crate::t!("returns-guide-school-year"), None),
        _ => return None,
    })
}

/// The optional fact columns of a roster of `kind`, from [`FACTS`]: a new fact is one
/// entry there. `parent_school`, required where it is a column at all, is left out.
pub fn fact_columns(kind: HostKind) -> impl Iterator<Item = Column> {
    FACTS.iter().filter(move |s| s.on.contains(&kind) && s.name != "parent_school").map(|s| Column {
        name: s.name,
        aliases: s.aliases,
        required: false,
        fact: Some(s.fact),
    })
}

/// Reads every fact column of the row (columns from `first` on) into `facts`.
pub fn read_facts(row: &mut Row<'_>, columns: &[Column], first: usize, facts: &mut FactSet) {
    for (i, c) in columns.iter().enumerate().skip(first) {
        let Some(fact) = c.fact else { continue };
        let value = match fact.spec().value {
            FactValue::YesNo => row.parse_opt(i, parse_yes_no),
            FactValue::YesNoOrCount => row.parse_opt(i, |s| {
                parse_yes_no(s)
                    .or_else(|e| parse_count(s).map(|n| n >= 1).map_err(|_| crate::t!("returns-or-members", problem = e)))
            }),
        };
        if let Some(v) = value {
            facts.set(fact, v);
        }
    }
}

/// The roster's term for a row: the `term` cell and `--term` must agree; one is needed.
pub fn row_term(row: &mut Row<'_>, col: usize, given: Option<Term>) -> Option<Term> {
    let cell = row.parse_opt(col, |s| normalize(s).parse::<Term>().map_err(|e| e.to_string()));
    match (cell, given) {
        (Some(c), Some(g)) if c != g => {
            row.error(col, crate::t!("returns-term-disagrees", row = c.to_string(), given = g.to_string()));
            None
        }
        (Some(c), _) => Some(c),
        (None, Some(g)) => Some(g),
        (None, None) => {
            if !row.has_errors() {
                row.error(col, crate::t!("returns-term-empty"));
            }
            None
        }
    }
}

/// The roster's school year for a row: the `school_year` cell and `--school-year` must
/// agree; one is needed (it is never guessed from dates).
pub fn row_school_year(row: &mut Row<'_>, col: usize, given: Option<i32>) -> Option<i32> {
    let cell = row.parse_opt(col, parse_school_year);
    match (cell, given) {
        (Some(c), Some(g)) if c != g => {
            row.error(col, crate::t!("returns-school-year-disagrees", row = school_year_text(c), given = school_year_text(g)));
            None
        }
        (Some(c), _) => Some(c),
        (None, Some(g)) => Some(g),
        (None, None) => {
            if !row.has_errors() {
                row.error(col, crate::t!("returns-school-year-empty"));
            }
            None
        }
    }
}

/// A founding date: not with a "no", and not after the roster's term.
pub fn since(row: &mut Row<'_>, col: usize, exists: Option<bool>, term: Option<Term>) -> Option<NaiveDate> {
    let date = row.parse_opt(col, super::values::parse_date)?;
    if exists == Some(false) {
        row.error(col, crate::t!("returns-since-without-parent-school"));
        return None;
    }
    if let Some(t) = term {
        if date > t.last_day() {
            row.error(
                col,
                crate::t!(
                    "returns-since-after-term",
                    date = date.to_string(),
                    term = t.to_string(),
                    last_day = t.last_day().to_string()
                ),
            );
            return None;
        }
    }
    Some(date)
}

/// A list of accepted spellings (`小学, 初中, …`) joined as the output language joins a
/// list (`小学、初中、…`).
pub fn as_list(spellings: &str) -> String {
    spellings.split(", ").collect::<Vec<_>>().join(&crate::t!("returns-list-separator"))
}

/// Whether a cell is a township code (digits only) rather than a name.
pub fn is_code(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A kind's name as a person reads it: its Chinese name (the template's sheet: 学校, 社区,
/// …) or its English name. A name that is no kind is shown as it is.
pub fn kind_title(name: &str, lang: crate::lang::Lang) -> &str {
    match ALL.iter().find(|k| k.name == name) {
        Some(k) => lang.pick(k.sheet, k.name),
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_years() {
        assert_eq!(parse_school_year("2020-2021"), Ok(2020));
        assert_eq!(parse_school_year("２０２０－２０２１学年"), Ok(2020));
        assert!(parse_school_year("2020-2022").unwrap_err().contains("2020-2021"));
        assert!(parse_school_year("2020-2021-1").is_err());
        assert!(parse_school_year("2020").is_err());
    }

    #[test]
    fn column_names_are_unique_within_each_kind() {
        for spec in ALL {
            let cols = &**spec.columns;
            for (i, a) in cols.iter().enumerate() {
                for b in &cols[i + 1..] {
                    let clash = std::iter::once(a.name).chain(a.aliases.iter().copied()).any(|n| b.matches(n));
                    assert!(!clash, "{}: {} and {} share a spelling", spec.name, a.name, b.name);
                }
            }
        }
    }
}
