//! TEMPORARY bridge from the v2 snapshot to `LedgerFacts`, until the ledger reads facts
//! itself (removed when the new storage lands). Every window gets the term's counts.

use anyhow::Result;

use super::Ledger;
use crate::facts::{CommunityUnit, KindCounts, LedgerFacts, RostersUsed, SchoolUnit, Window};
use crate::plan::{Fact, FactSet, SchoolGroup, SchoolType, Term};

impl Ledger {
    pub fn facts(&self, term: Term, windows: &[Window]) -> Result<LedgerFacts> {
        let snap = self.snapshot(term)?;
        let mut f = LedgerFacts {
            rosters: RostersUsed { schools: snap.schools_roster, communities: snap.communities_roster, ..Default::default() },
            townships: snap.townships,
            township_names: snap.township_names,
            activities_in_term: snap.activities_in_term,
            ..Default::default()
        };
        f.schools = snap
            .schools
            .into_iter()
            .map(|s| SchoolUnit {
                code: s.code,
                name: s.name,
                school_type: match s.group {
                    SchoolGroup::PrimarySecondary => SchoolType::Primary,
                    SchoolGroup::Kindergarten => SchoolType::Kindergarten,
                    SchoolGroup::Vocational => SchoolType::Vocational,
                },
                township: s.township,
                area: None,
                facts: FactSet::default().with(Fact::ParentSchool, s.parent_school),
            })
            .collect();
        f.communities = snap
            .communities
            .into_iter()
            .map(|c| CommunityUnit {
                code: c.code,
                name: c.name,
                township_name: c.township_name,
                township_code: c.township_code,
                area: c.area,
                facts: FactSet::default().with(Fact::ParentSchool, c.parent_school),
            })
            .collect();
        let counts: std::collections::HashMap<String, KindCounts> = snap
            .activity
            .into_iter()
            .map(|(k, t)| {
                (
                    k,
                    KindCounts {
                        guidance: t.guidance,
                        practice: t.practice,
                        parent_meetings: t.parent_meetings,
                        home_visits: t.home_visits,
                    },
                )
            })
            .collect();
        for w in windows {
            f.activity.insert(*w, counts.clone());
        }
        Ok(f)
    }
}
