//! A plan written back: as TOML in the fixed layout of SPEC §7 (it reads back to the same
//! plan) and as JSON with the same keys, for `plan show`.

use std::fmt::Write as _;

use super::super::model::{Plan, Requirement, Responsible, Selector, Threshold, Want};
use crate::returns::kinds::{activities, registry};

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    format!("[{}]", items.into_iter().map(quote).collect::<Vec<_>>().join(", "))
}

fn selector_toml(s: &Selector) -> String {
    match s {
        Selector::Fact(f, v) => format!("{} = {v}", f.name()),
        Selector::Group(g) => format!("group = {}", list(g.iter().map(|g| g.as_str()))),
        Selector::Type(t) => format!("type = {}", list(t.iter().map(|t| t.as_str()))),
        Selector::Area(a) => format!("area = {}", quote(a.as_str())),
        Selector::Kind(k) => format!("kind = {}", quote(k.as_str())),
        Selector::Level(l) => format!("level = {}", quote(l.as_str())),
        Selector::Host(h) => format!("host = {}", list(h.iter().map(|h| h.as_str()))),
        Selector::Value(name, _, want) => format!("{name} = {}", want_json(want)),
    }
}

fn requirement_toml(r: &Requirement) -> String {
    match r {
        Requirement::Selector(s) => selector_toml(s),
        Requirement::Activities(l) => {
            format!(
                "{} = {{ {} }}",
                activities::KIND_NAME,
                l.iter().map(|(k, n)| format!("{} = {n}", k.as_str())).collect::<Vec<_>>().join(", ")
            )
        }
        Requirement::AnyActivity { kinds, min } => {
            format!("any_activity = {{ kinds = {}, min = {min} }}", list(kinds.iter().map(|k| k.as_str())))
        }
        Requirement::Registry(c) => format!("{} = {}", registry::KIND_NAME, list(c.iter().map(|c| c.as_str()))),
    }
}

fn inline(items: Vec<String>) -> String {
    format!("{{ {} }}", items.join(", "))
}

/// The plan as TOML, in the fixed layout of SPEC §7; reads back to the same plan.
pub(crate) fn to_toml(plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "id = {}", quote(&plan.id));
    let _ = writeln!(out, "name = {}", quote(&plan.name));
    if let Some(d) = &plan.document {
        let _ = writeln!(out, "document = {}", quote(d));
    }
    let _ = writeln!(out, "first_term = {}", quote(&plan.first_term.to_string()));
    let _ = writeln!(out, "last_term = {}", quote(&plan.last_term.to_string()));
    for t in &plan.targets {
        out.push_str("\n[[target]]\n");
        let _ = writeln!(out, "id = {}", quote(&t.id));
        if let Some(s) = &t.section {
            let _ = writeln!(out, "section = {}", quote(s));
        }
        let mut title = vec![format!("zh = {}", quote(&t.title.zh))];
        if let Some(en) = &t.title.en {
            title.push(format!("en = {}", quote(en)));
        }
        let _ = writeln!(out, "title = {}", inline(title));
        let _ = writeln!(out, "units = {}", quote(t.units.as_str()));
        if !t.filter.is_empty() {
            let _ = writeln!(out, "where = {}", inline(t.filter.iter().map(selector_toml).collect()));
        }
        if !t.require.is_empty() {
            let _ = writeln!(out, "require = {}", inline(t.require.iter().map(requirement_toml).collect()));
        }
        match t.threshold {
            Threshold::Required(p) => {
                let _ = writeln!(out, "required = {p}");
            }
            Threshold::AtLeast(n) => {
                let _ = writeln!(out, "at_least = {n}");
            }
            Threshold::Informational => out.push_str("informational = true\n"),
        }
        let _ = writeln!(out, "period = {}", quote(t.period.as_str()));
        let _ = writeln!(out, "by_township = {}", t.by_township);
        let resp = match &t.responsible {
            Responsible::List(l) => list(l.iter().map(String::as_str)),
            Responsible::ByHost(m) => {
                inline(m.iter().map(|(k, l)| format!("{} = {}", k.as_str(), list(l.iter().map(String::as_str)))).collect())
            }
        };
        let _ = writeln!(out, "responsible = {resp}");
    }
    out.push_str(&plan.deadlines.to_toml());
    out.push_str(&super::super::quality::to_toml(&plan.quality_given));
    out
}

