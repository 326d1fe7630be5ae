//! The rosters declared as data (`returns::kinds::generic`) in use for a term: one SELECT
//! for every such kind, from the table they share.

use anyhow::Result;

use super::super::Ledger;
use crate::facts::{DataRoster, DataUnit};
use crate::plan::Term;
use crate::returns::kinds::generic::{self, values_from_json, TABLE};
use crate::returns::kinds::Period;

impl Ledger {
    /// Per kind declared as data with a roster in use for `term` (as `roster_for` and
    /// `school_year_roster_for` choose it), its units by code.
    pub(super) fn data_rosters(&self, term: Term) -> Result<Vec<DataRoster>> {
        let mut out = Vec::new();
        for kind in generic::specs() {
            let batch = match kind.period {
                Period::SchoolYear => self.school_year_roster_for(kind.name, term)?,
                _ => self.roster_for(kind.name, term)?.map(|(id, _)| id),
            };
            let Some(batch) = batch else { continue };
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT u.code, x.name, x.vals FROM {TABLE} x JOIN unit u ON u.id = x.unit_id WHERE x.batch_id = ?1 ORDER BY u.code"
            ))?;
            let mut rows = stmt.query([batch])?;
            let mut units = Vec::new();
            while let Some(r) = rows.next()? {
                let (code, vals): (String, String) = (r.get(0)?, r.get(2)?);
                let Some(values) = values_from_json(&vals) else {
                    anyhow::bail!(crate::t!("ledger-read-roster-values", batch = batch, unit = code.as_str()));
                };
                units.push(DataUnit { code, name: r.get(1)?, values });
            }
            out.push(DataRoster { kind, units });
        }
        Ok(out)
    }
}

/// A roster declared as data (`generic::test_kind`, known to the unit tests only) through
/// the real import, the ledger, a plan file and the one count.
#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use crate::ledger::Ledger;
    use crate::plan::file::parse;
    use crate::plan::Status;
    use crate::returns::kinds::generic::{test_kind, Value};
    use crate::returns::ReturnKind;

    const PLAN: &str = r#"id = "stations"
name = "指导站"
first_term = "2020-2021-1"
last_term = "2021-2022-2"

[[target]]
id = "on-roster"
title = { zh = "指导站" }
units = "test-stations"
at_least = 2
responsible = ["区妇联"]

[[target]]
id = "sites"
title = { zh = "有固定场所" }
units = "test-stations"
required = 100
require = { has_site = true }
responsible = ["区妇联"]

