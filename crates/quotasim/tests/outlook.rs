//! The default to 2026-12-31, the budget as a stock, and assumption ranges
//! (docs/model.md 7.10, 7.19, 7.20; docs/outlook.md).

mod common;

use quotasim::budget::{self, ACCOUNTS};
use quotasim::scenario::{Date, Scenario};
use quotasim::{Plan, run};

/// The default with a docket of 60,000 (its classes in proportion), so that long runs
/// take a moment.
fn small(s: Scenario) -> Scenario {
    s.with_docket(60_000)
}

fn national(rows: &[quotasim::DailyRow]) -> Vec<&quotasim::DailyRow> {
    rows.iter().filter(|r| r.office == 0).collect()
}

#[test]
fn the_default_runs_to_the_end_of_2026_and_is_fitted_to_january() {
    let s = Scenario::run_default();
    assert_eq!(s.run.start_date, Date::parse("2025-01-20").unwrap());
    assert_eq!(
        s.run.start_date.plus_days(s.run.days - 1),
        Date::parse("2026-12-31").unwrap()
    );
    assert_eq!(s.run.fitted_through, Date::parse("2026-01-31"));
    // It holds the 2025 events and those of 2026, in date order.
    let dates: Vec<Date> = s.events.iter().map(|e| e.date).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]));
    assert!(dates.first().unwrap() < &Date::parse("2025-02-01").unwrap());
    assert!(
        s.events
            .iter()
            .any(|e| e.date == Date::parse("2026-06-22").unwrap()
                && e.set.contains_key("removal.expedited"))
    );
}

#[test]
fn the_years_money_the_draw_and_the_shortfall_add_up_to_the_daily_costs() {
    let s = small(Scenario::run_default());
    let r = run(&Plan::with_days(&s, Some(240)).unwrap(), 3, 0);
    let nat = national(&r.daily);
    let mut drawn = [0.0; 2];
    for row in &nat {
        let spent = budget::spending(&row.national_costs);
        let b = row.national_budget;
        for k in 0..ACCOUNTS.len() {
            assert_eq!(b.spent[k], spent[k]);
            let annual = spent[k] - b.drawn[k] - b.beyond[k];
            // The year's money pays at most its daily share, and never below zero.
            assert!(annual >= -1e-6 && b.drawn[k] >= 0.0 && b.beyond[k] >= 0.0);
            drawn[k] += b.drawn[k];
        }
    }
    // Detention is the cost column `detention`; enforcement officers, removal and 287(g).
    let col = |f: fn(&quotasim::costs::DayCosts) -> f64| {
        nat.iter().map(|r| f(&r.national_costs)).sum::<f64>()
    };
    let enforcement = col(|c| c.officers) + col(|c| c.removal) + col(|c| c.task_force);
    let spent: [f64; 2] = [0, 1].map(|k| nat.iter().map(|r| r.national_budget.spent[k]).sum());
    assert!((spent[0] - col(|c| c.detention)).abs() < 1e-3 * spent[0]);
    assert!((spent[1] - enforcement).abs() < 1e-3 * spent[1]);
    // Removals in the run's last year: a run shorter than a year counts them all.
    let removals: u64 = nat.iter().map(|r| r.national_removals).sum();
    assert_eq!(r.summary.num("removals_last_year"), Some(removals as f64));
    // The summary's draw is the days' draws; what is left is the act's money less it.
    for (k, name) in ACCOUNTS.iter().enumerate() {
        let total = r
            .summary
            .num(&format!("budget_{name}_drawn_total"))
            .unwrap();
        assert!((total - drawn[k]).abs() <= 1e-6 * drawn[k].max(1.0));
        let last = nat.last().unwrap().national_budget;
        let multiyear = [s.budget.detention_multiyear, s.budget.enforcement_multiyear][k];
        // Run from 2025-01-20 for 240 days: the 2025 act's money arrived on 2025-07-04.
        let act = [45e9, 29.9e9][k];
        assert_eq!(multiyear, 0.0);
        assert!((last.left[k] - (act - drawn[k])).abs() < 1.0, "{name}");
    }
}

#[test]
fn a_run_with_no_costs_leaves_the_balances_untouched() {
    let mut s = small(Scenario::run_default());
    s.costs = Default::default();
    s.events
        .retain(|e| !e.set.keys().any(|k| k.starts_with("costs.")));
    let r = run(&Plan::with_days(&s, Some(200)).unwrap(), 3, 0);
    let last = national(&r.daily).last().unwrap().national_budget;
    assert_eq!(last.left, [45e9, 29.9e9]);
    assert_eq!(r.summary.num("budget_detention_drawn_total"), Some(0.0));
    assert_eq!(r.summary.num("budget_bed_days_bought"), Some(0.0));
}

#[test]
fn replications_draw_the_outlooks_assumptions_within_their_ranges() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let read = |p: &str| std::fs::read_to_string(root.join(p));
    let r = quotasim::overlay::resolve(
        "scenarios/outlook-2029.toml",
        &read("outlook-2029.toml").unwrap(),
        &|p: &str| read(p.trim_start_matches("scenarios/")),
    )
    .unwrap();
    let s = Scenario::from_resolved(&r).unwrap();
    assert_eq!(
        s.run.start_date.plus_days(s.run.days - 1),
        Date::parse("2029-09-30").unwrap()
    );
    // A value held for the run (a lever of `solve`, `set=`) is not drawn: its range goes,
    // and the scenario stays valid.
    let held = quotasim::adjust::hold_paths(&s, &["removal.flights_per_day"]);
    assert!(
        held.assumptions
            .iter()
            .all(|a| a.path != "removal.flights_per_day")
    );
    assert_eq!(held.assumptions.len(), s.assumptions.len() - 1);
    assert!(Plan::with_days(&held, Some(30)).is_ok());
    assert!(s.assumptions.len() >= 6);
    let flights = |s: &Scenario| {
        s.events
            .iter()
            .filter(|e| e.date >= Date::parse("2027-01-01").unwrap())
            .find_map(|e| {
                e.set
                    .get("removal.flights_per_day")
                    .and_then(|v| v.as_float())
            })
            .unwrap()
    };
    // The central value in the file; each replication its own draw in 6..12, the same
    // draw every time it is made.
    assert_eq!(flights(&s), 9.0);
    let drawn: Vec<f64> = (0..8)
        .map(|rep| flights(&quotasim::assumptions::draw(&s, 11, rep)))
        .collect();
    assert!(drawn.iter().all(|x| (6.0..=12.0).contains(x)), "{drawn:?}");
    assert!(drawn.windows(2).any(|w| w[0] != w[1]));
    assert_eq!(drawn[3], flights(&quotasim::assumptions::draw(&s, 11, 3)));
    // Beds drawn by "change": between 73,913 plus half of what the plans add and all
    // of it, never beyond.
    let beds: Vec<i64> = s
        .events
        .iter()
        .filter_map(|e| e.set.get("detention.capacity").and_then(|v| v.as_integer()))
        .collect();
    let low = quotasim::assumptions::at_quantile(&s, 0.0);
    let low_beds: Vec<i64> = low
        .events
        .iter()
        .filter_map(|e| e.set.get("detention.capacity").and_then(|v| v.as_integer()))
        .collect();
    assert_eq!(beds.last(), Some(&100_000));
    assert_eq!(
        low_beds.last(),
        Some(&(73_913 + (100_000 - 73_913) / 2 + 1))
    );
}
