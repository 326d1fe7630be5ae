//! Sizing the sheets of an Excel 97–2003 workbook (.xls) before calamine reads it.
//!
//! calamine reads every sheet of an .xls when it opens the file, each laid out as one dense
//! rectangle from its first cell to its last: a stray value at IV65536 beside a small table
//! makes 16.7 million cells (a 6 KB file took 1 GB). There is no streaming reader of the
//! format to use instead, so the file's records are scanned first — the compound file's
//! `Workbook` stream, and in it each sheet's cell records — and a workbook whose rectangles
//! would exceed the sheet memory limit is refused before calamine lays them out. A file
//! this scan cannot follow is left to calamine, which reports it damaged.

use std::path::Path;

/// One sheet's cells, as calamine would lay them out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Extent {
    pub sheet: String,
    /// First and last rows and columns holding a value (0-based).
    pub rows: (u32, u32),
    pub cols: (u32, u32),
}

impl Extent {
    /// The cells of the rectangle.
    pub(super) fn cells(&self) -> u64 {
        u64::from(self.rows.1 - self.rows.0 + 1) * u64::from(self.cols.1 - self.cols.0 + 1)
    }
}

/// The extents of the sheets of the .xls at `path`, or `None` if its structure cannot be
/// followed (calamine then says what is wrong).
pub(super) fn extents(path: &Path) -> Option<Vec<Extent>> {
    let data = std::fs::read(path).ok()?;
    let stream = workbook_stream(&data)?;
    Some(sheet_extents(&stream))
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

/// The `Workbook` (BIFF8) or `Book` (BIFF5) stream of a compound file.
fn workbook_stream(data: &[u8]) -> Option<Vec<u8>> {
    if data.get(..8)? != [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
        return None;
    }
    let shift = u16_at(data, 0x1E)?;
    if shift != 9 && shift != 12 {
        return None;
    }
    let size = 1usize << shift;
    let sector = |n: u32| -> Option<&[u8]> {
        let start = (n as usize).checked_add(1)?.checked_mul(size)?;
        data.get(start..start + size)
    };
    // The FAT's sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
    let mut fat_sectors: Vec<u32> = (0..109).filter_map(|i| u32_at(data, 0x4C + 4 * i)).filter(|&s| s < END_OF_CHAIN).collect();
    let (mut difat, mut left) = (u32_at(data, 0x44)?, u32_at(data, 0x48)?);
    while left > 0 && difat < END_OF_CHAIN {
        let s = sector(difat)?;
        let per = size / 4 - 1;
        fat_sectors.extend((0..per).filter_map(|i| u32_at(s, 4 * i)).filter(|&n| n < END_OF_CHAIN));
        difat = u32_at(s, 4 * per)?;
        left -= 1;
    }
    let mut fat = Vec::new();
    for &n in &fat_sectors {
        let s = sector(n)?;
        fat.extend((0..size / 4).filter_map(|i| u32_at(s, 4 * i)));
    }
    let chain = |start: u32, table: &[u32], read: &dyn Fn(u32) -> Option<Vec<u8>>| -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut n = start;
        let mut steps = 0;
        while n < END_OF_CHAIN {
            out.extend(read(n)?);
            n = *table.get(n as usize)?;
            steps += 1;
            if steps > table.len() {
                return None; // a loop
            }
        }
        Some(out)
    };
    let read_sector = |n: u32| sector(n).map(<[u8]>::to_vec);
    let dir = chain(u32_at(data, 0x30)?, &fat, &read_sector)?;
    let entries: Vec<&[u8]> = dir.chunks_exact(128).collect();
    let root = entries.first()?;
    let name_of = |e: &[u8]| -> String {
        let len = (u16_at(e, 64).unwrap_or(0) as usize).min(64);
        let units: Vec<u16> = e[..len].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units).trim_end_matches('\0').to_string()
    };
    let entry = entries.iter().find(|e| e[66] == 2 && matches!(name_of(e).as_str(), "Workbook" | "Book"))?;
    let (start, len) = (u32_at(entry, 116)?, u32_at(entry, 120)? as usize);
    let cutoff = u32_at(data, 0x38)? as usize;
    let mut stream = if len < cutoff {
        // A small stream lives in the mini stream, in 64-byte sectors.
        let mini = chain(u32_at(root, 116)?, &fat, &read_sector)?;
        let minifat_bytes = chain(u32_at(data, 0x3C)?, &fat, &read_sector)?;
        let minifat: Vec<u32> = minifat_bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        let read_mini = |n: u32| mini.get(n as usize * 64..n as usize * 64 + 64).map(<[u8]>::to_vec);
        chain(start, &minifat, &read_mini)?
    } else {
        chain(start, &fat, &read_sector)?
    };
    if stream.len() < len {
        return None;
    }
    stream.truncate(len);
    Some(stream)
}

