//! What a clerk sees (issue 21): local times, Chinese words in tables, tables that fit the
//! terminal. Real processes on real ledgers; the terminal is a real pseudo-terminal made by
//! `script` (util-linux).

#[allow(dead_code)] // the helpers other test files use
mod workdir;

use std::process::Command;

use workdir::Workdir;

const TERM: &str = "2020-2021-1";

const COMMUNITIES: &str = "\
code,name,township,township_code,area,parent_school
110109106201,斋堂村委会,斋堂镇,110109106,农村,是
110109001001,德露苑社区居委会,大峪街道,110109001,城区,是
110109002001,市场街社区居委会,城子街道,110109002,城区,否
";

const SCHOOLS: &str = "\
code,name,type,township,parent_school
1111090001,大峪第一小学,小学,大峪街道,是
1111090003,城子中学,初中,城子街道,否
";

const ACTIVITIES: &str = "\
id,host,date,kind
A1,1111090001,2020-09-10,讲座
A2,110109001001,2020-10-01,亲子活动
";

fn fixture() -> Workdir {
    let wd = Workdir::with_ledger();
    let c = wd.write_utf8("communities.csv", COMMUNITIES);
    let s = wd.write_utf8("schools.csv", SCHOOLS);
    let a = wd.write_utf8("activities.csv", ACTIVITIES);
    wd.import("communities", &c, TERM);
    wd.import("schools", &s, TERM);
    wd.import("activities", &a, "");
    wd
}

/// `YYYY-MM-DDTHH:MM:SSZ` moved by `hours`, as `YYYY-MM-DD HH:MM:SS`.
fn shifted(utc: &str, hours: i64) -> String {
    let t = chrono::DateTime::parse_from_rfc3339(utc).expect("an RFC 3339 time");
    (t + chrono::Duration::hours(hours)).format("%Y-%m-%d %H:%M:%S").to_string()
}

#[test]
fn times_are_shown_in_the_machines_time_zone_and_kept_in_utc_for_scripts() {
    let wd = fixture();
    wd.ok(&["term", "close", TERM]);
    let log = wd.ok(&["log", "--format", "json"]).json();
    let stored = log["batches"][0]["imported_at"].as_str().expect("imported_at").to_string();
    assert!(stored.ends_with('Z'), "JSON keeps the stored UTC time: {stored}");
    let in_beijing = |args: &[&str]| {
        wd.run_with(args, |c| {
            c.env("TZ", "Asia/Shanghai").env("GONGYU_LANG", "zh");
        })
        .expect_code(0)
        .stdout
    };
    let table = in_beijing(&["log"]);
    assert!(table.contains(&shifted(&stored, 8)), "log shows Beijing time {}:\n{table}", shifted(&stored, 8));
    assert!(!table.contains(&stored), "no UTC time in the table:\n{table}");
    for word in ["批次", "时间", "操作人", "类别", "学校", "社区", "活动"] {
        assert!(table.contains(word), "log speaks Chinese ({word}):\n{table}");
    }
    for word in ["┆ schools ", "┆ communities ", "┆ activities ", "│ batch "] {
        assert!(!table.contains(word), "no English kind or header ({word:?}) in the Chinese log:\n{table}");
    }
    let terms = wd.ok(&["term", "list", "--format", "json"]).json();
    let closed = terms["events"][0]["at"].as_str().expect("at").to_string();
    let list = in_beijing(&["term", "list"]);
    assert!(list.contains(&shifted(&closed, 8)), "term list in Beijing time:\n{list}");
    let report = in_beijing(&["coverage", "report", "--term", TERM]);
    assert!(report.contains(&shifted(&closed, 8)), "the report's closed line in Beijing time:\n{report}");
    let returns = in_beijing(&["returns", "--term", TERM]);
    assert!(!returns.contains(&stored[..16]), "returns shows no UTC time:\n{returns}");
    assert!(returns.contains("│ 学校 ") && !returns.contains("│ schools "), "returns names the rosters in Chinese:\n{returns}");
}

#[test]
fn an_informational_target_requires_nothing_in_chinese() {
    let wd = fixture();
    let zh = wd.run_with(&["coverage", "report", "--term", TERM], |c| {
        c.env("GONGYU_LANG", "zh");
    });
    let row = zh.stdout.lines().find(|l| l.contains("coedu-committees")).expect("the coedu-committees row").to_string();
    assert!(row.contains("不设") && !row.contains("info"), "{row}");
}

/// The display width of a line: CJK characters take two columns.
fn width(line: &str) -> usize {
    line.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// Runs gongyu's `args` on a pseudo-terminal `cols` wide; `None` when `script` is missing.
fn on_terminal(wd: &Workdir, cols: u16, args: &str) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        return None;
    }
    let bin = env!("CARGO_BIN_EXE_gongyu");
    let db = wd.db();
    let line = format!("stty cols {cols}; '{bin}' --db '{}' {args} 2>/dev/null", db.display());
    let out = Command::new("script")
        .args(["-q", "-e", "-c", &line, "/dev/null"])
        .current_dir(wd.root())
        .env("GONGYU_LANG", "zh")
        .env("GONGYU_TODAY", workdir::TODAY)
        .env("TZ", "UTC")
        .env_remove("GONGYU_DB")
        .env_remove("GONGYU_PLAN")
        .output()
        .expect("script runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8(out.stdout).expect("UTF-8").replace('\r', ""))
}

fn table_lines(text: &str) -> Vec<&str> {
    text.lines().filter(|l| l.starts_with(['│', '┌', '╞', '└', '├'])).collect()
}

