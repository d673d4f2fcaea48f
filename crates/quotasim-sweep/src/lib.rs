//! # quotasim-sweep — designs and sensitivity indices
//!
//! A sweep varies scenario parameters (named by the dotted paths of events) over
//! ranges and runs every point of a design. This crate makes the designs and analyses
//! the results; it runs nothing and does no I/O (the `quotasim sweep` command does).
//!
//! - [`design`]: full grids, Latin hypercubes and Saltelli's design for Sobol indices.
//! - [`sobol`]: first-order and total Sobol indices with bootstrap intervals, by the
//!   same estimators as SALib's `sobol.analyze` (Saltelli 2010; Jansen 1999).

pub mod design;
pub mod sobol;

pub use design::{Design, Kind, Range};
