//! `quotasim sweep`: run a design of parameter points, resumably (docs/sweeps.md).
//!
//! The output folder holds:
//! - `sweep.toml`: what was asked (scenario, varied keys, design, samples, reps, seed,
//!   days); a re-run into the same folder must ask the same, and then completes it;
//! - `design.parquet`: one row per point;
//! - `points.log`: one CSV line per point and replication, appended as each point
//!   finishes (the whole point at once, flushed); a killed sweep loses only the
//!   points still running;
//! - when every point is done: `results.parquet` (and `.csv`), one row per point and
//!   replication with every numeric summary key; `sobol.csv` for a Sobol design; and
//!   `report.html`.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result};
use quotasim::Plan;
use quotasim::daily::{Cell, Column, ColumnKind};
use quotasim::scenario::Scenario;
use quotasim_sweep::{Design, DesignKind, Range, sobol};
use rayon::prelude::*;

use crate::failure::{Failure, request_error};
use crate::input::{load_scenario, parse_set, refuse_repeated_keys};
use crate::memory::check_memory;
use crate::options::RunOptions;
use crate::output::{OutDir, Table, write_csv, write_file_atomic, write_parquet};

/// The provenance of a sweep's Parquet files: the quotasim version (sweep.toml holds the
/// request and the scenario's fingerprint).
fn version_only() -> Vec<(String, String)> {
    vec![("quotasim.version".into(), env!("CARGO_PKG_VERSION").into())]
}

/// Outputs charted in the sweep report.
pub const SHOWN: [&str; 5] = [
    "arrests_per_day_mean",
    "share_other",
    "quota_attainment",
    "detained_at_end",
    "removals_per_year",
];

/// What a sweep was asked to do.
pub struct Spec {
    pub scenario_name: String,
    pub scenario_text: String,
    pub ranges: Vec<Range>,
    pub fixed: Vec<(String, f64)>,
    pub kind: DesignKind,
    pub samples: u32,
    pub reps: u32,
    pub seed: u64,
    pub days: Option<u32>,
}

impl Spec {
    /// `sweep.toml`: the request, with a fingerprint of the scenario text.
    fn to_toml(&self) -> String {
        let mut s = String::from(
            "# quotasim sweep: what this folder holds. A re-run with the same request completes it.\n",
        );
        s.push_str(&format!("scenario = {:?}\n", self.scenario_name));
        s.push_str(&format!(
            "scenario_fnv64 = \"{:016x}\"\n",
            fnv64(self.scenario_text.as_bytes())
        ));
        s.push_str(&format!(
            "design = {:?}\nsamples = {}\nreps = {}\nseed = {}\n",
            self.kind.name(),
            self.samples,
            self.reps,
            self.seed
        ));
        if let Some(d) = self.days {
            s.push_str(&format!("days = {d}\n"));
        }
        for r in &self.ranges {
            s.push_str(&format!(
                "[[vary]]\npath = {:?}\nlo = {:?}\nhi = {:?}\nsteps = {}\n",
                r.path, r.lo, r.hi, r.steps
            ));
        }
        for (p, v) in &self.fixed {
            s.push_str(&format!("[[set]]\npath = {p:?}\nvalue = {v:?}\n"));
        }
        s
    }
}

pub(crate) fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The points already finished in `log` (all replications present), and the header.
fn finished(log: &Path, header: &str, reps: u32) -> Result<BTreeMap<usize, Vec<String>>> {
    let mut done: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let Ok(text) = fs::read_to_string(log) else {
        return Ok(done);
    };
    let mut lines = text.split_inclusive('\n');
    match lines.next() {
        Some(h) if h.trim_end() == header => {}
        Some(_) => anyhow::bail!(
            "{} was written by another version of quotasim (its columns differ); use another --out",
            log.display()
        ),
        None => return Ok(done),
    }
    let fields = header.split(',').count();
    for line in lines {
        // A line cut by a kill has no newline, or too few fields: dropped.
        if !line.ends_with('\n') || line.trim_end().split(',').count() != fields {
            continue;
        }
        let point: usize = match line.split(',').next().and_then(|p| p.parse().ok()) {
            Some(p) => p,
            None => continue,
        };
        done.entry(point)
            .or_default()
            .push(line.trim_end().to_string());
    }
    done.retain(|_, rows| rows.len() == reps as usize);
    Ok(done)
}

