//! The memory check every command makes before it runs: a run whose projected peak
//! exceeds this machine's memory (or `QUOTASIM_MAX_MEMORY_MB`) is refused with the
//! figures, before any work.

use quotasim::{Plan, ensemble};

use crate::failure::Failure;

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
pub(crate) fn check_memory(plan: &Plan, reps: u32) -> Result<u64, Failure> {
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
