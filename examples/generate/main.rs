//! Deterministic synthetic returns for benchmarks: a national-scale set of townships,
//! communities, schools and activities, in the canonical English headers of SPEC §3.
//!
//! ```text
//! cargo run --release --example generate -- --out DIR [--townships 600]
//!     [--communities-per-township 60] [--schools-per-township 40]
//!     [--activities 1000000] [--seed 1] [--term 2020-2021-1]
//!     [--activities-only] [--activities-file activities.csv] [--id-start 1]
//!     [--order random|grouped] [--per-host 20] [--span term|school-year]
//!     [--spelling mixed|en|zh|real] [--no-ids] [--headers en|zh] [--ids seq|long]
//!     [--hosts weighted|uniform] [--full] [--crlf] [--quote-all]
//! ```
//!
//! Writes `DIR/communities.csv`, `DIR/schools.csv` and `DIR/activities.csv` (UTF-8, LF,
//! no BOM). Both rosters carry a `term` column (`--term`, default `2020-2021-1`), so they
//! import without `--term`.
//!
//! - Township codes have 9 digits, community codes 12 (the township's code + 3 digits),
//!   school codes 10 (`1` + 9 digits); all are unique, so at most 999 communities and
//!   999 schools per township.
//! - Each township draws a parent-school rate between 70% and 90%.
//! - Activities have unique ids `A000000001`…, hosts drawn from the units (90% from
//!   units with a parent school), dates in 2020-09-01..=2021-01-31 (term 2020-2021-1, in
//!   three spellings), kinds in English or Chinese spellings, participants 0..=500,
//!   mode online/offline (English or Chinese); a few optional cells are left blank.
//!
//! The shape of the activities (the defaults are the shape above; each option changes one
//! dimension):
//!
//! - `--order grouped`: the activities of one host come together. The units are taken
//!   township by township (its communities, then its schools); each draws how many
//!   activities it files, uniformly between 0 and twice its mean (`--per-host`, default 20,
//!   for an average unit; as in the default order, units with a parent school hold 90% of
//!   the activities), and those follow one another with consecutive ids. The stream stops
//!   after exactly `--activities` rows, cutting the last unit's run short; if every unit
//!   has had its run before that, it starts again at the first township (so with
//!   `--activities` about units × `--per-host`, each unit appears once). The counts do not
//!   depend on `--activities`, which keeps the prefix property below.
//! - `--span school-year`: dates in 2020-09-01..=2021-08-31, the school year 2020-2021
//!   (term 2020-2021-1 is September to January, 2020-2021-2 February to August).
//! - `--spelling en`: kinds only `guidance`, `practice`, `parent-meeting`, `home-visit`,
//!   modes `online`/`offline`, dates `YYYY-MM-DD`. `--spelling zh`: kinds only in their
//!   Chinese spellings (指导, 讲座, 家长会, 家访, …), modes `线上`/`线下`, dates as
//!   `2020年9月1日` or `2020/9/1` (half each).
//! - `--no-ids`: the `id` column (the header keeps it) is blank on every row. gongyu then
//!   takes two rows with the same host, date, kind, title, participants and mode for one
//!   activity, so every title carries the number the row's id would have had
//!   (`家长课堂（第123期）`, or `第123期` where the title would be blank): no two rows are
//!   the same activity.
//! - A return from the field (issue 23; module `shape`): `--headers zh` (活动编号,主办单位代码,
//!   活动日期,活动类型,活动名称,参与人数,形式), `--ids long` (`N` + nine digits scattered, not
//!   in row order), `--hosts uniform` (every unit alike, random order only), `--spelling
//!   real` (six Chinese kind spellings, 线上/线下, September–December dated `2020-09-01`
//!   and January–August `2021年1月1日`), `--full` (no blank title, count or mode),
//!   `--crlf` (Windows line ends), `--quote-all` (every cell quoted). The bench's `real`
//!   shape is all but the last two, with `--span school-year`.
//!
//! Apart from the dimension it changes, a shape makes the same random draws as the
//! default, so `--spelling`, `--no-ids` give the default's rows (hosts, days, kinds,
//! titles, participants) respelt; `--span` the same but for the days; `--order` differs in
//! its hosts and everything after.
//!
//! Output is a pure function of the arguments: the rosters depend only on `--seed` and
//! the three unit counts, and the activity stream only on those, `--id-start` and the
//! shape options, so the first N activity rows of a larger run are exactly a run with
//! `--activities N` (for every shape). Activities are streamed: memory is bounded by the
//! unit list whatever `--activities` is. `--activities-only` skips writing the rosters
//! (the activities are the same as with them); with `--id-start` it makes further files
//! whose ids do not collide with the first one's (a different activity stream, same
//! units).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use chrono::{Datelike, Duration, NaiveDate};

