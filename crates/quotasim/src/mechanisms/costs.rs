//! Costs: what a day of the system costs, by component (docs/model.md 7.17).
//!
//! Costs follow from the day's state and do not act back on it: no officer, bed or
//! flight is bought or refused for its price here (that is `quotasim solve`'s
//! question). Each component is a count of the day times a unit cost of `[costs]`
//! (US dollars):
//!
//! ```text
//! detention  = detained at midnight x detention_per_bed_day
//! atd        = atd_enrolled x atd_per_person_day                    (ATD is an input, not simulated)
//! removal    = removal.flights_per_day x flight_hours_per_flight x flight_hour
//!            + removals today x removal_per_person                  (ground, commercial, escorts)
//! officers   = (ERO agents + recruits in training) x officer_per_year / 365.25 x overtime
//!            + recruits joining today x signing_bonus
//!            overtime = 1 + 1.5 x (around_the_clock_hours_factor - 1) while around the clock
//! deputized  = sum over other agencies of agents x share_of_time x federal_agent_per_year / 365.25
//! task_force = task-force officers x reimbursement_share
//!              x (local_officer_per_year x (1 + task_force_overtime_share) + task_force_award_per_year) / 365.25
//! court      = court decisions today x court_per_case
//! ```
//!
//! In an ensemble (`--reps` above 1, or `--posterior`), each replication draws a
//! factor on each unit cost, uniformly between `costs.low.<cost>` and
//! `costs.high.<cost>` (1 where not given), from its own stream: the summary's 5-95 %
//! bands then carry cost uncertainty as well as chance. A single run uses the values.
//!
//! Task-force officers are `agreements_task_force` x
//! `cooperation.task_force_officers_per_agreement` over the offices. Deputized agents are
//! costed by their own agencies, at the share of their time detailed; what their own
//! missions forgo is counted apart (`own_output_forgone_*`).

use rand::RngExt;

use crate::rng;
use crate::setup::scenario::{CostParams, Scenario};
use crate::types::Agency;

/// The unit costs of `[costs]`, by name, in the order of [`Factors`].
pub use crate::types::COST_KEYS as KEYS;

/// A replication's factor on each unit cost, in the order of [`KEYS`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Factors(pub [f64; 13]);

impl Factors {
    /// The unit costs as they are.
    pub const ONE: Factors = Factors([1.0; 13]);
}

/// Replication `rep`'s factors: uniform between each cost's `low` and `high` (1 where
/// not given), one draw per cost in the order of [`KEYS`] whatever is given.
pub fn draw(c: &CostParams, seed: u64, rep: u32) -> Factors {
    let mut rng = rng::stream(seed, rep, rng::Purpose::Costs, 0);
    Factors(std::array::from_fn(|i| {
        let u: f64 = rng.random();
        let lo = c.low.get(KEYS[i]).copied().unwrap_or(1.0);
        let hi = c.high.get(KEYS[i]).copied().unwrap_or(1.0);
        lo + (hi - lo) * u
    }))
}

/// The unit costs times `f`.
fn scaled(c: &CostParams, f: &Factors) -> CostParams {
    let f = f.0;
    CostParams {
        detention_per_bed_day: c.detention_per_bed_day * f[0],
        atd_enrolled: c.atd_enrolled * f[1],
        atd_per_person_day: c.atd_per_person_day * f[2],
        flight_hours_per_flight: c.flight_hours_per_flight * f[3],
        flight_hour: c.flight_hour * f[4],
        removal_per_person: c.removal_per_person * f[5],
        officer_per_year: c.officer_per_year * f[6],
        signing_bonus: c.signing_bonus * f[7],
        federal_agent_per_year: c.federal_agent_per_year * f[8],
        local_officer_per_year: c.local_officer_per_year * f[9],
        task_force_overtime_share: c.task_force_overtime_share * f[10],
        task_force_award_per_year: c.task_force_award_per_year * f[11],
        court_per_case: c.court_per_case * f[12],
        low: Default::default(),
        high: Default::default(),
    }
}

