//! Calibrating a scenario to a targets file (docs/calibration.md), in the steps every
//! front takes, declared once:
//! 1. the targets file is read and checked against the scenario: its free parameters
//!    (their starting values; the scenario valid at both bounds) and its target keys;
//! 2. where it names an observations file (`calibration.observed`, which the front reads,
//!    beside the targets file), the observations are checked against the scenario's
//!    days and summary keys, on a one-day run with the calibration's seed;
//! 3. the search ([`quotasim_calibrate::calibrate`]) with the seed of the targets file
//!    (else the scenario's), then the fit as TOML, the fitted scenario (an overlay is
//!    fitted as the whole it resolves to) and the report.

use std::ops::ControlFlow;

use quotasim::{Plan, Scenario, ScenarioErrors};
use quotasim_calibrate::{Fit, Progress, Targets};

use crate::ensemble::{RequestError, seed_of};

/// Why a calibration cannot be done; each front words it.
#[derive(Debug, thiserror::Error)]
pub enum CalibrateError {
    /// A located problem in the scenario, the targets or the observations.
    #[error("{0}")]
    Input(#[from] ScenarioErrors),
    /// The seed of the targets file is out of range.
    #[error("{0}")]
    Request(#[from] RequestError),
    /// The search failed (a point where the model cannot run, an objective that is not
    /// finite, an interrupt), in the words of the targets file.
    #[error("{origin}: {error}")]
    Search {
        origin: String,
        error: Box<quotasim_calibrate::FitError>,
    },
    /// A rolling origin outside the run (it must fall after its first day and within
    /// its days).
    #[error("{origin}: must lie after the run's first day ({start}) and within its {days} days")]
    Origin {
        origin: quotasim::scenario::Date,
        start: quotasim::scenario::Date,
        days: u32,
    },
    /// A rolling origin before every observation's end: nothing to fit.
    #[error("{origin}: no observation ends before it, so nothing is left to fit")]
    NothingBefore { origin: quotasim::scenario::Date },
    /// The fitted values could not be written into the scenario's text.
    #[error("the scenario cannot take the fitted values: {0}")]
    Edit(#[from] quotasim::edit::EditError),
    /// The fit could not be written as text.
    #[error("{0}")]
    Text(String),
}

/// A calibration request, checked step by step before its search.
pub struct Calibration {
    scenario: Scenario,
    /// The scenario's text, its bases merged in: what the fitted scenario edits.
    whole_text: String,
    targets: Targets,
    targets_origin: String,
    seed: u64,
    start: Vec<f64>,
}

/// What a calibration writes: fit.toml, fitted.toml and fit-report.md.
pub struct Calibrated {
    pub fit: Fit,
    pub fit_toml: String,
    pub fitted: String,
    pub report: String,
}

impl Calibration {
    /// Step 1: `scenario` (validated; `whole_text` its resolved text) against the
    /// targets file's text.
    pub fn new(
        scenario: Scenario,
        whole_text: String,
        targets_origin: &str,
        targets_text: &str,
    ) -> Result<Calibration, CalibrateError> {
        Plan::new(&scenario)?;
        let targets = Targets::from_toml(targets_origin, targets_text)?;
        let start = targets.start(&scenario, targets_origin, targets_text)?;
        targets.check_keys(targets_origin, targets_text)?;
        quotasim_calibrate::text::check_writable(&whole_text, &targets.free)?;
        let seed = seed_of(&scenario, targets.calibration.seed)?;
        Ok(Calibration {
            scenario,
            whole_text,
            targets,
            targets_origin: targets_origin.to_string(),
            seed,
            start,
        })
    }

    /// The observations file the targets name (relative to the targets file), which
    /// the front reads and gives to [`Calibration::with_observations`].
    pub fn observed_name(&self) -> Option<&str> {
        self.targets.calibration.observed.as_deref()
    }

    /// Step 2: the observations the targets name, checked against the plan's days and
    /// the declared summary keys.
    pub fn with_observations(&mut self, origin: &str, text: &str) -> Result<(), CalibrateError> {
        let obs = quotasim_calibrate::observed::Observations::from_toml(origin, text)?;
        let plan = Plan::with_days(&self.scenario, self.targets.calibration.days)?;
        obs.check_against(origin, text, &plan)?;
        self.targets.observations = obs.list;
        Ok(())
    }

    /// For a rolling-origin backtest (docs/calibration.md): fits only what was
    /// published about days before `origin`. The observations whose window ends on or
    /// after it, those without a window, and the targets of whole-run summary keys go;
    /// each evaluation runs to the day before `origin`. Refused when nothing is left to
    /// fit or the origin lies outside the scenario's run.
    pub fn before(&mut self, origin: quotasim::scenario::Date) -> Result<(), CalibrateError> {
        let start = self.scenario.run.start_date;
        let days = start.days_until(origin);
        let run_days = self
            .targets
            .calibration
            .days
            .unwrap_or(self.scenario.run.days);
        if days < 1 || days >= i64::from(run_days) {
            return Err(CalibrateError::Origin {
                origin,
                start,
                days: run_days,
            });
        }
        self.targets
            .observations
            .retain(|o| o.to.is_some_and(|to| to < origin));
        self.targets.targets.clear();
        if self.targets.observations.is_empty() {
            return Err(CalibrateError::NothingBefore { origin });
        }
        self.targets.calibration.days = Some(days as u32);
        Ok(())
    }

    /// The plan one evaluation runs (for a memory check), and its seeds.
    pub fn evaluation(&self) -> Result<(Plan, u32), CalibrateError> {
        let plan = Plan::with_days(&self.scenario, self.targets.calibration.days)?;
        Ok((plan, self.targets.calibration.seeds))
    }

    pub fn targets(&self) -> &Targets {
        &self.targets
    }

    /// Step 3: the search, `progress` told after each evaluation (answering `Break`
    /// stops it), then the fit's texts.
    pub fn run(
        &self,
        progress: &dyn Fn(Progress) -> ControlFlow<quotasim_calibrate::Stop>,
    ) -> Result<Calibrated, CalibrateError> {
        let problem = quotasim_calibrate::FitProblem {
            scenario: &self.scenario,
            targets: &self.targets,
            seed: self.seed,
        };
        let fit =
            quotasim_calibrate::calibrate(&problem, &self.start, progress).map_err(|error| {
                CalibrateError::Search {
                    origin: self.targets_origin.clone(),
                    error: Box::new(error),
                }
            })?;
        let name = std::path::Path::new(&self.targets_origin)
            .file_name()
            .map_or(self.targets_origin.clone(), |n| {
                n.to_string_lossy().into_owned()
            });
        let fitted = quotasim_calibrate::text::fitted_scenario_text(&self.whole_text, &fit, &name)
            .map_err(CalibrateError::Edit)?;
        let report = quotasim_calibrate::text::report(&fit, &self.targets, &name);
        let fit_toml = toml::to_string(&fit).map_err(|e| CalibrateError::Text(e.to_string()))?;
        Ok(Calibrated {
            fit,
            fit_toml,
            fitted,
            report,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> String {
        include_str!("../../../scenarios/targets-fy2024.toml").to_string()
    }

    #[test]
    fn a_rolling_origin_fits_only_what_ends_before_it_and_runs_to_it() {
        let resolved = quotasim::overlay::national_default();
        let s = Scenario::from_resolved(&resolved).unwrap();
        let targets = include_str!("../../../scenarios/targets-2025.toml");
        let observed = include_str!("../../../scenarios/observed-2025.toml");
        let make = || {
            let mut c =
                Calibration::new(s.clone(), resolved.text.clone(), "t.toml", targets).unwrap();
            c.with_observations("observed-2025.toml", observed).unwrap();
            c
        };
        let all = make().targets().observations.len();
        let origin = quotasim::scenario::Date::parse("2025-06-30").unwrap();
        let mut c = make();
        c.before(origin).unwrap();
        let kept = &c.targets().observations;
        assert!(
            !kept.is_empty() && kept.len() < all,
            "{} of {all}",
            kept.len()
        );
        assert!(kept.iter().all(|o| o.to.is_some_and(|t| t < origin)));
        // Each evaluation stops the day before the origin: 2025-01-20 .. 06-29.
        assert_eq!(c.evaluation().unwrap().0.days, 161);
        // Before the first observation ends, or outside the run, nothing can be fitted.
        for (early, inside) in [
            ("2025-01-22", true),
            ("2024-12-01", false),
            ("2027-01-01", false),
        ] {
            let mut c = make();
            let e = c
                .before(quotasim::scenario::Date::parse(early).unwrap())
                .unwrap_err();
            if inside {
                assert!(matches!(e, CalibrateError::NothingBefore { .. }), "{e}");
            } else {
                assert!(matches!(e, CalibrateError::Origin { .. }), "{e}");
                assert!(
                    e.to_string()
                        .contains("must lie after the run's first day (2025-01-20)"),
                    "{e}"
                );
            }
        }
    }

    #[test]
    fn a_calibration_checks_its_targets_before_any_search_and_names_its_observations() {
        // The FY2024 targets on the scenario they fit.
        let resolved = quotasim::overlay::Resolved::plain(
            "baseline-fy2024.toml",
            include_str!("../../../scenarios/baseline-fy2024.toml"),
        );
        let s = Scenario::from_resolved(&resolved).unwrap();
        let c = Calibration::new(s.clone(), resolved.text.clone(), "t.toml", &targets()).unwrap();
        assert_eq!(c.observed_name(), None);
        assert_eq!(c.seed, s.run.seed);
        let bad = targets().replacen("key = \"share_other\"", "key = \"share_others\"", 1);
        match Calibration::new(s, resolved.text, "t.toml", &bad) {
            Err(CalibrateError::Input(e)) => {
                let e = e.to_string();
                assert!(e.contains("t.toml:") && e.contains("share_others"), "{e}");
            }
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("an unknown target key was taken"),
        }
    }

    #[test]
    fn a_fit_the_file_cannot_take_is_refused_before_the_search() {
        let text = include_str!("../../../scenarios/baseline-fy2024.toml");
        let resolved = quotasim::overlay::Resolved::plain("baseline-fy2024.toml", text);
        let s = Scenario::from_resolved(&resolved).unwrap();
        let free = |path: &str, mode: &str, lo: f64| {
            format!(
                "{}\n[[free]]\npath = \"{path}\"\nmode = \"{mode}\"\nlo = {lo:?}\nhi = 2.0\n",
                targets()
            )
        };
        // A value set that the file leaves to its defaults is added to the fitted file.
        let without = text.replace("\nescalation = ", "\n# escalation = ");
        let set = free("quota.escalation", "set", 0.0);
        Calibration::new(s.clone(), without, "t.toml", &set).unwrap();
        // A table scaled must be in the file: refused at once, not after the search.
        let without = text.replace("\nrelease_days = {", "\n# release_days = {");
        let scale = free("pathways.release_days", "scale", 0.5);
        match Calibration::new(s, without, "t.toml", &scale) {
            Err(e @ CalibrateError::Edit(_)) => assert_eq!(
                e.to_string(),
                "the scenario cannot take the fitted values: pathways.release_days is not in the scenario file (only in its defaults)"
            ),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("a scaled table missing from the file was taken"),
        }
    }
}
