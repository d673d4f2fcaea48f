//! The model's own error, as the published figures of a run's fit window measure it
//! (docs/calibration.md, "The model's own error"), and bands widened by it.
//!
//! Chance, unit costs, the assumptions' ranges and the fit's posterior leave out what
//! the model gets wrong by its structure: the rolling-origin backtest finds its 90 %
//! bands hold far fewer than 90 % of what happened. A run whose dates hold published
//! figures inside its fit window (windows that end on or before `run.fitted_through`)
//! measures that error itself. For each kind of figure m,
//!
//! ```text
//! e_m = sqrt( mean over the figures of m of (d_i / |f_i|)^2 )
//! ```
//!
//! where d_i is the distance from the model's mean to the figure (its value; for a range,
//! the nearer bound it misses, 0 inside) and f_i the figure (the value, else the bound).
//! A summary key of kind m (arrests a day, detained, removals, the shares) then has its
//! 5-95 % band widened by that relative error, in quadrature, about its mean x:
//!
//! ```text
//! lo' = x - sqrt((x - lo)^2 + (1.645 e_m x)^2),  hi' = x + sqrt((hi - x)^2 + (1.645 e_m x)^2)
//! ```
//!
//! (a normal error of relative sd e_m; shares are kept within [0, 1] and counts at 0 or
//! more). Figures after the fit window are never used: they are what a forecast is
//! scored on.

use quotasim::scenario::Date;
use quotasim::summary::{Stat, Summary};

use crate::{Metric, Observation};

/// The relative error of each kind of figure, with the figures it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelError {
    /// (kind, relative error, number of figures), in the order kinds first appear.
    pub by_metric: Vec<(Metric, f64, usize)>,
    /// The last day of the fit window the figures lie in.
    pub fitted_through: Date,
}

/// The summary keys each kind of figure widens: the same quantity over other dates, and
/// by fiscal year (each entry widened alike).
const KEYS: &[(Metric, &[&str])] = &[
    (
        Metric::ArrestsPerDay,
        &[
            "arrests_per_day_mean",
            "arrests_per_day_under_target_in_force",
            "arrests_total",
            "arrests_per_day_by_fiscal_year",
        ],
    ),
    (
        Metric::ShareOther,
        &["share_other", "share_other_by_fiscal_year"],
    ),
    (Metric::ShareConvicted, &["share_convicted"]),
    (
        Metric::Detained,
        &[
            "detained_mean",
            "detained_at_end",
            "peak_detained",
            "detained_mean_by_fiscal_year",
        ],
    ),
    (
        Metric::DetainedConvictedShare,
        &[
            "detained_convicted_share_mean",
            "detained_convicted_share_at_end",
        ],
    ),
    (
        Metric::RemovalsPerDay,
        &[
            "removals_per_year",
            "removals_total",
            "removals_last_year",
            "removals_by_fiscal_year",
            // Their relative error is the pace's, to first order.
            "days_to_one_million_removals",
            "one_million_removals_day",
        ],
    ),
];

/// A kind of figure in a reader's words.
fn words(m: Metric) -> &'static str {
    match m {
        Metric::ArrestsPerDay => "arrests a day",
        Metric::ShareOther => "share with no record",
        Metric::ShareConvicted => "share convicted",
        Metric::Detained => "detained",
        Metric::DetainedConvictedShare => "detained with a conviction",
        Metric::RemovalsPerDay => "removals",
        _ => m.key(),
    }
}

fn is_share(m: Metric) -> bool {
    matches!(
        m,
        Metric::ShareOther | Metric::ShareConvicted | Metric::DetainedConvictedShare
    )
}

impl ModelError {
    /// The error the figures `observations` (with the model's means `means`, one
    /// each) show inside the fit window ending `fitted_through`; `None` when no figure
    /// of a kind that widens a key lies in it.
    pub fn measure(
        observations: &[Observation],
        means: &[f64],
        fitted_through: Date,
    ) -> Option<ModelError> {
        let mut by: Vec<(Metric, f64, usize)> = Vec::new();
        for (ob, &mean) in observations.iter().zip(means) {
            let in_window = ob.to.is_some_and(|to| to <= fitted_through);
            let widens = KEYS.iter().any(|(m, _)| *m == ob.metric);
            let Some(figure) = ob.value.or(ob.min).or(ob.max) else {
                continue;
            };
            if !in_window || !widens || !mean.is_finite() || figure == 0.0 {
                continue;
            }
            let rel = ob.z(mean) * ob.sd / figure.abs();
            match by.iter_mut().find(|(m, _, _)| *m == ob.metric) {
                Some((_, sum, n)) => {
                    *sum += rel * rel;
                    *n += 1;
                }
                None => by.push((ob.metric, rel * rel, 1)),
            }
        }
        for (_, sum, n) in &mut by {
            *sum = (*sum / *n as f64).sqrt();
        }
        (!by.is_empty()).then_some(ModelError {
            by_metric: by,
            fitted_through,
        })
    }

