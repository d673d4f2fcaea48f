//! Every parameter of the registry at its minimum and at its maximum, held for three
//! weeks of the default (its docket scaled down): each is either refused before the
//! run, with a message, or runs to the end with every person accounted for on every
//! day. A value inside its stated range that hangs, panics or loses people fails here.

use std::collections::BTreeSet;

use quotasim::adjust::hold_paths;
use quotasim::parameters::ParamKind;
use quotasim::{Plan, Scenario, run};

const DAYS: u32 = 21;

/// The shipped default with a docket of 60,000 (its classes in proportion), so that
/// a run of three weeks takes milliseconds.
fn base() -> Scenario {
    Scenario::run_default().with_docket(60_000)
}

/// `s` with the number (or switch) at `path` set to `x`, held for the whole run.
fn with(s: &Scenario, path: &str, kind: ParamKind, x: f64) -> Result<Scenario, String> {
    let held = hold_paths(s, &[path]);
    let mut table = match toml::Value::try_from(&held) {
        Ok(toml::Value::Table(t)) => t,
        _ => return Err("not a table".into()),
    };
    let keys: Vec<&str> = path.split('.').collect();
    let mut at = &mut table;
    for k in &keys[..keys.len() - 1] {
        at = at
            .get_mut(*k)
            .and_then(toml::Value::as_table_mut)
            .ok_or_else(|| format!("{path}: no table {k}"))?;
    }
    let last = keys[keys.len() - 1];
    // Of the type the scenario writes it in.
    let value = match (kind, at.get(last)) {
        (ParamKind::Switch, _) | (_, Some(toml::Value::Boolean(_))) => {
            toml::Value::Boolean(x >= 0.5)
        }
        (_, Some(toml::Value::Integer(_))) => toml::Value::Integer(x.min(i64::MAX as f64) as i64),
        _ => toml::Value::Float(x),
    };
    at.insert(last.to_string(), value);
    toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| e.to_string())
}

#[test]
fn every_parameter_at_its_minimum_and_maximum_runs_or_is_refused_and_conserves_people() {
    let base = base();
    let mut seen = BTreeSet::new();
    let (mut ran, mut refused) = (0, 0);
    for v in base.parameter_values() {
        let p = &v.param;
        // Text, dates and choices have no minimum or maximum to try; a path inside a
        // map (an office, a class) is tried once per registry entry.
        if matches!(
            p.kind,
            ParamKind::Text | ParamKind::Date | ParamKind::Choice
        ) || !seen.insert(p.path)
        {
            continue;
        }
        if v.path.starts_with("run.") {
            continue;
        }
        let top = if p.max_open {
            p.max - (p.max - p.min) * 1e-6
        } else {
            p.max
        };
        for x in [p.min, top] {
            let s = match with(&base, &v.path, p.kind, x) {
                Ok(s) => s,
                Err(e) => panic!("{} = {x}: cannot be written: {e}", v.path),
            };
            let plan = match Plan::with_days(&s, Some(DAYS)) {
                Ok(plan) => plan,
                Err(e) => {
                    // Refused up front: the message names what is wrong.
                    assert!(!e.to_string().is_empty(), "{} = {x}", v.path);
                    refused += 1;
                    continue;
                }
            };
            // A run this machine could not hold is refused by the fronts before it
            // starts ([`quotasim::engine::projected_peak_bytes`]).
            if quotasim::engine::projected_peak_bytes(&plan, 1) > 4 << 30 {
                refused += 1;
                continue;
            }
            let r = run(&plan, 7, 0);
            let n = plan.offices.len();
            assert_eq!(r.daily.len(), DAYS as usize * n, "{} = {x}", v.path);
            let start = s.docket.total + s.detention.initial_detained;
            let mut joined = 0;
            for day in r.daily.chunks(n) {
                let mut people = 0;
                for row in day {
                    joined += row.joined + row.identified_at_booking + row.others_joined;
                    people += row.docket_at_large
                        + row.docket_in_jail
                        + row.detained
                        + row.removed_to_date
                        + row.left_to_date;
                    assert!(
                        row.effective_hours_used <= row.effective_hours_available + 1e-9,
                        "{} = {x}: hours used above hours available",
                        v.path
                    );
                }
                assert_eq!(
                    people,
                    start + joined,
                    "{} = {x}: day {}",
                    v.path,
                    day[0].day
                );
            }
            ran += 1;
        }
    }
    // Most extremes run; the rest are refused with a reason.
    eprintln!("{ran} extremes ran, {refused} were refused before the run");
    assert!(ran > 100, "{ran} ran, {refused} refused");
}
