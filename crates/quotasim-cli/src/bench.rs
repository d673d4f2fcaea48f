//! `quotasim bench`: time runs and measure memory; the memory check every command makes
//! before it runs.

use std::path::PathBuf;
use std::time::Instant;

use crate::failure::Failure;
use crate::input::load_plan;

#[derive(clap::Args)]
pub(crate) struct BenchArgs {
    /// Scenario file; omit for the national default.
    pub(crate) scenario: Option<PathBuf>,
    /// Timed runs (the fastest and the median are reported).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub(crate) runs: u32,
    /// Days to simulate (default: the scenario's).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(quotasim::scenario::MAX_DAYS)))]
    pub(crate) days: Option<u32>,
    /// Time whole `quotasim run` processes instead, every output written (daily and
    /// national tables as CSV and Parquet, reps, summary, report.html), into a
    /// temporary folder that is removed after.
    #[arg(long)]
    pub(crate) whole: bool,
}

/// `quotasim bench --whole`: whole processes of `quotasim run`, outputs written.
pub(crate) fn bench_whole(args: &BenchArgs, plan: &quotasim::Plan) -> Result<(), Failure> {
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

/// Peak resident memory of this process (kB), from /proc (Linux); None elsewhere.
pub(crate) fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

pub(crate) fn cmd_bench(args: BenchArgs) -> Result<(), Failure> {
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
