//! `quotasim run`: one scenario, one run or an ensemble, streamed to the output folder.

use std::path::{Path, PathBuf};
use std::time::Instant;

use quotasim::{Plan, ensemble};

use crate::failure::{Failure, request_error};
use crate::input::{load_plan, load_scenario, parse_set, read_toml_text, refuse_repeated_keys};
use crate::memory::check_memory;
use crate::options::RunOptions;
use crate::{output, report};

#[derive(clap::Args)]
pub(crate) struct RunArgs {
    /// Scenario file (TOML); omit for the built-in national default. The output folder
    /// defaults to runs/<scenario name>-<seed>.
    pub(crate) scenario: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) run: RunOptions,
    /// A calibration's fit.toml: each replication draws the fitted parameters from the
    /// fit's posterior, so intervals carry the fit's uncertainty as well as chance.
    #[arg(long)]
    pub(crate) posterior: Option<PathBuf>,
    /// What an ensemble's 5-95 % bands carry, as a comma-separated list: chance, costs
    /// (unit costs drawn from their ranges), assumptions (the scenario's assumption
    /// ranges), model-error (widened by the model's own error as the published figures
    /// of the fit window measure it); all (the default) or none. The fit's posterior is
    /// added by --posterior. The summary's bands_carry says what they carried.
    #[arg(long, default_value = "all", value_name = "LIST")]
    pub(crate) bands: String,
    /// Hold a parameter at a value for the whole run, PATH=VALUE (repeatable; true or
    /// false for a switch): the events that set it no longer do, as `sweep --set`,
    /// an overlay's `hold` and Python's `set=`.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub(crate) set: Vec<String>,
    /// Daily tables to write: office (daily.* and national.*), national (national.*
    /// only) or none (summary, replications and report only; for large ensembles,
    /// whose office table runs to about 7 MB of CSV a replication).
    #[arg(long, value_enum, default_value = "office")]
    pub(crate) daily: output::Daily,
}

/// With a calibration's fit.toml, one plan per replication, each with its own draw of
/// the fitted parameters from the fit's posterior; also the fit's origin and the draws
/// as CSV (posterior.csv).
pub(crate) fn posterior_plans(
    path: Option<&Path>,
    plan: &Plan,
    seed: u64,
    reps: u32,
) -> Result<Option<(Vec<Plan>, String, String)>, Failure> {
    let Some(path) = path else {
        return Ok(None);
    };
    let (fit, origin) = read_fit(path)?;
    let (plans, csv) = plans_of_fit(&fit, &origin, plan, seed, reps)?;
    Ok(Some((plans, origin, csv)))
}

