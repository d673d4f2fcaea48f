//! Calibration recovers known parameters: targets made by the model itself at known
//! values are fitted again from a perturbed start (a reduced problem: a tenth of the
//! docket and the staff, 90 days, two free parameters).

use quotasim::scenario::Scenario;
use quotasim_calibrate::fit::FitProblem;
use quotasim_calibrate::{Stage, Stop, Targets, calibrate};

const BASELINE: &str = include_str!("../../../scenarios/baseline-fy2024.toml");

/// The FY2024 baseline with a docket and a staff a tenth the size, for 90 days.
fn reduced() -> Scenario {
    let mut s = Scenario::from_toml("baseline-fy2024.toml", BASELINE).unwrap();
    s.docket.total /= 10;
    s.docket.convicted /= 10;
    s.docket.pending_charges /= 10;
    s.capacity.agencies.ero.agents /= 10;
    s.run.days = 90;
    // The border proclamation of 2024-06-05 falls after these 120 days.
    s.events.clear();
    s
}

const PROBLEM: &str = r#"
[calibration]
seeds = 2
max_iterations = 80
tolerance = 0.001

[[target]]
key = "arrests_per_day_mean"
value = 0.0
sd = 1.0

[[target]]
key = "detained_mean"
value = 0.0
sd = 1.0

[[target]]
key = "detained_convicted_share_mean"
value = 0.0
sd = 1.0

[[free]]
path = "docket.share_in_custody"
mode = "scale"
lo = 0.4
hi = 2.5
log = true

[[free]]
path = "detention.others_bookins_per_day"
lo = 50.0
hi = 900.0
"#;

#[test]
fn calibration_recovers_the_parameters_that_made_its_targets() {
    let base = reduced();
    // The truth: a fifth fewer people in jails than the baseline, 300 book-ins a day
    // by other agencies; the targets are the model's own values there.
    let targets = at_truth(&base);
    // The start: the baseline itself, with 588 book-ins a day (about twice the truth)
    // and 1.25 times the truth's share in jails.
    let start = targets.start(&base, "recover.toml", PROBLEM).unwrap();
    assert_eq!(start, vec![1.0, 588.0]);
    let problem = FitProblem {
        scenario: &base,
        targets: &targets,
        seed: 11,
    };
    let fit = calibrate(&problem, &start, &|_| std::ops::ControlFlow::Continue(())).unwrap();
    // The start is far off; the fit is as good as the truth (objective 0 there, up to
    // the rounding of the estimates to four figures).
    assert!(fit.fit.objective_start > 20.0, "{:?}", fit.fit);
    assert!(fit.fit.objective < 0.5, "{:?}", fit.fit);
    // The parameters come back.
    let scale = fit.parameters[0].estimate;
    let others = fit.parameters[1].estimate;
    assert!(
        (scale / 0.8 - 1.0).abs() < 0.1,
        "share in custody x {scale}"
    );
    assert!(
        (others / 300.0 - 1.0).abs() < 0.1,
        "others' book-ins {others}"
    );
    // Every target within one sd.
    for t in &fit.targets {
        assert!(t.z.abs() < 1.0, "{t:?}");
    }
    // The truth lies inside each 5-95 % posterior interval, and each interval is
    // narrower than the search's box.
    for (p, truth) in fit.parameters.iter().zip([0.8, 300.0]) {
        assert!(p.p05 <= truth && truth <= p.p95, "{p:?}");
        assert!(p.sd_over_prior < 0.8, "{p:?}");
    }
    // The book-ins are identified. The share in custody is only loosely: a tenth more
    // people in jails gives about 2 % more arrests here (0.7 of the targets' sd), and
    // the objective is rough at that scale (common random numbers on a tenth of the
    // docket), so whether it passes `identified` depends on where the search lands.
    assert!(fit.parameters[1].identified, "{:?}", fit.parameters[1]);
}

