//! A plan file read loosely: every key with its place in the file, so that unknown keys,
//! missing keys and values of the wrong type are all found in one pass (a strict serde
//! read stops at the first), and the rest of the plan is still checked.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::{Spanned, Table, Value};

use super::{RawPlan, RawTarget, RawTitle};
use crate::lang::Lang;
use crate::tl;

/// Keys of a table with their places, and their values with theirs.
type Keyed = BTreeMap<Spanned<String>, Spanned<Value>>;

/// The targets, each a table of keys with places.
#[derive(Deserialize)]
struct Targets {
    #[serde(default)]
    target: Vec<Spanned<Keyed>>,
}

/// A mistake: the byte offset where it is, and what is wrong.
pub(super) type Mistake = (usize, String);

const PLAN_KEYS: &[&str] = &["id", "name", "document", "first_term", "last_term", "target", "deadlines", "quality"];
const TARGET_KEYS: &[&str] = &[
    "id",
    "section",
    "title",
    "units",
    "where",
    "require",
    "required",
    "at_least",
    "informational",
    "period",
    "by_township",
    "responsible",
];

/// Reads a plan file that is TOML into the raw plan, noting every mistake of shape: keys
/// unknown or missing, values of the wrong type. A target whose required keys are missing
/// or of the wrong type is left out (its other mistakes are still noted); `Err` is a file
/// that is not TOML, or whose `target` is not an array of tables.
pub(super) fn read(text: &str, lang: Lang) -> Result<(RawPlan, Vec<Mistake>), toml::de::Error> {
    let top: Keyed = toml::from_str(text)?;
    let Targets { target } = toml::from_str(text)?;
    let mut mistakes = Vec::new();
    let mut fields = Fields::new(top, None, PLAN_KEYS, &mut mistakes, lang);
    let id = fields.string("id", true, 0);
    let name = fields.string("name", true, 0);
    let document = fields.string("document", false, 0).map(Spanned::into_inner);
    let first_term = fields.string("first_term", true, 0);
    let last_term = fields.string("last_term", true, 0);
    fields.value("target", false, 0);
    // Its keys are read by `plan::deadlines`.
    fields.table("deadlines", 0);
    // `[quality]` is read by plan::quality, which notes its own mistakes.
    fields.value("quality", false, 0);
    drop(fields);
    let targets_given = target.len();
    let targets = target.into_iter().enumerate().filter_map(|(i, t)| read_target(i, t, &mut mistakes, lang)).collect();
    let plan = RawPlan { id, name, document, first_term, last_term, target: targets, targets_given };
    Ok((plan, mistakes))
}

fn read_target(index: usize, t: Spanned<Keyed>, mistakes: &mut Vec<Mistake>, lang: Lang) -> Option<Spanned<RawTarget>> {
    let span = t.span();
    let at = span.start;
    // Named by its id where it has one, else by its place among the targets.
    let id_text =
        t.get_ref().iter().find(|(k, _)| k.get_ref() == "id").and_then(|(_, v)| v.get_ref().as_str().map(str::to_string));
    let who = id_text.unwrap_or_else(|| format!("#{}", index + 1));
    let mut f = Fields::new(t.into_inner(), Some(who), TARGET_KEYS, mistakes, lang);
    let id = f.string("id", true, at);
    let section = f.string("section", false, at).map(Spanned::into_inner);
    let title = f.title(at);
    let units = f.string("units", true, at);
    let filter = f.table("where", at);
    let require = f.table("require", at);
    let threshold_given = ["required", "at_least", "informational"].iter().any(|k| f.keys.keys().any(|x| x.get_ref() == k));
    let required = f.integer("required", at);
    let at_least = f.integer("at_least", at);
    let informational = f.boolean("informational", at);
    let period = f.string("period", false, at);
    let by_township = f.boolean("by_township", at).map(Spanned::into_inner);
    let responsible = f.value("responsible", true, at);
    drop(f);
    let raw = RawTarget {
        id: id?,
        section,
        title: title?,
        units: units?,
        filter,
        require,
        required,
        at_least,
        informational,
        period,
        by_township,
        responsible: responsible?,
        threshold_given,
    };
    Some(Spanned::new(span, raw))
}

/// The keys of one table, taken one by one; what is left at the end is unknown.
struct Fields<'m> {
    keys: Keyed,
    /// The target the keys are of (its id, or `#N`); `None` for the plan's own keys.
    who: Option<String>,
    known: &'static [&'static str],
    mistakes: &'m mut Vec<Mistake>,
    lang: Lang,
}

