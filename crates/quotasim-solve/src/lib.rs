//! What it would take (docs/costs.md, "Solve"): the least-cost setting of a few levers
//! (officers, beds, removal flights, court decisions, 287(g) agreements...) that meets a
//! target on a summary key of a scenario, and which resource binds at each step. No I/O:
//! `quotasim solve` and `quotasim.solve` are its fronts.
//!
//! A target is on a summary key of the whole run (`removals_per_year>=1000000`), or on
//! a statistic of the national daily series over any window of the run, written
//! `METRIC[FROM..TO]` with a metric of the published figures (docs/calibration.md,
//! "Observations"): `removals_per_day[2027-10-01..2028-09-30]>=2740` is a million
//! removals in FY2028, whatever the run's length.
//!
//! Each lever is held for the whole run at the value tried (events that set it are
//! dropped, [`quotasim::adjust::hold_paths`]). Every evaluation runs the same seeds
//! (common random numbers), so two settings differ by their levers, not by chance; the
//! target and the cost are their means over the seeds.
//!
//! The search, for a target `key >= value` (or `<=`) and costs that grow with each
//! lever:
//!
//! 1. Every lever at its lower bound. If the target is met there, that is the answer:
//!    no lever can cost less.
//! 2. Every lever at its upper bound. If the target is not met there, no setting within
//!    the bounds meets it: "infeasible within these bounds". The binding resource is the
//!    lever whose cut by a step (an eighth of its range) moves the key furthest from the
//!    target; if no cut moves it, none of the levers binds.
//! 3. Otherwise, from the lower corner, greedy steps: each step tries raising each lever
//!    by an eighth of its range and takes the one with the most progress towards the
//!    target per dollar a year ("step taken"). That lever is the resource that binds at
//!    this step.
//! 4. When a step meets the target, the last lever is bisected between the step's start
//!    and end (six halvings) to the least value that still meets it.
//!
//! The answer is the cheapest setting evaluated that meets the target: usually the end
//! of the search, but a lever can also save costs elsewhere (more flights empty beds
//! sooner), so a corner tried on the way can be cheaper. The greedy path is a
//! heuristic, not a proof of least cost: levers that only pay off together may be found
//! late. Its path is reported whole, so it can be checked.

use quotasim::adjust::{Adjust, AdjustError, adjusted, hold_paths};
use quotasim::scenario::Date;
use quotasim::{Plan, Scenario, ScenarioErrors, ensemble};
use quotasim_observed::{Metric, Observation};
use serde::Serialize;

/// Steps a lever's range is cut into.
pub const STEPS: f64 = 8.0;
/// Halvings of the last step.
pub const HALVINGS: usize = 6;

/// `key >= value` or `key <= value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Op {
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = "<=")]
    AtMost,
}

/// A target on a summary key, or on a statistic of the daily series over a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub key: String,
    /// The window (first and last day, both included) of a target on the daily
    /// series; `key` is then a metric of the published figures (`removals_per_day`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<(Date, Date)>,
    pub op: Op,
    pub value: f64,
}

/// Most seeds one evaluation may run (each evaluation runs them all).
pub const MAX_SEEDS: u32 = 1000;

/// The part of a solve request an error is about; each front names it in its own
/// words (`--target`, `target=`, the page's field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Argument {
    Target,
    Lever,
}

