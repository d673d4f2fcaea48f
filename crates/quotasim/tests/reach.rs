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

#[test]
fn each_segment_holds_the_base_with_the_events_in_force_set() {
    // The schedule sets each event's value in its typed field; the oracle here sets it
    // in the scenario's table. They must agree, field for field, in every shipped
    // scenario (numbers, whole numbers, switches and text among their events).
    for (file, _) in quotasim::overlay::SHIPPED {
        let text = quotasim::overlay::shipped_reader(file).unwrap();
        let s = Scenario::from_toml(file, &text).unwrap();
        let plan = quotasim::Plan::new(&s).unwrap();
        assert!(plan.segments.len() > 1 || s.events.is_empty(), "{file}");
        let mut base = s.clone();
        base.events.clear();
        let table = |s: &Scenario| {
            let mut t = toml::Table::try_from(s).unwrap();
            t.remove("events");
            t.remove("assumptions");
            t
        };
        // A segment is in force from its first day until the next one's (events of the
        // first day replace the base's segment at once).
        let in_force = plan
            .segments
            .iter()
            .zip(plan.segments.iter().skip(1).map(Some).chain([None]))
            .filter(|(seg, next)| next.is_none_or(|n| n.first_day > seg.first_day))
            .map(|(seg, _)| seg);
        for seg in in_force {
            let mut expected = table(&base);
            for e in &s.events {
                let day = s.run.start_date.days_until(e.date);
                let until = e.until.map(|u| s.run.start_date.days_until(u));
                let first = i64::from(seg.first_day);
                if day <= first && until.is_none_or(|u| first < u) {
                    for (k, v) in &e.set {
                        let slot = lookup(&mut expected, &parameter_path_keys(k), false).unwrap();
                        *slot = quotasim::paths::coerce(slot, v).unwrap();
                    }
                }
            }
            assert_eq!(
                table(&seg.scenario),
                expected,
                "{file}, segment from day {}",
                seg.first_day
            );
        }
    }
}
