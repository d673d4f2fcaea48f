//! What a run records (docs/model.md 4, "Observation"): each office's day
//! ([`daily`]) and the run's summary ([`summary`]).

pub mod daily;
pub mod summary;
