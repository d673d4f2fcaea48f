//! # quotasim — the model
//!
//! A simulation of quota-driven immigration enforcement: a synthetic docket of people
//! spread over ICE's 25 field offices, the officer-hours each office has, the arrest
//! channels it can spend them on, and the manager's daily choice under a quota.
//!
//! This crate is the model only: it reads no file, opens no socket and writes to no
//! terminal. Fronts (the `quotasim` command, bindings) sit on top of it.
//!
//! Each mechanism of `docs/model.md` (ODD form) lives in the module named after it:
//!
//! | docs/model.md section          | module         |
//! |--------------------------------|----------------|
//! | 1. Population (synthetic docket) | [`population`] |
//! | 2. Capacity (officer-hours)      | [`capacity`]   |
//! | 3. Arrest channels               | [`channels`]   |
//! | 4. The manager's choice          | [`manager`]    |
//! | 5. Downstream (detention, removal, court) | [`detention`], [`population`] |
//! | 6. Randomness                    | [`rng`], [`ensemble`] |
//! | Scenario, parameters, events     | [`scenario`], [`events`] |
//! | Schedule (the day loop)          | [`engine`]     |
//! | Observation (outputs)            | [`metrics`]    |
//! | Input data (public aggregates)   | [`data`]       |
//!
//! ```
//! let scenario = quotasim::Scenario::national_default();
//! let mut small = scenario.clone();
//! small.docket.total = 20_000;
//! small.docket.convicted = 1_100;
//! small.docket.pending_charges = 600;
//! // Ten days; events dated after the tenth day do not happen.
//! let plan = quotasim::Plan::with_days(&small, Some(10)).unwrap();
//! let run = quotasim::engine::run(&plan, 1, 0);
//! assert_eq!(run.daily.len(), 10 * 25);
//! ```

pub mod capacity;
pub mod channels;
pub mod data;
pub mod detention;
pub mod engine;
pub mod ensemble;
pub mod events;
pub mod manager;
pub mod metrics;
pub mod population;
pub mod rng;
pub mod scenario;
pub mod types;

pub use engine::{Run, run};
pub use events::Plan;
pub use metrics::{DailyRow, Summary};
pub use scenario::{Scenario, ScenarioError};
pub use types::{Agency, ByAgency, ByClass, Channel, Class};
