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

use crate::failure::Failure;
use crate::options::RunOptions;

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
    /// A calibration's fit.toml: each replication runs its own draw of the fitted
    /// parameters from the fit's posterior (the same draw in every subset), so the bands
    /// carry the fit's uncertainty as well as chance and unit costs; the draws are
    /// written to posterior.csv.
    #[arg(long)]
    posterior: Option<PathBuf>,
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
        AttributeError::Request(e) => crate::failure::request_error(e),
        AttributeError::Scenario(e) => Failure::Input(e.to_string()),
        e @ AttributeError::DrawEvents { .. } => Failure::Other(anyhow::anyhow!("{e}")),
    }
}

pub fn cmd_attribute(args: AttributeArgs) -> Result<(), Failure> {
    let (resolved, scenario) = crate::input::load_scenario(args.scenario.as_deref())?;
    let (gorigin, gtext) = match &args.groups {
        Some(p) => (
            p.display().to_string(),
            crate::input::read_toml_text(p, "grouping file")?,
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
        scenario.clone(),
        opts.days,
        grouping,
        args.metrics.clone(),
        opts.seed,
        Some(opts.reps_or(4)),
    )
    .map_err(|e| attribute_error(&resolved, e))?;
    // With a posterior, replication r runs draw r (the seed's streams, as `run`).
    let (request, posterior) = match &args.posterior {
        None => (request, None),
        Some(path) => {
            let (fit, origin) = crate::run::read_fit(path)?;
            let draws =
                crate::run::draws_of_fit(&fit, &origin, &scenario, request.seed(), request.reps())?;
            let csv = draws.csv(&fit);
            let request = request
                .with_draws(draws.scenarios)
                .map_err(|e| attribute_error(&resolved, e))?;
            (request, Some((origin, csv)))
        }
    };
    let plan = request.plan_with(0)?;
    crate::memory::check_memory(&plan, 1)?;
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
    // Each finished subset is logged beside the output folder: a killed attribution,
    // run again with the same request, runs only the subsets not logged.
    let log = Log::open(out.path(), &request).map_err(Failure::Other)?;
    if log.resumed > 0 && !opts.quiet {
        eprintln!(
            "{} of {} subsets already done (in {}); running the rest",
            log.resumed,
            1u64 << k,
            log.path.display()
        );
    }
    let bar = crate::report::progress_bar(request.runs(), opts.quiet);
    let started = Instant::now();
    let results = request
        .run_resumable(
            &|done| bar.set_position(done),
            &|on| log.known(on),
            &|on, values| log.add(on, values),
        )
        .map_err(|e| attribute_error(&resolved, e))?;
    bar.finish_and_clear();
    if let Some(e) = log.failed() {
        eprintln!(
            "note: could not keep the progress log {}: {e}",
            log.path.display()
        );
    }
    let csv = csv_of(&request, &results);
    let origin = posterior.as_ref().map(|(o, _)| o.as_str());
    let html = html_of(&request, &plan, &results, origin);
    let whole = plan_all(&request)?;
    crate::output::write_folder(&out, |dir| {
        crate::output::write_text(&dir.join("attribution.csv"), &csv)?;
        crate::output::write_text(&dir.join("attribution.html"), &html)?;
        crate::output::write_text(&dir.join("groups.toml"), &gtext)?;
        crate::output::write_text(&dir.join("scenario.toml"), &whole)?;
        if let Some((_, csv)) = &posterior {
            crate::output::write_text(&dir.join("posterior.csv"), csv)?;
        }
        Ok(())
    })
    .map_err(Failure::Other)?;
    log.remove();
    print(&request, &results);
    eprintln!("bands: 5-95 % over {}", carried(&request, origin));
    eprintln!(
        "{} runs in {:.1} s; outputs in {}",
        request.runs(),
        started.elapsed().as_secs_f64(),
        out.path().display()
    );
    Ok(())
}

/// The progress log of an attribution: `.<out>.attribute-log` beside the output folder.
/// Its first line names the request (a hash of [`Attribution::request_text`]); each
/// further line is one finished subset, `on` and its values (replication by
/// replication, metric by metric). A line cut by a kill is ignored; a log of another
/// request is started again.
struct Log {
    path: PathBuf,
    done: std::collections::HashMap<u32, Vec<Vec<f64>>>,
    file: std::sync::Mutex<Option<std::fs::File>>,
    error: std::sync::Mutex<Option<String>>,
    resumed: usize,
    reps: usize,
    metrics: usize,
    /// Tests: abort the process (as a kill would) after this many subsets are logged.
    stop_after: Option<usize>,
    written: std::sync::atomic::AtomicUsize,
}

impl Log {
    fn open(out: &std::path::Path, request: &Attribution) -> anyhow::Result<Log> {
        use std::io::Write;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let path = out.with_file_name(format!(".{name}.attribute-log"));
        let header = format!(
            "# quotasim attribute log {:016x}",
            crate::sweep::fnv64(request.request_text().as_bytes())
        );
        let (reps, metrics) = (request.reps() as usize, request.metrics().len());
        let mut done: std::collections::HashMap<u32, Vec<Vec<f64>>> =
            std::collections::HashMap::new();
        if let Ok(text) = std::fs::read_to_string(&path) {
            let mut lines = text.split_inclusive('\n');
            if lines.next().map(str::trim_end) == Some(header.as_str()) {
                for line in lines.filter(|l| l.ends_with('\n')) {
                    let mut fields = line.trim_end().split(',');
                    let Some(Ok(on)) = fields.next().map(str::parse::<u32>) else {
                        continue;
                    };
                    let values: Vec<f64> = fields.filter_map(|f| f.parse().ok()).collect();
                    if values.len() == reps * metrics {
                        done.insert(
                            on,
                            values
                                .chunks(metrics)
                                .map(<[f64]>::to_vec)
                                .collect::<Vec<_>>(),
                        );
                    }
                }
            }
        }
        // Rewrite the log with the whole lines kept (or a new header).
        let mut text = format!("{header}\n");
        for (on, values) in &done {
            text.push_str(&Self::line(*on, values));
        }
        std::fs::write(&path, text)?;
        let mut file = std::fs::OpenOptions::new().append(true).open(&path)?;
        file.flush()?;
        Ok(Log {
            resumed: done.len(),
            path,
            done,
            file: std::sync::Mutex::new(Some(file)),
            error: std::sync::Mutex::new(None),
            reps,
            metrics,
            stop_after: std::env::var("QUOTASIM_ATTRIBUTE_STOP_AFTER")
                .ok()
                .and_then(|v| v.parse().ok()),
            written: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    fn line(on: u32, values: &[Vec<f64>]) -> String {
        let mut line = on.to_string();
        for v in values.iter().flatten() {
            line.push(',');
            line.push_str(&v.to_string());
        }
        line.push('\n');
        line
    }

    fn known(&self, on: u32) -> Option<Vec<Vec<f64>>> {
        self.done.get(&on).cloned()
    }

    /// Appends a finished subset, whole, in one write.
    fn add(&self, on: u32, values: &[Vec<f64>]) {
        use std::io::Write;
        debug_assert!(values.len() == self.reps && values.iter().all(|v| v.len() == self.metrics));
        let Ok(mut file) = self.file.lock() else {
            return;
        };
        if let Some(f) = file.as_mut()
            && let Err(e) = f.write_all(Self::line(on, values).as_bytes())
        {
            // A full disk costs only resumability: the run goes on.
            *file = None;
            if let Ok(mut err) = self.error.lock() {
                *err = Some(e.to_string());
            }
        }
        let n = self
            .written
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        if self.stop_after.is_some_and(|k| n >= k) {
            std::process::abort();
        }
    }

    fn failed(&self) -> Option<String> {
        self.error.lock().ok().and_then(|e| e.clone())
    }

    /// The outputs stand: the log is no longer needed.
    fn remove(self) {
        drop(self.file);
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The scenario with every group on, as run.
fn plan_all(request: &Attribution) -> Result<String, Failure> {
    let k = request.groups().groups.len();
    let plan = request.plan_with((1u32 << k) - 1)?;
    Ok(plan.effective_scenario(request.seed()).to_toml())
}

fn csv_of(request: &Attribution, results: &[MetricAttribution]) -> String {
    let mut s = String::from(
        "metric,group,label,contribution,contribution_p05,contribution_p95,share_of_change,share_of_change_p05,share_of_change_p95,total_change,total_change_p05,total_change_p95,counterfactual,scenario\n",
    );
    for r in results {
        let groups = request.groups().groups.iter();
        for ((g, c), share) in groups.zip(&r.contributions).zip(&r.shares) {
            s.push_str(&format!(
                "{},{},\"{}\",{},{},{},{},{},{},{},{},{},{},{}\n",
                r.metric,
                g.name,
                g.label.replace('"', "\"\""),
                crate::report::cell(c.0),
                crate::report::cell(c.1),
                crate::report::cell(c.2),
                crate::report::cell(share.0),
                crate::report::cell(share.1),
                crate::report::cell(share.2),
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
        let label = quotasim::summary::key_info(&r.metric).map_or(r.metric.as_str(), |k| k.label);
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
        let groups = request.groups().groups.iter();
        for ((g, c), share) in groups.zip(&r.contributions).zip(&r.shares) {
            println!(
                "  {:<52} {:>12}  [{} .. {}]{}",
                g.label,
                shown(&r.metric, c.0),
                shown(&r.metric, c.1),
                shown(&r.metric, c.2),
                share_words(*share),
            );
        }
    }
}

/// A group's share of the change, with its band over replications where there is one:
/// "  28 % of the change [12 .. 37 %]".
fn share_words((share, lo, hi): (f64, f64, f64)) -> String {
    if !share.is_finite() {
        return String::new();
    }
    let pct = |x: f64| format!("{:.0}", 100.0 * x);
    if lo.is_finite() && hi.is_finite() && (hi - lo).abs() >= 0.005 {
        format!(
            "  {} % of the change [{} .. {} %]",
            pct(share),
            pct(lo),
            pct(hi)
        )
    } else {
        format!("  {} % of the change", pct(share))
    }
}

/// What the bands are taken over: the replications, and what each one draws.
fn carried(request: &Attribution, posterior: Option<&str>) -> String {
    let reps = request.reps();
    match posterior {
        Some(fit) => format!(
            "{reps} replication(s), each with its own draw of the fit's posterior ({fit}) and of the unit costs: chance, costs and the fit's uncertainty"
        ),
        None if reps > 1 => {
            format!(
                "{reps} replications, each with its own draw of the unit costs: chance and costs"
            )
        }
        None => "1 replication: no band".to_string(),
    }
}

fn html_of(
    request: &Attribution,
    plan: &quotasim::Plan,
    results: &[MetricAttribution],
    posterior: Option<&str>,
) -> String {
    let groups = &request.groups().groups;
    let figures: Vec<Figure> = results
        .iter()
        .map(|r| {
            let label = quotasim::summary::key_info(&r.metric).map_or(r.metric.as_str(), |k| k.label);
            let mut labels = vec!["without".to_string()];
            labels.extend(groups.iter().map(|g| g.name.clone()));
            labels.push("with all".into());
            let steps: Vec<(f64, Option<(f64, f64)>)> = r
                .contributions
                .iter()
                .map(|c| (c.0, (request.reps() > 1 || request.has_draws()).then_some((c.1, c.2))))
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
                "{label}: {} with none of the groups of events (the system of {} continued), {} with all of them, a change of {} [{} .. {}]. Each bar between is a group's share of that change (its Shapley value: its effect averaged over the orders the groups could come in; whiskers: 5-95 % over {}); they add up to the change. The largest: {} ({}).",
                shown(&r.metric, r.counterfactual.0),
                plan.scenario.run.start_date.plus_days(0),
                shown(&r.metric, r.scenario.0),
                shown(&r.metric, r.change.0),
                shown(&r.metric, r.change.1),
                shown(&r.metric, r.change.2),
                esc(&carried(request, posterior)),
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
