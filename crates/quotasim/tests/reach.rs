//! A dotted path reaches a scenario's typed field (quotasim::reach): the same value,
//! and the same errors, as the path names in the scenario's file.

use quotasim::Scenario;
use quotasim::parameters::{PARAMETERS, expand, value_at};
use quotasim::paths::{lookup, parameter_path_keys};
use quotasim::reach::Slot;

fn table_of(s: &Scenario) -> toml::Table {
    toml::Table::try_from(s).unwrap()
}

#[test]
fn every_parameter_path_reaches_the_value_the_file_holds() {
    for base in [Scenario::run_default(), Scenario::national_default()] {
        let t = table_of(&base);
        let offices: Vec<String> = base.offices.keys().cloned().collect();
        let mut s = base.clone();
        let mut reached = 0;
        for p in PARAMETERS.iter() {
            for path in expand(p.path, &offices) {
                let Some(in_file) = value_at(&t, &path) else {
                    continue;
                };
                let slot = s.slot(&parameter_path_keys(&path), true).unwrap();
                assert_eq!(slot.kind(), in_file.type_str(), "{path}");
                let as_number = match in_file {
                    toml::Value::Float(x) => Some(*x),
                    toml::Value::Integer(i) => Some(*i as f64),
                    toml::Value::Boolean(b) => Some(f64::from(u8::from(*b))),
                    _ => None,
                };
                assert_eq!(slot.number(), as_number, "{path}");
                reached += 1;
            }
        }
        assert!(reached > 150, "{reached} paths reached");
    }
}

#[test]
fn a_path_that_names_nothing_fails_as_in_the_file() {
    let base = Scenario::run_default();
    let mut t = table_of(&base);
    for path in [
        "quota.nonsense",
        "nonsense",
        "detention.stay_days",
        "detention.stay_days.other.more",
        "offices.XYZ.jail_cooperation",
        "capacity.agencies",
        "run.title.x",
        "",
    ] {
        let keys = parameter_path_keys(path);
        for allow_section in [false, true] {
            let mut s = base.clone();
            let typed = s.slot(&keys, allow_section).map(|v| v.kind());
            let in_file = lookup(&mut t, &keys, allow_section).map(|v| v.type_str());
            assert_eq!(typed, in_file, "{path} (sections allowed: {allow_section})");
        }
    }
}

#[test]
fn a_slot_sets_the_field_in_place() {
    let mut s = Scenario::national_default();
    match s
        .slot(&parameter_path_keys("quota.window_days"), false)
        .unwrap()
    {
        Slot::Whole(v) => *v = 45,
        other => panic!("{other:?}"),
    }
    assert_eq!(s.quota.window_days, 45);
    let Slot::Table(t) = s
        .slot(&parameter_path_keys("detention.stay_days"), true)
        .unwrap()
    else {
        panic!("a table")
    };
    let names: Vec<&str> = t.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        names,
        [
            "convicted_other",
            "national_security_gang",
            "other",
            "pending_charges",
            "violent"
        ]
    );
}
