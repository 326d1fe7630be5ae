//! The closed list of yes/no facts a roster can report about a unit (SPEC §8.3), the
//! selectors a plan may filter on, and the set a unit carries.
//!
//! A new kind of fact is one entry in [`FACTS`] (its column on the rosters is derived from
//! the same entry in `returns`); the ledger stores a unit's facts as two bit masks, so a new
//! fact needs no change of schema. Bits are positions in [`FACTS`]: append, never reorder.

use std::fmt;

/// The kinds of roster unit that can report facts and host activities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HostKind {
    Schools,
    Communities,
    Bodies,
}

impl HostKind {
    pub const ALL: [HostKind; 3] = [HostKind::Schools, HostKind::Communities, HostKind::Bodies];

    pub fn as_str(self) -> &'static str {
        match self {
            HostKind::Schools => crate::returns::kinds::schools::KIND_NAME,
            HostKind::Communities => crate::returns::kinds::communities::KIND_NAME,
            HostKind::Bodies => crate::returns::kinds::bodies::KIND_NAME,
        }
    }

    pub fn parse(s: &str) -> Option<HostKind> {
        HostKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One yes/no fact of the closed list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fact {
    ParentSchool,
    PrincipalHeads,
    CommitteeSchool,
    CommitteeGrade,
    CommitteeClass,
    CommitteeCharter,
    CoeduCommittee,
    CoeduTeachers,
    CoeduParents,
    CoeduCommunity,
    CoeduLegal,
    CoeduExperts,
    StandardsRules,
    StandardsTeachers,
    StandardsPlan,
    StandardsCurriculum,
    StandardsEvaluation,
}

/// How a fact's cell is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactValue {
    /// yes/no (是/否, …).
    YesNo,
    /// yes/no, or a whole number of members (≥ 1 means present, 0 absent).
    YesNoOrCount,
}

/// One entry of the closed fact list.
#[derive(Debug)]
pub struct FactSpec {
    pub fact: Fact,
    /// The stable name plans and English headers use.
    pub name: &'static str,
    /// Chinese header spellings.
    pub aliases: &'static [&'static str],
    /// The rosters that carry it.
    pub on: &'static [HostKind],
    pub value: FactValue,
    /// A short description, Chinese and English, for templates and messages.
    pub zh: &'static str,
    pub en: &'static str,
}

const S: &[HostKind] = &[HostKind::Schools];
const SC: &[HostKind] = &[HostKind::Schools, HostKind::Communities];
const SCB: &[HostKind] = &[HostKind::Schools, HostKind::Communities, HostKind::Bodies];

const fn spec(
    fact: Fact,
    name: &'static str,
    aliases: &'static [&'static str],
    on: &'static [HostKind],
    value: FactValue,
    zh: &'static str,
    en: &'static str,
) -> FactSpec {
    FactSpec { fact, name, aliases, on, value, zh, en }
}

use FactValue::{YesNo, YesNoOrCount};

/// Every fact, in bit order (SPEC §8.3).
pub(crate) const FACTS: &[FactSpec] = &[
    spec(
        Fact::ParentSchool,
        "parent_school",
        &["家长学校", "是否建立家长学校"],
        SC,
        YesNo,
        "建立家长学校",
        "has a parent school",
    ),
    spec(
        Fact::PrincipalHeads,
        "principal_heads",
        &["校长兼任家长学校校长", "校长是否兼任"],
        S,
        YesNo,
        "校长兼任家长学校校长",
        "the principal heads the parent school",
    ),
    spec(Fact::CommitteeSchool, "committee_school", &["校级家委会"], S, YesNo, "校级家长委员会", "school-level parent committee"),
    spec(Fact::CommitteeGrade, "committee_grade", &["年级家委会"], S, YesNo, "年级家长委员会", "grade-level parent committees"),
    spec(Fact::CommitteeClass, "committee_class", &["班级家委会"], S, YesNo, "班级家长委员会", "class-level parent committees"),
    spec(Fact::CommitteeCharter, "committee_charter", &["家委会章程"], S, YesNo, "家长委员会章程", "a parent committee charter"),
    spec(
        Fact::CoeduCommittee,
        "coedu_committee",
        &["家校社共育委员会", "共育委员会"],
        S,
        YesNo,
        "校级家校社共育委员会",
        "a school co-education committee",
    ),
    spec(
        Fact::CoeduTeachers,
        "coedu_teachers",
        &["教师代表"],
        S,
        YesNoOrCount,
        "共育委员会有教师代表",
        "teachers on the committee",
    ),
    spec(Fact::CoeduParents, "coedu_parents", &["家长代表"], S, YesNoOrCount, "共育委员会有家长代表", "parents on the committee"),
    spec(
        Fact::CoeduCommunity,
        "coedu_community",
        &["社区工作人员"],
        S,
        YesNoOrCount,
        "共育委员会有社区工作人员",
        "community workers on the committee",
    ),
    spec(
        Fact::CoeduLegal,
        "coedu_legal",
        &["法律专业人员"],
        S,
        YesNoOrCount,
        "共育委员会有法律专业人员",
        "legal professionals on the committee",
    ),
    spec(
        Fact::CoeduExperts,
        "coedu_experts",
        &["教育专家"],
        S,
        YesNoOrCount,
        "共育委员会有教育专家",
        "education experts on the committee",
    ),
    spec(Fact::StandardsRules, "standards_rules", &["制度规范"], SCB, YesNo, "家长学校制度规范", "the parent school has rules"),
    spec(
        Fact::StandardsTeachers,
        "standards_teachers",
        &["师资专业"],
        SCB,
        YesNo,
        "家长学校师资专业",
        "the parent school has trained teachers",
    ),
    spec(Fact::StandardsPlan, "standards_plan", &["计划明确"], SCB, YesNo, "家长学校计划明确", "the parent school has a plan"),
    spec(
        Fact::StandardsCurriculum,
        "standards_curriculum",
        &["教学系统"],
        SCB,
        YesNo,
        "家长学校教学系统",
        "the parent school has a curriculum",
    ),
    spec(
        Fact::StandardsEvaluation,
        "standards_evaluation",
        &["评估有效"],
        SCB,
        YesNo,
        "家长学校评估有效",
        "the parent school evaluates its work",
    ),
];