/// Days in a year, for yearly unit costs.
pub const DAYS_PER_YEAR: f64 = 365.25;

/// One day's costs by component, US dollars.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DayCosts {
    pub detention: f64,
    pub atd: f64,
    pub removal: f64,
    pub officers: f64,
    pub deputized: f64,
    pub task_force: f64,
    pub court: f64,
}

impl DayCosts {
    /// The components, named as in the daily columns (`national_cost_<name>`).
    pub const NAMES: [&'static str; 7] = [
        "detention",
        "atd",
        "removal",
        "officers",
        "deputized",
        "task_force",
        "court",
    ];

    pub fn components(&self) -> [f64; 7] {
        [
            self.detention,
            self.atd,
            self.removal,
            self.officers,
            self.deputized,
            self.task_force,
            self.court,
        ]
    }

    pub fn total(&self) -> f64 {
        self.components().iter().sum()
    }
}

/// What a day's costs are counted from.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DayCounts {
    /// Everyone detained at midnight.
    pub detained: u64,
    /// Removals today.
    pub removals: u64,
    /// Agents of each agency working on arrests today, over all offices (trained
    /// recruits included).
    pub agents: [f64; Agency::COUNT],
    /// ERO recruits in training (paid, not yet working).
    pub in_training: f64,
    /// Recruits who joined today (their signing bonus is paid).
    pub joined_today: f64,
    /// Court decisions today.
    pub court_decisions: u64,
}

/// Task-force officers in all offices under scenario `s`.
pub fn task_force_officers(s: &Scenario) -> f64 {
    let agreements: u64 = s
        .offices
        .values()
        .map(|o| u64::from(o.agreements_task_force))
        .sum();
    agreements as f64 * s.cooperation.task_force_officers_per_agreement
}

