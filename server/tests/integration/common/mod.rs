//! What the server's tests share: [`TestApp`] to stand Porthole up, the
//! fixture dashboards, requests through the router, the real upstreams
//! (VictoriaMetrics, Prometheus) and the `porthole` binary as a process.

#![allow(dead_code, reason = "each test file uses its own subset")]

// Examples (the benches) include this module too, without the binary.
#[cfg(test)]
pub mod binary;
pub mod checkout;
pub mod fixtures;
pub mod html;
pub mod loopback;
pub mod requests;
pub mod test_app;
pub mod upstream;

#[allow(unused_imports, reason = "each test file uses its own subset")]
pub use requests::{Answer, get, open_incident, post_as_admin, post_json, send};
#[allow(unused_imports, reason = "each test file uses its own subset")]
pub use test_app::TestApp;
