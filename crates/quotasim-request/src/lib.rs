//! The request layer: each use case of quotasim as a typed request, with its defaults
//! and rules declared once, for every front (the command, the Python package, the
//! page) to build from its own input and call. A front parses, calls and renders;
//! what a request means (the seed it runs with, the replications it may ask for,
//! whether its unit costs are drawn) is decided here.
//!
//! Errors are typed and carry the facts (the value, the allowed range); each front
//! words them in its own terms (a flag, a keyword argument, a field of the page).
//!
//! No file, network or terminal I/O: the page's WebAssembly build uses it as it is.

pub mod attribute;
#[cfg(feature = "calibrate")]
pub mod calibrate;
pub mod ensemble;
#[cfg(feature = "calibrate")]
pub mod posterior;

pub use ensemble::{Bands, Ensemble, MAX_REPS, RequestError};
