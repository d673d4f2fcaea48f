//! What the charts read of an ensemble, gathered one replication at a time: per
//! replication and day, the national series the charts band (arrests by class and by
//! channel, detained, beds, removals, costs, money left), and over all replications the sums the others
//! need (office-weeks of arrests and targets, hours by agency). A run of many
//! replications keeps these, not its daily rows: about 100 bytes a replication-day.

use quotasim::{Agency, Channel, Class, Plan, Run};

/// The values kept per replication and day.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Day {
    /// Arrests by class, summed over offices.
    pub by_class: [f64; Class::COUNT],
    /// Arrests by channel, summed over offices.
    pub by_channel: [f64; Channel::COUNT],
    /// National, at midnight.
    pub detained: f64,
    pub beds: f64,
    pub removals: f64,
    /// National costs of the day by component, US dollars.
    pub costs: [f64; 7],
    /// Multi-year money left at the end of the day by account
    /// ([`quotasim::budget::ACCOUNTS`]), US dollars.
    pub budget_left: [f64; 2],
}

impl Day {
    pub fn arrests(&self) -> f64 {
        self.by_class.iter().sum()
    }
}

/// Replications whose daily series a report keeps for its charts' lines and 5-95 %
/// bands: the first 256, in replication order. Beyond them a run's memory does not grow
/// with its daily series; the summary and its bands still cover every replication.
pub const BAND_REPS: usize = 256;

/// An ensemble's series, gathered replication by replication.
#[derive(Debug, Clone)]
pub struct Series {
    pub days: usize,
    /// Replications the series is built for (hours are averaged over them).
    pub reps: usize,
    /// Seed of the first replication added.
    pub seed: u64,
    /// Per replication kept (the first [`BAND_REPS`]), per day.
    pub per_rep: Vec<Vec<Day>>,
    /// Replications added, kept or not.
    pub added: usize,
    /// Office x week: arrests and targets summed over replications, over the days
    /// under a quota.
    pub office_week_arrests: Vec<Vec<f64>>,
    pub office_week_target: Vec<Vec<f64>>,
    /// Agent-hours by agency, available and used, averaged over replications.
    pub hours_available: [f64; Agency::COUNT],
    pub hours_used: [f64; Agency::COUNT],
}

impl Series {
    /// An empty series for `reps` replications of `plan`.
    pub fn new(plan: &Plan, reps: usize) -> Series {
        let days = plan.days as usize;
        let weeks = days.div_ceil(7).max(1);
        let offices = plan.offices.len();
        Series {
            days,
            reps,
            seed: 0,
            per_rep: Vec::with_capacity(reps.min(BAND_REPS)),
            added: 0,
            office_week_arrests: vec![vec![0.0; weeks]; offices],
            office_week_target: vec![vec![0.0; weeks]; offices],
            hours_available: [0.0; Agency::COUNT],
            hours_used: [0.0; Agency::COUNT],
        }
    }

    /// The series of runs already made.
    pub fn of(plan: &Plan, runs: &[Run]) -> Series {
        let mut s = Series::new(plan, runs.len());
        for r in runs {
            s.add(r);
        }
        s
    }

    /// Adds one replication (in replication order). Its daily series is kept for the
    /// charts' lines and bands only among the first [`BAND_REPS`]; its hours and office
    /// weeks always count.
    pub fn add(&mut self, run: &Run) {
        if self.added == 0 {
            self.seed = run.seed;
        }
        self.added += 1;
        let reps = self.reps.max(1) as f64;
        let mut days = vec![Day::default(); self.days];
        for row in &run.daily {
            let d = row.day as usize;
            if d >= self.days {
                continue;
            }
            let day = &mut days[d];
            for (t, n) in day.by_class.iter_mut().zip(row.arrests_by_class) {
                *t += f64::from(n);
            }
            for (t, n) in day.by_channel.iter_mut().zip(row.arrests_by_channel) {
                *t += f64::from(n);
            }
            // National columns repeat on every office's row: read office 0's.
            if row.office == 0 {
                day.detained = row.national_detained as f64;
                day.beds = row.national_beds as f64;
                day.removals = row.national_removals as f64;
                day.costs = row.national_costs.components();
                day.budget_left = row.national_budget.left;
            }
            let w = d / 7;
            // A week is judged on its days under a quota only: arrests on the days
            // before a quota began do not count towards it.
            if row.quota > 0.0 {
                self.office_week_arrests[row.office][w] += f64::from(row.arrests());
                self.office_week_target[row.office][w] += row.quota;
            }
            for a in 0..Agency::COUNT {
                self.hours_available[a] += row.hours_available[a] / reps;
                self.hours_used[a] += row.hours_used[a] / reps;
            }
        }
        if self.per_rep.len() < BAND_REPS {
            self.per_rep.push(days);
        }
    }

    /// Per replication, per day: `f` of the day's values, over the first `days` days.
    pub fn per_day(&self, days: usize, f: &dyn Fn(&Day) -> f64) -> Vec<Vec<f64>> {
        self.per_rep
            .iter()
            .map(|r| r.iter().take(days).map(f).collect())
            .collect()
    }

    /// Replications whose daily series the charts draw (at most [`BAND_REPS`]).
    pub fn len(&self) -> usize {
        self.per_rep.len()
    }

    pub fn is_empty(&self) -> bool {
        self.per_rep.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_keep_the_first_replications_only_while_hours_count_every_one() {
        let plan = Plan::with_days(&quotasim::Scenario::national_default(), Some(2)).unwrap();
        let run = quotasim::run(&plan, 1, 0);
        let reps = BAND_REPS + 44;
        let mut s = Series::new(&plan, reps);
        for _ in 0..reps {
            s.add(&run);
        }
        assert_eq!((s.len(), s.added), (BAND_REPS, reps));
        // Hours are the mean over every replication added: here, one run's.
        let one: f64 = run.daily.iter().map(|r| r.hours_available[0]).sum();
        assert!((s.hours_available[0] / one - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_week_is_judged_on_its_days_under_a_quota_only() {
        // The 2025 prediction starts on 2025-01-20; the quota begins on 2025-01-26, the
        // seventh day: the first week's arrests are that day's alone.
        let plan = Plan::with_days(&quotasim::Scenario::national_default(), Some(14)).unwrap();
        let run = quotasim::run(&plan, 1, 0);
        let s = Series::of(&plan, std::slice::from_ref(&run));
        for o in 0..plan.offices.len() {
            let on = |day: u32| -> f64 {
                run.daily
                    .iter()
                    .filter(|r| r.office == o && r.day == day)
                    .map(|r| f64::from(r.arrests()))
                    .sum()
            };
            assert_eq!(s.office_week_arrests[o][0], on(6));
            assert_eq!(s.office_week_arrests[o][1], (7..14).map(on).sum::<f64>());
            assert!(
                on(0) > 0.0 || o > 0,
                "arrests before the quota exist and are left out"
            );
        }
    }
}
