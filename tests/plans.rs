//! Plan files at the command line (SPEC §7): `plan show` re-reads identically, `plan check`
//! accepts the shipped plans and names `FILE:LINE` for each kind of mistake, `--plan` and
//! `$GONGYU_PLAN` select a plan, and an edited plan changes the report.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tempfile::TempDir;

const TERM: &str = "2020-2021-1";

/// The fifteen targets of the built-in plan, in its order (SPEC §9).
const IDS: [&str; 15] = [
    "school-parent-school",
    "community-parent-school-urban",
    "community-parent-school-rural",
    "parent-school-activities",
    "parent-meetings",
    "principal-heads-parent-school",
    "parent-school-standards",
    "parent-committees",
    "coedu-committees",
    "coedu-committee-composition",
    "district-parent-school",
    "district-coedu-committee",
    "organisation-parent-schools",
    "home-visits",
    "vulnerable-children-registry",
];

const SHIPPED: [&str; 3] = ["mentougou-2019-2021.toml", "national-2016-2020.toml", "national-2021-2025.toml"];

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("plans").join(name)
}

/// The binary, with no ambient plan, ledger or language, and a pinned today.
fn gongyu() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongyu"));
    c.env_remove("GONGYU_PLAN")
        .env_remove("GONGYU_DB")
        .env_remove("GONGYU_LANG")
        .env("GONGYU_TODAY", "2021-03-01")
        .env("NO_COLOR", "1");
    c
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run<I, S>(cmd: &mut Command, args: I) -> Out
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let o = cmd.args(args).output().expect("gongyu runs");
    Out {
        code: o.status.code().expect("exited"),
        stdout: String::from_utf8(o.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(o.stderr).expect("UTF-8 stderr"),
    }
}

fn ok(cmd: &mut Command, args: &[&str]) -> String {
    let o = run(cmd, args);
    assert_eq!(o.code, 0, "gongyu {args:?}\nstderr: {}", o.stderr);
    o.stdout
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// A folder with a fresh ledger.
fn ledger() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("ledger.db");
    ok(&mut gongyu(), &["--db", p(&db), "init"]);
    (dir, db)
}

/// `plan show` of the built-in plan.
fn shown() -> String {
    ok(&mut gongyu(), &["plan", "show"])
}

/// The 1-based number of the first line of `text` equal to `line` at or after line `from`.
fn line_of(text: &str, line: &str, from: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| *l == line)
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| panic!("no line {line:?} after {from}"))
}

/// `text` with line `n` (1-based) replaced by `with` (which may hold several lines).
fn replace_line(text: &str, n: usize, with: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    lines[n - 1] = with;
    lines.join("\n") + "\n"
}

// ------------------------------------------------------------------ show and check

#[test]
fn plan_show_reads_back_byte_identical() {
    let dir = TempDir::new().unwrap();
    let first = shown();
    assert!(first.starts_with("id = \"mentougou-2019-2021\"\n"), "{first}");
    assert_eq!(first.matches("[[target]]").count(), 15);
    let file = dir.path().join("shown.toml");
    std::fs::write(&file, &first).unwrap();
    let again = ok(&mut gongyu(), &["--plan", p(&file), "plan", "show"]);
    assert_eq!(again, first, "plan show of plan show's output differs");
    // Each shipped plan: its `plan show` output re-reads to the same output.
    for name in SHIPPED {
        let out = ok(&mut gongyu(), &["--plan", p(&shipped(name)), "plan", "show"]);
        let file = dir.path().join(name);
        std::fs::write(&file, &out).unwrap();
        assert_eq!(ok(&mut gongyu(), &["--plan", p(&file), "plan", "show"]), out, "{name}");
    }
    // The built-in plan is the shipped Mentougou file.
    assert_eq!(ok(&mut gongyu(), &["--plan", p(&shipped(SHIPPED[0])), "plan", "show"]), first);
}

#[test]
fn plan_show_json_has_the_fifteen_targets() {
    let out = ok(&mut gongyu(), &["plan", "show", "--format", "json"]);
    let v: Value = serde_json::from_str(&out).expect("plan show --format json is JSON");
    assert_eq!(v["id"], "mentougou-2019-2021");
    let ids: Vec<&str> = v["target"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, IDS);
    let built_in = std::fs::read(shipped(SHIPPED[0])).unwrap();
    assert_eq!(v["sha256"], sha256(&built_in), "the SHA-256 of the compiled-in TOML");
    let urban = &v["target"][1];
    assert_eq!(urban["required"], 95);
    assert_eq!(urban["where"]["area"], "urban");
    assert_eq!(v["target"][10]["at_least"], 1);
    assert_eq!(v["target"][10]["by_township"], false);
    assert_eq!(v["target"][8]["informational"], true);
}

