//! The fixtures and helpers of the `cli_*` test files (the integration tests of the `gongyu`
//! binary, SPEC §2–6, split by topic): the three fixture returns, a ledger holding them,
//! and readers of JSON reports and rejection messages. Each test file uses some of them.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use crate::workdir::{Run, Workdir};

// ------------------------------------------------------------------ fixtures

pub const TERM: &str = "2020-2021-1";

/// Three townships, six communities. 斋堂镇 comes first so that sorting by code shows.
/// Areas use four spellings and one blank (inferred from the name).
pub const COMMUNITIES: &str = "\
code,name,township,township_code,area,parent_school,parent_school_since
110109106201,斋堂村委会,斋堂镇,110109106,农村,是,2018-04-01
110109106202,东斋堂村委会,斋堂镇,110109106,220,是,
110109106203,西斋堂村委会,斋堂镇,110109106,,否,
110109001001,德露苑社区居委会,大峪街道,110109001,urban,是,2019-05-06
110109001002,月季园东里社区居委会,大峪街道,110109001,城区,否,
110109002001,市场街社区居委会,城子街道,110109002,111,是,2018-03-01
";

/// Five schools; townships by name, except one by code.
pub const SCHOOLS: &str = "\
code,name,type,township,parent_school,parent_school_since,principal_heads
1111090001,大峪第一小学,小学,大峪街道,是,2015-12-09,是
1111090002,大峪幼儿园,幼儿园,110109001,是,,否
1111090003,城子中学,初中,城子街道,否,,
1111090004,门头沟职业学校,中等职业学校,城子街道,是,,
1111090005,斋堂学校,九年一贯制学校,斋堂镇,是,,
";

/// Fourteen activities in 2020-2021-1, two of them on the term's first and last days.
pub const ACTIVITIES: &str = "\
id,host,date,kind,title,participants,mode
A1,1111090001,2020-09-10,讲座,家庭教育讲座,120,线下
A2,1111090001,2020-10-01,亲子活动,亲子登山,30,线下
A3,1111090001,2020-09-15,家长会,开学家长会,300,线下
A4,1111090002,2020-11-01,guidance,育儿讲座,50,online
A5,1111090002,2020-09-20,家长会,新生家长会,80,offline
A6,1111090004,2020-12-01,培训,家长培训,40,
A7,1111090004,2021-01-31,研学,研学活动,25,
A8,1111090005,2020-10-10,志愿服务,志愿活动,15,
A9,110109001001,2020-09-01,家庭教育指导,指导,10,
A10,110109001001,2020-10-01,家庭教育实践,实践,10,
A11,110109002001,2020-11-11,咨询,咨询日,5,
A12,110109106201,2020-09-05,实践,农家实践,12,
A13,110109106201,2020-09-06,指导,农家讲座,12,
A14,110109106202,2020-09-07,入户家访,家访,3,
";

/// The five target ids, in SPEC §5 order.
/// The fifteen targets of the default plan, in its order (SPEC §9).
pub const TARGET_IDS: [&str; 15] = [
    "school-parent-school",
    "community-parent-school-urban",
    "community-parent-school-rural",
    "parent-school-activities",
    "parent-meetings",
    "principal-heads-parent-school",
    "parent-school-standards",
    "parent-committees",
    "coedu-committees",
    "coedu-committee-composition",
    "district-parent-school",
    "district-coedu-committee",
    "organisation-parent-schools",
    "home-visits",
    "vulnerable-children-registry",
];

pub const GAPS_HEADER: &str = "target,township_code,township,unit_code,unit_name,reason,responsible,status,reason_code,plan";

/// A ledger holding the three fixture returns for 2020-2021-1.
pub fn fixture() -> Workdir {
    let wd = Workdir::with_ledger();
    let c = wd.write_utf8("communities.csv", COMMUNITIES);
    let s = wd.write_utf8("schools.csv", SCHOOLS);
    let a = wd.write_utf8("activities.csv", ACTIVITIES);
    wd.import("communities", &c, TERM).stdout_has("imported 6 communities for 2020-2021-1 from 6 rows");
    wd.import("schools", &s, TERM).stdout_has("imported 5 schools for 2020-2021-1 from 5 rows");
    wd.import("activities", &a, "").stdout_has("imported 14 activities from 14 rows");
    wd
}

