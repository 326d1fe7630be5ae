//! The facts a report rests on, as read from the ledger: the units of the rosters in use,
//! what each reported, and the activities, home visits and registry filings of each period
//! window a plan asks about. Plain data, below both the ledger (which fills it) and the
//! report (a pure evaluation of plan × facts).

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::plan::{ActivityKind, Area, BodyKind, BodyLevel, FactSet, RegistryCategory, SchoolType, StudentCategory, Term};
use crate::returns::kinds::generic::Value;
use crate::returns::kinds::KindSpec;

/// A span of days, both ends included: the part of a target's period a report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Window {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Window {
    pub fn contains(self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

/// Words of many units (codes, names) in one buffer: a unit holds the index of its words
/// rather than a `String` each — a national report reads a million units.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    buf: String,
    /// Where each text ends in `buf` (each starts where the one before ends).
    ends: Vec<u32>,
}

/// One unit's code or name in [`Texts`]; the default is empty (not read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text(u32);

impl Default for Text {
    fn default() -> Text {
        Text(u32::MAX)
    }
}

impl Texts {
    pub fn add(&mut self, s: &str) -> Text {
        self.buf.push_str(s);
        let end = u32::try_from(self.buf.len()).expect("less than 4 GiB of unit codes and names");
        self.ends.push(end);
        Text(self.ends.len() as u32 - 1)
    }

    /// Lets go of every text, keeping the room they took.
    pub fn clear(&mut self) {
        self.buf.clear();
        self.ends.clear();
    }

    /// Makes room for `n` more texts of `bytes` bytes in all.
    pub fn reserve(&mut self, n: usize, bytes: usize) {
        self.ends.reserve(n);
        self.buf.reserve(bytes);
    }

    pub fn get(&self, t: Text) -> &str {
        let i = t.0 as usize;
        match self.ends.get(i) {
            Some(end) => {
                let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
                &self.buf[start..*end as usize]
            }
            None => "",
        }
    }
}

/// Which words of schools and communities a read of the ledger keeps: a report's figures
/// need neither codes nor names, its gaps are sorted by code, and worded with names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UnitWords {
    None,
    Codes,
    CodesAndNames,
}

/// A township as a roster row spells it: a school's one name or code, or a community's
/// name and code (either may be missing). Units hold an index into
/// [`LedgerFacts::spellings`]: most units share their township's spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spelling {
    pub name: Option<String>,
    pub code: Option<String>,
    /// As a community roster gives it (a name and a code column).
    pub pair: bool,
}

/// Numbers township spellings as a roster read meets them, each once: most units share
/// their township's spelling, and a roster lists a township's units together.
#[derive(Debug, Clone, Default)]
pub(crate) struct SpellingNumbers {
    /// Spelling key → its number; cleared when it reaches `limit` entries (a spelling met
    /// again after that is numbered anew: a copy, which costs only its number).
    index: crate::hash::FastMap<String, u32>,
    /// 0 for no limit.
    limit: usize,
    key: String,
    last: Option<(Spelling, u32)>,
    /// Spellings numbered and not yet taken (see [`SpellingNumbers::take_new`]).
    new: Vec<Spelling>,
    count: u32,
}

impl SpellingNumbers {
    /// Numbers that keep an index of at most `limit` spellings.
    pub(crate) fn bounded(limit: usize) -> SpellingNumbers {
        SpellingNumbers { limit, ..SpellingNumbers::default() }
    }

    /// The number of a spelling: a new one for a spelling not met before.
    pub(crate) fn number(&mut self, name: Option<&str>, code: Option<&str>, pair: bool) -> u32 {
        if let Some((sp, i)) = &self.last {
            if sp.pair == pair && sp.name.as_deref() == name && sp.code.as_deref() == code {
                return *i;
            }
        }
        // Looked up by a key made in one reused buffer.
        let key = &mut self.key;
        key.clear();
        for part in [name, code] {
            key.push(if part.is_some() { '1' } else { '0' });
            key.push_str(part.unwrap_or(""));
            key.push('\u{1f}');
        }
        key.push(if pair { '1' } else { '0' });
        let spelling = Spelling { name: name.map(str::to_string), code: code.map(str::to_string), pair };
        let i = match self.index.get(key.as_str()) {
            Some(i) => *i,
            None => {
                let i = self.count;
                self.count += 1;
                self.new.push(spelling.clone());
                if self.limit > 0 && self.index.len() >= self.limit {
                    self.index.clear();
                }
                self.index.insert(key.clone(), i);
                i
            }
        };
        self.last = Some((spelling, i));
        i
    }

    /// The spellings numbered since the last call, in order of their numbers.
    pub(crate) fn take_new(&mut self) -> Vec<Spelling> {
        std::mem::take(&mut self.new)
    }
}

