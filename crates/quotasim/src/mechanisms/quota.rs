//! The quota and the accountability rule (docs/model.md 7.4, "The quota").
//!
//! The cascade: each office's daily target is `quota.per_office_per_day` where set,
//! otherwise the national target `quota.national_per_day` split by docket share
//! (noncitizen population):
//!
//! ```text
//! target_o = per_office_per_day             if per_office_per_day > 0
//!          = national_per_day x share_o     otherwise
//! ```
//!
//! The national target a day is `national_per_day` where set, otherwise the sum of the
//! office targets (`per_office_per_day x offices`); 0 for none. Attainment is arrests
//! over the target summed over the run's days. An office misses its quota on a day when
//! its arrests fall short of its target; the accountability penalty
//! `quota.penalty_per_missed_arrest` prices each arrest short of it in the manager's
//! choice ([`crate::mechanisms::manager`]).

use crate::setup::plan::Plan;
use crate::setup::scenario::QuotaParams;

/// Each office's daily target (arrests/day) under `q`, in office order.
pub fn office_targets(q: &QuotaParams, docket_share: &[f64]) -> Vec<f64> {
    docket_share
        .iter()
        .map(|share| {
            if q.per_office_per_day > 0.0 {
                q.per_office_per_day
            } else {
                q.national_per_day * share
            }
        })
        .collect()
}

/// The national target on each day (arrests/day): `quota.national_per_day` where set,
/// otherwise the sum of the office targets; 0 for none.
pub fn national_target(plan: &Plan, day: u32) -> f64 {
    let q = &plan.segments[plan.segment_index(day)].scenario.quota;
    if q.national_per_day > 0.0 {
        q.national_per_day
    } else {
        q.per_office_per_day * plan.offices.len() as f64
    }
}

/// Whether an office with `arrests` today missed its daily `target`.
pub fn misses(arrests: u32, target: f64) -> bool {
    target > 0.0 && f64::from(arrests) < target
}

/// What a run's days say of the quota: targets and arrests by office, days under a
/// target and days missed, and each office's first miss.
#[derive(Debug, Clone)]
pub struct Tally {
    /// Sum of each office's daily targets over the run (arrests).
    pub office_target: Vec<f64>,
    /// Arrests by office over the run.
    pub office_arrests: Vec<u64>,
    /// Office-days with a target, and of them those that missed it.
    pub office_days_with_target: u64,
    pub office_days_missing: u64,
    /// Each office's first day that missed its target.
    pub first_miss: Vec<Option<u32>>,
}

impl Tally {
    pub fn new(offices: usize) -> Tally {
        Tally {
            office_target: vec![0.0; offices],
            office_arrests: vec![0; offices],
            office_days_with_target: 0,
            office_days_missing: 0,
            first_miss: vec![None; offices],
        }
    }

    /// Counts one office-day: office `o` made `arrests` on `day` against `target`.
    pub fn add(&mut self, o: usize, day: u32, arrests: u32, target: f64) {
        self.office_arrests[o] += u64::from(arrests);
        self.office_target[o] += target;
        if target > 0.0 {
            self.office_days_with_target += 1;
            if misses(arrests, target) {
                self.office_days_missing += 1;
                self.first_miss[o].get_or_insert(day);
            }
        }
    }

    /// Offices with a target at some time in the run, in office order.
    pub fn with_target(&self) -> Vec<usize> {
        (0..self.office_target.len())
            .filter(|&o| self.office_target[o] > 0.0)
            .collect()
    }

    /// Each office's arrests over its summed target, for offices with a target.
    pub fn attainment_by_office(&self) -> Vec<(usize, f64)> {
        self.with_target()
            .into_iter()
            .map(|o| (o, self.office_arrests[o] as f64 / self.office_target[o]))
            .collect()
    }

    /// Offices short of their summed target, of those with one.
    pub fn offices_missing(&self) -> (usize, usize) {
        let with = self.with_target();
        let missing = with
            .iter()
            .filter(|&&o| (self.office_arrests[o] as f64) < self.office_target[o])
            .count();
        (missing, with.len())
    }

    /// The office that first fell short of its daily target, and the day; ties go to
    /// the lower attainment, then to the office first in order.
    pub fn first_office_missing(&self) -> Option<(u32, usize)> {
        (0..self.office_target.len())
            .filter_map(|o| {
                self.first_miss[o]
                    .map(|d| (d, self.office_arrests[o] as f64 / self.office_target[o], o))
            })
            .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)))
            .map(|(d, _, o)| (d, o))
    }
}
