//! `gongyu quality`: the checks of [`crate::quality`] run over a term's rows, each finding
//! put in words (its unit, township and evidence) and given its id and review.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;

use crate::ledger::Ledger;
use crate::plan::term::term_key;
use crate::plan::{Plan, Term};
use crate::quality::scan::Scan;
use crate::quality::shown::Review;
pub(crate) use crate::quality::shown::{Other, Quality, Shown};
use crate::quality::{consistency, finding_id, title_hash, Code, Finding, Key, Reason, Row, Thresholds};

/// The thresholds of a loaded plan: its `[quality]` keys, defaults for the rest (the built-in
/// plan gives none).
pub(crate) fn thresholds(plan: &Plan) -> Thresholds {
    crate::plan::quality::in_force(&plan.quality_given)
}

/// Runs every check on `term`.
pub(crate) fn quality(ledger: &Ledger, term: Term, th: Thresholds) -> Result<Quality> {
    let units = ledger.quality_units(term)?;
    let previous = ledger.term_has_activities(term.previous())?;
    let scan = Scan::new(&units, th, term, previous)?;
    let mut found = scan_rows(ledger, term, previous, scan)?.finish()?;
    found.extend(township_findings(ledger, term, &units, &th)?);
    let reviews = ledger.quality_reviews(term)?;
    let mut words: HashMap<i64, (String, Option<String>)> = HashMap::new();
    let mut shown = Vec::with_capacity(found.len());
    for f in found {
        shown.push(show(ledger, term, &units, &mut words, f, &reviews)?);
    }
    shown.sort_by(|a, b| {
        (a.severity, a.code, &a.township_code, &a.unit_code, a.evidence.as_ref().map(|e| (e.day, e.batch, e.line)), &a.id).cmp(&(
            b.severity,
            b.code,
            &b.township_code,
            &b.unit_code,
            b.evidence.as_ref().map(|e| (e.day, e.batch, e.line)),
            &b.id,
        ))
    });
    Ok(Quality { term, thresholds: th, findings: shown })
}

/// Rows per message between the ledger's reader and the checks.
const BATCH: usize = 8192;

/// Feeds the rows to the checks on a second thread: SQLite's reading (a third of the time
/// is the kernel copying pages) and the checks' keys and sorts then run side by side.
fn scan_rows<'u>(ledger: &Ledger, term: Term, previous: bool, mut scan: Scan<'u>) -> Result<Scan<'u>> {
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(Row, bool)>>(4);
        let (back, spare) = std::sync::mpsc::channel::<Vec<(Row, bool)>>();
        let checks = s.spawn(move || -> Result<Scan<'u>> {
            for mut rows in rx {
                for (row, current) in &rows {
                    scan.row(row, *current)?;
                }
                rows.clear();
                let _ = back.send(rows);
            }
            Ok(scan)
        });
        let mut rows = Vec::with_capacity(BATCH);
        let read = ledger.quality_rows(term, previous, &mut |row, current| {
            rows.push((*row, current));
            if rows.len() == BATCH {
                let next = spare.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH));
                // A closed channel means the checks stopped on an error, reported below.
                let _ = tx.send(std::mem::replace(&mut rows, next));
            }
            Ok(())
        });
        if !rows.is_empty() {
            let _ = tx.send(rows);
        }
        drop(tx);
        let scan = checks.join().map_err(|_| anyhow::anyhow!(crate::t!("quality-thread-panicked")))?;
        read?;
        scan
    })
}

/// `consistency-over-time`: each township's count in `term` against its earlier terms.
fn township_findings(ledger: &Ledger, term: Term, units: &crate::quality::Units, th: &Thresholds) -> Result<Vec<Finding>> {
    let mut counts: BTreeMap<(u32, i64), u64> = BTreeMap::new();
    let mut first: Option<i64> = None;
    ledger.term_host_counts(term, &mut |t, host, n| {
        first = Some(first.map_or(t, |f| f.min(t)));
        if let Some(town) = units.township_of(host) {
            *counts.entry((town, t)).or_default() += n;
        }
    })?;
    let Some(first) = first.and_then(crate::plan::term::term_from_key) else { return Ok(Vec::new()) };
    if first >= term {
        return Ok(Vec::new());
    }
    let earlier: Vec<i64> = first.through(term.previous()).into_iter().map(term_key).collect();
    let mut out = Vec::new();
    for town in 0..units.townships.len() as u32 {
        let count = counts.get(&(town, term_key(term))).copied().unwrap_or(0);
        let before: Vec<u64> = earlier.iter().map(|t| counts.get(&(town, *t)).copied().unwrap_or(0)).collect();
        if let Some(mean) = consistency::check(count, &before, th) {
            let reason = Reason::ConsistencyOverTime { count, mean, terms: before.len() as u32 };
            out.push(Finding {
                code: Code::ConsistencyOverTime,
                host: None,
                township: Some(town),
                row: None,
                key: Key::Township,
                reason,
            });
        }
    }
    Ok(out)
}

fn show(
    ledger: &Ledger,
    term: Term,
    units: &crate::quality::Units,
    words: &mut HashMap<i64, (String, Option<String>)>,
    f: Finding,
    reviews: &HashMap<String, Review>,
) -> Result<Shown> {
    let evidence = match f.row {
        Some(row) => ledger.evidence(row)?,
        None => None,
    };
    let host = f.host.or(evidence.as_ref().map(|e| e.host));
    let mut word = |host: i64| -> Result<(String, Option<String>)> {
        if let Some(w) = words.get(&host) {
            return Ok(w.clone());
        }
        let w = ledger.unit_code_and_name(term, host)?;
        words.insert(host, w.clone());
        Ok(w)
    };
    let (unit_code, unit_name) = match host {
        Some(h) => {
            let (c, n) = word(h)?;
            (Some(c), n)
        }
        None => (None, None),
    };
    let town = f.township.or_else(|| host.and_then(|h| units.township_of(h)));
    let (township_code, township) = match town.and_then(|t| units.townships.get(t as usize)) {
        Some((c, n)) => (Some(c.clone()), Some(n.clone())),
        None => (None, None),
    };
    let other_row = match f.reason {
        Reason::DuplicateAcrossHosts { other, .. } | Reason::DuplicateAcrossBatches { other, .. } => Some(other),
        _ => None,
    };
    let other = match other_row {
        Some(row) => match ledger.evidence(row)? {
            Some(e) => Some(Other { unit_code: word(e.host)?.0, file: e.file, line: e.line, batch: e.batch }),
            None => None,
        },
        None => None,
    };
    let code_text = unit_code.clone().unwrap_or_default();
    let key = match f.key {
        Key::Row => match &evidence {
            Some(e) => format!(
                "{code_text}|{}|{}|{:016x}|{}",
                e.day,
                e.kind,
                e.title.as_deref().map_or(0, title_hash),
                e.participants.map(|p| p.to_string()).unwrap_or_default()
            ),
            None => code_text,
        },
        Key::Host => code_text,
        Key::HostDay(day) => format!("{code_text}|{day}"),
        Key::Township => township_code.clone().unwrap_or_default(),
    };
    let id = finding_id(f.code, &term.to_string(), &key);
    let review = reviews.get(&id).cloned();
    Ok(Shown {
        id,
        code: f.code,
        severity: f.code.severity(),
        township_code,
        township,
        unit_code,
        unit_name,
        evidence,
        other,
        reason: f.reason,
        review,
    })
}
