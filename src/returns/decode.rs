//! Decoding a return's bytes into UTF-8 text, strictly; and hashing them.
//!
//! Excel and WPS on Chinese Windows write "CSV" in GB18030/GBK, "CSV UTF-8" with a BOM,
//! and "Unicode text" as UTF-16LE with a BOM. The encoding is decided once for the whole
//! file by a first pass; bytes that
//! are valid in no candidate encoding are an error naming the line, never U+FFFD.
//! The second pass streams the file through [`Utf8Reader`] so memory does not grow with
//! the file's size.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::{bail, Result};
use encoding_rs::{CoderResult, Decoder, DecoderResult, GB18030, UTF_16BE, UTF_16LE};
use sha2::{Digest, Sha256};

mod mixed;
mod utf8_scan;

use utf8_scan::Utf8Scan;

/// The text encoding of a return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Gb18030,
    Utf16Le,
    Utf16Be,
}

impl TextEncoding {
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 with BOM",
            TextEncoding::Gb18030 => "GB18030",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
        }
    }

    /// The encoding in the output language, for messages ([`label`](Self::label) is kept
    /// in the ledger).
    pub fn describe(self) -> String {
        match self {
            TextEncoding::Utf8Bom => crate::t!("returns-encoding-utf8-bom"),
            other => other.label().to_string(),
        }
    }

    fn bom_len(self) -> usize {
        match self {
            TextEncoding::Utf8Bom => 3,
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => 2,
            _ => 0,
        }
    }
}

/// What the first pass learned about a file.
#[derive(Debug, Clone)]
pub struct Sniffed {
    pub encoding: TextEncoding,
    pub bytes: u64,
}

/// The SHA-256 of a file's bytes, computed on a thread of its own while the file is
/// imported: hashing a large return takes about as long as reading it.
pub(crate) struct Sha256Job(std::thread::JoinHandle<io::Result<String>>);

impl Sha256Job {
    pub(crate) fn start(path: &Path) -> Sha256Job {
        let path = path.to_path_buf();
        Sha256Job(std::thread::spawn(move || {
            let mut file = File::open(&path)?;
            let mut hasher = Sha256::new();
            let mut buf = vec![0u8; CHUNK];
            loop {
                let n = file.read(&mut buf)?;
                if n == 0 {
                    return Ok(hex(&hasher.finalize()));
                }
                hasher.update(&buf[..n]);
            }
        }))
    }

    /// Waits for the hash: lower-case hex.
    pub(crate) fn finish(self) -> Result<String> {
        match self.0.join() {
            Ok(result) => Ok(result.map_err(|e| anyhow::anyhow!("{}", crate::t!("returns-hash-reread", error = e.to_string())))?),
            Err(_) => bail!("{}", crate::t!("returns-hash-failed")),
        }
    }
}

/// Lower-case hex SHA-256 of some bytes.
#[cfg(test)]
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

const CHUNK: usize = 1 << 16;

/// How many non-ASCII UTF-8 characters a file needs (and four times as many as places
/// that are not UTF-8) to count as damaged UTF-8 rather than GB18030 text whose pairs
/// happen to look like UTF-8 here and there.
const DAMAGED_UTF8_CHARS: u64 = 8;

