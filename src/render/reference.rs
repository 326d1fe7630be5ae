//! The JSON and CSV writers as they were before `write`, through serde_json and the csv
//! crate: the tests hold the hand-written ones to their bytes.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use super::{gap_cells, scoped_rows, JsonPlanRef, SafeCsv, GAP_COLUMNS};
use crate::lang::Lang;
use crate::plan::model::Threshold;
use crate::plan::Status;
use crate::report::{CoverageReport, Gap, TargetRow, TownshipKey};

pub(crate) fn coverage_csv(
    out: &mut dyn Write,
    report: &CoverageReport,
    by_township: bool,
    excel: bool,
    lang: Lang,
) -> Result<()> {
    let mut w = SafeCsv::new(out, excel)?;
    w.row([
        "term",
        "scope",
        "township_code",
        "township",
        "target",
        "required_pct",
        "numerator",
        "denominator",
        "pct",
        "shortfall",
        "status",
        "responsible",
        "period",
        "title",
        "plan",
    ])?;
    for (scope, r) in scoped_rows(report, by_township) {
        let def = report.target(r);
        w.row([
            report.term.to_string(),
            if scope.is_some() { "township" } else { "district" }.to_string(),
            scope.and_then(|t| t.code.clone()).unwrap_or_default(),
            scope.map(|t| t.name.clone()).unwrap_or_default(),
            def.id.clone(),
            def.required_pct().map(|p| p.to_string()).unwrap_or_default(),
            r.numerator.to_string(),
            r.denominator.map(|d| d.to_string()).unwrap_or_default(),
            r.ratio().map(|x| x.pct_text(1)).unwrap_or_default(),
            r.shortfall.map(|s| s.to_string()).unwrap_or_default(),
            r.status.as_str().to_string(),
            r.responsible.join(";"),
            def.period.as_str().to_string(),
            def.title.get(lang.is_english()).to_string(),
            report.plan.id.clone(),
        ])?;
    }
    w.finish()
}

type JsonPlan<'a> = JsonPlanRef<'a>;

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    term: String,
    plan: JsonPlan<'a>,
    as_of: String,
    closed: Option<&'a crate::report::ClosedMark>,
    rosters: JsonRosters,
    targets: Vec<JsonTarget<'a>>,
    /// Written as they are made: a national report has hundreds of thousands of rows.
    townships: Lazy<Box<dyn Iterator<Item = JsonTownship<'a>> + 'a>>,
}

/// A sequence serialized straight from an iterator, never held whole (serialized once).
pub(crate) struct Lazy<I>(std::cell::RefCell<Option<I>>);

impl<I> Lazy<I> {
    pub(crate) fn new(items: I) -> Lazy<I> {
        Lazy(std::cell::RefCell::new(Some(items)))
    }
}

impl<I: Iterator<Item = T>, T: Serialize> Serialize for Lazy<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let items = self.0.borrow_mut().take().ok_or_else(|| serde::ser::Error::custom("a sequence serialized twice"))?;
        s.collect_seq(items)
    }
}

