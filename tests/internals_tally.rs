//! Integration tests of the `gongyu` binary (SPEC §2–6) on the monthly and term tallies of
//! activities (issue 10): writing in long runs, large files, reverts, and `check` finding
//! each kind of damage. Real processes on real ledger files in temporary folders.

#[allow(dead_code)] // each cli_* file uses some of the fixtures and helpers
mod cli_support;
#[allow(dead_code)] // the helpers other test files use
mod workdir;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use cli_support::{args, at, fixture, SCHOOLS, TERM};
use rusqlite::functions::FunctionFlags;
use workdir::Workdir;

/// The kinds at their positions in the tallies' counts (the kinds table's order).
const KINDS: [&str; 4] = ["guidance", "practice", "parent-meeting", "home-visit"];

/// The counts of a tally row, read as the schema says (schema.sql, version 9): an unsigned
/// LEB128 varint per kind, at the kind's position, trailing zeros left out. The tests' own
/// reading, not gongyu's.
fn decode(blob: &[u8]) -> Vec<u64> {
    let (mut out, mut n, mut shift) = (Vec::new(), 0u64, 0);
    for &b in blob {
        n |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            out.push(n);
            (n, shift) = (0, 0);
        } else {
            shift += 7;
        }
    }
    assert_eq!(shift, 0, "a varint cut short: {blob:?}");
    assert_ne!(out.last(), Some(&0), "a trailing zero: {blob:?}");
    out
}

/// Runs `sql`, whose one value is text or a number, on the ledger with two functions of the tests' own:
/// `counts_text(counts)` (`2 guidance+1 home-visit`, `0` for none) and `counts_total(counts)`.
fn tally_text(wd: &Workdir, sql: &str) -> String {
    let conn = rusqlite::Connection::open(wd.db()).unwrap();
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("counts_text", 1, flags, |ctx| {
        let c = decode(ctx.get_raw(0).as_blob().unwrap());
        let some: Vec<String> = c.iter().enumerate().filter(|(_, n)| **n > 0).map(|(i, n)| format!("{n} {}", KINDS[i])).collect();
        Ok(if some.is_empty() { "0".to_string() } else { some.join("+") })
    })
    .unwrap();
    conn.create_scalar_function("counts_total", 1, flags, |ctx| {
        Ok(decode(ctx.get_raw(0).as_blob().unwrap()).iter().sum::<u64>() as i64)
    })
    .unwrap();
    match conn.query_row(sql, [], |r| r.get::<_, rusqlite::types::Value>(0)).unwrap() {
        rusqlite::types::Value::Text(t) => t,
        rusqlite::types::Value::Integer(n) => n.to_string(),
        v => panic!("{sql}: {v:?}"),
    }
}

/// Activities are written in runs of many rows per statement; a run holding a duplicate
/// or a reused id must fall back to row-by-row and count or report each exactly.
#[test]
fn duplicates_and_conflicts_inside_long_runs_are_counted_and_reported() {
    let wd = fixture();
    let hosts = ["1111090001", "1111090002", "110109001001", "110109106201"];
    let row = |i: usize| format!("R{i},{},2020-10-{:02},讲座,第{i}讲,{},线下\n", hosts[i % 4], 1 + i % 28, i % 90);
    let mut first = String::from("id,host,date,kind,title,participants,mode\n");
    for i in 0..300 {
        first += &row(i);
    }
    let f = wd.write_utf8("first.csv", &first);
    wd.import("activities", &f, "").stdout_has("imported 300 activities from 300 rows");
    // 200 rows: 100 already in the ledger (exact duplicates), 100 new, and in the middle of a
    // run one new row repeated exactly (a duplicate within the file).
    let mut second = String::from("id,host,date,kind,title,participants,mode\n");
    for i in 250..450 {
        second += &row(i);
        if i == 400 {
            second += &row(i);
        }
    }
    let g = wd.write_utf8("second.csv", &second);
    wd.import("activities", &g, "").stdout_has("imported 150 activities from 201 rows (UTF-8), 51 duplicates skipped");
    assert_eq!(wd.count("SELECT count(*) FROM activity WHERE ext_id LIKE 'R%'"), 450);
    // A reused id deep inside a long run is reported on its own line.
    let mut third = String::from("id,host,date,kind,title,participants,mode\n");
    for i in 450..550 {
        third += &if i == 520 { row(10).replace("第10讲", "另一讲") } else { row(i) };
    }
    let h = wd.write_utf8("third.csv", &third);
    let before = wd.ledger_dump();
    wd.run(&args(&[&"import", &"activities", &h]))
        .expect_code(1)
        .stderr_has(&format!(
            "{}:72: column id: id R10 is already used by a different activity at {}:12",
            h.display(),
            f.display()
        ))
        .stderr_has("1 problem");
    assert_eq!(wd.ledger_dump(), before);
}