/// Why a solve cannot be done. The text names no front's argument: a front puts its
/// own name for [`SolveError::argument`] before it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SolveError {
    #[error("{text}: write KEY>=VALUE or KEY<=VALUE (e.g. removals_per_year>=1000000)")]
    TargetForm { text: String },
    #[error("{text}: `{value}` is not a finite number")]
    TargetValue { text: String, value: String },
    #[error("{key}: not a numeric summary key (docs/outputs.md lists them)")]
    TargetKey { key: String },
    #[error(
        "{text}: {reason}; write METRIC[FROM..TO]>=VALUE (e.g. removals_per_day[2027-10-01..2028-09-30]>=2740)"
    )]
    TargetWindow { text: String, reason: String },
    #[error("{text}: {reason}; write PATH=LO..HI (e.g. removal.flights_per_day=4..40)")]
    LeverForm { text: String, reason: String },
    #[error("{text}: the low bound must be below the high one")]
    LeverOrder { text: String },
    #[error("none given: name at least one, PATH=LO..HI")]
    NoLever,
    #[error("{text}: {error}")]
    LeverValue {
        text: String,
        error: Box<AdjustError>,
    },
    /// The scenario cannot take a setting tried.
    #[error("{0}")]
    Setting(Box<AdjustError>),
    /// The scenario's events cannot run at a setting tried.
    #[error("{0}")]
    Plan(ScenarioErrors),
    /// A key the target or the cost reads has no value in a run (null).
    #[error("`{key}` has no value in this run (null)")]
    NoValue { key: String },
    /// The target's window holds no value of its statistic in a run.
    #[error("{key}: no value over its window in this run")]
    NoValueInWindow { key: String },
    /// The progress callback asked to stop.
    #[error("interrupted")]
    Interrupted,
}

impl SolveError {
    /// The argument the error is about, if any.
    pub fn argument(&self) -> Option<Argument> {
        match self {
            SolveError::TargetForm { .. }
            | SolveError::TargetValue { .. }
            | SolveError::TargetKey { .. }
            | SolveError::TargetWindow { .. } => Some(Argument::Target),
            SolveError::LeverForm { .. }
            | SolveError::LeverOrder { .. }
            | SolveError::NoLever
            | SolveError::LeverValue { .. } => Some(Argument::Lever),
            SolveError::Setting(_)
            | SolveError::Plan(_)
            | SolveError::NoValue { .. }
            | SolveError::NoValueInWindow { .. }
            | SolveError::Interrupted => None,
        }
    }
}

impl Target {
    /// Parses `key>=value` or `key<=value` (`key=value` reads as `>=`).
    pub fn parse(s: &str) -> Result<Target, SolveError> {
        let (key, op, value) = if let Some((k, v)) = s.split_once(">=") {
            (k, Op::AtLeast, v)
        } else if let Some((k, v)) = s.split_once("<=") {
            (k, Op::AtMost, v)
        } else if let Some((k, v)) = s.split_once('=') {
            (k, Op::AtLeast, v)
        } else {
            return Err(SolveError::TargetForm { text: s.into() });
        };
        let bad = || SolveError::TargetValue {
            text: s.into(),
            value: value.trim().into(),
        };
        let value: f64 = value.trim().replace('_', "").parse().map_err(|_| bad())?;
        if !value.is_finite() {
            return Err(bad());
        }
        let (key, window) = window_of(s, key.trim())?;
        Ok(Target {
            key,
            window,
            op,
            value,
        })
    }

    /// What the target is on: the summary key, or the metric with its window
    /// (`removals_per_day[2027-10-01..2028-09-30]`).
    pub fn name(&self) -> String {
        match self.window {
            Some((from, to)) => format!("{}[{from}..{to}]", self.key),
            None => self.key.clone(),
        }
    }

    /// The figure the target is on, for a target on a window: an observation of its
    /// metric over the window (its value unused).
    fn observation(&self) -> Option<Observation> {
        let (from, to) = self.window?;
        Some(Observation {
            metric: Metric::daily(&self.key)?,
            key: None,
            from: Some(from),
            to: Some(to),
            value: Some(0.0),
            min: None,
            max: None,
            sd: 1.0,
            source: String::new(),
            note: String::new(),
        })
    }

    pub fn met(&self, x: f64) -> bool {
        match self.op {
            Op::AtLeast => x >= self.value,
            Op::AtMost => x <= self.value,
        }
    }

    /// How far `x` is from meeting the target (0 when met), in the key's unit.
    pub fn shortfall(&self, x: f64) -> f64 {
        match self.op {
            Op::AtLeast => (self.value - x).max(0.0),
            Op::AtMost => (x - self.value).max(0.0),
        }
    }
}

