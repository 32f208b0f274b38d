//! The bottom of Porthole's workspace: what every other crate (the app, the
//! script widget, the configuration parsers, the server) agrees on before
//! anything is drawn, stored or served.
//!
//! - [`id`]: the one rule for ids of dashboards, panels, services and
//!   snapshots, the spellings that may appear in a URL.
//! - [`route`]: Porthole's URL space, parsed once and built in one place.
//! - [`error_kind`]: the kinds of error answers, with one mapping to HTTP
//!   statuses.
//!
//! No Leptos, no plotters, no I/O: it builds for the server, the browser and
//! the fuzzer alike.

pub mod error_kind;
pub mod id;
pub mod route;

pub use error_kind::ErrorKind;
pub use id::{Id, OVERVIEW, SnapshotId, is_url_id};
pub use route::{ImageFormat, Route, RouteError};
