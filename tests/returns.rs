//! The returns of the whole plan (SPEC §8, issue 8): bodies, key-students and registry
//! rosters, the new fact columns and the student on a home visit; children's data (§13);
//! upgrades of every earlier ledger. Real processes on real ledger files.

#[allow(dead_code)] // the helpers other test files use
mod workdir;

use std::path::{Path, PathBuf};

use serde_json::Value;
use workdir::{Run, Workdir};

const TERM: &str = "2020-2021-1";

const COMMUNITIES: &str = "\
code,name,township,township_code,parent_school
110109001001,德露苑社区居委会,大峪街道,110109001,是
110109106201,斋堂村委会,斋堂镇,110109106,否
";

const SCHOOLS: &str = "\
code,name,type,township,parent_school,principal_heads,校级家委会,教师代表
1111090001,大峪第一小学,小学,大峪街道,是,是,是,3
1111090002,大峪幼儿园,幼儿园,110109001,是,否,,0
1111090005,斋堂学校,九年一贯制学校,斋堂镇,否,,否,
";

/// A ledger with the communities and schools rosters of `TERM`.
fn fixture() -> Workdir {
    let wd = Workdir::with_ledger();
    let c = wd.write_utf8("communities.csv", COMMUNITIES);
    wd.import("communities", &c, TERM);
    let s = wd.write_utf8("schools.csv", SCHOOLS);
    wd.import("schools", &s, TERM);
    wd
}

fn at(file: &Path, line: u64, column: &str) -> String {
    format!("{}:{line}: column {column}:", file.display())
}

/// Runs an import that must be refused (exit 1, the ledger unchanged) and checks that
/// stderr names each of `expected`.
#[track_caller]
fn refused(wd: &Workdir, args: &[&str], file: &Path, expected: &[String]) -> Run {
    let before = wd.ledger_dump();
    let mut argv: Vec<String> = vec!["import".into(), args[0].into(), file.display().to_string()];
    argv.extend(args[1..].iter().map(|a| a.to_string()));
    let run = wd.run(&argv).expect_code(1);
    for e in expected {
        assert!(run.stderr.contains(e.as_str()), "stderr lacks {e:?}\n{}", run.stderr);
    }
    assert_eq!(before, wd.ledger_dump(), "a refused import changed the ledger");
    run
}

