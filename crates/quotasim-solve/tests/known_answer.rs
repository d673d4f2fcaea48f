//! A solve with a known answer: removals limited only by charter flights, and only
//! flights priced, so the least costly way to a removal target is the flights that
//! carry it.

use quotasim::scenario::Scenario;
use quotasim_solve::{Lever, SolveProblem, Target, solve};

/// The national scenario (run for 30 days below), with a long queue waiting for removal from the
/// first day and no way out but charter flights of 135 seats.
fn flights_only() -> Scenario {
    let mut s = Scenario::national_default();
    let d = &mut s.detention;
    d.initial_detained = 200_000;
    d.initial_remaining_days = 1.0;
    d.others_removal_share = 1.0;
    d.beds = 300_000;
    d.contracted_beds = 300_000;
    d.capacity = 300_000;
    s.removal.capacity_per_day = 0.0;
    s.removal.third_country_per_day = 0.0;
    s.removal.seats_per_flight = 135.0;
    // Beds free of charge: otherwise more flights would also save detention costs.
    s.costs.detention_per_bed_day = 0.0;
    s
}

/// The answer for `target` with removal flights between 1 and 41 a day, over 30 days.
fn flights_for(target: &str) -> quotasim_solve::Solution {
    let s = flights_only();
    let problem = SolveProblem {
        scenario: &s,
        target: Target::parse(target).unwrap(),
        levers: vec![Lever::parse("removal.flights_per_day=1..41").unwrap()],
        days: Some(30),
        seeds: 1,
        seed: 7,
    };
    solve(&problem, &|_, _| std::ops::ControlFlow::Continue(())).unwrap()
}

#[test]
fn least_cost_answer_is_the_flights_that_carry_the_target() {
    let sol = flights_for("removals_per_day_mean>=1350");
    assert!(sol.feasible, "{sol:?}");
    let best = sol.best.as_ref().unwrap();
    // 1,350 a day over 135 seats: 10 flights (a little more, as the queue forms on the
    // first day).
    let flights = best.values[0];
    assert!((flights / 10.0 - 1.0).abs() < 0.05, "{flights} flights");
    assert!(best.metric >= 1350.0);
    // Every cheaper setting tried misses the target.
    for p in &sol.path {
        if p.cost_per_year < best.cost_per_year {
            assert!(!p.meets, "{p:?} is cheaper and meets the target");
        }
    }
    // The flights bound at each step taken.
    assert!(
        sol.path
            .iter()
            .filter(|p| p.stage == "step taken")
            .all(|p| p.binding.as_deref() == Some("removal.flights_per_day"))
    );
}

#[test]
fn bounds_that_cannot_reach_the_target_are_infeasible_and_name_the_binding_lever() {
    let s = flights_only();
    let problem = SolveProblem {
        scenario: &s,
        target: Target::parse("removals_per_day_mean>=1350").unwrap(),
        levers: vec![
            Lever::parse("removal.flights_per_day=1..5").unwrap(),
            Lever::parse("court.decisions_per_day=1000..5000").unwrap(),
        ],
        days: Some(30),
        seeds: 1,
        seed: 7,
    };
    let sol = solve(&problem, &|_, _| std::ops::ControlFlow::Continue(())).unwrap();
    assert!(!sol.feasible && sol.best.is_none());
    assert_eq!(
        sol.binding_at_upper_bounds.as_deref(),
        Some("removal.flights_per_day")
    );
}

#[test]
fn a_target_over_a_window_of_the_run_is_met_by_the_flights_that_carry_it() {
    // The same answer as the whole run's mean, asked of days 11..30 alone.
    let sol = flights_for("removals_per_day[2025-01-30..2025-02-18]>=1350");
    assert!(sol.feasible, "{sol:?}");
    let best = sol.best.as_ref().unwrap();
    let flights = best.values[0];
    assert!((flights / 10.0 - 1.0).abs() < 0.05, "{flights} flights");
    assert!(best.metric >= 1350.0);
    // A window beyond the run's 30 days is refused before anything runs.
    let s = flights_only();
    let beyond = SolveProblem {
        scenario: &s,
        target: Target::parse("removals_per_day[2025-02-01..2025-03-01]>=1350").unwrap(),
        levers: vec![Lever::parse("removal.flights_per_day=1..41").unwrap()],
        days: Some(30),
        seeds: 1,
        seed: 7,
    };
    let e = solve(&beyond, &|_, _| std::ops::ControlFlow::Continue(())).unwrap_err();
    assert!(
        e.to_string()
            .contains("the window must lie within the run, 2025-01-20 .. 2025-02-18"),
        "{e}"
    );
}
