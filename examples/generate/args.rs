//! The generator's command line.

use std::path::PathBuf;

use crate::shape::{Headers, Hosts, Ids, Style};

pub struct Args {
    pub out: PathBuf,
    pub townships: u64,
    pub communities: u64,
    pub schools: u64,
    pub activities: u64,
    pub seed: u64,
    pub term: String,
    pub activities_only: bool,
    pub activities_file: String,
    pub id_start: u64,
    pub order: Order,
    pub per_host: u64,
    pub span: Span,
    pub spelling: Spelling,
    pub no_ids: bool,
    pub headers: Headers,
    pub ids: Ids,
    pub hosts: Hosts,
    /// Every optional cell filled.
    pub full: bool,
    pub style: Style,
}

/// The order of the activity rows.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Each row's host drawn anew.
    Random,
    /// A host's activities together, unit after unit.
    Grouped,
}

/// The dates the activities fall on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// 2020-09-01..=2021-01-31, term 2020-2021-1.
    Term,
    /// 2020-09-01..=2021-08-31, terms 2020-2021-1 and 2020-2021-2.
    SchoolYear,
}

/// How kinds, modes and dates are spelt.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// English and Chinese kinds and modes, three date forms.
    Mixed,
    /// English kinds and modes, ISO dates.
    En,
    /// Chinese kinds and modes, dates 2020年9月1日 or 2020/9/1.
    Zh,
    /// Six Chinese kind spellings, Chinese modes, ISO dates September to December and
    /// 2021年1月1日 January to August.
    Real,
}

const USAGE: &str = "usage: generate --out DIR [--townships N] [--communities-per-township C] \
[--schools-per-township S] [--activities A] [--seed SEED] [--term 2020-2021-1] \
[--activities-only] [--activities-file NAME] [--id-start N] [--order random|grouped] \
[--per-host N] [--span term|school-year] [--spelling mixed|en|zh|real] [--no-ids] [--headers en|zh] \
[--ids seq|long] [--hosts weighted|uniform] [--full] [--crlf] [--quote-all]";

pub fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        out: PathBuf::new(),
        townships: 600,
        communities: 60,
        schools: 40,
        activities: 1_000_000,
        seed: 1,
        term: "2020-2021-1".to_string(),
        activities_only: false,
        activities_file: "activities.csv".to_string(),
        id_start: 1,
        order: Order::Random,
        per_host: 20,
        span: Span::Term,
        spelling: Spelling::Mixed,
        no_ids: false,
        headers: Headers::En,
        ids: Ids::Seq,
        hosts: Hosts::Weighted,
        full: false,
        style: Style::default(),
    };
    let mut out = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--activities-only" {
            a.activities_only = true;
            continue;
        }
        let switch = match flag.as_str() {
            "--no-ids" => Some(&mut a.no_ids),
            "--full" => Some(&mut a.full),
            "--crlf" => Some(&mut a.style.crlf),
            "--quote-all" => Some(&mut a.style.quote_all),
            _ => None,
        };
        if let Some(on) = switch {
            *on = true;
            continue;
        }
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.to_string());
        }
        const VALUED: &[&str] = &[
            "--out",
            "--townships",
            "--communities-per-township",
            "--schools-per-township",
            "--activities",
            "--seed",
            "--id-start",
            "--term",
            "--activities-file",
            "--order",
            "--per-host",
            "--span",
            "--spelling",
            "--headers",
            "--ids",
            "--hosts",
        ];
        if !VALUED.contains(&flag.as_str()) {
            return Err(format!("unknown flag {flag}\n{USAGE}"));
        }
        let value = it.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let num = || value.replace('_', "").parse::<u64>().map_err(|e| format!("{flag} {value}: {e}"));
        let bad = || format!("{flag} {value}: not one of the choices\n{USAGE}");
        match flag.as_str() {
            "--out" => out = Some(PathBuf::from(&value)),
            "--townships" => a.townships = num()?,
            "--communities-per-township" => a.communities = num()?,
            "--schools-per-township" => a.schools = num()?,
            "--activities" => a.activities = num()?,
            "--seed" => a.seed = num()?,
            "--id-start" => a.id_start = num()?,
            "--term" => a.term = value,
            "--per-host" => a.per_host = num()?,
            "--order" => {
                a.order = match value.as_str() {
                    "random" => Order::Random,
                    "grouped" => Order::Grouped,
                    _ => return Err(bad()),
                }
            }
            "--span" => {
                a.span = match value.as_str() {
                    "term" => Span::Term,
                    "school-year" => Span::SchoolYear,
                    _ => return Err(bad()),
                }
            }
            "--spelling" => {
                a.spelling = match value.as_str() {
                    "mixed" => Spelling::Mixed,
                    "en" => Spelling::En,
                    "zh" => Spelling::Zh,
                    "real" => Spelling::Real,
                    _ => return Err(bad()),
                }
            }
            "--headers" => {
                a.headers = match value.as_str() {
                    "en" => Headers::En,
                    "zh" => Headers::Zh,
                    _ => return Err(bad()),
                }
            }
            "--ids" => {
                a.ids = match value.as_str() {
                    "seq" => Ids::Seq,
                    "long" => Ids::Long,
                    _ => return Err(bad()),
                }
            }
            "--hosts" => {
                a.hosts = match value.as_str() {
                    "weighted" => Hosts::Weighted,
                    "uniform" => Hosts::Uniform,
                    _ => return Err(bad()),
                }
            }
            _ => a.activities_file = value,
        }
    }
    a.out = out.ok_or_else(|| format!("--out DIR is required\n{USAGE}"))?;
    if a.townships == 0 || a.townships > 99_999 {
        return Err("--townships must be 1..=99999 (codes have 9 digits)".into());
    }
    if a.communities > 999 || a.schools > 999 {
        return Err("--communities-per-township and --schools-per-township must be at most 999".into());
    }
    if a.communities + a.schools == 0 && a.activities > 0 {
        return Err("activities need at least one unit to host them".into());
    }
    if a.per_host == 0 {
        return Err("--per-host must be at least 1".into());
    }
    Ok(a)
}
