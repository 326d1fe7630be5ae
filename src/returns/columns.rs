//! A column of a return (SPEC §3): one canonical English name, with its Chinese aliases.
//! Each kind's columns are listed in its spec, in `returns::kinds`.

use crate::plan::Fact;

/// One column of a return.
#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
    /// The yes/no fact the column reports, for fact columns (derived from `plan::fact::FACTS`).
    pub fact: Option<Fact>,
}

/// A column that is not a fact.
pub(crate) const fn col(name: &'static str, aliases: &'static [&'static str], required: bool) -> Column {
    Column { name, aliases, required, fact: None }
}

impl Column {
    /// Whether a header cell (already trimmed) names this column.
    pub fn matches(&self, header: &str) -> bool {
        header.eq_ignore_ascii_case(self.name) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(header))
    }

    /// `code, 学校代码, 学校标识码`.
    pub fn spellings(&self) -> String {
        std::iter::once(self.name).chain(self.aliases.iter().copied()).collect::<Vec<_>>().join(", ")
    }
}
