//! `quotasim`: the command-line front of the quotasim model.
//!
//! Thin by design: it reads files, calls the `quotasim` library and writes results.
//! Exit codes: 0 success, 2 bad input (scenario, arguments), 1 anything else.

mod output;
mod report;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use quotasim::scenario::{NATIONAL_DEFAULT_NAME, NATIONAL_DEFAULT_TOML, Scenario, ScenarioErrors};
use quotasim::{Plan, ensemble};

/// Largest scenario file read (bytes): a scenario is a few kilobytes.
const MAX_SCENARIO_BYTES: u64 = 1 << 20;

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
    Run(RunArgs),
    /// Print or check scenarios.
    #[command(subcommand)]
    Scenario(ScenarioCmd),
    /// Time one run and measure memory per person (benchmark; prints figures).
    Bench(BenchArgs),
}

#[derive(clap::Args)]
struct RunArgs {
    /// Scenario file (TOML); omit for the built-in national default.
    scenario: Option<PathBuf>,
    /// Seed of the random streams (default: the scenario's run.seed).
    #[arg(long)]
    seed: Option<u64>,
    /// Days to simulate (default: the scenario's run.days); events after the end do not happen.
    #[arg(long)]
    days: Option<u32>,
    /// Replications, run in parallel; summaries then give the mean with _p05 and _p95.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    reps: u32,
    /// Output folder (default: runs/<scenario name>-<seed>).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print no progress bar.
    #[arg(long)]
    quiet: bool,
}

#[derive(Subcommand)]
enum ScenarioCmd {
    /// Print the built-in default scenario as TOML, ready to copy and edit.
    Show,
    /// Validate a scenario file; prints every problem with its file, line and key.
    Check { file: PathBuf },
}

#[derive(clap::Args)]
struct BenchArgs {
    /// Scenario file; omit for the national default.
    scenario: Option<PathBuf>,
    /// Timed runs (the fastest and the median are reported).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    runs: u32,
    /// Days to simulate (default: the scenario's).
    #[arg(long)]
    days: Option<u32>,
}

/// A failure with its exit code: 2 for bad input, 1 otherwise.
enum Failure {
    Input(String),
    Other(anyhow::Error),
}