/// A run of rows written in one statement that meets a repeat part-way keeps none of its
/// rows: they are written one by one instead, each once, and each counted once.
#[test]
fn a_repeat_part_way_through_a_run_writes_and_counts_every_row_once() {
    let wd = fixture();
    let sum = |table: &str| tally_text(&wd, &format!("SELECT sum(counts_total(counts)) FROM {table}")).parse::<i64>().unwrap();
    let kept = wd.count("SELECT count(*) FROM activity");
    assert_eq!((sum("activity_tally"), sum("term_tally")), (kept, kept));
    let hosts = ["1111090001", "1111090002", "110109001001", "110109106201"];
    let row = |id: &str, i: usize| format!("{id},{},2020-10-{:02},讲座,第{i}讲,{},线下\n", hosts[i % 4], 1 + i % 28, i % 90);
    let mut first = String::from("id,host,date,kind,title,participants,mode\n");
    for i in 0..10 {
        first += &row(&format!("P{i}"), i);
    }
    wd.import("activities", &wd.write_utf8("first.csv", &first), "").stdout_has("imported 10 activities");
    // 300 rows: two whole runs and a part; rows 60 and 200 repeat activities already kept.
    let mut second = String::from("id,host,date,kind,title,participants,mode\n");
    for i in 0..300 {
        second += &match i {
            60 => row("P5", 5),
            200 => row("P6", 6),
            _ => row(&format!("Q{i}"), i),
        };
    }
    wd.import("activities", &wd.write_utf8("second.csv", &second), "")
        .stdout_has("imported 298 activities from 300 rows (UTF-8), 2 duplicates skipped");
    assert_eq!(wd.count("SELECT count(*) FROM activity"), kept + 308);
    assert_eq!(wd.count("SELECT count(*) FROM activity WHERE ext_id LIKE 'P%' OR ext_id LIKE 'Q%'"), 308);
    assert_eq!((sum("activity_tally"), sum("term_tally")), (kept + 308, kept + 308));
    wd.ok(&["check"]);
}

/// A file of more than 4 MiB has its hosts looked up in the hosts loaded from the ledger
/// (while it is opened): the same answers as SQLite's, rosters reverted included.
#[test]
fn a_large_file_finds_its_hosts_in_the_loaded_hosts() {
    let wd = fixture();
    // A school on a second roster, which is then reverted: no longer a host.
    let s = wd.write_utf8("s2.csv", &(String::from(SCHOOLS) + "1111099999,撤销小学,小学,大峪街道,是,,\n"));
    wd.import("schools", &s, "2020-2021-2").stdout_has("imported 6 schools");
    let batch = wd.count("SELECT max(id) FROM batch");
    wd.ok(&["revert", &batch.to_string()]);
    let hosts = ["1111090001", "1111090002", "110109001001", "110109106201", "1111090003"];
    let title = "家庭教育指导讲座：如何陪伴孩子度过青春期".repeat(2);
    let mut text = String::from("id,host,date,kind,title,participants,mode\n");
    let rows = 40_000;
    for i in 0..rows {
        writeln!(text, "L{i},{},2020-11-{:02},讲座,{title}{i},{},线下", hosts[i % hosts.len()], 1 + i % 28, i % 90).unwrap();
    }
    assert!(text.len() > 4 << 20, "{} bytes", text.len());
    let bad = text.replacen("L39999,1111090003", "L39999,1111099999", 1);
    let f = wd.write_utf8("big.csv", &bad);
    let before = wd.ledger_dump();
    wd.run(&args(&[&"import", &"activities", &f])).expect_code(1).stderr_has(&format!(
        "{} no school, community or body with code 1111099999 is in any imported roster",
        at(&f, rows as u64 + 1, "host")
    ));
    assert_eq!(wd.ledger_dump(), before);
    let g = wd.write_utf8("big2.csv", &text);
    wd.import("activities", &g, "").stdout_has(&format!("imported {rows} activities from {rows} rows"));
    for (i, h) in hosts.iter().enumerate() {
        let n = wd.count(&format!(
            "SELECT count(*) FROM activity a JOIN unit u ON u.id = a.host_id WHERE u.code = '{h}' AND a.ext_id LIKE 'L%'"
        ));
        assert_eq!(n as usize, rows / hosts.len(), "host {i}");
    }
    wd.ok(&["check"]);
}