#[test]
fn posterior_draws_stay_in_the_box_and_repeat_by_seed() {
    let base = reduced();
    let fit_text = r#"
[fit]
scenario = "x"
method = "m"
seed = 1
seeds = 1
days = 1
evaluations = 1
iterations = 1
stopped = "s"
objective_start = 1.0
objective = 0.5

[[parameter]]
path = "manager.hour_value"
mode = "set"
lo = 0.01
hi = 0.5
log = true
start = 0.08
estimate = 0.05
p05 = 0.03
p95 = 0.08
sd_over_prior = 0.3
identified = true

[[parameter]]
path = "channels.at_large.hours_per_arrest"
mode = "scale"
lo = 0.4
hi = 2.5
log = true
start = 1.0
estimate = 0.98
p05 = 0.5
p95 = 2.0
sd_over_prior = 0.9
identified = false

[posterior]
unit_mean = [0.4, 0.5]
unit_covariance = [[0.01, 0.0], [0.0, 0.08]]
"#;
    let fit = quotasim_calibrate::Fit::from_toml("fit.toml", fit_text).unwrap();
    let draws: Vec<Vec<f64>> = (0..200).map(|r| fit.draw(7, r)).collect();
    assert_eq!(draws[3], fit.draw(7, 3));
    assert_ne!(draws[3], fit.draw(8, 3));
    for d in &draws {
        assert!(
            (0.01..=0.5).contains(&d[0]) && (0.4..=2.5).contains(&d[1]),
            "{d:?}"
        );
        fit.apply(&base, d).unwrap();
        fit.apply_draw(&base, d).unwrap();
    }
    // The narrow parameter varies less (on the unit box) than the wide one.
    let free = fit.free();
    let spread = |j: usize| {
        let u: Vec<f64> = draws.iter().map(|d| free[j].to_unit(d[j])).collect();
        let m = u.iter().sum::<f64>() / u.len() as f64;
        (u.iter().map(|x| (x - m).powi(2)).sum::<f64>() / u.len() as f64).sqrt()
    };
    assert!(
        spread(0) < 0.13 && spread(1) > 0.18,
        "{} {}",
        spread(0),
        spread(1)
    );
    // A draw at the fit leaves a scenario that carries the fit unchanged; the scale is
    // relative to the fit's own start.
    let at_fit = fit.apply_draw(&base, &fit.estimates()).unwrap();
    assert_eq!(
        at_fit.channels.at_large.hours_per_arrest,
        base.channels.at_large.hours_per_arrest
    );
    assert_eq!(at_fit.manager.hour_value, 0.05);
    // A covariance that is not one is refused, located.
    let bad = fit_text.replace("[[0.01, 0.0], [0.0, 0.08]]", "[[0.01, 0.5], [0.5, 0.08]]");
    let e = quotasim_calibrate::Fit::from_toml("fit.toml", &bad)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("fit.toml:42") && e.contains("unit_covariance"),
        "{e}"
    );
}

/// The reduced scenario, `PROBLEM`'s targets and their start.
fn the_problem() -> (Scenario, Targets, Vec<f64>) {
    let base = reduced();
    let targets = Targets::from_toml("recover.toml", PROBLEM).unwrap();
    let start = targets.start(&base, "recover.toml", PROBLEM).unwrap();
    (base, targets, start)
}

fn seeded<'a>(base: &'a Scenario, targets: &'a Targets) -> FitProblem<'a> {
    FitProblem {
        scenario: base,
        targets,
        seed: 11,
    }
}

#[test]
fn a_progress_callback_that_abandons_stops_the_search_with_nothing() {
    use std::cell::Cell;
    use std::ops::ControlFlow;

    let (base, targets, start) = the_problem();
    let problem = seeded(&base, &targets);
    let seen = Cell::new(0);
    let e = calibrate(&problem, &start, &|p| {
        seen.set(p.evaluations);
        if p.evaluations >= 3 {
            ControlFlow::Break(Stop::Abandon)
        } else {
            ControlFlow::Continue(())
        }
    })
    .unwrap_err();
    assert_eq!(e, quotasim_calibrate::FitError::Interrupted);
    assert_eq!(seen.get(), 3, "no evaluation after the break");
}

