//! `gongyu log`, `revert`, `check` and `backup`: looking after the ledger.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{BackupArgs, LogArgs, RevertArgs};
use crate::lang::Lang;
use crate::render::{Format, SafeCsv};

pub fn log(db: &Path, args: LogArgs, lang: Lang) -> Result<ExitCode> {
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
                ])?;
            }
            w.finish()?;
        }
        Format::Table => {
            let header: &[&str] = match lang {
                Lang::Zh => &["批次", "时间", "操作人", "类别", "学期/学年", "文件", "sha256", "行数", "导入", "重复", "说明"],
                Lang::En => &["batch", "time", "user", "kind", "term", "file", "sha256", "rows", "imported", "dups", "note"],
            };
            let mut table = crate::render::new_table(header);
            for b in &batches {
                let mut note = Vec::new();
                if let Some(r) = b.replaces {
                    note.push(match lang {
                        Lang::Zh => format!("替换批次 {r}"),
                        Lang::En => format!("replaces {r}"),
                    });
                }
                if let Some(at) = &b.reverted_at {
                    let (at, by) = (crate::ambient::local_time(at), b.reverted_by.as_deref().unwrap_or("?"));
                    note.push(match lang {
                        Lang::Zh => format!("已于 {at} 由 {by} 撤销"),
                        Lang::En => format!("reverted {at} by {by}"),
                    });
                }
                table.add_row(vec![
                    b.id.to_string(),
                    crate::ambient::local_time(&b.imported_at),
                    b.user.clone(),
                    crate::returns::kinds::kind_title(&b.kind, lang).to_string(),
                    b.term.clone().unwrap_or_default(),
                    b.file.clone(),
                    b.sha256[..12.min(b.sha256.len())].to_string(),
                    b.rows.to_string(),
                    b.imported.to_string(),
                    b.duplicates.to_string(),
                    note.join(lang.pick("；", "; ")),
                ]);
            }
            if batches.is_empty() {
                let text = match (args.limit == Some(0), lang) {
                    (true, Lang::Zh) => "未显示批次（--limit 0）",
                    (true, Lang::En) => "no batches shown (--limit 0)",
                    (false, Lang::Zh) => "尚无导入",
                    (false, Lang::En) => "no imports yet",
                };
                writeln!(out, "{text}")?;
            } else {
                writeln!(out, "{table}")?;
            }
        }
    }
    super::finish(out)?;
    if args.format != Format::Csv && args.excel {
        super::note("warning: --excel applies to --format csv only; ignored");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn revert(db: &Path, args: RevertArgs) -> Result<ExitCode> {
    let mut ledger = super::open_ledger(db)?;
    let done = ledger.revert(args.batch, &crate::ambient::os_user(), &crate::ambient::now(), args.force)?;
    let b = &done.batch;
    let term = b.term.as_deref().map(|t| format!(" for {t}")).unwrap_or_default();
    let mut out = super::stdout();
    writeln!(out, "reverted batch {} ({} {}{term}, {})", b.id, b.imported, b.kind, b.file)?;
    if b.kind == "activities" {
        writeln!(out, "removed {} activities", done.activities_removed)?;
    } else {
        match done.restored {
            Some(r) => writeln!(out, "the {} roster{term} is batch {r} again", b.kind)?,
            None => {
                writeln!(out, "there is no {} roster{term} now; reports fall back to an earlier term's roster, if any", b.kind)?
            }
        }
    }
    super::finish(out)?;
    if done.orphaned_activities > 0 {
        super::note(format!(
            "warning: {} activities are hosted by units that are in no roster now (--force); `gongyu check` will list them until a roster does",
            done.orphaned_activities
        ));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn check(db: &Path) -> Result<ExitCode> {
    let ledger = super::open_ledger(db)?;
    let findings = ledger.check()?;
    let mut out = super::stdout();
    if findings.is_empty() {
        writeln!(out, "{}: ok (integrity, foreign keys and ledger invariants)", db.display())?;
        super::finish(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    for f in &findings {
        writeln!(out, "{}: {}: {} case(s)", db.display(), f.check, f.count)?;
        for e in &f.examples {
            writeln!(out, "  {e}")?;
        }
        if f.count > f.examples.len() as u64 {
            writeln!(out, "  … and {} more", f.count - f.examples.len() as u64)?;
        }
    }
    super::finish(out)?;
    let total: u64 = findings.iter().map(|f| f.count).sum();
    anyhow::bail!("{total} problem(s) found in {} by {} check(s)", db.display(), findings.len())
}

pub fn backup(db: &Path, lang: crate::lang::Lang, args: BackupArgs) -> Result<ExitCode> {
    let target = crate::files::Target { path: &args.file, force: false, ledger: Some(db), flag: "backup", lang };
    target.check()?;
    let ledger = super::open_ledger(db)?;
    ledger.backup(&target)?;
    let mut out = super::stdout();
    writeln!(out, "backed up {} to {}", db.display(), args.file.display())?;
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}