/// `key` split into the metric and its window where it has one
/// (`removals_per_day[2027-10-01..2028-09-30]`), checked; `text` is the whole target.
fn window_of(text: &str, key: &str) -> Result<(String, Option<(Date, Date)>), SolveError> {
    let Some((name, rest)) = key.split_once('[') else {
        return Ok((key.to_string(), None));
    };
    let fail = |reason: String| SolveError::TargetWindow {
        text: text.into(),
        reason,
    };
    let inside = rest
        .strip_suffix(']')
        .ok_or_else(|| fail("the window has no closing `]`".into()))?;
    let (a, b) = inside
        .split_once("..")
        .ok_or_else(|| fail(format!("`{inside}` is not a window FROM..TO")))?;
    let date = |t: &str| {
        Date::parse(t.trim())
            .ok_or_else(|| fail(format!("`{}` is not a date YYYY-MM-DD", t.trim())))
    };
    let (from, to) = (date(a)?, date(b)?);
    if to < from {
        return Err(fail(format!(
            "the window ends ({to}) before it starts ({from})"
        )));
    }
    let name = name.trim();
    if Metric::daily(name).is_none() {
        let names: Vec<&str> = Metric::DAILY.iter().map(|m| m.key()).collect();
        return Err(fail(format!(
            "`{name}` is not a statistic of the daily series over a window (one of {})",
            names.join(", ")
        )));
    }
    Ok((name.to_string(), Some((from, to))))
}

/// A lever: a parameter path and the bounds it may move in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lever {
    pub path: String,
    pub lo: f64,
    pub hi: f64,
}

impl Lever {
    /// Parses `path=lo..hi`, as a sweep's `--vary` range (with no steps).
    pub fn parse(s: &str) -> Result<Lever, SolveError> {
        let form = |reason: String| SolveError::LeverForm {
            text: s.into(),
            reason,
        };
        if s.split_once('=').is_some_and(|(_, r)| r.contains(':')) {
            return Err(form("a lever takes no :STEPS".into()));
        }
        // The error's reason, without the text: the lever names it already.
        let r = quotasim_sweep::Range::parse(s).map_err(|e| form(e.reason()))?;
        if r.lo >= r.hi {
            return Err(SolveError::LeverOrder { text: s.into() });
        }
        Ok(Lever {
            path: r.path,
            lo: r.lo,
            hi: r.hi,
        })
    }

    fn step(&self) -> f64 {
        (self.hi - self.lo) / STEPS
    }
}

/// A solve: the scenario, the target, the levers, and how each setting is run.
pub struct SolveProblem<'a> {
    pub scenario: &'a Scenario,
    pub target: Target,
    pub levers: Vec<Lever>,
    /// Days per run (the scenario's when `None`).
    pub days: Option<u32>,
    /// Seeds per evaluation (common to every evaluation).
    pub seeds: u32,
    pub seed: u64,
}

/// One setting evaluated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The levers' values, in the order given.
    pub values: Vec<f64>,
    /// The target key's mean over the seeds.
    pub metric: f64,
    /// Mean cost a year (US dollars).
    pub cost_per_year: f64,
    pub meets: bool,
    /// The lever raised to reach this point (the resource that bound), if any.
    pub binding: Option<String>,
    /// What the point is: "lower bounds", "upper bounds", "step" (tried), "step taken"
    /// (the greedy choice), "bisection", "cut" (below the upper bounds).
    pub stage: &'static str,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solution {
    pub target: Target,
    pub levers: Vec<Lever>,
    pub feasible: bool,
    /// The least-cost setting found that meets the target.
    pub best: Option<Point>,
    /// With no feasible setting: the lever that binds at the upper bounds, if one does.
    pub binding_at_upper_bounds: Option<String>,
    /// Every setting evaluated, in order.
    pub path: Vec<Point>,
    pub evaluations: usize,
}

