//! Integration tests of the `gongyu` binary (SPEC §2–6): real processes on real ledger
//! files in temporary folders.
//!
//! Tests named `regression_*` pin bugs found and fixed: each failed before its fix.

mod workdir;

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;
use workdir::{Run, Workdir};

// ------------------------------------------------------------------ fixtures

const TERM: &str = "2020-2021-1";

/// Three townships, six communities. 斋堂镇 comes first so that sorting by code shows.
/// Areas use four spellings and one blank (inferred from the name).
const COMMUNITIES: &str = "\
code,name,township,township_code,area,parent_school,parent_school_since
110109106201,斋堂村委会,斋堂镇,110109106,农村,是,2018-04-01
110109106202,东斋堂村委会,斋堂镇,110109106,220,是,
110109106203,西斋堂村委会,斋堂镇,110109106,,否,
110109001001,德露苑社区居委会,大峪街道,110109001,urban,是,2019-05-06
110109001002,月季园东里社区居委会,大峪街道,110109001,城区,否,
110109002001,市场街社区居委会,城子街道,110109002,111,是,2018-03-01
";

/// Five schools; townships by name, except one by code.
const SCHOOLS: &str = "\
code,name,type,township,parent_school,parent_school_since,principal_heads
1111090001,大峪第一小学,小学,大峪街道,是,2015-12-09,是
1111090002,大峪幼儿园,幼儿园,110109001,是,,否
1111090003,城子中学,初中,城子街道,否,,
1111090004,门头沟职业学校,中等职业学校,城子街道,是,,
1111090005,斋堂学校,九年一贯制学校,斋堂镇,是,,
";

/// Fourteen activities in 2020-2021-1, two of them on the term's first and last days.
const ACTIVITIES: &str = "\
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
const TARGET_IDS: [&str; 15] = [
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

const GAPS_HEADER: &str = "target,township_code,township,unit_code,unit_name,reason,responsible,status,reason_code,plan";

/// A ledger holding the three fixture returns for 2020-2021-1.
fn fixture() -> Workdir {
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

fn args(parts: &[&dyn AsRef<std::ffi::OsStr>]) -> Vec<OsString> {
    parts.iter().map(|p| p.as_ref().to_os_string()).collect()
}

/// The target `id` in a JSON array of targets.
#[track_caller]
fn target<'a>(targets: &'a Value, id: &str) -> &'a Value {
    targets
        .as_array()
        .expect("targets is an array")
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no target {id} in {targets:#}"))
}

/// The district row of target `id`.
#[track_caller]
fn district<'a>(report: &'a Value, id: &str) -> &'a Value {
    target(&report["targets"], id)
}

/// The township with `code` in a JSON report.
#[track_caller]
fn township<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["townships"]
        .as_array()
        .expect("townships is an array")
        .iter()
        .find(|t| t["code"] == code)
        .unwrap_or_else(|| panic!("no township {code} in {:#}", report["townships"]))
}

/// (numerator, denominator) of a JSON target row.
fn ratio(row: &Value) -> (u64, u64) {
    (row["numerator"].as_u64().expect("numerator"), row["denominator"].as_u64().expect("denominator"))
}

/// Runs an import that must be rejected: exit 1, every `expected` fragment on stderr,
/// and the ledger exactly as before.
#[track_caller]
fn assert_rejected(wd: &Workdir, argv: &[OsString], expected: &[String]) -> Run {
    let before = wd.ledger_dump();
    let run = wd.run(argv).expect_code(1);
    for e in expected {
        assert!(run.stderr.contains(e.as_str()), "stderr lacks {e:?}\n--- stderr\n{}", run.stderr);
    }
    assert_eq!(before, wd.ledger_dump(), "a rejected import changed the ledger\n--- stderr\n{}", run.stderr);
    run
}

/// `FILE:LINE: column NAME:` as an error line starts.
fn at(file: &Path, line: u64, column: &str) -> String {
    format!("{}:{line}: column {column}:", file.display())
}

/// The problem lines (`FILE:…`) of a rejection message.
fn problem_lines(stderr: &str, file: &Path) -> Vec<String> {
    let prefix = format!("{}:", file.display());
    stderr.lines().filter(|l| l.starts_with(&prefix)).map(str::to_string).collect()
}

/// Guidance and practice activities (no ids) for each host, dated `date`.
fn activities_for(hosts: &[String], date: &str) -> String {
    let mut s = String::from("host,date,kind,title\n");
    for h in hosts {
        s.push_str(&format!("{h},{date},guidance,讲座\n{h},{date},practice,实践\n"));
    }
    s
}

