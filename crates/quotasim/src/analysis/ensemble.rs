//! Replications and their intervals (docs/model.md 7.9, "Randomness and replications").
//!
//! Replication r of a run with seed s draws from the streams (s, r, ...) of
//! [`crate::rng`], so replication 0 of any ensemble is the single run with seed s.
//! Replications run in parallel; results are kept in replication order and every
//! statistic is computed over that order, so the numbers do not depend on threads.
//! Each numeric summary key becomes the mean over replications, with `<key>_p05` and
//! `<key>_p95` (linear-interpolation percentiles) beside it.

use std::borrow::Cow;

use crate::engine::{self, Run};
use crate::observe::summary::{Stat, Summary};
use crate::setup::plan::Plan;

/// Runs replications 0..reps of `plan` from `seed`; `progress(done)` is called as each
/// simulated day completes, with the number of replication-days done so far.
pub fn replicate(plan: &Plan, seed: u64, reps: u32, progress: &(dyn Fn(u64) + Sync)) -> Vec<Run> {
    let done = std::sync::atomic::AtomicU64::new(0);
    let tick = |_day: u32| {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(n);
    };
    let one = |rep: u32| engine::run_with_progress(plan, seed, rep, &tick);
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        (0..reps).into_par_iter().map(one).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        (0..reps).map(one).collect()
    }
}

/// As [`replicate`], with replication r run from `plans[r]` (the same seed streams):
/// how a front runs replications whose parameters differ, such as draws from a
/// calibration's posterior. `progress` counts replication-days as in [`replicate`].
pub fn replicate_plans(plans: &[Plan], seed: u64, progress: &(dyn Fn(u64) + Sync)) -> Vec<Run> {
    let done = std::sync::atomic::AtomicU64::new(0);
    let tick = |_day: u32| {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(n);
    };
    let one =
        |(rep, plan): (usize, &Plan)| engine::run_with_progress(plan, seed, rep as u32, &tick);
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        plans.par_iter().enumerate().map(one).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        plans.iter().enumerate().map(one).collect()
    }
}

/// Runs replications 0..reps, replication r from `plan_of(r)` (borrowed, or made for
/// it, such as a draw of its assumptions: only a window's plans exist at once), and hands each finished
/// run to `sink` in replication order, holding only a window of runs at a time (two per
/// thread, [`windows`]): the memory of an ensemble does not grow with its replications.
/// The runs are the same as [`replicate`]'s (each replication draws from its own
/// streams). `progress` counts replication-days as in [`replicate`]. When `sink`
/// answers `Break` (an interrupt, an error), no further window is started.
pub fn replicate_each<'p>(
    plan_of: &(dyn Fn(u32) -> Cow<'p, Plan> + Sync),
    seed: u64,
    reps: u32,
    progress: &(dyn Fn(u64) + Sync),
    sink: &mut dyn FnMut(Run) -> std::ops::ControlFlow<()>,
) {
    let done = std::sync::atomic::AtomicU64::new(0);
    let tick = |_day: u32| {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(n);
    };
    for window in windows(reps) {
        for r in run_window(plan_of, seed, window, &tick) {
            if sink(r).is_break() {
                return;
            }
        }
    }
}

/// The windows replications 0..reps run in when streamed: two per thread at a time
/// (one with no `parallel` feature).
pub fn windows(reps: u32) -> impl Iterator<Item = std::ops::Range<u32>> {
    #[cfg(feature = "parallel")]
    let window = 2 * rayon::current_num_threads().max(1) as u32;
    #[cfg(not(feature = "parallel"))]
    let window = 1;
    (0..reps.div_ceil(window)).map(move |w| w * window..((w + 1) * window).min(reps))
}

/// Runs the replications of one window, in parallel where the `parallel` feature is on
/// (in the thread pool the caller is in), in replication order.
pub fn run_window<'p>(
    plan_of: &(dyn Fn(u32) -> Cow<'p, Plan> + Sync),
    seed: u64,
    window: std::ops::Range<u32>,
    tick: &(dyn Fn(u32) + Sync),
) -> Vec<Run> {
    let one = |rep: u32| engine::run_with_progress(&plan_of(rep), seed, rep, tick);
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        window.into_par_iter().map(one).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        window.map(one).collect()
    }
}

