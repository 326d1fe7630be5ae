//! `gongyu returns --format html`: the timeliness of a term's returns as one self-contained
//! page, in the style of the inspector's page (`html.rs`, whose CSS and escaping it shares):
//! a chart of each township's reporting and on-time rates against the plan's thresholds,
//! then the townships, rosters and units as tables. It fetches nothing.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::Result;

use super::html::{esc, CSS};
use super::township_label;
use crate::lang::Lang;
use crate::report::returns::Returns;
use crate::report::timeliness::{Counts, Expected, Timeliness};

fn pct(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_string(), |r| format!("{r:.1}%"))
}

fn row_class(c: &Counts, t: &Timeliness) -> &'static str {
    let below =
        Timeliness::below(c.reporting_rate(), t.reporting_threshold) || Timeliness::below(c.on_time_rate(), t.on_time_threshold);
    if below {
        " class=\"pending\""
    } else {
        ""
    }
}

fn status_words(e: &Expected, lang: Lang) -> String {
    match e.status() {
        "late" => crate::tl!(lang, "timeliness-status-late", days = e.days_late().unwrap_or(0)),
        "on-time" => crate::tl!(lang, "timeliness-status-on-time"),
        _ => crate::tl!(lang, "timeliness-status-missing"),
    }
}

/// Two bars per township (reporting rate, on-time rate) with the thresholds as lines.
fn chart(o: &mut String, t: &Timeliness, lang: Lang) {
    let rows: Vec<(String, &Counts)> = t
        .townships
        .iter()
        .map(|g| {
            (g.township.as_ref().map_or_else(|| crate::tl!(lang, "render-district-no-township"), |k| k.name.clone()), &g.counts)
        })
        .chain([(crate::tl!(lang, "timeliness-district"), &t.district)])
        .collect();
    let (left, width, bar, gap) = (190.0_f64, 720.0_f64, 9.0_f64, 8.0_f64);
    let height = rows.len() as f64 * (2.0 * bar + gap) + 40.0;
    let x = |p: f64| left + (width - left - 20.0) * p / 100.0;
    let _ = write!(
        o,
        "<figure><svg viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        esc(&crate::tl!(lang, "timeliness-chart-caption"))
    );
    for (i, (name, c)) in rows.iter().enumerate() {
        let y = 10.0 + i as f64 * (2.0 * bar + gap);
        let _ = write!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            y + bar + 3.0,
            esc(name)
        );
        for (j, (r, fill)) in [(c.reporting_rate(), "#1f6fb2"), (c.on_time_rate(), "#2e7d32")].into_iter().enumerate() {
            let w = x(r.unwrap_or(0.0)) - left;
            let _ = write!(
                o,
                "<rect x=\"{left}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{bar}\" fill=\"{fill}\"><title>{}</title></rect>",
                y + j as f64 * bar,
                pct(r)
            );
        }
    }
    let bottom = height - 24.0;
    for (threshold, colour) in [(t.reporting_threshold, "#1f6fb2"), (t.on_time_threshold, "#2e7d32")] {
        let tx = x(f64::from(threshold));
        let _ = write!(
            o,
            "<line x1=\"{tx:.1}\" x2=\"{tx:.1}\" y1=\"4\" y2=\"{bottom:.1}\" stroke=\"{colour}\" stroke-width=\"1.4\" stroke-dasharray=\"5 3\"/>\
             <text x=\"{tx:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{threshold}%</text>",
            bottom + 14.0
        );
    }
    let _ = write!(o, "</svg><figcaption>{}</figcaption></figure>", esc(&crate::tl!(lang, "timeliness-chart-caption")));
}

