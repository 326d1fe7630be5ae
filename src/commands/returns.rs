//! `gongyu returns [--term T] [--missing] [--by township|unit] [--format …] [-o FILE]`:
//! who has reported for a term, and whether on time (SPEC §12, §15).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::coverage::{check_output, emit, output};
use crate::cli::{ReturnsArgs, ReturnsBy};
use crate::lang::Lang;
use crate::render::returns::View;
use crate::render::ReportFormat;

pub(crate) fn run(db: &Path, plan: Option<&Path>, lang: Lang, args: ReturnsArgs) -> Result<ExitCode> {
    let target = output(db, &args.out, lang);
    check_output(&args.out, target.as_ref())?;
    let term = super::term_or_today(args.term.as_deref())?;
    let ledger = super::open_ledger(db)?;
    let plan = crate::ops::load_plan(plan)?;
    let r = crate::ops::returns(&ledger, &plan, term, crate::ambient::today()?)?;
    let view = View { missing_only: args.missing, by_unit: args.by == ReturnsBy::Unit };
    match args.out.format {
        ReportFormat::Xlsx => {
            let target = target.with_context(|| crate::t!("commands-coverage-xlsx-needs-o"))?;
            target.write_with(|file, _| crate::render::timeliness_book::write(file, &r, lang))?;
            super::note(crate::t!("commands-coverage-wrote", file = target.path.display().to_string()));
        }
        ReportFormat::Html => emit(target, |out| crate::render::timeliness_page::write(out, &r, lang))?,
        format => {
            let format = format.text().context("a text format")?;
            emit(target, |out| crate::render::returns::write(out, &r, view, format, args.out.excel, lang))?
        }
    }
    Ok(ExitCode::SUCCESS)
}
