//! Text copied onto an output buffer when none of its bytes needs escaping (JSON) or
//! quoting (CSV): a national report is millions of strings and cells, and nearly every
//! one needs neither, so each is checked and copied in one pass, sixteen bytes at a time.

/// The bytes that keep a text from being copied as it is: any of `eq`, or any below `below`.
#[derive(Clone, Copy)]
pub(crate) struct Bad {
    pub eq: [u8; 4],
    pub below: u8,
}

impl Bad {
    #[inline(always)]
    fn has(self, b: u8) -> bool {
        b < self.below || self.eq.contains(&b)
    }

    /// Whether any of sixteen bytes (two words, little-endian) is bad: one vector compare
    /// per byte sought.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    fn any16(self, lo: u64, hi: u64) -> bool {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of every x86_64 target, and these touch no memory.
        unsafe {
            let x = _mm_set_epi64x(hi as i64, lo as i64);
            let eq = |b: u8| _mm_cmpeq_epi8(x, _mm_set1_epi8(b as i8));
            let hits = _mm_or_si128(_mm_or_si128(eq(self.eq[0]), eq(self.eq[1])), _mm_or_si128(eq(self.eq[2]), eq(self.eq[3])));
            // 0xff where a byte is at least `below`.
            let high = _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(self.below as i8)), x);
            _mm_movemask_epi8(hits) != 0 || _mm_movemask_epi8(high) != 0xffff
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    #[inline(always)]
    fn any16(self, lo: u64, hi: u64) -> bool {
        lo.to_le_bytes().into_iter().chain(hi.to_le_bytes()).any(|b| self.has(b))
    }
}

/// Eight bytes of `bytes` from `at`, and four.
fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"))
}
fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes"))
}

/// Four bytes that are never bad (`aaaa`), beside a short text's.
const PAD: u64 = 0x6161_6161_6161_6161;

/// `bytes` onto `buf` if none of them is `bad`; else `buf` is left as it was (and the
/// caller writes them the slow way). Sixteen bytes at a time; a length that is not a
/// multiple of the chunk's has its last chunk again, overlapping, after the bytes it
/// overlaps are cut off: a text of 8 to 15 bytes is two words of eight, of 4 to 7 two of
/// four; a shorter one is copied a byte at a time.
#[inline(always)]
pub(crate) fn copy_plain(buf: &mut Vec<u8>, bytes: &[u8], bad: Bad) -> bool {
    let (start, n) = (buf.len(), bytes.len());
    match n {
        0..4 => {
            for &b in bytes {
                if bad.has(b) {
                    buf.truncate(start);
                    return false;
                }
                buf.push(b);
            }
        }
        4..8 => {
            let (a, b) = (u32_at(bytes, 0), u32_at(bytes, n - 4));
            if bad.any16(u64::from(a) | u64::from(b) << 32, PAD) {
                return false;
            }
            buf.extend_from_slice(&a.to_le_bytes());
            buf.truncate(start + n - 4);
            buf.extend_from_slice(&b.to_le_bytes());
        }
        8..16 => {
            let (a, b) = (u64_at(bytes, 0), u64_at(bytes, n - 8));
            if bad.any16(a, b) {
                return false;
            }
            buf.extend_from_slice(&a.to_le_bytes());
            buf.truncate(start + n - 8);
            buf.extend_from_slice(&b.to_le_bytes());
        }
        _ => {
            let chunk = |at: usize| (u64_at(bytes, at), u64_at(bytes, at + 8));
            let mut at = 0;
            while at < n {
                // The last sixteen bytes, overlapping those written before.
                let from = at.min(n - 16);
                let (a, b) = chunk(from);
                if bad.any16(a, b) {
                    buf.truncate(start);
                    return false;
                }
                buf.truncate(start + from);
                buf.extend_from_slice(&a.to_le_bytes());
                buf.extend_from_slice(&b.to_le_bytes());
                at = from + 16;
            }
        }
    }
    true
}

/// Two decimal digits for each of 0 to 99.
const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// `v`'s decimal digits onto `buf` (digits never need a JSON escape nor CSV quotes): made
/// two at a time in a block, which is copied whole (a size known when compiled) and cut
/// back: no call.
#[inline(always)]
pub(crate) fn push_u64(buf: &mut Vec<u8>, mut v: u64) {
    let n = v.checked_ilog10().unwrap_or(0) as usize + 1;
    let mut block = [0u8; 20];
    let mut at = n;
    while at >= 2 {
        let pair = (v % 100) as usize * 2;
        v /= 100;
        at -= 2;
        block[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if at == 1 {
        block[0] = b'0' + v as u8;
    }
    let end = buf.len() + n;
    buf.extend_from_slice(&block);
    buf.truncate(end);
}

#[cfg(test)]
mod tests {
    use super::{copy_plain, push_u64, Bad};

    /// Every power of ten, one less, and a spread of others: as `to_string` writes them.
    #[test]
    fn digits_are_written_as_to_string_writes_them() {
        let mut values = vec![0, u64::MAX, 7, 42, 100, 383_864];
        values.extend((0..20).flat_map(|p| [10u64.pow(p), 10u64.pow(p) - 1, 10u64.pow(p) / 3 * 2 + 1]));
        for v in values {
            let mut buf = b"x".to_vec();
            push_u64(&mut buf, v);
            assert_eq!(String::from_utf8(buf).unwrap(), format!("x{v}"));
        }
    }

    /// Every length to 40, each bad byte (and one just past `below`, not bad) at every
    /// place or nowhere: copied whole, or not at all, as the scalar test says.
    #[test]
    fn text_is_copied_whole_or_left_alone() {
        let bad = Bad { eq: [b'"', b'\\', b',', b'"'], below: 0x20 };
        for n in 0..40 {
            for odd in [b'"', b'\\', b',', 0x1f, 0x00, 0x20, 0x80, 0xff] {
                for at in (0..n).map(Some).chain([None]) {
                    let text: Vec<u8> = (0..n).map(|i| if Some(i) == at { odd } else { b'a' + (i % 26) as u8 }).collect();
                    let mut buf = b"head".to_vec();
                    let copied = copy_plain(&mut buf, &text, bad);
                    assert_eq!(copied, !text.iter().any(|&b| bad.has(b)), "{n} {odd} {at:?}");
                    let expected = if copied { [&b"head"[..], &text].concat() } else { b"head".to_vec() };
                    assert_eq!(buf, expected, "{n} {odd} {at:?}");
                }
            }
        }
    }
}
