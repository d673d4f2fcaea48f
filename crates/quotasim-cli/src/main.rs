//! `quotasim`: the command-line front of the quotasim model.
//!
//! Thin by design: it reads files, calls the `quotasim` library and writes results.
//! Exit codes: 0 success, 2 bad input (scenario, arguments), 1 anything else.

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
mod dashboard;
mod output;
mod report;
mod stdout;
mod sweep;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use quotasim::ScenarioErrors;
use quotasim::overlay::{self, Resolved};
use quotasim::parameters;
use quotasim::scenario::Scenario;
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
    /// Fit a scenario's free parameters to target statistics (docs/calibration.md).
    Calibrate(CalibrateArgs),
    /// Run a design of parameter points with replications, resumably (docs/sweeps.md).
    Sweep(SweepArgs),
    /// Run two scenarios with the same seeds and report B - A for every summary key.
    Compare(CompareArgs),
    /// Run a scenario and score it against published figures (an observations file):
    /// backtest.csv, backtest.html and a short table. Exits 0 when it ran, whatever the
    /// score.
    Backtest(BacktestArgs),
    /// What it would take: the least-cost levers that meet a target, and the resource
    /// that binds (docs/costs.md, "Solve"). solve.json, solve.html. Exits 2 when no
    /// setting within the bounds meets the target.
    Solve(SolveArgs),
    /// What each group of a scenario's events did: exact Shapley values over
    /// counterfactual runs (docs/attribution.md). attribution.csv, attribution.html.
    Attribute(attribute::AttributeArgs),
    /// Serve the browser dashboard (the model runs in the browser) and print its address.
    Dashboard(DashboardArgs),
}

#[derive(clap::Args)]
struct DashboardArgs {
    /// Port to listen on; 0 lets the system choose a free one (printed).
    #[arg(long, default_value_t = 8765)]
    port: u16,
    /// Address to listen on. The default serves this machine only; 0.0.0.0 serves the
    /// network.
    #[arg(long, default_value = "127.0.0.1")]
    host: std::net::IpAddr,
}

/// The options every command that runs the model takes, declared once.
#[derive(clap::Args, Clone)]
struct RunOptions {
    /// Replications (default: 1; `compare`: 10; `attribute`: 4). Replications run in parallel; summaries
    /// then give the mean with _p05 and _p95.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    reps: Option<u32>,
    /// Seed of the random streams (default: the scenario's run.seed), 0 to 2^63 - 1.
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=quotasim::scenario::MAX_SEED))]
    seed: Option<u64>,
    /// Days to simulate (default: the scenario's run.days); events after the end do not happen.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(quotasim::scenario::MAX_DAYS)))]
    days: Option<u32>,
    #[command(flatten)]
    out: OutOptions,
    /// Print no progress bar.
    #[arg(long)]
    quiet: bool,
}

/// Where a command writes, declared once.
#[derive(clap::Args, Clone)]
struct OutOptions {
    /// Output folder (default: under runs/, named after the scenario). It is replaced
    /// whole, so it must be new, empty or an earlier quotasim output folder; checked
    /// and locked before the work starts.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace --out even if it holds files quotasim did not write (they are deleted).
    #[arg(long)]
    force: bool,
}

impl OutOptions {
    /// The output folder (`default`, made safe as a folder name, under runs/ when
    /// --out is not given), claimed before any simulation starts.
    fn claim(&self, default: &str) -> Result<output::OutDir, Failure> {
        let out = self
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from("runs").join(folder_name(default)));
        output::claim(&out, self.force)
            .map_err(|e| Failure::Input(format!("error: --out {}: {e}", out.display())))
    }
}

impl RunOptions {
    fn reps_or(&self, default: u32) -> u32 {
        self.reps.unwrap_or(default)
    }
}

/// `name` as one folder name: letters, digits, `.`, `_` and `-` kept, anything else
/// (a path separator among them) written `-`, no leading dot. Scenario names with a
/// separator or `..` are refused at their line before this; this keeps every default
/// folder under runs/ whatever reaches it.
fn folder_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let safe = safe.trim_start_matches(['.', '-']);
    if safe.is_empty() {
        "scenario".into()
    } else {
        safe.into()
    }
}

#[derive(clap::Args)]
struct SweepArgs {
    /// Scenario file; omit for the built-in default.
    scenario: Option<PathBuf>,
    /// A parameter to vary: KEY=LO..HI[:STEPS], KEY a dotted path as in events (repeatable).
    /// A varied key holds its value for the whole run: events that set it are ignored.
    #[arg(long = "vary", required = true)]
    vary: Vec<String>,
    /// A parameter held at one value for the whole run: KEY=VALUE (repeatable).
    #[arg(long = "set")]
    set: Vec<String>,
    /// grid (every combination of the steps), lhs (Latin hypercube) or sobol (Saltelli
    /// design; writes sobol.csv).
    #[arg(long, default_value = "grid")]
    design: String,
    /// Points of an lhs design, or base samples of a sobol design (runs: samples x (keys + 2)).
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    samples: u32,
    /// Replications at every point use the same seeds; the seed also fixes the design's
    /// random parts. Re-running the same sweep into its folder (default
    /// runs/sweep-<scenario name>) completes the points not yet done.
    #[command(flatten)]
    run: RunOptions,
}

