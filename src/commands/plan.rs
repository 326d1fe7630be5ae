//! `gongyu plan show` and `gongyu plan check`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{PlanCheckArgs, PlanFormat, PlanShowArgs};
use crate::plan::file;

pub(crate) fn show(plan: Option<&Path>, args: PlanShowArgs) -> Result<ExitCode> {
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

pub(crate) fn check(args: PlanCheckArgs) -> Result<ExitCode> {
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
    writeln!(out, "{}", deadlines_line(&plan.deadlines))?;
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}

/// The deadlines in force, and which of them the file leaves to the defaults.
fn deadlines_line(d: &crate::plan::deadlines::Deadlines) -> String {
    use crate::plan::deadlines::KINDS;
    use crate::returns::kinds::{activities, bodies, communities, key_students, registry, schools};
    let days = |kind: &str| d.days_for(kind).map_or(0, |(n, _)| n);
    let mut defaults: Vec<&str> = KINDS.iter().zip(d.days).filter(|(_, v)| v.is_none()).map(|(k, _)| k.name).collect();
    if d.reporting_rate.is_none() {
        defaults.push("reporting_rate");
    }
    if d.on_time_rate.is_none() {
        defaults.push("on_time_rate");
    }
    let defaults = match defaults.is_empty() {
        true => String::new(),
        false => {
            let keys: Vec<String> = defaults.iter().map(|k| format!("`{k}`")).collect();
            crate::t!("commands-plan-deadlines-defaults", keys = keys.join(", "))
        }
    };
    crate::t!(
        "commands-plan-deadlines",
        schools = days(schools::KIND_NAME),
        communities = days(communities::KIND_NAME),
        bodies = days(bodies::KIND_NAME),
        key_students = days(key_students::KIND_NAME),
        activities = days(activities::KIND_NAME),
        registry = days(registry::KIND_NAME),
        reporting = d.reporting_rate(),
        on_time = d.on_time_rate(),
        defaults = defaults
    )
}
