//! Invariants that hold for every valid scenario, checked over random ones (proptest).

use proptest::prelude::*;
use quotasim::docket::Custody;
use quotasim::scenario::{OverCapacity, Scenario};
use quotasim::{Plan, run};

#[derive(Debug, Clone)]
struct Knobs {
    docket: u64,
    convicted: f64,
    pending: f64,
    days: u32,
    officers: u32,
    hsi: u32,
    fbi: u32,
    per_office: f64,
    national: f64,
    penalty: f64,
    hour_value: f64,
    cooperation: f64,
    custody_other: f64,
    reach: f64,
    encounters: f64,
    protected: bool,
    around_the_clock: bool,
    surge: u32,
    seed: u64,
    beds: u64,
    hold: bool,
    removal_capacity: f64,
    inflow: f64,
    court: f64,
    initial_detained: u64,
    // The mechanisms of 2025 (docs/model.md 7.11-7.15).
    agreements_jail: u32,
    agreements_task_force: u32,
    unknown_bookings: f64,
    expedited: bool,
    recent: f64,
    findability_other: f64,
    escalation: f64,
    ranking: bool,
    capacity: u64,
    flights: f64,
    recruits: u32,
    stipend: f64,
    response: f64,
}

fn knobs() -> impl Strategy<Value = Knobs> {
    (
        (
            1_000u64..40_000,
            0.0f64..0.4,
            0.0f64..0.4,
            1u32..30,
            0u32..8_000,
            0u32..3_000,
            0u32..1_000,
        ),
        (
            0.0f64..300.0,
            0.0f64..5_000.0,
            0.0f64..200.0,
            0.0f64..2.0,
            0.0f64..=1.0,
            0.0f64..0.2,
        ),
        (
            0.0f64..100.0,
            0.0f64..5.0,
            any::<bool>(),
            any::<bool>(),
            0u32..200,
            any::<u64>(),
        ),
        (
            0u64..2_000,
            any::<bool>(),
            0.0f64..300.0,
            0.0f64..500.0,
            0.0f64..800.0,
            0u64..3_000,
        ),
        (
            (
                0u32..300,
                0u32..100,
                0.0f64..500.0,
                any::<bool>(),
                0.0f64..=1.0,
            ),
            (
                0.1f64..10.0,
                0.0f64..5.0,
                any::<bool>(),
                0u64..4_000,
                0.0f64..3.0,
            ),
            (0u32..3_000, 0.0f64..5_000.0, 0.0f64..50.0),
        ),
    )
        .prop_map(|(a, b, c, d, e)| Knobs {
            docket: a.0,
            convicted: a.1,
            pending: a.2,
            days: a.3,
            officers: a.4,
            hsi: a.5,
            fbi: a.6,
            per_office: b.0,
            national: b.1,
            penalty: b.2,
            hour_value: b.3,
            cooperation: b.4,
            custody_other: b.5,
            reach: c.0,
            encounters: c.1,
            protected: c.2,
            around_the_clock: c.3,
            surge: c.4,
            seed: c.5,
            beds: d.0,
            hold: d.1,
            removal_capacity: d.2,
            inflow: d.3,
            court: d.4,
            initial_detained: d.5,
            agreements_jail: e.0.0,
            agreements_task_force: e.0.1,
            unknown_bookings: e.0.2,
            expedited: e.0.3,
            recent: e.0.4,
            findability_other: e.1.0,
            escalation: e.1.1,
            ranking: e.1.2,
            capacity: e.1.3,
            flights: e.1.4,
            recruits: e.2.0,
            stipend: e.2.1,
            response: e.2.2,
        })
}

