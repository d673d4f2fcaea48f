//! Paired differences of two ensembles run with the same seeds: a reform B against a
//! baseline A, replication by replication (common random numbers), for every numeric
//! summary key. `quotasim compare`, the Python package and the dashboard all use this.
//!
//! For key k and replications r = 1..n: d_r = B_r(k) - A_r(k); the difference is the
//! mean of d_r, with its 5th and 95th percentiles over replications (as
//! [`crate::analysis::ensemble::quantile`]). Pairing removes the chance both runs share, so the
//! interval is that of the reform's effect, not of either run.

use serde::Serialize;

use crate::analysis::ensemble::quantile;
use crate::engine::Run;
use crate::observe::summary::Summary;

/// One summary key compared: the means of A and B, and B - A paired by replication.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub key: String,
    pub a: f64,
    pub b: f64,
    /// Mean over replications of B - A.
    pub diff: f64,
    /// 5th and 95th percentiles of B - A over replications (undefined, NaN, where a
    /// replication lacks the key).
    pub p05: f64,
    pub p95: f64,
}

/// Every numeric summary key of two ensembles run with the same seeds, in the order of
/// A's summary. Replications are paired by position.
pub fn differences(a: &[Run], b: &[Run]) -> Vec<Difference> {
    let a: Vec<&Summary> = a.iter().map(|r| &r.summary).collect();
    let b: Vec<&Summary> = b.iter().map(|r| &r.summary).collect();
    summary_differences(&a, &b)
}

/// [`differences`] of the replications' summaries alone, so that an ensemble need not
/// be kept whole to be compared.
pub fn summary_differences(a: &[&Summary], b: &[&Summary]) -> Vec<Difference> {
    let Some(first) = a.first() else {
        return Vec::new();
    };
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    first
        .numeric_keys()
        .map(|key| {
            let of = |runs: &[&Summary]| -> Vec<f64> {
                runs.iter()
                    .map(|r| r.num(key).unwrap_or(f64::NAN))
                    .collect()
            };
            let (va, vb) = (of(a), of(b));
            let d: Vec<f64> = va.iter().zip(&vb).map(|(x, y)| y - x).collect();
            let finite = d.iter().all(|x| x.is_finite());
            let q = |p: f64| if finite { quantile(&d, p) } else { f64::NAN };
            Difference {
                key: key.to_string(),
                a: mean(&va),
                b: mean(&vb),
                diff: mean(&d),
                p05: q(0.05),
                p95: q(0.95),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_scenario_same_seeds_differs_by_nothing() {
        let mut s = crate::Scenario::national_default();
        s.docket.total = 40_000;
        s.docket.convicted = 2_000;
        s.docket.pending_charges = 1_000;
        let plan = crate::Plan::with_days(&s, Some(8)).unwrap();
        let runs = crate::analysis::ensemble::replicate(&plan, 3, 3, &|_| {});
        let d = differences(&runs, &runs);
        let arrests = d.iter().find(|d| d.key == "arrests_per_day_mean").unwrap();
        assert!(arrests.a > 0.0);
        assert_eq!((arrests.diff, arrests.p05, arrests.p95), (0.0, 0.0, 0.0));
    }
}
