//! `quotasim attribute`: what each group of a scenario's events did, by exact Shapley
//! values over counterfactual runs (docs/attribution.md). Writes attribution.csv (one
//! row per metric and group, with the total change and the counterfactual) and
//! attribution.html (a waterfall a metric, from the counterfactual to the scenario).

use std::path::PathBuf;
use std::time::Instant;

use quotasim::attribution::{DEFAULT_GROUPING_NAME, DEFAULT_GROUPING_TOML, Grouping};
use quotasim_report::chart::{self, Size};
use quotasim_report::{Figure, esc, page};
use quotasim_request::attribute::{AttributeError, Attribution, MetricAttribution};

use crate::{Failure, RunOptions};

#[derive(clap::Args)]
pub struct AttributeArgs {
    /// Scenario file (TOML); omit for the default (scenarios/quota-2026.toml).
    scenario: Option<PathBuf>,
    /// Grouping of the events into causes (default: scenarios/groups-2025-26.toml).
    #[arg(long)]
    groups: Option<PathBuf>,
    /// Summary keys to attribute, comma-separated (default: the headline keys).
    #[arg(long, value_delimiter = ',')]
    metrics: Vec<String>,
    /// Replications (each 2^k runs; default 4), seed, days and output folder as for
    /// `run` (default folder: runs/attribute-<scenario name>).
    #[command(flatten)]
    run: RunOptions,
}

fn attribute_error(resolved: &quotasim::overlay::Resolved, e: AttributeError) -> Failure {
    match e {
        // Located where the user's files set the event.
        AttributeError::Unowned(problems) => Failure::Input(format!(
            "{}\n(every setting of the events must belong to one group of --groups)",
            resolved.errors(problems)
        )),
        AttributeError::Metric(m) => Failure::Input(format!(
            "error: --metrics {m}: not a numeric summary key (docs/outputs.md lists them)"
        )),
        AttributeError::Request(e) => crate::request_error(e),
        AttributeError::Scenario(e) => Failure::Input(e.to_string()),
    }
}

pub fn cmd_attribute(args: AttributeArgs) -> Result<(), Failure> {
    let (resolved, scenario) = crate::load_scenario(args.scenario.as_deref())?;
    let (gorigin, gtext) = match &args.groups {
        Some(p) => (
            p.display().to_string(),
            crate::read_toml_text(p, "grouping file")?,
        ),
        None => (
            DEFAULT_GROUPING_NAME.to_string(),
            DEFAULT_GROUPING_TOML.to_string(),
        ),
    };
    let grouping = Grouping::from_toml(&gorigin, &gtext)?;
    let opts = &args.run;
    // The replications' range is the request layer's (each is 2^k runs).
    let request = Attribution::new(
        scenario,
        opts.days,
        grouping,
        args.metrics.clone(),
        opts.seed,
        Some(opts.reps_or(4)),
    )
    .map_err(|e| attribute_error(&resolved, e))?;
    let plan = request.plan_with(0)?;
    crate::check_memory(&plan, 1)?;
    let out = opts
        .out
        .claim(&format!("attribute-{}", plan.scenario.run.name))?;
    let k = request.groups().groups.len();
    if !opts.quiet {
        eprintln!(
            "{} groups: {} runs ({} subsets x {} replications) of {} days",
            k,
            request.runs(),
            1u64 << k,
            request.reps(),
            plan.days
        );
    }
    let bar = crate::report::progress_bar(request.runs(), opts.quiet);
    let started = Instant::now();
    let results = request
        .run(&|done| bar.set_position(done))
        .map_err(|e| attribute_error(&resolved, e))?;
    bar.finish_and_clear();
    let csv = csv_of(&request, &results);
    let html = html_of(&request, &plan, &results);
    let whole = plan_all(&request)?;
    crate::output::write_folder(&out, |dir| {
        crate::output::write_text(&dir.join("attribution.csv"), &csv)?;
        crate::output::write_text(&dir.join("attribution.html"), &html)?;
        crate::output::write_text(&dir.join("groups.toml"), &gtext)?;
        crate::output::write_text(&dir.join("scenario.toml"), &whole)?;
        Ok(())
    })
    .map_err(Failure::Other)?;
    print(&request, &results);
    eprintln!(
        "{} runs in {:.1} s; outputs in {}",
        request.runs(),
        started.elapsed().as_secs_f64(),
        out.path().display()
    );
    Ok(())
}

/// The scenario with every group on, as run.
fn plan_all(request: &Attribution) -> Result<String, Failure> {
    let k = request.groups().groups.len();
    let plan = request.plan_with((1u32 << k) - 1)?;
    Ok(plan.effective_scenario(request.seed()).to_toml())
}

