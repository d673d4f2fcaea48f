//! How scenarios and their events are read: the rules that a hostile reading found
//! broken, each held by a test named after the behaviour.

use quotasim::overlay;
use quotasim::scenario::{OverCapacity, Scenario};
use quotasim::{Plan, ScenarioErrors};

/// The built-in default merged onto its base: a whole scenario.
fn default_text() -> String {
    overlay::national_default().text
}

fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap_or_else(|| panic!("no {needle:?}"))]
        .matches('\n')
        .count()
        + 1
}

fn with_events(extra: &str) -> Result<Scenario, ScenarioErrors> {
    Scenario::from_toml("x.toml", &format!("{}\n{extra}", default_text()))
}

#[test]
fn seed_beyond_two_to_the_63_is_refused_with_its_range() {
    let mut s = Scenario::national_default();
    s.run.seed = 1 << 63;
    let problems = s.validate();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, "run.seed");
    assert!(
        problems[0].message.contains("9223372036854775807"),
        "{problems:?}"
    );
    s.run.seed = (1 << 63) - 1;
    assert!(s.validate().is_empty());
}

#[test]
fn surge_beyond_half_the_officers_is_shown_at_the_event_that_sets_it() {
    let text = default_text().replacen("agents = 5_500", "agents = 300", 1);
    let e = Scenario::from_toml("x.toml", &text).unwrap_err();
    let e = &e.0[0];
    let line = line_of(&text, "set = { \"offices.CHI.surge_officers\" = 200 }");
    // The event's index: the `[[events]]` tables above its line, counted from 0.
    let index = text
        .lines()
        .take(line)
        .filter(|l| l.trim() == "[[events]]")
        .count()
        - 1;
    assert_eq!(
        e.key.as_deref(),
        Some(format!("events[{index}].set.\"offices.CHI.surge_officers\"").as_str())
    );
    assert_eq!(e.line, Some(line));
    assert!(e.message.contains("must not exceed half"), "{e}");
}

#[test]
fn no_agents_at_the_start_is_accepted_when_events_add_them() {
    let mut s = Scenario::national_default();
    s.capacity.agencies.ero.agents = 0;
    // No ERO officers to move in a surge (the surges are taken out); the default's events deputize FBI, USMS, DEA,
    // ATF and BOP agents from 2025-01-23 and redirect HSI agents from 2025-01-28.
    s.events
        .retain(|e| !e.set.keys().any(|k| k.ends_with(".surge_officers")));
    s.events
        .retain(|e| !e.set.contains_key("capacity.agencies.ero.agents"));
    Plan::new(&s).expect("agents come with the events");
    s.events.clear();
    let e = Plan::new(&s).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("no agents at all"), "{msg}");
    assert!(msg.contains("no event adds any"), "{msg}");
}

#[test]
fn release_holds_no_one_above_the_beds_even_from_the_start() {
    let mut s = Scenario::national_default();
    s.detention.over_capacity = OverCapacity::Release;
    s.detention.beds = 20_000; // half the 39,282 detained at the start
    s.detention.capacity = 0; // the funded beds are the capacity
    s.events.retain(|e| {
        !e.set
            .keys()
            .any(|k| k == "detention.beds" || k == "detention.capacity")
    });
    let plan = Plan::with_days(&s, Some(30)).unwrap();
    let run = quotasim::run(&plan, 4, 0);
    for row in run.daily.iter().filter(|r| r.office == 0) {
        assert!(
            row.national_detained <= 20_000,
            "day {}: {} detained in 20,000 beds",
            row.day,
            row.national_detained
        );
    }
    assert_eq!(run.summary.num("over_capacity_days"), Some(0.0));
    // Holding over capacity keeps them, and counts the days.
    s.detention.over_capacity = OverCapacity::Hold;
    let plan = Plan::with_days(&s, Some(30)).unwrap();
    let held = quotasim::run(&plan, 4, 0);
    assert_eq!(held.summary.num("over_capacity_days"), Some(30.0));
}

#[test]
fn two_events_setting_one_key_on_one_date_are_refused_naming_both() {
    let extra = "[[events]]\ndate = 2026-01-14\nset = { \"quota.penalty_per_missed_arrest\" = 7.25 }\n\n[[events]]\ndate = 2026-01-14\nnote = \"the second\"\nset = { \"quota.penalty_per_missed_arrest\" = 9.25 }\n";
    let text = format!("{}\n{extra}", default_text());
    let e = Scenario::from_toml("x.toml", &text).unwrap_err();
    assert_eq!(e.0.len(), 2, "{e}");
    let first = line_of(&text, "= 7.25 }");
    let second = line_of(&text, "= 9.25 }");
    assert_eq!(e.0[0].line, Some(first), "{e}");
    assert_eq!(e.0[1].line, Some(second), "{e}");
    assert!(
        e.0[0]
            .message
            .contains("both set `quota.penalty_per_missed_arrest` on 2026-01-14")
    );
}

