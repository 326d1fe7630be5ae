//! The five targets of SPEC §5 and their whole-number arithmetic.

use serde::Serialize;

/// Responsible body for schools (plan §三(一)3).
pub const EDUCATION_BOARD: &str = "区教委";
/// Responsible body for community parent schools (plan §三(一)2).
pub const WOMENS_FEDERATION: &str = "区妇联";
/// The township government (plan §三(一)11).
pub const TOWNSHIP_GOVERNMENT: &str = "乡镇街道";

/// One measurable requirement of the plan, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    SchoolParentSchool,
    CommunityParentSchoolUrban,
    CommunityParentSchoolRural,
    ParentSchoolActivities,
    ParentMeetings,
}

impl Target {
    /// Every target, in the order of SPEC §5.
    pub const ALL: [Target; 5] = [
        Target::SchoolParentSchool,
        Target::CommunityParentSchoolUrban,
        Target::CommunityParentSchoolRural,
        Target::ParentSchoolActivities,
        Target::ParentMeetings,
    ];

    /// The stable id scripts rely on.
    pub fn id(self) -> &'static str {
        match self {
            Target::SchoolParentSchool => "school-parent-school",
            Target::CommunityParentSchoolUrban => "community-parent-school-urban",
            Target::CommunityParentSchoolRural => "community-parent-school-rural",
            Target::ParentSchoolActivities => "parent-school-activities",
            Target::ParentMeetings => "parent-meetings",
        }
    }

    /// Looks a target up by its id.
    pub fn from_id(id: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.id() == id.trim())
    }

    /// The section of the plan the target comes from.
    pub fn plan_section(self) -> &'static str {
        match self {
            Target::ParentMeetings => "二(三)7",
            _ => "二(二)4",
        }
    }

    /// The required percentage.
    pub fn required_pct(self) -> u32 {
        match self {
            Target::CommunityParentSchoolUrban => 95,
            Target::CommunityParentSchoolRural => 85,
            _ => 100,
        }
    }

    /// A short description for people.
    pub fn description(self) -> &'static str {
        match self {
            Target::SchoolParentSchool => "schools with a parent school (学校家长学校建校率)",
            Target::CommunityParentSchoolUrban => "urban communities with a parent school (城区社区家长学校)",
            Target::CommunityParentSchoolRural => "rural communities with a parent school (农村社区家长学校)",
            Target::ParentSchoolActivities => "parent schools with guidance and practice this term (每学期指导+实践)",
            Target::ParentMeetings => "schools with a parent meeting this term (每学期家长会)",
        }
    }
}

/// Met, gap, or not applicable (no units to count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    #[serde(rename = "met")]
    Met,
    #[serde(rename = "gap")]
    Gap,
    #[serde(rename = "n/a")]
    NotApplicable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Gap => "gap",
            Status::NotApplicable => "n/a",
        }
    }
}

/// A count of units meeting a requirement out of the units it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ratio {
    pub numerator: u64,
    pub denominator: u64,
}

impl Ratio {
    pub fn new(numerator: u64, denominator: u64) -> Ratio {
        debug_assert!(numerator <= denominator);
        Ratio { numerator, denominator }
    }

    /// The fewest more units needed to reach `required_pct`:
    /// max(0, ⌈required × denominator / 100⌉ − numerator), in whole numbers.
    pub fn shortfall(self, required_pct: u32) -> u64 {
        let needed = (u64::from(required_pct) * self.denominator).div_ceil(100);
        needed.saturating_sub(self.numerator)
    }

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
    pub fn pct_hundredths(self) -> Option<u64> {
        if self.denominator == 0 {
            return None;
        }
        let scaled = 10_000u128 * u128::from(self.numerator);
        let d = u128::from(self.denominator);
        Some(((2 * scaled + d) / (2 * d)) as u64)
    }

    /// The percentage rounded to `decimals` (1 or 2) places, as text.
    pub fn pct_text(self, decimals: usize) -> String {
        let Some(h) = self.pct_hundredths() else {
            return String::new();
        };
        if decimals >= 2 {
            return format!("{}.{:02}", h / 100, h % 100);
        }
        // Round from the exact ratio, not from the already-rounded hundredths.
        let scaled = 1_000u128 * u128::from(self.numerator);
        let d = u128::from(self.denominator);
        let tenths = (2 * scaled + d) / (2 * d);
        format!("{}.{}", tenths / 10, tenths % 10)
    }

    /// The percentage to 2 decimals as a number, for JSON.
    pub fn pct_json(self) -> Option<f64> {
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

    #[test]
    fn ids_round_trip() {
        for t in Target::ALL {
            assert_eq!(Target::from_id(t.id()), Some(t));
        }
        assert_eq!(Target::from_id("nope"), None);
    }
}
