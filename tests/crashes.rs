//! Crash states (issues 3 and 11).
//!
//! After SQLite's own crash tests: each operation that writes the ledger — activities
//! imports (one file, two files at once, one run while another process holds a read
//! transaction, one started on the live WAL that run left), the five roster kinds (a
//! schools and a communities roster replaced, bodies, key students, the registry), a revert
//! of a roster and of an activities batch, term close and reopen, the upgrades of the
//! version 1, 2, 5, 6 and 8 fixture ledgers, a backup — is run again and again from the same
//! before-state and killed at a different point of its writing: while the WAL grows frame
//! by frame at the commit, while the checkpoint copies pages into the ledger, while a
//! backup or the pre-upgrade copy is written. Two kinds of kill:
//!
//! - SIGKILL from the test, when the bytes written to the ledger's folder (every file but
//!   the `-shm` index) pass a threshold spread over the operation's writing, or a delay
//!   after one, to land where nothing grows (a sync, pages rewritten in place, the exit).
//!   On a busy machine the test is not always scheduled in time, so these bunch up.
//! - Death at an exact write: the process runs under a file-size limit (RLIMIT_FSIZE) and
//!   the kernel kills it with SIGXFSZ at its first write that reaches that byte — the
//!   header or the page of WAL frame k, page k of a copy, the checkpoint's write of one
//!   page. Like SIGKILL the process just stops; nothing is flushed or rolled back.
//!
//! A crash state is what the dead process left on disk: each file's length (file names
//! without the process ids of partial copies); for the WAL,
//! the frames SQLite's recovery accepts (checksums verified) and those it would replay; for
//! the ledger, how many pages differ from the before-state. States are counted once; a
//! kill is mid-operation when the process was still running, had written something and
//! not yet everything (the after-state with nothing left to replay).
//!
//! After every kill: the state as recovered equals the before- or the after-state (a dump
//! of every table `sqlite_master` lists), `gongyu check` passes, the report is the before-
//! or after-report to match, and running the operation again succeeds (or, when the crash
//! landed after the commit, says that it has been done) and leaves the after-state; a copy
//! under a finished backup's name is whole, and no partial copy is left in the folder.
//!
//! A WAL cut short is checked on top: the operation runs while a reader holds the WAL open,
//! so nothing is checkpointed; the copy's WAL is cut at frame boundaries and inside frames
//! and must recover to exactly the state of the last whole commit left. (SQLite's checksums
//! handle this by design; the real power-loss model — unsynced writes to the WAL and the
//! ledger dropped or garbled per sector, names lost from unsynced folders — is
//! `tests/power_loss.rs`, which needs the `fault-injection` build.)
//!
//! `GONGYU_CRASH_POINTS` sets the number of kills (default below, for a longer sweep by
//! hand), `GONGYU_CRASH_SEED` the seed (otherwise taken from the clock, printed, and named in
//! any failure); the figures are printed (`cargo test --test integrity crashes -- --nocapture`).

// The crash test runs on Linux only (it needs RLIMIT_FSIZE); elsewhere its helpers are idle.
#![cfg_attr(not(target_os = "linux"), allow(dead_code, unused_imports))]

mod crash_support;
#[allow(dead_code)] // integrity.rs uses the rest
mod integrity_support;
mod sqlite_page;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use crash_support::*;
use integrity_support::*;

/// Figures of one operation.
#[derive(Default)]
struct Figures {
    kills: usize,
    /// Of them, by SIGKILL from the test (the rest at an exact write).
    sigkills: usize,
    /// The process had exited before the kill.
    exited: usize,
    /// Exited with an error because a write was cut short (a limit inside a write).
    failed: usize,
    /// Killed before it had written anything.
    untouched: usize,
    /// Killed once its work was on disk in full (after-state, nothing left to replay).
    finished: usize,
    /// Killed in the middle: something written, not all of it in place.
    mid: usize,
    landed_after: usize,
    states: BTreeSet<String>,
    /// Distinct states by what recovery gave: (landed in the after-state, state).
    outcome_states: BTreeSet<(bool, String)>,
    mid_states: BTreeSet<String>,
    /// Distinct mid-operation states reached by SIGKILL.
    sigkill_mid_states: BTreeSet<String>,
    cuts: usize,
    cuts_mid_frame: usize,
    cuts_after: usize,
    failures: Vec<String>,
}

