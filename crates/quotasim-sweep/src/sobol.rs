//! Sobol sensitivity indices from a Saltelli design (docs/sweeps.md, "Sensitivity").
//!
//! For k varied parameters and N base samples, the outputs come in blocks of k + 2, in
//! the order of [`crate::design::DesignKind::Sobol`]: f(A), f(AB_1) .. f(AB_k), f(B). The
//! outputs are first standardised (minus their mean, over their sd, over all runs), as
//! SALib does. With V the variance (divisor n) of all f(A) and f(B) together:
//!
//! - first order (Saltelli et al. 2010): S_j = mean(f(B) (f(AB_j) - f(A))) / V;
//! - total (Jansen 1999): ST_j = mean((f(A) - f(AB_j))²) / 2 / V.
//!
//! Confidence intervals follow SALib: the estimators are recomputed on `resamples`
//! bootstrap resamples of the N base samples, and the half-width of a 95 % interval is
//! 1.96 times their standard deviation. These are SALib's `sobol.analyze` formulas
//! (with `calc_second_order=False`), so both give the same indices on the same design
//! and outputs; their bootstrap intervals differ only by the random resamples.

use rand::{RngExt, SeedableRng};

/// The indices of one parameter for one output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Index {
    pub first: f64,
    /// Half-width of the 95 % bootstrap interval of `first`.
    pub first_conf: f64,
    pub total: f64,
    pub total_conf: f64,
}

/// z of a two-sided 95 % normal interval.
const Z95: f64 = 1.959_963_984_540_054;

fn estimate(ys: &[f64], k: usize, rows: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let f = |i: usize, c: usize| ys[i * (k + 2) + c];
    let n = rows.len() as f64;
    let all: Vec<f64> = rows.iter().flat_map(|&i| [f(i, 0), f(i, k + 1)]).collect();
    let mean = all.iter().sum::<f64>() / all.len() as f64;
    let var = all.iter().map(|y| (y - mean).powi(2)).sum::<f64>() / all.len() as f64;
    let mut first = vec![0.0; k];
    let mut total = vec![0.0; k];
    for j in 0..k {
        let (mut s, mut t) = (0.0, 0.0);
        for &i in rows {
            let (a, ab, b) = (f(i, 0), f(i, 1 + j), f(i, k + 1));
            s += b * (ab - a);
            t += (a - ab).powi(2);
        }
        first[j] = s / n / var;
        total[j] = t / n / 2.0 / var;
    }
    (first, total)
}

/// Outputs that do not come from a Saltelli design of `parameters` parameters: their
/// count is not a multiple of `parameters + 2`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{outputs} outputs do not form blocks of {} (a Saltelli design of {parameters} parameters)", .parameters + 2)]
pub struct NotSaltelli {
    pub outputs: usize,
    pub parameters: usize,
}