/// A communities roster of urban communities: `(township code, township name, units, with a parent school)`.
fn urban_roster(townships: &[(&str, &str, usize, usize)]) -> (String, Vec<String>) {
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

// ------------------------------------------------------------------ 1. init and missing ledgers

#[test]
fn init_creates_the_ledger_and_a_second_init_changes_nothing() {
    let wd = Workdir::new();
    assert!(!wd.db().exists());
    wd.ok(&["init"]).stdout_has("created the ledger");
    assert!(wd.db().exists());
    // An empty ledger reports n/a everywhere, but for informational targets (info) and
    // the district bodies the plan asks for by its end (pending in 2020-2021-1).
    let report = wd.report_json(TERM);
    for id in TARGET_IDS {
        let want = match id {
            "coedu-committees" | "organisation-parent-schools" => "info",
            "district-parent-school" | "district-coedu-committee" => "pending",
            _ => "n/a",
        };
        assert_eq!(district(&report, id)["status"], want, "{id}");
    }

    let c = wd.write_utf8("communities.csv", COMMUNITIES);
    wd.import("communities", &c, TERM);
    let before = wd.ledger_dump();
    let bytes = std::fs::read(wd.db()).unwrap();
    let run = wd.ok(&["init"]);
    assert!(run.stdout.contains("already exists") && run.stdout.contains("nothing changed"), "{}", run.stdout);
    assert_eq!(before, wd.ledger_dump());
    assert_eq!(bytes, std::fs::read(wd.db()).unwrap(), "init rewrote the existing ledger file");
}

#[test]
fn commands_on_a_missing_ledger_fail_and_create_no_file() {
    let wd = Workdir::new();
    let c = wd.write_utf8("communities.csv", COMMUNITIES);
    let listing = || {
        let mut names: Vec<String> =
            std::fs::read_dir(wd.root()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    };
    let before = listing();
    let commands: Vec<Vec<OsString>> = vec![
        args(&[&"coverage", &"report", &"--term", &TERM]),
        args(&[&"coverage", &"report"]),
        args(&[&"coverage", &"gaps", &"--format", &"csv"]),
        args(&[&"import", &"communities", &c, &"--term", &TERM]),
        args(&[&"import", &"communities", &c, &"--term", &TERM, &"--dry-run"]),
    ];
    for argv in commands {
        let run = wd.run(&argv).expect_code(1).stderr_has("gongyu init");
        assert!(run.stdout.is_empty(), "{argv:?}: {}", run.stdout);
        assert!(!wd.db().exists(), "{argv:?} created the ledger");
        assert_eq!(before, listing(), "{argv:?} created a file");
    }
}

// ------------------------------------------------------------------ 2. returns

#[test]
fn all_304_mentougou_communities_as_gb18030_with_chinese_headers_and_no_area_column() {
    let real = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/mentougou-communities.csv"))
        .expect("fixtures/mentougou-communities.csv");
    let mut lines = real.lines();
    assert_eq!(lines.next(), Some("code,name,township_code,township"));
    let mut text = String::from("社区代码,社区名称,所属乡镇街道,乡镇街道代码,是否建立家长学校\n");
    let (mut urban, mut rural, mut urban_yes, mut rural_yes) = (0u64, 0u64, 0u64, 0u64);
    let mut townships = std::collections::BTreeMap::new();
    // Township code → (urban, rural) communities.
    let mut per_township = std::collections::BTreeMap::<String, (u64, u64)>::new();
    for (i, line) in lines.enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        let (code, name, tcode, tname) = (f[0], f[1], f[2], f[3]);
        let yes = i % 7 != 3;
        if name.ends_with("社区居委会") {
            urban += 1;
            urban_yes += u64::from(yes);
        } else {
            assert!(name.ends_with("村委会"), "{name}");
            rural += 1;
            rural_yes += u64::from(yes);
        }
        townships.insert(tcode.to_string(), tname.to_string());
        let counts = per_township.entry(tcode.to_string()).or_default();
        if name.ends_with("社区居委会") {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
        text.push_str(&format!("{code},{name},{tname},{tcode},{}\n", if yes { "是" } else { "否" }));
    }
    assert_eq!((urban, rural), (126, 178));
    text.push_str(",,,,\n,,,,\n");

    let wd = Workdir::with_ledger();
    let file = wd.write_gb18030("社区名单.csv", &workdir::crlf(&text));
    wd.import("communities", &file, TERM).stdout_has("imported 304 communities for 2020-2021-1 from 304 rows (GB18030)");

    let report = wd.report_json(TERM);
    assert_eq!(ratio(district(&report, "community-parent-school-urban")), (urban_yes, 126));
    assert_eq!(ratio(district(&report, "community-parent-school-rural")), (rural_yes, 178));
    assert_eq!(ratio(district(&report, "parent-school-activities")), (0, urban_yes + rural_yes));
    let got: Vec<(String, String)> = report["townships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["code"].as_str().unwrap().to_string(), t["name"].as_str().unwrap().to_string()))
        .collect();
    let want: Vec<(String, String)> = townships.into_iter().collect();
    assert_eq!(got.len(), 13);
    assert_eq!(got, want, "townships sorted by code, named as the roster names them");
    for (code, (urban, rural)) in per_township {
        let t = &township(&report, &code)["targets"];
        assert_eq!(target(t, "community-parent-school-urban")["denominator"], urban, "{code}");
        assert_eq!(target(t, "community-parent-school-rural")["denominator"], rural, "{code}");
    }
    // 城子街道 is all urban, 清水镇 all rural.
    assert_eq!(ratio(target(&township(&report, "110109002")["targets"], "community-parent-school-rural")), (0, 0));
    assert_eq!(target(&township(&report, "110109107")["targets"], "community-parent-school-urban")["status"], "n/a");
}

/// The same three returns as Excel and WPS on Chinese Windows write them import to the
/// same ledger rows and the same report as the clean UTF-8 files.
#[test]
fn messy_encodings_padding_and_full_width_digits_import_like_clean_files() {
    let clean = fixture();

    let messy = Workdir::with_ledger();
    // GB18030, CRLF, Chinese headers, full-width padding, full-width digits, trailing empty rows.
    let communities = "\
社区代码,社区名称,所属乡镇街道,乡镇街道代码,城乡类型,是否建立家长学校,家长学校成立日期
１１０１０９１０６２０１,　斋堂村委会　, 斋堂镇 ,110109106,　农村　,　是,2018/4/1
110109106202 ,东斋堂村委会,斋堂镇,１１０１０９１０６,２２０,有,
110109106203,西斋堂村委会,斋堂镇,110109106,,无,
110109001001,德露苑社区居委会,大峪街道,110109001,Urban,Y,２０１９年５月６日
110109001002,　月季园东里社区居委会,大峪街道,110109001,城区,N,
110109002001,市场街社区居委会 ,城子街道,110109002,１１１,✓,20180301
,,,,,,
,,,,,,
";
    // UTF-8 with BOM, headers in other cases and padded, cells padded with both spaces.
    let schools = " CODE ,Name　,　Type,TOWNSHIP , parent_school ,Parent_School_Since,PRINCIPAL_HEADS
１１１１０９０００１,大峪第一小学,　小学　,　大峪街道,yes,2015.12.9,TRUE
1111090002,大峪幼儿园, Kindergarten ,１１０１０９００１,Yes ,,false
1111090003, 城子中学,初中,城子街道　,no,,
1111090004,门头沟职业学校,中职,城子街道,1,,
1111090005,斋堂学校,nine-year,斋堂镇,已建,,
";
    // CRLF UTF-8, full-width digits in codes, dates in every form, empty trailing rows.
    let activities = "\
活动编号,主办单位代码,活动日期,活动类型,活动名称,参与人数,形式
A1,1111090001,2020/9/10,讲座,家庭教育讲座,120,线下
A2,１１１１０９０００１,2020.10.1,亲子活动,亲子登山,３０,线下
A3,1111090001,2020年9月15日,家长会,开学家长会,300,线下
A4,1111090002,20201101,GUIDANCE,育儿讲座,50,Online
A5,1111090002,２０２０－０９－２０,家长会,新生家长会, 80 ,OFFLINE
A6,1111090004,2020-12-01,培训,家长培训,40,
A7,1111090004,2021/01/31,研学,研学活动,25,
A8,1111090005,2020-10-10,志愿服务,志愿活动,15,
A9,110109001001,2020-09-01,家庭教育指导,指导,10,
A10,110109001001,2020-10-01,家庭教育实践,实践,10,
A11,110109002001,2020-11-11,咨询,咨询日,5,
A12,110109106201,2020-09-05,实践,农家实践,12,
A13,110109106201,2020-09-06,指导,农家讲座,12,
A14,110109106202,2020-09-07,入户家访,家访,3,
,,,,,,
";
    let c = messy.write_gb18030("communities.csv", &workdir::crlf(communities));
    let s = messy.write_utf8_bom("schools.csv", schools);
    let a = messy.write_crlf("activities.csv", activities);
    messy
        .import("communities", &c, "2020-2021学年第一学期")
        .stdout_has("imported 6 communities for 2020-2021-1 from 6 rows (GB18030)");
    messy.import("schools", &s, TERM).stdout_has("imported 5 schools for 2020-2021-1 from 5 rows (UTF-8 with BOM)");
    messy.import("activities", &a, "").stdout_has("imported 14 activities from 14 rows (UTF-8)");

    // `line` is compared by the line-number tests; here everything else must match.
    let tables = ["unit", "township", "school", "community", "activity"];
    assert_eq!(clean.dump_tables_without(&tables, &["line"]), messy.dump_tables_without(&tables, &["line"]));
    assert_eq!(clean.report_json(TERM), messy.report_json(TERM));
    let gaps = |wd: &Workdir| wd.ok(&["coverage", "gaps", "--term", TERM, "--format", "csv"]).stdout;
    assert_eq!(gaps(&clean), gaps(&messy));
}

/// Each column takes each of its spellings (SPEC §3.1–3.3), and the value lands in the
/// right field of the ledger.
#[test]
fn every_header_spelling_of_every_column_is_accepted() {
    let wd = fixture();
    type Cols<'a> = &'a [(&'a [&'a str], &'a str)];
    let header_and_row = |cols: Cols, k: usize| -> String {
        let header: Vec<&str> = cols.iter().map(|(names, _)| names[k % names.len()]).collect();
        let row: Vec<String> = cols.iter().map(|(_, v)| v.replace("{k}", &k.to_string())).collect();
        format!("{}\n{}\n", header.join(","), row.join(","))
    };
    let schools: Cols = &[
        (&["code", "学校代码", "学校标识码"], "99000{k}"),
        (&["name", "学校名称"], "测试{k}小学"),
        (&["type", "学校类型", "办学类型"], "幼儿园"),
        (&["township", "所属乡镇", "所属街道", "乡镇街道"], "城子街道"),
        (&["parent_school", "家长学校", "是否建立家长学校"], "是"),
        (&["parent_school_since", "家长学校成立日期"], "2019-09-0{k}"),
        (&["principal_heads", "校长兼任家长学校校长", "校长是否兼任"], "否"),
        (&["term", "学期"], "2021-2022-1"),
    ];
    let communities: Cols = &[
        (&["code", "社区代码", "村居代码", "统计用区划代码"], "88000{k}"),
        (&["name", "社区名称", "村居名称", "名称"], "测试{k}"),
        (&["township", "所属乡镇街道", "乡镇街道", "所属乡镇", "所属街道"], "测试镇"),
        (&["township_code", "乡镇街道代码"], "11010919{k}"),
        (&["area", "城乡类型", "城乡分类", "城乡分类代码"], "农村"),
        (&["parent_school", "家长学校", "是否建立家长学校"], "否"),
        (&["parent_school_since"], ""),
        (&["term", "学期"], "2021-2022-1"),
    ];
    let activities: Cols = &[
        (&["id", "活动编号"], "H{k}"),
        (&["host", "主办单位代码", "家长学校代码", "单位代码"], "1111090003"),
        (&["date", "活动日期", "日期"], "2021-01-0{k}"),
        (&["kind", "活动类型", "类型"], "家访"),
        (&["title", "活动名称", "主题"], "家访{k}"),
        (&["participants", "参与人数", "参加人数"], "{k}"),
        (&["mode", "形式"], "线上"),
    ];
    for k in 1..=5 {
        let s = wd.write_utf8(&format!("schools-{k}.csv"), &header_and_row(schools, k));
        let run = wd.import("schools", &s, "");
        assert!(!run.stderr.contains("not a column"), "{}", run.stderr);
        let c = wd.write_utf8(&format!("communities-{k}.csv"), &header_and_row(communities, k));
        let run = wd.import("communities", &c, "");
        assert!(!run.stderr.contains("not a column"), "{}", run.stderr);
        let a = wd.write_utf8(&format!("activities-{k}.csv"), &header_and_row(activities, k));
        let run = wd.import("activities", &a, "");
        assert!(!run.stderr.contains("not a column"), "{}", run.stderr);

        assert_eq!(
            wd.count(&format!(
                "SELECT count(*) FROM school s JOIN unit u ON u.id = s.unit_id JOIN batch b ON b.id = s.batch_id
                 WHERE u.code = '99000{k}' AND s.name = '测试{k}小学' AND s.type = '幼儿园' AND s.school_group = '幼儿园'
                 AND s.township = '城子街道' AND s.facts_yes = 1 AND s.parent_school_since = '2019-09-0{k}'
                 AND s.facts_no = 2 AND b.term = '2021-2022-1'"
            )),
            1,
            "schools spelling {k}"
        );
        assert_eq!(
            wd.count(&format!(
                "SELECT count(*) FROM community c JOIN unit u ON u.id = c.unit_id JOIN batch b ON b.id = c.batch_id
                 WHERE u.code = '88000{k}' AND c.name = '测试{k}' AND c.township_name = '测试镇'
                 AND c.township_code = '11010919{k}' AND c.area = 'rural' AND c.facts_no = 1 AND b.term = '2021-2022-1'"
            )),
            1,
            "communities spelling {k}"
        );
        assert_eq!(
            wd.count(&format!(
                "SELECT count(*) FROM activity a JOIN unit u ON u.id = a.host_id
                 WHERE a.ext_id = 'H{k}' AND u.code = '1111090003' AND a.day = 2021010{k} AND a.term = 20201
                 AND a.kind = 'home-visit' AND a.title = '家访{k}' AND a.participants = {k} AND a.mode = 'online'"
            )),
            1,
            "activities spelling {k}"
        );
    }
}

#[test]
fn unknown_columns_give_one_warning_each_and_the_import_succeeds() {
    let wd = Workdir::with_ledger();
    let text = "\
code,备注,name,township,township_code,parent_school,Remark
110109001001,x,德露苑社区居委会,大峪街道,110109001,是,y
110109001002,x,月季园东里社区居委会,大峪街道,110109001,否,y
";
    let file = wd.write_utf8("c.csv", text);
    let run = wd.import("communities", &file, TERM).stdout_has("imported 2 communities");
    let warnings: Vec<&str> = run.stderr.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 2, "{}", run.stderr);
    assert_eq!(warnings.iter().filter(|l| l.contains("备注")).count(), 1, "{}", run.stderr);
    assert_eq!(warnings.iter().filter(|l| l.contains("Remark")).count(), 1, "{}", run.stderr);
    assert_eq!(ratio(district(&wd.report_json(TERM), "community-parent-school-urban")), (1, 2));
}

#[test]
fn every_yes_no_spelling_is_read() {
    let yes = ["是", "有", "已建", "Y", "y", "yes", "YES", "Yes", "true", "TRUE", "1", "✓", "Ｙ", " 是　"];
    let no = ["否", "无", "未建", "N", "n", "no", "NO", "false", "False", "0", "✗", "０"];
    let mut text = String::from("code,name,township,parent_school,principal_heads,type\n");
    let mut want = Vec::new();
    for (i, v) in yes.iter().map(|v| (v, true)).chain(no.iter().map(|v| (v, false))).enumerate() {
        let code = format!("{:04}", i + 1);
        text.push_str(&format!("{code},学校{i},大峪街道,{},{},小学\n", v.0, v.0));
        want.push((code, v.1));
    }
    let wd = Workdir::with_ledger();
    // A schools roster has two yes/no columns.
    let file = wd.write_utf8("schools.csv", &text);
    wd.import("schools", &file, TERM);
    let conn = rusqlite::Connection::open(wd.db()).unwrap();
    let mut stmt = conn
        .prepare(
            // Facts are bit masks: bit 0 parent_school, bit 1 principal_heads.
            "SELECT u.code, s.facts_yes & 1 = 1, s.facts_yes & 2 = 2 FROM school s JOIN unit u ON u.id = s.unit_id ORDER BY u.code",
        )
        .unwrap();
    let got: Vec<(String, bool)> = stmt
        .query_map([], |r| {
            let (code, p, h): (String, bool, bool) = (r.get(0)?, r.get(1)?, r.get(2)?);
            assert_eq!(p, h);
            Ok((code, p))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(got, want);
    let report = wd.report_json(TERM);
    assert_eq!(ratio(district(&report, "school-parent-school")), (yes.len() as u64, (yes.len() + no.len()) as u64));
}

#[test]
fn every_date_form_is_the_same_date() {
    let wd = fixture();
    let forms =
        ["2020-09-01", "2020/9/1", "2020/09/01", "2020.9.1", "2020年9月1日", "20200901", "２０２０－０９－０１", " 2020-9-1　"];
    let mut text = String::from("host,date,kind,title\n");
    for f in forms {
        text.push_str(&format!("1111090003,{f},家访,开学家访\n"));
    }
    let file = wd.write_utf8("visits.csv", &text);
    wd.import("activities", &file, "")
        .stdout_has(&format!("imported 1 activity from {} rows", forms.len()))
        .stdout_has(&format!("{} duplicates skipped", forms.len() - 1));
    assert_eq!(wd.count("SELECT count(*) FROM activity WHERE ext_id IS NULL AND day = 20200901 AND term = 20201"), 1);

    // Founding dates in a roster, in every form, are stored as the same day.
    let mut roster = String::from("code,name,township,township_code,parent_school,parent_school_since\n");
    for (i, f) in ["2019-03-05", "2019/3/5", "2019.3.5", "2019年3月5日", "20190305", "２０１９/０３/０５"].iter().enumerate()
    {
        roster.push_str(&format!("77{i},第{i}社区,大峪街道,110109001,是,{f}\n"));
    }
    let file = wd.write_utf8("since.csv", &roster);
    wd.import("communities", &file, "2020-2021-2");
    assert_eq!(wd.count("SELECT count(*) FROM community WHERE parent_school_since = '2019-03-05'"), 6);
}

#[test]
fn both_term_spellings_work_on_the_flag_and_in_a_term_column() {
    let wd = Workdir::with_ledger();
    let roster = "code,name,township,parent_school\n1,第一社区,大峪街道,是\n";
    let f1 = wd.write_utf8("c1.csv", roster);
    wd.import("communities", &f1, "2020-2021学年第一学期").stdout_has("for 2020-2021-1");

    let f2 = wd.write_utf8("c2.csv", "code,name,township,parent_school,学期\n1,第一社区,大峪街道,否,2020-2021学年第二学期\n");
    wd.import("communities", &f2, "").stdout_has("for 2020-2021-2");

    let f3 = wd.write_utf8("c3.csv", "code,name,township,parent_school,term\n1,第一社区,大峪街道,是,２０２１－２０２２－１\n");
    wd.import("communities", &f3, "2021-2022学年第一学期").stdout_has("for 2021-2022-1");

    let f4 = wd.write_utf8("c4.csv", "code,name,township,parent_school,term\n1,第一社区,大峪街道,是,2021-2022学年第二学期\n");
    wd.import("communities", &f4, "2021-2022-2").stdout_has("for 2021-2022-2");

    assert_eq!(wd.count("SELECT count(*) FROM batch WHERE kind = 'communities'"), 4);
    let terms = wd.dump_tables_without(&["batch"], &["sha256", "file_name", "encoding", "os_user"]);
    for t in ["2020-2021-1", "2020-2021-2", "2021-2022-1", "2021-2022-2"] {
        assert!(terms.contains(&format!("\"{t}\"")), "{terms}");
    }
    // The report takes both spellings too, and picks each term's own roster.
    let r = wd.report_json("2020-2021学年第二学期");
    assert_eq!(r["term"], "2020-2021-2");
    assert_eq!(r["rosters"]["communities"], "2020-2021-2");
    assert_eq!(ratio(district(&r, "community-parent-school-urban")), (0, 1));
    let r = wd.report_json("2020-2021学年第一学期");
    assert_eq!(r["term"], "2020-2021-1");
    assert_eq!(ratio(district(&r, "community-parent-school-urban")), (1, 1));

    for bad in ["2020-2022-1", "2020-2021-3", "2020-2021学年第三学期", "2020/2021-1", "20202021-1"] {
        wd.run(&["coverage", "report", "--term", bad]).expect_code(1).stderr_has("is not a term");
        wd.run(&["import", "communities", f1.to_str().unwrap(), "--term", bad]).expect_code(1).stderr_has("is not a term");
    }
}

// ------------------------------------------------------------------ 3. terms

#[test]
fn activities_land_in_the_term_containing_their_date() {
    let wd = Workdir::with_ledger();
    let s = wd.write_utf8("s.csv", "code,name,type,township,parent_school\nS1,第一小学,小学,大峪街道,是\n");
    wd.import("schools", &s, "2019-2020-2");
    let a = wd.write_utf8(
        "a.csv",
        "host,date,kind\n\
         S1,2020-08-31,guidance\n\
         S1,2020-09-01,guidance\n\
         S1,2021-01-31,practice\n\
         S1,2021-02-01,practice\n",
    );
    wd.import("activities", &a, "").stdout_has("imported 4 activities");
    let reason = |term: &str| {
        let out = wd.ok(&["coverage", "gaps", "--term", term, "--target", "parent-school-activities", "--format", "csv"]).stdout;
        let rows: Vec<&str> = out.lines().skip(1).collect();
        assert!(rows.len() <= 1, "{out}");
        rows.first().map(|r| r.split(',').nth(5).unwrap().to_string())
    };
    // 2020-08-31 guidance only → 2019-2020-2 lacks practice.
    assert_eq!(reason("2019-2020-2").as_deref(), Some("no practice activity in 2019-2020-2"));
    // 2020-09-01 guidance and 2021-01-31 practice → 2020-2021-1 complete.
    assert_eq!(reason("2020-2021-1"), None);
    assert_eq!(ratio(district(&wd.report_json("2020-2021-1"), "parent-school-activities")), (1, 1));
    // 2021-02-01 practice only → 2020-2021-2 lacks guidance.
    assert_eq!(reason("2020-2021-2").as_deref(), Some("no guidance activity in 2020-2021-2"));
    // No activity at all is dated in 2021-2022-1: its return is missing, not failed
    // (issue 22, item 7) — no-data, with no gap rows.
    assert_eq!(reason("2021-2022-1"), None);
    assert_eq!(district(&wd.report_json("2021-2022-1"), "parent-school-activities")["status"], "no-data");
}

#[test]
fn the_default_term_is_the_one_containing_gongyu_today() {
    let wd = fixture();
    for (today, term) in [
        ("2020-08-31", "2019-2020-2"),
        ("2020-09-01", "2020-2021-1"),
        ("2021-01-31", "2020-2021-1"),
        ("2021-02-01", "2020-2021-2"),
    ] {
        let run = wd
            .run_with(&["coverage", "report", "--format", "json"], |c| {
                c.env("GONGYU_TODAY", today);
            })
            .expect_code(0);
        assert_eq!(run.json()["term"], term, "GONGYU_TODAY={today}");
        let run = wd
            .run_with(&["coverage", "gaps", "--format", "json"], |c| {
                c.env("GONGYU_TODAY", today);
            })
            .expect_code(0);
        assert_eq!(run.json()["term"], term, "gaps, GONGYU_TODAY={today}");
    }
    // With a day of the fixture's own term as today, the report is the fixture's.
    let run = wd.run_with(&["coverage", "report", "--format", "json"], |c| {
        c.env("GONGYU_TODAY", "2020-11-15");
    });
    let run = run.expect_code(0);
    assert_eq!(run.json()["term"], TERM);
    assert_eq!(run.json()["as_of"], "2020-11-15");
    // Judged as of today: an activity dated later in the term does not count yet (4 of 8
    // once the term is over), and the row is pending, not a gap.
    assert_eq!(ratio(district(&run.json(), "parent-school-activities")), (3, 8));
    assert_eq!(district(&run.json(), "parent-school-activities")["status"], "pending");
}

// ------------------------------------------------------------------ 4. bad input

/// Every bad file below starts with a good record whose quoted cell holds a line break,
/// so the second record starts on physical line 4 while it is data row 2.
#[test]
fn unknown_school_type_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "s.csv",
        "code,name,type,township,parent_school\n2001,\"大峪\n第二小学\",小学,大峪街道,是\n2002,大峪中学,中学校,大峪街道,是\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"schools", &f, &"--term", &TERM]),
        &[format!("{} unknown school type \"中学校\"", at(&f, 4, "type")), "九年一贯制学校".into()],
    );
}

#[test]
fn bad_yes_no_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "c.csv",
        "社区代码,社区名称,所属街道,乡镇街道代码,家长学校\n1,\"第一\n社区\",大峪街道,110109001,是\n2,第二社区,大峪街道,110109001,对\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &f, &"--term", &TERM]),
        &[format!("{} \"对\" is not yes or no", at(&f, 4, "家长学校 (parent_school)"))],
    );
}

#[test]
fn impossible_date_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "a.csv",
        "host,date,kind,title\n1111090001,2021-02-28,讲座,\"冬季\n讲座\"\n1111090001,2021-02-29,讲座,春季讲座\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &f]),
        &[format!("{} \"2021-02-29\" is not a real date", at(&f, 4, "date"))],
    );
}

