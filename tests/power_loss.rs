//! Power loss and kills at every step of every operation that writes a ledger (issue 22,
//! item 13), modelled in the manner of the crash VFS of SQLite's own tests (`src/test6.c`).
//!
//! The model. Each operation runs once, undisturbed, with `$GONGYU_IO_LOG` set: the binary
//! (built with the `fault-injection` feature, see `src/ledger/iolog.rs`) records, in
//! order, every write SQLite makes with its bytes, every truncation, every file sync (and
//! whether SQLite synced the folder with it, as it does at the first sync of a WAL or a
//! rollback journal), every deletion (and whether its folder was synced), and every rename
//! and folder sync gongyu makes itself. Replaying that log over the before-state gives the
//! disk at any point of the run as a file system would hold it: per file, the bytes last
//! synced and the writes made since; per folder, the names as they are and the names as
//! last synced. At a point of the log two crashes are derived:
//!
//! - a kill (`kill -9`, a crashed process): every write so far is in the files, since the
//!   kernel holds them; names are as they are;
//! - a power cut: each file named in the folder *as last synced* (a name created, renamed
//!   or removed since the folder's last sync may be lost: the old name comes back, the
//!   new one is gone) holds its synced bytes, and then each write made since its last sync
//!   is, sector (512 bytes) by sector, kept, dropped or garbled (random bytes) — in the
//!   WAL and in the ledger alike, so also the checkpoint's writes of pages into the ledger
//!   and the new header and frames of a WAL that is being reused over stale frames; a
//!   truncation since the last sync is kept or lost. Garbling stays inside the bytes a
//!   write covered (SQLite's "powersafe overwrite", which its unix VFS assumes).
//!
//! Points: every point next to a sync, a rename, a folder sync and a deletion, the run's
//! end (the process has exited: its work must survive a power cut), and random points
//! between. Each crashed folder is recovered as a clerk would: its files are dumped from a
//! copy (any SQLite connection replays a WAL or rolls back a hot journal) and must be the
//! before- or the after-state; `gongyu check` must pass on them; after a crash in the
//! before-state, running the operation again must leave the after-state; a backup or the
//! copy kept before an upgrade must be whole whenever it has its finished name; and no
//! partial copy may be left in the folder once gongyu has opened it again.
//!
//! Outcomes are counted by what recovery gives — before, after, or refused (gongyu's check
//! failing with a message) — and distinct crash states (each file's length, the WAL frames
//! recovery accepts and those it replays, the pages of the before-state changed; process
//! ids in file names left out) by outcome.
//!
//! The operations: activities imports (one file, several files at once, one large enough
//! for SQLite to spill pages into the WAL before the commit and checkpoint after it), the
//! five roster kinds (schools, communities, bodies, key students, registry), a revert, term
//! close and reopen, upgrades of the version 1, 2, 5, 6 and 7 fixture ledgers, a backup; and
//! an import started with a live WAL (a crashed import's, never checkpointed) and one run
//! while another process holds a read transaction open (so the checkpoint stops short).
//!
//! `GONGYU_CRASH_SEED` repeats a run (the seed otherwise comes from the clock and is
//! printed, and named in any failure); `GONGYU_CRASH_CASES` sets the points per operation
//! (default below) for a longer sweep by hand. The figures are printed:
//! `cargo test --features fault-injection --test power_loss -- --nocapture`.

#![cfg(all(feature = "fault-injection", unix))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

/// Crash points per operation in a default run (each gives a kill and a power cut).
const DEFAULT_CASES: usize = 24;
const LEDGER: &str = "ledger.db";
const BACKUP: &str = "copy.db";
const TODAY: &str = "2021-03-01";
const TERM: &str = "2020-2021-1";
const SECTOR: usize = 512;
/// Columns holding the time of an event: compared as set or not.
const VOLATILE: [&str; 3] = ["imported_at", "reverted_at", "at"];

mod sqlite_page;

#[path = "power_loss_support/disk.rs"]
mod disk;

#[path = "power_loss_support/files.rs"]
mod files;

