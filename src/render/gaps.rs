//! The units short of each target (`coverage gaps`) as a table, CSV and JSON (SPEC §6.5).

use std::io::Write;

use anyhow::Result;

use super::coverage::{csv_header, json_end_array, json_head, json_item, status_word};
use super::{fit, new_table, write, Format};
use crate::lang::Lang;
use crate::report::{CoverageReport, Gap};

pub(super) const GAP_COLUMNS: [&str; 10] =
    ["target", "township_code", "township", "unit_code", "unit_name", "reason", "responsible", "status", "reason_code", "plan"];

/// Writes one row per failing unit.
pub(crate) fn gaps(
    out: &mut dyn Write,
    report: &CoverageReport,
    gaps: &[Gap],
    format: Format,
    limit: Option<usize>,
    excel: bool,
    lang: Lang,
) -> Result<()> {
    gaps_from(out, report, format, limit, excel, lang, |row| gaps.iter().try_for_each(row))
}

/// [`gaps`], the gaps given one at a time by `produce` (in their order) rather than held:
/// CSV and JSON are written as they come; a table is drawn when all have come. A gap's
/// list of bodies must outlive the walk (the writers remember the last list by address):
/// [`report::each_gap`](crate::report::each_gap) hands out lists it keeps.
pub(crate) fn gaps_from(
    out: &mut dyn Write,
    report: &CoverageReport,
    format: Format,
    limit: Option<usize>,
    excel: bool,
    lang: Lang,
    produce: impl FnOnce(&mut dyn FnMut(&Gap) -> Result<()>) -> Result<()>,
) -> Result<()> {
    let limit = limit.unwrap_or(usize::MAX);
    match format {
        Format::Table => {
            let header: &[&str] = match lang {
                Lang::En => &GAP_COLUMNS[..9],
                Lang::Zh => &["指标", "乡镇代码", "乡镇", "单位代码", "单位名称", "原因", "责任单位", "状态", "原因代码"],
            };
            let mut table = new_table(header);
            let mut total = 0usize;
            produce(&mut |g| {
                if total < limit {
                    let mut cells = gap_cells(report, g, lang.pick("、", ", "), lang);
                    cells[7] = status_word(g.status, lang).to_string();
                    table.add_row(&cells[..9]);
                }
                total += 1;
                Ok(())
            })?;
            let shown = total.min(limit);
            let (term, term_words) = (report.term.to_string(), report.term.chinese());
            writeln!(
                out,
                "{}",
                crate::tl!(
                    lang,
                    "gaps-title",
                    term = term,
                    term_words = term_words,
                    count = total,
                    plan = report.plan.id.clone()
                )
            )?;
            if shown > 0 {
                // Narrow terminals drop the reason code, the township's code and the bodies.
                fit::fit(&mut table, &[8, 1, 6]);
                writeln!(out, "{table}")?;
            }
            if shown < total {
                let more = total - shown;
                writeln!(out, "{}", crate::tl!(lang, "gaps-more", count = more))?;
            }
        }
        Format::Csv => gaps_csv(out, report, limit, excel, lang, produce)?,
        Format::Json => gaps_json(out, report, limit, lang, produce)?,
    }
    Ok(())
}

/// Gives `produce`'s gaps to `row`, the first `limit` of them.
fn limited(
    limit: usize,
    produce: impl FnOnce(&mut dyn FnMut(&Gap) -> Result<()>) -> Result<()>,
    mut row: impl FnMut(usize, &Gap) -> Result<()>,
) -> Result<usize> {
    let mut n = 0usize;
    produce(&mut |g| {
        if n < limit {
            row(n, g)?;
        }
        n += 1;
        Ok(())
    })?;
    Ok(n.min(limit))
}

