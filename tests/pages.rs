//! The inspector's workbook and page (SPEC §12), from the real binary over the demo ledger.
//!
//! - The workbook, read back with calamine, gives the JSON's numbers, row for row.
//! - The page, rendered by headless Chromium to PNG and PDF, requests nothing from the
//!   network, logs nothing to the console, and draws one bar per township per charted
//!   target. Chromium's own net log is the witness: every URL request the page starts is in
//!   it, tagged with the page as initiator (the browser's background requests are not), and
//!   the proxy points at a closed port so nothing ever leaves the machine. The negative
//!   tests prove the check fails on a page that fetches an image, a font sheet, or logs.
//!
//! Chromium must be installed (`/usr/bin/chromium`, or `$GONGYU_CHROMIUM`) for the page
//! tests; without it they are skipped, saying so and how to install it, unless
//! `$GONGYU_REQUIRE_BROWSER` is set (as by `.ci/run`), when they fail.
//! `GONGYU_SCREENSHOT=FILE` copies the demo's screenshot there (how `docs/report.png` is made).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::Value;
use tempfile::TempDir;

mod browser_support;

use browser_support::{problems, render};

const TERM: &str = "2020-2021-1";
const TODAY: &str = "2022-03-01";

fn gongyu(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongyu"));
    c.arg("--db").arg(db).env("GONGYU_TODAY", TODAY).env_remove("GONGYU_DB").env_remove("GONGYU_LANG").env_remove("GONGYU_PLAN");
    c
}

/// A scratch folder with the demo ledger in it.
struct Demo {
    dir: TempDir,
    db: PathBuf,
}

impl Demo {
    fn new() -> Demo {
        let dir = tempfile::tempdir().expect("a temp dir");
        let db = dir.path().join("demo.db");
        gongyu(&db).arg("demo").assert().success();
        Demo { dir, db }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Vec<u8> {
        gongyu(&self.db).args(args).assert().success().get_output().stdout.clone()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_slice(&self.run(args)).expect("JSON output")
    }

    fn report(&self) -> Value {
        self.json(&["coverage", "report", "--term", TERM, "--format", "json"])
    }

    /// Writes the workbook or page of the demo term and returns its path.
    fn write(&self, format: &str, name: &str, lang: &str) -> PathBuf {
        let out = self.path(name);
        self.run(&["--lang", lang, "coverage", "report", "--term", TERM, "--format", format, "-o", out.to_str().unwrap()]);
        assert!(out.exists(), "{} was not written", out.display());
        out
    }
}

// ---------------------------------------------------------------- the workbook

fn zh_status(s: &str) -> &'static str {
    match s {
        "met" => "达标",
        "pending" => "进行中",
        "gap" => "未达标",
        "n/a" => "不适用",
        "no-data" => "无数据",
        "info" => "仅统计",
        other => panic!("unknown status {other}"),
    }
}

fn zh_term(t: &str) -> String {
    let (year, half) = t.rsplit_once('-').unwrap();
    format!("{year}学年第{}学期", if half == "1" { "一" } else { "二" })
}

fn rows(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).expect("the workbook opens");
    let range = book.worksheet_range(sheet).unwrap_or_else(|e| panic!("sheet {sheet}: {e}"));
    range.rows().map(<[Data]>::to_vec).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("expected text, found {other:?}"),
    }
}

/// A number, or `None` for an empty cell; text where a number belongs fails.
fn num(d: &Data) -> Option<f64> {
    match d {
        Data::Float(x) => Some(*x),
        Data::Int(n) => Some(*n as f64),
        Data::Empty => None,
        other => panic!("expected a number, found {other:?}"),
    }
}

/// The table whose header starts with `first`: its header and its rows up to the first
/// row with an empty first cell.
fn table(rows: &[Vec<Data>], first: &str) -> (Vec<String>, Vec<Vec<Data>>) {
    let at =
        rows.iter().position(|r| r.first().map(text).as_deref() == Some(first)).unwrap_or_else(|| panic!("no header {first}"));
    let mut header: Vec<String> = rows[at].iter().map(text).collect();
    while header.last().is_some_and(String::is_empty) {
        header.pop();
    }
    let body = rows[at + 1..].iter().take_while(|r| r.first().is_some_and(|c| *c != Data::Empty)).cloned().collect();
    (header, body)
}

fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// The columns a target row has, by their names in one language.
struct Cols {
    met: usize,
    units: usize,
    pct: usize,
    status: usize,
}

