//! `participants-outlier`: a head count far from those of its host group.
//!
//! The host group is the kind of unit (a school's group: 中小学, 幼儿园 or 中职; an urban
//! or a rural community; a body) together with the activity's kind, since a parents'
//! lecture and a home visit draw very different numbers. Over a group's head counts in the
//! term (at least `outlier_min_rows`, 10), the modified z-score of Iglewicz and Hoaglin is
//! `M = 0.6745 · (x − median) / MAD`, MAD the median of |x − median|; a row is flagged when
//! |M| > `outlier_z` (3.5). When MAD is 0 (more than half the counts equal), the mean
//! absolute deviation stands in: `M = (x − median) / (1.253314 · MeanAD)`; when that is 0
//! too, every count is the same and none is an outlier. Rows without a head count, or of
//! a unit on no roster of the term, are not counted.

use std::collections::BTreeMap;

use super::Thresholds;

/// Head counts below this are counted in an array, the rest in a map.
const DENSE: usize = 4096;

/// The head counts of one group, as value → how many.
#[derive(Debug, Clone, Default)]
pub(crate) struct Counts {
    dense: Vec<u64>,
    sparse: BTreeMap<u64, u64>,
    n: u64,
}

impl Counts {
    pub(crate) fn add(&mut self, x: u64) {
        if (x as usize) < DENSE {
            if self.dense.is_empty() {
                self.dense = vec![0; DENSE];
            }
            self.dense[x as usize] += 1;
        } else {
            *self.sparse.entry(x).or_default() += 1;
        }
        self.n += 1;
    }

    fn values(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        let dense = self.dense.iter().enumerate().filter(|(_, c)| **c > 0).map(|(x, c)| (x as u64, *c));
        dense.chain(self.sparse.iter().map(|(x, c)| (*x, *c)))
    }

    /// Twice the median (so that it stays whole).
    fn median2(pairs: impl Iterator<Item = (u64, u64)> + Clone, n: u64) -> u64 {
        let (lo, hi) = ((n - 1) / 2, n / 2);
        let at = |k: u64| {
            let mut seen = 0;
            for (x, c) in pairs.clone() {
                seen += c;
                if seen > k {
                    return x;
                }
            }
            0
        };
        at(lo) + at(hi)
    }

    /// The group's median and the scale `M` divides by (MAD / 0.6745, else 1.253314 ·
    /// MeanAD), or `None` if the group is too small or has no spread.
    pub(crate) fn scale(&self, th: &Thresholds) -> Option<(f64, f64)> {
        if self.n == 0 || self.n < u64::from(th.outlier_min_rows) {
            return None;
        }
        let values: Vec<(u64, u64)> = self.values().collect();
        let med2 = Counts::median2(values.iter().copied(), self.n);
        let mut devs: BTreeMap<u64, u64> = BTreeMap::new();
        let mut sum_dev2 = 0u128;
        for &(x, c) in &values {
            let d2 = (2 * x).abs_diff(med2);
            *devs.entry(d2).or_default() += c;
            sum_dev2 += u128::from(d2) * u128::from(c);
        }
        let mad = Counts::median2(devs.iter().map(|(d, c)| (*d, *c)), self.n) as f64 / 4.0;
        let median = med2 as f64 / 2.0;
        if mad > 0.0 {
            return Some((median, mad / 0.6745));
        }
        let mean_ad = sum_dev2 as f64 / 2.0 / self.n as f64;
        (mean_ad > 0.0).then_some((median, 1.253314 * mean_ad))
    }
}

/// The modified z-score of `x`, if beyond the threshold.
pub(crate) fn score(x: u64, (median, scale): (f64, f64), th: &Thresholds) -> Option<f64> {
    let m = (x as f64 - median) / scale;
    (m.abs() > th.outlier_z).then_some(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(xs: &[u64]) -> Counts {
        let mut c = Counts::default();
        for &x in xs {
            c.add(x);
        }
        c
    }

    #[test]
    fn modified_z_scores_by_median_and_mad() {
        let th = Thresholds::default();
        // Median 30, deviations 0 2 2 5 5 8 10 10 10 10 970 → MAD 8.
        let c = counts(&[30, 28, 32, 25, 35, 22, 40, 20, 20, 40, 1000]);
        let (median, scale) = c.scale(&th).unwrap();
        assert_eq!(median, 30.0);
        assert!((scale - 8.0 / 0.6745).abs() < 1e-9);
        let m = score(1000, (median, scale), &th).unwrap();
        assert!((m - 0.6745 * 970.0 / 8.0).abs() < 1e-9, "{m}");
        assert_eq!(score(40, (median, scale), &th), None);
        // An even count of values: the median is the mean of the middle two.
        let c = counts(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(c.scale(&th).unwrap().0, 5.5);
    }

    #[test]
    fn mad_of_zero_falls_back_to_the_mean_absolute_deviation() {
        let th = Thresholds::default();
        let c = counts(&[50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 60, 5000]);
        let (median, scale) = c.scale(&th).unwrap();
        assert_eq!(median, 50.0);
        assert!((scale - 1.253314 * (10.0 + 4950.0) / 12.0).abs() < 1e-9);
        assert!(score(5000, (median, scale), &th).is_some());
        assert!(score(60, (median, scale), &th).is_none());
        assert_eq!(counts(&[7; 12]).scale(&th), None, "all the same: no outliers");
        assert_eq!(counts(&[1, 1000]).scale(&th), None, "too few to say");
        // Large head counts go to the map, and count alike.
        let c = counts(&[5000, 5002, 5004, 5006, 5008, 5010, 5012, 5014, 5016, 5018]);
        assert_eq!(c.scale(&th).unwrap().0, 5009.0);
    }
}
