//! What `integrity.rs` and `crashes.rs` share: the binary run on a ledger with a fixed
//! "today", and a small district with its activities.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gongyu"))
}

/// Runs `gongyu --db DB ARGS…` with a fixed "today" and an optional crash point.
pub fn gongyu(db: &Path, args: &[&str], fault: Option<&str>) -> Output {
    let mut cmd = Command::new(bin());
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("GONGYU_DB")
        .env_remove("GONGYU_PLAN")
        .env("GONGYU_LANG", "en")
        .env("GONGYU_TODAY", "2021-02-01")
        .stdin(Stdio::null());
    match fault {
        Some(f) => cmd.env("GONGYU_FAULT", f),
        None => cmd.env_remove("GONGYU_FAULT"),
    };
    // The tests read the messages in English, whatever the caller's environment says.
    cmd.env("GONGYU_LANG", "en");
    cmd.output().expect("gongyu runs")
}

pub fn ok(out: &Output) -> String {
    assert!(out.status.success(), "failed: {}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// A small district: 5 townships, 40 communities, 15 schools.
pub fn write_rosters(dir: &Path) -> (PathBuf, PathBuf) {
    let mut c = String::from("code,name,township,township_code,parent_school\n");
    for i in 0..40 {
        let t = i % 5;
        let suffix = if i % 3 == 0 { "村委会" } else { "社区居委会" };
        c += &format!("1101090{t:02}{i:03},第{i}{suffix},乡镇{t},1101090{t:02},{}\n", if i % 7 == 0 { "否" } else { "是" });
    }
    let mut s = String::from("code,name,type,township,parent_school\n");
    for i in 0..15 {
        s += &format!("99{i:08},第{i}小学,小学,乡镇{},{}\n", i % 5, if i == 4 { "否" } else { "是" });
    }
    let (cp, sp) = (dir.join("communities.csv"), dir.join("schools.csv"));
    std::fs::write(&cp, c).unwrap();
    std::fs::write(&sp, s).unwrap();
    (cp, sp)
}

pub fn hosts() -> Vec<String> {
    let mut h: Vec<String> = (0..40).map(|i| format!("1101090{:02}{i:03}", i % 5)).collect();
    h.extend((0..15).map(|i| format!("99{i:08}")));
    h
}

/// `n` activities with ids `{prefix}-k`, spread over hosts, kinds and the term's days.
pub fn activities_csv(prefix: &str, n: usize) -> String {
    let hosts = hosts();
    let kinds = ["讲座", "亲子活动", "家长会", "家访", "guidance", "practice"];
    let mut out = String::from("id,host,date,kind,title,participants,mode\n");
    for k in 0..n {
        let day = 1 + (k * 7) % 28;
        let month = [9, 10, 11, 12, 1][k % 5];
        let year = if month == 1 { 2021 } else { 2020 };
        out += &format!(
            "{prefix}-{k},{},{year}-{month:02}-{day:02},{},活动{k},{},{}\n",
            hosts[(k * 13) % hosts.len()],
            kinds[k % kinds.len()],
            k % 300,
            if k % 2 == 0 { "线上" } else { "线下" }
        );
    }
    out
}

pub fn setup(dir: &Path) -> PathBuf {
    let db = dir.join("ledger.db");
    ok(&gongyu(&db, &["init"], None));
    let (c, s) = write_rosters(dir);
    ok(&gongyu(&db, &["import", "communities", c.to_str().unwrap(), "--term", "2020-2021-1"], None));
    ok(&gongyu(&db, &["import", "schools", s.to_str().unwrap(), "--term", "2020-2021-1"], None));
    db
}

pub fn report(db: &Path) -> String {
    ok(&gongyu(db, &["coverage", "report", "--term", "2020-2021-1", "--format", "json"], None))
}
