//! Attributing a scenario's change to groups of its events (docs/attribution.md), in
//! the steps every front takes:
//! 1. the grouping assigns every setting of the scenario's events to one group (a
//!    setting no group owns is refused, naming it);
//! 2. the metrics are numeric summary keys (checked on a one-day run);
//! 3. for every subset of groups (2^k), the scenario with those groups on runs
//!    replications 0..reps with the same seed: common random numbers, the unit costs
//!    of an ensemble drawn by replication as for every front; with a fit's posterior
//!    ([`Attribution::with_draws`]), replication r runs its own draw of the fitted
//!    parameters in every subset, so the bands carry the fit's uncertainty too;
//! 4. per replication, each metric's exact Shapley values
//!    ([`quotasim::attribution::shapley`]); the mean and the 5-95 % band over
//!    replications.
//!
//! The subsets run in parallel; each builds its plan as it starts, so memory holds a
//! plan and a run per thread.

use quotasim::attribution::{Grouping, shapley, with_groups};
use quotasim::ensemble::quantile;
use quotasim::source::Problem;
use quotasim::{Plan, Scenario, ScenarioErrors};

use crate::ensemble::{RequestError, reps_of, seed_of};

/// The metrics attributed when none is asked for: the headline keys.
pub const DEFAULT_METRICS: [&str; 8] = [
    "arrests_per_day_mean",
    "arrests_other_per_day",
    "share_other",
    "share_custodial",
    "detained_mean",
    "removals_per_year",
    "cost_per_year",
    "hsi_own_output_forgone",
];

/// Most replications an attribution runs (each is 2^k runs).
pub const MAX_REPS: u32 = 200;

/// Why an attribution cannot be made; each front words it.
#[derive(Debug, thiserror::Error)]
pub enum AttributeError {
    /// A located problem in the scenario (or its plan).
    #[error("{0}")]
    Scenario(#[from] ScenarioErrors),
    /// Settings of the scenario's events that no group owns, or two own: unlocated; a
    /// front locates them in the scenario's files.
    #[error("{} setting(s) of the events have no single group", .0.len())]
    Unowned(Vec<Problem>),
    /// A metric that is not a numeric summary key.
    #[error("metric {0:?}: not a numeric summary key (docs/outputs.md lists them)")]
    Metric(String),
    #[error("{0}")]
    Request(#[from] RequestError),
    /// A replication's scenario (a posterior's draw) whose events are not the
    /// scenario's: the groups could not be switched alike.
    #[error("replication {rep}'s scenario has other events than the scenario attributed")]
    DrawEvents { rep: u32 },
}

/// An attribution request, checked.
pub struct Attribution {
    scenario: Scenario,
    days: u32,
    grouping: Grouping,
    assignment: Vec<(usize, String, usize)>,
    metrics: Vec<String>,
    seed: u64,
    reps: u32,
    /// With a posterior: replication r's scenario, the scenario with its draw written
    /// in (empty without one).
    draws: Vec<Scenario>,
}

/// One metric's attribution: its value with no group on (the counterfactual) and with
/// all on (the scenario), each group's contribution, each as (mean, p05, p95) over
/// replications.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricAttribution {
    pub metric: String,
    pub counterfactual: (f64, f64, f64),
    pub scenario: (f64, f64, f64),
    pub change: (f64, f64, f64),
    pub contributions: Vec<(f64, f64, f64)>,
    /// Each group's share of the change: its mean contribution over the mean change
    /// (NaN when that is 0), with the 5-95 % band of its share in each replication
    /// (contribution / change of the same replication; replications whose change is 0
    /// are left out, and the band is NaN when all are).
    pub shares: Vec<(f64, f64, f64)>,
}

fn band(values: &[f64]) -> (f64, f64, f64) {
    let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
    (mean, quantile(values, 0.05), quantile(values, 0.95))
}

/// A group's share of the change ([`MetricAttribution::shares`]): its mean
/// contribution `mean` over the mean change `mean_change`, banded by its share in each
/// replication (`by_rep`: (its contribution, the change) of each).
fn share_band(
    mean: f64,
    mean_change: f64,
    by_rep: impl Iterator<Item = (f64, f64)>,
) -> (f64, f64, f64) {
    let of_mean = if mean_change != 0.0 {
        mean / mean_change
    } else {
        f64::NAN
    };
    let shares: Vec<f64> = by_rep
        .filter(|(_, c)| *c != 0.0 && c.is_finite())
        .map(|(p, c)| p / c)
        .collect();
    if shares.is_empty() {
        return (of_mean, f64::NAN, f64::NAN);
    }
    (of_mean, quantile(&shares, 0.05), quantile(&shares, 0.95))
}

impl Attribution {
    /// Steps 1 and 2: `scenario` run for `days` (default its own), grouped by
    /// `grouping`, the `metrics` (default [`DEFAULT_METRICS`]) with `seed` and `reps`.
    pub fn new(
        scenario: Scenario,
        days: Option<u32>,
        grouping: Grouping,
        metrics: Vec<String>,
        seed: Option<u64>,
        reps: Option<u32>,
    ) -> Result<Attribution, AttributeError> {
        let plan = Plan::with_days(&scenario, days)?;
        let seed = seed_of(&scenario, seed)?;
        let reps = reps_of(reps, MAX_REPS)?;
        let assignment = grouping
            .assign(&scenario)
            .map_err(AttributeError::Unowned)?;
        let metrics = if metrics.is_empty() {
            DEFAULT_METRICS.iter().map(|m| m.to_string()).collect()
        } else {
            metrics
        };
        // A metric is a numeric summary key as declared (quotasim::summary::KEYS).
        if let Some(m) = metrics
            .iter()
            .find(|m| !quotasim::summary::key_info(m).is_some_and(|k| k.kind.is_number()))
        {
            return Err(AttributeError::Metric(m.clone()));
        }
        Ok(Attribution {
            days: plan.days,
            scenario,
            grouping,
            assignment,
            metrics,
            seed,
            reps,
            draws: Vec::new(),
        })
    }

