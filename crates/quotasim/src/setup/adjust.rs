//! Adjusting a scenario by path: the one way fronts (calibration, posterior draws,
//! sweeps, the dashboard, Python) change parameters from outside a scenario file.

use crate::setup::paths::{PathError, parameter_path_keys};
use crate::setup::reach::Slot;
use crate::setup::scenario::Scenario;
use crate::setup::source::Problem;

/// Whether an event's setting of `key` is dropped when `paths` are held for the whole
/// run: the rule of holding a parameter, for scenarios ([`hold_paths`]) and their text
/// ([`crate::setup::edit::Editor::hold`]) alike. Paths match as dotted keys, however quoted.
pub fn is_held<S: AsRef<str>>(key: &str, paths: &[S]) -> bool {
    let key = parameter_path_keys(key);
    paths.iter().any(|p| parameter_path_keys(p.as_ref()) == key)
}

/// The scenario with `paths` held at their base values for the whole run: events that
/// set them lose those settings (and events left with nothing to set are dropped), and
/// an assumption range on a held path goes too (a held value is not drawn).
pub fn hold_paths(s: &Scenario, paths: &[&str]) -> Scenario {
    let mut s = s.clone();
    for e in &mut s.events {
        e.set.retain(|k, _| !is_held(k, paths));
    }
    s.events.retain(|e| !e.set.is_empty());
    s.assumptions.retain(|a| !is_held(&a.path, paths));
    s
}

/// How a front (calibration, posterior draws) changes one parameter of a scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Adjust {
    /// Set the number at the path (rounded where the parameter is a whole number): a
    /// point of a design, which spans whole-number parameters as reals.
    Set(f64),
    /// Set the number at the path exactly: a value a user gave, refused where the
    /// parameter is a whole number and the value is not.
    SetExact(f64),
    /// Multiply the number at the path, or every number of the table at the path
    /// (such as `channels.at_large.hours_per_arrest`, one number per class).
    Scale(f64),
    /// Set the true/false switch at the path (such as `capacity.around_the_clock`).
    Flag(bool),
}