#[test]
fn bad_date_forms_are_rejected_each_on_its_line() {
    let wd = fixture();
    let f = wd.write_utf8(
        "a.csv",
        "主办单位代码,活动日期,类型,主题\n\
         1111090001,2020-10-08,讲座,\"秋季\n\
         讲座\"\n\
         1111090001,9/1/2020,讲座,x\n\
         1111090001,2020-9,讲座,y\n\
         1111090001,明天,讲座,z\n\
         1111090001,2020-09-01 10:00,讲座,w\n",
    );
    let col = "活动日期 (date)";
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &f]),
        &[
            format!("{} \"9/1/2020\" is not a date", at(&f, 4, col)),
            format!("{} \"2020-9\" is not a date", at(&f, 5, col)),
            format!("{} \"明天\" is not a date", at(&f, 6, col)),
            format!("{} \"2020-09-01 10:00\" is not a date", at(&f, 7, col)),
            "4 problems".into(),
        ],
    );
}

#[test]
fn missing_required_cell_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "s.csv",
        "code,name,type,township,parent_school\n2001,\"大峪\n第二小学\",小学,大峪街道,是\n2002,　 ,小学,大峪街道,是\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"schools", &f, &"--term", &TERM]),
        &[format!("{} a value is required here", at(&f, 4, "name"))],
    );
}

#[test]
fn missing_required_column_is_rejected_with_its_spellings() {
    let wd = fixture();
    let f = wd.write_utf8("a.csv", "id,host,date,title\nX1,1111090001,2020-10-08,讲座\n");
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &f]),
        &[format!("{}:1: required column kind is missing; the header may name it as any of: kind, 活动类型, 类型", f.display())],
    );
    let f = wd.write_utf8("s.csv", "学校代码,学校名称,所属乡镇,家长学校\n1,一小,大峪街道,是\n");
    assert_rejected(
        &wd,
        &args(&[&"import", &"schools", &f, &"--term", &TERM]),
        &[format!(
            "{}:1: required column type is missing; the header may name it as any of: type, 学校类型, 办学类型",
            f.display()
        )],
    );
}

#[test]
fn duplicate_code_in_a_roster_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "c.csv",
        "code,name,township,township_code,parent_school\n\
         110109001099,\"新\n\
         社区\",大峪街道,110109001,是\n\
         110109001098,旧社区,大峪街道,110109001,是\n\
         110109001099,又一社区,大峪街道,110109001,否\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &f, &"--term", &TERM]),
        &[format!("{} code 110109001099 appears twice in this file; it was first on line 2", at(&f, 5, "code"))],
    );
}

/// Schools rows (`code,name,type,township,parent_school`), one per code.
fn schools_roster(codes: &[u32]) -> String {
    let mut text = String::from("code,name,type,township,parent_school\n");
    for c in codes {
        writeln!(text, "{c},学校{c},小学,大峪街道,是").unwrap();
    }
    text
}

#[test]
fn long_rosters_keep_known_unit_keys_and_give_new_codes_keys_in_file_order() {
    // Units are interned many rows at a time: known codes keep their keys, new ones get
    // theirs in the order of the file, and every row gets its own code's key.
    let wd = Workdir::with_ledger();
    let first: Vec<u32> = (0..100).map(|i| 5000 + i).collect();
    wd.import("schools", &wd.write_utf8("s1.csv", &schools_roster(&first)), TERM);
    assert_eq!(wd.count("SELECT count(*) FROM unit WHERE id = code - 4999"), 100);
    // 150 rows, known and new codes interleaved and out of order.
    let second: Vec<u32> = (0..150).map(|i| if i % 2 == 0 { 5099 - i / 2 } else { 6000 - i }).collect();
    wd.import("schools", &wd.write_utf8("s2.csv", &schools_roster(&second)), "2020-2021-2");
    assert_eq!(wd.count("SELECT count(*) FROM unit"), 175);
    assert_eq!(wd.count("SELECT count(*) FROM unit WHERE id <= 100 AND id = code - 4999"), 100);
    let new: Vec<String> = second.iter().filter(|c| **c >= 6000 - 149).map(u32::to_string).collect();
    let interned: Vec<String> = (101..=175).map(|id| wd.text(&format!("SELECT code FROM unit WHERE id = {id}"))).collect();
    assert_eq!(interned, new);
    assert_eq!(
        wd.count(
            "SELECT count(*) FROM school s JOIN unit u ON u.id = s.unit_id JOIN batch b ON b.id = s.batch_id
             WHERE b.term = '2020-2021-2' AND s.name = '学校' || u.code"
        ),
        150
    );
}

#[test]
fn a_code_repeated_many_rows_later_is_rejected_and_nothing_is_written() {
    // The repeat is in a later run of rows than the first use.
    let wd = Workdir::with_ledger();
    let mut codes: Vec<u32> = (0..200).map(|i| 7000 + i).collect();
    codes[150] = 7003;
    let f = wd.write_utf8("s.csv", &schools_roster(&codes));
    let before = wd.ledger_dump();
    assert_rejected(
        &wd,
        &args(&[&"import", &"schools", &f, &"--term", &TERM]),
        &[format!("{} code 7003 appears twice in this file; it was first on line 5", at(&f, 152, "code"))],
    );
    assert_eq!(wd.ledger_dump(), before);
}

#[test]
fn roster_term_column_disagreeing_with_the_flag_or_itself_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "s.csv",
        "code,name,type,township,parent_school,学期\n\
         2001,\"大峪\n\
         第二小学\",小学,大峪街道,是,2020-2021-1\n\
         2002,大峪中学,初中,大峪街道,是,2020-2021-2\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"schools", &f, &"--term", &TERM]),
        &[format!("{} the row says term 2020-2021-2 but --term says 2020-2021-1", at(&f, 4, "学期 (term)"))],
    );
    // Without --term, the rows must agree with each other.
    assert_rejected(
        &wd,
        &args(&[&"import", &"schools", &f]),
        &[format!("{} this row is for term 2020-2021-2", at(&f, 4, "学期 (term)"))],
    );
}

#[test]
fn roster_without_any_term_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8("c.csv", "code,name,township,parent_school\n1,第一社区,大峪街道,是\n");
    assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &f]),
        &[format!("{}: a communities roster needs its term", f.display())],
    );
    // A term column with a blank cell and no --term.
    let f = wd.write_utf8(
        "s.csv",
        "code,name,type,township,parent_school,term\n1,一小,小学,大峪街道,是,2020-2021-1\n2,二小,小学,大峪街道,是,\n",
    );
    assert_rejected(&wd, &args(&[&"import", &"schools", &f]), &[at(&f, 3, "term")]);
}

#[test]
fn founding_date_after_the_terms_end_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "c.csv",
        "code,name,township,township_code,parent_school,parent_school_since\n\
         9001,\"新\n\
         社区\",大峪街道,110109001,是,2021-01-31\n\
         9002,旧社区,大峪街道,110109001,是,2021-02-01\n",
    );
    let run = assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &f, &"--term", &TERM]),
        &[format!("{} 2021-02-01 is after the end of term 2020-2021-1", at(&f, 4, "parent_school_since")), "1 problem".into()],
    );
    assert!(!run.stderr.contains(&format!("{}:2:", f.display())), "the term's last day is allowed: {}", run.stderr);
}

#[test]
fn community_name_of_unknown_area_without_area_column_is_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "c.csv",
        "code,name,township,parent_school\n9001,\"新\n社区\",大峪街道,是\n9002,门头沟管委会,大峪街道,是\n9003,东山村,大峪街道,是\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &f, &"--term", &TERM]),
        &[format!("{} cannot tell whether \"门头沟管委会\" is urban or rural", at(&f, 4, "area")), "1 problem".into()],
    );
}

#[test]
fn activity_host_in_no_roster_is_rejected() {
    let wd = fixture();
    let f =
        wd.write_utf8("a.csv", "host,date,kind,title\n1111090001,2020-10-08,讲座,\"秋季\n讲座\"\n9999999999,2020-10-09,讲座,x\n");
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &f]),
        &[format!("{} no school, community or body with code 9999999999", at(&f, 4, "host"))],
    );
}

#[test]
fn activity_id_reused_for_a_different_activity_is_rejected_naming_both_places() {
    let wd = fixture();
    // Within one file.
    let f = wd.write_utf8(
        "a.csv",
        "id,host,date,kind,title\nB1,1111090001,2020-10-08,讲座,\"秋季\n讲座\"\nB1,1111090001,2020-10-09,讲座,秋季讲座\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &f]),
        &[format!(
            "{} id B1 is already used by a different activity at {}:2, earlier in this file",
            at(&f, 4, "id"),
            f.display()
        )],
    );
    // Against the ledger: A1 is line 2 of the fixture's activities.csv.
    let g = wd.write_utf8(
        "b.csv",
        "id,host,date,kind,title\n\
         B2,1111090001,2020-10-08,讲座,\"秋季\n\
         讲座\"\n\
         A1,1111090001,2020-09-10,讲座,另一个讲座\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &g]),
        &[format!(
            "{} id A1 is already used by a different activity at {}:2",
            at(&g, 4, "id"),
            wd.path("activities.csv").display()
        )],
    );
}

#[test]
fn negative_participants_are_rejected() {
    let wd = fixture();
    let f = wd.write_utf8(
        "a.csv",
        "host,date,kind,title,参与人数\n1111090001,2020-10-08,讲座,\"秋季\n讲座\",10\n1111090001,2020-10-09,讲座,x,-5\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &f]),
        &[format!("{} \"-5\" is not a whole number", at(&f, 4, "参与人数 (participants)"))],
    );
}

#[test]
fn bytes_valid_in_neither_utf8_nor_gb18030_are_rejected_naming_the_line() {
    let wd = fixture();
    let mut bytes = b"host,date,kind,title\n1111090001,2020-10-08,guidance,\"a\nb\"\n1111090001,2020-10-09,guidance,".to_vec();
    bytes.extend_from_slice(b"\x81\x7f\n");
    let f = wd.write_bytes("a.csv", &bytes);
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &f]),
        &[format!("{}:4: the bytes here are neither UTF-8 nor GB18030", f.display())],
    );
}

#[test]
fn a_bad_second_file_keeps_the_first_out_of_the_ledger() {
    let wd = fixture();
    let good = wd.write_utf8("good.csv", "id,host,date,kind\nG1,1111090003,2020-10-08,家访\nG2,1111090003,2020-10-09,家访\n");
    let bad = wd.write_utf8("bad.csv", "id,host,date,kind\nG3,1111090003,2020-10-10,家访\nG4,1111090003,2020-10-11,联欢会\n");
    let run = assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &good, &bad]),
        &[format!("{} unknown activity kind \"联欢会\"", at(&bad, 3, "kind"))],
    );
    assert!(!run.stderr.contains(&format!("{}:", good.display())), "{}", run.stderr);
    assert_eq!(wd.count("SELECT count(*) FROM activity WHERE ext_id LIKE 'G%'"), 0);

    // Rosters too: a good communities roster for a new term and a bad one.
    let c1 = wd.write_utf8("c1.csv", "code,name,township,parent_school\n1,第一社区,大峪街道,是\n");
    let c2 = wd.write_utf8("c2.csv", "code,name,township,parent_school\n2,第二社区,大峪街道,maybe\n");
    assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &c1, &c2, &"--term", &"2021-2022-1"]),
        &[at(&c2, 2, "parent_school")],
    );
    assert_eq!(wd.count("SELECT count(*) FROM batch WHERE term = '2021-2022-1'"), 0);
    // And both good files go in together.
    wd.ok(&args(&[
        &"import",
        &"activities",
        &good,
        &wd.write_utf8("ok.csv", "id,host,date,kind\nG5,1111090003,2020-10-12,家访\n"),
    ]));
    assert_eq!(wd.count("SELECT count(*) FROM activity WHERE ext_id LIKE 'G%'"), 3);
}

