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
//! raises the office's reach of community arrests for the day:
//!
//! ```text
//! reach(o) = reach_per_office_per_day x (1 + reach_gain if sensitive places are open)
//!                                     x (1 + broadened_reach_gain if broadened)
//!          + operation_agents(o) x reach_per_operation_agent_day
//! ```
//!
//! `broadened` is the order of 2025-05-21 to arrest people without a record too and to
//! look more broadly: every office's community operations widen, not only a city's.
//! Neither gain has a published figure; the 2025 fit estimates both from national
//! arrests (docs/calibration.md). With no operation agents and `broadened` off, nothing
//! changes.

use crate::setup::scenario::{ChannelParams, OfficeParams};

/// Community arrests an office can reach today: the office's own reach (raised when
/// sensitive places are open) plus what its operation agents add.
pub fn community_reach(channels: &ChannelParams, office: Option<&OfficeParams>) -> f64 {
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
    let agents = office.map_or(0, |o| o.operation_agents);
    c.reach_per_office_per_day * (1.0 + gain) * (1.0 + broadened)
        + f64::from(agents) * c.reach_per_operation_agent_day
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
        assert_eq!(community_reach(&s.channels, s.offices.get("LOS")), 170.0);
        assert_eq!(community_reach(&s.channels, s.offices.get("NYC")), 20.0);
        assert_eq!(community_reach(&s.channels, None), 20.0);
        s.channels.community.broadened = true;
        s.channels.community.broadened_reach_gain = 1.5;
        assert_eq!(community_reach(&s.channels, s.offices.get("NYC")), 50.0);
        assert_eq!(community_reach(&s.channels, s.offices.get("LOS")), 200.0);
    }
}