/// Checks a crashed folder.
fn verify_crash(op: &CrashOp, r: &Reference, dir: &Path, scratch: &Path) -> Result<Verdict, String> {
    let files = read_files(dir);
    let recovered = dump_of(&files, scratch);
    let ledger_after = if recovered == r.after_dump {
        true
    } else if recovered == r.before_dump {
        false
    } else {
        return Err("the recovered ledger is neither the before- nor the after-state".into());
    };
    // A backup leaves the ledger as it was: it has happened if the copy is in place.
    let landed = if op.redo == Redo::Backup { files.contains_key(BACKUP) } else { ledger_after };
    if op.redo == Redo::Backup && landed && dump(&dir.join(BACKUP)) != r.before_dump {
        return Err(format!("{BACKUP} is in place but is not a whole copy of the ledger"));
    }
    let out = |o: &Output| format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    let check = gongyu(&dir.join(LEDGER), &["check"], None);
    if !check.status.success() {
        return Err(format!("check failed: {}", out(&check)));
    }
    if op.redo == Redo::Migrate && out(&check).contains("upgrading") == landed {
        return Err(format!("the first open after the crash upgraded: {}", !landed));
    }
    let now = report(&dir.join(LEDGER));
    let expected = if landed || op.redo == Redo::Migrate { &r.after_report } else { r.before_report.as_ref().unwrap() };
    if &now != expected {
        return Err(format!("the report is not the {}-state's", if landed { "after" } else { "before" }));
    }
    let again = op.run(dir);
    let said = out(&again);
    let fine = match (op.redo, landed) {
        (Redo::Import, true) => again.status.success() && said.contains("identical"),
        (Redo::Revert, true) => again.status.code() == Some(1) && said.contains("already reverted"),
        (Redo::Backup, true) => again.status.code() == Some(1) && said.contains("already exists"),
        (Redo::Term(refusal), true) => again.status.code() == Some(1) && said.contains(refusal),
        (Redo::Migrate, _) => again.status.success() && !said.contains("upgrading"),
        (_, false) => again.status.success(),
    };
    if !fine {
        return Err(format!("running it again: {}: {said}", again.status));
    }
    // Landed after, running it again wrote nothing (it said so); landed before, it wrote it all.
    if (!landed || op.redo == Redo::Migrate) && dump(&dir.join(LEDGER)) != r.after_dump
        || report(&dir.join(LEDGER)) != r.after_report
    {
        return Err("running it again did not leave the after-state".into());
    }
    if op.redo == Redo::Backup && dump(&dir.join(BACKUP)) != r.before_dump {
        return Err(format!("the backup written again is not a whole copy of the ledger ({BACKUP})"));
    }
    if op.redo == Redo::Migrate {
        // However often it was interrupted, a whole copy of the old ledger is kept. Each
        // `.bak` is judged as a clerk would use it: copied out alone, without its journal.
        let mut whole = 0;
        for e in std::fs::read_dir(dir).unwrap().flatten().filter(|e| e.path().extension().is_some_and(|x| x == "bak")) {
            let copy = scratch.with_extension("bak");
            let _ = std::fs::remove_file(&copy);
            std::fs::copy(e.path(), &copy).unwrap();
            if try_dump(&copy).is_ok_and(|d| d == r.before_dump) {
                whole += 1;
            } else {
                return Err(format!("{} has a finished backup's name but is not a whole copy", e.path().display()));
            }
        }
        if whole == 0 {
            return Err("no whole pre-upgrade backup of the old ledger is left".into());
        }
    }
    // An interrupted backup's or upgrade's partial copies are gone once it has run again.
    let left: Vec<String> = read_files(dir).into_keys().filter(|n| n.contains(".partial")).collect();
    if !left.is_empty() {
        return Err(format!("partial copies left in the folder after running it again: {left:?}"));
    }
    Ok(Verdict { landed })
}