fn scenario(k: &Knobs) -> Scenario {
    let mut s = Scenario::national_default();
    s.run.days = k.days;
    s.events.clear();
    s.docket.total = k.docket;
    s.docket.convicted = (k.docket as f64 * k.convicted) as u64;
    s.docket.pending_charges = (k.docket as f64 * k.pending) as u64;
    s.docket.share_in_custody.other = k.custody_other;
    s.capacity.agencies.ero.agents = k.officers;
    s.capacity.agencies.hsi.agents = k.hsi;
    s.capacity.agencies.fbi.agents = k.fbi;
    s.capacity.around_the_clock = k.around_the_clock;
    s.quota.per_office_per_day = k.per_office;
    s.quota.national_per_day = k.national;
    s.quota.penalty_per_missed_arrest = k.penalty;
    s.manager.hour_value = k.hour_value;
    s.channels.community.reach_per_office_per_day = k.reach;
    s.channels.collateral.encounters_per_targeted_arrest = k.encounters;
    s.channels.sensitive_places.protected = k.protected;
    for o in s.offices.values_mut() {
        o.jail_cooperation = k.cooperation;
    }
    s.offices.get_mut("HOU").unwrap().surge_officers = k.surge.min(k.officers / 2);
    s.detention.beds = k.beds;
    s.detention.over_capacity = if k.hold {
        OverCapacity::Hold
    } else {
        OverCapacity::Release
    };
    s.detention.initial_detained = k.initial_detained;
    s.detention.others_bookins_per_day = k.inflow / 10.0;
    s.removal.capacity_per_day = k.removal_capacity;
    s.removal.flights_per_day = k.flights;
    s.removal.seats_per_flight = 100.0;
    s.removal.third_country_per_day = 0.0;
    s.removal.expedited = k.expedited;
    s.docket.share_recent = k.recent;
    for o in s.offices.values_mut() {
        o.agreements_jail = k.agreements_jail;
        o.agreements_task_force = k.agreements_task_force;
    }
    s.cooperation.task_force_referrals_per_officer_day = 0.05;
    s.jails.unknown_bookings_per_day = k.unknown_bookings;
    s.channels.findability.other = k.findability_other;
    s.quota.escalation = k.escalation;
    s.quota.ranking = k.ranking;
    s.quota.ranking_penalty_factor = 2.0;
    s.detention.capacity = k.capacity;
    s.capacity.agencies.ero.recruits = k.recruits;
    s.capacity.training_days = 10;
    s.flows.stipend_usd = k.stipend;
    s.flows.departure_response_to_arrest_risk = k.response;
    s.flows.inflow_per_day = k.inflow;
    s.court.decisions_per_day = k.court;
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn people_are_conserved_and_hours_never_exceed_hours_available(k in knobs()) {
        let s = scenario(&k);
        let plan = Plan::new(&s).unwrap();
        let r = run(&plan, k.seed, 0);
        let n_off = plan.offices.len();
        prop_assert_eq!(r.daily.len(), k.days as usize * n_off);
        let mut cumulative = vec![0u64; n_off];
        let mut joined = 0;
        for day in r.daily.chunks(n_off) {
            let mut people = 0;
            let national = &day[0];
            for row in day {
                prop_assert!(row.effective_hours_used <= row.effective_hours_available + 1e-9,
                    "office {} day {}: {} hours used of {}", row.office, row.day, row.effective_hours_used, row.effective_hours_available);
                for a in 0..row.hours_used.len() {
                    prop_assert!(row.hours_used[a] >= 0.0 && row.hours_used[a] <= row.hours_available[a] + 1e-9);
                }
                prop_assert_eq!(row.arrests_by_channel.iter().sum::<u32>(), row.arrests());
                prop_assert!(row.arrests_at_sensitive_places <= row.arrests());
                if k.protected {
                    prop_assert_eq!(row.arrests_at_sensitive_places, 0);
                }
                // Custodial transfers take only people handed over by jails or brought in by
                // task-force policing today.
                prop_assert!(u64::from(row.arrests_by_channel[0]) <= row.jail_handovers_offered + row.task_force_referrals);
                prop_assert!(row.penalty >= k.penalty - 1e-9);
                cumulative[row.office] += u64::from(row.arrests());
                prop_assert_eq!(cumulative[row.office], row.arrests_to_date);
                // Every arrest is booked in, released at processing, or released at once
                // for lack of beds.
                prop_assert_eq!(
                    u64::from(row.arrests()),
                    row.bookins + row.released_at_processing + row.released_over_capacity
                );
                joined += row.joined + row.identified_at_booking + row.others_joined;
                people += row.docket_at_large + row.docket_in_jail + row.detained + row.removed_to_date + row.left_to_date;
                prop_assert_eq!(row.national_detained, national.national_detained);
            }
            // On the docket + detained + removed + left = at the start (the docket and
            // those held) + joined, every day.
            prop_assert_eq!(people, k.docket + k.initial_detained + joined);
            // Detention exceeds its capacity (the funded beds where it is 0) only when
            // the scenario holds people over it.
            let limit = if k.capacity > 0 { k.capacity } else { k.beds };
            if !k.hold {
                prop_assert!(national.national_detained <= limit.max(k.initial_detained),
                    "day {}: {} detained, capacity {}", national.day, national.national_detained, limit);
            }
            // The held by record: those with a conviction and those with neither fit
            // within everyone held, and within the others held for the others' counts;
            // the offices' own arrests held are what is left, every count at least 0.
            let n = national;
            prop_assert!(n.national_detained_convicted + n.national_detained_no_record <= n.national_detained);
            prop_assert!(n.national_others_detained_convicted + n.national_others_detained_no_record <= n.national_others_detained);
            prop_assert!(n.national_others_detained <= n.national_detained);
            prop_assert!(n.national_others_detained_convicted <= n.national_detained_convicted);
            prop_assert!(n.national_others_detained_no_record <= n.national_detained_no_record);
            prop_assert!(national.national_removals as f64 <= (k.removal_capacity + k.flights * 100.0).ceil());
            let removals_recent: u64 = day.iter().map(|r| r.removals_recent).sum();
            let removals: u64 = day.iter().map(|r| r.removals).sum();
            prop_assert!(removals_recent <= removals);
            if !k.expedited {
                prop_assert_eq!(day.iter().map(|r| r.expedited).sum::<u64>(), 0);
            }
        }
        let t = r.summary.num("arrests_total").unwrap();
        prop_assert_eq!(t as u64, cumulative.iter().sum::<u64>());
        // The fiscal years partition the run: their days, arrests and removals add up
        // to the run's.
        let by_year = |key: &str| match r.summary.get(key) {
            Some(quotasim::summary::Stat::Map(m)) => m.clone(),
            other => panic!("{key}: {other:?}"),
        };
        let days = by_year("days_by_fiscal_year");
        prop_assert_eq!(days.iter().map(|(_, d)| d).sum::<f64>(), f64::from(k.days));
        let arrests: f64 = days
            .iter()
            .zip(by_year("arrests_per_day_by_fiscal_year"))
            .map(|((_, d), (_, a))| d * a)
            .sum();
        prop_assert!((arrests - t).abs() < 1e-6 * t.max(1.0), "{} arrests by year, {} in all", arrests, t);
        let removals: f64 = by_year("removals_by_fiscal_year").iter().map(|(_, n)| n).sum();
        prop_assert_eq!(removals, r.summary.num("removals_total").unwrap());
    }
}

