//! The parameters' reference, `docs/parameters.md`: the registry
//! ([`crate::setup::parameters`]) with each parameter's default as the scenario's types
//! give it.
//!
//! A default is not declared a second time here: it is read off the types by leaving
//! the parameter out of a complete scenario and reading back what deserializing puts
//! in its place. A parameter without a default makes that fail: it is required.

use crate::setup::parameters::{self, PARAMETERS, Param, range_text};
use crate::setup::paths::parameter_path_keys;
use crate::setup::scenario::Scenario;

/// What a scenario that leaves the parameter out gets.
#[derive(Debug, Clone, PartialEq)]
pub enum Default {
    /// Nothing: a scenario must give it (where its table is given at all).
    Required,
    /// Left out, it stays unset (an optional value, or a family with no members).
    Unset,
    /// The value, as TOML writes it; a family's members listed where they differ.
    Value(String),
}

impl Default {
    /// The default as the reference shows it.
    pub fn text(&self) -> String {
        match self {
            Default::Required => "required".into(),
            Default::Unset => "none".into(),
            Default::Value(v) => v.clone(),
        }
    }
}

/// The keys a placeholder stands for, with a sample office for `{office}`.
fn members(placeholder: &str, offices: &[String]) -> Vec<String> {
    let sample: Vec<String> = offices.iter().take(1).cloned().collect();
    parameters::segment_keys(placeholder, &sample)
}

fn scenario_table(s: &Scenario) -> Option<toml::Table> {
    match toml::Value::try_from(s) {
        Ok(toml::Value::Table(t)) => Some(t),
        _ => None,
    }
}

fn at<'t>(table: &'t toml::Table, keys: &[String]) -> Option<&'t toml::Value> {
    parameters::value_at(table, &keys.join("."))
}

/// The default of one registry entry, read off `full`, a scenario that gives every
/// table (the fronts' default).
pub fn default_of(param: &Param, full: &Scenario) -> Default {
    let Some(table) = scenario_table(full) else {
        return Default::Unset;
    };
    // Sample keys stand for a placeholder inside the path.
    let offices: Vec<String> = full.offices.keys().cloned().collect();
    let segments: Vec<&str> = param.path.split('.').collect();
    // A family whose last segment is the placeholder is left out whole (its members
    // default together); any other placeholder is one sample key.
    let family = segments.last().is_some_and(|s| s.starts_with('{'));
    let mut keys = Vec::new();
    for s in &segments[..segments.len() - usize::from(family)] {
        if s.starts_with('{') {
            match members(s, &offices).into_iter().next() {
                Some(k) => keys.push(k),
                None => return Default::Unset,
            }
        } else {
            keys.push(s.to_string());
        }
    }
    let Some(default) = read_back(&table, &keys, keys.len(), family, &segments) else {
        // A member of a small table (`channels.findability_case.final_order`): required
        // where the table is given; the table left out, it may default whole.
        if keys.len() > 2
            && let Some(Default::Value(v)) =
                read_back(&table, &keys, keys.len() - 1, family, &segments)
        {
            return Default::Value(format!("{v} (its table left out; required in it)"));
        }
        return Default::Required;
    };
    default
}

