//! Notes for people about what a report rests on (missing or older rosters, columns no
//! return gives, no activities), in the output language (`locales/*/report.ftl`).

use std::collections::BTreeMap;

use crate::facts::LedgerFacts;
use crate::t;

use super::{no_data, CoverageReport};

/// Notes for people about what a report rests on: missing or older rosters, columns no
/// return gives, no activities.
#[cfg(test)]
pub(crate) fn notes(report: &CoverageReport, facts: &LedgerFacts) -> Vec<String> {
    // Per spelling: how many schools use it, then each spelling looked up once.
    let mut schools = vec![0u64; facts.spellings.len()];
    for s in &facts.schools {
        schools[s.township as usize] += 1;
    }
    let dir = super::TownshipDirectory::new(&facts.townships, &facts.township_names);
    let mut unknown: BTreeMap<String, u64> = BTreeMap::new();
    for (sp, n) in facts.spellings.iter().zip(schools) {
        let township = sp.name.as_deref().or(sp.code.as_deref()).unwrap_or("");
        if n > 0 && !sp.pair && !dir.knows(township) {
            *unknown.entry(township.to_string()).or_default() += n;
        }
    }
    notes_with(report, facts, &unknown)
}

/// The items of a list in a note, joined as the output language joins them.
pub(super) fn list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    items.join(&t!("report-list-separator"))
}

/// Roster kinds (`schools`, `communities`, `bodies`) as a note names them, joined by `/`.
pub(super) fn rosters(kinds: &[&str]) -> String {
    kinds.iter().map(|k| t!("report-roster-kind", kind = *k)).collect::<Vec<_>>().join("/")
}

/// [`notes`], given the township names or codes of schools no community roster has, with
/// how many schools give each (`facts` need not hold the units).
pub(super) fn notes_with(report: &CoverageReport, facts: &LedgerFacts, unknown: &BTreeMap<String, u64>) -> Vec<String> {
    let mut notes = Vec::new();
    let t = report.term;
    let term = t.to_string();
    let r = &report.rosters;
    let plan = &report.plan;
    if t < plan.first_term || t > plan.last_term {
        notes.push(t!(
            "report-outside-plan",
            term = term,
            plan = plan.id,
            first = plan.first_term.to_string(),
            last = plan.last_term.to_string()
        ));
    }
    if report.as_of < t.first_day() {
        notes.push(t!("report-not-begun", term = term, start = t.first_day().to_string()));
    }
    let uses = |kind: &str| report.plan.targets.iter().any(|d| d.units.hosts().iter().any(|h| h.as_str() == kind));
    for (kind, roster) in [
        (crate::plan::HostKind::Schools, r.schools),
        (crate::plan::HostKind::Communities, r.communities),
        (crate::plan::HostKind::Bodies, r.bodies),
    ] {
        let kind = kind.as_str();
        if !uses(kind) {
            continue;
        }
        match roster {
            None => notes.push(t!("report-no-roster", roster = rosters(&[kind]), kind = kind, term = term)),
            Some(r) if r != t => {
                notes.push(t!("report-older-roster", roster = rosters(&[kind]), roster_term = r.to_string(), term = term))
            }
            Some(_) => {}
        }
    }
    let students = report.plan.targets.iter().any(|d| d.units == crate::plan::model::UnitSet::KeyStudents);
    if students && r.key_students.is_none() {
        notes.push(t!("report-no-key-students", year = t.school_year()));
    }
    if !unknown.is_empty() && !facts.townships.is_empty() {
        let items: Vec<String> = unknown.iter().map(|(t, n)| t!("report-unknown-township", township = t, count = *n)).collect();
        notes.push(t!("report-unknown-townships", list = list(&items)));
    }
    for row in &report.district {
        let def = report.target(row);
        if row.unreported.filter != 0 {
            notes.push(no_data::filter_note(def, row.unreported.filter));
        }
        if row.unreported.activities {
            notes.push(no_data::activities_note(def, report.spans[row.target].window));
        }
        if row.unreported.facts {
            let facts: Vec<&str> = def.required_facts().map(|(f, _)| f.name()).collect();
            let zh: Vec<&str> = def.required_facts().map(|(f, _)| f.spec().aliases.first().copied().unwrap_or("")).collect();
            let hosts: Vec<&str> = def.units.hosts().iter().map(|h| h.as_str()).collect();
            notes.push(t!(
                "report-no-data-facts",
                target = def.id,
                facts = list(&facts),
                rosters = rosters(&hosts),
                columns = list(&zh)
            ));
        }
    }
    if facts.activities_in_term == 0 {
        notes.push(t!("report-no-activities", term = term, start = t.first_day().to_string(), end = t.last_day().to_string()));
    }
    notes
}
