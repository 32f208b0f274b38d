//! One route component per file.

pub mod dashboard;
pub mod not_found;
pub mod status;
