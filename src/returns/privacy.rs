//! Children's data (SPEC §13): gongyu holds the schools' pseudonymous refs and nothing
//! more. A ref is checked for its shape; every cell of every return, in any column, is
//! searched for mainland ID-card numbers (居民身份证号码, GB 11643), which refuse the import
//! and are only ever shown masked (`110109********123X`) — in messages, warnings and
//! rejects files alike.

use std::borrow::Cow;

use chrono::NaiveDate;

/// The longest ref.
pub(crate) const MAX_REF_CHARS: usize = 32;

/// Checks a student ref: 1–32 ASCII letters, digits, `-`, `_` and `.` (full-width forms
/// are read as their ASCII). The message never repeats the cell: it may be a child's name.
pub(crate) fn parse_ref(raw: &str) -> Result<String, String> {
    let v = super::values::normalize(raw);
    if ref_is_withheld(raw) {
        return Err(crate::t!("returns-ref-not-a-code", max = MAX_REF_CHARS));
    }
    if v.is_empty() || v.len() > MAX_REF_CHARS {
        return Err(crate::t!("returns-ref-length", max = MAX_REF_CHARS, chars = v.len()));
    }
    Ok(v.into_owned())
}

/// Whether a ref cell has characters no ref has (it may be a child's name): such a cell
/// is never shown — not in messages, not in a rejects file.
pub(crate) fn ref_is_withheld(raw: &str) -> bool {
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    !super::values::normalize(raw).chars().all(ok)
}

/// What a rejects file shows in place of a withheld ref.
pub(crate) const WITHHELD: &str = "（已隐去 withheld）";

/// The names of the columns that hold student refs.
pub(crate) const REF_COLUMNS: [&str; 2] = ["ref", "student"];

/// GB 11643 weights of the first 17 digits, and the check characters by sum mod 11.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// Whether `b` (ASCII, 15 or 18 characters) is a mainland ID-card number: 18 characters
/// with a valid check character and a real birth date in characters 7–14, or 15 digits
/// with a real YYMMDD date in characters 7–12.
pub(crate) fn is_id_number(b: &[u8]) -> bool {
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let num = |s: &[u8]| s.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    let real = |y: u32, m: u32, d: u32| NaiveDate::from_ymd_opt(y as i32, m, d).is_some();
    match b.len() {
        18 => {
            if !digits(&b[..17]) || !(b[17].is_ascii_digit() || b[17] == b'X' || b[17] == b'x') {
                return false;
            }
            let sum: u32 = b[..17].iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
            let y = num(&b[6..10]);
            CHECK[(sum % 11) as usize] == b[17].to_ascii_uppercase()
                && (1900..=2099).contains(&y)
                && real(y, num(&b[10..12]), num(&b[12..14]))
        }
        15 => digits(b) && real(1900 + num(&b[6..8]), num(&b[8..10]), num(&b[10..12])),
        _ => false,
    }
}

/// The byte ranges of the ID-card numbers in ASCII text: runs of 15 or 18 digits (or 17
/// digits and an X) that are not part of a longer run of digits.
fn id_ranges(b: &[u8]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let mut end = i;
        if end - start == 17 && i < b.len() && (b[i] == b'X' || b[i] == b'x') {
            end += 1;
            i += 1;
        }
        if matches!(end - start, 15 | 18) && is_id_number(&b[start..end]) {
            found.push((start, end));
        }
    }
    found
}

