//! `gongyu returns`: which returns are in for a term and who has not reported, as a table
//! for people, CSV (one row per unit or filing) or JSON (`gongyu.returns.v2`: v1's fields
//! and `timeliness`, see [`super::timeliness`]).

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use super::{new_table, township_label, Format, SafeCsv};
use crate::facts::BatchRecord;
use crate::lang::Lang;
use crate::report::returns::Returns;
use crate::report::returns::UnitRef;
use crate::report::TownshipKey;
use crate::returns::kinds::{activities, key_students, registry};

/// The term of a roster carried over from an earlier term (`None` for the term's own
/// roster, or a school year's).
fn carried_over<'b>(r: &Returns, b: &'b BatchRecord) -> Option<&'b str> {
    b.term.as_deref().filter(|t| *t != r.term.to_string())
}

/// A roster's status: `in`, or `carried-over` for an earlier term's roster still in use.
fn roster_status(r: &Returns, b: &BatchRecord) -> &'static str {
    if carried_over(r, b).is_some() {
        "carried-over"
    } else {
        "in"
    }
}

fn township_cells(t: Option<&TownshipKey>) -> (String, String) {
    (t.and_then(|t| t.code.clone()).unwrap_or_default(), t.map(|t| t.name.clone()).unwrap_or_default())
}

/// One row of the CSV: `section, township_code, township, unit_code, unit_name, status, detail`.
fn rows(r: &Returns, missing_only: bool) -> Vec<[String; 7]> {
    let mut out = Vec::new();
    for (kind, batch) in &r.rosters {
        match batch {
            Some(b) if !missing_only || carried_over(r, b).is_some() => out.push([
                "roster".into(),
                String::new(),
                String::new(),
                kind.to_string(),
                b.file.clone(),
                roster_status(r, b).into(),
                format!("{} batch {} ({} rows)", b.term.clone().unwrap_or_default(), b.id, b.imported),
            ]),
            None => out.push([
                "roster".into(),
                String::new(),
                String::new(),
                kind.to_string(),
                String::new(),
                "missing".into(),
                String::new(),
            ]),
            _ => {}
        }
    }
    let unit = |section: &str, t: Option<&TownshipKey>, u: &UnitRef, status: &str, detail: String| {
        let (code, name) = township_cells(t);
        [section.to_string(), code, name, u.code.to_string(), u.name.to_string(), status.to_string(), detail]
    };
    for t in &r.status.activities {
        if !missing_only {
            out.extend(
                t.reported.iter().map(|u| unit(activities::KIND_NAME, t.township.as_ref(), u, "reported", u.kind.to_string())),
            );
        }
        out.extend(t.missing.iter().map(|u| unit(activities::KIND_NAME, t.township.as_ref(), u, "missing", u.kind.to_string())));
    }
    for k in &r.status.key_students {
        if !missing_only || k.students == 0 {
            let status = if k.students == 0 { "none-listed" } else { "listed" };
            out.push(unit(key_students::KIND_NAME, k.township.as_ref(), &k.school, status, k.students.to_string()));
        }
    }
    for t in &r.status.registry {
        let (code, name) = township_cells(Some(&t.township));
        if !missing_only {
            for c in &t.filed {
                out.push([
                    registry::KIND_NAME.into(),
                    code.clone(),
                    name.clone(),
                    String::new(),
                    String::new(),
                    "filed".into(),
                    c.as_str().into(),
                ]);
            }
        }
        for c in &t.missing {
            out.push([
                registry::KIND_NAME.into(),
                code.clone(),
                name.clone(),
                String::new(),
                String::new(),
                "missing".into(),
                c.as_str().into(),
            ]);
        }
    }
    for v in &r.status.unknown_visits {
        out.push([
            "home-visits".into(),
            String::new(),
            String::new(),
            v.school.clone(),
            v.reference.clone(),
            "unknown-student".into(),
            v.visits.to_string(),
        ]);
    }
    out
}

