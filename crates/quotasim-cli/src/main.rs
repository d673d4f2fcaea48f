//! `quotasim`: the command-line front of the quotasim model.
//!
//! Thin by design: it reads files, calls the `quotasim` library and writes results.
//! Exit codes: 0 success, 2 bad input (scenario, arguments), 1 anything else.
//!
//! One module per command, each holding its arguments beside what it does (`run`,
//! `scenario`, `sweep`, `compare`, `calibrate`, `backtest`, `solve`, `attribute`,
//! `bench`, `dashboard`), over the pieces they share: `options` (days, seed,
//! replications, the output folder), `input` (reading files and `--set`), `memory` (the
//! check before a run), `failure`
//! (exit codes, and the library's typed errors in the command's words), `output`
//! (folders written whole or not at all, tables), `report` (the terminal table, progress)
//! and `stdout`. This file parses the command line and dispatches.

/// `print!` that ends quietly on a closed pipe ([`stdout`]); shadows std's here and in
/// every module below.
macro_rules! print {
    ($($arg:tt)*) => { $crate::stdout::write(format_args!($($arg)*)) };
}

/// `println!` that ends quietly on a closed pipe ([`stdout`]).
macro_rules! println {
    () => { $crate::stdout::write(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::stdout::write(format_args!("{}\n", format_args!($($arg)*))) };
}

mod attribute;
mod backtest;
mod bench;
mod calibrate;
mod compare;
mod dashboard;
mod failure;
mod input;
mod interrupt;
mod memory;
mod options;
mod output;
mod report;
mod run;
mod scenario;
mod solve;
mod stdout;
mod sweep;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use failure::Failure;

#[derive(Parser)]
#[command(
    name = "quotasim",
    version,
    about = "Simulate quota-driven immigration enforcement: can the quota be met, and what does it do to who gets arrested?"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a scenario (the built-in national default if none is given).
    Run(run::RunArgs),
    /// Print or check scenarios.
    #[command(subcommand)]
    Scenario(scenario::ScenarioCmd),
    /// Time one run and measure memory per person (benchmark; prints figures).
    Bench(bench::BenchArgs),
    /// Fit a scenario's free parameters to target statistics (docs/calibration.md).
    Calibrate(calibrate::CalibrateArgs),
    /// Run a design of parameter points with replications, resumably (docs/sweeps.md).
    Sweep(sweep::SweepArgs),
    /// Run two scenarios with the same seeds and report B - A for every summary key.
    Compare(compare::CompareArgs),
    /// Run a scenario and score it against published figures (an observations file):
    /// backtest.csv, backtest.html and a short table. Exits 0 when it ran, whatever the
    /// score.
    Backtest(backtest::BacktestArgs),
    /// What it would take: the least-cost levers that meet a target, and the resource
    /// that binds (docs/costs.md, "Solve"). solve.json, solve.html. Exits 2 when no
    /// setting within the bounds meets the target.
    Solve(solve::SolveArgs),
    /// What each group of a scenario's events did: exact Shapley values over
    /// counterfactual runs (docs/attribution.md). attribution.csv, attribution.html.
    Attribute(attribute::AttributeArgs),
    /// Serve the browser dashboard (the model runs in the browser) and print its address.
    Dashboard(dashboard::DashboardArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::cmd_run(args),
        Command::Scenario(scenario::ScenarioCmd::Show { file, resolved }) => {
            scenario::cmd_show(file.as_deref(), resolved)
        }
        Command::Scenario(scenario::ScenarioCmd::Check { file }) => scenario::cmd_check(&file),
        Command::Scenario(scenario::ScenarioCmd::Params { file, markdown }) => {
            scenario::cmd_params(file.as_deref(), markdown)
        }
        Command::Bench(args) => bench::cmd_bench(args),
        Command::Calibrate(args) => calibrate::cmd_calibrate(args),
        Command::Sweep(args) => sweep::cmd_sweep(args),
        Command::Compare(args) => compare::cmd_compare(args),
        Command::Backtest(args) => backtest::cmd_backtest(args),
        Command::Solve(args) => solve::cmd_solve(args),
        Command::Attribute(args) => attribute::cmd_attribute(args),
        Command::Dashboard(args) => dashboard::cmd_dashboard(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            if !msg.is_empty() {
                eprintln!("{msg}");
            }
            ExitCode::from(2)
        }
        Err(Failure::Other(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
        Err(Failure::Interrupted(msg)) => {
            eprintln!("{msg}");
            ExitCode::from(130)
        }
    }
}