/// The records of a BIFF stream from `at`: (type, data).
fn records(stream: &[u8], mut at: usize) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let typ = u16_at(stream, at)?;
        let len = u16_at(stream, at + 2)? as usize;
        let data = stream.get(at + 4..at + 4 + len)?;
        at += 4 + len;
        Some((typ, data))
    })
}

/// Each sheet's extent, read from its cell records as calamine reads them.
fn sheet_extents(stream: &[u8]) -> Vec<Extent> {
    let mut sheets = Vec::new();
    for (typ, data) in records(stream, 0) {
        match typ {
            // BOUNDSHEET: where a sheet's records start, and its name.
            0x0085 => {
                let (Some(pos), Some(&cch)) = (u32_at(data, 0), data.get(6)) else { continue };
                let name = match data.get(7) {
                    Some(1) => {
                        let units: Vec<u16> = data
                            .get(8..8 + 2 * cch as usize)
                            .unwrap_or_default()
                            .chunks_exact(2)
                            .map(|c| u16::from_le_bytes([c[0], c[1]]))
                            .collect();
                        String::from_utf16_lossy(&units)
                    }
                    _ => data.get(8..8 + cch as usize).unwrap_or_default().iter().map(|&b| b as char).collect(),
                };
                sheets.push((pos as usize, name));
            }
            0x000A => break,
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (pos, sheet) in sheets {
        let mut extent: Option<Extent> = None;
        let mut grow = |r: u16, c0: u16, c1: u16| {
            let (r, c0, c1) = (u32::from(r), u32::from(c0), u32::from(c1.max(c0)));
            let e = extent.get_or_insert_with(|| Extent { sheet: sheet.clone(), rows: (r, r), cols: (c0, c1) });
            e.rows = (e.rows.0.min(r), e.rows.1.max(r));
            e.cols = (e.cols.0.min(c0), e.cols.1.max(c1));
        };
        let (mut seen_bof, mut depth) = (false, 0usize);
        for (typ, data) in records(stream, pos) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let (row, col) = (u16_at(data, 0), u16_at(data, 2));
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                // NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    if let (Some(r), Some(c)) = (row, col) {
                        grow(r, c, c);
                    }
                }
                // MULRK: one row, from its first column to the last given at its end.
                0x00BD => {
                    if let (Some(r), Some(c0), Some(c1)) = (row, col, data.len().checked_sub(2).and_then(|at| u16_at(data, at))) {
                        grow(r, c0, c1);
                    }
                }
                _ => {}
            }
        }
        out.extend(extent);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_far_corner_value_is_found_in_the_records() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/xls");
        let plain = extents(&dir.join("plain.xls")).unwrap();
        assert_eq!(plain, vec![Extent { sheet: "社区".into(), rows: (0, 2), cols: (0, 4) }]);
        let far = extents(&dir.join("far-corner.xls")).unwrap();
        assert_eq!(far[0].rows, (0, 65535));
        assert_eq!(far[0].cols, (0, 255));
        assert_eq!(far[0].cells(), 65536 * 256);
        assert_eq!(extents(&dir.join("missing.xls")), None);
    }
}
