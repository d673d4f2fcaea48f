//! Schedule: the day loop (docs/model.md, "Process overview and scheduling").
//!
//! Each day, first for each office (in the fixed order of the data file; in parallel
//! where the `parallel` feature is on, each office drawing only from its own stream):
//!
//! 1. jails release people; cooperating jails hand some to ICE ([`crate::population`]);
//! 2. the manager spends the office's hours on arrests ([`crate::manager`],
//!    [`crate::channels`]) under the day's capacity ([`crate::capacity`]);
//! 3. people handed over but not taken go free;
//! 4. jails book people from those at large;
//! 5. the immigration court decides the office's share of the day's cases;
//! 6. people leave the docket (departures) and new people join it;
//!
//! then, nationally, in office order:
//!
//! 7. detention: stays end, removals, book-ins of the day's arrests ([`crate::detention`]);
//! 8. the day is counted ([`crate::metrics`]).
//!
//! Parameters come from the plan's segment for the day ([`crate::events`]).

use rand::RngExt;
use rand_distr::{Distribution, Poisson};

use crate::capacity::{self, OfficeHours};
use crate::channels::{self, Market};
use crate::detention::Detention;
use crate::events::Plan;
use crate::manager;
use crate::metrics::{self, DailyRow, Summary};
use crate::population::{self, OfficeDocket, Taken, apportion};
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
    inflow_per_day: Vec<f64>,
    inflow_cumulative: [f64; Class::COUNT],
    departure_p: f64,
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
    let mix = s.flows.inflow_class_share.to_array();
    let mut acc = 0.0;
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
        inflow_per_day: plan
            .docket_share
            .iter()
            .map(|w| s.flows.inflow_per_day * w)
            .collect(),
        inflow_cumulative: std::array::from_fn(|c| {
            acc += mix[c];
            acc
        }),
        // A yearly share as a daily probability: 1 - (1 - share)^(1 / 365.25).
        departure_p: 1.0 - (1.0 - s.flows.departure_share_per_year).powf(1.0 / 365.25),
    }
}

/// One office's day (steps 1-6 above). Returns its row and the people it arrested.
#[allow(clippy::too_many_arguments)]
fn office_day(
    plan: &Plan,
    seg: &crate::events::Segment,
    comp: &Compiled,
    multipliers: &[f64; population::LEVELS],
    o: usize,
    day: u32,
    rep: u32,
    court_decisions: u64,
    doc: &mut OfficeDocket,
    rng: &mut rng::Rng,
) -> (DailyRow, Vec<Taken>) {
    let s = &seg.scenario;
    let hours = &comp.hours[o];
    let (released, offered) = doc.release_from_jails(&comp.release_p, comp.cooperation[o], rng);
    let mut row = DailyRow::new(rep, day, plan.date(day), o);
    row.quota = comp.quota[o];
    row.agents = hours.agents;
    row.hours_available = hours.hours;
    row.effective_hours_available = hours.effective;
    row.own_output_forgone = std::array::from_fn(|a| {
        let ag = Agency::ALL[a];
        if ag.is_diverted() {
            capacity::own_output_forgone_per_day(s.capacity.agencies.get(ag), hours.agents[a])
        } else {
            0.0
        }
    });
    row.jail_releases = released;
    row.jail_handovers_offered = offered;
    let mut arrested = Vec::new();
    let decision = {
        let mut market = Market::open(doc, &s.channels, multipliers);
        manager::spend_day(
            &mut market,
            hours.effective,
            comp.quota[o],
            s.quota.penalty_per_missed_arrest,
            &s.manager,
            rng,
            |a| {
                row.record(a);
                arrested.push(a.taken);
            },
        )
    };
    doc.end_handovers();
    row.jail_bookings = doc.book_into_jails(&comp.booking_p, rng);
    (row.court_removal_orders, row.court_closures) =
        doc.decide_cases(court_decisions, s.court.share_removal_order, rng);
    row.departures = doc.depart(comp.departure_p, rng);
    let lambda = comp.inflow_per_day[o];
    let joining = if lambda > 0.0 {
        Poisson::new(lambda)
            .map(|p| p.sample(rng) as u64)
            .unwrap_or(0)
    } else {
        0
    };
    for _ in 0..joining {
        let u: f64 = rng.random::<f64>() * comp.inflow_cumulative[Class::COUNT - 1];
        let c = comp
            .inflow_cumulative
            .iter()
            .position(|&x| u < x)
            .unwrap_or(Class::COUNT - 1);
        doc.admit(c, rng);
    }
    row.joined = joining;
    let used_share = if hours.effective > 0.0 {
        decision.hours_used / hours.effective
    } else {
        0.0
    };
    row.hours_used = hours.hours.map(|h| h * used_share);
    row.effective_hours_used = decision.hours_used;
    debug_assert!(
        row.effective_hours_used <= row.effective_hours_available + 1e-9,
        "hours used exceed hours available"
    );
    (row, arrested)
}

