//! The reading threads of an import: one reads the file's records, another parses each
//! row and checks it against the file's earlier rows, and sends them on to the writing
//! thread in chunks. Three threads, because at national scale reading and checking alone
//! took longer than the writing they fed (issue 23).

use super::checks::FileChecks;
use super::timings::{Phases, Stopwatch};
use crate::ledger::CodeMap;
use crate::returns::privacy::mask_ids;
use crate::returns::{Record, ReturnFile, ReturnKind, RowContext, RowError, RowShape};

/// Chunks in flight between each thread and the next.
pub(super) const PIPELINE_CHUNKS: usize = 8;
/// Rows per chunk.
const CHUNK_ROWS: usize = 512;
/// From this size on (bytes of text, or rows of a sheet), an activities file has the
/// ledger's hosts loaded at once rather than looked up as they come.
pub(super) const PRELOAD_HOSTS_BYTES: u64 = 1 << 22;

/// Rows on their way to the ledger, and how far into the file they reach.
pub(super) struct Chunk {
    pub(super) rows: Vec<ParsedRow>,
    pub(super) at_byte: u64,
}

/// One row on its way to the ledger.
pub(super) struct ParsedRow {
    pub(super) line: u64,
    pub(super) parsed: std::result::Result<Record, Vec<RowError>>,
    /// The row's cells, kept for `--rejects` (any ID-card number masked).
    pub(super) cells: Option<csv::StringRecord>,
    /// An activity's host, when the reading thread looked it up in the loaded hosts.
    pub(super) host: Option<Option<i64>>,
    /// What a roster row's checks against the file's earlier rows found (see
    /// [`FileChecks::check`]), and whether the row is to be written all the same.
    pub(super) checked: Vec<RowError>,
    pub(super) write: bool,
}

/// Records read from the file, on their way to be checked.
pub(super) struct RawChunk {
    rows: Vec<Result<(u64, csv::StringRecord), RowError>>,
    at_byte: u64,
}

/// Reads every record of `file` (decoded as it streams, blank and total rows skipped) and
/// sends them on in chunks to [`parse_rows`], taking back the records it is done with to
/// read into again. Stops early if the checking side hangs up. Its time goes into
/// `phases.parse` if timed (two clock reads a chunk).
pub(super) fn read_records(
    file: &mut ReturnFile,
    send: std::sync::mpsc::SyncSender<RawChunk>,
    spares: std::sync::mpsc::Receiver<Vec<csv::StringRecord>>,
    phases: &mut Phases,
) {
    let mut clock = Stopwatch::new(phases.timed);
    let mut free: Vec<csv::StringRecord> = Vec::new();
    loop {
        while let Ok(more) = spares.try_recv() {
            free.extend(more);
        }
        let mut rows = Vec::with_capacity(CHUNK_ROWS);
        while rows.len() < CHUNK_ROWS {
            match file.next_record(free.pop()) {
                Some(row) => rows.push(row),
                None => break,
            }
        }
        phases.parse += clock.lap();
        let last = rows.len() < CHUNK_ROWS;
        if !rows.is_empty() && send.send(RawChunk { rows, at_byte: file.position() }).is_err() {
            return;
        }
        if last {
            return;
        }
        clock.lap();
    }
}

/// Parses every record [`read_records`] sends and checks it against the file's earlier
/// rows, sending the rows on to the writing thread in chunks. Stops early if the writing
/// side hangs up (it failed). Its time goes into `phases.validate` (and its waits for
/// either side into `phases.read_idle`) if timed.
#[allow(clippy::too_many_arguments)] // the checking thread's whole share of one file
pub(super) fn parse_rows(
    shape: &RowShape,
    records: std::sync::mpsc::Receiver<RawChunk>,
    spares: std::sync::mpsc::Sender<Vec<csv::StringRecord>>,
    kind: ReturnKind,
    cx: RowContext,
    keep: bool,
    hosts: Option<&CodeMap>,
    checks: &mut FileChecks,
    send: std::sync::mpsc::SyncSender<Chunk>,
    phases: &mut Phases,
) {
    let parse = kind.spec().parse;
    let ref_positions = shape.header.ref_positions(kind);
    let mut clock = Stopwatch::new(phases.timed);
    for raw in records {
        phases.read_idle += clock.lap();
        let mut chunk = Vec::with_capacity(raw.rows.len());
        let mut done = Vec::with_capacity(raw.rows.len());
        for next in raw.rows {
            let pr = match next {
                Err(e) => {
                    ParsedRow { line: e.line, parsed: Err(vec![e]), cells: None, host: None, checked: Vec::new(), write: false }
                }
                Ok((line, record)) => {
                    let row = shape.row(line, &record);
                    // SPEC §13: any cell, in any column, holding an ID-card number refuses the row.
                    let ids = row.id_numbers();
                    let parsed = if ids.is_empty() {
                        parse(row, &cx)
                    } else {
                        Err(ids.into_iter().chain(parse(row, &cx).err().into_iter().flatten()).collect())
                    };
                    let cells = keep.then(|| {
                        let mut cells: Vec<String> = record.iter().map(|c| mask_ids(c).into_owned()).collect();
                        // A ref the message withholds (a name?) is withheld from the rejects file too.
                        for &p in &ref_positions {
                            if let Some(c) = cells.get_mut(p).filter(|c| crate::returns::privacy::ref_is_withheld(c)) {
                                *c = crate::returns::privacy::WITHHELD.to_string();
                            }
                        }
                        csv::StringRecord::from(cells)
                    });
                    done.push(record);
                    // The host is looked up when the chunk is full (see `look_up_hosts`).
                    let host = None;
                    // So are a roster row's checks against the rest of the file.
                    let (checked, write) = match &parsed {
                        Ok(record) => checks.check(line, record),
                        Err(_) => (Vec::new(), false),
                    };
                    ParsedRow { line, parsed, cells, host, checked, write }
                }
            };
            chunk.push(pr);
        }
        // The reading thread reads into these records again (it may be gone: then they go).
        let _ = spares.send(done);
        look_up_hosts(&mut chunk, hosts);
        phases.validate += clock.lap();
        if send.send(Chunk { rows: chunk, at_byte: raw.at_byte }).is_err() {
            return;
        }
        phases.read_idle += clock.lap();
    }
}

/// Looks up the hosts of a chunk's activities in the loaded hosts, here on the reading
/// thread, off the one that writes to SQLite. At national scale each lookup is a miss in
/// the processor's caches; made one after another in a loop of nothing else, the misses of
/// many rows are waited for at once instead of one per row between parsing (issue 23: a
/// quarter of this thread's time when each was made as its row was parsed).
fn look_up_hosts(chunk: &mut [ParsedRow], hosts: Option<&CodeMap>) {
    let Some(map) = hosts else { return };
    let activities = chunk.iter().enumerate().filter_map(|(i, pr)| match &pr.parsed {
        Ok(Record::Activity(a)) => Some((i, a.host.as_str())),
        _ => None,
    });
    let mut found = [None; CHUNK_ROWS];
    map.get_many(activities, |i, host| found[i] = Some(host));
    for (pr, host) in chunk.iter_mut().zip(found) {
        if host.is_some() {
            pr.host = host;
        }
    }
}