#[test]
fn dry_run_writes_nothing_and_reports_the_same_errors() {
    let wd = fixture();
    let before = wd.ledger_dump();
    let c = wd.write_utf8("c.csv", "code,name,township,parent_school\n1,第一社区,大峪街道,是\n2,第二社区,大峪街道,否\n");
    let run = wd.ok(&args(&[&"import", &"communities", &c, &"--term", &"2020-2021-2", &"--dry-run"]));
    assert!(run.stdout.contains("would import 2 communities for 2020-2021-2"), "{}", run.stdout);
    assert!(run.stdout.contains("dry run: nothing was written"), "{}", run.stdout);
    assert_eq!(before, wd.ledger_dump());
    let a = wd.write_utf8("a.csv", "id,host,date,kind\nD1,1111090003,2020-10-08,家访\n");
    wd.ok(&args(&[&"import", &"activities", &a, &"--dry-run"]));
    assert_eq!(before, wd.ledger_dump());
    // The same import for real does change the ledger.
    wd.import("communities", &c, "2020-2021-2");
    assert_ne!(before, wd.ledger_dump());

    let before = wd.ledger_dump();
    let bad = wd.write_utf8(
        "bad.csv",
        "code,name,type,township,parent_school\n\
         2001,\"大峪\n\
         第二小学\",小学,大峪街道,是\n\
         2002,大峪中学,中学校,大峪街道,是\n\
         2003,,小学,大峪街道,也许\n",
    );
    let dry = wd.run(&args(&[&"import", &"schools", &bad, &"--term", &TERM, &"--dry-run"])).expect_code(1);
    assert_eq!(before, wd.ledger_dump());
    let real = wd.run(&args(&[&"import", &"schools", &bad, &"--term", &TERM])).expect_code(1);
    assert_eq!(before, wd.ledger_dump());
    let problems = problem_lines(&dry.stderr, &bad);
    assert_eq!(problems.len(), 3, "{}", dry.stderr);
    assert_eq!(problems, problem_lines(&real.stderr, &bad));
}

#[test]
fn more_than_a_hundred_bad_rows_are_all_listed() {
    let wd = fixture();
    let mut text = String::from("code,name,township,parent_school\n");
    for i in 0..150 {
        text.push_str(&format!("{i},第{i}社区,大峪街道,{}\n", if i % 2 == 0 { "maybe" } else { "perhaps" }));
    }
    let f = wd.write_utf8("c.csv", &text);
    let run = assert_rejected(&wd, &args(&[&"import", &"communities", &f, &"--term", &TERM]), &["150 problems".into()]);
    let problems = problem_lines(&run.stderr, &f);
    assert!(problems.len() >= 100, "only {} listed", problems.len());
    for (i, line) in (2..).take(problems.len()).enumerate() {
        assert!(problems[i].starts_with(&at(&f, line, "parent_school")), "{}", problems[i]);
    }
}

// ------------------------------------------------------------------ 5. ledger semantics

#[test]
fn reimporting_a_byte_identical_file_changes_nothing() {
    let wd = fixture();
    let before = wd.ledger_dump();
    for (kind, name, term) in
        [("communities", "communities.csv", TERM), ("schools", "schools.csv", TERM), ("activities", "activities.csv", "")]
    {
        let run = wd.import(kind, &wd.path(name), term);
        assert!(run.stdout.contains("identical"), "{kind}: {}", run.stdout);
        assert_eq!(before, wd.ledger_dump(), "{kind}");
    }
    // A copy under another name is the same bytes.
    let copy = wd.write_utf8("activities-copy.csv", ACTIVITIES);
    wd.import("activities", &copy, "").stdout_has("identical");
    assert_eq!(before, wd.ledger_dump());
}

#[test]
fn a_second_roster_for_the_same_term_replaces_the_first_and_keeps_it_as_history() {
    let wd = fixture();
    let first_batch = wd.count("SELECT id FROM batch WHERE kind = 'communities'");
    // Everybody now has a parent school.
    let all_yes = COMMUNITIES.replace(",否,", ",是,");
    let f = wd.write_utf8("communities-v2.csv", &all_yes);
    let run = wd.import("communities", &f, TERM);
    assert!(run.stdout.contains(&format!("replaces the roster of batch {first_batch}")), "{}", run.stdout);
    let report = wd.report_json(TERM);
    assert_eq!(ratio(district(&report, "community-parent-school-urban")), (3, 3));
    assert_eq!(ratio(district(&report, "community-parent-school-rural")), (3, 3));
    assert_eq!(wd.count("SELECT count(*) FROM batch WHERE kind = 'communities' AND term = '2020-2021-1'"), 2);
    assert_eq!(wd.count(&format!("SELECT count(*) FROM community WHERE batch_id = {first_batch}")), 6);
    assert_eq!(wd.count(&format!("SELECT count(*) FROM batch WHERE replaces = {first_batch}")), 1);
    // Importing the first file again makes it current once more.
    wd.import("communities", &wd.path("communities.csv"), TERM);
    assert_eq!(ratio(district(&wd.report_json(TERM), "community-parent-school-urban")), (2, 3));
}

#[test]
fn a_later_term_uses_the_latest_earlier_roster_and_says_which() {
    let wd = fixture();
    let later = COMMUNITIES.replace(",否,", ",是,");
    let f = wd.write_utf8("communities-2021-2.csv", &later);
    wd.import("communities", &f, "2020-2021-2");

    let run = wd.ok(&["coverage", "report", "--term", "2021-2022-1", "--format", "json"]);
    let r = run.json();
    assert_eq!(r["term"], "2021-2022-1");
    assert_eq!(r["rosters"]["schools"], "2020-2021-1");
    assert_eq!(r["rosters"]["communities"], "2020-2021-2");
    assert_eq!(ratio(district(&r, "community-parent-school-urban")), (3, 3));
    assert_eq!(ratio(district(&r, "school-parent-school")), (4, 5));
    assert!(run.stderr.contains("using the schools roster of 2020-2021-1"), "{}", run.stderr);

    // The earlier term still uses its own roster; a term before any roster has none.
    let r = wd.report_json(TERM);
    assert_eq!(r["rosters"]["communities"], TERM);
    assert_eq!(ratio(district(&r, "community-parent-school-urban")), (2, 3));
    let r = wd.report_json("2019-2020-2");
    assert_eq!(r["rosters"]["schools"], Value::Null);
    assert_eq!(r["rosters"]["communities"], Value::Null);
    assert_eq!(district(&r, "school-parent-school")["status"], "n/a");
    // The table names the rosters too.
    wd.ok(&["coverage", "report", "--term", "2021-2022-1"])
        .stdout_has("Rosters used: schools 2020-2021-1, communities 2020-2021-2");
}

#[test]
fn repeated_activities_are_skipped_and_counted() {
    let wd = fixture();
    // Same ids and fields as the ledger's (in other spellings), and rows without ids that
    // repeat each other with the date written differently.
    let text = "\
活动编号,单位代码,日期,类型,活动名称,参加人数,形式
A1,1111090001,2020/9/10,讲座,家庭教育讲座,120,线下
A4,１１１１０９０００２,2020年11月1日,指导,育儿讲座,50,线上
,110109001002,2020-10-20,家访,入户,3,
,110109001002,20201020,入户家访,入户,3,
,110109001002,2020.10.20,home-visit,入户,3,
,110109001002,2020.10.20,home-visit,入户,4,
,110109001002,2020.10.20,home-visit,另一次入户,3,
N1,110109001002,2020-10-20,家访,入户,3,
N1,110109001002,2020/10/20,家访,入户,3,
";
    let f = wd.write_utf8("more.csv", text);
    wd.import("activities", &f, "").stdout_has("imported 4 activities from 9 rows (UTF-8), 5 duplicates skipped");
    assert_eq!(wd.count("SELECT count(*) FROM activity"), 18);
    assert_eq!(wd.count("SELECT duplicates FROM batch WHERE file_name LIKE '%more.csv'"), 5);
    // Again, from another file: every row is now a duplicate.
    let g = wd.write_utf8("more-again.csv", &text.replace("活动编号", "id"));
    wd.import("activities", &g, "").stdout_has("imported 0 activities from 9 rows (UTF-8), 9 duplicates skipped");
    assert_eq!(wd.count("SELECT count(*) FROM activity"), 18);
}

#[test]
fn a_school_roster_naming_townships_is_keyed_by_the_community_rosters_codes() {
    let wd = fixture();
    let r = wd.report_json(TERM);
    let codes: Vec<&str> = r["townships"].as_array().unwrap().iter().map(|t| t["code"].as_str().expect("a code")).collect();
    assert_eq!(codes, ["110109001", "110109002", "110109106"]);
    // 大峪街道 holds the school named by township and the one given by code.
    let dayu = township(&r, "110109001");
    assert_eq!(dayu["name"], "大峪街道");
    assert_eq!(ratio(target(&dayu["targets"], "school-parent-school")), (2, 2));
    assert_eq!(ratio(target(&township(&r, "110109002")["targets"], "school-parent-school")), (1, 2));
    assert_eq!(ratio(target(&township(&r, "110109106")["targets"], "school-parent-school")), (1, 1));
    for t in r["townships"].as_array().unwrap() {
        for row in t["targets"].as_array().unwrap() {
            assert_eq!(row["township"], t["code"], "a township's rows name it by code");
            assert_eq!(row["scope"], "township");
        }
    }
    // Gaps name the code as well.
    let gaps = wd.ok(&["coverage", "gaps", "--term", TERM, "--target", "school-parent-school", "--format", "csv"]).stdout;
    assert_eq!(
        gaps,
        format!(
            "{GAPS_HEADER}\nschool-parent-school,110109002,城子街道,1111090003,城子中学,no parent school (家长学校),区教委,gap,no-parent-school,mentougou-2019-2021\n"
        )
    );
}

#[test]
fn a_report_does_not_wait_for_an_import_in_progress() {
    let wd = fixture();
    let conn = rusqlite::Connection::open(wd.db()).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE; INSERT INTO unit (code) VALUES ('in-flight');").unwrap();
    let started = std::time::Instant::now();
    let run = wd.run_with(&["coverage", "report", "--term", TERM, "--format", "json"], |c| {
        c.timeout(std::time::Duration::from_secs(20));
    });
    let run = run.expect_code(0);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(ratio(district(&run.json(), "school-parent-school")), (4, 5));
    conn.execute_batch("ROLLBACK").unwrap();
}

// ------------------------------------------------------------------ 6. the report

#[test]
fn threshold_arithmetic_is_exact() {
    let wd = Workdir::with_ledger();
    // 19 of 20 urban communities: 95% met, shortfall 0.
    let (csv, with_school) = urban_roster(&[("110109002", "城子街道", 20, 19)]);
    wd.import("communities", &wd.write_utf8("c19.csv", &csv), "2020-2021-1");
    wd.import("activities", &wd.write_utf8("a19.csv", &activities_for(&with_school, "2020-10-10")), "");
    let r = wd.report_json("2020-2021-1");
    let urban = district(&r, "community-parent-school-urban");
    assert_eq!(ratio(urban), (19, 20));
    assert_eq!(urban["required_pct"], 95);
    assert_eq!(urban["pct"].as_f64(), Some(95.0));
    assert_eq!(urban["shortfall"], 0);
    assert_eq!(urban["status"], "met");
    assert_eq!(urban["responsible"], serde_json::json!(["区妇联", "乡镇街道"]));
    // Denominator 0: n/a, pct null.
    for id in ["school-parent-school", "community-parent-school-rural", "parent-meetings"] {
        let row = district(&r, id);
        assert_eq!(ratio(row), (0, 0), "{id}");
        assert_eq!(row["status"], "n/a", "{id}");
        assert_eq!(row["pct"], Value::Null, "{id}");
        assert_eq!(row["shortfall"], 0, "{id}");
    }
    let activities = district(&r, "parent-school-activities");
    assert_eq!(activities["status"], "met");
    // Only communities are counted, so only their bodies are responsible.
    assert_eq!(activities["responsible"], serde_json::json!(["区妇联", "乡镇街道"]));
    // An n/a row has no units, so no body is responsible for one (SPEC §5).
    assert_eq!(district(&r, "parent-meetings")["responsible"], serde_json::json!([]));
    // Every row met or n/a: --check exits 0.
    wd.ok(&["coverage", "report", "--term", "2020-2021-1", "--check"]);
    wd.ok(&["coverage", "report", "--term", "2020-2021-1", "--check", "--format", "json"]);

    // 18 of 20: gap, shortfall 1; --check exits 3.
    let (csv, with_school) = urban_roster(&[("110109002", "城子街道", 20, 18)]);
    wd.import("communities", &wd.write_utf8("c18.csv", &csv), "2020-2021-2");
    wd.import("activities", &wd.write_utf8("a18.csv", &activities_for(&with_school, "2021-03-10")), "");
    let r = wd.report_json("2020-2021-2");
    let urban = district(&r, "community-parent-school-urban");
    assert_eq!(ratio(urban), (18, 20));
    assert_eq!(urban["pct"].as_f64(), Some(90.0));
    assert_eq!(urban["shortfall"], 1);
    assert_eq!(urban["status"], "gap");
    let run = wd.run(&["coverage", "report", "--term", "2020-2021-2", "--check"]).expect_code(3);
    assert!(run.stdout.contains("gap"), "the report is still printed: {}", run.stdout);
    wd.run(&["coverage", "report", "--term", "2020-2021-2", "--check", "--format", "csv"]).expect_code(3);
    // Without --check a gap is not an error.
    wd.ok(&["coverage", "report", "--term", "2020-2021-2"]);

    // 19 of 20 in the district, but one township 9 of 10: --check looks at every level.
    let (csv, with_school) = urban_roster(&[("110109001", "大峪街道", 10, 10), ("110109002", "城子街道", 10, 9)]);
    wd.import("communities", &wd.write_utf8("c-split.csv", &csv), "2021-2022-1");
    wd.import("activities", &wd.write_utf8("a-split.csv", &activities_for(&with_school, "2021-10-10")), "");
    let r = wd.report_json("2021-2022-1");
    assert_eq!(district(&r, "community-parent-school-urban")["status"], "met");
    let chengzi = target(&township(&r, "110109002")["targets"], "community-parent-school-urban");
    assert_eq!(ratio(chengzi), (9, 10));
    assert_eq!(chengzi["shortfall"], 1);
    assert_eq!(chengzi["status"], "gap");
    wd.run(&["coverage", "report", "--term", "2021-2022-1", "--check"]).expect_code(3);
}

#[test]
fn rounding_of_pct_and_shortfall() {
    // 2 of 3 rural at 85%: ⌈2.55⌉ = 3 needed, shortfall 1; pct 66.67 in JSON, 66.7 in CSV.
    let wd = fixture();
    let r = wd.report_json(TERM);
    let rural = district(&r, "community-parent-school-rural");
    assert_eq!(ratio(rural), (2, 3));
    assert_eq!(rural["pct"].as_f64(), Some(66.67));
    assert_eq!(rural["shortfall"], 1);
    let csv = wd.ok(&["coverage", "report", "--term", TERM, "--format", "csv"]).stdout;
    assert!(csv.contains("2020-2021-1,district,,,community-parent-school-rural,85,2,3,66.7,1,gap,区妇联;乡镇街道"), "{csv}");
}

