//! The shipped 2025 fit (`scenarios/quota-2025-fitted.toml`, with its fit file
//! `scenarios/fit-2025.toml`): the scenario carries the fit file's estimates, the fit
//! used no day after 2026-01-31, and calibrating a reduced 2025 problem from a perturbed
//! start comes back to the shipped values.

use quotasim::adjust::parameter_numbers;
use quotasim::scenario::{Date, Scenario};
use quotasim_calibrate::fit::{Fit, FitProblem};
use quotasim_calibrate::observed::Observations;
use quotasim_calibrate::{Mode, Targets, calibrate};

const FIT: &str = include_str!("../../../scenarios/fit-2025.toml");
const OBSERVED: &str = include_str!("../../../scenarios/observed-2025.toml");

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-9)
}

#[test]
fn shipped_2025_scenario_carries_its_fit_files_estimates_and_no_day_after_january_2026() {
    let fitted = Scenario::fitted_2025();
    let blind = Scenario::national_default();
    let fit = Fit::from_toml("fit-2025.toml", FIT).unwrap();
    assert!(
        fit.parameters.len() >= 10,
        "{} parameters",
        fit.parameters.len()
    );
    for p in &fit.parameters {
        let got = parameter_numbers(&fitted, &p.path).unwrap();
        match p.mode {
            Mode::Set => assert!(
                close(got[0].1, p.estimate, 1e-3),
                "{}: scenario {} against fit {}",
                p.path,
                got[0].1,
                p.estimate
            ),
            Mode::Scale => {
                // A scale multiplies the values the fit started from (the fit before
                // it, for a refit) by the estimate, every one alike: against the blind
                // scenario every value then carries one common factor, the estimate's
                // or a multiple of it; save a value the fit sets on its own after the
                // scale (`detention.stay_days.other`), checked as a set above.
                let was = parameter_numbers(&blind, &p.path).unwrap();
                let factor = got[0].1 / was[0].1;
                assert!(factor >= p.estimate * (1.0 - 1e-3), "{}: {factor}", p.path);
                let set_apart = |k: &str| fit.parameters.iter().any(|q| q.path == k);
                for ((k, g), (_, w)) in got.iter().zip(&was) {
                    if set_apart(k) {
                        continue;
                    }
                    assert!(
                        close(*g, w * factor, 1e-3),
                        "{k}: {g} against {w} x {factor}"
                    );
                }
            }
        }
    }
    // The fit's runs, and the scenario, end on 2026-01-31; no observation is later.
    let start = fitted.run.start_date;
    assert_eq!(start, Date::parse("2025-01-20").unwrap());
    assert_eq!(
        start.plus_days(fit.fit.days - 1),
        Date::parse("2026-01-31").unwrap()
    );
    let last = Observations::from_toml("observed-2025.toml", OBSERVED)
        .unwrap()
        .list
        .iter()
        .filter_map(|o| o.to)
        .max()
        .unwrap();
    assert_eq!(last, Date::parse("2026-01-31").unwrap());
    assert_eq!(
        start.plus_days(fitted.run.days - 1),
        Date::parse("2026-01-31").unwrap()
    );
}

#[test]
fn a_parameter_the_scenario_sets_apart_from_the_fit_keeps_its_value_in_every_draw() {
    let fit = Fit::from_toml("fit-2025.toml", FIT).unwrap();
    let path = "detention.others_bookins_per_day";
    let i = fit.parameters.iter().position(|p| p.path == path).unwrap();
    // The shipped scenario carries the fit: every parameter is drawn.
    let fitted = Scenario::fitted_2025();
    assert!(fit.set_apart(&fitted).is_empty());
    let draws: Vec<Vec<f64>> = (0..8).map(|r| fit.draw_for(&fitted, 5, r)).collect();
    assert!(draws.iter().any(|d| d[i] != draws[0][i]));
    assert_eq!(draws[3], fit.draw(5, 3));
    // A scenario that sets it otherwise keeps its value; the others are drawn as before.
    let mut own = fitted.clone();
    own.detention.others_bookins_per_day = 300.0;
    let apart = fit.set_apart(&own);
    assert_eq!(apart.len(), 1);
    assert_eq!(apart[0].0, path);
    assert_eq!(apart[0].1, 300.0);
    for r in 0..8 {
        let (d, plain) = (fit.draw_for(&own, 5, r), fit.draw(5, r));
        assert_eq!(d[i], 300.0);
        for (j, (a, b)) in d.iter().zip(&plain).enumerate() {
            if j != i {
                assert_eq!(a, b, "parameter {j}, draw {r}");
            }
        }
        let s = fit.apply_draw(&own, &d).unwrap();
        assert_eq!(s.detention.others_bookins_per_day, 300.0);
    }
}

/// Two of the fit's best-identified parameters free, every other held at its shipped
/// value: the fit's own observations, days and seeds (as scenarios/targets-2025.toml).
const REDUCED: &str = r#"
[calibration]
seeds = 2
max_iterations = 25
tolerance = 0.02
days = 377
observed = "observed-2025.toml"   # read below, as the command reads it

[[free]]
path = "quota.penalty_per_missed_arrest"
lo = 1.0
hi = 50.0
log = true

[[free]]
path = "channels.findability.other"
lo = 0.02
hi = 1.5
log = true
"#;

#[test]
fn calibrating_a_reduced_2025_problem_from_a_perturbed_start_recovers_the_shipped_fit() {
    let shipped = Scenario::fitted_2025();
    let mut targets = Targets::from_toml("reduced.toml", REDUCED).unwrap();
    targets.observations = Observations::from_toml("observed-2025.toml", OBSERVED)
        .unwrap()
        .list;
    let truth = targets.start(&shipped, "reduced.toml", REDUCED).unwrap();
    // Start half again as high on the penalty and a third lower on findability.
    let start = [truth[0] * 1.5, truth[1] * 0.67];
    let moved = quotasim_calibrate::apply(&shipped, &targets.free, &start).unwrap();
    let problem = FitProblem {
        scenario: &moved,
        targets: &targets,
        seed: shipped.run.seed,
    };
    let fit = calibrate(&problem, &start, &|_| std::ops::ControlFlow::Continue(())).unwrap();
    let at_truth = problem
        .evaluate_as_written(&truth)
        .unwrap()
        .objective(&targets);
    // The start is worse than the shipped values by more than chance; the fit, as its
    // file carries it, is back as good as them.
    assert!(
        fit.fit.objective_start > at_truth + 3.0,
        "{:?} against {at_truth}",
        fit.fit
    );
    assert!(
        fit.fit.objective < at_truth + 1.0,
        "{:?} against {at_truth}",
        fit.fit
    );
    // Each parameter comes back within a quarter of its shipped value and inside the
    // shipped fit's 5-95 % interval.
    let shipped_fit = Fit::from_toml("fit-2025.toml", FIT).unwrap();
    for (p, t) in fit.parameters.iter().zip(&truth) {
        let q = shipped_fit
            .parameters
            .iter()
            .find(|q| q.path == p.path)
            .unwrap();
        assert!(
            close(p.estimate, *t, 0.25) && q.p05 <= p.estimate && p.estimate <= q.p95,
            "{}: {} against the shipped {t} ({} .. {})",
            p.path,
            p.estimate,
            q.p05,
            q.p95
        );
    }
}
