//! What operators and clients tell Porthole, read and checked before
//! anything acts on it: the command line and `porthole.toml` ([`config`]),
//! the dashboards they define ([`dashboards`]), signed links ([`signing`]),
//! and the Prometheus HTTP API's parameters and expressions ([`prom`]).
//!
//! It is its own crate, free of DuckDB, the network and the HTTP server, so
//! `make fuzz` can build these parsers with coverage instrumentation in a
//! minute (see `fuzz/`). Errors: `config::ConfigError` at start-up,
//! `dashboards::DashboardError` inside it, plain messages for request
//! parameters, which the server answers with 400.

pub mod config;
pub mod dashboards;
pub mod prom;
pub mod signing;
