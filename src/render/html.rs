//! The inspector's web page: one self-contained HTML file with inline SVG charts and
//! print CSS for A4. It is opened on government intranets, so it fetches nothing: no
//! scripts, no fonts, no images, no style sheets — and a Content-Security-Policy that
//! forbids them, should anyone add one. Every name from the returns is escaped.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::Result;

use super::xlsx::{fraction, period_word, responsible_words, status_word, term_words, threshold_words};
use super::Inspection;
use crate::lang::Lang;
use crate::plan::model::{TargetDef, Threshold};
use crate::plan::Status;
use crate::report::{CoverageReport, Gap, TargetRow, TownshipKey};

/// Escapes text for HTML content and attribute values.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The colour of a status, in charts and badges.
fn colour(s: Status) -> &'static str {
    match s {
        Status::Met => "#2e7d32",
        Status::Pending => "#e08a00",
        Status::Gap => "#c62828",
        Status::NoData => "#7f7f7f",
        Status::Info => "#1f6fb2",
        Status::NotApplicable => "#bdbdbd",
    }
}

/// A CSS class for a status (`no-data`, `na`, …).
fn class(s: Status) -> &'static str {
    match s {
        Status::NotApplicable => "na",
        s => s.as_str(),
    }
}

pub(super) const CSS: &str = r#"
:root { --ink: #222; --muted: #666; --rule: #c9ced6; --head: #1f4e78; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: var(--ink); background: #fff; font-size: 14px; line-height: 1.55;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
    "Hiragino Sans GB", "WenQuanYi Micro Hei", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 36px 40px; }