/// Each roster kind's name and the period of its roster in use.
struct JsonRosters([(&'static str, Option<String>); 4]);

impl Serialize for JsonRosters {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum JsonThreshold {
    Required { required_pct: u32 },
    AtLeast { at_least: u64 },
    Informational { informational: bool },
}

#[derive(Serialize)]
struct JsonTarget<'a> {
    id: &'a str,
    scope: &'static str,
    township: Option<&'a str>,
    required_pct: Option<u32>,
    numerator: u64,
    denominator: Option<u64>,
    pct: Option<f64>,
    shortfall: Option<u64>,
    status: Status,
    responsible: &'a [String],
    title: &'a str,
    section: Option<&'a str>,
    period: &'static str,
    period_start: &'a str,
    period_end: &'a str,
    threshold: JsonThreshold,
}

#[derive(Serialize)]
struct JsonTownship<'a> {
    code: Option<&'a str>,
    name: &'a str,
    targets: Lazy<Box<dyn Iterator<Item = JsonTarget<'a>> + 'a>>,
}

/// Each target's period's first and last day, as JSON gives them.
fn period_days(report: &CoverageReport) -> Vec<(String, String)> {
    report.spans.iter().map(|s| (s.start.to_string(), s.end.to_string())).collect()
}

fn json_target<'a>(
    report: &'a CoverageReport,
    days: &'a [(String, String)],
    r: &'a TargetRow,
    township: Option<&'a TownshipKey>,
    lang: Lang,
) -> JsonTarget<'a> {
    let def = report.target(r);
    let (start, end) = &days[r.target];
    JsonTarget {
        id: &def.id,
        scope: if township.is_some() { "township" } else { "district" },
        township: township.map(|t| t.id()),
        required_pct: def.required_pct(),
        numerator: r.numerator,
        denominator: r.denominator,
        pct: r.ratio().and_then(|x| x.pct_json()),
        shortfall: r.shortfall,
        status: r.status,
        responsible: &r.responsible,
        title: def.title.get(lang.is_english()),
        section: def.section.as_deref(),
        period: def.period.as_str(),
        period_start: start,
        period_end: end,
        threshold: match def.threshold {
            Threshold::Required(p) => JsonThreshold::Required { required_pct: p },
            Threshold::AtLeast(n) => JsonThreshold::AtLeast { at_least: n },
            Threshold::Informational => JsonThreshold::Informational { informational: true },
        },
    }
}

fn rosters(report: &CoverageReport) -> JsonRosters {
    let r = &report.rosters;
    use crate::returns::kinds::{bodies, communities, key_students, schools};
    JsonRosters([
        (schools::KIND_NAME, r.schools.map(|t| t.to_string())),
        (communities::KIND_NAME, r.communities.map(|t| t.to_string())),
        (bodies::KIND_NAME, r.bodies.map(|t| t.to_string())),
        (key_students::KIND_NAME, r.key_students.map(|t| t.school_year())),
    ])
}

fn json_plan(report: &CoverageReport) -> JsonPlan<'_> {
    JsonPlanRef { id: &report.plan.id, name: &report.plan.name, sha256: &report.plan.sha256 }
}

pub(crate) fn coverage_json(out: &mut dyn Write, report: &CoverageReport, lang: Lang) -> Result<()> {
    let days = period_days(report);
    let days = &days[..];
    let doc = JsonReport {
        schema: "gongyu.coverage.v2",
        term: report.term.to_string(),
        plan: json_plan(report),
        as_of: report.as_of.to_string(),
        closed: report.closed.as_ref(),
        rosters: rosters(report),
        targets: report.district.iter().map(|r| json_target(report, days, r, None, lang)).collect(),
        townships: Lazy::new(Box::new(report.townships.iter().map(move |t| JsonTownship {
            code: t.township.code.as_deref(),
            name: &t.township.name,
            targets: Lazy::new(Box::new(t.targets.iter().map(move |r| json_target(report, days, r, Some(&t.township), lang)))),
        }))),
    };
    // Buffered here, so serde's many small writes are plain calls, not calls through `dyn`.
    let mut buf = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
    serde_json::to_writer_pretty(&mut buf, &doc)?;
    writeln!(buf)?;
    buf.flush()?;
    Ok(())
}

