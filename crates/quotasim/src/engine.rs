//! Schedule: the day loop (docs/model.md 3, "Process overview and scheduling").
//!
//! Each day, first for each office (in the fixed order of the data file; in parallel
//! where the `parallel` feature is on, each office drawing only from its own stream):
//!
//! 1. jails release people; cooperating jails hand some to ICE ([`crate::mechanisms::jails`], with
//!    287(g) jail agreements, [`crate::mechanisms::cooperation`]); task-force policing brings more
//!    into custody for ICE ([`crate::mechanisms::cooperation`]);
//! 2. the manager spends the office's hours on arrests ([`crate::mechanisms::manager`],
//!    [`crate::mechanisms::channels`], [`crate::mechanisms::findability`]) under the day's capacity
//!    ([`crate::mechanisms::capacity`], trained recruits included, [`crate::mechanisms::hiring`]), quota
//!    ([`crate::mechanisms::quota`]) and penalty ([`crate::mechanisms::pressure`]);
//! 3. people handed over but not taken go free ([`crate::mechanisms::jails`]);
//! 4. jails book people from those at large, and people ICE did not know
//!    ([`crate::mechanisms::jails`]);
//! 5. the immigration court decides the office's share of the day's cases
//!    ([`crate::mechanisms::court`]);
//! 6. people leave the docket (departures) and new people join it ([`crate::mechanisms::flows`]);
//!
//! then, nationally, in office order:
//!
//! 7. detention: stays end, removals ([`crate::mechanisms::removal`]), book-ins of the day's arrests
//!    ([`crate::mechanisms::detention`]);
//! 8. the day is counted ([`crate::observe::daily`]), and each office's arrests against its
//!    target are kept for tomorrow's penalty ([`crate::mechanisms::pressure`]).
//!
//! Parameters come from the plan's segment for the day ([`crate::setup::plan`]). This module
//! only sequences the day: each step is its mechanism's module.

use crate::mechanisms::capacity::{self, OfficeHours};
use crate::mechanisms::channels::{self, Market};
use crate::mechanisms::detention::Detention;
use crate::mechanisms::docket::{LEVELS, OfficeDocket, Room, Taken};
use crate::mechanisms::pressure::Pressure;
use crate::observe::daily::DailyRow;
use crate::observe::summary::{self, Summary};
use crate::rng::{self, Purpose};
use crate::setup::plan::{Plan, Segment};
use crate::types::Agency;
use crate::{
    mechanisms::cooperation, mechanisms::costs, mechanisms::court, mechanisms::flows,
    mechanisms::hiring, mechanisms::jails, mechanisms::manager, mechanisms::operations,
    mechanisms::pathways, mechanisms::population, mechanisms::quota,
};

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

/// Parameters of one segment, worked out once by each mechanism.
struct Compiled {
    hours: Vec<OfficeHours>,
    quota: Vec<f64>,
    /// Share of each office's jail releases handed to ICE.
    handover: Vec<f64>,
    /// Task-force referrals a day in each office (mean), and their class mix.
    referrals: Vec<f64>,
    referral_mix: [f64; crate::types::Class::COUNT],
    community_reach: Vec<operations::Reach>,
    jails: jails::Rates,
    flows: flows::Rates,
    /// How open cases leave detention.
    open: pathways::ByRecord,
}

fn compile(plan: &Plan, seg: &Segment) -> Compiled {
    let s = &seg.scenario;
    let codes: Vec<String> = plan.offices.iter().map(|o| o.code.clone()).collect();
    Compiled {
        hours: capacity::office_hours(s, &codes, &plan.docket_share),
        quota: quota::office_targets(&s.quota, &plan.docket_share),
        handover: plan
            .offices
            .iter()
            .map(|o| {
                cooperation::handover_share(
                    &s.offices[&o.code],
                    o.noncitizen_population,
                    &s.cooperation,
                )
            })
            .collect(),
        referrals: plan
            .offices
            .iter()
            .map(|o| {
                cooperation::referrals_per_day(
                    &s.offices[&o.code],
                    o.noncitizen_population,
                    &s.cooperation,
                )
            })
            .collect(),
        referral_mix: cooperation::cumulative_mix(&s.cooperation),
        community_reach: codes
            .iter()
            .map(|c| operations::Reach::of(&s.channels, s.offices.get(c)))
            .collect(),
        jails: jails::Rates::of(s, &plan.scenario),
        flows: flows::Rates::of(s, &plan.docket_share),
        open: pathways::by_record(
            &s.pathways,
            s.detention.outcome_pending,
            s.detention.outcome_protected,
            s.detention.others_removal_share,
        ),
    }
}

/// What one office's day depends on beyond the segment: its hours (trained recruits
/// included), today's penalty, recruits in training, and the court's decisions.
struct OfficeInputs<'a> {
    hours: &'a OfficeHours,
    penalty: f64,
    recruits_in_training: f64,
    court_decisions: u64,
}

