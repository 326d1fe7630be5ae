//! A clerk's whole term in Chinese (issue 21): the six returns, rejected rows, a rejects
//! file, a closed term, every report and every command's `--help`, run with `GONGYU_LANG`
//! unset. Nothing printed or written may hold an English sentence, outside ids, codes,
//! file names, flags and commands; with `--lang en` the same steps speak English.

#[allow(dead_code)] // the helpers other test files use
mod workdir;

#[allow(dead_code)] // shared by the zh_* tests
mod chinese;

use std::path::{Path, PathBuf};

use chinese::english_sentences;
use workdir::Workdir;

const TERM: &str = "2020-2021-1";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo").join(name)
}

struct Term {
    wd: Workdir,
    lang: Option<&'static str>,
    seen: Vec<(String, String)>,
}

impl Term {
    fn run(&mut self, args: &[&str], code: i32) -> String {
        let lang = self.lang;
        let run = self.wd.run_with(args, |c| {
            c.env_remove("GONGYU_LANG");
            if let Some(l) = lang {
                c.env("GONGYU_LANG", l);
            }
        });
        assert_eq!(run.code, code, "gongyu {}\n{}\n{}", args.join(" "), run.stdout, run.stderr);
        let both = format!("{}\n{}", run.stdout, run.stderr);
        self.seen.push((args.join(" "), both.clone()));
        both
    }

    fn file(&mut self, name: &str) {
        let path = self.wd.path(name);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = if name.ends_with(".xlsx") {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut s = String::new();
            for i in 0..zip.len() {
                let mut f = zip.by_index(i).unwrap();
                if f.name().is_ok_and(|n| n.ends_with(".xml")) {
                    let mut part = String::new();
                    std::io::Read::read_to_string(&mut f, &mut part).unwrap();
                    // Only the text people read: shared strings and inline strings.
                    for piece in part.split("<t").skip(1) {
                        if let Some(body) = piece.split_once('>').map(|(_, b)| b) {
                            s.push_str(&body[..body.find("</t>").unwrap_or(0)]);
                            s.push('\n');
                        }
                    }
                }
            }
            s
        } else {
            let (decoded, _, _) = encoding_rs::GB18030.decode(&bytes);
            let t = String::from_utf8(bytes.clone()).unwrap_or_else(|_| decoded.into_owned());
            // The page: what people read, not its markup and script.
            strip_tags(&t)
        };
        self.seen.push((name.to_string(), text));
    }
}

