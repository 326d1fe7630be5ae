//! Townships as reports key them: one key per township, by code wherever one is known,
//! however a roster spells it.

use crate::hash::FastMap;

use crate::plan::units::is_code;

/// A township as reports key it: by code wherever one is known.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct TownshipKey {
    /// `None` sorts after every code: townships known only by name come last.
    sort: (bool, String),
    pub code: Option<String>,
    pub name: String,
}

impl TownshipKey {
    pub(crate) fn new(code: Option<String>, name: String) -> TownshipKey {
        let sort = match &code {
            Some(c) => (false, c.clone()),
            None => (true, name.clone()),
        };
        TownshipKey { sort, code, name }
    }

    /// The code if known, else the name: what JSON's `township` field holds.
    pub(crate) fn id(&self) -> &str {
        self.code.as_deref().unwrap_or(&self.name)
    }
}

/// Resolves the township names and codes rosters give into one key per township.
#[derive(Debug, Default)]
pub(crate) struct TownshipDirectory {
    by_code: FastMap<String, String>,
    by_name: FastMap<String, String>,
}

impl TownshipDirectory {
    /// `codes` pairs each code with its one name; `names` pairs every spelling with a code.
    pub(crate) fn new(codes: &[(String, String)], names: &[(String, String)]) -> TownshipDirectory {
        let mut d = TownshipDirectory::default();
        for (code, name) in codes {
            d.by_code.insert(code.clone(), name.clone());
            d.by_name.insert(name.clone(), code.clone());
        }
        for (name, code) in names {
            d.by_name.entry(name.clone()).or_insert_with(|| code.clone());
        }
        d
    }

    /// Whether a name or code is a township some community roster has given.
    pub(crate) fn knows(&self, name_or_code: &str) -> bool {
        self.by_code.contains_key(name_or_code) || self.by_name.contains_key(name_or_code)
    }

    /// A name or a code, as a school roster gives it.
    pub(crate) fn resolve(&self, name_or_code: &str) -> TownshipKey {
        if let Some(name) = self.by_code.get(name_or_code) {
            TownshipKey::new(Some(name_or_code.to_string()), name.clone())
        } else if is_code(name_or_code) {
            TownshipKey::new(Some(name_or_code.to_string()), name_or_code.to_string())
        } else if let Some(code) = self.by_name.get(name_or_code) {
            let name = self.by_code.get(code).cloned().unwrap_or_else(|| name_or_code.to_string());
            TownshipKey::new(Some(code.clone()), name)
        } else {
            TownshipKey::new(None, name_or_code.to_string())
        }
    }

    /// A name and/or code, as a community roster gives them. A known code is keyed with
    /// its one name, however this row spells it.
    pub(crate) fn resolve_pair(&self, name: Option<&str>, code: Option<&str>) -> TownshipKey {
        match (name, code) {
            (_, Some(c)) if self.by_code.contains_key(c) => self.resolve(c),
            (Some(n), Some(c)) => TownshipKey::new(Some(c.to_string()), n.to_string()),
            (None, Some(c)) => self.resolve(c),
            (Some(n), None) => self.resolve(n),
            (None, None) => TownshipKey::new(None, String::from("?")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn townships_without_codes_sort_after_coded_ones() {
        let dir =
            TownshipDirectory::new(&[("110109001".into(), "大峪街道".into())], &[("大峪街道办事处".into(), "110109001".into())]);
        let a = dir.resolve("大峪街道");
        let b = dir.resolve("某某镇");
        let c = dir.resolve("110109999");
        assert_eq!(a.code.as_deref(), Some("110109001"));
        assert_eq!(dir.resolve("大峪街道办事处"), a);
        assert_eq!(dir.resolve_pair(Some("大峪街道办事处"), Some("110109001")), a);
        assert_eq!(b.code, None);
        assert!(a < c && c < b);
    }
}