#[derive(clap::Args)]
struct CompareArgs {
    /// Scenario A (the baseline).
    a: PathBuf,
    /// Scenario B (the reform).
    b: PathBuf,
    /// Both run with the same seeds (default: A's run.seed); the output folder defaults
    /// to runs/compare-<A name>-vs-<B name>.
    #[command(flatten)]
    run: RunOptions,
}

#[derive(clap::Args)]
struct BacktestArgs {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Observations file (TOML, docs/calibration.md "Observations"), such as
    /// scenarios/observed-2025.toml.
    #[arg(long)]
    observed: PathBuf,
    /// Replications (default 10); seed, days and output folder as for `run` (default
    /// folder: runs/backtest-<scenario name>).
    #[command(flatten)]
    run: RunOptions,
    /// A calibration's fit.toml: each replication draws the fitted parameters from its
    /// posterior.
    #[arg(long, conflicts_with = "origin")]
    posterior: Option<PathBuf>,
    /// A rolling origin (YYYY-MM-DD): fit --targets' free parameters, from the
    /// scenario's own values, on the observations that end before this day; then score
    /// only those that start on or after it, each replication drawing from that fit's
    /// posterior (docs/calibration.md, "Rolling-origin backtest").
    #[arg(long, requires = "targets")]
    origin: Option<String>,
    /// The targets file whose free parameters and settings the origin's fit uses (its
    /// observations are --observed's).
    #[arg(long, requires = "origin")]
    targets: Option<PathBuf>,
}

#[derive(clap::Args)]
struct SolveArgs {
    /// Scenario file (TOML); omit for the default (scenarios/quota-2025-fitted.toml).
    scenario: Option<PathBuf>,
    /// The target: a summary key with >= or <=, such as removals_per_year>=1000000.
    #[arg(long)]
    target: String,
    /// A lever and its bounds, PATH=LO..HI, such as removal.flights_per_day=4..40
    /// (repeat for each lever). Each is held for the whole run at the value tried.
    #[arg(long = "lever", required = true)]
    levers: Vec<String>,
    /// Days per run (the horizon; default: the scenario's).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(quotasim::scenario::MAX_DAYS)))]
    days: Option<u32>,
    /// Seeds per evaluation, common to every evaluation (default 1).
    #[arg(long, default_value_t = 1)]
    reps: u32,
    /// Seed (default: the scenario's run.seed).
    #[arg(long)]
    seed: Option<u64>,
    /// Output folder (default: runs/solve-<scenario name>).
    #[command(flatten)]
    out: OutOptions,
    /// Print no progress.
    #[arg(long)]
    quiet: bool,
}

#[derive(clap::Args)]
struct CalibrateArgs {
    /// Scenario file (TOML) whose parameters are fitted.
    scenario: PathBuf,
    /// Targets file: the figures to fit, the free parameters and the search settings.
    #[arg(long)]
    targets: PathBuf,
    /// Output folder (default: runs/calibrate-<scenario name>).
    #[command(flatten)]
    out: OutOptions,
    /// Print no progress.
    #[arg(long)]
    quiet: bool,
}

#[derive(clap::Args)]
struct RunArgs {
    /// Scenario file (TOML); omit for the built-in national default. The output folder
    /// defaults to runs/<scenario name>-<seed>.
    scenario: Option<PathBuf>,
    #[command(flatten)]
    run: RunOptions,
    /// A calibration's fit.toml: each replication draws the fitted parameters from the
    /// fit's posterior, so intervals carry the fit's uncertainty as well as chance.
    #[arg(long)]
    posterior: Option<PathBuf>,
    /// What an ensemble's 5-95 % bands carry, as a comma-separated list: chance, costs
    /// (unit costs drawn from their ranges), assumptions (the scenario's assumption
    /// ranges), model-error (widened by the model's own error as the published figures
    /// of the fit window measure it); all (the default) or none. The fit's posterior is
    /// added by --posterior. The summary's bands_carry says what they carried.
    #[arg(long, default_value = "all", value_name = "LIST")]
    bands: String,
    /// Daily tables to write: office (daily.* and national.*), national (national.*
    /// only) or none (summary, replications and report only; for large ensembles,
    /// whose office table runs to about 7 MB of CSV a replication).
    #[arg(long, value_enum, default_value = "office")]
    daily: output::Daily,
}

