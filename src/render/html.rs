//! The inspector's web page: one self-contained HTML file with inline SVG charts and
//! print CSS for A4. It is opened on government intranets, so it fetches nothing: no
//! scripts, no fonts, no images, no style sheets — and a Content-Security-Policy that
//! forbids them, should anyone add one. Every name from the returns is escaped.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::Result;

mod charts;

use super::xlsx::{period_word, responsible_words, status_word, threshold_words};
use super::Inspection;
use crate::lang::Lang;
use crate::plan::model::Threshold;
use crate::plan::Status;
use crate::report::{CoverageReport, Gap, TargetRow, TownshipKey};
use charts::{bar_chart, trends};

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
