//! Ledger internals (issue 23, reads of a national ledger): `check` still finds each
//! kind of damage now that the activity table's indexes are held to the table by its own
//! pass (not by SQLite's search of every row in every index), and `coverage gaps` streams
//! the same output it wrote before. Real processes on real ledger files; the damage is
//! done through SQL, as only a test may.

#[allow(dead_code)] // each cli_* file uses some of the fixtures and helpers
mod cli_support;
#[allow(dead_code)] // the helpers other test files use
mod workdir;

use cli_support::fixture;
use workdir::Workdir;

/// A ledger with a few activities, checked clean, and a copy of it to start again from.
fn checked_ledger() -> (Workdir, std::path::PathBuf) {
    let wd = fixture();
    let a = wd.write_utf8(
        "a.csv",
        "id,host,date,kind\nT1,1111090003,2020-10-01,讲座\nT2,1111090003,2020-10-20,家访\nT3,1111090003,2020-12-02,亲子活动\n\
         T7,1111090001,2020-11-02,讲座\n,1111090001,2020-11-03,讲座\n",
    );
    wd.import("activities", &a, "").stdout_has("batch 4");
    wd.ok(&["check"]);
    rusqlite::Connection::open(wd.db()).unwrap().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    let pristine = wd.path("pristine.db");
    std::fs::copy(wd.db(), &pristine).unwrap();
    (wd, pristine)
}

/// Runs `sql` on the ledger while the index `index` is declared with `fake` as its
/// `WHERE` (so SQLite keeps the index as if it were that one), then declares it as it was:
/// the index is left not matching its table, as damage on disk would leave it.
fn damage_index(db: &std::path::Path, index: &str, real: &str, fake: &str, sql: &str) {
    let swap = |from: &str, to: &str| {
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.execute_batch("PRAGMA writable_schema = ON;").unwrap();
        let sql = "UPDATE sqlite_schema SET sql = replace(sql, ?1, ?2) WHERE name = ?3";
        assert_eq!(conn.execute(sql, rusqlite::params![from, to, index]).unwrap(), 1);
        conn.execute_batch("PRAGMA writable_schema = RESET; PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    };
    swap(real, fake);
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(&format!("PRAGMA foreign_keys = OFF; {sql}; PRAGMA wal_checkpoint(TRUNCATE);")).unwrap();
    drop(conn);
    swap(fake, real);
}

/// `check` holds each index of the activities to the table: an entry too many, a value
/// the table no longer has, and each index of the three (ids, fingerprints of rows
/// without ids, home visits' students) — and the ledger it was copied from is clean.
#[test]
fn check_finds_an_activity_index_that_does_not_match_its_table() {
    let (wd, pristine) = checked_ledger();
    let cases = [
        // Row T2 takes the id T9: the index keeps T2 (its removal skipped) and gains T9.
        (
            "activity_ext_id",
            "WHERE ext_id IS NOT NULL",
            "WHERE ext_id IS NOT NULL AND ext_id <> 'T2'",
            "UPDATE activity SET ext_id = 'T9' WHERE ext_id = 'T2'",
            "index activity_ext_id holds",
        ),
        // Row T2 takes the id T8, neither written to the index: as many entries as rows,
        // but one of them is T2, which no row has.
        (
            "activity_ext_id",
            "WHERE ext_id IS NOT NULL",
            "WHERE ext_id IS NOT NULL AND ext_id <> 'T2' AND ext_id <> 'T8'",
            "UPDATE activity SET ext_id = 'T8' WHERE ext_id = 'T2'",
            "index activity_ext_id does not hold the values of table activity",
        ),
        // The row without an id gets another fingerprint, not written to its index.
        (
            "activity_fingerprint",
            "WHERE ext_id IS NULL",
            "WHERE ext_id IS NULL AND 0",
            "UPDATE activity SET fingerprint = fingerprint + 1 WHERE ext_id IS NULL",
            "index activity_fingerprint does not hold the values of table activity",
        ),
        // A home visit names a student the index never hears of.
        (
            "activity_student",
            "WHERE student IS NOT NULL",
            "WHERE student IS NOT NULL AND 0",
            "UPDATE activity SET student = 'K1' WHERE ext_id = 'T2'",
            "index activity_student holds",
        ),
    ];
    for (index, real, fake, sql, words) in cases {
        damage_index(&wd.db(), index, real, fake, sql);
        let run = wd.run(&["check"]).expect_code(1);
        assert!(run.stdout.contains("integrity_check") && run.stdout.contains(words), "{sql}\n{}", run.stdout);
        std::fs::copy(&pristine, wd.db()).unwrap();
        wd.ok(&["check"]);
    }
}

/// The damage the recount finds is still found (a tally row off, an activity's term), with
/// the index checks and SQLite's on the other connection running beside the recount.
#[test]
fn check_still_finds_a_broken_tally_or_activity() {
    let (wd, pristine) = checked_ledger();
    let damage = |sql: &str, check: &str, words: &str| {
        let conn = rusqlite::Connection::open(wd.db()).unwrap();
        conn.execute_batch(sql).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
        drop(conn);
        let run = wd.run(&["check"]).expect_code(1);
        assert!(run.stdout.contains(check) && run.stdout.contains(words), "{sql}\n{}", run.stdout);
        std::fs::copy(&pristine, wd.db()).unwrap();
        wd.ok(&["check"]);
    };
    // Counts are one blob per row (an unsigned LEB128 varint per kind): 99 guidance is no
    // host's count here.
    damage("UPDATE activity_tally SET counts = x'63' WHERE month = 202010", "activity-tally", "month 202010 host #");
    damage("UPDATE term_tally SET counts = x'63'", "activity-tally", "term 20201 host #");
    // A blob that is no counts at all (a varint cut short) is a finding, not an error
    // that stops check; so is a count of a kind beyond those this gongyu knows.
    damage("UPDATE activity_tally SET counts = x'ff' WHERE month = 202010", "activity-tally", "month 202010 host #");
    damage("UPDATE activity_tally SET counts = x'ff' WHERE month = 202010", "activity-tally", "counts cannot be read");
    damage("UPDATE term_tally SET counts = x'010101010101010101010101'", "activity-tally", "counts cannot be read");
    damage("PRAGMA ignore_check_constraints = ON; UPDATE term_tally SET counts = 7", "activity-tally", "counts cannot be read");
    damage("UPDATE activity SET day = 20210301 WHERE ext_id = 'T3'", "activity-term-matches-date", "dated 20210301");
    // No CHECK holds an activity's kind since version 9: check does.
    damage(
        "UPDATE activity SET kind = 'no-such-kind' WHERE ext_id = 'T1'",
        "activity-tally",
        "is of kind \"no-such-kind\", which is not an activity kind",
    );
    // No CHECK holds a batch's kind since version 10: check does.
    damage("UPDATE batch SET kind = 'no-such-return' WHERE id = 4", "batch-counts", "is of kind \"no-such-return\"");
    // A CHECK constraint broken behind SQLite's back (quick_check, on the other connection).
    damage(
        "PRAGMA ignore_check_constraints = ON; UPDATE activity SET participants = -1 WHERE ext_id = 'T1'",
        "integrity_check",
        "CHECK constraint failed in activity",
    );
}
