//! Townships as reports key them: one key per township, by code wherever one is known,
//! however a roster spells it.

use crate::plan::units::is_code;

/// A township as reports key it: by code wherever one is known. Keys sort by code, and
/// townships known only by name after every code, by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct TownshipKey {
    pub code: Option<String>,
    pub name: String,
}

impl Ord for TownshipKey {
    fn cmp(&self, other: &TownshipKey) -> std::cmp::Ordering {
        self.sort().cmp(&other.sort()).then_with(|| (&self.code, &self.name).cmp(&(&other.code, &other.name)))
    }
}

impl PartialOrd for TownshipKey {
    fn partial_cmp(&self, other: &TownshipKey) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl TownshipKey {
    pub(crate) fn new(code: Option<String>, name: String) -> TownshipKey {
        TownshipKey { code, name }
    }

    /// What keys sort by first: known only by name (after every code), and the code or name.
    fn sort(&self) -> (bool, &str) {
        match &self.code {
            Some(c) => (false, c),
            None => (true, &self.name),
        }
    }

    /// The code if known, else the name: what JSON's `township` field holds.
    pub(crate) fn id(&self) -> &str {
        self.code.as_deref().unwrap_or(&self.name)
    }

    /// Appends the key as bytes that compare as the keys do (`Ord`), for sorting on disk.
    pub(crate) fn sort_bytes(&self, out: &mut Vec<u8>) {
        let (by_name, first) = self.sort();
        out.push(u8::from(by_name));
        sort_bytes_of(first, out);
        match &self.code {
            None => out.push(0),
            Some(c) => {
                out.push(1);
                sort_bytes_of(c, out);
            }
        }
        sort_bytes_of(&self.name, out);
    }
}

/// Appends `s` so that the bytes of two strings, each followed by more, compare as the
/// strings do: a zero byte is written 0 1, and the string ends with 0 0.
pub(crate) fn sort_bytes_of(s: &str, out: &mut Vec<u8>) {
    for &b in s.as_bytes() {
        out.push(b);
        if b == 0 {
            out.push(1);
        }
    }
    out.extend_from_slice(&[0, 0]);
}

/// Resolves the township names and codes rosters give into one key per township. Kept as
/// two lists, each with an index of its places (a national directory has forty thousand
/// townships: a map of each way took eleven megabytes; the index is half a megabyte).
#[derive(Debug, Default)]
pub(crate) struct TownshipDirectory {
    /// Each code with its one name.
    by_code: Pairs,
    /// Every name a community roster has used, with its code.
    by_name: Pairs,
}

/// Pairs of texts, found by the first: an open-addressed table of places in `list`
/// (place + 1; 0 is empty), twice as long as the list or more. A national report looks a
/// township up about half a million times; a binary search of forty thousand names
/// compared each about sixteen times.
#[derive(Debug, Default)]
struct Pairs {
    list: Vec<(Box<str>, Box<str>)>,
    slots: Vec<u32>,
}

impl Pairs {
    /// `list` has one pair per first text.
    fn new(list: Vec<(Box<str>, Box<str>)>) -> Pairs {
        let mut slots = vec![0u32; (2 * list.len()).next_power_of_two().max(2)];
        let mask = slots.len() - 1;
        for (at, (key, _)) in list.iter().enumerate() {
            let mut i = slot(key) & mask;
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = u32::try_from(at + 1).expect("fewer than four billion townships");
        }
        Pairs { list, slots }
    }

    fn find(&self, key: &str) -> Option<&str> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = slot(key) & mask;
        loop {
            let at = *self.slots.get(i)? as usize;
            let (k, v) = self.list.get(at.checked_sub(1)?)?;
            if **k == *key {
                return Some(v);
            }
            i = (i + 1) & mask;
        }
    }
}

/// Where a text's search starts in [`Pairs::slots`].
fn slot(key: &str) -> usize {
    use std::hash::Hasher;
    let mut h = crate::hash::Fnv::default();
    h.write(key.as_bytes());
    // FNV's high bits are its best mixed: they go first.
    h.finish().wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(32) as usize
}

impl TownshipDirectory {
    /// `codes` pairs each code with its one name; `names` pairs every spelling with a code.
    /// A name of two codes is the later code's; a spelling of `names` counts only where no
    /// code has that name, and the first one given counts.
    pub(crate) fn new(codes: &[(String, String)], names: &[(String, String)]) -> TownshipDirectory {
        let mut by_code: Vec<(Box<str>, Box<str>)> = codes.iter().map(|(c, n)| (c.as_str().into(), n.as_str().into())).collect();
        // The last pair of a code counts.
        by_code.reverse();
        by_code.sort_by(|a, b| a.0.cmp(&b.0));
        by_code.dedup_by(|later, first| later.0 == first.0);
        let mut by_name: Vec<(&str, usize, &str)> = codes.iter().rev().map(|(c, n)| (n.as_str(), 0, c.as_str())).collect();
        by_name.extend(names.iter().map(|(n, c)| (n.as_str(), 1, c.as_str())));
        // Stable: of one name, the codes' (the last first), then the spellings' in order.
        by_name.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        by_name.dedup_by(|later, first| later.0 == first.0);
        let by_name = by_name.into_iter().map(|(n, _, c)| (n.into(), c.into())).collect();
        TownshipDirectory { by_code: Pairs::new(by_code), by_name: Pairs::new(by_name) }
    }

    /// Whether a name or code is a township some community roster has given.
    pub(crate) fn knows(&self, name_or_code: &str) -> bool {
        self.by_code.find(name_or_code).is_some() || self.by_name.find(name_or_code).is_some()
    }

    /// A name or a code, as a school roster gives it.
    pub(crate) fn resolve(&self, name_or_code: &str) -> TownshipKey {
        if let Some(name) = self.by_code.find(name_or_code) {
            TownshipKey::new(Some(name_or_code.to_string()), name.to_string())
        } else if is_code(name_or_code) {
            TownshipKey::new(Some(name_or_code.to_string()), name_or_code.to_string())
        } else if let Some(code) = self.by_name.find(name_or_code) {
            let name = self.by_code.find(code).unwrap_or(name_or_code).to_string();
            TownshipKey::new(Some(code.to_string()), name)
        } else {
            TownshipKey::new(None, name_or_code.to_string())
        }
    }

    /// A name and/or code, as a community roster gives them. A known code is keyed with
    /// its one name, however this row spells it.
    pub(crate) fn resolve_pair(&self, name: Option<&str>, code: Option<&str>) -> TownshipKey {
        match (name, code) {
            (_, Some(c)) if self.by_code.find(c).is_some() => self.resolve(c),
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

    /// A name two codes share is the later code's; a spelling counts only for a name no
    /// code has, the first one given; a code given twice keeps its last name.
    #[test]
    fn the_directory_keeps_the_maps_first_and_last_rules() {
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        let dir = TownshipDirectory::new(
            &[s("1", "甲镇"), s("2", "甲镇"), s("3", "丙镇"), s("3", "丁镇")],
            &[s("甲镇", "9"), s("乙镇", "1"), s("乙镇", "2")],
        );
        assert_eq!(dir.resolve("甲镇").code.as_deref(), Some("2"), "the later code");
        assert_eq!(dir.resolve("乙镇").code.as_deref(), Some("1"), "the first spelling");
        assert_eq!(dir.resolve("3").name, "丁镇", "the last name of a code");
        assert!(dir.knows("乙镇") && dir.knows("3") && !dir.knows("戊镇"));
    }
}
