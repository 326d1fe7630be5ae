//! The page size of a file SQLite wrote, shared by the crash and power-loss tests
//! (a folder, so that it is no test target of its own).

/// The page size of a file SQLite wrote: a database's (from its header), a WAL's (from its
/// header), else 4096, SQLite's default. A new ledger has 16 KiB pages; the old fixtures
/// 4 KiB.
pub fn page_size(x: &[u8]) -> usize {
    if x.len() >= 100 && x.starts_with(b"SQLite format 3\0") {
        match u16::from_be_bytes([x[16], x[17]]) {
            1 => 65536,
            n => n as usize,
        }
    } else if x.len() >= 32 && u32::from_be_bytes(x[..4].try_into().unwrap()) & !1 == 0x377f_0682 {
        u32::from_be_bytes(x[8..12].try_into().unwrap()) as usize
    } else {
        4096
    }
}
