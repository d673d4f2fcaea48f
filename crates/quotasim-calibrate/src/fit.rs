//! The fit: a simplex search for the free parameters, then the fit's uncertainty
//! (docs/calibration.md, "Method").
//!
//! 1. **Objective.** At a parameter point the scenario is run `seeds` times (the same
//!    seeds at every point, so the objective is a smooth, deterministic function of the
//!    parameters). For each target, z = (model mean - value) / sd; the objective is the
//!    sum of z squared.
//! 2. **Search.** Nelder-Mead (argmin) on the unit box of the free parameters (each
//!    mapped linearly, or on a log scale, to 0..1), from the scenario's own values.
//!    Points outside the box are evaluated at the nearest point inside it, plus a
//!    penalty, so the search stays inside. With `starts` above 1, further searches
//!    start from the points of a seeded Latin hypercube over the box, or over a
//!    smaller box around the scenario's values (`start_spread`; [`start_points`]);
//!    the fit is the best point of every search.
//! 3. **As the file carries it.** Every point is evaluated as a fitted scenario file
//!    would carry it: its values rounded to four significant figures, and each number
//!    a `scale` multiplies rounded too ([`apply_as_written`]). The objective is rough
//!    at that scale (a change in the fourth figure moves which random draws fall
//!    where, by a unit or two of the objective), so the search minimises the file's
//!    objective, not a neighbour's: the objective reported at the fit is the best
//!    the search found, and the file scores it. The start and the fit are then scored
//!    again on `check_seeds` fresh replications ([`FitProblem::check`]): what the
//!    search gained on its own seeds may be their noise, and the check says how much
//!    of it holds.
//! 4. **Uncertainty.** A Laplace (Gauss-Newton) approximation on the unit box: the
//!    Jacobian J of the scaled residuals by central differences, each residual's scale
//!    being the target's sd combined with the seeds' own spread, and a uniform prior
//!    over the box approximated by a normal of the same variance (1/12 per parameter).
//!    The covariance is (JᵀJ + 12 I)⁻¹. A parameter the targets do not pin down keeps
//!    about its prior spread; the report says so.
//! 5. **Posterior draws** (`quotasim run --posterior`): normal draws with that
//!    covariance around the fit, kept only inside the box (rejection).

use std::cell::Cell;
use std::ops::ControlFlow;

use argmin::core::{CostFunction, Executor, State};
use argmin::solver::neldermead::NelderMead;
use nalgebra::{DMatrix, DVector};
use quotasim::ScenarioErrors;
use quotasim::adjust::{AdjustError, parameter_numbers};
use quotasim::scenario::Scenario;
use quotasim::{Plan, ensemble};
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use crate::observed::{jackknife_se, mean_without};
use crate::targets::{Free, Mode, Targets, apply, apply_as_written, round4};

/// Step of the central differences, as a share of the search box.
const STEP: f64 = 0.02;
/// Penalty per squared unit outside the search box.
const OUTSIDE_PENALTY: f64 = 1e3;
/// A parameter whose posterior sd is above this share of its prior sd (the box's
/// uniform, 1/sqrt(12)) is reported as not identified by the targets.
const IDENTIFIED_BELOW: f64 = 0.5;

/// The model's value of each target at one parameter point.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Per target: the value in each replication.
    pub per_seed: Vec<Vec<f64>>,
}

impl Evaluation {
    /// Per target: the mean over replications.
    pub fn means(&self) -> Vec<f64> {
        self.per_seed
            .iter()
            .map(|v| v.iter().sum::<f64>() / v.len() as f64)
            .collect()
    }

    /// Per target: the standard deviation over replications (0 with one).
    pub fn sds(&self) -> Vec<f64> {
        self.per_seed
            .iter()
            .map(|v| {
                if v.len() < 2 {
                    return 0.0;
                }
                let m = v.iter().sum::<f64>() / v.len() as f64;
                (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
            })
            .collect()
    }

    /// The objective with replication `k` left out of every mean (for the noise of a
    /// check on fresh replications).
    pub fn objective_without(&self, targets: &Targets, k: usize) -> f64 {
        self.per_seed
            .iter()
            .enumerate()
            .map(|(i, v)| targets.z(i, mean_without(v, Some(k))).powi(2))
            .sum()
    }

    /// Sum of squared z-scores against the targets and observations.
    pub fn objective(&self, targets: &Targets) -> f64 {
        self.means()
            .iter()
            .enumerate()
            .map(|(i, &m)| targets.z(i, m).powi(2))
            .sum()
    }

    /// The objective, or an error naming each figure whose squared z-score is not a
    /// finite number (an sd of 1e-160, or a value of 1e200, squares past the largest
    /// float): the search cannot compare such points.
    pub fn finite_objective(&self, targets: &Targets) -> Result<f64, FitError> {
        let terms: Vec<f64> = self
            .means()
            .iter()
            .enumerate()
            .map(|(i, &m)| targets.z(i, m).powi(2))
            .collect();
        if terms.iter().all(|t| t.is_finite()) {
            // Summed in the order `objective` sums them: the same number.
            return Ok(terms.iter().sum());
        }
        let means = self.means();
        let bad: Vec<String> = terms
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.is_finite())
            .map(|(i, _)| {
                let (name, value, _) = targets.describe(i);
                format!(
                    "`{name}`: value {value}, sd {}, model {}",
                    targets.sd(i),
                    means[i]
                )
            })
            .collect();
        Err(FitError::NotFinite { figures: bad })
    }
}

