//! What the command prints: the progress bar and the summary table.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use quotasim::Plan;
use quotasim::metrics::{Stat, Summary};

/// A progress bar on standard error, drawn only on a terminal and unless `quiet`.
pub fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        Some(total),
        if quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        },
    );
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} simulating [{bar:40}] {pos}/{len} replication-days, {eta} left",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// A spinner with a message on standard error, for work of unknown length (the
/// calibration's search); it ticks on its own so the elapsed time shows.
pub fn spinner(quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        None,
        if quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        },
    );
    if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

fn num(s: &Summary, key: &str) -> Option<f64> {
    s.num(key)
}

fn fmt_band(s: &Summary, key: &str, reps: u32, pct: bool) -> String {
    let f = |x: f64| {
        if pct {
            format!("{:.1} %", x * 100.0)
        } else if x.abs() >= 100.0 || x.fract() == 0.0 {
            format!("{x:.0}")
        } else {
            format!("{x:.2}")
        }
    };
    match num(s, key) {
        None => "n/a".into(),
        Some(x) if reps > 1 => match (num(s, &format!("{key}_p05")), num(s, &format!("{key}_p95")))
        {
            (Some(lo), Some(hi)) => format!("{}  [{} .. {}]", f(x), f(lo), f(hi)),
            _ => f(x),
        },
        Some(x) => f(x),
    }
}

/// Prints the compact summary table.
pub fn print_summary(plan: &Plan, s: &Summary, reps: u32) {
    let rows: &[(&str, &str, bool)] = &[
        ("arrests a day", "arrests_per_day_mean", false),
        (
            "national target a day (mean)",
            "quota_national_per_day_mean",
            false,
        ),
        ("quota attainment (national)", "quota_attainment", true),
        ("offices missing quota", "offices_missing_quota_share", true),
        ("  convicted", "share_convicted", true),
        ("  pending charges", "share_pending_charges", true),
        ("  neither (no record)", "share_other", true),
        ("  custodial (jail transfer)", "share_custodial", true),
        ("  at-large (targeted)", "share_at_large", true),
        ("  collateral", "share_collateral", true),
        ("  community / worksite", "share_community", true),
        (
            "no-record arrests per convicted",
            "other_per_convicted",
            false,
        ),
        (
            "arrests at sensitive places",
            "arrests_at_sensitive_places",
            false,
        ),
        ("hours used / available", "hours_used_share", true),
        ("HSI hours diverted", "hsi_hours_diverted", false),
        (
            "HSI criminal arrests forgone",
            "hsi_own_output_forgone",
            false,
        ),
        ("detained at end", "detained_at_end", false),
        (
            "  with a conviction",
            "detained_convicted_share_at_end",
            true,
        ),
        ("peak detained", "peak_detained", false),
        (
            "released at book-in, beds full",
            "released_over_capacity_total",
            false,
        ),
        ("days over funded beds", "over_capacity_days", false),
        ("removals a year", "removals_per_year", false),
        (
            "days to one million removals",
            "days_to_one_million_removals",
            false,
        ),
        ("court backlog at end", "court_backlog_end", false),
    ];
    let days = plan.days;
    println!();
    println!(
        "quotasim: {} from {}, {} days, {} replication(s){}",
        plan.scenario.run.name,
        plan.scenario.run.start_date,
        days,
        reps,
        if reps > 1 {
            " (mean [5 % .. 95 %])"
        } else {
            ""
        }
    );
    println!("{}", "-".repeat(72));
    for &(label, key, pct) in rows {
        if label.starts_with("  convicted") {
            println!("mix by criminality:");
        }
        if label.starts_with("  custodial") {
            println!("mix by channel:");
        }
        if label.starts_with("detained at end") {
            println!("downstream:");
        }
        println!("{label:<34} {}", fmt_band(s, key, reps, pct));
    }
    if let Some(Stat::Text(code)) = s.get("first_office_missing_quota") {
        let date = match s.get("first_miss_date") {
            Some(Stat::Text(d)) => d.clone(),
            _ => String::new(),
        };
        println!("{:<34} {code} ({date})", "first office to miss its quota");
    }
    println!("{}", "-".repeat(72));
}
