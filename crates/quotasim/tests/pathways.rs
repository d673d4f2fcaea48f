//! Removal pathways, removals and detention capacity (docs/model.md 7.8, 7.13, 7.18),
//! measured on whole runs: each test's name is the claim it checks.

use std::collections::BTreeMap;

mod common;

use common::{rows, system_on, total};
use quotasim::daily::DailyRow;
use quotasim::scenario::{Event, Scenario};

/// The default scenario's system as it stands on `date`, held for `days` without
/// further events, with detention in the foreground: nobody held at the start, nobody
/// booked in by other agencies, every arrest booked in, room for everyone, and no
/// expedited removal.
fn downstream(date: &str, days: u32) -> Scenario {
    let mut s = system_on(date, days);
    s.detention.initial_detained = 0;
    s.detention.others_bookins_per_day = 0.0;
    s.detention.bookin_share.other = 1.0;
    s.detention.capacity = 1_000_000;
    s.removal.expedited = false;
    s.removal.without_detention_per_day = 0.0;
    s
}

/// An event on day `day` of `s`'s run setting `path` to `value`.
fn set_on(s: &mut Scenario, day: u32, path: &str, value: toml::Value) {
    let mut set = BTreeMap::new();
    set.insert(path.to_string(), value);
    s.events.push(Event {
        date: s.run.start_date.plus_days(day),
        until: None,
        note: String::new(),
        source: String::new(),
        set,
    });
}

/// Of the docket members who left detention, the share removed.
fn removed_share(rows: &[DailyRow]) -> f64 {
    let removed = total(rows, |r| r.removals) as f64;
    let left = removed + total(rows, |r| r.detention_releases + r.detention_relief) as f64;
    removed / left
}

/// The national row of each day.
/// `x` within 5 % of the `expected` figure the test works out by hand.
fn assert_within_5_percent(x: f64, expected: f64, what: &str) {
    assert!(
        (x / expected - 1.0).abs() < 0.05,
        "{x:.0} {what}, expected {expected:.0}"
    );
}

fn days(rows: &[DailyRow]) -> Vec<&DailyRow> {
    rows.chunks(25).map(|d| &d[0]).collect()
}

#[test]
fn a_person_with_a_final_order_is_removed_without_a_court_case() {
    let mut s = downstream("2025-03-01", 150);
    s.docket.share_final_order = 1.0;
    s.docket.share_protected = 0.0;
    s.court.decisions_per_day = 0.0;
    let r = rows(&s, 11);
    assert_eq!(total(&r, |d| d.court_removal_orders), 0);
    let removed = total(&r, |d| d.removals);
    assert!(removed > 10_000, "{removed} removed");
    // Their stays end as outcome_final_order says: 90 % removal.
    let share = removed_share(&r);
    assert!((share - 0.9).abs() < 0.02, "{share}");
}

#[test]
fn without_bond_hearings_more_of_those_leaving_detention_are_removed() {
    let mut s = downstream("2025-03-01", 150);
    s.pathways.bond_share = 1.0;
    let with = rows(&s, 12);
    s.pathways.bond_share = 0.0;
    let without = rows(&s, 12);
    let (a, b) = (removed_share(&with), removed_share(&without));
    assert!(
        b > a + 0.15,
        "removed share {a:.3} with bond, {b:.3} without"
    );
    let released = |r: &[DailyRow]| total(r, |d| d.detention_releases) as f64;
    assert!(released(&without) < 0.6 * released(&with));
}

#[test]
fn with_bond_hearings_for_everyone_the_detained_docket_keeps_the_outcome_tables() {
    // FY2024's fit stands: the clocks reproduce outcome_pending and outcome_protected.
    let mut s = downstream("2025-03-01", 150);
    s.pathways.bond_share = 1.0;
    let on = rows(&s, 13);
    s.pathways.detained_docket = false;
    let off = rows(&s, 13);
    let (a, b) = (removed_share(&on), removed_share(&off));
    assert!((a - b).abs() < 0.01, "removed share {a:.4} on, {b:.4} off");
}