/// One calibration problem: a scenario, its targets, and the seed of the evaluations.
pub struct FitProblem<'a> {
    pub scenario: &'a Scenario,
    pub targets: &'a Targets,
    pub seed: u64,
}

impl FitProblem<'_> {
    /// Runs the scenario with the free parameters at `values`.
    pub fn evaluate(&self, values: &[f64]) -> Result<Evaluation, FitError> {
        let s = apply(self.scenario, &self.targets.free, values).map_err(FitError::Setting)?;
        self.run(&s)
    }

    /// Runs the scenario as the fitted file carries it with the free parameters at
    /// `values` ([`apply_as_written`]: each number a `scale` multiplies rounded as the
    /// file writes it), so that the objective reported at the fit is the file's.
    pub fn evaluate_as_written(&self, values: &[f64]) -> Result<Evaluation, FitError> {
        self.as_written_on(values, 0..self.targets.calibration.seeds)
    }

    /// As [`FitProblem::evaluate_as_written`], on replications `reps`.
    fn as_written_on(
        &self,
        values: &[f64],
        reps: std::ops::Range<u32>,
    ) -> Result<Evaluation, FitError> {
        let s = apply_as_written(self.scenario, &self.targets.free, values)
            .map_err(FitError::Setting)?;
        self.run_reps(&s, reps)
    }

    /// Scores the start and the fit (values as the file carries them) again on fresh
    /// replications, `seeds .. seeds + check_seeds`: see [`Check`].
    pub fn check(&self, start: &[f64], fit: &[f64]) -> Result<Option<Check>, FitError> {
        let n = self.targets.calibration.check_seeds;
        if n < 2 {
            return Ok(None);
        }
        let seeds = self.targets.calibration.seeds;
        let fresh = seeds..seeds + n;
        let a = self.as_written_on(start, fresh.clone())?;
        let b = self.as_written_on(fit, fresh)?;
        let t = self.targets;
        // Jackknife over the fresh replications, paired: each leaves the same one out of
        // both.
        let leave: Vec<f64> = (0..n as usize)
            .map(|k| a.objective_without(t, k) - b.objective_without(t, k))
            .collect();
        Ok(Some(Check {
            seeds: n,
            objective_start: a.objective(t),
            objective: b.objective(t),
            gain_se: jackknife_se(&leave),
        }))
    }

    fn run(&self, s: &Scenario) -> Result<Evaluation, FitError> {
        self.run_reps(s, 0..self.targets.calibration.seeds)
    }

    /// Runs replications `reps` of the calibration's seed.
    fn run_reps(&self, s: &Scenario, reps: std::ops::Range<u32>) -> Result<Evaluation, FitError> {
        let plan = Plan::with_days(s, self.targets.calibration.days).map_err(FitError::Plan)?;
        let runs = ensemble::run_window(
            &|_| std::borrow::Cow::Borrowed(&plan),
            self.seed,
            reps,
            &|_| {},
        );
        let mut per_seed = Vec::with_capacity(self.targets.targets.len());
        for t in &self.targets.targets {
            let mut v = Vec::with_capacity(runs.len());
            for r in &runs {
                match r.summary.get(&t.key) {
                    None => {
                        return Err(FitError::UnknownKey { key: t.key.clone() });
                    }
                    Some(_) => match r.summary.num(&t.key) {
                        Some(x) => v.push(x),
                        None => {
                            return Err(FitError::NoValue { key: t.key.clone() });
                        }
                    },
                }
            }
            per_seed.push(v);
        }
        for o in &self.targets.observations {
            let v: Option<Vec<f64>> = runs.iter().map(|r| o.statistic(&plan, r)).collect();
            per_seed.push(v.ok_or_else(|| FitError::OutsideRun {
                metric: o.metric.key().to_string(),
                window: o.window_text(),
                days: plan.days,
            })?);
        }
        Ok(Evaluation { per_seed })
    }

    fn values_at(&self, u: &[f64]) -> Vec<f64> {
        self.targets
            .free
            .iter()
            .zip(u)
            .map(|(f, u)| f.from_unit(*u))
            .collect()
    }

    /// The values at `u` as a scenario file carries them: four significant figures,
    /// inside each parameter's range.
    fn written_values_at(&self, u: &[f64]) -> Vec<f64> {
        round_within(&self.values_at(u), &self.targets.free)
    }
}