mod args;
mod shape;
use args::{parse_args, Args, Order, Span, Spelling};
use shape::Hosts;

/// SplitMix64: tiny, fast, and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0), by multiply-shift.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() <= p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// One unit that can host activities.
struct Unit {
    code: String,
    parent_school: bool,
}

struct Township {
    code: String,
    name: String,
    /// 0 = 街道 (urban), 1 = 地区 (mixed), 2 = 镇 (mostly rural).
    kind: u64,
    parent_rate: f64,
}

fn townships(a: &Args) -> Vec<Township> {
    let mut rng = Rng::new(a.seed, 1);
    (0..a.townships)
        .map(|t| {
            // A 6-digit county code, then a 3-digit township number within it.
            let county = 110_000 + t / 100;
            let code = format!("{county:06}{:03}", t % 100 + 1);
            let kind = rng.below(3);
            let suffix = ["街道", "地区", "镇"][kind as usize];
            let name = format!("{}{:05}{suffix}", rng.pick(&["东", "西", "南", "北", "中", "新", "永", "清"]), t + 1);
            let parent_rate = 0.70 + 0.20 * (rng.below(1001) as f64 / 1000.0);
            Township { code, name, kind, parent_rate }
        })
        .collect()
}

fn create(a: &Args, name: &str) -> io::Result<BufWriter<File>> {
    let path = a.out.join(name);
    let f = File::create(&path).map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    Ok(BufWriter::with_capacity(1 << 20, f))
}

/// Writes both rosters (unless `write` is false) and returns the units in a fixed order.
fn rosters(a: &Args, towns: &[Township], write: bool) -> io::Result<Vec<Unit>> {
    let mut units = Vec::with_capacity((a.townships * (a.communities + a.schools)) as usize);
    let mut rng = Rng::new(a.seed, 2);
    let mut out = if write { Some(create(a, "communities.csv")?) } else { None };
    if let Some(w) = out.as_mut() {
        writeln!(w, "code,name,township,township_code,area,parent_school,term")?;
    }
    for t in towns {
        for c in 0..a.communities {
            let code = format!("{}{:03}", t.code, c + 1);
            let urban = match t.kind {
                0 => true,
                1 => rng.chance(0.5),
                _ => rng.chance(0.15),
            };
            let parent_school = rng.chance(t.parent_rate);
            // Drawn whether or not the roster is written, so that --activities-only sees
            // the same units (and parent schools) as a full run.
            let area = match (urban, rng.below(3)) {
                (true, 0) => "urban",
                (true, 1) => "城区",
                (true, _) => "111",
                (false, 0) => "rural",
                (false, 1) => "农村",
                (false, _) => "220",
            };
            let yes_no = if parent_school { *rng.pick(&["是", "yes", "Y"]) } else { *rng.pick(&["否", "no", "N"]) };
            if let Some(w) = out.as_mut() {
                let name = if urban {
                    format!("{}第{}社区居委会", t.name, c + 1)
                } else {
                    format!("{}第{}村委会", t.name, c + 1)
                };
                writeln!(w, "{code},{name},{},{},{area},{yes_no},{}", t.name, t.code, a.term)?;
            }
            units.push(Unit { code, parent_school });
        }
    }
    if let Some(mut w) = out.take() {
        w.flush()?;
    }

    let types: &[(&str, u64)] = &[
        ("小学", 38),
        ("primary", 4),
        ("初中", 14),
        ("高中", 5),
        ("完全中学", 3),
        ("九年一贯制学校", 4),
        ("十二年一贯制学校", 1),
        ("特殊教育学校", 1),
        ("幼儿园", 24),
        ("kindergarten", 3),
        ("中等职业学校", 2),
        ("中职", 1),
    ];
    let total: u64 = types.iter().map(|(_, w)| w).sum();
    let mut out = if write { Some(create(a, "schools.csv")?) } else { None };
    if let Some(w) = out.as_mut() {
        writeln!(w, "code,name,type,township,parent_school,term")?;
    }
    for (ti, t) in towns.iter().enumerate() {
        for s in 0..a.schools {
            let code = format!("1{:09}", ti as u64 * 1000 + s + 1);
            let mut roll = rng.below(total);
            let ty = types
                .iter()
                .find(|(_, w)| {
                    if roll < *w {
                        true
                    } else {
                        roll -= w;
                        false
                    }
                })
                .map_or("小学", |(ty, _)| ty);
            let parent_school = rng.chance(t.parent_rate);
            // Half the schools name their township, half give its code.
            let township = if rng.chance(0.5) { &t.name } else { &t.code };
            let yes_no = if parent_school { *rng.pick(&["是", "yes"]) } else { *rng.pick(&["否", "no"]) };
            if let Some(w) = out.as_mut() {
                writeln!(w, "{code},{}第{}学校,{ty},{township},{yes_no},{}", t.name, s + 1, a.term)?;
            }
            units.push(Unit { code, parent_school });
        }
    }
    if let Some(mut w) = out.take() {
        w.flush()?;
    }
    Ok(units)
}

