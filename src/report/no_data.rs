//! Why a row is `no-data` (SPEC §10) rather than a figure that hides a missing return
//! (issue 22, items 3 and 7): every unit left blank the facts the target requires, or the
//! column its `where` selects by; or no activity at all is dated in the period of a target
//! that counts activities. Each cause has its note.

use crate::plan::model::{Requirement, Selector, TargetDef};
use crate::plan::HostKind;

use super::evaluate::UnitView;

/// Why a row is no-data; all empty on any other row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Unreported {
    /// Every unit left blank every fact the target requires.
    pub facts: bool,
    /// No activity is dated in the target's period window at all (by any host): the
    /// activities return for the period is missing.
    pub activities: bool,
    /// The selectors of the target's `where` that every unit left blank, as bits of their
    /// places among its [`blankable`] selectors.
    pub filter: u16,
}

impl Unreported {
    pub(crate) fn any(&self) -> bool {
        self.facts || self.activities || self.filter != 0
    }
}

/// Of [`Tally::seen`](super::Tally): a unit of the target's kind passed the selectors
/// that cannot be left blank. The bits below it are the blankable selectors reported.
pub(crate) const CANDIDATE: u16 = 1 << 15;

/// How many blankable selectors of one `where` are followed (more are never blank).
const FOLLOWED: usize = 15;

/// Whether a selector reads a column a roster may leave blank: a fact, or a school's area.
fn blankable(s: &Selector) -> bool {
    matches!(s, Selector::Fact(..) | Selector::Area(_))
}

/// The blankable selectors of a target's `where`, in order (at most [`FOLLOWED`]).
pub(crate) fn blankable_selectors(def: &TargetDef) -> impl Iterator<Item = &Selector> {
    def.filter.iter().filter(|s| blankable(s)).take(FOLLOWED)
}

/// The bits of every blankable selector of `def`, with [`CANDIDATE`]: what a unit that
/// passes the whole `where` shows.
pub(crate) fn all_seen(def: &TargetDef) -> u16 {
    CANDIDATE | ((1u16 << blankable_selectors(def).count()) - 1)
}

/// Whether the unit reported the column `s` reads. A unit whose roster has no such
/// column (a body's area, a fact of another roster) is not blank: the selector simply
/// does not match it.
fn reports(unit: &UnitView<'_>, s: &Selector) -> bool {
    match s {
        Selector::Fact(f, _) => match unit.host {
            Some(h) if f.spec().on.contains(&h) => unit.facts.get(*f).is_some(),
            _ => true,
        },
        Selector::Area(_) => unit.school_area().is_none_or(|a| a.is_some()),
        _ => true,
    }
}

/// For a unit that fails `def`'s `where`: 0 if it fails a selector that cannot be left
/// blank, else [`CANDIDATE`] with the bits of the blankable selectors it reported.
pub(crate) fn seen(def: &TargetDef, unit: &UnitView<'_>) -> u16 {
    if def.filter.iter().any(|s| !blankable(s) && !unit.matches(s)) {
        return 0;
    }
    blankable_selectors(def).enumerate().fold(CANDIDATE, |bits, (i, s)| if reports(unit, s) { bits | 1 << i } else { bits })
}

/// The blankable selectors no unit reported, given what the units showed (`seen`): none
/// where no unit of the kind was there at all.
pub(crate) fn filter_blank(def: &TargetDef, seen: u16) -> u16 {
    if seen & CANDIDATE == 0 {
        return 0;
    }
    !seen & (all_seen(def) & !CANDIDATE)
}

/// Whether a target counts activities.
pub(crate) fn counts_activities(def: &TargetDef) -> bool {
    def.require.iter().any(|r| matches!(r, Requirement::Activities(_) | Requirement::AnyActivity { .. }))
}

/// The column a blankable selector reads: its name and Chinese header.
fn column(s: &Selector) -> (&'static str, &'static str) {
    match s {
        Selector::Fact(f, _) => (f.name(), f.spec().aliases.first().copied().unwrap_or("")),
        Selector::Area(_) => ("area", "城乡类型"),
        _ => ("", ""),
    }
}

/// The rosters that carry the column a blankable selector reads.
fn rosters(s: &Selector) -> Vec<&'static str> {
    match s {
        Selector::Fact(f, _) => f.spec().on.iter().map(|h| h.as_str()).collect(),
        _ => vec![HostKind::Schools.as_str()],
    }
}

/// The note of a row no-data because every unit left its `where` columns blank.
pub(crate) fn filter_note(def: &TargetDef, blank: u16) -> String {
    let selectors: Vec<&Selector> =
        blankable_selectors(def).enumerate().filter(|(i, _)| blank & (1 << i) != 0).map(|(_, s)| s).collect();
    let names: Vec<&str> = selectors.iter().map(|s| column(s).0).collect();
    let zh: Vec<&str> = selectors.iter().map(|s| column(s).1).collect();
    let mut kinds: Vec<&str> = selectors.iter().flat_map(|s| rosters(s)).collect();
    kinds.dedup();
    crate::t!(
        "report-no-data-filter",
        target = def.id,
        facts = super::notes::list(&names),
        rosters = super::notes::rosters(&kinds),
        columns = super::notes::list(&zh)
    )
}

/// The note of a row no-data because no activity is dated in its period window.
pub(crate) fn activities_note(def: &TargetDef, window: crate::facts::Window) -> String {
    crate::t!("report-no-data-activities", target = def.id, start = window.start.to_string(), end = window.end.to_string())
}
