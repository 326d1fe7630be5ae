//! Data quality checks over the activity rows themselves (issue 24, SPEC §15): what an
//! aggregate system such as DHIS2 cannot see, because gongyu keeps every row, its host,
//! its batch and its date.
//!
//! Pure: the checks take plain rows and aggregates, never SQL. [`scan::Scan`] is fed the
//! rows of a term (and of the term before, for `copied-term`) one by one by the ledger's
//! reader, keeping compact per-host counters in `Vec`s indexed by unit id and spilling
//! fixed-size keys to sorted runs on disk ([`spill`]): no per-row allocation, memory bounded
//! at national scale. Each check is a small module whose doc comment is its definition;
//! the thresholds are [`Thresholds`] (the plan file's `[quality]` table, with the WHO data
//! quality review's defaults).
//!
//! A finding's `id` is `Q` and the first 10 hex digits of SHA-256 over its code, its term
//! and its evidence key (the unit's code with the row's day, kind, normalised title and
//! head count, or the day, or the township's code; see [`finding_id`]): never row order
//! or time, so a review sticks across runs, machines and re-imports of the same rows.

pub(crate) mod consistency;
pub(crate) mod copied;
pub(crate) mod duplicates;
pub(crate) mod founding;
pub(crate) mod heaping;
pub(crate) mod outliers;
pub(crate) mod scan;
pub(crate) mod shown;
pub(crate) mod spill;
pub(crate) mod timing;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::plan::ActivityKind;

/// The stable codes of the checks (SPEC §15), in the order they are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Code {
    DuplicateAcrossHosts,
    DuplicateAcrossBatches,
    ParticipantsOutlier,
    DigitHeaping,
    Burst,
    DeadlineBunching,
    BeforeParentSchool,
    CopiedTerm,
    ConsistencyOverTime,
}

impl Code {
    pub(crate) const ALL: [Code; 9] = [
        Code::DuplicateAcrossHosts,
        Code::DuplicateAcrossBatches,
        Code::ParticipantsOutlier,
        Code::DigitHeaping,
        Code::Burst,
        Code::DeadlineBunching,
        Code::BeforeParentSchool,
        Code::CopiedTerm,
        Code::ConsistencyOverTime,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Code::DuplicateAcrossHosts => "duplicate-across-hosts",
            Code::DuplicateAcrossBatches => "duplicate-across-batches",
            Code::ParticipantsOutlier => "participants-outlier",
            Code::DigitHeaping => "digit-heaping",
            Code::Burst => "burst",
            Code::DeadlineBunching => "deadline-bunching",
            Code::BeforeParentSchool => "before-parent-school",
            Code::CopiedTerm => "copied-term",
            Code::ConsistencyOverTime => "consistency-over-time",
        }
    }

    /// High: the row is probably counted where it should not be (the same activity twice,
    /// an activity of a parent school that did not exist yet, a term copied). Medium: a
    /// row or a count to look at. Low: a pattern over many rows, weak evidence alone.
    pub(crate) fn severity(self) -> Severity {
        match self {
            Code::DuplicateAcrossHosts | Code::DuplicateAcrossBatches | Code::BeforeParentSchool | Code::CopiedTerm => {
                Severity::High
            }
            Code::ParticipantsOutlier | Code::Burst | Code::ConsistencyOverTime => Severity::Medium,
            Code::DigitHeaping | Code::DeadlineBunching => Severity::Low,
        }
    }
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    High,
    Medium,
    Low,
}

impl Severity {
    pub(crate) const ALL: [Severity; 3] = [Severity::High, Severity::Medium, Severity::Low];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
}