/// Reads the whole file once: hashes it, decides its encoding and checks that every byte
/// decodes. The error names the 1-based line of the first bad byte.
pub(crate) fn sniff(path: &Path) -> Result<Sniffed> {
    let mut file = File::open(path).map_err(|e| super::os_error::cannot_open(path, &e))?;
    // The buffer keeps an incomplete UTF-8 sequence from the end of one read at its front
    // for the next; nothing is counted per byte unless a bad byte turns up.
    let mut buf = vec![0u8; CHUNK + 4];
    let mut head = Vec::new();
    let (mut carry, mut offset, mut total) = (0usize, 0u64, 0u64);
    let mut bad_at: Option<u64> = None;
    let mut nul_at: Option<u64> = None;
    loop {
        let n = file.read(&mut buf[carry..carry + CHUNK]).map_err(|e| super::os_error::cannot_read(path, &e))?;
        if head.len() < 4 {
            head.extend_from_slice(&buf[carry..carry + n.min(4 - head.len())]);
        }
        total += n as u64;
        let data = &buf[..carry + n];
        if n == 0 {
            if carry > 0 {
                bad_at = Some(offset);
            }
            break;
        }
        // (`contains` on bytes is a memchr; `position` alone went byte by byte.)
        if nul_at.is_none() && data.contains(&0) {
            nul_at = data.iter().position(|b| *b == 0).map(|i| offset + i as u64);
        }
        match std::str::from_utf8(data) {
            Ok(_) => {
                offset += data.len() as u64;
                carry = 0;
            }
            Err(e) if e.error_len().is_none() => {
                // An incomplete sequence at the end: move it to the front and read on.
                let good = e.valid_up_to();
                offset += good as u64;
                let len = data.len();
                buf.copy_within(good..len, 0);
                carry = len - good;
            }
            Err(e) => {
                bad_at = Some(offset + e.valid_up_to() as u64);
                break;
            }
        }
    }
    let utf8 = Utf8Scan::new(path, bad_at.is_some(), nul_at.is_some()).map_err(|e| super::os_error::cannot_read(path, &e))?;
    let total = file.metadata().map_or(total, |m| m.len());
    let encoding = if head.starts_with(b"\xEF\xBB\xBF") {
        TextEncoding::Utf8Bom
    } else if head.starts_with(b"\xFF\xFE") {
        TextEncoding::Utf16Le
    } else if head.starts_with(b"\xFE\xFF") {
        TextEncoding::Utf16Be
    } else {
        if head.starts_with(b"PK\x03\x04") || head.starts_with(b"\xD0\xCF\x11\xE0") {
            bail!("{}", crate::t!("returns-workbook-not-csv", file = path.display().to_string()));
        }
        TextEncoding::Utf8
    };

    match encoding {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => {
            if utf8.bad {
                if utf8.saw_nul && encoding == TextEncoding::Utf8 {
                    bail!("{}", crate::t!("returns-utf16-without-bom", file = path.display().to_string()));
                }
                // A file that starts with a UTF-8 BOM, or that is mostly UTF-8, is a damaged
                // UTF-8 file (perhaps with a few lines pasted in from a GBK file); otherwise
                // it may be GB18030/GBK.
                if encoding == TextEncoding::Utf8Bom || utf8.mostly_utf8() {
                    bail!("{}", utf8.lines_message(path, false));
                }
                if check_strict(path, GB18030.new_decoder_without_bom_handling(), 0, "GB18030/GBK").is_ok() {
                    return Ok(Sniffed { encoding: TextEncoding::Gb18030, bytes: total });
                }
                // Neither fits: the file is in the encoding more of its lines are in, and
                // every line that is not is named.
                let gb = mixed::gb18030_lines(path).map_err(|e| super::os_error::cannot_read(path, &e))?;
                if utf8.bad_lines <= gb.count {
                    bail!("{}", utf8.lines_message(path, true));
                }
                bail!("{}", gb.message(path));
            }
            if let Some(nul) = nul_at {
                let line = line_of(path, nul).map_err(|e| super::os_error::cannot_read(path, &e))?;
                bail!("{}:{line}: {}", path.display(), crate::t!("returns-nul-byte", byte = nul + 1));
            }
        }
        TextEncoding::Utf16Le => check_strict(path, UTF_16LE.new_decoder_without_bom_handling(), 2, "UTF-16LE")
            .map_err(|e| anyhow::anyhow!(e.message))?,
        TextEncoding::Utf16Be => check_strict(path, UTF_16BE.new_decoder_without_bom_handling(), 2, "UTF-16BE")
            .map_err(|e| anyhow::anyhow!(e.message))?,
        TextEncoding::Gb18030 => unreachable!("decided only after the UTF-8 scan"),
    }
    Ok(Sniffed { encoding, bytes: total })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The 1-based line of byte `offset` of a file.
fn line_of(path: &Path, offset: u64) -> io::Result<u64> {
    let mut file = File::open(path)?.take(offset);
    let mut buf = vec![0u8; CHUNK];
    let mut newlines = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(newlines + 1);
        }
        newlines += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
    }
}

