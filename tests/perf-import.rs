//! Issue 23, the import part: a return as districts send it (Chinese headers, long ids in
//! random order, dates spelt 2021年1月1日, Chinese kinds, Windows line ends, quoted cells)
//! counts exactly as the same activities in the bench's spelling, and
//! `GONGYU_TIMINGS=1` makes an import say where its time went, in one line on stderr (in
//! the output language), and nothing without it. Real processes on real ledgers; no
//! assertion on how long anything took.

#[allow(dead_code)] // the helpers other test files use
mod workdir;

#[allow(dead_code)] // shared by the zh_* tests
mod chinese;

use workdir::{Run, Workdir};

const TERM: &str = "2020-2021-1";

const COMMUNITIES: &str = "\
code,name,township,township_code,area,parent_school
110109106201,斋堂村委会,斋堂镇,110109106,农村,是
110109001001,德露苑社区居委会,大峪街道,110109001,城区,是
";

const SCHOOLS: &str = "\
code,name,type,township,parent_school
1111090001,大峪第一小学,小学,大峪街道,是
1111090002,大峪幼儿园,幼儿园,110109001,否
";

/// Eight activities over a school year in the bench's own spelling.
const BENCH_SPELLING: &str = "\
id,host,date,kind,title,participants,mode
A000000001,1111090001,2020-09-10,guidance,家庭教育讲座,120,offline
A000000002,1111090001,2021-01-05,practice,亲子登山,30,offline
A000000003,110109001001,2020-12-31,parent-meeting,期末家长会,300,online
A000000004,110109106201,2021-03-01,home-visit,入户家访,3,offline
A000000005,1111090002,2021-08-31,guidance,科学育儿培训,50,online
A000000006,1111090002,2020-10-01,practice,研学实践,25,offline
A000000007,110109106201,2021-01-31,practice,劳动教育实践,12,online
A000000008,1111090001,2021-02-01,parent-meeting,新生家长会,80,offline
";

/// The same activities as a district files them: Chinese headers, ids `N` + nine digits
/// in no order, September–December as 2020-09-01 and January–August as 2021年1月1日, the
/// six Chinese kind spellings, 线上/线下; written with `\r\n` and every cell quoted.
const FIELD_SPELLING: &str = "\
活动编号,主办单位代码,活动日期,活动类型,活动名称,参与人数,形式
N812003471,1111090001,2020-09-10,讲座,家庭教育讲座,120,线下
N000000017,1111090001,2021年1月5日,亲子活动,亲子登山,30,线下
N530918822,110109001001,2020-12-31,家长会,期末家长会,300,线上
N999999999,110109106201,2021年3月1日,家访,入户家访,3,线下
N123456789,1111090002,2021年8月31日,家庭教育指导,科学育儿培训,50,线上
N404040404,1111090002,2020-10-01,家庭教育实践,研学实践,25,线下
N700000001,110109106201,2021年1月31日,家庭教育实践,劳动教育实践,12,线上
N000000002,1111090001,2021年2月1日,家长会,新生家长会,80,线下
";

/// Every cell in double quotes, lines ended by `\r\n`.
fn quoted_crlf(text: &str) -> String {
    text.lines().map(|l| l.split(',').map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(",") + "\r\n").collect()
}

/// A ledger with both rosters.
fn with_rosters() -> Workdir {
    let wd = Workdir::with_ledger();
    let c = wd.write_utf8("communities.csv", COMMUNITIES);
    wd.import("communities", &c, TERM);
    let s = wd.write_utf8("schools.csv", SCHOOLS);
    wd.import("schools", &s, TERM);
    wd
}

fn report(wd: &Workdir, term: &str) -> String {
    wd.ok(&["coverage", "report", "--by", "township", "--term", term, "--format", "json"]).stdout
}

#[test]
fn a_return_from_the_field_counts_as_the_bench_spelling() {
    let bench = with_rosters();
    let f = bench.write_utf8("activities.csv", BENCH_SPELLING);
    bench.ok(&["import".as_ref(), "activities".as_ref(), f.as_os_str()]);
    let field = with_rosters();
    let f = field.write_bytes("活动.csv", quoted_crlf(FIELD_SPELLING).as_bytes());
    field.ok(&["import".as_ref(), "activities".as_ref(), f.as_os_str()]);
    let imported = |wd: &Workdir| {
        let log = wd.ok(&["log", "--limit", "1", "--format", "csv"]).stdout;
        let mut lines = log.lines();
        let head: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
        let row: Vec<String> = lines.next().unwrap_or_default().split(',').map(str::to_string).collect();
        let at = |name: &str| head.iter().position(|h| *h == name).unwrap_or_else(|| panic!("{name} in {log}"));
        (row[at("imported")].clone(), row[at("duplicates")].clone())
    };
    assert_eq!(imported(&field), ("8".to_string(), "0".to_string()));
    for term in [TERM, "2020-2021-2"] {
        assert_eq!(report(&bench, term), report(&field, term), "term {term}");
    }
}

/// The import's stderr with `GONGYU_TIMINGS` set to `value` (or unset), in English.
fn import_with_timings(value: Option<&str>, english: bool) -> Run {
    let wd = with_rosters();
    let f = wd.write_utf8("activities.csv", BENCH_SPELLING);
    wd.run_with(&["import".as_ref(), "activities".as_ref(), f.as_os_str()], |cmd| {
        match value {
            Some(v) => cmd.env("GONGYU_TIMINGS", v),
            None => cmd.env_remove("GONGYU_TIMINGS"),
        };
        if !english {
            cmd.env_remove("GONGYU_LANG");
        }
    })
    .expect_code(0)
}

/// The seconds of a timings line, in the order printed.
fn seconds(line: &str) -> Vec<f64> {
    line.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|w| w.contains('.') && w.len() > 1)
        .map(|w| w.parse().unwrap_or_else(|_| panic!("{w:?} in {line}")))
        .collect()
}

#[test]
fn timings_say_where_an_import_went_in_one_line() {
    let run = import_with_timings(Some("1"), true);
    let lines: Vec<&str> = run.stderr.lines().filter(|l| l.contains("timings")).collect();
    assert_eq!(lines.len(), 1, "one line\n{}", run.stderr);
    let line = lines[0];
    assert!(line.starts_with("import timings (s): reading thread: decode "), "{line}");
    for phase in ["parse ", "validate ", "idle ", "writing thread: write ", "index ", "tally ", "commit ", "wall "] {
        assert!(line.contains(phase), "{phase:?} in {line}");
    }
    let s = seconds(line);
    assert_eq!(s.len(), 10, "ten figures in {line}");
    assert!(s.iter().all(|x| *x >= 0.0), "{line}");
    // The summary on stdout is as without timings (each in its own folder).
    let summary = |r: &Run| r.stdout.rsplit('/').next().unwrap_or_default().to_string();
    assert_eq!(summary(&run), summary(&import_with_timings(None, true)));
}

#[test]
fn no_timings_unless_asked() {
    for value in [None, Some("0"), Some("")] {
        let run = import_with_timings(value, true);
        assert!(!run.stderr.contains("timings"), "{value:?}: {}", run.stderr);
    }
}

#[test]
fn timings_in_chinese_by_default() {
    let run = import_with_timings(Some("1"), false);
    let line = run.stderr.lines().find(|l| l.starts_with("导入用时（秒）")).unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(line.contains("读取线程：解码 ") && line.contains("写入线程：写入 "), "{line}");
    assert_eq!(seconds(line).len(), 10, "{line}");
    assert_eq!(chinese::english_sentences(line), Vec::<String>::new(), "{line}");
}