/// Reverting an activities batch takes exactly its activities out of the monthly tally: the
/// tally then equals a recount, and the report equals one of a ledger that never had it.
#[test]
fn reverting_activities_takes_their_counts_out_of_the_tally() {
    let wd = fixture();
    let kept = wd.write_utf8(
        "kept.csv",
        "id,host,date,kind\nK1,1111090003,2020-10-01,讲座\nK2,1111090003,2020-10-20,家访\nK3,1111090003,2020-11-02,亲子活动\n",
    );
    let gone = wd.write_utf8(
        "gone.csv",
        "id,host,date,kind\nG1,1111090003,2020-10-05,讲座\nG2,1111090003,2020-12-01,家长会\nG3,1111090003,2020-10-05,亲子活动\n",
    );
    let report = |wd: &Workdir| wd.ok(&["coverage", "report", "--term", TERM, "--format", "json"]).stdout;
    wd.import("activities", &kept, "").stdout_has("batch 4");
    let before = report(&wd);
    let tally = "SELECT group_concat(month || ':' || counts_text(counts), ' ')
                 FROM (SELECT * FROM activity_tally WHERE counts_total(counts) > 0 ORDER BY month, host_id)";
    let terms = "SELECT group_concat(term || ':' || host_id || ':' || counts_text(counts), ' ')
                 FROM (SELECT * FROM term_tally ORDER BY term, host_id)";
    let tally_before = tally_text(&wd, tally);
    let terms_before = tally_text(&wd, terms);
    // K1 and K2 (a lecture and a home visit) in October, K3 (亲子活动: practice) in November.
    assert!(tally_before.contains("202010:1 guidance+1 home-visit") && tally_before.contains("202011:1 practice"));
    wd.import("activities", &gone, "").stdout_has("batch 5");
    assert_ne!(tally_text(&wd, tally), tally_before, "the second file must change the tally");
    assert_ne!(tally_text(&wd, terms), terms_before, "the second file must change the term tally");
    wd.ok(&["revert", "5"]).stdout_has("removed 3 activities");
    assert_eq!(tally_text(&wd, tally), tally_before);
    assert_eq!(tally_text(&wd, terms), terms_before);
    assert_eq!(tally_text(&wd, "SELECT count(*) FROM activity_tally WHERE counts_total(counts) = 0"), "0");
    assert_eq!(tally_text(&wd, "SELECT count(*) FROM term_tally WHERE counts_total(counts) = 0"), "0");
    wd.ok(&["check"]);
    assert_eq!(report(&wd), before);
}

/// (term, host id) → counts per kind.
type TermRows = BTreeMap<(i64, i64), Vec<u64>>;

/// The term rows as the tests read them: (term, host) → counts per kind, from `term_tally`,
/// or summed from `activity_tally`'s months by the tests' own term rule (September to
/// January the school year's first term, February to August its second).
fn term_rows(wd: &Workdir) -> (TermRows, TermRows) {
    let conn = rusqlite::Connection::open(wd.db()).unwrap();
    let read = |sql: &str| -> Vec<(i64, i64, Vec<u64>)> {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, decode(&r.get::<_, Vec<u8>>(2)?)))).unwrap();
        rows.map(Result::unwrap).collect()
    };
    let add = |into: &mut TermRows, key, counts: Vec<u64>| {
        let sum = into.entry(key).or_default();
        sum.resize(sum.len().max(counts.len()), 0);
        sum.iter_mut().zip(counts).for_each(|(s, n)| *s += n);
    };
    let mut kept = BTreeMap::new();
    for (term, host, counts) in read("SELECT term, host_id, counts FROM term_tally") {
        assert!(kept.insert((term, host), counts).is_none());
    }
    let mut summed = BTreeMap::new();
    for (month, host, counts) in read("SELECT month, host_id, counts FROM activity_tally") {
        let (year, m) = (month / 100, month % 100);
        let term = match m {
            9..=12 => year * 10 + 1,
            1 => (year - 1) * 10 + 1,
            _ => (year - 1) * 10 + 2,
        };
        add(&mut summed, (term, host), counts);
    }
    summed.retain(|_, c: &mut Vec<u64>| c.iter().any(|&n| n > 0));
    (kept, summed)
}

