//! Every unit code on a live roster, with its unit key, in compact memory: a large
//! activities file looks each row's host up here instead of in SQLite.
//!
//! At national scale (a million units) a map of `String` keys costs ~60 MB; here the codes
//! sit end to end in one buffer and an open-addressing table of 32-bit slots points into
//! it: ~28 bytes per unit.

/// Unit code → unit key, for the codes of the live rosters when it was loaded.
pub struct CodeMap {
    /// Every code, end to end.
    codes: Vec<u8>,
    /// Where code `i` ends in `codes` (it starts where code `i - 1` ends).
    ends: Vec<u32>,
    ids: Vec<u32>,
    /// 0: empty; otherwise 1 + the index of a code. Never more than half full.
    slots: Vec<u32>,
    /// log2 of the number of slots.
    bits: u32,
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

impl CodeMap {
    pub fn with_capacity(units: usize) -> CodeMap {
        let slots = (units.max(8) * 2).next_power_of_two();
        CodeMap {
            codes: Vec::with_capacity(units * 12),
            ends: Vec::with_capacity(units),
            ids: Vec::with_capacity(units),
            slots: vec![0; slots],
            bits: slots.trailing_zeros(),
        }
    }

    fn code(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.codes[start..self.ends[i] as usize]
    }

    /// The slot holding `code`, or the empty slot where it would go.
    fn slot(&self, code: &[u8]) -> usize {
        let mask = self.slots.len() - 1;
        let mut at = (hash(code) >> (64 - self.bits)) as usize;
        loop {
            match self.slots[at] {
                0 => return at,
                s if self.code(s as usize - 1) == code => return at,
                _ => at = (at + 1) & mask,
            }
        }
    }

    /// Adds a code (a code already present keeps its key). `false` if the map cannot hold
    /// it (a key or the codes' total size beyond 32 bits): the caller looks it up instead.
    /// `unique` says the caller knows the code is not in the map yet (codes read from the
    /// unit table): the empty slot is found without comparing codes.
    pub fn insert(&mut self, code: &[u8], id: i64, unique: bool) -> bool {
        let Ok(id) = u32::try_from(id) else { return false };
        if self.codes.len() + code.len() > u32::MAX as usize || self.ids.len() + 1 >= u32::MAX as usize {
            return false;
        }
        if (self.ids.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let at = if unique { self.empty_slot(code) } else { self.slot(code) };
        if self.slots[at] == 0 {
            self.codes.extend_from_slice(code);
            self.ends.push(self.codes.len() as u32);
            self.ids.push(id);
            self.slots[at] = self.ids.len() as u32;
        }
        true
    }

    /// The first empty slot on `code`'s probe sequence.
    fn empty_slot(&self, code: &[u8]) -> usize {
        let mask = self.slots.len() - 1;
        let mut at = (hash(code) >> (64 - self.bits)) as usize;
        while self.slots[at] != 0 {
            at = (at + 1) & mask;
        }
        at
    }

    fn grow(&mut self) {
        self.slots = vec![0; self.slots.len() * 2];
        self.bits += 1;
        for i in 0..self.ids.len() {
            let at = self.empty_slot(self.code(i));
            self.slots[at] = i as u32 + 1;
        }
    }

    pub fn get(&self, code: &str) -> Option<i64> {
        match self.slots[self.slot(code.as_bytes())] {
            0 => None,
            s => Some(i64::from(self.ids[s as usize - 1])),
        }
    }

    #[cfg(test)]
    pub fn count(&self) -> usize {
        self.ids.len()
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
}
