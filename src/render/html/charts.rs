//! The page's charts, drawn as inline SVG: a bar per township for a target against its
//! threshold, and a small line per target over the terms.

use std::fmt::Write as _;

use super::{class, colour, esc};
use crate::lang::Lang;
use crate::plan::model::{TargetDef, Threshold};
use crate::render::xlsx::{fraction, status_word, term_words, threshold_words};
use crate::render::Inspection;
use crate::report::{TargetRow, TownshipKey};

/// A bar per township, its height the township's percentage, and the threshold as a
/// horizontal line.
pub(super) fn bar_chart(o: &mut String, def: &TargetDef, rows: &[(&TownshipKey, &TargetRow)], lang: Lang) {
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

pub(super) fn trends(o: &mut String, i: &Inspection<'_>) {
    let (trend, lang) = (i.trend, i.lang);
    let _ = write!(
        o,
        "<section id=\"trend\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<div class=\"trends\">\n",
        crate::tl!(lang, "page-3-progress-by-term-district"),
        crate::tl!(
            lang,
            "page-trend-note",
            from = term_words(trend.terms[0], lang),
            to = term_words(trend.terms[trend.terms.len() - 1], lang)
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
