//! `gongyu term close|reopen|list`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{TermCommand, TermListArgs};
use crate::lang::Lang;
use crate::plan::Term;
use crate::render::Format;

fn parse(term: &str) -> Result<Term> {
    term.parse::<Term>().with_context(|| format!("term {term}"))
}

pub fn run(db: &Path, lang: Lang, command: TermCommand) -> Result<ExitCode> {
    let mut ledger = super::open_ledger(db)?;
    let (user, now) = (crate::ambient::os_user(), crate::ambient::now());
    let mut out = super::stdout();
    match command {
        TermCommand::Close(a) => {
            let term = parse(&a.term)?;
            ledger.close_term(term, &user, &now, a.note.as_deref())?;
            writeln!(
                out,
                "{}",
                match lang {
                    Lang::Zh => format!("已关闭学期 {term}（{}）：此后改变其报告的导入和撤销将被拒绝", term.chinese()),
                    Lang::En =>
                        format!("closed term {term}: imports and reverts that would change its report are refused from now on"),
                }
            )?;
        }
        TermCommand::Reopen(a) => {
            let term = parse(&a.term)?;
            ledger.reopen_term(term, &user, &now, &a.reason)?;
            writeln!(
                out,
                "{}",
                match lang {
                    Lang::Zh => format!("已重新开放学期 {term}（原因：{}）", a.reason),
                    Lang::En => format!("reopened term {term} (reason: {})", a.reason),
                }
            )?;
        }
        TermCommand::List(TermListArgs { format, excel }) => list(&ledger, &mut out, format, excel, lang)?,
    }
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}

fn list(ledger: &crate::ledger::Ledger, out: &mut dyn Write, format: Format, excel: bool, lang: Lang) -> Result<()> {
    let events = ledger.term_events()?;
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &serde_json::json!({"schema": "gongyu.terms.v1", "events": events}))?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = crate::render::SafeCsv::new(out, excel)?;
            w.row(["id", "term", "action", "at", "by", "note"])?;
            for e in &events {
                w.row([
                    e.id.to_string(),
                    e.term.clone(),
                    e.action.clone(),
                    e.at.clone(),
                    e.by.clone(),
                    e.note.clone().unwrap_or_default(),
                ])?;
            }
            w.finish()?;
        }
        Format::Table => {
            if events.is_empty() {
                writeln!(out, "{}", lang.pick("尚无学期被关闭", "no term has been closed"))?;
                return Ok(());
            }
            let header: &[&str] = match lang {
                Lang::Zh => &["编号", "学期", "操作", "时间", "操作人", "说明/原因"],
                Lang::En => &["id", "term", "action", "at", "by", "note / reason"],
            };
            let mut table = crate::render::new_table(header);
            for e in &events {
                let action = match (lang, e.action.as_str()) {
                    (Lang::Zh, "close") => "关闭",
                    (Lang::Zh, _) => "重新开放",
                    (Lang::En, a) => a,
                };
                table.add_row(vec![
                    e.id.to_string(),
                    e.term.clone(),
                    action.to_string(),
                    crate::ambient::local_time(&e.at),
                    e.by.clone(),
                    e.note.clone().unwrap_or_default(),
                ]);
            }
            writeln!(out, "{table}")?;
        }
    }
    Ok(())
}
