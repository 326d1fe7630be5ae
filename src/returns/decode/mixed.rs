//! A file that is neither UTF-8 nor GB18030 as a whole: which of its lines are which.
//!
//! Clerks piece returns together from files saved in different encodings. When no one
//! encoding decodes the whole file, the file is taken to be in the encoding that more of
//! its lines are in, and every line that is not is named — never the first line where one
//! whole-file decoder happened to stop.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use encoding_rs::{Decoder, DecoderResult, GB18030};

use super::CHUNK;

/// How many lines one message names before "… and N more".
pub(super) const LISTED_LINES: usize = 10;

/// A line that GB18030 does not decode, and whether it is UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct NotGbLine {
    pub line: u64,
    pub utf8: bool,
}

/// The lines of a file that GB18030 does not decode: how many, and the first few.
#[derive(Debug, Default)]
pub(super) struct GbLines {
    pub count: u64,
    pub first: Vec<NotGbLine>,
}

impl GbLines {
    /// `FILE:LINE: …` for each of the first lines that are not GB18030, for a file taken
    /// to be GBK.
    pub(super) fn message(&self, path: &Path) -> String {
        let mut lines: Vec<String> = self
            .first
            .iter()
            .map(|b| {
                if b.utf8 {
                    format!("{}:{}: {}", path.display(), b.line, crate::t!("returns-line-is-utf8-in-gbk", line = b.line))
                } else {
                    neither_message(path, b.line)
                }
            })
            .collect();
        if self.count > self.first.len() as u64 {
            lines.push(crate::t!("returns-more-lines-not-gbk", count = self.count - self.first.len() as u64));
        }
        lines.join("\n")
    }
}

/// `FILE:LINE:` for bytes no candidate encoding decodes.
pub(super) fn neither_message(path: &Path, line: u64) -> String {
    format!("{}:{line}: {}", path.display(), crate::t!("returns-neither-encoding", what = "GB18030/GBK"))
}

/// Reads the file line by line, in bounded memory, and notes each line that GB18030 does
/// not decode, and whether that line is UTF-8.
pub(super) fn gb18030_lines(path: &Path) -> std::io::Result<GbLines> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; CHUNK];
    let mut out = String::with_capacity(CHUNK * 2);
    let mut lines = GbLines::default();
    let mut line = LineCheck::new();
    let mut number = 1u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            if !line.empty {
                line.end(&mut out, number, &mut lines);
            }
            return Ok(lines);
        }
        for piece in buf[..n].split_inclusive(|b| *b == b'\n') {
            line.feed(piece, &mut out);
            if piece.last() == Some(&b'\n') {
                line.end(&mut out, number, &mut lines);
                number += 1;
            }
        }
    }
}

/// One line being checked as GB18030 and as UTF-8 at once.
struct LineCheck {
    gb: Decoder,
    gb_ok: bool,
    utf8_ok: bool,
    /// A UTF-8 character cut short by the end of a read, kept for the next.
    utf8_tail: Vec<u8>,
    empty: bool,
}

impl LineCheck {
    fn new() -> LineCheck {
        LineCheck {
            gb: GB18030.new_decoder_without_bom_handling(),
            gb_ok: true,
            utf8_ok: true,
            utf8_tail: Vec::new(),
            empty: true,
        }
    }

    fn feed(&mut self, bytes: &[u8], out: &mut String) {
        self.empty &= bytes.is_empty();
        if self.gb_ok {
            self.gb_ok = decode_gb(&mut self.gb, bytes, out, false);
        }
        if self.utf8_ok {
            self.utf8_tail.extend_from_slice(bytes);
            match std::str::from_utf8(&self.utf8_tail) {
                Ok(_) => self.utf8_tail.clear(),
                Err(e) if e.error_len().is_none() => {
                    self.utf8_tail.drain(..e.valid_up_to());
                }
                Err(_) => self.utf8_ok = false,
            }
        }
    }

    fn end(&mut self, out: &mut String, number: u64, lines: &mut GbLines) {
        let gb_ok = self.gb_ok && decode_gb(&mut self.gb, &[], out, true);
        let utf8_ok = self.utf8_ok && self.utf8_tail.is_empty();
        if !gb_ok {
            lines.count += 1;
            if lines.first.len() < LISTED_LINES {
                lines.first.push(NotGbLine { line: number, utf8: utf8_ok });
            }
        }
        *self = LineCheck::new();
    }
}

/// Feeds bytes to a GB18030 decoder; false at the first malformed sequence.
fn decode_gb(decoder: &mut Decoder, mut bytes: &[u8], out: &mut String, last: bool) -> bool {
    loop {
        out.clear();
        let (result, read) = decoder.decode_to_string_without_replacement(bytes, out, last);
        bytes = &bytes[read..];
        match result {
            DecoderResult::InputEmpty => return true,
            DecoderResult::OutputFull => out.reserve(CHUNK * 2),
            DecoderResult::Malformed(_, _) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(bytes: &[u8]) -> GbLines {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.csv");
        std::fs::write(&path, bytes).unwrap();
        gb18030_lines(&path).unwrap()
    }

    #[test]
    fn utf8_lines_in_a_gbk_file_are_found() {
        let mut bytes = GB18030.encode("代码,名称\n1,德露苑\n").0.into_owned();
        bytes.extend_from_slice("2,月季园东里社区\n".as_bytes());
        bytes.extend_from_slice(&GB18030.encode("3,石门营\n").0);
        bytes.extend_from_slice(b"4,\xFF\n5,x");
        let lines = scan(&bytes);
        assert_eq!(lines.count, 2);
        assert_eq!(lines.first, [NotGbLine { line: 3, utf8: true }, NotGbLine { line: 5, utf8: false }]);
    }

    /// A GBK file with UTF-8 lines pasted in: the UTF-8 lines are named, as not GBK.
    #[test]
    fn utf8_lines_in_a_gbk_file_are_named() {
        let mut bytes = Vec::new();
        for i in 1..=12 {
            let line = format!("{i},德露苑社区居委会,大峪街道\n");
            if i == 4 || i == 9 {
                bytes.extend_from_slice(format!("{i},月季园东里社区\n").as_bytes());
            } else {
                bytes.extend_from_slice(&GB18030.encode(&line).0);
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.csv");
        std::fs::write(&path, &bytes).unwrap();
        let e = super::super::sniff(&path).unwrap_err().to_string();
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(lines.len(), 2, "{e}");
        assert!(
            lines[0].ends_with(
                "m.csv:4: 第 4 行是 UTF-8，而文件其余部分是 GBK（\"ANSI\"）；请把整个文件另存为同一种编码（\"CSV UTF-8\"）"
            ),
            "{e}"
        );
        assert!(lines[1].contains("m.csv:9: 第 9 行是 UTF-8"), "{e}");
    }

    #[test]
    fn a_line_cut_short_at_the_end_of_the_file_is_found() {
        let lines = scan(b"a,b\n1,\x81");
        assert_eq!(lines.first, [NotGbLine { line: 2, utf8: false }]);
    }
}