    /// The relative error of kind `m`, where measured.
    pub fn of(&self, m: Metric) -> Option<f64> {
        self.by_metric
            .iter()
            .find(|(k, _, _)| *k == m)
            .map(|&(_, e, _)| e)
    }

    /// Widens the 5-95 % band of every key of a measured kind (the formula above), and
    /// of every entry of a key by fiscal year, and returns the keys widened. Keys
    /// without a band (a single run) are left alone.
    pub fn widen(&self, summary: &mut Summary) -> Vec<&'static str> {
        let mut widened = Vec::new();
        for &(m, keys) in KEYS {
            let Some(e) = self.of(m) else { continue };
            let band = |x: f64, lo: f64, hi: f64| {
                let extra = 1.645 * e * x.abs();
                let lo = (x - (x - lo).hypot(extra)).max(0.0);
                let hi = x + (hi - x).hypot(extra);
                (lo, if is_share(m) { hi.min(1.0) } else { hi })
            };
            for &key in keys {
                let (k05, k95) = (format!("{key}_p05"), format!("{key}_p95"));
                let (Some(mid), Some(lo), Some(hi)) =
                    (summary.get(key), summary.get(&k05), summary.get(&k95))
                else {
                    continue;
                };
                let (lo, hi) = match (mid, lo, hi) {
                    (Stat::Map(mid), Stat::Map(lo), Stat::Map(hi)) => {
                        let (mut los, mut his) = (lo.clone(), hi.clone());
                        for ((x, l), h) in mid.iter().zip(&mut los).zip(&mut his) {
                            (l.1, h.1) = band(x.1, l.1, h.1);
                        }
                        (Stat::Map(los), Stat::Map(his))
                    }
                    _ => {
                        let (Some(x), Some(lo), Some(hi)) =
                            (summary.num(key), summary.num(&k05), summary.num(&k95))
                        else {
                            continue;
                        };
                        let (lo, hi) = band(x, lo, hi);
                        (Stat::Num(lo), Stat::Num(hi))
                    }
                };
                for (k, v) in summary.entries.iter_mut() {
                    if *k == k05 {
                        *v = lo.clone();
                    } else if *k == k95 {
                        *v = hi.clone();
                    }
                }
                widened.push(key);
            }
        }
        widened
    }

    /// In words, for `bands_carry` and the reports: "the model's own error, as the
    /// published figures of its fit window (to 2026-01-31) measure it: arrests a day
    /// 13 % of 13 figures, ...".
    pub fn describe(&self) -> String {
        let kinds: Vec<String> = self
            .by_metric
            .iter()
            .map(|(m, e, n)| {
                format!(
                    "{} {:.0} % ({n} figure{})",
                    words(*m),
                    100.0 * e,
                    if *n == 1 { "" } else { "s" }
                )
            })
            .collect();
        format!(
            "the model's own error, as the published figures of its fit window (to {}) measure it: {}",
            self.fitted_through,
            kinds.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ob(metric: Metric, to: &str, value: Option<f64>, min: Option<f64>) -> Observation {
        Observation {
            metric,
            key: None,
            from: Some(Date::parse("2025-02-01").unwrap()),
            to: Some(Date::parse(to).unwrap()),
            value,
            min,
            max: None,
            sd: 10.0,
            source: "test".into(),
            note: String::new(),
        }
    }

    #[test]
    fn model_error_is_the_rms_relative_miss_inside_the_fit_window_only() {
        let through = Date::parse("2025-12-31").unwrap();
        let obs = [
            // 10 % and 20 % off: rms sqrt((0.01 + 0.04) / 2) = 0.158.
            ob(Metric::ArrestsPerDay, "2025-03-01", Some(1000.0), None),
            ob(Metric::ArrestsPerDay, "2025-06-01", Some(1000.0), None),
            // After the fit window: never used, however far off.
            ob(Metric::ArrestsPerDay, "2026-01-15", Some(1000.0), None),
            // A range met: no error.
            ob(Metric::Detained, "2025-06-01", None, Some(50_000.0)),
        ];
        let means = [1100.0, 800.0, 5000.0, 60_000.0];
        let e = ModelError::measure(&obs, &means, through).unwrap();
        let arrests = e.of(Metric::ArrestsPerDay).unwrap();
        assert!((arrests - 0.158_113_883).abs() < 1e-6, "{arrests}");
        assert_eq!(e.of(Metric::Detained), Some(0.0));
        assert_eq!(e.by_metric[0].2, 2, "two arrests figures in the window");
        assert!(
            e.describe().contains("arrests a day 16 % (2 figures)"),
            "{}",
            e.describe()
        );
    }

    #[test]
    fn widening_adds_the_relative_error_in_quadrature_and_keeps_shares_within_one() {
        let e = ModelError {
            by_metric: vec![
                (Metric::ArrestsPerDay, 0.1, 3),
                (Metric::ShareOther, 0.5, 2),
            ],
            fitted_through: Date::parse("2026-01-31").unwrap(),
        };
        let mut s = Summary::default();
        for (k, v) in [
            ("arrests_per_day_mean", 1000.0),
            ("arrests_per_day_mean_p05", 970.0),
            ("arrests_per_day_mean_p95", 1040.0),
            ("share_other", 0.6),
            ("share_other_p05", 0.58),
            ("share_other_p95", 0.62),
            ("detained_mean", 60_000.0),
            ("detained_mean_p05", 59_000.0),
            ("detained_mean_p95", 61_000.0),
        ] {
            s.entries.push((k.into(), Stat::Num(v)));
        }
        let keys = e.widen(&mut s);
        assert_eq!(keys, ["arrests_per_day_mean", "share_other"]);
        // 1000 - sqrt(30^2 + 164.5^2) = 832.79; 1000 + sqrt(40^2 + 164.5^2) = 1169.29.
        assert!((s.num("arrests_per_day_mean_p05").unwrap() - 832.787).abs() < 0.01);
        assert!((s.num("arrests_per_day_mean_p95").unwrap() - 1169.293).abs() < 0.01);
        // 0.6 + 1.645 * 0.5 * 0.6 = 1.09 is cut to 1.
        assert_eq!(s.num("share_other_p95"), Some(1.0));
        // Detained was not measured: left alone.
        assert_eq!(s.num("detained_mean_p05"), Some(59_000.0));
    }

    #[test]
    fn every_fiscal_year_of_a_key_by_fiscal_year_is_widened_alike() {
        let e = ModelError {
            by_metric: vec![(Metric::RemovalsPerDay, 0.1, 4)],
            fitted_through: Date::parse("2026-01-31").unwrap(),
        };
        let map = |a: f64, b: f64| Stat::Map(vec![("FY2026".into(), a), ("FY2027".into(), b)]);
        let mut s = Summary::default();
        s.entries
            .push(("removals_by_fiscal_year".into(), map(400_000.0, 430_000.0)));
        s.entries.push((
            "removals_by_fiscal_year_p05".into(),
            map(390_000.0, 400_000.0),
        ));
        s.entries.push((
            "removals_by_fiscal_year_p95".into(),
            map(410_000.0, 460_000.0),
        ));
        assert_eq!(e.widen(&mut s), ["removals_by_fiscal_year"]);
        let Some(Stat::Map(lo)) = s.get("removals_by_fiscal_year_p05") else {
            panic!("no band")
        };
        let Some(Stat::Map(hi)) = s.get("removals_by_fiscal_year_p95") else {
            panic!("no band")
        };
        // 400,000 - sqrt(10,000^2 + 65,800^2) = 333,444.4; 430,000 + sqrt(30,000^2 +
        // 70,735^2) = 506,833.8.
        assert_eq!(lo[0].0, "FY2026");
        assert!((lo[0].1 - 333_444.4).abs() < 1.0, "{lo:?}");
        assert!((hi[1].1 - 506_833.8).abs() < 1.0, "{hi:?}");
        // The mean is left as it was.
        assert_eq!(
            s.get("removals_by_fiscal_year"),
            Some(&map(400_000.0, 430_000.0))
        );
    }
}
