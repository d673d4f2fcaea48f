//! `quotasim solve`: the least-cost setting of a few levers that meets a target.

use std::path::PathBuf;
use std::time::Instant;

use quotasim::Plan;

use crate::failure::{Failure, request_error};
use crate::input::{load_scenario, refuse_repeated_keys};
use crate::memory::check_memory;
use crate::options::OutOptions;
use crate::{output, report};

#[derive(clap::Args)]
pub(crate) struct SolveArgs {
    /// Scenario file (TOML); omit for the default (scenarios/quota-2025-fitted.toml).
    pub(crate) scenario: Option<PathBuf>,
    /// The target: a summary key with >= or <=, such as removals_per_year>=1000000.
    #[arg(long)]
    pub(crate) target: String,
    /// A lever and its bounds, PATH=LO..HI, such as removal.flights_per_day=4..40
    /// (repeat for each lever). Each is held for the whole run at the value tried.
    #[arg(long = "lever", required = true)]
    pub(crate) levers: Vec<String>,
    /// Days per run (the horizon; default: the scenario's).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(quotasim::scenario::MAX_DAYS)))]
    pub(crate) days: Option<u32>,
    /// Seeds per evaluation, common to every evaluation (default 1).
    #[arg(long, default_value_t = 1)]
    pub(crate) reps: u32,
    /// Seed (default: the scenario's run.seed).
    #[arg(long)]
    pub(crate) seed: Option<u64>,
    /// Output folder (default: runs/solve-<scenario name>).
    #[command(flatten)]
    pub(crate) out: OutOptions,
    /// Print no progress.
    #[arg(long)]
    pub(crate) quiet: bool,
}

pub(crate) fn cmd_solve(args: SolveArgs) -> Result<(), Failure> {
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
    let problem = quotasim_solve::SolveProblem {
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
                        .is_some_and(|q| q.kind == quotasim::parameters::ParamKind::Count);
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
pub(crate) fn binding_steps(s: &quotasim_solve::Solution) -> String {
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
