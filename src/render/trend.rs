//! The plan's progress term by term (`coverage trend`): a table for people, CSV and JSON
//! (`gongyu.trend.v1`) for scripts.

use std::collections::BTreeSet;
use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::{new_table, Format, SafeCsv};
use crate::lang::Lang;
use crate::plan::{Status, Term};
use crate::report::Trend;
use crate::report::{TargetRow, TownshipKey};

/// Which series to show.
pub(crate) struct Filter<'a> {
    pub target: Option<&'a str>,
    /// Only this township's series (by code or name).
    pub township: Option<&'a str>,
    /// Township series too (table and CSV; JSON always has them).
    pub by_township: bool,
}

/// One target at one scope, term by term.
pub(crate) struct Series<'a> {
    pub target: &'a str,
    /// The target's place in the plan.
    pub index: usize,
    pub township: Option<&'a TownshipKey>,
    /// (term, the row of that term's report), for the terms whose report has the scope.
    pub points: Vec<(Term, &'a TargetRow)>,
}

/// The series of a trend, district first, then townships by key.
pub(crate) fn series<'a>(trend: &'a Trend, filter: &Filter<'_>, townships: bool) -> Vec<Series<'a>> {
    let keys: BTreeSet<&TownshipKey> = trend.reports.iter().flat_map(|r| r.townships.iter().map(|t| &t.township)).collect();
    let wanted = |k: &TownshipKey| filter.township.is_none_or(|w| k.code.as_deref() == Some(w) || k.name == w);
    let mut out = Vec::new();
    for (i, def) in trend.plan.targets.iter().enumerate() {
        if filter.target.is_some_and(|t| t != def.id) {
            continue;
        }
        if filter.township.is_none() {
            let points = trend.terms.iter().zip(&trend.reports).map(|(t, r)| (*t, &r.district[i])).collect();
            out.push(Series { target: &def.id, index: i, township: None, points });
        }
        if !(townships || filter.township.is_some()) || !def.by_township {
            continue;
        }
        for key in keys.iter().filter(|k| wanted(k)) {
            let points = trend
                .terms
                .iter()
                .zip(&trend.reports)
                .filter_map(|(t, r)| {
                    let tr = r.townships.iter().find(|x| &x.township == *key)?;
                    tr.targets.iter().find(|row| row.target == i).map(|row| (*t, row))
                })
                .collect();
            out.push(Series { target: &def.id, index: i, township: Some(key), points });
        }
    }
    out
}

fn cell(row: &TargetRow, lang: Lang) -> String {
    let status = super::status_word(row.status, lang);
    match row.ratio() {
        // No data is no figure: a 0.0% beside it would read as a failure.
        Some(_) if row.status == Status::NoData => status.to_string(),
        Some(r) if r.denominator > 0 => format!("{}% {status}", r.pct_text(1)),
        Some(_) => status.to_string(),
        None => format!("{} {status}", row.numerator),
    }
}

/// Writes the trend in `format`.
pub(crate) fn write(
    out: &mut dyn Write,
    trend: &Trend,
    filter: &Filter<'_>,
    format: Format,
    excel: bool,
    lang: crate::lang::Lang,
) -> Result<()> {
    match format {
        Format::Table => {
            let all = series(trend, filter, filter.by_township);
            let (first, last) = (trend.terms[0], trend.terms[trend.terms.len() - 1]);
            let (plan, plan_name) = (trend.plan.id.clone(), trend.plan.name.clone());
            let (first, last) = (first.to_string(), last.to_string());
            writeln!(out, "{}", crate::tl!(lang, "trend-title", plan = plan, plan_name = plan_name, first = first, last = last))?;
            let mut header: Vec<String> = vec![crate::tl!(lang, "render-target"), crate::tl!(lang, "render-scope")];
            header.extend(trend.terms.iter().map(Term::to_string));
            let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
            let mut table = new_table(&header_refs);
            for s in &all {
                // In Chinese the target's title, with its id below it.
                let target = match lang {
                    Lang::Zh => format!("{}\n{}", trend.plan.targets[s.index].title.get(false), s.target),
                    Lang::En => s.target.to_string(),
                };
                let mut cells = vec![
                    target,
                    s.township.map_or_else(|| crate::tl!(lang, "render-district").to_string(), super::township_label),
                ];
                // A township the rosters of a term lack has no units there: in the words
                // the district's row would have without units.
                for (t, report) in trend.terms.iter().zip(&trend.reports) {
                    cells.push(
                        s.points
                            .iter()
                            .find(|(pt, _)| pt == t)
                            .map_or_else(|| cell(&report.empty_row(s.index), lang), |(_, r)| cell(r, lang)),
                    );
                }
                table.add_row(cells);
            }
            writeln!(out, "{table}")?;
        }
        Format::Csv => {
            let mut w = SafeCsv::new(out, excel)?;
            w.row(["term", "scope", "township_code", "township", "target", "numerator", "denominator", "pct", "status", "plan"])?;
            for s in series(trend, filter, filter.by_township) {
                for (t, r) in &s.points {
                    w.row([
                        t.to_string(),
                        if s.township.is_some() { "township" } else { "district" }.to_string(),
                        s.township.and_then(|k| k.code.clone()).unwrap_or_default(),
                        s.township.map(|k| k.name.clone()).unwrap_or_default(),
                        s.target.to_string(),
                        r.numerator.to_string(),
                        r.denominator.map(|d| d.to_string()).unwrap_or_default(),
                        r.ratio().map(|x| x.pct_text(1)).unwrap_or_default(),
                        r.status.as_str().to_string(),
                        trend.plan.id.clone(),
                    ])?;
                }
            }
            w.finish()?;
        }
        Format::Json => {
            #[derive(Serialize)]
            struct Point {
                term: String,
                numerator: u64,
                denominator: Option<u64>,
                pct: Option<f64>,
                status: Status,
            }
            #[derive(Serialize)]
            struct JsonSeries<'a> {
                id: &'a str,
                scope: &'static str,
                township: Option<&'a str>,
                points: Vec<Point>,
            }
            #[derive(Serialize)]
            struct Doc<'a> {
                schema: &'static str,
                plan: super::JsonPlanRef<'a>,
                terms: Vec<String>,
                series: Vec<JsonSeries<'a>>,
            }
            let doc = Doc {
                schema: "gongyu.trend.v1",
                plan: super::JsonPlanRef { id: &trend.plan.id, name: &trend.plan.name, sha256: &trend.plan.sha256 },
                terms: trend.terms.iter().map(Term::to_string).collect(),
                series: series(trend, filter, true)
                    .into_iter()
                    .map(|s| JsonSeries {
                        id: s.target,
                        scope: if s.township.is_some() { "township" } else { "district" },
                        township: s.township.map(|k| k.id()),
                        points: s
                            .points
                            .iter()
                            .map(|(t, r)| Point {
                                term: t.to_string(),
                                numerator: r.numerator,
                                denominator: r.denominator,
                                pct: r.ratio().and_then(|x| x.pct_json()),
                                status: r.status,
                            })
                            .collect(),
                    })
                    .collect(),
            };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
        }
    }
    Ok(())
}