/// A school of the schools roster in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolUnit {
    /// The unit's key in the ledger: what activity counts are keyed by.
    pub id: i64,
    /// In [`LedgerFacts::texts`]; empty when the report was read without codes.
    pub code: Text,
    /// In [`LedgerFacts::texts`]; empty when the report was read without names.
    pub name: Text,
    pub school_type: SchoolType,
    /// The township as the roster gives it (a name or a code): an index into
    /// [`LedgerFacts::spellings`].
    pub township: u32,
    /// From the roster's optional `area` column.
    pub area: Option<Area>,
    /// `parent_school` is always reported on a schools roster.
    pub facts: FactSet,
}

/// A community of the communities roster in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityUnit {
    /// The unit's key in the ledger: what activity counts are keyed by.
    pub id: i64,
    /// In [`LedgerFacts::texts`]; empty when the report was read without codes.
    pub code: Text,
    /// In [`LedgerFacts::texts`]; empty when the report was read without names.
    pub name: Text,
    /// The township's name and code as the roster gives them: an index into
    /// [`LedgerFacts::spellings`].
    pub township: u32,
    pub area: Area,
    /// `parent_school` is always reported on a communities roster.
    pub facts: FactSet,
}

/// A body (a parent school or committee that is not a school's or a community's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyUnit {
    /// The unit's key in the ledger: what activity counts are keyed by.
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: BodyKind,
    pub level: BodyLevel,
    /// A township name or code; `None` for a body that counts at district level only.
    pub township: Option<String>,
    /// A body of kind `parent-school` has `parent_school` = yes by definition.
    pub facts: FactSet,
}

/// A key-concern student (重点关注学生): the school's pseudonymous ref, nothing more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyStudent {
    /// The school's code.
    pub school: String,
    pub reference: String,
    pub category: Option<StudentCategory>,
}

/// A unit of a roster declared as data (`returns::kinds::generic`): its code, name, and
/// the values its spec offers plans, in the spec's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataUnit {
    pub code: String,
    pub name: String,
    pub values: Vec<Value>,
}

/// The roster of a kind declared as data in use for the report, its units by code.
#[derive(Debug, Clone)]
pub struct DataRoster {
    pub kind: &'static KindSpec,
    pub units: Vec<DataUnit>,
}

/// One filing of the children's registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryFiling {
    /// The township as the return gives it: a name or a code.
    pub township: String,
    pub category: RegistryCategory,
    pub count: u64,
    pub filed: NaiveDate,
}

/// Activities of one host in one window, by kind: one count per kind of the kinds table
/// (`plan::units::ACTIVITY_KINDS`), at the kind's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KindCounts {
    by_kind: [u64; ActivityKind::COUNT],
}

impl KindCounts {
    /// `n` activities of `kind`, none of the others.
    pub fn of(kind: ActivityKind, n: u64) -> KindCounts {
        let mut c = KindCounts::default();
        c.add(kind, n);
        c
    }

    pub fn get(&self, kind: ActivityKind) -> u64 {
        self.by_kind[kind.index()]
    }

    pub fn add(&mut self, kind: ActivityKind, n: u64) {
        self.by_kind[kind.index()] += n;
    }

    pub fn total(&self) -> u64 {
        self.by_kind.iter().sum()
    }
}

/// Activities per host in one window, by kind: a dense table indexed by unit id (ids are
/// small and dense: one per unit the ledger has ever seen), 4 bytes a kind and unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostCounts {
    /// Per unit id: a count per kind, at the kind's position in the kinds table.
    by_id: Vec<[u32; ActivityKind::COUNT]>,
    /// All of them: [`HostCounts::total`] without a walk of every unit.
    sum: u64,
    /// Counts the total only (see [`HostCounts::total_only`]).
    total_only: bool,
}

impl HostCounts {
    /// The activities of host `id` (none for an id never counted).
    pub fn get(&self, id: i64) -> KindCounts {
        match usize::try_from(id).ok().and_then(|i| self.by_id.get(i)) {
            Some(c) => KindCounts { by_kind: c.map(u64::from) },
            None => KindCounts::default(),
        }
    }

    /// Counts that keep the total only: every host has none (for a window whose
    /// activities no unit is judged by, only whether there are any).
    pub fn total_only() -> HostCounts {
        HostCounts { total_only: true, ..HostCounts::default() }
    }

    /// Adds `n` activities of `kind` to host `id` (a negative id is not a unit: ignored).
    pub fn add(&mut self, id: i64, kind: ActivityKind, n: u64) {
        let Ok(i) = usize::try_from(id) else { return };
        if self.total_only {
            self.sum += n;
            return;
        }
        if i >= self.by_id.len() {
            self.by_id.resize(i + 1, [0; ActivityKind::COUNT]);
        }
        let c = &mut self.by_id[i][kind.index()];
        let was = *c;
        *c = c.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
        self.sum += u64::from(*c - was);
    }