/// The CSV and JSON formats of `super::gaps`, as they were.
pub(crate) fn gaps(
    out: &mut dyn Write,
    report: &CoverageReport,
    shown: &[Gap],
    json: bool,
    excel: bool,
    lang: Lang,
) -> Result<()> {
    if !json {
        let mut w = SafeCsv::new(&mut *out, excel)?;
        w.row(GAP_COLUMNS)?;
        for g in shown {
            w.row(gap_cells(report, g, ";", lang))?;
        }
        w.finish()?;
    } else {
        #[derive(Serialize)]
        struct JsonGap<'a> {
            target: &'a str,
            township_code: Option<&'a str>,
            township: Option<&'a str>,
            unit_code: &'a str,
            unit_name: &'a str,
            reason: &'a str,
            responsible: &'a [String],
            status: Status,
            reason_code: &'a str,
        }
        #[derive(Serialize)]
        struct JsonGaps<'a> {
            schema: &'static str,
            term: String,
            plan: JsonPlan<'a>,
            as_of: String,
            rosters: JsonRosters,
            gaps: Vec<JsonGap<'a>>,
        }
        let doc = JsonGaps {
            schema: "gongyu.gaps.v2",
            term: report.term.to_string(),
            plan: json_plan(report),
            as_of: report.as_of.to_string(),
            rosters: rosters(report),
            gaps: shown
                .iter()
                .map(|g| JsonGap {
                    target: &report.plan.targets[g.target].id,
                    township_code: g.township.as_ref().and_then(|t| t.code.as_deref()),
                    township: g.township.as_ref().map(|t| t.name.as_str()),
                    unit_code: &g.unit_code,
                    unit_name: &g.unit_name,
                    reason: g.reason.get(lang),
                    responsible: &g.responsible,
                    status: g.status,
                    reason_code: &g.reason_code,
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)?;
    }
    Ok(())
}

mod tests {
    //! The hand-written writers against these, on a report full of awkward strings.

    use std::sync::Arc;

    use crate::facts::RostersUsed;
    use crate::lang::{Lang, Words};
    use crate::plan::model::Title;
    use crate::plan::{period, Status, Term};
    use crate::render::{self, Format};
    use crate::report::{Bodies, ClosedMark, CoverageReport, Gap, TargetRow, TownshipKey, TownshipReport};

    const AWKWARD: [&str; 9] = [
        "say \"hi\", \\ back",
        "line\nbreak\r\ntab\tnul\u{0}bell\u{7}esc\u{1b}\u{1f}\u{7f}",
        "=SUM(A1)",
        "-1",
        "@x",
        "门头沟区（2019～2021年）😀\u{2028}",
        "",
        "\tlead",
        "\"",
    ];

    fn bodies(i: usize) -> Bodies {
        let all: Vec<Vec<String>> =
            vec![vec![], vec!["区教委".into()], AWKWARD.iter().map(|s| s.to_string()).collect(), vec!["+a".into(), "b;c".into()]];
        Arc::from(all[i % all.len()].clone())
    }

    fn row(target: usize, i: usize) -> TargetRow {
        let statuses = [Status::Met, Status::Pending, Status::Gap, Status::NotApplicable, Status::NoData, Status::Info];
        let denominator = [Some(0), Some(1), Some(3), Some(8), Some(126), None, Some(480_000)][i % 7];
        let numerator = denominator.map_or(i as u64 * 7, |d| (i as u64 * 37) % (d + 1));
        TargetRow {
            target,
            numerator,
            denominator,
            shortfall: if i.is_multiple_of(3) { None } else { Some(i as u64) },
            status: statuses[i % statuses.len()],
            responsible: bodies(i / 2),
            unreported: Default::default(),
        }
    }

