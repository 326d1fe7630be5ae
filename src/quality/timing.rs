//! `burst` and `deadline-bunching`: when a host's activities are dated.
//!
//! - `burst`: `burst_min` (5) or more activities of one host on one day, any kinds. One
//!   finding per host and day.
//! - `deadline-bunching`: of a host's activities in the term (at least
//!   `bunching_min_rows`, 10), a share of `bunching_share` (50 %) or more dated in the
//!   term's last seven days, where chance would put about 5 %. One finding per host.

use super::Thresholds;

/// Days at the end of a term that count as its last week.
pub(crate) const LAST_WEEK_DAYS: i64 = 7;

pub(crate) fn is_burst(count: u32, th: &Thresholds) -> bool {
    count >= th.burst_min.max(2)
}

pub(crate) fn is_bunched(last_week: u32, total: u32, th: &Thresholds) -> bool {
    total > 0 && total >= th.bunching_min_rows && f64::from(last_week) >= th.bunching_share * f64::from(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_inclusive() {
        let th = Thresholds::default();
        assert!(!is_burst(4, &th));
        assert!(is_burst(5, &th));
        assert!(is_bunched(5, 10, &th));
        assert!(!is_bunched(4, 10, &th));
        assert!(!is_bunched(9, 9, &th), "too few activities to say");
    }
}