/// Why a calibration, or one evaluation of it, cannot be done. The text names no
/// front's argument.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    /// The scenario cannot take a point's values.
    #[error("{0}")]
    Setting(AdjustError),
    /// The scenario's events cannot run at a point.
    #[error("{0}")]
    Plan(ScenarioErrors),
    #[error("target key `{key}` is not a summary key (docs/outputs.md lists them)")]
    UnknownKey { key: String },
    #[error(
        "target key `{key}` has no numeric value in this run (null); choose a key the scenario defines"
    )]
    NoValue { key: String },
    #[error("observation {metric} over {window} lies outside the run ({days} days)")]
    OutsideRun {
        metric: String,
        window: String,
        days: u32,
    },
    /// Figures whose squared z-score is not finite, each as `name`: value, sd, model.
    #[error(
        "the squared z-score of {} is not a finite number, so the fit cannot compare points; state the value and its sd on the scale of the model's figure",
        .figures.join("; ")
    )]
    NotFinite { figures: Vec<String> },
    /// The search itself failed (argmin's words).
    #[error("{0}")]
    Search(String),
    /// The fit's precision matrix cannot be inverted into a covariance.
    #[error("the fit's precision matrix is not positive definite")]
    Precision,
    /// The posterior covariance is not positive definite: no draw can be made.
    #[error("the posterior covariance is not positive definite")]
    Covariance,
    /// The progress callback asked to stop.
    #[error("interrupted")]
    Interrupted,
}

/// What the search reports as it goes.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Model evaluations so far (each is `seeds` runs).
    pub evaluations: u32,
    /// Best objective so far.
    pub best: f64,
    /// Which stage: the search or the differences for the covariance.
    pub stage: Stage,
    /// The search under way, from 1 (in the uncertainty stage, the one whose best
    /// point is the fit), and how many there are (`calibration.starts`).
    pub start: u32,
    pub starts: u32,
}

impl Progress {
    /// `search S of N, ` where there is more than one search, else nothing: for a
    /// front's progress line.
    pub fn of_starts(&self) -> String {
        if self.starts > 1 {
            format!("search {} of {}, ", self.start, self.starts)
        } else {
            String::new()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Search,
    /// The start and the fit scored again on fresh replications (`check_seeds`).
    Check,
    Uncertainty,
}

/// How a progress callback stops a calibration (its `ControlFlow::Break`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Abandon it: [`FitError::Interrupted`].
    Abandon,
    /// End the search at the best point so far (its `stopped` says it did not
    /// converge) and go on to that point's uncertainty; in the uncertainty stage, as
    /// `Abandon`.
    KeepBest,
}

/// A finished calibration: written as `fit.toml`, read back by `run --posterior`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fit {
    pub fit: FitInfo,
    #[serde(rename = "parameter")]
    pub parameters: Vec<FittedParameter>,
    /// The report of each target (not needed to draw from the posterior).
    #[serde(rename = "target", default)]
    pub targets: Vec<TargetFit>,
    pub posterior: Posterior,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FitInfo {
    /// `run.name` of the calibrated scenario.
    pub scenario: String,
    pub method: String,
    pub seed: u64,
    pub seeds: u32,
    pub days: u32,
    /// Model evaluations, search and differences together.
    pub evaluations: u32,
    pub iterations: u64,
    /// Why the search stopped.
    pub stopped: String,
    /// Objective (sum of squared z) at the start and at the fit, each as a scenario
    /// file carries its values.
    pub objective_start: f64,
    pub objective: f64,
    /// Separate searches made (`calibration.starts`; 1 in a fit written before
    /// there could be more), the best objective each reached (as the file carries it), and
    /// which of them, from 1, gave the fit.
    #[serde(default = "one")]
    pub starts: u32,
    /// The further starts' spread (`calibration.start_spread`; 1, the whole box, in a
    /// fit written before it could be less).
    #[serde(default = "whole_box")]
    pub start_spread: f64,
    #[serde(default)]
    pub start_objectives: Vec<f64>,
    #[serde(default = "one")]
    pub chosen_start: u32,
    /// The start and the fit scored again on fresh replications (absent with
    /// `check_seeds = 0`, and in a fit written before the check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<Check>,
}

/// The start and the fit scored again on replications the search never saw
/// (`calibration.check_seeds` of them, after the search's `seeds`): with few seeds the
/// objective is rough, and part of what a search gains on its own seeds is their
/// noise. A gain on fresh replications well above `gain_se` is the model's, not the
/// seeds'.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// Fresh replications.
    pub seeds: u32,
    /// Objective (sum of squared z, each figure's mean over the fresh replications) at
    /// the start and at the fit, both as a scenario file carries their values.
    pub objective_start: f64,
    pub objective: f64,
    /// Standard error of the gain (`objective_start - objective`), by the jackknife
    /// over the fresh replications, paired (the same replications score both).
    pub gain_se: f64,
}

impl Check {
    /// What the search gained on fresh replications.
    pub fn gain(&self) -> f64 {
        self.objective_start - self.objective
    }
}

fn one() -> u32 {
    1
}

