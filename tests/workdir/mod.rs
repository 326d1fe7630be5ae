//! A scratch folder for one test, after xsv's `tests/workdir.rs`: it writes return files in
//! the encodings clerks' spreadsheets produce, runs the real `gongyu` binary against a
//! ledger inside the folder, and dumps the ledger's rows so a test can prove that a
//! rejected import left it unchanged.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

/// "Today" for every run unless a test says otherwise: after the 2020-2021 school year, so the fixtures' terms are judged (not pending).
pub const TODAY: &str = "2022-03-01";

/// The OS user recorded on batches, pinned so dumps do not depend on who runs the tests.
pub const USER: &str = "gongyu-test";

pub struct Workdir {
    // Dropped (and deleted) with the Workdir.
    _dir: tempfile::TempDir,
    root: PathBuf,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from_output(args: &[String], out: Output) -> Run {
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        };
        if std::env::var_os("GONGYU_TEST_VERBOSE").is_some() {
            eprintln!("$ gongyu {}\n-> {}\n{}{}", args.join(" "), run.code, run.stdout, run.stderr);
        }
        run
    }

    /// Panics with the whole run unless the exit code is `code`.
    #[track_caller]
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(self.code, code, "expected exit {code}\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr);
        self
    }

    /// Panics unless stderr contains `needle`.
    #[track_caller]
    pub fn stderr_has(self, needle: &str) -> Run {
        assert!(self.stderr.contains(needle), "stderr lacks {needle:?}\n--- stderr\n{}", self.stderr);
        self
    }

    /// Panics unless stdout contains `needle`.
    #[track_caller]
    pub fn stdout_has(self, needle: &str) -> Run {
        assert!(self.stdout.contains(needle), "stdout lacks {needle:?}\n--- stdout\n{}", self.stdout);
        self
    }

    /// stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON: {e}\n--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr))
    }
}

impl Workdir {
    pub fn new() -> Workdir {
        let dir = tempfile::Builder::new().prefix("gongyu-test-").tempdir().expect("a temporary folder");
        let root = dir.path().to_path_buf();
        Workdir { _dir: dir, root }
    }

