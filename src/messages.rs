//! The message catalogue (SPEC §14): every sentence a person reads lives in `locales/zh/`
//! (the default) and `locales/en/`, in Project Fluent's format (one `.ftl` file per part of
//! gongyu, joined by `build.rs`), named by a key; code names the key and its placeholders,
//! never the words.
//!
//! The output language is set once, by the shell, before anything is said
//! ([`set_lang`]); until then it is Chinese. Both catalogues are compiled into the binary.
//! A test holds them to the same keys with the same placeholders.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::lang::Lang;

/// The catalogues' text, as compiled in.
pub const ZH_FTL: &str = include_str!(concat!(env!("OUT_DIR"), "/zh.ftl"));
pub const EN_FTL: &str = include_str!(concat!(env!("OUT_DIR"), "/en.ftl"));

fn bundle(locale: &str, text: &'static str) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(text.to_string()).unwrap_or_else(|(_, errors)| {
        panic!("the {locale} message catalogue does not parse: {errors:?}") // a test parses both
    });
    let mut b = FluentBundle::new_concurrent(vec![locale.parse().expect("a locale")]);
    // No Unicode isolation marks around placeholders: the output goes to terminals,
    // files and spreadsheets, which would show them.
    b.set_use_isolating(false);
    b.add_resource(resource).expect("no key twice in a catalogue");
    b
}

static ZH: LazyLock<FluentBundle<FluentResource>> = LazyLock::new(|| bundle("zh", ZH_FTL));
static EN: LazyLock<FluentBundle<FluentResource>> = LazyLock::new(|| bundle("en", EN_FTL));

static ENGLISH: AtomicBool = AtomicBool::new(false);

/// Sets the output language, once, before anything is said.
pub fn set_lang(lang: Lang) {
    ENGLISH.store(lang == Lang::En, Ordering::Relaxed);
}

/// The output language.
pub fn lang() -> Lang {
    if ENGLISH.load(Ordering::Relaxed) {
        Lang::En
    } else {
        Lang::Zh
    }
}

/// A placeholder's value: numbers stay numbers (English picks "1 problem" / "2 problems"
/// by them), everything else is text.
pub trait Arg {
    fn value(&self) -> FluentValue<'static>;
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn value(&self) -> FluentValue<'static> {
                FluentValue::from(*self)
            }
        }
    )*};
}
number_arg!(u8, u16, u32, u64, usize, i32, i64);

impl Arg for str {
    fn value(&self) -> FluentValue<'static> {
        FluentValue::from(self.to_string())
    }
}
impl Arg for String {
    fn value(&self) -> FluentValue<'static> {
        FluentValue::from(self.clone())
    }
}
impl<T: Arg + ?Sized> Arg for &T {
    fn value(&self) -> FluentValue<'static> {
        (**self).value()
    }
}

/// The message `key` in `lang`, its placeholders filled from `args`. A key missing from
/// the catalogue (which the tests rule out) comes back as the key itself.
pub fn text_in(lang: Lang, key: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    let b: &FluentBundle<FluentResource> = match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    };
    let Some(pattern) = b.get_message(key).and_then(|m| m.value()) else {
        return key.to_string();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    b.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned()
}

/// The message `key` in the output language.
pub fn text(key: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    text_in(lang(), key, args)
}

/// `t!("key")` or `t!("key", name = value, …)`: the message in the output language.
/// `tl!(lang, "key", …)` picks the language.
#[macro_export]
macro_rules! t {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::messages::text($key, &[$((stringify!($name), $crate::messages::Arg::value(&$value))),*])
    };
}

