//! Plan files (SPEC §7): TOML read with every mistake reported as `FILE:LINE: what is
//! wrong`, and written back (`gongyu plan show`) in a fixed layout that reads back to the
//! same plan.

use sha2::{Digest, Sha256};
use toml::{Spanned, Table, Value};

use super::fact::{Fact, HostKind};
use super::model::{Period, Plan, Requirement, Responsible, Selector, TargetDef, Threshold, Title, UnitSet, Want};
use super::units::{ActivityKind, Area, BodyKind, BodyLevel, RegistryCategory, SchoolGroup, SchoolType};
use super::Term;
use crate::lang::Lang;
use crate::returns::kinds::generic::ValueType;
use crate::returns::kinds::{activities, bodies, registry};
use crate::tl;

/// The default plan, Mentougou 2019–2021 (SPEC §9), compiled in.
pub(crate) const BUILT_IN: &str = include_str!("../../plans/mentougou-2019-2021.toml");

/// Every mistake found in a plan file, each as `FILE:LINE: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlanErrors(pub Vec<String>);

impl std::fmt::Display for PlanErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.join("\n"))
    }
}

impl std::error::Error for PlanErrors {}

mod loose;
mod write;

pub(crate) use write::{to_json, to_toml};

/// A plan file as read by [`loose::read`]: the keys the plan needs are `None` when
/// missing or of the wrong type (a mistake already noted).
struct RawPlan {
    id: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    document: Option<String>,
    first_term: Option<Spanned<String>>,
    last_term: Option<Spanned<String>>,
    target: Vec<Spanned<RawTarget>>,
    /// How many `[[target]]` tables the file has (some may be left out of `target`).
    targets_given: usize,
}

struct RawTitle {
    zh: String,
    en: Option<String>,
}

struct RawTarget {
    id: Spanned<String>,
    section: Option<String>,
    title: RawTitle,
    units: Spanned<String>,
    /// `where`.
    filter: Option<Spanned<Table>>,
    require: Option<Spanned<Table>>,
    required: Option<Spanned<i64>>,
    at_least: Option<Spanned<i64>>,
    informational: Option<Spanned<bool>>,
    period: Option<Spanned<String>>,
    by_township: Option<bool>,
    responsible: Spanned<Value>,
    /// Whether a threshold key is in the file, even one whose value is of the wrong type
    /// (then that mistake is noted, not a missing threshold).
    threshold_given: bool,
}

/// Reads the built-in plan.
pub(crate) fn built_in() -> Plan {
    parse(BUILT_IN, "built-in").expect("the built-in plan is valid (tested)")
}

/// Reads a plan from TOML text; `source` names it in errors (a path, or `built-in`),
/// which are in the output language.
pub(crate) fn parse(text: &str, source: &str) -> Result<Plan, PlanErrors> {
    parse_in(text, source, crate::messages::lang())
}

