//! `consistency-over-time` (WHO data quality review): a township's activity count in the
//! term against the mean of its earlier terms.
//!
//! The earlier terms are every term from the first one with any activity in the ledger
//! up to the term before this one (a township with none in a term counts 0 there); at
//! least `consistency_min_terms` (2) are needed. The township is flagged when the mean is
//! above 0 and the count lies outside mean × (1 ± `consistency_pct` / 100) (±33 %).
//! Units count in the township the term's rosters give them, in earlier terms too.

use super::Thresholds;

/// The mean of `earlier`, if the count of this term departs from it too far.
pub(crate) fn check(count: u64, earlier: &[u64], th: &Thresholds) -> Option<f64> {
    if earlier.is_empty() || earlier.len() < th.consistency_min_terms as usize {
        return None;
    }
    let mean = earlier.iter().sum::<u64>() as f64 / earlier.len() as f64;
    if mean <= 0.0 {
        return None;
    }
    let band = th.consistency_pct / 100.0;
    let c = count as f64;
    (c < mean * (1.0 - band) || c > mean * (1.0 + band)).then_some(mean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_third_either_way_of_the_mean_of_two_earlier_terms_or_more() {
        let th = Thresholds::default();
        assert_eq!(check(10, &[100], &th), None, "one earlier term is not enough");
        assert_eq!(check(133, &[100, 100], &th), None);
        assert_eq!(check(67, &[100, 100], &th), None);
        assert_eq!(check(134, &[100, 100], &th), Some(100.0));
        assert_eq!(check(66, &[100, 100], &th), Some(100.0));
        assert_eq!(check(5, &[0, 0], &th), None, "no mean to compare with");
    }
}
