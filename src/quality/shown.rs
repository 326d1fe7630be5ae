//! A term's findings as people and scripts read them: each with its unit, township,
//! evidence row and latest review. Plain data, made by `ops::quality` and written by
//! `render::quality`.

use super::{Code, Reason, Severity, Thresholds};
use crate::plan::Term;

/// An activity row as a finding shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub host: i64,
    pub day: i64,
    pub kind: String,
    pub title: Option<String>,
    pub participants: Option<i64>,
    pub batch: i64,
    pub line: i64,
    pub file: String,
}

/// The latest review event of a finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Review {
    pub finding: String,
    /// `review` or `undo`.
    pub action: String,
    pub note: Option<String>,
    pub at: String,
    pub by: String,
}

/// The other row of a duplicate: its unit's code and where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Other {
    pub unit_code: String,
    pub file: String,
    pub line: i64,
    pub batch: i64,
}

/// One finding as people and scripts read it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Shown {
    pub id: String,
    pub code: Code,
    pub severity: Severity,
    pub township_code: Option<String>,
    pub township: Option<String>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    /// The evidence row, if one stands for the finding.
    pub evidence: Option<Evidence>,
    pub other: Option<Other>,
    pub reason: Reason,
    /// The latest review event, if the finding was ever reviewed.
    pub review: Option<Review>,
}

impl Shown {
    /// Reviewed: its latest review event is a review (not undone).
    pub(crate) fn reviewed(&self) -> Option<&Review> {
        self.review.as_ref().filter(|r| r.action == "review")
    }
}

/// The findings of a term.
#[derive(Debug, Clone)]
pub(crate) struct Quality {
    pub term: Term,
    pub thresholds: Thresholds,
    pub findings: Vec<Shown>,
}

impl Quality {
    /// The high-severity findings not reviewed.
    pub(crate) fn unreviewed_high(&self) -> impl Iterator<Item = &Shown> {
        self.findings.iter().filter(|f| f.severity == Severity::High && f.reviewed().is_none())
    }
}