#[test]
fn tables_fit_a_100_column_terminal_and_keep_full_width_in_a_pipe() {
    let wd = fixture();
    for args in [
        format!("coverage report --term {TERM}"),
        format!("coverage report --term {TERM} --by township"),
        format!("coverage gaps --term {TERM}"),
        "log".to_string(),
        format!("returns --term {TERM}"),
    ] {
        let Some(text) = on_terminal(&wd, 100, &args) else {
            eprintln!("SKIPPED: `script` (util-linux) is not installed, so no terminal can be made for this test");
            return;
        };
        let lines = table_lines(&text);
        assert!(!lines.is_empty(), "{args}: a table is printed:\n{text}");
        let widest = lines.iter().map(|l| width(l)).max().unwrap();
        assert!(widest <= 100, "{args}: a {widest}-column line on a 100-column terminal:\n{text}");
    }
    // In a pipe the report keeps every column on one line each: the ids are there whole.
    let piped = wd.run_with(&["coverage", "report", "--term", TERM, "--by", "township"], |c| {
        c.env("GONGYU_LANG", "zh");
    });
    let widest = table_lines(&piped.stdout).iter().map(|l| width(l)).max().unwrap();
    assert!(widest > 100, "full width in a pipe ({widest})");
    assert!(piped.stdout.contains("community-parent-school-urban"), "{}", piped.stdout);
}

/// The `NAME(1)` pages a manual page refers to.
fn referenced_pages(page: &str) -> Vec<String> {
    let plain = page.replace("\\-", "-");
    let mut found = Vec::new();
    for (at, _) in plain.match_indices("(1)") {
        let start = plain[..at].rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).map_or(0, |i| i + 1);
        found.push(format!("{}.1", &plain[start..at]));
    }
    found
}

#[test]
fn the_manual_names_only_pages_that_exist() {
    let wd = Workdir::new();
    let page = wd.ok(&["man"]).stdout;
    assert!(page.contains(".SH COMMANDS") && page.contains("gongyu coverage report"), "{page}");
    assert_eq!(referenced_pages(&page), Vec::<String>::new(), "the page on stdout names pages nobody wrote");
    let dir = wd.path("man pages");
    wd.ok(&[std::ffi::OsStr::new("man"), "--dir".as_ref(), dir.as_os_str()]);
    let main = std::fs::read_to_string(dir.join("gongyu.1")).expect("gongyu.1 written");
    let mut named = referenced_pages(&main);
    for entry in std::fs::read_dir(&dir).unwrap() {
        named.extend(referenced_pages(&std::fs::read_to_string(entry.unwrap().path()).unwrap()));
    }
    assert!(named.contains(&"gongyu-coverage.1".to_string()), "{named:?}");
    for name in named {
        assert!(dir.join(&name).is_file(), "{name} is named but was not written");
    }
}

#[test]
fn the_page_and_the_workbook_call_the_plan_by_one_word() {
    let wd = fixture();
    let zh = |c: &mut assert_cmd::Command| {
        c.env("GONGYU_LANG", "zh");
    };
    wd.run_with(&["coverage", "report", "--term", TERM, "--format", "html", "-o", "page.html"], zh).expect_code(0);
    wd.run_with(&["coverage", "report", "--term", TERM, "--format", "xlsx", "-o", "book.xlsx"], zh).expect_code(0);
    let page = std::fs::read_to_string(wd.path("page.html")).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(wd.path("book.xlsx")).unwrap()).unwrap();
    let mut strings = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/sharedStrings.xml").unwrap(), &mut strings).unwrap();
    for (what, text) in [("page", &page), ("workbook", &strings)] {
        assert!(text.contains("计划") && !text.contains("方案"), "the {what} says 计划, as the table does");
    }
}

/// The `name="value"` attribute of an SVG element's text, as a number.
fn attr(element: &str, name: &str) -> f64 {
    let key = format!(" {name}=\"");
    let at = element.find(&key).unwrap_or_else(|| panic!("no {name} in {element}")) + key.len();
    element[at..at + element[at..].find('"').unwrap()].parse().unwrap()
}

#[test]
fn no_bar_label_is_struck_through_by_the_requirement_line() {
    let wd = Workdir::new();
    wd.ok(&["demo"]);
    wd.run_with(&["coverage", "report", "--term", TERM, "--format", "html", "-o", "page.html"], |c| {
        c.env("GONGYU_LANG", "zh");
    })
    .expect_code(0);
    let page = std::fs::read_to_string(wd.path("page.html")).unwrap();
    let (mut charts, mut labels, mut near) = (0, 0, 0);
    for svg in page.split("<svg class=\"bars\"").skip(1) {
        let svg = &svg[..svg.find("</svg>").unwrap()];
        let line = svg.split("<line class=\"threshold\"").nth(1).expect("a requirement line");
        let ty = attr(line, "y1");
        charts += 1;
        for text in svg.split("<text class=\"bar-label\"").skip(1) {
            let y = attr(text, "y");
            // A 10.5px label spans from about 9 px above its baseline to 1 px below.
            assert!(!(y - 10.0..=y + 2.0).contains(&ty), "a label at y={y} is crossed by the line at {ty}: {text}");
            labels += 1;
            near += usize::from((y - ty).abs() < 16.0);
        }
    }
    assert!(charts > 5 && labels > 50, "{charts} charts, {labels} labels");
    assert!(near > 0, "some labels sit near the line, so the test means something");
}