/// What a crashed folder turned out to be.
struct Verdict {
    /// The crash landed in the after-state.
    landed: bool,
}

/// Kills the operation at `kills` points and checks each crash state: three quarters at
/// exact writes (where the platform allows), spread over them; the rest by SIGKILL,
/// spread over the bytes written, a third of those delayed into stretches where nothing
/// grows.
fn sweep(op: &CrashOp, r: &Reference, wal_pages: &[u32], root: &Path, kills: usize, rng: &mut Rng, f: &mut Figures) {
    let dir = root.join(op.name);
    let scratch = root.join("scratch");
    let before_bytes: u64 = op.before.values().map(|b| b.len() as u64).sum();
    let mut offsets = Vec::new();
    if cfg!(target_os = "linux") {
        let (others, wal_offsets) = write_offsets(r, wal_pages);
        let first = calibrate(op, r, &dir, &wal_offsets);
        offsets = others;
        offsets.extend(&wal_offsets[first..]);
        offsets.sort_unstable();
    }
    let at_writes = offsets.len().min(kills * 3 / 4);
    let signals = kills - at_writes;
    let delayed = if r.flats.is_empty() { 0 } else { signals / 3 };
    let mut plan: Vec<Kill> = (0..at_writes)
        .map(|j| Kill::AtWrite { limit: offsets[((j as f64 + rng.unit()) / at_writes as f64 * offsets.len() as f64) as usize] })
        .collect();
    for j in 0..signals - delayed {
        let threshold = 1 + ((j as f64 + rng.unit()) / (signals - delayed) as f64 * r.peak as f64) as u64;
        plan.push(Kill::Signal { threshold: threshold.min(r.peak), delay: Duration::ZERO });
    }
    for _ in 0..delayed {
        let (level, len) = r.flats[rng.below(r.flats.len() as u64) as usize];
        plan.push(Kill::Signal { threshold: level, delay: len.mul_f64(rng.unit()) });
    }
    for (i, kill) in plan.into_iter().enumerate() {
        restore(&dir, &op.before);
        let ended = kill_at(op, &dir, before_bytes, kill);
        let files = read_files(&dir);
        let key = state_key(&files, &op.before);
        f.kills += 1;
        let sigkill = matches!(kill, Kill::Signal { .. });
        f.sigkills += usize::from(sigkill);
        let untouched = files.iter().all(|(n, b)| b.is_empty() || op.before.get(n) == Some(b));
        let settled = files.iter().all(|(n, b)| {
            !(n.ends_with("-journal") || n.ends_with(".partial"))
                && (!n.ends_with("-wal") || wal_pages_pending(&files[LEDGER], b) == 0)
        });
        match verify_crash(op, r, &dir, &scratch) {
            Ok(Verdict { landed }) => {
                f.landed_after += usize::from(landed);
                f.outcome_states.insert((landed, key.clone()));
                match ended {
                    Ended::Exited => f.exited += 1,
                    Ended::Failed => f.failed += 1,
                    Ended::Killed if untouched => f.untouched += 1,
                    Ended::Killed if landed && settled => f.finished += 1,
                    Ended::Killed => {
                        f.mid += 1;
                        f.mid_states.insert(key.clone());
                        if sigkill {
                            f.sigkill_mid_states.insert(key.clone());
                        }
                    }
                }
            }
            Err(e) => {
                let kept = root.join(format!("failure-{}-{}", op.name, f.failures.len()));
                restore(&kept, &files);
                f.failures.push(format!(
                    "{} kill {i} ({kill:?}, {ended:?}, state {key}): {e}; the crashed files are in {}",
                    op.name,
                    kept.display()
                ));
            }
        }
        f.states.insert(key);
    }
}