#[test]
fn json_report_shape_follows_the_spec() {
    let wd = fixture();
    let run = wd.ok(&["coverage", "report", "--term", TERM, "--format", "json"]);
    let r = run.json();
    assert_eq!(r["schema"], "gongyu.coverage.v2");
    assert_eq!(r["term"], TERM);
    assert_eq!(r["rosters"], serde_json::json!({"schools": TERM, "communities": TERM, "bodies": null, "key-students": null}));
    let ids: Vec<&str> = r["targets"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, TARGET_IDS);
    let fields =
        ["id", "scope", "township", "required_pct", "numerator", "denominator", "pct", "shortfall", "status", "responsible"];
    for t in r["targets"].as_array().unwrap() {
        assert_eq!(t["scope"], "district");
        assert_eq!(t["township"], Value::Null);
        let keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
        for f in fields {
            assert!(keys.contains(&f), "{f} missing from {t}");
        }
    }
    let required: Vec<u64> =
        r["targets"].as_array().unwrap().iter().take(5).map(|t| t["required_pct"].as_u64().unwrap()).collect();
    assert_eq!(required, [100, 95, 85, 100, 100]);
    let responsible: Vec<Value> = r["targets"].as_array().unwrap().iter().take(5).map(|t| t["responsible"].clone()).collect();
    assert_eq!(
        responsible,
        [
            serde_json::json!(["区教委"]),
            serde_json::json!(["区妇联", "乡镇街道"]),
            serde_json::json!(["区妇联", "乡镇街道"]),
            serde_json::json!(["区教委", "区妇联", "乡镇街道"]),
            serde_json::json!(["区教委"]),
        ]
    );
    let expected = [(4, 5, 1, "gap"), (2, 3, 1, "gap"), (2, 3, 1, "gap"), (4, 8, 4, "gap"), (2, 4, 2, "gap")];
    for (id, (n, d, short, status)) in TARGET_IDS.iter().zip(expected) {
        let row = district(&r, id);
        assert_eq!(ratio(row), (n, d), "{id}");
        assert_eq!(row["shortfall"], short, "{id}");
        assert_eq!(row["status"], status, "{id}");
    }
    // Townships sorted by code, each with every target in order but the district-only ones.
    let townships = r["townships"].as_array().unwrap();
    let codes: Vec<&str> = townships.iter().map(|t| t["code"].as_str().unwrap()).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted);
    for t in townships {
        let ids: Vec<&str> = t["targets"].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap()).collect();
        let by_township: Vec<&str> = TARGET_IDS.into_iter().filter(|id| !id.starts_with("district-")).collect();
        assert_eq!(ids, by_township);
    }
    // The township rows add up to the district rows.
    for id in TARGET_IDS.into_iter().filter(|id| !id.starts_with("district-")) {
        let (mut n, mut d) = (0, 0);
        for t in townships {
            let (a, b) = ratio(target(&t["targets"], id));
            n += a;
            d += b;
        }
        assert_eq!((n, d), ratio(district(&r, id)), "{id}");
    }
    // The fixture has no bodies or key-students roster and its rosters carry none of the
    // newer fact columns: notes say so, and nothing else.
    assert!(
        run.stderr
            .lines()
            .all(|l| l.contains("is no-data") || l.contains("no bodies roster") || l.contains("no key-students roster")),
        "{}",
        run.stderr
    );
}

#[test]
fn json_goes_to_stdout_alone_while_notes_go_to_stderr() {
    let wd = fixture();
    // 2021-2022-1 has no rosters of its own and no activities: notes on stderr.
    let run = wd.ok(&["coverage", "report", "--term", "2021-2022-1", "--format", "json"]);
    assert!(run.stderr.contains("note"), "expected notes: {}", run.stderr);
    let r = run.json();
    assert_eq!(r["schema"], "gongyu.coverage.v2");
    let run = wd.ok(&["coverage", "gaps", "--term", "2021-2022-1", "--format", "json"]);
    assert!(!run.stderr.is_empty());
    run.json();
    // On an empty ledger too.
    let empty = Workdir::with_ledger();
    let run = empty.ok(&["coverage", "report", "--format", "json"]);
    assert!(run.stderr.contains("no schools roster"), "{}", run.stderr);
    let r = run.json();
    assert_eq!(r["townships"], serde_json::json!([]));
    assert_eq!(r["targets"].as_array().unwrap().len(), 15);
    let run = empty.ok(&["coverage", "report", "--format", "csv"]);
    assert_eq!(run.stdout.lines().count(), 16, "{}", run.stdout);
}

#[test]
fn gaps_columns_and_filters() {
    let wd = fixture();
    let all = wd.ok(&["coverage", "gaps", "--term", TERM, "--format", "csv"]).stdout;
    let mut rdr = csv::Reader::from_reader(all.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header.join(","), GAPS_HEADER);
    let rows: Vec<csv::StringRecord> = rdr.records().collect::<Result<_, _>>().unwrap();
    // 9 failing units of the first five targets, 3 schools whose principal does not head
    // the parent school (or that did not say), 3 townships yet to file their registry and
    // the 2 district bodies yet to be set up (both pending).
    assert_eq!(rows.len(), 17);
    assert!(rows.iter().all(|r| r.len() == 10));
    assert_eq!(rows.iter().filter(|r| &r[7] == "pending").count(), 5);

    let count = |extra: &[&str]| {
        let mut argv = vec!["coverage", "gaps", "--term", TERM, "--format", "csv"];
        argv.extend_from_slice(extra);
        let out = wd.ok(&argv).stdout;
        assert!(out.starts_with(GAPS_HEADER), "{out}");
        out.lines().skip(1).map(str::to_string).collect::<Vec<_>>()
    };
    let activities = count(&["--target", "parent-school-activities"]);
    assert_eq!(activities.len(), 4);
    assert!(activities.iter().all(|l| l.starts_with("parent-school-activities,")));
    let by_name = count(&["--township", "斋堂镇"]);
    let by_code = count(&["--township", "110109106"]);
    assert_eq!(by_name, by_code);
    // 4 units of the first five targets, 1 of principal-heads, and the township's registry (pending).
    assert_eq!(by_name.len(), 6);
    assert!(by_name.iter().all(|l| l.split(',').nth(1) == Some("110109106")));
    let both = count(&["--township", "110109106", "--target", "parent-meetings"]);
    assert_eq!(both, ["parent-meetings,110109106,斋堂镇,1111090005,斋堂学校,no parent meeting (家长会) in 2020-2021-1,区教委,gap,no-parent-meeting,mentougou-2019-2021"]);
    assert!(count(&["--township", "大峪街道", "--target", "school-parent-school"]).is_empty());

    wd.run(&["coverage", "gaps", "--term", TERM, "--target", "no-such-target"]).expect_code(1).stderr_has("no-such-target");
    wd.run(&["coverage", "gaps", "--term", TERM, "--township", "朝阳区"]).expect_code(1).stderr_has("朝阳区");

    // The table and JSON forms hold the same rows.
    let table = wd.ok(&["coverage", "gaps", "--term", TERM]).stdout;
    assert!(table.contains("17 failing unit(s)"), "{table}");
    let json = wd.ok(&["coverage", "gaps", "--term", TERM, "--format", "json"]).json();
    assert_eq!(json["gaps"].as_array().unwrap().len(), 17);
}

#[test]
fn usage_errors_exit_2() {
    let wd = fixture();
    let before = wd.ledger_dump();
    for argv in [
        &["frobnicate"][..],
        &["coverage", "report", "--bogus"],
        &["coverage", "report", "--format", "xml"],
        &["coverage", "report", "--by", "school"],
        &["coverage", "summary"],
        &["import", "teachers", "x.csv"],
        &["import", "schools"],
        &["init", "--force"],
        &[],
    ] {
        let run = wd.run(argv);
        assert_eq!(run.code, 2, "{argv:?}\n{}", run.stderr);
        assert!(!run.stderr.is_empty());
        assert!(run.stdout.is_empty(), "{argv:?}: {}", run.stdout);
    }
    assert_eq!(before, wd.ledger_dump());
    wd.ok(&["--help"]);
}

// ------------------------------------------------------------------ 7. snapshots

#[test]
fn snapshot_report_table() {
    let wd = fixture();
    insta::assert_snapshot!("report_table", wd.ok(&["coverage", "report", "--term", TERM]).stdout);
}

#[test]
fn snapshot_report_table_by_township() {
    let wd = fixture();
    insta::assert_snapshot!(
        "report_table_by_township",
        wd.ok(&["coverage", "report", "--term", TERM, "--by", "township"]).stdout
    );
}

#[test]
fn snapshot_report_csv() {
    let wd = fixture();
    let run = wd.ok(&["coverage", "report", "--term", TERM, "--format", "csv", "--by", "township"]);
    insta::assert_snapshot!("report_csv_by_township", run.stdout);
    insta::assert_snapshot!("report_csv", wd.ok(&["coverage", "report", "--term", TERM, "--format", "csv"]).stdout);
}

#[test]
fn snapshot_report_json() {
    let wd = fixture();
    insta::assert_snapshot!("report_json", wd.ok(&["coverage", "report", "--term", TERM, "--format", "json"]).stdout);
}

#[test]
fn snapshot_gaps_csv() {
    let wd = fixture();
    insta::assert_snapshot!("gaps_csv", wd.ok(&["coverage", "gaps", "--term", TERM, "--format", "csv"]).stdout);
}

#[test]
fn snapshot_error_messages() {
    let wd = fixture();
    let rows = wd.write_utf8(
        "schools-bad.csv",
        "学校代码,学校名称,学校类型,所属乡镇,是否建立家长学校,家长学校成立日期\n\
         2001,\"大峪\n第二小学\",小学,大峪街道,是,2019-09-01\n\
         2002,大峪中学,中学校,大峪街道,对,\n\
         2003,大峪三小,小学,,否,2020-09-01\n\
         2004,大峪四小,幼儿园,大峪街道,是,2021-02-29\n",
    );
    let run = wd.run(&args(&[&"import", &"schools", &rows, &"--term", &TERM])).expect_code(1);
    insta::assert_snapshot!("error_bad_rows", wd.redact(&run.stderr));

    let header = wd.write_utf8("activities-bad.csv", "编号,单位代码,时间,类型\nX,1111090001,2020-10-01,讲座\n");
    let run = wd.run(&args(&[&"import", &"activities", &header])).expect_code(1);
    insta::assert_snapshot!("error_missing_columns", wd.redact(&run.stderr));

    let conflict = wd.write_utf8("activities-conflict.csv", "id,host,date,kind\nA1,1111090001,2020-09-10,guidance\n");
    let run = wd.run(&args(&[&"import", &"activities", &conflict])).expect_code(1);
    insta::assert_snapshot!("error_id_conflict", wd.redact(&run.stderr));

    let missing = Workdir::new();
    let run = missing.run(&["coverage", "report"]).expect_code(1);
    insta::assert_snapshot!("error_missing_ledger", missing.redact(&run.stderr));
}

// ------------------------------------------------------------------ 8. demo

#[test]
fn demo_builds_a_ledger_prints_the_report_and_can_run_again() {
    let wd = Workdir::new();
    let run = wd.ok(&["demo"]);
    for id in TARGET_IDS {
        assert!(run.stdout.contains(id), "demo output lacks {id}");
    }
    assert!(run.stdout.contains("imported 304 communities"), "{}", run.stdout);
    assert!(run.stdout.contains("3 duplicates skipped"), "{}", run.stdout);
    assert!(wd.db().exists());
    // The ledger holds what fixtures/README.md promises.
    let r = wd.report_json("2020-2021-1");
    let expect = [
        ("school-parent-school", 96, 100, "gap"),
        ("community-parent-school-urban", 119, 126, "gap"),
        ("community-parent-school-rural", 155, 178, "met"),
        // The demo's 5 parent-school bodies join the 370 schools' and communities' parent schools.
        ("parent-school-activities", 338, 375, "gap"),
        ("parent-meetings", 92, 97, "gap"),
    ];
    for (id, n, d, status) in expect {
        assert_eq!(ratio(district(&r, id)), (n, d), "{id}");
        assert_eq!(district(&r, id)["status"], status, "{id}");
    }
    assert_eq!(r["townships"].as_array().unwrap().len(), 13);
    assert_eq!(target(&township(&r, "110109002")["targets"], "community-parent-school-urban")["status"], "met");
    assert_eq!(ratio(target(&township(&r, "110109002")["targets"], "community-parent-school-urban")), (19, 20));
    assert_eq!(ratio(target(&township(&r, "110109107")["targets"], "community-parent-school-rural")), (27, 32));

    let dump = wd.dump_tables(&["unit", "township", "school", "community"]);
    let again = wd.ok(&["demo"]);
    assert!(again.stdout.contains("parent-meetings"));
    assert_eq!(dump, wd.dump_tables(&["unit", "township", "school", "community"]));
    assert_eq!(wd.count("SELECT count(*) FROM batch"), 6, "the second demo starts afresh");
}

#[test]
fn demo_refuses_to_overwrite_a_ledger_that_is_not_a_demo() {
    let wd = fixture();
    let before = wd.ledger_dump();
    let run = wd.run(&["demo"]).expect_code(1);
    assert!(run.stderr.contains("not a demo ledger"), "{}", run.stderr);
    assert_eq!(before, wd.ledger_dump());
    // Nor any other file.
    let other = Workdir::new();
    other.write_utf8("ledger.db", "my notes\n");
    other.run(&["demo"]).expect_code(1);
    assert_eq!(std::fs::read_to_string(other.db()).unwrap(), "my notes\n");
}

// ------------------------------------------------------------------ regressions: bugs found and fixed

/// SPEC §3.5: LINE is the physical line where the record starts. Excel writes CRLF.
#[test]
fn regression_crlf_row_errors_name_the_records_own_line() {
    let wd = fixture();
    let f = wd.write_crlf(
        "c.csv",
        "code,name,township,parent_school\n1,第一社区,大峪街道,x1\n2,\"第二\n社区\",大峪街道,是\n3,第三社区,大峪街道,x3\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &f, &"--term", &TERM]),
        &[format!("{} \"x1\"", at(&f, 2, "parent_school")), format!("{} \"x3\"", at(&f, 5, "parent_school"))],
    );
}

