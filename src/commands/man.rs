//! `gongyu man`: the manual page on standard output, naming no page that is not there; or,
//! with `--dir`, a page for gongyu and one for each of its commands, written into a folder.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::cli::{Cli, ManArgs};

pub(crate) fn run(args: ManArgs) -> Result<ExitCode> {
    let cmd = Cli::command();
    if let Some(dir) = args.dir {
        let shown = dir.display().to_string();
        std::fs::create_dir_all(&dir).with_context(|| crate::t!("commands-man-folder", dir = shown))?;
        clap_mangen::generate_to(cmd, &dir).with_context(|| crate::t!("commands-man-writing", dir = shown))?;
        let mut pages: Vec<String> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.starts_with("gongyu") && n.ends_with(".1"))
            .collect();
        pages.sort();
        super::note(crate::t!("commands-man-wrote", count = pages.len(), dir = shown, pages = pages.join(", ")));
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = super::stdout();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    commands_section(&mut out, &cmd)?;
    man.render_extra_section(&mut out)?;
    man.render_version_section(&mut out)?;
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}

/// Every command by its name as typed (`gongyu coverage report`) and what it does, in
/// place of clap_mangen's list of `gongyu-import(1)` pages that a single page lacks.
fn commands_section(out: &mut dyn Write, cmd: &clap::Command) -> std::io::Result<()> {
    writeln!(out, ".SH {}", crate::t!("commands-man-section"))?;
    fn walk(out: &mut dyn Write, cmd: &clap::Command, path: &str) -> std::io::Result<()> {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
            let name = format!("{path} {}", sub.get_name());
            if sub.has_subcommands() {
                walk(out, sub, &name)?;
                continue;
            }
            let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
            writeln!(out, ".TP\n\\fB{}\\fR\n{}", roff(&name), roff(&about))?;
        }
        Ok(())
    }
    walk(out, cmd, "gongyu")?;
    writeln!(out, ".PP\n{}", crate::t!("commands-man-more"))
}

/// Text made safe for roff: backslashes and hyphens escaped, no line starting with a dot.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('-', "\\-");
    escaped
        .lines()
        .map(|l| if l.starts_with(['.', '\'']) { format!("\\&{l}") } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
}