impl Cols {
    fn new(header: &[String], lang: &str) -> Cols {
        let names = if lang == "en" { ["met", "units", "pct", "status"] } else { ["达标数", "总数", "比例", "状态"] };
        Cols {
            met: col(header, names[0]),
            units: col(header, names[1]),
            pct: col(header, names[2]),
            status: col(header, names[3]),
        }
    }

    /// Asserts that a workbook row holds the numbers of a JSON target row.
    fn check(&self, row: &[Data], t: &Value, lang: &str, what: &str) {
        assert_eq!(num(&row[self.met]), t["numerator"].as_f64(), "{what}: numerator");
        assert_eq!(num(&row[self.units]), t["denominator"].as_f64(), "{what}: denominator");
        match (num(&row[self.pct]), t["pct"].as_f64()) {
            (Some(fraction), Some(pct)) => {
                assert!(fraction <= 1.0, "{what}: pct {fraction} is not a fraction");
                // The exact fraction met / units (so a spreadsheet's sums agree), which
                // rounds to the JSON's pct.
                let exact = t["numerator"].as_f64().unwrap() / t["denominator"].as_f64().unwrap();
                assert_eq!(fraction, exact, "{what}: the workbook holds met / units exactly");
                assert!(
                    ((fraction * 10_000.0).round() / 100.0 - pct).abs() < 1e-9,
                    "{what}: {fraction} in the workbook, {pct} in JSON"
                );
            }
            (None, None) => {}
            (x, y) => panic!("{what}: pct {x:?} in the workbook, {y:?} in JSON"),
        }
        let status = t["status"].as_str().unwrap();
        let word = if lang == "en" { status } else { zh_status(status) };
        assert_eq!(text(&row[self.status]), word, "{what}: status");
    }
}

/// The workbook's parts as stored in the zip.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
    s
}

