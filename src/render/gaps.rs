//! The units short of each target (`coverage gaps`) as a table, CSV and JSON (SPEC §6.5).

use std::io::Write;

use std::cell::RefCell;

use anyhow::Result;
use serde::ser::{Error as _, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use super::coverage::status_word;
use super::serial::{self, Lists, Rosters};
use super::{fit, new_table, Format, SafeCsv};
use crate::lang::Lang;
use crate::memo::Same;
use crate::plan::Status;
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
/// CSV and JSON are written as they come; a table is drawn when all have come.
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

/// One row of the gaps CSV, its fields in [`GAP_COLUMNS`]' order and names. A gap is
/// made for its row, but its target, bodies and plan are the report's: those are [`Same`].
#[derive(Serialize)]
struct CsvGap<'a> {
    target: Same<'a, str>,
    township_code: &'a str,
    township: &'a str,
    unit_code: &'a str,
    unit_name: &'a str,
    reason: &'a str,
    responsible: Same<'a, str>,
    status: Status,
    reason_code: &'a str,
    plan: Same<'a, str>,
}

fn gaps_csv(
    out: &mut dyn Write,
    report: &CoverageReport,
    limit: usize,
    excel: bool,
    lang: Lang,
    produce: impl FnOnce(&mut dyn FnMut(&Gap) -> Result<()>) -> Result<()>,
) -> Result<()> {
    let mut w = SafeCsv::with_header(out, excel, &GAP_COLUMNS)?;
    let mut lists = Lists::default();
    limited(limit, produce, |_, g| {
        w.record(&CsvGap {
            target: Same(&report.plan.targets[g.target].id),
            township_code: g.township.as_ref().and_then(|t| t.code.as_deref()).unwrap_or_default(),
            township: g.township.as_ref().map_or("", |t| &t.name),
            unit_code: &g.unit_code,
            unit_name: &g.unit_name,
            reason: g.reason.get(lang),
            responsible: Same(lists.of(&g.responsible).1),
            status: g.status,
            reason_code: &g.reason_code,
            plan: Same(&report.plan.id),
        })
    })?;
    w.finish()
}

/// The gaps as `gongyu.gaps.v2` JSON (SPEC §6.5): the first `limit` of those `produce`
/// gives, serialized as they come.
struct Json<'a, P> {
    report: &'a CoverageReport,
    lang: Lang,
    limit: usize,
    /// Taken when the gaps are serialized (once).
    produce: RefCell<Option<P>>,
    /// Why `produce` stopped, if it failed: what the command reports (serde keeps only words).
    failed: RefCell<Option<anyhow::Error>>,
    /// The gaps' lists of bodies, kept while they are written (a gap is dropped once written).
    lists: RefCell<Lists>,
}

impl<P: FnOnce(&mut dyn FnMut(&Gap) -> Result<()>) -> Result<()>> Serialize for Json<'_, P> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_struct("Gaps", 6)?;
        serial::head(&mut m, self.report, "gongyu.gaps.v2")?;
        m.serialize_field("rosters", &Rosters(self.report))?;
        m.serialize_field("gaps", &JsonGaps(self))?;
        m.end()
    }
}

struct JsonGaps<'j, 'a, P>(&'j Json<'a, P>);

impl<P: FnOnce(&mut dyn FnMut(&Gap) -> Result<()>) -> Result<()>> Serialize for JsonGaps<'_, '_, P> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let json = self.0;
        let produce = json.produce.borrow_mut().take().ok_or_else(|| S::Error::custom("the gaps serialized twice"))?;
        let mut seq = s.serialize_seq(None)?;
        let mut failed = None;
        let fed = limited(json.limit, produce, |_, g| {
            seq.serialize_element(&JsonGap { json, g }).map_err(|e| {
                failed = Some(e);
                anyhow::anyhow!("stopped by the JSON writer")
            })
        });
        if let Some(e) = failed {
            return Err(e);
        }
        if let Err(e) = fed {
            let words = e.to_string();
            *json.failed.borrow_mut() = Some(e);
            return Err(S::Error::custom(words));
        }
        seq.end()
    }
}

struct JsonGap<'j, 'a, P> {
    json: &'j Json<'a, P>,
    g: &'j Gap,
}

impl<P> Serialize for JsonGap<'_, '_, P> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let g = self.g;
        let mut m = s.serialize_struct("Gap", 9)?;
        m.serialize_field("target", &Same(&self.json.report.plan.targets[g.target].id))?;
        m.serialize_field("township_code", &g.township.as_ref().and_then(|t| t.code.as_deref()))?;
        m.serialize_field("township", &g.township.as_ref().map(|t| t.name.as_str()))?;
        m.serialize_field("unit_code", &g.unit_code)?;
        m.serialize_field("unit_name", &g.unit_name)?;
        m.serialize_field("reason", g.reason.get(self.json.lang))?;
        m.serialize_field("responsible", &Same(self.json.lists.borrow_mut().of(&g.responsible).0))?;
        m.serialize_field("status", &g.status)?;
        m.serialize_field("reason_code", &g.reason_code)?;
        m.end()
    }
}

fn gaps_json(
    out: &mut dyn Write,
    report: &CoverageReport,
    limit: usize,
    lang: Lang,
    produce: impl FnOnce(&mut dyn FnMut(&Gap) -> Result<()>) -> Result<()>,
) -> Result<()> {
    let json = Json {
        report,
        lang,
        limit,
        produce: RefCell::new(Some(produce)),
        failed: RefCell::new(None),
        lists: RefCell::new(Lists::default()),
    };
    let written = serial::pretty(out, &json);
    // The gaps' own error (their temporary file, say) rather than serde's words for it.
    match json.failed.into_inner() {
        Some(e) => Err(e),
        None => written,
    }
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