#[test]
fn docket_lists_stay_consistent_through_a_run() {
    // The full structural check (every person in the list their state names) after
    // every kind of move; proptest above checks the counts.
    let mut s = Scenario::national_default();
    s.docket.total = 5_000;
    s.docket.convicted = 400;
    s.docket.pending_charges = 300;
    let plan = Plan::new(&s).unwrap();
    let mut rng = quotasim::rng::stream(1, 0, quotasim::rng::Purpose::Population, 0);
    let mut d = quotasim::docket::OfficeDocket::draw(
        [20, 80, 300, 300, 4300],
        &plan.scenario,
        &Default::default(),
        &mut rng,
    );
    for _ in 0..100 {
        d.release_from_jails(&[0.05; 5], 0.6, &mut rng);
        let a = d.arrest_handover(2, &mut rng);
        let b = d.arrest_easiest(0, &mut rng);
        let c = d.arrest_anyone(&mut rng);
        d.end_handovers();
        d.book_into_jails(&[0.002; 5], &mut rng);
        for (x, to) in [
            (a, Custody::AtLarge),
            (b, Custody::Removed),
            (c, Custody::Left),
        ] {
            if let Some(t) = x {
                d.leave_detention(t, to);
            }
        }
        d.decide_cases(5, 0.4, &mut rng);
        d.depart(0.001, &mut rng);
        d.admit(4, &mut rng);
        d.check_consistency().unwrap();
    }
}

#[test]
fn removed_person_is_never_arrested_again() {
    let s = Scenario::national_default();
    let mut rng = quotasim::rng::stream(3, 0, quotasim::rng::Purpose::Population, 0);
    let mut d =
        quotasim::docket::OfficeDocket::draw([0, 0, 0, 0, 400], &s, &Default::default(), &mut rng);
    // Arrest everyone; then remove every other one and release the rest.
    let mut arrested = Vec::new();
    while let Some(t) = d.arrest_anyone(&mut rng) {
        arrested.push(t);
    }
    assert_eq!(arrested.len(), 400);
    let mut removed = std::collections::BTreeSet::new();
    for (k, &t) in arrested.iter().enumerate() {
        if k % 2 == 0 {
            d.leave_detention(t, Custody::Removed);
            removed.insert(t.person);
        } else {
            d.leave_detention(t, Custody::AtLarge);
        }
    }
    // Arrest everyone left, by every channel: no removed person comes back.
    let mut again = Vec::new();
    while let Some(t) = d.arrest_easiest(4, &mut rng) {
        again.push(t.person);
    }
    assert!(!again.is_empty());
    assert!(again.iter().all(|p| !removed.contains(p)));
    assert_eq!(again.len() + removed.len(), 400);
    d.check_consistency().unwrap();
}
