//! HTTP routes, one module per concern, each with its own `router()`.

pub mod analytics;
pub mod api;
pub mod assets;
pub mod brand;
pub mod feeds;
pub mod health;
pub mod heartbeat;
pub mod incidents;
pub mod metrics;
pub mod pages;
pub mod prom;
pub mod prom_metadata;
pub mod render;
pub mod snapshots;
pub mod status;
pub mod statuspage;
