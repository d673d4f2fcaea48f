//! What a run is made from: the scenario and its parameters (with unit, range and
//! meaning), dated events, overlays, assumption ranges, the input data, and the
//! machinery that reads, locates errors in, edits and adjusts them.

pub mod adjust;
pub mod assumptions;
pub mod data;
pub mod declare;
pub mod edit;
pub mod events;
pub mod loader;
pub mod overlay;
pub mod parameters;
pub mod paths;
pub mod plan;
pub mod reach;
pub mod reference;
pub mod scenario;
pub mod source;
