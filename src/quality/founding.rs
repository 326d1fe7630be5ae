//! `before-parent-school`: an activity of a parent school dated before the host's parent
//! school was founded.
//!
//! Only guidance and practice count: they are what a parent school (家长学校) holds; a
//! parent meeting or a home visit needs none. The founding day is the host's
//! `parent_school_since` on the rosters the term uses (a body's `since`). One finding per
//! host, with the number of such activities and the earliest as evidence.

use crate::plan::ActivityKind;

/// Whether an activity of `kind` on `day` (YYYYMMDD) comes before `since` (YYYYMMDD, 0: not given).
pub(crate) fn before(kind: ActivityKind, day: i64, since: u32) -> bool {
    since != 0 && matches!(kind, ActivityKind::Guidance | ActivityKind::Practice) && day < i64::from(since)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_parent_schools_activities_before_its_founding_day() {
        assert!(before(ActivityKind::Guidance, 20200901, 20200902));
        assert!(!before(ActivityKind::Guidance, 20200902, 20200902));
        assert!(!before(ActivityKind::HomeVisit, 20200901, 20200902));
        assert!(!before(ActivityKind::Practice, 20200901, 0));
    }
}
