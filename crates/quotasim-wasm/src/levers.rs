//! The dashboard's levers: the scenario parameters a reader can move, what each one
//! holds in a scenario, and how moved levers are written into the scenario's text.
//!
//! A moved lever holds its value for the whole run: it is written as the scenario's
//! base value and the scenario's dated events lose their settings of it (as a sweep
//! holds its varied keys, docs/sweeps.md). The edited text keeps every comment and
//! source of the original and starts with a header listing the changes, so the file a
//! reader downloads runs with `quotasim run FILE` to the same numbers.

use std::collections::BTreeMap;

use quotasim::Plan;
use quotasim::adjust::{Adjust, adjusted, hold_paths};
use quotasim::edit::{Editor, strip_header};
use quotasim::parameters::{self, MAX_DAYS, MAX_SEED};
use quotasim::paths::parameter_path_keys;
use quotasim::reach::Slot;
use quotasim::scenario::Scenario;
use serde::{Deserialize, Serialize};
use toml_edit::Value;

/// What a lever sets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ControlKind {
    /// One number of the scenario, at the lever's id (a dotted path). `min`..`max` is
    /// the slider's span, within the parameter's allowed range (the registry's).
    Number { min: f64, max: f64, step: f64 },
    /// One true/false switch of the scenario, at the lever's id.
    Switch,
    /// A factor on every office's `jail_cooperation` (each result capped at 1).
    JailCooperation { min: f64, max: f64, step: f64 },
}

/// One control of the page. Its unit, meaning and allowed range are the parameter's,
/// from the registry ([`quotasim::parameters`]); a lever adds only where it sits, its
/// label and its slider's span.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Control {
    /// A dotted scenario path, or `jail_cooperation` for the factor.
    pub id: &'static str,
    pub group: &'static str,
    pub label: &'static str,
    #[serde(flatten)]
    pub kind: ControlKind,
}

/// What the page shows of a lever beside its control: unit, meaning, allowed range.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct About {
    pub unit: &'static str,
    pub help: &'static str,
    pub allowed_min: f64,
    pub allowed_max: f64,
}

impl Control {
    /// The lever's unit, meaning and allowed range: the registry's for a parameter.
    pub fn about(&self) -> About {
        match self.kind {
            ControlKind::JailCooperation { min, max, .. } => About {
                unit: "x each office's share",
                help: "A factor on the share of jail releases each office is told of (state law sets the shares; capped at 1).",
                allowed_min: min,
                allowed_max: max,
            },
            _ => {
                let p = parameters::find(self.id)
                    .unwrap_or_else(|| panic!("lever {} names no parameter", self.id));
                About {
                    unit: if p.kind == parameters::ParamKind::Switch {
                        ""
                    } else {
                        p.unit
                    },
                    help: p.meaning,
                    allowed_min: p.min,
                    allowed_max: p.max,
                }
            }
        }
    }
}

const fn number(min: f64, max: f64, step: f64) -> ControlKind {
    ControlKind::Number { min, max, step }
}

const fn lever(
    id: &'static str,
    group: &'static str,
    label: &'static str,
    kind: ControlKind,
) -> Control {
    Control {
        id,
        group,
        label,
        kind,
    }
}

const fn agents(id: &'static str, label: &'static str) -> Control {
    lever(id, "Deputized agencies", label, number(0.0, 5_000.0, 50.0))
}