    /// Adds activities of every kind to host `id`, each at its kind's position in the
    /// kinds table (a negative id is not a unit: ignored).
    pub fn add_all(&mut self, id: i64, n: &[u64; ActivityKind::COUNT]) {
        let Ok(i) = usize::try_from(id) else { return };
        if self.total_only {
            self.sum += n.iter().sum::<u64>();
            return;
        }
        if i >= self.by_id.len() {
            self.by_id.resize(i + 1, [0; ActivityKind::COUNT]);
        }
        for (c, &n) in self.by_id[i].iter_mut().zip(n) {
            let was = *c;
            *c = c.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
            self.sum += u64::from(*c - was);
        }
    }

    /// Makes room for ids below `n` at once.
    pub fn reserve_ids(&mut self, n: usize) {
        if n > self.by_id.len() && !self.total_only {
            self.by_id.resize(n, [0; ActivityKind::COUNT]);
        }
    }

    /// All activities counted, whoever held them.
    pub fn total(&self) -> u64 {
        self.sum
    }
}

/// Which roster of each kind a report used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RostersUsed {
    pub schools: Option<Term>,
    pub communities: Option<Term>,
    pub bodies: Option<Term>,
    /// The key-students roster of the report's school year, if one is in (its start year).
    pub key_students: Option<Term>,
}

/// A read of the ledger's facts in parts (see `Ledger::facts_in_parts`): first everything
/// but the schools and communities, then those units, a part at a time.
#[derive(Debug)]
pub enum FactsPart {
    Base(Box<LedgerFacts>),
    Units(RosterUnits),
}

/// Some of the schools and communities of the rosters in use, in roster order.
#[derive(Debug, Default)]
pub struct RosterUnits {
    /// The schools and communities rosters in use (set once their first unit is read).
    pub rosters: RostersUsed,
    pub schools: Vec<SchoolUnit>,
    pub communities: Vec<CommunityUnit>,
    /// The codes and names of these units.
    pub texts: Texts,
    /// The township spellings first used by these units: they follow the spellings of
    /// the parts before, and units' spelling indices count across all parts.
    pub spellings: Vec<Spelling>,
}

/// Everything a report for one term needs from the ledger.
#[derive(Debug, Clone, Default)]
pub struct LedgerFacts {
    pub rosters: RostersUsed,
    pub schools: Vec<SchoolUnit>,
    pub communities: Vec<CommunityUnit>,
    pub bodies: Vec<BodyUnit>,
    /// The key-students roster of the term's school year.
    pub key_students: Vec<KeyStudent>,
    /// The rosters declared as data in use (of a kind of `generic::specs`, where one is in).
    pub data_rosters: Vec<DataRoster>,
    /// Township code → name, from every community roster imported (the latest name).
    pub townships: Vec<(String, String)>,
    /// Every township name a community roster has used → its code.
    pub township_names: Vec<(String, String)>,
    /// Per window asked for: host (by unit id) → its activities dated in the window. A
    /// window whose activities no unit is judged by keeps their total only (every host has
    /// none).
    pub activity: BTreeMap<Window, HostCounts>,
    /// Per window asked for: (school code, student ref) → home visits naming the student,
    /// hosted by that school, dated in the window.
    pub home_visits: BTreeMap<Window, HashMap<(String, String), u64>>,
    /// Per window asked for: the registry filings dated in it.
    pub registry: BTreeMap<Window, Vec<RegistryFiling>>,
    /// All activities dated in the report's term, whoever held them.
    pub activities_in_term: u64,
    /// The codes and names of schools and communities.
    pub texts: Texts,
    /// Every township spelling a school or community uses, each once.
    pub spellings: Vec<Spelling>,
    spelling_numbers: SpellingNumbers,
}

impl LedgerFacts {
    /// A unit's code or name.
    pub fn text(&self, t: Text) -> &str {
        self.texts.get(t)
    }

    /// The index of a township spelling in [`LedgerFacts::spellings`], added if new.
    pub fn spelling(&mut self, name: Option<&str>, code: Option<&str>, pair: bool) -> u32 {
        let i = self.spelling_numbers.number(name, code, pair);
        self.spellings.extend(self.spelling_numbers.take_new());
        i
    }

