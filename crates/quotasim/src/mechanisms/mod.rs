//! The model's mechanisms, one module each, named as docs/model.md names them (the
//! table in the crate's doc).

pub mod budget;
pub mod capacity;
pub mod channels;
pub mod cooperation;
pub mod costs;
pub mod court;
pub mod detention;
pub mod docket;
pub mod findability;
pub mod flows;
pub mod hiring;
pub mod jails;
pub mod manager;
pub mod operations;
pub mod pathways;
pub mod population;
pub mod pressure;
pub mod quota;
pub mod removal;
