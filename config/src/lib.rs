//! Porthole's configuration, and everything else operators and clients tell
//! it, read and checked before anything acts on it: `porthole.toml` with the
//! command line's and the environment's overrides ([`ServeConfig`], from
//! [`serve_config`]), the dashboards it defines ([`dashboards`]), signed
//! links ([`signing`]), and the Prometheus HTTP API's parameters and
//! expressions ([`prom`]).
//!
//! It sits on `porthole-model` only: no Leptos, no plotters, no DuckDB, no
//! network, no command-line parser (the server's `cli.rs` owns the flags and
//! hands them over as [`Overrides`]). So `make fuzz` builds these parsers
//! with coverage instrumentation in a minute (see `fuzz/`). Errors:
//! [`ConfigError`] at start-up, `dashboards::DashboardError` inside it,
//! plain messages for request parameters, which the server answers with
//! 400.

pub mod dashboards;
pub mod prom;
pub mod serve_config;
pub mod signing;

pub use serve_config::*;