/// Why a scenario cannot be adjusted as asked, with the path and the value where there
/// is one.
#[derive(Debug, Clone, PartialEq)]
pub enum AdjustError {
    /// The path names nothing in the scenario.
    Path { path: String, error: PathError },
    /// The value at the path is of kind `found`, not a number.
    NotANumber { path: String, found: &'static str },
    /// A whole-number parameter given a value with a fraction.
    NotWhole { path: String, value: f64 },
    /// A switch given a number other than 1 or 0.
    NotOneOrZero { path: String, value: f64 },
    /// A value of kind `found` (a table, text) cannot be set to a number.
    NotSettable { path: String, found: &'static str },
    /// A value of kind `found` is not a switch.
    NotASwitch { path: String, found: &'static str },
    /// A whole-number parameter given a value outside what its type holds (0 to
    /// `max`).
    NotInType { path: String, value: f64, max: f64 },
    /// The adjusted scenario breaks a rule: the first problem validation found.
    Invalid(Problem),
}

impl AdjustError {
    /// The path the error is about, and the value where it names one: its text starts
    /// `path: ` or `path = value: `.
    fn about(&self) -> (&str, Option<String>) {
        match self {
            AdjustError::Path { path, .. }
            | AdjustError::NotANumber { path, .. }
            | AdjustError::NotSettable { path, .. }
            | AdjustError::NotASwitch { path, .. } => (path, None),
            AdjustError::NotWhole { path, value }
            | AdjustError::NotOneOrZero { path, value }
            | AdjustError::NotInType { path, value, .. } => (path, Some(value.to_string())),
            AdjustError::Invalid(p) => (&p.path, Some(p.value.clone())),
        }
    }

    /// What is wrong, without the path and value the text starts with.
    fn reason(&self) -> String {
        match self {
            AdjustError::NotInType { max, .. } => {
                format!("a whole number from 0 to {max} is required")
            }
            AdjustError::Path { error, .. } => error.to_string(),
            AdjustError::NotANumber { found, .. } => format!("{found} is not a number"),
            AdjustError::NotWhole { .. } => {
                "a whole number is required (the parameter counts whole units)".into()
            }
            AdjustError::NotOneOrZero { .. } => "a switch is 1 (true) or 0 (false)".into(),
            AdjustError::NotSettable { found, .. } => format!(
                "a {found} cannot be set to a number; name a single number (or use a scale)"
            ),
            AdjustError::NotASwitch { found, .. } => {
                format!("a {found} is not a switch (true or false)")
            }
            AdjustError::Invalid(p) => p.message.clone(),
        }
    }

    /// What is wrong, without the path and value the error is about when that is
    /// `path`: for a front that names the path in its own words (`--vary K`, `vary=`).
    pub fn reason_about(&self, path: &str) -> String {
        match self.about() {
            (p, _) if p == path => self.reason(),
            _ => self.to_string(),
        }
    }
}

impl std::fmt::Display for AdjustError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.about() {
            (path, None) => write!(f, "{path}: {}", self.reason()),
            (path, Some(value)) => write!(f, "{path} = {value}: {}", self.reason()),
        }
    }
}

impl std::error::Error for AdjustError {}

impl From<AdjustError> for String {
    fn from(e: AdjustError) -> String {
        e.to_string()
    }
}

/// The scenario with the numbers at each dotted `path` adjusted, validated as a whole.
/// Paths are those of events (`manager.hour_value`, `offices.CHI.jail_cooperation`);
/// unlike an event, an adjustment changes the scenario from its first day and may
/// change start-only parameters. Each path reaches its typed field in place
/// ([`crate::setup::reach`]). Errors name the path and what is wrong.
pub fn adjusted(scenario: &Scenario, changes: &[(&str, Adjust)]) -> Result<Scenario, AdjustError> {
    let mut out = scenario.clone();
    for (path, adjust) in changes {
        set(path, *adjust, slot(&mut out, path)?)?;
    }
    let mut check = out.clone();
    let mut problems = check.resolve_offices();
    problems.extend(check.validate());
    if let Some(p) = problems.into_iter().next() {
        return Err(AdjustError::Invalid(p));
    }
    Ok(out)
}

/// The typed field at a dotted path (a whole table allowed), or why the path names
/// nothing.
fn slot<'a>(s: &'a mut Scenario, path: &str) -> Result<Slot<'a>, AdjustError> {
    s.slot(&parameter_path_keys(path), true)
        .map_err(|error| AdjustError::Path {
            path: path.to_string(),
            error,
        })
}

/// Adjusts the value at `path` in place.
fn set(path: &str, adjust: Adjust, at: Slot<'_>) -> Result<(), AdjustError> {
    let whole = |x: f64, max: f64| -> Result<f64, AdjustError> {
        let r = x.round();
        if (0.0..=max).contains(&r) {
            Ok(r)
        } else {
            Err(AdjustError::NotInType {
                path: path.to_string(),
                value: x,
                max,
            })
        }
    };
    let scale = |v: Slot<'_>, f: f64| -> Result<(), AdjustError> {
        match v {
            Slot::Real(x) => *x *= f,
            Slot::Whole(i) => *i = whole(f64::from(*i) * f, f64::from(u32::MAX))? as u32,
            Slot::Large(i) => *i = whole(*i as f64 * f, u64::MAX as f64)? as u64,
            other => {
                return Err(AdjustError::NotANumber {
                    path: path.to_string(),
                    found: other.kind(),
                });
            }
        }
        Ok(())
    };
    match (adjust, at) {
        (Adjust::Set(x) | Adjust::SetExact(x), Slot::Real(v)) => *v = x,
        (Adjust::SetExact(x), Slot::Whole(_) | Slot::Large(_))
            if x.fract() != 0.0 || !x.is_finite() =>
        {
            return Err(AdjustError::NotWhole {
                path: path.to_string(),
                value: x,
            });
        }
        (Adjust::Set(x) | Adjust::SetExact(x), Slot::Whole(v)) => {
            *v = whole(x, f64::from(u32::MAX))? as u32
        }
        (Adjust::Set(x) | Adjust::SetExact(x), Slot::Large(v)) => {
            *v = whole(x, u64::MAX as f64)? as u64
        }
        // A switch as a number: 1 on, 0 off (a varied one rounds to the nearer).
        (Adjust::SetExact(x), Slot::Switch(_)) if x != 0.0 && x != 1.0 => {
            return Err(AdjustError::NotOneOrZero {
                path: path.to_string(),
                value: x,
            });
        }
        (Adjust::Set(x) | Adjust::SetExact(x), Slot::Switch(v)) => *v = x >= 0.5,
        (Adjust::Set(_) | Adjust::SetExact(_), other) => {
            return Err(AdjustError::NotSettable {
                path: path.to_string(),
                found: other.kind(),
            });
        }
        (Adjust::Scale(f), Slot::Table(t)) => {
            for (_, v) in t {
                scale(v, f)?;
            }
        }
        (Adjust::Scale(f), v) => scale(v, f)?,
        (Adjust::Flag(b), Slot::Switch(v)) => *v = b,
        (Adjust::Flag(_), other) => {
            return Err(AdjustError::NotASwitch {
                path: path.to_string(),
                found: other.kind(),
            });
        }
    }
    Ok(())
}

