//! `copied-term`: a host's activities in the term repeat the previous term's, with the
//! dates shifted.
//!
//! Two activities are twins when they have the same kind, normalised title and head count,
//! one in the term and one in the term before. Within each twin group the activities of
//! each term are paired in date order; a pair's shift is the difference of their places
//! in their terms (days since each term's first day). The host is flagged when it has at
//! least `copied_min_rows` (5) activities in the term and the pairs of one shift cover
//! `copied_share` (80 %) of them or more.

use super::Thresholds;

/// One activity of a host: its twin key, whether it is of this term, its day in its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Dated {
    pub twin: u32,
    pub current: bool,
    pub offset: u16,
    pub row: u32,
}

/// For one host's activities (sorted as `Dated` orders): the first row of the term paired
/// at the commonest shift, the pairs at that shift, the activities of the term, the shift.
pub(crate) fn check(items: &[Dated], th: &Thresholds) -> Option<(u32, u32, u32, i64)> {
    let total = items.iter().filter(|d| d.current).count() as u32;
    if total == 0 || total < th.copied_min_rows {
        return None;
    }
    let mut pairs: Vec<(i64, u32)> = Vec::new();
    let mut start = 0;
    while start < items.len() {
        let twin = items[start].twin;
        let end = start + items[start..].iter().take_while(|d| d.twin == twin).count();
        let group = &items[start..end];
        let prev = group.iter().filter(|d| !d.current);
        let cur = group.iter().filter(|d| d.current);
        pairs.extend(prev.zip(cur).map(|(p, c)| (i64::from(c.offset) - i64::from(p.offset), c.row)));
        start = end;
    }
    pairs.sort_unstable();
    let mut best: Option<(u32, i64, u32)> = None;
    let mut i = 0;
    while i < pairs.len() {
        let shift = pairs[i].0;
        let n = pairs[i..].iter().take_while(|p| p.0 == shift).count();
        if best.is_none_or(|(m, _, _)| n as u32 > m) {
            best = Some((n as u32, shift, pairs[i].1));
        }
        i += n;
    }
    let (matched, shift, row) = best?;
    (f64::from(matched) >= th.copied_share * f64::from(total)).then_some((row, matched, total, shift))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(twin: u32, current: bool, offset: u16, row: u32) -> Dated {
        Dated { twin, current, offset, row }
    }

    #[test]
    fn a_term_repeated_one_week_later_is_found() {
        let th = Thresholds::default();
        let mut items: Vec<Dated> =
            (0..5).flat_map(|i| [d(i, false, 10 + i as u16, i), d(i, true, 17 + i as u16, 100 + i)]).collect();
        items.sort();
        assert_eq!(check(&items, &th), Some((100, 5, 5, 7)));
        // Different shifts: not a copy.
        let mut items: Vec<Dated> = (0..5).flat_map(|i| [d(i, false, 10, i), d(i, true, 10 + 3 * i as u16, 100 + i)]).collect();
        items.sort();
        assert_eq!(check(&items, &th), None);
        // Too few activities to say.
        let mut items: Vec<Dated> = (0..4).flat_map(|i| [d(i, false, 10, i), d(i, true, 10, 100 + i)]).collect();
        items.sort();
        assert_eq!(check(&items, &th), None);
    }
}
