//! `duplicate-across-hosts` and `duplicate-across-batches`: the same activity returned twice.
//!
//! Titles are compared normalised ([`super::title_hash`]: spaces dropped, full-width
//! letters and digits as half-width, Latin letters in lower case); rows without a title are
//! never taken for the same activity.
//!
//! - `duplicate-across-hosts`: rows of the same day, kind, title and head count (a row
//!   without one matches only rows without one) from two hosts or more, when at most
//!   `duplicate_max_hosts` (5) hosts returned an activity of that day, kind and title at
//!   all: more is a shared campaign or a common title (a district-wide parents' lecture,
//!   开学家长会), not a row returned twice. The head count is part of "the same activity"
//!   because two units holding 开学家长会 on the same day is common, and they draw
//!   different numbers of parents; a row copied into another unit's return keeps its number. A home visit that names its student is a visit to one school's own
//!   student (refs are the school's), so it is never the same activity as another host's. The host of the earliest row (lowest row id) keeps it; every other
//!   host gets a finding, with its own first such row as evidence and the earliest row as
//!   the other.
//! - `duplicate-across-batches`: rows of the same host, day, kind and title in two batches
//!   or more (the import already keeps one of two rows with the same id, or with no id and
//!   the same fields, so these differ in their ids or in a head count or mode). One finding
//!   per group, the latest row as evidence and the earliest as the other.

use super::Thresholds;

/// One row of a group of the same day, kind and title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seen {
    pub host: u32,
    pub row: u32,
}

/// For a group of the same day, kind, title and head count, of a day, kind and title that
/// `title_hosts` hosts returned: each host but the first with its first row, the first row
/// of all, and the number of hosts of the group.
pub(crate) fn across_hosts(group: &mut [Seen], title_hosts: u32, th: &Thresholds) -> Vec<(u32, u32, u32, u32)> {
    if group.len() < 2 || title_hosts > th.duplicate_max_hosts.max(2) {
        return Vec::new();
    }
    group.sort_unstable_by_key(|s| (s.host, s.row));
    let mut firsts: Vec<Seen> = Vec::new();
    for s in group.iter() {
        if firsts.last().is_none_or(|f| f.host != s.host) {
            firsts.push(*s);
        }
    }
    let hosts = firsts.len() as u32;
    if hosts < 2 || hosts > th.duplicate_max_hosts.max(2) {
        return Vec::new();
    }
    let first = firsts.iter().min_by_key(|s| s.row).copied().expect("two hosts or more");
    firsts.iter().filter(|s| s.host != first.host).map(|s| (s.host, s.row, first.row, hosts)).collect()
}

/// For a group of the same host, day, kind and title (batch, row): the latest row, the
/// earliest and the number of rows, when they come from two batches or more.
pub(crate) fn across_batches(group: &[(u32, u32)]) -> Option<(u32, u32, u32)> {
    let first = group.iter().min_by_key(|(_, r)| *r)?;
    let last = group.iter().max_by_key(|(_, r)| *r)?;
    group.iter().any(|(b, _)| *b != first.0).then_some((last.1, first.1, group.len() as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_later_host_is_found_up_to_a_campaign() {
        let th = Thresholds::default();
        let mut g = vec![Seen { host: 9, row: 3 }, Seen { host: 4, row: 7 }, Seen { host: 9, row: 1 }];
        assert_eq!(across_hosts(&mut g, 2, &th), vec![(4, 7, 1, 2)]);
        let mut one_host = vec![Seen { host: 9, row: 3 }, Seen { host: 9, row: 1 }];
        assert!(across_hosts(&mut one_host, 1, &th).is_empty());
        let mut campaign: Vec<Seen> = (0..6).map(|h| Seen { host: h, row: h + 10 }).collect();
        assert!(across_hosts(&mut campaign, 6, &th).is_empty(), "six hosts: a campaign");
        let mut two = vec![Seen { host: 1, row: 10 }, Seen { host: 2, row: 11 }];
        assert!(across_hosts(&mut two, 6, &th).is_empty(), "two of a title six hosts held that day");
        let mut five: Vec<Seen> = (0..5).map(|h| Seen { host: h, row: h + 10 }).collect();
        assert_eq!(across_hosts(&mut five, 5, &th).len(), 4);
    }

    #[test]
    fn only_rows_of_different_batches() {
        assert_eq!(across_batches(&[(1, 5), (1, 6)]), None);
        assert_eq!(across_batches(&[(1, 5), (2, 9), (2, 7)]), Some((9, 5, 3)));
        assert_eq!(across_batches(&[]), None);
    }
}