#[derive(Subcommand)]
enum ScenarioCmd {
    /// Print a scenario as TOML with its comments and sources: the built-in default
    /// (merged onto its base, ready to copy and edit) when no file is given.
    Show {
        /// Scenario file; omit for the built-in default.
        file: Option<PathBuf>,
        /// Print the file merged onto its chain of bases (`base = ...`): the whole
        /// scenario, which runs on its own.
        #[arg(long)]
        resolved: bool,
    },
    /// Validate a scenario file; prints every problem with its file, line and key.
    Check { file: PathBuf },
    /// List every parameter: path, unit, range, kind, the value in a scenario (the
    /// built-in default when no file is given) and its meaning.
    Params {
        /// Scenario file whose values are listed; omit for the built-in default.
        file: Option<PathBuf>,
        /// Print docs/parameters.md (the registry as a Markdown table) instead.
        #[arg(long)]
        markdown: bool,
    },
}

#[derive(clap::Args)]
struct BenchArgs {
    /// Scenario file; omit for the national default.
    scenario: Option<PathBuf>,
    /// Timed runs (the fastest and the median are reported).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    runs: u32,
    /// Days to simulate (default: the scenario's).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(quotasim::scenario::MAX_DAYS)))]
    days: Option<u32>,
    /// Time whole `quotasim run` processes instead, every output written (daily and
    /// national tables as CSV and Parquet, reps, summary, report.html), into a
    /// temporary folder that is removed after.
    #[arg(long)]
    whole: bool,
}

