//! Hiring with a lag: recruits join on dated events and become trained officers only
//! after academy and field training (docs/model.md 7.15, "Hiring").
//!
//! `capacity.agencies.X.recruits` counts the agents an agency has hired since the start
//! (cumulative; events raise it on the dates people join). A recruit who joined on day
//! `t` works as a trained agent from day `t + capacity.training_days` on, counted apart
//! until then:
//!
//! ```text
//! trained recruits on day d = recruits in force on day d - training_days  (0 before that)
//! in training on day d      = recruits in force on day d - trained recruits on day d
//! ```
//!
//! Recruits in force at the start join on day 0. Trained recruits add to the agency's
//! `agents` in [`crate::mechanisms::capacity`], spread over offices like the agency's other agents;
//! recruits in training give no arrest hours.

use crate::setup::plan::Plan;
use crate::types::Agency;

/// Recruits of each agency who are trained and at work on `day`.
pub fn trained(plan: &Plan, day: u32) -> [u32; Agency::COUNT] {
    let lag = plan.segments[plan.segment_index(day)]
        .scenario
        .capacity
        .training_days;
    match day.checked_sub(lag) {
        Some(joined_by) => recruits(plan, joined_by),
        None => [0; Agency::COUNT],
    }
}

/// Recruits of each agency hired by `day` (in force on that day).
pub fn recruits(plan: &Plan, day: u32) -> [u32; Agency::COUNT] {
    let a = &plan.segments[plan.segment_index(day)]
        .scenario
        .capacity
        .agencies;
    Agency::ALL.map(|ag| a.get(ag).recruits)
}

/// Recruits of every agency who join on `day` (none on the first day: those counted
/// then were hired before the run).
pub fn joined(plan: &Plan, day: u32) -> f64 {
    let Some(before) = day.checked_sub(1) else {
        return 0.0;
    };
    let (now, then) = (recruits(plan, day), recruits(plan, before));
    (0..Agency::COUNT)
        .map(|a| f64::from(now[a].saturating_sub(then[a])))
        .sum()
}

/// Recruits of each agency still in training on `day`.
pub fn in_training(plan: &Plan, day: u32) -> [u32; Agency::COUNT] {
    let (all, done) = (recruits(plan, day), trained(plan, day));
    std::array::from_fn(|a| all[a].saturating_sub(done[a]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::scenario::Scenario;

    #[test]
    fn recruits_work_only_after_training() {
        let mut s = Scenario::national_default();
        s.capacity.training_days = 60;
        s.events
            .retain(|e| !e.set.keys().any(|k| k.starts_with("capacity.agencies.ero")));
        let date = crate::setup::scenario::Date::parse("2025-02-01").unwrap();
        s.events.push(crate::setup::scenario::Event {
            date,
            until: None,
            note: String::new(),
            source: String::new(),
            set: [(
                "capacity.agencies.ero.recruits".to_string(),
                toml::Value::Integer(1_000),
            )]
            .into(),
        });
        s.events.sort_by_key(|e| e.date);
        let plan = Plan::new(&s).expect("plan");
        let joined = plan.scenario.run.start_date.days_until(date) as u32;
        assert_eq!(trained(&plan, joined)[0], 0);
        assert_eq!(in_training(&plan, joined)[0], 1_000);
        assert_eq!(trained(&plan, joined + 59)[0], 0);
        assert_eq!(trained(&plan, joined + 60)[0], 1_000);
        assert_eq!(in_training(&plan, joined + 60)[0], 0);
    }
}
