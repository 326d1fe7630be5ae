//! The plan file's `[quality]` table: the thresholds of `gongyu quality` (SPEC §15), each
//! key optional, defaulting to [`Thresholds::default`] (the WHO data quality review's and
//! Iglewicz–Hoaglin's values). Read apart from the targets, with every mistake at
//! `FILE:LINE` as `plan check` reports them.
//!
//! ```toml
//! [quality]
//! outlier_z = 3.5            # |modified z-score| above this
//! consistency_pct = 33       # ± per cent of the mean of earlier terms
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::{Spanned, Value};

use crate::lang::Lang;
use crate::quality::Thresholds;
use crate::tl;

type Keyed = BTreeMap<Spanned<String>, Spanned<Value>>;

#[derive(Deserialize)]
struct Doc {
    #[serde(default)]
    quality: Option<Keyed>,
}

/// The same file when `quality` is not a table.
#[derive(Deserialize)]
struct Loose {
    #[serde(default)]
    quality: Option<Spanned<Value>>,
}

/// The keys of `[quality]`, and what each must be.
#[derive(Clone, Copy)]
enum Want {
    /// A number above 0.
    Positive,
    /// A share: above 0, at most 1.
    Share,
    /// A whole number at least this.
    AtLeast(i64),
}

const KEYS: &[(&str, Want)] = &[
    ("outlier_z", Want::Positive),
    ("outlier_min_rows", Want::AtLeast(1)),
    ("heaping_min_rows", Want::AtLeast(1)),
    ("heaping_z", Want::Positive),
    ("burst_min", Want::AtLeast(2)),
    ("bunching_share", Want::Share),
    ("bunching_min_rows", Want::AtLeast(1)),
    ("copied_share", Want::Share),
    ("copied_min_rows", Want::AtLeast(1)),
    ("duplicate_max_hosts", Want::AtLeast(2)),
    ("consistency_pct", Want::Positive),
    ("consistency_min_terms", Want::AtLeast(1)),
];

fn set(th: &mut Thresholds, key: &str, x: f64) {
    let n = x as u32;
    match key {
        "outlier_z" => th.outlier_z = x,
        "outlier_min_rows" => th.outlier_min_rows = n,
        "heaping_min_rows" => th.heaping_min_rows = n,
        "heaping_z" => th.heaping_z = x,
        "burst_min" => th.burst_min = n,
        "bunching_share" => th.bunching_share = x,
        "bunching_min_rows" => th.bunching_min_rows = n,
        "copied_share" => th.copied_share = x,
        "copied_min_rows" => th.copied_min_rows = n,
        "duplicate_max_hosts" => th.duplicate_max_hosts = n,
        "consistency_pct" => th.consistency_pct = x,
        _ => th.consistency_min_terms = n,
    }
}