#[test]
fn a_search_stopped_keeping_its_best_gives_that_point_with_its_uncertainty() {
    use std::cell::RefCell;
    use std::ops::ControlFlow;

    let (base, targets, start) = the_problem();
    let problem = seeded(&base, &targets);
    // Stopped at the first evaluation that improves on the start: the best point is
    // then not the start.
    let start_objective = problem.evaluate(&start).unwrap().objective(&targets);
    let seen = RefCell::new(Vec::new());
    let fit = calibrate(&problem, &start, &|p| {
        seen.borrow_mut().push((p.stage, p.evaluations, p.best));
        if p.stage == Stage::Search && p.best < start_objective {
            ControlFlow::Break(Stop::KeepBest)
        } else {
            ControlFlow::Continue(())
        }
    })
    .unwrap();
    let seen = seen.into_inner();
    let searched: Vec<_> = seen.iter().filter(|s| s.0 == Stage::Search).collect();
    let &&(_, stopped_at, best) = searched.last().unwrap();
    assert!(best < start_objective);
    assert_eq!(fit.fit.objective_start, start_objective);
    let k = targets.free.len() as u32;
    // The best point, evaluated once more, then two differences a parameter.
    assert_eq!(fit.fit.evaluations, stopped_at + 1 + 2 * k);
    assert!(
        fit.fit.stopped.starts_with(&format!(
            "stopped by the user after {stopped_at} evaluations"
        )),
        "{}",
        fit.fit.stopped
    );
    // The best point searched, which the search scored as a scenario file carries it.
    assert_eq!(
        fit.fit.objective, best,
        "objective at the fit, against the best point searched"
    );
    assert_eq!(fit.posterior.unit_mean.len(), k as usize);
}

#[test]
fn the_objective_reported_at_a_fit_is_the_best_its_search_scored_as_the_file_carries_it() {
    // A start with more figures than a file carries: the search scores every point,
    // the start included, rounded to four figures, so the objective the fit reports
    // is the best the search found, not a rounded neighbour's.
    let base = reduced();
    let targets = at_truth(&base);
    let problem = seeded(&base, &targets);
    let start = [1.123456, 587.6543];
    let fit = calibrate(&problem, &start, &|_| std::ops::ControlFlow::Continue(())).unwrap();
    let as_written = problem
        .evaluate_as_written(&[1.123, 587.7])
        .unwrap()
        .objective(&targets);
    assert_eq!(fit.fit.objective_start, as_written);
    assert_ne!(
        as_written,
        problem.evaluate(&start).unwrap().objective(&targets),
        "the rounding of the start moves the objective: the check has bite"
    );
    assert_eq!(fit.fit.start_objectives.len(), 1);
    assert_eq!(fit.fit.objective, fit.fit.start_objectives[0]);
    assert!(fit.fit.objective < fit.fit.objective_start);
    // And it is the file's: the estimates, evaluated as written, score it again.
    let estimates: Vec<f64> = fit.parameters.iter().map(|p| p.estimate).collect();
    let again = problem
        .evaluate_as_written(&estimates)
        .unwrap()
        .objective(&targets);
    assert_eq!(fit.fit.objective, again);
}