#[test]
fn until_does_not_undo_a_later_events_value() {
    let s = with_events(
        "[[events]]\ndate = 2026-01-14\nuntil = 2026-01-19\nset = { \"offices.DEN.surge_officers\" = 50 }\n\n[[events]]\ndate = 2026-01-16\nset = { \"offices.DEN.surge_officers\" = 80 }\n\n[[events]]\ndate = 2026-01-17\nuntil = 2026-01-18\nset = { \"offices.DEN.surge_officers\" = 90 }\n",
    )
    .unwrap();
    let plan = Plan::new(&s).unwrap();
    let start = plan.scenario.run.start_date;
    let at = |date: &str| {
        let day = start.days_until(quotasim::scenario::Date::parse(date).unwrap()) as u32;
        plan.segments[plan.segment_index(day)].scenario.offices["DEN"].surge_officers
    };
    assert_eq!(at("2026-01-13"), 0);
    assert_eq!(at("2026-01-14"), 50);
    assert_eq!(at("2026-01-16"), 80, "the later event wins");
    assert_eq!(at("2026-01-17"), 90);
    assert_eq!(
        at("2026-01-18"),
        80,
        "its end returns to the event in force before it"
    );
    assert_eq!(
        at("2026-01-19"),
        80,
        "an earlier event's end does not undo a later one"
    );
}

#[test]
fn quota_2025_is_an_overlay_of_the_fy2024_baseline_with_few_settings() {
    let text = quotasim::scenario::NATIONAL_DEFAULT_TOML;
    assert!(text.contains("\nbase = \"baseline-fy2024.toml\"\n"));
    let before_events = text.split("[[events]]").next().unwrap();
    let settings = before_events
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('['))
        .count();
    assert!(settings < 60, "{settings} setting lines outside the events");
    // Merged, it is a whole scenario that reads as the default.
    let whole = Scenario::from_toml("whole.toml", &default_text()).unwrap();
    assert_eq!(whole, Scenario::national_default());
}

#[test]
fn a_problem_in_a_base_is_reported_in_the_base_and_one_in_the_overlay_in_the_overlay() {
    let base = default_text().replacen("stay_shape = 1.5", "stay_shape = 500.0", 1);
    let files = [("d/base.toml".to_string(), base.clone())];
    let read = move |p: &str| {
        files
            .iter()
            .find(|(n, _)| n == p)
            .map(|(_, t)| t.clone())
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"))
    };
    let over = "# mine\nbase = \"base.toml\"\n\n[quota]\npenalty_per_missed_arrest = -1.0\n";
    let r = overlay::resolve("d/over.toml", over, &read).unwrap();
    let e = Scenario::from_resolved(&r).unwrap_err();
    let shape =
        e.0.iter()
            .find(|e| e.key.as_deref() == Some("detention.stay_shape"))
            .unwrap();
    assert_eq!(shape.origin, "d/base.toml");
    assert_eq!(shape.line, Some(line_of(&base, "stay_shape = 500.0")));
    let penalty =
        e.0.iter()
            .find(|e| e.key.as_deref() == Some("quota.penalty_per_missed_arrest"))
            .unwrap();
    assert_eq!(penalty.origin, "d/over.toml");
    assert_eq!(penalty.line, Some(5));
}

#[test]
fn shipped_287g_agreements_are_the_derived_counts_by_office() {
    // data/agreements_287g_by_office.csv is derived by scripts/agreements_287g.py; the
    // baseline's offices hold its 2024-12-18 counts and the events of the 2025 and 2026
    // scenarios (the default, quota-2026, holds both) the later ones, so none is typed in
    // twice by hand.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let csv = std::fs::read_to_string(root.join("data/agreements_287g_by_office.csv")).unwrap();
    let baseline = Scenario::from_toml(
        "baseline-fy2024.toml",
        &std::fs::read_to_string(root.join("scenarios/baseline-fy2024.toml")).unwrap(),
    )
    .unwrap();
    let default = Scenario::run_default();
    let mut checked = 0;
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (date, code) = (f[0], f[1]);
        let (jail, tf): (i64, i64) = (f[2].parse().unwrap(), f[3].parse().unwrap());
        if date == "2024-12-18" {
            assert_eq!(
                i64::from(baseline.offices[code].agreements_jail),
                jail,
                "{code}"
            );
            assert_eq!(baseline.offices[code].agreements_task_force, 0, "{code}");
        } else {
            let event = default
                .events
                .iter()
                .find(|e| {
                    e.date.to_string() == date
                        && e.set
                            .contains_key(&format!("offices.{code}.agreements_jail"))
                })
                .unwrap_or_else(|| panic!("no event sets {code}'s agreements on {date}"));
            let get = |k: &str| event.set[&format!("offices.{code}.{k}")].as_integer();
            assert_eq!(get("agreements_jail"), Some(jail), "{code} {date}");
            assert_eq!(get("agreements_task_force"), Some(tf), "{code} {date}");
        }
        checked += 1;
    }
    // 2024-12-18, six dated counts of 2025 and seven of 2026.
    assert_eq!(checked, 25 * 14);
}

#[test]
fn a_file_naming_no_border_patrol_loads_it_as_the_baseline_has_it() {
    use quotasim::scenario::AgencyParams;
    use quotasim::types::NewAgency;
    let s = Scenario::national_default();
    assert_eq!(
        s.capacity.agencies.cbp,
        <AgencyParams as NewAgency>::added()
    );
}