/// The same for a GB18030 CRLF file, as Excel's "CSV" writes on Chinese Windows; the line
/// is also stored in the ledger.
#[test]
fn regression_crlf_lines_stored_in_the_ledger_are_physical_lines() {
    let wd = Workdir::with_ledger();
    let f = wd.write_gb18030(
        "c.csv",
        &workdir::crlf("社区代码,社区名称,所属乡镇街道,家长学校\n1,第一社区,大峪街道,是\n2,第二社区,大峪街道,是\n"),
    );
    wd.import("communities", &f, TERM);
    let lines = wd.dump_tables_without(
        &["community"],
        &["batch_id", "unit_id", "township_name", "township_code", "area", "facts_yes", "facts_no", "parent_school_since"],
    );
    assert!(lines.contains("\"第一社区\" | 2\n") && lines.contains("\"第二社区\" | 3\n"), "{lines}");
}

#[test]
fn regression_blank_lines_count_towards_line_numbers() {
    let wd = fixture();
    let f = wd.write_utf8("c.csv", "code,name,township,parent_school\n1,第一社区,大峪街道,x1\n\n\n2,第二社区,大峪街道,x2\n");
    assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &f, &"--term", &TERM]),
        &[format!("{} \"x1\"", at(&f, 2, "parent_school")), format!("{} \"x2\"", at(&f, 5, "parent_school"))],
    );
    let g = wd.write_utf8("d.csv", "\n\ncode,name,township\n1,第一社区,大峪街道\n");
    assert_rejected(
        &wd,
        &args(&[&"import", &"communities", &g, &"--term", &TERM]),
        &[format!("{}:3: required column parent_school", g.display())],
    );
}

/// SPEC §3.5: the error lists every bad row.
#[test]
fn regression_id_conflicts_after_a_bad_row_are_still_listed() {
    let wd = fixture();
    let f = wd.write_utf8(
        "a.csv",
        "id,host,date,kind,title\n\
         B1,1111090001,2020-09-10,讲座,x\n\
         B2,1111090001,2020-09-31,讲座,y\n\
         B1,1111090001,2020-09-12,讲座,w\n\
         A1,1111090001,2020-09-12,讲座,w\n",
    );
    assert_rejected(
        &wd,
        &args(&[&"import", &"activities", &f]),
        &[at(&f, 3, "date"), at(&f, 4, "id"), at(&f, 5, "id"), "3 problems".into()],
    );
}

/// SPEC §3: a township is one unit whether a return names it or gives its code; reports
/// key townships by code wherever one is known.
#[test]
fn regression_one_township_per_code() {
    let wd = Workdir::with_ledger();
    // Last term's roster spelled the township one way, this term's another: one code.
    let earlier =
        wd.write_utf8("c1.csv", "code,name,township,township_code,parent_school\n1,德露苑社区,大峪街道办事处,110109001,是\n");
    wd.import("communities", &earlier, "2019-2020-2");
    let c = wd.write_utf8(
        "c.csv",
        "code,name,township,township_code,parent_school\n\
         1,德露苑社区,大峪街道,110109001,是\n\
         2,月季园社区,大峪街道,110109001,否\n",
    );
    wd.import("communities", &c, TERM);
    let s = wd
        .write_utf8("s.csv", "code,name,type,township,parent_school\nS1,一小,小学,大峪街道,是\nS2,二小,小学,大峪街道办事处,是\n");
    wd.import("schools", &s, TERM);
    let r = wd.report_json(TERM);
    let codes: Vec<Value> = r["townships"].as_array().unwrap().iter().map(|t| t["code"].clone()).collect();
    assert_eq!(codes, [Value::from("110109001")], "{:#}", r["townships"]);
    let t = township(&r, "110109001");
    assert_eq!(ratio(target(&t["targets"], "community-parent-school-urban")), (1, 2));
    assert_eq!(ratio(target(&t["targets"], "school-parent-school")), (2, 2));
}

/// Within one roster, one code with two names (or one name with two codes) is an error.
#[test]
fn one_roster_may_not_give_a_township_two_names_or_two_codes() {
    let wd = Workdir::with_ledger();
    let before = wd.ledger_dump();
    let c = wd.write_utf8(
        "c.csv",
        "code,name,township,township_code,parent_school\n\
         1,德露苑社区,大峪街道,110109001,是\n\
         2,月季园社区,城子街道,110109001,否\n\
         3,向阳社区,大峪街道,110109002,否\n",
    );
    let out = wd.run(&["import", "communities", c.to_str().unwrap(), "--term", TERM]).expect_code(1);
    let stderr = &out.stderr;
    assert!(
        stderr.contains(&format!(
            "{}:3: column township: township code 110109001 is 大峪街道 on line 2 but 城子街道 here",
            c.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{}:4: column township_code: township 大峪街道 has code 110109001 on line 2 but 110109002 here",
            c.display()
        )),
        "{stderr}"
    );
    assert_eq!(wd.ledger_dump(), before);
}

// ------------------------------------------------------------------ found by a new user's review

/// Two rosters of one kind and term in one command would have the second replace the first.
#[test]
fn two_rosters_for_one_term_in_one_command_are_refused() {
    let wd = Workdir::with_ledger();
    let before = wd.ledger_dump();
    let (a, b) = COMMUNITIES.split_at(COMMUNITIES.find("110109001001").unwrap());
    let header = COMMUNITIES.lines().next().unwrap();
    let p1 = wd.write_utf8("p1.csv", a);
    let p2 = wd.write_utf8("p2.csv", &format!("{header}\n{b}"));
    wd.run(&args(&[&"import", &"communities", &p1, &p2, &"--term", &TERM])).expect_code(1).stderr_has(
        "are both communities rosters for 2020-2021-1; a roster lists every unit of its term, so combine them into one file",
    );
    assert_eq!(wd.ledger_dump(), before);
}

/// Reverting the batch a later import's duplicates pointed at must not strand them.
#[test]
fn a_file_whose_duplicates_were_reverted_can_be_imported_again() {
    let wd = fixture();
    let a = wd.write_utf8("a.csv", "id,host,date,kind\nX1,1111090003,2020-10-01,讲座\n");
    let b = wd.write_utf8("b.csv", "id,host,date,kind\nX1,1111090003,2020-10-01,讲座\nX2,1111090003,2020-10-02,亲子活动\n");
    wd.import("activities", &a, "").stdout_has("batch 4");
    wd.import("activities", &b, "").stdout_has("1 duplicate skipped; batch 5");
    wd.ok(&["revert", "4"]).stdout_has("removed 1 activities");
    wd.import("activities", &b, "").stdout_has("imported 1 activity from 2 rows");
    assert_eq!(wd.count("SELECT count(*) FROM activity WHERE ext_id IN ('X1', 'X2')"), 2);
    // Again: nothing changes (the file is re-read, as it skipped rows of a reverted batch).
    wd.import("activities", &b, "");
    assert_eq!(wd.count("SELECT count(*) FROM activity WHERE ext_id IN ('X1', 'X2')"), 2);
}

/// Reverting a roster whose units host activities no other roster lists needs --force.
#[test]
fn reverting_a_roster_that_would_orphan_activities_needs_force() {
    let wd = fixture();
    let before = wd.ledger_dump();
    let refused = wd.run(&["revert", "2"]).expect_code(1).stderr_has("give --force to revert anyway");
    assert_eq!(wd.ledger_dump(), before);
    let forced = wd.ok(&["revert", "2", "--force"]).stderr_has("activities are hosted by units that are in no roster now");
    let check = wd.run(&["check"]).expect_code(1).stdout_has("activity-host-in-roster");
    // One finding per orphaned activity (the check looks each host up once, not each row).
    let listed = check.stdout.lines().filter(|l| l.contains("which is in no live roster")).count();
    let orphaned = wd.count(
        "SELECT count(*) FROM activity a WHERE NOT EXISTS (SELECT 1 FROM school s JOIN batch b ON b.id = s.batch_id
           WHERE s.unit_id = a.host_id AND b.reverted_at IS NULL)
         AND NOT EXISTS (SELECT 1 FROM community c JOIN batch b ON b.id = c.batch_id
           WHERE c.unit_id = a.host_id AND b.reverted_at IS NULL)
         AND NOT EXISTS (SELECT 1 FROM body y JOIN batch b ON b.id = y.batch_id
           WHERE y.unit_id = a.host_id AND b.reverted_at IS NULL)",
    );
    assert!(orphaned > 0);
    assert_eq!(listed as i64, orphaned, "{}", check.stdout);
    // The count the refusal and the warning give (from the tally) is the activities'.
    refused.stderr_has(&format!("would leave {orphaned} activities"));
    forced.stderr_has(&format!("warning: {orphaned} activities"));
}

/// --rejects never overwrites a file, least of all the return itself.
#[test]
fn rejects_never_overwrite_a_file() {
    let wd = Workdir::with_ledger();
    let f = wd.write_utf8("c.csv", "code,name,township,parent_school\n1,第一社区,大峪街道,也许\n");
    let original = std::fs::read(&f).unwrap();
    wd.run(&args(&[&"import", &"communities", &f, &"--term", &TERM, &"--rejects", &f]))
        .expect_code(1)
        .stderr_has("already exists");
    assert_eq!(std::fs::read(&f).unwrap(), original);
}

/// Total rows and a form's sign-off footer are not units.
#[test]
fn total_and_footer_rows_are_skipped_with_a_note() {
    let wd = Workdir::with_ledger();
    let f = wd.write_gb18030(
        "c.csv",
        "门头沟区2020-2021学年第一学期社区家长学校统计表,,,\r\n社区代码,社区名称,所属乡镇街道,是否建立家长学校\r\n\
         1,第一社区,大峪街道,是\r\n2,第二社区,大峪街道,否\r\n合计,,,1\r\n填表人：张三,,联系电话：6988xxxx,\r\n",
    );
    wd.import("communities", &f, TERM)
        .stdout_has("imported 2 communities")
        .stderr_has("the header is on line 2")
        .stderr_has("skipped 2 total or footer row(s) (合计, 填表人：…) on line(s) 5, 6");
}

/// `--check` says on stderr which rows have a gap, even when the table shows none.
#[test]
fn check_names_the_rows_with_a_gap() {
    let wd = fixture();
    wd.run(&["coverage", "report", "--term", TERM, "--check"]).expect_code(3).stderr_has("check: ").stderr_has("110109001 ");
}

/// Activities are written in runs of many rows per statement; a run holding a duplicate
/// or a reused id must fall back to row-by-row and count or report each exactly.
#[test]
fn duplicates_and_conflicts_inside_long_runs_are_counted_and_reported() {
    let wd = fixture();
    let hosts = ["1111090001", "1111090002", "110109001001", "110109106201"];
    let row = |i: usize| format!("R{i},{},2020-10-{:02},讲座,第{i}讲,{},线下\n", hosts[i % 4], 1 + i % 28, i % 90);
    let mut first = String::from("id,host,date,kind,title,participants,mode\n");
    for i in 0..300 {
        first += &row(i);
    }
    let f = wd.write_utf8("first.csv", &first);
    wd.import("activities", &f, "").stdout_has("imported 300 activities from 300 rows");
    // 200 rows: 100 already in the ledger (exact duplicates), 100 new, and in the middle of a
    // run one new row repeated exactly (a duplicate within the file).
    let mut second = String::from("id,host,date,kind,title,participants,mode\n");
    for i in 250..450 {
        second += &row(i);
        if i == 400 {
            second += &row(i);
        }
    }
    let g = wd.write_utf8("second.csv", &second);
    wd.import("activities", &g, "").stdout_has("imported 150 activities from 201 rows (UTF-8), 51 duplicates skipped");
    assert_eq!(wd.count("SELECT count(*) FROM activity WHERE ext_id LIKE 'R%'"), 450);
    // A reused id deep inside a long run is reported on its own line.
    let mut third = String::from("id,host,date,kind,title,participants,mode\n");
    for i in 450..550 {
        third += &if i == 520 { row(10).replace("第10讲", "另一讲") } else { row(i) };
    }
    let h = wd.write_utf8("third.csv", &third);
    let before = wd.ledger_dump();
    wd.run(&args(&[&"import", &"activities", &h]))
        .expect_code(1)
        .stderr_has(&format!(
            "{}:72: column id: id R10 is already used by a different activity at {}:12",
            h.display(),
            f.display()
        ))
        .stderr_has("1 problem");
    assert_eq!(wd.ledger_dump(), before);
}

/// A run of rows written in one statement that meets a repeat part-way keeps none of its
/// rows: they are written one by one instead, each once, and each counted once.
#[test]
fn a_repeat_part_way_through_a_run_writes_and_counts_every_row_once() {
    let wd = fixture();
    let sum = |table: &str| wd.count(&format!("SELECT sum(guidance + home_visit + parent_meeting + practice) FROM {table}"));
    let kept = wd.count("SELECT count(*) FROM activity");
    assert_eq!((sum("activity_tally"), sum("term_tally")), (kept, kept));
    let hosts = ["1111090001", "1111090002", "110109001001", "110109106201"];
    let row = |id: &str, i: usize| format!("{id},{},2020-10-{:02},讲座,第{i}讲,{},线下\n", hosts[i % 4], 1 + i % 28, i % 90);
    let mut first = String::from("id,host,date,kind,title,participants,mode\n");
    for i in 0..10 {
        first += &row(&format!("P{i}"), i);
    }
    wd.import("activities", &wd.write_utf8("first.csv", &first), "").stdout_has("imported 10 activities");
    // 300 rows: two whole runs and a part; rows 60 and 200 repeat activities already kept.
    let mut second = String::from("id,host,date,kind,title,participants,mode\n");
    for i in 0..300 {
        second += &match i {
            60 => row("P5", 5),
            200 => row("P6", 6),
            _ => row(&format!("Q{i}"), i),
        };
    }
    wd.import("activities", &wd.write_utf8("second.csv", &second), "")
        .stdout_has("imported 298 activities from 300 rows (UTF-8), 2 duplicates skipped");
    assert_eq!(wd.count("SELECT count(*) FROM activity"), kept + 308);
    assert_eq!(wd.count("SELECT count(*) FROM activity WHERE ext_id LIKE 'P%' OR ext_id LIKE 'Q%'"), 308);
    assert_eq!((sum("activity_tally"), sum("term_tally")), (kept + 308, kept + 308));
    wd.ok(&["check"]);
}