fn whole_box() -> f64 {
    1.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FittedParameter {
    pub path: String,
    pub mode: Mode,
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
    /// The scenario's value (1 for a scale) where the search started.
    pub start: f64,
    /// The fitted value (four significant figures).
    pub estimate: f64,
    /// 5 % and 95 % points of the posterior draws.
    pub p05: f64,
    pub p95: f64,
    /// Posterior sd over prior sd on the unit box: near 1, the targets say little.
    pub sd_over_prior: f64,
    pub identified: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetFit {
    pub key: String,
    pub value: f64,
    pub sd: f64,
    /// The model's mean over seeds at the fit.
    pub model: f64,
    /// The model's spread over seeds (sd) and its range.
    pub model_seed_sd: f64,
    pub model_min: f64,
    pub model_max: f64,
    /// model - value, and that over value.
    pub error: f64,
    pub relative_error: f64,
    /// error / sd.
    pub z: f64,
}

/// The normal approximation on the unit box.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Posterior {
    /// The fit's position on the unit box, one per parameter.
    pub unit_mean: Vec<f64>,
    /// Covariance on the unit box, row by row.
    pub unit_covariance: Vec<Vec<f64>>,
}

/// `values` as a scenario file carries them: four significant figures, each inside its
/// parameter's range.
fn round_within(values: &[f64], free: &[Free]) -> Vec<f64> {
    values
        .iter()
        .zip(free)
        .map(|(x, f)| round4(*x).clamp(f.lo, f.hi))
        .collect()
}

/// What every search of one calibration shares.
struct Searches<'p, 'a> {
    problem: &'p FitProblem<'a>,
    progress: &'p dyn Fn(Progress) -> ControlFlow<Stop>,
    /// How many searches there are (`calibration.starts`).
    starts: u32,
    /// The error of an evaluation that failed, as it was (argmin keeps only its text).
    failed: std::cell::RefCell<Option<FitError>>,
}

/// Where one search starts.
struct Start {
    /// This search's number, from 1.
    number: u32,
    /// The point on the unit box, and its objective (infinity where not yet evaluated).
    u: Vec<f64>,
    f: f64,
    /// The best objective of the searches before this one (for progress).
    best_before: f64,
}

struct Cost<'s, 'p, 'a> {
    searches: &'s Searches<'p, 'a>,
    /// This search's number from 1.
    number: u32,
    evaluations: Cell<u32>,
    /// The best objective of this search.
    best: Cell<f64>,
    /// The best objective of the searches before this one.
    best_before: f64,
    /// Set when `progress` asked to stop: the search then runs out without evaluating
    /// (argmin's Nelder-Mead cannot be told to stop from its cost).
    stopped: Cell<Option<Stop>>,
    /// The best point evaluated (its objective is `best`), kept for a search stopped
    /// between argmin's iterations.
    best_point: std::cell::RefCell<Vec<f64>>,
}

impl CostFunction for Cost<'_, '_, '_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, u: &Vec<f64>) -> Result<f64, argmin::core::Error> {
        if self.stopped.get().is_some() {
            return Ok(f64::INFINITY);
        }
        let inside: Vec<f64> = u.iter().map(|x| x.clamp(0.0, 1.0)).collect();
        let outside: f64 = u.iter().zip(&inside).map(|(a, b)| (a - b).powi(2)).sum();
        let problem = self.searches.problem;
        let values = problem.written_values_at(&inside);
        let f = match problem
            .evaluate_as_written(&values)
            .and_then(|ev| ev.finite_objective(problem.targets))
        {
            Ok(f) => f + OUTSIDE_PENALTY * outside,
            Err(e) => {
                // Kept as it is; the search stops with its text.
                let text = e.to_string();
                self.searches.failed.replace(Some(e));
                return Err(argmin::core::Error::msg(text));
            }
        };
        self.evaluations.set(self.evaluations.get() + 1);
        if f < self.best.get() {
            self.best.set(f);
            self.best_point.replace(u.clone());
        }
        let go_on = (self.searches.progress)(Progress {
            evaluations: self.evaluations.get(),
            best: self.best.get().min(self.best_before),
            stage: Stage::Search,
            start: self.number,
            starts: self.searches.starts,
        });
        if let ControlFlow::Break(stop) = go_on {
            self.stopped.set(Some(stop));
        }
        Ok(f)
    }
}

/// Where one search (a start and its restarts) ended.
struct Searched {
    /// The best point on the unit box, and its objective.
    u: Vec<f64>,
    f: f64,
    /// Evaluations so far, over every search.
    evaluations: u32,
    iterations: u64,
    /// Why it stopped (argmin's words, or the user's stop).
    stopped: String,
    /// The user asked to stop keeping the best point: no further search.
    by_user: bool,
}

/// The points the searches start from, on the unit box: `start` (the scenario's
/// values) first, then `starts - 1` points of a Latin hypercube (each parameter's
/// interval cut into as many strata, one point in each), fixed by `seed`. Each
/// parameter's interval is `spread` wide (1, the whole box, at most), centred on the
/// scenario's value and moved inside the box where it would leave it.
pub fn start_points(
    free: &[Free],
    start: &[f64],
    starts: u32,
    spread: f64,
    seed: u64,
) -> Vec<Vec<f64>> {
    let first: Vec<f64> = free.iter().zip(start).map(|(f, x)| f.to_unit(*x)).collect();
    // A targets file always has a free parameter; a library caller may give none.
    if starts <= 1 || free.is_empty() {
        return vec![first];
    }
    // A targets file's spread is in (0, 1]; a library caller's outside it is the box.
    let spread = if spread > 0.0 { spread.min(1.0) } else { 1.0 };
    let unit = free
        .iter()
        .zip(&first)
        .map(|(f, u)| {
            let lo = (u - spread / 2.0).clamp(0.0, 1.0 - spread);
            quotasim_sweep::design::Range {
                path: f.path.clone(),
                lo,
                hi: lo + spread,
                steps: 1,
            }
        })
        .collect();
    let design = quotasim_sweep::design::Design::new(
        quotasim_sweep::design::DesignKind::Lhs,
        unit,
        starts - 1,
        seed,
    )
    .expect("a hypercube of 1 to MAX_STARTS points over named ranges");
    let mut points = vec![first];
    points.extend(design.points);
    points
}

