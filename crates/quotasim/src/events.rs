//! Dated policy events (docs/model.md 7.9, "Scenario, parameters and events").
//!
//! An event sets parameters, named by dotted path, from its date on; with `until`, they
//! return on that date to the values they had before. The schedule turns the scenario
//! into segments: from each segment's first day on, the whole parameter set is that
//! segment's scenario. Every segment is validated like the base scenario, and a problem
//! is reported at the event that caused it.

use crate::paths::{coerce, lookup, parameter_path_keys};
use crate::scenario::{Date, Scenario};
use crate::source::Problem;

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
    // No agents at the start is a scenario only when some event brings agents later.
    let adds_agents = changes.iter().any(|c| {
        let keys = parameter_path_keys(&c.key);
        keys.len() == 4
            && keys[..2] == ["capacity", "agencies"]
            && keys[3] == "agents"
            && matches!(&c.action, Action::Set { value } if value.as_integer().unwrap_or(0) > 0 || value.as_float().unwrap_or(0.0) > 0.0)
    });
    if !adds_agents
        && crate::Agency::ALL
            .iter()
            .all(|a| scenario.capacity.agencies.get(*a).agents == 0)
    {
        return Err(vec![Problem {
            path: "capacity.agencies".into(),
            value: "0".into(),
            message: "no agents at all: every agency has 0 agents and no event adds any, so no arrest can be made in the run; give at least one agency agents (e.g. capacity.agencies.ero.agents = 5500)".into(),
        }]);
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Plan;
    use crate::source::ScenarioErrors;

    fn plan_with(extra: &str) -> Result<Plan, ScenarioErrors> {
        let text = format!("{}\n{extra}", crate::overlay::national_default().text);
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
        let text = format!("{}\n{extra}", crate::overlay::national_default().text);
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
