//! `quotasim backtest`: a scenario's replications scored against published figures
//! (docs/calibration.md, "Backtest").
//!
//! Replications stream ([`quotasim::ensemble::replicate_each`]): each one's statistics
//! for every observation, and its national daily series for the charts, are taken as
//! it finishes; its rows are then dropped. The folder holds `backtest.csv` (one row per
//! observation), `backtest.html` (charts, scores, verdict) and the `scenario.toml` run.

use quotasim::Plan;
use quotasim::engine::Run;
use quotasim_calibrate::observed::{Observations, Score, score, verdict};
use quotasim_report::{Daily, ScoreRow, Size};

use crate::report::cell;

/// What a backtest found.
pub struct Outcome {
    pub scores: Vec<Score>,
    pub verdict: String,
    pub csv: String,
    pub html: String,
}

/// Runs `reps` replications (replication r from `plan_of(r)`) and scores them.
pub fn run<'p>(
    plan: &Plan,
    plan_of: &(dyn Fn(u32) -> &'p Plan + Sync),
    seed: u64,
    reps: u32,
    observations: &Observations,
    observed_file: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> Outcome {
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); observations.list.len()];
    let mut series: Vec<Daily> = Vec::new();
    quotasim::ensemble::replicate_each(plan_of, seed, reps, progress, &mut |r: Run| {
        for (i, ob) in observations.list.iter().enumerate() {
            if let Some(x) = ob.statistic(plan, &r) {
                values[i].push(x);
            }
        }
        series.push(Daily::of(plan, &r));
        std::ops::ControlFlow::Continue(())
    });
    let scores: Vec<Score> = observations
        .list
        .iter()
        .zip(&values)
        .map(|(ob, v)| score(ob, v))
        .collect();
    let verdict = verdict(&scores);
    let csv = csv_of(&scores);
    let html = html_of(
        plan,
        observations,
        &scores,
        &series,
        reps,
        observed_file,
        &verdict,
    );
    Outcome {
        scores,
        verdict,
        csv,
        html,
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_of(scores: &[Score]) -> String {
    let mut out =
        String::from("metric,window,observed,sd,model_mean,model_p05,model_p95,z,inside,source\n");
    for s in scores {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            csv_field(&s.metric),
            csv_field(&s.window),
            csv_field(&s.observed),
            cell(s.sd),
            cell(s.model_mean),
            cell(s.model_p05),
            cell(s.model_p95),
            cell(s.z),
            s.inside,
            csv_field(&s.source)
        ));
    }
    out
}

fn shown(x: f64) -> String {
    if x.abs() < 2.0 {
        format!("{x:.3}")
    } else {
        format!("{x:.0}")
    }
}

fn html_of(
    plan: &Plan,
    observations: &Observations,
    scores: &[Score],
    series: &[Daily],
    reps: u32,
    observed_file: &str,
    verdict: &str,
) -> String {
    let figures = quotasim_report::backtest_figures(plan, observations, series, Size::REPORT);
    let rows: Vec<ScoreRow> = scores
        .iter()
        .map(|s| ScoreRow {
            metric: s.metric.clone(),
            window: s.window.clone(),
            observed: s.observed.clone(),
            model: format!(
                "{} [{} .. {}]",
                shown(s.model_mean),
                shown(s.model_p05),
                shown(s.model_p95)
            ),
            z: s.z,
            inside: s.inside,
            source: s.source.clone(),
        })
        .collect();
    quotasim_report::backtest_report(plan, observed_file, reps, &figures, &rows, verdict)
}

/// The short table printed at the end.
pub fn print(scores: &[Score], verdict: &str) {
    println!(
        "{:<26} {:<24} {:>14} {:>24} {:>7} {:>6}",
        "metric", "window", "observed", "model mean [5-95 %]", "z", "inside"
    );
    for s in scores {
        println!(
            "{:<26} {:<24} {:>14} {:>24} {:>+7.2} {:>6}",
            s.metric,
            s.window,
            s.observed,
            format!(
                "{} [{} .. {}]",
                shown(s.model_mean),
                shown(s.model_p05),
                shown(s.model_p95)
            ),
            s.z,
            if s.inside { "yes" } else { "no" }
        );
    }
    println!("{verdict}");
}
