//! The calibration problem: target statistics and the free parameters fitted to them
//! (docs/calibration.md, "The targets file").
//!
//! A targets file is TOML with three parts:
//!
//! ```toml
//! [calibration]
//! seeds = 4                 # replications per evaluation, the same seeds at every point
//! max_iterations = 150      # simplex iterations at most, per search
//! restarts = 1              # searches started again from the best point
//! starts = 1                # searches from separate points: the scenario's, then a Latin hypercube
//! start_spread = 1.0        # the hypercube's width, a fraction of each range, around the scenario's values
//! check_seeds = 10          # fresh replications the start and the fit are scored on again (0: none)
//! tolerance = 0.01          # stop when the simplex's objective values have this sd
//!
//! [[target]]
//! key = "arrests_per_day_mean"   # a numeric key of summary.json
//! value = 310.0                  # the published figure, in the key's unit
//! sd = 15.0                      # how far the model may lie from it, same unit
//! source = "ICE FY2024 annual report: 113,431 arrests / 366 days"
//!
//! [[free]]
//! path = "manager.hour_value"    # a dotted parameter path, as in events
//! lo = 0.01                      # bounds of the search
//! hi = 0.5
//! log = true                     # search on a log scale
//! mode = "set"                   # "set" the number, or "scale" every number at the path
//! ```

use quotasim::adjust::{Adjust, AdjustError, adjusted, parameter_numbers};
use quotasim::scenario::Scenario;
use quotasim::source::{ScenarioError, ScenarioErrors, Source};
use serde::{Deserialize, Serialize};

/// Rounds to four significant figures (the precision a scenario file carries).
pub fn round4(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let p = 3 - x.abs().log10().floor() as i32;
    let f = 10f64.powi(p);
    (x * f).round() / f
}

/// Most separate searches a calibration may make (`calibration.starts`).
pub const MAX_STARTS: u32 = 50;

/// A parsed, checked targets file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    pub calibration: Settings,
    #[serde(rename = "target", default)]
    pub targets: Vec<Target>,
    #[serde(rename = "free")]
    pub free: Vec<Free>,
    /// The observations of `calibration.observed`, read by the front that reads the
    /// files; scored after the targets ([`Targets::z`]).
    #[serde(skip)]
    pub observations: Vec<crate::observed::Observation>,
}

/// How the search runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Replications per evaluation (runs): every point is run with replications
    /// 0..seeds of the same seed (common random numbers), and the model's value of a
    /// target is their mean.
    #[serde(default = "default_seeds")]
    pub seeds: u32,
    /// Seed of the replications (default: the scenario's `run.seed`).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Simplex iterations at most (each costs one to `free`+1 evaluations).
    #[serde(default = "default_iterations")]
    pub max_iterations: u32,
    /// Searches started again from the best point, each with a simplex a third the
    /// size of the one before.
    #[serde(default = "default_restarts")]
    pub restarts: u32,
    /// Separate searches (each with its restarts): the first from the scenario's own
    /// values, the others from a Latin hypercube over the box, seeded by the
    /// calibration's seed. The fit is the best of them. More than one guards against
    /// a local minimum near the scenario's values.
    #[serde(default = "default_starts")]
    pub starts: u32,
    /// The width of the further starts' hypercube, as a fraction of each parameter's
    /// range on the search's scale (0 .. 1, above 0), centred on the scenario's values
    /// and moved inside the range where it would leave it. 1 (the default) is the
    /// whole box; 0.2 scatters the starts near the scenario's values, where a
    /// neighbouring minimum may be better than the one its search finds.
    #[serde(default = "default_start_spread")]
    pub start_spread: f64,
    /// Fresh replications the start and the fit are scored on again once the search is
    /// done: replications `seeds .. seeds + check_seeds` of the same seed, none of which
    /// the search saw. The objective with few seeds is rough (a change in the fourth
    /// figure of a parameter moves it by about its Monte Carlo noise), so a search can
    /// gain on its own seeds what fresh replications do not bear out; the report says
    /// which. 0 skips the check; otherwise at least 2 (the noise is estimated by
    /// leaving one out).
    #[serde(default = "default_check_seeds")]
    pub check_seeds: u32,
    /// Convergence: the standard deviation of the objective over the simplex's
    /// vertices (objective units, a sum of squared z-scores).
    #[serde(default = "default_tolerance")]
    pub tolerance: f64,
    /// Days simulated per run (default: the scenario's `run.days`).
    #[serde(default)]
    pub days: Option<u32>,
    /// An observations file (docs/calibration.md, "Observations"), relative to the
    /// targets file: its figures are fitted beside the targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<String>,
}

