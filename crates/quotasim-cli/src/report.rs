//! What the command prints: the progress bar and the summary table.

use std::io::{IsTerminal as _, Write as _};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};
use quotasim::Plan;
use quotasim::summary::{Stat, Summary};

/// A bar (or, with no length, a spinner) on standard error unless `quiet`, in the given
/// indicatif template: drawn in place on a terminal, and written as a plain line now
/// and then where standard error is a file or a pipe ([`LineLog`]).
fn bar(len: Option<u64>, quiet: bool, template: &str) -> ProgressBar {
    let target = if quiet {
        ProgressDrawTarget::hidden()
    } else if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::term_like_with_hz(Box::new(LineLog::new()), 1)
    };
    let bar = ProgressBar::with_draw_target(len, target);
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

/// The progress of a solve, in evaluations (at most the search's bound), with the time
/// left.
pub fn solve_bar(quiet: bool) -> ProgressBar {
    bar(
        Some(1),
        quiet,
        "{spinner} solving [{bar:40}] {pos}/{len} evaluations at most, {elapsed_precise}",
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

/// Progress where standard error is not a terminal (a log file, CI, `nohup`): the
/// bar's line as plain text, the first after [`LineLog::FIRST`] and then at most every
/// [`LineLog::EVERY`], so that long work shows it is alive without filling the log and
/// short work writes nothing.
#[derive(Debug)]
struct LineLog {
    next: Mutex<Instant>,
}

impl LineLog {
    const FIRST: Duration = Duration::from_secs(10);
    const EVERY: Duration = Duration::from_secs(30);

    fn new() -> LineLog {
        Self::starting(Instant::now())
    }

    fn starting(start: Instant) -> LineLog {
        LineLog {
            next: Mutex::new(start + Self::FIRST),
        }
    }

    /// Whether a line is due at `now` (and, if so, the next one not before
    /// `now + EVERY`).
    fn due(&self, now: Instant) -> bool {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        if now < *next {
            return false;
        }
        *next = now + Self::EVERY;
        true
    }
}

impl TermLike for LineLog {
    fn width(&self) -> u16 {
        120
    }
    fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
        Ok(())
    }
    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.write_str(s)
    }
    fn write_str(&self, s: &str) -> std::io::Result<()> {
        // The spinner's character means nothing in a log.
        let line = s.trim().trim_start_matches(|c: char| !c.is_ascii()).trim();
        if line.is_empty() {
            return Ok(());
        }
        if self.due(Instant::now()) {
            writeln!(std::io::stderr(), "{line}")?;
        }
        Ok(())
    }
    fn clear_line(&self) -> std::io::Result<()> {
        Ok(())
    }
    fn flush(&self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

fn num(s: &Summary, key: &str) -> Option<f64> {
    s.num(key)
}

/// A number as people write it: millions and billions in words with three figures
/// (8.37 billion), thousands with commas (73,417), small ones with two decimals. The
/// exact values are in summary.json.
fn readable(x: f64) -> String {
    let a = x.abs();
    if !x.is_finite() {
        format!("{x}")
    } else if a >= 1e9 {
        format!("{:.2} billion", x / 1e9)
    } else if a >= 1e7 {
        format!("{:.1} million", x / 1e6)
    } else if a >= 1e6 {
        format!("{:.2} million", x / 1e6)
    } else if a >= 100.0 || x.fract() == 0.0 {
        quotasim_report::thousands(x.round())
    } else {
        format!("{x:.2}")
    }
}

/// A key's value as `show` writes it, with its band over replications; `missing` where
/// the key is null.
fn band_of(
    s: &Summary,
    key: &str,
    reps: u32,
    show: &dyn Fn(f64) -> String,
    missing: &str,
) -> String {
    match num(s, key) {
        None => missing.into(),
        Some(x) if reps > 1 => match (num(s, &format!("{key}_p05")), num(s, &format!("{key}_p95")))
        {
            (Some(lo), Some(hi)) => format!("{}  [{} .. {}]", show(x), show(lo), show(hi)),
            _ => show(x),
        },
        Some(x) => show(x),
    }
}

fn fmt_band(s: &Summary, key: &str, reps: u32, pct: bool) -> String {
    let f = |x: f64| {
        if pct {
            format!("{:.1} %", x * 100.0)
        } else {
            readable(x)
        }
    };
    band_of(s, key, reps, &f, "n/a")
}

/// A day counted from the run's start, as its date ("not in sight" when null: nothing
/// is drawn, or nobody removed, at the end), with its band over replications.
fn dated_band(plan: &Plan, s: &Summary, key: &str, reps: u32) -> String {
    let start = plan.scenario.run.start_date;
    let date = |x: f64| {
        if x.is_finite() && (0.0..f64::from(quotasim::scenario::MAX_DAYS) * 10.0).contains(&x) {
            start.plus_days(x as u32).to_string()
        } else {
            "not in sight".to_string()
        }
    };
    band_of(s, key, reps, &date, "not in sight")
}

/// Prints the compact summary table: the keys in this order, under their headings, with
/// their labels from [`quotasim::summary::KEYS`].
pub fn print_summary(plan: &Plan, s: &Summary, reps: u32) {
    const ROWS: &[(Option<&str>, &str)] = &[
        (None, "arrests_per_day_mean"),
        (None, "quota_national_per_day_mean"),
        (None, "quota_attainment"),
        (None, "offices_missing_quota_share"),
        (Some("mix by criminality:"), "share_convicted"),
        (None, "share_pending_charges"),
        (None, "share_other"),
        (Some("mix by channel:"), "share_custodial"),
        (None, "share_at_large"),
        (None, "share_collateral"),
        (None, "share_community"),
        (None, "other_per_convicted"),
        (None, "arrests_at_sensitive_places"),
        (None, "hours_used_share"),
        (None, "hsi_hours_diverted"),
        (None, "hsi_own_output_forgone"),
        (Some("downstream:"), "detained_at_end"),
        (None, "detained_convicted_share_at_end"),
        (None, "peak_detained"),
        (None, "released_over_capacity_total"),
        (None, "over_capacity_days"),
        (None, "removals_per_year"),
        (None, "days_to_one_million_removals"),
        (None, "one_million_removals_day"),
        (None, "court_backlog_end"),
        (Some("costs (USD):"), "cost_per_year"),
        (None, "cost_detention_per_year"),
        (None, "cost_atd_per_year"),
        (None, "cost_removal_per_year"),
        (None, "cost_officers_per_year"),
        (None, "cost_deputized_per_year"),
        (None, "cost_task_force_per_year"),
        (None, "cost_court_per_year"),
        (None, "cost_per_arrest"),
        (None, "cost_per_removal"),
        (None, "cost_per_detained_day"),
        (
            Some("budget (multi-year money, USD):"),
            "budget_detention_left_end",
        ),
        (None, "budget_detention_runs_out_day"),
        (None, "budget_enforcement_left_end"),
        (None, "budget_enforcement_runs_out_day"),
        (None, "budget_bed_days_bought"),
        (None, "budget_removals_bought"),
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
    if let Some(line) = quotasim_report::fit_window(plan) {
        println!("{line}");
    }
    if let Some(Stat::Text(carry)) = s.get("bands_carry")
        && reps > 1
    {
        println!("bands carry: {carry}");
    }
    println!("{}", "-".repeat(72));
    let mut indent = "";
    for &(heading, key) in ROWS {
        if let Some(h) = heading {
            println!("{h}");
            // The mixes are indented under their heading; downstream is not.
            indent = if h == "downstream:" || h.starts_with("costs") || h.starts_with("budget") {
                ""
            } else {
                "  "
            };
        }
        if key == "other_per_convicted" || key == "cost_per_arrest" {
            indent = "";
        }
        if key == "cost_detention_per_year" {
            indent = "  ";
        }
        let info = quotasim::summary::key_info(key).expect("every row's key is labelled");
        let label = format!("{indent}{}", info.label);
        let pct = info.kind == quotasim::summary::KeyKind::Share;
        let shown = if info.unit == "days from the start" {
            dated_band(plan, s, key, reps)
        } else {
            fmt_band(s, key, reps, pct)
        };
        println!("{label:<40} {shown}");
    }
    if let Some(Stat::Text(code)) = s.get("first_office_missing_quota") {
        let date = match s.get("first_miss_date") {
            Some(Stat::Text(d)) => d.clone(),
            _ => String::new(),
        };
        println!("{:<40} {code} ({date})", "First office to miss its quota");
    }
    println!("{}", "-".repeat(72));
}

/// What happened, beside the model: for each kind of published figure that falls
/// inside the run, the latest one beside the model's figure for the same dates (mean,
/// and its 5-95 % range over replications); the rest are in report.html.
pub fn print_observed(file: &str, all: &[quotasim_calibrate::observed::Score]) {
    if all.is_empty() {
        return;
    }
    let scores = quotasim_calibrate::observed::latest_of_each(all);
    let shown = |x: f64| {
        if x.abs() < 2.0 {
            format!("{:.1} %", 100.0 * x)
        } else {
            readable(x)
        }
    };
    println!(
        "what happened, beside the model: the latest of each kind of the {} published figures inside the run ({file}; all of them in report.html)",
        all.len()
    );
    for sc in scores {
        let model = if sc.model_p05 == sc.model_p95 {
            shown(sc.model_mean)
        } else {
            format!(
                "{} [{} .. {}]",
                shown(sc.model_mean),
                shown(sc.model_p05),
                shown(sc.model_p95)
            )
        };
        let observed = sc
            .observed
            .parse::<f64>()
            .map(shown)
            .unwrap_or_else(|_| sc.observed.clone());
        let what = sc.metric.replace('_', " ");
        println!(
            "  {what}, {}: observed {observed}; model {model}",
            sc.window
        );
    }
    println!("{}", "-".repeat(72));
}

/// A number for CSV: empty when undefined.
pub fn cell(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

/// compare.csv: key, mean of A, mean of B, B - A with its interval.
pub fn differences_csv(rows: &[quotasim::compare::Difference]) -> String {
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
pub fn differences_html(rows: &[quotasim::compare::Difference]) -> String {
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
pub fn print_differences(a: &Plan, b: &Plan, rows: &[quotasim::compare::Difference], reps: u32) {
    println!();
    println!(
        "quotasim compare: A = {}, B = {}; {} replication(s) each, same seeds; B - A [5 % .. 95 %]",
        a.scenario.run.name, b.scenario.run.name, reps
    );
    println!("{}", "-".repeat(96));
    println!("{:<36} {:>14} {:>14} {:>28}", "key", "A", "B", "B - A");
    for r in rows
        .iter()
        .filter(|r| quotasim::summary::HEADLINE_KEYS.contains(&r.key.as_str()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_in_a_log_is_a_line_after_ten_seconds_then_every_thirty() {
        let t0 = Instant::now();
        let log = LineLog::starting(t0);
        let at = |s: u64| t0 + Duration::from_secs(s);
        let written: Vec<u64> = (0..=100).filter(|&s| log.due(at(s))).collect();
        assert_eq!(written, [10, 40, 70, 100]);
    }

    #[test]
    fn numbers_are_printed_as_people_write_them() {
        assert_eq!(readable(8_371_529_624.0), "8.37 billion");
        assert_eq!(readable(3_579_270.0), "3.58 million");
        assert_eq!(readable(30_679_710.0), "30.7 million");
        assert_eq!(readable(262_617.0), "262,617");
        assert_eq!(readable(73_417.0), "73,417");
        assert_eq!(readable(1_011.4), "1,011");
        assert_eq!(readable(391.0), "391");
        assert_eq!(readable(1.07), "1.07");
        assert_eq!(readable(0.0), "0");
        assert_eq!(readable(-12_345.0), "-12,345");
        assert_eq!(readable(f64::NAN), "NaN");
    }
}