/// A valid 18-character ID-card number (GB 11643 check character).
fn id_number(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17.bytes().zip(W).map(|(d, w)| u32::from(d - b'0') * w).sum();
    format!("{first17}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

// ------------------------------------------------------------------ bodies

#[test]
fn a_bodies_roster_imports_with_its_facts_and_hosts_activities() {
    let wd = fixture();
    let b = wd.write_utf8(
        "bodies.csv",
        "机构代码,机构名称,机构类型,级别,所属乡镇街道,成立日期,制度规范,师资专业\n\
         B001,门头沟区家长学校,家长学校,区级,,2019-03-01,是,是\n\
         B002,区妇联家长学校,parent-school,机关,大峪街道,,否,\n\
         B003,区家校社共育委员会,家校社共育委员会,district,,,,\n",
    );
    wd.import("bodies", &b, TERM).stdout_has("imported 3 bodies for 2020-2021-1");
    let a = wd.write_utf8("a.csv", "id,host,date,kind\nA1,B001,2020-10-01,讲座\nA2,B002,2020-10-02,研学\n");
    wd.import("activities", &a, "").stdout_has("imported 2 activities");
    wd.ok(&["check"]);
}

#[test]
fn bad_bodies_are_refused_naming_line_and_column() {
    let wd = fixture();
    let b = wd.write_utf8(
        "bodies.csv",
        "code,name,kind,level,standards_rules\n\
         B001,家长学校,学校,区级,是\n\
         B002,家长学校二,家长学校,省级,是\n\
         1111090001,撞了学校代码,家长学校,区级,\n\
         B004,家长学校四,家长学校,区级,也许\n\
         B005,家长学校五,家长学校,区级,\n\
         B005,重复,家长学校,区级,\n",
    );
    refused(
        &wd,
        &["bodies", "--term", TERM],
        &b,
        &[
            format!("{} unknown kind \"学校\"", at(&b, 2, "kind")),
            format!("{} unknown level \"省级\"", at(&b, 3, "level")),
            format!("{} code 1111090001 is already a school's code", at(&b, 4, "code")),
            format!("{} \"也许\" is not yes or no", at(&b, 5, "standards_rules")),
            format!("{} code B005 appears twice in this file; it was first on line 6", at(&b, 7, "code")),
        ],
    );
    // A community's code too.
    let b = wd.write_utf8("b2.csv", "code,name,kind,level\n110109001001,撞了社区代码,家长学校,区级\n");
    refused(
        &wd,
        &["bodies", "--term", TERM],
        &b,
        &[format!("{} code 110109001001 is already a community's code", at(&b, 2, "code"))],
    );
}

// ------------------------------------------------------------------ new facts on the rosters

#[test]
fn fact_columns_take_every_spelling_and_coedu_counts() {
    let wd = fixture();
    let header = "code,name,type,township,parent_school,城乡类型,校长兼任家长学校校长,年级家委会,班级家委会,家委会章程,共育委员会,家长代表,社区工作人员,法律专业人员,教育专家,评估有效";
    let s =
        wd.write_utf8("s2.csv", &format!("{header}\n1111090001,大峪第一小学,小学,大峪街道,是,城区,是,是,是,否,有,2,0,1,✓,Y\n"));
    wd.import("schools", &s, "2020-2021-2").stdout_has("imported 1 school");
    let bad =
        wd.write_utf8("s3.csv", &format!("{header}\n1111090001,大峪第一小学,小学,大峪街道,是,郊区,是,是,是,否,有,-1,0,1,✓,Y\n"));
    refused(
        &wd,
        &["schools", "--term", "2020-2021-2"],
        &bad,
        &[
            format!("{} \"郊区\" is not an urban/rural type", at(&bad, 2, "城乡类型 (area)")),
            format!("{} \"-1\" is not yes or no", at(&bad, 2, "家长代表 (coedu_parents)")),
        ],
    );
}

// ------------------------------------------------------------------ key students

#[test]
fn key_students_need_a_school_year_and_a_known_school() {
    let wd = fixture();
    let k = wd.write_utf8("k.csv", "学校代码,学生编号,关注类别\n1111090001,K0001,留守\n");
    let run = wd.run(&["import", "key-students", k.to_str().unwrap()]).expect_code(1);
    assert!(run.stderr.contains("needs its school year") && run.stderr.contains("never guessed"), "{}", run.stderr);
    let run = wd.run(&["import", "key-students", k.to_str().unwrap(), "--term", TERM]).expect_code(1);
    assert!(run.stderr.contains("--school-year"), "{}", run.stderr);
    wd.ok(&["import", "key-students", k.to_str().unwrap(), "--school-year", "2020-2021"])
        .stdout_has("imported 1 key student for 2020-2021");

    let bad = wd.write_utf8(
        "bad.csv",
        "school,ref,category,学年\n\
         9999999999,K0001,,2020-2021\n\
         1111090001,张小明,,2020-2021\n\
         1111090001,K0002,逃学,2020-2021\n\
         1111090001,K0003,,2021-2022\n\
         1111090001,K0004,,2020-2021\n\
         1111090001,K0004,,2020-2021\n",
    );
    let run = refused(
        &wd,
        &["key-students", "--school-year", "2020-2021"],
        &bad,
        &[
            format!("{} no school with code 9999999999", at(&bad, 2, "school")),
            format!("{} a student ref is the school's pseudonymous code", at(&bad, 3, "ref")),
            format!("{} unknown category \"逃学\"", at(&bad, 4, "category")),
            format!("{} the row says school year 2021-2022 but --school-year says 2020-2021", at(&bad, 5, "学年 (school_year)")),
            format!("{} this school's ref K0004 appears twice", at(&bad, 7, "ref")),
        ],
    );
    assert!(!run.stderr.contains("张小明"), "a child's name is never echoed: {}", run.stderr);
}

#[test]
fn a_later_key_students_roster_replaces_the_earlier_one_of_its_school_year_only() {
    let wd = fixture();
    let first = wd.write_utf8("k1.csv", "school,ref,school_year\n1111090001,K0001,2020-2021\n1111090001,K0002,2020-2021\n");
    wd.import("key-students", &first, "");
    let other_year = wd.write_utf8("k0.csv", "school,ref,school_year\n1111090002,K0009,2021-2022\n");
    let run = wd.import("key-students", &other_year, "");
    assert!(!run.stdout.contains("replaces"), "{}", run.stdout);
    let second = wd.write_utf8("k2.csv", "school,ref\n1111090001,K0001\n1111090002,K0005\n");
    let run = wd.ok(&["import", "key-students", second.to_str().unwrap(), "--school-year", "2020-2021"]);
    assert!(run.stdout.contains("replaces the roster of batch 3"), "{}", run.stdout);
    let log = wd.ok(&["log", "--format", "json"]).json();
    let batches = log["batches"].as_array().unwrap();
    let newest = &batches[0];
    assert_eq!((newest["kind"].as_str(), newest["replaces"].as_i64()), (Some("key-students"), Some(3)));
    // Reverting it makes the first roster the one in use again.
    let revert = wd.ok(&["revert", &newest["id"].to_string()]);
    assert!(revert.stdout.contains('3'), "{}", revert.stdout);
    wd.ok(&["check"]);
}

// ------------------------------------------------------------------ activities naming a student

#[test]
fn a_home_visit_may_name_a_key_student_and_an_unknown_one_is_a_warning() {
    let wd = fixture();
    let k = wd.write_utf8("k.csv", "school,ref\n1111090001,K0001\n");
    wd.ok(&["import", "key-students", k.to_str().unwrap(), "--school-year", "2020-2021"]);
    let a = wd.write_utf8(
        "a.csv",
        "id,host,date,kind,学生编号\nV1,1111090001,2020-10-08,家访,K0001\nV2,1111090001,2020-10-09,家访,K0404\nV3,1111090001,2021-10-09,家访,K0001\n",
    );
    let run = wd.import("activities", &a, "");
    assert!(run.stdout.contains("imported 3 activities"), "{}", run.stdout);
    assert!(run.stderr.contains("2 home visit(s) name a student") && run.stderr.contains("line(s) 3, 4"), "{}", run.stderr);

    let bad = wd.write_utf8(
        "bad.csv",
        "id,host,date,kind,student\nX1,1111090001,2020-10-08,讲座,K0001\nX2,1111090001,2020-10-08,家访,王小红\nX3,B999,2020-10-08,家访,K0001\n",
    );
    let run = refused(
        &wd,
        &["activities"],
        &bad,
        &[
            format!("{} a student ref belongs on a home visit (家访) only", at(&bad, 2, "student")),
            format!("{} a student ref is the school's pseudonymous code", at(&bad, 3, "student")),
            format!("{} no school, community or body with code B999", at(&bad, 4, "host")),
        ],
    );
    assert!(!run.stderr.contains("王小红"), "{}", run.stderr);
}

// ------------------------------------------------------------------ registry

#[test]
fn registry_filings_need_a_known_township_and_later_ones_are_kept_as_history() {
    let wd = fixture();
    let r = wd.write_utf8(
        "r.csv",
        "所属乡镇街道,类别,人数,备案日期\n大峪街道,留守儿童,12,2020-10-15\n110109106,残疾儿童,3,2020/10/16\n斋堂镇,困境,0,2020年10月17日\n",
    );
    wd.import("registry", &r, "").stdout_has("imported 3 filings from 3 rows");
    let later = wd.write_utf8("r2.csv", "township,category,count,filed\n110109001,留守儿童,13,2020-11-01\n");
    wd.import("registry", &later, "").stdout_has("imported 1 filing");
    let log = wd.ok(&["log", "--format", "json"]).json();
    assert_eq!(log["batches"].as_array().unwrap().iter().filter(|b| b["kind"] == "registry").count(), 2);

    let bad = wd.write_utf8(
        "bad.csv",
        "township,category,count,filed\n月球镇,留守儿童,1,2020-10-15\n大峪街道,孤儿,1,2020-10-15\n大峪街道,留守儿童,-3,2020-10-15\n大峪街道,留守儿童,3,2020-13-01\n",
    );
    refused(
        &wd,
        &["registry"],
        &bad,
        &[
            format!("{} \"月球镇\" is not a township of any imported communities roster", at(&bad, 2, "township")),
            format!("{} unknown category \"孤儿\"", at(&bad, 3, "category")),
            format!("{} \"-3\" is not a whole number", at(&bad, 4, "count")),
            format!("{} \"2020-13-01\" is not a real date", at(&bad, 5, "filed")),
        ],
    );
    wd.ok(&["check"]);
}

// ------------------------------------------------------------------ children's data (§13)

#[test]
fn an_id_card_number_in_any_column_is_refused_and_never_echoed() {
    let wd = fixture();
    let id = id_number("11010919900307451");
    let masked = format!("110109********{}", &id[14..]);
    // In an unknown column that would otherwise be ignored, and in a known one.
    let a = wd.write_utf8(
        "a.csv",
        &format!(
            "id,host,date,kind,title,备注\nA1,1111090001,2020-10-01,讲座,讲座,{id}\nA2,1111090001,2020-10-02,家访,家访 {id},\n"
        ),
    );
    let rejects = wd.path("rejects.csv");
    let run = refused(
        &wd,
        &["activities", "--rejects", rejects.to_str().unwrap()],
        &a,
        &[
            format!("{} this cell holds a mainland ID-card number ({masked})", at(&a, 2, "备注")),
            format!("{} this cell holds a mainland ID-card number ({masked})", at(&a, 3, "title")),
        ],
    );
    let secret = &id[6..14];
    assert!(!run.stderr.contains(&id) && !run.stderr.contains(secret), "{}", run.stderr);
    assert!(!run.stdout.contains(secret));
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert!(!text.contains(&id) && !text.contains(secret), "the rejects file holds the number: {text}");
    assert!(text.contains(&masked), "{text}");
    // A 15-digit number with a real date, in a roster's unknown column.
    let k = wd.write_utf8("k.csv", "school,ref,身份证\n1111090001,K0001,110109900307451\n");
    let run = refused(&wd, &["key-students", "--school-year", "2020-2021"], &k, &[format!("{} ", at(&k, 2, "身份证"))]);
    assert!(run.stderr.contains("110109*****7451") && !run.stderr.contains("110109900307451"), "{}", run.stderr);
}

#[test]
fn the_real_mentougou_codes_are_never_taken_for_id_numbers() {
    let wd = Workdir::with_ledger();
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/mentougou-communities.csv");
    let text = std::fs::read_to_string(real)
        .unwrap()
        .replace("code,name,township_code,township", "code,name,township_code,township,parent_school");
    let rows: String =
        text.lines().enumerate().map(|(i, l)| if i == 0 { format!("{l}\n") } else { format!("{l},是\n") }).collect();
    let f = wd.write_utf8("real.csv", &rows);
    wd.import("communities", &f, TERM).stdout_has("imported 304 communities");
}

// ------------------------------------------------------------------ CSV and xlsx alike

/// Writes the rows of a CSV text into the first sheet of a workbook, as text cells.
fn xlsx_from_csv(path: &Path, csv_text: &str) -> PathBuf {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv_text.as_bytes());
    for (r, rec) in reader.records().enumerate() {
        for (c, cell) in rec.unwrap().iter().enumerate() {
            ws.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    book.save(path).unwrap();
    path.to_path_buf()
}

#[test]
fn the_same_returns_as_csv_and_as_xlsx_make_the_same_ledger() {
    let returns: [(&str, &str, &[&str]); 4] = [
        ("bodies", "code,name,kind,level,制度规范\nB001,区家长学校,家长学校,区级,是\nB002,共育委员会,家校社共育委员会,区级,\n", &["--term", TERM]),
        ("key-students", "school,ref,category\n1111090001,K0001,留守\n1111090002,K0002,\n", &["--school-year", "2020-2021"]),
        (
            "activities",
            "id,host,date,kind,student\nA1,B001,2020-10-01,讲座,\nA2,1111090001,2020-10-02,家访,K0001\nA3,1111090002,2020-11-30,家访,K0002\n",
            &[],
        ),
        ("registry", "township,category,count,filed\n大峪街道,留守儿童,12,2020-10-15\n110109106,困境儿童,2,2020-10-16\n", &[]),
    ];
    let dumps: Vec<String> = [false, true]
        .iter()
        .map(|&xlsx| {
            let wd = fixture();
            for (kind, text, flags) in returns {
                let file = if xlsx {
                    xlsx_from_csv(&wd.path(&format!("{kind}.xlsx")), text)
                } else {
                    wd.write_utf8(&format!("{kind}.csv"), text)
                };
                let mut args: Vec<String> = vec!["import".into(), kind.into(), file.display().to_string()];
                args.extend(flags.iter().map(|f| f.to_string()));
                wd.ok(&args);
            }
            // Everything but the batches' file names, hashes and encodings.
            wd.dump_tables(&[
                "unit",
                "township",
                "school",
                "community",
                "body",
                "key_student",
                "registry",
                "activity",
                "activity_tally",
            ])
        })
        .collect();
    assert_eq!(dumps[0], dumps[1]);
    assert!(dumps[0].contains("K0002") && dumps[0].contains("区家长学校"));
}

// ------------------------------------------------------------------ templates

#[test]
fn templates_of_the_new_returns_have_their_headers() {
    let wd = Workdir::new();
    for (kind, headers) in [
        ("bodies", vec!["机构代码", "机构名称", "机构类型", "级别", "制度规范"]),
        ("key-students", vec!["学校代码", "学生编号", "关注类别", "学年"]),
        ("registry", vec!["所属乡镇街道", "类别", "人数", "备案日期"]),
        ("activities", vec!["学生编号"]),
        ("schools", vec!["城乡类型", "校级家委会", "教师代表", "评估有效"]),
    ] {
        let run = wd.ok(&["template", kind]);
        for h in headers {
            assert!(run.stdout.contains(h), "{kind} template lacks {h}: {}", run.stdout);
        }
        let x = wd.path(&format!("{kind}.xlsx"));
        wd.ok(&["template", kind, "--format", "xlsx", "-o", x.to_str().unwrap()]);
    }
}

// ------------------------------------------------------------------ upgrades

/// (target id, scope, township, numerator, denominator) of every row of a report: what
/// must survive an upgrade, whatever the report's format grows.
fn figures(report: &Value) -> Vec<(String, String, String, Value, Value)> {
    let row = |t: &Value| {
        (
            t["id"].as_str().unwrap_or("").to_string(),
            t["scope"].as_str().unwrap_or("").to_string(),
            t["township"].as_str().unwrap_or("").to_string(),
            t["numerator"].clone(),
            t["denominator"].clone(),
        )
    };
    let mut rows: Vec<_> = report["targets"].as_array().unwrap().iter().map(row).collect();
    for t in report["townships"].as_array().unwrap() {
        rows.extend(t["targets"].as_array().unwrap().iter().map(row));
    }
    rows
}

#[test]
fn ledgers_of_every_earlier_version_upgrade_and_report_as_before() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ledgers");
    let mut versions = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("db") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let wd = Workdir::new();
        std::fs::copy(&path, wd.db()).unwrap();
        let run = wd.ok(&["check"]);
        assert!(run.stderr.contains("upgrading"), "{stem}: {}", run.stderr);
        let init = wd.ok(&["init"]);
        assert!(init.stdout.contains(&format!("schema version {}", gongyu::ledger::schema::LATEST)), "{stem}: {}", init.stdout);
        // The report the version that wrote the ledger gave, kept beside it.
        let before: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{stem}.report.json"))).unwrap()).unwrap();
        let after = wd.report_json(TERM);
        // The old version knew five targets; the other ten are new, not changed.
        let old = figures(&before);
        let known: std::collections::HashSet<_> = old.iter().map(|r| r.0.clone()).collect();
        let new: Vec<_> = figures(&after).into_iter().filter(|r| known.contains(&r.0)).collect();
        assert_eq!(old, new, "{stem}: the report changed across the upgrade");
        if stem == "v8" {
            // Made by the build before activity kinds became data (schema 9): the whole
            // report, every target and township, is the same after the tallies are re-keyed.
            assert_eq!(before, after, "v8: the report changed across the upgrade to 9");
        }
        // The upgraded ledger takes the new returns.
        let b = wd.write_utf8("b.csv", "code,name,kind,level\nB001,区家长学校,家长学校,区级\n");
        wd.import("bodies", &b, TERM);
        let a =
            wd.write_utf8("a.csv", "id,host,date,kind,student\nU1,B001,2020-10-01,讲座,\nU2,1111090001,2020-10-02,家访,K0001\n");
        wd.import("activities", &a, "");
        wd.ok(&["check"]);
        if stem == "v6" || stem == "v7" || stem == "v8" {
            // Two activities imports (batches 5 and 7): v6's monthly counts the upgrade
            // keeps as one generation, v7's and v8's are two (v8's counts become blobs per
            // kind); each revert takes out exactly its own.
            wd.ok(&["revert", "7"]).stdout_has("removed 6 activities");
            wd.ok(&["check"]);
            wd.ok(&["revert", "5"]);
            wd.ok(&["check"]);
            // `check` (above) holds the tallies to the activities, and the batches to them.
            assert_eq!(wd.activities_held(), 2, "only the activities imported after the upgrade are left");
        }
        versions.push(stem);
    }
    versions.sort();
    assert_eq!(versions, ["v1", "v2", "v5", "v6", "v7", "v8"], "fixture ledgers of earlier schema versions");
}

// ------------------------------------------------------------------ the rosters in use

/// `returns` lists every roster kind, the key-students roster of the term's school year
/// among them, and the timeliness expects each roster a target of the plan reads.
#[test]
fn returns_lists_each_roster_kind_and_the_key_students_roster_of_the_school_year() {
    let wd = fixture();
    let k = wd.write_utf8("k.csv", "school,ref\n1111090001,K0001\n");
    wd.ok(&["import", "key-students", k.to_str().unwrap(), "--school-year", "2020-2021"]);
    let doc: Value = serde_json::from_str(&wd.ok(&["returns", "--term", TERM, "--format", "json"]).stdout).unwrap();
    let listed = |v: &Value| -> Vec<(String, String)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| (r["kind"].as_str().unwrap().to_string(), r["status"].as_str().unwrap().to_string()))
            .collect()
    };
    let rosters = listed(&doc["rosters"]);
    let kinds: Vec<&str> = rosters.iter().map(|(k, _)| k.as_str()).collect();
    let roster_kinds: Vec<&str> = gongyu::returns::kinds::ALL.iter().filter(|k| k.is_roster()).map(|k| k.name).collect();
    assert_eq!(kinds[..4], ["schools", "communities", "bodies", "key-students"], "{rosters:?}");
    assert_eq!(kinds, roster_kinds, "{rosters:?}");
    assert_ne!(rosters[3].1, "missing", "{rosters:?}");
    assert_eq!(rosters[2].1, "missing", "{rosters:?}");
    let expected = listed(&doc["timeliness"]["rosters"]);
    assert!(expected.iter().any(|(k, s)| k == "key-students" && s != "missing"), "{expected:?}");
}
