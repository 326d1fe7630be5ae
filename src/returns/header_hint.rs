//! When a header lacks required columns: one message that names them all, shows the header
//! as it was read and in which encoding, and — when the bytes look like Big5 (traditional
//! Chinese) read as GBK — says so, with the header as Big5 reads it.
//!
//! Big5's bytes are all valid GBK, so a Big5 return decodes without error into rare
//! characters; only the header, matching no column, shows it.

use encoding_rs::{BIG5, GB18030};

use super::columns::Column;
use super::decode::TextEncoding;
use super::{privacy, values, SourceFormat};

/// How many cells of the header a message shows.
const SHOWN_CELLS: usize = 8;

/// `required column(s) … missing` for the required columns the header lacks, or `None`.
pub(super) fn missing(cols: &[&Column]) -> Option<String> {
    match cols {
        [] => None,
        [c] => Some(crate::t!("returns-header-missing-one", column = c.name, spellings = super::kinds::as_list(&c.spellings()))),
        _ => {
            let names: Vec<&str> = cols.iter().map(|c| c.name).collect();
            let (last, rest) = names.split_last().expect("two or more");
            let each: Vec<String> = cols
                .iter()
                .map(|c| {
                    crate::t!("returns-header-missing-each", column = c.name, spellings = super::kinds::as_list(&c.spellings()))
                })
                .collect();
            Some(crate::t!(
                "returns-header-missing-many",
                columns = rest.join(&crate::t!("returns-list-separator")),
                last = *last,
                each = each.join(&crate::t!("returns-list-separator-long"))
            ))
        }
    }
}

/// What follows the missing columns: the header as read, and a likely other encoding.
pub(super) fn header_as_read(header: &csv::StringRecord, format: &SourceFormat) -> String {
    let mut out = crate::t!("returns-header-as-read", format = format.describe(), cells = shown(header.iter()));
    let big5 = match format {
        SourceFormat::Text { encoding: TextEncoding::Gb18030, .. } => as_big5(header),
        _ => None,
    };
    if let Some(big5) = big5 {
        out += &crate::t!("returns-header-big5", cells = big5);
    } else if matches!(format, SourceFormat::Text { .. }) && header.iter().any(|c| c.chars().any(private_use)) {
        out += &crate::t!("returns-header-private-use");
    }
    out
}

/// A character of Unicode's private-use area: what GBK's user-defined codes decode to,
/// never in a clerk's text.
fn private_use(c: char) -> bool {
    ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// The text with each private-use character written as its code point (`<U+E4C6>`):
/// a terminal shows them as nothing, or as boxes.
fn visible(text: &str) -> String {
    text.chars().map(|c| if private_use(c) { format!("<U+{:04X}>", c as u32) } else { c.to_string() }).collect()
}

/// The first cells, quoted (ids masked), with `…` when there are more.
fn shown<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let cells: Vec<&str> = cells.collect();
    let end = cells.iter().rposition(|c| !values::trim(c).is_empty()).map_or(0, |i| i + 1);
    let mut list: Vec<String> =
        cells[..end].iter().take(SHOWN_CELLS).map(|c| format!("\"{}\"", visible(&privacy::mask_ids(values::trim(c))))).collect();
    if end > SHOWN_CELLS {
        list.push("…".into());
    }
    if list.is_empty() {
        return crate::t!("returns-header-blank");
    }
    list.join(&crate::t!("returns-list-separator"))
}

/// The header as Big5 reads it, when its GB18030 bytes look like Big5 rather than GBK:
/// they decode as Big5 without error into Chinese, and some character lies outside GB2312 (the
/// characters simplified-Chinese text uses), as about four in ten Big5 characters do.
fn as_big5(header: &csv::StringRecord) -> Option<String> {
    let text: Vec<&str> = header.iter().collect();
    let text = text.join("\u{1f}");
    let (bytes, _, unmappable) = GB18030.encode(&text);
    if unmappable {
        return None;
    }
    let mut outside_gb2312 = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        let t = *bytes.get(i + 1)?;
        if t.is_ascii_digit() {
            return None; // a four-byte GB18030 character: no Big5 byte pair reads so
        }
        if b < 0xA1 || t < 0xA1 {
            outside_gb2312 += 1;
        }
        i += 2;
    }
    if outside_gb2312 == 0 {
        return None;
    }
    let (big5, had_errors) = BIG5.decode_without_bom_handling(&bytes);
    if had_errors || !big5.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) {
        return None;
    }
    Some(shown(big5.split('\u{1f}')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk_reading_of_big5(cells: &[&str]) -> csv::StringRecord {
        let text = cells.join(",");
        let (bytes, _, _) = BIG5.encode(&text);
        let (read, _, _) = GB18030.decode(&bytes);
        csv::StringRecord::from(read.split(',').collect::<Vec<_>>())
    }

    #[test]
    fn big5_read_as_gbk_is_recognised() {
        let header = gbk_reading_of_big5(&["學校代碼", "學校名稱", "學校類型"]);
        assert_eq!(as_big5(&header).as_deref(), Some("\"學校代碼\"、\"學校名稱\"、\"學校類型\""));
    }

    #[test]
    fn simplified_chinese_is_not_taken_for_big5() {
        let header = csv::StringRecord::from(vec!["学校代码", "学校名称", "备注"]);
        assert_eq!(as_big5(&header), None);
        let header = csv::StringRecord::from(vec!["code", "name"]);
        assert_eq!(as_big5(&header), None);
    }

    #[test]
    fn private_use_characters_say_another_encoding() {
        let text = SourceFormat::Text { encoding: TextEncoding::Gb18030, delimiter: b',' };
        // A1 40 is in GBK's user-defined area, and not a Big5 character either.
        let (read, _, _) = GB18030.decode(b"\xA1\x40\xA1\x41,x");
        let header = csv::StringRecord::from(read.split(',').collect::<Vec<_>>());
        let s = header_as_read(&header, &text);
        assert!(s.contains("私用区") && !s.contains("Big5"), "{s}");
        assert!(s.contains("（GB18030）：\"<U+E4C6><U+E4C7>\"、\"x\""), "{s}");
        let plain = header_as_read(&csv::StringRecord::from(vec!["编号"]), &text);
        assert_eq!(plain, "。读到的表头（GB18030）：\"编号\"");
    }

    #[test]
    fn long_headers_are_cut() {
        let cells: Vec<String> = (1..=10).map(|i| format!("c{i}")).collect();
        let s = shown(cells.iter().map(String::as_str));
        assert!(s.starts_with("\"c1\"、\"c2\"") && s.ends_with("\"c8\"、…"), "{s}");
    }
}
