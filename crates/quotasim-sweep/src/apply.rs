//! From a design's point to a scenario: the varied and fixed keys set, and held for
//! the whole run.

pub use quotasim::adjust::hold_paths;
use quotasim::adjust::{Adjust, AdjustError, adjusted, parameter_numbers};
use quotasim::scenario::Scenario;
use quotasim::{Plan, Run, ScenarioErrors, ensemble};

use crate::design::Range;

/// The scenario of one point: fixed settings (exactly as given: a whole-number
/// parameter takes no fraction) and the point's values (rounded where the parameter is
/// a whole number), held all run.
pub fn point_scenario(
    base: &Scenario,
    fixed: &[(String, f64)],
    ranges: &[Range],
    values: &[f64],
) -> Result<Scenario, AdjustError> {
    let mut changes: Vec<(&str, Adjust)> = fixed
        .iter()
        .map(|(p, v)| (p.as_str(), Adjust::SetExact(*v)))
        .collect();
    changes.extend(
        ranges
            .iter()
            .zip(values)
            .map(|(r, v)| (r.path.as_str(), Adjust::Set(*v))),
    );
    adjusted(base, &changes)
}

/// What is wrong with one varied or held key. Each front names the key in its own
/// words (`--vary K`, `vary=`), before the [`Display`](std::fmt::Display) text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CheckError {
    /// The path names no parameter.
    #[error("{path}: {reason}")]
    Unknown { path: String, reason: String },
    /// The path names several numbers (a map), not one.
    #[error("{path}: names {} numbers; name one of them ({})", .names.len(), .names.join(", "))]
    NotOne { path: String, names: Vec<String> },
    /// The scenario is not valid with the value.
    #[error("{path} = {value}: {reason}")]
    Invalid {
        path: String,
        value: f64,
        reason: String,
    },
    /// The scenario's events cannot run with the value.
    #[error("{path} = {value}: the scenario's events cannot run with it: {reason}")]
    Events {
        path: String,
        value: f64,
        reason: String,
    },
}

impl CheckError {
    /// The varied or held key the error is about.
    pub fn path(&self) -> &str {
        match self {
            CheckError::Unknown { path, .. }
            | CheckError::NotOne { path, .. }
            | CheckError::Invalid { path, .. }
            | CheckError::Events { path, .. } => path,
        }
    }
}

/// Checks the varied and fixed paths against the scenario: each must name a single
/// number, and the scenario must stay valid, and its events apply over `days`, at both
/// ends of each range (so a range an event cannot take is refused before any point).
pub fn check(
    base: &Scenario,
    fixed: &[(String, f64)],
    ranges: &[Range],
    days: Option<u32>,
) -> Result<(), Vec<CheckError>> {
    let mut problems = Vec::new();
    let named: Vec<(String, f64, f64, bool)> = ranges
        .iter()
        .map(|r| (r.path.clone(), r.lo, r.hi, false))
        .chain(fixed.iter().map(|(p, v)| (p.clone(), *v, *v, true)))
        .collect();
    for (path, lo, hi, exact) in named {
        match parameter_numbers(base, &path) {
            Err(e) => problems.push(CheckError::Unknown {
                reason: e.reason_about(&path),
                path,
            }),
            Ok(v) if v.len() != 1 => problems.push(CheckError::NotOne {
                path,
                names: v.into_iter().map(|(p, _)| p).collect(),
            }),
            Ok(_) => {
                // A fixed value is checked once; a range at both its ends.
                let ends: &[f64] = if exact || lo == hi { &[lo] } else { &[lo, hi] };
                for &x in ends {
                    let adjust = if exact {
                        Adjust::SetExact(x)
                    } else {
                        Adjust::Set(x)
                    };
                    match adjusted(base, &[(path.as_str(), adjust)]) {
                        Err(e) => problems.push(CheckError::Invalid {
                            reason: e.reason_about(&path),
                            path: path.clone(),
                            value: x,
                        }),
                        Ok(s) => {
                            if let Err(e) = Plan::with_days(&s, days) {
                                let reason = e.to_string().replace('\n', " ");
                                let reason = reason.trim_start_matches("error: ");
                                problems.push(CheckError::Events {
                                    path: path.clone(),
                                    value: x,
                                    reason: reason.split_whitespace().collect::<Vec<_>>().join(" "),
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Runs one point: replications 0..`reps` of `seed` (the same at every point) for
/// `days` (default: the scenario's).
pub fn run_point(
    base: &Scenario,
    fixed: &[(String, f64)],
    ranges: &[Range],
    values: &[f64],
    days: Option<u32>,
    seed: u64,
    reps: u32,
) -> Result<Vec<Run>, PointError> {
    let s = point_scenario(base, fixed, ranges, values).map_err(PointError::Setting)?;
    let plan = Plan::with_days(&s, days).map_err(PointError::Plan)?;
    Ok(ensemble::replicate(&plan, seed, reps, &|_| {}))
}

/// Why a point of a design cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PointError {
    /// The scenario cannot take the point's values.
    #[error("{0}")]
    Setting(AdjustError),
    /// The scenario's events cannot run with them.
    #[error("{0}")]
    Plan(ScenarioErrors),
}

/// `base` with the paths of `ranges` and `fixed` held for the whole run (the events
/// that set them no longer do) and each fixed value written in: the scenario every front
/// runs for `--set` / `set=` (and a sweep's base, its points written in later). The
/// paths are checked first ([`check`]), so each problem names its key.
pub fn held(
    base: &Scenario,
    fixed: &[(String, f64)],
    ranges: &[Range],
    days: Option<u32>,
) -> Result<Scenario, Vec<CheckError>> {
    if fixed.is_empty() && ranges.is_empty() {
        return Ok(base.clone());
    }
    let mut paths: Vec<&str> = ranges.iter().map(|r| r.path.as_str()).collect();
    paths.extend(fixed.iter().map(|(p, _)| p.as_str()));
    let held = hold_paths(base, &paths);
    check(&held, fixed, ranges, days)?;
    point_scenario(&held, fixed, &[], &[]).map_err(|e| {
        let (path, value) = fixed.first().cloned().unwrap_or_default();
        vec![CheckError::Invalid {
            reason: e.reason_about(&path),
            path,
            value,
        }]
    })
}