/// The thresholds of the checks: the plan file's `[quality]` table, each key defaulting to
/// the value here (WHO data quality review and Iglewicz–Hoaglin where they set one).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Thresholds {
    /// `participants-outlier`: |modified z-score| above this (Iglewicz–Hoaglin: 3.5).
    pub outlier_z: f64,
    /// `participants-outlier`: a host group and kind needs this many head counts.
    pub outlier_min_rows: u32,
    /// `digit-heaping`: a host needs this many head counts of 10 or more.
    pub heaping_min_rows: u32,
    /// `digit-heaping`: one-sided z of the share ending in 0 or 5 against 20 % (3.09: p < 0.001).
    pub heaping_z: f64,
    /// `burst`: this many activities of one host on one day, or more.
    pub burst_min: u32,
    /// `deadline-bunching`: this share of a host's term activities in the last week, or more…
    pub bunching_share: f64,
    /// … with at least this many activities in the term.
    pub bunching_min_rows: u32,
    /// `copied-term`: this share of a host's activities repeating the previous term's…
    pub copied_share: f64,
    /// … with at least this many activities in the term.
    pub copied_min_rows: u32,
    /// `duplicate-across-hosts`: more hosts than this returning it is a shared campaign.
    pub duplicate_max_hosts: u32,
    /// `consistency-over-time`: allowed departure from the mean of earlier terms (WHO: 33 %).
    pub consistency_pct: f64,
    /// `consistency-over-time`: earlier terms needed (WHO: 2 at least).
    pub consistency_min_terms: u32,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            outlier_z: 3.5,
            outlier_min_rows: 10,
            heaping_min_rows: 20,
            heaping_z: 3.09,
            burst_min: 5,
            bunching_share: 0.5,
            bunching_min_rows: 10,
            copied_share: 0.8,
            copied_min_rows: 5,
            duplicate_max_hosts: 5,
            consistency_pct: 33.0,
            consistency_min_terms: 2,
        }
    }
}

/// Bits the scan's packed keys give an activity's kind (`scan.rs`: three, beside the day
/// and the title's hash): up to eight kinds. A ninth needs a wider field there first.
const KIND_BITS: u32 = 3;

const _: () = assert!(ActivityKind::COUNT <= 1 << KIND_BITS, "quality's packed keys hold a kind in KIND_BITS bits (scan.rs)");

/// The kind's position in the kinds table (0 guidance … 3 home visit).
pub(crate) fn kind_index(k: ActivityKind) -> u8 {
    k.index() as u8
}

/// The kind at `kind_index`.
pub(crate) fn kind_at(i: u8) -> ActivityKind {
    ActivityKind::at(usize::from(i)).unwrap_or(ActivityKind::Guidance)
}

/// A 64-bit hash of a title as people mean it: spaces (also the full-width space) dropped,
/// full-width Latin letters and digits as half-width, ASCII letters in lower case. `0` for
/// a title that is empty once normalised; never `0` otherwise. Allocates nothing.
pub(crate) fn title_hash(title: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut any = false;
    for c in title.chars() {
        if c.is_whitespace() {
            continue;
        }
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        }
        .to_ascii_lowercase();
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        any = true;
    }
    if !any {
        return 0;
    }
    // A final mix, so that the low bits (truncated into the spilled keys) are spread.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h | 1
}

/// One activity row as the checks read it (its title only as [`title_hash`]).
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// The activity's rowid: the evidence, resolved to file, line and batch at the end.
    pub id: i64,
    pub batch: i64,
    pub host: i64,
    /// YYYYMMDD.
    pub day: i64,
    pub kind: ActivityKind,
    /// [`title_hash`] of the title (0: none).
    pub title: u64,
    pub participants: Option<i64>,
    /// A home visit's student is named (a visit to one school's own student).
    pub student: bool,
}

/// What is known of each unit on the rosters a term uses, indexed by unit id.
#[derive(Debug, Clone, Default)]
pub struct Units {
    /// [`HostGroup`] as a number (0: not on a roster).
    pub group: Vec<u8>,
    /// The day its parent school was founded, YYYYMMDD (0: none given).
    pub since: Vec<u32>,
    /// Its township, an index into `townships` (`u32::MAX`: none).
    pub township: Vec<u32>,
    /// Each township's code (or the words a roster gave when no code is known) and name.
    pub townships: Vec<(String, String)>,
}

/// The groups of hosts whose head counts are compared (`participants-outlier`): a
/// school's group (中小学, 幼儿园, 中职), an urban or rural community, a body.
pub(crate) mod host_group {
    pub(crate) const NONE: u8 = 0;
    pub(crate) const PRIMARY_SECONDARY: u8 = 1;
    pub(crate) const KINDERGARTEN: u8 = 2;
    pub(crate) const VOCATIONAL: u8 = 3;
    pub(crate) const URBAN_COMMUNITY: u8 = 4;
    pub(crate) const RURAL_COMMUNITY: u8 = 5;
    pub(crate) const BODY: u8 = 6;
    pub(crate) const COUNT: usize = 7;
}