/// The numbers at a dotted path: one `(path, value)` for a single number, one per key
/// for a table of numbers. A switch reads as 1 (true) or 0 (false), and is set the
/// same way.
pub fn parameter_numbers(
    scenario: &Scenario,
    path: &str,
) -> Result<Vec<(String, f64)>, AdjustError> {
    let mut s = scenario.clone();
    let at = slot(&mut s, path)?;
    let number = |path: String, v: &Slot<'_>| match v.number() {
        Some(x) => Ok((path, x)),
        None => Err(AdjustError::NotANumber {
            path,
            found: v.kind(),
        }),
    };
    match at {
        Slot::Table(t) => t
            .iter()
            .map(|(k, v)| number(format!("{path}.{k}"), v))
            .collect(),
        v => Ok(vec![number(path.to_string(), &v)?]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_switch_is_set_and_read_as_one_or_zero() {
        let s = Scenario::national_default();
        let on = adjusted(&s, &[("quota.ranking", Adjust::SetExact(1.0))]).unwrap();
        assert!(on.quota.ranking);
        assert_eq!(
            parameter_numbers(&on, "quota.ranking").unwrap(),
            [("quota.ranking".to_string(), 1.0)]
        );
        let off = adjusted(&on, &[("quota.ranking", Adjust::SetExact(0.0))]).unwrap();
        assert!(!off.quota.ranking);
        // A varied switch rounds to the nearer; a held one takes 1 or 0 only.
        assert!(
            adjusted(&off, &[("quota.ranking", Adjust::Set(0.7))])
                .unwrap()
                .quota
                .ranking
        );
        let e = adjusted(&off, &[("quota.ranking", Adjust::SetExact(0.5))]).unwrap_err();
        assert_eq!(
            e,
            AdjustError::NotOneOrZero {
                path: "quota.ranking".into(),
                value: 0.5
            }
        );
        assert_eq!(
            e.to_string(),
            "quota.ranking = 0.5: a switch is 1 (true) or 0 (false)"
        );
    }

    #[test]
    fn scaling_a_table_scales_each_of_its_numbers_and_only_them() {
        let s = Scenario::national_default();
        let out = adjusted(&s, &[("detention.stay_days", Adjust::Scale(2.0))]).unwrap();
        let (a, b) = (
            s.detention.stay_days.to_array(),
            out.detention.stay_days.to_array(),
        );
        for (x, y) in a.iter().zip(b) {
            assert_eq!(y, 2.0 * x);
        }
        let mut rest = out.clone();
        rest.detention.stay_days = s.detention.stay_days;
        assert_eq!(rest, s);
        // A whole number scales to the nearest whole number.
        let days = s.quota.window_days;
        let out = adjusted(&s, &[("quota.window_days", Adjust::Scale(1.5))]).unwrap();
        assert_eq!(
            out.quota.window_days,
            (f64::from(days) * 1.5).round() as u32
        );
    }

    #[test]
    fn a_whole_number_its_type_cannot_hold_is_refused_by_name() {
        let s = Scenario::national_default();
        let e = adjusted(&s, &[("quota.window_days", Adjust::Set(-3.0))]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "quota.window_days = -3: a whole number from 0 to 4294967295 is required"
        );
        let e = adjusted(&s, &[("run.name", Adjust::Set(3.0))]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "run.name: a string cannot be set to a number; name a single number (or use a scale)"
        );
        let e = parameter_numbers(&s, "quota.nonsense").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("quota.nonsense: unknown parameter path: `quota` has no `nonsense`"),
            "{e}"
        );
    }
}