/// Every lever, in the order the page shows them.
pub const LEVERS: &[Control] = &[
    lever(
        "quota.national_per_day",
        "Quota",
        "National target",
        number(0.0, 5_000.0, 50.0),
    ),
    lever(
        "quota.per_office_per_day",
        "Quota",
        "Quota per field office",
        number(0.0, 300.0, 5.0),
    ),
    lever(
        "quota.penalty_per_missed_arrest",
        "Quota",
        "Accountability penalty",
        number(0.0, 20.0, 0.5),
    ),
    lever(
        "capacity.agencies.ero.agents",
        "Staff",
        "ERO officers",
        number(1_000.0, 15_000.0, 100.0),
    ),
    lever(
        "capacity.agencies.hsi.agents",
        "Staff",
        "HSI agents redirected",
        number(0.0, 6_700.0, 100.0),
    ),
    lever(
        "capacity.around_the_clock",
        "Staff",
        "Around-the-clock work",
        ControlKind::Switch,
    ),
    agents("capacity.agencies.fbi.agents", "FBI agents"),
    agents("capacity.agencies.usms.agents", "U.S. Marshals"),
    agents("capacity.agencies.dea.agents", "DEA agents"),
    agents("capacity.agencies.atf.agents", "ATF agents"),
    agents("capacity.agencies.bop.agents", "Bureau of Prisons officers"),
    lever(
        "channels.sensitive_places.protected",
        "Arrests",
        "Sensitive places protected",
        ControlKind::Switch,
    ),
    lever(
        "jail_cooperation",
        "Arrests",
        "Jail cooperation",
        ControlKind::JailCooperation {
            min: 0.0,
            max: 2.0,
            step: 0.05,
        },
    ),
    lever(
        "detention.beds",
        "Downstream",
        "Funded detention beds",
        number(10_000.0, 150_000.0, 500.0),
    ),
    lever(
        "detention.capacity",
        "Downstream",
        "Detention capacity (people ICE can hold)",
        number(10_000.0, 200_000.0, 500.0),
    ),
    lever(
        "removal.flights_per_day",
        "Downstream",
        "Removal flights a day",
        number(0.0, 50.0, 0.5),
    ),
    lever(
        "removal.capacity_per_day",
        "Downstream",
        "Removals by land and commercial flight a day",
        number(0.0, 5_000.0, 50.0),
    ),
];

/// The lever of an id.
pub fn find(id: &str) -> Option<&'static Control> {
    LEVERS.iter().find(|l| l.id == id)
}

/// A lever's value: a number or a switch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Setting {
    Switch(bool),
    Number(f64),
}

impl std::fmt::Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Setting::Switch(b) => write!(f, "{b}"),
            Setting::Number(x) => write!(f, "{x}"),
        }
    }
}

/// What the page asks for: the run's seed and days, and the levers moved.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub seed: Option<u64>,
    pub days: Option<u32>,
    #[serde(default)]
    pub levers: BTreeMap<String, Setting>,
}

/// One dated change of a lever's parameter in the scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub date: String,
    pub until: Option<String>,
    pub value: String,
    pub note: String,
}

/// A lever as the page shows it for a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    #[serde(flatten)]
    pub lever: Control,
    #[serde(flatten)]
    pub about: About,
    /// The value on the first day.
    pub start: Setting,
    /// The value after the scenario's last dated change (the control's initial value).
    pub value: Setting,
    /// The scenario's dated changes of the parameter.
    pub changes: Vec<Change>,
    /// Where the slider's lowest values cannot run with this scenario (its own events
    /// break a rule there): the smallest value on the track that runs, and the reason
    /// at the track's low end. None where the whole track runs.
    pub runs_from: Option<(f64, String)>,
}

