//! `digit-heaping`: a host's head counts end in 0 or 5 far more often than chance.
//!
//! Of a host's activities in the term, take those with a head count of 10 or more (below
//! 10, a 5 or a 10 is as likely as any other count). If there are at least
//! `heaping_min_rows` of them, `k` of which end in 0 or 5, the one-sided z statistic of a
//! binomial against the share chance gives (20 %) is `z = (k − 0.2·n) / √(0.16·n)`; the
//! host is flagged when `z > heaping_z` (3.09 by default: p < 0.001).

use super::Thresholds;

/// The z statistic, when the host is flagged.
pub(crate) fn check(counted: u32, heaped: u32, th: &Thresholds) -> Option<f64> {
    if counted == 0 || counted < th.heaping_min_rows {
        return None;
    }
    let n = f64::from(counted);
    let z = (f64::from(heaped) - 0.2 * n) / (0.16 * n).sqrt();
    (z > th.heaping_z).then_some(z)
}

/// Whether a head count is counted, and whether it ends in 0 or 5.
pub(crate) fn classify(participants: i64) -> (bool, bool) {
    (participants >= 10, participants >= 10 && participants % 5 == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heaping_needs_enough_rows_and_a_share_well_above_a_fifth() {
        let th = Thresholds::default();
        assert_eq!(check(19, 19, &th), None, "too few rows to say");
        assert!(check(20, 20, &th).is_some());
        // 20 rows, 8 heaped: z = (8 − 4) / √3.2 = 2.24 — could be chance.
        assert_eq!(check(20, 8, &th), None);
        // 100 rows, 35 heaped: z = 15 / 4 = 3.75.
        assert!((check(100, 35, &th).unwrap() - 3.75).abs() < 1e-9);
        assert_eq!(classify(9), (false, false));
        assert_eq!(classify(15), (true, true));
        assert_eq!(classify(41), (true, false));
    }
}