fn default_seeds() -> u32 {
    4
}
fn default_iterations() -> u32 {
    150
}
fn default_restarts() -> u32 {
    1
}
fn default_starts() -> u32 {
    1
}
fn default_start_spread() -> f64 {
    1.0
}
fn default_check_seeds() -> u32 {
    10
}
fn default_tolerance() -> f64 {
    0.01
}

/// One published figure the model should reproduce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// A numeric key of summary.json (docs/outputs.md).
    pub key: String,
    /// The figure, in the key's unit.
    pub value: f64,
    /// How far the model may lie from it (same unit): the figure's own uncertainty plus
    /// what the model cannot be expected to match. Each target's error is divided by it.
    pub sd: f64,
    /// Where the figure comes from.
    #[serde(default)]
    pub source: String,
}

/// How a free parameter is changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// The fitted value replaces the number at the path.
    #[default]
    Set,
    /// The fitted value multiplies the number, or every number of the table, at the
    /// path; the scenario's own values are the factor 1.
    Scale,
}

/// One parameter the calibration fits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Free {
    /// Dotted parameter path (the paths of events).
    pub path: String,
    /// Lowest value searched (the parameter's unit, or a factor with `mode = "scale"`).
    pub lo: f64,
    /// Highest value searched.
    pub hi: f64,
    /// Search on a log scale (for positive parameters spanning a factor of several).
    #[serde(default)]
    pub log: bool,
    #[serde(default)]
    pub mode: Mode,
    /// Why the parameter is free and what it mostly moves.
    #[serde(default)]
    pub note: String,
}

impl Free {
    /// The change a value of this parameter makes to a scenario.
    pub fn adjust(&self, x: f64) -> Adjust {
        match self.mode {
            Mode::Set => Adjust::Set(x),
            Mode::Scale => Adjust::Scale(x),
        }
    }

    /// The value at a position `u` in 0..=1 of the search box.
    pub fn from_unit(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        if self.log {
            (self.lo.ln() + u * (self.hi.ln() - self.lo.ln())).exp()
        } else {
            self.lo + u * (self.hi - self.lo)
        }
    }

    /// The position in 0..=1 of the search box of a value.
    pub fn to_unit(&self, x: f64) -> f64 {
        if self.log {
            (x.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln())
        } else {
            (x - self.lo) / (self.hi - self.lo)
        }
    }
}

/// The scenario with the free parameters set to `values` (one per [`Free`], in order).
pub fn apply(scenario: &Scenario, free: &[Free], values: &[f64]) -> Result<Scenario, AdjustError> {
    let changes: Vec<(&str, Adjust)> = free
        .iter()
        .zip(values)
        .map(|(f, x)| (f.path.as_str(), f.adjust(*x)))
        .collect();
    adjusted(scenario, &changes)
}

/// The scenario as a fitted file carries it with the free parameters at `values`
/// ([`crate::text::fitted_scenario_text`]): as [`apply`], then every number a `scale`
/// parameter multiplied rounded to four significant figures, as the file writes each
/// product. (`values` themselves are taken as given: the fit rounds them first.)
pub fn apply_as_written(
    scenario: &Scenario,
    free: &[Free],
    values: &[f64],
) -> Result<Scenario, AdjustError> {
    let s = apply(scenario, free, values)?;
    let mut rounded: Vec<(String, Adjust)> = Vec::new();
    for f in free.iter().filter(|f| f.mode == Mode::Scale) {
        for (path, x) in parameter_numbers(&s, &f.path)? {
            rounded.push((path, Adjust::Set(round4(x))));
        }
    }
    let changes: Vec<(&str, Adjust)> = rounded.iter().map(|(p, a)| (p.as_str(), *a)).collect();
    adjusted(&s, &changes)
}

impl Targets {
    /// How many figures are fitted: the targets, then the observations.
    pub fn scored(&self) -> usize {
        self.targets.len() + self.observations.len()
    }

    /// Figure `i`'s score at the model's value `x`: z against a target, or an
    /// observation's z (0 inside a published range).
    pub fn z(&self, i: usize, x: f64) -> f64 {
        match self.targets.get(i) {
            Some(t) => (x - t.value) / t.sd,
            None => self.observations[i - self.targets.len()].z(x),
        }
    }