/// Simulated power loss: the operation's WAL, never checkpointed, cut short.
/// Returns the pages the operation's WAL holds.
fn power_loss(op: &CrashOp, r: &Reference, root: &Path, cuts: usize, rng: &mut Rng, f: &mut Figures) -> Vec<u32> {
    let dir = root.join(format!("{}-power", op.name));
    let scratch = root.join("scratch");
    restore(&dir, &op.before);
    let db = dir.join(LEDGER);
    {
        // The old ledger is in rollback mode, where a reader would block the upgrade.
        let conn = rusqlite::Connection::open(&db).unwrap();
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
    }
    // A reader from before the operation: no checkpoint can copy its frames into the ledger.
    let reader = rusqlite::Connection::open(&db).unwrap();
    reader.execute_batch("BEGIN; SELECT count(*) FROM sqlite_master;").unwrap();
    ok(&op.run(&dir));
    let files = read_files(&dir);
    drop(reader);
    let wal_name = format!("{LEDGER}-wal");
    let wal = files[&wal_name].clone();
    let (frames, committed) = wal_frames(&wal);
    assert!(committed > 0, "{}: the operation's WAL has no commit", op.name);
    let pages = frames[..committed].iter().map(|(n, _)| *n).collect();
    let frame = 24 + page_size(&wal);
    // Cut inside the header, at the first and the last frames, at the end; then at random
    // frame boundaries, and every third cut inside a frame.
    let mut offsets: BTreeSet<usize> =
        [0, 16, 32, 32 + frame, 32 + (committed - 1) * frame, 32 + committed * frame, wal.len()].into();
    for i in 0.. {
        if offsets.len() >= cuts || i > 100 * cuts {
            break;
        }
        let k = rng.below(frames.len() as u64 + 1) as usize;
        let inside = if i % 3 == 2 { 1 + rng.below(frame as u64 - 1) as usize } else { 0 };
        offsets.insert((32 + k * frame + inside).min(wal.len()));
    }
    for cut in offsets {
        let mut cut_files = files.clone();
        cut_files.get_mut(&wal_name).unwrap().truncate(cut);
        let (_, kept) = wal_frames(&cut_files[&wal_name]);
        let expect_after = kept == committed;
        let (expected_dump, expected_report) =
            if expect_after { (&r.after_dump, Some(&r.after_report)) } else { (&r.before_dump, r.before_report.as_ref()) };
        f.cuts += 1;
        f.cuts_mid_frame += usize::from(cut > 32 && (cut - 32) % frame != 0);
        f.cuts_after += usize::from(expect_after);
        let cut_dir = root.join(format!("{}-cut", op.name));
        let result = (|| {
            if dump_of(&cut_files, &scratch) != *expected_dump {
                return Err(format!("recovered to another state than its last whole commit's (after: {expect_after})"));
            }
            restore(&cut_dir, &cut_files);
            let check = gongyu(&cut_dir.join(LEDGER), &["check"], None);
            if !check.status.success() {
                return Err(format!("check failed: {}", String::from_utf8_lossy(&check.stdout)));
            }
            if report(&cut_dir.join(LEDGER)) != *expected_report.unwrap_or(&r.after_report) {
                return Err("the report is not the expected state's".into());
            }
            Ok(())
        })();
        if let Err(e) = result {
            let kept = root.join(format!("failure-{}-cut-{cut}", op.name));
            restore(&kept, &cut_files);
            f.failures.push(format!("{} WAL cut at byte {cut}: {e}; the files are in {}", op.name, kept.display()));
        }
    }
    pages
}

fn schools_roster(n: usize, parent_school: &str) -> String {
    let mut s = String::from("code,name,type,township,parent_school\n");
    for i in 0..n {
        s += &format!("99{i:08},第{i}小学,小学,乡镇{},{parent_school}\n", i % 5);
    }
    s
}

