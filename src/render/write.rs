//! Hand-written JSON and CSV for the national-scale reports: a national coverage report
//! is hundreds of thousands of rows (over 300 MB of JSON), too many to go through a
//! generic serializer a field at a time. The bytes are exactly those serde_json's pretty
//! printer and the `csv` crate (through `SafeCsv`) wrote before; the tests hold them to it.

use std::io::{self, Write};

use crate::safe_csv::csv_safe;

/// Bytes gathered in memory and handed to the real writer a megabyte at a time.
pub(crate) struct Out<'a> {
    pub(crate) buf: Vec<u8>,
    out: &'a mut dyn Write,
}

const CHUNK: usize = 1 << 20;

impl<'a> Out<'a> {
    pub(crate) fn new(out: &'a mut dyn Write) -> Out<'a> {
        Out { buf: Vec::with_capacity(CHUNK + (CHUNK >> 2)), out }
    }

    #[inline]
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    /// Hands the bytes over once there are enough of them (call between rows).
    #[inline]
    pub(crate) fn flush_if_full(&mut self) -> io::Result<()> {
        if self.buf.len() >= CHUNK {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    pub(crate) fn finish(mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()
    }
}

/// `n` in decimal, as `Display` and serde_json write it.
#[inline]
pub(crate) fn push_u64(buf: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

// ---------------------------------------------------------------- JSON

/// What serde_json writes for each byte of a string: 0 for the byte itself, else the
/// letter of its short escape, or `u` for `\u00XX`.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b'u';
        b += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// `s` as a JSON string, quoted and escaped exactly as serde_json does it: `"` and `\`
/// and the control characters below U+0020 escaped (short forms for \b \t \n \f \r,
/// `\u00xx` in lower-case hex for the rest), everything else as it is (UTF-8).
pub(crate) fn json_str(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    buf.push(b'"');
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let e = ESCAPE[b as usize];
        if e == 0 {
            continue;
        }
        buf.extend_from_slice(&bytes[start..i]);
        if e == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            buf.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[(b >> 4) as usize], HEX[(b & 0xf) as usize]]);
        } else {
            buf.extend_from_slice(&[b'\\', e]);
        }
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

/// A string or `null`.
pub(crate) fn json_opt_str(buf: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => json_str(buf, s),
        None => buf.extend_from_slice(b"null"),
    }
}

/// A number or `null`.
pub(crate) fn json_opt_u64(buf: &mut Vec<u8>, n: Option<u64>) {
    match n {
        Some(n) => push_u64(buf, n),
        None => buf.extend_from_slice(b"null"),
    }
}

/// Hundredths of a percent as the JSON number serde_json writes for `h as f64 / 100.0`:
/// the shortest decimal that reads back as that float, always with a fraction
/// (`80.0`, `79.9`, `79.96`, `0.05`).
pub(crate) fn json_pct(buf: &mut Vec<u8>, h: u64) {
    // Below 10^15 every such float's shortest form is the plain decimal; above, defer.
    if h >= 1_000_000_000_000_000 {
        let text = serde_json::to_string(&(h as f64 / 100.0)).expect("a finite float");
        buf.extend_from_slice(text.as_bytes());
        return;
    }
    push_u64(buf, h / 100);
    let f = h % 100;
    buf.push(b'.');
    buf.push(b'0' + (f / 10) as u8);
    if !f.is_multiple_of(10) {
        buf.push(b'0' + (f % 10) as u8);
    }
}

/// `n` spaces of indentation (two per level, as serde_json's pretty printer).
pub(crate) fn indent(buf: &mut Vec<u8>, levels: usize) {
    for _ in 0..levels {
        buf.extend_from_slice(b"  ");
    }
}

/// A key of an object whose keys sit at `levels`: `,\n    "key": ` (`{\n    "key": ` for the first).
pub(crate) fn json_key(buf: &mut Vec<u8>, levels: usize, key: &str, first: bool) {
    buf.extend_from_slice(if first { b"{\n" } else { b",\n" });
    indent(buf, levels);
    json_str(buf, key);
    buf.extend_from_slice(b": ");
}

/// The end of an object whose keys sit at `levels`.
pub(crate) fn json_end_object(buf: &mut Vec<u8>, levels: usize) {
    buf.push(b'\n');
    indent(buf, levels - 1);
    buf.push(b'}');
}

/// An array of strings whose key sits at `levels`.
pub(crate) fn json_str_array(buf: &mut Vec<u8>, levels: usize, items: &[String]) {
    if items.is_empty() {
        buf.extend_from_slice(b"[]");
        return;
    }
    buf.push(b'[');
    for (i, s) in items.iter().enumerate() {
        buf.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        indent(buf, levels + 1);
        json_str(buf, s);
    }
    buf.push(b'\n');
    indent(buf, levels);
    buf.push(b']');
}

// ---------------------------------------------------------------- CSV

/// The bytes that make the `csv` crate quote a field (as `SafeCsv` configures it).
#[inline]
fn csv_special(b: u8) -> bool {
    matches!(b, b',' | b'"' | b'\n' | b'\r')
}

/// One cell as `SafeCsv::row` writes it: made safe for Excel (`csv_safe`), then quoted
/// (quotes doubled) if it holds a comma, quote or line break. No separator.
pub(crate) fn csv_cell(buf: &mut Vec<u8>, cell: &str) {
    let cell = csv_safe(cell);
    let bytes = cell.as_bytes();
    if !bytes.iter().any(|&b| csv_special(b)) {
        buf.extend_from_slice(bytes);
        return;
    }
    buf.push(b'"');
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'"' {
            buf.extend_from_slice(&bytes[start..=i]);
            buf.push(b'"');
            start = i + 1;
        }
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

/// Cells joined with `sep` into one cell, as `csv_cell(&items.join(sep))`.
pub(crate) fn csv_joined(buf: &mut Vec<u8>, items: &[String], sep: &str) {
    match items {
        [] => {}
        [one] => csv_cell(buf, one),
        _ => csv_cell(buf, &items.join(sep)),
    }
}

/// The encoding of a list of responsible bodies, redone only when the list changes: rows
/// share one list per set of bodies, so most rows reuse the last encoding.
pub(crate) struct Memo {
    key: Option<*const [String]>,
    pub(crate) bytes: Vec<u8>,
}

impl Memo {
    pub(crate) fn new() -> Memo {
        Memo { key: None, bytes: Vec::new() }
    }

    /// The bytes for `items`, made by `encode` unless they were made for the same list last time.
    #[inline]
    pub(crate) fn get(&mut self, items: &[String], encode: impl FnOnce(&mut Vec<u8>, &[String])) -> &[u8] {
        let key: *const [String] = items;
        if self.key != Some(key) {
            self.bytes.clear();
            encode(&mut self.bytes, items);
            self.key = Some(key);
        }
        &self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings that need care: quotes, backslashes, every control character, DEL,
    /// Chinese, emoji, a leading formula character, CSV separators.
    fn awkward() -> Vec<String> {
        let mut v: Vec<String> = [
            "",
            "plain",
            "say \"hi\"",
            "back\\slash\\",
            "\\\"",
            "line\nbreak\r\nwin",
            "tab\there",
            "\u{7f}del",
            "门头沟区家校社共育（2019～2021年）",
            "emoji 😀 and \u{2028} \u{2029}",
            "=SUM(A1)",
            "+1",
            "-1",
            "@x",
            "\tlead",
            "\rlead",
            "a,b",
            "\"",
            "'quoted'",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        v.push((0u8..0x20).map(char::from).collect());
        v.extend((0u8..0x20).map(|b| format!("x{}y", char::from(b))));
        v
    }

    #[test]
    fn json_strings_are_escaped_as_serde_json_escapes_them() {
        for s in awkward() {
            let mut buf = Vec::new();
            json_str(&mut buf, &s);
            assert_eq!(String::from_utf8(buf).unwrap(), serde_json::to_string(&s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn string_arrays_are_pretty_printed_as_serde_json_prints_them() {
        for items in [vec![], vec!["区教委".to_string()], awkward()] {
            let mut buf = Vec::new();
            json_str_array(&mut buf, 0, &items);
            assert_eq!(String::from_utf8(buf).unwrap(), serde_json::to_string_pretty(&items).unwrap());
        }
    }

    #[test]
    fn percentages_are_written_as_serde_json_writes_the_float() {
        let more = [123_456, 999_999, 1_000_000, 123_456_789, 99_999_999_999_999, 1_000_000_000_000_000, u64::MAX];
        for h in (0..=20_000).chain(more) {
            let mut buf = Vec::new();
            json_pct(&mut buf, h);
            assert_eq!(String::from_utf8(buf).unwrap(), serde_json::to_string(&(h as f64 / 100.0)).unwrap(), "{h}");
        }
    }

    #[test]
    fn numbers_are_written_as_display_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 12345, u64::from(u32::MAX), u64::MAX] {
            let mut buf = Vec::new();
            push_u64(&mut buf, n);
            assert_eq!(String::from_utf8(buf).unwrap(), n.to_string());
        }
    }

    #[test]
    fn csv_cells_are_written_as_safe_csv_writes_them() {
        let cells = awkward();
        let mut expected = Vec::new();
        let mut w = crate::safe_csv::SafeCsv::new(&mut expected, false).unwrap();
        w.row(&cells).unwrap();
        w.finish().unwrap();
        let mut buf = Vec::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            csv_cell(&mut buf, c);
        }
        buf.push(b'\n');
        assert_eq!(String::from_utf8(buf).unwrap(), String::from_utf8(expected).unwrap());
    }

    #[test]
    fn joined_cells_are_the_cell_of_the_joined_text() {
        for items in [vec![], vec!["=a".to_string()], vec!["-a".to_string(), "b,c".to_string()], awkward()] {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            csv_joined(&mut a, &items, ";");
            csv_cell(&mut b, &items.join(";"));
            assert_eq!(a, b);
        }
    }
}