/// An import into terms the ledger already counts adds to the term rows kept: a host in
/// both files, a host only in the earlier, one only in the later, and a term only the later
/// file reaches. The term rows are then the sums of the monthly rows.
#[test]
fn a_later_import_adds_to_the_term_rows_already_kept() {
    let wd = fixture();
    let (kept, summed) = term_rows(&wd);
    assert_eq!(kept, summed);
    let hosts_before = kept.len();
    let later = wd.write_utf8(
        "later.csv",
        "id,host,date,kind\nL1,1111090003,2020-10-02,讲座\nL2,1111090003,2021-01-30,家访\nL3,1111090005,2020-12-01,家长会\nL4,1111090004,2021-03-01,讲座\n",
    );
    wd.import("activities", &later, "").stdout_has("imported 4 activities");
    let (kept, summed) = term_rows(&wd);
    assert_eq!(kept, summed, "the term rows must be the sums of the months after a second import");
    assert!(kept.len() > hosts_before, "the second term's row is new");
    assert!(kept.keys().any(|&(term, _)| term == 20202), "the second term is counted");
    wd.ok(&["check"]);
    // Once more into the same months: every row the file reaches is added to again.
    let again = wd.write_utf8("again.csv", "id,host,date,kind\nR1,1111090003,2020-10-03,讲座\nR2,1111090004,2021-03-02,家访\n");
    wd.import("activities", &again, "").stdout_has("imported 2 activities");
    let (kept, summed) = term_rows(&wd);
    assert_eq!(kept, summed);
    wd.ok(&["check"]);
}

/// Each import keeps its monthly counts as its own generation (the id of its first batch);
/// a revert takes a batch's counts out of its own import's rows, also when the import had
/// several files or later imports counted the same unit and month.
#[test]
fn a_revert_takes_counts_out_of_its_own_imports_generation() {
    let wd = fixture();
    let file = |name: &str, rows: &[(&str, &str, &str)]| {
        let body: String = rows.iter().map(|(id, day, kind)| format!("{id},1111090003,{day},{kind}\n")).collect();
        wd.write_utf8(name, &format!("id,host,date,kind\n{body}"))
    };
    let a = file("a.csv", &[("GA1", "2020-10-01", "讲座"), ("GA2", "2020-10-02", "讲座")]);
    let b = file("b.csv", &[("GB1", "2020-10-03", "讲座"), ("GB2", "2020-11-03", "家访")]);
    let c = file("c.csv", &[("GC1", "2020-10-04", "家访")]);
    let d = file("d.csv", &[("GD1", "2020-10-05", "讲座"), ("GD2", "2020-10-06", "亲子活动"), ("GD3", "2020-10-07", "讲座")]);
    let report = |wd: &Workdir| wd.ok(&["coverage", "report", "--term", TERM, "--format", "json"]).stdout;
    let before = report(&wd);
    wd.import("activities", &a, "").stdout_has("batch 4");
    // One import of two files: batches 5 and 6, one generation (5).
    wd.ok(&[std::ffi::OsStr::new("import"), std::ffi::OsStr::new("activities"), b.as_os_str(), c.as_os_str()]);
    wd.import("activities", &d, "").stdout_has("batch 7");
    let gens = "SELECT group_concat(gen || '@' || month || ':' || counts_text(counts), ' ')
                FROM (SELECT * FROM activity_tally WHERE gen >= 4 ORDER BY month, gen, host_id)";
    assert_eq!(
        tally_text(&wd, gens),
        "4@202010:2 guidance 5@202010:1 guidance+1 home-visit 7@202010:2 guidance+1 practice 5@202011:1 home-visit"
    );
    // The second file of the two-file import: out of generation 5, not 7 (the greatest) or 4.
    wd.ok(&["revert", "6"]).stdout_has("removed 1 activities");
    assert_eq!(
        tally_text(&wd, gens),
        "4@202010:2 guidance 5@202010:1 guidance 7@202010:2 guidance+1 practice 5@202011:1 home-visit"
    );
    wd.ok(&["check"]);
    wd.ok(&["revert", "4"]);
    wd.ok(&["check"]);
    wd.ok(&["revert", "5"]);
    assert_eq!(tally_text(&wd, gens), "7@202010:2 guidance+1 practice");
    wd.ok(&["check"]);
    // A later import into the same month is a generation of its own again.
    let e = file("e.csv", &[("GE1", "2020-10-08", "讲座")]);
    wd.import("activities", &e, "").stdout_has("batch 8");
    assert_eq!(tally_text(&wd, gens), "7@202010:2 guidance+1 practice 8@202010:1 guidance");
    wd.ok(&["check"]);
    wd.ok(&["revert", "7"]);
    wd.ok(&["revert", "8"]);
    assert_eq!(wd.count("SELECT count(*) FROM activity_tally WHERE gen >= 4"), 0);
    assert_eq!(report(&wd), before);
}