/// The `q` quantile (0..=1) of `values` by linear interpolation between order statistics.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    let h = (v.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The summary of an ensemble as every front reports it: a single replication's own
/// summary, or for several the [`combine`]d one (means with `_p05` and `_p95`).
pub fn summary_of(runs: &[Run]) -> Summary {
    match runs {
        [one] => one.summary.clone(),
        _ => combine(&runs.iter().map(|r| &r.summary).collect::<Vec<_>>()),
    }
}

/// One row of the long summary (summary.csv): a key, a statistic, its value as text
/// (empty where undefined) and the key's unit.
#[derive(Debug, Clone, PartialEq)]
pub struct LongRow {
    pub key: String,
    pub statistic: &'static str,
    pub value: String,
    pub unit: &'static str,
}

/// The summary of `reps` replications ([`summary_of`]) as a long table with the same
/// rows whatever the replications: for a number, its `mean`, `p05` and `p95` (for one
/// replication all three are its value); for a whole number or text, its `value`; for
/// a map (by office, by agency), each entry's `mean` as `key.entry`; and
/// `replications`.
pub fn long(summary: &Summary, reps: usize) -> Vec<LongRow> {
    let unit = |k: &str| crate::observe::summary::key_info(k).map_or("", |i| i.unit);
    let num = |x: Option<f64>| {
        x.filter(|v| v.is_finite())
            .map_or(String::new(), |v| v.to_string())
    };
    let mut rows = vec![LongRow {
        key: "replications".into(),
        statistic: "value",
        value: reps.to_string(),
        unit: "replications",
    }];
    let band = |k: &str| reps > 1 && (k.ends_with("_p05") || k.ends_with("_p95"));
    for (key, stat) in summary
        .entries
        .iter()
        .filter(|(k, _)| !band(k) && k != "replications")
    {
        let row = |statistic, value| LongRow {
            key: key.clone(),
            statistic,
            value,
            unit: unit(key),
        };
        match stat {
            Stat::Num(_) | Stat::Count(_) | Stat::Null => {
                let mean = summary.num(key);
                let (lo, hi) = if reps > 1 {
                    (
                        summary.num(&format!("{key}_p05")),
                        summary.num(&format!("{key}_p95")),
                    )
                } else {
                    (mean, mean)
                };
                rows.push(row("mean", num(mean)));
                rows.push(row("p05", num(lo)));
                rows.push(row("p95", num(hi)));
            }
            Stat::Int(i) => rows.push(row("value", i.to_string())),
            Stat::Text(t) => rows.push(row("value", t.clone())),
            Stat::NoText => rows.push(row("value", String::new())),
            Stat::Map(entries) => {
                let band_of =
                    |suffix: &str, name: &str| match summary.get(&format!("{key}{suffix}")) {
                        Some(Stat::Map(m)) => m.iter().find(|(n, _)| n == name).map(|(_, v)| *v),
                        _ => None,
                    };
                for (name, v) in entries {
                    let (lo, hi) = if reps > 1 {
                        (band_of("_p05", name), band_of("_p95", name))
                    } else {
                        (Some(*v), Some(*v))
                    };
                    for (statistic, x) in [("mean", Some(*v)), ("p05", lo), ("p95", hi)] {
                        rows.push(LongRow {
                            key: format!("{key}.{name}"),
                            statistic,
                            value: num(x),
                            unit: unit(key),
                        });
                    }
                }
            }
        }
    }
    rows
}