/// Of the docket members who left detention on days `from..to` (0-based), the share
/// removed.
fn removed_share_over(rows: &[DailyRow], from: u32, to: u32) -> f64 {
    let window: Vec<DailyRow> = rows
        .iter()
        .filter(|r| (from..to).contains(&r.day))
        .cloned()
        .collect();
    removed_share(&window)
}

#[test]
fn a_no_bond_rule_reaches_people_already_held() {
    // Bond hearings end on day 60. Those leaving in the week after are mostly people
    // booked in before it: they leave as people held without bond do, at once, not
    // only once the people booked in under the rule reach the end of their stays. (A
    // little more often removed than in a run never with bond: the faster clocks bring
    // many open cases' ends into that week.)
    let mut s = downstream("2025-03-01", 90);
    s.pathways.bond_share = 1.0;
    let with = rows(&s, 16);
    set_on(&mut s, 60, "pathways.bond_share", toml::Value::Float(0.0));
    let changed = rows(&s, 16);
    s.events.clear();
    s.pathways.bond_share = 0.0;
    let without = rows(&s, 16);
    let week = |r: &[DailyRow]| removed_share_over(r, 61, 68);
    let (a, b, c) = (week(&with), week(&changed), week(&without));
    assert!(
        b > c - 0.05 && b > a + 0.15,
        "removed share in the week after: {a:.3} with bond, {b:.3} after the rule, {c:.3} never with bond"
    );
}

/// `downstream` for 120 days with 1,000 book-ins a day by other agencies, half of them
/// removed with bond hearings for everyone, stays of 10 days, release at 0.2 of its
/// speed without bond hearings, and transport that never binds.
fn others_booked_in() -> Scenario {
    let mut s = downstream("2025-03-01", 120);
    s.removal.capacity_per_day = 100_000.0;
    s.detention.others_bookins_per_day = 1_000.0;
    s.detention.others_stay_days = 10.0;
    s.detention.others_removal_share = 0.5;
    s.pathways.no_bond_release_factor = 0.2;
    s
}

/// The mean of a national count over days 90-119 of `s`'s run with `seed`.
fn held_by_others(s: &Scenario, seed: u64, count: fn(&DailyRow) -> u64) -> f64 {
    let r = rows(s, seed);
    days(&r)[90..].iter().map(|x| count(x)).sum::<u64>() as f64 / 30.0
}

#[test]
fn without_bond_hearings_people_booked_in_by_others_are_released_less_and_stay_longer() {
    // 1,000 a day, half removed with bond, a stay of 10 days: 10,000 held. Without bond
    // their release runs at 0.2 of its speed: stays of 10 / (0.5 + 0.5 x 0.2) = 16.7
    // days, so 16,700 held. Transport never binds: nobody waits to be removed.
    let mut s = others_booked_in();
    let held = |s: &Scenario| held_by_others(s, 17, |x| x.national_others_detained);
    s.pathways.bond_share = 1.0;
    let with = held(&s);
    s.pathways.bond_share = 0.0;
    let without = held(&s);
    assert_within_5_percent(with, 10_000.0, "held with bond");
    assert_within_5_percent(without, 16_667.0, "held without bond");
}

#[test]
fn a_no_bond_rule_that_spares_people_with_a_conviction_leaves_their_stays_as_with_bond() {
    // As above, half of them with a conviction. Reaching every record, both halves stay
    // 16.7 days: 8,333 convicted held. Sparing those with a conviction, they stay 10
    // days as with bond: 5,000 held, and the others 8,333 still.
    let mut s = others_booked_in();
    s.detention.others_convicted_share = 0.5;
    s.detention.others_pending_share = 0.0;
    s.pathways.bond_share = 0.0;
    let held = |s: &Scenario| {
        let convicted = held_by_others(s, 19, |x| x.national_others_detained_convicted);
        let all = held_by_others(s, 19, |x| x.national_others_detained);
        (convicted, all - convicted)
    };
    let (convicted, others) = held(&s);
    assert_within_5_percent(convicted, 8_333.0, "convicted held, the rule reaching them");
    assert_within_5_percent(others, 8_333.0, "others held, the rule reaching them");
    s.pathways.convicted_bond_reach = 0.0;
    let (convicted, others) = held(&s);
    assert_within_5_percent(convicted, 5_000.0, "convicted held, the rule sparing them");
    assert_within_5_percent(
        others,
        8_333.0,
        "others held, the rule sparing the convicted",
    );
}