/// Where strict decoding failed, and the message for the clerk.
#[derive(Debug)]
struct StrictError {
    message: String,
}

/// Decodes the whole file without replacement and fails at the first malformed sequence.
fn check_strict(path: &Path, mut decoder: Decoder, skip: usize, what: &str) -> std::result::Result<(), StrictError> {
    let io_error = |e: io::Error| StrictError { message: super::os_error::cannot_read(path, &e).to_string() };
    let mut file = BufReader::new(File::open(path).map_err(io_error)?);
    io::copy(&mut (&mut file).take(skip as u64), &mut io::sink()).map_err(io_error)?;
    let mut input = vec![0u8; CHUNK];
    let mut out = String::with_capacity(CHUNK * 4);
    let mut line = 1u64;
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let n = file.read(&mut input).map_err(io_error)?;
        let last = n == 0;
        pending.extend_from_slice(&input[..n]);
        let mut start = 0;
        loop {
            out.clear();
            let (result, read) = decoder.decode_to_string_without_replacement(&pending[start..], &mut out, last);
            line += out.bytes().filter(|b| *b == b'\n').count() as u64;
            start += read;
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => out.reserve(CHUNK * 4),
                DecoderResult::Malformed(_, _) => {
                    return Err(StrictError {
                        message: format!("{}:{line}: {}", path.display(), crate::t!("returns-neither-encoding", what = what)),
                    })
                }
            }
        }
        pending.drain(..start);
        if last {
            return Ok(());
        }
    }
}

/// Opens a sniffed file as a stream of UTF-8 bytes (BOM removed).
/// `read` counts the file's bytes read so far, for progress.
pub(crate) fn open_utf8(path: &Path, sniffed: &Sniffed, read: Arc<AtomicU64>) -> Result<Box<dyn Read + Send>> {
    let raw = File::open(path).map_err(|e| super::os_error::cannot_open(path, &e))?;
    let mut file = BufReader::with_capacity(CHUNK, Counted { inner: raw, read });
    io::copy(&mut (&mut file).take(sniffed.encoding.bom_len() as u64), &mut io::sink())
        .map_err(|e| super::os_error::cannot_read(path, &e))?;
    Ok(match sniffed.encoding {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => Box::new(file),
        TextEncoding::Gb18030 => Box::new(Utf8Reader::new(file, GB18030.new_decoder_without_bom_handling())),
        TextEncoding::Utf16Le => Box::new(Utf8Reader::new(file, UTF_16LE.new_decoder_without_bom_handling())),
        TextEncoding::Utf16Be => Box::new(Utf8Reader::new(file, UTF_16BE.new_decoder_without_bom_handling())),
    })
}

/// Counts the bytes read through it.
struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Transcodes a byte stream to UTF-8 as it is read. Used only after [`sniff`] has checked
/// that every byte decodes, so replacement never happens.
pub(crate) struct Utf8Reader<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    finished: bool,
}

impl<R: Read> Utf8Reader<R> {
    pub(crate) fn new(inner: R, decoder: Decoder) -> Self {
        Utf8Reader {
            inner,
            decoder,
            input: vec![0; CHUNK],
            in_start: 0,
            in_end: 0,
            output: vec![0; CHUNK * 3 + 16],
            out_start: 0,
            out_end: 0,
            eof: false,
            finished: false,
        }
    }
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_start == self.out_end {
            if self.finished {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.in_start = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            let (result, read, written, _) =
                self.decoder.decode_to_utf8(&self.input[self.in_start..self.in_end], &mut self.output, self.eof);
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && result == CoderResult::InputEmpty {
                self.finished = true;
            }
        }
        let n = buf.len().min(self.out_end - self.out_start);
        buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn sniff_bytes(bytes: &[u8]) -> Result<(Sniffed, String)> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("r.csv");
        File::create(&path)?.write_all(bytes)?;
        let s = sniff(&path)?;
        let mut text = String::new();
        open_utf8(&path, &s, Default::default())?.read_to_string(&mut text)?;
        Ok((s, text))
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let (s, t) = sniff_bytes("code,名称\n1,德露苑\n".as_bytes()).unwrap();
        assert_eq!(s.encoding, TextEncoding::Utf8);
        assert_eq!(t, "code,名称\n1,德露苑\n");
        let (s, t) = sniff_bytes("\u{feff}code,名称\r\n".as_bytes()).unwrap();
        assert_eq!(s.encoding, TextEncoding::Utf8Bom);
        assert_eq!(t, "code,名称\r\n");
    }

