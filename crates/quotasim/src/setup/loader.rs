//! Loading a scenario from its text: merge its bases ([`crate::setup::overlay`]), parse, fill
//! in the offices, validate, and check its events by building their schedule. Every
//! problem becomes a [`ScenarioError`](crate::setup::source::ScenarioError) located in the file that set the value.

use crate::setup::events::Segment;
use crate::setup::overlay::{self, Resolved};
use crate::setup::scenario::Scenario;
use crate::setup::source::{ScenarioErrors, Source};

impl Scenario {
    /// The built-in national scenario (`scenarios/quota-2025.toml` on its base): the
    /// blind 2025 prediction.
    pub fn national_default() -> Scenario {
        Scenario::from_resolved(&overlay::national_default())
            .expect("the built-in default scenario is valid")
    }

    /// What the fronts run when given no scenario (`scenarios/quota-2026.toml`).
    pub fn run_default() -> Scenario {
        Scenario::from_resolved(&overlay::run_default())
            .expect("the fronts' default scenario is valid")
    }

    /// The scenario of the 2025 fit (`scenarios/quota-2025-fitted.toml`), 2025-01-20 ..
    /// 2026-01-31.
    pub fn fitted_2025() -> Scenario {
        Scenario::from_resolved(&overlay::fitted_2025()).expect("the 2025 fit's scenario is valid")
    }

    /// Parses and validates a scenario from TOML text; `origin` names it in errors.
    /// A `base` is looked up among the shipped scenarios ([`overlay::SHIPPED`]); fronts
    /// that read files resolve with [`overlay::resolve`] and call
    /// [`Scenario::from_resolved`]. Offices left out of `[offices]` are filled in with
    /// their defaults.
    pub fn from_toml(origin: &str, text: &str) -> Result<Scenario, ScenarioErrors> {
        let resolved = overlay::resolve(origin, text, &overlay::shipped_reader)?;
        Scenario::from_resolved(&resolved)
    }

    /// Parses and validates a scenario whose bases are merged in.
    pub fn from_resolved(r: &Resolved) -> Result<Scenario, ScenarioErrors> {
        Scenario::checked(r).map(|(scenario, _)| scenario)
    }

    /// As [`Scenario::from_resolved`], with the schedule of events built to check them,
    /// for [`crate::Plan::from_resolved`] to keep (it is built once).
    pub(crate) fn checked(r: &Resolved) -> Result<(Scenario, Vec<Segment>), ScenarioErrors> {
        let merged = Source::new(&r.origin, &r.text);
        let mut scenario: Scenario = match toml::from_str(&r.text) {
            Ok(s) => s,
            Err(e) => {
                let mut err = merged.toml_error(&e);
                if r.has_base() {
                    // Lines of the merged text mean nothing to the reader: name the
                    // file and line that set the key.
                    err = match err.key.clone() {
                        Some(key) => r.error_at(&key, err.value, err.message),
                        None => crate::setup::source::ScenarioError { line: None, ..err },
                    };
                }
                // Nothing but blanks and comments parses to an empty table.
                let empty = r.text.trim().is_empty() || merged.is_empty_table();
                if empty {
                    err.message = "the file is empty (no settings, only blanks or comments); a scenario needs the sections [run], [docket], [jails], [capacity], [channels], [manager], [quota], [flows], [detention], [removal] and [court] (see `quotasim scenario show`)".to_string();
                }
                return Err(ScenarioErrors(vec![err]));
            }
        };
        let mut problems = scenario.resolve_offices();
        problems.extend(scenario.validate());
        // Once for the scenario (not for each segment of its events, as `validate` is).
        problems.extend(crate::setup::assumptions::check(&scenario));
        if problems.is_empty() {
            // Events are checked by building the plan: each change applied in turn.
            match crate::setup::events::schedule(&scenario) {
                Ok(segments) => return Ok((scenario, segments)),
                Err(ev) => problems = ev,
            }
        }
        Err(r.errors(problems))
    }
}