/// What a value of a roster declared as data must be, as TOML and JSON both write it.
fn want_json(want: &Want) -> serde_json::Value {
    match want {
        Want::Is(b) => serde_json::json!(b),
        Want::AtLeast(n) => serde_json::json!(n),
    }
}

fn selector_json(s: &Selector) -> (String, serde_json::Value) {
    use serde_json::json;
    match s {
        Selector::Fact(f, v) => (f.name().to_string(), json!(v)),
        Selector::Group(g) => ("group".into(), json!(g.iter().map(|g| g.as_str()).collect::<Vec<_>>())),
        Selector::Type(t) => ("type".into(), json!(t.iter().map(|t| t.as_str()).collect::<Vec<_>>())),
        Selector::Area(a) => ("area".into(), json!(a.as_str())),
        Selector::Kind(k) => ("kind".into(), json!(k.as_str())),
        Selector::Level(l) => ("level".into(), json!(l.as_str())),
        Selector::Host(h) => ("host".into(), json!(h.iter().map(|h| h.as_str()).collect::<Vec<_>>())),
        Selector::Value(name, _, want) => (name.to_string(), want_json(want)),
    }
}

/// The plan as JSON: the same keys as the TOML, plus the plan's SHA-256.
pub(crate) fn to_json(plan: &Plan) -> serde_json::Value {
    use serde_json::{json, Map, Value as J};
    let targets: Vec<J> = plan
        .targets
        .iter()
        .map(|t| {
            let mut o = Map::new();
            o.insert("id".into(), json!(t.id));
            if let Some(s) = &t.section {
                o.insert("section".into(), json!(s));
            }
            o.insert("title".into(), json!({"zh": t.title.zh, "en": t.title.en}));
            o.insert("units".into(), json!(t.units.as_str()));
            o.insert("where".into(), J::Object(t.filter.iter().map(selector_json).collect()));
            let require: Map<String, J> = t
                .require
                .iter()
                .map(|r| match r {
                    Requirement::Selector(s) => selector_json(s),
                    Requirement::Activities(l) => (
                        activities::KIND_NAME.into(),
                        J::Object(l.iter().map(|(k, n)| (k.as_str().to_string(), json!(n))).collect()),
                    ),
                    Requirement::AnyActivity { kinds, min } => (
                        "any_activity".into(),
                        json!({"kinds": kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(), "min": min}),
                    ),
                    Requirement::Registry(c) => {
                        (registry::KIND_NAME.into(), json!(c.iter().map(|c| c.as_str()).collect::<Vec<_>>()))
                    }
                })
                .collect();
            o.insert("require".into(), J::Object(require));
            match t.threshold {
                Threshold::Required(p) => o.insert("required".into(), json!(p)),
                Threshold::AtLeast(n) => o.insert("at_least".into(), json!(n)),
                Threshold::Informational => o.insert("informational".into(), json!(true)),
            };
            o.insert("period".into(), json!(t.period.as_str()));
            o.insert("by_township".into(), json!(t.by_township));
            let resp = match &t.responsible {
                Responsible::List(l) => json!(l),
                Responsible::ByHost(m) => J::Object(m.iter().map(|(k, l)| (k.as_str().to_string(), json!(l))).collect()),
            };
            o.insert("responsible".into(), resp);
            J::Object(o)
        })
        .collect();
    json!({
        "schema": "gongyu.plan.v1",
        "id": plan.id,
        "name": plan.name,
        "document": plan.document,
        "first_term": plan.first_term.to_string(),
        "last_term": plan.last_term.to_string(),
        "sha256": plan.sha256,
        "target": targets,
        "deadlines": plan.deadlines.to_json(),
        "quality": serde_json::to_value(super::super::quality::in_force(&plan.quality_given)).unwrap_or_default(),
    })
}