/// How `returns` breaks timeliness down: by township (always), and by unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct View {
    pub missing_only: bool,
    pub by_unit: bool,
}

/// Writes the returns of a term.
pub(crate) fn write(out: &mut dyn Write, r: &Returns, view: View, format: Format, excel: bool, lang: Lang) -> Result<()> {
    let missing_only = view.missing_only;
    match format {
        Format::Csv => {
            let mut w = SafeCsv::new(out, excel)?;
            let header = ["section", "township_code", "township", "unit_code", "unit_name", "status", "detail"];
            w.row(header.into_iter().chain(super::timeliness::CSV_COLUMNS))?;
            let blank = [""; super::timeliness::CSV_COLUMNS.len()];
            for row in rows(r, missing_only) {
                w.row(row.iter().map(String::as_str).chain(blank))?;
            }
            for row in super::timeliness::csv_rows(&r.timeliness, view.by_unit, missing_only) {
                w.row(row)?;
            }
            w.finish()
        }
        Format::Json => {
            let tw = |t: Option<&TownshipKey>| json!({"code": t.and_then(|t| t.code.clone()), "name": t.map(|t| t.name.clone())});
            let doc = json!({
                "schema": "gongyu.returns.v2",
                "term": r.term.to_string(),
                "as_of": r.as_of.to_string(),
                "missing_only": missing_only,
                "rosters": r.rosters.iter().filter(|(_, b)| !missing_only || b.as_ref().is_none_or(|b| carried_over(r, b).is_some())).map(|(kind, b)| match b {
                    Some(b) => json!({"kind": kind, "status": roster_status(r, b), "period": b.term, "batch": b.id, "file": b.file,
                                      "imported_at": b.imported_at, "rows": b.imported}),
                    None => json!({"kind": kind, "status": "missing"}),
                }).collect::<Vec<_>>(),
                (activities::SPEC.key): r.status.activities.iter().map(|t| json!({
                    "township": tw(t.township.as_ref()),
                    "reported": t.reported.len(),
                    "units": t.reported.len() + t.missing.len(),
                    (activities::SPEC.key): t.activities,
                    "missing": t.missing,
                })).collect::<Vec<_>>(),
                (key_students::SPEC.key): r.status.key_students.iter().filter(|k| !missing_only || k.students == 0).map(|k| json!({
                    "township": tw(k.township.as_ref()), "school": k.school, "students": k.students,
                })).collect::<Vec<_>>(),
                (registry::SPEC.key): r.status.registry.iter().filter(|t| !missing_only || !t.missing.is_empty()).map(|t| json!({
                    "township": tw(Some(&t.township)),
                    "filed": t.filed.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                    "missing": t.missing.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "unknown_home_visits": r.status.unknown_visits,
                "timeliness": super::timeliness::json(&r.timeliness, view.by_unit, missing_only, r.today),
            });
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)?;
            Ok(())
        }
        Format::Table => {
            table(out, r, missing_only, lang)?;
            super::timeliness::table(out, &r.timeliness, view.by_unit, missing_only, r.today, lang)
        }
    }
}

fn table(out: &mut dyn Write, r: &Returns, missing_only: bool, lang: Lang) -> Result<()> {
    let zh = lang == Lang::Zh;
    match lang {
        Lang::Zh => {
            writeln!(out, "{}报表情况（截至 {}）{}", r.term.chinese(), r.as_of, if missing_only { "：只列未报" } else { "" })?
        }
        Lang::En => {
            writeln!(out, "Returns for term {} (as of {}){}", r.term, r.as_of, if missing_only { ": missing only" } else { "" })?
        }
    }
    // Rosters.
    let mut t = new_table(if zh {
        &["名册", "状态", "学期/学年", "批次", "文件", "导入时间", "单位数"]
    } else {
        &["roster", "status", "period", "batch", "file", "imported at", "units"]
    });
    for (kind, b) in &r.rosters {
        match b {
            Some(b) if !missing_only || carried_over(r, b).is_some() => {
                t.add_row(vec![
                    crate::returns::kinds::kind_title(kind, lang).to_string(),
                    match carried_over(r, b) {
                        Some(t) if lang == Lang::Zh && t == r.term.previous().to_string() => "沿用上学期".to_string(),
                        Some(t) => match lang {
                            Lang::Zh => format!("沿用{t}"),
                            Lang::En => format!("carried over from {t}"),
                        },
                        None => crate::tl!(lang, "render-in").to_string(),
                    },
                    b.term.clone().unwrap_or_default(),
                    b.id.to_string(),
                    b.file.clone(),
                    crate::ambient::local_time(&b.imported_at),
                    b.imported.to_string(),
                ]);
            }
            None => {
                t.add_row(vec![
                    crate::returns::kinds::kind_title(kind, lang).to_string(),
                    crate::tl!(lang, "render-missing").to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
            _ => {}
        }
    }
    writeln!(out, "\n{}\n{t}", crate::tl!(lang, "render-rosters"))?;
    // Activities by township.
    let mut t = new_table(if zh {
        &["乡镇", "已报单位", "有家长学校的单位", "已报活动", "未报单位"]
    } else {
        &["township", "reported", "units with a parent school", activities::KIND_NAME, "not reported"]
    });
    for a in &r.status.activities {
        if missing_only && a.missing.is_empty() {
            continue;
        }
        let limit = if missing_only { usize::MAX } else { 5 };
        let mut names: Vec<String> = a.missing.iter().take(limit).map(|u| format!("{} {}", u.code, u.name)).collect();
        if a.missing.len() > limit {
            names.push(match lang {
                Lang::Zh => format!("……另有{}个", a.missing.len() - limit),
                Lang::En => format!("… and {} more", a.missing.len() - limit),
            });
        }
        t.add_row(vec![
            a.township.as_ref().map_or_else(|| crate::tl!(lang, "render-district-no-township").to_string(), township_label),
            a.reported.len().to_string(),
            (a.reported.len() + a.missing.len()).to_string(),
            a.activities.to_string(),
            names.join("\n"),
        ]);
    }
    writeln!(out, "\n{}\n{t}", crate::tl!(lang, "render-activities-this-term-by-township"))?;
    // Key students.
    let listed = r.status.key_students.iter().filter(|k| k.students > 0).count();
    let none: Vec<String> = r
        .status
        .key_students
        .iter()
        .filter(|k| k.students == 0)
        .map(|k| format!("{} {}", k.school.code, k.school.name))
        .collect();
    let students: u64 = r.status.key_students.iter().map(|k| k.students).sum();
    match lang {
        Lang::Zh => {
            writeln!(out, "\n重点关注学生名册：{listed} 所中小学、幼儿园列有 {students} 名学生；{} 所未列学生", none.len())?
        }
        Lang::En => writeln!(out, "\nKey-students roster: {listed} schools list {students} students; {} list none", none.len())?,
    }
    if missing_only && !none.is_empty() {
        writeln!(out, "  {}", none.join("\n  "))?;
    }
    // Registry.
    let mut t = new_table(if zh { &["乡镇", "已备案", "未备案"] } else { &["township", "filed", "missing"] });
    for g in &r.status.registry {
        if missing_only && g.missing.is_empty() {
            continue;
        }
        let list =
            |v: &[crate::plan::RegistryCategory]| v.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(lang.pick("、", ", "));
        t.add_row(vec![township_label(&g.township), list(&g.filed), list(&g.missing)]);
    }
    writeln!(out, "\n{}\n{t}", crate::tl!(lang, "render-children-s-registry-filings-this-school"))?;
    // Home visits naming unknown students.
    if !r.status.unknown_visits.is_empty() {
        writeln!(out, "\n{}", crate::tl!(lang, "render-home-visits-naming-students-on-no"))?;
        for v in &r.status.unknown_visits {
            writeln!(out, "  {} {} ({})", v.school, v.reference, v.visits)?;
        }
    }
    Ok(())
}
