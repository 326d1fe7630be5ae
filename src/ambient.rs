//! Ambient inputs — today's date, the clock, the OS user, environment variables — read
//! here and nowhere else, so tests can pin them.

use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;

/// Environment variable naming the ledger when `--db` is not given.
pub const DB_ENV: &str = "GONGYU_DB";
/// Environment variable that pins "today" (YYYY-MM-DD), for tests and for re-running a
/// report as of a past day.
pub const TODAY_ENV: &str = "GONGYU_TODAY";

/// The ledger path: `--db`, else `$GONGYU_DB`, else `gongyu.db` in the current directory.
pub fn db_path(flag: Option<PathBuf>) -> PathBuf {
    flag.or_else(|| std::env::var_os(DB_ENV).filter(|v| !v.is_empty()).map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("gongyu.db"))
}

/// Environment variable naming the plan file when `--plan` is not given.
pub const PLAN_ENV: &str = "GONGYU_PLAN";

/// The plan file: `--plan`, else `$GONGYU_PLAN`; `None` means the built-in plan.
pub fn plan_path(flag: Option<PathBuf>) -> Option<PathBuf> {
    flag.or_else(|| std::env::var_os(PLAN_ENV).filter(|v| !v.is_empty()).map(PathBuf::from))
}

/// Environment variable choosing the language of tables, workbooks and pages (`zh`, `en`).
pub const LANG_ENV: &str = "GONGYU_LANG";

/// The output language: `--lang`, else `$GONGYU_LANG`, else Chinese.
pub fn lang(flag: Option<crate::lang::Lang>) -> anyhow::Result<crate::lang::Lang> {
    if let Some(l) = flag {
        return Ok(l);
    }
    match std::env::var(LANG_ENV) {
        Ok(v) if !v.trim().is_empty() => {
            crate::lang::Lang::parse(&v).ok_or_else(|| anyhow::anyhow!(crate::t!("ambient-bad-lang", name = LANG_ENV, value = v)))
        }
        _ => Ok(crate::lang::Lang::Zh),
    }
}

/// The output language before the command line is parsed (its help and its usage errors
/// speak it too): a `--lang X` or `--lang=X` among `args`, else `$GONGYU_LANG`, else
/// Chinese. A value gongyu does not know counts as Chinese here; [`lang`] reports it.
pub fn lang_before_parsing(args: &[std::ffi::OsString]) -> crate::lang::Lang {
    let mut given = None;
    let mut it = args.iter().map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            given = it.next().map(|v| v.into_owned());
        } else if let Some(v) = a.strip_prefix("--lang=") {
            given = Some(v.to_string());
        }
    }
    given.or_else(|| std::env::var(LANG_ENV).ok()).and_then(|v| crate::lang::Lang::parse(&v)).unwrap_or_default()
}

/// Today's date: `$GONGYU_TODAY` if set, else the local date.
pub fn today() -> Result<NaiveDate> {
    match std::env::var(TODAY_ENV) {
        Ok(v) if !v.trim().is_empty() => NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
            // chrono's own words ("input contains invalid characters") add nothing a clerk can use.
            .map_err(|_| anyhow::anyhow!(crate::t!("ambient-bad-today", name = TODAY_ENV, value = v))),
        _ => Ok(chrono::Local::now().date_naive()),
    }
}

/// The current time as RFC 3339 UTC, for batch records.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A stored time (RFC 3339, UTC) as a person reads it: in the machine's local time zone
/// (`$TZ` where set), `YYYY-MM-DD HH:MM:SS`. Stored times stay UTC; JSON and CSV keep them
/// as stored. A value that is not RFC 3339 is shown as it is.
pub fn local_time(stored: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(stored) {
        Ok(t) => t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M:%S").to_string(),
        Err(_) => stored.to_string(),
    }
}

/// The local day (`YYYY-MM-DD`) of a stored time (RFC 3339, UTC), as [`local_time`] shows
/// it. A value that is not RFC 3339 gives its first ten characters.
pub fn local_day(stored: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(stored) {
        Ok(t) => t.with_timezone(&chrono::Local).date_naive().to_string(),
        Err(_) => stored.chars().take(10).collect(),
    }
}

