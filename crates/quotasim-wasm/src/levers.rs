//! The dashboard's levers: the scenario parameters a reader can move, what each one
//! holds in a scenario, and how moved levers are written into the scenario's text.
//!
//! A moved lever holds its value for the whole run: it is written as the scenario's
//! base value and the scenario's dated events lose their settings of it (as a sweep
//! holds its varied keys, docs/sweeps.md). The edited text keeps every comment and
//! source of the original and starts with a header listing the changes, so the file a
//! reader downloads runs with `quotasim run FILE` to the same numbers.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use quotasim::paths::parameter_path_keys;
use quotasim::scenario::Scenario;
use serde::{Deserialize, Serialize};
use toml_edit::{DocumentMut, Item, Value};

/// What a lever sets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kind {
    /// One number of the scenario, at the lever's id (a dotted path).
    Number { min: f64, max: f64, step: f64 },
    /// One true/false switch of the scenario, at the lever's id.
    Switch,
    /// A factor on every office's `jail_cooperation` (each result capped at 1).
    JailCooperation { min: f64, max: f64, step: f64 },
}

/// One control of the page.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Lever {
    /// A dotted scenario path, or `jail_cooperation` for the factor.
    pub id: &'static str,
    pub group: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    /// One sentence on what the lever means in the model (docs/model.md).
    pub help: &'static str,
    #[serde(flatten)]
    pub kind: Kind,
}

const fn number(min: f64, max: f64, step: f64) -> Kind {
    Kind::Number { min, max, step }
}

const fn agents(id: &'static str, label: &'static str) -> Lever {
    Lever {
        id,
        group: "Deputized agencies",
        label,
        unit: "agents",
        help: "Agents of the agency deputized for immigration arrests.",
        kind: number(0.0, 5_000.0, 50.0),
    }
}

/// Every lever, in the order the page shows them.
pub const LEVERS: &[Lever] = &[
    Lever {
        id: "quota.national_per_day",
        group: "Quota",
        label: "National target",
        unit: "arrests a day",
        help: "The national daily arrest target (0: none).",
        kind: number(0.0, 5_000.0, 50.0),
    },
    Lever {
        id: "quota.per_office_per_day",
        group: "Quota",
        label: "Quota per field office",
        unit: "arrests a day",
        help: "The daily target each of the 25 field offices is held to (0: none).",
        kind: number(0.0, 300.0, 5.0),
    },
    Lever {
        id: "quota.penalty_per_missed_arrest",
        group: "Quota",
        label: "Accountability penalty",
        unit: "points per arrest short",
        help: "What a manager loses per arrest short of the office quota; a priority arrest is worth 2 to 10 points.",
        kind: number(0.0, 20.0, 0.5),
    },
    Lever {
        id: "capacity.agencies.ero.agents",
        group: "Staff",
        label: "ERO officers",
        unit: "officers",
        help: "ICE Enforcement and Removal Operations officers on enforcement.",
        kind: number(1_000.0, 15_000.0, 100.0),
    },
    Lever {
        id: "capacity.agencies.hsi.agents",
        group: "Staff",
        label: "HSI agents redirected",
        unit: "agents",
        help: "Homeland Security Investigations special agents taken off their own cases for immigration arrests.",
        kind: number(0.0, 6_700.0, 100.0),
    },
    Lever {
        id: "capacity.around_the_clock",
        group: "Staff",
        label: "Around-the-clock work",
        unit: "",
        help: "Longer shifts (the scenario's hours factor) while on.",
        kind: Kind::Switch,
    },
    agents("capacity.agencies.fbi.agents", "FBI agents"),
    agents("capacity.agencies.usms.agents", "U.S. Marshals"),
    agents("capacity.agencies.dea.agents", "DEA agents"),
    agents("capacity.agencies.atf.agents", "ATF agents"),
    agents("capacity.agencies.bop.agents", "Bureau of Prisons officers"),
    Lever {
        id: "channels.sensitive_places.protected",
        group: "Arrests",
        label: "Sensitive places protected",
        unit: "",
        help: "While on, no arrests at schools, hospitals and places of worship; off widens community operations.",
        kind: Kind::Switch,
    },
    Lever {
        id: "jail_cooperation",
        group: "Arrests",
        label: "Jail cooperation",
        unit: "x each office's share",
        help: "A factor on the share of jail releases each office is told of (state law sets the shares; capped at 1).",
        kind: Kind::JailCooperation {
            min: 0.0,
            max: 2.0,
            step: 0.05,
        },
    },
    Lever {
        id: "detention.beds",
        group: "Downstream",
        label: "Detention beds",
        unit: "beds",
        help: "Funded detention beds; book-ins beyond them are released.",
        kind: number(10_000.0, 150_000.0, 500.0),
    },
    Lever {
        id: "removal.capacity_per_day",
        group: "Downstream",
        label: "Removal capacity",
        unit: "removals a day",
        help: "Removals that flights and staff can carry out in a day.",
        kind: number(100.0, 5_000.0, 50.0),
    },
];

