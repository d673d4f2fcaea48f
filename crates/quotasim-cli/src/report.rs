//! What the command prints: the progress bar and the summary table.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use quotasim::Plan;
use quotasim::metrics::{Stat, Summary};

/// A bar (or, with no length, a spinner) on standard error, drawn only on a terminal
/// and unless `quiet`, in the given indicatif template.
fn bar(len: Option<u64>, quiet: bool, template: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        len,
        if quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        },
    );
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// The progress of a run, in replication-days.
pub fn progress_bar(total: u64, quiet: bool) -> ProgressBar {
    bar(
        Some(total),
        quiet,
        "{spinner} simulating [{bar:40}] {pos}/{len} replication-days, {eta} left",
    )
}

/// The progress of a sweep, in points, with the time left.
pub fn points_bar(total: u64, quiet: bool) -> ProgressBar {
    bar(
        Some(total),
        quiet,
        "{spinner} sweeping [{bar:40}] {pos}/{len} points, {elapsed} elapsed, {eta} left",
    )
}

/// A spinner with a message, for work of unknown length (the calibration's search);
/// it ticks on its own so the elapsed time shows.
pub fn spinner(quiet: bool) -> ProgressBar {
    let b = bar(None, quiet, "{spinner} [{elapsed_precise}] {msg}");
    b.enable_steady_tick(std::time::Duration::from_millis(200));
    b
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

/// One summary key compared: the means of A and B, and B - A paired by replication
/// (mean, 5 % and 95 % over replications).
pub struct Difference {
    pub key: String,
    pub a: f64,
    pub b: f64,
    pub diff: f64,
    pub p05: f64,
    pub p95: f64,
}

/// Every numeric summary key of two ensembles run with the same seeds.
pub fn differences(a: &[quotasim::Run], b: &[quotasim::Run]) -> Vec<Difference> {
    let Some(first) = a.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in first.summary.numeric_keys() {
        let va: Vec<f64> = a
            .iter()
            .map(|r| r.summary.num(key).unwrap_or(f64::NAN))
            .collect();
        let vb: Vec<f64> = b
            .iter()
            .map(|r| r.summary.num(key).unwrap_or(f64::NAN))
            .collect();
        let d: Vec<f64> = va.iter().zip(&vb).map(|(x, y)| y - x).collect();
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let finite = d.iter().all(|x| x.is_finite());
        out.push(Difference {
            key: key.to_string(),
            a: mean(&va),
            b: mean(&vb),
            diff: mean(&d),
            p05: if finite {
                quotasim::ensemble::quantile(&d, 0.05)
            } else {
                f64::NAN
            },
            p95: if finite {
                quotasim::ensemble::quantile(&d, 0.95)
            } else {
                f64::NAN
            },
        });
    }
    out
}

fn cell(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

/// compare.csv: key, mean of A, mean of B, B - A with its interval.
pub fn differences_csv(rows: &[Difference]) -> String {
    let mut s = String::from("key,a_mean,b_mean,diff_mean,diff_p05,diff_p95\n");
    for r in rows {
        s.push_str(&format!(
            "{},{},{},{},{},{}\n",
            r.key,
            cell(r.a),
            cell(r.b),
            cell(r.diff),
            cell(r.p05),
            cell(r.p95)
        ));
    }
    s
}

/// The table of differences for the comparison report.
pub fn differences_html(rows: &[Difference]) -> String {
    let mut s = String::from(
        "<h2 id=\"differences\">Differences (B - A)</h2>\n<table>\n<tr><th>key</th><th>A</th><th>B</th><th>B - A</th><th>5 %</th><th>95 %</th></tr>\n",
    );
    for r in rows {
        let f = |x: f64| quotasim_report::show_value(&r.key, x);
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            r.key,
            f(r.a),
            f(r.b),
            f(r.diff),
            f(r.p05),
            f(r.p95)
        ));
    }
    s.push_str("</table>\n");
    s
}

/// Prints the headline differences.
pub fn print_differences(a: &Plan, b: &Plan, rows: &[Difference], reps: u32) {
    println!();
    println!(
        "quotasim compare: A = {}, B = {}; {} replication(s) each, same seeds; B - A [5 % .. 95 %]",
        a.scenario.run.name, b.scenario.run.name, reps
    );
    println!("{}", "-".repeat(96));
    println!("{:<36} {:>14} {:>14} {:>28}", "key", "A", "B", "B - A");
    for r in rows
        .iter()
        .filter(|r| quotasim::metrics::HEADLINE_KEYS.contains(&r.key.as_str()))
    {
        let f = |x: f64| quotasim_report::show_value(&r.key, x);
        println!(
            "{:<36} {:>14} {:>14} {:>28}",
            r.key,
            f(r.a),
            f(r.b),
            format!("{} [{} .. {}]", f(r.diff), f(r.p05), f(r.p95))
        );
    }
    println!("{}", "-".repeat(96));
}

/// `quotasim scenario params`: every parameter of a scenario, one a line.
pub fn parameters_table(s: &quotasim::Scenario) -> String {
    let rows = s.parameter_values();
    let w = rows.iter().map(|r| r.path.len()).max().unwrap_or(4).max(4);
    let mut out = format!(
        "{:<w$}  {:<14}  {:<26}  {:<8}  {:<20}  meaning\n",
        "path", "value", "unit", "kind", "range"
    );
    for r in rows {
        out.push_str(&format!(
            "{:<w$}  {:<14}  {:<26}  {:<8}  {:<20}  {}\n",
            r.path,
            r.value,
            r.param.unit,
            r.param.kind.key(),
            r.range,
            r.param.meaning
        ));
    }
    out
}
