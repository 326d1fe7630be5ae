//! Counts per activity kind as the tallies keep them (schema version 9): one `counts` blob
//! per row, the count of each kind at the kind's position in the kinds table
//! (`plan::units::ACTIVITY_KINDS`), each an unsigned LEB128 varint, trailing zeros left
//! out. A kind appended to the table is one more position: old rows read as zero for it,
//! and no column, migration or SQL names it. The encoding is canonical (no trailing zero,
//! shortest varints), so two rows count the same exactly when their blobs are equal.
//!
//! SQL that adds or takes counts calls the functions [`register`] gives every connection
//! that writes: `kind_counts(kind, n, …)`, `counts_add(a, b)`, `counts_sub(a, b)` (an error
//! below zero, as the old columns' CHECKs were), `counts_total(c)` and the aggregate
//! `counts_sum(c)`.

use anyhow::Result;
use rusqlite::functions::{Aggregate, Context, FunctionFlags};
use rusqlite::types::ValueRef;
use rusqlite::Connection;

use crate::plan::ActivityKind;

/// Activities per kind, at each kind's position in the kinds table.
pub(crate) type Counts = [u64; ActivityKind::COUNT];

/// Appends the blob of `counts` to `out` (nothing for all zeros).
pub(crate) fn encode_into(counts: &[u64], out: &mut Vec<u8>) {
    let used = counts.iter().rposition(|&n| n != 0).map_or(0, |i| i + 1);
    for &n in &counts[..used] {
        let mut n = n;
        while n >= 0x80 {
            out.push((n as u8) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }
}

/// The blob of `counts`.
pub(crate) fn encode(counts: &[u64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(counts.len());
    encode_into(counts, &mut out);
    out
}

/// Adds the counts of a blob to `into` (an error for a blob that is not counts, or counts
/// more kinds than this gongyu knows).
pub(crate) fn add_into(bytes: &[u8], into: &mut [u64]) -> Result<()> {
    let (mut at, mut n, mut shift) = (0, 0u64, 0u32);
    for &b in bytes {
        if shift > 63 || at >= into.len() {
            anyhow::bail!(crate::t!("ledger-counts-damaged", kinds = into.len()));
        }
        n |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            into[at] =
                into[at].checked_add(n).ok_or_else(|| anyhow::anyhow!(crate::t!("ledger-counts-damaged", kinds = into.len())))?;
            (at, n, shift) = (at + 1, 0, 0);
        } else {
            shift += 7;
        }
    }
    if shift != 0 {
        anyhow::bail!(crate::t!("ledger-counts-damaged", kinds = into.len()));
    }
    Ok(())
}

/// The counts of a blob.
pub(crate) fn decode(bytes: &[u8]) -> Result<Counts> {
    let mut c = [0; ActivityKind::COUNT];
    add_into(bytes, &mut c)?;
    Ok(c)
}

/// The kind an activity row names by its id (an error for an id the kinds table lacks).
pub(crate) fn kind_of(id: &str) -> Result<ActivityKind> {
    ActivityKind::from_str_exact(id).ok_or_else(|| anyhow::anyhow!(crate::t!("ledger-counts-unknown-kind", kind = id)))
}

/// Counts as a short text, each kind that has some named in the current language
/// (`实践 1, 家访 2`; `practice 1, home-visit 2`), `0` for none.
pub(crate) fn words(counts: &Counts) -> String {
    let lang = crate::messages::lang();
    let some: Vec<String> = ActivityKind::all()
        .filter(|k| counts[k.index()] > 0)
        .map(|k| format!("{} {}", k.name_in(lang), counts[k.index()]))
        .collect();
    if some.is_empty() {
        "0".to_string()
    } else {
        some.join(", ")
    }
}

fn user_error(e: anyhow::Error) -> rusqlite::Error {
    rusqlite::Error::UserFunctionError(e.into())
}

/// The counts of argument `i`: a blob, or NULL for none.
fn arg(ctx: &Context<'_>, i: usize) -> rusqlite::Result<Counts> {
    match ctx.get_raw(i) {
        ValueRef::Null => Ok([0; ActivityKind::COUNT]),
        ValueRef::Blob(b) => decode(b).map_err(user_error),
        _ => Err(user_error(anyhow::anyhow!(crate::t!("ledger-counts-damaged", kinds = ActivityKind::COUNT)))),
    }
}

/// Gives every connection that writes the tallies the counts functions.
pub(crate) fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    // kind_counts('guidance', 2, 'home-visit', 1, …): a kind named by its id, counted n times.
    conn.create_scalar_function("kind_counts", -1, flags, |ctx| {
        let mut c = [0; ActivityKind::COUNT];
        for i in (0..ctx.len()).step_by(2) {
            let name: String = ctx.get(i)?;
            let n: i64 = if i + 1 < ctx.len() { ctx.get(i + 1)? } else { 1 };
            let kind = ActivityKind::from_str_exact(&name)
                .ok_or_else(|| user_error(anyhow::anyhow!(crate::t!("ledger-counts-unknown-kind", kind = name.as_str()))))?;
            let n = u64::try_from(n).map_err(|_| user_error(anyhow::anyhow!(crate::t!("ledger-counts-negative"))))?;
            c[kind.index()] += n;
        }
        Ok(encode(&c))
    })?;
    conn.create_scalar_function("counts_add", 2, flags, |ctx| {
        let (mut a, b) = (arg(ctx, 0)?, arg(ctx, 1)?);
        for (x, y) in a.iter_mut().zip(b) {
            *x = x.checked_add(y).ok_or_else(|| user_error(anyhow::anyhow!(crate::t!("ledger-counts-negative"))))?;
        }
        Ok(encode(&a))
    })?;
    conn.create_scalar_function("counts_sub", 2, flags, |ctx| {
        let (mut a, b) = (arg(ctx, 0)?, arg(ctx, 1)?);
        for (x, y) in a.iter_mut().zip(b) {
            *x = x.checked_sub(y).ok_or_else(|| user_error(anyhow::anyhow!(crate::t!("ledger-counts-negative"))))?;
        }
        Ok(encode(&a))
    })?;
    conn.create_scalar_function("counts_total", 1, flags, |ctx| Ok(arg(ctx, 0)?.iter().sum::<u64>() as i64))?;
    conn.create_aggregate_function("counts_sum", 1, flags, CountsSum)
}

/// The aggregate `counts_sum`: the counts of its rows added up.
struct CountsSum;

impl Aggregate<Counts, Vec<u8>> for CountsSum {
    fn init(&self, _: &mut Context<'_>) -> rusqlite::Result<Counts> {
        Ok([0; ActivityKind::COUNT])
    }

    fn step(&self, ctx: &mut Context<'_>, sum: &mut Counts) -> rusqlite::Result<()> {
        for (x, y) in sum.iter_mut().zip(arg(ctx, 0)?) {
            *x = x.saturating_add(y);
        }
        Ok(())
    }

    fn finalize(&self, _: &mut Context<'_>, sum: Option<Counts>) -> rusqlite::Result<Vec<u8>> {
        Ok(encode(&sum.unwrap_or([0; ActivityKind::COUNT])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActivityKind::{Guidance as G, HomeVisit as H, ParentMeeting as M, Practice as P};

    /// Counts of the kinds named, zero for the rest (whatever the number of kinds).
    fn of(n: &[(ActivityKind, u64)]) -> Counts {
        let mut c = [0; ActivityKind::COUNT];
        for &(k, n) in n {
            c[k.index()] += n;
        }
        c
    }

    #[test]
    fn counts_round_trip_shortest_and_without_trailing_zeros() {
        for c in [
            of(&[]),
            of(&[(G, 1)]),
            of(&[(H, 1)]),
            of(&[(G, 127), (P, 128), (M, 300)]),
            of(&[(G, u64::MAX), (M, 5), (H, 1 << 40)]),
        ] {
            let b = encode(&c);
            assert_eq!(decode(&b).unwrap(), c);
            assert!(b.last() != Some(&0), "{c:?}: no trailing zero");
        }
        assert_eq!(encode(&of(&[(G, 1)])), vec![1]);
        assert_eq!(encode(&of(&[(M, 2)])), vec![0, 0, 2]);
        assert_eq!(encode(&of(&[(G, 128)])), vec![0x80, 1]);
        assert!(encode(&of(&[])).is_empty());
    }

    #[test]
    fn blobs_that_are_not_counts_are_refused() {
        assert!(decode(&[0x80]).is_err(), "a varint cut short");
        assert!(decode(&[1; ActivityKind::COUNT + 1]).is_err(), "more kinds than the table has");
        assert!(decode(&[0xff; 11]).is_err(), "a varint past 64 bits");
    }

    #[test]
    fn sql_functions_add_take_and_sum_counts_by_kind() {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        let blob = |sql: &str| -> Counts { decode(&conn.query_row(sql, [], |r| r.get::<_, Vec<u8>>(0)).unwrap()).unwrap() };
        assert_eq!(blob("SELECT kind_counts('guidance', 2, 'home-visit', 1, 'guidance', 1)"), of(&[(G, 3), (H, 1)]));
        let added = blob("SELECT counts_add(kind_counts('practice', 2), kind_counts('practice', 1, 'parent-meeting', 4))");
        assert_eq!(added, of(&[(P, 3), (M, 4)]));
        assert_eq!(blob("SELECT counts_add(NULL, kind_counts('practice', 2))"), of(&[(P, 2)]));
        assert_eq!(blob("SELECT counts_sub(kind_counts('practice', 2), kind_counts('practice', 2))"), of(&[]));
        let fails = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, Vec<u8>>(0)).is_err();
        assert!(fails("SELECT counts_sub(x'', kind_counts('practice', 1))"), "below zero");
        assert!(fails("SELECT kind_counts('no-such-kind', 1)"), "a kind the table does not have");
        assert!(fails("SELECT counts_add(x'80', x'')"), "not counts");
        conn.execute_batch(
            "CREATE TABLE t (k TEXT); INSERT INTO t VALUES ('guidance'), ('guidance'), ('home-visit'), ('practice');",
        )
        .unwrap();
        assert_eq!(blob("SELECT counts_sum(kind_counts(k, 1)) FROM t"), of(&[(G, 2), (H, 1), (P, 1)]));
        let total = conn.query_row("SELECT counts_total(counts_sum(kind_counts(k, 1))) FROM t", [], |r| r.get::<_, i64>(0));
        assert_eq!(total.unwrap(), 4);
    }
}
