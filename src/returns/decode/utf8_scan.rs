//! Where a file stops being UTF-8: a second pass, line by line in bounded memory, that
//! tells damaged UTF-8 from GB18030 text read as UTF-8 and notes the lines that are not
//! UTF-8 for the clerk's message.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use encoding_rs::{DecoderResult, GB18030};

use super::{mixed, CHUNK, DAMAGED_UTF8_CHARS};

/// How many lines that are not UTF-8 a message lists.
pub(super) const LISTED_BAD_LINES: usize = mixed::LISTED_LINES;

/// How much of a line that is not UTF-8 is kept to see whether it is GBK.
const KEPT_LINE_BYTES: usize = 1 << 16;

/// A line that is not valid UTF-8.
pub(super) struct BadLine {
    line: u64,
    /// Its first byte that is not UTF-8 (0-based, in the file).
    offset: u64,
    /// UTF-8 characters of three or four bytes (Chinese, in UTF-8) in the line.
    chars3: u64,
    /// Places in the line where the bytes are not UTF-8.
    invalid: u64,
    /// The line's bytes (at most [`KEPT_LINE_BYTES`]) and whether that is all of it.
    bytes: Vec<u8>,
    whole: bool,
}

impl BadLine {
    /// Whether the line is GBK/GB18030 text, rather than UTF-8 with a damaged character:
    /// it decodes as GB18030 and has fewer UTF-8 Chinese characters than broken places, and
    /// more than one of those (one is more likely a UTF-8 character cut short).
    fn looks_like_gbk(&self) -> bool {
        self.chars3 <= self.invalid && self.invalid >= 2 && self.decodes_as_gb18030()
    }

    /// Whether the line's bytes are GB18030 text.
    fn decodes_as_gb18030(&self) -> bool {
        let mut decoder = GB18030.new_decoder_without_bom_handling();
        let mut out = String::with_capacity(decoder.max_utf8_buffer_length(self.bytes.len()).unwrap_or(0));
        let (result, _) = decoder.decode_to_string_without_replacement(&self.bytes, &mut out, self.whole);
        result == DecoderResult::InputEmpty
    }
}

/// Where a file stops being UTF-8, with what the encoding guess and a clerk's message need.
pub(super) struct Utf8Scan {
    /// Whether the file is not valid UTF-8.
    pub(super) bad: bool,
    /// Non-ASCII characters that are valid UTF-8, in the whole file.
    valid_chars: u64,
    /// Of those, characters of three or four bytes: Chinese in UTF-8. GB18030 text read as
    /// UTF-8 often forms two-byte characters (学习 is D1 A7 CF B0) but seldom these.
    chars3: u64,
    /// Places where the bytes are not UTF-8, in the whole file.
    invalid_places: u64,
    /// Lines that are valid UTF-8 and hold a character of three or four bytes.
    cjk_lines: u64,
    /// Lines that are not valid UTF-8, and the first few of them.
    pub(super) bad_lines: u64,
    first_bad: Vec<BadLine>,
    pub(super) saw_nul: bool,
}

impl Utf8Scan {
    /// When the first pass found a bad byte (`bad`): reads the file once more, line by
    /// line in bounded memory, counting UTF-8 characters against places that are not UTF-8
    /// and noting the lines that are not UTF-8. A damaged UTF-8 file has many of the first
    /// and a few of the second; GB18030 text read as UTF-8 has about as many of each.
    pub(super) fn new(path: &Path, bad: bool, saw_nul: bool) -> io::Result<Utf8Scan> {
        let mut scan = Utf8Scan {
            bad,
            valid_chars: 0,
            chars3: 0,
            invalid_places: 0,
            cjk_lines: 0,
            bad_lines: 0,
            first_bad: Vec::new(),
            saw_nul,
        };
        if !bad {
            return Ok(scan);
        }
        let mut file = File::open(path)?;
        let mut buf = vec![0u8; CHUNK + 4];
        let mut line = LineState { number: 1, start: 0, ..Default::default() };
        let (mut carry, mut offset) = (0usize, 0u64);
        loop {
            let n = file.read(&mut buf[carry..carry + CHUNK])?;
            let last = n == 0;
            let len = carry + n;
            // Keep a character cut by the end of the buffer for the next read.
            let cut = if last { len } else { incomplete_tail(&buf[..len]) };
            let data = &buf[..cut];
            scan.saw_nul |= data.contains(&0);
            let mut at = offset;
            for chunk in data.utf8_chunks() {
                for piece in chunk.valid().as_bytes().split_inclusive(|b| *b == b'\n') {
                    let has3 = piece.iter().any(|b| *b >= 0xE0);
                    scan.chars3 += piece.iter().filter(|b| **b >= 0xE0).count() as u64;
                    scan.valid_chars += piece.iter().filter(|b| **b >= 0xC0).count() as u64;
                    line.chars3 += piece.iter().filter(|b| **b >= 0xE0).count() as u64;
                    line.has3 |= has3;
                    line.keep(piece);
                    at += piece.len() as u64;
                    if piece.last() == Some(&b'\n') {
                        scan.end_line(&mut line, at);
                    }
                }
                let invalid = chunk.invalid();
                if !invalid.is_empty() {
                    scan.invalid_places += 1;
                    line.invalid += 1;
                    line.first_bad.get_or_insert(at);
                    line.keep(invalid);
                    at += invalid.len() as u64;
                }
            }
            offset = at;
            if last {
                if line.start < offset {
                    scan.end_line(&mut line, offset);
                }
                break;
            }
            buf.copy_within(cut..len, 0);
            carry = len - cut;
        }
        Ok(scan)
    }