// ------------------------------------------------------------------ helpers

pub fn args(parts: &[&dyn AsRef<std::ffi::OsStr>]) -> Vec<OsString> {
    parts.iter().map(|p| p.as_ref().to_os_string()).collect()
}

/// The target `id` in a JSON array of targets.
#[track_caller]
pub fn target<'a>(targets: &'a Value, id: &str) -> &'a Value {
    targets
        .as_array()
        .expect("targets is an array")
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no target {id} in {targets:#}"))
}

/// The district row of target `id`.
#[track_caller]
pub fn district<'a>(report: &'a Value, id: &str) -> &'a Value {
    target(&report["targets"], id)
}

/// The township with `code` in a JSON report.
#[track_caller]
pub fn township<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["townships"]
        .as_array()
        .expect("townships is an array")
        .iter()
        .find(|t| t["code"] == code)
        .unwrap_or_else(|| panic!("no township {code} in {:#}", report["townships"]))
}

/// (numerator, denominator) of a JSON target row.
pub fn ratio(row: &Value) -> (u64, u64) {
    (row["numerator"].as_u64().expect("numerator"), row["denominator"].as_u64().expect("denominator"))
}

/// Runs an import that must be rejected: exit 1, every `expected` fragment on stderr,
/// and the ledger exactly as before.
#[track_caller]
pub fn assert_rejected(wd: &Workdir, argv: &[OsString], expected: &[String]) -> Run {
    let before = wd.ledger_dump();
    let run = wd.run(argv).expect_code(1);
    for e in expected {
        assert!(run.stderr.contains(e.as_str()), "stderr lacks {e:?}\n--- stderr\n{}", run.stderr);
    }
    assert_eq!(before, wd.ledger_dump(), "a rejected import changed the ledger\n--- stderr\n{}", run.stderr);
    run
}

/// `FILE:LINE: column NAME:` as an error line starts.
pub fn at(file: &Path, line: u64, column: &str) -> String {
    format!("{}:{line}: column {column}:", file.display())
}

/// The problem lines (`FILE:…`) of a rejection message.
pub fn problem_lines(stderr: &str, file: &Path) -> Vec<String> {
    let prefix = format!("{}:", file.display());
    stderr.lines().filter(|l| l.starts_with(&prefix)).map(str::to_string).collect()
}

/// Guidance and practice activities (no ids) for each host, dated `date`.
pub fn activities_for(hosts: &[String], date: &str) -> String {
    let mut s = String::from("host,date,kind,title\n");
    for h in hosts {
        s.push_str(&format!("{h},{date},guidance,讲座\n{h},{date},practice,实践\n"));
    }
    s
}

/// A communities roster of urban communities: `(township code, township name, units, with a parent school)`.
pub fn urban_roster(townships: &[(&str, &str, usize, usize)]) -> (String, Vec<String>) {
    let mut csv = String::from("code,name,township,township_code,parent_school\n");
    let mut with_school = Vec::new();
    for (tcode, tname, n, yes) in townships {
        for i in 0..*n {
            let code = format!("{tcode}{i:03}");
            let has = i < *yes;
            csv.push_str(&format!("{code},第{i}社区居委会,{tname},{tcode},{}\n", if has { "是" } else { "否" }));
            if has {
                with_school.push(code);
            }
        }
    }
    (csv, with_school)
}

/// Schools rows (`code,name,type,township,parent_school`), one per code.
pub fn schools_roster(codes: &[u32]) -> String {
    let mut text = String::from("code,name,type,township,parent_school\n");
    for c in codes {
        writeln!(text, "{c},学校{c},小学,大峪街道,是").unwrap();
    }
    text
}