impl Searches<'_, '_> {
    /// Nelder-Mead from `start`, then `restarts` more times from the best point so far
    /// with a simplex a third the size: a restart escapes a simplex that collapsed
    /// early, a known weakness of the method. `evaluations` counts those of the
    /// searches before.
    fn search(&self, start: Start, evaluations: u32) -> Result<Searched, FitError> {
        let problem = self.problem;
        let k = problem.targets.free.len();
        let mut best_u = start.u;
        let mut best_f = start.f;
        let mut evaluations = evaluations;
        let mut iterations = 0;
        let mut stopped = String::new();
        let mut step = 0.15;
        for round in 0..=problem.targets.calibration.restarts {
            let mut simplex = vec![best_u.clone()];
            for j in 0..k {
                let mut v = best_u.clone();
                v[j] += if v[j] > 1.0 - step { -step } else { step };
                simplex.push(v);
            }
            let cost = Cost {
                searches: self,
                number: start.number,
                evaluations: Cell::new(evaluations),
                best: Cell::new(best_f),
                best_before: start.best_before,
                stopped: Cell::new(None),
                best_point: std::cell::RefCell::new(best_u.clone()),
            };
            let solver = NelderMead::new(simplex)
                .with_sd_tolerance(problem.targets.calibration.tolerance)
                .map_err(|e| FitError::Search(e.to_string()))?;
            let max_iters = u64::from(problem.targets.calibration.max_iterations);
            let r = Executor::new(cost, solver)
                .configure(|s| s.max_iters(max_iters))
                .run();
            let r = match r {
                Ok(r) => r,
                Err(e) => {
                    return Err(self
                        .failed
                        .take()
                        .unwrap_or(FitError::Search(e.to_string())));
                }
            };
            let cost = r
                .problem
                .problem
                .as_ref()
                .expect("the executor keeps the problem");
            evaluations = cost.evaluations.get();
            let state = r.state();
            match cost.stopped.get() {
                Some(Stop::Abandon) => return Err(FitError::Interrupted),
                Some(Stop::KeepBest) => {
                    // The best point evaluated, which argmin may not have taken in yet.
                    if cost.best.get() < best_f {
                        best_f = cost.best.get();
                        best_u = cost.best_point.borrow().clone();
                    }
                    // argmin ran out the round's iterations without evaluating: they are
                    // not counted.
                    let of_start = if self.starts > 1 {
                        format!(" of start {} of {}", start.number, self.starts)
                    } else {
                        String::new()
                    };
                    stopped = format!(
                        "stopped by the user after {evaluations} evaluations, in the search's round {}{of_start}: the best point so far, not converged",
                        round + 1
                    );
                    return Ok(Searched {
                        u: best_u,
                        f: best_f,
                        evaluations,
                        iterations,
                        stopped,
                        by_user: true,
                    });
                }
                None => {}
            }
            iterations += state.get_iter();
            stopped = state.get_termination_status().to_string();
            if let Some(b) = state.get_best_param()
                && state.get_best_cost() < best_f
            {
                best_f = state.get_best_cost();
                best_u = b.clone();
            }
            step /= 3.0;
        }
        Ok(Searched {
            u: best_u,
            f: best_f,
            evaluations,
            iterations,
            stopped,
            by_user: false,
        })
    }
}