/// First-order and total indices of each of `k` parameters for one output `ys`
/// (length N (k + 2), in the design's order), with bootstrap intervals from
/// `resamples` resamples drawn from `seed`. Undefined (NaN) when the output does not
/// vary.
pub fn indices(
    ys: &[f64],
    k: usize,
    resamples: usize,
    seed: u64,
) -> Result<Vec<Index>, NotSaltelli> {
    if k == 0 || ys.is_empty() || !ys.len().is_multiple_of(k + 2) {
        return Err(NotSaltelli {
            outputs: ys.len(),
            parameters: k,
        });
    }
    let n = ys.len() / (k + 2);
    // Standardised first, as SALib does: the first-order estimator is not invariant to
    // a shift of the output, and centring makes it far less noisy.
    let m = ys.iter().sum::<f64>() / ys.len() as f64;
    let sd = (ys.iter().map(|y| (y - m).powi(2)).sum::<f64>() / ys.len() as f64).sqrt();
    let ys: Vec<f64> = ys.iter().map(|y| (y - m) / sd).collect();
    let ys = &ys[..];
    let rows: Vec<usize> = (0..n).collect();
    let (first, total) = estimate(ys, k, &rows);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut boot_first = vec![Vec::with_capacity(resamples); k];
    let mut boot_total = vec![Vec::with_capacity(resamples); k];
    for _ in 0..resamples {
        let sample: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
        let (f, t) = estimate(ys, k, &sample);
        for j in 0..k {
            boot_first[j].push(f[j]);
            boot_total[j].push(t[j]);
        }
    }
    let sd = |v: &[f64]| {
        if v.len() < 2 {
            return f64::NAN;
        }
        let m = v.iter().sum::<f64>() / v.len() as f64;
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
    };
    Ok((0..k)
        .map(|j| Index {
            first: first[j],
            first_conf: Z95 * sd(&boot_first[j]),
            total: total[j],
            total_conf: Z95 * sd(&boot_total[j]),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::{Design, DesignKind, Range};
    use std::f64::consts::PI;

    /// The Ishigami function, a standard test of sensitivity estimators, with
    /// a = 7, b = 0.1 on [-pi, pi]^3.
    fn ishigami(x: &[f64]) -> f64 {
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    /// Its indices, from the analytic variances (Ishigami and Homma 1990).
    fn analytic() -> ([f64; 3], [f64; 3]) {
        let (a, b) = (7.0f64, 0.1f64);
        let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let v = v1 + v2 + v13;
        ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
    }

    #[test]
    fn ishigami_indices_match_their_analytic_values() {
        let ranges = ["x1", "x2", "x3"]
            .iter()
            .map(|p| Range {
                path: p.to_string(),
                lo: -PI,
                hi: PI,
                steps: 0,
            })
            .collect();
        let d = Design::new(DesignKind::Sobol, ranges, 4096, 7).unwrap();
        let ys: Vec<f64> = d.points.iter().map(|p| ishigami(p)).collect();
        let got = indices(&ys, 3, 200, 1).unwrap();
        let (s1, st) = analytic();
        // Analytic: S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437.
        assert!((s1[0] - 0.3139).abs() < 1e-3 && (st[2] - 0.2437).abs() < 1e-3);
        for j in 0..3 {
            let g = got[j];
            // Inside the bootstrap interval (with a floor for intervals that are tiny),
            // and close in absolute terms.
            let tol1 = g.first_conf.max(0.01);
            let tolt = g.total_conf.max(0.01);
            assert!(
                (g.first - s1[j]).abs() <= tol1,
                "S1[{j}] {} vs {} (+-{})",
                g.first,
                s1[j],
                g.first_conf
            );
            assert!(
                (g.total - st[j]).abs() <= tolt,
                "ST[{j}] {} vs {} (+-{})",
                g.total,
                st[j],
                g.total_conf
            );
            assert!(g.first_conf > 0.0 && g.first_conf < 0.1, "{g:?}");
        }
    }

    #[test]
    fn an_output_that_ignores_a_parameter_gives_it_zero() {
        let ranges = ["x", "unused"]
            .iter()
            .map(|p| Range {
                path: p.to_string(),
                lo: 0.0,
                hi: 1.0,
                steps: 0,
            })
            .collect();
        let d = Design::new(DesignKind::Sobol, ranges, 256, 2).unwrap();
        let ys: Vec<f64> = d.points.iter().map(|p| 3.0 * p[0]).collect();
        let got = indices(&ys, 2, 50, 1).unwrap();
        assert!(
            (got[0].first - 1.0).abs() < 0.02 && (got[0].total - 1.0).abs() < 0.02,
            "{got:?}"
        );
        assert_eq!(got[1].first, 0.0);
        assert_eq!(got[1].total, 0.0);
    }

    #[test]
    fn outputs_not_in_blocks_are_refused() {
        assert!(indices(&[1.0; 7], 2, 10, 0).is_err());
    }
}