/// A file of more than 4 MiB has its hosts looked up in the hosts loaded from the ledger
/// (while it is opened): the same answers as SQLite's, rosters reverted included.
#[test]
fn a_large_file_finds_its_hosts_in_the_loaded_hosts() {
    let wd = fixture();
    // A school on a second roster, which is then reverted: no longer a host.
    let s = wd.write_utf8("s2.csv", &(String::from(SCHOOLS) + "1111099999,撤销小学,小学,大峪街道,是,,\n"));
    wd.import("schools", &s, "2020-2021-2").stdout_has("imported 6 schools");
    let batch = wd.count("SELECT max(id) FROM batch");
    wd.ok(&["revert", &batch.to_string()]);
    let hosts = ["1111090001", "1111090002", "110109001001", "110109106201", "1111090003"];
    let title = "家庭教育指导讲座：如何陪伴孩子度过青春期".repeat(2);
    let mut text = String::from("id,host,date,kind,title,participants,mode\n");
    let rows = 40_000;
    for i in 0..rows {
        writeln!(text, "L{i},{},2020-11-{:02},讲座,{title}{i},{},线下", hosts[i % hosts.len()], 1 + i % 28, i % 90).unwrap();
    }
    assert!(text.len() > 4 << 20, "{} bytes", text.len());
    let bad = text.replacen("L39999,1111090003", "L39999,1111099999", 1);
    let f = wd.write_utf8("big.csv", &bad);
    let before = wd.ledger_dump();
    wd.run(&args(&[&"import", &"activities", &f])).expect_code(1).stderr_has(&format!(
        "{} no school, community or body with code 1111099999 is in any imported roster",
        at(&f, rows as u64 + 1, "host")
    ));
    assert_eq!(wd.ledger_dump(), before);
    let g = wd.write_utf8("big2.csv", &text);
    wd.import("activities", &g, "").stdout_has(&format!("imported {rows} activities from {rows} rows"));
    for (i, h) in hosts.iter().enumerate() {
        let n = wd.count(&format!(
            "SELECT count(*) FROM activity a JOIN unit u ON u.id = a.host_id WHERE u.code = '{h}' AND a.ext_id LIKE 'L%'"
        ));
        assert_eq!(n as usize, rows / hosts.len(), "host {i}");
    }
    wd.ok(&["check"]);
}

// ------------------------------------------------------------------ found by a second review

/// The same file given twice in one command is imported once; the second says so.
#[test]
fn the_same_file_twice_in_one_command() {
    let wd = fixture();
    let f = wd.write_utf8("a.csv", "id,host,date,kind\nT1,1111090001,2020-10-01,讲座\nT1,1111090001,2020-10-01,讲座\n");
    wd.run(&args(&[&"import", &"activities", &f, &f]))
        .expect_code(0)
        .stdout_has("imported 1 activity from 2 rows (UTF-8), 1 duplicate skipped")
        .stdout_has("the same file was given earlier in this import; skipped");
    assert_eq!(wd.count("SELECT count(*) FROM batch WHERE kind = 'activities'"), 2);
    // Once a batch was reverted, an unchanged file still changes nothing and says so.
    wd.ok(&["revert", "4"]);
    wd.import("activities", &f, "").stdout_has("imported 1 activity");
    wd.import("activities", &f, "").stdout_has("identical to batch");
}

/// A reused id is "earlier in this file" only when it is; a file of the same name
/// imported before is another place.
#[test]
fn an_id_reused_from_an_earlier_file_of_the_same_name_names_that_import() {
    let wd = fixture();
    let f = wd.write_utf8("act.csv", "id,host,date,kind\nM1,1111090001,2020-10-01,讲座\n");
    wd.import("activities", &f, "");
    let g = wd.write_utf8("act.csv", "id,host,date,kind\nM0,1111090001,2020-10-02,讲座\nM1,1111090001,2020-10-03,讲座\n");
    let out = wd.run(&args(&[&"import", &"activities", &g])).expect_code(1);
    assert!(
        out.stderr.contains(&format!(
            "{}:3: column id: id M1 is already used by a different activity at {}:2;",
            g.display(),
            f.display()
        )),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("earlier in this file"), "{}", out.stderr);
}

#[test]
fn counts_beyond_belief_are_row_errors() {
    let wd = fixture();
    let f = wd.write_utf8("a.csv", "host,date,kind,participants\n1111090001,2020-10-01,讲座,9223372036854775808\n");
    wd.run(&args(&[&"import", &"activities", &f]))
        .expect_code(1)
        .stderr_has(&format!("{}:2: column participants: \"9223372036854775808\" is too large", f.display()));
}

/// Reverting a roster takes its township spellings with it.
#[test]
fn reverting_a_community_roster_restores_township_names() {
    let wd = fixture();
    let renamed = COMMUNITIES.replace(",大峪街道,", ",大峪街道办事处,");
    let f = wd.write_utf8("renamed.csv", &renamed);
    wd.import("communities", &f, "2020-2021-2");
    assert_eq!(township(&wd.report_json(TERM), "110109001")["name"], "大峪街道办事处");
    wd.ok(&["revert", "4"]);
    assert_eq!(township(&wd.report_json(TERM), "110109001")["name"], "大峪街道");
}

// ------------------------------------------------------------------ trend

#[test]
fn trend_points_equal_the_reports_of_their_terms() {
    let wd = fixture();
    // A second and third term of data: a new communities roster in 2020-2021-2 (one more
    // urban community with a parent school) and activities in both later terms.
    let c2 = COMMUNITIES.replace("否", "是");
    wd.import("communities", &wd.write_utf8("c2.csv", &c2), "2020-2021-2");
    let later = "host,date,kind\n1111090001,2021-03-10,讲座\n1111090001,2021-03-11,亲子活动\n1111090001,2021-09-20,家长会\n";
    wd.import("activities", &wd.write_utf8("later.csv", later), "");
    let trend = wd.ok(&["coverage", "trend", "--from", "2020-2021-1", "--to", "2021-2022-1", "--format", "json"]).json();
    assert_eq!(trend["schema"], "gongyu.trend.v1");
    assert_eq!(trend["plan"]["id"], "mentougou-2019-2021");
    assert_eq!(trend["terms"], serde_json::json!(["2020-2021-1", "2020-2021-2", "2021-2022-1"]));
    let series = trend["series"].as_array().unwrap();
    let mut compared = 0;
    for term in ["2020-2021-1", "2020-2021-2", "2021-2022-1"] {
        let report = wd.report_json(term);
        for s in series {
            let id = s["id"].as_str().unwrap();
            let row = match s["township"].as_str() {
                None => district(&report, id).clone(),
                Some(code) => target(&township(&report, code)["targets"], id).clone(),
            };
            let point = s["points"].as_array().unwrap().iter().find(|p| p["term"] == term).expect("a point per term");
            for field in ["numerator", "denominator", "pct", "status"] {
                assert_eq!(point[field], row[field], "{id} {} {term} {field}", s["township"]);
            }
            compared += 1;
        }
    }
    assert!(compared > 100, "{compared}");
    // The numbers move: the urban rate rises with the new roster.
    let urban = series.iter().find(|s| s["id"] == "community-parent-school-urban" && s["scope"] == "district").unwrap();
    let pcts: Vec<f64> = urban["points"].as_array().unwrap().iter().map(|p| p["pct"].as_f64().unwrap()).collect();
    assert!(pcts[0] < pcts[1], "{pcts:?}");
    // The table names the plan and every term; --target and --township narrow it.
    let table = wd.ok(&["coverage", "trend", "--from", "2020-2021-1", "--to", "2021-2022-1"]).stdout;
    assert!(table.contains("mentougou-2019-2021") && table.contains("2021-2022-1"), "{table}");
    let csv = wd
        .ok(&[
            "coverage",
            "trend",
            "--from",
            "2020-2021-1",
            "--to",
            "2020-2021-2",
            "--target",
            "parent-meetings",
            "--township",
            "斋堂镇",
            "--format",
            "csv",
        ])
        .stdout;
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.lines().skip(1).all(|l| l.contains(",township,110109106,斋堂镇,parent-meetings,")), "{csv}");
    wd.run(&["coverage", "trend", "--target", "nope"]).expect_code(1).stderr_has("no such target");
    wd.run(&["coverage", "trend", "--from", "2021-2022-1", "--to", "2020-2021-1"]).expect_code(1).stderr_has("backwards");
}

#[test]
fn completions_and_man_page() {
    let wd = Workdir::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = wd.ok(&["completions", shell]).stdout;
        assert!(out.contains("coverage") && out.contains("trend") && out.contains("--plan"), "{shell}");
    }
    wd.run(&["completions", "tcsh"]).expect_code(2);
    let man = wd.ok(&["man"]).stdout;
    assert!(man.starts_with(".ie") && man.contains(".TH gongyu 1") && man.contains("coverage"), "{man}");
    assert!(!wd.db().exists(), "neither needs a ledger");
}

#[test]
fn chinese_is_the_default_for_people_and_keys_never_change() {
    let wd = fixture();
    let zh = |args: &[&str]| {
        wd.run_with(args, |c| {
            c.env_remove("GONGYU_LANG");
        })
        .expect_code(0)
    };
    let table = zh(&["coverage", "report", "--term", TERM]).stdout;
    assert!(
        table.contains("家校社共育计划达标情况") && table.contains("未达标") && table.contains("学校家长学校建校率"),
        "{table}"
    );
    assert!(table.contains("全区5项") || table.contains("全区15项"), "{table}");
    let gaps = zh(&["coverage", "gaps", "--term", TERM, "--format", "csv"]).stdout;
    assert!(gaps.starts_with(GAPS_HEADER), "CSV keys do not change: {gaps}");
    assert!(gaps.contains("城子中学,未建立家长学校,区教委,gap,no-parent-school"), "{gaps}");
    let json = zh(&["coverage", "report", "--term", TERM, "--format", "json"]).json();
    assert_eq!(district(&json, "school-parent-school")["title"], "学校家长学校建校率");
    assert_eq!(district(&json, "school-parent-school")["status"], "gap", "ids and statuses stay English");
    // --lang en and GONGYU_LANG=en switch; the flag wins over the variable.
    let en = wd
        .run_with(&["--lang", "en", "coverage", "report", "--term", TERM], |c| {
            c.env("GONGYU_LANG", "zh");
        })
        .expect_code(0)
        .stdout;
    assert!(en.starts_with("Coverage of the co-education plan") && en.contains(" gap "), "{en}");
    let json = wd.ok(&["coverage", "report", "--term", TERM, "--format", "json"]).json();
    assert_eq!(district(&json, "school-parent-school")["title"], "schools with a parent school");
    let trend = zh(&["coverage", "trend", "--from", TERM, "--to", TERM]).stdout;
    assert!(trend.contains("进展") && trend.contains("全区"), "{trend}");
    wd.run_with(&["coverage", "report", "--term", TERM], |c| {
        c.env("GONGYU_LANG", "fr");
    })
    .expect_code(1)
    .stderr_has("GONGYU_LANG=fr");
}

// ------------------------------------------------------------------ closed terms

#[test]
fn a_closed_term_refuses_every_change_to_its_report_until_reopened() {
    let wd = fixture();
    let report_before = wd.ok(&["coverage", "report", "--term", TERM, "--format", "json"]).stdout;
    wd.ok(&["term", "close", TERM, "--note", "reported to the district board"]).stdout_has("closed term 2020-2021-1");
    wd.run(&["term", "close", TERM]).expect_code(1).stderr_has("already closed");
    let json = wd.report_json(TERM);
    assert_eq!(json["closed"]["by"], "gongyu-test", "{}", json["closed"]);
    wd.ok(&["coverage", "report", "--term", TERM]).stdout_has("This term is closed");
    let before = wd.ledger_dump();

    // Activities dated in the term, a roster it uses (of the term itself or an earlier one
    // it would fall back on), key students of its school year, a revert of its activities:
    // all refused, naming the term in its canonical spelling and how to reopen it.
    let late = wd.write_utf8("late.csv", "host,date,kind\n1111090001,2020-12-01,讲座\n");
    wd.run(&["import", "activities", late.to_str().unwrap()])
        .expect_code(1)
        .stderr_has("term 2020-2021-1 is closed")
        .stderr_has("gongyu term reopen 2020-2021-1 --reason");
    let c = wd.write_utf8("c-again.csv", &COMMUNITIES.replace("否", "是"));
    wd.run(&["import", "communities", c.to_str().unwrap(), "--term", "2020-2021学年第一学期"])
        .expect_code(1)
        .stderr_has("term 2020-2021-1 is closed");
    wd.run(&["import", "communities", c.to_str().unwrap(), "--term", "2019-2020-2"]).expect_code(0);
    let after_earlier = wd.ledger_dump();
    assert_ne!(before, after_earlier, "an earlier roster the closed term does not use is fine");
    let log = wd.ok(&["log", "--format", "json"]).json();
    let activities_batch =
        log["batches"].as_array().unwrap().iter().find(|b| b["kind"] == "activities").unwrap()["id"].as_i64().unwrap();
    wd.run(&["revert", &activities_batch.to_string()]).expect_code(1).stderr_has("term 2020-2021-1 is closed");
    // A dry run says so too, and nothing changed.
    wd.run(&["import", "activities", late.to_str().unwrap(), "--dry-run"]).expect_code(1).stderr_has("is closed");
    assert_eq!(wd.ledger_dump(), after_earlier);
    assert_eq!(
        wd.ok(&["coverage", "report", "--term", TERM, "--format", "json"]).json()["targets"],
        serde_json::from_str::<Value>(&report_before).unwrap()["targets"],
        "the closed term's figures did not move"
    );
    // Activities of a later term are fine.
    let next = wd.write_utf8("next.csv", "host,date,kind\n1111090001,2021-03-01,讲座\n");
    wd.ok(&["import", "activities", next.to_str().unwrap()]);

    // Reopening needs a reason, which the list keeps; then the change goes through.
    wd.run(&["term", "reopen", TERM]).expect_code(2);
    wd.run(&["term", "reopen", TERM, "--reason", " "]).expect_code(1).stderr_has("needs a reason");
    wd.ok(&["term", "reopen", TERM, "--reason", "王平镇补报"]);
    wd.ok(&["import", "activities", late.to_str().unwrap()]);
    let list = wd.ok(&["term", "list", "--format", "json"]).json();
    let events = list["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(
        (events[0]["action"].as_str(), events[0]["note"].as_str()),
        (Some("close"), Some("reported to the district board"))
    );
    assert_eq!((events[1]["action"].as_str(), events[1]["note"].as_str()), (Some("reopen"), Some("王平镇补报")));
    assert_eq!(wd.report_json(TERM)["closed"], Value::Null);
    wd.ok(&["term", "list"]).stdout_has("王平镇补报");
}