fn csv_of(request: &Attribution, results: &[MetricAttribution]) -> String {
    let mut s = String::from(
        "metric,group,label,contribution,contribution_p05,contribution_p95,share_of_change,total_change,total_change_p05,total_change_p95,counterfactual,scenario\n",
    );
    for r in results {
        for (g, c) in request.groups().groups.iter().zip(&r.contributions) {
            let share = if r.change.0 != 0.0 {
                c.0 / r.change.0
            } else {
                f64::NAN
            };
            s.push_str(&format!(
                "{},{},\"{}\",{},{},{},{},{},{},{},{},{}\n",
                r.metric,
                g.name,
                g.label.replace('"', "\"\""),
                crate::report::cell(c.0),
                crate::report::cell(c.1),
                crate::report::cell(c.2),
                crate::report::cell(share),
                crate::report::cell(r.change.0),
                crate::report::cell(r.change.1),
                crate::report::cell(r.change.2),
                crate::report::cell(r.counterfactual.0),
                crate::report::cell(r.scenario.0),
            ));
        }
    }
    s
}

fn shown(metric: &str, x: f64) -> String {
    quotasim_report::show_value(metric, x)
}

fn print(request: &Attribution, results: &[MetricAttribution]) {
    for r in results {
        let label = quotasim::metrics::key_info(&r.metric).map_or(r.metric.as_str(), |k| k.label);
        println!();
        println!(
            "{label} ({}): {} without the groups -> {} with them, change {} [{} .. {}]",
            r.metric,
            shown(&r.metric, r.counterfactual.0),
            shown(&r.metric, r.scenario.0),
            shown(&r.metric, r.change.0),
            shown(&r.metric, r.change.1),
            shown(&r.metric, r.change.2),
        );
        for (g, c) in request.groups().groups.iter().zip(&r.contributions) {
            println!(
                "  {:<52} {:>12}  [{} .. {}]",
                g.label,
                shown(&r.metric, c.0),
                shown(&r.metric, c.1),
                shown(&r.metric, c.2)
            );
        }
    }
}

fn html_of(request: &Attribution, plan: &quotasim::Plan, results: &[MetricAttribution]) -> String {
    let groups = &request.groups().groups;
    let figures: Vec<Figure> = results
        .iter()
        .map(|r| {
            let label = quotasim::metrics::key_info(&r.metric).map_or(r.metric.as_str(), |k| k.label);
            let mut labels = vec!["without".to_string()];
            labels.extend(groups.iter().map(|g| g.name.clone()));
            labels.push("with all".into());
            let steps: Vec<(f64, Option<(f64, f64)>)> = r
                .contributions
                .iter()
                .map(|c| (c.0, (request.reps() > 1).then_some((c.1, c.2))))
                .collect();
            let svg = chart::waterfall(
                &labels,
                r.counterfactual.0,
                &steps,
                r.scenario.0,
                label,
                &|y| shown(&r.metric, y),
                Size::REPORT,
            );
            let (top, top_c) = groups
                .iter()
                .zip(&r.contributions)
                .max_by(|a, b| a.1.0.abs().total_cmp(&b.1.0.abs()))
                .map(|(g, c)| (g.label.clone(), c.0))
                .unwrap_or_default();
            let caption = format!(
                "{label}: {} with none of the groups of events (the system of {} continued), {} with all of them, a change of {} [{} .. {}]. Each bar between is a group's share of that change (its Shapley value: its effect averaged over the orders the groups could come in; whiskers: 5-95 % over {} replications); they add up to the change. The largest: {} ({}).",
                shown(&r.metric, r.counterfactual.0),
                plan.scenario.run.start_date.plus_days(0),
                shown(&r.metric, r.scenario.0),
                shown(&r.metric, r.change.0),
                shown(&r.metric, r.change.1),
                shown(&r.metric, r.change.2),
                request.reps(),
                esc(&top),
                shown(&r.metric, top_c),
            );
            Figure {
                id: r.metric.clone(),
                title: format!("What each group of events did: {label}"),
                svg,
                alt: format!("Waterfall chart of {label} from the counterfactual to the scenario, one bar per group of events."),
                caption,
            }
        })
        .collect();
    let mut table =
        String::from("<table><tr><th>group</th><th>what it holds</th><th>why</th></tr>");
    for g in groups {
        table.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&g.name),
            esc(&g.label),
            esc(&g.reason)
        ));
    }
    table.push_str("</table>");
    let intro = format!(
        "<p>Scenario <b>{}</b>, {} days from {}, seed {}, {} replication(s): every subset of the {} groups of its events run with the same seeds ({} runs). The groups' contributions are exact Shapley values; docs/attribution.md gives the method.</p>",
        esc(&plan.scenario.run.name),
        plan.days,
        plan.scenario.run.start_date,
        request.seed(),
        request.reps(),
        groups.len(),
        request.runs()
    );
    page(
        &format!("quotasim attribution: {}", plan.scenario.run.name),
        &intro,
        &figures,
        &table,
    )
}