/// The smallest value of a numeric lever's track that the scenario runs with (held
/// for the whole run), and why its low end does not, when it does not: searched by
/// halving between the track's low end and the scenario's own value, to the step.
/// `base` is `text` read ([`describe`] has it at hand).
pub fn runs_from(text: &str, origin: &str, base: &Scenario, l: &Shown) -> Option<(f64, String)> {
    let ControlKind::Number { min, step, .. } = l.lever.kind else {
        return None;
    };
    let Setting::Number(value) = l.value else {
        return None;
    };
    // Whether the scenario runs with the lever held at `v`: the check `apply_planned`
    // makes, on the typed scenario (the path held, its field set, the plan built), so
    // that the search edits and reads no text.
    let id = l.lever.id;
    let runs = |v: f64| {
        let held = hold_paths(base, &[id]);
        adjusted(&held, &[(id, Adjust::Set(v))]).is_ok_and(|s| Plan::new(&s).is_ok())
    };
    if runs(min) || value <= min || !runs(value) {
        return None;
    }
    // Why the low end does not run, in the words of the edited text's check.
    let settings = Settings {
        levers: BTreeMap::from([(id.to_string(), Setting::Number(min))]),
        ..Settings::default()
    };
    let reason = apply_planned(text, origin, &settings).err()?;
    // Invariant: `lo` does not run, `hi` does.
    let (mut lo, mut hi) = (min, value);
    while hi - lo > step {
        let mid = min + (((lo + hi) / 2.0 - min) / step).round() * step;
        if mid <= lo || mid >= hi {
            break;
        }
        if runs(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    // The engine's reason, without the file and key it is located at.
    let why = reason
        .lines()
        .last()
        .map(str::trim)
        .unwrap_or(&reason)
        .to_string();
    Some((hi, why))
}

/// The paths a lever holds in a scenario.
fn paths(l: &Control, s: &Scenario) -> Vec<String> {
    match l.kind {
        ControlKind::JailCooperation { .. } => s
            .offices
            .keys()
            .map(|code| format!("offices.{code}.jail_cooperation"))
            .collect(),
        _ => vec![l.id.to_string()],
    }
}

/// The value at a dotted path of the scenario, as a lever shows it: a switch or a
/// number (reached in its typed field, [`quotasim::reach`]).
fn setting_at(s: &Scenario, path: &str) -> Option<Setting> {
    let mut s = s.clone();
    match s.slot(&parameter_path_keys(path), false).ok()? {
        Slot::Switch(b) => Some(Setting::Switch(*b)),
        slot => slot.number().map(Setting::Number),
    }
}

/// An event's value as a lever shows it.
fn setting(v: &toml::Value) -> Option<Setting> {
    match v {
        toml::Value::Boolean(b) => Some(Setting::Switch(*b)),
        toml::Value::Integer(i) => Some(Setting::Number(*i as f64)),
        toml::Value::Float(x) => Some(Setting::Number(*x)),
        _ => None,
    }
}

/// The levers of a scenario, with their values and dated changes. Errors name a lever
/// whose parameter the scenario does not hold as a number or switch.
pub fn describe(s: &Scenario) -> Result<Vec<Shown>, String> {
    LEVERS
        .iter()
        .map(|l| {
            let (start, value, changes) = match l.kind {
                ControlKind::JailCooperation { .. } => {
                    let changes = s
                        .events
                        .iter()
                        .flat_map(|e| {
                            e.set
                                .iter()
                                .filter(|(k, _)| k.ends_with(".jail_cooperation"))
                                .map(move |(k, v)| change(e, &format!("{k} = {v}")))
                        })
                        .collect();
                    (Setting::Number(1.0), Setting::Number(1.0), changes)
                }
                _ => {
                    let start = setting_at(s, l.id).ok_or_else(|| {
                        format!("lever {}: not a parameter of the scenario", l.id)
                    })?;
                    let mut value = start;
                    let mut changes = Vec::new();
                    for e in &s.events {
                        if let Some(v) = e.set.get(l.id) {
                            let now = setting(v)
                                .ok_or_else(|| format!("lever {}: event value {v}", l.id))?;
                            if e.until.is_none() {
                                value = now;
                            }
                            changes.push(change(e, &now.to_string()));
                        }
                    }
                    (start, value, changes)
                }
            };
            Ok(Shown {
                lever: *l,
                about: l.about(),
                start,
                value,
                changes,
                runs_from: None,
            })
        })
        .collect()
}

fn change(e: &quotasim::scenario::Event, value: &str) -> Change {
    Change {
        date: e.date.to_string(),
        until: e.until.map(|d| d.to_string()),
        value: value.to_string(),
        note: e.note.clone(),
    }
}

const HEADER: &str = "# Made by the quotasim dashboard";

/// The scenario text with the seed, the days and every moved lever written in,
/// comments and sources kept ([`quotasim::edit::Editor`]). `origin` names the text in
/// errors and in the header. A number is allowed anywhere in its parameter's range (the
/// registry's), not only on the slider. The result has been parsed and validated as the
/// command would.
pub fn apply(text: &str, origin: &str, settings: &Settings) -> Result<String, String> {
    apply_planned(text, origin, settings).map(|(text, _)| text)
}

/// As [`apply`], with the plan of the result: the check of the edited text is the
/// plan's, so that a run need not parse and check it again.
pub fn apply_planned(
    text: &str,
    origin: &str,
    settings: &Settings,
) -> Result<(String, Plan), String> {
    let base = Scenario::from_toml(origin, text).map_err(|e| e.to_string())?;
    let mut doc = Editor::open(text, HEADER).map_err(|e| format!("{origin}: {e}"))?;
    if let Some(seed) = settings.seed {
        if seed > MAX_SEED {
            return Err(format!("seed {seed}: allowed 0..={MAX_SEED}"));
        }
        // Written as the integer itself: seeds above 2^53 do not survive an f64.
        doc.set_value("run.seed", Value::from(seed as i64))?;
        doc.note(format!("run.seed = {seed}"));
    }
    if let Some(days) = settings.days {
        if !(1..=MAX_DAYS).contains(&days) {
            return Err(format!("days {days}: allowed 1..={MAX_DAYS}"));
        }
        doc.set_value("run.days", Value::from(i64::from(days)))?;
        doc.note(format!("run.days = {days}"));
        // Events after the end do not happen (as with `quotasim run --days`); a file
        // must not hold them.
        let last = base.run.start_date.plus_days(days - 1);
        let late: Vec<usize> = (0..base.events.len())
            .filter(|&i| base.events[i].date > last)
            .collect();
        if !late.is_empty() {
            doc.remove_events(&late);
            doc.note(format!(
                "{} event(s) dated after the last day, {last}, left out",
                late.len()
            ));
        }
    }
    let mut held = Vec::new();
    for (id, v) in &settings.levers {
        let l = find(id).ok_or_else(|| {
            format!(
                "no lever {id:?}; the levers are {}",
                LEVERS.iter().map(|l| l.id).collect::<Vec<_>>().join(", ")
            )
        })?;
        let about = l.about();
        match (l.kind, v) {
            (ControlKind::Number { .. }, Setting::Number(x)) => {
                check_range(id, *x, about.allowed_min, about.allowed_max)?;
                doc.put_number(id, *x)?;
                doc.note(format!("{id} = {x}, held for the whole run"));
            }
            (ControlKind::Switch, Setting::Switch(b)) => {
                doc.set_value(id, Value::from(*b))?;
                doc.note(format!("{id} = {b}, held for the whole run"));
            }
            (ControlKind::JailCooperation { .. }, Setting::Number(f)) => {
                check_range(id, *f, about.allowed_min, about.allowed_max)?;
                for path in paths(l, &base) {
                    let Some(Setting::Number(old)) = setting_at(&base, &path) else {
                        return Err(format!("{path}: not a number in {origin}"));
                    };
                    let new = (old * f * 10_000.0).round() / 10_000.0;
                    doc.put_number(&path, new.min(1.0))?;
                }
                doc.note(format!(
                    "every office's jail_cooperation x {f} (at most 1), held for the whole run"
                ));
            }
            (_, v) => {
                return Err(format!(
                    "lever {id}: {v} is not a {}",
                    if l.kind == ControlKind::Switch {
                        "switch (true or false)"
                    } else {
                        "number"
                    }
                ));
            }
        }
        held.extend(paths(l, &base));
    }
    doc.hold(&held);
    let out = if doc.is_changed() {
        doc.finish(&format!(
            "from {origin}. Reproduce its numbers with `quotasim run THIS-FILE`."
        ))
    } else {
        strip_header(text, HEADER).to_string()
    };
    let plan = Plan::from_toml(origin, &out, None).map_err(|e| e.to_string())?;
    Ok((out, plan))
}

fn check_range(id: &str, x: f64, min: f64, max: f64) -> Result<(), String> {
    if x.is_finite() && (min..=max).contains(&x) {
        Ok(())
    } else {
        Err(format!("lever {id} = {x}: allowed {min}..={max}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quotasim::scenario::NATIONAL_DEFAULT_NAME;

    fn default_text() -> String {
        quotasim::overlay::national_default().text
    }

    fn default() -> Scenario {
        Scenario::national_default()
    }

    #[test]
    fn levers_show_the_value_after_the_scenarios_last_change() {
        let shown = describe(&default()).unwrap();
        let get = |id: &str| shown.iter().find(|s| s.lever.id == id).unwrap();
        let q = get("quota.per_office_per_day");
        assert_eq!(q.start, Setting::Number(0.0));
        assert_eq!(q.value, Setting::Number(120.0));
        assert_eq!(q.changes.len(), 2);
        assert_eq!(q.changes[0].date, "2025-01-26");
        assert_eq!(get("detention.beds").value, Setting::Number(75_000.0));
        assert_eq!(
            get("channels.sensitive_places.protected").value,
            Setting::Switch(false)
        );
        assert_eq!(shown.len(), LEVERS.len());
    }

    #[test]
    fn a_moved_lever_is_held_for_the_whole_run() {
        let mut settings = Settings {
            seed: Some(7),
            days: Some(90),
            ..Settings::default()
        };
        settings
            .levers
            .insert("quota.per_office_per_day".into(), Setting::Number(40.0));
        settings
            .levers
            .insert("capacity.around_the_clock".into(), Setting::Switch(false));
        settings
            .levers
            .insert("jail_cooperation".into(), Setting::Number(2.0));
        let text = apply(&default_text(), NATIONAL_DEFAULT_NAME, &settings).unwrap();
        let s = Scenario::from_toml("edited", &text).unwrap();
        assert_eq!(s.quota.per_office_per_day, 40.0);
        assert_eq!(s.run.seed, 7);
        assert_eq!(s.run.days, 90);
        assert!(!s.capacity.around_the_clock);
        // No event sets the held parameters any more; the others keep theirs.
        for e in &s.events {
            assert!(!e.set.contains_key("quota.per_office_per_day"));
            assert!(!e.set.contains_key("capacity.around_the_clock"));
        }
        assert!(
            s.events
                .iter()
                .any(|e| e.set.contains_key("quota.national_per_day"))
        );
        // Doubled and capped: Georgia's 0.90 becomes 1, New York's 0.15 becomes 0.3.
        assert_eq!(s.offices["ATL"].jail_cooperation, 1.0);
        assert_eq!(s.offices["BUF"].jail_cooperation, 0.3);
        // Comments and sources survive, and the header says what changed.
        assert!(text.contains("# Made by the quotasim dashboard"));
        assert!(text.contains("quota.per_office_per_day = 40, held for the whole run"));
        assert!(text.contains("detention_funded_beds"));
        // Applying again to the edited text replaces the header instead of stacking it.
        let again = apply(&text, "edited", &settings).unwrap();
        assert_eq!(again.matches("# Made by the quotasim dashboard").count(), 1);
    }

    #[test]
    fn every_lever_takes_unit_meaning_and_range_from_the_registry() {
        for l in LEVERS {
            let a = l.about();
            assert!(!a.help.is_empty(), "{}", l.id);
            if let ControlKind::Number { min, max, .. } = l.kind {
                let p = parameters::find(l.id).unwrap();
                assert_eq!(
                    (a.unit, a.allowed_min, a.allowed_max),
                    (p.unit, p.min, p.max)
                );
                assert!(
                    p.min <= min && max <= p.max,
                    "{}: slider beyond the range",
                    l.id
                );
            }
        }
    }

    #[test]
    fn levers_refuse_values_outside_their_range_and_unknown_ids() {
        let one = |id: &str, v: Setting| {
            let mut s = Settings::default();
            s.levers.insert(id.into(), v);
            apply(&default_text(), NATIONAL_DEFAULT_NAME, &s).unwrap_err()
        };
        // The allowed range is the parameter's (the registry's), wider than the slider.
        let e = one("detention.beds", Setting::Number(-5.0));
        assert!(e.contains("allowed 0..=10000000"), "{e}");
        let mut wide = Settings::default();
        wide.levers
            .insert("detention.beds".into(), Setting::Number(200_000.0));
        let text = apply(&default_text(), NATIONAL_DEFAULT_NAME, &wide).unwrap();
        assert_eq!(
            Scenario::from_toml("x", &text).unwrap().detention.beds,
            200_000
        );
        let e = one("quota.bogus", Setting::Number(1.0));
        assert!(e.contains("no lever \"quota.bogus\""), "{e}");
        let e = one("capacity.around_the_clock", Setting::Number(1.0));
        assert!(e.contains("not a switch"), "{e}");
    }
}