    /// A fresh folder with an initialised ledger.
    pub fn with_ledger() -> Workdir {
        let wd = Workdir::new();
        wd.ok(&["init"]);
        wd
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// The ledger every run uses (`--db`).
    pub fn db(&self) -> PathBuf {
        self.path("ledger.db")
    }

    /// Writes raw bytes.
    pub fn write_bytes(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap_or_else(|e| panic!("writing {}: {e}", p.display()));
        p
    }

    /// Writes UTF-8 without a BOM, exactly as given.
    pub fn write_utf8(&self, name: &str, text: &str) -> PathBuf {
        self.write_bytes(name, text.as_bytes())
    }

    /// Writes UTF-8 with a BOM (Excel's "CSV UTF-8").
    pub fn write_utf8_bom(&self, name: &str, text: &str) -> PathBuf {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(text.as_bytes());
        self.write_bytes(name, &bytes)
    }

    /// Writes GB18030 (Excel's "CSV" on Chinese Windows).
    pub fn write_gb18030(&self, name: &str, text: &str) -> PathBuf {
        let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
        assert!(!unmappable, "text not encodable in GB18030");
        assert!(std::str::from_utf8(&bytes).is_err() || text.is_ascii(), "the GB18030 bytes must not also be UTF-8");
        self.write_bytes(name, &bytes)
    }

    /// Writes UTF-8 with every `\n` turned into `\r\n`.
    pub fn write_crlf(&self, name: &str, text: &str) -> PathBuf {
        self.write_bytes(name, crlf(text).as_bytes())
    }

    /// `gongyu --db <dir>/ledger.db`, run in the folder, with a pinned today, user and
    /// language (English).
    pub fn command(&self) -> Command {
        let mut cmd = Command::cargo_bin("gongyu").expect("the gongyu binary");
        cmd.current_dir(&self.root)
            .env_remove("GONGYU_DB")
            .env_remove("GONGYU_PLAN")
            // An import's timings line on stderr, when the caller's shell asks for it.
            .env_remove("GONGYU_TIMINGS")
            // English words for people, as the tests were written; tests of the Chinese
            // default remove it.
            .env("GONGYU_LANG", "en")
            .env("GONGYU_TODAY", TODAY)
            .env("USER", USER)
            .env("USERNAME", USER)
            .env("LOGNAME", USER)
            .env("TMPDIR", &self.root)
            .env("NO_COLOR", "1")
            // Times are shown in local time: pinned, so outputs do not depend on the machine.
            .env("TZ", "UTC")
            .arg("--db")
            .arg(self.db());
        cmd
    }

    /// Runs `gongyu --db … ARGS`.
    pub fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Run {
        self.run_with(args, |_| {})
    }

    /// Runs `args` in Chinese (no `GONGYU_LANG`) and in English (`--lang en`).
    pub fn both(&self, args: &[&str]) -> (Run, Run) {
        let zh = self.run_with(args, |c| {
            c.env_remove("GONGYU_LANG");
        });
        let mut en_args = vec!["--lang", "en"];
        en_args.extend_from_slice(args);
        (zh, self.run(&en_args))
    }

    /// Runs with extra settings on the command (e.g. another `GONGYU_TODAY`).
    pub fn run_with<S: AsRef<std::ffi::OsStr>>(&self, args: &[S], configure: impl FnOnce(&mut Command)) -> Run {
        let mut cmd = self.command();
        cmd.args(args).timeout(std::time::Duration::from_secs(60));
        configure(&mut cmd);
        let shown: Vec<String> = args.iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect();
        Run::from_output(&shown, cmd.output().expect("running gongyu"))
    }

    /// Runs and insists on exit 0.
    #[track_caller]
    pub fn ok<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Run {
        self.run(args).expect_code(0)
    }

    /// `import KIND FILE --term TERM` (no `--term` when `term` is empty), exit 0.
    #[track_caller]
    pub fn import(&self, kind: &str, file: &Path, term: &str) -> Run {
        let mut args: Vec<std::ffi::OsString> = vec!["import".into(), kind.into(), file.into()];
        if !term.is_empty() {
            args.push("--term".into());
            args.push(term.into());
        }
        self.ok(&args)
    }

    /// `coverage report --term TERM --format json`, exit 0, parsed.
    #[track_caller]
    pub fn report_json(&self, term: &str) -> serde_json::Value {
        self.ok(&["coverage", "report", "--term", term, "--format", "json"]).json()
    }

    /// Every batch of the ledger, newest first, as `gongyu log --format json` lists them.
    #[track_caller]
    pub fn batches(&self) -> Vec<serde_json::Value> {
        let log = self.ok(&["log", "--limit", "1000000", "--format", "json"]).json();
        log["batches"].as_array().expect("log lists batches").clone()
    }

    /// The batches of one kind of return, newest first, reverted ones too.
    #[track_caller]
    pub fn batches_of(&self, kind: &str) -> Vec<serde_json::Value> {
        self.batches().into_iter().filter(|b| b["kind"] == kind).collect()
    }

    /// The activities the ledger holds, as `log` accounts for them: those imported by every
    /// activities batch that is not reverted (`gongyu check` holds the ledger to it).
    #[track_caller]
    pub fn activities_held(&self) -> u64 {
        self.batches_of("activities")
            .iter()
            .filter(|b| b["reverted_at"].is_null())
            .map(|b| b["imported"].as_u64().expect("imported is a count"))
            .sum()
    }

    /// Replaces the folder's path with `[DIR]`, for snapshots.
    pub fn redact(&self, text: &str) -> String {
        text.replace(&self.root.display().to_string(), "[DIR]")
    }

    /// Every row of every table of the ledger (found in `sqlite_master`, so a new table
    /// is never missed), in a deterministic text form (without `batch.imported_at`), and
    /// the schema itself: equal dumps mean an unchanged ledger.
    pub fn ledger_dump(&self) -> String {
        let conn = Connection::open_with_flags(self.db(), OpenFlags::SQLITE_OPEN_READ_ONLY).expect("opening the ledger");
        let mut stmt = conn
            .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .expect("listing tables");
        let tables: Vec<(String, String)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("tables").collect::<Result<_, _>>().expect("tables");
        let names: Vec<&str> = tables.iter().map(|(n, _)| n.as_str()).collect();
        let schema: String = tables.iter().map(|(_, sql)| format!("{sql}\n")).collect();
        schema + &self.dump_tables(&names)
    }

    /// Like [`ledger_dump`], for some tables only.
    pub fn dump_tables(&self, tables: &[&str]) -> String {
        self.dump_tables_without(tables, &[])
    }

    /// Like [`dump_tables`], also leaving out the columns named in `skip`.
    pub fn dump_tables_without(&self, tables: &[&str], skip: &[&str]) -> String {
        let conn = Connection::open_with_flags(self.db(), OpenFlags::SQLITE_OPEN_READ_ONLY).expect("opening the ledger");
        let mut out = String::new();
        for table in tables {
            let columns: Vec<String> = {
                let stmt = conn.prepare(&format!("SELECT * FROM {table} LIMIT 0")).expect("table exists");
                stmt.column_names()
                    .iter()
                    .map(|c| c.to_string())
                    .filter(|c| c != "imported_at" && !skip.contains(&c.as_str()))
                    .collect()
            };
            let order: Vec<String> = (1..=columns.len()).map(|i| i.to_string()).collect();
            let sql = format!("SELECT {} FROM {table} ORDER BY {}", columns.join(", "), order.join(", "));
            let mut stmt = conn.prepare(&sql).expect("select");
            let mut rows = stmt.query([]).expect("query");
            writeln!(out, "## {table} ({})", columns.join(", ")).unwrap();
            while let Some(row) = rows.next().expect("row") {
                let cells: Vec<String> = (0..columns.len())
                    .map(|i| match row.get_ref(i).expect("cell") {
                        ValueRef::Null => "NULL".to_string(),
                        ValueRef::Integer(n) => n.to_string(),
                        ValueRef::Real(f) => f.to_string(),
                        ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                        ValueRef::Blob(b) => format!("blob:{b:02x?}"),
                    })
                    .collect();
                writeln!(out, "{}", cells.join(" | ")).unwrap();
            }
        }
        out
    }

    /// The text a query returns (one row, one column; empty for NULL).
    pub fn text(&self, sql: &str) -> String {
        let conn = Connection::open_with_flags(self.db(), OpenFlags::SQLITE_OPEN_READ_ONLY).expect("opening the ledger");
        conn.query_row(sql, [], |r| r.get::<_, Option<String>>(0)).unwrap_or_else(|e| panic!("{sql}: {e}")).unwrap_or_default()
    }

    /// How many rows a query counts.
    pub fn count(&self, sql: &str) -> i64 {
        let conn = Connection::open_with_flags(self.db(), OpenFlags::SQLITE_OPEN_READ_ONLY).expect("opening the ledger");
        conn.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// `\n` → `\r\n`.
pub fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}