/// Fits the free parameters from `start` (their values, one per [`Free`]), and from
/// `calibration.starts - 1` further points ([`start_points`]): the fit is the best
/// point of every search. After each evaluation `progress` is told how far the search
/// is; when it answers `Break(Stop::Abandon)` (an interrupt), the calibration stops
/// with [`FitError::Interrupted`], and with `Break(Stop::KeepBest)` the search ends at
/// the best point so far (no further start is searched), whose fit (with its
/// uncertainty) is returned.
pub fn calibrate(
    problem: &FitProblem,
    start: &[f64],
    progress: &dyn Fn(Progress) -> ControlFlow<Stop>,
) -> Result<Fit, FitError> {
    let free = &problem.targets.free;
    let k = free.len();
    // As the search sees it: the scenario's values as a file carries them.
    let start_ev = problem.evaluate_as_written(&round_within(start, free))?;
    let objective_start = start_ev.finite_objective(problem.targets)?;
    let starts = problem.targets.calibration.starts;
    let points = start_points(
        free,
        start,
        starts,
        problem.targets.calibration.start_spread,
        problem.seed,
    );
    let searches = Searches {
        problem,
        progress,
        starts,
        failed: std::cell::RefCell::new(None),
    };
    let mut evaluations = 1;
    let mut iterations = 0;
    let mut best: Option<(usize, Searched)> = None;
    let mut ended = Vec::with_capacity(points.len());
    for (i, from) in points.into_iter().enumerate() {
        // The scenario's point is evaluated already; another is first evaluated as a
        // vertex of its simplex.
        let from_f = if i == 0 {
            objective_start
        } else {
            f64::INFINITY
        };
        let best_before = best.as_ref().map_or(f64::INFINITY, |(_, b)| b.f);
        let s = searches.search(
            Start {
                number: i as u32 + 1,
                u: from,
                f: from_f,
                best_before,
            },
            evaluations,
        )?;
        evaluations = s.evaluations;
        iterations += s.iterations;
        ended.push(s.f);
        let by_user = s.by_user;
        if best.as_ref().is_none_or(|(_, b)| s.f < b.f) {
            best = Some((i, s));
        }
        if by_user {
            break;
        }
    }
    let (chosen, best) = best.expect("at least the scenario's start is searched");
    let stopped = best.stopped;
    let best_u = best.u;
    let best_u: Vec<f64> = best_u.iter().map(|x| x.clamp(0.0, 1.0)).collect();
    // The values the scenario file carries, and the model there: the point the search
    // scored (less any penalty for a point it tried outside the box).
    let estimate = problem.written_values_at(&best_u);
    let u_hat: Vec<f64> = free
        .iter()
        .zip(&estimate)
        .map(|(f, x)| f.to_unit(*x))
        .collect();
    let at_fit = problem.evaluate_as_written(&estimate)?;
    let mut evaluations = evaluations + 1;
    let objective = at_fit.objective(problem.targets);
    // After the search every stop abandons the fit.
    let tell = |stage: Stage, evaluations: u32| {
        let go_on = progress(Progress {
            evaluations,
            best: objective,
            stage,
            start: chosen as u32 + 1,
            starts,
        });
        if go_on.is_break() {
            Err(FitError::Interrupted)
        } else {
            Ok(())
        }
    };
    if problem.targets.calibration.check_seeds >= 2 {
        tell(Stage::Check, evaluations)?;
    }
    let check = problem.check(&round_within(start, free), &estimate)?;
    // Jacobian of the scaled residuals on the unit box.
    let seeds = f64::from(problem.targets.calibration.seeds);
    let scale: Vec<f64> = at_fit
        .sds()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let sd = problem.targets.sd(i);
            (sd * sd + s * s / seeds).sqrt()
        })
        .collect();
    let n = problem.targets.scored();
    let mut jac = DMatrix::<f64>::zeros(n, k);
    for j in 0..k {
        let mut up = u_hat.clone();
        let mut down = u_hat.clone();
        up[j] = (up[j] + STEP).min(1.0);
        down[j] = (down[j] - STEP).max(0.0);
        let hi = problem
            .evaluate_as_written(&problem.written_values_at(&up))?
            .means();
        let lo = problem
            .evaluate_as_written(&problem.written_values_at(&down))?
            .means();
        evaluations += 2;
        tell(Stage::Uncertainty, evaluations)?;
        for i in 0..n {
            jac[(i, j)] = (hi[i] - lo[i]) / (up[j] - down[j]) / scale[i];
        }
    }
    let precision = jac.transpose() * &jac + DMatrix::<f64>::identity(k, k) * 12.0;
    let cov = precision.cholesky().ok_or(FitError::Precision)?.inverse();
    let posterior = Posterior {
        unit_mean: u_hat.clone(),
        unit_covariance: (0..k)
            .map(|a| (0..k).map(|b| cov[(a, b)]).collect())
            .collect(),
    };
    let days = problem
        .targets
        .calibration
        .days
        .unwrap_or(problem.scenario.run.days);
    let mut fit = Fit {
        fit: FitInfo {
            scenario: problem.scenario.run.name.clone(),
            method: "Nelder-Mead on the unit box (argmin), common random numbers; Laplace covariance (J'J + 12 I)^-1".into(),
            seed: problem.seed,
            seeds: problem.targets.calibration.seeds,
            days,
            evaluations,
            iterations,
            stopped,
            objective_start,
            objective,
            starts: ended.len() as u32,
            start_spread: problem.targets.calibration.start_spread,
            start_objectives: ended,
            chosen_start: chosen as u32 + 1,
            check,
        },
        parameters: Vec::new(),
        targets: Vec::new(),
        posterior,
    };
    // Posterior quantiles of each parameter from a fixed set of draws.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
    let draws: Vec<Vec<f64>> = (0..4000)
        .map(|_| fit.draw_with(free, &mut rng))
        .collect::<Option<_>>()
        .ok_or(FitError::Covariance)?;
    for (j, f) in free.iter().enumerate() {
        let mut col: Vec<f64> = draws.iter().map(|d| d[j]).collect();
        col.sort_by(f64::total_cmp);
        let sd_over_prior = cov[(j, j)].sqrt() * 12f64.sqrt();
        fit.parameters.push(FittedParameter {
            path: f.path.clone(),
            mode: f.mode,
            lo: f.lo,
            hi: f.hi,
            log: f.log,
            start: start[j],
            estimate: estimate[j],
            p05: ensemble::quantile(&col, 0.05),
            p95: ensemble::quantile(&col, 0.95),
            sd_over_prior,
            identified: sd_over_prior < IDENTIFIED_BELOW,
        });
    }
    let means = at_fit.means();
    let sds = at_fit.sds();
    for i in 0..problem.targets.scored() {
        let v = &at_fit.per_seed[i];
        let (key, value, _) = problem.targets.describe(i);
        let error = means[i] - value;
        fit.targets.push(TargetFit {
            key,
            value,
            sd: problem.targets.sd(i),
            model: means[i],
            model_seed_sd: sds[i],
            model_min: v.iter().copied().fold(f64::INFINITY, f64::min),
            model_max: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            error,
            relative_error: if value != 0.0 {
                error / value
            } else {
                f64::NAN
            },
            z: problem.targets.z(i, means[i]),
        });
    }
    Ok(fit)
}