fn check_workbook(demo: &Demo, lang: &str) {
    let path = demo.write("xlsx", &format!("report-{lang}.xlsx"), lang);
    let json = demo.report();
    let book: Xlsx<_> = open_workbook(&path).unwrap();
    let names = if lang == "en" {
        ["Summary", "Townships", "Gaps", "Trend", "Notes", "Data quality"]
    } else {
        ["汇总", "乡镇", "差距", "趋势", "说明", "数据质量"]
    };
    assert_eq!(book.sheet_names(), names);
    let pick = |zh: &'static str, en: &'static str| if lang == "en" { en } else { zh };

    // 汇总: the district rows, in plan order.
    let (header, body) = table(&rows(&path, names[0]), pick("指标", "target"));
    let expected = if lang == "en" { "met" } else { "达标数" };
    assert!(header.iter().any(|h| h == expected), "headers in the output language: {header:?}");
    let cols = Cols::new(&header, lang);
    let targets = json["targets"].as_array().unwrap();
    assert_eq!(body.len(), targets.len(), "one summary row per district target");
    for (row, t) in body.iter().zip(targets) {
        assert_eq!(text(&row[0]), t["id"].as_str().unwrap());
        cols.check(row, t, lang, &format!("district {}", t["id"]));
    }

    // 乡镇: every township row of the JSON, found by (township code, target).
    let (header, body) = table(&rows(&path, names[1]), pick("乡镇代码", "township code"));
    let cols = Cols::new(&header, lang);
    let target = col(&header, pick("指标", "target"));
    let by_key: BTreeMap<(String, String), &Vec<Data>> = body.iter().map(|r| ((text(&r[0]), text(&r[target])), r)).collect();
    let mut township_rows = 0;
    for t in json["townships"].as_array().unwrap() {
        for row in t["targets"].as_array().unwrap() {
            let key = (t["code"].as_str().unwrap_or("").to_string(), row["id"].as_str().unwrap().to_string());
            let found = by_key.get(&key).unwrap_or_else(|| panic!("no township row {key:?}"));
            assert_eq!(text(&found[1]), t["name"].as_str().unwrap());
            cols.check(found, row, lang, &format!("township {key:?}"));
            township_rows += 1;
        }
    }
    assert_eq!(body.len(), township_rows, "no township rows beyond the JSON's");

    // 差距: one row per gap.
    let gaps = demo.json(&["coverage", "gaps", "--term", TERM, "--format", "json"]);
    let gaps = gaps["gaps"].as_array().unwrap();
    let (header, body) = table(&rows(&path, names[2]), pick("指标", "target"));
    assert_eq!(body.len(), gaps.len(), "one gap row per gap of `coverage gaps`");
    let unit = col(&header, pick("单位代码", "unit code"));
    let code = col(&header, pick("原因代码", "reason code"));
    for (row, g) in body.iter().zip(gaps) {
        assert_eq!(text(&row[0]), g["target"].as_str().unwrap());
        assert_eq!(text(&row[unit]), g["unit_code"].as_str().unwrap());
        assert_eq!(text(&row[code]), g["reason_code"].as_str().unwrap());
    }

    // 趋势: a column per term, the district's values as the trend's JSON gives them.
    let trend = demo.json(&["coverage", "trend", "--to", TERM, "--format", "json"]);
    let terms: Vec<String> = trend["terms"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect();
    let (header, body) = table(&rows(&path, names[3]), pick("指标", "target"));
    let shown: Vec<String> = terms.iter().map(|t| if lang == "en" { t.clone() } else { zh_term(t) }).collect();
    assert_eq!(header[3..], shown[..], "one column per term");
    for (row, t) in body.iter().zip(targets) {
        let id = t["id"].as_str().unwrap();
        let series = trend["series"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id && s["scope"] == "district")
            .unwrap_or_else(|| panic!("no trend series for {id}"));
        for (k, p) in series["points"].as_array().unwrap().iter().enumerate() {
            let cell = num(&row[3 + k]);
            if t["threshold"].get("at_least").is_some() {
                assert_eq!(cell, p["numerator"].as_f64(), "trend {id} {k}");
            } else {
                match (cell, p["pct"].as_f64()) {
                    (Some(x), Some(pct)) => {
                        assert_eq!(x, p["numerator"].as_f64().unwrap() / p["denominator"].as_f64().unwrap(), "trend {id} {k}");
                        assert!(((x * 10_000.0).round() / 100.0 - pct).abs() < 1e-9, "trend {id} {k}: {x} vs {pct}")
                    }
                    (None, None) => {}
                    (x, y) => panic!("trend {id} {k}: {x:?} vs {y:?}"),
                }
            }
        }
    }
    assert_eq!(body.len(), targets.len(), "one trend row per district target");

    // The file itself: percent format, fills, frozen headers, and no formulas but the
    // exact fractions of two whole numbers (`<f>119/126</f>`).
    let styles = part(&path, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"0.0%\""), "the 0.0% number format");
    assert!(styles.contains("FFFFC7CE") && styles.contains("FFFFEB9C"), "gap and pending fills");
    for n in 1..=5 {
        let sheet = part(&path, &format!("xl/worksheets/sheet{n}.xml"));
        only_fractions(&sheet, &format!("sheet{n}"));
        if n == 1 {
            assert!(sheet.contains("<f>"), "the summary's percentages are fractions");
        }
        if n <= 4 {
            assert!(sheet.contains("state=\"frozen\""), "sheet{n} has frozen header rows");
        }
    }
}

#[test]
fn the_workbook_holds_the_json_numbers_in_chinese() {
    check_workbook(&Demo::new(), "zh");
}

#[test]
fn the_workbook_speaks_english_with_lang_en() {
    check_workbook(&Demo::new(), "en");
}

