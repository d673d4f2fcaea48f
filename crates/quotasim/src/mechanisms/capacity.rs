//! Capacity: officer-hours by agency and office (docs/model.md 7.3).
//!
//! An agent gives, per day,
//!
//! ```text
//! hours_per_agent_day = hours_per_shift x shifts_per_week / 7 x (1 - leave) x share_of_time x f
//! ```
//!
//! where `leave` is `leave_share_when_cancelled` if leave is cancelled (ICE staff only)
//! and `leave_share` otherwise, and `f` is `around_the_clock_hours_factor` while ICE
//! runs around the clock (ICE staff only), 1 otherwise. Each agency's agents are spread
//! over offices in proportion to the docket (recruits join them once trained,
//! [`crate::mechanisms::hiring`]); a surge moves ERO officers into one office
//! from all offices in proportion to their staff, and a city operation places Border
//! Patrol agents in its office alone ([`crate::mechanisms::operations`]). An office's working hours are the sum
//! over agencies of hours x efficiency (in ERO-officer-hour equivalents). Every hour of
//! an agency other than ERO is an hour diverted from that agency's own mission.

use crate::setup::scenario::{AgencyParams, CapacityParams, Scenario};
use crate::types::Agency;

/// Hours one agent of an agency gives to immigration arrests in a day.
pub fn hours_per_agent_day(k: &CapacityParams, a: &AgencyParams) -> f64 {
    let leave = if a.ice_schedule && k.leave_cancelled {
        k.leave_share_when_cancelled
    } else {
        k.leave_share
    };
    let factor = if a.ice_schedule && k.around_the_clock {
        k.around_the_clock_hours_factor
    } else {
        1.0
    };
    k.hours_per_shift * k.shifts_per_week / 7.0 * (1.0 - leave) * a.share_of_time * factor
}

/// One office's hours for a day, by agency.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OfficeHours {
    /// Agents of each agency assigned to the office (may be fractional: a share of a
    /// national count).
    pub agents: [f64; Agency::COUNT],
    /// Hours available from each agency (agent-hours).
    pub hours: [f64; Agency::COUNT],
    /// Working hours in ERO-officer-hour equivalents: sum of hours x efficiency.
    pub effective: f64,
}

/// Each office's hours under scenario `s`, offices in the order of `docket_share`.
pub fn office_hours(
    s: &Scenario,
    office_codes: &[String],
    docket_share: &[f64],
) -> Vec<OfficeHours> {
    office_hours_with(s, office_codes, docket_share, &[0; Agency::COUNT])
}

/// As [`office_hours`], with `trained_recruits[a]` more agents of each agency: recruits
/// who finished their training ([`crate::mechanisms::hiring`]), spread like the agency's agents.
pub fn office_hours_with(
    s: &Scenario,
    office_codes: &[String],
    docket_share: &[f64],
    trained_recruits: &[u32; Agency::COUNT],
) -> Vec<OfficeHours> {
    let k = &s.capacity;
    let surge: Vec<f64> = office_codes
        .iter()
        .map(|c| {
            s.offices
                .get(c)
                .map_or(0.0, |o| f64::from(o.surge_officers))
        })
        .collect();
    let surge_total: f64 = surge.iter().sum();
    let operation = crate::mechanisms::operations::agents_by_office(&s.offices, office_codes);
    docket_share
        .iter()
        .enumerate()
        .map(|(o, &share)| {
            let mut agents = [0.0; Agency::COUNT];
            let mut hours = [0.0; Agency::COUNT];
            let mut effective = 0.0;
            for a in Agency::ALL {
                let p = k.agencies.get(a);
                let mut n = f64::from(p.agents + trained_recruits[a as usize]) * share;
                if a == Agency::Ero {
                    // Every office gives up its share of the surge; the surged office gains it.
                    n += surge[o] - surge_total * share;
                }
                if a == Agency::Cbp {
                    // City operations place their Border Patrol agents in one office.
                    n += operation[o];
                }
                agents[a as usize] = n;
                hours[a as usize] = n * hours_per_agent_day(k, p);
                effective += hours[a as usize] * p.efficiency;
            }
            OfficeHours {
                agents,
                hours,
                effective,
            }
        })
        .collect()
}

/// The agency's own mission output forgone for one day of `agents` detailed agents:
/// agents x share_of_time x own_output_per_agent_year / 365.25. For HSI the rate is its
/// criminal arrests a year per special agent.
pub fn own_output_forgone_per_day(a: &AgencyParams, agents: f64) -> f64 {
    agents * a.share_of_time * a.own_output_per_agent_year / 365.25
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn around_the_clock_and_cancelled_leave_raise_ice_hours_only() {
        let mut s = Scenario::national_default();
        s.capacity.around_the_clock = false;
        s.capacity.leave_cancelled = false;
        let k = s.capacity.clone();
        let base_ero = hours_per_agent_day(&k, &k.agencies.ero);
        let base_fbi = hours_per_agent_day(&k, &k.agencies.fbi);
        s.capacity.around_the_clock = true;
        s.capacity.leave_cancelled = true;
        let k2 = &s.capacity;
        let f = k2.around_the_clock_hours_factor * (1.0 - k2.leave_share_when_cancelled)
            / (1.0 - k2.leave_share);
        assert!((hours_per_agent_day(k2, &k2.agencies.ero) / base_ero - f).abs() < 1e-12);
        assert_eq!(hours_per_agent_day(k2, &k2.agencies.fbi), base_fbi);
    }

    #[test]
    fn surge_moves_officers_without_creating_any() {
        let mut s = Scenario::national_default();
        s.offices.get_mut("CHI").unwrap().surge_officers = 300;
        let codes: Vec<String> = s.field_offices().iter().map(|o| o.code.clone()).collect();
        let share = vec![1.0 / 25.0; 25];
        let h = office_hours(&s, &codes, &share);
        let total: f64 = h.iter().map(|o| o.agents[0]).sum();
        assert!((total - f64::from(s.capacity.agencies.ero.agents)).abs() < 1e-6);
        let chi = codes.iter().position(|c| c == "CHI").unwrap();
        assert!((h[chi].agents[0] - h[0].agents[0] - 300.0).abs() < 1e-6);
    }
}