    #[test]
    fn gb18030_is_detected_and_decoded() {
        let text = "社区代码,社区名称\r\n110109001001,德露苑社区居委会\r\n".repeat(5000);
        let (bytes, _, bad) = GB18030.encode(&text);
        assert!(!bad);
        let (s, t) = sniff_bytes(&bytes).unwrap();
        assert_eq!(s.encoding, TextEncoding::Gb18030);
        assert_eq!(t, text);
        assert_eq!(s.bytes, bytes.len() as u64);
    }

    /// Regression: 学校 in GB18030 (D1 A7 D0 A3) starts with a valid UTF-8 pair, which once
    /// made a GB18030 roster look like damaged UTF-8.
    #[test]
    fn gb18030_whose_first_pair_looks_like_utf8() {
        let text = "学校代码,学校名称\r\n1111090001,大峪第一小学\r\n";
        let (bytes, _, _) = GB18030.encode(text);
        assert!(std::str::from_utf8(&bytes[..2]).is_ok());
        let (s, t) = sniff_bytes(&bytes).unwrap();
        assert_eq!(s.encoding, TextEncoding::Gb18030);
        assert_eq!(t, text);
    }

    /// Regression: a UTF-8 file with an English header and one damaged byte on line 2 was
    /// read as GB18030 (its titles garbled) or reported at a later line.
    #[test]
    fn damaged_utf8_with_an_english_header() {
        let mut bytes = b"id,host,date,kind,title\nA1,1,2020-09-01,guidance,".to_vec();
        bytes.extend_from_slice(&[0xE4, 0xB8]); // a character cut short
        bytes.extend_from_slice(b"\n");
        for i in 2..40 {
            bytes.extend_from_slice(format!("A{i},1,2020-09-01,guidance,家庭教育讲座\n").as_bytes());
        }
        let e = sniff_bytes(&bytes).unwrap_err().to_string();
        assert!(e.contains(":2: 文件在这里不是有效的 UTF-8 文本"), "{e}");
    }

    /// Regression: GB18030 text whose characters often also form valid UTF-8 (学习 is
    /// D1 A7 CF B0) was rejected as damaged UTF-8.
    #[test]
    fn gb18030_with_many_utf8_lookalikes() {
        let mut text = String::from("id,host,date,kind,title\r\n");
        for i in 0..10 {
            text += &format!("A{i},1,2020-09-01,guidance,学习\r\n");
        }
        for i in 10..30 {
            text += &format!("A{i},1,2020-09-01,practice,亲子阅读活动\r\n");
        }
        let (bytes, _, _) = GB18030.encode(&text);
        let (s, t) = sniff_bytes(&bytes).unwrap();
        assert_eq!(s.encoding, TextEncoding::Gb18030);
        assert_eq!(t, text);
    }

    /// Regression (issue 11): a UTF-8 file with one line pasted in from a GBK file was read
    /// whole as GB18030, and every row came back as mojibake errors.
    #[test]
    fn a_gbk_line_in_a_utf8_file_is_named() {
        let mut bytes = "活动编号,主办单位代码,活动日期,活动类型,活动名称\n".as_bytes().to_vec();
        for i in 2..57 {
            // Mostly ASCII rows: few Chinese characters for the file-wide count.
            let title = if i % 10 == 0 { "讲座" } else { "talk" };
            bytes.extend_from_slice(format!("A{i},1,2020-09-01,guidance,{title}\n").as_bytes());
        }
        let (gbk, _, _) = GB18030.encode("A57,1,2020-09-01,家长会,家庭教育指导中心亲子阅读活动第一期\n");
        bytes.extend_from_slice(&gbk);
        bytes.extend_from_slice(b"A58,1,2020-09-01,guidance,talk\n");
        let e = sniff_bytes(&bytes).unwrap_err().to_string();
        assert!(e.contains(":57: 第 57 行不像文件其余部分那样是 UTF-8，看起来是 GBK"), "{e}");
        assert_eq!(e.lines().count(), 1, "{e}");
    }

