//! Schedule: the day loop (docs/model.md, "Process overview and scheduling").
//!
//! Each day, for each office (in the fixed order of the data file; in parallel where
//! the `parallel` feature is on, each office drawing only from its own stream):
//!
//! 1. jails release people; cooperating jails hand some to ICE ([`crate::population`]);
//! 2. the manager spends the office's hours on arrests ([`crate::manager`],
//!    [`crate::channels`]) under the day's capacity ([`crate::capacity`]);
//! 3. people handed over but not taken go free;
//! 4. jails book people from those at large;
//! 5. the day is counted ([`crate::metrics`]).
//!
//! Parameters come from the plan's segment for the day ([`crate::events`]).

use crate::capacity::{self, OfficeHours};
use crate::channels::{self, Market};
use crate::events::Plan;
use crate::manager;
use crate::metrics::{self, DailyRow, Summary};
use crate::population::{self, OfficeDocket};
use crate::rng::{self, Purpose};
use crate::types::{Agency, Class};

/// The result of one replication.
#[derive(Debug, Clone)]
pub struct Run {
    pub rep: u32,
    pub seed: u64,
    /// One row per office per day, ordered by day then office.
    pub daily: Vec<DailyRow>,
    pub summary: Summary,
    /// Bytes held by the docket at its largest (columns and lists).
    pub docket_bytes: usize,
}

/// Parameters of one segment, worked out once.
struct Compiled {
    hours: Vec<OfficeHours>,
    quota: Vec<f64>,
    cooperation: Vec<f64>,
    release_p: [f64; Class::COUNT],
    booking_p: [f64; Class::COUNT],
}

fn compile(plan: &Plan, seg: &crate::events::Segment) -> Compiled {
    let s = &seg.scenario;
    let codes: Vec<String> = plan.offices.iter().map(|o| o.code.clone()).collect();
    let q = &s.quota;
    let quota = plan
        .docket_share
        .iter()
        .map(|share| {
            if q.per_office_per_day > 0.0 {
                q.per_office_per_day
            } else {
                q.national_per_day * share
            }
        })
        .collect();
    let stay = s.jails.stay_days.to_array();
    let in_custody = plan.scenario.docket.share_in_custody.to_array();
    Compiled {
        hours: capacity::office_hours(s, &codes, &plan.docket_share),
        quota,
        cooperation: codes
            .iter()
            .map(|c| s.offices[c].jail_cooperation)
            .collect(),
        release_p: std::array::from_fn(|c| 1.0 / stay[c]),
        // Bookings that hold each class's share in custody steady: b = s / (1 - s) / stay.
        booking_p: std::array::from_fn(|c| in_custody[c] / (1.0 - in_custody[c]) / stay[c]),
    }
}

/// One office's day (steps 1-5 above).
#[allow(clippy::too_many_arguments)]
fn office_day(
    plan: &Plan,
    seg: &crate::events::Segment,
    comp: &Compiled,
    multipliers: &[f64; population::LEVELS],
    o: usize,
    day: u32,
    rep: u32,
    doc: &mut OfficeDocket,
    rng: &mut rng::Rng,
) -> DailyRow {
    let s = &seg.scenario;
    let hours = &comp.hours[o];
    let (released, offered) = doc.release_from_jails(&comp.release_p, comp.cooperation[o], rng);
    let mut row = DailyRow {
        rep,
        day,
        date: plan.date(day),
        office: o,
        quota: comp.quota[o],
        agents: hours.agents,
        hours_available: hours.hours,
        hours_used: [0.0; Agency::COUNT],
        effective_hours_available: hours.effective,
        effective_hours_used: 0.0,
        arrests_by_channel: [0; 4],
        arrests_by_class: [0; 5],
        arrests_at_sensitive_places: 0,
        own_output_forgone: std::array::from_fn(|a| {
            let ag = Agency::ALL[a];
            if ag.is_diverted() {
                capacity::own_output_forgone_per_day(s.capacity.agencies.get(ag), hours.agents[a])
            } else {
                0.0
            }
        }),
        jail_releases: released,
        jail_handovers_offered: offered,
        jail_bookings: 0,
        docket_at_large: 0,
        docket_in_jail: 0,
        arrested_to_date: 0,
    };
    let decision = {
        let mut market = Market::open(doc, &s.channels, multipliers);
        manager::spend_day(
            &mut market,
            hours.effective,
            comp.quota[o],
            s.quota.penalty_per_missed_arrest,
            &s.manager,
            rng,
            |a| row.record(a),
        )
    };
    doc.end_handovers();
    row.jail_bookings = doc.book_into_jails(&comp.booking_p, rng);
    let used_share = if hours.effective > 0.0 {
        decision.hours_used / hours.effective
    } else {
        0.0
    };
    row.hours_used = hours.hours.map(|h| h * used_share);
    row.effective_hours_used = decision.hours_used;
    row.docket_at_large = doc.at_large_total() as u64;
    row.docket_in_jail = (0..Class::COUNT).map(|c| doc.in_jail_count(c) as u64).sum();
    row.arrested_to_date = doc.arrested.iter().sum();
    debug_assert!(
        row.effective_hours_used <= row.effective_hours_available + 1e-9,
        "hours used exceed hours available"
    );
    debug_assert_eq!(
        row.docket_at_large + row.docket_in_jail + row.arrested_to_date,
        doc.len() as u64,
        "people are not conserved"
    );
    row
}

/// Runs replication `rep` of `plan` from `seed`.
pub fn run(plan: &Plan, seed: u64, rep: u32) -> Run {
    run_with_progress(plan, seed, rep, &|_| {})
}

/// As [`run`], calling `progress(day)` after each simulated day.
pub fn run_with_progress(plan: &Plan, seed: u64, rep: u32, progress: &(dyn Fn(u32) + Sync)) -> Run {
    let compiled: Vec<Compiled> = plan.segments.iter().map(|seg| compile(plan, seg)).collect();
    let multipliers = channels::level_multipliers(plan.scenario.docket.difficulty_log_sd);
    let dockets = population::build(&plan.scenario, &plan.docket_share, seed, rep);
    let docket_bytes = dockets.iter().map(OfficeDocket::heap_bytes).sum();
    let mut offices: Vec<(OfficeDocket, rng::Rng)> = dockets
        .into_iter()
        .enumerate()
        .map(|(o, d)| (d, rng::stream(seed, rep, Purpose::Dynamics, o)))
        .collect();
    let mut daily = Vec::with_capacity(plan.days as usize * offices.len());
    for day in 0..plan.days {
        let si = plan.segment_index(day);
        let (seg, comp) = (&plan.segments[si], &compiled[si]);
        let step = |(o, (doc, rng)): (usize, &mut (OfficeDocket, rng::Rng))| {
            office_day(plan, seg, comp, &multipliers, o, day, rep, doc, rng)
        };
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            let rows: Vec<DailyRow> = offices.par_iter_mut().enumerate().map(step).collect();
            daily.extend(rows);
        }
        #[cfg(not(feature = "parallel"))]
        daily.extend(offices.iter_mut().enumerate().map(step));
        progress(day);
    }
    let summary = metrics::summarize(plan, &daily, seed);
    Run {
        rep,
        seed,
        daily,
        summary,
        docket_bytes,
    }
}
