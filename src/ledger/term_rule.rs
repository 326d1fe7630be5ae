//! The term rule as the ledger needs it: integer keys and SQL, all derived from
//! [`Term::of_month`], the one place the rule is written.
//!
//! The ledger stores a term as its key (first year × 10 + half: 20201 = 2020-2021-1), a
//! month as YYYYMM and a day as YYYYMMDD ([`crate::plan::term`]). Migration 0006 wrote the
//! rule in its own SQL; it is history and stays as it is, and the tests below hold it, the
//! keys and the generated SQL to the rule over every day of twelve years.

use crate::plan::term::{month_key, term_key, term_of_key};
use crate::plan::Term;

/// The term (its key) a month (YYYYMM) is in.
pub(crate) fn term_of_month(month: i64) -> i64 {
    term_key(Term::of_month((month / 100) as i32, (month % 100) as u32))
}

/// The first and last month (YYYYMM) of a term (its key).
pub(crate) fn term_months(term: i64) -> (i64, i64) {
    let t = term_of_key(term);
    (month_key(t.first_day()), month_key(t.last_day()))
}

/// A calendar year the rule is read at to write it in SQL: the rule depends on the month
/// only, so any year gives the same SQL (a test reads it at two).
const SAMPLE_YEAR: i32 = 2000;

/// The rule in SQL: an expression giving the term key of the month (YYYYMM) that SQL
/// expression `month` yields (a column such as `month`, or `day / 100` for a day). It is
/// written by reading [`Term::of_month`] for each month of a year: the months that give
/// the same term key relative to the year form one `WHEN` branch.
pub(crate) fn term_of_month_sql(month: &str) -> String {
    term_of_month_sql_at(month, SAMPLE_YEAR)
}

fn term_of_month_sql_at(month: &str, year: i32) -> String {
    let m = if month.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.') {
        month.to_string()
    } else {
        format!("({month})")
    };
    // (last month of a run of months, the term key less year × 10 for each of them)
    let mut runs: Vec<(u32, i64)> = Vec::new();
    for mo in 1..=12 {
        let offset = term_key(Term::of_month(year, mo)) - i64::from(year) * 10;
        match runs.last_mut() {
            Some((last, o)) if *o == offset => *last = mo,
            _ => runs.push((mo, offset)),
        }
    }
    let key = |offset: i64| match offset {
        0 => format!("{m} / 100 * 10"),
        o if o < 0 => format!("{m} / 100 * 10 - {}", -o),
        o => format!("{m} / 100 * 10 + {o}"),
    };
    let mut sql = String::from("CASE");
    let (_, last_offset) = runs.pop().expect("twelve months give at least one run");
    for (last, offset) in runs {
        sql.push_str(&format!(" WHEN {m} % 100 <= {last} THEN {}", key(offset)));
    }
    sql.push_str(&format!(" ELSE {} END", key(last_offset)));
    sql
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::term::{day_from_key, day_key};
    use chrono::NaiveDate;
    use rusqlite::Connection;

    /// Every day from 2016-01-01 to 2027-12-31 (three leap days among them), as YYYYMMDD.
    fn every_day() -> Vec<i64> {
        let (mut d, last) = (NaiveDate::from_ymd_opt(2016, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2027, 12, 31).unwrap());
        let mut out = Vec::new();
        while d <= last {
            out.push(day_key(d));
            d = d.succ_opt().unwrap();
        }
        out
    }

    fn rule(day: i64) -> i64 {
        term_key(Term::containing(day_from_key(day).unwrap()))
    }

    fn days_table(conn: &Connection) {
        conn.execute_batch("CREATE TABLE d (day INTEGER PRIMARY KEY, month INTEGER NOT NULL)").unwrap();
        let mut insert = conn.prepare("INSERT INTO d (day, month) VALUES (?1, ?2)").unwrap();
        for day in every_day() {
            insert.execute([day, day / 100]).unwrap();
        }
    }

    #[test]
    fn the_rule_at_the_boundaries() {
        for (day, term) in [
            (20200131, 20191),
            (20200201, 20192),
            (20200229, 20192),
            (20200831, 20192),
            (20200901, 20201),
            (20161231, 20161),
            (20240229, 20232),
            (20270131, 20261),
            (20270901, 20271),
        ] {
            assert_eq!(rule(day), term, "{day}");
            assert_eq!(term_of_month(day / 100), term, "{day}");
        }
        assert_eq!(every_day().len(), 12 * 365 + 3);
        assert!(every_day().contains(&20160229) && every_day().contains(&20240229));
    }

    #[test]
    fn month_keys_and_term_months_follow_the_rule_every_day() {
        for day in every_day() {
            let term = rule(day);
            assert_eq!(term_of_month(day / 100), term, "{day}");
            let (first, last) = term_months(term);
            assert!(first <= day / 100 && day / 100 <= last, "{day}: {term} runs {first}–{last}");
            let t = crate::plan::term::term_from_key(term).unwrap();
            assert_eq!((first, last), (month_key(t.first_day()), month_key(t.last_day())), "{term}");
        }
    }

    #[test]
    fn generated_sql_follows_the_rule_every_day() {
        let conn = Connection::open_in_memory().unwrap();
        days_table(&conn);
        let sql = format!("SELECT day, {}, {} FROM d ORDER BY day", term_of_month_sql("month"), term_of_month_sql("day / 100"));
        let mut stmt = conn.prepare(&sql).unwrap();
        let rows: Vec<(i64, i64, i64)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().collect::<rusqlite::Result<_>>().unwrap();
        assert_eq!(rows.len(), every_day().len());
        for (day, by_month, by_day) in rows {
            assert_eq!(by_month, rule(day), "{day}, by its month");
            assert_eq!(by_day, rule(day), "{day}, by day / 100");
        }
        assert_eq!(
            term_of_month_sql("month"),
            "CASE WHEN month % 100 <= 1 THEN month / 100 * 10 - 9 WHEN month % 100 <= 8 THEN month / 100 * 10 - 8 \
             ELSE month / 100 * 10 + 1 END"
        );
        // The rule is read at a sample year; any other gives the same SQL.
        assert_eq!(term_of_month_sql_at("month", 2000), term_of_month_sql_at("month", 2023));
    }

    /// Migration 0006 wrote the rule in its own SQL when it filled `term_tally`: run on a
    /// monthly tally of one row per day (the day as its host), it puts each day in the
    /// rule's term.
    #[test]
    fn migration_0006_follows_the_rule_every_day() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             CREATE TABLE unit (id INTEGER PRIMARY KEY);
             CREATE TABLE activity_tally (month INTEGER NOT NULL, host_id INTEGER NOT NULL, guidance INTEGER NOT NULL,
                 home_visit INTEGER NOT NULL, parent_meeting INTEGER NOT NULL, practice INTEGER NOT NULL)",
        )
        .unwrap();
        let mut insert = conn.prepare("INSERT INTO activity_tally VALUES (?1, ?2, 1, 0, 0, 0)").unwrap();
        for day in every_day() {
            insert.execute([day / 100, day]).unwrap();
        }
        conn.execute_batch(include_str!("migrations/0006_term_tally.sql")).unwrap();
        let mut stmt = conn.prepare("SELECT term, host_id, guidance FROM term_tally").unwrap();
        let rows: Vec<(i64, i64, i64)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().collect::<rusqlite::Result<_>>().unwrap();
        assert_eq!(rows.len(), every_day().len());
        for (term, day, count) in rows {
            assert_eq!((term, count), (rule(day), 1), "{day}");
        }
    }
}
