//! Cell values: trimming, full-width normalisation, and the spellings of SPEC §3.4.
//!
//! Every parser returns `Err(message)` in words a clerk understands; the caller adds the
//! file, line and column.

use std::borrow::Cow;

use chrono::NaiveDate;

/// Characters a spreadsheet pads cells with: ASCII white space, the ideographic space
/// (U+3000), no-break space and a stray BOM.
fn is_padding(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}' || c == '\u{feff}'
}

/// Whether a character whose UTF-8 starts with `lead` may be padding: ASCII up to the
/// space, or the lead byte of a non-ASCII space (U+0085 and U+00A0: C2; U+1680: E1;
/// U+2000–U+205F: E2; U+3000: E3; U+FEFF: EF). A Chinese character (E4–E9) never is.
fn may_pad(lead: u8) -> bool {
    lead <= b' ' || matches!(lead, 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF)
}

/// Trims padding from both ends of a cell.
pub(crate) fn trim(s: &str) -> &str {
    // Most cells have none: their first and last characters' lead bytes say so, without
    // decoding either (issue 23: a national file's every cell is trimmed).
    let b = s.as_bytes();
    let Some(&first) = b.first() else { return s };
    let mut last = b.len() - 1;
    while last > 0 && b[last] & 0xC0 == 0x80 {
        last -= 1;
    }
    if !may_pad(first) && !may_pad(b[last]) {
        return s;
    }
    s.trim_matches(is_padding)
}

/// Trims and turns full-width ASCII (０-９, Ａ-Ｚ, －, ／, ．…) into plain ASCII, for cells
/// that hold codes, numbers, dates and keywords rather than names.
pub(crate) fn normalize(s: &str) -> Cow<'_, str> {
    let t = trim(s);
    // Most cells (a Chinese kind, a date spelt 2021年1月1日) have nothing to change: no
    // copy for them. Full-width ASCII is U+FF01..U+FF5E (EF BC 81..EF BD 9E in UTF-8),
    // the spaces are U+3000 (E3 80 80) and U+00A0 (C2 A0).
    // Their lead bytes are EF, E3 and C2, which no other byte of UTF-8 text can be.
    if !t.bytes().any(|b| matches!(b, 0xC2 | 0xE3 | 0xEF))
        || !t.chars().any(|c| matches!(c, '\u{ff01}'..='\u{ff5e}' | '\u{3000}' | '\u{a0}'))
    {
        return Cow::Borrowed(t);
    }
    Cow::Owned(
        t.chars()
            .map(|c| match c {
                '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
                '\u{3000}' | '\u{a0}' => ' ',
                _ => c,
            })
            .collect(),
    )
}

/// Parses yes/no: 是/否, 有/无, 已建/未建, Y/N, yes/no, true/false, 1/0, ✓/✗.
pub(crate) fn parse_yes_no(raw: &str) -> Result<bool, String> {
    let v = normalize(raw).to_lowercase();
    match v.as_str() {
        "是" | "有" | "已建" | "y" | "yes" | "true" | "1" | "✓" => Ok(true),
        "否" | "无" | "未建" | "n" | "no" | "false" | "0" | "✗" => Ok(false),
        _ => Err(crate::t!("returns-not-yes-no", value = trim(raw))),
    }
}

/// The years a date in a return may have: from the founding of the People's Republic to
/// the end of this century. Anything else is a typing error (0000-01-01, 9999-12-31).
pub(crate) const MIN_YEAR: i32 = 1949;
pub(crate) const MAX_YEAR: i32 = 2099;

/// Parses a date in one of the forms of SPEC §3.4. Impossible dates are errors.
pub(crate) fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    let v = normalize(raw);
    let bad = || crate::t!("returns-not-a-date", value = trim(raw));
    let parts: Option<(&str, &str, &str)> = if let Some(rest) = v.strip_suffix('日') {
        let (y, rest) = rest.split_once('年').ok_or_else(bad)?;
        let (m, d) = rest.split_once('月').ok_or_else(bad)?;
        Some((y, m, d))
    } else if v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()) {
        Some((&v[0..4], &v[4..6], &v[6..8]))
    } else {
        ['-', '/', '.'].into_iter().find_map(|sep| {
            let mut it = v.split(sep);
            match (it.next(), it.next(), it.next(), it.next()) {
                (Some(y), Some(m), Some(d), None) => Some((y, m, d)),
                _ => None,
            }
        })
    };
    let (y, m, d) = parts.ok_or_else(bad)?;
    let digits = |s: &str, lo: usize, hi: usize| (lo..=hi).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(y, 4, 4) || !digits(m, 1, 2) || !digits(d, 1, 2) {
        return Err(bad());
    }
    let (y, m, d): (i32, u32, u32) =
        (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    let date = NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| crate::t!("returns-not-a-real-date", value = trim(raw), date = format!("{y}-{m:02}-{d:02}")))?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return Err(crate::t!("returns-date-out-of-range", value = trim(raw), min = MIN_YEAR, max = MAX_YEAR));
    }
    Ok(date)
}

/// The largest count a return may give (a city-wide online lecture stays far below it).
pub(crate) const MAX_COUNT: u64 = 10_000_000;

