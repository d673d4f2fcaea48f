//! A calibration's posterior carried into a request, for every front (`run`,
//! `backtest` and `attribute --posterior`):
//! - replication r draws the fitted parameters from the fit's posterior with the
//!   streams (seed, r) ([`quotasim_calibrate::Fit::draw`]), so the same seed gives the
//!   same draws whatever else the request runs;
//! - a parameter the scenario sets away from the fit's estimate (an input of its own,
//!   a reform) keeps the scenario's value and is not drawn ([`Draws::kept`], which a
//!   front reports);
//! - replication r runs the scenario with its draw written in ([`Draws::scenarios`]);
//!   the draws themselves are kept for the posterior's CSV.

use quotasim::Scenario;
use quotasim::adjust::AdjustError;
use quotasim_calibrate::Fit;

/// One draw of a fit's posterior per replication, applied to a scenario.
pub struct Draws {
    /// Replication r's scenario: the scenario with draw r written in.
    pub scenarios: Vec<Scenario>,
    /// Replication r's draw, one value per fitted parameter (the fit's order).
    pub values: Vec<Vec<f64>>,
    /// The parameters the scenario sets away from the fit's estimate, kept as it sets
    /// them: (path, the scenario's value, the estimate).
    pub kept: Vec<(String, f64, f64)>,
}

impl Draws {
    /// `reps` draws of `fit`'s posterior with `seed`, each applied to `scenario`.
    /// Fails when the fit's parameters do not apply to the scenario (a path it lacks).
    pub fn new(fit: &Fit, scenario: &Scenario, seed: u64, reps: u32) -> Result<Draws, AdjustError> {
        let (scenarios, values) = (0..reps)
            .map(|rep| {
                let values = fit.draw_for(scenario, seed, rep);
                fit.apply_draw(scenario, &values).map(|s| (s, values))
            })
            .collect::<Result<(Vec<_>, Vec<_>), _>>()?;
        Ok(Draws {
            scenarios,
            values,
            kept: fit.set_apart(scenario),
        })
    }

    /// What a front says of each kept parameter, for a fit named `origin`:
    /// `<origin>: scenario "<name>" sets <path> = <x> where the fit has <estimate>: it
    /// keeps its value, not drawn`.
    pub fn kept_notes(&self, origin: &str, scenario: &Scenario) -> Vec<String> {
        self.kept
            .iter()
            .map(|(path, x, estimate)| {
                format!(
                    "{origin}: scenario \"{}\" sets {path} = {x} where the fit has {estimate}: it keeps its value, not drawn",
                    scenario.run.name
                )
            })
            .collect()
    }

    /// Why a fit named `origin` could not be drawn onto `scenario` ([`Draws::new`]'s
    /// error), in words.
    pub fn not_applying(origin: &str, scenario: &Scenario, e: &AdjustError) -> String {
        format!(
            "{origin}: its parameters do not apply to scenario \"{}\": {e}",
            scenario.run.name
        )
    }

    /// The draws as CSV (posterior.csv), one row per replication.
    pub fn csv(&self, fit: &Fit) -> String {
        quotasim_calibrate::text::posterior_csv(fit, &self.values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fitted() -> (Fit, Scenario) {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/");
        let fit_text = std::fs::read_to_string(format!("{root}fit-2025.toml")).unwrap();
        let fit = Fit::from_toml("fit-2025.toml", &fit_text).unwrap();
        let scenario = Scenario::from_resolved(&quotasim::overlay::fitted_2025()).unwrap();
        (fit, scenario)
    }

    #[test]
    fn each_replication_runs_its_own_draw_and_the_same_seed_draws_the_same() {
        let (fit, scenario) = fitted();
        let a = Draws::new(&fit, &scenario, 11, 3).unwrap();
        let b = Draws::new(&fit, &scenario, 11, 3).unwrap();
        assert_eq!(a.values, b.values);
        assert_eq!(a.scenarios.len(), 3);
        assert!(
            a.kept.is_empty(),
            "the fitted scenario carries the fit: {:?}",
            a.kept
        );
        // Replications differ from each other, and each scenario holds its draw.
        assert_ne!(a.values[0], a.values[1]);
        let i = fit
            .parameters
            .iter()
            .position(|p| p.path == "channels.community.broadened_reach_gain")
            .unwrap();
        for (s, v) in a.scenarios.iter().zip(&a.values) {
            let (_, x) =
                quotasim::adjust::parameter_numbers(s, &fit.parameters[i].path).unwrap()[0];
            assert!((x - v[i]).abs() < 1e-12, "{x} against the draw {}", v[i]);
        }
        assert_eq!(a.csv(&fit).lines().count(), 4);
    }
}