    fn end_line(&mut self, line: &mut LineState, end: u64) {
        if let Some(offset) = line.first_bad {
            self.bad_lines += 1;
            if self.first_bad.len() < LISTED_BAD_LINES {
                self.first_bad.push(BadLine {
                    line: line.number,
                    offset,
                    chars3: line.chars3,
                    invalid: line.invalid,
                    bytes: std::mem::take(&mut line.bytes),
                    whole: !line.truncated,
                });
            }
        } else if line.has3 {
            self.cjk_lines += 1;
        }
        *line = LineState { number: line.number + 1, start: end, bytes: std::mem::take(&mut line.bytes), ..Default::default() };
        line.bytes.clear();
    }

    /// Whether the file reads as UTF-8 with a few damaged places or foreign lines, rather
    /// than as another encoding: many more Chinese characters than broken places, or many
    /// more lines with Chinese in UTF-8 than lines that are not UTF-8.
    pub(super) fn mostly_utf8(&self) -> bool {
        (self.chars3 >= DAMAGED_UTF8_CHARS && self.chars3 >= 4 * self.invalid_places)
            || (self.bad_lines > 0 && self.cjk_lines >= 4 * self.bad_lines)
    }

    /// `FILE:LINE: …` for each of the first lines that are not UTF-8: a line that is GBK
    /// says so (two files in different encodings were pieced together). With `neither`
    /// (the file is not GB18030 either), a line GB18030 does not decode says that too.
    pub(super) fn lines_message(&self, path: &Path, neither: bool) -> String {
        let mut lines: Vec<String> = self
            .first_bad
            .iter()
            .map(|b| {
                if b.looks_like_gbk() {
                    format!("{}:{}: {}", path.display(), b.line, crate::t!("returns-line-looks-gbk", line = b.line))
                } else if neither && !b.decodes_as_gb18030() {
                    mixed::neither_message(path, b.line)
                } else {
                    format!("{}:{}: {}", path.display(), b.line, crate::t!("returns-not-utf8-here", byte = b.offset + 1))
                }
            })
            .collect();
        if self.bad_lines > self.first_bad.len() as u64 {
            lines.push(crate::t!("returns-more-lines-not-utf8", count = self.bad_lines - self.first_bad.len() as u64));
        }
        lines.join("\n")
    }
}

/// The line being scanned by [`Utf8Scan::new`].
#[derive(Default)]
struct LineState {
    number: u64,
    start: u64,
    first_bad: Option<u64>,
    has3: bool,
    chars3: u64,
    invalid: u64,
    bytes: Vec<u8>,
    truncated: bool,
}

impl LineState {
    fn keep(&mut self, bytes: &[u8]) {
        let room = KEPT_LINE_BYTES.saturating_sub(self.bytes.len());
        self.truncated |= bytes.len() > room;
        self.bytes.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }
}

/// Where a UTF-8 character that the end of `data` cuts short begins (else `data.len()`).
fn incomplete_tail(data: &[u8]) -> usize {
    for i in (data.len().saturating_sub(3)..data.len()).rev() {
        let b = data[i];
        if b < 0x80 {
            break;
        }
        if b >= 0xC0 {
            let need = if b >= 0xF0 {
                4
            } else if b >= 0xE0 {
                3
            } else {
                2
            };
            return if i + need > data.len() { i } else { data.len() };
        }
    }
    data.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_tails_cut_by_a_read() {
        assert_eq!(incomplete_tail(b"ab"), 2);
        assert_eq!(incomplete_tail("a德".as_bytes()), 4);
        assert_eq!(incomplete_tail(&"a德".as_bytes()[..3]), 1);
        assert_eq!(incomplete_tail(&"a😀".as_bytes()[..4]), 1);
        assert_eq!(incomplete_tail(b"a\x80\x80\x80"), 4);
    }
}
