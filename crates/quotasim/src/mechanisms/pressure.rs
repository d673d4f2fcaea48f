//! Pressure that builds: an accountability penalty that escalates with an office's
//! recent shortfall, and rankings that put the bottom offices under threat
//! (docs/model.md 7.14, "Escalating pressure").
//!
//! Each office keeps its arrests and targets over the last `quota.window_days` days.
//! Its shortfall share is
//!
//! ```text
//! S_o = sum over the window of max(0, target - arrests) / sum over the window of target
//! ```
//!
//! (0 with no target in the window). The penalty an office's manager faces today is
//!
//! ```text
//! penalty_o = quota.penalty_per_missed_arrest x (1 + quota.escalation x S_o) x R_o
//! R_o       = quota.ranking_penalty_factor  if ranking is on and o is among the
//!                                           ceil(ranking_bottom_share x offices with
//!                                           a target) lowest attainments (arrests /
//!                                           target over the window; ties to the
//!                                           earlier office)
//!           = 1                             otherwise
//! ```
//!
//! With `escalation = 0` and ranking off the penalty is the scenario's, as before; the
//! pressure is explicit and can be switched off.

use std::collections::VecDeque;

use crate::setup::scenario::QuotaParams;

/// Each office's recent arrests and targets.
#[derive(Debug, Clone)]
pub struct Pressure {
    /// (arrests, target) of each office's last days, newest last.
    days: Vec<VecDeque<(u32, f64)>>,
}

impl Pressure {
    pub fn new(offices: usize) -> Pressure {
        Pressure {
            days: vec![VecDeque::new(); offices],
        }
    }

    /// Records office `o`'s day, keeping at most `window` days.
    pub fn record(&mut self, o: usize, arrests: u32, target: f64, window: u32) {
        let d = &mut self.days[o];
        d.push_back((arrests, target));
        while d.len() > window.max(1) as usize {
            d.pop_front();
        }
    }

    /// Office `o`'s shortfall share over the window kept, `S_o`.
    pub fn shortfall(&self, o: usize) -> f64 {
        let (short, target) = self.days[o].iter().fold((0.0, 0.0), |(s, t), &(a, q)| {
            (s + (q - f64::from(a)).max(0.0), t + q)
        });
        if target > 0.0 { short / target } else { 0.0 }
    }

    /// Office `o`'s attainment over the window, or `None` with no target in it.
    fn attainment(&self, o: usize) -> Option<f64> {
        let (a, t) = self.days[o]
            .iter()
            .fold((0.0, 0.0), |(a, t), &(x, q)| (a + f64::from(x), t + q));
        (t > 0.0).then_some(a / t)
    }

    /// Today's penalty for each office under `q`.
    pub fn penalties(&self, q: &QuotaParams) -> Vec<f64> {
        let n = self.days.len();
        let mut factor = vec![1.0; n];
        if q.ranking && q.ranking_penalty_factor != 1.0 {
            let mut ranked: Vec<(usize, f64)> = (0..n)
                .filter_map(|o| self.attainment(o).map(|a| (o, a)))
                .collect();
            ranked.sort_by(|x, y| x.1.total_cmp(&y.1).then(x.0.cmp(&y.0)));
            let bottom = (q.ranking_bottom_share * ranked.len() as f64).ceil() as usize;
            for &(o, _) in ranked.iter().take(bottom) {
                factor[o] = q.ranking_penalty_factor;
            }
        }
        (0..n)
            .map(|o| {
                q.penalty_per_missed_arrest * (1.0 + q.escalation * self.shortfall(o)) * factor[o]
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::scenario::Scenario;

    fn quota() -> QuotaParams {
        let mut q = Scenario::national_default().quota;
        q.penalty_per_missed_arrest = 4.0;
        q.escalation = 0.0;
        q.ranking = false;
        q
    }

    #[test]
    fn no_escalation_and_no_ranking_keep_the_scenario_penalty() {
        let mut p = Pressure::new(3);
        p.record(0, 0, 10.0, 30);
        assert_eq!(p.penalties(&quota()), vec![4.0; 3]);
    }

    #[test]
    fn penalty_escalates_with_the_shortfall_in_the_window() {
        let mut q = quota();
        q.escalation = 1.0;
        let mut p = Pressure::new(2);
        for _ in 0..10 {
            p.record(0, 5, 10.0, 30);
            p.record(1, 12, 10.0, 30);
        }
        assert_eq!(p.shortfall(0), 0.5);
        assert_eq!(p.penalties(&q), vec![6.0, 4.0]);
        // Days older than the window are forgotten.
        for _ in 0..30 {
            p.record(0, 10, 10.0, 30);
        }
        assert_eq!(p.shortfall(0), 0.0);
    }

    #[test]
    fn ranking_threatens_the_bottom_offices_only() {
        let mut q = quota();
        q.ranking = true;
        q.ranking_bottom_share = 0.1;
        q.ranking_penalty_factor = 3.0;
        let mut p = Pressure::new(12);
        for o in 0..12 {
            p.record(o, o as u32, 10.0, 30);
        }
        // ceil(0.1 x 12) = 2 offices: the two lowest attainments.
        let pen = p.penalties(&q);
        assert_eq!(&pen[..3], &[12.0, 12.0, 4.0]);
        assert!(pen[3..].iter().all(|&x| x == 4.0));
    }
}
