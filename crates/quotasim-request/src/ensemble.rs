//! Running a scenario: one run, or replications of it (an ensemble).
//!
//! The rules, for every front:
//! - the seed is the one asked for, else the scenario's `run.seed`; it must lie in
//!   [0, [`quotasim::scenario::MAX_SEED`]];
//! - replications lie in [1, the front's maximum] ([`MAX_REPS`] for the command and
//!   Python; the page allows fewer);
//! - an ensemble draws each replication's unit costs from their ranges
//!   (docs/model.md 7.17), so that its bands carry cost uncertainty as well as chance:
//!   that is two replications or more, or any run with a posterior's draws (then each
//!   replication runs its own plan);
//! - an ensemble also draws each replication's assumptions from their ranges
//!   (`[[assumptions]]`, docs/model.md 7.20), so its bands carry them too; each
//!   replication's plan is made as it starts, and every one is checked when the
//!   ensemble is made, so a draw that breaks a rule is refused before anything runs;
//! - replication r runs with the streams (seed, r), so replication 0 draws what the
//!   single run with that seed draws (save its unit costs and assumptions);
//! - each source of an ensemble's spread can be switched off ([`Bands`]): chance
//!   (every replication then runs replication 0's streams), unit costs, the
//!   assumptions' ranges, and the widening by the model's own error; the fit's
//!   posterior is switched on by giving a fit. The model's own error widens the bands
//!   of an ensemble whose scenario was fitted (`run.fitted_through`) and whose dates
//!   hold published figures of the fit window ([`quotasim_observed::ModelError`]).
//!   Every summary says what its bands carry (`bands_carry`).

use std::borrow::Cow;

use quotasim::{Plan, Run, ensemble};
use quotasim_observed::{Figures, ModelError};

/// Most replications one request may ask for (the command and Python).
pub const MAX_REPS: u32 = 10_000;

/// Why a request cannot run. Each front words these in its own terms.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RequestError {
    /// Replications outside [1, max].
    #[error("replications {value}: must lie in [1, {max}]")]
    Reps { value: u32, max: u32 },
    /// A seed above the largest a scenario file can hold.
    #[error("seed {value}: must lie in [0, {max}]")]
    Seed { value: u64, max: u64 },
    /// A posterior's plans that are not one per replication.
    #[error("{plans} posterior draws for {reps} replications: one a replication")]
    Draws { plans: usize, reps: u32 },
    /// A name that is not a source of a band.
    #[error("band source {name:?}: must be among {}", Bands::NAMES.join(", "))]
    Bands { name: String },
    /// A replication's draw of the assumptions breaks a rule of the scenario.
    #[error(
        "replication {rep}'s draw of the scenario's assumptions is not a valid scenario: {errors}"
    )]
    Assumptions {
        rep: u32,
        errors: quotasim::ScenarioErrors,
    },
}

/// The sources of an ensemble's spread, each switchable (all on by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bands {
    /// Chance: each replication its own random streams.
    pub chance: bool,
    /// Unit costs drawn from their ranges (docs/model.md 7.17).
    pub costs: bool,
    /// The assumptions drawn from their ranges (docs/model.md 7.20).
    pub assumptions: bool,
    /// Bands widened by the model's own error, as its fit window measures it.
    pub model_error: bool,
}

impl Default for Bands {
    fn default() -> Self {
        Bands::ALL
    }
}

impl Bands {
    pub const ALL: Bands = Bands {
        chance: true,
        costs: true,
        assumptions: true,
        model_error: true,
    };
    /// The names a list of sources may hold ("all" and "none" besides).
    pub const NAMES: &[&str] = &[
        "chance",
        "costs",
        "assumptions",
        "model-error",
        "all",
        "none",
    ];

    /// A comma-separated list of sources ("chance,costs"), "all" or "none".
    pub fn parse(text: &str) -> Result<Bands, RequestError> {
        let mut b = Bands {
            chance: false,
            costs: false,
            assumptions: false,
            model_error: false,
        };
        for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name {
                "chance" => b.chance = true,
                "costs" => b.costs = true,
                "assumptions" => b.assumptions = true,
                "model-error" => b.model_error = true,
                "all" => b = Bands::ALL,
                "none" => {}
                _ => {
                    return Err(RequestError::Bands {
                        name: name.to_string(),
                    });
                }
            }
        }
        Ok(b)
    }
}