/// The day's costs under scenario `s` (the day's segment), its unit costs times `f`.
pub fn day(s: &Scenario, n: &DayCounts, f: &Factors) -> DayCosts {
    let c = &scaled(&s.costs, f);
    let k = &s.capacity;
    let overtime = if k.around_the_clock {
        1.0 + 1.5 * (k.around_the_clock_hours_factor - 1.0).max(0.0)
    } else {
        1.0
    };
    let ero = n.agents[Agency::Ero as usize] + n.in_training;
    let deputized: f64 = Agency::ALL
        .iter()
        .filter(|a| a.is_diverted())
        .map(|&a| n.agents[a as usize] * k.agencies.get(a).share_of_time)
        .sum();
    let tf_year = c.local_officer_per_year * (1.0 + c.task_force_overtime_share)
        + c.task_force_award_per_year;
    DayCosts {
        detention: n.detained as f64 * c.detention_per_bed_day,
        atd: c.atd_enrolled * c.atd_per_person_day,
        removal: s.removal.flights_per_day * c.flight_hours_per_flight * c.flight_hour
            + n.removals as f64 * c.removal_per_person,
        officers: ero * c.officer_per_year / DAYS_PER_YEAR * overtime
            + n.joined_today * c.signing_bonus,
        deputized: deputized * c.federal_agent_per_year / DAYS_PER_YEAR,
        task_force: task_force_officers(s) * s.cooperation.reimbursement_share * tf_year
            / DAYS_PER_YEAR,
        court: n.court_decisions as f64 * c.court_per_case,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn priced() -> Scenario {
        let mut s = Scenario::national_default();
        let c = &mut s.costs;
        c.detention_per_bed_day = 200.0;
        c.atd_enrolled = 1000.0;
        c.atd_per_person_day = 5.0;
        c.flight_hours_per_flight = 6.0;
        c.flight_hour = 10_000.0;
        c.removal_per_person = 2_000.0;
        c.officer_per_year = 365_250.0;
        c.signing_bonus = 50_000.0;
        c.federal_agent_per_year = 730_500.0;
        c.local_officer_per_year = 365_250.0;
        c.task_force_overtime_share = 0.25;
        c.task_force_award_per_year = 0.0;
        c.court_per_case = 1_000.0;
        s.removal.flights_per_day = 2.0;
        s.capacity.around_the_clock = false;
        s
    }

    #[test]
    fn each_component_is_its_count_times_its_unit_cost() {
        let s = priced();
        let mut agents = [0.0; Agency::COUNT];
        agents[Agency::Ero as usize] = 100.0;
        agents[Agency::Hsi as usize] = 10.0;
        let n = DayCounts {
            detained: 50,
            removals: 3,
            agents,
            in_training: 20.0,
            joined_today: 2.0,
            court_decisions: 7,
        };
        let d = day(&s, &n, &Factors::ONE);
        assert_eq!(d.detention, 10_000.0);
        assert_eq!(d.atd, 5_000.0);
        // Two flights of six hours at 10,000 an hour, and 3 removals at 2,000.
        assert_eq!(d.removal, 126_000.0);
        // 120 officers paid 1,000 a day, and two signing bonuses.
        assert!((d.officers - 220_000.0).abs() < 1e-6, "{}", d.officers);
        // Ten HSI agents at their share of time (0.6) at 2,000 a day.
        let hsi_share = s.capacity.agencies.hsi.share_of_time;
        assert!((d.deputized - 10.0 * hsi_share * 2_000.0).abs() < 1e-6);
        assert_eq!(d.court, 7_000.0);
        assert!((d.total() - d.components().iter().sum::<f64>()).abs() < 1e-9);
    }

    #[test]
    fn overtime_around_the_clock_raises_only_ice_officer_pay() {
        let mut s = priced();
        let mut agents = [0.0; Agency::COUNT];
        agents[Agency::Ero as usize] = 100.0;
        agents[Agency::Fbi as usize] = 100.0;
        let n = DayCounts {
            agents,
            ..DayCounts::default()
        };
        let before = day(&s, &n, &Factors::ONE);
        s.capacity.around_the_clock = true;
        s.capacity.around_the_clock_hours_factor = 1.25;
        let after = day(&s, &n, &Factors::ONE);
        // Two extra hours in eight, paid at time and a half: 1.375 times the pay.
        assert!((after.officers / before.officers - 1.375).abs() < 1e-12);
        assert_eq!(after.deputized, before.deputized);
    }

    #[test]
    fn task_force_costs_only_what_ice_reimburses() {
        let mut s = priced();
        for o in s.offices.values_mut() {
            o.agreements_task_force = 0;
        }
        s.offices.get_mut("MIA").unwrap().agreements_task_force = 10;
        s.cooperation.task_force_officers_per_agreement = 20.0;
        s.cooperation.reimbursement_share = 0.0;
        let n = DayCounts::default();
        assert_eq!(day(&s, &n, &Factors::ONE).task_force, 0.0);
        s.cooperation.reimbursement_share = 1.0;
        // 200 officers at 1,000 a day with a quarter more for overtime.
        assert!((day(&s, &n, &Factors::ONE).task_force - 250_000.0).abs() < 1e-6);
    }

    #[test]
    fn draws_stay_in_their_ranges_repeat_by_seed_and_leave_costs_without_one_alone() {
        let mut c = Scenario::national_default().costs;
        c.low = [("detention_per_bed_day".to_string(), 0.8)].into();
        c.high = [("detention_per_bed_day".to_string(), 1.4)].into();
        let draws: Vec<Factors> = (0..200).map(|r| draw(&c, 3, r)).collect();
        assert!(draws.iter().all(|f| (0.8..=1.4).contains(&f.0[0])));
        assert!(draws.iter().all(|f| f.0[1..].iter().all(|&x| x == 1.0)));
        let mean = draws.iter().map(|f| f.0[0]).sum::<f64>() / 200.0;
        assert!((mean - 1.1).abs() < 0.03, "{mean}");
        assert_eq!(draw(&c, 3, 7), draws[7]);
        assert_ne!(draw(&c, 4, 7), draws[7]);
    }
}
