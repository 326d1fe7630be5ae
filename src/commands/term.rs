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
    term.parse::<Term>().with_context(|| crate::t!("commands-term-given", term = term))
}

pub(crate) fn run(db: &Path, plan: Option<&Path>, lang: Lang, command: TermCommand) -> Result<ExitCode> {
    let mut ledger = super::open_ledger(db)?;
    let (user, now) = (crate::ambient::os_user(), crate::ambient::now());
    let mut out = super::stdout();
    match command {
        TermCommand::Close(a) => {
            let term = parse(&a.term)?;
            if !a.force {
                let plan = crate::ops::load_plan(plan)?;
                if let Some(why) = close_refusal(term, crate::ambient::today()?, (plan.first_term, plan.last_term), lang) {
                    anyhow::bail!("{why}");
                }
            }
            // The findings are read before the close, which they never hold up.
            let findings = super::quality::unreviewed_high(&ledger, plan, term);
            ledger.close_term(term, &user, &now, a.note.as_deref())?;
            writeln!(
                out,
                "{}",
                crate::tl!(lang, "term-closed", term = term.to_string(), term_words = term.chinese(), locks = locks(term, lang))
            )?;
            match findings {
                Ok(q) => unreviewed(&mut out, &q, lang)?,
                Err(e) => super::warn(format!("{e:#}")),
            }
        }
        TermCommand::Reopen(a) => {
            let term = parse(&a.term)?;
            ledger.reopen_term(term, &user, &now, &a.reason)?;
            writeln!(out, "{}", crate::tl!(lang, "term-reopened", term = term.to_string(), reason = a.reason.clone()))?;
        }
        TermCommand::List(TermListArgs { format, excel }) => list(&ledger, &mut out, format, excel, lang)?,
    }
    super::finish(out)?;
    Ok(ExitCode::SUCCESS)
}

/// Lists the unreviewed high-severity findings of a term just closed (at most 20).
fn unreviewed(out: &mut dyn Write, q: &crate::ops::quality::Quality, lang: Lang) -> Result<()> {
    let open: Vec<_> = q.unreviewed_high().collect();
    if open.is_empty() {
        return Ok(());
    }
    let term = q.term.to_string();
    writeln!(out, "{}", crate::tl!(lang, "term-close-unreviewed", term = term.clone(), count = open.len()))?;
    for f in open.iter().take(20) {
        let item = crate::tl!(
            lang,
            "term-close-unreviewed-item",
            id = f.id.clone(),
            code = f.code.as_str(),
            unit = f.unit_code.clone().or_else(|| f.township_code.clone()).unwrap_or_default(),
            reason = crate::render::quality::reason(f, lang)
        );
        writeln!(out, "  {item}")?;
    }
    if open.len() > 20 {
        writeln!(out, "  {}", crate::tl!(lang, "term-close-unreviewed-more", count = open.len() - 20, term = term))?;
    }
    Ok(())
}

/// What closing `term` locks, in words: everything [`crate::ledger::terms::touched`] refuses.
fn locks(term: Term, lang: Lang) -> String {
    let (last, year) = (term.last_day().to_string(), term.school_year());
    crate::tl!(lang, "term-locks", last = last, term = term.to_string(), year = year)
}

/// Why `term close` refuses `term` without `--force`: it has not ended by `today`, or it
/// lies outside the plan's terms (`span`) — most likely a mistyped year, which would lock
/// every earlier date.
pub(crate) fn close_refusal(term: Term, today: chrono::NaiveDate, span: (Term, Term), lang: Lang) -> Option<String> {
    let (first, last) = span;
    let (t, last_day) = (term.to_string(), term.last_day().to_string());
    let mut why = Vec::new();
    if today <= term.last_day() {
        why.push(crate::tl!(lang, "term-not-ended", term = t.clone(), last_day = last_day, today = today.to_string()));
    }
    if term < first || term > last {
        why.push(crate::tl!(lang, "term-outside-plan", term = t.clone(), first = first.to_string(), last = last.to_string()));
    }
    if why.is_empty() {
        return None;
    }
    let why = why.join(&crate::tl!(lang, "commands-log-separator"));
    Some(crate::tl!(lang, "term-close-refused", why = why, locks = locks(term, lang), term = t))
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
                writeln!(out, "{}", crate::tl!(lang, "commands-term-none-closed"))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Term {
        s.parse().unwrap()
    }

    #[test]
    fn a_term_that_has_ended_inside_the_plan_closes() {
        let span = (t("2019-2020-1"), t("2021-2022-2"));
        let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        assert_eq!(close_refusal(t("2020-2021-1"), day("2021-02-01"), span, Lang::En), None);
        let why = close_refusal(t("2020-2021-1"), day("2021-01-31"), span, Lang::En).unwrap();
        assert!(why.contains("has not ended (it ends on 2021-01-31"), "{why}");
        let why = close_refusal(t("2018-2019-2"), day("2022-03-01"), span, Lang::En).unwrap();
        assert!(why.contains("outside the plan's terms (2019-2020-1 to 2021-2022-2)"), "{why}");
        assert!(!why.contains("has not ended"), "{why}");
    }
}
