//! The Prometheus HTTP API's inputs: time and duration parameters, the
//! query string of `/api/v1/query` and `/api/v1/query_range`, and the
//! allowlist that expressions are checked against after normalization.

pub mod allowlist;
pub mod expr;
pub mod params;
pub mod series;
pub mod time;

pub use allowlist::Allowlist;
pub use expr::parse_expr;