#[test]
fn a_no_bond_rule_lengthens_the_stays_of_people_others_booked_in_before_it() {
    // 20,000 held at the start (people booked in by others), 60 days left on average,
    // nobody booked in after. Bond hearings end on day 1: their release slows to 0.2 of
    // its speed, so the stays left grow by 1 / (0.5 + 0.5 x 0.2) = 1.67. After 40 days
    // 20,000 e^(-40/100) = 13,400 are still held, against 20,000 e^(-40/60) = 10,300.
    let mut s = downstream("2025-03-01", 45);
    s.removal.capacity_per_day = 100_000.0;
    s.detention.initial_detained = 20_000;
    s.detention.initial_remaining_days = 60.0;
    s.detention.others_removal_share = 0.5;
    s.pathways.no_bond_release_factor = 0.2;
    s.pathways.bond_share = 1.0;
    let day40 = |s: &Scenario| days(&rows(s, 18))[40].national_others_detained as f64;
    let with = day40(&s);
    set_on(&mut s, 1, "pathways.bond_share", toml::Value::Float(0.0));
    let after = day40(&s);
    assert_within_5_percent(with, 10_300.0, "held with bond");
    assert_within_5_percent(after, 13_400.0, "held after the rule");
}

#[test]
fn a_facilitys_beds_fill_over_its_opening_weeks() {
    let mut s = downstream("2025-03-01", 60);
    s.detention.capacity = 20_000;
    s.detention.opening_days = 20.0;
    set_on(
        &mut s,
        10,
        "detention.capacity",
        toml::Value::Integer(30_000),
    );
    let r = rows(&s, 14);
    let cap: Vec<u64> = days(&r).iter().map(|d| d.national_capacity).collect();
    assert_eq!(cap[9], 20_000);
    // Half open ten days into its twenty.
    assert!(cap[19].abs_diff(25_000) <= 1, "{}", cap[19]);
    assert!(cap.windows(2).all(|w| w[1] >= w[0]));
    assert_eq!(cap[29], 30_000);
    assert_eq!(cap[59], 30_000);
    // Nobody is held above what is open.
    assert!(
        days(&r)
            .iter()
            .all(|d| d.national_detained <= d.national_capacity)
    );
}

#[test]
fn removals_are_limited_by_transport_only_when_the_queue_is_positive() {
    for transport in [150.0, 400.0, 5_000.0] {
        let mut s = downstream("2025-03-01", 90);
        s.removal.capacity_per_day = transport;
        s.removal.flights_per_day = 0.0;
        s.removal.third_country_per_day = 0.0;
        s.removal.without_detention_per_day = 50.0;
        let r = rows(&s, 15);
        for d in days(&r) {
            // A queue left at midnight means the day's transport was used up.
            if d.national_removal_queue > 0 {
                assert!(
                    d.national_removals + 1 >= transport as u64,
                    "day {}: {} removed with {} waiting and room for {transport}",
                    d.day,
                    d.national_removals,
                    d.national_removal_queue
                );
            }
            assert!(d.national_removals <= transport as u64);
            assert_eq!(d.national_removals_without_detention, 50);
        }
        let queued = days(&r)
            .iter()
            .filter(|d| d.national_removal_queue > 0)
            .count();
        if transport >= 5_000.0 {
            assert_eq!(queued, 0, "slack transport never binds");
        } else {
            assert!(
                queued > 10,
                "tight transport of {transport} binds: {queued} days"
            );
        }
    }
}