impl From<ScenarioErrors> for Failure {
    fn from(e: ScenarioErrors) -> Self {
        Failure::Input(e.to_string())
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Other(e)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => cmd_run(args),
        Command::Scenario(ScenarioCmd::Show) => {
            print!("{NATIONAL_DEFAULT_TOML}");
            Ok(())
        }
        Command::Scenario(ScenarioCmd::Check { file }) => cmd_check(&file),
        Command::Bench(args) => cmd_bench(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            eprintln!("{msg}");
            ExitCode::from(2)
        }
        Err(Failure::Other(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Reads a scenario file, refusing what is not a scenario before parsing it.
fn read_scenario_text(path: &Path) -> Result<String, Failure> {
    let shown = path.display();
    let meta = std::fs::metadata(path)
        .map_err(|e| Failure::Input(format!("error: {shown}: cannot read the scenario: {e}")))?;
    if meta.is_dir() {
        return Err(Failure::Input(format!(
            "error: {shown}: is a folder; a scenario is a TOML file"
        )));
    }
    if meta.len() > MAX_SCENARIO_BYTES {
        return Err(Failure::Input(format!(
            "error: {shown}: {} bytes; a scenario file is at most {} bytes (1 MiB)",
            meta.len(),
            MAX_SCENARIO_BYTES
        )));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::Input(format!("error: {shown}: cannot read the scenario: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        Failure::Input(format!("error: {shown}:{line}\n       the file is not UTF-8 text (invalid byte at offset {at}); save it as UTF-8"))
    })
}

/// Loads a scenario (or the default) and plans it.
fn load_plan(path: Option<&Path>, days: Option<u32>) -> Result<Plan, Failure> {
    match path {
        None => Ok(Plan::from_toml(
            NATIONAL_DEFAULT_NAME,
            NATIONAL_DEFAULT_TOML,
            days,
        )?),
        Some(p) => {
            let text = read_scenario_text(p)?;
            Ok(Plan::from_toml(&p.display().to_string(), &text, days)?)
        }
    }
}

fn cmd_check(file: &Path) -> Result<(), Failure> {
    let text = read_scenario_text(file)?;
    let s = Scenario::from_toml(&file.display().to_string(), &text)?;
    let plan = Plan::new(&s)?;
    println!(
        "{}: valid scenario \"{}\": {} days from {}, {} offices, {} parameter change(s) from events",
        file.display(),
        s.run.name,
        s.run.days,
        s.run.start_date,
        plan.offices.len(),
        plan.segments.len() - 1
    );
    Ok(())
}

fn cmd_run(args: RunArgs) -> Result<(), Failure> {
    let plan = load_plan(args.scenario.as_deref(), args.days)?;
    let seed = args.seed.unwrap_or(plan.scenario.run.seed);
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("runs").join(format!("{}-{seed}", plan.scenario.run.name))
    });
    let started = Instant::now();
    let total = u64::from(plan.days) * u64::from(args.reps);
    let bar = report::progress_bar(total, args.quiet);
    let runs = ensemble::replicate(&plan, seed, args.reps, &|done| bar.set_position(done));
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    let summary = if runs.len() == 1 {
        runs[0].summary.clone()
    } else {
        ensemble::combine(&runs.iter().map(|r| r.summary.clone()).collect::<Vec<_>>())
    };
    output::write_run(&out, &plan, seed, &runs, &summary).map_err(Failure::Other)?;
    report::print_summary(&plan, &summary, args.reps);
    eprintln!(
        "{} replication(s) x {} days in {:.2} s; outputs in {}",
        args.reps,
        plan.days,
        elapsed.as_secs_f64(),
        out.display()
    );
    Ok(())
}

/// Peak resident memory of this process (kB), from /proc (Linux); None elsewhere.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn cmd_bench(args: BenchArgs) -> Result<(), Failure> {
    let plan = load_plan(args.scenario.as_deref(), args.days)?;
    let rss_before = peak_rss_kb();
    let mut times = Vec::new();
    let mut build_times = Vec::new();
    let mut bytes = 0;
    for i in 0..args.runs {
        let t = Instant::now();
        let docket = quotasim::population::build(
            &plan.scenario,
            &plan.docket_share,
            plan.scenario.run.seed,
            i,
        );
        build_times.push(t.elapsed().as_secs_f64());
        drop(docket);
        let t = Instant::now();
        let run = quotasim::run(&plan, plan.scenario.run.seed, i);
        times.push(t.elapsed().as_secs_f64());
        bytes = run.docket_bytes;
        std::hint::black_box(&run);
    }
    times.sort_by(f64::total_cmp);
    build_times.sort_by(f64::total_cmp);
    let people = plan.scenario.docket.total as f64;
    println!("scenario        {}", plan.scenario.run.name);
    println!("threads         {}", rayon::current_num_threads());
    println!("people          {}", plan.scenario.docket.total);
    println!("days            {}", plan.days);
    println!("runs            {}", args.runs);
    println!("wall_s_min      {:.3}", times[0]);
    println!("wall_s_median   {:.3}", times[times.len() / 2]);
    println!(
        "build_s_median  {:.3}  (drawing the docket, included in wall_s)",
        build_times[build_times.len() / 2]
    );
    println!("docket_bytes_per_person  {:.2}", bytes as f64 / people);
    if let (Some(before), Some(peak)) = (rss_before, peak_rss_kb()) {
        println!("peak_rss_mb     {:.1}", peak as f64 / 1024.0);
        println!(
            "peak_rss_bytes_per_person  {:.2}",
            (peak.saturating_sub(before)) as f64 * 1024.0 / people
        );
    }
    Ok(())
}