fn fmt(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

/// Runs (or completes) a sweep into `out`. `stop_after` (tests) aborts the process
/// after that many points have been written, as a kill would.
///
/// A sweep that fails before its first point is written leaves no folder where it
/// made one (so the corrected request can use the same folder).
pub fn run(
    spec: &Spec,
    base: &Scenario,
    out: &OutDir,
    quiet: bool,
    stop_after: Option<usize>,
) -> Result<SweepDone> {
    let made = !out.path().exists();
    let result = run_into(spec, base, out.path(), quiet, stop_after);
    if result.is_err() && made {
        let log = out.path().join("points.log");
        let points = fs::read_to_string(&log).map_or(0, |t| t.lines().count().saturating_sub(1));
        if points == 0 {
            let _ = fs::remove_dir_all(out.path());
        }
    }
    result
}

fn run_into(
    spec: &Spec,
    base: &Scenario,
    out: &Path,
    quiet: bool,
    stop_after: Option<usize>,
) -> Result<SweepDone> {
    let design = Design::new(spec.kind, spec.ranges.clone(), spec.samples, spec.seed)
        .map_err(anyhow::Error::msg)?;
    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    crate::output::write_marker(out)?;
    let spec_path = out.join("sweep.toml");
    let spec_text = spec.to_toml();
    match fs::read_to_string(&spec_path) {
        Ok(old) if old != spec_text => {
            return Err(DifferentSweep {
                out: out.to_path_buf(),
            }
            .into());
        }
        Ok(_) => {}
        Err(_) => write_file_atomic(&spec_path, |p| Ok(fs::write(p, &spec_text)?))?,
    }
    let keys: Vec<String> = spec.ranges.iter().map(|r| r.path.clone()).collect();
    let design_table = Table {
        columns: std::iter::once((
            col("point", ColumnKind::Int, "index"),
            (0..design.points.len())
                .map(|i| Cell::Int(i as i64))
                .collect(),
        ))
        .chain(keys.iter().enumerate().map(|(j, k)| {
            (
                col(k, ColumnKind::Float, ""),
                design.points.iter().map(|p| Cell::Float(p[j])).collect(),
            )
        }))
        .collect(),
    };
    write_file_atomic(&out.join("design.parquet"), |p| {
        write_parquet(p, &design_table, &version_only())
    })?;

    // The output columns: every numeric summary key, as declared (no probe run).
    let outputs: Vec<String> = quotasim::summary::run_number_keys()
        .map(String::from)
        .collect();
    let header = std::iter::once("point".to_string())
        .chain(std::iter::once("rep".to_string()))
        .chain(outputs.iter().cloned())
        .collect::<Vec<_>>()
        .join(",");
    let log_path = out.join("points.log");
    let done = finished(&log_path, &header, spec.reps)?;
    // Keep only whole points, then append.
    write_file_atomic(&log_path, |p| {
        let mut text = format!("{header}\n");
        for rows in done.values() {
            for r in rows {
                text.push_str(r);
                text.push('\n');
            }
        }
        Ok(fs::write(p, text)?)
    })?;
    let todo: Vec<usize> = (0..design.points.len())
        .filter(|i| !done.contains_key(i))
        .collect();
    let skipped = design.points.len() - todo.len();
    let log = Mutex::new(fs::OpenOptions::new().append(true).open(&log_path)?);
    let bar = crate::report::points_bar(todo.len() as u64, quiet);
    if skipped > 0 && !quiet {
        bar.println(format!(
            "{skipped} point(s) already done in {}; running the other {}",
            out.display(),
            todo.len()
        ));
    }
    let written = AtomicUsize::new(0);
    let started = Instant::now();
    let errors: Vec<String> = todo
        .par_iter()
        .filter_map(|&i| {
            let result = (|| -> Result<()> {
                let runs = quotasim_sweep::run_point(
                    base,
                    &spec.fixed,
                    &spec.ranges,
                    &design.points[i],
                    spec.days,
                    spec.seed,
                    spec.reps,
                )
                .map_err(anyhow::Error::msg)?;
                let mut text = String::new();
                for r in &runs {
                    text.push_str(&format!("{i},{}", r.rep));
                    for k in &outputs {
                        text.push(',');
                        text.push_str(&fmt(r.summary.num(k).unwrap_or(f64::NAN)));
                    }
                    text.push('\n');
                }
                let mut f = log
                    .lock()
                    .map_err(|_| anyhow::anyhow!("log lock poisoned"))?;
                f.write_all(text.as_bytes())?;
                f.flush()?;
                f.sync_data()?;
                drop(f);
                let n = written.fetch_add(1, Ordering::SeqCst) + 1;
                bar.inc(1);
                if stop_after.is_some_and(|k| n >= k) {
                    // Tests: stop as a kill would, without cleaning up.
                    std::process::abort();
                }
                Ok(())
            })();
            result.err().map(|e| format!("point {i}: {e:#}"))
        })
        .collect();
    bar.finish_and_clear();
    if !errors.is_empty() {
        anyhow::bail!("{}", errors.join("\n"));
    }
    let elapsed = started.elapsed();
    // Everything is done: gather the log into the result tables.
    let all = finished(&log_path, &header, spec.reps)?;
    anyhow::ensure!(
        all.len() == design.points.len(),
        "points.log lacks points after the run"
    );
    let mut per_point: Vec<Vec<Vec<f64>>> =
        vec![vec![Vec::new(); outputs.len()]; design.points.len()];
    let mut rows: Vec<(usize, u32, Vec<f64>)> = Vec::new();
    for (p, lines) in &all {
        let mut parsed: Vec<(u32, Vec<f64>)> = lines
            .iter()
            .map(|l| {
                let mut f = l.split(',');
                let _ = f.next();
                let rep: u32 = f.next().and_then(|r| r.parse().ok()).unwrap_or(0);
                (rep, f.map(|x| x.parse().unwrap_or(f64::NAN)).collect())
            })
            .collect();
        parsed.sort_by_key(|(r, _)| *r);
        for (rep, vals) in parsed {
            for (o, v) in vals.iter().enumerate() {
                per_point[*p][o].push(*v);
            }
            rows.push((*p, rep, vals));
        }
    }
    let mut columns = vec![
        (
            col("point", ColumnKind::Int, "index"),
            rows.iter().map(|r| Cell::Int(r.0 as i64)).collect(),
        ),
        (
            col("rep", ColumnKind::Int, "index"),
            rows.iter().map(|r| Cell::Int(i64::from(r.1))).collect(),
        ),
    ];
    for (j, k) in keys.iter().enumerate() {
        columns.push((
            col(k, ColumnKind::Float, ""),
            rows.iter()
                .map(|r| Cell::Float(design.points[r.0][j]))
                .collect(),
        ));
    }
    for (o, k) in outputs.iter().enumerate() {
        columns.push((
            col(k, ColumnKind::Float, ""),
            rows.iter().map(|r| Cell::Float(r.2[o])).collect(),
        ));
    }
    let results = Table { columns };
    write_file_atomic(&out.join("results.parquet"), |p| {
        write_parquet(p, &results, &version_only())
    })?;
    write_file_atomic(&out.join("results.csv"), |p| write_csv(p, &results))?;

    let mut sobol_rows = None;
    if spec.kind == DesignKind::Sobol {
        let k = keys.len();
        let mut text = String::from("output,key,S1,S1_conf,ST,ST_conf\n");
        let mut all_idx = Vec::new();
        for (o, name) in outputs.iter().enumerate() {
            let ys: Vec<f64> = per_point
                .iter()
                .map(|p| {
                    let v: Vec<f64> = p[o].iter().copied().filter(|x| x.is_finite()).collect();
                    if v.is_empty() {
                        f64::NAN
                    } else {
                        v.iter().sum::<f64>() / v.len() as f64
                    }
                })
                .collect();
            let idx = if ys.iter().all(|y| y.is_finite()) {
                sobol::indices(&ys, k, 100, spec.seed).map_err(anyhow::Error::msg)?
            } else {
                vec![
                    sobol::Index {
                        first: f64::NAN,
                        first_conf: f64::NAN,
                        total: f64::NAN,
                        total_conf: f64::NAN
                    };
                    k
                ]
            };
            for (j, ix) in idx.iter().enumerate() {
                text.push_str(&format!(
                    "{name},{},{},{},{},{}\n",
                    keys[j],
                    fmt(ix.first),
                    fmt(ix.first_conf),
                    fmt(ix.total),
                    fmt(ix.total_conf)
                ));
            }
            all_idx.push(quotasim_report::SweepSobol {
                key: name.clone(),
                indices: idx
                    .iter()
                    .map(|i| (i.first, i.first_conf, i.total, i.total_conf))
                    .collect(),
            });
        }
        write_file_atomic(&out.join("sobol.csv"), |p| Ok(fs::write(p, &text)?))?;
        sobol_rows = Some(all_idx);
    }
    let points: Vec<quotasim_report::SweepPoint> = design
        .points
        .iter()
        .zip(per_point)
        .map(|(v, o)| quotasim_report::SweepPoint {
            values: v.clone(),
            outputs: o,
        })
        .collect();
    let steps: Vec<u32> = spec.ranges.iter().map(|r| r.steps).collect();
    let html = quotasim_report::sweep_report(
        &keys,
        &outputs,
        &SHOWN,
        &points,
        spec.kind.name(),
        &steps,
        sobol_rows.as_deref(),
    );
    write_file_atomic(&out.join("report.html"), |p| Ok(fs::write(p, &html)?))?;
    Ok(SweepDone {
        points: design.points.len(),
        skipped,
        elapsed_s: elapsed.as_secs_f64(),
        out: out.to_path_buf(),
    })
}

/// The output folder holds another sweep: a request that cannot be met there (input,
/// exit 2), told apart from other failures by its type.
#[derive(Debug, thiserror::Error)]
#[error(
    "{} holds a different sweep (its sweep.toml differs from this request); use another --out, or delete the folder",
    .out.display()
)]
pub struct DifferentSweep {
    pub out: PathBuf,
}