// ------------------------------------------------------------------ returns

#[test]
fn returns_missing_lists_exactly_who_has_not_reported() {
    let wd = fixture();
    let missing = |wd: &Workdir| wd.ok(&["returns", "--term", TERM, "--missing", "--format", "json"]).json();
    let m = missing(&wd);
    assert_eq!(m["schema"], "gongyu.returns.v1");
    let kinds: Vec<&str> = m["rosters"].as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["bodies", "key-students"], "the fixture has schools and communities rosters only");
    // Every one of the fixture's 8 parent schools held an activity in the term.
    let units_missing = |m: &Value| -> Vec<String> {
        m["activities"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["missing"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap().to_string()))
            .collect()
    };
    assert!(units_missing(&m).is_empty(), "{m}");
    let all = wd.ok(&["returns", "--term", TERM, "--format", "json"]).json();
    let units: u64 = all["activities"].as_array().unwrap().iter().map(|t| t["units"].as_u64().unwrap()).sum();
    assert_eq!(units, 8);
    // Nobody filed the registry: every township misses all three categories.
    assert_eq!(m["registry"].as_array().unwrap().len(), 3);
    assert!(m["registry"].as_array().unwrap().iter().all(|t| t["missing"].as_array().unwrap().len() == 3));

    // A new community with a parent school and no activities; one township files all three.
    let c = format!("{COMMUNITIES}110109106204,新村村委会,斋堂镇,110109106,农村,是,\n");
    wd.import("communities", &wd.write_utf8("c-new.csv", &c), TERM);
    let registry = "township,category,count,filed\n斋堂镇,留守儿童,12,2020-10-01\n110109106,残疾儿童,3,2020-10-01\n斋堂镇,困境儿童,0,2020-10-02\n大峪街道,留守儿童,4,2020-10-01\n";
    wd.import("registry", &wd.write_utf8("registry.csv", registry), "");
    let visit = "host,date,kind,student\n1111090001,2020-10-20,家访,K-UNKNOWN-1\n";
    wd.import("activities", &wd.write_utf8("visit.csv", visit), "");
    let m = missing(&wd);
    assert_eq!(units_missing(&m), ["110109106204"]);
    let registry: Vec<(String, Vec<String>)> = m["registry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["township"]["code"].as_str().unwrap().to_string(),
                t["missing"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(
        registry,
        [
            ("110109001".to_string(), vec!["残疾儿童".to_string(), "困境儿童".to_string()]),
            ("110109002".to_string(), vec!["留守儿童".to_string(), "残疾儿童".to_string(), "困境儿童".to_string()]),
        ],
        "斋堂镇 filed all three, by name and by code"
    );
    assert_eq!(m["unknown_home_visits"], serde_json::json!([{"school": "1111090001", "reference": "K-UNKNOWN-1", "visits": 1}]));
    // The table and CSV say the same, in Chinese by default.
    let table = wd.run_with(&["returns", "--term", TERM, "--missing"], |c| {
        c.env_remove("GONGYU_LANG");
    });
    let table = table.expect_code(0).stdout;
    assert!(table.contains("110109106204 新村村委会") && table.contains("缺报") && table.contains("K-UNKNOWN-1"), "{table}");
    let csv = wd.ok(&["returns", "--term", TERM, "--missing", "--format", "csv"]).stdout;
    assert!(csv.contains("activities,110109106,斋堂镇,110109106204,新村村委会,missing,communities"), "{csv}");
    assert!(csv.lines().skip(1).all(|l| !l.contains(",reported,") && !l.contains(",filed,")), "{csv}");
}

// ------------------------------------------------------------------ the tally (issue 10)

/// Reverting an activities batch takes exactly its activities out of the monthly tally: the
/// tally then equals a recount, and the report equals one of a ledger that never had it.
#[test]
fn reverting_activities_takes_their_counts_out_of_the_tally() {
    let wd = fixture();
    let kept = wd.write_utf8(
        "kept.csv",
        "id,host,date,kind\nK1,1111090003,2020-10-01,讲座\nK2,1111090003,2020-10-20,家访\nK3,1111090003,2020-11-02,亲子活动\n",
    );
    let gone = wd.write_utf8(
        "gone.csv",
        "id,host,date,kind\nG1,1111090003,2020-10-05,讲座\nG2,1111090003,2020-12-01,家长会\nG3,1111090003,2020-10-05,亲子活动\n",
    );
    let report = |wd: &Workdir| wd.ok(&["coverage", "report", "--term", TERM, "--format", "json"]).stdout;
    wd.import("activities", &kept, "").stdout_has("batch 4");
    let before = report(&wd);
    let tally = "SELECT group_concat(month || ':' || guidance || '/' || home_visit || '/' || parent_meeting || '/' || practice, ' ')
                 FROM (SELECT * FROM activity_tally WHERE guidance + home_visit + parent_meeting + practice > 0 ORDER BY month, host_id)";
    let terms = "SELECT group_concat(term || ':' || host_id || ':' || guidance || '/' || home_visit || '/' || parent_meeting || '/' || practice, ' ')
                 FROM (SELECT * FROM term_tally ORDER BY term, host_id)";
    let tally_before = wd.text(tally);
    let terms_before = wd.text(terms);
    wd.import("activities", &gone, "").stdout_has("batch 5");
    assert_ne!(wd.text(tally), tally_before, "the second file must change the tally");
    assert_ne!(wd.text(terms), terms_before, "the second file must change the term tally");
    wd.ok(&["revert", "5"]).stdout_has("removed 3 activities");
    assert_eq!(wd.text(tally), tally_before);
    assert_eq!(wd.text(terms), terms_before);
    assert_eq!(wd.count("SELECT count(*) FROM activity_tally WHERE guidance + home_visit + parent_meeting + practice = 0"), 0);
    assert_eq!(wd.count("SELECT count(*) FROM term_tally WHERE guidance + home_visit + parent_meeting + practice = 0"), 0);
    wd.ok(&["check"]);
    assert_eq!(report(&wd), before);
}

/// Each import keeps its monthly counts as its own generation (the id of its first batch);
/// a revert takes a batch's counts out of its own import's rows, also when the import had
/// several files or later imports counted the same unit and month.
#[test]
fn a_revert_takes_counts_out_of_its_own_imports_generation() {
    let wd = fixture();
    let file = |name: &str, rows: &[(&str, &str, &str)]| {
        let body: String = rows.iter().map(|(id, day, kind)| format!("{id},1111090003,{day},{kind}\n")).collect();
        wd.write_utf8(name, &format!("id,host,date,kind\n{body}"))
    };
    let a = file("a.csv", &[("GA1", "2020-10-01", "讲座"), ("GA2", "2020-10-02", "讲座")]);
    let b = file("b.csv", &[("GB1", "2020-10-03", "讲座"), ("GB2", "2020-11-03", "家访")]);
    let c = file("c.csv", &[("GC1", "2020-10-04", "家访")]);
    let d = file("d.csv", &[("GD1", "2020-10-05", "讲座"), ("GD2", "2020-10-06", "亲子活动"), ("GD3", "2020-10-07", "讲座")]);
    let report = |wd: &Workdir| wd.ok(&["coverage", "report", "--term", TERM, "--format", "json"]).stdout;
    let before = report(&wd);
    wd.import("activities", &a, "").stdout_has("batch 4");
    // One import of two files: batches 5 and 6, one generation (5).
    wd.ok(&[std::ffi::OsStr::new("import"), std::ffi::OsStr::new("activities"), b.as_os_str(), c.as_os_str()]);
    wd.import("activities", &d, "").stdout_has("batch 7");
    let gens = "SELECT group_concat(gen || '@' || month || ':' || guidance || '/' || home_visit || '/' || parent_meeting || '/' || practice, ' ')
                FROM (SELECT * FROM activity_tally WHERE gen >= 4 ORDER BY month, gen, host_id)";
    assert_eq!(wd.text(gens), "4@202010:2/0/0/0 5@202010:1/1/0/0 7@202010:2/0/0/1 5@202011:0/1/0/0");
    // The second file of the two-file import: out of generation 5, not 7 (the greatest) or 4.
    wd.ok(&["revert", "6"]).stdout_has("removed 1 activities");
    assert_eq!(wd.text(gens), "4@202010:2/0/0/0 5@202010:1/0/0/0 7@202010:2/0/0/1 5@202011:0/1/0/0");
    wd.ok(&["check"]);
    wd.ok(&["revert", "4"]);
    wd.ok(&["check"]);
    wd.ok(&["revert", "5"]);
    assert_eq!(wd.text(gens), "7@202010:2/0/0/1");
    wd.ok(&["check"]);
    // A later import into the same month is a generation of its own again.
    let e = file("e.csv", &[("GE1", "2020-10-08", "讲座")]);
    wd.import("activities", &e, "").stdout_has("batch 8");
    assert_eq!(wd.text(gens), "7@202010:2/0/0/1 8@202010:1/0/0/0");
    wd.ok(&["check"]);
    wd.ok(&["revert", "7"]);
    wd.ok(&["revert", "8"]);
    assert_eq!(wd.count("SELECT count(*) FROM activity_tally WHERE gen >= 4"), 0);
    assert_eq!(report(&wd), before);
}

/// A revert that does not find all of its batch's activities in the tallies where they
/// should be (damage `check` may not see: the sums over the generations are unchanged)
/// changes nothing and says so.
#[test]
fn a_revert_that_cannot_find_its_counts_in_the_tally_changes_nothing() {
    let wd = fixture();
    let p1 = wd.write_utf8("p1.csv", "id,host,date,kind\nP1,1111090003,2020-10-01,讲座\n");
    let p2 = wd.write_utf8("p2.csv", "id,host,date,kind\nP2,1111090003,2020-10-02,讲座\n");
    wd.import("activities", &p1, "").stdout_has("batch 4");
    wd.import("activities", &p2, "").stdout_has("batch 5");
    // Batch 4's count moved into batch 5's generation: the monthly sums stay right.
    let conn = rusqlite::Connection::open(wd.db()).unwrap();
    conn.execute_batch(
        "UPDATE activity_tally SET guidance = guidance + 1 WHERE gen = 5;
         DELETE FROM activity_tally WHERE gen = 4;
         PRAGMA wal_checkpoint(TRUNCATE);",
    )
    .unwrap();
    drop(conn);
    wd.ok(&["check"]);
    let before = wd.ledger_dump();
    wd.run(&["revert", "4"])
        .expect_code(1)
        .stderr_has("batch 4 has 1 activities, but the activity tally holds 0 of them by month");
    assert_eq!(wd.ledger_dump(), before, "a refused revert changes nothing");
    // The term tally is checked the same way.
    let conn = rusqlite::Connection::open(wd.db()).unwrap();
    conn.execute_batch("DELETE FROM term_tally; PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    drop(conn);
    wd.run(&["revert", "5"]).expect_code(1).stderr_has("and 0 by term");
    // An undamaged batch reverts.
    let fresh = fixture();
    let q = fresh.write_utf8("q.csv", "id,host,date,kind\nQ1,1111090003,2020-10-01,讲座\nQ2,1111090003,2020-12-01,家访\n");
    fresh.import("activities", &q, "").stdout_has("batch 4");
    fresh.ok(&["revert", "4"]).stdout_has("removed 2 activities");
    fresh.ok(&["check"]);
}

/// `check` recounts the activities against the tally, their terms against their dates, and
/// their references to units and batches: each kind of damage is found and named.
#[test]
fn check_finds_a_tally_term_or_reference_that_does_not_match_the_activities() {
    let wd = fixture();
    let a = wd.write_utf8(
        "a.csv",
        "id,host,date,kind\nT1,1111090003,2020-10-01,讲座\nT2,1111090003,2020-10-20,家访\nT3,1111090003,2020-12-02,亲子活动\n",
    );
    wd.import("activities", &a, "").stdout_has("batch 4");
    wd.ok(&["check"]);
    rusqlite::Connection::open(wd.db()).unwrap().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    let pristine = wd.path("pristine.db");
    std::fs::copy(wd.db(), &pristine).unwrap();
    let damage = |sql: &str, check: &str, words: &str| {
        let conn = rusqlite::Connection::open(wd.db()).unwrap();
        conn.execute_batch(sql).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
        drop(conn);
        let run = wd.run(&["check"]).expect_code(1);
        assert!(run.stdout.contains(check) && run.stdout.contains(words), "{sql}\n{}", run.stdout);
        std::fs::copy(&pristine, wd.db()).unwrap();
        wd.ok(&["check"]);
    };
    damage("UPDATE activity_tally SET guidance = guidance + 1 WHERE month = 202010", "activity-tally", "month 202010 host #");
    damage("DELETE FROM activity_tally WHERE month = 202012", "activity-tally", "0/0/0/1 activities");
    damage("UPDATE tally_month SET last_day = 20201201 WHERE month = 202012", "activity-tally", "up to 20201202");
    // The tally per term: a count off, a row missing, a row that should not be there.
    damage("UPDATE term_tally SET practice = practice + 2 WHERE term = 20201", "activity-tally", "term 20201 host #");
    damage("DELETE FROM term_tally WHERE term = 20201", "activity-tally", "1/1/0/1 activities");
    damage(
        "INSERT INTO term_tally (term, host_id, guidance) SELECT 20202, host_id, 1 FROM term_tally LIMIT 1",
        "activity-tally",
        "term 20202 host #",
    );
    damage("UPDATE activity SET term = 20202 WHERE ext_id = 'T1'", "activity-term-matches-date", "filed under term 20202");
    damage(
        "PRAGMA foreign_keys = OFF; UPDATE activity SET host_id = 999999 WHERE ext_id = 'T2'",
        "foreign_key_check",
        "refers to a missing unit row",
    );
    damage("UPDATE batch SET imported = 7 WHERE id = 4", "batch-counts", "batch 4 records 7 rows but the ledger holds 3");
}