#[test]
fn xlsx_without_an_output_file_is_refused() {
    let demo = Demo::new();
    gongyu(&demo.db)
        .args(["--lang", "en", "coverage", "report", "--term", TERM, "--format", "xlsx"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("-o FILE"));
    // In Chinese by default.
    gongyu(&demo.db)
        .args(["coverage", "report", "--term", TERM, "--format", "xlsx"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("请用 -o 指定"));
}

// ---------------------------------------------------------------- names from the returns

/// The demo's returns with two communities renamed: one like a script, one like a formula.
fn hostile_ledger(dir: &Path) -> PathBuf {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo");
    let raw = std::fs::read(fixtures.join("communities-2020-2021-1.csv")).unwrap();
    let (decoded, _, bad) = encoding_rs::GB18030.decode(&raw);
    assert!(!bad, "the demo communities are GB18030");
    let renamed = decoded
        .replace("新自建社区居委会", "<script>alert('x')</script>")
        .replace("龙门新区三区社区居委会", "=HYPERLINK(\"http://example.invalid\";\"点我\")");
    assert_ne!(renamed, decoded);
    let communities = dir.join("communities.csv");
    std::fs::write(&communities, renamed).unwrap();
    let db = dir.join("hostile.db");
    gongyu(&db).arg("init").assert().success();
    for (kind, file) in [
        ("communities", communities),
        ("schools", fixtures.join("schools-2020-2021-1.csv")),
        ("bodies", fixtures.join("bodies-2020-2021-1.csv")),
        ("activities", fixtures.join("activities-2020-2021-1.csv")),
    ] {
        let mut c = gongyu(&db);
        c.args(["import", kind]).arg(&file);
        if kind != "activities" {
            c.args(["--term", TERM]);
        }
        c.assert().success();
    }
    db
}

#[test]
fn names_from_the_returns_are_text_in_the_page_and_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let db = hostile_ledger(dir.path());
    let page = dir.path().join("page.html");
    let book = dir.path().join("book.xlsx");
    for (format, out) in [("html", &page), ("xlsx", &book)] {
        gongyu(&db).args(["coverage", "report", "--term", TERM, "--format", format, "-o"]).arg(out).assert().success();
    }
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.to_lowercase().contains("<script"), "a community name became a script");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), "the name is shown as text");
    assert!(html.contains("=HYPERLINK(&quot;http://example.invalid&quot;;&quot;点我&quot;)"));

    let (header, body) = table(&rows(&book, "差距"), "指标");
    let name = col(&header, "单位名称");
    let names: Vec<String> = body.iter().map(|r| text(&r[name])).collect();
    assert!(names.contains(&"<script>alert('x')</script>".to_string()), "{names:?}");
    assert!(names.contains(&"=HYPERLINK(\"http://example.invalid\";\"点我\")".to_string()));
    for n in 1..=5 {
        only_fractions(&part(&book, &format!("xl/worksheets/sheet{n}.xml")), "a name became a formula");
    }
}

/// Asserts that a sheet's only formulas are fractions of two whole numbers (`119/126`).
#[track_caller]
fn only_fractions(sheet_xml: &str, what: &str) {
    assert!(!sheet_xml.contains("<f "), "{what}: a formula with attributes");
    for formula in sheet_xml.split("<f>").skip(1).map(|f| &f[..f.find("</f>").unwrap()]) {
        let whole = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        assert!(formula.split_once('/').is_some_and(|(a, b)| whole(a) && whole(b)), "{what}: the formula {formula}");
    }
}

// ---------------------------------------------------------------- the page in Chromium

fn between<'a>(s: &'a str, from: &str, to: &str) -> Vec<&'a str> {
    s.split(from).skip(1).map(|part| part.split(to).next().unwrap()).collect()
}