/// A scenario to run: its plan (or one plan per replication, drawn from a posterior),
/// the seed and the replications, with the rules above applied.
#[derive(Debug, Clone)]
pub struct Ensemble {
    /// The scenario as asked for (its provenance, its report).
    plan: Plan,
    /// With a posterior, the plan replication r runs: `draws[r]`.
    draws: Vec<Plan>,
    /// Whether each replication draws the scenario's assumptions.
    assumptions: bool,
    /// Whether the bands are widened by the model's own error where it is measured.
    model_error: bool,
    seed: u64,
    reps: u32,
}

/// The seed asked for, else the scenario's own (`run.seed`), checked against its
/// range: the one rule for every use case that runs the model.
pub fn seed_of(scenario: &quotasim::Scenario, seed: Option<u64>) -> Result<u64, RequestError> {
    let seed = seed.unwrap_or(scenario.run.seed);
    let max = quotasim::scenario::MAX_SEED;
    if seed > max {
        return Err(RequestError::Seed { value: seed, max });
    }
    Ok(seed)
}

/// Replications asked for (default 1), checked against [1, `max`].
pub fn reps_of(reps: Option<u32>, max: u32) -> Result<u32, RequestError> {
    let reps = reps.unwrap_or(1);
    if !(1..=max).contains(&reps) {
        return Err(RequestError::Reps { value: reps, max });
    }
    Ok(reps)
}

impl Ensemble {
    /// `reps` replications (default 1, at most `max_reps`) of `plan` with `seed`
    /// (default: the scenario's). Two replications or more draw their unit costs.
    pub fn new(
        mut plan: Plan,
        seed: Option<u64>,
        reps: Option<u32>,
        max_reps: u32,
    ) -> Result<Ensemble, RequestError> {
        let seed = seed_of(&plan.scenario, seed)?;
        let reps = reps_of(reps, max_reps)?;
        plan.draw_costs = reps > 1;
        Ensemble {
            assumptions: reps > 1 && !plan.scenario.assumptions.is_empty(),
            model_error: true,
            plan,
            draws: Vec::new(),
            seed,
            reps,
        }
        .checked()
    }

    /// The ensemble, once every replication's draw of the assumptions makes a valid
    /// plan (an ensemble without assumptions has nothing to check).
    fn checked(self) -> Result<Ensemble, RequestError> {
        if self.assumptions {
            for rep in 0..self.reps {
                self.drawn(rep)
                    .map_err(|errors| RequestError::Assumptions { rep, errors })?;
            }
        }
        Ok(self)
    }

    /// Replication `rep`'s plan with its draw of the assumptions.
    fn drawn(&self, rep: u32) -> Result<Plan, quotasim::ScenarioErrors> {
        let base = self.draws.get(rep as usize).unwrap_or(&self.plan);
        let s = quotasim::assumptions::draw(&base.scenario, self.seed, rep);
        let mut plan = Plan::with_days(&s, Some(base.days))?;
        plan.draw_costs = base.draw_costs;
        plan.same_chance = base.same_chance;
        Ok(plan)
    }

    /// The ensemble with only the sources of spread `bands` switches on: chance off
    /// runs every replication on replication 0's streams; costs and assumptions off
    /// draw none; the model's error off leaves the bands as the replications give them.
    pub fn with_bands(mut self, bands: Bands) -> Ensemble {
        for p in std::iter::once(&mut self.plan).chain(&mut self.draws) {
            p.draw_costs &= bands.costs;
            p.same_chance = !bands.chance;
        }
        self.assumptions &= bands.assumptions;
        self.model_error = bands.model_error;
        self
    }

    /// `plan` as asked for, with replication r running `draws[r]` (a posterior's
    /// draws of its parameters): an ensemble however many, so each draws its unit
    /// costs.
    pub fn with_draws(
        mut plan: Plan,
        draws: Vec<Plan>,
        seed: u64,
        max_reps: u32,
    ) -> Result<Ensemble, RequestError> {
        let seed = seed_of(&plan.scenario, Some(seed))?;
        let n = u32::try_from(draws.len()).unwrap_or(u32::MAX);
        let reps = reps_of(Some(n), max_reps).map_err(|_| RequestError::Draws {
            plans: draws.len(),
            reps: n,
        })?;
        plan.draw_costs = true;
        let draws = draws
            .into_iter()
            .map(|mut p| {
                p.draw_costs = true;
                p
            })
            .collect();
        Ensemble {
            assumptions: !plan.scenario.assumptions.is_empty(),
            model_error: true,
            plan,
            draws,
            seed,
            reps,
        }
        .checked()
    }