impl Units {
    pub fn group_of(&self, host: i64) -> u8 {
        usize::try_from(host).ok().and_then(|h| self.group.get(h)).copied().unwrap_or(host_group::NONE)
    }

    pub fn since_of(&self, host: i64) -> u32 {
        usize::try_from(host).ok().and_then(|h| self.since.get(h)).copied().unwrap_or(0)
    }

    pub fn township_of(&self, host: i64) -> Option<u32> {
        usize::try_from(host).ok().and_then(|h| self.township.get(h)).copied().filter(|t| *t != u32::MAX)
    }
}

/// What a finding is about, beyond its code: the words of its reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub(crate) enum Reason {
    /// Also returned by the host of `other` (a row id); `hosts` hosts returned it.
    DuplicateAcrossHosts {
        other: i64,
        hosts: u32,
    },
    /// Also returned in another batch as row `other`; `rows` rows in all.
    DuplicateAcrossBatches {
        other: i64,
        rows: u32,
    },
    ParticipantsOutlier {
        participants: i64,
        median: f64,
        score: f64,
    },
    DigitHeaping {
        heaped: u32,
        counted: u32,
        z: f64,
    },
    Burst {
        day: i64,
        count: u32,
    },
    DeadlineBunching {
        last_week: u32,
        total: u32,
        from: i64,
    },
    BeforeParentSchool {
        count: u32,
        since: i64,
        first: i64,
    },
    CopiedTerm {
        matched: u32,
        total: u32,
        shift: i64,
    },
    ConsistencyOverTime {
        count: u64,
        mean: f64,
        terms: u32,
    },
}

/// What makes a finding's id, besides its code and term (see [`finding_id`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// The evidence row: its host's code, day, kind, normalised title and head count.
    Row,
    /// The host's code.
    Host,
    /// The host's code and a day.
    HostDay(i64),
    /// The township's code.
    Township,
}

/// One finding, before its unit, township and evidence are put in words.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding {
    pub code: Code,
    /// The unit (a unit id), if the finding is about one.
    pub host: Option<i64>,
    /// The township (an index into [`Units::townships`]) of a township's finding.
    pub township: Option<u32>,
    /// The evidence row (an activity's rowid), if one stands for the finding.
    pub row: Option<i64>,
    pub key: Key,
    pub reason: Reason,
}

/// The finding id: `Q` and 10 hex digits of SHA-256 over `code`, `term` and `key`
/// (joined by `|`).
pub(crate) fn finding_id(code: Code, term: &str, key: &str) -> String {
    let digest = Sha256::digest(format!("{}|{term}|{key}", code.as_str()).as_bytes());
    let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    format!("Q{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_hashed_as_people_mean_them() {
        assert_eq!(title_hash("家长课堂 ABC"), title_hash(" 家长课堂\u{3000}ａｂｃ"));
        assert_ne!(title_hash("家长课堂"), title_hash("家长会"));
        assert_eq!(title_hash("  "), 0);
        assert_eq!(title_hash(""), 0);
        assert_ne!(title_hash("x"), 0);
    }

    #[test]
    fn ids_are_stable_and_depend_on_code_term_and_key() {
        let a = finding_id(Code::Burst, "2020-2021-1", "110109001001|20201012");
        assert_eq!(a, finding_id(Code::Burst, "2020-2021-1", "110109001001|20201012"));
        assert_eq!(a.len(), 11);
        assert!(a.starts_with('Q'));
        assert_ne!(a, finding_id(Code::Burst, "2020-2021-2", "110109001001|20201012"));
        assert_ne!(a, finding_id(Code::DigitHeaping, "2020-2021-1", "110109001001|20201012"));
        // Pinned: a review in a ledger must still find its finding after an upgrade.
        // (sha256("copied-term|2020-2021-1|X") begins c230a1e030.)
        assert_eq!(finding_id(Code::CopiedTerm, "2020-2021-1", "X"), "Qc230a1e030");
    }
}