#[macro_export]
macro_rules! tl {
    ($lang:expr, $key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::messages::text_in($lang, $key, &[$((stringify!($name), $crate::messages::Arg::value(&$value))),*])
    };
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;

    use super::*;

    fn variables(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_variables(expression, out);
            }
        }
    }

    fn expression_variables(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match e {
            ast::Expression::Inline(i) => inline_variables(i, out),
            ast::Expression::Select { selector, variants } => {
                inline_variables(selector, out);
                for v in variants {
                    variables(&v.value, out);
                }
            }
        }
    }

    fn inline_variables(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match i {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_string());
            }
            ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
            _ => {}
        }
    }

    /// Every message of a catalogue with the placeholders it uses.
    fn catalogue(text: &str, name: &str) -> BTreeMap<String, BTreeSet<String>> {
        let resource = fluent_syntax::parser::parse(text).unwrap_or_else(|(_, e)| panic!("{name} does not parse: {e:?}"));
        let mut out = BTreeMap::new();
        for entry in resource.body {
            match entry {
                ast::Entry::Message(m) => {
                    let mut vars = BTreeSet::new();
                    if let Some(v) = &m.value {
                        variables(v, &mut vars);
                    }
                    assert!(out.insert(m.id.name.to_string(), vars).is_none(), "{name}: {} twice", m.id.name);
                }
                ast::Entry::Junk { content } => panic!("{name}: cannot read {content:?}"),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn both_catalogues_hold_the_same_keys_with_the_same_placeholders() {
        let (zh, en) = (catalogue(ZH_FTL, "zh"), catalogue(EN_FTL, "en"));
        let only_zh: Vec<&String> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        let only_en: Vec<&String> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
        assert!(only_zh.is_empty() && only_en.is_empty(), "only in zh: {only_zh:?}; only in en: {only_en:?}");
        for (key, vars) in &zh {
            assert_eq!(vars, &en[key], "{key}: the placeholders differ");
        }
        assert!(zh.len() > 90, "{} messages", zh.len());
    }

    /// Every message the code names (`t!("key"…)`, `tl!(lang, "key"…)`) is in the catalogue.
    #[test]
    fn every_key_the_code_names_is_in_the_catalogue() {
        let zh = catalogue(ZH_FTL, "zh");
        let mut missing = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.ends_with("messages.rs") {
                    continue;
                }
                let code = std::fs::read_to_string(&path).unwrap();
                let is_key = |k: &str| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                for (at, m) in code.match_indices("t!(").chain(code.match_indices("tl!(")) {
                    let mut rest = &code[at + m.len()..];
                    if m == "tl!(" {
                        rest = rest.split_once(',').map_or("", |(_, r)| r.trim_start());
                    } else if code[..at].ends_with('l') {
                        continue;
                    }
                    if let Some(key) =
                        rest.strip_prefix('"').and_then(|r| r.split_once('"')).map(|(k, _)| k).filter(|k| is_key(k))
                    {
                        if !zh.contains_key(key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys named in the code but not in the catalogue: {missing:#?}");
    }

    /// Every command and flag has its help in the catalogue.
    #[test]
    fn every_command_and_flag_has_its_help_in_the_catalogue() {
        use clap::CommandFactory;
        let zh = catalogue(ZH_FTL, "zh");
        let mut missing = Vec::new();
        fn walk(c: &clap::Command, path: &str, zh: &BTreeMap<String, BTreeSet<String>>, missing: &mut Vec<String>) {
            let key = if path.is_empty() { "cmd".to_string() } else { format!("cmd-{path}") };
            if !zh.contains_key(&key) {
                missing.push(key);
            }
            for a in c.get_arguments().filter(|a| !a.is_global_set() || path.is_empty()) {
                let id = a.get_id().as_str();
                let shared = if id == "format" && a.get_possible_values().iter().any(|v| v.get_name() == "xlsx") {
                    "arg-report-format".to_string()
                } else {
                    format!("arg-{id}")
                };
                let own = format!("arg-{path}-{id}");
                if !zh.contains_key(&own) && !zh.contains_key(&shared) {
                    missing.push(own);
                }
            }
            for s in c.get_subcommands() {
                let p = if path.is_empty() { s.get_name().to_string() } else { format!("{path}-{}", s.get_name()) };
                walk(s, &p, zh, missing);
            }
        }
        walk(&crate::cli::Cli::command(), "", &zh, &mut missing);
        assert!(missing.is_empty(), "no help in the catalogue for: {missing:?}");
    }

    #[test]
    fn placeholders_numbers_and_plurals() {
        assert_eq!(
            text_in(Lang::En, "import-rejected-count", &[("file", "a.csv".value()), ("count", 1u64.value())]),
            "rejected a.csv: 1 problem; nothing was written to the ledger"
        );
        assert_eq!(
            text_in(Lang::En, "import-rejected-count", &[("file", "a.csv".value()), ("count", 5u64.value())]),
            "rejected a.csv: 5 problems; nothing was written to the ledger"
        );
        assert!(text_in(Lang::Zh, "import-rejected-count", &[("file", "a.csv".value()), ("count", 5u64.value())]).contains("5"));
        assert_eq!(text_in(Lang::Zh, "no-such-key", &[]), "no-such-key");
    }
}