    /// The seed every replication derives its streams from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn reps(&self) -> u32 {
        self.reps
    }

    /// Whether replications draw their unit costs (the ensemble rule above).
    pub fn draws_costs(&self) -> bool {
        self.plan.draw_costs
    }

    /// Whether each replication runs its own plan (a posterior's draws).
    pub fn has_draws(&self) -> bool {
        !self.draws.is_empty()
    }

    /// Whether each replication draws the scenario's assumptions from their ranges.
    pub fn draws_assumptions(&self) -> bool {
        self.assumptions
    }

    /// The plan replication `rep` runs: a posterior's draw, then its draw of the
    /// assumptions (made here; every one was checked when the ensemble was made).
    pub fn plan_of(&self, rep: u32) -> Cow<'_, Plan> {
        let base = self.draws.get(rep as usize).unwrap_or(&self.plan);
        if !self.assumptions {
            return Cow::Borrowed(base);
        }
        match self.drawn(rep) {
            Ok(plan) => Cow::Owned(plan),
            // Checked for every replication in `checked`: the draws are the same.
            Err(e) => unreachable!("replication {rep}'s assumptions were checked: {e}"),
        }
    }

    /// Notes in a summary what its bands carry (`bands_carry`): chance and each range
    /// drawn, or, for a single run without a posterior, that it has none. Every run's
    /// summary has the key, so that its keys do not depend on the replications.
    pub fn note_bands(&self, summary: &mut quotasim::Summary) {
        self.finish(summary, None);
    }

    /// Finishes an ensemble's summary: widens its bands by the model's own error where
    /// that is switched on and measured (the published figures of the fit window that
    /// `figures`, gathered from the replications, hold), and notes what its bands carry
    /// (`bands_carry`). Returns the error used, if any.
    pub fn finish(
        &self,
        summary: &mut quotasim::Summary,
        figures: Option<&Figures>,
    ) -> Option<ModelError> {
        let banded = self.reps > 1 || !self.draws.is_empty();
        let error = match (
            banded && self.model_error,
            figures,
            self.plan.scenario.run.fitted_through,
        ) {
            (true, Some(f), Some(through)) => {
                ModelError::measure(&f.observations.list, &f.means(), through)
            }
            _ => None,
        };
        let carry = if banded {
            let mut words: Vec<String> = self.bands_carry().iter().map(|w| w.to_string()).collect();
            if let Some(e) = &error {
                e.widen(summary);
                words.push(e.describe());
            }
            if words.is_empty() {
                "nothing: every source is switched off, the replications are the same".into()
            } else {
                words.join(", ")
            }
        } else {
            "none (a single run)".to_string()
        };
        summary
            .entries
            .push(("bands_carry".into(), quotasim::summary::Stat::Text(carry)));
        error
    }

    /// What the ensemble's bands carry, in words: chance, and each range drawn (the
    /// model's own error is added by [`Ensemble::finish`] where it is measured).
    pub fn bands_carry(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if !self.plan.same_chance {
            out.push("chance");
        }
        if self.plan.draw_costs {
            out.push("unit costs");
        }
        if !self.draws.is_empty() {
            out.push("the fit's posterior");
        }
        if self.assumptions {
            out.push("the assumptions' ranges");
        }
        out
    }

    /// The plan as asked for (with a posterior, before its draws).
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Replication-days in all, for progress.
    pub fn total_days(&self) -> u64 {
        u64::from(self.plan().days) * u64::from(self.reps)
    }

    /// Runs every replication and hands each to `sink` in replication order, holding a
    /// window of runs at a time ([`ensemble::replicate_each`]); `progress` counts
    /// replication-days. `sink` answering `Break` starts no further window.
    pub fn run_each(
        &self,
        progress: &(dyn Fn(u64) + Sync),
        sink: &mut dyn FnMut(Run) -> std::ops::ControlFlow<()>,
    ) {
        ensemble::replicate_each(
            &|rep| self.plan_of(rep),
            self.seed,
            self.reps,
            progress,
            sink,
        );
    }

    /// Every replication's run, in order (memory grows with the replications: for
    /// the few a page or a test asks for).
    pub fn run_all(&self, progress: &(dyn Fn(u64) + Sync)) -> Vec<Run> {
        let mut runs = Vec::with_capacity(self.reps as usize);
        self.run_each(progress, &mut |run| {
            runs.push(run);
            std::ops::ControlFlow::Continue(())
        });
        runs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Plan {
        let mut s = quotasim::Scenario::national_default();
        s.docket.total = 20_000;
        s.docket.convicted = 1_000;
        s.docket.pending_charges = 500;
        Plan::with_days(&s, Some(5)).unwrap()
    }

    #[test]
    fn an_ensemble_draws_its_unit_costs_and_a_single_run_does_not() {
        let one = Ensemble::new(small(), None, None, MAX_REPS).unwrap();
        assert!(!one.draws_costs());
        assert_eq!((one.reps(), one.seed()), (1, small().scenario.run.seed));
        let two = Ensemble::new(small(), Some(3), Some(2), MAX_REPS).unwrap();
        assert!(two.draws_costs());
        let runs = two.run_all(&|_| {});
        // Replication 0 draws what the single run with its seed draws, save its costs.
        let single = quotasim::run(&small(), 3, 0);
        assert_eq!(
            runs[0].summary.num("arrests_total"),
            single.summary.num("arrests_total")
        );
        assert_ne!(
            runs[0].summary.num("cost_per_year"),
            single.summary.num("cost_per_year")
        );
        // One plan a replication (a posterior's draws) draws costs even alone.
        let drawn = Ensemble::with_draws(small(), vec![small()], 3, MAX_REPS).unwrap();
        assert!(drawn.draws_costs() && drawn.plan_of(0).draw_costs);
    }

    /// `small()` without its events, and removal flights from day 3 drawn from 2 to 20
    /// a day.
    fn with_assumption() -> Plan {
        let mut s = small().scenario;
        let d = |t: &str| quotasim::scenario::Date::parse(t).unwrap();
        s.events.clear();
        s.events.push(quotasim::scenario::Event {
            date: d("2025-01-23"),
            until: None,
            note: String::new(),
            source: String::new(),
            set: [(
                "removal.flights_per_day".to_string(),
                toml::Value::Float(6.0),
            )]
            .into(),
        });
        s.assumptions.push(quotasim::scenario::Assumption {
            path: "removal.flights_per_day".into(),
            from: d("2025-01-23"),
            until: None,
            mode: "value".into(),
            low: 2.0,
            high: 20.0,
            note: String::new(),
            source: String::new(),
        });
        Plan::with_days(&s, Some(5)).unwrap()
    }

    #[test]
    fn an_ensemble_draws_the_assumptions_and_says_so_and_a_single_run_does_not() {
        let one = Ensemble::new(with_assumption(), Some(3), None, MAX_REPS).unwrap();
        assert!(!one.draws_assumptions());
        let flights = |p: &Plan| p.segments.last().unwrap().scenario.removal.flights_per_day;
        assert_eq!(flights(&one.plan_of(0)), 6.0);
        let many = Ensemble::new(with_assumption(), Some(3), Some(4), MAX_REPS).unwrap();
        assert!(many.draws_assumptions());
        let drawn: Vec<f64> = (0..4).map(|r| flights(&many.plan_of(r))).collect();
        assert!(drawn.iter().all(|x| (2.0..=20.0).contains(x)), "{drawn:?}");
        assert!(drawn.windows(2).all(|w| w[0] != w[1]), "{drawn:?}");
        assert_eq!(
            many.bands_carry(),
            ["chance", "unit costs", "the assumptions' ranges"]
        );
        // The same replication draws the same whatever runs beside it.
        assert_eq!(flights(&many.plan_of(2)), drawn[2]);
        let mut summary = quotasim::Summary::default();
        one.note_bands(&mut summary);
        assert_eq!(
            summary.get("bands_carry"),
            Some(&quotasim::summary::Stat::Text("none (a single run)".into()))
        );
    }

    #[test]
    fn band_sources_parse_by_name_and_an_unknown_one_is_refused_naming_the_allowed() {
        assert_eq!(Bands::parse("all").unwrap(), Bands::ALL);
        let b = Bands::parse("costs, model-error").unwrap();
        assert!(!b.chance && b.costs && !b.assumptions && b.model_error);
        assert_eq!(Bands::parse("none").unwrap(), Bands::parse("").unwrap());
        let e = Bands::parse("chance,cost").unwrap_err();
        assert_eq!(
            e,
            RequestError::Bands {
                name: "cost".into()
            }
        );
        assert_eq!(
            e.to_string(),
            "band source \"cost\": must be among chance, costs, assumptions, model-error, all, none"
        );
    }

    #[test]
    fn with_chance_switched_off_replications_differ_only_by_what_they_draw() {
        let costs_only = Bands::parse("costs").unwrap();
        let ens = Ensemble::new(small(), Some(3), Some(3), MAX_REPS)
            .unwrap()
            .with_bands(costs_only);
        assert_eq!(ens.bands_carry(), ["unit costs"]);
        let runs = ens.run_all(&|_| {});
        let arrests: Vec<_> = runs
            .iter()
            .map(|r| r.summary.num("arrests_total"))
            .collect();
        assert!(arrests.windows(2).all(|w| w[0] == w[1]), "{arrests:?}");
        let costs: Vec<_> = runs
            .iter()
            .map(|r| r.summary.num("cost_per_year"))
            .collect();
        assert!(costs.windows(2).all(|w| w[0] != w[1]), "{costs:?}");
        // With chance on (the default) the replications' arrests differ.
        let all = Ensemble::new(small(), Some(3), Some(3), MAX_REPS).unwrap();
        let arrests: Vec<_> = all
            .run_all(&|_| {})
            .iter()
            .map(|r| r.summary.num("arrests_total"))
            .collect();
        assert!(arrests.windows(2).any(|w| w[0] != w[1]), "{arrests:?}");
        // Nothing switched on: said so.
        let none = Ensemble::new(small(), Some(3), Some(2), MAX_REPS)
            .unwrap()
            .with_bands(Bands::parse("none").unwrap());
        let mut summary = quotasim::Summary::default();
        none.finish(&mut summary, None);
        assert_eq!(
            summary.get("bands_carry"),
            Some(&quotasim::summary::Stat::Text(
                "nothing: every source is switched off, the replications are the same".into()
            ))
        );
    }

    #[test]
    fn the_model_error_of_the_fit_window_widens_an_ensembles_bands_unless_switched_off() {
        use quotasim::summary::Stat;
        use quotasim_observed::{Metric, Observation, Observations};
        let d = |t: &str| quotasim::scenario::Date::parse(t).unwrap();
        let mut plan = small();
        plan.scenario.run.fitted_through = Some(d("2025-01-22"));
        // One figure in the fit window, missed by 20 %.
        let figures = Figures {
            observations: Observations {
                list: vec![Observation {
                    metric: Metric::ArrestsPerDay,
                    key: None,
                    from: Some(d("2025-01-20")),
                    to: Some(d("2025-01-22")),
                    value: Some(100.0),
                    min: None,
                    max: None,
                    sd: 10.0,
                    source: "test".into(),
                    note: String::new(),
                }],
            },
            values: vec![vec![118.0, 122.0]],
        };
        let summary = || {
            let mut s = quotasim::Summary::default();
            for (k, v) in [
                ("arrests_per_day_mean", 120.0),
                ("arrests_per_day_mean_p05", 118.0),
                ("arrests_per_day_mean_p95", 122.0),
            ] {
                s.entries.push((k.into(), Stat::Num(v)));
            }
            s
        };
        let ens = Ensemble::new(plan.clone(), Some(3), Some(2), MAX_REPS).unwrap();
        let mut widened = summary();
        let e = ens.finish(&mut widened, Some(&figures)).unwrap();
        assert!((e.of(Metric::ArrestsPerDay).unwrap() - 0.2).abs() < 1e-12);
        // 120 - sqrt(2^2 + (1.645 x 0.2 x 120)^2) = 80.47.
        let lo = widened.num("arrests_per_day_mean_p05").unwrap();
        assert!((lo - 80.47).abs() < 0.01, "{lo}");
        let Some(Stat::Text(carry)) = widened.get("bands_carry") else {
            panic!()
        };
        assert!(
            carry.ends_with("the model's own error, as the published figures of its fit window (to 2025-01-22) measure it: arrests a day 20 % (1 figure)"),
            "{carry}"
        );
        // Switched off, or a single run: the bands stay as the replications give them.
        let off = ens.with_bands(Bands::parse("chance,costs,assumptions").unwrap());
        let mut kept = summary();
        assert!(off.finish(&mut kept, Some(&figures)).is_none());
        assert_eq!(kept.num("arrests_per_day_mean_p05"), Some(118.0));
        let one = Ensemble::new(plan, Some(3), None, MAX_REPS).unwrap();
        assert!(one.finish(&mut summary(), Some(&figures)).is_none());
    }

    #[test]
    fn replications_and_seeds_outside_their_range_are_refused_with_it() {
        assert_eq!(
            Ensemble::new(small(), None, Some(0), MAX_REPS).unwrap_err(),
            RequestError::Reps {
                value: 0,
                max: MAX_REPS
            }
        );
        assert_eq!(
            Ensemble::new(small(), None, Some(21), 20).unwrap_err(),
            RequestError::Reps { value: 21, max: 20 }
        );
        let max = quotasim::scenario::MAX_SEED;
        assert_eq!(
            Ensemble::new(small(), Some(max + 1), None, MAX_REPS).unwrap_err(),
            RequestError::Seed {
                value: max + 1,
                max
            }
        );
    }
}