fn gaps_csv(
    out: &mut dyn Write,
    report: &CoverageReport,
    limit: usize,
    excel: bool,
    lang: Lang,
    produce: impl FnOnce(&mut dyn FnMut(&Gap) -> Result<()>) -> Result<()>,
) -> Result<()> {
    use write::csv_cell;
    let mut out = write::Out::new(out);
    csv_header(&mut out, &GAP_COLUMNS, excel);
    let targets: Vec<Vec<u8>> = report
        .plan
        .targets
        .iter()
        .map(|t| {
            let mut b = Vec::new();
            csv_cell(&mut b, &t.id);
            b.push(b',');
            b
        })
        .collect();
    let mut plan = vec![b','];
    csv_cell(&mut plan, &report.plan.id);
    plan.push(b'\n');
    let mut bodies = write::Memo::new();
    limited(limit, produce, |_, g| {
        let buf = &mut out.buf;
        buf.extend_from_slice(&targets[g.target]);
        if let Some(t) = &g.township {
            csv_cell(buf, t.code.as_deref().unwrap_or_default());
            buf.push(b',');
            csv_cell(buf, &t.name);
        } else {
            buf.push(b',');
        }
        buf.push(b',');
        csv_cell(buf, &g.unit_code);
        buf.push(b',');
        csv_cell(buf, &g.unit_name);
        buf.push(b',');
        csv_cell(buf, g.reason.get(lang));
        buf.push(b',');
        buf.extend_from_slice(bodies.get(&g.responsible, |b, items| write::csv_joined(b, items, ";")));
        buf.push(b',');
        csv_cell(buf, g.status.as_str());
        buf.push(b',');
        csv_cell(buf, &g.reason_code);
        buf.extend_from_slice(&plan);
        out.flush_if_full()?;
        Ok(())
    })?;
    out.finish()?;
    Ok(())
}

/// The gaps as `gongyu.gaps.v2` JSON (SPEC §6), pretty-printed with two spaces.
fn gaps_json(
    out: &mut dyn Write,
    report: &CoverageReport,
    limit: usize,
    lang: Lang,
    produce: impl FnOnce(&mut dyn FnMut(&Gap) -> Result<()>) -> Result<()>,
) -> Result<()> {
    use write::{json_key, json_opt_str, json_str};
    let mut out = write::Out::new(out);
    json_head(&mut out.buf, report, "gongyu.gaps.v2", false);
    json_key(&mut out.buf, 1, "gaps", false);
    let targets: Vec<Vec<u8>> = report
        .plan
        .targets
        .iter()
        .map(|t| {
            let mut b = Vec::new();
            json_key(&mut b, 3, "target", true);
            json_str(&mut b, &t.id);
            json_key(&mut b, 3, "township_code", false);
            b
        })
        .collect();
    let mut bodies = write::Memo::new();
    let shown = limited(limit, produce, |i, g| {
        let buf = &mut out.buf;
        json_item(buf, 2, i == 0);
        buf.extend_from_slice(&targets[g.target]);
        json_opt_str(buf, g.township.as_ref().and_then(|t| t.code.as_deref()));
        json_key(buf, 3, "township", false);
        json_opt_str(buf, g.township.as_ref().map(|t| t.name.as_str()));
        json_key(buf, 3, "unit_code", false);
        json_str(buf, &g.unit_code);
        json_key(buf, 3, "unit_name", false);
        json_str(buf, &g.unit_name);
        json_key(buf, 3, "reason", false);
        json_str(buf, g.reason.get(lang));
        json_key(buf, 3, "responsible", false);
        buf.extend_from_slice(bodies.get(&g.responsible, |b, items| write::json_str_array(b, 3, items)));
        json_key(buf, 3, "status", false);
        json_str(buf, g.status.as_str());
        json_key(buf, 3, "reason_code", false);
        json_str(buf, &g.reason_code);
        write::json_end_object(buf, 3);
        out.flush_if_full()?;
        Ok(())
    })?;
    json_end_array(&mut out.buf, 2, shown == 0);
    out.bytes(b"\n}\n");
    out.finish()?;
    Ok(())
}

pub(super) fn gap_cells(report: &CoverageReport, g: &Gap, sep: &str, lang: Lang) -> Vec<String> {
    vec![
        report.plan.targets[g.target].id.clone(),
        g.township.as_ref().and_then(|t| t.code.clone()).unwrap_or_default(),
        g.township.as_ref().map(|t| t.name.clone()).unwrap_or_default(),
        g.unit_code.clone(),
        g.unit_name.clone(),
        g.reason.get(lang).to_string(),
        g.responsible.join(sep),
        g.status.as_str().to_string(),
        g.reason_code.clone(),
        report.plan.id.clone(),
    ]
}
