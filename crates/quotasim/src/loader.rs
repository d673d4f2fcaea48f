//! Loading a scenario from its text: parse, fill in the offices, validate, and check
//! its events by building their schedule. Every problem becomes a located
//! [`ScenarioError`].

use crate::scenario::{NATIONAL_DEFAULT_NAME, NATIONAL_DEFAULT_TOML, Scenario};
use crate::source::{ScenarioErrors, Source, locate};

impl Scenario {
    /// The built-in default scenario (`scenarios/quota-2025.toml`).
    pub fn national_default() -> Scenario {
        Scenario::from_toml(NATIONAL_DEFAULT_NAME, NATIONAL_DEFAULT_TOML)
            .expect("the built-in default scenario is valid")
    }

    /// Parses and validates a scenario from TOML text; `origin` names it in errors.
    /// Offices left out of `[offices]` are filled in with their defaults.
    pub fn from_toml(origin: &str, text: &str) -> Result<Scenario, ScenarioErrors> {
        let source = Source::new(origin, text);
        let mut scenario: Scenario = match toml::from_str(text) {
            Ok(s) => s,
            Err(e) => {
                let mut err = source.toml_error(&e);
                // Nothing but blanks and comments parses to an empty table.
                let empty = text.trim().is_empty() || source.is_empty_table();
                if empty {
                    err.message = "the file is empty (no settings, only blanks or comments); a scenario needs the sections [run], [docket], [jails], [capacity], [channels], [manager], [quota], [flows], [detention], [removal] and [court] (see `quotasim scenario show`)".to_string();
                }
                return Err(ScenarioErrors(vec![err]));
            }
        };
        let problems = scenario.resolve_offices();
        let mut problems = problems;
        problems.extend(scenario.validate());
        if problems.is_empty() {
            // Events are checked by building the plan: each change applied in turn.
            match crate::events::schedule(&scenario) {
                Ok(_) => Ok(scenario),
                Err(ev) => Err(ScenarioErrors(
                    ev.into_iter().map(|p| locate(&source, p)).collect(),
                )),
            }
        } else {
            Err(ScenarioErrors(
                problems.into_iter().map(|p| locate(&source, p)).collect(),
            ))
        }
    }
}
