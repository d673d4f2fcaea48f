//! `quotasim calibrate`: fit a scenario's free parameters to targets.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::failure::{Failure, calibrate_error};
use crate::input::{load_scenario, read_toml_text};
use crate::memory::check_memory;
use crate::options::OutOptions;
use crate::{interrupt, output, report};

#[derive(clap::Args)]
pub(crate) struct CalibrateArgs {
    /// Scenario file (TOML) whose parameters are fitted.
    pub(crate) scenario: PathBuf,
    /// Targets file: the figures to fit, the free parameters and the search settings.
    #[arg(long)]
    pub(crate) targets: PathBuf,
    /// Output folder (default: runs/calibrate-<scenario name>).
    #[command(flatten)]
    pub(crate) out: OutOptions,
    /// Print no progress.
    #[arg(long)]
    pub(crate) quiet: bool,
}

pub(crate) fn cmd_calibrate(args: CalibrateArgs) -> Result<(), Failure> {
    let (resolved, scenario) = load_scenario(Some(&args.scenario))?;
    let name = scenario.run.name.clone();
    let ttext = read_toml_text(&args.targets, "targets file")?;
    let torigin = args.targets.display().to_string();
    // An overlay is fitted as the whole it resolves to.
    let mut calibration =
        quotasim_request::calibrate::Calibration::new(scenario, resolved.text, &torigin, &ttext)
            .map_err(calibrate_error)?;
    if let Some(rel) = calibration.observed_name() {
        // Relative to the targets file, as a scenario's base is to the scenario.
        let path = args
            .targets
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join(rel);
        let otext = read_toml_text(&path, "observations file")?;
        calibration
            .with_observations(&path.display().to_string(), &otext)
            .map_err(calibrate_error)?;
    }
    // Each evaluation runs the calibration's seeds at once.
    let (plan, seeds) = calibration.evaluation().map_err(calibrate_error)?;
    check_memory(&plan, seeds)?;
    let out = args.out.claim(&format!("calibrate-{name}"))?;
    let started = Instant::now();
    let bar = report::spinner(args.quiet);
    // Ctrl-C once: the search stops at its best point so far, whose fit is written;
    // twice: abandoned.
    interrupt::watch();
    let kept = std::cell::Cell::new(false);
    let done = calibration
        .run(&|p| {
            use quotasim_calibrate::{Stage, Stop};
            use std::ops::ControlFlow;
            let presses = interrupt::presses();
            let (stage, answer) = match (p.stage, presses) {
                (Stage::Search, 0) => ("searching", ControlFlow::Continue(())),
                (Stage::Search, 1) => {
                    kept.set(true);
                    (
                        "stopping the search at its best point (Ctrl-C again to abandon)",
                        ControlFlow::Break(Stop::KeepBest),
                    )
                }
                (Stage::Check, 0) => (
                    "scoring the start and the fit on fresh replications",
                    ControlFlow::Continue(()),
                ),
                (Stage::Check, 1) => (
                    "scoring the start and the fit on fresh replications (Ctrl-C again to abandon)",
                    ControlFlow::Continue(()),
                ),
                (Stage::Uncertainty, 0) => {
                    ("differences for the covariance", ControlFlow::Continue(()))
                }
                (Stage::Uncertainty, 1) => (
                    "differences for the covariance (Ctrl-C again to abandon)",
                    ControlFlow::Continue(()),
                ),
                _ => ("abandoning", ControlFlow::Break(Stop::Abandon)),
            };
            bar.set_message(if p.stage == Stage::Check {
                format!("{stage}: objective at the fit {:.3}", p.best)
            } else {
                format!(
                    "{stage}: {}evaluation {} ({seeds} runs each), best objective {:.3}",
                    p.of_starts(),
                    p.evaluations,
                    p.best
                )
            });
            answer
        })
        .map_err(calibrate_error)?;
    bar.finish_and_clear();
    output::write_folder(&out, |dir| {
        output::write_text(&dir.join("fitted.toml"), &done.fitted)?;
        output::write_text(&dir.join("fit.toml"), &done.fit_toml)?;
        output::write_text(&dir.join("fit-report.md"), &done.report)?;
        Ok(())
    })
    .map_err(Failure::Other)?;
    println!("{}", done.report);
    eprintln!(
        "{} evaluations in {:.1} s; outputs in {}",
        done.fit.fit.evaluations,
        started.elapsed().as_secs_f64(),
        out.path().display()
    );
    // Written, but not converged: the search was stopped.
    if kept.get() {
        return Err(Failure::Interrupted(format!(
            "interrupted (Ctrl-C): {}",
            done.fit.fit.stopped
        )));
    }
    Ok(())
}