/// One office's day (steps 1-6 above). Returns its row and the people it arrested.
#[allow(clippy::too_many_arguments)]
fn office_day(
    plan: &Plan,
    seg: &Segment,
    comp: &Compiled,
    multipliers: &[f64; LEVELS],
    o: usize,
    day: u32,
    rep: u32,
    inputs: OfficeInputs,
    doc: &mut OfficeDocket,
    rng: &mut rng::Rng,
) -> (DailyRow, Vec<Taken>) {
    let s = &seg.scenario;
    let hours = inputs.hours;
    let (released, offered) = doc.release_from_jails(&comp.jails.release_p, comp.handover[o], rng);
    let referred = doc.refer_from_task_force(comp.referrals[o], &comp.referral_mix, rng);
    let mut row = DailyRow::new(rep, day, plan.date(day), o);
    row.quota = comp.quota[o];
    row.penalty = inputs.penalty;
    row.recruits_in_training = inputs.recruits_in_training;
    row.task_force_referrals = referred;
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
        let reach = comp.community_reach[o].on(hours.effective);
        let mut market = Market::open(doc, &s.channels, multipliers, reach);
        manager::spend_day(
            &mut market,
            hours.effective,
            comp.quota[o],
            inputs.penalty,
            &s.manager,
            rng,
            |a| {
                row.record(a);
                arrested.push(a.taken);
            },
        )
    };
    doc.end_handovers();
    row.jail_bookings = doc.book_into_jails(&comp.jails.booking_p, rng);
    row.identified_at_booking = doc.book_unknown(
        comp.jails.unknown_per_day * plan.docket_share[o],
        &comp.jails.unknown_cumulative,
        rng,
    );
    (row.court_removal_orders, row.court_closures) =
        doc.decide_cases(inputs.court_decisions, s.court.share_removal_order, rng);
    let departure_p = comp
        .flows
        .departure_today(u64::from(row.arrests()), doc.at_large_total() as u64);
    row.departures = doc.depart(departure_p, rng);
    row.joined = flows::join(doc, &comp.flows, o, rng);
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

/// The room each office's docket is drawn with ([`Room`]): for the people expected to
/// join (mean + 6 sd) and for the court's removal orders, so that no column or list
/// reallocates mid-run.
fn rooms(plan: &Plan, compiled: &[Compiled]) -> Vec<Room> {
    let s = &plan.scenario;
    let join_share = s.flows.inflow_class_share.to_array();
    let segment = |day: u32| plan.segment_index(day);
    // The court's orders are spread over the pending cases at large.
    let orders_per_pending =
        court::expected_orders(plan) / population::expected_pending_at_large(s).max(1.0);
    (0..plan.docket_share.len())
        .map(|o| {
            let joins: f64 = (0..plan.days)
                .map(|day| {
                    let (si, c) = (segment(day), &compiled[segment(day)]);
                    // Book-ins by other agencies join a docket too ([`crate::mechanisms::detention`]).
                    let others = plan.segments[si].scenario.detention.others_bookins_per_day;
                    c.flows.inflow_per_day[o]
                        + (c.jails.unknown_per_day + others) * plan.docket_share[o]
                })
                .sum::<f64>()
                + s.detention.initial_detained as f64 * plan.docket_share[o];
            Room {
                joins: (joins + 6.0 * joins.sqrt() + 16.0) as usize,
                join_share,
                orders_per_pending,
            }
        })
        .collect()
}

/// Bytes a person is budgeted at in [`projected_peak_bytes`]: the documented target
/// for a run's peak (docs/performance.md; measured about 10.4 for the national year).
pub const BYTES_PER_PERSON: u64 = 16;