/// The thresholds of a plan file's text, and its mistakes in `[quality]` as (byte
/// offset, what is wrong). A file that is not TOML has no mistakes here: the plan's own
/// reading reports it.
pub(crate) fn read(text: &str, lang: Lang) -> (Thresholds, Vec<(usize, String)>) {
    let mut th = Thresholds::default();
    let mut mistakes = Vec::new();
    let keyed = match toml::from_str::<Doc>(text) {
        Ok(Doc { quality: Some(q) }) => q,
        Ok(Doc { quality: None }) => return (th, mistakes),
        Err(_) => {
            if let Ok(Loose { quality: Some(q) }) = toml::from_str::<Loose>(text) {
                let kind = q.get_ref().type_str();
                mistakes.push((q.span().start, tl!(lang, "plan-quality-not-table", kind = kind)));
            }
            return (th, mistakes);
        }
    };
    for (k, v) in keyed {
        let (key, span) = (k.get_ref().as_str(), v.span());
        let Some((_, want)) = KEYS.iter().find(|(name, _)| *name == key) else {
            let known = KEYS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ");
            mistakes.push((k.span().start, tl!(lang, "plan-quality-unknown-key", key = key, known = known)));
            continue;
        };
        let value = v.into_inner();
        let ok = match (*want, &value) {
            (Want::AtLeast(min), Value::Integer(n)) if *n >= min => Some(*n as f64),
            (Want::Positive, Value::Integer(n)) if *n > 0 => Some(*n as f64),
            (Want::Positive, Value::Float(x)) if x.is_finite() && *x > 0.0 => Some(*x),
            (Want::Share, Value::Float(x)) if *x > 0.0 && *x <= 1.0 => Some(*x),
            (Want::Share, Value::Integer(1)) => Some(1.0),
            _ => None,
        };
        match ok {
            Some(x) => set(&mut th, key, x),
            None => {
                let shown = match &value {
                    Value::Integer(n) => n.to_string(),
                    Value::Float(x) => x.to_string(),
                    Value::String(t) => format!("\"{t}\""),
                    other => other.type_str().to_string(),
                };
                let msg = match *want {
                    Want::Positive => tl!(lang, "plan-quality-positive", key = key, value = shown),
                    Want::Share => tl!(lang, "plan-quality-share", key = key, value = shown),
                    Want::AtLeast(min) => tl!(lang, "plan-quality-at-least", key = key, value = shown, min = min),
                };
                mistakes.push((span.start, msg));
            }
        }
    }
    (th, mistakes)
}

/// The keys of a plan file's `[quality]` that are known, with their values as written, in
/// the file's order of keys (sorted): what `plan show` writes back.
pub(crate) fn given(text: &str) -> Vec<(String, String)> {
    let Ok(Doc { quality: Some(q) }) = toml::from_str::<Doc>(text) else { return Vec::new() };
    q.into_iter()
        .filter(|(k, _)| KEYS.iter().any(|(name, _)| *name == k.get_ref().as_str()))
        .filter_map(|(k, v)| {
            let written = match v.into_inner() {
                Value::Integer(n) => n.to_string(),
                Value::Float(x) if x.fract() == 0.0 => format!("{x:.1}"),
                Value::Float(x) => x.to_string(),
                // Not a number: `plan check` refuses it; nothing to write back.
                _ => return None,
            };
            Some((k.into_inner(), written))
        })
        .collect()
}

/// `[quality]` as a plan file gave it, to append to a plan written back; empty when none.
pub(crate) fn to_toml(given: &[(String, String)]) -> String {
    if given.is_empty() {
        return String::new();
    }
    let keys: String = given.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
    format!("\n[quality]\n{keys}")
}

/// The thresholds in force for the keys a plan file gave (defaults for the rest).
pub(crate) fn in_force(given: &[(String, String)]) -> Thresholds {
    read(&to_toml(given), Lang::En).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_where_absent_and_every_mistake_with_its_place() {
        let (th, m) = read("id = \"x\"\n", Lang::En);
        assert_eq!(th, Thresholds::default());
        assert!(m.is_empty());
        let text =
            "id = \"x\"\n[quality]\noutlier_z = 3\nconsistency_pct = 25.5\nburst_min = 1\ncolour = 2\ncopied_share = 1.5\n";
        let (th, m) = read(text, Lang::En);
        assert_eq!(th.outlier_z, 3.0);
        assert_eq!(th.consistency_pct, 25.5);
        assert_eq!(th.burst_min, Thresholds::default().burst_min);
        let line = |o: usize| text[..o].matches('\n').count() + 1;
        let m: Vec<(usize, String)> = m.into_iter().map(|(o, s)| (line(o), s)).collect();
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m.iter().any(|(l, s)| *l == 5 && s.contains("burst_min") && s.contains("at least 2")), "{m:?}");
        assert!(m.iter().any(|(l, s)| *l == 6 && s.contains("unknown key `colour`")), "{m:?}");
        assert!(m.iter().any(|(l, s)| *l == 7 && s.contains("copied_share")), "{m:?}");
    }
}