    /// What a right model would score on the figures fitted: the targets and the
    /// observations with a value, and the observed bounds
    /// ([`crate::observed::Reference`]).
    pub fn reference(&self) -> crate::observed::Reference {
        let bounds = self
            .observations
            .iter()
            .filter(|o| o.value.is_none())
            .count();
        crate::observed::Reference::of(self.scored() - bounds, bounds)
    }

    /// Figure `i`'s stated sd.
    pub fn sd(&self, i: usize) -> f64 {
        match self.targets.get(i) {
            Some(t) => t.sd,
            None => self.observations[i - self.targets.len()].sd,
        }
    }

    /// Figure `i`'s name (a summary key, or an observation's metric and window), its
    /// value (a range's middle for an observed range) and source.
    pub fn describe(&self, i: usize) -> (String, f64, String) {
        match self.targets.get(i) {
            Some(t) => (t.key.clone(), t.value, t.source.clone()),
            None => {
                let o = &self.observations[i - self.targets.len()];
                let value = o.value.unwrap_or_else(|| match (o.min, o.max) {
                    (Some(a), Some(b)) => (a + b) / 2.0,
                    (a, b) => a.or(b).unwrap_or(f64::NAN),
                });
                (
                    format!(
                        "{} ({}; {})",
                        o.metric.key(),
                        o.window_text(),
                        o.observed_text()
                    ),
                    value,
                    o.source.clone(),
                )
            }
        }
    }

    /// Parses and checks a targets file; errors name the file, line, key and the
    /// allowed range.
    pub fn from_toml(origin: &str, text: &str) -> Result<Targets, ScenarioErrors> {
        let source = Source::new(origin, text);
        let t: Targets = toml::from_str(text).map_err(|e| {
            let mut err = source.toml_error(&e);
            if text.trim().is_empty() {
                err.message = "the file is empty; a targets file needs [calibration], one or more [[target]] and one or more [[free]] (docs/calibration.md)".into();
            }
            ScenarioErrors(vec![err])
        })?;
        let mut errors = Vec::new();
        let mut fail = |path: String, value: String, message: String| {
            errors.push(source.error_at(&path, Some(value), message));
        };
        let c = &t.calibration;
        if !(1..=1000).contains(&c.seeds) {
            fail(
                "calibration.seeds".into(),
                c.seeds.to_string(),
                "must lie in [1, 1000] (replications per evaluation)".into(),
            );
        }
        if !(1..=100_000).contains(&c.max_iterations) {
            fail(
                "calibration.max_iterations".into(),
                c.max_iterations.to_string(),
                "must lie in [1, 100000]".into(),
            );
        }
        if c.restarts > 10 {
            fail(
                "calibration.restarts".into(),
                c.restarts.to_string(),
                "must lie in [0, 10]".into(),
            );
        }
        if !(1..=MAX_STARTS).contains(&c.starts) {
            fail(
                "calibration.starts".into(),
                c.starts.to_string(),
                format!(
                    "must lie in [1, {MAX_STARTS}] (searches: the scenario's values, then a Latin hypercube)"
                ),
            );
        }
        if !(c.start_spread > 0.0 && c.start_spread <= 1.0) {
            fail(
                "calibration.start_spread".into(),
                c.start_spread.to_string(),
                "must lie in (0, 1] (a fraction of each parameter's range)".into(),
            );
        }
        if c.check_seeds == 1 || c.check_seeds > 1000 {
            fail(
                "calibration.check_seeds".into(),
                c.check_seeds.to_string(),
                "must be 0 (no check) or lie in [2, 1000] (fresh replications)".into(),
            );
        }
        if !(c.tolerance.is_finite() && c.tolerance > 0.0) {
            fail(
                "calibration.tolerance".into(),
                c.tolerance.to_string(),
                "must be a positive number (objective units)".into(),
            );
        }
        if let Some(d) = c.days
            && !(1..=quotasim::scenario::MAX_DAYS).contains(&d)
        {
            fail(
                "calibration.days".into(),
                d.to_string(),
                format!("must lie in [1, {}] (days)", quotasim::scenario::MAX_DAYS),
            );
        }
        if t.targets.is_empty() && c.observed.is_none() {
            fail(
                "target".into(),
                String::new(),
                "no [[target]] and no calibration.observed: name at least one summary key or an observations file to fit".into(),
            );
        }
        if t.free.is_empty() {
            fail(
                "free".into(),
                String::new(),
                "no [[free]]: name at least one parameter to fit".into(),
            );
        }
        for (i, g) in t.targets.iter().enumerate() {
            if !g.value.is_finite() {
                fail(
                    format!("target[{i}].value"),
                    g.value.to_string(),
                    "must be a finite number".into(),
                );
            }
            if !(g.sd.is_finite() && g.sd > 0.0) {
                fail(
                    format!("target[{i}].sd"),
                    g.sd.to_string(),
                    "must be a positive number in the key's unit".into(),
                );
            }
            if t.targets[..i].iter().any(|o| o.key == g.key) {
                fail(
                    format!("target[{i}].key"),
                    g.key.clone(),
                    "this key is already a target".into(),
                );
            }
        }
        for (i, f) in t.free.iter().enumerate() {
            if !(f.lo.is_finite() && f.hi.is_finite() && f.lo < f.hi) {
                fail(
                    format!("free[{i}].hi"),
                    f.hi.to_string(),
                    format!("must be finite and above lo = {}", f.lo),
                );
            } else if f.log && f.lo <= 0.0 {
                fail(
                    format!("free[{i}].lo"),
                    f.lo.to_string(),
                    "must be above 0 with log = true".into(),
                );
            }
            if t.free[..i].iter().any(|o| o.path == f.path) {
                fail(
                    format!("free[{i}].path"),
                    f.path.clone(),
                    "this parameter is already free".into(),
                );
            }
        }
        if errors.is_empty() {
            Ok(t)
        } else {
            Err(ScenarioErrors(errors))
        }
    }