#[test]
fn plan_check_accepts_each_shipped_plan() {
    for (name, id, n) in
        [(SHIPPED[0], "mentougou-2019-2021", 15), (SHIPPED[1], "national-2016-2020", 8), (SHIPPED[2], "national-2021-2025", 4)]
    {
        let path = shipped(name);
        // The confirmation is a sentence, in the output language (Chinese by default).
        let o = run(gongyu().env("GONGYU_LANG", "en"), ["plan", "check", p(&path)]);
        assert_eq!(o.code, 0, "{name}: {}", o.stderr);
        assert!(o.stdout.contains(id) && o.stdout.contains(&format!("{n} targets")), "{name}: {}", o.stdout);
    }
}

/// One kind of mistake: an edit of `plan show`'s output, the line it must be reported at
/// and words the message must hold.
struct Mistake {
    what: &'static str,
    text: String,
    line: usize,
    says: &'static str,
}

fn mistakes() -> Vec<Mistake> {
    let s = shown();
    let urban = line_of(&s, "id = \"community-parent-school-urban\"", 1);
    let units = line_of(&s, "units = \"communities\"", urban);
    let wh = line_of(&s, "where = { area = \"urban\" }", urban);
    let require = line_of(&s, "require = { parent_school = true }", urban);
    let required = line_of(&s, "required = 95", urban);
    let rural = line_of(&s, "id = \"community-parent-school-rural\"", 1);
    let school_resp = line_of(&s, "responsible = [\"区教委\"]", 1);
    let meetings = line_of(&s, "id = \"parent-meetings\"", 1);
    let meetings_where = line_of(&s, "where = { group = [\"中小学\", \"幼儿园\"] }", meetings);
    vec![
        Mistake {
            what: "unknown key in a target",
            text: replace_line(&s, units, "units = \"communities\"\ncolour = \"red\""),
            line: units + 1,
            says: "unknown field `colour`",
        },
        Mistake {
            what: "unknown top-level key",
            text: replace_line(&s, 2, &format!("{}\nauthor = \"me\"", s.lines().nth(1).unwrap())),
            line: 3,
            says: "unknown field `author`",
        },
        Mistake {
            what: "unknown fact",
            text: replace_line(&s, require, "require = { parent_schol = true }"),
            line: require,
            says: "unknown fact",
        },
        Mistake {
            what: "unknown unit kind",
            text: replace_line(&s, units, "units = \"villages\""),
            line: units,
            says: "unknown unit kind \"villages\"",
        },
        Mistake {
            what: "threshold above 100",
            text: replace_line(&s, required, "required = 101"),
            line: required,
            says: "outside 0–100",
        },
        Mistake {
            what: "threshold below 0",
            text: replace_line(&s, required, "required = -5"),
            line: required,
            says: "outside 0–100",
        },
        Mistake {
            what: "two targets with one id",
            text: replace_line(&s, rural, "id = \"community-parent-school-urban\""),
            line: rural,
            says: "two targets have the id \"community-parent-school-urban\"",
        },
        Mistake { what: "bad TOML syntax", text: replace_line(&s, required, "required = = 95"), line: required, says: "" },
        Mistake {
            what: "a body selector on communities",
            text: replace_line(&s, wh, "where = { kind = \"parent-school\" }"),
            line: wh,
            says: "`kind` selects bodies, not communities",
        },
        Mistake {
            what: "a school selector on communities",
            text: replace_line(&s, wh, "where = { group = [\"中小学\"] }"),
            line: wh,
            says: "`group` selects schools, not communities",
        },
        Mistake {
            what: "host on a schools target",
            text: replace_line(&s, meetings_where, "where = { host = [\"schools\"] }"),
            line: meetings_where,
            says: "`host` selects among parent-schools, not schools",
        },
        Mistake {
            what: "a responsible table on a schools target",
            text: replace_line(&s, school_resp, "responsible = { schools = [\"区教委\"] }"),
            line: school_resp,
            says: "a table by host kind applies to parent-schools targets",
        },
    ]
}

#[test]
fn each_kind_of_plan_mistake_names_file_and_line() {
    let dir = TempDir::new().unwrap();
    for (i, m) in mistakes().into_iter().enumerate() {
        let file = dir.path().join(format!("bad{i}.toml"));
        std::fs::write(&file, &m.text).unwrap();
        let at = format!("{}:{}:", file.display(), m.line);
        for args in [vec!["plan", "check", p(&file)], vec!["--plan", p(&file), "plan", "show"]] {
            // The English words of each mistake (tests/zh_report.rs has them in Chinese).
            let o = run(gongyu().env("GONGYU_LANG", "en"), &args);
            assert_eq!(o.code, 1, "{}: {args:?}\n{}", m.what, o.stderr);
            assert!(o.stdout.is_empty(), "{}: {}", m.what, o.stdout);
            assert!(o.stderr.contains(&at), "{}: expected {at} in\n{}", m.what, o.stderr);
            assert!(o.stderr.contains(m.says), "{}: expected {:?} in\n{}", m.what, m.says, o.stderr);
            // Only that line is named.
            let named = o.stderr.matches(&format!("{}:", file.display())).count();
            assert_eq!(named, o.stderr.matches(&at).count(), "{}: {}", m.what, o.stderr);
        }
    }
}

