//! Dated policy events (docs/model.md 7.10, "Scenario, parameters and events").
//!
//! An event sets parameters, named by dotted path, from its date on; with `until`, they
//! return on that date to the values they had before. The schedule turns the scenario
//! into segments: from each segment's first day on, the whole parameter set is that
//! segment's scenario. Every segment is validated like the base scenario, and a problem
//! is reported at the event that caused it.

use crate::setup::paths::{coerce, lookup, parameter_path_keys};
use crate::setup::reach::{self, Reach, Slot};
use crate::setup::scenario::{Date, Scenario};
use crate::setup::source::Problem;

/// The parameters in force from `first_day` (0-based, day 0 = `run.start_date`).
#[derive(Debug, Clone)]
pub struct Segment {
    pub first_day: u32,
    pub scenario: Scenario,
}

/// One event's setting of one key: in force from `day` until `until` (exclusive).
#[derive(Debug, Clone)]
struct Setting {
    day: u32,
    until: Option<u32>,
    /// Place in the list: (event, key within the event), for the later-wins rule.
    order: (usize, usize),
    /// The key as written, its keys, and its path written one way (`a.b`, however it
    /// was quoted), split once.
    key: String,
    keys: Vec<String>,
    whole: String,
    /// The same number for every setting of one path (`whole`), so that the settings of
    /// a path are found without comparing text.
    path_id: usize,
    value: toml::Value,
    /// Its registry entry and that entry's place (none for a path the registry does
    /// not know, refused when the value is checked against the base).
    param: Option<(usize, &'static crate::setup::declare::Param)>,
}

impl Setting {
    fn in_force(&self, day: u32) -> bool {
        self.day <= day && self.until.is_none_or(|u| day < u)
    }
}

/// Builds the parameter segments of a scenario's events, validating each: the values
/// an event sets against their ranges, and every segment against the rules that tie
/// parameters together. The scenario itself must have been validated (as
/// [`crate::Plan::new`] and the loader do before they call this).
///
/// The rule: on any day, a key takes the value of the most recent event in force that
/// sets it (the latest date; events on one date may not set the same key). An event
/// with `until` stops being in force on that date, so the key returns to the value of
/// the event in force before it, or to the scenario's own value; a later event's value
/// is never undone by an earlier event's `until`.
///
/// Four steps, each refusing what it finds before the next: the events' settings read
/// ([`read_settings`]), some agents somewhere ([`check_some_agents`]), each value
/// against the type of the value it replaces ([`Segments::new`]), then the segments,
/// one for each day on which something starts or stops ([`Segments::advance`]).
pub fn schedule(scenario: &Scenario) -> Result<Vec<Segment>, Vec<Problem>> {
    let settings = read_settings(scenario)?;
    check_some_agents(scenario, &settings)?;
    let (mut builder, base) = Segments::new(scenario, settings)?;
    // The days on which something starts or stops being in force.
    let mut days: Vec<u32> = builder
        .settings
        .iter()
        .flat_map(|s| std::iter::once(s.day).chain(s.until))
        .collect();
    days.sort_unstable();
    days.dedup();
    let mut segments = vec![Segment {
        first_day: 0,
        scenario: base,
    }];
    for day in days {
        builder.advance(day, &mut segments)?;
    }
    Ok(segments)
}

/// Where an event's setting is written: `events[i].set."key"`.
fn ev_path(i: usize, key: &str) -> String {
    format!("events[{i}].set.{key:?}")
}

/// A problem at `path` with no related places.
fn problem(path: String, value: String, message: String) -> Problem {
    Problem {
        path,
        value,
        message,
        related: Vec::new(),
    }
}

/// The events' settings, in the order written: refused are events out of date order or
/// outside the run, an `until` not after its date, an event that sets nothing, a key
/// that describes the start of the run, and two events of one date setting one key.
fn read_settings(scenario: &Scenario) -> Result<Vec<Setting>, Vec<Problem>> {
    let mut problems = Vec::new();
    let run = &scenario.run;
    let end = run.start_date.plus_days(run.days);
    let mut settings: Vec<Setting> = Vec::new();
    let mut path_ids: std::collections::HashMap<String, usize> = Default::default();
    for (i, e) in scenario.events.iter().enumerate() {
        if i > 0 && e.date < scenario.events[i - 1].date {
            problems.push(problem(
                format!("events[{i}].date"),
                e.date.to_string(),
                format!(
                    "events must be listed in date order; the one before is dated {}",
                    scenario.events[i - 1].date
                ),
            ));
        }
        if e.date < run.start_date || e.date >= end {
            problems.push(problem(
                format!("events[{i}].date"),
                e.date.to_string(),
                format!(
                    "an event's date must lie within the run, {} to {}",
                    run.start_date,
                    end.plus_days(0).0.pred_opt().map(Date).unwrap_or(end)
                ),
            ));
            continue;
        }
        if let Some(u) = e.until
            && u <= e.date
        {
            problems.push(problem(
                format!("events[{i}].until"),
                u.to_string(),
                format!("`until` must come after the event's date {}", e.date),
            ));
            continue;
        }
        if e.set.is_empty() {
            problems.push(problem(
                format!("events[{i}].set"),
                String::new(),
                "an event must set at least one parameter, e.g. set = { \"quota.national_per_day\" = 3000 }".into(),
            ));
        }
        let day = run.start_date.days_until(e.date) as u32;
        for (j, (key, value)) in e.set.iter().enumerate() {
            let keys = parameter_path_keys(key);
            let whole = keys.join(".");
            // The registry says which parameters describe the start of the run.
            let param = crate::setup::parameters::find_indexed(&whole);
            let start_only = param.is_some_and(|(_, p)| !p.in_events);
            if start_only
                || keys
                    .first()
                    .is_some_and(|k| k == "events" || k == "assumptions")
            {
                problems.push(problem(
                    ev_path(i, key),
                    value.to_string(),
                    format!(
                        "`{whole}` describes the start of the run and cannot be changed by an event"
                    ),
                ));
                continue;
            }
            // Two events of one date setting one key: which should win is not said.
            let next_id = path_ids.len();
            let path_id = *path_ids.entry(whole.clone()).or_insert(next_id);
            if let Some(other) = settings
                .iter()
                .find(|s| s.day == day && s.path_id == path_id)
            {
                let (k, _) = other.order;
                let message = format!(
                    "events[{k}] and events[{i}] both set `{whole}` on {}: give the key one value on a date (join the two settings in one event)",
                    e.date
                );
                for (ev, ev_key) in [(k, other.key.clone()), (i, key.clone())] {
                    problems.push(problem(
                        ev_path(ev, &ev_key),
                        String::new(),
                        message.clone(),
                    ));
                }
                continue;
            }
            let until = e
                .until
                .map(|u| run.start_date.days_until(u))
                .and_then(|u| u32::try_from(u).ok());
            settings.push(Setting {
                day,
                until,
                order: (i, j),
                key: key.clone(),
                keys,
                whole,
                path_id,
                value: value.clone(),
                param,
            });
        }
    }
    if problems.is_empty() {
        Ok(settings)
    } else {
        Err(problems)
    }
}

/// No agents at the start is a scenario only when some event brings agents later.
fn check_some_agents(scenario: &Scenario, settings: &[Setting]) -> Result<(), Vec<Problem>> {
    let adds_agents = settings.iter().any(|s| {
        let keys = &s.keys;
        keys.len() == 4
            && keys[..2] == ["capacity", "agencies"]
            && keys[3] == "agents"
            && (s.value.as_integer().unwrap_or(0) > 0 || s.value.as_float().unwrap_or(0.0) > 0.0)
    });
    let none_at_start = crate::types::Agency::ALL
        .iter()
        .all(|a| scenario.capacity.agencies.get(*a).agents == 0);
    if adds_agents || !none_at_start {
        return Ok(());
    }
    Err(vec![problem(
        "capacity.agencies".into(),
        "0".into(),
        "no agents at all: every agency has 0 agents and no event adds any, so no arrest can be made in the run; give at least one agency agents (e.g. capacity.agencies.ero.agents = 5500)".into(),
    )])
}

/// The segments being built, day by day: the scenario in force kept beside its table
/// (each value an event sets is set in its typed field too, [`crate::setup::reach`], so
/// that a segment's scenario need not be read back from the table).
struct Segments {
    settings: Vec<Setting>,
    /// The settings of each path, by `path_id`: their places in `settings`.
    of_path: Vec<Vec<usize>>,
    /// The scenario in force, and its table.
    current: Scenario,
    table: toml::Table,
    /// A copy of the base's table, where values are looked up (a lookup that finds its
    /// key changes nothing).
    probe: toml::Table,
    /// The event in force for each key set by one: (key, event, key as written).
    in_force: Vec<(String, usize, String)>,
}

impl Segments {
    /// The base's table, and each setting's value checked against the type of the
    /// value it replaces there (an integer where a number is wanted becomes one); with
    /// the scenario without its events, the first segment's.
    fn new(
        scenario: &Scenario,
        mut settings: Vec<Setting>,
    ) -> Result<(Segments, Scenario), Vec<Problem>> {
        let mut base = scenario.clone();
        base.events.clear();
        let Ok(toml::Value::Table(mut table)) = toml::Value::try_from(&base) else {
            return Err(vec![problem(
                "run.seed".into(),
                scenario.run.seed.to_string(),
                format!(
                    "the scenario cannot be written as TOML; a seed must lie in [0, {}]",
                    crate::setup::parameters::MAX_SEED
                ),
            )]);
        };
        table.remove("events");
        table.remove("assumptions");
        let mut probe = table.clone();
        let mut problems = Vec::new();
        for s in &mut settings {
            let checked =
                lookup(&mut probe, &s.keys, false).and_then(|slot| coerce(slot, &s.value));
            match checked {
                Ok(v) => s.value = v,
                Err(error) => problems.push(problem(
                    ev_path(s.order.0, &s.key),
                    // A value of the wrong type is shown; a path that names nothing has none.
                    if matches!(error, crate::setup::paths::PathError::Type { .. }) {
                        s.value.to_string()
                    } else {
                        String::new()
                    },
                    error.to_string(),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut current = base.clone();
        current.assumptions.clear();
        let mut of_path: Vec<Vec<usize>> = Vec::new();
        for (i, s) in settings.iter().enumerate() {
            if of_path.len() <= s.path_id {
                of_path.resize(s.path_id + 1, Vec::new());
            }
            of_path[s.path_id].push(i);
        }
        let segments = Segments {
            settings,
            of_path,
            current,
            table,
            probe,
            in_force: Vec::new(),
        };
        Ok((segments, base))
    }

    /// Adds to `segments` the scenario in force from `day`, a day on which some setting
    /// starts or stops: each key touched takes the value of the latest event in force
    /// that sets it (or the base's), is range-checked (a segment differs from the one
    /// before only there; the base's values were checked before the schedule), and the
    /// whole is held to the rules that tie parameters together. A problem is reported
    /// at the event that set the value. (The segment is pushed here rather than
    /// returned: a scenario is large, and moving it out through a `Result` cost a sixth
    /// of the plan's time.)
    fn advance(&mut self, day: u32, segments: &mut Vec<Segment>) -> Result<(), Vec<Problem>> {
        // Which event sets each key touched today (for locating a problem).
        let mut by: Vec<(String, usize, String)> = Vec::new();
        // The first value set today that its typed field could not take: (event, key as
        // written, value).
        let mut not_taken: Option<(usize, String, String)> = None;
        // Values set today outside their range, by the registry entry's place.
        let mut out_of_range: Vec<(usize, Problem)> = Vec::new();
        let mut fields = self.current.reach().expect("a scenario is a table");
        let mut touched: Vec<&Setting> = self
            .settings
            .iter()
            .filter(|s| s.day == day || s.until == Some(day))
            .collect();
        touched.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        touched.dedup_by(|a, b| a.key == b.key);
        for t in touched {
            let (keys, whole) = (&t.keys, t.whole.clone());
            let winner = self.of_path[t.path_id]
                .iter()
                .map(|&i| &self.settings[i])
                .filter(|s| s.in_force(day))
                .max_by_key(|s| (s.day, s.order));
            let value = match winner {
                Some(s) => s.value.clone(),
                // Back to the base value (an event's `until` has passed).
                None => lookup(&mut self.probe, keys, false)
                    .expect("checked against the base above")
                    .clone(),
            };
            if !put(&mut fields, keys, &value) && not_taken.is_none() {
                let (ev, key) = winner.map_or((t.order.0, &t.key), |s| (s.order.0, &s.key));
                not_taken = Some((ev, key.clone(), value.to_string()));
            }
            if let Some((at, param)) = t.param
                && let Some(p) = crate::setup::parameters::check(param, &whole, &value)
            {
                out_of_range.push((at, p));
            }
            *lookup(&mut self.table, keys, false).expect("checked against the base above") = value;
            self.in_force.retain(|(k, _, _)| *k != whole);
            if let Some(s) = winner {
                by.push((whole.clone(), s.order.0, s.key.clone()));
                self.in_force.push((whole, s.order.0, s.key.clone()));
            }
        }
        drop(fields);
        // A value its field cannot take (a date not written YYYY-MM-DD, a word not among
        // the choices) is read back from the table, for the reason in its words.
        if let Some((ev, key, value)) = not_taken {
            match toml::Value::Table(self.table.clone()).try_into::<Scenario>() {
                Ok(s) => self.current = s,
                Err(e) => {
                    return Err(vec![problem(
                        ev_path(ev, &key),
                        value,
                        crate::setup::source::plain_words(e.message().trim()),
                    )]);
                }
            }
        }
        // The registry's order, as a whole scenario's check reports them; then the
        // rules that tie parameters together.
        out_of_range.sort_by_key(|(at, _)| *at);
        let problems: Vec<Problem> = out_of_range
            .into_iter()
            .map(|(_, p)| p)
            .chain(self.current.combinations())
            .map(|p| self.locate(p, &by))
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        segments.push(Segment {
            first_day: day,
            scenario: self.current.clone(),
        });
        Ok(())
    }

    /// A problem of a segment, reported where the event that caused it set the value:
    /// keys set today first (`by`), then those set earlier and still in force.
    fn locate(&self, p: Problem, by: &[(String, usize, String)]) -> Problem {
        let found = by
            .iter()
            .rev()
            .chain(self.in_force.iter().rev())
            .find(|(path, _, _)| p.path == *path || p.path.starts_with(&format!("{path}.")));
        match found {
            Some((_, ev, key)) => Problem {
                path: ev_path(*ev, key),
                value: p.value,
                message: format!("{}: {}", p.path, p.message),
                related: p.related,
            },
            None => p,
        }
    }
}

/// Sets the typed field at `keys` to an event's value, already checked against the type
/// of the value it replaces; false where the field cannot take it.
fn put(fields: &mut Slot<'_>, keys: &[String], value: &toml::Value) -> bool {
    use toml::Value as V;
    match (reach::at_mut(fields, keys), value) {
        (Some(Slot::Real(x)), V::Float(v)) => **x = *v,
        (Some(Slot::Whole(x)), V::Integer(v)) => match u32::try_from(*v) {
            Ok(v) => **x = v,
            Err(_) => return false,
        },
        (Some(Slot::Large(x)), V::Integer(v)) => match u64::try_from(*v) {
            Ok(v) => **x = v,
            Err(_) => return false,
        },
        (Some(Slot::Switch(x)), V::Boolean(v)) => **x = *v,
        (Some(Slot::Text(x)), V::String(v)) => return x.set_text(v),
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Plan;
    use crate::setup::source::ScenarioErrors;

    fn plan_with(extra: &str) -> Result<Plan, ScenarioErrors> {
        let text = format!(
            "{}\n{extra}",
            crate::setup::overlay::national_default().text
        );
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
            "[[events]]\ndate = 2026-01-14\nuntil = 2026-01-18\nset = { \"offices.DEN.surge_officers\" = 50 }\n",
        )
        .unwrap();
        let start = plan.scenario.run.start_date;
        let d = |s: &str| start.days_until(Date::parse(s).unwrap()) as u32;
        let at = |day: u32| {
            plan.segments[plan.segment_index(day)].scenario.offices["DEN"].surge_officers
        };
        assert_eq!(at(d("2026-01-13")), 0);
        assert_eq!(at(d("2026-01-14")), 50);
        assert_eq!(at(d("2026-01-17")), 50);
        assert_eq!(at(d("2026-01-18")), 0);
    }

    #[test]
    fn unknown_path_is_located_at_the_event() {
        let extra = "[[events]]\ndate = 2026-01-14\nset = { \"quota.national_per_dai\" = 5 }\n";
        let e = plan_with(extra).unwrap_err();
        let text = format!(
            "{}\n{extra}",
            crate::setup::overlay::national_default().text
        );
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
            "[[events]]\ndate = 2026-01-14\nset = { \"offices.CHI.jail_cooperation\" = 2.0 }\n",
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
        let e = plan_with("[[events]]\ndate = 2026-01-14\nset = { \"docket.total\" = 5 }\n")
            .unwrap_err();
        assert!(
            e.to_string().contains("cannot be changed by an event"),
            "{e}"
        );
    }

    #[test]
    fn wrong_type_in_event_is_refused() {
        let e = plan_with(
            "[[events]]\ndate = 2026-01-14\nset = { \"capacity.around_the_clock\" = 3 }\n",
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

    #[test]
    fn an_event_sets_a_choice_and_a_word_not_among_them_is_refused_at_it() {
        let event = |word: &str| {
            format!(
                "[[events]]\ndate = 2026-01-14\nset = {{ \"detention.over_capacity\" = \"{word}\" }}\n"
            )
        };
        let plan = plan_with(&event("hold")).unwrap();
        let last = &plan.segments.last().unwrap().scenario;
        assert_eq!(
            last.detention.over_capacity,
            crate::setup::parameters::OverCapacity::Hold
        );
        let e = plan_with(&event("keep")).unwrap_err().to_string();
        assert!(e.contains("events[") && e.contains("keep"), "{e}");
        // Refused at its own key, not at another the event sets that day.
        let two = "[[events]]\ndate = 2026-01-14\nset = { \"detention.over_capacity\" = \"keep\", \"removal.flights_per_day\" = 8.0 }\n";
        let e = plan_with(two).unwrap_err();
        let p = &e.0[0];
        assert!(
            p.key
                .as_deref()
                .is_some_and(|k| k.ends_with(".set.\"detention.over_capacity\"")),
            "{e}"
        );
        assert_eq!(p.value.as_deref(), Some("\"keep\""), "{e}");
    }
}
