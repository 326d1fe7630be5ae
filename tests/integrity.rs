//! Ledger integrity under crashes, concurrent use, upgrades and backups (issues 3 and 11),
//! run against the real binary and real ledger files. Kept apart from the `cli_*` files because
//! these tests start many processes; the crash test, which starts thousands, is `crashes.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use proptest::prelude::*;

#[allow(dead_code)] // crashes.rs uses the rest
mod integrity_support;

use integrity_support::*;

fn activity_count(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM activity", [], |r| r.get(0)).unwrap()
}

/// After a crash: the ledger is intact and is exactly the state before or after.
fn assert_before_or_after(db: &Path, before: &str, after: &str, what: &str) -> bool {
    let check = gongyu(db, &["check"], None);
    assert!(check.status.success(), "{what}: check failed:\n{}", String::from_utf8_lossy(&check.stdout));
    let now = report(db);
    assert!(now == before || now == after, "{what}: the report is neither the before- nor the after-state:\n{now}");
    now == after
}

/// `$GONGYU_FAULT` is read only by builds with the `fault-injection` feature. `cargo test`
/// builds the binary with the default features, as `cargo build --release` does: there
/// the variable must change nothing.
#[cfg(not(feature = "fault-injection"))]
#[test]
fn gongyu_fault_is_ignored_without_the_fault_injection_feature() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let file = dir.path().join("activities.csv");
    std::fs::write(&file, activities_csv("F", 50)).unwrap();
    for point in ["before-commit", "after-commit", "rows:0"] {
        let out = gongyu(&db, &["import", "activities", file.to_str().unwrap()], Some(point));
        assert!(out.status.success(), "{point}: {}", String::from_utf8_lossy(&out.stderr));
    }
    assert_eq!(activity_count(&db), 50);
}

/// With the feature (`cargo test --features fault-injection --test integrity`): the two
/// points the hook still offers, around the commit.
#[cfg(feature = "fault-injection")]
#[test]
fn fault_hook_aborts_before_or_after_the_commit() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let file = dir.path().join("activities.csv");
    std::fs::write(&file, activities_csv("F", 2_000)).unwrap();
    let f = file.to_str().unwrap();
    let before = report(&db);
    let before_bytes = std::fs::read(&db).unwrap();
    for (point, landed_after) in [("before-commit", false), ("after-commit", true)] {
        std::fs::write(&db, &before_bytes).unwrap();
        for side in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{side}", db.display()));
        }
        let out = gongyu(&db, &["import", "activities", f], Some(point));
        assert!(!out.status.success(), "{point}: the import should have aborted");
        let check = gongyu(&db, &["check"], None);
        assert!(check.status.success(), "{point}: {}", String::from_utf8_lossy(&check.stdout));
        assert_eq!(report(&db) != before, landed_after, "{point}");
        let again = ok(&gongyu(&db, &["import", "activities", f], None));
        assert_eq!(again.contains("identical"), landed_after, "{point}: {again}");
        assert_eq!(activity_count(&db), 2_000, "{point}");
    }
}

#[test]
fn two_importers_and_a_report_loop_run_together() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let files: Vec<PathBuf> = ["P", "Q"]
        .iter()
        .map(|p| {
            let f = dir.path().join(format!("{p}.csv"));
            std::fs::write(&f, activities_csv(p, 5_000)).unwrap();
            f
        })
        .collect();
    let importers: Vec<_> = files
        .iter()
        .map(|f| {
            Command::new(bin())
                .arg("--db")
                .arg(&db)
                .args(["import", "activities", f.to_str().unwrap()])
                .env_remove("GONGYU_DB")
                .env_remove("GONGYU_PLAN")
                .env("GONGYU_LANG", "en")
                .env("GONGYU_TODAY", "2021-02-01")
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut reports = 0;
    let mut importers: Vec<Option<std::process::Child>> = importers.into_iter().map(Some).collect();
    let mut results = Vec::new();
    while importers.iter().any(Option::is_some) {
        let r = gongyu(&db, &["coverage", "report", "--term", "2020-2021-1", "--format", "json"], None);
        assert!(r.status.success(), "a report failed during the imports: {}", String::from_utf8_lossy(&r.stderr));
        serde_json::from_slice::<serde_json::Value>(&r.stdout).expect("the report is whole JSON");
        reports += 1;
        for slot in importers.iter_mut() {
            if let Some(child) = slot {
                if child.try_wait().unwrap().is_some() {
                    results.push(slot.take().unwrap().wait_with_output().unwrap());
                }
            }
        }
    }
    for out in &results {
        assert!(out.status.success(), "an importer failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    assert_eq!(activity_count(&db), 10_000, "the final count is the sum of both imports");
    ok(&gongyu(&db, &["check"], None));
    eprintln!("concurrency: 2 importers, {reports} reports during them, failures: 0");
}

#[test]
fn every_earlier_schema_version_opens_and_passes_check() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ledgers");
    let mut versions = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("db") {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("old.db");
        std::fs::copy(&path, &db).unwrap();
        let out = gongyu(&db, &["check"], None);
        assert!(out.status.success(), "{}: {}", path.display(), String::from_utf8_lossy(&out.stderr));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("upgrading") && stderr.contains("backup"), "{stderr}");
        let backups = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().to_string_lossy().ends_with(".bak"))
            .count();
        assert_eq!(backups, 1, "a backup is taken before upgrading");
        // The demo ledger of v1 still reports the demo's figures.
        let report: serde_json::Value = serde_json::from_str(&report(&db)).unwrap();
        assert_eq!(report["targets"][0]["denominator"], 100);
        assert_eq!(report["targets"][1]["denominator"], 126);
        assert_eq!(report["targets"][2]["denominator"], 178);
        // Opening again upgrades nothing.
        let again = gongyu(&db, &["check"], None);
        assert!(!String::from_utf8_lossy(&again.stderr).contains("upgrading"));
        versions += 1;
    }
    assert!(versions >= 1, "no fixture ledgers found in {}", fixtures.display());
}