use disk::{is_partial, parse_log, state_key, wal_frames, CutFigures, Disk, Event, Rng};
use files::{dump_of, read_files, restore, try_dump};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gongyu"))
}

fn gongyu(db: &Path, args: &[String], log: Option<&Path>) -> Output {
    let mut cmd = Command::new(bin());
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("GONGYU_DB")
        .env_remove("GONGYU_FAULT")
        .env_remove("GONGYU_PLAN")
        .env("GONGYU_LANG", "en")
        .env("GONGYU_TODAY", TODAY)
        .stdin(Stdio::null());
    match log {
        Some(l) => cmd.env("GONGYU_IO_LOG", l),
        None => cmd.env_remove("GONGYU_IO_LOG"),
    };
    cmd.output().expect("gongyu runs")
}

fn said(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

fn ok(db: &Path, args: &[&str]) {
    let out = gongyu(db, &strings(args), None);
    assert!(out.status.success(), "{args:?}: {}", said(&out));
}

/// The files of a ledger folder that hold data, by name (all but the `-shm` index).
type Files = BTreeMap<String, Vec<u8>>;

// ------------------------------------------------------------------ operations

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Change,
    Upgrade,
    Backup,
}

struct Op {
    name: String,
    kind: Kind,
    args: Vec<String>,
    before: Files,
    /// What else holds the ledger open as the operation starts.
    start: Start,
}

/// Other connections to the ledger (in the test's process) while the operation runs.
#[derive(Clone)]
enum Start {
    /// None: the operation opens a closed ledger.
    Closed,
    /// One holds a read transaction open, so no checkpoint can reach the last frames.
    Reader,
    /// One stays open, idle, after these arguments ran (unlogged) and it checkpointed their
    /// frames: the operation starts on a WAL whose every frame is in the ledger, and writes
    /// its frames over them from the WAL's start.
    CheckpointedWal(Vec<String>),
}

impl Op {
    fn args(&self, dir: &Path) -> Vec<String> {
        self.args.iter().map(|a| a.replace("{dir}", dir.to_str().unwrap())).collect()
    }
}

#[derive(Default)]
struct Figures {
    events: usize,
    points: usize,
    kills: usize,
    cuts: usize,
    /// Writes into the ledger file (a checkpoint, or a rollback-mode upgrade's own writes).
    checkpoint_writes: usize,
    /// WAL headers written over a WAL that held frames (a WAL reused from its start).
    wal_restarts: usize,
    outcomes: BTreeMap<&'static str, usize>,
    states: BTreeSet<(&'static str, String)>,
    cut: CutFigures,
    failures: Vec<String>,
}

/// Checks one crashed folder; returns the outcome.
fn verify(
    op: &Op,
    files: &Files,
    at_end: bool,
    before_dump: &[u8],
    after_dump: &[u8],
    work: &Path,
) -> Result<&'static str, String> {
    let scratch = work.join("scratch");
    let dir = work.join("crashed");
    let leftover: Vec<&String> = files.keys().filter(|n| is_partial(n)).collect();
    let recovered = dump_of(files, LEDGER, &scratch, false).map_err(|e| format!("the ledger cannot be read: {e}"))?;
    let ledger_after = if recovered == after_dump {
        true
    } else if recovered == before_dump {
        false
    } else {
        return Err("the recovered ledger is neither the before- nor the after-state".into());
    };
    let backup_whole = |name: &str| dump_of(files, name, &scratch, true).is_ok_and(|d| d == before_dump);
    let outcome_after = match op.kind {
        Kind::Backup => {
            if files.contains_key(BACKUP) && !backup_whole(BACKUP) {
                return Err(format!("{BACKUP} has its finished name but is not a whole copy"));
            }
            files.contains_key(BACKUP)
        }
        Kind::Upgrade => {
            for name in files.keys().filter(|n| n.ends_with(".bak")) {
                if !backup_whole(name) {
                    return Err(format!("{name} has a finished backup's name but is not a whole copy of the old ledger"));
                }
            }
            if ledger_after && !files.keys().any(|n| n.ends_with(".bak")) {
                return Err("the ledger is upgraded but no copy of the old one is left".into());
            }
            ledger_after
        }
        Kind::Change => ledger_after,
    };
    if at_end && !outcome_after {
        return Err("the operation had finished, yet its work did not survive".into());
    }
    restore(&dir, files);
    let db = dir.join(LEDGER);
    let check = gongyu(&db, &strings(&["check"]), None);
    if !check.status.success() {
        return if check.status.code() == Some(1) && !check.stderr.is_empty() {
            Ok("refused")
        } else {
            Err(format!("check failed: {}", said(&check)))
        };
    }
    if !outcome_after {
        let again = gongyu(&db, &op.args(&dir), None);
        if !again.status.success() {
            return Err(format!("running it again failed: {}", said(&again)));
        }
        let now = try_dump(&db).map_err(|e| e.to_string())?;
        if now != after_dump {
            return Err("running it again did not leave the after-state".into());
        }
    }
    let still: Vec<String> = read_files(&dir).into_keys().filter(|n| is_partial(n)).collect();
    if !still.is_empty() {
        return Err(format!("partial copies left in the folder after recovery: {still:?} (crashed with {leftover:?})"));
    }
    Ok(if outcome_after { "after" } else { "before" })
}