/// `quotasim bench --whole`: whole processes of `quotasim run`, outputs written.
fn bench_whole(args: &BenchArgs, plan: &quotasim::Plan) -> Result<(), Failure> {
    let exe = std::env::current_exe()
        .map_err(|e| anyhow::anyhow!("cannot find this program's own path: {e}"))?;
    let dir = std::env::temp_dir().join(format!("quotasim-bench-{}", std::process::id()));
    let mut times = Vec::new();
    for _ in 0..args.runs {
        let mut cmd = std::process::Command::new(&exe);
        cmd.arg("run");
        if let Some(s) = &args.scenario {
            cmd.arg(s);
        }
        if let Some(d) = args.days {
            cmd.arg("--days").arg(d.to_string());
        }
        cmd.arg("--quiet").arg("--out").arg(&dir);
        let t = Instant::now();
        let out = cmd
            .output()
            .map_err(|e| anyhow::anyhow!("cannot start quotasim run: {e}"))?;
        times.push(t.elapsed().as_secs_f64());
        if !out.status.success() {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(Failure::Other(anyhow::anyhow!(
                "quotasim run failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    times.sort_by(f64::total_cmp);
    println!("scenario        {}", plan.scenario.run.name);
    println!("people          {}", plan.scenario.docket.total);
    println!("days            {}", plan.days);
    println!(
        "runs            {}  (whole `quotasim run` processes, every output written)",
        args.runs
    );
    println!("whole_s_min     {:.3}", times[0]);
    println!("whole_s_median  {:.3}", times[times.len() / 2]);
    Ok(())
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
        Command::Scenario(ScenarioCmd::Show { file, resolved }) => {
            cmd_show(file.as_deref(), resolved)
        }
        Command::Scenario(ScenarioCmd::Check { file }) => cmd_check(&file),
        Command::Scenario(ScenarioCmd::Params { file, markdown }) => {
            cmd_params(file.as_deref(), markdown)
        }
        Command::Bench(args) => cmd_bench(args),
        Command::Calibrate(args) => cmd_calibrate(args),
        Command::Sweep(args) => cmd_sweep(args),
        Command::Compare(args) => cmd_compare(args),
        Command::Backtest(args) => cmd_backtest(args),
        Command::Solve(args) => cmd_solve(args),
        Command::Attribute(args) => attribute::cmd_attribute(args),
        Command::Dashboard(args) => cmd_dashboard(args),
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
    }
}

/// Reads a scenario file, refusing what is not a scenario before parsing it.
fn read_scenario_text(path: &Path) -> Result<String, Failure> {
    read_toml_text(path, "scenario")
}

/// Reads a TOML input file (`what` names it in errors), refusing what is not a
/// regular file (a folder, a device such as /dev/zero, a pipe) before opening it, and
/// reading at most 1 MiB whatever the file claims, then refusing text that is not
/// UTF-8.
fn read_toml_text(path: &Path, what: &str) -> Result<String, Failure> {
    use std::io::Read;
    let shown = path.display();
    let meta = std::fs::metadata(path)
        .map_err(|e| Failure::Input(format!("error: {shown}: cannot read the {what}: {e}")))?;
    if meta.is_dir() {
        return Err(Failure::Input(format!(
            "error: {shown}: is a folder; a {what} is a TOML file"
        )));
    }
    if !meta.is_file() {
        return Err(Failure::Input(format!(
            "error: {shown}: is not a regular file (a device, pipe or socket); a {what} is a TOML file"
        )));
    }
    let too_big = |len: u64| {
        Failure::Input(format!(
            "error: {shown}: {len} bytes or more; a {what} file is at most {MAX_SCENARIO_BYTES} bytes (1 MiB)"
        ))
    };
    if meta.len() > MAX_SCENARIO_BYTES {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_SCENARIO_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| Failure::Input(format!("error: {shown}: cannot read the {what}: {e}")))?;
    if bytes.len() as u64 > MAX_SCENARIO_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        Failure::Input(format!("error: {shown}:{line}\n       the file is not UTF-8 text (invalid byte at offset {at}); save it as UTF-8"))
    })
}

/// Reads a scenario file and merges it onto its bases (`base = ...`), each read from
/// beside the file that names it.
fn resolve_file(path: &Path) -> Result<Resolved, Failure> {
    let text = read_scenario_text(path)?;
    let read = |base: &str| -> Result<String, String> {
        read_scenario_text(Path::new(base)).map_err(|f| {
            let text = match f {
                Failure::Input(m) => m,
                Failure::Other(e) => format!("{e:#}"),
            };
            // The error names the file and line of `base`; keep only the reason.
            let reason = text
                .strip_prefix(&format!("error: {base}: "))
                .unwrap_or(&text);
            reason.split_whitespace().collect::<Vec<_>>().join(" ")
        })
    };
    Ok(overlay::resolve(&path.display().to_string(), &text, &read)?)
}

/// A scenario file (or the built-in default, `None`), resolved.
fn resolve_scenario(path: Option<&Path>) -> Result<Resolved, Failure> {
    match path {
        None => Ok(overlay::run_default()),
        Some(p) => resolve_file(p),
    }
}

/// A scenario file (or the built-in default, `None`), resolved and validated.
fn load_scenario(path: Option<&Path>) -> Result<(Resolved, Scenario), Failure> {
    let resolved = resolve_scenario(path)?;
    let scenario = Scenario::from_resolved(&resolved)?;
    Ok((resolved, scenario))
}

/// Loads a scenario (or the default) and plans it (validated, its events scheduled
/// once).
fn load_plan(path: Option<&Path>, days: Option<u32>) -> Result<Plan, Failure> {
    Ok(Plan::from_resolved(&resolve_scenario(path)?, days)?)
}

fn cmd_show(file: Option<&Path>, resolved: bool) -> Result<(), Failure> {
    match file {
        None => print!("{}", overlay::run_default().text),
        Some(p) if resolved => {
            let (r, _) = load_scenario(Some(p))?;
            print!("{}", r.text);
        }
        Some(p) => print!("{}", read_scenario_text(p)?),
    }
    Ok(())
}

fn cmd_check(file: &Path) -> Result<(), Failure> {
    let resolved = resolve_scenario(Some(file))?;
    let plan = Plan::from_resolved(&resolved, None)?;
    let s = &plan.scenario;
    let bases = if resolved.has_base() {
        let names: Vec<&str> = resolved.files[1..]
            .iter()
            .map(|(o, _)| o.as_str())
            .collect();
        format!(" on base {}", names.join(", then "))
    } else {
        String::new()
    };
    // A scenario that no run could hold here is refused, as `run` would refuse it.
    let need = check_memory(&plan, 1)?;
    println!(
        "{}: valid scenario \"{}\"{bases}: {} days from {}, {} offices, {} parameter change(s) from events",
        file.display(),
        s.run.name,
        s.run.days,
        s.run.start_date,
        plan.offices.len(),
        plan.segments.len() - 1
    );
    println!(
        "projected peak memory of one run: about {} MB",
        need.div_ceil(1 << 20)
    );
    Ok(())
}

fn cmd_params(file: Option<&Path>, markdown: bool) -> Result<(), Failure> {
    if markdown {
        print!("{}", parameters::markdown());
        return Ok(());
    }
    let (_, scenario) = load_scenario(file)?;
    print!("{}", report::parameters_table(&scenario));
    Ok(())
}

/// With a calibration's fit.toml, one plan per replication, each with its own draw of
/// the fitted parameters from the fit's posterior; also the fit's origin and the draws
/// as CSV (posterior.csv).
fn posterior_plans(
    path: Option<&Path>,
    plan: &Plan,
    seed: u64,
    reps: u32,
) -> Result<Option<(Vec<Plan>, String, String)>, Failure> {
    let Some(path) = path else {
        return Ok(None);
    };
    let text = read_toml_text(path, "fit")?;
    let origin = path.display().to_string();
    let fit = quotasim_calibrate::Fit::from_toml(&origin, &text)
        .map_err(|e| Failure::Input(e.to_string()))?;
    let (plans, csv) = plans_of_fit(&fit, &origin, plan, seed, reps)?;
    Ok(Some((plans, origin, csv)))
}

/// One plan per replication with its draw from `fit`'s posterior (named `origin` in
/// errors), and the draws as CSV.
fn plans_of_fit(
    fit: &quotasim_calibrate::Fit,
    origin: &str,
    plan: &Plan,
    seed: u64,
    reps: u32,
) -> Result<(Vec<Plan>, String), Failure> {
    let mut plans = Vec::new();
    let mut draws = Vec::new();
    for rep in 0..reps {
        let values = fit.draw(seed, rep);
        let s = fit.apply_draw(&plan.scenario, &values).map_err(|e| {
            Failure::Input(format!(
                "error: {origin}: its parameters do not apply to scenario \"{}\": {e}",
                plan.scenario.run.name
            ))
        })?;
        plans.push(Plan::with_days(&s, Some(plan.days))?);
        draws.push(values);
    }
    let csv = quotasim_calibrate::text::posterior_csv(fit, &draws);
    Ok((plans, csv))
}

/// A request error in the command's words (its flags).
fn request_error(e: quotasim_request::RequestError) -> Failure {
    use quotasim_request::RequestError as E;
    Failure::Input(match e {
        E::Reps { value, max } => format!("error: --reps {value}: must lie in [1, {max}]"),
        E::Seed { value, max } => format!("error: --seed {value}: must lie in [0, {max}]"),
        E::Draws { plans, reps } => {
            format!("error: --posterior: {plans} draws for {reps} replications")
        }
        e @ E::Assumptions { .. } => format!("error: {e}"),
        e @ E::Bands { .. } => format!("error: --bands: {e}"),
    })
}

/// The ensemble a command runs: `plan` with the seed and replications of `opts`
/// (`default_reps` when --reps is not given), and with a fit's posterior
/// (`posterior`) one parameter draw a replication; also the fit's origin and its
/// draws as CSV.
fn ensemble_of(
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

fn cmd_run(args: RunArgs) -> Result<(), Failure> {
    let opts = &args.run;
    let plan = load_plan(args.scenario.as_deref(), opts.days)?;
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
                    quotasim::metrics::Stat::Text(origin.clone()),
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

fn cmd_dashboard(args: DashboardArgs) -> Result<(), Failure> {
    if !dashboard::built_in() {
        return Err(Failure::Other(anyhow::anyhow!(
            "this quotasim was built without the dashboard: run scripts/build-web.sh, which builds dist/, then build quotasim again (cargo build --release -p quotasim-cli); or run scripts/dashboard.sh, which does both"
        )));
    }
    dashboard::serve(args.host, args.port).map_err(Failure::Other)
}

/// A calibration error in the command's words.
fn calibrate_error(e: quotasim_request::calibrate::CalibrateError) -> Failure {
    use quotasim_request::calibrate::CalibrateError as E;
    match e {
        E::Input(e) => Failure::from(e),
        E::Request(e) => request_error(e),
        E::Search { .. } => Failure::Input(format!("error: {e}")),
        E::Text(e) => Failure::Other(anyhow::anyhow!(e)),
    }
}

fn cmd_calibrate(args: CalibrateArgs) -> Result<(), Failure> {
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
    let done = calibration
        .run(&|p| {
            let stage = match p.stage {
                quotasim_calibrate::Stage::Search => "searching",
                quotasim_calibrate::Stage::Uncertainty => "differences for the covariance",
            };
            bar.set_message(format!(
                "{stage}: evaluation {} ({seeds} runs each), best objective {:.3}",
                p.evaluations, p.best
            ));
            std::ops::ControlFlow::Continue(())
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
    Ok(())
}

fn cmd_solve(args: SolveArgs) -> Result<(), Failure> {
    let (resolved, scenario) = load_scenario(args.scenario.as_deref())?;
    // A solve error in the command's words: the flag it is about, then its text.
    let solve_error = |e: quotasim_solve::SolveError| {
        use quotasim_solve::Argument;
        let flag = match e.argument() {
            Some(Argument::Target) => "--target ",
            Some(Argument::Lever) => "--lever ",
            None => "",
        };
        Failure::Input(format!("error: {flag}{e}"))
    };
    let target = quotasim_solve::Target::parse(&args.target).map_err(solve_error)?;
    let levers = args
        .levers
        .iter()
        .map(|l| quotasim_solve::Lever::parse(l).map_err(solve_error))
        .collect::<Result<Vec<_>, _>>()?;
    let named: Vec<(&str, &str)> = levers
        .iter()
        .map(|l| ("--lever", l.path.as_str()))
        .collect();
    refuse_repeated_keys(&named)?;
    quotasim_request::ensemble::reps_of(Some(args.reps), quotasim_solve::MAX_SEEDS)
        .map_err(request_error)?;
    // Each evaluation runs its seeds at once.
    check_memory(&Plan::with_days(&scenario, args.days)?, args.reps)?;
    let out = args.out.claim(&format!("solve-{}", scenario.run.name))?;
    let problem = quotasim_solve::Problem {
        scenario: &scenario,
        target: target.clone(),
        levers: levers.clone(),
        days: args.days,
        seeds: args.reps,
        seed: quotasim_request::ensemble::seed_of(&scenario, args.seed).map_err(request_error)?,
    };
    let started = Instant::now();
    let bar = report::solve_bar(args.quiet);
    let solution = quotasim_solve::solve(&problem, &|done, most| {
        bar.set_length(most as u64);
        bar.set_position(done as u64);
        std::ops::ControlFlow::Continue(())
    })
    .map_err(solve_error)?;
    bar.finish_and_clear();
    let lever_names: Vec<String> = levers.iter().map(|l| l.path.clone()).collect();
    let money = |x: f64| format!("{:.2} billion USD a year", x / 1e9);
    let verdict = match (&solution.best, solution.feasible) {
        (Some(b), true) => {
            let set: Vec<String> = lever_names
                .iter()
                .zip(&b.values)
                .map(|(p, v)| {
                    // Whole-number parameters run rounded: show them so.
                    let whole = quotasim::parameters::find(p)
                        .is_some_and(|q| q.kind == quotasim::parameters::Kind::Count);
                    if whole {
                        format!("{p} = {}", v.round())
                    } else {
                        format!("{p} = {v:.4}")
                    }
                })
                .collect();
            format!(
                "{} is met at {} ({} = {:.4}), for {}. Binding at each step: {}.",
                args.target,
                set.join(", "),
                target.name(),
                b.metric,
                money(b.cost_per_year),
                binding_steps(&solution)
            )
        }
        _ => format!(
            "infeasible within these bounds: at the upper bounds {} is {:.4}. {}",
            target.name(),
            solution
                .path
                .iter()
                .find(|p| p.stage == "upper bounds")
                .map_or(f64::NAN, |p| p.metric),
            match &solution.binding_at_upper_bounds {
                Some(p) => format!("The binding resource at the upper bounds: {p}."),
                None => "No lever binds at the upper bounds: what holds the target back lies outside them.".into(),
            }
        ),
    };
    let steps: Vec<quotasim_report::SolveStep> = solution
        .path
        .iter()
        .map(|p| quotasim_report::SolveStep {
            stage: p.stage.into(),
            values: p.values.clone(),
            metric: p.metric,
            cost_per_year: p.cost_per_year,
            meets: p.meets,
            binding: p.binding.clone(),
        })
        .collect();
    let html = quotasim_report::solve_report(
        &resolved.origin,
        &args.target,
        &lever_names,
        &verdict,
        &steps,
    );
    let json = serde_json::to_string_pretty(&solution).map_err(|e| Failure::Other(e.into()))?;
    output::write_folder(&out, |dir| {
        output::write_text(&dir.join("solve.json"), &json)?;
        output::write_text(&dir.join("solve.html"), &html)?;
        Ok(())
    })
    .map_err(Failure::Other)?;
    println!("{verdict}");
    eprintln!(
        "{} evaluations x {} seed(s) in {:.1} s; outputs in {}",
        solution.evaluations,
        args.reps,
        started.elapsed().as_secs_f64(),
        out.path().display()
    );
    if solution.feasible {
        Ok(())
    } else {
        // Exit 2, as for input that cannot be met; the outputs are written.
        Err(Failure::Input(String::new()))
    }
}

/// The levers raised along the greedy path (the steps taken), each with the number of
/// steps it was raised.
fn binding_steps(s: &quotasim_solve::Solution) -> String {
    let mut out: Vec<(String, usize)> = Vec::new();
    for p in s.path.iter().filter(|p| p.stage == "step taken") {
        if let Some(b) = &p.binding {
            match out.last_mut() {
                Some((l, n)) if l == b => *n += 1,
                _ => out.push((b.clone(), 1)),
            }
        }
    }
    if out.is_empty() {
        return "none before the last step".into();
    }
    out.iter()
        .map(|(l, n)| format!("{l} ({n} step(s))"))
        .collect::<Vec<_>>()
        .join(", then ")
}

/// Refuses a parameter named twice among (flag, key) pairs: a second `--vary`,
/// `--set` or `--lever` of one key, or one key both varied and set, would otherwise
/// be merged silently (one of them ignored, or two columns of one name).
fn refuse_repeated_keys(named: &[(&str, &str)]) -> Result<(), Failure> {
    for (i, (flag, key)) in named.iter().enumerate() {
        if let Some((first, _)) = named[..i].iter().find(|(_, k)| k == key) {
            let how = if first == flag {
                format!("{flag} names it twice")
            } else {
                format!("it is given to both {first} and {flag}")
            };
            return Err(Failure::Input(format!(
                "error: {flag} {key}: {how}; name each parameter once"
            )));
        }
    }
    Ok(())
}

/// Parses `KEY=VALUE` of `--set`: a number, or `true`/`false` for a switch (1 or 0).
fn parse_set(text: &str) -> Result<(String, f64), Failure> {
    let bad = || {
        Failure::Input(format!(
            "error: --set `{text}`: expected KEY=VALUE with a finite number (or true/false for a switch), such as quota.national_per_day=0"
        ))
    };
    let (k, v) = text.split_once('=').ok_or_else(bad)?;
    let v: f64 = match v.trim() {
        flag @ ("true" | "false") if quotasim::parameters::is_switch(k.trim()) => {
            f64::from(u8::from(flag == "true"))
        }
        "true" | "false" => {
            return Err(Failure::Input(format!(
                "error: --set `{text}`: `{}` is not a switch; true and false are for switches, give it a number",
                k.trim()
            )));
        }
        v => v.replace('_', "").parse().map_err(|_| bad())?,
    };
    if k.trim().is_empty() || !v.is_finite() {
        return Err(bad());
    }
    Ok((k.trim().to_string(), v))
}

fn cmd_sweep(args: SweepArgs) -> Result<(), Failure> {
    let opts = &args.run;
    let (resolved, scenario) = load_scenario(args.scenario.as_deref())?;
    let (name, text) = (resolved.origin, resolved.text);
    // Points run on every thread at once, each with its replications.
    check_memory(&Plan::with_days(&scenario, opts.days)?, opts.reps_or(1))?;
    let input = |e: String| Failure::Input(format!("error: {e}"));
    let ranges = args
        .vary
        .iter()
        .map(|v| quotasim_sweep::Range::parse(v).map_err(|e| input(format!("--vary {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let fixed = args
        .set
        .iter()
        .map(|s| parse_set(s))
        .collect::<Result<Vec<_>, _>>()?;
    let named: Vec<(&str, &str)> = ranges
        .iter()
        .map(|r| ("--vary", r.path.as_str()))
        .chain(fixed.iter().map(|(p, _)| ("--set", p.as_str())))
        .collect();
    refuse_repeated_keys(&named)?;
    if let Some(r) = ranges.iter().find(|r| r.path == "run.seed") {
        return Err(input(format!(
            "--vary {}: the seed is not a parameter to vary; every point runs the same seeds (common random numbers). Give --seed, or --reps for more replications",
            r.path
        )));
    }
    let kind =
        quotasim_sweep::Kind::parse(&args.design).map_err(|e| input(format!("--design: {e}")))?;
    let mut held: Vec<&str> = ranges.iter().map(|r| r.path.as_str()).collect();
    held.extend(fixed.iter().map(|(p, _)| p.as_str()));
    let base = quotasim_sweep::hold_paths(&scenario, &held);
    let seed = quotasim_request::ensemble::seed_of(&scenario, opts.seed).map_err(request_error)?;
    let spec = sweep::Spec {
        scenario_name: name,
        scenario_text: text,
        ranges,
        fixed,
        kind,
        samples: args.samples,
        reps: opts.reps_or(1),
        seed,
        days: opts.days,
    };
    quotasim_sweep::check(&base, &spec.fixed, &spec.ranges, spec.days).map_err(|problems| {
        // Each named by the flag that gave its key.
        let flag = |path: &str| {
            if spec.ranges.iter().any(|r| r.path == path) {
                "--vary"
            } else {
                "--set"
            }
        };
        Failure::Input(
            problems
                .iter()
                .map(|e| format!("error: {} {e}", flag(e.path())))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    quotasim_sweep::Design::new(kind, spec.ranges.clone(), spec.samples, seed).map_err(input)?;
    let out = opts.out.claim(&format!("sweep-{}", scenario.run.name))?;
    let stop_after = std::env::var("QUOTASIM_SWEEP_STOP_AFTER")
        .ok()
        .and_then(|v| v.parse().ok());
    let done = sweep::run(&spec, &base, &out, opts.quiet, stop_after).map_err(|e| {
        if e.downcast_ref::<sweep::DifferentSweep>().is_some() {
            Failure::Input(format!("error: {e}"))
        } else {
            Failure::Other(e)
        }
    })?;
    eprintln!(
        "{} point(s) x {} replication(s) ({} done before) in {:.1} s; outputs in {}",
        done.points,
        spec.reps,
        done.skipped,
        done.elapsed_s,
        done.out.display()
    );
    Ok(())
}

fn cmd_compare(args: CompareArgs) -> Result<(), Failure> {
    let opts = &args.run;
    let reps = opts.reps_or(10);
    let plan_a = load_plan(Some(&args.a), opts.days)?;
    let plan_b = load_plan(Some(&args.b), opts.days)?;
    check_memory(&plan_a, reps)?;
    check_memory(&plan_b, reps)?;
    // Both sides run with A's seed (or --seed), by the rules of every ensemble.
    let (a, _) = ensemble_of(plan_a, opts, 10, None)?;
    let b_opts = RunOptions {
        seed: Some(a.seed()),
        ..opts.clone()
    };
    let (b, _) = ensemble_of(plan_b, &b_opts, 10, None)?;
    let (plan_a, plan_b) = (a.plan(), b.plan());
    let out = opts.out.claim(&format!(
        "compare-{}-vs-{}",
        plan_a.scenario.run.name, plan_b.scenario.run.name
    ))?;
    let seed = a.seed();
    let bar = report::progress_bar(a.total_days() + b.total_days(), opts.quiet);
    // Each side streams: only its replications' summaries and the report's series are
    // kept, so memory does not grow with the replications (as for `run`).
    let side = |side: &quotasim_request::Ensemble, offset: u64| {
        let mut series = quotasim_report::Series::new(side.plan(), reps as usize);
        let mut summaries = Vec::with_capacity(reps as usize);
        side.run_each(&|d| bar.set_position(offset + d), &mut |mut run| {
            series.add(&run);
            summaries.push(std::mem::take(&mut run.summary));
            std::ops::ControlFlow::Continue(())
        });
        (series, summaries)
    };
    let (series_a, runs_a) = side(&a, 0);
    let (series_b, runs_b) = side(&b, a.total_days());
    bar.finish_and_clear();
    let (refs_a, refs_b): (Vec<_>, Vec<_>) = (runs_a.iter().collect(), runs_b.iter().collect());
    let rows = quotasim::compare::summary_differences(&refs_a, &refs_b);
    let table_html = report::differences_html(&rows);
    let csv = report::differences_csv(&rows);
    let html =
        quotasim_report::compare_report((plan_a, &series_a), (plan_b, &series_b), &table_html);
    let sum = |runs: &[quotasim::Summary]| ensemble::combine(runs);
    let (sa, sb) = (sum(&runs_a), sum(&runs_b));
    output::write_folder(&out, |dir| {
        output::write_text(&dir.join("compare.csv"), &csv)?;
        output::write_text(&dir.join("report.html"), &html)?;
        std::fs::write(
            dir.join("summary-a.json"),
            serde_json::to_string_pretty(&sa)? + "\n",
        )?;
        std::fs::write(
            dir.join("summary-b.json"),
            serde_json::to_string_pretty(&sb)? + "\n",
        )?;
        std::fs::write(
            dir.join("scenario-a.toml"),
            plan_a.effective_scenario(seed).to_toml(),
        )?;
        std::fs::write(
            dir.join("scenario-b.toml"),
            plan_b.effective_scenario(seed).to_toml(),
        )?;
        Ok(())
    })
    .map_err(Failure::Other)?;
    report::print_differences(plan_a, plan_b, &rows, reps);
    eprintln!("outputs in {}", out.path().display());
    Ok(())
}

fn cmd_backtest(args: BacktestArgs) -> Result<(), Failure> {
    if let (Some(origin), Some(targets)) = (&args.origin, &args.targets) {
        return backtest::from_origin(&args, origin, targets);
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
    // Windows and summary keys are checked before the runs, on a one-day run's summary.
    let probe = quotasim::run(&Plan::with_days(&plan.scenario, Some(1))?, seed, 0);
    observations.check_against(&observed_origin, &observed_text, plan, &probe.summary)?;
    let out = opts
        .out
        .claim(&format!("backtest-{}", plan.scenario.run.name))?;
    let bar = report::progress_bar(ens.total_days(), opts.quiet);
    let outcome = backtest::run(
        plan,
        &|rep| ens.plan_of(rep),
        seed,
        reps,
        &observations,
        &observed_origin,
        &|d| bar.set_position(d),
    );
    bar.finish_and_clear();
    output::write_folder(&out, |dir| {
        output::write_text(&dir.join("backtest.csv"), &outcome.csv)?;
        output::write_text(&dir.join("backtest.html"), &outcome.html)?;
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
    backtest::print(&outcome.scores, &outcome.verdict);
    eprintln!("outputs in {}", out.path().display());
    Ok(())
}

/// The memory a run may project at its peak (bytes): `QUOTASIM_MAX_MEMORY_MB` when
/// set, else this machine's memory (from /proc/meminfo; no limit where that is
/// unknown).
fn memory_limit() -> Option<(u64, String)> {
    if let Some(mb) = std::env::var("QUOTASIM_MAX_MEMORY_MB")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
    {
        return Some((mb << 20, "the limit QUOTASIM_MAX_MEMORY_MB sets".into()));
    }
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kb: u64 = info
        .lines()
        .find(|l| l.starts_with("MemTotal:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some((
        kb << 10,
        "this machine's memory (QUOTASIM_MAX_MEMORY_MB sets a limit)".into(),
    ))
}

/// Refuses, before any work, runs whose projected peak memory
/// ([`quotasim::engine::projected_peak_bytes`]) exceeds [`memory_limit`]: `reps`
/// replications stream a window at a time, so at most one window's runs are held.
/// Returns the projection (bytes).
fn check_memory(plan: &Plan, reps: u32) -> Result<u64, Failure> {
    let at_once = ensemble::windows(reps).next().map_or(1, |w| w.len() as u32);
    let need = quotasim::engine::projected_peak_bytes(plan, at_once);
    let Some((limit, what)) = memory_limit() else {
        return Ok(need);
    };
    if need > limit {
        let gb = |b: u64| b as f64 / f64::from(1u32 << 30);
        return Err(Failure::Input(format!(
            "error: {}: this run would need about {:.1} GB of memory at its peak ({at_once} replication(s) at once of {} days, each with {} people drawn and those expected to join), more than the {:.1} GB of {what}; shorten --days, lower flows.inflow_per_day or docket.total, or run fewer replications at once (RAYON_NUM_THREADS)",
            plan.scenario.run.name,
            gb(need),
            plan.days,
            plan.scenario.docket.total,
            gb(limit)
        )));
    }
    Ok(need)
}

/// Peak resident memory of this process (kB), from /proc (Linux); None elsewhere.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn cmd_bench(args: BenchArgs) -> Result<(), Failure> {
    let plan = load_plan(args.scenario.as_deref(), args.days)?;
    if args.whole {
        return bench_whole(&args, &plan);
    }
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
            &[],
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
