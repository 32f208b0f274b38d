//! Prometheus-compatible upstreams (Prometheus, VictoriaMetrics): the HTTP
//! client, the allowlist, step alignment, and the cache that coalesces
//! viewers into one upstream request per query and window.
//!
//! Errors: `UpstreamError` for what the upstream did, `ProxyError` for what a
//! query may not do; routes turn both into Prometheus-shaped JSON, and panels
//! into a per-panel message. None of them is ever a 500.

pub use porthole_config::prom::{allowlist, params, series, time};

pub mod cache;
pub mod client;
pub mod metadata;
pub mod proxy;
pub mod result;

pub use allowlist::Allowlist;
pub use client::{PromClient, UpstreamError};
pub use proxy::{Asker, Freshness, PromProxy, ProxyError, ProxySettings, Served};