fn run_op(op: &Op, root: &Path, points: usize, rng: &mut Rng) -> Figures {
    let work = root.join(&op.name);
    let dir = work.join("run");
    restore(&dir, &op.before);
    let scratch = work.join("scratch");
    let log_path = work.join("io.log");
    // Read first: reading a file closes a descriptor of it, which drops every POSIX lock
    // this process holds on it — a reader's too (see below).
    let mut before = read_files(&dir);
    let other = match &op.start {
        Start::Closed => None,
        Start::Reader => {
            let conn = rusqlite::Connection::open(dir.join(LEDGER)).unwrap();
            conn.execute_batch("BEGIN; SELECT count(*) FROM sqlite_master;").unwrap();
            Some(conn)
        }
        Start::CheckpointedWal(first) => {
            let conn = rusqlite::Connection::open(dir.join(LEDGER)).unwrap();
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(())).unwrap();
            let out = gongyu(&dir.join(LEDGER), first, None);
            assert!(out.status.success(), "{}: {}", op.name, said(&out));
            let (busy, frames, done): (i64, i64, i64) =
                conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
            assert!(busy == 0 && frames > 0 && frames == done, "{}: the WAL is checkpointed ({frames}, {done})", op.name);
            Some(conn)
        }
    };
    if let Start::CheckpointedWal(_) = op.start {
        // What the disk holds as the operation starts. This drops the idle connection's
        // locks on the ledger and the WAL, not on the `-shm` index, which it keeps mapped:
        // the operation still finds the WAL checkpointed there and writes over it.
        before = read_files(&dir);
    }
    let before_dump = dump_of(&before, LEDGER, &scratch, false).expect("the before-state reads");
    let out = gongyu(&dir.join(LEDGER), &op.args(&dir), Some(&log_path));
    assert!(out.status.success(), "{}: {}", op.name, said(&out));
    let after = read_files(&dir);
    drop(other);
    let after_dump = dump_of(&after, LEDGER, &scratch, false).unwrap();
    if op.kind != Kind::Backup {
        assert_ne!(before_dump, after_dump, "{}: the operation changes the ledger", op.name);
    }
    let log = std::fs::read(&log_path).unwrap_or_else(|e| {
        panic!("{}: no I/O log at {} ({e}); is {} a fault-injection build?", op.name, log_path.display(), bin().display())
    });
    let events = parse_log(&log, &dir);

    // Points: next to every sync, rename, folder sync and deletion; the end; the rest random.
    let n = events.len();
    let mut chosen: BTreeSet<usize> = [0, n].into();
    let marks: Vec<usize> = events
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e, Event::Sync { .. } | Event::Rename { .. } | Event::DirSync { .. } | Event::Delete { .. }))
        .map(|(i, _)| i)
        .collect();
    let mut around: Vec<usize> = marks.iter().flat_map(|&i| [i, i + 1]).collect();
    // Spread over the marks if there are more than half the points.
    while around.len() > points / 2 {
        around.remove(rng.below(around.len() as u64) as usize);
    }
    chosen.extend(around);
    while chosen.len() < points.min(n + 1) {
        chosen.insert(rng.below(n as u64 + 1) as usize);
    }

    let mut f = Figures { events: n, ..Figures::default() };
    // The checkpoint's writes into the ledger, and WAL headers written over a used WAL.
    let mut names: BTreeMap<u32, &str> = BTreeMap::new();
    let mut wal_used = before.get(&format!("{LEDGER}-wal")).is_some_and(|w| !w.is_empty());
    for e in &events {
        match e {
            Event::Open { id, name: Some(name) } => {
                names.insert(*id, name);
            }
            Event::Write { id, offset, .. } => match names.get(id) {
                Some(&LEDGER) => f.checkpoint_writes += 1,
                Some(n) if n.ends_with("-wal") => {
                    f.wal_restarts += usize::from(*offset == 0 && wal_used);
                    wal_used = true;
                }
                _ => {}
            },
            _ => {}
        }
    }
    let mut disk = Disk::new(&before, &log);
    let mut applied = 0;
    for &point in &chosen {
        while applied < point {
            disk.apply(&events[applied]);
            applied += 1;
        }
        let at_end = point == n;
        if at_end {
            assert_eq!(disk.killed(), after, "{}: replaying the I/O log does not give the files the run left", op.name);
        }
        f.points += 1;
        let mut cases = vec![("kill", disk.killed())];
        cases.push(("power cut", disk.power_cut(rng, &mut f.cut)));
        for (how, files) in cases {
            if how == "kill" {
                f.kills += 1;
            } else {
                f.cuts += 1;
            }
            match verify(op, &files, at_end, &before_dump, &after_dump, &work) {
                Ok(outcome) => {
                    *f.outcomes.entry(outcome).or_default() += 1;
                    f.states.insert((outcome, state_key(&files, &before)));
                }
                Err(e) => {
                    let kept = root.join(format!("failure-{}-{point}-{}", op.name, how.replace(' ', "-")));
                    restore(&kept, &files);
                    f.failures.push(format!(
                        "{}: {how} at event {point} of {n}{}: {e}; the crashed files are in {}",
                        op.name,
                        if at_end { " (after the process exited)" } else { "" },
                        kept.display()
                    ));
                }
            }
        }
    }
    f
}

