//! `gongyu demo`: a fresh ledger from the fixtures compiled into the binary, imported
//! through the same pipeline a clerk uses, then the report and the top gaps.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use crate::ledger::Ledger;
use crate::ops::import::{self, ImportRequest};
use crate::plan::Term;
use crate::render::{self, Format};
use crate::returns::ReturnKind;

/// The OS user recorded on demo batches; marks a ledger as one `demo` may replace.
const DEMO_USER: &str = "gongyu demo";

/// The term of the bundled fixtures.
const DEMO_TERM: &str = "2020-2021-1";

/// The bundled returns, in the order they must be imported: (kind, file name, bytes). The
/// communities are Mentougou's real 304; their parent-school statuses and facts, the schools,
/// bodies, key students, activities and registries are synthetic.
const FIXTURES: &[(ReturnKind, &str, &[u8])] = &[
    (ReturnKind::Communities, "communities-2020-2021-1.csv", include_bytes!("../../fixtures/demo/communities-2020-2021-1.csv")),
    (ReturnKind::Schools, "schools-2020-2021-1.csv", include_bytes!("../../fixtures/demo/schools-2020-2021-1.csv")),
    (ReturnKind::Bodies, "bodies-2020-2021-1.csv", include_bytes!("../../fixtures/demo/bodies-2020-2021-1.csv")),
    (ReturnKind::KeyStudents, "key-students-2020-2021.csv", include_bytes!("../../fixtures/demo/key-students-2020-2021.csv")),
    (ReturnKind::Activities, "activities-2020-2021-1.csv", include_bytes!("../../fixtures/demo/activities-2020-2021-1.csv")),
    (ReturnKind::Registry, "registry-2020-2021.csv", include_bytes!("../../fixtures/demo/registry-2020-2021.csv")),
];

pub(crate) fn run(db: Option<PathBuf>, plan: Option<&Path>, lang: crate::lang::Lang) -> Result<ExitCode> {
    let plan = crate::ops::load_plan(plan)?;
    let db = db.unwrap_or_else(crate::ambient::demo_db_default);
    clear_previous_demo(&db)?;
    // A folder of our own, with a random name and only our own access: a predictable
    // path in the shared temporary folder could be a symlink planted by another user.
    let dir = tempfile::Builder::new()
        .prefix("gongyu-demo-fixtures-")
        .tempdir()
        .with_context(|| crate::t!("commands-demo-fixtures-folder", dir = std::env::temp_dir().display().to_string()))?;
    build_and_report(&db, dir.path(), &plan, lang)
}

fn build_and_report(db: &Path, dir: &Path, plan: &crate::plan::Plan, lang: crate::lang::Lang) -> Result<ExitCode> {
    let mut ledger = Ledger::create(db)?.with_context(|| crate::t!("commands-demo-not-created"))?;
    let term: Term = DEMO_TERM.parse()?;
    let mut out = super::stdout();
    writeln!(out, "{}\n", crate::t!("commands-demo-banner", path = db.display().to_string(), term = term.to_string()))?;
    for (kind, name, bytes) in FIXTURES {
        let path = dir.join(name);
        std::fs::write(&path, bytes).with_context(|| crate::t!("commands-demo-writing", file = path.display().to_string()))?;
        let req = ImportRequest {
            kind: *kind,
            files: vec![path],
            term: (kind.spec().period == crate::returns::Period::Term).then_some(term),
            school_year: (kind.spec().period == crate::returns::Period::SchoolYear).then_some(term.start_year()),
            sheet: None,
            rejects: None,
            rejects_force: false,
            lang,
            dry_run: false,
            user: DEMO_USER.to_string(),
            now: crate::ambient::now(),
            fault: None,
            timings: false,
            today: Some(crate::ambient::today()?),
            plan_span: Some((plan.first_term, plan.last_term)),
            received: Some(demo_received(*kind, term).min(crate::ambient::today()?)),
        };
        let reports = import::run(&mut ledger, &req)?;
        super::import::print_reports(&mut out, *kind, &reports, false)?;
    }
    let crate::ops::Coverage { report, gaps, notes } = crate::ops::coverage(&ledger, plan, term, crate::ambient::today()?)?;
    for n in &notes {
        super::note_that(n);
    }
    writeln!(out)?;
    render::coverage(&mut out, &report, Format::Table, false, false, lang)?;
    writeln!(out)?;
    render::gaps(&mut out, &report, &gaps, Format::Table, Some(10), false, lang)?;
    let db_arg = db.display();
    writeln!(out, "\n{}", crate::t!("commands-demo-try-next"))?;
    writeln!(out, "  gongyu --db {db_arg} coverage report --term {term} --by township")?;
    writeln!(out, "  gongyu --db {db_arg} coverage gaps --term {term} --target parent-school-activities --format csv")?;
    writeln!(out, "  gongyu --db {db_arg} coverage report --term {term} --format json | jq '.targets[] | {{id, pct, status}}'")?;
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}

/// When the demo's returns came in (made up, as the returns are): every one in time for the
/// built-in plan's deadlines, rosters three weeks into the term, activities and filings a
/// week after it ends.
fn demo_received(kind: ReturnKind, term: Term) -> chrono::NaiveDate {
    match kind.is_roster() {
        false => term.last_day() + chrono::Days::new(7),
        true => term.first_day() + chrono::Days::new(20),
    }
}

/// Removes an earlier demo ledger at `db`; refuses to touch any other file.
fn clear_previous_demo(db: &Path) -> Result<()> {
    // The default path is in the shared temporary folder: never follow a symlink there.
    if db.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
        bail!(crate::t!("commands-demo-symlink", path = db.display().to_string()));
    }
    if !db.exists() {
        return Ok(());
    }
    // Looked at without opening it as a ledger, which would upgrade (and back up) an old one.
    if !crate::ledger::written_only_by(db, DEMO_USER) {
        bail!(crate::t!("commands-demo-not-demo", path = db.display().to_string()));
    }
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", db.display()));
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| crate::t!("commands-demo-removing", path = p.display().to_string()))?;
        }
    }
    Ok(())
}
