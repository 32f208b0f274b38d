//! One route component per file.

pub mod dashboard;
pub mod embed;
pub mod not_found;
pub mod snapshot;
pub mod status;
pub mod status_history;
pub mod status_incident;
pub mod status_service;