    /// Checks that every target names a numeric key of summary.json as declared
    /// ([`quotasim::summary::KEYS`]), before any search; an unknown key is a located
    /// error in the targets file (`origin`, `text`).
    pub fn check_keys(&self, origin: &str, text: &str) -> Result<(), ScenarioErrors> {
        let source = Source::new(origin, text);
        let unknown: Vec<_> = self
            .targets
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                !quotasim::summary::key_info(&t.key).is_some_and(|k| k.kind.is_number())
            })
            .map(|(i, t)| {
                source.error_at(
                    &format!("target[{i}].key"),
                    Some(t.key.clone()),
                    "not a numeric key of summary.json (docs/outputs.md lists them)".into(),
                )
            })
            .collect();
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(ScenarioErrors(unknown))
        }
    }

    /// Checks the free parameters against a scenario and returns their starting values:
    /// the scenario's own (1 for a scale). Every path must exist, a `set` path must
    /// name a single number inside its bounds, and the scenario must stay valid at
    /// both bounds of every parameter.
    pub fn start(
        &self,
        scenario: &Scenario,
        origin: &str,
        text: &str,
    ) -> Result<Vec<f64>, ScenarioErrors> {
        let source = Source::new(origin, text);
        let mut errors: Vec<ScenarioError> = Vec::new();
        let mut start = Vec::new();
        for (i, f) in self.free.iter().enumerate() {
            let at = format!("free[{i}].path");
            let x0 = match parameter_numbers(scenario, &f.path) {
                Err(e) => {
                    errors.push(source.error_at(&at, Some(f.path.clone()), e.to_string()));
                    continue;
                }
                Ok(v) if f.mode == Mode::Set && v.len() != 1 => {
                    errors.push(source.error_at(
                        &at,
                        Some(f.path.clone()),
                        format!(
                            "names {} numbers; use mode = \"scale\" or name one of them ({})",
                            v.len(),
                            v.iter()
                                .map(|(p, _)| p.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                    continue;
                }
                Ok(v) => match f.mode {
                    Mode::Set => v[0].1,
                    Mode::Scale => 1.0,
                },
            };
            if !(f.lo..=f.hi).contains(&x0) {
                errors.push(source.error_at(
                    &format!("free[{i}].lo"),
                    Some(f.lo.to_string()),
                    format!(
                        "the scenario's value {x0} (the start of the search) lies outside [lo, hi] = [{}, {}]",
                        f.lo, f.hi
                    ),
                ));
                continue;
            }
            for (bound, x) in [("lo", f.lo), ("hi", f.hi)] {
                if let Err(e) = adjusted(scenario, &[(f.path.as_str(), f.adjust(x))]) {
                    errors.push(source.error_at(
                        &format!("free[{i}].{bound}"),
                        Some(x.to_string()),
                        format!("at this bound the scenario is invalid: {e}"),
                    ));
                }
            }
            start.push(x0);
        }
        if errors.is_empty() {
            Ok(start)
        } else {
            Err(ScenarioErrors(errors))
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A targets file with one target and one free parameter (also the fit's tests').
    pub(crate) const GOOD: &str = r#"
[calibration]
seeds = 2

[[target]]
key = "arrests_per_day_mean"
value = 310.0
sd = 15.0

[[free]]
path = "manager.hour_value"
lo = 0.01
hi = 0.5
log = true
"#;

    #[test]
    fn a_good_file_parses_with_defaults() {
        let t = Targets::from_toml("t.toml", GOOD).unwrap();
        assert_eq!(t.calibration.seeds, 2);
        assert_eq!(t.calibration.max_iterations, 150);
        assert_eq!(
            t.calibration.starts, 1,
            "one search, from the scenario's values"
        );
        assert_eq!(t.free[0].mode, Mode::Set);
    }

    #[test]
    fn a_number_of_starts_or_a_spread_outside_its_range_is_located() {
        for bad in ["0", "51"] {
            let text = GOOD.replace("seeds = 2", &format!("seeds = 2\nstarts = {bad}"));
            let e = Targets::from_toml("t.toml", &text).unwrap_err().to_string();
            assert!(e.contains("t.toml:4"), "{e}");
            assert!(e.contains("calibration.starts"), "{e}");
            assert!(e.contains("[1, 50]"), "{e}");
        }
        for bad in ["0.0", "1.5", "nan"] {
            let text = GOOD.replace("seeds = 2", &format!("seeds = 2\nstart_spread = {bad}"));
            let e = Targets::from_toml("t.toml", &text).unwrap_err().to_string();
            assert!(e.contains("t.toml:4"), "{e}");
            assert!(e.contains("calibration.start_spread"), "{e}");
            assert!(e.contains("(0, 1]"), "{e}");
        }
        let text = GOOD.replace("seeds = 2", "seeds = 2\nstarts = 50");
        assert_eq!(
            Targets::from_toml("t.toml", &text)
                .unwrap()
                .calibration
                .starts,
            50
        );
    }

    #[test]
    fn rounding_keeps_four_significant_figures() {
        assert_eq!(round4(0.0812345), 0.08123);
        assert_eq!(round4(1234.56), 1235.0);
        assert_eq!(round4(-2.34567), -2.346);
    }

    #[test]
    fn a_number_of_check_seeds_that_cannot_estimate_noise_is_located() {
        for bad in ["1", "1001"] {
            let text = GOOD.replace("seeds = 2", &format!("seeds = 2\ncheck_seeds = {bad}"));
            let e = Targets::from_toml("t.toml", &text).unwrap_err().to_string();
            assert!(e.contains("t.toml:4"), "{e}");
            assert!(e.contains("calibration.check_seeds"), "{e}");
            assert!(e.contains("[2, 1000]"), "{e}");
        }
        for good in [0, 2] {
            let text = GOOD.replace("seeds = 2", &format!("seeds = 2\ncheck_seeds = {good}"));
            let t = Targets::from_toml("t.toml", &text).unwrap();
            assert_eq!(t.calibration.check_seeds, good);
        }
        assert_eq!(
            Targets::from_toml("t.toml", GOOD)
                .unwrap()
                .calibration
                .check_seeds,
            10
        );
    }

    #[test]
    fn bad_bounds_are_located() {
        let text = GOOD.replace("hi = 0.5", "hi = 0.001");
        let e = Targets::from_toml("t.toml", &text).unwrap_err().to_string();
        assert!(e.contains("t.toml:13"), "{e}");
        assert!(e.contains("free[0].hi"), "{e}");
    }

    #[test]
    fn unknown_path_is_reported_at_the_path() {
        let text = GOOD.replace("manager.hour_value", "manager.hour_valu");
        let t = Targets::from_toml("t.toml", &text).unwrap();
        let e = t
            .start(&Scenario::national_default(), "t.toml", &text)
            .unwrap_err()
            .to_string();
        assert!(e.contains("t.toml:11"), "{e}");
        assert!(e.contains("hour_value"), "{e}");
    }

    #[test]
    fn unit_box_round_trips_on_a_log_scale() {
        let f = &Targets::from_toml("t.toml", GOOD).unwrap().free[0];
        for x in [0.01, 0.08, 0.5] {
            assert!((f.from_unit(f.to_unit(x)) - x).abs() < 1e-12);
        }
        assert!((f.from_unit(0.5) - (0.01f64 * 0.5).sqrt()).abs() < 1e-12);
    }
}