/// The lever of an id.
pub fn lever(id: &str) -> Option<&'static Lever> {
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
    pub lever: Lever,
    /// The value on the first day.
    pub start: Setting,
    /// The value after the scenario's last dated change (the control's initial value).
    pub value: Setting,
    /// The scenario's dated changes of the parameter.
    pub changes: Vec<Change>,
}

/// The paths a lever holds in a scenario.
fn paths(l: &Lever, s: &Scenario) -> Vec<String> {
    match l.kind {
        Kind::JailCooperation { .. } => s
            .offices
            .keys()
            .map(|code| format!("offices.{code}.jail_cooperation"))
            .collect(),
        _ => vec![l.id.to_string()],
    }
}

/// The value at a dotted path of the scenario.
fn value_at(table: &toml::Table, path: &str) -> Option<toml::Value> {
    let keys = parameter_path_keys(path);
    let (last, parents) = keys.split_last()?;
    let mut t = table;
    for k in parents {
        t = t.get(k)?.as_table()?;
    }
    t.get(last).cloned()
}

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
    let table = toml::Table::try_from(s).map_err(|e| e.to_string())?;
    LEVERS
        .iter()
        .map(|l| {
            let (start, value, changes) = match l.kind {
                Kind::JailCooperation { .. } => {
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
                    let start = value_at(&table, l.id)
                        .as_ref()
                        .and_then(setting)
                        .ok_or_else(|| {
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
                start,
                value,
                changes,
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
/// comments and sources kept. `origin` names the text in errors and in the header.
/// The result has been parsed and validated as the command would.
pub fn apply(text: &str, origin: &str, settings: &Settings) -> Result<String, String> {
    let base = Scenario::from_toml(origin, text).map_err(|e| e.to_string())?;
    // A file made here before carries the header of those changes: replace it.
    let body = match text.strip_prefix(HEADER) {
        Some(rest) => rest.split_once("\n\n").map_or(text, |(_, body)| body),
        None => text,
    };
    let mut doc: DocumentMut = body
        .parse()
        .map_err(|e| format!("{origin}: not valid TOML: {e}"))?;
    let mut header =
        format!("{HEADER} from {origin}. Reproduce its numbers with `quotasim run THIS-FILE`.\n");
    if let Some(seed) = settings.seed {
        if seed > i64::MAX as u64 {
            return Err(format!("seed {seed}: allowed 0..={}", i64::MAX));
        }
        // Written as the integer itself: seeds above 2^53 do not survive an f64.
        set_item(&mut doc, "run.seed", Value::from(seed as i64))?;
        let _ = writeln!(header, "#   run.seed = {seed}");
    }
    if let Some(days) = settings.days {
        if !(1..=3650).contains(&days) {
            return Err(format!("days {days}: allowed 1..=3650"));
        }
        set_item(&mut doc, "run.days", Value::from(i64::from(days)))?;
        let _ = writeln!(header, "#   run.days = {days}");
        // Events after the end do not happen (as with `quotasim run --days`); a file
        // must not hold them.
        let last = base.run.start_date.plus_days(days - 1);
        let late: Vec<usize> = (0..base.events.len())
            .filter(|&i| base.events[i].date > last)
            .collect();
        if !late.is_empty() {
            if let Some(events) = doc.get_mut("events").and_then(Item::as_array_of_tables_mut) {
                for &i in late.iter().rev() {
                    events.remove(i);
                }
            }
            let _ = writeln!(
                header,
                "#   {} event(s) dated after the last day, {last}, left out",
                late.len()
            );
        }
    }
    let mut held = Vec::new();
    for (id, v) in &settings.levers {
        let l = lever(id).ok_or_else(|| {
            format!(
                "no lever {id:?}; the levers are {}",
                LEVERS.iter().map(|l| l.id).collect::<Vec<_>>().join(", ")
            )
        })?;
        match (l.kind, v) {
            (Kind::Number { min, max, .. }, Setting::Number(x)) => {
                check_range(id, *x, min, max)?;
                put(&mut doc, id, *v)?;
                let _ = writeln!(header, "#   {id} = {x}, held for the whole run");
            }
            (Kind::Switch, Setting::Switch(b)) => {
                put(&mut doc, id, *v)?;
                let _ = writeln!(header, "#   {id} = {b}, held for the whole run");
            }
            (Kind::JailCooperation { min, max, .. }, Setting::Number(f)) => {
                check_range(id, *f, min, max)?;
                let table = toml::Table::try_from(&base).map_err(|e| e.to_string())?;
                for path in paths(l, &base) {
                    let old = value_at(&table, &path).as_ref().and_then(setting);
                    let Some(Setting::Number(old)) = old else {
                        return Err(format!("{path}: not a number in {origin}"));
                    };
                    let new = (old * f * 10_000.0).round() / 10_000.0;
                    put(&mut doc, &path, Setting::Number(new.min(1.0)))?;
                }
                let _ = writeln!(
                    header,
                    "#   every office's jail_cooperation x {f} (at most 1), held for the whole run"
                );
            }
            (_, v) => {
                return Err(format!(
                    "lever {id}: {v} is not a {}",
                    if l.kind == Kind::Switch {
                        "switch (true or false)"
                    } else {
                        "number"
                    }
                ));
            }
        }
        held.extend(paths(l, &base));
    }
    drop_event_settings(&mut doc, &held);
    let out = if settings.levers.is_empty() && settings.seed.is_none() && settings.days.is_none() {
        body.to_string()
    } else {
        format!("{header}\n{doc}")
    };
    Scenario::from_toml(origin, &out).map_err(|e| e.to_string())?;
    Ok(out)
}

fn check_range(id: &str, x: f64, min: f64, max: f64) -> Result<(), String> {
    if x.is_finite() && (min..=max).contains(&x) {
        Ok(())
    } else {
        Err(format!("lever {id} = {x}: allowed {min}..={max}"))
    }
}

/// Writes `v` at `path`, as an integer where the file has one; the value's comment is
/// kept. A key missing from its table is added.
fn put(doc: &mut DocumentMut, path: &str, v: Setting) -> Result<(), String> {
    let keys = parameter_path_keys(path);
    let integer = get_item(doc, &keys).is_some_and(|i| i.as_integer().is_some());
    let value = match v {
        Setting::Switch(b) => Value::from(b),
        Setting::Number(x) if integer => Value::from(x.round() as i64),
        Setting::Number(x) => Value::from(x),
    };
    set_item(doc, path, value)
}

fn get_item<'d>(doc: &'d DocumentMut, keys: &[String]) -> Option<&'d Item> {
    let mut item = doc.as_item();
    for k in keys {
        item = item.get(k.as_str())?;
    }
    Some(item)
}

fn set_item(doc: &mut DocumentMut, path: &str, value: Value) -> Result<(), String> {
    let keys = parameter_path_keys(path);
    let (last, parents) = keys.split_last().ok_or("empty path")?;
    let mut item = doc.as_item_mut();
    for k in parents {
        item = item
            .get_mut(k.as_str())
            .ok_or_else(|| format!("{path}: the file has no table {k:?}"))?;
    }
    let table = item
        .as_table_like_mut()
        .ok_or_else(|| format!("{path}: not inside a table"))?;
    match table.get_mut(last).and_then(Item::as_value_mut) {
        Some(old) => {
            let decor = old.decor().clone();
            *old = value;
            *old.decor_mut() = decor;
        }
        None => {
            table.insert(last, Item::Value(value));
        }
    }
    Ok(())
}

/// Removes the settings of `held` paths from the events; events left with nothing to
/// set are removed.
fn drop_event_settings(doc: &mut DocumentMut, held: &[String]) {
    let Some(events) = doc.get_mut("events").and_then(Item::as_array_of_tables_mut) else {
        return;
    };
    for e in events.iter_mut() {
        if let Some(set) = e.get_mut("set").and_then(|i| i.as_table_like_mut()) {
            for p in held {
                set.remove(p);
            }
        }
    }
    events.retain(|e| {
        e.get("set")
            .and_then(Item::as_table_like)
            .is_none_or(|t| !t.is_empty())
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use quotasim::scenario::{NATIONAL_DEFAULT_NAME, NATIONAL_DEFAULT_TOML};

    fn default() -> Scenario {
        Scenario::from_toml(NATIONAL_DEFAULT_NAME, NATIONAL_DEFAULT_TOML).unwrap()
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
        let text = apply(NATIONAL_DEFAULT_TOML, NATIONAL_DEFAULT_NAME, &settings).unwrap();
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
    fn levers_refuse_values_outside_their_range_and_unknown_ids() {
        let one = |id: &str, v: Setting| {
            let mut s = Settings::default();
            s.levers.insert(id.into(), v);
            apply(NATIONAL_DEFAULT_TOML, NATIONAL_DEFAULT_NAME, &s).unwrap_err()
        };
        let e = one("detention.beds", Setting::Number(-5.0));
        assert!(e.contains("allowed 10000..=150000"), "{e}");
        let e = one("quota.bogus", Setting::Number(1.0));
        assert!(e.contains("no lever \"quota.bogus\""), "{e}");
        let e = one("capacity.around_the_clock", Setting::Number(1.0));
        assert!(e.contains("not a switch"), "{e}");
    }
}