/// The OS user running gongyu, for batch records: `$USER` (`%USERNAME%` on Windows),
/// else — under cron or in a container, where it is often unset — the account of the
/// process's user id.
pub fn os_user() -> String {
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .or_else(account_of_uid)
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(unix)]
fn account_of_uid() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").ok()?.uid();
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let name = passwd.lines().find_map(|l| {
        let mut f = l.split(':');
        let (name, _, id) = (f.next()?, f.next()?, f.next()?);
        (id.parse::<u32>().ok()? == uid).then(|| name.to_string())
    });
    Some(name.unwrap_or_else(|| format!("uid {uid}")))
}

#[cfg(not(unix))]
fn account_of_uid() -> Option<String> {
    None
}

/// The default path of the demo ledger: in the system's temporary folder.
pub fn demo_db_default() -> PathBuf {
    std::env::temp_dir().join("gongyu-demo.db")
}

/// Environment variable for crash testing only, read only by builds with the
/// `fault-injection` cargo feature (off by default, so never by a released binary):
/// `before-commit` / `after-commit` abort an import around its commit. The process dies
/// as under `kill -9`, leaving SQLite to recover the ledger on the next open. Crash points
/// inside the writing itself are reached from outside instead, by `tests/integrity.rs`
/// killing the process as the ledger's files grow.
pub const FAULT_ENV: &str = "GONGYU_FAULT";

/// Where an import should crash, when crash testing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    BeforeCommit,
    AfterCommit,
}

/// The crash point asked for by `$GONGYU_FAULT`, if any.
#[cfg(feature = "fault-injection")]
pub fn fault() -> Option<Fault> {
    let v = std::env::var(FAULT_ENV).ok()?;
    match v.trim() {
        "before-commit" => Some(Fault::BeforeCommit),
        "after-commit" => Some(Fault::AfterCommit),
        _ => None,
    }
}

/// Without the `fault-injection` feature `$GONGYU_FAULT` is not read: an environment
/// variable cannot abort an import.
#[cfg(not(feature = "fault-injection"))]
pub fn fault() -> Option<Fault> {
    None
}

/// Environment variable for crash testing only, read only by builds with the
/// `fault-injection` feature: a file to which every write, sync and rename made to the
/// ledger's files is logged (`ledger/iolog.rs`), for `tests/power_loss.rs` to replay.
pub const IO_LOG_ENV: &str = "GONGYU_IO_LOG";

/// The I/O log asked for by `$GONGYU_IO_LOG`, if any.
#[cfg(feature = "fault-injection")]
pub fn io_log() -> Option<std::path::PathBuf> {
    std::env::var_os(IO_LOG_ENV).map(std::path::PathBuf::from)
}

/// Asks the kernel not to back this process's memory with transparent huge pages. gongyu's
/// large tables (a report's units and counts, an import's code map and tally sums) are
/// touched once or sparsely: with 2 MiB pages (`always` on many Linux systems) the kernel
/// zeroes and holds whole huge pages for them. Measured on the national data: a
/// `coverage report` 190 → 167 MB resident with a third of the system time, and the
/// import of 2M activities 7.95 s / 104 MB → 6.35 s / 91 MB. Best effort: elsewhere, or
/// if refused, nothing changes.
pub fn small_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl(PR_SET_THP_DISABLE) takes integer arguments and changes only this
    // process's page policy.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Environment variable asking an import to say where its time went (`1`): one line on
/// stderr, by phase (see `ops/import/timings.rs`). For the bench and for finding regressions.
pub const TIMINGS_ENV: &str = "GONGYU_TIMINGS";

/// Whether `$GONGYU_TIMINGS` asks for an import's timings.
pub fn timings() -> bool {
    std::env::var(TIMINGS_ENV).is_ok_and(|v| v.trim() == "1")
}