/// Whether a cell may hold an ID-card number: it has a run of 15 or more ASCII digits, or a
/// full-width digit. A quick pass over the bytes, for every cell of every return.
pub(crate) fn may_hold_id(b: &[u8]) -> bool {
    if b.len() < 15 {
        return false;
    }
    let mut run = 0u32;
    for &c in b {
        if c.wrapping_sub(b'0') < 10 {
            run += 1;
            if run >= 15 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    // ０-９ are EF BC 90 – EF BC 99 in UTF-8 (rare: looked for only where an EF byte is).
    b.contains(&0xEF) && b.windows(3).any(|w| w[0] == 0xEF && w[1] == 0xBC && (0x90..=0x99).contains(&w[2]))
}

/// Whether the text has full-width digits (０-９) or Ｘ, which are read as ASCII.
fn has_full_width_digits(s: &str) -> bool {
    !s.is_ascii() && s.chars().any(|c| matches!(c, '\u{ff10}'..='\u{ff19}' | 'Ｘ' | 'ｘ'))
}

/// The ID-card numbers in a cell, masked. Cheap on cells without any: one pass over the
/// bytes.
pub(crate) fn masked_ids(cell: &str) -> Vec<String> {
    if !may_hold_id(cell.as_bytes()) {
        return Vec::new();
    }
    let text: Cow<'_, str> = if has_full_width_digits(cell) { super::values::normalize(cell) } else { Cow::Borrowed(cell) };
    let b = text.as_bytes();
    id_ranges(b).into_iter().map(|(s, e)| mask(&text[s..e])).collect()
}

/// `110109********123X`: the first 6 and last 4 characters, stars between.
pub(crate) fn mask(id: &str) -> String {
    let n = id.chars().count();
    let head: String = id.chars().take(6).collect();
    let tail: String = id.chars().skip(n.saturating_sub(4)).collect();
    format!("{head}{}{tail}", "*".repeat(n.saturating_sub(10)))
}

/// The text with every ID-card number in it masked: for messages, warnings and the cells
/// of a rejects file. Text without one comes back borrowed.
pub(crate) fn mask_ids(text: &str) -> Cow<'_, str> {
    let normalized: Cow<'_, str> =
        if has_full_width_digits(text) { Cow::Owned(full_width_digits_to_ascii(text)) } else { Cow::Borrowed(text) };
    let ranges = id_ranges(normalized.as_bytes());
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(normalized.len());
    let mut at = 0;
    for (s, e) in ranges {
        out.push_str(&normalized[at..s]);
        out.push_str(&mask(&normalized[s..e]));
        at = e;
    }
    out.push_str(&normalized[at..]);
    Cow::Owned(out)
}

/// Full-width digits and Ｘ as ASCII, everything else unchanged (byte offsets of the
/// result are what [`id_ranges`] sees).
fn full_width_digits_to_ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{ff10}'..='\u{ff19}' => char::from(b'0' + (c as u32 - 0xff10) as u8),
            'Ｘ' => 'X',
            'ｘ' => 'x',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A valid 18-character number built from the first 17 digits.
    fn with_check(first17: &str) -> String {
        let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
        format!("{first17}{}", CHECK[(sum % 11) as usize] as char)
    }

    #[test]
    fn eighteen_digit_numbers_need_their_check_character_and_a_real_date() {
        let id = with_check("11010919900307451");
        assert!(is_id_number(id.as_bytes()), "{id}");
        // Wrong check character.
        let mut bad = id.clone().into_bytes();
        bad[17] = if bad[17] == b'0' { b'1' } else { b'0' };
        assert!(!is_id_number(&bad));
        // An impossible date, even with a valid check character.
        assert!(!is_id_number(with_check("11010919900230451").as_bytes()));
        // The GB 11643 example.
        assert!(is_id_number(b"11010519491231002X"));
        assert!(is_id_number(b"11010519491231002x"));
    }

    #[test]
    fn fifteen_digit_numbers_need_a_real_date() {
        assert!(is_id_number(b"110109900307451"));
        assert!(!is_id_number(b"110109901307451"), "month 13");
        assert!(!is_id_number(b"110109900230451"), "30 February");
    }

    #[test]
    fn unit_codes_are_not_id_numbers() {
        // Every real community code of Mentougou (12 digits) and township code (9).
        let text = include_str!("../../fixtures/mentougou-communities.csv");
        for line in text.lines() {
            for cell in line.split(',') {
                assert!(masked_ids(cell).is_empty(), "{cell}");
            }
        }
        for code in ["1111090001", "110109001001", "110109106"] {
            assert!(masked_ids(code).is_empty());
        }
        assert!(!may_hold_id("A000000001,110109001001,2020-09-15,讲座，家长课堂".as_bytes()));
        assert!(may_hold_id(b"110109001001202") && !may_hold_id(b"a11010900100120"));
        assert!(may_hold_id("编号１２３４５".as_bytes()));
        // Nor is a 15-digit code whose characters 7–12 are no date.
        assert!(masked_ids("110109001399001").is_empty());
    }

    #[test]
    fn numbers_are_found_in_any_cell_and_masked() {
        let id = with_check("11010919900307451");
        let masked = format!("110109********{}", &id[14..]);
        assert_eq!(masked_ids(&id), vec![masked.clone()]);
        assert_eq!(masked_ids(&format!("张三 {id} 备注")), vec![masked.clone()]);
        assert_eq!(mask_ids(&format!("see {id}.")), format!("see {masked}."));
        // Full-width digits.
        let wide: String = id.chars().map(|c| char::from_u32(c as u32 + 0xfee0).unwrap()).collect();
        assert_eq!(masked_ids(&wide), vec![masked.clone()]);
        assert!(!mask_ids(&wide).contains(&id[6..14]));
        // Part of a longer run of digits: not a number of its own.
        assert!(masked_ids(&format!("9{id}")).is_empty());
        assert_eq!(mask("110109900307451"), "110109*****7451");
        assert!(matches!(mask_ids("no numbers here 2020-09-01"), Cow::Borrowed(_)));
    }

    #[test]
    fn refs() {
        assert_eq!(parse_ref(" K0001 "), Ok("K0001".into()));
        assert_eq!(parse_ref("a-b_c.9"), Ok("a-b_c.9".into()));
        assert_eq!(parse_ref("Ｋ０００１"), Ok("K0001".into()));
        let e = parse_ref("张小明").unwrap_err();
        assert!(!e.contains("张小明"), "{e}");
        assert!(parse_ref("K 0001").is_err());
        assert!(parse_ref(&"K".repeat(33)).is_err());
        assert!(parse_ref(&"K".repeat(32)).is_ok());
    }
}