impl SolveProblem<'_> {
    /// Checks the levers and the target key on a one-day run, so that a typo fails
    /// before the search starts.
    pub fn check(&self) -> Result<(), SolveError> {
        if self.levers.is_empty() {
            return Err(SolveError::NoLever);
        }
        for l in &self.levers {
            for x in [l.lo, l.hi] {
                self.scenario_at(
                    &self
                        .levers
                        .iter()
                        .map(|m| if m.path == l.path { x } else { m.lo })
                        .collect::<Vec<_>>(),
                )
                .map_err(|error| SolveError::LeverValue {
                    text: format!("{}={}..{}", l.path, l.lo, l.hi),
                    error: Box::new(error),
                })?;
            }
        }
        let s = self
            .scenario_at(&self.lower())
            .map_err(|e| SolveError::Setting(Box::new(e)))?;
        if let Some((from, to)) = self.target.window {
            // The window must lie within the run's days.
            let start = s.run.start_date;
            let end = start.plus_days(self.days.unwrap_or(s.run.days).saturating_sub(1));
            if from < start || to > end {
                return Err(SolveError::TargetWindow {
                    text: self.target.name(),
                    reason: format!(
                        "the window must lie within the run, {start} .. {end} (set the days to run longer)"
                    ),
                });
            }
            return Ok(());
        }
        Plan::with_days(&s, Some(1)).map_err(SolveError::Plan)?;
        // A numeric summary key as declared (quotasim::summary::KEYS): no run needed.
        match quotasim::summary::key_info(&self.target.key) {
            Some(k) if k.kind.is_number() => Ok(()),
            _ => Err(SolveError::TargetKey {
                key: self.target.key.clone(),
            }),
        }
    }

    fn lower(&self) -> Vec<f64> {
        self.levers.iter().map(|l| l.lo).collect()
    }

    fn upper(&self) -> Vec<f64> {
        self.levers.iter().map(|l| l.hi).collect()
    }

    /// The scenario with the levers at `values`, each held for the whole run.
    pub fn scenario_at(&self, values: &[f64]) -> Result<Scenario, AdjustError> {
        let paths: Vec<&str> = self.levers.iter().map(|l| l.path.as_str()).collect();
        let held = hold_paths(self.scenario, &paths);
        let changes: Vec<(&str, Adjust)> = paths
            .iter()
            .zip(values)
            .map(|(p, x)| (*p, Adjust::Set(*x)))
            .collect();
        adjusted(&held, &changes)
    }

    /// Runs the levers at `values` on the common seeds.
    pub fn evaluate(
        &self,
        values: &[f64],
        stage: &'static str,
        binding: Option<String>,
    ) -> Result<Point, SolveError> {
        let s = self
            .scenario_at(values)
            .map_err(|e| SolveError::Setting(Box::new(e)))?;
        let plan = Plan::with_days(&s, self.days).map_err(SolveError::Plan)?;
        let runs = ensemble::replicate(&plan, self.seed, self.seeds, &|_| {});
        let mean = |key: &str| -> Result<f64, SolveError> {
            let v: Option<Vec<f64>> = runs.iter().map(|r| r.summary.num(key)).collect();
            let v = v.ok_or_else(|| SolveError::NoValue { key: key.into() })?;
            Ok(v.iter().sum::<f64>() / v.len() as f64)
        };
        let metric = match self.target.observation() {
            Some(ob) => {
                let v: Vec<f64> = runs.iter().filter_map(|r| ob.statistic(&plan, r)).collect();
                if v.is_empty() {
                    return Err(SolveError::NoValueInWindow {
                        key: self.target.key.clone(),
                    });
                }
                v.iter().sum::<f64>() / v.len() as f64
            }
            None => mean(&self.target.key)?,
        };
        Ok(Point {
            values: values.to_vec(),
            metric,
            cost_per_year: mean("cost_per_year")?,
            meets: self.target.met(metric),
            binding,
            stage,
        })
    }
}

