//! Many runs: replications and their bands (ensemble), paired differences between two
//! scenarios (compare), and the attribution of a change to groups of events. Above the
//! engine: each runs it.

pub mod attribution;
pub mod compare;
pub mod ensemble;