/// A revert that does not find all of its batch's activities in the tallies where they
/// should be (damage `check` may not see: the sums over the generations are unchanged)
/// changes nothing and says so.
#[test]
fn a_revert_that_cannot_find_its_counts_in_the_tally_changes_nothing() {
    let wd = fixture();
    let p1 = wd.write_utf8("p1.csv", "id,host,date,kind\nP1,1111090003,2020-10-01,讲座\n");
    let p2 = wd.write_utf8("p2.csv", "id,host,date,kind\nP2,1111090003,2020-10-02,讲座\n");
    wd.import("activities", &p1, "").stdout_has("batch 4");
    wd.import("activities", &p2, "").stdout_has("batch 5");
    // Batch 4's count moved into batch 5's generation: the monthly sums stay right.
    let conn = rusqlite::Connection::open(wd.db()).unwrap();
    conn.execute_batch(
        "UPDATE activity_tally SET counts = x'02' WHERE gen = 5;
         DELETE FROM activity_tally WHERE gen = 4;
         PRAGMA wal_checkpoint(TRUNCATE);",
    )
    .unwrap();
    drop(conn);
    wd.ok(&["check"]);
    let before = wd.ledger_dump();
    wd.run(&["revert", "4"])
        .expect_code(1)
        .stderr_has("batch 4 has 1 activities, but the activity tally holds 0 of them by month");
    assert_eq!(wd.ledger_dump(), before, "a refused revert changes nothing");
    // The term tally is checked the same way.
    let conn = rusqlite::Connection::open(wd.db()).unwrap();
    conn.execute_batch("DELETE FROM term_tally; PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    drop(conn);
    wd.run(&["revert", "5"]).expect_code(1).stderr_has("and 0 by term");
    // An undamaged batch reverts.
    let fresh = fixture();
    let q = fresh.write_utf8("q.csv", "id,host,date,kind\nQ1,1111090003,2020-10-01,讲座\nQ2,1111090003,2020-12-01,家访\n");
    fresh.import("activities", &q, "").stdout_has("batch 4");
    fresh.ok(&["revert", "4"]).stdout_has("removed 2 activities");
    fresh.ok(&["check"]);
}

/// `check` recounts the activities against the tally, their terms against their dates, and
/// their references to units and batches: each kind of damage is found and named.
#[test]
fn check_finds_a_tally_term_or_reference_that_does_not_match_the_activities() {
    let wd = fixture();
    let a = wd.write_utf8(
        "a.csv",
        "id,host,date,kind\nT1,1111090003,2020-10-01,讲座\nT2,1111090003,2020-10-20,家访\nT3,1111090003,2020-12-02,亲子活动\n",
    );
    wd.import("activities", &a, "").stdout_has("batch 4");
    wd.ok(&["check"]);
    rusqlite::Connection::open(wd.db()).unwrap().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    let pristine = wd.path("pristine.db");
    std::fs::copy(wd.db(), &pristine).unwrap();
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
    // (202010: T1 and T2, one guidance and one home visit, x'01000001'.)
    damage("UPDATE activity_tally SET counts = x'02000001' WHERE month = 202010", "activity-tally", "month 202010 host #");
    damage(
        "DELETE FROM activity_tally WHERE month = 202012",
        "activity-tally",
        "the activities count practice 1 but the tally says 0",
    );
    damage("UPDATE tally_month SET last_day = 20201201 WHERE month = 202012", "activity-tally", "up to 20201202");
    // The tally per term: a count off, a row missing, a row that should not be there.
    damage("UPDATE term_tally SET counts = x'010301' WHERE term = 20201", "activity-tally", "term 20201 host #");
    damage(
        "DELETE FROM term_tally WHERE term = 20201",
        "activity-tally",
        "count guidance 1, practice 1, home-visit 1 but the tally says 0",
    );
    damage(
        "INSERT INTO term_tally (term, host_id, counts) SELECT 20202, host_id, x'01' FROM term_tally LIMIT 1",
        "activity-tally",
        "term 20202 host #",
    );
    damage("UPDATE activity SET term = 20202 WHERE ext_id = 'T1'", "activity-term-matches-date", "filed under term 20202");
    damage(
        "PRAGMA foreign_keys = OFF; UPDATE activity SET host_id = 999999 WHERE ext_id = 'T2'",
        "foreign_key_check",
        "refers to a missing unit row",
    );
    damage("UPDATE batch SET imported = 7 WHERE id = 4", "batch-counts", "batch 4 records 7 rows but the ledger holds 3");
}
