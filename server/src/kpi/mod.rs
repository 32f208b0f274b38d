//! Growth KPIs: daily values kept forever in DuckDB (`store`), the growth
//! arithmetic over them (`growth`), and the demo history a fresh install
//! starts with (`demo`), and the
//! KPI API's answers, made afresh by each write (`answers`). A replica copies them from the primary (`follow`).

pub mod answers;
pub mod capture;
pub mod demo;
pub mod follow;
pub mod growth;
pub mod store;
pub mod transfer;

pub use store::{KpiStore, WELL_KNOWN, known_metrics};