    fn awkward_report() -> CoverageReport {
        let mut plan = crate::plan::file::built_in();
        plan.id = AWKWARD[0].into();
        plan.name = AWKWARD[1].into();
        plan.sha256 = AWKWARD[5].into();
        for (i, t) in plan.targets.iter_mut().enumerate() {
            if i.is_multiple_of(2) {
                t.id = format!("{}{i}", AWKWARD[i % AWKWARD.len()]);
                t.title =
                    Title { zh: AWKWARD[(i + 1) % AWKWARD.len()].into(), en: Some(AWKWARD[(i + 2) % AWKWARD.len()].into()) };
                t.section = if i.is_multiple_of(4) { None } else { Some(AWKWARD[(i + 3) % AWKWARD.len()].into()) };
            }
        }
        let term: Term = "2020-2021-1".parse().unwrap();
        let as_of = "2020-12-15".parse().unwrap();
        let spans = plan.targets.iter().map(|t| period::span(t.period, term, &plan, as_of)).collect();
        let n = plan.targets.len();
        let townships = AWKWARD
            .iter()
            .enumerate()
            .map(|(i, s)| TownshipReport {
                township: TownshipKey::new(if i % 3 == 1 { None } else { Some(format!("{s}{i}")) }, AWKWARD[(i + 4) % 9].into()),
                targets: if i == 2 { vec![] } else { (0..n).map(|t| row(t, t * 5 + i)).collect() },
            })
            .collect();
        CoverageReport {
            plan,
            term,
            as_of,
            spans,
            rosters: RostersUsed { schools: Some(term), communities: None, bodies: Some(term), key_students: Some(term) },
            district: (0..n).map(|t| row(t, t)).collect(),
            townships,
            closed: Some(ClosedMark { at: AWKWARD[2].into(), by: AWKWARD[1].into() }),
        }
    }

    fn awkward_gaps(report: &CoverageReport) -> Vec<Gap> {
        (0..40)
            .map(|i| Gap {
                target: i % report.plan.targets.len(),
                township: match i % 4 {
                    0 => None,
                    1 => Some(TownshipKey::new(None, AWKWARD[i % 9].into())),
                    _ => Some(TownshipKey::new(Some(AWKWARD[(i + 1) % 9].into()), AWKWARD[(i + 2) % 9].into())),
                },
                unit_code: AWKWARD[(i + 3) % 9].into(),
                unit_name: AWKWARD[(i + 5) % 9].into(),
                reason: Words::new(AWKWARD[(i + 6) % 9], AWKWARD[(i + 7) % 9]),
                reason_code: AWKWARD[(i + 8) % 9].into(),
                status: if i.is_multiple_of(2) { Status::Gap } else { Status::Pending },
                responsible: bodies(i),
            })
            .collect()
    }

    fn text(write: impl FnOnce(&mut Vec<u8>) -> anyhow::Result<()>) -> String {
        let mut out = Vec::new();
        write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn check(report: &CoverageReport, gaps: &[Gap]) {
        for lang in [Lang::Zh, Lang::En] {
            let json = text(|o| render::coverage(o, report, Format::Json, true, false, lang));
            assert_eq!(json, text(|o| super::coverage_json(o, report, lang)), "{lang:?}");
            serde_json::from_str::<serde_json::Value>(&json).unwrap();
            for excel in [false, true] {
                for by in [false, true] {
                    assert_eq!(
                        text(|o| render::coverage(o, report, Format::Csv, by, excel, lang)),
                        text(|o| super::coverage_csv(o, report, by, excel, lang)),
                        "{lang:?} excel {excel} by township {by}"
                    );
                }
                assert_eq!(
                    text(|o| render::gaps(o, report, gaps, Format::Csv, None, excel, lang)),
                    text(|o| super::gaps(o, report, gaps, false, excel, lang)),
                    "{lang:?} excel {excel}"
                );
            }
            assert_eq!(
                text(|o| render::gaps(o, report, gaps, Format::Json, None, false, lang)),
                text(|o| super::gaps(o, report, gaps, true, false, lang)),
                "{lang:?}"
            );
            assert_eq!(
                text(|o| render::gaps(o, report, gaps, Format::Json, Some(3), false, lang)),
                text(|o| super::gaps(o, report, &gaps[..gaps.len().min(3)], true, false, lang)),
                "{lang:?}"
            );
        }
    }

    #[test]
    fn awkward_strings_are_written_as_serde_json_and_the_csv_crate_wrote_them() {
        let report = awkward_report();
        let gaps = awkward_gaps(&report);
        check(&report, &gaps);
    }

    #[test]
    fn empty_lists_are_written_as_before() {
        let mut report = awkward_report();
        report.closed = None;
        report.rosters = RostersUsed::default();
        report.district.clear();
        report.townships.clear();
        check(&report, &[]);
    }
}
