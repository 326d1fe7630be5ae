//! `gongyu plan show` and `gongyu plan check`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{PlanCheckArgs, PlanFormat, PlanShowArgs};
use crate::plan::file;

pub fn show(plan: Option<&Path>, args: PlanShowArgs) -> Result<ExitCode> {
    let plan = crate::ops::load_plan(plan)?;
    let mut out = super::stdout();
    match args.format {
        PlanFormat::Toml => out.write_all(file::to_toml(&plan).as_bytes())?,
        PlanFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &file::to_json(&plan))?;
            writeln!(out)?;
        }
    }
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}

pub fn check(args: PlanCheckArgs) -> Result<ExitCode> {
    let plan = crate::ops::read_plan(&args.file)?;
    let mut out = super::stdout();
    let line = crate::t!(
        "commands-plan-valid",
        file = args.file.display().to_string(),
        id = plan.id,
        name = plan.name,
        targets = plan.targets.len(),
        first = plan.first_term.to_string(),
        last = plan.last_term.to_string()
    );
    writeln!(out, "{line}")?;
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}