#[test]
fn observations_over_a_window_are_fitted_beside_the_targets() {
    // One free parameter, no summary target: an observed mean of the detained over
    // days 30..89 and an observed range of the convicted share, both made by the model
    // at 300 book-ins a day by other agencies, fitted from the baseline's 588.
    let base = reduced();
    let text = r#"
[calibration]
seeds = 2
max_iterations = 60
tolerance = 0.001
observed = "obs.toml"

[[free]]
path = "detention.others_bookins_per_day"
lo = 50.0
hi = 900.0
"#;
    let mut targets = Targets::from_toml("t.toml", text).unwrap();
    let obs_text = |value: f64| {
        format!(
            "[[observation]]\nmetric = \"detained\"\nfrom = 2023-10-31\nto = 2023-12-29\nvalue = {value}\nsd = {}\nsource = \"made by the model\"\n\n[[observation]]\nmetric = \"detained_convicted_share\"\nfrom = 2023-10-31\nto = 2023-12-29\nmin = 0.0\nmax = 1.0\nsd = 0.05\nsource = \"a range that holds any share\"\n",
            0.03 * value
        )
    };
    let obs = |value: f64| {
        quotasim_calibrate::observed::Observations::from_toml("obs.toml", &obs_text(value))
            .unwrap()
            .list
    };
    targets.observations = obs(1.0);
    let made = quotasim_calibrate::apply(&base, &targets.free, &[300.0]).unwrap();
    let truth = FitProblem {
        scenario: &made,
        targets: &targets,
        seed: 12,
    }
    .evaluate(&[300.0])
    .unwrap()
    .means()[0];
    targets.observations = obs(truth);
    let problem = FitProblem {
        scenario: &base,
        targets: &targets,
        seed: 12,
    };
    let fit = calibrate(&problem, &[588.0], &|_| std::ops::ControlFlow::Continue(())).unwrap();
    assert!(fit.fit.objective_start > 10.0, "{:?}", fit.fit);
    let others = fit.parameters[0].estimate;
    assert!(
        (others / 300.0 - 1.0).abs() < 0.1,
        "others' book-ins {others}"
    );
    // Both observations are reported beside the targets: the range scores 0.
    assert_eq!(fit.targets.len(), 2);
    assert!(
        fit.targets[0]
            .key
            .starts_with("detained (2023-10-31 .. 2023-12-29")
    );
    assert_eq!(fit.targets[1].z, 0.0);
}

#[test]
fn further_starts_find_what_a_short_search_from_the_scenario_misses() {
    use std::ops::ControlFlow;

    // The targets of the first test, made at 0.8 and 300; a short search (six simplex
    // iterations, no restart) from the baseline's 1.0 and 588.
    let (base, mut targets, start) = the_problem();
    let made = quotasim_calibrate::apply(&base, &targets.free, &[0.8, 300.0]).unwrap();
    let truth = seeded(&made, &targets).evaluate(&[1.0, 300.0]).unwrap();
    for (t, m) in targets.targets.iter_mut().zip(truth.means()) {
        t.value = m;
        t.sd = 0.03 * m;
    }
    targets.calibration.max_iterations = 6;
    targets.calibration.restarts = 0;
    let go_on = |_| ControlFlow::Continue(());
    let one = calibrate(&seeded(&base, &targets), &start, &go_on).unwrap();
    targets.calibration.starts = 4;
    let four = calibrate(&seeded(&base, &targets), &start, &go_on).unwrap();
    // The short search from the scenario's values stops short of the truth.
    assert!(one.fit.objective > 1.0, "{:?}", one.fit);
    assert_eq!((one.fit.starts, one.fit.chosen_start), (1, 1));
    // With three more starts the same first search is made again, to the same point,
    // and a hypercube start reaches a point a few times better.
    assert_eq!(four.fit.starts, 4);
    assert_eq!(four.fit.start_objectives.len(), 4);
    assert_eq!(four.fit.start_objectives[0], one.fit.start_objectives[0]);
    let least = four
        .fit
        .start_objectives
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min);
    assert_ne!(four.fit.chosen_start, 1, "{:?}", four.fit);
    assert_eq!(
        four.fit.start_objectives[four.fit.chosen_start as usize - 1],
        least
    );
    assert!(four.fit.objective < 0.5, "{:?}", four.fit);
    assert!(
        four.fit.objective < one.fit.objective / 3.0,
        "{:?}",
        four.fit
    );
    // Its estimates lie nearer the truth than the single search's.
    let off = |fit: &quotasim_calibrate::Fit| {
        (fit.parameters[0].estimate / 0.8 - 1.0).abs()
            + (fit.parameters[1].estimate / 300.0 - 1.0).abs()
    };
    assert!(off(&four) < off(&one), "{} {}", off(&four), off(&one));
    // The objective "at the start" is still the scenario's values'.
    assert_eq!(four.fit.objective_start, one.fit.objective_start);
}

