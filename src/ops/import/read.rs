//! The reading thread of an import: each row read, parsed and checked against the file's
//! earlier rows, and sent on to the writing thread in chunks.

use super::checks::FileChecks;
use super::timings::{Phases, Stopwatch};
use crate::ledger::CodeMap;
use crate::returns::privacy::mask_ids;
use crate::returns::{Record, ReturnFile, ReturnKind, RowContext, RowError};

/// Chunks of parsed rows in flight between the reading thread and the writing one.
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

/// Reads and parses every row of `file`, sending them on in chunks. Stops early if the
/// writing side hangs up (it failed). The time of each phase goes into `phases` if timed.
#[allow(clippy::too_many_arguments)] // the reading thread's whole share of one file
pub(super) fn parse_rows(
    file: &mut ReturnFile,
    kind: ReturnKind,
    cx: RowContext,
    keep: bool,
    hosts: Option<&CodeMap>,
    checks: &mut FileChecks,
    send: std::sync::mpsc::SyncSender<Chunk>,
    phases: &mut Phases,
) {
    let parse = kind.spec().parse;
    let ref_positions = file.header.ref_positions(kind);
    let mut chunk = Vec::with_capacity(CHUNK_ROWS);
    let mut clock = Stopwatch::new(phases.timed);
    while let Some(next) = file.next_row() {
        phases.parse += clock.lap();
        let pr = match next {
            Err(e) => {
                ParsedRow { line: e.line, parsed: Err(vec![e]), cells: None, host: None, checked: Vec::new(), write: false }
            }
            Ok(row) => {
                let line = row.line;
                // SPEC §13: any cell, in any column, holding an ID-card number refuses the row.
                let ids = row.id_numbers();
                let parsed = if ids.is_empty() {
                    parse(row, &cx)
                } else {
                    Err(ids.into_iter().chain(parse(row, &cx).err().into_iter().flatten()).collect())
                };
                let cells = keep.then(|| {
                    let mut cells: Vec<String> = file.current_record().iter().map(|c| mask_ids(c).into_owned()).collect();
                    // A ref the message withholds (a name?) is withheld from the rejects file too.
                    for &p in &ref_positions {
                        if let Some(c) = cells.get_mut(p).filter(|c| crate::returns::privacy::ref_is_withheld(c)) {
                            *c = crate::returns::privacy::WITHHELD.to_string();
                        }
                    }
                    csv::StringRecord::from(cells)
                });
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
        if chunk.len() == CHUNK_ROWS {
            look_up_hosts(&mut chunk, hosts);
        }
        phases.validate += clock.lap();
        if chunk.len() == CHUNK_ROWS {
            let rows = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_ROWS));
            if send.send(Chunk { rows, at_byte: file.position() }).is_err() {
                return;
            }
            phases.read_idle += clock.lap();
        }
    }
    phases.parse += clock.lap();
    if !chunk.is_empty() {
        look_up_hosts(&mut chunk, hosts);
        let _ = send.send(Chunk { rows: chunk, at_byte: file.position() });
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