/// The projected peak memory of `runs_at_once` runs of `plan` held at the same time
/// (bytes): each run's people (the docket drawn, with the room reserved for everyone
/// expected to join during it, [`Room`]) at [`BYTES_PER_PERSON`], and its daily rows.
/// Known before a run, so that one that cannot fit is refused with the figure rather
/// than grow until the machine runs out.
pub fn projected_peak_bytes(plan: &Plan, runs_at_once: u32) -> u64 {
    let compiled: Vec<Compiled> = plan.segments.iter().map(|seg| compile(plan, seg)).collect();
    let joins: u64 = rooms(plan, &compiled).iter().map(|r| r.joins as u64).sum();
    let people = plan.scenario.docket.total + joins;
    let rows = u64::from(plan.days) * (plan.offices.len() as u64 + 1);
    let per_run = people * BYTES_PER_PERSON + rows * std::mem::size_of::<DailyRow>() as u64;
    per_run * u64::from(runs_at_once.max(1))
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
    // The replication whose streams the model draws from: its own, or replication 0's
    // when chance is held the same ([`Plan::same_chance`]); unit costs draw on `rep`.
    let chance = if plan.same_chance { 0 } else { rep };
    let compiled: Vec<Compiled> = plan.segments.iter().map(|seg| compile(plan, seg)).collect();
    let multipliers = channels::level_multipliers(plan.scenario.docket.difficulty_log_sd);
    let rooms = rooms(plan, &compiled);
    let mut dockets = population::build(&plan.scenario, &plan.docket_share, seed, chance, &rooms);
    let mut rngs: Vec<rng::Rng> = (0..dockets.len())
        .map(|o| rng::stream(seed, chance, Purpose::Dynamics, o))
        .collect();
    let mut national_rng = rng::stream(seed, chance, Purpose::Detention, 0);
    let totals = population::class_totals(&plan.scenario);
    let convicted = (totals[0] + totals[1] + totals[2]).max(1) as f64;
    let convicted_split = [0, 1, 2].map(|c| totals[c] as f64 / convicted);
    let mut detention = Detention::new(
        &plan.scenario.detention,
        &compiled[0].open,
        convicted_split,
        &plan.docket_share,
        &mut dockets,
        &mut national_rng,
    );
    let mut court_carry = 0.0;
    let mut pressure = Pressure::new(dockets.len());
    let codes: Vec<String> = plan.offices.iter().map(|o| o.code.clone()).collect();
    // Hours with trained recruits, worked out again only when the segment or the
    // number of trained recruits changes.
    let mut with_recruits: Option<(usize, [u32; crate::types::Agency::COUNT], Vec<OfficeHours>)> =
        None;
    let cost_factors = if plan.draw_costs {
        costs::draw(&plan.scenario.costs, seed, rep)
    } else {
        costs::Factors::ONE
    };
    let mut ledger = crate::mechanisms::budget::Ledger::new();
    let mut daily = Vec::with_capacity(plan.days as usize * dockets.len());
    for day in 0..plan.days {
        let si = plan.segment_index(day);
        let (seg, comp) = (&plan.segments[si], &compiled[si]);
        let s = &seg.scenario;
        let court = court::decisions(&dockets, s.court.decisions_per_day, &mut court_carry);
        let trained = hiring::trained(plan, day);
        let hours = if trained.iter().any(|&n| n > 0) {
            if with_recruits
                .as_ref()
                .is_none_or(|(at, t, _)| (*at, *t) != (si, trained))
            {
                let h = capacity::office_hours_with(s, &codes, &plan.docket_share, &trained);
                with_recruits = Some((si, trained, h));
            }
            &with_recruits.as_ref().expect("set just above").2
        } else {
            &comp.hours
        };
        let in_training: u32 = hiring::in_training(plan, day).iter().sum();
        let penalties = pressure.penalties(&s.quota);
        let results = each_office(&mut dockets, &mut rngs, |o, doc, rng| {
            let inputs = OfficeInputs {
                hours: &hours[o],
                penalty: penalties[o],
                recruits_in_training: f64::from(in_training) * plan.docket_share[o],
                court_decisions: court[o],
            };
            office_day(plan, seg, comp, &multipliers, o, day, rep, inputs, doc, rng)
        });
        let (mut rows, arrested): (Vec<DailyRow>, Vec<Vec<Taken>>) = results.into_iter().unzip();
        let (flows, national) = detention.day(
            &s.detention,
            &s.removal,
            &comp.open,
            &mut dockets,
            &arrested,
            &mut national_rng,
        );
        let day_costs = costs::day(
            s,
            &costs::DayCounts {
                detained: national.detained,
                removals: national.removals,
                agents: std::array::from_fn(|a| rows.iter().map(|r| r.agents[a]).sum()),
                in_training: f64::from(in_training),
                joined_today: hiring::joined(plan, day),
                court_decisions: court.iter().sum(),
            },
            &cost_factors,
        );
        let day_budget = ledger.day(&s.budget, &day_costs);
        for ((row, doc), f) in rows.iter_mut().zip(&dockets).zip(&flows) {
            row.set_downstream(f, &national, doc);
            row.national_costs = day_costs;
            row.national_budget = day_budget;
            pressure.record(row.office, row.arrests(), row.quota, s.quota.window_days);
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
    let summary = summary::summarize(plan, &daily, seed);
    Run {
        rep,
        seed,
        daily,
        summary,
        docket_bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    #[test]
    fn dockets_are_drawn_with_room_for_the_whole_run() {
        // The room reserved as the docket is drawn holds a year's joiners, releases and
        // court orders: no column or list grows during the run.
        let plan = Plan::new(&Scenario::national_default()).expect("default is valid");
        let compiled: Vec<Compiled> = plan
            .segments
            .iter()
            .map(|seg| compile(&plan, seg))
            .collect();
        let rooms = rooms(&plan, &compiled);
        let drawn: usize = population::build(&plan.scenario, &plan.docket_share, 1, 0, &rooms)
            .iter()
            .map(OfficeDocket::heap_bytes)
            .sum();
        let run = run(&plan, 1, 0);
        // Four one-byte columns and a four-byte list entry for 7.8 million people.
        assert!(run.docket_bytes > 8 * 7_800_000, "{}", run.docket_bytes);
        assert_eq!(run.docket_bytes, drawn);
    }
}