/// Activities with long titles (a description of the activity), so that an import writes
/// many pages for the rows it parses.
fn long_activities_csv(prefix: &str, n: usize) -> String {
    let hosts = hosts();
    let mut out = String::from("id,host,date,kind,title,participants,mode\n");
    for k in 0..n {
        let month = [9, 10, 11, 12][k % 4];
        out += &format!(
            "{prefix}-{k},{},2020-{month:02}-{:02},{},活动{k}：{},{},线下\n",
            hosts[(k * 7) % hosts.len()],
            1 + k % 28,
            ["guidance", "practice", "家长会", "家访"][k % 4],
            "家校社协同育人说明".repeat(40 + k % 50),
            k % 200
        );
    }
    out
}

#[cfg(target_os = "linux")]
#[test]
fn crashes_at_distinct_points_and_power_loss_leave_the_before_or_after_state() {
    let started = Instant::now();
    let root_dir = tempfile::tempdir().unwrap();
    let root = root_dir.path();
    let points = env_number("GONGYU_CRASH_POINTS").map_or(DEFAULT_CRASH_POINTS, |n| n as usize);
    // A new seed each run unless one is given; printed first, and named in any failure.
    let seed = env_number("GONGYU_CRASH_SEED")
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64);
    eprintln!("crash test: GONGYU_CRASH_SEED={seed}");
    // splitmix64, so that small seeds start the xorshift well.
    let mut rng = Rng({
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) | 1
    });
    let inputs = root.join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    let input = |name: &str, text: String| {
        let p = inputs.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let (communities, _) = write_rosters(&inputs);
    let schools = input("schools.csv", schools_roster(1_500, "是"));
    let schools_new = input("schools-new.csv", schools_roster(1_500, "否"));
    let earlier = input("earlier.csv", activities_csv("E", 300));
    let long = input("long.csv", long_activities_csv("L", 400));
    let part_a = input("part-a.csv", activities_csv("A", 200));
    let part_b = input("part-b.csv", long_activities_csv("B", 120));
    let read_by = input("read-by.csv", long_activities_csv("R", 150));
    let live = input("live.csv", activities_csv("W", 250));
    let communities_new = input("communities-new.csv", std::fs::read_to_string(&communities).unwrap().replace(",第", ",新第"));
    let bodies = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/bodies-2020-2021-1.csv");
    let bodies = bodies.to_str().unwrap();
    let key_students = input(
        "key-students.csv",
        (0..300).fold(String::from("school,ref,category,school_year\n"), |t, i| {
            t + &format!("99{:08},K{i:04},{},2020-2021\n", i % 15, ["行为", "其他"][i % 2])
        }),
    );
    let registry = input(
        "registry.csv",
        (0..60).fold(String::from("township,category,count,filed\n"), |t, i| {
            t + &format!(
                "乡镇{},{},{},2020-{:02}-{:02}\n",
                i % 5,
                ["留守儿童", "残疾儿童", "困境儿童"][i % 3],
                i,
                9 + i % 3,
                1 + i % 28
            )
        }),
    );

    // The ledger the chained operations start from: rosters and one activities batch.
    let base_dir = root.join("base");
    std::fs::create_dir_all(&base_dir).unwrap();
    let base = base_dir.join(LEDGER);
    ok(&gongyu(&base, &["init"], None));
    ok(&gongyu(&base, &["import", "communities", communities.to_str().unwrap(), "--term", "2020-2021-1"], None));
    ok(&gongyu(&base, &["import", "schools", &schools, "--term", "2020-2021-1"], None));
    ok(&gongyu(&base, &["import", "activities", &earlier], None));
    let base_files = read_files(&base_dir);
    assert_eq!(base_files.keys().collect::<Vec<_>>(), [LEDGER], "a closed ledger is one file");

    let only_ledger = |files: &Files| -> Files {
        assert!(files.get(&format!("{LEDGER}-wal")).is_none_or(Vec::is_empty), "the WAL was checkpointed");
        [(LEDGER.to_string(), files[LEDGER].clone())].into()
    };
    let op = |name, redo, args: &[&str], share| CrashOp {
        name,
        redo,
        before: Files::new(),
        args: args.iter().map(|s| s.to_string()).collect(),
        share,
        reader: false,
    };
    let fixture = |v: u32| -> Files {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/ledgers/v{v}.db"));
        [(LEDGER.to_string(), std::fs::read(path).unwrap())].into()
    };
    let v1 = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ledgers/v1.db")).unwrap();
    // Batches: 1 communities, 2 schools, 3 earlier activities; 4 the long activities, 5 the
    // new schools roster; 6 two files of activities; 7 the new communities roster; 8 bodies,
    // 9 key students, 10 the registry; 11 activities imported under a reader, 12 activities
    // imported over the WAL that reader left. Each operation starts from the after-state of
    // the one named (with its WAL when the name is marked `+wal`).
    let backup_to = format!("{{dir}}/{BACKUP}");
    let mut plan: Vec<(CrashOp, Option<&str>)> = vec![
        (CrashOp { before: base_files, ..op("import-activities", Redo::Import, &["import", "activities", &long], 0.22) }, None),
        (
            op("import-roster", Redo::Import, &["import", "schools", &schools_new, "--term", "2020-2021-1"], 0.08),
            Some("import-activities"),
        ),
        (op("revert-roster", Redo::Revert, &["revert", "5"], 0.02), Some("import-roster")),
        (op("revert-activities", Redo::Revert, &["revert", "4"], 0.07), Some("revert-roster")),
        (CrashOp { before: [(LEDGER.to_string(), v1)].into(), ..op("upgrade-v1", Redo::Migrate, &["check"], 0.12) }, None),
        (op("backup", Redo::Backup, &["backup", &backup_to], 0.15), Some("import-activities")),
        (op("import-two-files", Redo::Import, &["import", "activities", &part_a, &part_b], 0.06), Some("revert-activities")),
        (op("term-close", Redo::Term("already closed"), &["term", "close", "2019-2020-2"], 0.03), Some("import-two-files")),
        (
            op("term-reopen", Redo::Term("not closed"), &["term", "reopen", "2019-2020-2", "--reason", "补报"], 0.03),
            Some("term-close"),
        ),
        (
            op("import-communities", Redo::Import, &["import", "communities", &communities_new, "--term", "2020-2021-1"], 0.04),
            Some("term-reopen"),
        ),
        (
            op("import-bodies", Redo::Import, &["import", "bodies", bodies, "--term", "2020-2021-1"], 0.02),
            Some("import-communities"),
        ),
        (op("import-key-students", Redo::Import, &["import", "key-students", &key_students], 0.02), Some("import-bodies")),
        (op("import-registry", Redo::Import, &["import", "registry", &registry], 0.02), Some("import-key-students")),
        (
            CrashOp { reader: true, ..op("import-with-a-reader", Redo::Import, &["import", "activities", &read_by], 0.05) },
            Some("import-registry"),
        ),
        (op("import-on-a-live-wal", Redo::Import, &["import", "activities", &live], 0.05), Some("import-with-a-reader+wal")),
        (CrashOp { before: fixture(2), ..op("upgrade-v2", Redo::Migrate, &["check"], 0.03) }, None),
        (CrashOp { before: fixture(5), ..op("upgrade-v5", Redo::Migrate, &["check"], 0.03) }, None),
        (CrashOp { before: fixture(6), ..op("upgrade-v6", Redo::Migrate, &["check"], 0.03) }, None),
        (CrashOp { before: fixture(8), ..op("upgrade-v8", Redo::Migrate, &["check"], 0.03) }, None),
    ];

    let mut afters: BTreeMap<&str, Files> = BTreeMap::new();
    let mut table = Vec::new();
    let mut failures = Vec::new();
    let mut all = Figures::default();
    let mut distinct = (0, 0, 0);
    let (mut distinct_before, mut distinct_after) = (0, 0);
    for (op, after_of) in plan.iter_mut() {
        if let Some(prev) = after_of {
            op.before = match prev.strip_suffix("+wal") {
                Some(prev) => {
                    let files = afters[prev].clone();
                    assert!(
                        files.get(&format!("{LEDGER}-wal")).is_some_and(|w| wal_frames(w).1 > 0),
                        "{prev} left a WAL with commits not checkpointed"
                    );
                    files
                }
                None => only_ledger(&afters[*prev]),
            };
        }
        let op_started = Instant::now();
        let r = reference(op, root);
        if op.redo != Redo::Backup {
            assert_ne!(r.before_dump, r.after_dump, "{}: the operation changes the ledger", op.name);
        }
        let mut f = Figures::default();
        let n = ((points as f64 * op.share).round() as usize).max(1);
        let wal_pages =
            if op.redo == Redo::Backup { Vec::new() } else { power_loss(op, &r, root, (n / 8).max(10), &mut rng, &mut f) };
        sweep(op, &r, &wal_pages, root, n, &mut rng, &mut f);
        afters.insert(op.name, r.after.clone());
        table.push(format!(
            "{:<17} {:>4} kills ({:>3} SIGKILL, {:>3} at a write): {:>4} mid-operation, {} before any write, \
             {} with all in place, {} after exit, {} on a cut-short write; {:>3} landed after; \
             {:>4} distinct states, {:>4} of them mid-operation ({:>3} by SIGKILL); {:>3} WAL cuts ({} inside a frame, \
             {} recovered to the after-state); {:.0} s",
            op.name,
            f.kills,
            f.sigkills,
            f.kills - f.sigkills,
            f.mid,
            f.untouched,
            f.finished,
            f.exited,
            f.failed,
            f.landed_after,
            f.states.len(),
            f.mid_states.len(),
            f.sigkill_mid_states.len(),
            f.cuts,
            f.cuts_mid_frame,
            f.cuts_after,
            op_started.elapsed().as_secs_f64()
        ));
        distinct.0 += f.states.len();
        distinct_after += f.outcome_states.iter().filter(|(after, _)| *after).count();
        distinct_before += f.outcome_states.iter().filter(|(after, _)| !*after).count();
        distinct.1 += f.mid_states.len();
        distinct.2 += f.sigkill_mid_states.len();
        all.kills += f.kills;
        all.sigkills += f.sigkills;
        all.mid += f.mid;
        all.cuts += f.cuts;
        all.cuts_mid_frame += f.cuts_mid_frame;
        failures.extend(f.failures);
    }
    let (states, mid_states, sigkill_mid_states) = distinct;
    eprintln!("crash test (GONGYU_CRASH_POINTS={points}, GONGYU_CRASH_SEED={seed}):");
    for line in &table {
        eprintln!("  {line}");
    }
    eprintln!(
        "  total: {} operations, {} kills ({} SIGKILL), {} mid-operation ({:.0}%); {states} distinct crash states, {mid_states} of them \
         mid-operation ({sigkill_mid_states} by SIGKILL); by recovery outcome {distinct_before} distinct states recovered to \
         the before-state and {distinct_after} to the after-state (a refusal fails the test); {} power-loss cuts ({} inside a frame); \
         {} failures; {:.0} s",
        plan.len(),
        all.kills,
        all.sigkills,
        all.mid,
        100.0 * all.mid as f64 / all.kills as f64,
        all.cuts,
        all.cuts_mid_frame,
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    if !failures.is_empty() {
        // Keep the crashed files the messages point to.
        let kept = root_dir.keep();
        panic!(
            "{} failures with GONGYU_CRASH_SEED={seed} (files under {}):\n{}",
            failures.len(),
            kept.display(),
            failures.join("\n")
        );
    }
    assert!(all.mid * 4 >= all.kills * 3, "only {} of {} kills landed mid-operation", all.mid, all.kills);
    if points >= DEFAULT_CRASH_POINTS {
        assert!(mid_states >= 500, "only {mid_states} distinct mid-operation crash states");
    }
}