#[test]
fn the_page_is_self_contained_and_charts_every_township() {
    let Some(chromium) = browser_support::chromium("the_page_is_self_contained_and_charts_every_township") else { return };
    let demo = Demo::new();
    let json = demo.report();
    let page = demo.write("html", "report.html", "zh");

    let r = render(&chromium, &page, &["--dump-dom".to_string()]);
    assert_eq!(problems(&r), Vec::<String>::new(), "the page is not self-contained");
    let dom = &r.stdout;
    assert!(dom.contains("<html lang=\"zh-CN\">"), "a Chinese page");
    assert!(dom.contains("全区指标汇总") && dom.contains(json["plan"]["name"].as_str().unwrap()), "Chinese text");
    assert!(dom.contains("2020-2021学年第一学期") && dom.contains(json["as_of"].as_str().unwrap()));

    // One bar chart per by-township percentage target that has data, a bar per township.
    let townships = json["townships"].as_array().unwrap();
    let by_township: Vec<&str> = townships[0]["targets"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    let expected: Vec<&str> = json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| {
            by_township.contains(&t["id"].as_str().unwrap())
                && t["required_pct"].is_number()
                && !matches!(t["status"].as_str(), Some("n/a" | "no-data"))
        })
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    let charts = between(dom, "<svg class=\"bars\"", "</svg>");
    let charted: Vec<&str> = charts.iter().map(|c| between(c, "data-target=\"", "\"")[0]).collect();
    assert_eq!(charted, expected, "the charted targets");
    let mut bars = 0;
    for (chart, id) in charts.iter().zip(&charted) {
        assert_eq!(chart.matches("<rect class=\"bar ").count(), townships.len(), "{id}: one bar per township");
        assert_eq!(chart.matches("<line class=\"threshold\"").count(), 1, "{id}: one threshold line");
        bars += chart.matches("<rect class=\"bar ").count();
    }
    eprintln!("{} charts, {bars} bars for {} townships", charts.len(), townships.len());
    assert_eq!(bars, townships.len() * expected.len());

    // A trend chart per target with a value in some term; a gap row per gap.
    let trends = between(dom, "<svg class=\"trend\"", "</svg>");
    assert!(trends.len() >= expected.len(), "trend charts: {}", trends.len());
    let gaps = demo.json(&["coverage", "gaps", "--term", TERM, "--format", "json"]);
    let gaps_section = dom.split("<section id=\"gaps\">").nth(1).unwrap().split("</section>").next().unwrap();
    let gap_rows = gaps_section.matches("<tr class=\"").count();
    assert_eq!(gap_rows, gaps["gaps"].as_array().unwrap().len(), "one row per gap");

    // Printed: a PNG and an A4 PDF, with no request and no console message either. The
    // screenshot shows Chinese only if the browser draws it with a CJK font, not as boxes.
    if let Err(e) = browser_support::draws_chinese(&chromium, &[]) {
        panic!("the screenshot would show boxes, not Chinese: {e}");
    }
    let png_path = demo.path("report.png");
    let r = render(&chromium, &page, &[format!("--screenshot={}", png_path.display()), "--window-size=1240,1754".to_string()]);
    assert_eq!(problems(&r), Vec::<String>::new());
    let decoder = png::Decoder::new(std::fs::File::open(&png_path).unwrap());
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("PNG pixels");
    assert_eq!((info.width, info.height), (1240, 1754));
    let step = info.color_type.samples();
    let pixels = &pixels[..info.buffer_size()];
    let distinct: std::collections::BTreeSet<&[u8]> = pixels.chunks(step).collect();
    let inked = pixels.chunks(step).filter(|p| p[..3].iter().any(|c| *c < 200)).count();
    eprintln!(
        "screenshot: {} bytes, {} distinct colours, {:.1}% inked",
        std::fs::metadata(&png_path).unwrap().len(),
        distinct.len(),
        100.0 * inked as f64 / (pixels.len() / step) as f64
    );
    assert!(distinct.len() > 50, "a screenshot of one colour");
    assert!(inked * 50 > pixels.len() / step, "under 2% of the screenshot is inked");
    if let Some(copy) = std::env::var_os("GONGYU_SCREENSHOT") {
        std::fs::copy(&png_path, copy).unwrap();
    }

    let pdf_path = demo.path("report.pdf");
    let r = render(&chromium, &page, &[format!("--print-to-pdf={}", pdf_path.display()), "--no-pdf-header-footer".to_string()]);
    assert_eq!(problems(&r), Vec::<String>::new());
    let pdf = std::fs::read(&pdf_path).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    let pages =
        pdf.windows(11).filter(|w| w == b"/Type /Page").count() - pdf.windows(12).filter(|w| w == b"/Type /Pages").count();
    eprintln!("pdf: {} bytes, {pages} pages", pdf.len());
    assert!(pdf.len() > 20_000, "a PDF of {} bytes", pdf.len());
    assert!(pages >= 4, "each section starts a page: {pages} pages");
}

/// The checks above can fail: a page that fetches an image, a font sheet, or logs.
#[test]
fn the_network_and_console_checks_catch_a_page_that_is_not_self_contained() {
    let Some(chromium) = browser_support::chromium("the_network_and_console_checks_catch_a_page_that_is_not_self_contained")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");

    std::fs::write(&page, "<!DOCTYPE html><html><body><p>图</p><img src=\"http://example.invalid/x.png\"></body></html>")
        .unwrap();
    let r = render(&chromium, &page, &["--dump-dom".to_string()]);
    assert!(r.requests.iter().any(|u| u == "http://example.invalid/x.png"), "the net log shows the fetch: {:?}", r.requests);
    let found = problems(&r);
    assert!(found.iter().any(|p| p == "the page requested http://example.invalid/x.png"), "{found:?}");
    assert!(found.iter().any(|p| p.starts_with("the DOM refers to src=\"http://example.invalid")), "{found:?}");

    // A style sheet over https, as a web font would come: caught in the net log alone.
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><style>@import url(https://fonts.example.invalid/css);</style></head><body>字</body></html>",
    )
    .unwrap();
    let mut r = render(&chromium, &page, &["--dump-dom".to_string()]);
    r.stdout.clear();
    assert!(problems(&r).iter().any(|p| p.contains("https://fonts.example.invalid/css")), "{:?}", r.requests);

    std::fs::write(&page, "<!DOCTYPE html><html><body><script>console.error('boom')</script></body></html>").unwrap();
    let r = render(&chromium, &page, &["--dump-dom".to_string()]);
    assert!(problems(&r).iter().any(|p| p.starts_with("console:") && p.contains("boom")), "{}", r.stderr);
}