impl Fact {
    pub fn spec(self) -> &'static FactSpec {
        &FACTS[self.bit() as usize]
    }

    /// The fact's bit in a [`FactSet`]: its position in [`FACTS`].
    pub fn bit(self) -> u32 {
        self as u32
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn parse(name: &str) -> Option<Fact> {
        FACTS.iter().find(|s| s.name == name).map(|s| s.fact)
    }

    /// Whether rosters of `kind` carry this fact.
    pub fn on(self, kind: HostKind) -> bool {
        self.spec().on.contains(&kind)
    }

    /// Every fact a roster of `kind` carries.
    pub fn on_kind(kind: HostKind) -> impl Iterator<Item = &'static FactSpec> {
        FACTS.iter().filter(move |s| s.on.contains(&kind))
    }

    /// Every fact name, for error messages.
    pub fn names() -> String {
        FACTS.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Display for Fact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a unit reported for each fact: yes, no, or nothing (a blank cell or no column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct FactSet {
    yes: u32,
    no: u32,
}

impl FactSet {
    /// Rebuilds a set from the two masks the ledger stores. Bits set in both are read as
    /// "not reported" (the ledger's CHECK forbids them).
    pub fn from_masks(yes: u32, no: u32) -> FactSet {
        let both = yes & no;
        FactSet { yes: yes & !both, no: no & !both }
    }

    /// The (yes, no) masks, for storage.
    pub fn masks(self) -> (u32, u32) {
        (self.yes, self.no)
    }

    pub fn set(&mut self, fact: Fact, value: bool) {
        let b = 1u32 << fact.bit();
        if value {
            self.yes |= b;
            self.no &= !b;
        } else {
            self.no |= b;
            self.yes &= !b;
        }
    }

    pub fn with(mut self, fact: Fact, value: bool) -> FactSet {
        self.set(fact, value);
        self
    }

    /// `Some(true)` reported yes, `Some(false)` reported no, `None` not reported.
    pub fn get(self, fact: Fact) -> Option<bool> {
        let b = 1u32 << fact.bit();
        if self.yes & b != 0 {
            Some(true)
        } else if self.no & b != 0 {
            Some(false)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_are_positions_and_names_unique() {
        for (i, s) in FACTS.iter().enumerate() {
            assert_eq!(s.fact.bit() as usize, i, "{}", s.name);
            assert_eq!(Fact::parse(s.name), Some(s.fact));
        }
        assert!(FACTS.len() <= 32);
        let mut names: Vec<_> = FACTS.iter().map(|s| s.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), FACTS.len());
    }

    #[test]
    fn fact_sets_hold_three_states() {
        let mut f = FactSet::default();
        assert_eq!(f.get(Fact::PrincipalHeads), None);
        f.set(Fact::PrincipalHeads, true);
        f.set(Fact::CoeduLegal, false);
        assert_eq!(f.get(Fact::PrincipalHeads), Some(true));
        assert_eq!(f.get(Fact::CoeduLegal), Some(false));
        f.set(Fact::PrincipalHeads, false);
        assert_eq!(f.get(Fact::PrincipalHeads), Some(false));
        let (y, n) = f.masks();
        assert_eq!(FactSet::from_masks(y, n), f);
        assert_eq!(FactSet::from_masks(1, 1).get(Fact::ParentSchool), None);
    }
}