header.top { border-bottom: 3px solid var(--head); padding-bottom: 10px; margin-bottom: 18px; }
h1 { font-size: 24px; margin: 0 0 6px; color: var(--head); line-height: 1.3; }
h2 { font-size: 19px; color: var(--head); border-left: 5px solid var(--head); padding-left: 8px; margin: 28px 0 12px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p { margin: 6px 0; }
.meta { color: var(--muted); }
.meta b { color: var(--ink); font-weight: 600; }
.counts { margin: 10px 0 4px; display: flex; flex-wrap: wrap; gap: 6px 10px; }
.badge { display: inline-block; padding: 0 7px; border-radius: 3px; color: #fff; font-size: 12px;
  line-height: 20px; white-space: nowrap; }
.badge.met { background: #2e7d32; } .badge.pending { background: #e08a00; } .badge.gap { background: #c62828; }
.badge.no-data { background: #7f7f7f; } .badge.info { background: #1f6fb2; } .badge.na { background: #bdbdbd; color: #333; }
.note { color: var(--muted); font-size: 12.5px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0 10px; }
th, td { border: 1px solid var(--rule); padding: 4px 6px; vertical-align: top; text-align: left;
  overflow-wrap: anywhere; }
th { background: var(--head); color: #fff; font-weight: 600; white-space: nowrap; }
td.nw { white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 12px; white-space: nowrap; }
tr.gap td { background: #fdecec; } tr.pending td { background: #fff5dc; } tr.no-data td { background: #efefef; }
table.gaps { table-layout: fixed; }
table.gaps th:nth-child(1) { width: 11%; } table.gaps th:nth-child(2) { width: 14%; }
table.gaps th:nth-child(3) { width: 22%; } table.gaps th:nth-child(4) { width: 29%; }
table.gaps th:nth-child(5) { width: 8%; } table.gaps th:nth-child(6) { width: 16%; }
.id { display: block; color: var(--muted); font-size: 11px; font-family: "DejaVu Sans Mono", Consolas, monospace; }
figure { margin: 0 0 16px; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 13px; color: var(--muted); }
figcaption b { color: var(--ink); font-size: 14px; }
svg { display: block; width: 100%; height: auto; }
svg text { font-family: inherit; fill: #333; }
.trends { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px 24px; }
footer { margin-top: 28px; border-top: 1px solid var(--rule); padding-top: 8px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 12mm 11mm 14mm; }
@media print {
  body { font-size: 12px; }
  main { max-width: none; padding: 0; }
  section { break-before: page; page-break-before: always; }
  section.first { break-before: auto; page-break-before: auto; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  table { font-size: 11px; }
}
"#;

/// Writes the page.
pub(crate) fn write(out: &mut dyn Write, inspection: &Inspection<'_>) -> Result<()> {
    let page = render(inspection);
    out.write_all(page.as_bytes())?;
    Ok(())
}

/// The whole page as a string.
fn render(i: &Inspection<'_>) -> String {
    let (report, lang) = (i.report, i.lang);
    let mut o = String::new();
    let title =
        crate::tl!(lang, "page-title", plan = report.plan.name.clone(), term = super::xlsx::term_words(report.term, lang));
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"gongyu {}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        lang.pick("zh-CN", "en"),
        env!("CARGO_PKG_VERSION"),
        esc(&title)
    );
    header(&mut o, report, lang);
    notes(&mut o, i);
    summary(&mut o, report, lang);
    townships(&mut o, report, lang);
    trends(&mut o, i);
    gaps(&mut o, report, i.gaps, lang);
    if let Some(q) = i.quality {
        super::quality::html_section(&mut o, q, lang);
    }
    let _ = write!(
        o,
        "<footer>{} gongyu {}. {}</footer>\n</main>\n</body>\n</html>\n",
        crate::tl!(lang, "page-written-by"),
        env!("CARGO_PKG_VERSION"),
        crate::tl!(lang, "page-the-page-is-self-contained-no")
    );
    o
}

fn header(o: &mut String, report: &CoverageReport, lang: Lang) {
    let _ = write!(o, "<header class=\"top\">\n<h1>{}</h1>\n<p class=\"meta\">", esc(&report.plan.name));
    let _ = write!(
        o,
        "{}",
        crate::tl!(
            lang,
            "page-meta",
            term_words = esc(&report.term.chinese()),
            term = report.term.to_string(),
            as_of = report.as_of.to_string(),
            plan = esc(&report.plan.id),
            sha = esc(&report.plan.sha256.chars().take(12).collect::<String>())
        )
    );
    o.push_str("</p>\n<div class=\"counts\">");
    let _ = write!(o, "<span>{}</span>", crate::tl!(lang, "page-district-targets", count = report.district.len()));
    for s in [Status::Met, Status::Gap, Status::Pending, Status::NoData, Status::Info, Status::NotApplicable] {
        let n = report.district.iter().filter(|r| r.status == s).count();
        if n > 0 {
            let _ = write!(o, "<span class=\"badge {}\">{} {n}</span>", class(s), status_word(s, lang));
        }
    }
    o.push_str("</div>\n<p class=\"note\">");
    o.push_str(&crate::tl!(lang, "page-gap-the-period-is-over-and"));
    o.push_str("</p>\n</header>\n");
}

/// Whether the term is closed, and what the report rests on.
fn notes(o: &mut String, i: &Inspection<'_>) {
    if let Some(c) = &i.report.closed {
        let (by, at) = (esc(&c.by), esc(&crate::ambient::local_time(&c.at)));
        let _ = writeln!(o, "<p class=\"note closed\">{}</p>", crate::tl!(i.lang, "page-closed", by = by, at = at));
    }
    if !i.notes.is_empty() {
        let _ = write!(o, "<ul class=\"note\">");
        for n in i.notes {
            let _ = write!(o, "<li>{}</li>", esc(n));
        }
        o.push_str("</ul>\n");
    }
}

fn pct_text(r: &TargetRow) -> String {
    match r.ratio() {
        Some(x) if x.denominator > 0 => format!("{}%", x.pct_text(1)),
        _ => "—".to_string(),
    }
}

fn badge(s: Status, lang: Lang) -> String {
    format!("<span class=\"badge {}\">{}</span>", class(s), status_word(s, lang))
}

fn summary(o: &mut String, report: &CoverageReport, lang: Lang) {
    let _ = write!(
        o,
        "<section class=\"first\" id=\"summary\">\n<h2>{}</h2>\n<table>\n<thead><tr>",
        crate::tl!(lang, "page-1-district-targets")
    );
    let header = ["target", "section", "required", "period", "met-of-units", "pct", "shortfall", "status", "responsible"]
        .map(|c| crate::messages::text_in(lang, &format!("page-col-{c}"), &[]));
    for h in header {
        let _ = write!(o, "<th>{h}</th>");
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for r in &report.district {
        let def = report.target(r);
        let _ = writeln!(
            o,
            "<tr class=\"{}\"><td>{}<span class=\"id\">{}</span></td><td class=\"nw\">{}</td><td class=\"num\">{}</td><td class=\"nw\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            class(r.status),
            esc(def.title.get(lang.is_english())),
            esc(&def.id),
            esc(def.section.as_deref().unwrap_or("")),
            esc(&threshold_words(def.threshold, lang)),
            period_word(def.period, lang),
            match r.denominator {
                Some(d) => format!("{} / {d}", r.numerator),
                None => r.numerator.to_string(),
            },
            pct_text(r),
            r.shortfall.map_or_else(|| "—".to_string(), |s| s.to_string()),
            badge(r.status, lang),
            esc(&responsible_words(&r.responsible, lang)),
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

/// Whether a target gets a chart by township: a percentage target, counted by township,
/// with units that reported something.
fn charted(report: &CoverageReport, index: usize) -> bool {
    let def = &report.plan.targets[index];
    def.by_township
        && matches!(def.threshold, Threshold::Required(_))
        && !matches!(report.district[index].status, Status::NotApplicable | Status::NoData)
}

fn townships(o: &mut String, report: &CoverageReport, lang: Lang) {
    let _ = write!(
        o,
        "<section id=\"townships\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        crate::tl!(lang, "page-2-targets-by-township"),
        crate::tl!(lang, "page-each-bar-is-a-township-s")
    );
    let mut skipped = Vec::new();
    for (index, def) in report.plan.targets.iter().enumerate() {
        if !def.by_township || !matches!(def.threshold, Threshold::Required(_)) {
            continue;
        }
        if !charted(report, index) {
            skipped.push(format!(
                "{}（{}）",
                esc(def.title.get(lang.is_english())),
                status_word(report.district[index].status, lang)
            ));
            continue;
        }
        let rows: Vec<(&TownshipKey, &TargetRow)> = report
            .townships
            .iter()
            .filter_map(|t| t.targets.iter().find(|r| r.target == index).map(|r| (&t.township, r)))
            .collect();
        let d = &report.district[index];
        let met = rows.iter().filter(|(_, r)| r.status == Status::Met).count();
        let _ = write!(
            o,
            "<figure>\n<figcaption><b>{}</b> <span class=\"id\">{} · {} {}</span></figcaption>\n",
            esc(def.title.get(lang.is_english())),
            esc(&def.id),
            esc(def.section.as_deref().unwrap_or("")),
            esc(&threshold_words(def.threshold, lang)),
        );
        bar_chart(o, def, &rows, lang);
        let _ = writeln!(
            o,
            "<figcaption>{}</figcaption>\n</figure>",
            crate::tl!(
                lang,
                "page-chart-caption",
                met_units = d.numerator,
                units = d.denominator.unwrap_or(0),
                pct = pct_text(d),
                status = badge(d.status, lang),
                townships = rows.len(),
                met = met
            )
        );
    }
    if !skipped.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"note\">{}{}</p>",
            crate::tl!(lang, "page-not-charted-no-data-or-n"),
            skipped.join(lang.pick("、", ", "))
        );
    }
    o.push_str("</section>\n");
}

/// A bar per township, its height the township's percentage, and the threshold as a
/// horizontal line.
fn bar_chart(o: &mut String, def: &TargetDef, rows: &[(&TownshipKey, &TargetRow)], lang: Lang) {
    let required = def.required_pct().unwrap_or(100) as f64;
    let (w, h) = (760.0, 236.0);
    let (left, right, top, bottom) = (44.0, 66.0, 18.0, 62.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let y = |pct: f64| top + plot_h * (1.0 - pct / 100.0);
    let _ = writeln!(
        o,
        "<svg class=\"bars\" data-target=\"{}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">",
        esc(&def.id),
        esc(def.title.get(lang.is_english()))
    );
    for g in (0..=100).step_by(20) {
        let gy = y(g as f64);
        let _ = writeln!(
            o,
            "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{gy:.1}\" y2=\"{gy:.1}\" stroke=\"{}\" stroke-width=\"1\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{g}%</text>",
            w - right,
            if g == 0 { "#888" } else { "#e3e6ea" },
            left - 5.0,
            gy + 4.0
        );
    }
    let n = rows.len().max(1) as f64;
    let slot = plot_w / n;
    let bar_w = (slot * 0.62).min(48.0);
    for (k, (township, r)) in rows.iter().enumerate() {
        let cx = left + slot * (k as f64 + 0.5);
        let pct = fraction(r).map(|f| f * 100.0);
        let name = &township.name;
        let tip = match (r.denominator, pct) {
            (Some(d), Some(p)) => format!("{name}: {} / {d} = {p:.2}% {}", r.numerator, status_word(r.status, lang)),
            _ => format!("{name}: {}", status_word(r.status, lang)),
        };
        let height = pct.map_or(0.0, |p| plot_h * p / 100.0);
        let _ = writeln!(
            o,
            "<rect class=\"bar {}\" data-township=\"{}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{bar_w:.1}\" height=\"{height:.1}\" fill=\"{}\"><title>{}</title></rect>",
            class(r.status),
            esc(township.id()),
            cx - bar_w / 2.0,
            top + plot_h - height,
            colour(r.status),
            esc(&tip)
        );
        let label = match pct {
            Some(p) => format!("{p:.1}"),
            None => crate::tl!(lang, "page-none").to_string(),
        };
        // Above the bar, unless the requirement's dashed line would strike the label
        // through: then inside a bar tall enough (in white), else just above the line.
        let (bar_top, ty) = (top + plot_h - height, y(required));
        let above = bar_top - 4.0;
        let (label_y, fill) = if (above - 10.0..=above + 2.0).contains(&ty) {
            if height >= 18.0 {
                (bar_top + 13.0, "#fff")
            } else {
                (ty - 5.0, "#222")
            }
        } else {
            (above, "#222")
        };
        let _ = writeln!(
            o,
            "<text class=\"bar-label\" x=\"{cx:.1}\" y=\"{label_y:.1}\" font-size=\"10.5\" text-anchor=\"middle\" style=\"fill:{fill}\">{}</text>",
            esc(&label)
        );
        let ly = top + plot_h + 14.0;
        let _ = writeln!(
            o,
            "<text x=\"{cx:.1}\" y=\"{ly:.1}\" font-size=\"12\" text-anchor=\"end\" transform=\"rotate(-35 {cx:.1} {ly:.1})\">{}</text>",
            esc(name)
        );
    }
    let ty = y(required);
    let _ = writeln!(
        o,
        "<line class=\"threshold\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{ty:.1}\" y2=\"{ty:.1}\" stroke=\"#c62828\" stroke-width=\"1.6\" stroke-dasharray=\"6 4\"/>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#c62828\" style=\"fill:#c62828\">{} {required}%</text>",
        w - right,
        w - right + 5.0,
        ty + 4.0,
        crate::tl!(lang, "page-required")
    );
    o.push_str("</svg>\n");
}

fn trends(o: &mut String, i: &Inspection<'_>) {
    let (trend, lang) = (i.trend, i.lang);
    let _ = write!(
        o,
        "<section id=\"trend\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<div class=\"trends\">\n",
        crate::tl!(lang, "page-3-progress-by-term-district"),
        crate::tl!(
            lang,
            "page-trend-note",
            from = super::xlsx::term_words(trend.terms[0], lang),
            to = super::xlsx::term_words(trend.terms[trend.terms.len() - 1], lang)
        )
    );
    let mut skipped = Vec::new();
    for (index, def) in trend.plan.targets.iter().enumerate() {
        let points: Vec<&TargetRow> = trend.reports.iter().map(|r| &r.district[index]).collect();
        let value = |r: &TargetRow| match def.threshold {
            Threshold::AtLeast(_) => Some(r.numerator as f64),
            _ => fraction(r).map(|f| f * 100.0),
        };
        if points.iter().all(|r| value(r).is_none()) {
            skipped.push(esc(def.title.get(lang.is_english())));
            continue;
        }
        let _ = writeln!(
            o,
            "<figure>\n<figcaption><b>{}</b> <span class=\"id\">{} · {}</span></figcaption>",
            esc(def.title.get(lang.is_english())),
            esc(&def.id),
            esc(&threshold_words(def.threshold, lang))
        );
        trend_chart(o, def, i, &points, &value);
        o.push_str("</figure>\n");
    }
    o.push_str("</div>\n");
    if !skipped.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"note\">{}{}</p>",
            crate::tl!(lang, "page-no-units-in-any-term"),
            skipped.join(lang.pick("、", ", "))
        );
    }
    o.push_str("</section>\n");
}

/// A small line chart of one target over the terms.
fn trend_chart(
    o: &mut String,
    def: &TargetDef,
    i: &Inspection<'_>,
    points: &[&TargetRow],
    value: &dyn Fn(&TargetRow) -> Option<f64>,
) {
    let lang = i.lang;
    let terms = &i.trend.terms;
    let (w, h) = (400.0, 176.0);
    let (left, right, top, bottom) = (42.0, 14.0, 16.0, 40.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let (max, line, unit) = match def.threshold {
        Threshold::Required(p) => (100.0, Some(p as f64), "%"),
        Threshold::Informational => (100.0, None, "%"),
        Threshold::AtLeast(n) => {
            // Whole numbers on the axis: a multiple of 4 above the threshold and the counts.
            let most = points.iter().map(|r| r.numerator).max().unwrap_or(0).max(n) + 1;
            (most.div_ceil(4).max(1) as f64 * 4.0, Some(n as f64), "")
        }
    };
    let y = |v: f64| top + plot_h * (1.0 - v / max);
    let n = terms.len().max(1) as f64;
    let x = |k: usize| left + plot_w * (k as f64 + 0.5) / n;
    let _ = writeln!(
        o,
        "<svg class=\"trend\" data-target=\"{}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">",
        esc(&def.id),
        esc(def.title.get(lang.is_english()))
    );
    for g in 0..=4 {
        let v = max * g as f64 / 4.0;
        let gy = y(v);
        let _ = writeln!(
            o,
            "<line x1=\"{left}\" x2=\"{:.1}\" y1=\"{gy:.1}\" y2=\"{gy:.1}\" stroke=\"{}\" stroke-width=\"1\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\">{}{unit}</text>",
            w - right,
            if g == 0 { "#888" } else { "#e3e6ea" },
            left - 5.0,
            gy + 4.0,
            v.round()
        );
    }
    if let Some(t) = line {
        let ty = y(t);
        let _ = writeln!(
            o,
            "<line class=\"threshold\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{ty:.1}\" y2=\"{ty:.1}\" stroke=\"#c62828\" stroke-width=\"1.4\" stroke-dasharray=\"6 4\"/>",
            w - right
        );
    }
    // Term labels: every one when they fit, else every k-th.
    let every = terms.len().div_ceil(8).max(1);
    for (k, t) in terms.iter().enumerate() {
        if k % every != 0 && k + 1 != terms.len() {
            continue;
        }
        let half = if t.half() == 1 { crate::tl!(lang, "page-term-first") } else { crate::tl!(lang, "page-term-second") };
        let _ = writeln!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\"><title>{}</title><tspan x=\"{:.1}\">{}</tspan><tspan x=\"{:.1}\" dy=\"14\">{}</tspan></text>",
            x(k),
            top + plot_h + 15.0,
            esc(&term_words(*t, lang)),
            x(k),
            t.school_year(),
            x(k),
            half
        );
    }
    // The line, broken where a term has no value.
    let mut path = String::new();
    let mut pen_down = false;
    for (k, r) in points.iter().enumerate() {
        match value(r) {
            Some(v) => {
                let _ = write!(path, "{}{:.1},{:.1} ", if pen_down { "L" } else { "M" }, x(k), y(v));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    let _ = writeln!(o, "<path d=\"{}\" fill=\"none\" stroke=\"#1f4e78\" stroke-width=\"2\"/>", path.trim_end());
    let threshold_y = line.map(y);
    for (k, r) in points.iter().enumerate() {
        let Some(v) = value(r) else {
            let _ = writeln!(
                o,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" style=\"fill:#888\">{}</text>",
                x(k),
                top + plot_h - 6.0,
                crate::tl!(lang, "page-no-units")
            );
            continue;
        };
        let label = if unit == "%" { format!("{v:.1}%") } else { format!("{v:.0}") };
        // Above the point, or below it where the threshold line would cross the label.
        let above = y(v) - 8.0;
        let label_y = match threshold_y {
            Some(ty) if (above - 4.0 - ty).abs() < 9.0 || above < top => y(v) + 17.0,
            _ => above,
        };
        let _ = writeln!(
            o,
            "<circle class=\"point {}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4.5\" fill=\"{}\"><title>{}: {} {}</title></circle>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\">{}</text>",
            class(r.status),
            x(k),
            y(v),
            colour(r.status),
            esc(&term_words(terms[k], lang)),
            esc(&label),
            status_word(r.status, lang),
            x(k),
            label_y,
            esc(&label)
        );
    }
    o.push_str("</svg>\n");
}

fn gaps(o: &mut String, report: &CoverageReport, gaps: &[Gap], lang: Lang) {
    let _ = write!(o, "<section id=\"gaps\">\n<h2>{}</h2>\n", crate::tl!(lang, "page-4-units-short-of-a-target"));
    if gaps.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", crate::tl!(lang, "page-no-unit-is-short-of-any"));
    }
    let header = ["township", "unit-code", "unit-name", "reason", "status", "responsible"]
        .map(|c| crate::messages::text_in(lang, &format!("page-gap-col-{c}"), &[]));
    for (index, def) in report.plan.targets.iter().enumerate() {
        let rows: Vec<&Gap> = gaps.iter().filter(|g| g.target == index).collect();
        if rows.is_empty() {
            continue;
        }
        let count = |s: Status| rows.iter().filter(|g| g.status == s).count();
        let _ = write!(
            o,
            "<h3>{} <span class=\"id\">{} · {}</span></h3>\n<table class=\"gaps\" data-target=\"{}\">\n<thead><tr>",
            esc(def.title.get(lang.is_english())),
            esc(&def.id),
            crate::tl!(lang, "page-gap-counts", gap = count(Status::Gap), pending = count(Status::Pending)),
            esc(&def.id)
        );
        for h in &header {
            let _ = write!(o, "<th>{h}</th>");
        }
        o.push_str("</tr></thead>\n<tbody>\n");
        for g in rows {
            let _ = writeln!(
                o,
                "<tr class=\"{}\"><td>{}</td><td class=\"code\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                class(g.status),
                esc(g.township.as_ref().map_or("", |t| t.name.as_str())),
                esc(&g.unit_code),
                esc(&g.unit_name),
                esc(g.reason.get(lang)),
                badge(g.status, lang),
                esc(&responsible_words(&g.responsible, lang)),
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    let no_data: Vec<String> = report
        .district
        .iter()
        .filter(|r| r.status == Status::NoData)
        .map(|r| esc(report.target(r).title.get(lang.is_english())))
        .collect();
    if !no_data.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"note\">{}{}</p>",
            crate::tl!(lang, "page-no-data-so-no-units-are"),
            no_data.join(lang.pick("、", ", "))
        );
    }
    o.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn names_from_returns_are_text() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