[[target]]
id = "counsellors"
title = { zh = "指导员" }
units = "test-stations"
required = 50
require = { counsellors = 2 }
by_township = false
responsible = ["区妇联"]
"#;

    fn ledger_with_stations(dir: &std::path::Path) -> Ledger {
        let mut ledger = Ledger::create(&dir.join("l.db")).unwrap().unwrap();
        let csv = "指导站代码,指导站名称,所属乡镇,有无固定场所,指导员人数,学期\n\
                   F2,乙站,城子街道,否,1,2020-2021-1\n\
                   F1,甲站,大峪街道,是,2,2020-2021-1\n\
                   F3,丙站,大峪街道,,,2020-2021-1\n";
        crate::ops::import::import_text(&mut ledger, &dir.join("f.csv"), ReturnKind::of(&test_kind::SPEC), csv);
        ledger
    }

    #[test]
    fn a_roster_declared_as_data_is_kept_read_and_counted_by_a_plan() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = ledger_with_stations(dir.path());
        let term = "2020-2021-1".parse().unwrap();
        let facts = ledger.facts(term, &[]).unwrap();
        let [roster] = &facts.data_rosters[..] else { panic!("{:?}", facts.data_rosters) };
        assert_eq!(roster.kind.name, "test-stations");
        let units: Vec<(&str, &[Value])> = roster.units.iter().map(|u| (u.code.as_str(), &u.values[..])).collect();
        let text = |t: &str| Value::Text(t.into());
        assert_eq!(
            units,
            [
                ("F1", &[text("大峪街道"), Value::YesNo(true), Value::Count(2)][..]),
                ("F2", &[text("城子街道"), Value::YesNo(false), Value::Count(1)][..]),
                ("F3", &[text("大峪街道"), Value::Blank, Value::Blank][..]),
            ]
        );
        assert_eq!(facts.data_rosters[0].units[1].name, "乙站");
        // A term before the roster's has none in use.
        assert!(ledger.facts("2019-2020-2".parse().unwrap(), &[]).unwrap().data_rosters.is_empty());

        let plan = parse(PLAN, "p.toml").unwrap();
        let today = NaiveDate::from_ymd_opt(2021, 3, 1).unwrap();
        let c = crate::ops::coverage(&ledger, &plan, term, today).unwrap();
        let rows: Vec<(u64, Option<u64>, Status)> =
            c.report.district.iter().map(|r| (r.numerator, r.denominator, r.status)).collect();
        assert_eq!(rows, [(3, None, Status::Met), (1, Some(3), Status::Gap), (1, Some(3), Status::Gap)]);
        let gaps: Vec<(usize, &str, &str, String)> = c
            .gaps
            .iter()
            .map(|g| (g.target, g.unit_code.as_str(), g.reason_code.as_str(), g.reason.get(crate::lang::Lang::En).to_string()))
            .collect();
        assert_eq!(
            gaps,
            [
                (1, "F2", "fact-no", "reported no: 有无固定场所 (has_site)".to_string()),
                (1, "F3", "not-reported", "not reported: 有无固定场所 (has_site)".to_string()),
                (2, "F2", "value-too-low", "counsellors 1; at least 2 required".to_string()),
                (2, "F3", "not-reported", "not reported: 指导员人数 (counsellors)".to_string()),
            ]
        );
        // The same report counted whole, without the gaps.
        let whole = crate::ops::report(&ledger, &plan, term, today).unwrap();
        assert_eq!(whole.report.district, c.report.district);
    }

    #[test]
    fn a_plan_names_only_the_values_a_roster_offers_at_its_line() {
        let bad = PLAN.replace("require = { has_site = true }", "require = { township = \"大峪街道\" }");
        let e = crate::plan::file::parse_in(&bad, "p.toml", crate::lang::Lang::En).unwrap_err().to_string();
        assert!(e.starts_with("p.toml:18:"), "{e}");
        assert!(e.contains("test-stations rosters offer no value `township` to count; they offer has_site, counsellors"), "{e}");
        let bad = PLAN.replace("require = { counsellors = 2 }", "require = { counsellors = true }");
        let e = crate::plan::file::parse_in(&bad, "p.toml", crate::lang::Lang::En).unwrap_err().to_string();
        assert!(e.contains("expected counsellors = a whole number"), "{e}");
        let bad = PLAN.replace("require = { counsellors = 2 }", "require = { activities = { guidance = 1 } }");
        let e = crate::plan::file::parse_in(&bad, "p.toml", crate::lang::Lang::En).unwrap_err().to_string();
        assert!(e.contains("test-stations host no activities"), "{e}");
        let bad = PLAN.replace("units = \"test-stations\"\nat_least", "units = \"test-station\"\nat_least");
        let e = crate::plan::file::parse_in(&bad, "p.toml", crate::lang::Lang::En).unwrap_err().to_string();
        // Every set, then every roster declared as data (whichever kinds there are).
        let names = crate::plan::model::UnitSet::names();
        assert!(names.starts_with("schools, ") && names.ends_with(", test-stations"), "{names}");
        assert!(e.contains(&format!("units is one of {names}")), "{e}");
        // A plan written back reads the same.
        let plan = parse(PLAN, "p.toml").unwrap();
        let again = parse(&crate::plan::file::to_toml(&plan), "p.toml").unwrap();
        assert_eq!(again.targets, plan.targets);
    }
}