/// `PROBLEM` with its targets the model's own values at a fifth fewer people in jails
/// and 300 book-ins a day by other agencies, each with an sd of 3 % of its value.
fn at_truth(base: &Scenario) -> Targets {
    let mut targets = Targets::from_toml("recover.toml", PROBLEM).unwrap();
    let made = quotasim_calibrate::apply(base, &targets.free, &[0.8, 300.0]).unwrap();
    let truth_ev = FitProblem {
        scenario: &made,
        targets: &targets,
        seed: 11,
    }
    .evaluate(&[1.0, 300.0])
    .unwrap();
    for (t, m) in targets.targets.iter_mut().zip(truth_ev.means()) {
        t.value = m;
        t.sd = 0.03 * m;
    }
    targets
}

#[test]
fn a_gain_from_a_far_start_holds_on_fresh_replications() {
    let base = reduced();
    let targets = at_truth(&base);
    let problem = seeded(&base, &targets);
    let stages = std::cell::RefCell::new(Vec::new());
    let fit = calibrate(&problem, &[1.0, 588.0], &|p| {
        stages.borrow_mut().push(p.stage);
        std::ops::ControlFlow::Continue(())
    })
    .unwrap();
    // The check is announced once, after the search and before the differences.
    let stages = stages.into_inner();
    let at = stages.iter().position(|s| *s == Stage::Check).unwrap();
    assert_eq!(stages.iter().filter(|s| **s == Stage::Check).count(), 1);
    assert!(stages[..at].iter().all(|s| *s == Stage::Search));
    assert!(stages[at + 1..].iter().all(|s| *s == Stage::Uncertainty));
    let c = fit.fit.check.clone().expect("checked by default");
    assert_eq!(c.seeds, 10);
    // Far from the truth the fresh replications score the start as the search's seeds
    // do, within a tenth, and the gain stands well clear of its noise.
    assert!(
        (c.objective_start / fit.fit.objective_start - 1.0).abs() < 0.1,
        "{c:?} {:?}",
        fit.fit
    );
    assert!(c.gain() > 10.0 * c.gain_se, "{c:?}");
    assert!(c.objective < 2.0, "{c:?}");
    let text = quotasim_calibrate::text::report(&fit, &targets, "recover.toml");
    assert!(text.contains("On 10 fresh replications"), "{text}");
    assert!(text.contains("beyond the seeds' noise"), "{text}");
    // Three targets with values, two parameters: a right model's fit ends near
    // 3 - 2 = 1, sd sqrt(2 x 3 - 2 x 2).
    assert!(
        text.contains("a fit of 2 parameters to these 3 figures would end near 1.0 ± 1.4"),
        "{text}"
    );
}

#[test]
fn a_search_from_the_truth_gains_on_its_own_seeds_what_fresh_replications_do_not_bear_out() {
    let base = reduced();
    let mut targets = at_truth(&base);
    targets.calibration.seeds = 1;
    let problem = seeded(&base, &targets);
    // From the truth itself: whatever the search gains is its one seed's noise.
    let fit = calibrate(&problem, &[0.8, 300.0], &|_| {
        std::ops::ControlFlow::Continue(())
    })
    .unwrap();
    let c = fit.fit.check.clone().unwrap();
    let searched = fit.fit.objective_start - fit.fit.objective;
    assert!(searched > 0.0, "{:?}", fit.fit);
    assert!(c.gain() < searched, "{c:?} {:?}", fit.fit);
    assert!(c.gain() < 2.0 * c.gain_se, "{c:?}");
    let text = quotasim_calibrate::text::report(&fit, &targets, "recover.toml");
    assert!(text.contains("seeds' noise"), "{text}");
}

#[test]
fn no_check_is_made_or_reported_with_check_seeds_0() {
    let base = reduced();
    let mut targets = at_truth(&base);
    targets.calibration.check_seeds = 0;
    targets.calibration.max_iterations = 5;
    let problem = seeded(&base, &targets);
    let checked = std::cell::Cell::new(false);
    let fit = calibrate(&problem, &[1.0, 588.0], &|p| {
        checked.set(checked.get() || p.stage == Stage::Check);
        std::ops::ControlFlow::Continue(())
    })
    .unwrap();
    assert!(!checked.get(), "no check is announced");
    assert_eq!(fit.fit.check, None);
    let text = quotasim_calibrate::text::report(&fit, &targets, "recover.toml");
    assert!(!text.contains("fresh replications"), "{text}");
}
