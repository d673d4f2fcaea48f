//! Dated policy events and the run plan (docs/model.md, "Scenario and parameters:
//! events").
//!
//! An event sets parameters, named by dotted path, from its date on; with `until`, they
//! return on that date to the values they had before. The plan turns the scenario into
//! segments: from each segment's first day on, the whole parameter set is that
//! segment's scenario. Every segment is validated like the base scenario, and a problem
//! is reported at the event that caused it.

use crate::data::FieldOffice;
use crate::scenario::{
    Date, Problem, Scenario, ScenarioError, ScenarioErrors, parameter_path_keys,
};

/// Parameters that describe the start of a run and cannot change during it: whole
/// sections, or single keys.
const START_ONLY: [&str; 6] = [
    "run",
    "docket",
    "events",
    "detention.initial_detained",
    "detention.initial_convicted_share",
    "detention.initial_remaining_days",
];

/// The parameters in force from `first_day` (0-based, day 0 = `run.start_date`).
#[derive(Debug, Clone)]
pub struct Segment {
    pub first_day: u32,
    pub scenario: Scenario,
}

/// A validated scenario ready to run: its segments, the offices and their docket shares.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The scenario as given (day 0).
    pub scenario: Scenario,
    /// Days to simulate (the scenario's, or a shorter or longer override).
    pub days: u32,
    /// Parameter segments, first_day strictly increasing, the first at day 0.
    pub segments: Vec<Segment>,
    /// The field offices, in the fixed order of `data/field_offices.csv`.
    pub offices: Vec<FieldOffice>,
    /// Each office's share of the docket (noncitizen population share).
    pub docket_share: Vec<f64>,
}

impl Plan {
    /// Validates `scenario` and builds its plan.
    pub fn new(scenario: &Scenario) -> Result<Plan, ScenarioErrors> {
        Plan::with_days(scenario, None)
    }

    /// As [`Plan::new`], running for `days` instead of `run.days` when given. Events
    /// dated on or after the end of a shortened run do not happen.
    pub fn with_days(scenario: &Scenario, days: Option<u32>) -> Result<Plan, ScenarioErrors> {
        let unlocated = |problems: Vec<Problem>| {
            ScenarioErrors(
                problems
                    .into_iter()
                    .map(|p| ScenarioError {
                        origin: scenario.run.name.clone(),
                        line: None,
                        key: Some(p.path),
                        value: (!p.value.is_empty()).then_some(p.value),
                        message: p.message,
                    })
                    .collect(),
            )
        };
        let mut scenario = scenario.clone();
        let mut problems = scenario.resolve_offices();
        if let Some(d) = days
            && (d == 0 || d > crate::scenario::MAX_DAYS)
        {
            problems.push(Problem {
                path: "--days".into(),
                value: d.to_string(),
                message: format!("must lie in [1, {}] (days)", crate::scenario::MAX_DAYS),
            });
        }
        problems.extend(scenario.validate());
        if !problems.is_empty() {
            return Err(unlocated(problems));
        }
        let segments = schedule(&scenario).map_err(unlocated)?;
        let days = days.unwrap_or(scenario.run.days);
        let segments: Vec<Segment> = segments
            .into_iter()
            .filter(|s| s.first_day < days)
            .collect();
        let offices = scenario.field_offices();
        let total: f64 = offices.iter().map(|o| o.noncitizen_population as f64).sum();
        let docket_share = offices
            .iter()
            .map(|o| o.noncitizen_population as f64 / total)
            .collect();
        Ok(Plan {
            scenario,
            days,
            segments,
            offices,
            docket_share,
        })
    }

    /// Parses, validates and plans a scenario from TOML text.
    pub fn from_toml(origin: &str, text: &str, days: Option<u32>) -> Result<Plan, ScenarioErrors> {
        let s = Scenario::from_toml(origin, text)?;
        Plan::with_days(&s, days)
    }

    /// The scenario exactly as run with `seed`: `run.days` and `run.seed` set to the
    /// values used, and only the events that happen within those days. Running it
    /// again reproduces the run.
    pub fn effective_scenario(&self, seed: u64) -> Scenario {
        let mut s = self.scenario.clone();
        let end = s.run.start_date.plus_days(self.days);
        s.run.days = self.days;
        s.run.seed = seed;
        s.events.retain(|e| e.date < end);
        s
    }