    /// Adds a part of the schools and communities (after those of the parts before it).
    pub fn absorb(&mut self, units: RosterUnits) {
        let RosterUnits { rosters, schools, communities, texts, spellings } = units;
        self.rosters.schools = self.rosters.schools.or(rosters.schools);
        self.rosters.communities = self.rosters.communities.or(rosters.communities);
        self.spellings.extend(spellings);
        if self.schools.is_empty() && self.communities.is_empty() && self.texts.ends.is_empty() {
            (self.schools, self.communities, self.texts) = (schools, communities, texts);
            return;
        }
        // Each unit's words are added to this facts' words.
        let mut word = |t: Text| if t == Text::default() { t } else { self.texts.add(texts.get(t)) };
        let schools: Vec<SchoolUnit> =
            schools.into_iter().map(|s| SchoolUnit { code: word(s.code), name: word(s.name), ..s }).collect();
        let communities: Vec<CommunityUnit> =
            communities.into_iter().map(|c| CommunityUnit { code: word(c.code), name: word(c.name), ..c }).collect();
        self.schools.extend(schools);
        self.communities.extend(communities);
    }

    /// A school's township as its roster gives it: a name or a code.
    pub fn school_township(&self, s: &SchoolUnit) -> &str {
        let sp = &self.spellings[s.township as usize];
        sp.name.as_deref().or(sp.code.as_deref()).unwrap_or("")
    }

    /// A community's township name and code as its roster gives them.
    pub fn community_township(&self, c: &CommunityUnit) -> (Option<&str>, Option<&str>) {
        let sp = &self.spellings[c.township as usize];
        (sp.name.as_deref(), sp.code.as_deref())
    }

    /// Adds a school (for building facts by hand, as tests do).
    #[allow(clippy::too_many_arguments)]
    pub fn push_school(
        &mut self,
        id: i64,
        code: &str,
        name: &str,
        school_type: SchoolType,
        township: &str,
        area: Option<Area>,
        facts: FactSet,
    ) {
        let (code, name) = (self.texts.add(code), self.texts.add(name));
        let township = self.spelling(Some(township), None, false);
        self.schools.push(SchoolUnit { id, code, name, school_type, township, area, facts });
    }

    /// Adds a community (for building facts by hand, as tests do).
    #[allow(clippy::too_many_arguments)]
    pub fn push_community(
        &mut self,
        id: i64,
        code: &str,
        name: &str,
        township_name: Option<&str>,
        township_code: Option<&str>,
        area: Area,
        facts: FactSet,
    ) {
        let (code, name) = (self.texts.add(code), self.texts.add(name));
        let township = self.spelling(township_name, township_code, true);
        self.communities.push(CommunityUnit { id, code, name, township, area, facts });
    }
}

#[cfg(test)]
mod tests {
    use super::SpellingNumbers;

    #[test]
    fn spellings_are_numbered_once_and_a_bounded_index_numbers_again() {
        let mut all = SpellingNumbers::default();
        let a = all.number(Some("大峪街道"), None, false);
        assert_eq!(all.number(Some("大峪街道"), None, false), a, "the last spelling");
        let b = all.number(Some("大峪街道"), Some("110109001"), true);
        let c = all.number(Some("110109001"), None, false);
        assert_eq!(all.number(Some("大峪街道"), None, false), a, "found in the index");
        assert_eq!((a, b, c), (0, 1, 2));
        let new = all.take_new();
        assert_eq!(new.len(), 3);
        assert_eq!((new[1].name.as_deref(), new[1].code.as_deref(), new[1].pair), (Some("大峪街道"), Some("110109001"), true));
        assert!(all.take_new().is_empty(), "each spelling is handed on once");

        // An index of two, cleared when a third spelling comes: the first, met again
        // after it, is numbered again; the third is still found.
        let mut few = SpellingNumbers::bounded(2);
        let x = few.number(Some("甲"), None, false);
        let y = few.number(Some("乙"), None, false);
        assert_eq!(few.number(Some("甲"), None, false), x, "in the index");
        let z = few.number(Some("丙"), None, false);
        let x2 = few.number(Some("甲"), None, false);
        assert_eq!(few.number(Some("丙"), None, false), z, "in the index since it was cleared");
        assert_eq!((x, y, z, x2), (0, 1, 2, 3));
        assert_eq!(few.take_new().len(), 4);
    }
}

/// One import batch, as `gongyu log` shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BatchRecord {
    pub id: i64,
    pub imported_at: String,
    pub user: String,
    pub kind: String,
    pub term: Option<String>,
    pub file: String,
    pub sha256: String,
    pub encoding: String,
    pub rows: i64,
    pub imported: i64,
    pub duplicates: i64,
    /// The roster batch this one replaced.
    pub replaces: Option<i64>,
    /// When the batch was undone, and by whom.
    pub reverted_at: Option<String>,
    pub reverted_by: Option<String>,
    /// The day the return was received (`import --received`), `YYYY-MM-DD`; for a batch
    /// imported before schema version 8, the local day of `imported_at`.
    pub received: String,
}