/// Parses a whole number ≥ 0; thousands separators (1,200) are allowed.
pub(crate) fn parse_count(raw: &str) -> Result<u64, String> {
    let n = normalize(raw);
    let v: Cow<'_, str> =
        if n.contains([',', '，']) { n.chars().filter(|c| *c != ',' && *c != '，').collect::<String>().into() } else { n };
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(crate::t!("returns-not-a-count", value = trim(raw)));
    }
    match v.parse::<u64>() {
        Ok(n) if n <= MAX_COUNT => Ok(n),
        _ => Err(crate::t!("returns-count-too-large", value = trim(raw), max = MAX_COUNT)),
    }
}

/// Checks a unit code: letters and digits only. Catches codes Excel has turned into
/// numbers (1.10109E+11, 110109001001.0).
pub(crate) fn parse_code(raw: &str) -> Result<String, String> {
    let v = normalize(raw);
    if v.contains(['E', 'e']) && v.contains('.') && v.replace(['E', 'e', '.', '+'], "").bytes().all(|b| b.is_ascii_digit()) {
        return Err(crate::t!("returns-code-became-number", value = &*v));
    }
    if let Some(int) = v.strip_suffix(".0") {
        if !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) {
            return Err(crate::t!("returns-code-with-decimal", value = &*v, code = int));
        }
    }
    if v.chars().any(|c| c.is_whitespace() || c == ',' || c.is_control()) {
        return Err(crate::t!("returns-code-has-spaces", value = &*v));
    }
    Ok(v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_and_full_width() {
        assert_eq!(trim("　 德露苑 \u{3000}"), "德露苑");
        // Every padding character, at either end, next to Chinese and ASCII text.
        for pad in
            ['\t', '\n', '\r', ' ', '\u{85}', '\u{a0}', '\u{1680}', '\u{2003}', '\u{2029}', '\u{205f}', '\u{3000}', '\u{feff}']
        {
            for text in ["德露苑", "a", "110109", "研学a", "a研学"] {
                assert_eq!(trim(&format!("{pad}{text}")), text, "{pad:?}{text}");
                assert_eq!(trim(&format!("{text}{pad}")), text, "{text}{pad:?}");
                assert_eq!(trim(&format!("{pad}{text}{pad}{pad}")), text, "{pad:?}{text}");
            }
        }
        for kept in ["", "德", "é", "ａ", "研学实践", "２０２０"] {
            assert_eq!(trim(kept), kept);
        }
        assert_eq!(normalize("　１１０１０９ "), "110109");
        assert_eq!(normalize("２０２０－９－１"), "2020-9-1");
        assert_eq!(normalize("Ｙｅｓ"), "Yes");
        assert_eq!(normalize("家　访"), "家 访");
        assert!(matches!(normalize(" 2021年1月1日 "), Cow::Borrowed("2021年1月1日")), "nothing to change: borrowed");
    }

    #[test]
    fn yes_no_spellings() {
        for y in ["是", "有", "已建", "Y", "y", "YES", "true", "1", "✓", " 是　"] {
            assert_eq!(parse_yes_no(y), Ok(true), "{y}");
        }
        for n in ["否", "无", "未建", "N", "no", "False", "0", "✗", "０"] {
            assert_eq!(parse_yes_no(n), Ok(false), "{n}");
        }
        for bad in ["", "maybe", "对", "2"] {
            assert!(parse_yes_no(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn date_forms() {
        let want = NaiveDate::from_ymd_opt(2020, 9, 1).unwrap();
        for s in ["2020-09-01", "2020/9/1", "2020.9.1", "2020年9月1日", "20200901", "２０２０－０９－０１", " 2020/09/01 "]
        {
            assert_eq!(parse_date(s), Ok(want), "{s}");
        }
    }

    #[test]
    fn bad_and_impossible_dates() {
        for s in ["2020-13-01", "2021-02-29", "2020/9/31", "20200230"] {
            let e = parse_date(s).unwrap_err();
            assert!(e.contains("不是真实存在的日期"), "{s}: {e}");
        }
        for s in ["", "9/1/2020", "2020-09", "2020-09-01 00:00:00", "20-9-1", "2020年9月1", "yesterday", "202091"] {
            let e = parse_date(s).unwrap_err();
            assert!(e.contains("不是日期"), "{s}: {e}");
        }
        assert_eq!(parse_date("2024-02-29"), Ok(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()));
        assert!(parse_date("0000-01-01").is_err());
        assert!(parse_date("9999-12-31").unwrap_err().contains("不在报表可填的年份范围内（1949–2099 年）"));
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count("0"), Ok(0));
        assert_eq!(parse_count(" 1,200 "), Ok(1200));
        assert_eq!(parse_count("３５"), Ok(35));
        for s in ["-1", "1.5", "", "abc", "99999999999999999999999"] {
            assert!(parse_count(s).is_err(), "{s}");
        }
    }

    #[test]
    fn codes() {
        assert_eq!(parse_code(" １１０１０９００１００１ "), Ok("110109001001".into()));
        assert!(parse_code("1.10109E+11").unwrap_err().contains("Excel"));
        assert!(parse_code("110109001001.0").unwrap_err().contains("110109001001"));
        assert!(parse_code("11 01").is_err());
    }
}