/// The ensemble summary of several replications' summaries.
pub fn combine<S: std::borrow::Borrow<Summary>>(summaries: &[S]) -> Summary {
    let summaries: Vec<&Summary> = summaries.iter().map(|s| s.borrow()).collect();
    let Some(first) = summaries.first() else {
        return Summary::default();
    };
    let mut out = Summary::default();
    for (key, stat) in &first.entries {
        let all: Vec<&Stat> = summaries.iter().filter_map(|s| s.get(key)).collect();
        match stat {
            Stat::Int(_) => out.entries.push((key.clone(), stat.clone())),
            Stat::Num(_) | Stat::Count(_) | Stat::Null => {
                let nums: Vec<f64> = all
                    .iter()
                    .filter_map(|s| match s {
                        Stat::Num(x) => Some(*x),
                        Stat::Count(n) => Some(*n as f64),
                        _ => None,
                    })
                    .collect();
                if nums.len() == all.len() && !nums.is_empty() {
                    out.entries.push((key.clone(), Stat::Num(mean(&nums))));
                    out.entries
                        .push((format!("{key}_p05"), Stat::Num(quantile(&nums, 0.05))));
                    out.entries
                        .push((format!("{key}_p95"), Stat::Num(quantile(&nums, 0.95))));
                } else {
                    // Undefined in some replication (e.g. no quota): undefined for the ensemble.
                    for k in [key.clone(), format!("{key}_p05"), format!("{key}_p95")] {
                        out.entries.push((k, Stat::Null));
                    }
                }
            }
            Stat::Text(_) | Stat::NoText => {
                // The most frequent value; ties to the first in sorted order.
                let mut texts: Vec<String> = all
                    .iter()
                    .filter_map(|s| {
                        if let Stat::Text(t) = s {
                            Some(t.clone())
                        } else {
                            None
                        }
                    })
                    .collect();
                texts.sort();
                let mut best: Option<(usize, String)> = None;
                for t in &texts {
                    let n = texts.iter().filter(|x| *x == t).count();
                    if best.as_ref().is_none_or(|(m, _)| n > *m) {
                        best = Some((n, t.clone()));
                    }
                }
                out.entries.push((
                    key.clone(),
                    best.map_or(Stat::NoText, |(_, t)| Stat::Text(t)),
                ));
            }
            Stat::Map(pairs) => {
                let mut m = Vec::new();
                let mut lo = Vec::new();
                let mut hi = Vec::new();
                for (k, _) in pairs {
                    let vals: Vec<f64> = all
                        .iter()
                        .filter_map(|s| {
                            if let Stat::Map(p) = s {
                                p.iter().find(|(kk, _)| kk == k).map(|(_, v)| *v)
                            } else {
                                None
                            }
                        })
                        .collect();
                    m.push((k.clone(), mean(&vals)));
                    lo.push((k.clone(), quantile(&vals, 0.05)));
                    hi.push((k.clone(), quantile(&vals, 0.95)));
                }
                out.entries.push((key.clone(), Stat::Map(m)));
                out.entries.push((format!("{key}_p05"), Stat::Map(lo)));
                out.entries.push((format!("{key}_p95"), Stat::Map(hi)));
            }
        }
    }
    out.entries.insert(
        2.min(out.entries.len()),
        ("replications".into(), Stat::Int(summaries.len() as u64)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_replications_come_in_order_and_equal_the_collected_ones() {
        let mut s = crate::Scenario::national_default();
        s.docket.total = 30_000;
        s.docket.convicted = 1_500;
        s.docket.pending_charges = 900;
        let plan = Plan::with_days(&s, Some(6)).unwrap();
        let all = replicate(&plan, 9, 7, &|_| {});
        let mut streamed = Vec::new();
        replicate_each(&|_| Cow::Borrowed(&plan), 9, 7, &|_| {}, &mut |r| {
            streamed.push(r);
            std::ops::ControlFlow::Continue(())
        });
        assert_eq!(streamed.len(), 7);
        for (a, b) in all.iter().zip(&streamed) {
            assert_eq!(a.rep, b.rep);
            assert_eq!(a.summary, b.summary);
            assert_eq!(a.daily.len(), b.daily.len());
        }
    }

    #[test]
    fn quantile_interpolates() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert!((quantile(&v, 0.05) - 1.2).abs() < 1e-12);
        assert!((quantile(&v, 0.95) - 4.8).abs() < 1e-12);
    }

    #[test]
    fn combine_gives_mean_and_bands() {
        let s = |x: f64| Summary {
            entries: vec![
                ("a".into(), Stat::Num(x)),
                ("o".into(), Stat::Map(vec![("X".into(), x * 2.0)])),
            ],
        };
        let c = combine(&[s(1.0), s(3.0)]);
        assert_eq!(c.num("a"), Some(2.0));
        assert_eq!(c.num("a_p05"), Some(1.1));
        assert_eq!(c.get("o"), Some(&Stat::Map(vec![("X".into(), 4.0)])));
    }
}
