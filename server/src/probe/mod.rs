//! Service status: checking configured services (HTTP health URLs, TCP
//! ports, TLS certificates, DNS answers, heartbeats they send and
//! Prometheus `up` series), keeping the results in DuckDB, rolling them into
//! daily aggregates kept forever, deriving incidents, and summarizing it all
//! for the status page and badges.
//!
//! Errors: a failed check is data (a [`check::CheckResult`] with a reason),
//! never an error; `db::DbError` for storage, logged by the prober and turned
//! into a per-page message by routes.

pub mod check;
mod dns;
pub mod heartbeats;
pub mod incidents;
pub mod prober;
pub mod quorum;
pub mod report;
pub mod store;
mod tls;

pub use check::{CheckResult, Checker, CheckerError};
pub use heartbeats::Heartbeats;
pub use prober::Prober;
pub use report::StatusReports;
pub use store::ProbeStore;
