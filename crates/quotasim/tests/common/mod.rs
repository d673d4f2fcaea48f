//! Helpers shared by the test files of the model's mechanisms.
#![allow(dead_code)]

use quotasim::daily::DailyRow;
use quotasim::scenario::{Date, Scenario};
use quotasim::{Plan, run};

/// The default scenario's system as it stands on `date`, held for `days` without
/// further events.
pub fn system_on(date: &str, days: u32) -> Scenario {
    let default = Scenario::national_default();
    let plan = Plan::new(&default).unwrap();
    let day = default
        .run
        .start_date
        .days_until(Date::parse(date).unwrap()) as u32;
    let mut s = plan.segments[plan.segment_index(day)].scenario.clone();
    s.events.clear();
    s.run.days = days;
    s
}

pub fn rows(s: &Scenario, seed: u64) -> Vec<DailyRow> {
    run(&Plan::new(s).unwrap(), seed, 0).daily
}

pub fn total(rows: &[DailyRow], f: impl Fn(&DailyRow) -> u64) -> u64 {
    rows.iter().map(f).sum()
}