// ------------------------------------------------------------------ selecting a plan

/// `plan show`'s output with the urban threshold 95 → 90 (and, if given, a new plan id).
fn edited(id: Option<&str>) -> String {
    let s = shown();
    let urban = line_of(&s, "id = \"community-parent-school-urban\"", 1);
    let required = line_of(&s, "required = 95", urban);
    let s = replace_line(&s, required, "required = 90");
    match id {
        Some(id) => replace_line(&s, 1, &format!("id = \"{id}\"")),
        None => s,
    }
}

#[test]
fn gongyu_plan_works_like_the_plan_flag() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("edited.toml");
    let text = edited(Some("mentougou-edited"));
    std::fs::write(&file, &text).unwrap();
    let by_flag = ok(&mut gongyu(), &["--plan", p(&file), "plan", "show"]);
    let by_env = ok(gongyu().env("GONGYU_PLAN", &file), &["plan", "show"]);
    assert_eq!(by_env, by_flag);
    assert_eq!(by_env, text);
    assert_ne!(by_env, shown());
    let json = ok(gongyu().env("GONGYU_PLAN", &file), &["plan", "show", "--format", "json"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["id"], "mentougou-edited");
    assert_eq!(v["sha256"], sha256(text.as_bytes()));

    // A broken plan by the variable fails the same way as by the flag.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, text.replace("required = 90", "required = 190")).unwrap();
    let line = line_of(&text, "required = 90", 1);
    let o = run(gongyu().env("GONGYU_PLAN", &bad), ["plan", "show"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains(&format!("{}:{line}:", bad.display())), "{}", o.stderr);
    // The flag wins over the variable.
    let o = run(gongyu().env("GONGYU_PLAN", &bad), ["--plan", p(&file), "plan", "show"]);
    assert_eq!((o.code, o.stdout.as_str()), (0, text.as_str()), "{}", o.stderr);
    // An empty variable is the built-in plan.
    assert_eq!(ok(gongyu().env("GONGYU_PLAN", ""), &["plan", "show"]), shown());
}

#[test]
fn a_broken_plan_fails_the_reports_naming_file_and_line() {
    let (dir, db) = ledger();
    let bad = dir.path().join("bad.toml");
    let s = shown();
    let units = line_of(&s, "units = \"communities\"", 1);
    std::fs::write(&bad, replace_line(&s, units, "units = \"villages\"")).unwrap();
    let at = format!("{}:{units}:", bad.display());
    for args in [
        vec!["coverage", "report", "--term", TERM],
        vec!["coverage", "report", "--term", TERM, "--format", "json"],
        vec!["coverage", "gaps", "--term", TERM],
    ] {
        let mut all = vec!["--db", p(&db), "--plan", p(&bad)];
        all.extend(args.iter().copied());
        let o = run(&mut gongyu(), &all);
        assert_eq!(o.code, 1, "{args:?}: {}", o.stderr);
        assert!(o.stdout.is_empty(), "{args:?}: {}", o.stdout);
        assert!(o.stderr.contains(&at) && o.stderr.contains("villages"), "{args:?}: {}", o.stderr);
        // Through the environment too.
        let mut all = vec!["--db", p(&db)];
        all.extend(args.iter().copied());
        let o = run(gongyu().env("GONGYU_PLAN", &bad), &all);
        assert_eq!(o.code, 1, "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains(&at), "{args:?}: {}", o.stderr);
    }
    // The same ledger with the built-in plan is fine.
    ok(&mut gongyu(), &["--db", p(&db), "coverage", "report", "--term", TERM]);
}

#[test]
fn gaps_of_an_unknown_target_list_the_plans_ids() {
    let (_dir, db) = ledger();
    let o = run(&mut gongyu(), ["--db", p(&db), "coverage", "gaps", "--term", TERM, "--target", "no-such-target"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("no-such-target"), "{}", o.stderr);
    for id in IDS {
        assert!(o.stderr.contains(id), "{id} not listed: {}", o.stderr);
    }
    // Under another plan, that plan's ids (and not the built-in plan's others).
    let national = shipped(SHIPPED[2]);
    let o = run(
        &mut gongyu(),
        ["--db", p(&db), "--plan", p(&national), "coverage", "gaps", "--term", TERM, "--target", "home-visits"],
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    for id in ["community-parent-school-urban", "community-parent-school-rural", "school-activities", "community-activities"] {
        assert!(o.stderr.contains(id), "{id} not listed: {}", o.stderr);
    }
    assert!(!o.stderr.contains("parent-meetings"), "{}", o.stderr);
    // A target the plan has is fine.
    ok(
        &mut gongyu(),
        &["--db", p(&db), "--plan", p(&national), "coverage", "gaps", "--term", TERM, "--target", "school-activities"],
    );
}

// ------------------------------------------------------------------ editing a plan

/// Ten urban communities in 大峪街道, nine with a parent school: 95% of 10 needs 10 (gap,
/// shortfall 1); 90% needs 9 (met).
const COMMUNITIES: &str = "\
code,name,township,township_code,area,parent_school
110109001001,一社区居委会,大峪街道,110109001,urban,是
110109001002,二社区居委会,大峪街道,110109001,urban,是
110109001003,三社区居委会,大峪街道,110109001,urban,是
110109001004,四社区居委会,大峪街道,110109001,urban,是
110109001005,五社区居委会,大峪街道,110109001,urban,是
110109001006,六社区居委会,大峪街道,110109001,urban,是
110109001007,七社区居委会,大峪街道,110109001,urban,是
110109001008,八社区居委会,大峪街道,110109001,urban,是
110109001009,九社区居委会,大峪街道,110109001,urban,是
110109001010,十社区居委会,大峪街道,110109001,urban,否
";

fn report(db: &Path, plan: Option<&Path>) -> Value {
    let mut args = vec!["--db", p(db)];
    if let Some(plan) = plan {
        args.extend(["--plan", p(plan)]);
    }
    args.extend(["coverage", "report", "--term", TERM, "--format", "json"]);
    serde_json::from_str(&ok(&mut gongyu(), &args)).expect("the report is JSON")
}

fn urban_rows(v: &Value) -> Vec<&Value> {
    let district = v["targets"].as_array().unwrap().iter();
    let townships = v["townships"].as_array().unwrap().iter().flat_map(|t| t["targets"].as_array().unwrap().iter());
    district.chain(townships).filter(|r| r["id"] == "community-parent-school-urban").collect()
}

#[test]
fn an_edited_plan_changes_the_report() {
    let (dir, db) = ledger();
    let csv = dir.path().join("communities.csv");
    std::fs::write(&csv, COMMUNITIES).unwrap();
    ok(&mut gongyu(), &["--db", p(&db), "import", "communities", p(&csv), "--term", TERM]);

    let before = report(&db, None);
    assert_eq!(before["plan"]["id"], "mentougou-2019-2021");
    assert_eq!(before["plan"]["sha256"], sha256(&std::fs::read(shipped(SHIPPED[0])).unwrap()));
    let rows = urban_rows(&before);
    assert_eq!(rows.len(), 2, "district and 大峪街道");
    for r in &rows {
        assert_eq!(r["required_pct"], 95);
        assert_eq!(r["threshold"]["required_pct"], 95);
        assert_eq!((r["numerator"].as_u64(), r["denominator"].as_u64()), (Some(9), Some(10)));
        assert_eq!((r["shortfall"].as_u64(), r["status"].as_str()), (Some(1), Some("gap")));
    }

    // Only the value edited: the same id, another SHA-256.
    let same_id = dir.path().join("same-id.toml");
    let text = edited(None);
    std::fs::write(&same_id, &text).unwrap();
    let after = report(&db, Some(&same_id));
    assert_eq!(after["plan"]["id"], "mentougou-2019-2021");
    assert_eq!(after["plan"]["sha256"], sha256(text.as_bytes()));
    assert_ne!(after["plan"]["sha256"], before["plan"]["sha256"]);
    for r in urban_rows(&after) {
        assert_eq!(r["required_pct"], 90);
        assert_eq!(r["threshold"]["required_pct"], 90);
        assert_eq!((r["shortfall"].as_u64(), r["status"].as_str()), (Some(0), Some("met")));
    }
    // The other targets are as before.
    let rural = |v: &Value| v["targets"][2].clone();
    assert_eq!(rural(&after), rural(&before));

    // With a new id too.
    let new_id = dir.path().join("new-id.toml");
    let text = edited(Some("mentougou-2019-2021-rev"));
    std::fs::write(&new_id, &text).unwrap();
    let renamed = report(&db, Some(&new_id));
    assert_eq!(renamed["plan"]["id"], "mentougou-2019-2021-rev");
    assert_eq!(renamed["plan"]["sha256"], sha256(text.as_bytes()));
    assert_eq!(urban_rows(&renamed)[0]["required_pct"], 90);
    // Deterministic: the same ledger, plan, term and day give the same bytes.
    let args = ["--db", p(&db), "--plan", p(&new_id), "coverage", "report", "--term", TERM, "--format", "json"];
    assert_eq!(ok(&mut gongyu(), &args), ok(&mut gongyu(), &args));
}