/// The whole page.
fn render(r: &Returns, lang: Lang) -> String {
    let t = &r.timeliness;
    let mut o = String::new();
    let (title, subtitle) = super::timeliness::titles(r, lang);
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
    let _ = writeln!(o, "<header class=\"top\"><h1>{}</h1><p class=\"meta\">{}</p></header>", esc(&title), esc(&subtitle));
    let _ = write!(o, "<section class=\"first\"><h2>{}</h2>", esc(&crate::tl!(lang, "timeliness-sheet-townships")));
    chart(&mut o, t, lang);
    let mut heads = vec![crate::tl!(lang, "timeliness-h-township")];
    heads.extend(super::timeliness::counts_headers(lang));
    table_head(&mut o, &heads);
    let lines = t
        .townships
        .iter()
        .map(|g| (g.township.as_ref().map_or_else(|| crate::tl!(lang, "render-district-no-township"), township_label), &g.counts))
        .chain([(crate::tl!(lang, "timeliness-district"), &t.district)]);
    for (name, c) in lines {
        let _ = write!(
            o,
            "<tr{}><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            row_class(c, t),
            esc(&name),
            c.expected,
            c.received,
            c.on_time,
            c.late,
            c.most_days_late,
            c.missing,
            pct(c.reporting_rate()),
            pct(c.on_time_rate())
        );
    }
    o.push_str("</tbody></table>");
    let _ = writeln!(o, "<p class=\"note\">{}</p></section>", esc(&crate::tl!(lang, "cmd-returns-after")));

    let _ = write!(o, "<section><h2>{}</h2>", esc(&crate::tl!(lang, "timeliness-sheet-rosters")));
    let heads = [
        crate::tl!(lang, "timeliness-h-roster"),
        crate::tl!(lang, "timeliness-h-due"),
        crate::tl!(lang, "timeliness-h-received-on"),
        crate::tl!(lang, "timeliness-h-status"),
    ];
    table_head(&mut o, &heads);
    for e in t.rosters.iter().chain(&t.registry) {
        let what = crate::returns::kinds::kind_title(e.kind, lang);
        let name = match &e.township {
            Some(k) => format!("{what} {}", township_label(k)),
            None => what.to_string(),
        };
        expected_row(&mut o, &[name], e, lang);
    }
    o.push_str("</tbody></table>");
    let _ = write!(o, "<h2>{}</h2>", esc(&crate::tl!(lang, "timeliness-units-title")));
    let heads = [
        crate::tl!(lang, "timeliness-h-township"),
        crate::tl!(lang, "timeliness-h-unit"),
        crate::tl!(lang, "timeliness-h-due"),
        crate::tl!(lang, "timeliness-h-received-on"),
        crate::tl!(lang, "timeliness-h-status"),
    ];
    table_head(&mut o, &heads);
    for e in &t.units {
        let township = e.township.as_deref().map_or_else(|| crate::tl!(lang, "render-district-no-township"), township_label);
        let unit = e.unit.as_ref().map(|u| format!("{} {}", u.code, u.name)).unwrap_or_default();
        expected_row(&mut o, &[township, unit], e, lang);
    }
    o.push_str("</tbody></table></section>\n");
    let _ = write!(
        o,
        "<footer>{} gongyu {}. {}</footer>\n</main>\n</body>\n</html>\n",
        crate::tl!(lang, "page-written-by"),
        env!("CARGO_PKG_VERSION"),
        crate::tl!(lang, "page-the-page-is-self-contained-no")
    );
    o
}

fn table_head(o: &mut String, heads: &[String]) {
    o.push_str("<table><thead><tr>");
    for h in heads {
        let _ = write!(o, "<th>{}</th>", esc(h));
    }
    o.push_str("</tr></thead><tbody>");
}

fn expected_row(o: &mut String, first: &[String], e: &Expected, lang: Lang) {
    let class = if e.status() == "on-time" { "" } else { " class=\"pending\"" };
    let _ = write!(o, "<tr{class}>");
    for cell in first {
        let _ = write!(o, "<td>{}</td>", esc(cell));
    }
    let received = e.received.map(|d| d.to_string()).unwrap_or_default();
    let _ =
        write!(o, "<td class=\"nw\">{}</td><td class=\"nw\">{received}</td><td>{}</td></tr>", e.due, esc(&status_words(e, lang)));
}

/// Writes the page.
pub(crate) fn write(out: &mut dyn Write, r: &Returns, lang: Lang) -> Result<()> {
    out.write_all(render(r, lang).as_bytes())?;
    Ok(())
}