/// What a finished sweep reports.
pub struct SweepDone {
    pub points: usize,
    pub skipped: usize,
    pub elapsed_s: f64,
    pub out: PathBuf,
}

fn col(name: &str, kind: ColumnKind, unit: &'static str) -> Column {
    Column {
        name: name.to_string(),
        kind,
        unit,
        doc: String::new(),
    }
}

#[derive(clap::Args)]
pub(crate) struct SweepArgs {
    /// Scenario file; omit for the built-in default.
    pub(crate) scenario: Option<PathBuf>,
    /// A parameter to vary: KEY=LO..HI[:STEPS], KEY a dotted path as in events (repeatable).
    /// A varied key holds its value for the whole run: events that set it are ignored.
    #[arg(long = "vary", required = true)]
    pub(crate) vary: Vec<String>,
    /// A parameter held at one value for the whole run: KEY=VALUE (repeatable).
    #[arg(long = "set")]
    pub(crate) set: Vec<String>,
    /// grid (every combination of the steps), lhs (Latin hypercube) or sobol (Saltelli
    /// design; writes sobol.csv).
    #[arg(long, default_value = "grid")]
    pub(crate) design: String,
    /// Points of an lhs design, or base samples of a sobol design (runs: samples x (keys + 2)).
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub(crate) samples: u32,
    /// Replications at every point use the same seeds; the seed also fixes the design's
    /// random parts. Re-running the same sweep into its folder (default
    /// runs/sweep-<scenario name>) completes the points not yet done.
    #[command(flatten)]
    pub(crate) run: RunOptions,
}

pub(crate) fn cmd_sweep(args: SweepArgs) -> Result<(), Failure> {
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
    let kind = quotasim_sweep::DesignKind::parse(&args.design)
        .map_err(|e| input(format!("--design: {e}")))?;
    let seed = quotasim_request::ensemble::seed_of(&scenario, opts.seed).map_err(request_error)?;
    let spec = Spec {
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
    // The varied and fixed keys held for the whole run and checked: the rule of every
    // front (`quotasim_sweep::held`).
    let base = quotasim_sweep::held(&scenario, &spec.fixed, &spec.ranges, spec.days).map_err(
        |problems| {
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
        },
    )?;
    quotasim_sweep::Design::new(kind, spec.ranges.clone(), spec.samples, seed)
        .map_err(|e| input(e.to_string()))?;
    let out = opts.out.claim(&format!("sweep-{}", scenario.run.name))?;
    let stop_after = std::env::var("QUOTASIM_SWEEP_STOP_AFTER")
        .ok()
        .and_then(|v| v.parse().ok());
    let done = run(&spec, &base, &out, opts.quiet, stop_after).map_err(|e| {
        if e.downcast_ref::<DifferentSweep>().is_some() {
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