    #[test]
    fn several_foreign_lines_are_listed() {
        let mut bytes = "活动编号,主办单位代码,活动日期,活动类型,活动名称\n".as_bytes().to_vec();
        for i in 2..=40 {
            let line = format!("A{i},1,2020-09-01,讲座,家庭教育讲座\n");
            if i == 7 || i == 30 {
                bytes.extend_from_slice(&GB18030.encode(&line).0);
            } else {
                bytes.extend_from_slice(line.as_bytes());
            }
        }
        let e = sniff_bytes(&bytes).unwrap_err().to_string();
        assert!(e.contains(":7: 第 7 行不像") && e.contains(":30: 第 30 行不像"), "{e}");
    }

    /// A long line that is not UTF-8 is scanned in bounded memory and still named.
    #[test]
    fn a_long_foreign_line_is_named() {
        let mut bytes = "code,名称\n1,德露苑社区居委会\n2,月季园东里社区居委会\n3,石门营社区居委会\n".repeat(3).into_bytes();
        bytes.extend_from_slice(&GB18030.encode(&format!("4,{}\n", "德露苑社区".repeat(40_000))).0);
        let e = sniff_bytes(&bytes).unwrap_err().to_string();
        assert!(e.contains(":13: 第 13 行不像"), "{e}");
    }

    #[test]
    fn a_nul_byte_names_its_line() {
        let e = sniff_bytes(b"code,name\n1,a\n2,b\x00c\n").unwrap_err().to_string();
        assert!(e.contains("r.csv:3: 这里有一个 NUL 字节"), "{e}");
        let e = sniff_bytes("\u{feff}code,名称\n\n\n4,\u{0}\n".as_bytes()).unwrap_err().to_string();
        assert!(e.contains("r.csv:4: 这里有一个 NUL 字节"), "{e}");
    }

    #[test]
    fn utf16_without_a_bom_is_named() {
        let bytes: Vec<u8> = "code,名称\r\n1,德露苑\r\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let e = sniff_bytes(&bytes).unwrap_err().to_string();
        assert!(e.contains("UTF-16"), "{e}");
    }

    #[test]
    fn utf16le_with_bom() {
        let text = "学校代码\t学校名称\r\n1\t一小\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (s, t) = sniff_bytes(&bytes).unwrap();
        assert_eq!(s.encoding, TextEncoding::Utf16Le);
        assert_eq!(t, text);
    }

    #[test]
    fn damaged_utf8_names_the_line() {
        let mut bytes = "code,名称\n1,德露苑社区居委会\n2,月季园东里社区居委会,".as_bytes().to_vec();
        bytes.extend_from_slice(&[0xE5, 0x41, b'\n']);
        let e = sniff_bytes(&bytes).unwrap_err().to_string();
        assert!(e.contains(":3:"), "{e}");
        assert!(e.contains("不是有效的 UTF-8"), "{e}");
    }

    #[test]
    fn bytes_valid_in_no_encoding_name_the_line() {
        // ASCII, then a GBK lead byte followed by a byte no encoding accepts.
        let bytes = b"code,name\n1,a\n2,b\n3,\x81\x7f\n".to_vec();
        let e = sniff_bytes(&bytes).unwrap_err().to_string();
        assert!(e.contains(":4:"), "{e}");
        assert!(e.contains("既不是 UTF-8 也不是 GB18030"), "{e}");
        let bytes = b"code,name\n1,\xFF\n".to_vec();
        let e = sniff_bytes(&bytes).unwrap_err().to_string();
        assert!(e.contains(":2:"), "{e}");
    }

    #[test]
    fn workbooks_are_named() {
        let e = sniff_bytes(b"PK\x03\x04rest").unwrap_err().to_string();
        assert!(e.contains("工作簿"), "{e}");
    }

    #[test]
    fn hash_is_of_the_raw_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        std::fs::write(&path, b"abc").unwrap();
        let want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(Sha256Job::start(&path).finish().unwrap(), want);
        assert_eq!(sha256_hex(b"abc"), want);
    }
}
