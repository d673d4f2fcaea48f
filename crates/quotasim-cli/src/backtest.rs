//! `quotasim backtest`: a scenario's replications scored against published figures
//! (docs/calibration.md, "Backtest").
//!
//! Replications stream ([`quotasim::ensemble::replicate_each`]): each one's statistics
//! for every observation, and its national daily series for the charts, are taken as
//! it finishes; its rows are then dropped. The folder holds `backtest.csv` (one row per
//! observation), `backtest.html` (charts, scores, verdict) and the `scenario.toml` run.

use quotasim::Plan;
use quotasim::engine::Run;
use quotasim_calibrate::observed::{Metric, Observations, Score, score, verdict};
use quotasim_report::{Band, Mark, Panel, ScoreRow};

use crate::report::cell;

/// The national daily series the charts show, one value a day for one replication.
#[derive(Debug, Clone, Default)]
struct Daily {
    arrests: Vec<f64>,
    share_other: Vec<f64>,
    share_convicted: Vec<f64>,
    detained: Vec<f64>,
    removals: Vec<f64>,
}

fn daily_of(plan: &Plan, run: &Run) -> Daily {
    let mut d = Daily::default();
    for rows in run.daily.chunks(plan.offices.len()) {
        let arrests: f64 = rows.iter().map(|r| f64::from(r.arrests())).sum();
        let other: f64 = rows.iter().map(|r| f64::from(r.arrests_by_class[4])).sum();
        let conv: f64 = rows
            .iter()
            .map(|r| f64::from(r.arrests_by_class[..3].iter().sum::<u32>()))
            .sum();
        let share = |x: f64| if arrests > 0.0 { x / arrests } else { 0.0 };
        d.arrests.push(arrests);
        d.share_other.push(share(other));
        d.share_convicted.push(share(conv));
        d.detained.push(rows[0].national_detained as f64);
        d.removals.push(rows[0].national_removals as f64);
    }
    d
}

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
        series.push(daily_of(plan, &r));
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
    let start = plan.scenario.run.start_date;
    let marks = |label: &str, metric: Metric| -> (String, Vec<Mark>) {
        let list = observations
            .list
            .iter()
            .filter(|o| o.metric == metric)
            .filter_map(|o| {
                let (a, b) = (o.from?, o.to?);
                let (lo, hi) = match (o.value, o.min, o.max) {
                    (Some(v), _, _) => (v, v),
                    (None, lo, hi) => (lo.or(hi)?, hi.or(lo)?),
                };
                Some(Mark {
                    from_day: start.days_until(a) as f64,
                    to_day: start.days_until(b) as f64,
                    lo,
                    hi,
                })
            })
            .collect();
        (label.to_string(), list)
    };
    let of = |f: &dyn Fn(&Daily) -> &Vec<f64>| {
        Band::over(&series.iter().map(|d| f(d).clone()).collect::<Vec<_>>())
    };
    let (arrests, other, convicted, detained, removals) = (
        of(&|d| &d.arrests),
        of(&|d| &d.share_other),
        of(&|d| &d.share_convicted),
        of(&|d| &d.detained),
        of(&|d| &d.removals),
    );
    let segment_value = |f: &dyn Fn(&quotasim::scenario::Scenario) -> f64| -> Vec<f64> {
        (0..plan.days)
            .map(|d| f(&plan.segments[plan.segment_index(d)].scenario))
            .collect()
    };
    let panels = vec![
        Panel {
            id: "arrests",
            title: "Arrests a day",
            y_desc: "arrests a day",
            percent: false,
            model: vec![("model".into(), &arrests)],
            reference: vec![],
            marks: vec![marks("observed", Metric::ArrestsPerDay)],
            caption: "The model's national arrests a day; published figures drawn over their windows (a range as a band).".into(),
        },
        Panel {
            id: "criminality",
            title: "Who is arrested",
            y_desc: "share of arrests",
            percent: true,
            model: vec![
                ("neither conviction nor charge".into(), &other),
                ("convicted".into(), &convicted),
            ],
            reference: vec![],
            marks: vec![
                marks("observed: neither", Metric::ShareOther),
                marks("observed: convicted", Metric::ShareConvicted),
            ],
            caption: "Shares of the day's arrests with neither conviction nor pending charge, and with a conviction; published shares over their windows.".into(),
        },
        Panel {
            id: "detained",
            title: "Detained at midnight",
            y_desc: "persons",
            percent: false,
            model: vec![("model".into(), &detained)],
            reference: vec![
                ("funded beds".into(), segment_value(&|s| s.detention.beds as f64)),
                (
                    "contracted beds".into(),
                    segment_value(&|s| quotasim::detention::contracted_beds(&s.detention) as f64),
                ),
            ],
            marks: vec![marks("observed", Metric::Detained)],
            caption: "Everyone detained at midnight, against funded and contracted beds; published counts and monthly means.".into(),
        },
        Panel {
            id: "removals",
            title: "Removals a day",
            y_desc: "removals a day",
            percent: false,
            model: vec![("model".into(), &removals)],
            reference: vec![],
            marks: vec![marks("observed", Metric::RemovalsPerDay)],
            caption: "Removals a day, docket members and people booked in by other agencies; published figures over their windows.".into(),
        },
    ];
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
    quotasim_report::backtest_report(plan, observed_file, reps, &panels, &rows, verdict)
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
