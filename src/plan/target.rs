//! A target row's status (SPEC §10) and the whole-number arithmetic of percentage targets.

use serde::Serialize;

/// The status of a target row (SPEC §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub(crate) enum Status {
    /// The threshold is reached.
    #[serde(rename = "met")]
    Met,
    /// Not reached yet, but the period has not ended by the as-of day.
    #[serde(rename = "pending")]
    Pending,
    /// Not reached, and the period is over.
    #[serde(rename = "gap")]
    Gap,
    /// No units to count.
    #[serde(rename = "n/a")]
    NotApplicable,
    /// Units exist, but every one left blank every fact the target requires.
    #[serde(rename = "no-data")]
    NoData,
    /// An informational target: counted and shown, never a gap.
    #[serde(rename = "info")]
    Info,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Pending => "pending",
            Status::Gap => "gap",
            Status::NotApplicable => "n/a",
            Status::NoData => "no-data",
            Status::Info => "info",
        }
    }
}

/// A count of units meeting a requirement out of the units it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Ratio {
    pub numerator: u64,
    pub denominator: u64,
}

impl Ratio {
    pub(crate) fn new(numerator: u64, denominator: u64) -> Ratio {
        debug_assert!(numerator <= denominator);
        Ratio { numerator, denominator }
    }

    /// The fewest more units needed to reach `required_pct`:
    /// max(0, ⌈required × denominator / 100⌉ − numerator), in whole numbers.
    pub(crate) fn shortfall(self, required_pct: u32) -> u64 {
        let needed = (u64::from(required_pct) * self.denominator).div_ceil(100);
        needed.saturating_sub(self.numerator)
    }

    #[cfg(test)]
    pub fn status(self, required_pct: u32) -> Status {
        if self.denominator == 0 {
            Status::NotApplicable
        } else if self.shortfall(required_pct) == 0 {
            Status::Met
        } else {
            Status::Gap
        }
    }

    /// 100 × numerator / denominator in hundredths of a percent, rounded half up;
    /// `None` when the denominator is 0.
    pub(crate) fn pct_hundredths(self) -> Option<u64> {
        if self.denominator == 0 {
            return None;
        }
        let scaled = 10_000u128 * u128::from(self.numerator);
        let d = u128::from(self.denominator);
        Some(((2 * scaled + d) / (2 * d)) as u64)
    }

    /// The percentage rounded to `decimals` (1 or 2) places, as text.
    pub(crate) fn pct_text(self, decimals: usize) -> String {
        if decimals >= 2 {
            return self.pct_hundredths().map_or_else(String::new, |h| format!("{}.{:02}", h / 100, h % 100));
        }
        self.pct_tenths().map_or_else(String::new, |t| format!("{}.{}", t / 10, t % 10))
    }

    /// 100 × numerator / denominator in tenths of a percent, rounded half up from the
    /// exact ratio (not from the already-rounded hundredths); `None` when the denominator is 0.
    pub(crate) fn pct_tenths(self) -> Option<u64> {
        if self.denominator == 0 {
            return None;
        }
        let scaled = 1_000u128 * u128::from(self.numerator);
        let d = u128::from(self.denominator);
        Some(((2 * scaled + d) / (2 * d)) as u64)
    }

    /// The percentage to 2 decimals as a number, for JSON.
    pub(crate) fn pct_json(self) -> Option<f64> {
        self.pct_hundredths().map(|h| h as f64 / 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nineteen_of_twenty_at_95_is_met() {
        let r = Ratio::new(19, 20);
        assert_eq!(r.shortfall(95), 0);
        assert_eq!(r.status(95), Status::Met);
        assert_eq!(Ratio::new(18, 20).shortfall(95), 1);
    }

    #[test]
    fn shortfall_rounds_up_in_whole_numbers() {
        // 95% of 126 = 119.7 → 120 needed.
        assert_eq!(Ratio::new(118, 126).shortfall(95), 2);
        assert_eq!(Ratio::new(120, 126).shortfall(95), 0);
        // 85% of 178 = 151.3 → 152 needed.
        assert_eq!(Ratio::new(151, 178).shortfall(85), 1);
        assert_eq!(Ratio::new(152, 178).status(85), Status::Met);
        assert_eq!(Ratio::new(0, 1).shortfall(100), 1);
        assert_eq!(Ratio::new(99, 100).shortfall(100), 1);
        assert_eq!(Ratio::new(5, 5).shortfall(100), 0);
    }

    #[test]
    fn zero_denominator_is_not_applicable() {
        let r = Ratio::new(0, 0);
        assert_eq!(r.status(100), Status::NotApplicable);
        assert_eq!(r.shortfall(100), 0);
        assert_eq!(r.pct_hundredths(), None);
        assert_eq!(r.pct_text(1), "");
    }

    #[test]
    fn percentages_round_half_up() {
        assert_eq!(Ratio::new(118, 126).pct_text(2), "93.65");
        assert_eq!(Ratio::new(118, 126).pct_text(1), "93.7");
        assert_eq!(Ratio::new(118, 126).pct_json(), Some(93.65));
        assert_eq!(Ratio::new(1, 3).pct_text(2), "33.33");
        assert_eq!(Ratio::new(2, 3).pct_text(1), "66.7");
        assert_eq!(Ratio::new(1, 8).pct_text(2), "12.50");
        // 1/16 = 6.25% → 6.3 at one decimal (half up on the exact value).
        assert_eq!(Ratio::new(1, 16).pct_text(1), "6.3");
        assert_eq!(Ratio::new(20, 20).pct_text(1), "100.0");
    }

    #[test]
    fn shortfall_matches_a_plain_oracle() {
        for d in 0..=300u64 {
            for n in 0..=d {
                for req in [85u32, 95, 100] {
                    // Oracle: the smallest k with (n + k) * 100 >= req * d.
                    let mut k = 0;
                    while (n + k) * 100 < u64::from(req) * d {
                        k += 1;
                    }
                    assert_eq!(Ratio::new(n, d).shortfall(req), k, "{n}/{d} at {req}");
                }
            }
        }
    }

    proptest::proptest! {
        /// At any size, the shortfall is the least k with (n + k) / d ≥ required, and the
        /// status follows from it.
        #[test]
        fn shortfall_against_the_definition(d in 1u64..5_000_000, frac in 0.0f64..=1.0, req in proptest::sample::select(vec![85u32, 95, 100])) {
            let n = ((d as f64) * frac) as u64;
            let r = Ratio::new(n, d);
            let k = r.shortfall(req);
            proptest::prop_assert!((n + k) * 100 >= u64::from(req) * d);
            proptest::prop_assert!(k == 0 || (n + k - 1) * 100 < u64::from(req) * d);
            proptest::prop_assert_eq!(r.status(req) == Status::Met, k == 0);
            let h = r.pct_hundredths().unwrap();
            // Rounded half up: within half a hundredth of the exact value.
            let exact = 10_000.0 * n as f64 / d as f64;
            proptest::prop_assert!((h as f64 - exact).abs() <= 0.5 + 1e-6);
        }
    }
}
