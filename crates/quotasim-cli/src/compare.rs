//! `quotasim compare`: two scenarios on the same seeds, B - A paired.

use std::path::PathBuf;

use quotasim::ensemble;

use crate::failure::Failure;
use crate::input::load_plan;
use crate::memory::check_memory;
use crate::options::RunOptions;
use crate::run::ensemble_of;
use crate::{output, report};

#[derive(clap::Args)]
pub(crate) struct CompareArgs {
    /// Scenario A (the baseline).
    pub(crate) a: PathBuf,
    /// Scenario B (the reform).
    pub(crate) b: PathBuf,
    /// Both run with the same seeds (default: A's run.seed); the output folder defaults
    /// to runs/compare-<A name>-vs-<B name>.
    #[command(flatten)]
    pub(crate) run: RunOptions,
}

pub(crate) fn cmd_compare(args: CompareArgs) -> Result<(), Failure> {
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