    /// Index of the segment in force on `day`.
    pub fn segment_index(&self, day: u32) -> usize {
        self.segments.partition_point(|s| s.first_day <= day) - 1
    }

    /// The date of a 0-based day.
    pub fn date(&self, day: u32) -> Date {
        self.scenario.run.start_date.plus_days(day)
    }
}

#[derive(Debug, Clone)]
enum Action {
    Set { value: toml::Value },
    Revert,
}

#[derive(Debug, Clone)]
struct Change {
    day: u32,
    /// Reverts of a day go before its sets, so an event starting the day another ends wins.
    order: (u8, usize, usize),
    event: usize,
    key: String,
    action: Action,
}

/// Builds the parameter segments of a scenario's events, validating each.
pub fn schedule(scenario: &Scenario) -> Result<Vec<Segment>, Vec<Problem>> {
    let mut problems = Vec::new();
    let run = &scenario.run;
    let end = run.start_date.plus_days(run.days);
    let ev_path = |i: usize, key: &str| format!("events[{i}].set.{key:?}");
    let mut changes = Vec::new();
    for (i, e) in scenario.events.iter().enumerate() {
        if i > 0 && e.date < scenario.events[i - 1].date {
            problems.push(Problem {
                path: format!("events[{i}].date"),
                value: e.date.to_string(),
                message: format!(
                    "events must be listed in date order; the one before is dated {}",
                    scenario.events[i - 1].date
                ),
            });
        }
        if e.date < run.start_date || e.date >= end {
            problems.push(Problem {
                path: format!("events[{i}].date"),
                value: e.date.to_string(),
                message: format!(
                    "an event's date must lie within the run, {} to {}",
                    run.start_date,
                    end.plus_days(0).0.pred_opt().map(Date).unwrap_or(end)
                ),
            });
            continue;
        }
        if let Some(u) = e.until
            && u <= e.date
        {
            problems.push(Problem {
                path: format!("events[{i}].until"),
                value: u.to_string(),
                message: format!("`until` must come after the event's date {}", e.date),
            });
            continue;
        }
        if e.set.is_empty() {
            problems.push(Problem {
                path: format!("events[{i}].set"),
                value: String::new(),
                message: "an event must set at least one parameter, e.g. set = { \"quota.national_per_day\" = 3000 }".into(),
            });
        }
        let day = run.start_date.days_until(e.date) as u32;
        for (j, (key, value)) in e.set.iter().enumerate() {
            let keys = parameter_path_keys(key);
            let first = keys.first().cloned().unwrap_or_default();
            let whole = keys.join(".");
            if let Some(fixed) = START_ONLY.iter().find(|p| **p == first || **p == whole) {
                problems.push(Problem {
                    path: ev_path(i, key),
                    value: value.to_string(),
                    message: format!(
                        "`{fixed}` describes the start of the run and cannot be changed by an event"
                    ),
                });
                continue;
            }
            changes.push(Change {
                day,
                order: (1, i, j),
                event: i,
                key: key.clone(),
                action: Action::Set {
                    value: value.clone(),
                },
            });
            if let Some(u) = e.until {
                let uday = run.start_date.days_until(u);
                if uday < i64::from(u32::MAX) {
                    changes.push(Change {
                        day: uday as u32,
                        order: (0, i, j),
                        event: i,
                        key: key.clone(),
                        action: Action::Revert,
                    });
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    changes.sort_by_key(|c| (c.day, c.order));

    let mut base = scenario.clone();
    base.events.clear();
    let mut table = match toml::Value::try_from(&base) {
        Ok(toml::Value::Table(t)) => t,
        _ => {
            return Err(vec![Problem {
                path: "".into(),
                value: String::new(),
                message: "the scenario cannot be rendered as a table".into(),
            }]);
        }
    };
    table.remove("events");
    let mut segments = vec![Segment {
        first_day: 0,
        scenario: base,
    }];
    // Value each (event, key) replaced, for its revert; and which event last set a key.
    let mut before: Vec<((usize, String), toml::Value)> = Vec::new();
    let mut last_set: Vec<(String, usize)> = Vec::new();
    let mut k = 0;
    while k < changes.len() {
        let day = changes[k].day;
        let mut touched = Vec::new();
        while k < changes.len() && changes[k].day == day {
            let c = &changes[k];
            let keys = parameter_path_keys(&c.key);
            let slot = match lookup(&mut table, &keys, false) {
                Ok(slot) => slot,
                Err(message) => {
                    problems.push(Problem {
                        path: ev_path(c.event, &c.key),
                        value: String::new(),
                        message,
                    });
                    k += 1;
                    continue;
                }
            };
            match &c.action {
                Action::Set { value } => {
                    let value = match coerce(slot, value) {
                        Ok(v) => v,
                        Err(message) => {
                            problems.push(Problem {
                                path: ev_path(c.event, &c.key),
                                value: value.to_string(),
                                message,
                            });
                            k += 1;
                            continue;
                        }
                    };
                    before.push(((c.event, c.key.clone()), slot.clone()));
                    *slot = value;
                    last_set.retain(|(p, _)| p != &keys.join("."));
                    last_set.push((keys.join("."), c.event));
                    touched.push((keys.join("."), c.event, c.key.clone()));
                }
                Action::Revert => {
                    if let Some((_, v)) = before
                        .iter()
                        .rev()
                        .find(|(id, _)| id.0 == c.event && id.1 == c.key)
                    {
                        *slot = v.clone();
                    }
                }
            }
            k += 1;
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let snapshot: Scenario = match toml::Value::Table(table.clone()).try_into() {
            Ok(s) => s,
            Err(e) => {
                let (_, ev, key) = touched.last().cloned().unwrap_or_default();
                return Err(vec![Problem {
                    path: ev_path(ev, &key),
                    value: String::new(),
                    message: e.message().trim().to_string(),
                }]);
            }
        };
        for p in snapshot.validate() {
            // Report the problem where the event that caused it set the value.
            let by = last_set
                .iter()
                .rev()
                .find(|(path, _)| p.path == *path || p.path.starts_with(&format!("{path}.")));
            match by {
                Some((path, ev)) => {
                    let key = scenario.events[*ev]
                        .set
                        .keys()
                        .find(|k| parameter_path_keys(k).join(".") == *path)
                        .cloned()
                        .unwrap_or_default();
                    problems.push(Problem {
                        path: ev_path(*ev, &key),
                        value: p.value,
                        message: format!("{}: {}", p.path, p.message),
                    });
                }
                None => problems.push(p),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        segments.push(Segment {
            first_day: day,
            scenario: snapshot,
        });
    }
    Ok(segments)
}

/// The scenario with `paths` held at their base values for the whole run: events that
/// set them lose those settings (and events left with nothing to set are dropped).
pub fn hold_paths(s: &Scenario, paths: &[&str]) -> Scenario {
    let mut s = s.clone();
    for e in &mut s.events {
        e.set.retain(|k, _| !paths.contains(&k.as_str()));
    }
    s.events.retain(|e| !e.set.is_empty());
    s
}

/// How a front (calibration, posterior draws) changes one parameter of a scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Adjust {
    /// Set the number at the path (rounded where the parameter is a whole number).
    Set(f64),
    /// Multiply the number at the path, or every number of the table at the path
    /// (such as `channels.at_large.hours_per_arrest`, one number per class).
    Scale(f64),
    /// Set the true/false switch at the path (such as `capacity.around_the_clock`).
    Flag(bool),
}

/// The scenario with the numbers at each dotted `path` adjusted, validated as a whole.
/// Paths are those of events (`manager.hour_value`, `offices.CHI.jail_cooperation`);
/// unlike an event, an adjustment changes the scenario from its first day and may
/// change start-only parameters. Errors name the path and what is wrong.
pub fn adjusted(scenario: &Scenario, changes: &[(&str, Adjust)]) -> Result<Scenario, String> {
    let mut table = match toml::Value::try_from(scenario) {
        Ok(toml::Value::Table(t)) => t,
        _ => return Err("the scenario cannot be rendered as a table".into()),
    };
    for (path, adjust) in changes {
        let keys = parameter_path_keys(path);
        let at = lookup(&mut table, &keys, true).map_err(|e| format!("{path}: {e}"))?;
        let scale = |v: &mut toml::Value, f: f64| -> Result<(), String> {
            match v {
                toml::Value::Float(x) => *x *= f,
                toml::Value::Integer(i) => *i = (*i as f64 * f).round() as i64,
                other => return Err(format!("{path}: {} is not a number", other.type_str())),
            }
            Ok(())
        };
        match (adjust, &mut *at) {
            (Adjust::Set(x), toml::Value::Float(v)) => *v = *x,
            (Adjust::Set(x), toml::Value::Integer(v)) => *v = x.round() as i64,
            (Adjust::Set(_), other) => {
                return Err(format!(
                    "{path}: a {} cannot be set to a number; name a single number (or use a scale)",
                    other.type_str()
                ));
            }
            (Adjust::Scale(f), toml::Value::Table(t)) => {
                for (_, v) in t.iter_mut() {
                    scale(v, *f)?;
                }
            }
            (Adjust::Scale(f), v) => scale(v, *f)?,
            (Adjust::Flag(b), toml::Value::Boolean(v)) => *v = *b,
            (Adjust::Flag(_), other) => {
                return Err(format!(
                    "{path}: a {} is not a switch (true or false)",
                    other.type_str()
                ));
            }
        }
    }
    let out: Scenario = toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| e.message().trim().to_string())?;
    let mut check = out.clone();
    let mut problems = check.resolve_offices();
    problems.extend(check.validate());
    if let Some(p) = problems.first() {
        return Err(format!("{} = {}: {}", p.path, p.value, p.message));
    }
    Ok(out)
}

/// The numbers at a dotted path: one `(path, value)` for a single number, one per key
/// for a table of numbers.
pub fn parameter_numbers(scenario: &Scenario, path: &str) -> Result<Vec<(String, f64)>, String> {
    let mut table = match toml::Value::try_from(scenario) {
        Ok(toml::Value::Table(t)) => t,
        _ => return Err("the scenario cannot be rendered as a table".into()),
    };
    let keys = parameter_path_keys(path);
    let at = lookup(&mut table, &keys, true).map_err(|e| format!("{path}: {e}"))?;
    let number = |v: &toml::Value| match v {
        toml::Value::Float(x) => Some(*x),
        toml::Value::Integer(i) => Some(*i as f64),
        _ => None,
    };
    match at {
        toml::Value::Table(t) => t
            .iter()
            .map(|(k, v)| {
                number(v)
                    .map(|x| (format!("{path}.{k}"), x))
                    .ok_or_else(|| format!("{path}.{k} is not a number"))
            })
            .collect(),
        v => number(v)
            .map(|x| vec![(path.to_string(), x)])
            .ok_or_else(|| format!("{path} is a {}, not a number", v.type_str())),
    }
}

/// The value at a path of keys, which must already exist (events change parameters;
/// they do not add new ones).
fn lookup<'t>(
    table: &'t mut toml::Table,
    keys: &[String],
    allow_section: bool,
) -> Result<&'t mut toml::Value, String> {
    let mut cur = table;
    for (i, key) in keys.iter().enumerate() {
        let here = keys[..i].join(".");
        let names = || cur_keys(cur_table_keys(cur));
        if !cur.contains_key(key) {
            let place = if here.is_empty() {
                "the scenario".to_string()
            } else {
                format!("`{here}`")
            };
            return Err(format!(
                "unknown parameter path: {place} has no `{key}`; it has {}",
                names()
            ));
        }
        let v = cur.get_mut(key).expect("checked above");
        if i + 1 == keys.len() {
            if v.is_table() && !allow_section {
                return Err(format!(
                    "`{}` is a section; an event sets single values such as `{}.{}`",
                    keys.join("."),
                    keys.join("."),
                    v.as_table()
                        .and_then(|t| t.keys().next())
                        .cloned()
                        .unwrap_or_default()
                ));
            }
            return Ok(v);
        }
        match v {
            toml::Value::Table(t) => cur = t,
            _ => {
                return Err(format!(
                    "`{}` is a value, not a section",
                    keys[..=i].join(".")
                ));
            }
        }
    }
    Err("an empty parameter path".into())
}

fn cur_table_keys(t: &toml::Table) -> Vec<String> {
    t.keys().cloned().collect()
}

fn cur_keys(keys: Vec<String>) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks a new value against the type of the one it replaces; a whole number may
/// stand for a real one.
fn coerce(old: &toml::Value, new: &toml::Value) -> Result<toml::Value, String> {
    use toml::Value as V;
    match (old, new) {
        (V::Float(_), V::Integer(i)) => Ok(V::Float(*i as f64)),
        (V::Integer(_), V::Float(f)) if f.fract() == 0.0 && f.is_finite() && f.abs() < 9e15 => {
            Ok(V::Integer(*f as i64))
        }
        (a, b) if a.same_type(b) => Ok(new.clone()),
        _ => Err(format!(
            "expected {}, found {}",
            old.type_str(),
            new.type_str()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::NATIONAL_DEFAULT_TOML;

    fn plan_with(extra: &str) -> Result<Plan, ScenarioErrors> {
        let text = format!("{NATIONAL_DEFAULT_TOML}\n{extra}");
        Plan::from_toml("x.toml", &text, None)
    }

    #[test]
    fn event_changes_quota_from_its_date() {
        let plan = Plan::new(&Scenario::national_default()).unwrap();
        let may21 = plan
            .scenario
            .run
            .start_date
            .days_until(Date::parse("2025-05-21").unwrap()) as u32;
        let before = &plan.segments[plan.segment_index(may21 - 1)].scenario;
        let after = &plan.segments[plan.segment_index(may21)].scenario;
        assert_eq!(after.quota.national_per_day, 3000.0);
        assert!(before.quota.national_per_day < 3000.0);
    }

    #[test]
    fn temporary_event_reverts_on_until() {
        let plan = plan_with(
            "[[events]]\ndate = 2026-01-05\nuntil = 2026-01-15\nset = { \"offices.DEN.surge_officers\" = 50 }\n",
        )
        .unwrap();
        let start = plan.scenario.run.start_date;
        let d = |s: &str| start.days_until(Date::parse(s).unwrap()) as u32;
        let at = |day: u32| {
            plan.segments[plan.segment_index(day)].scenario.offices["DEN"].surge_officers
        };
        assert_eq!(at(d("2026-01-04")), 0);
        assert_eq!(at(d("2026-01-05")), 50);
        assert_eq!(at(d("2026-01-14")), 50);
        assert_eq!(at(d("2026-01-15")), 0);
    }

    #[test]
    fn unknown_path_is_located_at_the_event() {
        let extra = "[[events]]\ndate = 2026-01-05\nset = { \"quota.national_per_dai\" = 5 }\n";
        let e = plan_with(extra).unwrap_err();
        let text = format!("{NATIONAL_DEFAULT_TOML}\n{extra}");
        let line = text[..text.find("national_per_dai").unwrap()]
            .matches('\n')
            .count()
            + 1;
        assert_eq!(e.0[0].line, Some(line), "{e}");
        assert!(e.0[0].message.contains("unknown parameter path"), "{e}");
    }

    #[test]
    fn out_of_range_value_in_event_is_refused() {
        let e = plan_with(
            "[[events]]\ndate = 2026-01-05\nset = { \"offices.CHI.jail_cooperation\" = 2.0 }\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("a share must lie in [0, 1]"), "{e}");
        assert!(e.to_string().contains("events["), "{e}");
    }

    #[test]
    fn event_outside_the_run_is_refused() {
        let e =
            plan_with("[[events]]\ndate = 2024-01-01\nset = { \"quota.national_per_day\" = 5 }\n")
                .unwrap_err();
        assert!(e.to_string().contains("within the run"), "{e}");
    }

    #[test]
    fn start_only_parameter_is_refused() {
        let e = plan_with("[[events]]\ndate = 2026-01-05\nset = { \"docket.total\" = 5 }\n")
            .unwrap_err();
        assert!(
            e.to_string().contains("cannot be changed by an event"),
            "{e}"
        );
    }

    #[test]
    fn wrong_type_in_event_is_refused() {
        let e = plan_with(
            "[[events]]\ndate = 2026-01-05\nset = { \"capacity.around_the_clock\" = 3 }\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("expected boolean"), "{e}");
    }

    #[test]
    fn shortened_run_drops_later_events() {
        let plan = Plan::with_days(&Scenario::national_default(), Some(30)).unwrap();
        assert!(plan.segments.iter().all(|s| s.first_day < 30));
        assert_eq!(plan.days, 30);
    }
}