// ------------------------------------------------------------------ inputs

fn demo(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo").join(name).to_str().unwrap().to_string()
}

/// Activities for the demo's schools, with long titles so that a large file writes many
/// pages (`n` of 3 000 spill pages into the WAL before the commit and checkpoint after it).
fn activities(prefix: &str, n: usize, long: bool) -> String {
    let schools = std::fs::read_to_string(demo("schools-2020-2021-1.csv")).unwrap();
    let hosts: Vec<&str> =
        schools.lines().skip(1).filter_map(|l| l.split(',').next()).map(|c| c.trim_start_matches('\u{feff}')).collect();
    let mut out = String::from("id,host,date,kind,title,participants,mode\n");
    for k in 0..n {
        let month = [9, 10, 11, 12][k % 4];
        let title = if long { "家校社协同育人说明".repeat(20 + k % 30) } else { String::new() };
        out += &format!(
            "{prefix}-{k},{},2020-{month:02}-{:02},{},活动{k}{title},{},线下\n",
            hosts[(k * 7) % hosts.len()],
            1 + k % 28,
            ["guidance", "practice", "家长会", "家访"][k % 4],
            k % 200
        );
    }
    out
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

#[test]
fn power_loss_and_kills_at_every_step_leave_the_before_or_after_state() {
    let started = Instant::now();
    let seed = env_number("GONGYU_CRASH_SEED")
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64);
    let points = env_number("GONGYU_CRASH_CASES").map_or(DEFAULT_CASES, |n| n as usize).max(2);
    eprintln!("power-loss test: GONGYU_CRASH_SEED={seed} GONGYU_CRASH_CASES={points}");
    let mut rng = Rng::new(seed);
    let root_dir = tempfile::tempdir().unwrap();
    let root = root_dir.path();
    let inputs = root.join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    let input = |name: &str, text: String| {
        let p = inputs.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let small = input("small.csv", activities("S", 200, false));
    let part_a = input("part-a.csv", activities("A", 150, true));
    let part_b = input("part-b.csv", activities("B", 150, false));
    let large = input("large.csv", activities("L", 3_000, true));
    let schools_new = {
        let text = std::fs::read_to_string(demo("schools-2020-2021-1.csv")).unwrap();
        let (header, rows) = text.split_once('\n').unwrap();
        // The same schools, each renamed.
        let rows: Vec<String> = rows
            .lines()
            .map(|l| {
                let mut cells: Vec<&str> = l.split(',').collect();
                let name = format!("{}（新址）", cells[1]);
                cells[1] = &name;
                cells.join(",")
            })
            .collect();
        input("schools-new.csv", format!("{header}\n{}\n", rows.join("\n")))
    };

    // The ledger most operations start from: the demo's communities and schools.
    let base_dir = root.join("base");
    std::fs::create_dir_all(&base_dir).unwrap();
    let base = base_dir.join(LEDGER);
    ok(&base, &["init"]);
    ok(&base, &["import", "communities", &demo("communities-2020-2021-1.csv"), "--term", TERM]);
    ok(&base, &["import", "schools", &demo("schools-2020-2021-1.csv"), "--term", TERM]);
    ok(&base, &["import", "activities", &small]);
    let base_files = read_files(&base_dir);
    assert_eq!(base_files.keys().collect::<Vec<_>>(), [LEDGER], "a closed ledger is one file");

    // A ledger whose last import left its WAL behind, never checkpointed (a reader held it
    // open while the importer exited, then the machine stopped).
    let live_dir = root.join("live");
    restore(&live_dir, &base_files);
    let live_files = {
        let db = live_dir.join(LEDGER);
        let reader = rusqlite::Connection::open(&db).unwrap();
        reader.execute_batch("BEGIN; SELECT count(*) FROM sqlite_master;").unwrap();
        ok(&db, &["import", "activities", &part_b]);
        let files = read_files(&live_dir);
        drop(reader);
        files
    };
    assert!(live_files.get(&format!("{LEDGER}-wal")).is_some_and(|w| wal_frames(w).1 > 0), "the live WAL has commits");

    // A ledger with a closed term, to reopen.
    let closed_dir = root.join("closed");
    restore(&closed_dir, &base_files);
    ok(&closed_dir.join(LEDGER), &["term", "close", TERM]);
    let closed_files = read_files(&closed_dir);

    let fixture = |v: u32| -> Files {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/ledgers/v{v}.db"));
        [(LEDGER.to_string(), std::fs::read(path).unwrap())].into()
    };
    let op = |name: &str, kind, args: &[&str], before: &Files| Op {
        name: name.to_string(),
        kind,
        args: strings(args),
        before: before.clone(),
        start: Start::Closed,
    };
    let backup_to = format!("{{dir}}/{BACKUP}");
    let mut ops = vec![
        op("import-activities", Kind::Change, &["import", "activities", &part_a], &base_files),
        op("import-several-files", Kind::Change, &["import", "activities", &part_a, &part_b], &base_files),
        op("import-large", Kind::Change, &["import", "activities", &large], &base_files),
        op("import-with-live-wal", Kind::Change, &["import", "activities", &part_a], &live_files),
        Op { start: Start::Reader, ..op("import-with-a-reader", Kind::Change, &["import", "activities", &part_a], &base_files) },
        Op {
            start: Start::CheckpointedWal(strings(&["import", "activities", &part_b])),
            ..op("import-over-a-used-wal", Kind::Change, &["import", "activities", &part_a], &base_files)
        },
        op("import-schools", Kind::Change, &["import", "schools", &schools_new, "--term", TERM], &base_files),
        op(
            "import-communities",
            Kind::Change,
            &["import", "communities", &demo("communities-2020-2021-1.csv"), "--term", "2020-2021-2"],
            &base_files,
        ),
        op("import-bodies", Kind::Change, &["import", "bodies", &demo("bodies-2020-2021-1.csv"), "--term", TERM], &base_files),
        op("import-key-students", Kind::Change, &["import", "key-students", &demo("key-students-2020-2021.csv")], &base_files),
        op("import-registry", Kind::Change, &["import", "registry", &demo("registry-2020-2021.csv")], &base_files),
        op("revert", Kind::Change, &["revert", "3"], &base_files),
        op("term-close", Kind::Change, &["term", "close", TERM], &base_files),
        op("term-reopen", Kind::Change, &["term", "reopen", TERM, "--reason", "补报"], &closed_files),
        op("backup", Kind::Backup, &["backup", &backup_to], &base_files),
    ];
    for v in [1, 2, 5, 6, 7, 8] {
        ops.push(op(&format!("upgrade-v{v}"), Kind::Upgrade, &["check"], &fixture(v)));
    }

    let mut failures = Vec::new();
    let mut table = Vec::new();
    let mut total = Figures::default();
    for op in &ops {
        let op_started = Instant::now();
        let f = run_op(op, root, points, &mut rng);
        let outcomes: Vec<String> = f.outcomes.iter().map(|(o, n)| format!("{n} {o}")).collect();
        let mut distinct: BTreeMap<&str, usize> = BTreeMap::new();
        for (o, _) in &f.states {
            *distinct.entry(o).or_default() += 1;
        }
        let distinct: Vec<String> = distinct.iter().map(|(o, n)| format!("{n} {o}")).collect();
        table.push(format!(
            "{:<22} {:>5} I/O events ({} into the ledger, {} WAL restarts), {:>3} points: {:>3} kills, {:>3} power cuts ({} names lost, {} sectors dropped, {} garbled); \
             outcomes {}; distinct states {}; {:.1} s",
            op.name,
            f.events,
            f.checkpoint_writes,
            f.wal_restarts,
            f.points,
            f.kills,
            f.cuts,
            f.cut.names_lost,
            f.cut.sectors_dropped,
            f.cut.sectors_garbled,
            outcomes.join(", "),
            distinct.join(", "),
            op_started.elapsed().as_secs_f64()
        ));
        total.kills += f.kills;
        total.cuts += f.cuts;
        total.points += f.points;
        total.cut.names_lost += f.cut.names_lost;
        total.cut.sectors_dropped += f.cut.sectors_dropped;
        total.cut.sectors_garbled += f.cut.sectors_garbled;
        for (o, n) in f.outcomes {
            *total.outcomes.entry(o).or_default() += n;
        }
        total.states.extend(f.states.into_iter().map(|(o, k)| (o, format!("{} {k}", op.name))));
        failures.extend(f.failures);
    }
    let mut distinct: BTreeMap<&str, usize> = BTreeMap::new();
    for (o, _) in &total.states {
        *distinct.entry(o).or_default() += 1;
    }
    eprintln!("power-loss test (GONGYU_CRASH_SEED={seed}, GONGYU_CRASH_CASES={points}):");
    for line in &table {
        eprintln!("  {line}");
    }
    eprintln!(
        "  total: {} operations, {} points, {} kills, {} power cuts ({} names lost, {} sectors dropped, {} garbled); \
         outcomes {:?}; distinct states {distinct:?}; {} failures; {:.0} s",
        ops.len(),
        total.points,
        total.kills,
        total.cuts,
        total.cut.names_lost,
        total.cut.sectors_dropped,
        total.cut.sectors_garbled,
        total.outcomes,
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    if !failures.is_empty() {
        let kept = root_dir.keep();
        panic!(
            "{} failures with GONGYU_CRASH_SEED={seed} (files under {}):\n{}",
            failures.len(),
            kept.display(),
            failures.join("\n")
        );
    }
    assert!(distinct.contains_key("before") && distinct.contains_key("after"), "both outcomes are reached");
}
