//! From a design's point to a scenario: the varied and fixed keys set, and held for
//! the whole run.

pub use quotasim::adjust::hold_paths;
use quotasim::adjust::{Adjust, adjusted, parameter_numbers};
use quotasim::scenario::Scenario;
use quotasim::{Plan, Run, ensemble};

use crate::design::Range;

/// The scenario of one point: fixed settings (exactly as given: a whole-number
/// parameter takes no fraction) and the point's values (rounded where the parameter is
/// a whole number), held all run.
pub fn point_scenario(
    base: &Scenario,
    fixed: &[(String, f64)],
    ranges: &[Range],
    values: &[f64],
) -> Result<Scenario, String> {
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

/// Checks the varied and fixed paths against the scenario: each must name a single
/// number, and the scenario must stay valid, and its events apply over `days`, at both
/// ends of each range (so a range an event cannot take is refused before any point).
pub fn check(
    base: &Scenario,
    fixed: &[(String, f64)],
    ranges: &[Range],
    days: Option<u32>,
) -> Result<(), String> {
    let mut problems = Vec::new();
    let named: Vec<(String, f64, f64, bool)> = ranges
        .iter()
        .map(|r| (r.path.clone(), r.lo, r.hi, false))
        .chain(fixed.iter().map(|(p, v)| (p.clone(), *v, *v, true)))
        .collect();
    for (path, lo, hi, exact) in named {
        match parameter_numbers(base, &path) {
            Err(e) => problems.push(format!("error: --vary/--set {path}: {e}")),
            Ok(v) if v.len() != 1 => problems.push(format!(
                "error: --vary/--set {path}: names {} numbers; name one of them ({})",
                v.len(),
                v.iter()
                    .map(|(p, _)| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
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
                        Err(e) => {
                            // The error names the path and value where it can.
                            let e = if e.starts_with(path.as_str()) {
                                e
                            } else {
                                format!("{path} = {x}: {e}")
                            };
                            problems.push(format!("error: --vary/--set {e}"));
                        }
                        Ok(s) => {
                            if let Err(e) = Plan::with_days(&s, days) {
                                let reason = e.to_string().replace('\n', " ");
                                let reason = reason.trim_start_matches("error: ");
                                problems.push(format!(
                                    "error: --vary/--set {path} = {x}: the scenario's events cannot run with it: {}",
                                    reason.split_whitespace().collect::<Vec<_>>().join(" ")
                                ));
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
        Err(problems.join("\n"))
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
) -> Result<Vec<Run>, String> {
    let s = point_scenario(base, fixed, ranges, values)?;
    let plan = Plan::with_days(&s, days).map_err(|e| e.to_string())?;
    Ok(ensemble::replicate(&plan, seed, reps, &|_| {}))
}