/// Reserves room in each office's docket for the people expected to join (mean + 6 sd)
/// and for the court's removal orders, so that no column or list reallocates mid-run.
fn reserve_growth(plan: &Plan, compiled: &[Compiled], dockets: &mut [OfficeDocket]) {
    let mix = plan.scenario.flows.inflow_class_share.to_array();
    let segment = |day: u32| plan.segment_index(day);
    let pending: Vec<f64> = dockets.iter().map(|d| d.n_case_pending as f64).collect();
    let pending_total = pending.iter().sum::<f64>().max(1.0);
    let orders: f64 = (0..plan.days)
        .map(|day| {
            let c = &plan.segments[segment(day)].scenario.court;
            c.decisions_per_day * c.share_removal_order
        })
        .sum();
    for (o, d) in dockets.iter_mut().enumerate() {
        let joins: f64 = (0..plan.days)
            .map(|day| compiled[segment(day)].inflow_per_day[o])
            .sum();
        d.reserve_joins((joins + 6.0 * joins.sqrt() + 16.0) as usize, &mix);
        d.reserve_court_orders((orders * pending[o] / pending_total) as usize);
    }
}

/// The court's decisions for the day (`decisions_per_day` plus the fraction carried
/// over), split over offices by their backlog at the start of the day.
fn court_decisions(dockets: &[OfficeDocket], per_day: f64, carry: &mut f64) -> Vec<u64> {
    let want = per_day + *carry;
    *carry = want - want.floor();
    let backlog: Vec<f64> = dockets.iter().map(|d| d.n_case_pending as f64).collect();
    if backlog.iter().sum::<f64>() > 0.0 {
        apportion(want.floor() as u64, &backlog)
    } else {
        vec![0; dockets.len()]
    }
}

/// Runs `step` for every office, in office order: in parallel where there is more than
/// one thread, inline with one (a hand-off to a pool thread each day costs more than it
/// saves). Each office draws from its own stream, so both give the same numbers.
fn each_office<T: Send>(
    dockets: &mut [OfficeDocket],
    rngs: &mut [rng::Rng],
    step: impl Fn(usize, &mut OfficeDocket, &mut rng::Rng) -> T + Sync + Send,
) -> Vec<T> {
    #[cfg(feature = "parallel")]
    if rayon::current_num_threads() > 1 {
        use rayon::prelude::*;
        return dockets
            .par_iter_mut()
            .zip(rngs.par_iter_mut())
            .enumerate()
            .map(|(o, (d, r))| step(o, d, r))
            .collect();
    }
    dockets
        .iter_mut()
        .zip(rngs.iter_mut())
        .enumerate()
        .map(|(o, (d, r))| step(o, d, r))
        .collect()
}

/// Runs replication `rep` of `plan` from `seed`.
pub fn run(plan: &Plan, seed: u64, rep: u32) -> Run {
    run_with_progress(plan, seed, rep, &|_| {})
}

/// As [`run`], calling `progress(day)` after each simulated day.
pub fn run_with_progress(plan: &Plan, seed: u64, rep: u32, progress: &(dyn Fn(u32) + Sync)) -> Run {
    let compiled: Vec<Compiled> = plan.segments.iter().map(|seg| compile(plan, seg)).collect();
    let multipliers = channels::level_multipliers(plan.scenario.docket.difficulty_log_sd);
    let mut dockets = population::build(&plan.scenario, &plan.docket_share, seed, rep);
    reserve_growth(plan, &compiled, &mut dockets);
    let mut rngs: Vec<rng::Rng> = (0..dockets.len())
        .map(|o| rng::stream(seed, rep, Purpose::Dynamics, o))
        .collect();
    let mut national_rng = rng::stream(seed, rep, Purpose::Detention, 0);
    let mut detention = Detention::new(&plan.scenario.detention, dockets.len());
    let mut court_carry = 0.0;
    let mut daily = Vec::with_capacity(plan.days as usize * dockets.len());
    for day in 0..plan.days {
        let si = plan.segment_index(day);
        let (seg, comp) = (&plan.segments[si], &compiled[si]);
        let s = &seg.scenario;
        let court = court_decisions(&dockets, s.court.decisions_per_day, &mut court_carry);
        let results = each_office(&mut dockets, &mut rngs, |o, doc, rng| {
            office_day(
                plan,
                seg,
                comp,
                &multipliers,
                o,
                day,
                rep,
                court[o],
                doc,
                rng,
            )
        });
        let (mut rows, arrested): (Vec<DailyRow>, Vec<Vec<Taken>>) = results.into_iter().unzip();
        let (flows, national) = detention.day(
            &s.detention,
            s.removal.capacity_per_day,
            &mut dockets,
            &arrested,
            &mut national_rng,
        );
        for ((row, doc), f) in rows.iter_mut().zip(&dockets).zip(&flows) {
            row.set_downstream(f, &national, doc);
            debug_assert_eq!(
                row.docket_at_large
                    + row.docket_in_jail
                    + row.detained
                    + row.removed_to_date
                    + row.left_to_date,
                doc.start + doc.joined,
                "people are not conserved"
            );
        }
        daily.extend(rows);
        progress(day);
    }
    let docket_bytes = dockets.iter().map(OfficeDocket::heap_bytes).sum();
    let summary = metrics::summarize(plan, &daily, seed);
    Run {
        rep,
        seed,
        daily,
        summary,
        docket_bytes,
    }
}
