//! `gongyu log`, `revert`, `check` and `backup`: looking after the ledger.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{BackupArgs, LogArgs, RevertArgs};
use crate::lang::Lang;
use crate::render::{Format, SafeCsv};

pub(crate) fn log(db: &Path, args: LogArgs, lang: Lang) -> Result<ExitCode> {
    let ledger = super::open_ledger(db)?;
    let batches = ledger.log(args.limit)?;
    let mut out = super::stdout();
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &serde_json::json!({"schema": "gongyu.log.v1", "batches": batches}))?;
            writeln!(out)?;
        }
        Format::Csv => {
            // File names and users come from outside: neutralised like every CSV gongyu writes.
            let mut w = SafeCsv::new(&mut out, args.excel)?;
            w.row([
                "id",
                "imported_at",
                "user",
                "kind",
                "term",
                "file",
                "sha256",
                "encoding",
                "rows",
                "imported",
                "duplicates",
                "replaces",
                "reverted_at",
                "reverted_by",
                "received",
            ])?;
            let opt = |v: &Option<String>| v.clone().unwrap_or_default();
            for b in &batches {
                w.row([
                    b.id.to_string(),
                    b.imported_at.clone(),
                    b.user.clone(),
                    b.kind.clone(),
                    opt(&b.term),
                    b.file.clone(),
                    b.sha256.clone(),
                    b.encoding.clone(),
                    b.rows.to_string(),
                    b.imported.to_string(),
                    b.duplicates.to_string(),
                    b.replaces.map(|r| r.to_string()).unwrap_or_default(),
                    opt(&b.reverted_at),
                    opt(&b.reverted_by),
                    b.received.clone(),
                ])?;
            }
            w.finish()?;
        }
        Format::Table => {
            let header = [
                crate::tl!(lang, "commands-log-header-batch"),
                crate::tl!(lang, "commands-log-header-time"),
                crate::tl!(lang, "commands-log-header-received"),
                crate::tl!(lang, "commands-log-header-user"),
                crate::tl!(lang, "commands-log-header-kind"),
                crate::tl!(lang, "commands-log-header-term"),
                crate::tl!(lang, "commands-log-header-file"),
                "sha256".to_string(),
                crate::tl!(lang, "commands-log-header-rows"),
                crate::tl!(lang, "commands-log-header-imported"),
                crate::tl!(lang, "commands-log-header-dups"),
                crate::tl!(lang, "commands-log-header-note"),
            ];
            let header: Vec<&str> = header.iter().map(String::as_str).collect();
            let mut table = crate::render::new_table(&header);
            for b in &batches {
                let mut note = Vec::new();
                if let Some(r) = b.replaces {
                    note.push(crate::tl!(lang, "commands-log-replaces", batch = r));
                }
                if let Some(at) = &b.reverted_at {
                    let (at, by) = (crate::ambient::local_time(at), b.reverted_by.as_deref().unwrap_or("?"));
                    note.push(crate::tl!(lang, "commands-log-reverted", at = at, by = by));
                }
                table.add_row(vec![
                    b.id.to_string(),
                    crate::ambient::local_time(&b.imported_at),
                    b.received.clone(),
                    b.user.clone(),
                    crate::returns::kinds::kind_title(&b.kind, lang).to_string(),
                    b.term.clone().unwrap_or_default(),
                    b.file.clone(),
                    b.sha256[..12.min(b.sha256.len())].to_string(),
                    b.rows.to_string(),
                    b.imported.to_string(),
                    b.duplicates.to_string(),
                    note.join(&crate::tl!(lang, "commands-log-separator")),
                ]);
            }
            // On a narrow terminal the hash, the user, the duplicates and the import time go
            // first (`--format csv` keeps them all): what was received, when, and how much stay.
            crate::render::fit::fit(&mut table, &[7, 3, 10, 1]);
            if batches.is_empty() {
                let text = match args.limit == Some(0) {
                    true => crate::tl!(lang, "commands-log-none-shown"),
                    false => crate::tl!(lang, "commands-log-none"),
                };
                writeln!(out, "{text}")?;
            } else {
                writeln!(out, "{table}")?;
            }
        }
    }
    super::finish(out)?;
    if args.format != Format::Csv && args.excel {
        super::warn(crate::t!("commands-excel-ignored"));
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn revert(db: &Path, args: RevertArgs) -> Result<ExitCode> {
    let mut ledger = super::open_ledger(db)?;
    let done = ledger.revert(args.batch, &crate::ambient::os_user(), &crate::ambient::now(), args.force)?;
    let b = &done.batch;
    let period = b.term.as_deref().map(|t| crate::t!("commands-revert-for-period", period = t)).unwrap_or_default();
    let (kind, period) = (b.kind.as_str(), period.as_str());
    let mut out = super::stdout();
    let done_line =
        crate::t!("commands-revert-done", batch = b.id, imported = b.imported, kind = kind, period = period, file = b.file);
    writeln!(out, "{done_line}")?;
    let line = if b.kind == crate::returns::kinds::activities::KIND_NAME {
        crate::t!("commands-revert-activities", count = done.activities_removed)
    } else {
        match done.restored {
            Some(r) => crate::t!("commands-revert-restored", kind = kind, period = period, batch = r),
            None => crate::t!("commands-revert-no-roster", kind = kind, period = period),
        }
    };
    writeln!(out, "{line}")?;
    super::finish(out)?;
    if done.orphaned_activities > 0 {
        super::warn(crate::t!("commands-revert-orphans", count = done.orphaned_activities));
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn check(db: &Path) -> Result<ExitCode> {
    let ledger = super::open_ledger(db)?;
    let findings = ledger.check()?;
    let mut out = super::stdout();
    if findings.is_empty() {
        writeln!(out, "{}", crate::t!("commands-check-ok", path = db.display().to_string()))?;
        super::finish(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    for f in &findings {
        let finding = crate::t!("commands-check-finding", path = db.display().to_string(), check = f.check, count = f.count);
        writeln!(out, "{finding}")?;
        for e in &f.examples {
            writeln!(out, "  {e}")?;
        }
        if f.count > f.examples.len() as u64 {
            writeln!(out, "  {}", crate::t!("commands-check-more", count = f.count - f.examples.len() as u64))?;
        }
    }
    super::finish(out)?;
    let total: u64 = findings.iter().map(|f| f.count).sum();
    anyhow::bail!(crate::t!("commands-check-failed", count = total, path = db.display().to_string(), checks = findings.len()))
}

pub(crate) fn backup(db: &Path, lang: crate::lang::Lang, args: BackupArgs) -> Result<ExitCode> {
    let target = crate::files::Target { path: &args.file, force: false, ledger: Some(db), flag: "backup", lang };
    target.check()?;
    let ledger = super::open_ledger(db)?;
    ledger.backup(&target)?;
    let mut out = super::stdout();
    let line = crate::t!("commands-backup-done", path = db.display().to_string(), file = args.file.display().to_string());
    writeln!(out, "{line}")?;
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}