const TITLES: &[&str] = &[
    "家庭教育讲座",
    "家风家训分享会",
    "亲子阅读活动",
    "亲子登山活动",
    "心理健康咨询",
    "家长课堂",
    "志愿服务进社区",
    "研学实践",
    "新生家长会",
    "期中家长会",
    "入户家访",
    "科学育儿培训",
    "法治教育进家庭",
    "劳动教育实践",
    "网络安全家长课",
    "Family reading night",
];

/// (kind weight, spellings): English first, then Chinese aliases.
const KINDS: &[(u64, &[&str])] = &[
    (35, &["guidance", "指导", "家庭教育指导", "讲座", "培训", "咨询"]),
    (35, &["practice", "实践", "家庭教育实践", "亲子活动", "志愿服务", "研学"]),
    (15, &["parent-meeting", "家长会"]),
    (15, &["home-visit", "家访", "入户家访"]),
];

/// Writes the cells of one activity after its host; the draws from `rng` are the same for
/// every spelling, so shapes differ only in what they change.
struct RowWriter<'a> {
    a: &'a Args,
    /// Each day of the span in its three spellings (ISO, 2020/9/1, 2020年9月1日), and its month.
    dates: Vec<([String; 3], u32)>,
    kind_total: u64,
    rng: Rng,
    /// Draws only some spellings need (a Chinese kind where the default has an English one).
    alt: Rng,
}

impl RowWriter<'_> {
    fn write(&mut self, w: &mut impl Write, id: u64, host: &str) -> io::Result<()> {
        let (a, rng) = (self.a, &mut self.rng);
        let (day, month) = &self.dates[rng.below(self.dates.len() as u64) as usize];
        let form = rng.below(20);
        let date = match a.spelling {
            Spelling::Real => shape::real_date(*month, &day[0], &day[2]),
            Spelling::Mixed => match form {
                0 => &day[1],
                1 => &day[2],
                _ => &day[0],
            },
            Spelling::En => &day[0],
            Spelling::Zh => &day[if form < 10 { 2 } else { 1 }],
        };
        let mut roll = rng.below(self.kind_total);
        let spellings = KINDS
            .iter()
            .find(|(wt, _)| {
                if roll < *wt {
                    true
                } else {
                    roll -= wt;
                    false
                }
            })
            .map_or(KINDS[0].1, |(_, s)| s);
        let english = rng.chance(0.5);
        let alias = if english { None } else { Some(*rng.pick(&spellings[1..])) };
        let kind = match (a.spelling, alias) {
            (Spelling::Real, _) => {
                let k = KINDS.iter().position(|(_, s)| s[0] == spellings[0]).unwrap_or(0);
                self.alt.pick(shape::REAL_KINDS[k])
            }
            (Spelling::En, _) | (Spelling::Mixed, None) => spellings[0],
            (_, Some(zh)) => zh,
            (Spelling::Zh, None) => self.alt.pick(&spellings[1..]),
        };
        // 0: no title, 1: no participants, 2: no mode (never with --full)
        let blank = if a.full { 50 } else { rng.below(50) };
        let title = if blank == 0 { "" } else { rng.pick(TITLES) };
        let part = rng.below(501);
        let mode = if blank == 2 {
            ""
        } else {
            let m = rng.below(4) as usize;
            match a.spelling {
                Spelling::Mixed => ["online", "offline", "线上", "线下"][m],
                Spelling::En => ["online", "offline"][m % 2],
                Spelling::Zh | Spelling::Real => ["线上", "线下"][m % 2],
            }
        };
        let (id_cell, title) = if a.no_ids {
            // No id: the title's number keeps every row a distinct activity.
            (String::new(), if title.is_empty() { format!("第{id}期") } else { format!("{title}（第{id}期）") })
        } else {
            (a.ids.cell(id), title.to_string())
        };
        let part = if blank == 1 { String::new() } else { part.to_string() };
        a.style.line(w, &[&id_cell, host, date, kind, &title, &part, mode])
    }
}

