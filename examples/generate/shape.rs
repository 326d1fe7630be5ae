//! The options that make the activities look like a return filed from the field rather
//! than the bench's own (issue 23): Chinese headers, long ids in random order, hosts drawn
//! from every unit, Chinese spellings with dates spelt by month, every optional cell
//! filled, Windows line ends and quoted cells. Each has a default that writes exactly what
//! the generator wrote before it existed.

use std::io::{self, Write};

/// The header of the activities file.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Headers {
    /// `id,host,date,kind,title,participants,mode` (SPEC §3's canonical names).
    En,
    /// `活动编号,主办单位代码,活动日期,活动类型,活动名称,参与人数,形式`.
    Zh,
}

impl Headers {
    pub fn cells(self) -> [&'static str; 7] {
        match self {
            Headers::En => ["id", "host", "date", "kind", "title", "participants", "mode"],
            Headers::Zh => ["活动编号", "主办单位代码", "活动日期", "活动类型", "活动名称", "参与人数", "形式"],
        }
    }
}

/// How activity ids are spelt.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Ids {
    /// `A000000001`, `A000000002`, … in row order.
    Seq,
    /// `N` and nine digits, scattered over 0..10^9 by a bijection of the row's number, so
    /// that consecutive rows have unrelated ids (and the first N rows of a larger file are
    /// still a file of N rows, with ids that never collide).
    Long,
}

const ID_SPACE: u64 = 1_000_000_000;

/// A bijection of 0..2^30 (xor-shifts and odd multipliers, each invertible mod 2^30).
fn mix30(mut x: u64) -> u64 {
    const MASK: u64 = (1 << 30) - 1;
    for _ in 0..3 {
        x ^= x >> 15;
        x = x.wrapping_mul(0x2c1b_3c6d) & MASK;
        x ^= x >> 12;
        x = x.wrapping_mul(0x297a_2d39) & MASK;
    }
    x
}

/// A bijection of 0..10^9 that looks random: [`mix30`] applied again while the result is
/// 10^9 or more (cycle walking; about 1.07 rounds on average).
fn scatter(n: u64) -> u64 {
    let mut x = n % ID_SPACE;
    loop {
        x = mix30(x);
        if x < ID_SPACE {
            return x;
        }
    }
}

impl Ids {
    /// The id cell of activity number `n`.
    pub fn cell(self, n: u64) -> String {
        match self {
            Ids::Seq => format!("A{n:09}"),
            Ids::Long => format!("N{:09}", scatter(n)),
        }
    }
}

/// How hosts are drawn in the random order.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Hosts {
    /// 90% among units with a parent school, 10% among all.
    Weighted,
    /// Among all units alike.
    Uniform,
}

/// `--spelling real`: the six Chinese kind spellings, by kind in the generator's order
/// (guidance, practice, parent-meeting, home-visit).
pub const REAL_KINDS: [&[&str]; 4] = [&["讲座", "家庭教育指导"], &["亲子活动", "家庭教育实践"], &["家长会"], &["家访"]];

/// `--spelling real`: a day of September to December as `2020-09-01` (`iso`), of January
/// to August as `2021年1月1日` (`zh`).
pub fn real_date<'a>(month: u32, iso: &'a str, zh: &'a str) -> &'a str {
    if month >= 9 {
        iso
    } else {
        zh
    }
}

/// How a line of the CSV is written.
#[derive(Clone, Copy, Default)]
pub struct Style {
    /// `\r\n` at the end of each line (else `\n`).
    pub crlf: bool,
    /// Every cell in double quotes (a quote inside doubled).
    pub quote_all: bool,
}

impl Style {
    /// Writes one line of cells.
    pub fn line(self, w: &mut impl Write, cells: &[&str]) -> io::Result<()> {
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                w.write_all(b",")?;
            }
            if self.quote_all {
                w.write_all(b"\"")?;
                w.write_all(c.replace('"', "\"\"").as_bytes())?;
                w.write_all(b"\"")?;
            } else {
                w.write_all(c.as_bytes())?;
            }
        }
        w.write_all(if self.crlf { b"\r\n" } else { b"\n" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_ids_are_distinct() {
        let mut seen: Vec<String> = (1..=100_000).map(|n| Ids::Long.cell(n)).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 100_000);
    }
}
