//! The bottom of Porthole's workspace: what every other crate (the app, the
//! script widget, the configuration parsers, the server) agrees on before
//! anything is drawn, stored or served.
//!
//! - [`id`]: the one rule for ids of dashboards, panels, services and
//!   snapshots, the spellings that may appear in a URL.
//! - [`route`]: Porthole's URL space, parsed once and built in one place.
//! - [`error_kind`]: the kinds of error answers, with one mapping to HTTP
//!   statuses.
//! - [`wire`]: the JSON shapes of the APIs and pages (panel data, layouts,
//!   status, snapshots, time ranges, units).
//! - [`view_state`]: what a view shows, as its query string says.
//! - [`calendar`]: UTC calendar arithmetic and time text.
//! - [`cache_control`]: how long an answer stays fresh, as its
//!   `Cache-Control` header says.
//! - [`zone`]: the viewer's time zone, its name and its offsets over a
//!   window (resolved with a bundled database under the `tzdb` feature).
//!
//! No Leptos, no plotters, no I/O: it builds for the server, the browser and
//! the fuzzer alike; the time-zone database is the server's only (`tzdb`).

pub mod cache_control;
pub mod calendar;
pub mod error_kind;
pub mod id;
pub mod inline_text;
pub mod lang;
pub mod link;
pub mod route;
pub mod view_state;
pub mod wire;
pub mod zone;

/// The site's name when the operator's `[site]` sets none.
pub const DEFAULT_SITE_TITLE: &str = "Porthole";

/// What the site is, when the operator's `[site]` does not say.
pub const DEFAULT_SITE_DESCRIPTION: &str =
    "Live service status, latency and growth, public and read-only.";

pub use error_kind::ErrorKind;
pub use id::{Id, NoticeId, OVERVIEW, SnapshotId, is_url_id};
pub use route::{FeedFormat, ImageFormat, Route, RouteError};