/// Finds the least-cost setting of the levers that meets the target (the search of the
/// module doc). `progress(evaluations done, evaluations at most)` is called after each;
/// when it answers `Break` (an interrupt), the solve stops with
/// [`SolveError::Interrupted`].
pub fn solve(
    problem: &SolveProblem,
    progress: &dyn Fn(usize, usize) -> std::ops::ControlFlow<()>,
) -> Result<Solution, SolveError> {
    problem.check()?;
    let k = problem.levers.len();
    let most = 2 + k + (STEPS as usize) * k * k + HALVINGS;
    let mut path: Vec<Point> = Vec::new();
    let eval = |values: &[f64],
                stage: &'static str,
                binding: Option<String>,
                path: &mut Vec<Point>|
     -> Result<Point, SolveError> {
        let p = problem.evaluate(values, stage, binding)?;
        path.push(p.clone());
        if progress(path.len(), most).is_break() {
            return Err(SolveError::Interrupted);
        }
        Ok(p)
    };
    // The answer is the cheapest setting evaluated that meets the target: usually the
    // end of the search, but a lever can also save costs elsewhere (faster removals
    // empty beds), so a corner tried on the way may be cheaper.
    let done = |feasible: bool, _end: Option<Point>, binding: Option<String>, path: Vec<Point>| {
        let best = path
            .iter()
            .filter(|p| p.meets)
            .min_by(|a, b| a.cost_per_year.total_cmp(&b.cost_per_year))
            .cloned();
        Solution {
            target: problem.target.clone(),
            levers: problem.levers.clone(),
            feasible,
            best,
            binding_at_upper_bounds: binding,
            evaluations: path.len(),
            path,
        }
    };
    let t = &problem.target;
    let low = eval(&problem.lower(), "lower bounds", None, &mut path)?;
    if low.meets {
        return Ok(done(true, Some(low), None, path));
    }
    let high = eval(&problem.upper(), "upper bounds", None, &mut path)?;
    if !high.meets {
        // Which lever holds the key back at the top: cut each by a step.
        let mut worst: Option<(f64, usize)> = None;
        for (i, l) in problem.levers.iter().enumerate() {
            let mut v = problem.upper();
            v[i] -= l.step();
            let cut = eval(&v, "cut", Some(l.path.clone()), &mut path)?;
            let loss = t.shortfall(cut.metric) - t.shortfall(high.metric);
            if loss > 1e-9 * t.value.abs().max(1.0) && worst.is_none_or(|(w, _)| loss > w) {
                worst = Some((loss, i));
            }
        }
        let binding = worst.map(|(_, i)| problem.levers[i].path.clone());
        return Ok(done(false, None, binding, path));
    }
    // Greedy steps from the lower corner.
    let mut here = low;
    loop {
        let mut best: Option<(f64, Point, usize, usize)> = None;
        for (i, l) in problem.levers.iter().enumerate() {
            if here.values[i] >= l.hi - 1e-12 {
                continue;
            }
            let mut v = here.values.clone();
            v[i] = (v[i] + l.step()).min(l.hi);
            let p = eval(&v, "step", Some(l.path.clone()), &mut path)?;
            let at = path.len() - 1;
            let gain = t.shortfall(here.metric) - t.shortfall(p.metric);
            let dcost = (p.cost_per_year - here.cost_per_year).max(1.0);
            // A step that meets the target outranks one that does not; then progress per dollar.
            let score = if p.meets {
                f64::INFINITY - dcost.min(f64::MAX)
            } else {
                gain / dcost
            };
            let better = match &best {
                None => true,
                Some((s, b, _, _)) => {
                    if p.meets && b.meets {
                        p.cost_per_year < b.cost_per_year
                    } else {
                        score > *s
                    }
                }
            };
            if better {
                best = Some((score, p, i, at));
            }
        }
        let Some((_, next, i, at)) = best else {
            // Every lever at its top, and the target met only at the upper corner.
            return Ok(done(true, Some(high), None, path));
        };
        path[at].stage = "step taken";
        if next.meets {
            // Bisect the last lever between here and the step.
            let (mut lo, mut hi) = (here.values[i], next.values[i]);
            let mut found = next;
            for _ in 0..HALVINGS {
                let mid = 0.5 * (lo + hi);
                let mut v = found.values.clone();
                v[i] = mid;
                let p = eval(
                    &v,
                    "bisection",
                    Some(problem.levers[i].path.clone()),
                    &mut path,
                )?;
                if p.meets {
                    hi = mid;
                    found = p;
                } else {
                    lo = mid;
                }
            }
            return Ok(done(true, Some(found), None, path));
        }
        here = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_and_levers_parse_with_their_errors() {
        let t = Target::parse("removals_per_year>=1_000_000").unwrap();
        assert_eq!(
            (t.key.as_str(), t.op, t.value),
            ("removals_per_year", Op::AtLeast, 1e6)
        );
        assert!(t.met(1e6) && !t.met(9e5));
        assert_eq!(t.shortfall(9e5), 1e5);
        let t = Target::parse("cost_per_year<=5e9").unwrap();
        assert_eq!(t.op, Op::AtMost);
        assert_eq!(
            Target::parse("removals").unwrap_err(),
            SolveError::TargetForm {
                text: "removals".into()
            }
        );
        let e = Target::parse("x>=lots").unwrap_err();
        assert_eq!(e.argument(), Some(Argument::Target));
        assert_eq!(e.to_string(), "x>=lots: `lots` is not a finite number");
        let l = Lever::parse("removal.flights_per_day=4..40").unwrap();
        assert_eq!((l.lo, l.hi, l.step()), (4.0, 40.0, 4.5));
        assert_eq!(
            Lever::parse("a=5..5").unwrap_err(),
            SolveError::LeverOrder {
                text: "a=5..5".into()
            }
        );
        let e = Lever::parse("a=5").unwrap_err();
        assert_eq!(e.argument(), Some(Argument::Lever));
        assert!(e.to_string().starts_with("a=5: expected KEY=LO..HI"), "{e}");
        assert!(e.to_string().contains("write PATH=LO..HI"), "{e}");
    }

    #[test]
    fn a_target_over_a_window_names_a_daily_statistic_and_two_dates_in_order() {
        let t = Target::parse("removals_per_day[2027-10-01..2028-09-30]>=2740").unwrap();
        let d = |x: &str| Date::parse(x).unwrap();
        assert_eq!(t.key, "removals_per_day");
        assert_eq!(t.window, Some((d("2027-10-01"), d("2028-09-30"))));
        assert_eq!(t.name(), "removals_per_day[2027-10-01..2028-09-30]");
        assert_eq!(t.observation().unwrap().metric, Metric::RemovalsPerDay);
        for (text, reason) in [
            (
                "removals_per_year[2027-10-01..2028-09-30]>=1",
                "`removals_per_year` is not a statistic of the daily series over a window (one of arrests_per_day",
            ),
            (
                "removals_per_day[2028-09-30..2027-10-01]>=1",
                "the window ends (2027-10-01) before it starts (2028-09-30)",
            ),
            (
                "removals_per_day[2027-10-01]>=1",
                "`2027-10-01` is not a window FROM..TO",
            ),
            (
                "removals_per_day[2027-13-01..2028-09-30]>=1",
                "`2027-13-01` is not a date YYYY-MM-DD",
            ),
            (
                "removals_per_day[2027-10-01..2028-09-30>=1",
                "the window has no closing `]`",
            ),
        ] {
            let e = Target::parse(text).unwrap_err();
            assert_eq!(e.argument(), Some(Argument::Target));
            assert!(
                e.to_string().starts_with(&format!("{text}: {reason}")),
                "{e}"
            );
            assert!(e.to_string().ends_with("write METRIC[FROM..TO]>=VALUE (e.g. removals_per_day[2027-10-01..2028-09-30]>=2740)"), "{e}");
        }
    }
}
