//! Finding headless Chromium for the tests that render pages, or skipping them; and
//! rendering a page in it with every request it makes recorded (`render`, `problems`).
//!
//! Without a browser those tests pass, printing that they were skipped and how to run them,
//! so that `cargo test --locked` passes on a fresh machine. `GONGYU_REQUIRE_BROWSER=1` (set by
//! `.ci/run`) makes a missing browser fail them instead.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How every test starts Chromium: headless, sandbox and GPU off, none of its own network
/// traffic (the machine's network is closed), one device pixel per CSS pixel.
const HEADLESS: [&str; 10] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
];

/// Waits for a Chromium run, killing it after 120 s.
fn finish(mut child: std::process::Child) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            panic!("chromium did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The variable under which a missing browser fails the tests instead of skipping them.
pub const REQUIRE: &str = "GONGYU_REQUIRE_BROWSER";

/// The Chromium to render with (`$GONGYU_CHROMIUM`, else `/usr/bin/chromium`), or `None`
/// after saying that `test` is skipped; with `$GONGYU_REQUIRE_BROWSER` set, a missing one
/// fails the test.
pub fn chromium(test: &str) -> Option<PathBuf> {
    let path = std::env::var_os("GONGYU_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if path.exists() {
        return Some(path);
    }
    let how = format!(
        "headless Chromium renders the HTML page, and {} does not exist: install it with \
         `apt-get install -y chromium fonts-wqy-zenhei` (Debian; .ci/run does this), or point \
         $GONGYU_CHROMIUM at one, then run `cargo test --test pages --test fonts`",
        path.display()
    );
    let required = std::env::var_os(REQUIRE).is_some_and(|v| !v.is_empty() && v != "0");
    assert!(!required, "${REQUIRE} is set: {how}");
    // Straight to the process's stderr, not through the test harness's capture, so that the
    // skip shows in a plain `cargo test`.
    let _ = writeln!(std::io::stderr(), "\nSKIPPED {test}: {how}\n");
    None
}

/// The characters drawn to tell glyphs from boxes: six different Chinese characters of the
/// page's own headings.
const PROBE: [char; 6] = ['全', '区', '指', '标', '汇', '总'];

/// The page's font list (`src/render/html.rs`), so that the probe is drawn as the page is.
const PAGE_FONTS: &str = "\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", \"PingFang SC\", \
                          \"Hiragino Sans GB\", \"WenQuanYi Micro Hei\", sans-serif";

/// Whether `chromium` draws Chinese as Chinese, not as boxes: six different characters, each in
/// a cell of its own, are screenshot and must each be inked and all differ from one another. A
/// browser without a CJK font draws the same box (or nothing) for each. `envs` are set for
/// Chromium (e.g. `FONTCONFIG_FILE`).
pub fn draws_chinese(chromium: &Path, envs: &[(&str, &Path)]) -> Result<(), String> {
    const CELL: usize = 100;
    let work = tempfile::tempdir().unwrap();
    let page = work.path().join("probe.html");
    let cells: String =
        PROBE.iter().enumerate().map(|(i, c)| format!("<span style=\"left:{}px\">{c}</span>", i * CELL)).collect();
    std::fs::write(
        &page,
        format!(
            "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><style>body{{margin:0;background:#fff}}\
             span{{position:absolute;top:0;width:{CELL}px;height:{CELL}px;overflow:hidden;text-align:center;\
             color:#000;font:72px/{CELL}px {PAGE_FONTS}}}</style></head><body>{cells}</body></html>"
        ),
    )
    .unwrap();
    let png = work.path().join("probe.png");
    let mut command = std::process::Command::new(chromium);
    command
        .args(HEADLESS)
        .arg("--proxy-server=http://127.0.0.1:9")
        .arg(format!("--user-data-dir={}", work.path().join("profile").display()))
        // A window only a cell high comes out blank: the cells take its top row.
        .arg(format!("--window-size={},{}", CELL * PROBE.len(), 3 * CELL))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(work.path().join("stderr")).unwrap());
    for (k, v) in envs {
        command.env(k, v);
    }
    let status = finish(command.spawn().expect("chromium starts"));
    let stderr = std::fs::read_to_string(work.path().join("stderr")).unwrap_or_default();
    assert!(status.success(), "chromium failed: {status}\n{stderr}");

    let mut reader = png::Decoder::new(std::fs::File::open(&png).unwrap()).read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("PNG pixels");
    let (width, step) = (info.width as usize, info.color_type.samples());
    assert_eq!((width, info.height as usize), (CELL * PROBE.len(), 3 * CELL), "the probe's screenshot size");
    // Each cell as a bitmap: true where a pixel is dark.
    let ink: Vec<Vec<bool>> = (0..PROBE.len())
        .map(|i| {
            (0..CELL * CELL)
                .map(|p| {
                    let at = ((p / CELL) * width + i * CELL + p % CELL) * step;
                    pixels[at..at + 3].iter().any(|c| *c < 128)
                })
                .collect()
        })
        .collect();
    for (c, cell) in PROBE.iter().zip(&ink) {
        let n = cell.iter().filter(|d| **d).count();
        if n < 100 {
            return Err(format!("「{c}」 is drawn with {n} dark pixels: no glyph"));
        }
    }
    for i in 0..PROBE.len() {
        for j in i + 1..PROBE.len() {
            let differ = ink[i].iter().zip(&ink[j]).filter(|(a, b)| a != b).count();
            if differ < 100 {
                return Err(format!(
                    "「{}」 and 「{}」 are drawn alike ({differ} pixels differ): boxes, not Chinese — is a CJK font \
                     installed (`apt-get install -y fonts-wqy-zenhei`)?",
                    PROBE[i], PROBE[j]
                ));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- rendering a page

/// What Chromium did with a page.
pub struct Render {
    /// Standard output (the DOM, with `--dump-dom`).
    pub stdout: String,
    pub stderr: String,
    /// Every URL the page itself asked for, from Chromium's net log.
    pub requests: Vec<String>,
}

/// A TCP port nothing listens on: the proxy every request is sent to, so none leaves.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Renders `page` headless in `chromium` with `mode` (e.g. `--screenshot=…`, `--dump-dom`),
/// every request sent to a closed proxy port and recorded in Chromium's net log.
pub fn render(chromium: &Path, page: &Path, mode: &[String]) -> Render {
    let work = tempfile::tempdir().unwrap();
    let netlog = work.path().join("netlog.json");
    let (out, err) = (work.path().join("stdout"), work.path().join("stderr"));
    let child = std::process::Command::new(chromium)
        .args(HEADLESS)
        .args(["--enable-logging=stderr", "--v=0"])
        .arg(format!("--user-data-dir={}", work.path().join("profile").display()))
        .arg(format!("--proxy-server=http://127.0.0.1:{}", closed_port()))
        .arg("--proxy-bypass-list=<-loopback>")
        .arg(format!("--log-net-log={}", netlog.display()))
        .args(mode)
        .arg(format!("file://{}", page.canonicalize().unwrap().display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .expect("chromium starts");
    let status = finish(child);
    let stderr = std::fs::read_to_string(&err).unwrap();
    assert!(status.success(), "chromium failed: {status}\n{stderr}");
    Render { stdout: std::fs::read_to_string(&out).unwrap(), stderr, requests: page_requests(&netlog) }
}

/// The URLs of the requests a page started, from a Chromium net log: those whose initiator
/// is a document (the browser's own background requests have "not an origin").
fn page_requests(netlog: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(netlog).expect("chromium wrote its net log");
    let log: Value = serde_json::from_str(&text).expect("the net log is JSON");
    let start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].as_u64().expect("a known event type");
    let events = log["events"].as_array().expect("net log events");
    let mut urls = Vec::new();
    for e in events.iter().filter(|e| e["type"].as_u64() == Some(start)) {
        let (Some(url), initiator) = (e["params"]["url"].as_str(), e["params"]["initiator"].as_str()) else { continue };
        let by_page = initiator != Some("not an origin")
            || e["params"]["network_isolation_key"].as_str().is_some_and(|k| k.starts_with("file://"));
        if by_page {
            urls.push(url.to_string());
        }
    }
    urls
}

/// Everything that makes a page not self-contained: requests to anything but the page's
/// own file, console messages, and references in the DOM to anything but `#` or `data:`.
pub fn problems(r: &Render) -> Vec<String> {
    let mut found = Vec::new();
    for url in &r.requests {
        if !(url.starts_with("file://") || url.starts_with("data:")) {
            found.push(format!("the page requested {url}"));
        }
    }
    for line in r.stderr.lines().filter(|l| l.contains(":CONSOLE")) {
        found.push(format!("console: {line}"));
    }
    // ASCII lowercase keeps byte offsets, so a hit can be shown from the original.
    let dom = r.stdout.to_ascii_lowercase();
    for attr in [" src=\"", " href=\"", " srcset=\"", " poster=\"", " action=\"", " data=\"", "url(", "@import"] {
        for (at, _) in dom.match_indices(attr) {
            let value = dom[at + attr.len()..].trim_start_matches(['"', '\'', ' ']);
            if !(value.starts_with('#') || value.starts_with("data:")) {
                let shown: String = r.stdout[at..].trim_start().chars().take(80).collect();
                found.push(format!("the DOM refers to {shown}"));
            }
        }
    }
    found
}
