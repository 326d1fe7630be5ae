//! Bytes a writer made for a value, kept and copied again when the same value comes again
//! (issue 20). A national report writes the same few values — a target's id, title and
//! period, a township's name, the plan's id — on hundreds of thousands of rows. The
//! report's views wrap such a value in [`Same`]; our own serializers (`render/json.rs`,
//! `safe_csv`) make its bytes the first time, keep them by the value's place, and copy
//! them after, unchecked. Any other serializer sees a newtype struct and writes the value
//! itself (serde_json does), so the views stay plain serde and write the same bytes
//! through any of them.

use serde::{Serialize, Serializer};

/// The name [`Same`] serializes under, by which our serializers know it.
pub(crate) const SAME: &str = "gongyu::memo::Same";

/// A value whose bytes depend on nothing but its place while a report is written: it
/// lives in the report (or in something made once for the whole writing), at one address,
/// unchanged and never freed until the writer is done; and a view's field wraps one kind
/// of value. What the writers keep is found by the value's address and size and the
/// field's place (column; key and depth in JSON), so a `Same` of a value made afresh for a
/// row (a temporary, a reused buffer) would be copied wrong: wrap only what the report
/// holds.
pub(crate) struct Same<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for Same<'_, T> {
    #[inline(always)]
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(SAME, self.0)
    }
}

/// Whether a newtype struct is a [`Same`] (known when compiled, once inlined).
#[inline(always)]
pub(crate) fn is_same(name: &str) -> bool {
    name.len() == SAME.len() && name == SAME
}

/// A value's place: its address and size.
#[inline(always)]
pub(crate) fn place<T: ?Sized>(v: &T) -> [usize; 2] {
    [v as *const T as *const u8 as usize, std::mem::size_of_val(v)]
}

/// What names kept bytes: a value's place, and what else the bytes depend on (the
/// writer's choice: a column; a key, its depth and whether it is a struct's first).
pub(crate) type Id = [usize; 3];

/// Bytes up to this long are kept in the slot and copied as one block of this size.
const INLINE: usize = 64;

/// Sets of two slots (a power of two); a set is found from the id.
const SETS: usize = 1 << 11;

#[derive(Clone)]
struct Kept {
    id: Id,
    len: usize,
    bytes: [u8; INLINE],
    /// The bytes when longer than [`INLINE`].
    more: Vec<u8>,
}

impl Default for Kept {
    fn default() -> Kept {
        Kept { id: [0; 3], len: 0, bytes: [0; INLINE], more: Vec::new() }
    }
}

impl Kept {
    #[inline(always)]
    fn copy(&self, buf: &mut Vec<u8>) {
        if self.len <= INLINE {
            // A copy of a size known when compiled, then the length cut back: no call.
            let end = buf.len() + self.len;
            buf.extend_from_slice(&self.bytes);
            buf.truncate(end);
        } else {
            buf.extend_from_slice(&self.more);
        }
    }
}

/// The bytes kept, two ways per set: a value of each target and one of each township
/// live side by side. Nothing is kept until the first [`Memo::keep`].
#[derive(Default)]
pub(crate) struct Memo {
    sets: Vec<[Kept; 2]>,
}

impl Memo {
    #[inline(always)]
    fn set(id: &Id) -> usize {
        let h = (id[0] ^ id[2].rotate_left(29) ^ id[1].rotate_left(47)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        h >> (usize::BITS - SETS.trailing_zeros())
    }

    /// The bytes kept for `id` onto `buf`; `false` (and nothing written) if none are.
    #[inline(always)]
    pub(crate) fn copy(&self, id: &Id, buf: &mut Vec<u8>) -> bool {
        let Some(set) = self.sets.get(Memo::set(id)) else { return false };
        let kept = match () {
            _ if set[0].id == *id => &set[0],
            _ if set[1].id == *id => &set[1],
            _ => return false,
        };
        kept.copy(buf);
        true
    }

    /// Keeps `bytes` for `id`, in place of the set's older slot.
    #[inline(never)]
    pub(crate) fn keep(&mut self, id: Id, bytes: &[u8]) {
        if self.sets.is_empty() {
            self.sets = vec![Default::default(); SETS];
        }
        let set = &mut self.sets[Memo::set(&id)];
        set.swap(0, 1);
        let kept = &mut set[0];
        kept.id = id;
        kept.len = bytes.len();
        match bytes.len() <= INLINE {
            true => kept.bytes[..bytes.len()].copy_from_slice(bytes),
            false => {
                kept.more.clear();
                kept.more.extend_from_slice(bytes);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Id, Memo, INLINE};

    /// Short and long bytes come back as kept; an id not kept (or pushed out by two
    /// others of its set) copies nothing.
    #[test]
    fn bytes_come_back_as_kept() {
        let mut memo = Memo::default();
        let mut buf = b"x".to_vec();
        assert!(!memo.copy(&[8, 1, 0], &mut buf));
        let long = vec![b'l'; INLINE + 9];
        memo.keep([8, 1, 0], b"short");
        memo.keep([16, 1, 0], &long);
        assert!(memo.copy(&[8, 1, 0], &mut buf) && memo.copy(&[16, 1, 0], &mut buf));
        assert_eq!(buf, [&b"xshort"[..], &long].concat());
        assert!(!memo.copy(&[8, 1, 1], &mut buf) && !memo.copy(&[8, 2, 0], &mut buf));
        // Three ids of one set: the oldest is gone.
        let set = Memo::set(&[8, 1, 0]);
        let same_set: Vec<Id> = (24..).step_by(8).map(|a| [a, 1, 0]).filter(|id| Memo::set(id) == set).take(2).collect();
        memo.keep(same_set[0], b"a");
        memo.keep(same_set[1], b"b");
        let mut buf = Vec::new();
        assert!(!memo.copy(&[8, 1, 0], &mut buf) && memo.copy(&same_set[0], &mut buf) && memo.copy(&same_set[1], &mut buf));
        assert_eq!(buf, b"ab");
    }
}