fn strip_tags(html: &str) -> String {
    let body = html.split("<style").next().unwrap_or(html).to_string() + html.rsplit("</style>").next().unwrap_or("");
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The term, step by step, in `lang` (`None`: GONGYU_LANG unset).
fn clerks_term(lang: Option<&'static str>) -> Term {
    let mut t = Term { wd: Workdir::new(), lang, seen: Vec::new() };
    let copy = |t: &Term, name: &str| {
        let to = t.wd.path(name);
        std::fs::copy(fixture(name), &to).unwrap();
        to.display().to_string()
    };
    t.run(&["init"], 0);
    for kind in ["schools", "communities", "bodies", "key-students", "activities", "registry"] {
        t.run(&["template", kind, "--format", "xlsx", "-o", &format!("{kind}.xlsx")], 0);
        t.file(&format!("{kind}.xlsx"));
    }
    let communities = copy(&t, "communities-2020-2021-1.csv");
    t.run(&["import", "communities", &communities, "--term", TERM, "--dry-run"], 0);
    t.run(&["import", "communities", &communities, "--term", TERM], 0);
    // A schools roster with mistakes: rejected, written back, fixed, imported.
    let bad = t.wd.write_utf8(
        "学校.csv",
        "code,name,type,township,parent_school\n1111090001,大峪第一小学,中学校,大峪街道,是\n1111090002,大峪第二小学,小学,,是\n",
    );
    let bad = bad.display().to_string();
    t.run(&["import", "schools", &bad, "--term", TERM], 1);
    t.run(&["import", "schools", &bad, "--term", TERM, "--rejects", "学校-待修改.csv"], 1);
    t.file("学校-待修改.csv");
    let schools = copy(&t, "schools-2020-2021-1.csv");
    t.run(&["import", "schools", &schools, "--term", TERM], 0);
    t.run(&["import", "schools", &schools, "--term", TERM], 0);
    let bodies = copy(&t, "bodies-2020-2021-1.csv");
    t.run(&["import", "bodies", &bodies, "--term", TERM], 0);
    let key = copy(&t, "key-students-2020-2021.csv");
    t.run(&["import", "key-students", &key, "--school-year", "2020-2021"], 0);
    let activities = copy(&t, "activities-2020-2021-1.csv");
    t.run(&["import", "activities", &activities], 0);
    let registry = copy(&t, "registry-2020-2021.csv");
    t.run(&["import", "registry", &registry], 0);
    // Mistakes a clerk makes.
    t.run(&["import", "activities", "没有这个文件.csv"], 1);
    t.run(&["coverage", "report", "--term", "2020-2021-3"], 1);
    t.run(&["import", "schools", "--bogus"], 2);
    // The reports.
    t.run(&["returns", "--term", TERM], 0);
    t.run(&["returns", "--term", TERM, "--missing"], 0);
    t.run(&["coverage", "report", "--term", TERM], 0);
    t.run(&["coverage", "report", "--term", TERM, "--by", "township"], 0);
    t.run(&["coverage", "gaps", "--term", TERM], 0);
    t.run(&["coverage", "trend", "--to", TERM], 0);
    t.run(&["coverage", "report", "--term", TERM, "--format", "html", "-o", "达标情况.html"], 0);
    t.file("达标情况.html");
    t.run(&["coverage", "report", "--term", TERM, "--format", "xlsx", "-o", "达标情况.xlsx"], 0);
    t.file("达标情况.xlsx");
    t.run(&["log"], 0);
    t.run(&["check"], 0);
    t.run(&["plan", "show"], 0);
    // Closing, a refused change, reopening.
    t.run(&["term", "close", TERM, "--note", "期末督导已审核"], 0);
    let late = t.wd.write_utf8("补报活动.csv", "id,host,date,kind\nLATE-1,1111090001,2020-10-10,讲座\n").display().to_string();
    t.run(&["import", "activities", &late], 1);
    t.run(&["term", "list"], 0);
    t.run(&["term", "reopen", TERM, "--reason", "重新导入活动"], 0);
    t.run(&["revert", "6"], 0);
    t.run(&["backup", "备份.db"], 0);
    // Every command's help.
    for cmd in [
        "",
        "init",
        "import",
        "coverage",
        "coverage report",
        "coverage gaps",
        "coverage trend",
        "demo",
        "log",
        "revert",
        "check",
        "backup",
        "template",
        "plan",
        "plan show",
        "plan check",
        "returns",
        "term",
        "term close",
        "term reopen",
        "term list",
        "completions",
        "man",
    ] {
        let mut args: Vec<&str> = cmd.split_whitespace().collect();
        args.push("--help");
        t.run(&args, 0);
    }
    t
}

/// A plan file without the values of its `en = "…"` keys.
fn without_english_titles(plan: &str) -> String {
    let mut out = String::new();
    let mut rest = plan;
    while let Some(at) = rest.find("en = \"") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 6..];
        rest = after.find('"').map_or("", |end| &after[end + 1..]);
    }
    out + rest
}

#[test]
fn a_clerks_whole_term_speaks_chinese_only() {
    let t = clerks_term(None);
    let mut english = Vec::new();
    for (what, text) in &t.seen {
        // `plan show` prints a plan file: its targets' English titles (`en = "…"`) are the
        // plan's data, not gongyu's words.
        let text = if what == "plan show" { without_english_titles(text) } else { text.clone() };
        for s in english_sentences(&text) {
            english.push(format!("[{what}] {s}"));
        }
    }
    assert!(english.is_empty(), "{} English sentences in a Chinese term:\n{}", english.len(), english.join("\n"));
    // Shorter English the finder lets pass, seen in earlier versions: the encoding of a
    // file with a BOM in the import's summary.
    let schools = &t.seen.iter().find(|(w, _)| w.starts_with("import schools") && w.contains("schools-2020")).unwrap().1;
    assert!(schools.contains("UTF-8（带 BOM）") && !schools.contains("with BOM"), "{schools}");
}

#[test]
fn the_same_term_speaks_english_with_lang_en() {
    let t = clerks_term(Some("en"));
    let help = &t.seen.iter().find(|(w, _)| w == "import --help").unwrap().1;
    assert!(help.contains("Usage:") && help.contains("What the files hold"), "{help}");
    let all: String = t.seen.iter().map(|(_, s)| s.as_str()).collect();
    assert!(english_sentences(&all).len() > 50, "English, at length");
}

#[test]
fn the_detector_finds_sentences_and_spares_ids() {
    assert_eq!(english_sentences("there is no ledger at x.db").len(), 1);
    assert!(english_sentences("parent-school-activities 110109001 2020-2021-1 --term --by township").is_empty());
    assert!(english_sentences("运行 `gongyu coverage report --term 2020-2021-1`").is_empty());
    assert!(english_sentences("gongyu import schools 文件").is_empty());
}