    /// The request with replication r running `scenarios[r]`, the scenario with a
    /// posterior's draw r written in ([`crate::posterior::Draws`]): one a replication,
    /// each with the scenario's events (a draw sets parameters, not events), so every
    /// subset switches the same settings in every replication.
    pub fn with_draws(mut self, scenarios: Vec<Scenario>) -> Result<Attribution, AttributeError> {
        if scenarios.len() != self.reps as usize {
            return Err(RequestError::Draws {
                plans: scenarios.len(),
                reps: self.reps,
            }
            .into());
        }
        for (rep, s) in (0u32..).zip(&scenarios) {
            if self.grouping.assign(s).ok().as_ref() != Some(&self.assignment) {
                return Err(AttributeError::DrawEvents { rep });
            }
        }
        self.draws = scenarios;
        Ok(self)
    }

    /// Whether each replication runs its own draw of a fit's posterior.
    pub fn has_draws(&self) -> bool {
        !self.draws.is_empty()
    }

    pub fn groups(&self) -> &Grouping {
        &self.grouping
    }

    pub fn metrics(&self) -> &[String] {
        &self.metrics
    }

    pub fn reps(&self) -> u32 {
        self.reps
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Runs in all: 2^k a replication.
    pub fn runs(&self) -> u64 {
        (1u64 << self.grouping.groups.len()) * u64::from(self.reps)
    }

    /// The plan of the scenario with the groups of `on` (bit g: group g) switched on
    /// (with a posterior, the scenario the draws are made around: posterior.csv holds
    /// each replication's values).
    pub fn plan_with(&self, on: u32) -> Result<Plan, ScenarioErrors> {
        self.plan_from(&self.scenario, on)
    }

    /// The plan replication `rep` runs with the groups of `on` switched on: the
    /// scenario's, or with a posterior replication `rep`'s draw.
    fn plan_of(&self, on: u32, rep: u32) -> Result<Plan, ScenarioErrors> {
        self.plan_from(self.draws.get(rep as usize).unwrap_or(&self.scenario), on)
    }

    /// `base` with the groups of `on` switched on, planned. An ensemble (two
    /// replications or more, or a posterior's draws) draws its unit costs.
    fn plan_from(&self, base: &Scenario, on: u32) -> Result<Plan, ScenarioErrors> {
        let s = with_groups(base, &self.assignment, on);
        let mut plan = Plan::with_days(&s, Some(self.days))?;
        plan.draw_costs = self.reps > 1 || self.has_draws();
        Ok(plan)
    }

    /// What determines the values of every run: the scenario, which group owns each
    /// setting, the metrics, days, seed and replications. Two requests with the same
    /// text compute the same values (a front keys a resumable log on it).
    pub fn request_text(&self) -> String {
        format!(
            "quotasim {}\ndays {} seed {} reps {}\nmetrics {}\ngroups {}\nassignment {:?}\n{}",
            env!("CARGO_PKG_VERSION"),
            self.days,
            self.seed,
            self.reps,
            self.metrics.join(","),
            self.grouping
                .groups
                .iter()
                .map(|g| g.name.as_str())
                .collect::<Vec<_>>()
                .join(","),
            self.assignment,
            std::iter::once(&self.scenario)
                .chain(&self.draws)
                .map(Scenario::to_toml)
                .collect::<Vec<_>>()
                .join("\n# the next replication's draw\n")
        )
    }

    /// Steps 3 and 4; `progress(done)` counts runs.
    pub fn run(
        &self,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Vec<MetricAttribution>, AttributeError> {
        self.run_resumable(progress, &|_| None, &|_, _| {})
    }

    /// As [`Attribution::run`], resumably: a subset whose values `known(on)` gives
    /// (every replication's metrics, as `finished` was given them) is not run again;
    /// `finished(on, values)` is called as each subset's replications are done, so a
    /// front can keep them (values\[rep\]\[metric\]). The result is the same.
    pub fn run_resumable(
        &self,
        progress: &(dyn Fn(u64) + Sync),
        known: &(dyn Fn(u32) -> Option<Vec<Vec<f64>>> + Sync),
        finished: &(dyn Fn(u32, &[Vec<f64>]) + Sync),
    ) -> Result<Vec<MetricAttribution>, AttributeError> {
        let k = self.grouping.groups.len();
        let done = std::sync::atomic::AtomicU64::new(0);
        let shape_ok = |v: &Vec<Vec<f64>>| {
            v.len() == self.reps as usize && v.iter().all(|r| r.len() == self.metrics.len())
        };
        // values[subset][rep][metric]
        let one = |on: u32| -> Result<Vec<Vec<f64>>, ScenarioErrors> {
            if let Some(v) = known(on).filter(shape_ok) {
                let n = u64::from(self.reps);
                progress(done.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n);
                return Ok(v);
            }
            // Without a posterior every replication runs one plan, made once.
            let shared = if self.has_draws() {
                None
            } else {
                Some(self.plan_with(on)?)
            };
            let values: Vec<Vec<f64>> = (0..self.reps)
                .map(|rep| {
                    let own;
                    let plan = match &shared {
                        Some(p) => p,
                        None => {
                            own = self.plan_of(on, rep)?;
                            &own
                        }
                    };
                    let run = quotasim::engine::run(plan, self.seed, rep);
                    progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
                    Ok(self
                        .metrics
                        .iter()
                        .map(|m| run.summary.num(m).unwrap_or(f64::NAN))
                        .collect())
                })
                .collect::<Result<_, ScenarioErrors>>()?;
            finished(on, &values);
            Ok(values)
        };
        #[cfg(feature = "parallel")]
        let values: Vec<_> = {
            use rayon::prelude::*;
            (0..1u32 << k).into_par_iter().map(one).collect()
        };
        #[cfg(not(feature = "parallel"))]
        let values: Vec<_> = (0..1u32 << k).map(one).collect();
        let values = values.into_iter().collect::<Result<Vec<_>, _>>()?;
        let all = (1usize << k) - 1;
        Ok(self
            .metrics
            .iter()
            .enumerate()
            .map(|(m, metric)| {
                let per_rep: Vec<Vec<f64>> = (0..self.reps as usize)
                    .map(|r| {
                        let v: Vec<f64> = values.iter().map(|s| s[r][m]).collect();
                        shapley(&v, k)
                    })
                    .collect();
                let at = |s: usize| -> Vec<f64> { values[s].iter().map(|r| r[m]).collect() };
                let change: Vec<f64> = at(all).iter().zip(at(0)).map(|(a, b)| a - b).collect();
                let contributions: Vec<_> = (0..k)
                    .map(|g| band(&per_rep.iter().map(|p| p[g]).collect::<Vec<_>>()))
                    .collect();
                let change_band = band(&change);
                let shares = (0..k)
                    .map(|g| {
                        let by_rep = per_rep.iter().map(|p| p[g]).zip(change.iter().copied());
                        share_band(contributions[g].0, change_band.0, by_rep)
                    })
                    .collect();
                MetricAttribution {
                    metric: metric.clone(),
                    counterfactual: band(&at(0)),
                    scenario: band(&at(all)),
                    change: change_band,
                    contributions,
                    shares,
                }
            })
            .collect())
    }
}