/// What deserializing puts at `keys` once the first `cut` of them are left out of
/// `table`; `None` when the scenario is then refused (the parameter is required).
fn read_back(
    table: &toml::Table,
    keys: &[String],
    cut: usize,
    family: bool,
    segments: &[&str],
) -> Option<Default> {
    let mut left_out = table.clone();
    let (leaf, parents) = keys[..cut].split_last()?;
    let parent = parents
        .iter()
        .try_fold(&mut left_out, |t, k| t.get_mut(k)?.as_table_mut());
    if parent.and_then(|t| t.remove(leaf)).is_none() {
        return Some(Default::Unset);
    }
    let back = toml::Value::Table(left_out).try_into::<Scenario>().ok()?;
    let Some(back) = scenario_table(&back) else {
        return Some(Default::Unset);
    };
    Some(match at(&back, keys) {
        None => Default::Unset,
        Some(toml::Value::Table(t)) if family => {
            let placeholder = segments.last().copied().unwrap_or_default();
            let values: Vec<(String, String)> = members(placeholder, &[])
                .into_iter()
                .filter_map(|k| t.get(&k).map(|v| (k, v.to_string())))
                .collect();
            match values.first() {
                None => Default::Unset,
                Some((_, first)) if values.iter().all(|(_, v)| v == first) => {
                    Default::Value(format!("{first} each"))
                }
                Some(_) => Default::Value(
                    values
                        .iter()
                        .map(|(k, v)| format!("{k} {v}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            }
        }
        Some(v) => Default::Value(v.to_string()),
    })
}

/// The default of the entry matching a concrete dotted path, if any.
pub fn default_at(path: &str) -> Option<Default> {
    let keys = parameter_path_keys(path);
    let param = parameters::find(&keys.join("."))?;
    Some(default_of(param, &Scenario::run_default()))
}

/// `docs/parameters.md`: every parameter with its unit, range, default, kind and
/// meaning. A test fails when the file in the repository differs (regenerate it with
/// `quotasim scenario params --markdown > docs/parameters.md`).
pub fn markdown() -> String {
    let full = Scenario::run_default();
    let mut s = String::from(
        "# Parameters\n\n\
         Every parameter of a scenario, declared once in the model's registry\n\
         (`crates/quotasim/src/setup/parameters.rs`), which validation, the dashboard, the Python\n\
         package (`quotasim.parameters()`) and `quotasim scenario params` all read. This file\n\
         is generated from it (`quotasim scenario params --markdown > docs/parameters.md`);\n\
         a test fails when it is stale. Values and their sources are in the scenario files\n\
         (`quotasim scenario show --resolved FILE`).\n\n\
         The default is what a scenario that leaves the parameter out gets, read off the\n\
         scenario's types (`crates/quotasim/src/setup/reference.rs`): \"required\" where a\n\
         scenario giving the parameter's table must give it, \"none\" where it stays unset.\n\n\
         `{class}` stands for each priority class (national_security_gang, violent,\n\
         convicted_other, pending_charges, other), `{agency}` for each agency (ero, hsi, fbi,\n\
         usms, dea, atf, bop, cbp), `{cost}` for each unit cost of `[costs]`, `{office}` for each field office code. \"Start\" marks a\n\
         parameter that describes the start of the run: events cannot change it.\n\n\
         | path | kind | unit | range | default | meaning |\n|---|---|---|---|---|---|\n",
    );
    for p in PARAMETERS.iter() {
        let start = if p.in_events { "" } else { " Start." };
        let default = default_of(p, &full).text();
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {}{} |\n",
            p.path,
            p.kind.key(),
            p.unit.replace('|', "\\|"),
            range_text(p).replace('|', "\\|"),
            default.replace('|', "\\|"),
            p.meaning.replace('|', "\\|"),
            start
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default(path: &str) -> Default {
        default_at(path).expect("a registry entry")
    }

    #[test]
    fn defaults_are_read_off_the_scenario_types() {
        assert_eq!(default("quota.window_days"), Default::Value("30".into()));
        assert_eq!(
            default("quota.ranking_bottom_share"),
            Default::Value("0.1".into())
        );
        assert_eq!(
            default("removal.expedited_stay_days"),
            Default::Value("14.0".into())
        );
        assert_eq!(default("quota.national_per_day"), Default::Required);
        assert_eq!(default("run.title"), Default::Unset);
        assert_eq!(
            default("detention.bookin_share.other"),
            Default::Value("1.0 each".into())
        );
        assert_eq!(
            default("capacity.agencies.hsi.recruits"),
            Default::Value("0".into())
        );
        assert_eq!(default("offices.CHI.jail_cooperation"), Default::Required);
    }
}
