//! Assumption ranges: inputs beyond what is known, each drawn by an ensemble's
//! replications from a stated range (docs/model.md 7.20, "Assumption ranges").
//!
//! A scenario's future is written as dated events with central values (officers hired,
//! beds opened, 287(g) agreements, a court's bond rule). An `[[assumptions]]` entry
//! says how uncertain the values of one path are from a date on; replication r draws
//! u ~ U(0, 1) from its own stream (seed, r, [`Purpose::Assumptions`], entry index)
//! and changes every event dated on or after `from` (and before `until`, if given)
//! that sets a matching key:
//!
//! ```text
//! mode "change" (default): v' = v0 + f x (v - v0),  f = low + u x (high - low)
//!                          v0 = the key's value before `from` (the latest earlier event
//!                          that sets it, else the scenario's own value)
//! mode "scale":            v' = f x v
//! mode "value":            v' = low + u x (high - low)
//! ```
//!
//! "change" scales what the events add to the state before `from` (0.5: half of the
//! planned beds open; 1: the plan as written), which suits counts that accumulate
//! (recruits, beds, agreements). A path may hold `*` for one segment
//! (`offices.*.agreements_task_force`), matching every office's key with one draw.
//! A value that was whole stays whole (rounded). One draw per entry and replication:
//! the entries are independent, the keys within one move together. A single run, and
//! the first replication of none, use the events as written only when the ensemble
//! does not draw: with two replications or more every replication draws (as unit
//! costs are drawn, 7.17), so the bands carry the ranges.

use std::collections::BTreeMap;

use rand::RngExt;

use crate::rng::{self, Purpose};
use crate::setup::parameters;
use crate::setup::scenario::{Assumption, Scenario};
use crate::setup::source::Problem;

/// How an entry's draw changes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Change,
    Scale,
    Value,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "" | "change" => Some(Mode::Change),
            "scale" => Some(Mode::Scale),
            "value" => Some(Mode::Value),
            _ => None,
        }
    }
}

/// Whether event key `key` is one `pattern` names (`*` matches one segment).
pub fn matches(pattern: &str, key: &str) -> bool {
    let (p, k): (Vec<&str>, Vec<&str>) = (pattern.split('.').collect(), key.split('.').collect());
    p.len() == k.len() && p.iter().zip(&k).all(|(a, b)| *a == "*" || a == b)
}

/// Whether an event dated `date` is one entry `a` draws.
fn reaches(a: &Assumption, date: crate::setup::scenario::Date) -> bool {
    date >= a.from && a.until.is_none_or(|u| date < u)
}

fn number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Float(x) => Some(*x),
        toml::Value::Integer(i) => Some(*i as f64),
        _ => None,
    }
}

/// The problems of a scenario's assumption entries: a path the registry does not know,
/// one that is not a number events set, a range upside down or outside what the mode
/// allows, and an entry no event matches (it would change nothing).
pub fn check(s: &Scenario) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, a) in s.assumptions.iter().enumerate() {
        let at = |field: &str, value: String, message: String| Problem {
            path: format!("assumptions[{i}].{field}"),
            value,
            message,
            related: Vec::new(),
        };
        let Some(mode) = Mode::parse(&a.mode) else {
            out.push(at(
                "mode",
                format!("{:?}", a.mode),
                "a mode is \"change\" (scales what the events add), \"scale\" (scales their values) or \"value\" (draws the value itself)".into(),
            ));
            continue;
        };
        if !(a.low.is_finite() && a.high.is_finite()) || a.low > a.high {
            out.push(at(
                "low",
                format!("{} .. {}", a.low, a.high),
                "low and high are finite numbers with low <= high".into(),
            ));
            continue;
        }
        if mode != Mode::Value && a.low < 0.0 {
            out.push(at(
                "low",
                a.low.to_string(),
                "a factor must not be negative".into(),
            ));
            continue;
        }
        // The keys the entry reaches: those events set on or after `from`.
        let keys: std::collections::BTreeSet<&String> = s
            .events
            .iter()
            .filter(|e| reaches(a, e.date))
            .flat_map(|e| e.set.keys())
            .filter(|k| matches(&a.path, k))
            .collect();
        if keys.is_empty() {
            out.push(at(
                "path",
                format!("{:?}", a.path),
                format!(
                    "no event on or after {}{} sets it, so its range would change nothing: name a path an event of this scenario sets then (`*` stands for one segment, such as an office)",
                    a.from,
                    a.until.map(|u| format!(" and before {u}")).unwrap_or_default()
                ),
            ));
            continue;
        }
        let numbers: Vec<&parameters::Param> = keys
            .iter()
            .filter_map(|k| parameters::find(k))
            .filter(|p| p.kind.is_number())
            .collect();
        if numbers.is_empty() {
            out.push(at(
                "path",
                format!("{:?}", a.path),
                "the events set no number there (a switch or a name cannot be drawn from a range)"
                    .into(),
            ));
            continue;
        }
        if mode == Mode::Value
            && let Some(p) = numbers.iter().find(|p| a.low < p.min || a.high > p.max)
        {
            out.push(at(
                "low",
                format!("{} .. {}", a.low, a.high),
                format!(
                    "the range must lie within {}'s [{}, {}] ({})",
                    p.path, p.min, p.max, p.unit
                ),
            ));
        }
    }
    out
}

/// Scenario `s` with every assumption drawn for replication `rep` of an ensemble
/// with `seed` (the rules above). A scenario without assumptions comes back as it is.
pub fn draw(s: &Scenario, seed: u64, rep: u32) -> Scenario {
    with_points(s, |i| {
        rng::stream(seed, rep, Purpose::Assumptions, i).random::<f64>()
    })
}