impl Fit {
    /// Parses a `fit.toml` written by `quotasim calibrate`.
    pub fn from_toml(origin: &str, text: &str) -> Result<Fit, quotasim::ScenarioError> {
        let source = quotasim::source::Source::new(origin, text);
        let fit: Fit = toml::from_str(text).map_err(|e| source.toml_error(&e))?;
        let k = fit.parameters.len();
        let ok = k > 0
            && fit.posterior.unit_mean.len() == k
            && fit.posterior.unit_covariance.len() == k
            && fit.posterior.unit_covariance.iter().all(|r| r.len() == k);
        if !ok {
            return Err(source.error_at(
                "posterior",
                None,
                format!(
                    "needs unit_mean with {k} numbers and a {k} x {k} unit_covariance, one per [[parameter]]"
                ),
            ));
        }
        let post = &fit.posterior;
        for (j, x) in post.unit_mean.iter().enumerate() {
            if !x.is_finite() {
                return Err(source.error_at(
                    "posterior.unit_mean",
                    Some(x.to_string()),
                    format!(
                        "its number {} must be finite: a mean on the unit box (0 to 1)",
                        j + 1
                    ),
                ));
            }
        }
        if let Some(x) = post
            .unit_covariance
            .iter()
            .flatten()
            .find(|x| !x.is_finite())
        {
            return Err(source.error_at(
                "posterior.unit_covariance",
                Some(x.to_string()),
                "every number must be finite".into(),
            ));
        }
        for (j, p) in fit.parameters.iter().enumerate() {
            if !(p.lo.is_finite() && p.hi.is_finite() && p.hi > p.lo) || (p.log && p.lo <= 0.0) {
                return Err(source.error_at(
                    &format!("parameter[{j}].hi"),
                    Some(p.hi.to_string()),
                    "must be above lo (and lo above 0 with log)".into(),
                ));
            }
        }
        if fit.lower_cholesky().is_none() {
            return Err(source.error_at(
                "posterior.unit_covariance",
                None,
                "is not a covariance (symmetric, positive definite)".into(),
            ));
        }
        Ok(fit)
    }

    /// The free parameters as the fit describes them.
    pub fn free(&self) -> Vec<Free> {
        self.parameters
            .iter()
            .map(|p| Free {
                path: p.path.clone(),
                lo: p.lo,
                hi: p.hi,
                log: p.log,
                mode: p.mode,
                note: String::new(),
            })
            .collect()
    }

    /// The fitted values, one per parameter.
    pub fn estimates(&self) -> Vec<f64> {
        self.parameters.iter().map(|p| p.estimate).collect()
    }

    fn lower_cholesky(&self) -> Option<DMatrix<f64>> {
        let k = self.posterior.unit_mean.len();
        if self.posterior.unit_covariance.len() != k
            || self.posterior.unit_covariance.iter().any(|r| r.len() != k)
        {
            return None;
        }
        let m = DMatrix::from_fn(k, k, |a, b| self.posterior.unit_covariance[a][b]);
        if (0..k)
            .any(|a| (0..k).any(|b| (m[(a, b)] - m[(b, a)]).abs() > 1e-9 * (1.0 + m[(a, b)].abs())))
        {
            return None;
        }
        m.cholesky().map(|c| c.l())
    }

    fn draw_with(&self, free: &[Free], rng: &mut impl rand::Rng) -> Option<Vec<f64>> {
        // None: the posterior covariance is not positive definite.
        let l = self.lower_cholesky()?;
        let k = free.len();
        let mean = DVector::from_vec(self.posterior.unit_mean.clone());
        for _ in 0..1000 {
            let z = DVector::from_fn(k, |_, _| StandardNormal.sample(rng));
            let u = &mean + &l * z;
            if u.iter().all(|x| (0.0..=1.0).contains(x)) {
                return Some(
                    free.iter()
                        .zip(u.iter())
                        .map(|(f, u)| f.from_unit(*u))
                        .collect(),
                );
            }
        }
        // Almost all the mass outside the box: fall back to the nearest point inside.
        let z = DVector::from_fn(k, |_, _| StandardNormal.sample(rng));
        let u = &mean + &l * z;
        Some(
            free.iter()
                .zip(u.iter())
                .map(|(f, u)| f.from_unit(u.clamp(0.0, 1.0)))
                .collect(),
        )
    }

    /// One draw of the parameters from the posterior for replication `rep` of a run
    /// with `seed` (its own random stream, so draws do not depend on threads).
    pub fn draw(&self, seed: u64, rep: u32) -> Vec<f64> {
        let mut rng = quotasim::rng::stream(seed, rep, quotasim::rng::Purpose::Posterior, 0);
        self.draw_with(&self.free(), &mut rng)
            .expect("checked when the fit was read")
    }