/// One plan per replication with its draw from `fit`'s posterior (named `origin` in
/// errors), and the draws as CSV.
pub(crate) fn plans_of_fit(
    fit: &quotasim_calibrate::Fit,
    origin: &str,
    plan: &Plan,
    seed: u64,
    reps: u32,
) -> Result<(Vec<Plan>, String), Failure> {
    let draws = draws_of_fit(fit, origin, &plan.scenario, seed, reps)?;
    let plans = draws
        .scenarios
        .iter()
        .map(|s| Plan::with_days(s, Some(plan.days)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((plans, draws.csv(fit)))
}

/// `reps` draws from `fit`'s posterior (named `origin` in errors) applied to
/// `scenario` ([`quotasim_request::posterior::Draws`]). A parameter the scenario sets
/// away from the fit's estimate keeps the scenario's value (said on standard error).
pub(crate) fn draws_of_fit(
    fit: &quotasim_calibrate::Fit,
    origin: &str,
    scenario: &quotasim::Scenario,
    seed: u64,
    reps: u32,
) -> Result<quotasim_request::posterior::Draws, Failure> {
    use quotasim_request::posterior::Draws;
    let draws = Draws::new(fit, scenario, seed, reps).map_err(|e| {
        Failure::Input(format!(
            "error: {}",
            Draws::not_applying(origin, scenario, &e)
        ))
    })?;
    for note in draws.kept_notes(origin, scenario) {
        eprintln!("note: {note}");
    }
    Ok(draws)
}

/// A calibration's fit.toml read, with its origin for errors.
pub(crate) fn read_fit(path: &Path) -> Result<(quotasim_calibrate::Fit, String), Failure> {
    let text = read_toml_text(path, "fit")?;
    let origin = path.display().to_string();
    let fit = quotasim_calibrate::Fit::from_toml(&origin, &text)
        .map_err(|e| Failure::Input(e.to_string()))?;
    Ok((fit, origin))
}

/// The ensemble a command runs: `plan` with the seed and replications of `opts`
/// (`default_reps` when --reps is not given), and with a fit's posterior
/// (`posterior`) one parameter draw a replication; also the fit's origin and its
/// draws as CSV.
pub(crate) fn ensemble_of(
    plan: Plan,
    opts: &RunOptions,
    default_reps: u32,
    posterior: Option<&Path>,
) -> Result<(quotasim_request::Ensemble, Option<(String, String)>), Failure> {
    use quotasim_request::{Ensemble, MAX_REPS, ensemble::seed_of};
    let seed = seed_of(&plan.scenario, opts.seed).map_err(request_error)?;
    let reps = opts.reps_or(default_reps);
    Ok(match posterior_plans(posterior, &plan, seed, reps)? {
        None => (
            Ensemble::new(plan, Some(seed), Some(reps), MAX_REPS).map_err(request_error)?,
            None,
        ),
        Some((draws, origin, csv)) => (
            Ensemble::with_draws(plan, draws, seed, MAX_REPS).map_err(request_error)?,
            Some((origin, csv)),
        ),
    })
}

/// The scenario at `path` with each `--set PATH=VALUE` written in and held for the
/// whole run (the rule of every front: `quotasim_sweep::held`), planned.
fn held_plan(path: Option<&Path>, set: &[String], days: Option<u32>) -> Result<Plan, Failure> {
    let fixed = set
        .iter()
        .map(|s| parse_set(s))
        .collect::<Result<Vec<_>, _>>()?;
    let named: Vec<(&str, &str)> = fixed.iter().map(|(p, _)| ("--set", p.as_str())).collect();
    refuse_repeated_keys(&named)?;
    let (_, scenario) = load_scenario(path)?;
    let held = quotasim_sweep::held(&scenario, &fixed, &[], days).map_err(|problems| {
        Failure::Input(
            problems
                .iter()
                .map(|e| format!("error: --set {e}"))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    Ok(Plan::with_days(&held, days)?)
}

pub(crate) fn cmd_run(args: RunArgs) -> Result<(), Failure> {
    let opts = &args.run;
    let plan = if args.set.is_empty() {
        load_plan(args.scenario.as_deref(), opts.days)?
    } else {
        held_plan(args.scenario.as_deref(), &args.set, opts.days)?
    };
    check_memory(&plan, opts.reps_or(1))?;
    let bands = quotasim_request::Bands::parse(&args.bands).map_err(request_error)?;
    let (ens, posterior) = ensemble_of(plan, opts, 1, args.posterior.as_deref())?;
    let ens = ens.with_bands(bands);
    let (plan, seed, reps) = (ens.plan(), ens.seed(), ens.reps());
    let out = opts
        .out
        .claim(&format!("{}-{seed}", plan.scenario.run.name))?;
    let started = Instant::now();
    let mut extra = Vec::new();
    if let Some((_, csv)) = &posterior {
        extra.push(("posterior.csv", csv.clone()));
    }
    let bar = report::progress_bar(ens.total_days(), opts.quiet);
    // Replications stream: each one's daily rows are written as it finishes and only
    // its summary and the report's series are kept (docs/outputs.md).
    let mut elapsed = Default::default();
    let mut summary = quotasim::Summary::default();
    let mut figures = quotasim_calibrate::observed::Figures::shipped_within(plan);
    let mut scores: Vec<quotasim_calibrate::observed::Score> = Vec::new();
    output::write_folder(&out, |dir| {
        let daily =
            output::DailyWriter::create(dir, &output::provenance(plan, seed, reps), args.daily)?;
        let mut series = quotasim_report::Series::new(plan, reps as usize);
        let mut summaries: Vec<(u32, quotasim::Summary)> = Vec::new();
        // What was published inside the run's dates: each replication's figure for it,
        // and its national daily series, for the table and report.html.
        let mut dailies: Vec<quotasim_report::Daily> = Vec::new();
        // The daily tables are written on a thread of their own, in replication order,
        // while the next replications run; at most a few finished runs wait for it.
        let failed = std::sync::atomic::AtomicBool::new(false);
        let written = std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel::<quotasim::Run>(4);
            let writer = scope.spawn(|| -> anyhow::Result<()> {
                let mut daily = daily;
                for run in receive {
                    if let Err(e) = daily.add(&ens.plan_of(run.rep), &run) {
                        failed.store(true, std::sync::atomic::Ordering::Relaxed);
                        return Err(e);
                    }
                }
                daily.finish()
            });
            ens.run_each(&|done| bar.set_position(done), &mut |mut run| {
                // A failed write (a full disk) stops the run: nothing more is started.
                if failed.load(std::sync::atomic::Ordering::Relaxed) {
                    return std::ops::ControlFlow::Break(());
                }
                series.add(&run);
                if !figures.observations.list.is_empty() {
                    dailies.push(quotasim_report::Daily::of(plan, &run));
                    figures.add(plan, &run);
                }
                summaries.push((run.rep, std::mem::take(&mut run.summary)));
                if send.send(run).is_err() {
                    return std::ops::ControlFlow::Break(());
                }
                std::ops::ControlFlow::Continue(())
            });
            drop(send);
            // The summary and the report are made while the last tables are written.
            // With a posterior even one replication is reported as an ensemble.
            summary = match (&summaries[..], &posterior) {
                ([(_, one)], None) => one.clone(),
                _ => ensemble::combine(&summaries.iter().map(|(_, s)| s).collect::<Vec<_>>()),
            };
            if let Some((origin, _)) = &posterior {
                summary.entries.push((
                    "posterior_fit".into(),
                    quotasim::summary::Stat::Text(origin.clone()),
                ));
            }
            // Bands widened by the model's own error where it is measured, and said.
            ens.finish(&mut summary, Some(&figures));
            scores = figures.scores();
            let observed = &figures.observations;
            let charts = (!observed.list.is_empty()).then(|| {
                quotasim_report::backtest_figures(
                    plan,
                    observed,
                    &dailies,
                    quotasim_report::Size::REPORT,
                )
            });
            let shown = charts.as_ref().map(|c| {
                (
                    &c[..],
                    quotasim_report::charted_count(observed),
                    quotasim_calibrate::observed::SHIPPED.0,
                )
            });
            extra.push((
                "report.html",
                quotasim_report::run_report(plan, &series, &summary, shown),
            ));
            writer.join().unwrap_or_else(|_| {
                Err(anyhow::anyhow!(
                    "the thread writing the daily tables failed"
                ))
            })
        });
        bar.finish_and_clear();
        elapsed = started.elapsed();
        written?;
        output::write_run_files(dir, plan, seed, &summaries, &summary, &extra)
    })
    .map_err(Failure::Other)?;
    report::print_summary(plan, &summary, reps);
    report::print_observed(quotasim_calibrate::observed::SHIPPED.0, &scores);
    eprintln!(
        "{} replication(s) x {} days in {:.2} s; outputs in {}",
        reps,
        plan.days,
        elapsed.as_secs_f64(),
        out.path().display()
    );
    Ok(())
}