/// Scenario `s` with every assumption at the same point `u` of its range (0: all at
/// `low`, 1: all at `high`): the corners of the ranges.
pub fn at_quantile(s: &Scenario, u: f64) -> Scenario {
    with_points(s, |_| u)
}

/// `s` with entry i drawn at the point `u(i)` of its range.
fn with_points(s: &Scenario, u: impl Fn(usize) -> f64) -> Scenario {
    let mut out = s.clone();
    // The scenario's own values, read only for a key no earlier event sets: drawing
    // changes events, not them, so they are written out once, and only if needed.
    let table = std::cell::OnceCell::new();
    let own = |key: &str| {
        table
            .get_or_init(|| toml::Value::try_from(s).ok())
            .as_ref()
            .and_then(|t| t.as_table())
            .and_then(|t| parameters::value_at(t, key))
            .and_then(number)
    };
    for (i, a) in s.assumptions.iter().enumerate() {
        apply(&mut out, a, u(i), &own);
    }
    out
}

fn apply(s: &mut Scenario, a: &Assumption, u: f64, own: &dyn Fn(&str) -> Option<f64>) {
    let mode = Mode::parse(&a.mode).unwrap_or(Mode::Change);
    let f = a.low + u * (a.high - a.low);
    // The value of each matching key before `from`: the latest earlier event, else
    // the scenario's own value.
    let mut before: BTreeMap<String, f64> = BTreeMap::new();
    for e in s.events.iter().filter(|e| e.date < a.from) {
        for (k, v) in &e.set {
            if matches(&a.path, k)
                && let Some(x) = number(v)
            {
                before.insert(k.clone(), x);
            }
        }
    }
    for e in s.events.iter_mut().filter(|e| reaches(a, e.date)) {
        for (k, v) in e.set.iter_mut() {
            if !matches(&a.path, k) {
                continue;
            }
            let Some(x) = number(v) else { continue };
            let drawn = match mode {
                Mode::Change => {
                    let v0 = before.get(k).copied().or_else(|| own(k)).unwrap_or(0.0);
                    v0 + f * (x - v0)
                }
                Mode::Scale => f * x,
                Mode::Value => f,
            };
            *v = match v {
                toml::Value::Integer(_) => toml::Value::Integer(drawn.round().max(0.0) as i64),
                _ => toml::Value::Float(drawn),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::scenario::{Date, Event};

    fn with_events() -> Scenario {
        let mut s = Scenario::national_default();
        let d = |t: &str| Date::parse(t).unwrap();
        let ev = |date: &str, key: &str, v: toml::Value| Event {
            date: d(date),
            until: None,
            note: String::new(),
            source: String::new(),
            set: BTreeMap::from([(key.to_string(), v)]),
        };
        s.events = vec![
            ev(
                "2025-02-01",
                "detention.capacity",
                toml::Value::Integer(50_000),
            ),
            ev(
                "2025-06-01",
                "detention.capacity",
                toml::Value::Integer(60_000),
            ),
            ev("2025-07-01", "pathways.bond_share", toml::Value::Float(0.2)),
        ];
        s
    }

    fn assumption(path: &str, mode: &str, low: f64, high: f64) -> Assumption {
        Assumption {
            path: path.into(),
            from: Date::parse("2025-05-01").unwrap(),
            until: None,
            mode: mode.into(),
            low,
            high,
            note: String::new(),
            source: String::new(),
        }
    }

    #[test]
    fn change_scales_what_the_events_add_after_the_date() {
        let mut s = with_events();
        s.assumptions = vec![assumption("detention.capacity", "change", 0.5, 0.5)];
        let d = at_quantile(&s, 0.0);
        // Half of the 10,000 added after 2025-05-01; the earlier event stays.
        assert_eq!(
            d.events[0].set["detention.capacity"],
            toml::Value::Integer(50_000)
        );
        assert_eq!(
            d.events[1].set["detention.capacity"],
            toml::Value::Integer(55_000)
        );
    }

    #[test]
    fn value_draws_the_value_itself_within_its_range() {
        let mut s = with_events();
        s.assumptions = vec![assumption("pathways.bond_share", "value", 0.1, 0.6)];
        assert_eq!(
            at_quantile(&s, 1.0).events[2].set["pathways.bond_share"],
            toml::Value::Float(0.6)
        );
        for rep in 0..20 {
            let x = draw(&s, 7, rep).events[2].set["pathways.bond_share"]
                .as_float()
                .unwrap();
            assert!((0.1..=0.6).contains(&x), "{x}");
        }
        // Replications differ; the same replication draws the same.
        assert_ne!(draw(&s, 7, 0).events, draw(&s, 7, 1).events);
        assert_eq!(draw(&s, 7, 3).events, draw(&s, 7, 3).events);
    }

    #[test]
    fn an_assumption_no_event_matches_is_refused() {
        let mut s = with_events();
        s.assumptions = vec![
            assumption("removal.flights_per_day", "change", 0.5, 1.5),
            assumption("pathways.bond_share", "value", 0.1, 1.5),
            assumption("detention.capacity", "sideways", 0.5, 1.5),
        ];
        let p = check(&s);
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(
            p[0].message.contains("no event on or after 2025-05-01"),
            "{}",
            p[0].message
        );
        assert!(p[1].message.contains("[0, 1]"), "{}", p[1].message);
        assert_eq!(p[2].path, "assumptions[2].mode");
    }

    #[test]
    fn a_star_matches_one_segment() {
        assert!(matches(
            "offices.*.agreements_jail",
            "offices.CHI.agreements_jail"
        ));
        assert!(!matches(
            "offices.*.agreements_jail",
            "offices.CHI.agreements_task_force"
        ));
        assert!(!matches("offices.*", "offices.CHI.agreements_jail"));
    }
}