    /// The `set` parameters that `scenario` sets away from the fit's estimate, more
    /// than 0.1 % apart (a scenario that carries the fit rounds it to four figures):
    /// (path, the scenario's value, the estimate). A scenario that sets one of them
    /// otherwise means it (an input of its own, a reform), so [`Fit::draw_for`] leaves
    /// it as the scenario sets it.
    pub fn set_apart(&self, scenario: &Scenario) -> Vec<(String, f64, f64)> {
        self.kept(scenario)
            .map(|(i, x)| {
                let p = &self.parameters[i];
                (p.path.clone(), x, p.estimate)
            })
            .collect()
    }

    /// [`Fit::draw`] for a run of `scenario`: the parameters it sets away from the
    /// fit's estimate ([`Fit::set_apart`]) keep the scenario's values.
    pub fn draw_for(&self, scenario: &Scenario, seed: u64, rep: u32) -> Vec<f64> {
        let mut values = self.draw(seed, rep);
        for (i, x) in self.kept(scenario) {
            values[i] = x;
        }
        values
    }

    /// [`Fit::set_apart`]'s parameters by their number, with the scenario's value.
    fn kept<'a>(&'a self, scenario: &'a Scenario) -> impl Iterator<Item = (usize, f64)> + 'a {
        self.parameters
            .iter()
            .enumerate()
            .filter(|(_, p)| p.mode == Mode::Set)
            .filter_map(|(i, p)| {
                let (_, x) = *parameter_numbers(scenario, &p.path).ok()?.first()?;
                let apart = (x - p.estimate).abs() > 1e-3 * p.estimate.abs().max(1e-9);
                apart.then_some((i, x))
            })
    }

    /// A scenario with the parameters set to `values`, for a scenario that does not
    /// carry the fit (as the calibrated scenario was before the fit).
    pub fn apply(&self, scenario: &Scenario, values: &[f64]) -> Result<Scenario, AdjustError> {
        apply(scenario, &self.free(), values)
    }

    /// A scenario that carries the fitted values (`fitted.toml`, or a scenario built
    /// from it) with the parameters moved to a draw `values`: a `set` parameter takes
    /// the drawn value; a `scale` parameter, whose factor is relative to the scenario
    /// the fit started from, is multiplied by drawn / fitted factor.
    pub fn apply_draw(&self, scenario: &Scenario, values: &[f64]) -> Result<Scenario, AdjustError> {
        let relative: Vec<f64> = self
            .parameters
            .iter()
            .zip(values)
            .map(|(p, x)| match p.mode {
                Mode::Set => *x,
                Mode::Scale => x / p.estimate,
            })
            .collect();
        apply(scenario, &self.free(), &relative)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GOOD's `manager.hour_value` (0.01 .. 0.5 on a log scale) and one more.
    fn two_free() -> Vec<Free> {
        let text = format!(
            "{}\n[[free]]\npath = \"detention.others_bookins_per_day\"\nlo = 0.0\nhi = 900.0\n",
            crate::targets::tests::GOOD
        );
        Targets::from_toml("t.toml", &text).unwrap().free
    }

    #[test]
    fn further_starts_spread_over_every_parameters_range_and_repeat_by_seed() {
        let free = two_free();
        let points = start_points(&free, &[0.1, 450.0], 5, 1.0, 7);
        assert_eq!(points.len(), 5);
        // First the scenario's own values, on the unit box.
        assert!((points[0][0] - free[0].to_unit(0.1)).abs() < 1e-12);
        assert_eq!(points[0][1], 0.5);
        // Then four points, one in each quarter of each parameter's box.
        for j in 0..2 {
            let mut quarters: Vec<usize> = points[1..]
                .iter()
                .map(|p| (p[j] * 4.0).floor() as usize)
                .collect();
            quarters.sort();
            assert_eq!(quarters, vec![0, 1, 2, 3], "parameter {j}: {points:?}");
        }
        assert_eq!(start_points(&free, &[0.1, 450.0], 5, 1.0, 7), points);
        assert_ne!(start_points(&free, &[0.1, 450.0], 5, 1.0, 8), points);
        assert_eq!(start_points(&free, &[0.1, 450.0], 1, 1.0, 7), points[..1]);
    }

    #[test]
    fn a_start_spread_keeps_the_further_starts_near_the_scenarios_values() {
        let free = two_free();
        // 450 is the middle of its range; 855 lies 0.05 from its top.
        let near = start_points(&free, &[0.1, 450.0], 5, 0.2, 7);
        let u0 = free[0].to_unit(0.1);
        for p in &near[1..] {
            assert!((p[0] - u0).abs() <= 0.1, "{near:?}");
            assert!((0.4..=0.6).contains(&p[1]), "{near:?}");
        }
        // One point in each fifth of 0.4 .. 0.6: still a hypercube.
        let mut strata: Vec<usize> = near[1..]
            .iter()
            .map(|p| ((p[1] - 0.4) / 0.05).floor() as usize)
            .collect();
        strata.sort();
        assert_eq!(strata, vec![0, 1, 2, 3]);
        // Near the top of the box, the interval moves down to stay inside: 0.8 .. 1.
        let top = start_points(&free, &[0.1, 855.0], 5, 0.2, 7);
        for p in &top[1..] {
            assert!((0.8..=1.0).contains(&p[1]), "{top:?}");
        }
        assert!(top[1..].iter().any(|p| p[1] < 0.85), "{top:?}");
    }
}
