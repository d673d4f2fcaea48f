//! # quotasim-sweep — designs and sensitivity indices
//!
//! A sweep varies scenario parameters (named by the dotted paths of events) over
//! ranges and runs every point of a design. This crate makes the designs and analyses
//! the results; it does no I/O (the `quotasim sweep` command does).
//!
//! - [`apply`]: a point's scenario (its keys set and held for the whole run).
//! - [`design`]: full grids, Latin hypercubes and Saltelli's design for Sobol indices.
//! - [`sobol`]: first-order and total Sobol indices with bootstrap intervals, by the
//!   same estimators as SALib's `sobol.analyze` (Saltelli 2010; Jansen 1999).

pub mod apply;
pub mod design;
pub mod sobol;

pub use apply::{CheckError, PointError, check, held, hold_paths, point_scenario, run_point};
pub use design::{Design, DesignError, DesignKind, Range};