/// [`parse`], its errors in `lang`.
pub(crate) fn parse_in(text: &str, source: &str, lang: Lang) -> Result<Plan, PlanErrors> {
    let line = |offset: usize| text[..offset.min(text.len())].bytes().filter(|b| *b == b'\n').count() + 1;
    let (raw, mistakes) = match loose::read(text, lang) {
        Ok(r) => r,
        Err(e) => {
            let at = e.span().map_or(1, |s| line(s.start));
            let msg = tl!(lang, "plan-toml", detail = e.message().trim().replace('\n', " "));
            return Err(PlanErrors(vec![format!("{source}:{at}: {msg}")]));
        }
    };
    let (deadlines, late) = super::deadlines::read(text, lang);
    // Every mistake, by its line; those of shape first, then what the values mean.
    let mut found: Vec<(usize, String)> = mistakes.into_iter().chain(late).map(|(offset, msg)| (line(offset), msg)).collect();
    found.extend(super::quality::read(text, lang).1.into_iter().map(|(offset, msg)| (line(offset), msg)));
    let mut err = |offset: usize, msg: String| found.push((line(offset), msg));

    if let Some(id) = &raw.id {
        if !valid_id(id.get_ref()) {
            err(id.span().start, tl!(lang, "plan-bad-id", id = id.get_ref()));
        }
    }
    if let Some(name) = raw.name.as_ref().filter(|n| n.get_ref().trim().is_empty()) {
        err(name.span().start, tl!(lang, "plan-name-empty"));
    }
    let mut term = |s: &Option<Spanned<String>>, what: &str| match s.as_ref().map(|s| (s, s.get_ref().parse::<Term>())) {
        Some((_, Ok(t))) => Some(t),
        Some((s, Err(e))) => {
            err(s.span().start, tl!(lang, "plan-bad-term", key = what, value = s.get_ref(), error = e.to_string()));
            None
        }
        None => None,
    };
    let first_term = term(&raw.first_term, "first_term");
    let last_term = term(&raw.last_term, "last_term");
    if let (Some(f), Some(l), Some(at)) = (first_term, last_term, &raw.last_term) {
        if l < f {
            err(at.span().start, tl!(lang, "plan-terms-backwards", last = l.to_string(), first = f.to_string()));
        }
    }
    if raw.targets_given == 0 {
        err(0, tl!(lang, "plan-no-targets"));
    }
    let mut targets: Vec<TargetDef> = Vec::new();
    for t in &raw.target {
        let at = t.span().start;
        match target(t.get_ref(), lang) {
            Ok(def) => {
                if targets.iter().any(|o| o.id == def.id) {
                    err(t.get_ref().id.span().start, tl!(lang, "plan-duplicate-target", id = def.id));
                }
                targets.push(def);
            }
            Err(list) => {
                for (offset, msg) in list {
                    err(offset.unwrap_or(at), msg);
                }
            }
        }
    }
    if !found.is_empty() {
        found.sort_by_key(|(line, _)| *line);
        return Err(PlanErrors(found.into_iter().map(|(line, msg)| format!("{source}:{line}: {msg}")).collect()));
    }
    let (Some(id), Some(name), Some(first_term), Some(last_term)) = (raw.id, raw.name, first_term, last_term) else {
        unreachable!("a missing key is a mistake, returned above")
    };
    Ok(Plan {
        id: id.into_inner(),
        name: name.into_inner(),
        document: raw.document,
        first_term,
        last_term,
        targets,
        deadlines,
        quality_given: super::quality::given(text),
        source: source.to_string(),
        sha256: format!("{:x}", Sha256::digest(text.as_bytes())),
    })
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

type Problems = Vec<(Option<usize>, String)>;

fn target(t: &RawTarget, lang: Lang) -> Result<TargetDef, Problems> {
    let mut p: Problems = Vec::new();
    let id = t.id.get_ref().clone();
    if !valid_id(&id) {
        p.push((Some(t.id.span().start), tl!(lang, "plan-bad-target-id", id = id)));
    }
    // A mistake inside this target.
    let inside = |problem: String| tl!(lang, "plan-in-target", id = id, problem = problem);
    let units = UnitSet::parse(t.units.get_ref());
    if units.is_none() {
        p.push((
            Some(t.units.span().start),
            inside(tl!(lang, "plan-unknown-units", units = t.units.get_ref(), expected = UnitSet::names())),
        ));
    }
    let units = units.unwrap_or(UnitSet::Schools);
    let mut filter = Vec::new();
    if let Some(w) = &t.filter {
        for (key, value) in w.get_ref() {
            match selector(key, value, units, false, lang) {
                Ok(Some(s)) => filter.push(s),
                Ok(None) => p.push((Some(w.span().start), inside(tl!(lang, "plan-belongs-in-require", key = key)))),
                Err(e) => p.push((Some(w.span().start), inside(tl!(lang, "plan-where-key", key = key, error = e)))),
            }
        }
    }
    let mut require = Vec::new();
    if let Some(r) = &t.require {
        for (key, value) in r.get_ref() {
            match requirement(key, value, units, lang) {
                Ok(req) => require.push(req),
                Err(e) => p.push((Some(r.span().start), inside(tl!(lang, "plan-require-key", key = key, error = e)))),
            }
        }
    }
    let given: Vec<&str> = [
        t.required.as_ref().map(|_| "required"),
        t.at_least.as_ref().map(|_| "at_least"),
        t.informational.as_ref().map(|_| "informational"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let threshold = match (&t.required, &t.at_least, &t.informational) {
        _ if given.len() > 1 => {
            p.push((None, inside(tl!(lang, "plan-one-threshold", given = given.join(&tl!(lang, "plan-and"))))));
            Threshold::Informational
        }
        (Some(r), _, _) => {
            let v = *r.get_ref();
            if !(0..=100).contains(&v) {
                p.push((Some(r.span().start), inside(tl!(lang, "plan-required-range", value = v))));
            }
            Threshold::Required(v.clamp(0, 100) as u32)
        }
        (_, Some(a), _) => {
            let v = *a.get_ref();
            if v < 1 {
                p.push((Some(a.span().start), inside(tl!(lang, "plan-at-least-range", value = v))));
            }
            Threshold::AtLeast(v.max(0) as u64)
        }
        (_, _, Some(i)) => {
            if !*i.get_ref() {
                p.push((Some(i.span().start), inside(tl!(lang, "plan-informational-false"))));
            }
            Threshold::Informational
        }
        _ if t.threshold_given => Threshold::Informational,
        _ => {
            p.push((None, inside(tl!(lang, "plan-no-threshold"))));
            Threshold::Informational
        }
    };
    let period = match &t.period {
        None => Period::Term,
        Some(s) => Period::parse(s.get_ref()).unwrap_or_else(|| {
            p.push((Some(s.span().start), inside(tl!(lang, "plan-unknown-period", period = s.get_ref()))));
            Period::Term
        }),
    };
    let responsible = match responsible(t.responsible.get_ref(), units, lang) {
        Ok(r) => r,
        Err(e) => {
            p.push((Some(t.responsible.span().start), inside(tl!(lang, "plan-responsible", error = e))));
            Responsible::List(Vec::new())
        }
    };
    if units == UnitSet::Townships && !require.iter().any(|r| matches!(r, Requirement::Registry(_))) && require.is_empty() {
        // A township unit can only be asked about its registry filings; with nothing
        // required every township counts, which is allowed (a count of townships).
    }
    if t.title.zh.trim().is_empty() {
        p.push((None, inside(tl!(lang, "plan-title-empty"))));
    }
    if !p.is_empty() {
        return Err(p);
    }
    Ok(TargetDef {
        id,
        section: t.section.clone(),
        title: Title { zh: t.title.zh.clone(), en: t.title.en.clone() },
        units,
        filter,
        require,
        threshold,
        period,
        by_township: t.by_township.unwrap_or(true),
        responsible,
    })
}

/// A list of strings; `what` names what it holds (`school-types`, …; see `plan-list-of`).
fn strings(value: &Value, what: &str, lang: Lang) -> Result<Vec<String>, String> {
    let what = || tl!(lang, "plan-list-of", what = what);
    let list = match value {
        Value::Array(a) => a.iter().collect::<Vec<_>>(),
        Value::String(_) => vec![value],
        _ => return Err(tl!(lang, "plan-expected-list", what = what())),
    };
    list.into_iter()
        .map(|v| v.as_str().map(str::to_string).ok_or_else(|| tl!(lang, "plan-expected-strings", what = what())))
        .collect()
}

fn one_of<T>(s: &str, parse: impl Fn(&str) -> Option<T>, spellings: &str, lang: Lang) -> Result<T, String> {
    parse(s).ok_or_else(|| tl!(lang, "plan-not-one-of", value = s, expected = spellings))
}

/// `expected "a" or "b"`.
fn either(a: &str, b: &str, lang: Lang) -> String {
    tl!(lang, "plan-expected-either", a = a, b = b)
}

/// Parses one `where`/`require` selector. `Ok(None)`: the key is a requirement only.
fn selector(key: &str, value: &Value, units: UnitSet, in_require: bool, lang: Lang) -> Result<Option<Selector>, String> {
    let hosts = units.hosts();
    let applies = |kinds: &[HostKind]| hosts.iter().any(|h| kinds.contains(h));
    let units_id = units.as_str();
    let s = match key {
        activities::KIND_NAME | "any_activity" | registry::KIND_NAME => return Ok(None),
        "group" | "type" | "area" if units == UnitSet::Townships || !applies(&[HostKind::Schools, HostKind::Communities]) => {
            return Err(tl!(lang, "plan-selects-schools-or-communities", key = key, units = units_id))
        }
        "group" => {
            if !applies(&[HostKind::Schools]) {
                return Err(tl!(lang, "plan-selects-schools", key = key, units = units_id));
            }
            let groups = strings(value, "school-groups", lang)?
                .iter()
                .map(|g| one_of(g, SchoolGroup::from_str_exact, "中小学, 幼儿园, 中职", lang))
                .collect::<Result<_, _>>()?;
            Selector::Group(groups)
        }
        "type" => {
            if !applies(&[HostKind::Schools]) {
                return Err(tl!(lang, "plan-selects-schools", key = key, units = units_id));
            }
            let types = strings(value, "school-types", lang)?
                .iter()
                .map(|t| {
                    SchoolType::parse(t)
                        .ok_or_else(|| tl!(lang, "plan-not-school-type", value = t, expected = SchoolType::spellings()))
                })
                .collect::<Result<_, _>>()?;
            Selector::Type(types)
        }
        "area" => {
            let s = value.as_str().ok_or_else(|| either("urban", "rural", lang))?;
            Selector::Area(match s {
                "urban" => Area::Urban,
                "rural" => Area::Rural,
                _ => return Err(tl!(lang, "plan-not-either", value = s, a = "urban", b = "rural")),
            })
        }
        "kind" | "level" if !applies(&[HostKind::Bodies]) => {
            return Err(tl!(lang, "plan-selects-bodies", key = key, units = units_id))
        }
        "kind" => {
            let s = value.as_str().ok_or_else(|| either("parent-school", "coedu-committee", lang))?;
            Selector::Kind(one_of(s, |x| BodyKind::parse(x).filter(|k| k.as_str() == x), "parent-school, coedu-committee", lang)?)
        }
        "level" => {
            let s = value.as_str().ok_or_else(|| either("district", "organisation", lang))?;
            Selector::Level(one_of(s, |x| BodyLevel::parse(x).filter(|k| k.as_str() == x), "district, organisation", lang)?)
        }
        "host" => {
            if units != UnitSet::ParentSchools {
                return Err(tl!(lang, "plan-selects-parent-schools", units = units_id));
            }
            let kinds = strings(value, "host-kinds", lang)?
                .iter()
                .map(|h| one_of(h, HostKind::parse, "schools, communities, bodies", lang))
                .collect::<Result<_, _>>()?;
            Selector::Host(kinds)
        }
        _ if matches!(units, UnitSet::Roster(_)) => return roster_value(key, value, units, lang).map(Some),
        _ => {
            let Some(fact) = Fact::parse(key) else {
                let in_require = if in_require { "yes" } else { "no" };
                return Err(tl!(lang, "plan-unknown-fact", facts = Fact::names(), in_require = in_require));
            };
            if units == UnitSet::Townships || units == UnitSet::KeyStudents {
                return Err(tl!(lang, "plan-no-facts", units = units_id, key = key));
            }
            if !hosts.iter().any(|h| fact.on(*h)) {
                let on: Vec<&str> = fact.spec().on.iter().map(|h| h.as_str()).collect();
                let on = on.join(&tl!(lang, "plan-and"));
                return Err(tl!(lang, "plan-fact-not-on", key = key, on = on, units = units_id));
            }
            let v = value.as_bool().ok_or_else(|| tl!(lang, "plan-expected-bool", key = key))?;
            Selector::Fact(fact, v)
        }
    };
    Ok(Some(s))
}

/// A value a roster declared as data offers, as a selector: a yes/no is a fact, a count is
/// wanted at least so large; words are not counted.
fn roster_value(key: &str, value: &Value, units: UnitSet, lang: Lang) -> Result<Selector, String> {
    let UnitSet::Roster(kind) = units else { unreachable!("rosters declared as data only") };
    let counted = |ty: &ValueType| *ty != ValueType::Text;
    let want = match kind.value_named(key).filter(|(_, ty)| counted(ty)) {
        Some((i, ValueType::YesNo)) => (i, Want::Is(value.as_bool().ok_or_else(|| tl!(lang, "plan-expected-bool", key = key))?)),
        Some((i, _)) => {
            let n = value.as_integer().filter(|n| *n >= 0).ok_or_else(|| tl!(lang, "plan-expected-count", key = key))?;
            (i, Want::AtLeast(n as u64))
        }
        None => {
            let r = kind.roster.map_or(&[][..], |r| r.values);
            let offered: Vec<&str> = r.iter().filter(|v| counted(&v.ty)).map(|v| kind.columns[v.column].name).collect();
            let offered =
                if offered.is_empty() { tl!(lang, "plan-roster-offers-none", units = kind.name) } else { offered.join(", ") };
            return Err(tl!(lang, "plan-roster-no-value", units = kind.name, key = key, offered = offered));
        }
    };
    Ok(Selector::Value(kind.value_column(want.0).name, want.0, want.1))
}

fn activity_kind(k: &str, lang: Lang) -> Result<ActivityKind, String> {
    ActivityKind::from_str_exact(k)
        .ok_or_else(|| tl!(lang, "plan-not-activity-kind", value = k, kinds = ActivityKind::ids_listed(lang)))
}

fn kinds_list(value: &Value, lang: Lang) -> Result<Vec<ActivityKind>, String> {
    strings(value, "activity-kinds", lang)?.iter().map(|k| activity_kind(k, lang)).collect()
}

fn requirement(key: &str, value: &Value, units: UnitSet, lang: Lang) -> Result<Requirement, String> {
    let activity_units = !matches!(units, UnitSet::Townships);
    match key {
        activities::KIND_NAME | "any_activity" if matches!(units, UnitSet::Roster(_)) => {
            Err(tl!(lang, "plan-roster-no-activities", units = units.as_str()))
        }
        activities::KIND_NAME => {
            if !activity_units {
                return Err(tl!(lang, "plan-townships-no-activities"));
            }
            let table = value.as_table().ok_or_else(|| tl!(lang, "plan-expected-kinds-table"))?;
            if table.is_empty() {
                return Err(tl!(lang, "plan-name-a-kind"));
            }
            let mut list = Vec::new();
            for (k, n) in table {
                let kind = activity_kind(k, lang)?;
                if units == UnitSet::KeyStudents && kind != ActivityKind::HomeVisit {
                    return Err(tl!(lang, "plan-students-home-visit-not", kind = k));
                }
                let n = n.as_integer().filter(|n| *n >= 1).ok_or_else(|| tl!(lang, "plan-whole-number", key = k))?;
                list.push((kind, n as u64));
            }
            Ok(Requirement::Activities(list))
        }
        "any_activity" => {
            if !activity_units {
                return Err(tl!(lang, "plan-townships-no-activities"));
            }
            let table = value.as_table().ok_or_else(|| tl!(lang, "plan-expected-any-activity"))?;
            if let Some(k) = table.keys().find(|k| *k != "kinds" && *k != "min") {
                return Err(tl!(lang, "plan-any-activity-key", key = k));
            }
            let kinds = kinds_list(table.get("kinds").ok_or_else(|| tl!(lang, "plan-kinds-missing"))?, lang)?;
            if kinds.is_empty() {
                return Err(tl!(lang, "plan-kinds-empty"));
            }
            if units == UnitSet::KeyStudents && kinds.iter().any(|k| *k != ActivityKind::HomeVisit) {
                return Err(tl!(lang, "plan-students-home-visit"));
            }
            let min = table.get("min").and_then(Value::as_integer).filter(|n| *n >= 1).ok_or_else(|| tl!(lang, "plan-min"))?;
            Ok(Requirement::AnyActivity { kinds, min: min as u64 })
        }
        registry::KIND_NAME => {
            if units != UnitSet::Townships {
                return Err(tl!(lang, "plan-registry-townships", units = units.as_str()));
            }
            let cats = strings(value, "registry-categories", lang)?
                .iter()
                .map(|c| one_of(c, RegistryCategory::parse, RegistryCategory::SPELLINGS, lang))
                .collect::<Result<Vec<_>, _>>()?;
            if cats.is_empty() {
                return Err(tl!(lang, "plan-name-a-category"));
            }
            Ok(Requirement::Registry(cats))
        }
        _ => selector(key, value, units, true, lang).map(|s| Requirement::Selector(s.expect("requirement keys handled above"))),
    }
}

fn responsible(value: &Value, units: UnitSet, lang: Lang) -> Result<Responsible, String> {
    match value {
        Value::Table(t) => {
            if units != UnitSet::ParentSchools {
                return Err(tl!(lang, "plan-responsible-table"));
            }
            let mut by = Vec::new();
            for kind in HostKind::ALL {
                if let Some(v) = t.get(kind.as_str()) {
                    by.push((kind, strings(v, bodies::KIND_NAME, lang)?));
                }
            }
            if let Some(k) = t.keys().find(|k| HostKind::parse(k).is_none()) {
                return Err(tl!(lang, "plan-unknown-host-kind", kind = k));
            }
            Ok(Responsible::ByHost(by))
        }
        _ => Ok(Responsible::List(strings(value, bodies::KIND_NAME, lang)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
id = "test-plan"
name = "测试"
first_term = "2020-2021-1"
last_term = "2021-2022-2"

[[target]]
id = "a"
title = { zh = "甲" }
units = "communities"
where = { area = "urban" }
require = { parent_school = true }
required = 90
responsible = ["区妇联"]
"#;

    #[test]
    fn built_in_plan_reads_and_round_trips() {
        let plan = built_in();
        assert_eq!(plan.id, "mentougou-2019-2021");
        assert_eq!(plan.targets.len(), 15);
        let shown = to_toml(&plan);
        let again = parse(&shown, "shown").unwrap();
        assert_eq!(to_toml(&again), shown);
        assert_eq!(again.targets, plan.targets);
    }

    #[test]
    fn minimal_plan_defaults() {
        let plan = parse(MINIMAL, "p.toml").unwrap();
        let t = &plan.targets[0];
        assert_eq!(t.period, Period::Term);
        assert!(t.by_township);
        assert_eq!(t.threshold, Threshold::Required(90));
        assert_eq!(t.filter, vec![Selector::Area(Area::Urban)]);
    }

    fn errors(text: &str) -> Vec<String> {
        parse_in(text, "p.toml", Lang::En).unwrap_err().0
    }

    #[test]
    fn mistakes_name_file_and_line() {
        let e = errors(&MINIMAL.replace("required = 90", "required = 190"));
        assert_eq!(e, vec!["p.toml:13: target a: required = 190 is outside 0–100 (a percentage)"]);
        let e = errors(&MINIMAL.replace("units = \"communities\"", "units = \"villages\""));
        assert!(e[0].starts_with("p.toml:10: target a: unknown unit kind \"villages\""), "{e:?}");
        let e = errors(&MINIMAL.replace("parent_school = true", "parent_schol = true"));
        assert!(e[0].starts_with("p.toml:12: target a: require.parent_schol: unknown fact"), "{e:?}");
        let e = errors(&MINIMAL.replace("title = ", "colour = \"red\"\ntitle = "));
        assert!(e[0].starts_with("p.toml:9:") && e[0].contains("unknown field `colour`"), "{e:?}");
        let e = errors(&format!(
            "{MINIMAL}\n[[target]]\nid = \"a\"\ntitle = {{ zh = \"乙\" }}\nunits = \"schools\"\nat_least = 1\nresponsible = []\n"
        ));
        assert_eq!(e, vec!["p.toml:17: two targets have the id \"a\"; ids must be unique"]);
        let e = errors(&MINIMAL.replace("required = 90", "required = 90\nat_least = 2"));
        assert!(e[0].contains("give one threshold, not required and at_least"), "{e:?}");
        let e = errors(&MINIMAL.replace("where = { area = \"urban\" }", "where = { kind = \"parent-school\" }"));
        assert!(e[0].starts_with("p.toml:11: target a: where.kind: `kind` selects bodies"), "{e:?}");
        let e = errors(&MINIMAL.replace("parent_school = true", "committee_class = true"));
        assert!(e[0].contains("fact committee_class is reported on schools rosters, not by communities"), "{e:?}");
        let e = errors(&MINIMAL.replace("last_term = \"2021-2022-2\"", "last_term = \"2021-2023-2\""));
        assert!(e[0].starts_with("p.toml:5: last_term"), "{e:?}");
        let e = errors("id = \"x\"\nname = \"n\nfirst_term = 1");
        assert!(e[0].starts_with("p.toml:2:"), "{e:?}");
        let e = errors(&MINIMAL.replace("[\"区妇联\"]", "{ schools = [\"区教委\"] }"));
        assert!(e[0].contains("a table by host kind applies to parent-schools"), "{e:?}");
        let e = errors(&MINIMAL.replace("require = { parent_school = true }", "require = { registry = [\"留守儿童\"] }"));
        assert!(e[0].contains("registry applies to townships"), "{e:?}");
        let e = errors(&MINIMAL.replace("period", "x").replace("required = 90", "required = 90\nperiod = \"month\""));
        assert!(e[0].contains("unknown period \"month\""), "{e:?}");
    }
}
