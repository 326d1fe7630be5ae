//! Every unit code on a live roster, with its unit key, in compact memory: a large
//! activities file looks each row's host up here instead of in SQLite.
//!
//! A national file looks up two million hosts at random among a million units, so each
//! lookup costs what it misses in the processor's caches. A code of up to 12 bytes (every
//! school and community code) sits in its slot with its key: one slot of 16 bytes, one
//! miss. Longer codes are kept apart. The table is at most 70% full: ~23 bytes per unit.
//! (Codes end to end with 32-bit slots pointing into them took four misses a lookup.)

use std::collections::HashMap;

/// Code bytes held in a slot; shorter codes are padded with NUL bytes.
const INLINE: usize = 12;

/// A code of up to [`INLINE`] bytes, and 1 + its unit key (0: the slot is empty).
#[derive(Clone, Copy, Default)]
struct Slot {
    code: [u8; INLINE],
    key: u32,
}

/// Unit code → unit key, for the codes of the live rosters when it was loaded.
pub struct CodeMap {
    slots: Vec<Slot>,
    /// Codes held in the slots.
    held: usize,
    /// Codes too long for a slot (or holding a NUL byte), with 1 + their key.
    long: HashMap<Box<[u8]>, u32>,
}

fn hash(code: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in code {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // FNV's low bits mix poorly for codes that differ only in their last digits: the
    // slot is taken from the high bits of a Fibonacci multiply instead.
    h.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The code as a slot holds it, if it fits.
fn inline(code: &[u8]) -> Option<[u8; INLINE]> {
    if code.len() > INLINE || code.contains(&0) {
        return None;
    }
    let mut padded = [0; INLINE];
    padded[..code.len()].copy_from_slice(code);
    Some(padded)
}

/// Slots for `units` codes at most 70% full.
fn slots_for(units: usize) -> usize {
    units.max(8) * 10 / 7 + 1
}

impl CodeMap {
    pub fn with_capacity(units: usize) -> CodeMap {
        CodeMap { slots: vec![Slot::default(); slots_for(units)], held: 0, long: HashMap::new() }
    }

    /// The slot holding `code`, or the empty slot where it would go.
    fn slot(&self, code: &[u8], padded: &[u8; INLINE], unique: bool) -> usize {
        let n = self.slots.len();
        // The hash's high bits, scaled to the table (no power of two needed).
        let mut at = ((u128::from(hash(code)) * n as u128) >> 64) as usize;
        loop {
            let s = &self.slots[at];
            if s.key == 0 || (!unique && s.code == *padded) {
                return at;
            }
            at += 1;
            if at == n {
                at = 0;
            }
        }
    }

    /// Adds a code (a code already present keeps its key). `false` if the map cannot hold
    /// it (a key beyond 32 bits): the caller looks it up instead. `unique` says the caller
    /// knows the code is not in the map yet (codes read from the unit table): the empty
    /// slot is found without comparing codes.
    pub fn insert(&mut self, code: &[u8], id: i64, unique: bool) -> bool {
        let Some(key) = u32::try_from(id).ok().and_then(|k| k.checked_add(1)) else { return false };
        let Some(padded) = inline(code) else {
            self.long.entry(code.into()).or_insert(key);
            return true;
        };
        if (self.held + 1) * 10 > self.slots.len() * 7 {
            self.grow();
        }
        let at = self.slot(code, &padded, unique);
        if self.slots[at].key == 0 {
            self.slots[at] = Slot { code: padded, key };
            self.held += 1;
        }
        true
    }

    fn grow(&mut self) {
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); slots_for(self.held * 2)]);
        for s in old.into_iter().filter(|s| s.key != 0) {
            let len = s.code.iter().position(|b| *b == 0).unwrap_or(INLINE);
            let at = self.slot(&s.code[..len], &s.code, true);
            self.slots[at] = s;
        }
    }

    pub fn get(&self, code: &str) -> Option<i64> {
        let code = code.as_bytes();
        let key = match inline(code) {
            Some(padded) => self.slots[self.slot(code, &padded, false)].key,
            None => self.long.get(code).copied().unwrap_or(0),
        };
        (key != 0).then(|| i64::from(key - 1))
    }

    /// [`get`](Self::get) of many codes at once, each answer handed to `found` with its
    /// position. The slots are first touched one after another, with no row's work between,
    /// so the processor waits for their cache misses together rather than one at a time.
    pub fn get_many<'c>(&self, codes: impl Iterator<Item = (usize, &'c str)> + Clone, mut found: impl FnMut(usize, Option<i64>)) {
        let n = self.slots.len() as u128;
        let mut touched = 0u32;
        for (_, code) in codes.clone() {
            let at = ((u128::from(hash(code.as_bytes())) * n) >> 64) as usize;
            touched ^= self.slots[at].key;
        }
        std::hint::black_box(touched);
        for (i, code) in codes {
            found(i, self.get(code));
        }
    }

    #[cfg(test)]
    pub fn count(&self) -> usize {
        self.held + self.long.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_code_and_nothing_else() {
        for unique in [false, true] {
            let mut m = CodeMap::with_capacity(10);
            for i in 0..50_000i64 {
                assert!(m.insert(format!("1101{i:08}").as_bytes(), i + 1, unique));
            }
            assert_eq!(m.count(), 50_000);
            for i in 0..50_000i64 {
                assert_eq!(m.get(&format!("1101{i:08}")), Some(i + 1));
            }
            for miss in ["", "1101", "110100050000", "110100000001 ", "x"] {
                assert_eq!(m.get(miss), None, "{miss:?}");
            }
            assert!(!m.insert(b"big", i64::from(u32::MAX) + 1, unique));
        }
        let mut m = CodeMap::with_capacity(10);
        assert!(m.insert(b"110100000007", 8, false));
        assert!(m.insert(b"110100000007", 999, false), "a repeated code is accepted");
        assert_eq!((m.count(), m.get("110100000007")), (1, Some(8)), "the first key of a code stays");
    }

    #[test]
    fn many_at_once_finds_what_one_at_a_time_finds() {
        let mut m = CodeMap::with_capacity(4);
        for i in 0..5_000i64 {
            assert!(m.insert(format!("1101{i:08}").as_bytes(), i, false));
        }
        assert!(m.insert(b"91110109MA01ABCD2X", 7_000, false));
        let codes: Vec<String> = (0..600i64)
            .map(|i| match i % 4 {
                0 => format!("1101{:08}", i * 7),
                1 => format!("2202{i:08}"),
                2 => "91110109MA01ABCD2X".to_string(),
                _ => String::new(),
            })
            .collect();
        let mut seen = Vec::new();
        m.get_many(codes.iter().enumerate().map(|(i, c)| (i * 3, c.as_str())), |at, key| seen.push((at, key)));
        let expected: Vec<_> = codes.iter().enumerate().map(|(i, c)| (i * 3, m.get(c))).collect();
        assert_eq!(seen, expected);
        assert_eq!(seen.iter().filter(|(_, k)| k.is_some()).count(), 300);
    }

    #[test]
    fn codes_of_every_length_and_key_zero() {
        let mut m = CodeMap::with_capacity(2);
        let codes = ["1", "12345678901", "123456789012", "1234567890123", "91110109MA01ABCD2X", "a\0b", "11"];
        for (i, c) in codes.iter().enumerate() {
            assert!(m.insert(c.as_bytes(), i as i64, false), "{c}");
        }
        assert!(m.insert(b"12345678901", 99, false), "a repeated code is accepted");
        assert_eq!(m.count(), codes.len());
        for (i, c) in codes.iter().enumerate() {
            assert_eq!(m.get(c), Some(i as i64), "{c}");
        }
        for miss in ["", "123456789013", "12345678901234", "a", "a\0", "1\0"] {
            assert_eq!(m.get(miss), None, "{miss:?}");
        }
        assert!(!m.insert(b"max", i64::from(u32::MAX), false), "1 + the key must fit 32 bits");
        assert!(!m.insert(b"neg", -1, false));
        assert!(m.insert(b"top", i64::from(u32::MAX) - 1, false));
        assert_eq!(m.get("top"), Some(i64::from(u32::MAX) - 1));
    }
}
