//! Integration tests of the `gongyu` binary (SPEC §2–6) on reading returns: the real
//! 304-community roster, the encodings and padding Excel and WPS write, every header, yes/no
//! and date spelling, unknown columns, total and footer rows. Real processes on real ledger
//! files in temporary folders.

#[allow(dead_code)] // each cli_* file uses some of the fixtures and helpers
mod cli_support;
#[allow(dead_code)] // the helpers other test files use
mod workdir;

use std::path::Path;

use cli_support::{district, fixture, ratio, target, township, TERM};
use workdir::Workdir;

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
