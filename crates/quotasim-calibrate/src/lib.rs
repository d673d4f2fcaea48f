//! # quotasim-calibrate — fitting scenarios to published figures
//!
//! The model's free parameters (the "assumption" values of a scenario) are fitted to
//! target statistics, published figures such as FY2024's arrests a day, and the fit's
//! uncertainty is carried into predictions. Like the model, this crate does no I/O:
//! the `quotasim calibrate` command reads the files and writes the results.
//!
//! - [`targets`]: the targets file (targets, free parameters, search settings).
//! - [`fit`]: the objective, the simplex search, the covariance and posterior draws.
//! - [`observed`]: observations (published figures over date windows) and backtest scores.
//! - [`text`]: the fit as text: the fitted scenario, the report, the posterior draws.
//!
//! The method and its limits are in `docs/calibration.md`.

pub mod fit;
pub mod targets;
pub mod text;

/// Published figures and scores (the `quotasim-observed` crate).
pub use quotasim_observed as observed;

pub use fit::{Check, Fit, FitError, FitProblem, Progress, Stage, Stop, calibrate};
pub use targets::{Free, Mode, Targets, apply, apply_as_written};
