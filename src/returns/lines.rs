//! Physical line numbers for the CSV reader's records, and a bound on a record's length.

use std::fmt;
use std::io::Read;
use std::sync::{Arc, Mutex};

use super::header::MAX_RECORD_BYTES;

/// Physical line numbers for the CSV reader's records.
///
/// The csv crate's own line count is off for CRLF files and after blank lines, and the
/// byte offset it gives for a record may point at the line breaks before it. So the text
/// stream is read through [`LineCounter`], which notes the offset of every `\r` and `\n`:
/// a record really starts at the first byte at or after its offset that is not a line
/// break, and its line is one more than the `\n`s before that byte. Offsets already
/// passed are dropped, so memory stays bounded by the readers' buffers.
#[derive(Default)]
pub(super) struct Newlines {
    /// (offset, is `\n`) of line-break bytes not yet passed.
    pending: std::collections::VecDeque<(u64, bool)>,
    passed: u64,
}

impl Newlines {
    pub(super) fn line_at(&mut self, byte: u64) -> u64 {
        let mut start = byte;
        while let Some(&(offset, is_lf)) = self.pending.front() {
            if offset < start {
                self.passed += u64::from(is_lf);
            } else if offset == start {
                // A line break where the record was said to start: it starts later.
                self.passed += u64::from(is_lf);
                start += 1;
            } else {
                break;
            }
            self.pending.pop_front();
        }
        self.passed + 1
    }
}

/// Passes bytes through, recording where each newline is, and fails once the record being
/// read runs past [`MAX_RECORD_BYTES`] (the csv reader would buffer it whole).
pub(super) struct LineCounter<R> {
    pub(super) inner: R,
    pub(super) offset: u64,
    pub(super) newlines: Arc<Mutex<Newlines>>,
    /// Where the record being read starts, set after each record.
    pub(super) record_start: Arc<std::sync::atomic::AtomicU64>,
}

/// The error [`LineCounter`] fails with on an over-long record.
#[derive(Debug)]
pub(super) struct RecordTooLong;

impl fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a row longer than {} MB", MAX_RECORD_BYTES >> 20)
    }
}

impl std::error::Error for RecordTooLong {}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut nl = self.newlines.lock().unwrap_or_else(|e| e.into_inner());
        for i in memchr::memchr2_iter(b'\n', b'\r', &buf[..n]) {
            nl.pending.push_back((self.offset + i as u64, buf[i] == b'\n'));
        }
        self.offset += n as u64;
        if self.offset.saturating_sub(self.record_start.load(std::sync::atomic::Ordering::Relaxed)) > MAX_RECORD_BYTES {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, RecordTooLong));
        }
        Ok(n)
    }
}