#[test]
fn a_ledger_from_a_newer_gongyu_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    ok(&gongyu(&db, &["init"], None));
    rusqlite::Connection::open(&db).unwrap().execute_batch("PRAGMA user_version = 99").unwrap();
    let out = gongyu(&db, &["coverage", "report", "--term", "2020-2021-1"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("newer gongyu"));
}

#[test]
fn a_foreign_sqlite_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("other.db");
    rusqlite::Connection::open(&db).unwrap().execute_batch("CREATE TABLE t(x)").unwrap();
    let out = gongyu(&db, &["check"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a gongyu ledger"));
}

#[test]
fn backup_during_an_import_is_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let before = report(&db);
    let file = dir.path().join("big.csv");
    std::fs::write(&file, activities_csv("B", 30_000)).unwrap();
    let importer = Command::new(bin())
        .arg("--db")
        .arg(&db)
        .args(["import", "activities", file.to_str().unwrap()])
        .env_remove("GONGYU_DB")
        .env_remove("GONGYU_PLAN")
        .env("GONGYU_LANG", "en")
        .env("GONGYU_TODAY", "2021-02-01")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut backups = Vec::new();
    for i in 0..5 {
        let b = dir.path().join(format!("backup-{i}.db"));
        ok(&gongyu(&db, &["backup", b.to_str().unwrap()], None));
        backups.push(b);
        std::thread::sleep(std::time::Duration::from_millis(40));
    }
    let out = importer.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = report(&db);
    for b in &backups {
        assert_before_or_after(b, &before, &after, &b.display().to_string());
    }
    // A backup never overwrites a file.
    let again = gongyu(&db, &["backup", backups[0].to_str().unwrap()], None);
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn revert_restores_the_replaced_roster_and_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let before = report(&db);
    let (_, schools) = write_rosters(dir.path());
    let changed = std::fs::read_to_string(&schools).unwrap().replace(",是\n", ",否\n");
    let new_roster = dir.path().join("schools-new.csv");
    std::fs::write(&new_roster, changed).unwrap();
    let out = ok(&gongyu(&db, &["import", "schools", new_roster.to_str().unwrap(), "--term", "2020-2021-1"], None));
    assert!(out.contains("replaces the roster of batch 2"), "{out}");
    assert_ne!(report(&db), before);
    let out = ok(&gongyu(&db, &["revert", "3"], None));
    assert!(out.contains("batch 2 again"), "{out}");
    assert_eq!(report(&db), before);
    let log: serde_json::Value = serde_json::from_str(&ok(&gongyu(&db, &["log", "--format", "json"], None))).unwrap();
    assert_eq!(log["batches"][0]["id"], 3);
    assert!(log["batches"][0]["reverted_at"].is_string());
    assert_eq!(log["batches"][0]["replaces"], 2);
    let again = gongyu(&db, &["revert", "3"], None);
    assert_eq!(again.status.code(), Some(1));
    ok(&gongyu(&db, &["check"], None));
}

/// Found by the crash test, which re-runs each operation after a crash that landed: a
/// registry file imported again after any activities batch had been reverted was imported
/// twice (SPEC §4: a byte-identical file again changes nothing and says so).
#[test]
fn a_registry_file_imported_again_after_a_revert_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let activities = dir.path().join("activities.csv");
    std::fs::write(&activities, activities_csv("V", 20)).unwrap();
    ok(&gongyu(&db, &["import", "activities", activities.to_str().unwrap()], None));
    ok(&gongyu(&db, &["revert", "3"], None));
    let registry = dir.path().join("registry.csv");
    std::fs::write(&registry, "township,category,count,filed\n乡镇0,留守儿童,12,2020-10-01\n乡镇1,残疾儿童,3,2020-10-02\n")
        .unwrap();
    let first = ok(&gongyu(&db, &["import", "registry", registry.to_str().unwrap()], None));
    assert!(first.contains("imported 2 filings"), "{first}");
    let again = ok(&gongyu(&db, &["import", "registry", registry.to_str().unwrap()], None));
    assert!(again.contains("identical"), "{again}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let filings: i64 = conn.query_row("SELECT count(*) FROM registry", [], |r| r.get(0)).unwrap();
    assert_eq!(filings, 2);
}

// ------------------------------------------------------------------ properties

/// Imports rosters and the given activity files into a fresh ledger; returns the JSON report.
fn report_after_import(files: &[String]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let db = setup(dir.path());
    let mut args = vec!["import".to_string(), "activities".to_string()];
    for (i, text) in files.iter().enumerate() {
        let f = dir.path().join(format!("part-{i}.csv"));
        std::fs::write(&f, text).unwrap();
        args.push(f.to_string_lossy().into_owned());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(&gongyu(&db, &args, None));
    report(&db)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Import → report does not depend on row order or on splitting the return.
    #[test]
    fn report_is_independent_of_row_order_and_splitting(seed in any::<u64>(), parts in 1usize..4) {
        let text = activities_csv("R", 120);
        let mut lines: Vec<&str> = text.lines().skip(1).collect();
        let baseline = report_after_import(std::slice::from_ref(&text));
        // Fisher–Yates with a seeded xorshift.
        let mut x = seed | 1;
        for i in (1..lines.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            lines.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let chunk = lines.len().div_ceil(parts);
        let files: Vec<String> = lines
            .chunks(chunk)
            .map(|c| format!("id,host,date,kind,title,participants,mode\n{}\n", c.join("\n")))
            .collect();
        prop_assert_eq!(report_after_import(&files), baseline);
    }
}
