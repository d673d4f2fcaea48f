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
//! | 4. Design concepts: observation              | [`daily`], [`summary`] |
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
//! | 7.10 Scenario, parameters and events         | [`scenario`], [`parameters`], [`declare`], [`events`], [`plan`], [`overlay`] |
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
//! The folders show the seams: `mechanisms/` holds the model's mechanisms (7.1-7.20
//! and the docket), `setup/` what a run is made from (the scenario and its parameters,
//! events, overlays, assumptions and input data, and the machinery that reads and edits
//! them), `observe/` what a run records (each office's day, the run's summary),
//! `analysis/` what is made of many runs (ensembles and their bands, paired
//! comparisons, attribution); the engine, the random streams and the shared types sit
//! at the top.
//!
//! Machinery that is not a mechanism: [`types`] (classes, agencies, channels),
//! [`paths`] (dotted parameter paths), [`source`] (located errors), [`loader`] (text to
//! scenario), [`edit`] (writing values into a scenario's text, comments kept),
//! [`reach`] (a dotted path to its typed field), [`adjust`] (changing a scenario by
//! path), [`reference`] (docs/parameters.md, each
//! default read off the scenario's types), [`compare`] (paired differences) and
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

pub mod analysis;
pub mod engine;
pub mod mechanisms;
pub mod observe;
pub mod rng;
pub mod setup;
pub mod types;

// Every module keeps its one-word path (`quotasim::detention`, `crate::setup::scenario`):
// the folders show the seams, the names stay as docs/model.md gives them.
pub use analysis::{attribution, compare, ensemble};
pub use mechanisms::{
    budget, capacity, channels, cooperation, costs, court, detention, docket, findability, flows,
    hiring, jails, manager, operations, pathways, population, pressure, quota, removal,
};
pub use setup::{
    adjust, assumptions, data, declare, edit, events, loader, overlay, parameters, paths, plan,
    reach, reference, scenario, source,
};

pub use daily::DailyRow;
pub use engine::{Run, run};
pub use observe::{daily, summary};
pub use plan::Plan;
pub use scenario::Scenario;
pub use source::{ScenarioError, ScenarioErrors};
pub use summary::Summary;
pub use types::{Agency, ByAgency, ByClass, Channel, Class};
