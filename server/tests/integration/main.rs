//! The server's integration tests, as one test binary.
//!
//! Each module below was a test binary of its own. Every one of them linked
//! the whole server with DuckDB inside (its static library is linked whole),
//! and on a fresh two-core machine linking thirty of those cost minutes of
//! CI. nextest still runs each test in a process of its own, so no state is
//! shared between tests.

mod common;

mod abuse;
mod access;
mod alertmanager;
mod analytics;
mod branding;
mod certificates;
mod cli;
mod dns_checks;
mod faults;
mod feeds;
mod grafana;
mod heartbeats;
mod http;
mod incident_cli;
mod languages;
mod live;
mod locations;
mod notices;
mod probes;
mod process;
mod reload;
mod render;
mod scale_out;
mod service_page;
mod shared_snapshots;
mod snapshots;
mod stat_colours;
mod statuspage;
mod time_zones;
mod upstream;
mod webhooks;
