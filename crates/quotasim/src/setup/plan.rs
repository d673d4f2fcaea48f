//! The run plan: a validated scenario, its parameter segments (one per date on which
//! events change something), and the offices with their docket shares
//! (docs/model.md 7.10, "Scenario, parameters and events").

use crate::setup::data::FieldOffice;
pub use crate::setup::events::Segment;
use crate::setup::events::schedule;
use crate::setup::overlay::Resolved;
use crate::setup::scenario::{Date, Scenario};
use crate::setup::source::{Problem, ScenarioError, ScenarioErrors};

/// A validated scenario ready to run: its segments, the offices and their docket shares.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The scenario as given (day 0).
    pub scenario: Scenario,
    /// Days to simulate (the scenario's, or a shorter or longer override).
    pub days: u32,
    /// Parameter segments, first_day strictly increasing, the first at day 0.
    pub segments: Vec<Segment>,
    /// The field offices, in the fixed order of `data/field_offices.csv`.
    pub offices: Vec<FieldOffice>,
    /// Each office's share of the docket (noncitizen population share).
    pub docket_share: Vec<f64>,
    /// Whether each replication draws its unit costs between `costs.low` and
    /// `costs.high` ([`crate::mechanisms::costs::draw`]): set by the fronts for ensembles, so that
    /// their intervals carry cost uncertainty. Costs never act on the model.
    pub draw_costs: bool,
    /// Whether every replication runs the streams of replication 0 (the same chance),
    /// so that an ensemble's bands carry only what it draws (unit costs, assumptions, a
    /// posterior): set by the fronts when chance is switched off. Unit costs and
    /// assumptions are still drawn per replication, on streams of their own.
    pub same_chance: bool,
}

/// A problem with a `days` override: it must lie in [1, MAX_DAYS].
fn days_problem(days: Option<u32>) -> Option<Problem> {
    days.filter(|&d| d == 0 || d > crate::setup::scenario::MAX_DAYS)
        .map(|d| Problem {
            path: "days".into(),
            value: d.to_string(),
            message: format!(
                "the days to simulate must lie in [1, {}]",
                crate::setup::scenario::MAX_DAYS
            ),
            related: Vec::new(),
        })
}

/// Problems found in a scenario given as a value, named by key (no file or line).
fn unlocated(scenario: &Scenario, problems: Vec<Problem>) -> ScenarioErrors {
    ScenarioErrors(
        problems
            .into_iter()
            .map(|p| ScenarioError {
                origin: scenario.run.name.clone(),
                line: None,
                key: Some(p.path),
                value: (!p.value.is_empty()).then_some(p.value),
                message: p.message,
            })
            .collect(),
    )
}

impl Plan {
    /// Validates `scenario` and builds its plan.
    pub fn new(scenario: &Scenario) -> Result<Plan, ScenarioErrors> {
        Plan::with_days(scenario, None)
    }

    /// As [`Plan::new`], running for `days` instead of `run.days` when given. Events
    /// dated on or after the end of a shortened run do not happen.
    pub fn with_days(scenario: &Scenario, days: Option<u32>) -> Result<Plan, ScenarioErrors> {
        let mut scenario = scenario.clone();
        let mut problems = scenario.resolve_offices();
        problems.extend(days_problem(days));
        problems.extend(scenario.validate());
        problems.extend(crate::setup::assumptions::check(&scenario));
        if !problems.is_empty() {
            return Err(unlocated(&scenario, problems));
        }
        let segments = schedule(&scenario).map_err(|p| unlocated(&scenario, p))?;
        Ok(Plan::assemble(scenario, segments, days))
    }

    /// Parses, validates and plans a scenario whose bases are merged in, its problems
    /// located in the files that set them ([`Scenario::from_resolved`]); the schedule
    /// of events that checks them is the plan's.
    pub fn from_resolved(r: &Resolved, days: Option<u32>) -> Result<Plan, ScenarioErrors> {
        let (scenario, segments) = Scenario::checked(r)?;
        if let Some(p) = days_problem(days) {
            return Err(unlocated(&scenario, vec![p]));
        }
        Ok(Plan::assemble(scenario, segments, days))
    }

    /// Parses, validates and plans a scenario from TOML text.
    pub fn from_toml(origin: &str, text: &str, days: Option<u32>) -> Result<Plan, ScenarioErrors> {
        let resolved =
            crate::setup::overlay::resolve(origin, text, &crate::setup::overlay::shipped_reader)?;
        Plan::from_resolved(&resolved, days)
    }

    /// The plan of a valid scenario with offices resolved and its schedule built.
    fn assemble(scenario: Scenario, segments: Vec<Segment>, days: Option<u32>) -> Plan {
        let days = days.unwrap_or(scenario.run.days);
        let segments: Vec<Segment> = segments
            .into_iter()
            .filter(|s| s.first_day < days)
            .collect();
        let offices = scenario.field_offices();
        let total: f64 = offices.iter().map(|o| o.noncitizen_population as f64).sum();
        let docket_share = offices
            .iter()
            .map(|o| o.noncitizen_population as f64 / total)
            .collect();
        Plan {
            scenario,
            days,
            segments,
            offices,
            docket_share,
            draw_costs: false,
            same_chance: false,
        }
    }

    /// The scenario exactly as run with `seed`: `run.days` and `run.seed` set to the
    /// values used, and only the events that happen within those days. Running it
    /// again reproduces the run.
    pub fn effective_scenario(&self, seed: u64) -> Scenario {
        let mut s = self.scenario.clone();
        let end = s.run.start_date.plus_days(self.days);
        s.run.days = self.days;
        s.run.seed = seed;
        s.events.retain(|e| e.date < end);
        s
    }

    /// The scenario's fingerprint: the SHA-256 (hex) of the scenario exactly as run with
    /// `seed` ([`Plan::effective_scenario`], as TOML), written beside every output so a
    /// file says which scenario made it.
    pub fn fingerprint(&self, seed: u64) -> String {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(self.effective_scenario(seed).to_toml().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Index of the segment in force on `day`.
    pub fn segment_index(&self, day: u32) -> usize {
        self.segments.partition_point(|s| s.first_day <= day) - 1
    }

    /// The date of a 0-based day.
    pub fn date(&self, day: u32) -> Date {
        self.scenario.run.start_date.plus_days(day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan's segments, as text: day and scenario.
    fn segments_text(plan: &Plan) -> Vec<(u32, String)> {
        plan.segments
            .iter()
            .map(|s| (s.first_day, s.scenario.to_toml()))
            .collect()
    }

    #[test]
    fn plan_from_resolved_keeps_the_schedule_that_with_days_builds() {
        for (days, expected_segments) in [(None, 45), (Some(60), 7)] {
            let resolved = crate::setup::overlay::national_default();
            let once = Plan::from_resolved(&resolved, days).expect("valid");
            let scenario = Scenario::from_resolved(&resolved).expect("valid");
            let twice = Plan::with_days(&scenario, days).expect("valid");
            assert_eq!(once.segments.len(), expected_segments);
            assert_eq!(segments_text(&once), segments_text(&twice));
            assert_eq!(once.days, twice.days);
            assert_eq!(once.docket_share, twice.docket_share);
        }
    }

    #[test]
    fn plan_from_resolved_refuses_days_out_of_range() {
        let resolved = crate::setup::overlay::national_default();
        let e = Plan::from_resolved(&resolved, Some(0))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("days = 0") && e.contains("must lie in [1, 3650]"),
            "{e}"
        );
    }
}