fn activities(a: &Args, towns: &[Township], units: &[Unit]) -> io::Result<()> {
    let hosts_ps: Vec<&str> = units.iter().filter(|u| u.parent_school).map(|u| u.code.as_str()).collect();
    let hosts_all: Vec<&str> = units.iter().map(|u| u.code.as_str()).collect();
    let first = NaiveDate::from_ymd_opt(2020, 9, 1).expect("a real date");
    let days = match a.span {
        Span::Term => 153,       // 2020-09-01 ..= 2021-01-31
        Span::SchoolYear => 365, // 2020-09-01 ..= 2021-08-31
    };
    let stream = a.id_start.wrapping_mul(0x2545_F491_4F6C_DD1D);
    let mut rows = RowWriter {
        a,
        dates: (0..days)
            .map(|i| {
                let d = first + Duration::days(i);
                let spelt = [
                    d.format("%Y-%m-%d").to_string(),
                    d.format("%Y/%-m/%-d").to_string(),
                    d.format("%Y年%-m月%-d日").to_string(),
                ];
                (spelt, d.month())
            })
            .collect(),
        kind_total: KINDS.iter().map(|(w, _)| w).sum(),
        rng: Rng::new(a.seed, 3 + stream),
        alt: Rng::new(a.seed, 4 + stream),
    };
    let mut w = create(a, &a.activities_file)?;
    a.style.line(&mut w, &a.headers.cells())?;
    match a.order {
        Order::Random => {
            for n in 0..a.activities {
                let rng = &mut rows.rng;
                let host = match a.hosts {
                    Hosts::Uniform => rng.pick(&hosts_all),
                    _ if !hosts_ps.is_empty() && rng.chance(0.9) => rng.pick(&hosts_ps),
                    _ => rng.pick(&hosts_all),
                };
                rows.write(&mut w, a.id_start + n, host)?;
            }
        }
        Order::Grouped => {
            // Each unit's mean number of activities, weighted as the random order draws
            // hosts: 90% of the draws among units with a parent school, 10% among all.
            let mean_ps = if hosts_ps.is_empty() { 1.0 } else { 0.9 * hosts_all.len() as f64 / hosts_ps.len() as f64 + 0.1 };
            let mean_other = if hosts_ps.is_empty() { 1.0 } else { 0.1 };
            // Township by township: its communities, then its schools.
            let n_comm = (a.townships * a.communities) as usize;
            let (c, s) = (a.communities as usize, a.schools as usize);
            let order = (0..towns.len()).flat_map(|t| (t * c..(t + 1) * c).chain(n_comm + t * s..n_comm + (t + 1) * s));
            let mut n = 0;
            'cycles: while n < a.activities {
                for i in order.clone() {
                    let u = &units[i];
                    let mean = a.per_host as f64 * if u.parent_school { mean_ps } else { mean_other };
                    // Uniform in [0, 2 × mean), rounded up or down at random: `mean` on average.
                    let x = rows.rng.unit() * 2.0 * mean;
                    let count = x as u64 + u64::from(rows.rng.unit() < x.fract());
                    for _ in 0..count {
                        if n == a.activities {
                            break 'cycles;
                        }
                        rows.write(&mut w, a.id_start + n, &u.code)?;
                        n += 1;
                    }
                }
            }
        }
    }
    w.flush()
}

fn run() -> Result<(), String> {
    let a = parse_args()?;
    std::fs::create_dir_all(&a.out).map_err(|e| format!("{}: {e}", a.out.display()))?;
    let towns = townships(&a);
    let units = rosters(&a, &towns, !a.activities_only).map_err(|e| e.to_string())?;
    activities(&a, &towns, &units).map_err(|e| e.to_string())?;
    let communities = a.townships * a.communities;
    let schools = a.townships * a.schools;
    eprintln!(
        "generate: {} townships, {communities} communities, {schools} schools ({} units), {} activities → {}",
        a.townships,
        communities + schools,
        a.activities,
        a.out.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("generate: {e}");
            ExitCode::FAILURE
        }
    }
}
