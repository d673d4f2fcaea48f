//! `quotasim backtest`: a scenario's replications scored against published figures
//! (docs/calibration.md, "Backtest").
//!
//! Replications stream ([`quotasim::ensemble::replicate_each`]): each one's statistics
//! for every observation, and its national daily series for the charts, are taken as
//! it finishes; its rows are then dropped. The folder holds `backtest.csv` (one row per
//! observation), `backtest.html` (charts, scores, verdict) and the `scenario.toml` run.
//!
//! With `--vs OTHER`, another scenario runs first on the same seed and replications
//! (common random numbers) and is scored on the same figures: the verdict ends with the
//! paired difference in the sum of squared z
//! ([`quotasim_calibrate::observed::paired_difference`]), and `vs.csv` gives each
//! figure's z in both.
//!
//! With `--origin`, a rolling-origin backtest ([`from_origin`]): the targets file's free
//! parameters are fitted on the observations that end before the origin, then only the
//! observations from the origin on are scored, each replication drawing from that
//! fit's posterior; the share of them within the model's 5-95 % band is the coverage of
//! its 90 % intervals. Those bands leave out the model's own error; the fit's residuals
//! before the origin measure it (k stated sd, k^2 = the objective over the figures
//! fitted), and the coverage is given again with each band widened by 1.645 k sd.

use std::path::PathBuf;

use quotasim::Plan;
use quotasim::engine::Run;
use quotasim_calibrate::observed::{
    Figures, Observations, Score, backtest_verdict, paired_sentence, score,
};
use quotasim_report::{Daily, ScoreRow, Size};

use crate::failure::Failure;
use crate::input::{load_plan, read_toml_text};
use crate::memory::check_memory;
use crate::options::RunOptions;
use crate::report::cell;
use crate::run::ensemble_of;
use crate::{output, report};

/// What a backtest found.
pub struct Outcome {
    pub scores: Vec<Score>,
    pub verdict: String,
    pub csv: String,
    pub html: String,
    /// Each figure's statistic in every replication (for a paired comparison).
    pub figures: Figures,
}

/// Runs `reps` replications (replication r from `plan_of(r)`) and gathers each
/// observation's statistic and the national daily series of each.
fn gather<'p>(
    plan: &Plan,
    plan_of: &(dyn Fn(u32) -> std::borrow::Cow<'p, Plan> + Sync),
    seed: u64,
    reps: u32,
    observations: &Observations,
    progress: &(dyn Fn(u64) + Sync),
) -> (Figures, Vec<Daily>) {
    let mut figures = Figures::new(observations.clone());
    let mut series: Vec<Daily> = Vec::new();
    quotasim::ensemble::replicate_each(plan_of, seed, reps, progress, &mut |r: Run| {
        figures.add(plan, &r);
        series.push(Daily::of(plan, &r));
        std::ops::ControlFlow::Continue(())
    });
    (figures, series)
}

/// Runs `reps` replications (replication r from `plan_of(r)`) and scores them; `vs`,
/// another scenario's figures on the same replications and its name, adds their paired
/// comparison to the verdict.
#[allow(clippy::too_many_arguments)]
pub fn run<'p>(
    plan: &Plan,
    plan_of: &(dyn Fn(u32) -> std::borrow::Cow<'p, Plan> + Sync),
    seed: u64,
    reps: u32,
    observations: &Observations,
    observed_file: &str,
    progress: &(dyn Fn(u64) + Sync),
    vs: Option<(&Figures, &str)>,
) -> Outcome {
    let (figures, series) = gather(plan, plan_of, seed, reps, observations, progress);
    let scores = figures.scores();
    let mut verdict = backtest_verdict(&figures);
    if let Some((other, name)) = vs {
        verdict = format!("{verdict} {}", paired_sentence(&figures, other, name));
    }
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
        figures,
    }
}

