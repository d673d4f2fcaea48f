//! # quotasim — the model
//!
//! A simulation of quota-driven immigration enforcement: a synthetic docket of people
//! spread over ICE's 25 field offices, the officer-hours each office has, the arrest
//! channels it can spend them on, and the manager's daily choice under a quota.
//!
//! This crate is the model only: it reads no file, opens no socket and writes to no
//! terminal. Fronts (the `quotasim` command, bindings) sit on top of it.
//!
//! Each mechanism of `docs/model.md` (ODD form) lives in the module named after it, and
//! each module names its section; a test (`tests/architecture.rs`) holds this table,
//! docs/model.md and the modules to one another.
//!
//! | docs/model.md section                        | module          |
//! |----------------------------------------------|-----------------|
//! | 2. Entities, state variables and scales      | [`docket`]      |
//! | 3. Process overview and scheduling           | [`engine`]      |
//! | 4. Design concepts: observation              | [`metrics`]     |
//! | 5. Initialization                            | [`population`]  |
//! | 6. Input data                                | [`data`]        |
//! | 7.1 Flows: inflow and departures             | [`flows`]       |
//! | 7.2 Local jails and custody                  | [`jails`]       |
//! | 7.3 Capacity (officer-hours)                 | [`capacity`]    |
//! | 7.4 The quota                                | [`quota`]       |
//! | 7.5 Arrest channels                          | [`channels`]    |
//! | 7.6 The manager's choice                     | [`manager`]     |
//! | 7.7 Immigration court                        | [`court`]       |
//! | 7.8 Detention and removal                    | [`detention`]   |
//! | 7.9 Randomness and replications              | [`rng`], [`ensemble`] |
//! | 7.10 Scenario, parameters and events         | [`scenario`], [`parameters`], [`events`], [`plan`], [`overlay`] |
//! | 7.11 Local cooperation and 287(g)            | [`cooperation`] |
//! | 7.12 Findability                             | [`findability`] |
//! | 7.13 Removal                                 | [`removal`]     |
//! | 7.14 Escalating pressure                     | [`pressure`]    |
//! | 7.15 Hiring                                  | [`hiring`]      |
//! | 7.16 City operations                         | [`operations`]  |
//! | 7.17 Costs                                   | [`costs`]       |
//! | 7.18 Removal pathways                        | [`pathways`]    |
//! | 7.19 Budget                                  | [`budget`]      |
//! | 7.20 Assumption ranges                       | [`assumptions`] |
//!
//! Machinery that is not a mechanism: [`types`] (classes, agencies, channels),
//! [`paths`] (dotted parameter paths), [`source`] (located errors), [`loader`] (text to
//! scenario), [`edit`] (writing values into a scenario's text, comments kept),
//! [`adjust`] (changing a scenario by path), [`compare`] (paired differences) and
//! [`attribution`] (Shapley values of groups of events).
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

pub mod adjust;
pub mod assumptions;
pub mod attribution;
pub mod budget;
pub mod capacity;
pub mod channels;
pub mod compare;
pub mod cooperation;
pub mod costs;
pub mod court;
pub mod data;
pub mod detention;
pub mod docket;
pub mod edit;
pub mod engine;
pub mod ensemble;
pub mod events;
pub mod findability;
pub mod flows;
pub mod hiring;
pub mod jails;
pub mod loader;
pub mod manager;
pub mod metrics;
pub mod operations;
pub mod overlay;
pub mod parameters;
pub mod paths;
pub mod pathways;
pub mod plan;
pub mod population;
pub mod pressure;
pub mod quota;
pub mod removal;
pub mod rng;
pub mod scenario;
pub mod source;
pub mod types;

pub use engine::{Run, run};
pub use metrics::{DailyRow, Summary};
pub use plan::Plan;
pub use scenario::Scenario;
pub use source::{ScenarioError, ScenarioErrors};
pub use types::{Agency, ByAgency, ByClass, Channel, Class};