impl<'m> Fields<'m> {
    fn new(
        keys: Keyed,
        who: Option<String>,
        known: &'static [&'static str],
        mistakes: &'m mut Vec<Mistake>,
        lang: Lang,
    ) -> Fields<'m> {
        Fields { keys, who, known, mistakes, lang }
    }

    /// Notes a mistake at `at`, naming the target it is in.
    fn note(&mut self, at: usize, problem: String) {
        let problem = match &self.who {
            Some(id) => tl!(self.lang, "plan-in-target", id = id, problem = problem),
            None => problem,
        };
        self.mistakes.push((at, problem));
    }

    /// The value of `key`, noting it if it is required and missing (at `at`).
    fn value(&mut self, key: &str, required: bool, at: usize) -> Option<Spanned<Value>> {
        let found = self.keys.keys().find(|k| k.get_ref() == key).cloned();
        match found {
            Some(k) => self.keys.remove(&k),
            None => {
                if required {
                    let problem = tl!(self.lang, "plan-missing-field", key = key);
                    self.note(at, problem);
                }
                None
            }
        }
    }

    /// The value of `key` if it is of the type `pick` takes, else a mistake naming `what`.
    fn typed<T>(
        &mut self,
        key: &str,
        required: bool,
        at: usize,
        what: String,
        pick: impl FnOnce(Value) -> Option<T>,
    ) -> Option<Spanned<T>> {
        let v = self.value(key, required, at)?;
        let span = v.span();
        let kind = v.get_ref().type_str();
        match pick(v.into_inner()) {
            Some(t) => Some(Spanned::new(span, t)),
            None => {
                let problem = tl!(self.lang, "plan-wrong-type", key = key, what = what, kind = kind);
                self.note(span.start, problem);
                None
            }
        }
    }

    fn string(&mut self, key: &str, required: bool, at: usize) -> Option<Spanned<String>> {
        self.typed(key, required, at, tl!(self.lang, "plan-a-string"), |v| match v {
            Value::String(s) => Some(s),
            _ => None,
        })
    }

    fn integer(&mut self, key: &str, at: usize) -> Option<Spanned<i64>> {
        self.typed(key, false, at, tl!(self.lang, "plan-a-whole-number"), |v| v.as_integer())
    }

    fn boolean(&mut self, key: &str, at: usize) -> Option<Spanned<bool>> {
        self.typed(key, false, at, tl!(self.lang, "plan-true-or-false"), |v| v.as_bool())
    }

    fn table(&mut self, key: &str, at: usize) -> Option<Spanned<Table>> {
        self.typed(key, false, at, tl!(self.lang, "plan-a-table"), |v| match v {
            Value::Table(t) => Some(t),
            _ => None,
        })
    }

    /// `title = { zh = "…", en = "…" }`.
    fn title(&mut self, at: usize) -> Option<RawTitle> {
        let t = self.table("title", at)?;
        let place = t.span().start;
        let mut zh = None;
        let mut en = None;
        for (k, v) in t.into_inner() {
            match (k.as_str(), v) {
                ("zh", Value::String(s)) => zh = Some(s),
                ("en", Value::String(s)) => en = Some(s),
                ("zh" | "en", v) => {
                    let problem = tl!(self.lang, "plan-title-wrong-type", key = k, kind = v.type_str());
                    self.note(place, problem);
                }
                (k, _) => {
                    let problem = tl!(self.lang, "plan-title-unknown-field", key = k);
                    self.note(place, problem);
                }
            }
        }
        if zh.is_none() {
            let problem = tl!(self.lang, "plan-title-missing-zh");
            self.note(place, problem);
        }
        Some(RawTitle { zh: zh?, en })
    }
}

impl Drop for Fields<'_> {
    /// Every key not taken is unknown.
    fn drop(&mut self) {
        let expected = self.known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
        let unknown: Vec<(usize, String)> = self.keys.keys().map(|k| (k.span().start, k.get_ref().clone())).collect();
        for (at, key) in unknown {
            let problem = tl!(self.lang, "plan-unknown-field", key = key, expected = expected);
            self.note(at, problem);
        }
    }
}

#[cfg(test)]
mod tests {
    fn errors(text: &str) -> Vec<String> {
        super::super::parse_in(text, "p.toml", crate::lang::Lang::En).unwrap_err().0
    }

    #[test]
    fn every_mistake_of_shape_is_listed_by_line() {
        let e = errors(
            "id = 5\nfirst_term = \"2020-2021-1\"\n\n[[target]]\ntitle = { zh = 1, fr = \"x\" }\nunits = \"schools\"\nby_township = \"yes\"\nrequired = 90\nresponsible = []\n",
        );
        assert_eq!(
            e,
            [
                "p.toml:1: `id` must be a string in quotes, not an integer",
                "p.toml:1: missing field `name`",
                "p.toml:1: missing field `last_term`",
                "p.toml:4: target #1: missing field `id`",
                "p.toml:5: target #1: title.zh must be a string in quotes, not an integer",
                "p.toml:5: target #1: title: unknown field `fr`, expected `zh` or `en`",
                "p.toml:5: target #1: title: missing field `zh`",
                "p.toml:7: target #1: `by_township` must be true or false, not a string",
            ]
        );
    }

    #[test]
    fn a_target_that_is_not_a_table_is_one_mistake() {
        let e = errors("id = \"x\"\nname = \"n\"\nfirst_term = \"2020-2021-1\"\nlast_term = \"2020-2021-2\"\ntarget = 5\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("p.toml:5:"), "{e:?}");
    }
}