/// `vs.csv`: each figure scored in both scenarios, its model mean and z in this one and
/// in the other, and the change in its squared z (negative: the other lies nearer).
fn vs_csv_of(here: &Figures, there: &Figures) -> String {
    let mut out = String::from(
        "metric,window,observed,sd,model_mean,z,vs_model_mean,vs_z,vs_change_in_z_squared\n",
    );
    let both = here
        .observations
        .list
        .iter()
        .zip(here.values.iter().zip(&there.values))
        .filter(|(_, (a, b))| !a.is_empty() && !b.is_empty());
    for (o, (a, b)) in both {
        let (a, b) = (score(o, a), score(o, b));
        out.push_str(&csv_row(
            &a,
            &[
                cell(a.model_mean),
                cell(a.z),
                cell(b.model_mean),
                cell(b.z),
                cell(b.z * b.z - a.z * a.z),
            ],
        ));
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A row: the figure's metric, window, observed value and sd, then `cells`.
fn csv_row(s: &Score, cells: &[String]) -> String {
    let mut row = [
        csv_field(&s.metric),
        csv_field(&s.window),
        csv_field(&s.observed),
        cell(s.sd),
    ]
    .join(",");
    for c in cells {
        row.push(',');
        row.push_str(c);
    }
    row.push('\n');
    row
}

fn csv_of(scores: &[Score]) -> String {
    let mut out =
        String::from("metric,window,observed,sd,model_mean,model_p05,model_p95,z,inside,source\n");
    for s in scores {
        out.push_str(&csv_row(
            s,
            &[
                cell(s.model_mean),
                cell(s.model_p05),
                cell(s.model_p95),
                cell(s.z),
                s.inside.to_string(),
                csv_field(&s.source),
            ],
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

/// `quotasim backtest --origin DATE --targets FILE`: fit on what was published before
/// `origin`, score what came after it (docs/calibration.md, "Rolling-origin backtest").
pub fn from_origin(
    args: &BacktestArgs,
    origin: &str,
    targets: &std::path::Path,
) -> Result<(), crate::failure::Failure> {
    use crate::failure::Failure;
    let origin_date = quotasim::scenario::Date::parse(origin).ok_or_else(|| {
        Failure::Input(format!(
            "error: --origin {origin}: a date is written YYYY-MM-DD"
        ))
    })?;
    let opts = &args.run;
    let (resolved, scenario) = crate::input::load_scenario(Some(&args.scenario))?;
    let observed_text = crate::input::read_toml_text(&args.observed, "observations file")?;
    let observed_origin = args.observed.display().to_string();
    let ttext = crate::input::read_toml_text(targets, "targets file")?;
    let torigin = targets.display().to_string();
    // The fit: from the scenario's own values, on the observations before the origin.
    let mut calibration =
        quotasim_request::calibrate::Calibration::new(scenario, resolved.text, &torigin, &ttext)
            .map_err(crate::failure::calibrate_error)?;
    calibration
        .with_observations(&observed_origin, &observed_text)
        .map_err(crate::failure::calibrate_error)?;
    calibration
        .before(origin_date)
        .map_err(crate::failure::calibrate_error)?;
    let fitted_on = calibration.targets().observations.len();
    let plan = crate::input::load_plan(Some(&args.scenario), opts.days)?;
    let mut after =
        quotasim_calibrate::observed::Observations::from_toml(&observed_origin, &observed_text)?;
    after
        .list
        .retain(|o| o.from.is_some_and(|from| from >= origin_date));
    if after.list.is_empty() {
        return Err(Failure::Input(format!(
            "error: --origin {origin}: no observation of {observed_origin} starts on or after it: nothing to score"
        )));
    }
    after.check_against(&observed_origin, &observed_text, &plan)?;
    let reps = opts.reps_or(10);
    crate::memory::check_memory(&plan, reps)?;
    let out = opts.out.claim(&format!(
        "backtest-{}-from-{origin}",
        plan.scenario.run.name
    ))?;
    let spinner = crate::report::spinner(opts.quiet);
    let done = calibration
        .run(&|p| {
            spinner.set_message(format!(
                "fitting on the {fitted_on} observations before {origin}: {}evaluation {}, best objective {:.3}",
                p.of_starts(),
                p.evaluations,
                p.best
            ));
            std::ops::ControlFlow::Continue(())
        })
        .map_err(crate::failure::calibrate_error)?;
    spinner.finish_and_clear();
    let seed = quotasim_request::ensemble::seed_of(&plan.scenario, opts.seed)
        .map_err(crate::failure::request_error)?;
    // The forecast runs the fitted scenario (the fit's values written in), each
    // replication its own draw around them: drawn on the scenario the fit started from,
    // every fitted value would count as the scenario's own and be kept, not drawn.
    let fit_name = format!("the fit before {origin}");
    let fitted = quotasim::Scenario::from_resolved(&quotasim::overlay::Resolved::plain(
        &fit_name,
        &done.fitted,
    ))?;
    let plan = quotasim::Plan::with_days(&fitted, Some(plan.days))?;
    let (draws, posterior_csv) = crate::run::plans_of_fit(&done.fit, &fit_name, &plan, seed, reps)?;
    let ens = quotasim_request::Ensemble::with_draws(plan, draws, seed, quotasim_request::MAX_REPS)
        .map_err(crate::failure::request_error)?;
    let plan = ens.plan();
    let bar = crate::report::progress_bar(ens.total_days(), opts.quiet);
    let outcome = run(
        plan,
        &|rep| ens.plan_of(rep),
        seed,
        reps,
        &after,
        &observed_origin,
        &|d| bar.set_position(d),
        None,
    );
    bar.finish_and_clear();
    let scored = outcome.scores.len();
    let inside = outcome.scores.iter().filter(|s| s.inside).count();
    // What chance, unit costs and the posterior leave out: the model's own error. The
    // fit's residuals before the origin measure it, in stated sd (k = 1: the figures
    // are met as closely as their sd says); each band is widened by it, in quadrature.
    let k = (done.fit.fit.objective / fitted_on as f64).sqrt().max(1.0);
    let widened = after
        .list
        .iter()
        .zip(&outcome.scores)
        .filter(|(ob, s)| {
            let extra = 1.645 * k * ob.sd;
            let lo = s.model_mean - (s.model_mean - s.model_p05).hypot(extra);
            let hi = s.model_mean + (s.model_p95 - s.model_mean).hypot(extra);
            ob.meets(lo, hi)
        })
        .count();
    let pct = |n: usize| 100.0 * n as f64 / scored as f64;
    let coverage = format!(
        "Origin {origin}: fitted on the {fitted_on} observations that end before it; of the {scored} that start on or after it, {inside} ({:.0} %) meet the model's 5-95 % band, which carries {} (the coverage of its 90 % intervals). Widened by the model's own error, as the fit's residuals before the origin measure it ({k:.2} stated sd, times 1.645, added in quadrature), {widened} ({:.0} %) do.",
        pct(inside),
        ens.bands_carry().join(", "),
        pct(widened)
    );
    crate::output::write_folder(&out, |dir| {
        crate::output::write_text(&dir.join("backtest.csv"), &outcome.csv)?;
        crate::output::write_text(&dir.join("backtest.html"), &outcome.html)?;
        crate::output::write_text(&dir.join("fit.toml"), &done.fit_toml)?;
        crate::output::write_text(&dir.join("fit-report.md"), &done.report)?;
        crate::output::write_text(&dir.join("posterior.csv"), &posterior_csv)?;
        crate::output::write_text(&dir.join("coverage.txt"), format!("{coverage}\n"))?;
        std::fs::write(
            dir.join("scenario.toml"),
            plan.effective_scenario(seed).to_toml(),
        )?;
        Ok(())
    })
    .map_err(Failure::Other)?;
    print(&outcome.scores, &outcome.verdict);
    println!("{coverage}");
    eprintln!("outputs in {}", out.path().display());
    Ok(())
}

#[derive(clap::Args)]
pub(crate) struct BacktestArgs {
    /// Scenario file (TOML).
    pub(crate) scenario: PathBuf,
    /// Observations file (TOML, docs/calibration.md "Observations"), such as
    /// scenarios/observed-2025.toml.
    #[arg(long)]
    pub(crate) observed: PathBuf,
    /// Replications (default 10); seed, days and output folder as for `run` (default
    /// folder: runs/backtest-<scenario name>).
    #[command(flatten)]
    pub(crate) run: RunOptions,
    /// A calibration's fit.toml: each replication draws the fitted parameters from its
    /// posterior.
    #[arg(long, conflicts_with = "origin")]
    pub(crate) posterior: Option<PathBuf>,
    /// A rolling origin (YYYY-MM-DD): fit --targets' free parameters, from the
    /// scenario's own values, on the observations that end before this day; then score
    /// only those that start on or after it, each replication drawing from that fit's
    /// posterior (docs/calibration.md, "Rolling-origin backtest").
    #[arg(long, requires = "targets")]
    pub(crate) origin: Option<String>,
    /// The targets file whose free parameters and settings the origin's fit uses (its
    /// observations are --observed's).
    #[arg(long, requires = "origin")]
    pub(crate) targets: Option<PathBuf>,
    /// Another scenario, run on the same seeds and replications (common random
    /// numbers) and scored on the same figures: the verdict adds the difference in the
    /// sum of squared z with its paired standard error, and `vs.csv` each figure's z in
    /// both (docs/calibration.md, "Backtest").
    #[arg(long, conflicts_with_all = ["origin", "posterior"])]
    pub(crate) vs: Option<PathBuf>,
}

pub(crate) fn cmd_backtest(args: BacktestArgs) -> Result<(), Failure> {
    if let (Some(origin), Some(targets)) = (&args.origin, &args.targets) {
        return from_origin(&args, origin, targets);
    }
    let opts = &args.run;
    let plan = load_plan(Some(&args.scenario), opts.days)?;
    let observed_text = read_toml_text(&args.observed, "observations file")?;
    let observed_origin = args.observed.display().to_string();
    let observations =
        quotasim_calibrate::observed::Observations::from_toml(&observed_origin, &observed_text)?;
    check_memory(&plan, opts.reps_or(10))?;
    let (ens, posterior) = ensemble_of(plan, opts, 10, args.posterior.as_deref())?;
    let (plan, seed, reps) = (ens.plan(), ens.seed(), ens.reps());
    // Windows and summary keys are checked before the runs.
    observations.check_against(&observed_origin, &observed_text, plan)?;
    // The other scenario on this one's seed and replications (common random numbers),
    // loaded and checked before any run.
    let other = match &args.vs {
        Some(path) => {
            let other_plan = load_plan(Some(path), opts.days)?;
            check_memory(&other_plan, reps)?;
            let other_ens = quotasim_request::Ensemble::new(
                other_plan,
                Some(seed),
                Some(reps),
                quotasim_request::MAX_REPS,
            )
            .map_err(crate::failure::request_error)?;
            observations.check_against(&observed_origin, &observed_text, other_ens.plan())?;
            Some((other_ens, path.display().to_string()))
        }
        None => None,
    };
    let out = opts
        .out
        .claim(&format!("backtest-{}", plan.scenario.run.name))?;
    let before = other.as_ref().map_or(0, |(e, _)| e.total_days());
    let bar = report::progress_bar(before + ens.total_days(), opts.quiet);
    let there = other.as_ref().map(|(other_ens, name)| {
        let (figures, _) = gather(
            other_ens.plan(),
            &|rep| other_ens.plan_of(rep),
            seed,
            reps,
            &observations,
            &|d| bar.set_position(d),
        );
        (figures, name.clone())
    });
    let outcome = run(
        plan,
        &|rep| ens.plan_of(rep),
        seed,
        reps,
        &observations,
        &observed_origin,
        &|d| bar.set_position(before + d),
        there.as_ref().map(|(f, name)| (f, name.as_str())),
    );
    bar.finish_and_clear();
    let vs_csv = there.as_ref().map(|(f, _)| vs_csv_of(&outcome.figures, f));
    output::write_folder(&out, |dir| {
        output::write_text(&dir.join("backtest.csv"), &outcome.csv)?;
        output::write_text(&dir.join("backtest.html"), &outcome.html)?;
        if let Some(csv) = &vs_csv {
            output::write_text(&dir.join("vs.csv"), csv)?;
        }
        std::fs::write(
            dir.join("scenario.toml"),
            plan.effective_scenario(seed).to_toml(),
        )?;
        if let Some((_, csv)) = &posterior {
            output::write_text(&dir.join("posterior.csv"), csv)?;
        }
        Ok(())
    })
    .map_err(Failure::Other)?;
    print(&outcome.scores, &outcome.verdict);
    eprintln!("outputs in {}", out.path().display());
    Ok(())
}
