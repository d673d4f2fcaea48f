//! City operations: Border Patrol agents detailed to one office (docs/model.md 7.16).
//!
//! From June 2025 the large operations in cities (Los Angeles, Chicago's Midway Blitz,
//! Charlotte, New Orleans, Minneapolis's Metro Surge) were led by Border Patrol agents
//! detailed from the border, beside ICE officers surged from other offices. An
//! operation is two dated inputs of an office:
//!
//! - `offices.X.operation_agents`: Border Patrol agents in the office. They are agents of
//!   the `cbp` agency placed in that office alone (not spread over offices by the docket,
//!   as national agents are), and give hours as any agency does ([`crate::mechanisms::capacity`]):
//!
//!   ```text
//!   hours_cbp(o) = (agents_cbp x docket_share(o) + operation_agents(o)) x hours_per_agent_day(cbp)
//!   ```
//!
//! - ICE officers moved in from the other offices stay `offices.X.surge_officers`.
//!
//! What sets an operation apart from more hours is where it looks: agents sweep public
//! places (car washes, parking lots of home-improvement stores, street corners), which
//! raises the office's reach of community arrests for the day. An office's own community
//! operations are staffed by its officers, so their reach has a part that grows with the
//! office's officer-hours of the day, H(o) (ERO-officer-hour equivalents: deputized
//! agents, operation agents and trained recruits included, [`crate::mechanisms::capacity`]):
//!
//! ```text
//! reach(o) = (reach_per_office_per_day + reach_per_officer_hour x H(o))
//!              x (1 + reach_gain if sensitive places are open)
//!              x (1 + broadened_reach_gain if broadened)
//!          + operation_agents(o) x reach_per_operation_agent_day
//! ```
//!
//! With `reach_per_officer_hour` = 0 every office has the same reach whatever its size;
//! with `reach_per_office_per_day` = 0 reach follows the officers, and so the docket
//! share, hiring and deputized agents that set H(o).
//!
//! `broadened` is the order of 2025-05-21 to arrest people without a record too and to
//! look more broadly: every office's community operations widen, not only a city's.
//! Neither gain has a published figure; the 2025 fit estimates both from national
//! arrests (docs/calibration.md). With no operation agents and `broadened` off, nothing
//! changes.

use crate::setup::scenario::{ChannelParams, OfficeParams};

/// An office's reach of community arrests under one segment's parameters, as a function
/// of its officer-hours of the day (which trained recruits change from day to day).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reach {
    /// The part whatever the office's officers (with the gains applied).
    fixed: f64,
    /// Reach per officer-hour (with the gains applied).
    per_hour: f64,
    /// What the office's operation agents add.
    operation: f64,
}

impl Reach {
    /// The office's reach: its own (raised when sensitive places are open and when
    /// offices are told to look more broadly) plus what its operation agents add.
    pub fn of(channels: &ChannelParams, office: Option<&OfficeParams>) -> Reach {
        let gain = if channels.sensitive_places.protected {
            0.0
        } else {
            channels.sensitive_places.reach_gain
        };
        let c = &channels.community;
        let broadened = if c.broadened {
            c.broadened_reach_gain
        } else {
            0.0
        };
        let widened = |reach: f64| reach * (1.0 + gain) * (1.0 + broadened);
        let agents = office.map_or(0, |o| o.operation_agents);
        Reach {
            fixed: widened(c.reach_per_office_per_day),
            per_hour: widened(c.reach_per_officer_hour),
            operation: f64::from(agents) * c.reach_per_operation_agent_day,
        }
    }

    /// Community arrests the office can reach on a day it has `officer_hours`.
    pub fn on(&self, officer_hours: f64) -> f64 {
        self.fixed + self.per_hour * officer_hours + self.operation
    }
}

/// Operation agents of each office, in the order of `office_codes`.
pub fn agents_by_office(
    offices: &std::collections::BTreeMap<String, OfficeParams>,
    office_codes: &[String],
) -> Vec<f64> {
    office_codes
        .iter()
        .map(|c| {
            offices
                .get(c)
                .map_or(0.0, |o| f64::from(o.operation_agents))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::scenario::Scenario;

    #[test]
    fn operation_agents_add_reach_where_they_are_and_broadening_widens_every_office() {
        let mut s = Scenario::national_default();
        s.channels.sensitive_places.protected = true;
        s.channels.community.reach_per_office_per_day = 20.0;
        s.channels.community.reach_per_operation_agent_day = 0.5;
        s.offices.get_mut("LOS").unwrap().operation_agents = 300;
        let reach = |code: Option<&str>| {
            Reach::of(&s.channels, code.and_then(|c| s.offices.get(c))).on(1_000.0)
        };
        assert_eq!(reach(Some("LOS")), 170.0);
        assert_eq!(reach(Some("NYC")), 20.0);
        assert_eq!(reach(None), 20.0);
        s.channels.community.broadened = true;
        s.channels.community.broadened_reach_gain = 1.5;
        let reach = |code: &str| Reach::of(&s.channels, s.offices.get(code)).on(1_000.0);
        assert_eq!(reach("NYC"), 50.0);
        assert_eq!(reach("LOS"), 200.0);
    }

    #[test]
    fn community_reach_grows_with_the_officers_who_staff_it() {
        let mut s = Scenario::national_default();
        s.channels.sensitive_places.protected = true;
        s.channels.community.reach_per_office_per_day = 4.0;
        s.channels.community.reach_per_officer_hour = 0.01;
        s.channels.community.reach_per_operation_agent_day = 0.5;
        s.offices.get_mut("LOS").unwrap().operation_agents = 100;
        let nyc = Reach::of(&s.channels, s.offices.get("NYC"));
        // 4 + 0.01 x hours: an office with twice the hours reaches 10 more, not twice.
        assert_eq!(nyc.on(0.0), 4.0);
        assert_eq!(nyc.on(1_000.0), 14.0);
        assert_eq!(nyc.on(2_000.0), 24.0);
        // Operation agents add their own reach beside the officers'.
        assert_eq!(
            Reach::of(&s.channels, s.offices.get("LOS")).on(1_000.0),
            64.0
        );
        // The gains scale both parts: open sensitive places (+15 %) and broadening (x 2).
        s.channels.sensitive_places.protected = false;
        s.channels.sensitive_places.reach_gain = 0.25;
        s.channels.community.broadened = true;
        s.channels.community.broadened_reach_gain = 1.0;
        assert_eq!(
            Reach::of(&s.channels, s.offices.get("NYC")).on(1_000.0),
            35.0
        );
    }
}
