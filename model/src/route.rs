//! Porthole's URL space: which page, image or API a path names.
//!
//! Every other crate goes through [`Route`]: the server parses each request
//! path once, in its outermost layer, and hands the route to the access
//! guard, the caches and the handlers; the app, the script widget and the
//! command line build every Porthole path with [`Route::href`]. Nothing
//! else splits a path or writes one by hand, so there is one answer to
//! "which dashboard does this URL show?".
//!
//! Only canonical paths parse. Porthole's paths are plain ASCII (letters,
//! digits, `-`, `.`, `_`, `~` and `/`), so a path with a percent escape,
//! an empty or dot segment, a trailing slash or any other byte is refused
//! whole, and an id is accepted only in its one spelling
//! ([`crate::is_url_id`]). What could have been decoded into another
//! dashboard's id is a 404, never an answer under another key.

use std::fmt;

use crate::id::{Id, NoticeId, OVERVIEW, SnapshotId};

/// The image formats a chart is rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// `image/svg+xml`.
    Svg,
    /// `image/png`.
    Png,
}

impl ImageFormat {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
        }
    }

    /// The media type of the image.
    pub fn content_type(self) -> &'static str {
        match self {
            ImageFormat::Svg => "image/svg+xml",
            ImageFormat::Png => "image/png",
        }
    }

    fn from_extension(extension: &str) -> Option<Self> {
        match extension {
            "svg" => Some(ImageFormat::Svg),
            "png" => Some(ImageFormat::Png),
            _ => None,
        }
    }
}

/// The formats of the status feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedFormat {
    /// Atom 1.0 (`feed.atom`).
    Atom,
    /// RSS 2.0 (`feed.rss`).
    Rss,
    /// JSON Feed 1.1 (`feed.json`).
    Json,
}

impl FeedFormat {
    /// Every format.
    pub const ALL: [Self; 3] = [Self::Atom, Self::Rss, Self::Json];

    /// The file name of the feed.
    pub fn file(self) -> &'static str {
        match self {
            Self::Atom => "feed.atom",
            Self::Rss => "feed.rss",
            Self::Json => "feed.json",
        }
    }

    /// Its media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Atom => "application/atom+xml",
            Self::Rss => "application/rss+xml",
            Self::Json => "application/feed+json",
        }
    }

    fn from_file(file: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.file() == file)
    }
}

/// A path Porthole serves, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Route {
    /// `/`: the overview dashboard.
    Overview,
    /// `/status`: the status page.
    Status,
    /// `/status/incidents/{id}`: one incident's or maintenance's timeline.
    StatusIncident {
        /// The notice.
        id: NoticeId,
    },
    /// `/status/history`: every incident and maintenance, a page at a time
    /// (`?page=2`).
    StatusHistory,
    /// `/status/{service}`: one service's page.
    StatusService {
        /// The service.
        service: Id,
    },
    /// `/status/feed.atom` (and `.rss`, `.json`), or one service's
    /// `/status/services/{service}/feed.atom`: incidents and maintenance.
    StatusFeed {
        /// The service whose notices it holds; all when `None`.
        service: Option<Id>,
        /// Its format.
        format: FeedFormat,
    },
    /// `/d/{dashboard}`.
    Dashboard {
        /// The dashboard shown.
        dashboard: Id,
    },
    /// `/embed/{dashboard}/{panel}`: one panel for an iframe.
    Embed {
        /// The panel's dashboard.
        dashboard: Id,
        /// The panel.
        panel: Id,
    },
    /// `/render/{dashboard}/{panel}.svg` or `.png`.
    Render {
        /// The panel's dashboard.
        dashboard: Id,
        /// The panel.
        panel: Id,
        /// The image format.
        format: ImageFormat,
    },
    /// `/s/{id}`: a snapshot.
    Snapshot {
        /// The snapshot.
        id: SnapshotId,
    },
    /// `/s/{id}/chart.svg` or `.png`: a snapshot's chart.
    SnapshotChart {
        /// The snapshot.
        id: SnapshotId,
        /// The image format.
        format: ImageFormat,
    },
    /// `/api/dashboards/{dashboard}`: a dashboard's layout.
    DashboardApi {
        /// The dashboard.
        dashboard: Id,
    },
    /// `/api/panels/{dashboard}/{panel}`: a panel's data as JSON.
    PanelApi {
        /// The panel's dashboard.
        dashboard: Id,
        /// The panel.
        panel: Id,
    },
    /// `/api/panels/{dashboard}/{panel}/data.csv`: a panel's data as CSV.
    PanelCsv {
        /// The panel's dashboard.
        dashboard: Id,
        /// The panel.
        panel: Id,
    },
    /// `/api/live/{dashboard}`: a dashboard's event stream.
    Live {
        /// The dashboard.
        dashboard: Id,
    },
    /// `/api/status`: the status report as JSON.
    StatusApi,
    /// `/api/snapshots`: where snapshots are taken (`POST`).
    SnapshotsApi,
    /// `/api/snapshots/{id}`: a snapshot as JSON.
    SnapshotApi {
        /// The snapshot.
        id: SnapshotId,
    },
    /// Any other canonical path: APIs that name no dashboard, health,
    /// metrics, badges and the site's static files.
    Other(String),
}

/// Why a path names nothing Porthole serves: a 404.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteError {
    json: bool,
    hint: Option<&'static str>,
}

impl RouteError {
    /// Whether the refused path is one whose answers are JSON (under
    /// `/api/` and `/render/`), so its 404 is JSON too.
    pub fn wants_json(&self) -> bool {
        self.json
    }
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("there is nothing at this address")?;
        if let Some(hint) = self.hint {
            write!(f, ": {hint}")?;
        }
        Ok(())
    }
}

/// Names under `/status/` that are not services' pages: no service may
/// have one of them as its id.
pub const RESERVED_STATUS_PATHS: [&str; 4] = ["history", "incidents", "services", "feed"];

/// Why the last segment of a render path is refused.
const RENDER_HINT: &str = "ask for {panel}.svg or {panel}.png";

/// Why the last segment of a snapshot's image path is refused.
const SNAPSHOT_CHART_HINT: &str = "ask for chart.svg or chart.png";

impl std::error::Error for RouteError {}

/// Bytes a canonical path may hold: RFC 3986's unreserved characters and
/// the slash. Percent escapes are refused rather than decoded.
fn is_path_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/')
}

impl Route {
    /// The route of `path` (a request's path, without its query), or why
    /// it names nothing.
    pub fn parse(path: &str) -> Result<Self, RouteError> {
        let refused = RouteError {
            json: path.starts_with("/api/") || path.starts_with("/render/"),
            hint: None,
        };
        if path == "/" {
            return Ok(Route::Overview);
        }
        let Some(rest) = path.strip_prefix('/') else {
            return Err(refused);
        };
        if rest.ends_with('/') || !rest.bytes().all(is_path_byte) {
            return Err(refused);
        }
        let segments: Vec<&str> = rest.split('/').collect();
        if segments
            .iter()
            .any(|segment| matches!(*segment, "" | "." | ".."))
        {
            return Err(refused);
        }
        match segments.as_slice() {
            ["render", _, file] if image_file(file).is_none() => Err(RouteError {
                hint: Some(RENDER_HINT),
                ..refused
            }),
            ["s", _, file] if !matches!(image_file(file), Some(("chart", _))) => Err(RouteError {
                hint: Some(SNAPSHOT_CHART_HINT),
                ..refused
            }),
            _ => Self::from_segments(&segments, path).ok_or(refused),
        }
    }

    fn from_segments(segments: &[&str], path: &str) -> Option<Self> {
        let id = |text: &str| Id::new(text);
        Some(match segments {
            ["status"] => Route::Status,
            ["status", "history"] => Route::StatusHistory,
            ["status", file] if file.contains('.') => Route::StatusFeed {
                service: None,
                format: FeedFormat::from_file(file)?,
            },
            ["status", service] if !RESERVED_STATUS_PATHS.contains(service) => {
                Route::StatusService {
                    service: id(service)?,
                }
            }
            ["status", "services", service, file] => Route::StatusFeed {
                service: Some(id(service)?),
                format: FeedFormat::from_file(file)?,
            },
            ["status", "incidents", id] => Route::StatusIncident {
                id: NoticeId::parse(id)?,
            },
            ["d", dashboard] => Route::Dashboard {
                dashboard: id(dashboard)?,
            },
            ["embed", dashboard, panel] => Route::Embed {
                dashboard: id(dashboard)?,
                panel: id(panel)?,
            },
            ["render", dashboard, file] => {
                let (panel, format) = image_file(file)?;
                Route::Render {
                    dashboard: id(dashboard)?,
                    panel: id(panel)?,
                    format,
                }
            }
            ["s", snapshot] => Route::Snapshot {
                id: SnapshotId::new(snapshot)?,
            },
            ["s", snapshot, file] => match image_file(file)? {
                ("chart", format) => Route::SnapshotChart {
                    id: SnapshotId::new(snapshot)?,
                    format,
                },
                _ => return None,
            },
            ["api", "dashboards", dashboard] => Route::DashboardApi {
                dashboard: id(dashboard)?,
            },
            ["api", "panels", dashboard, panel] => Route::PanelApi {
                dashboard: id(dashboard)?,
                panel: id(panel)?,
            },
            ["api", "panels", dashboard, panel, "data.csv"] => Route::PanelCsv {
                dashboard: id(dashboard)?,
                panel: id(panel)?,
            },
            ["api", "live", dashboard] => Route::Live {
                dashboard: id(dashboard)?,
            },
            ["api", "status"] => Route::StatusApi,
            ["api", "snapshots"] => Route::SnapshotsApi,
            ["api", "snapshots", snapshot] => Route::SnapshotApi {
                id: SnapshotId::new(snapshot)?,
            },
            // Any other shape under a prefix that names a dashboard or a
            // snapshot is nothing, not something else.
            ["d" | "embed" | "render" | "s" | "status", ..]
            | ["api", "dashboards" | "panels" | "live" | "snapshots", ..] => return None,
            _ => Route::Other(path.to_owned()),
        })
    }

    /// The page of dashboard `dashboard`: `/` for the overview.
    pub fn dashboard_page(dashboard: Id) -> Self {
        if dashboard.as_str() == OVERVIEW {
            Route::Overview
        } else {
            Route::Dashboard { dashboard }
        }
    }

    /// The path of this route.
    pub fn href(&self) -> String {
        match self {
            Route::Overview => "/".to_owned(),
            Route::Status => "/status".to_owned(),
            Route::StatusIncident { id } => format!("/status/incidents/{id}"),
            Route::StatusHistory => "/status/history".to_owned(),
            Route::StatusService { service } => format!("/status/{service}"),
            Route::StatusFeed { service, format } => match service {
                None => format!("/status/{}", format.file()),
                Some(service) => format!("/status/services/{service}/{}", format.file()),
            },
            Route::Dashboard { dashboard } => format!("/d/{dashboard}"),
            Route::Embed { dashboard, panel } => format!("/embed/{dashboard}/{panel}"),
            Route::Render {
                dashboard,
                panel,
                format,
            } => format!("/render/{dashboard}/{panel}.{}", format.extension()),
            Route::Snapshot { id } => format!("/s/{id}"),
            Route::SnapshotChart { id, format } => {
                format!("/s/{id}/chart.{}", format.extension())
            }
            Route::DashboardApi { dashboard } => format!("/api/dashboards/{dashboard}"),
            Route::PanelApi { dashboard, panel } => format!("/api/panels/{dashboard}/{panel}"),
            Route::PanelCsv { dashboard, panel } => {
                format!("/api/panels/{dashboard}/{panel}/data.csv")
            }
            Route::Live { dashboard } => format!("/api/live/{dashboard}"),
            Route::StatusApi => "/api/status".to_owned(),
            Route::SnapshotsApi => "/api/snapshots".to_owned(),
            Route::SnapshotApi { id } => format!("/api/snapshots/{id}"),
            Route::Other(path) => path.clone(),
        }
    }

    /// The path of this route with `query` (without its `?`; none when
    /// empty).
    pub fn href_with(&self, query: &str) -> String {
        if query.is_empty() {
            self.href()
        } else {
            format!("{}?{query}", self.href())
        }
    }

    /// The dashboard whose data this route shows, if any.
    pub fn dashboard(&self) -> Option<&str> {
        match self {
            Route::Overview => Some(OVERVIEW),
            Route::Dashboard { dashboard }
            | Route::Embed { dashboard, .. }
            | Route::Render { dashboard, .. }
            | Route::DashboardApi { dashboard }
            | Route::PanelApi { dashboard, .. }
            | Route::PanelCsv { dashboard, .. }
            | Route::Live { dashboard } => Some(dashboard.as_str()),
            Route::Status
            | Route::StatusIncident { .. }
            | Route::StatusHistory
            | Route::StatusService { .. }
            | Route::StatusFeed { .. }
            | Route::Snapshot { .. }
            | Route::SnapshotChart { .. }
            | Route::StatusApi
            | Route::SnapshotsApi
            | Route::SnapshotApi { .. }
            | Route::Other(_) => None,
        }
    }

    /// Whether this route is an HTML page of the app.
    pub fn is_page(&self) -> bool {
        matches!(
            self,
            Route::Overview
                | Route::Status
                | Route::StatusIncident { .. }
                | Route::StatusHistory
                | Route::StatusService { .. }
                | Route::Dashboard { .. }
                | Route::Embed { .. }
                | Route::Snapshot { .. }
        )
    }

    /// Whether this route's answers are JSON API answers.
    pub fn is_api(&self) -> bool {
        match self {
            Route::DashboardApi { .. }
            | Route::PanelApi { .. }
            | Route::PanelCsv { .. }
            | Route::Live { .. }
            | Route::StatusApi
            | Route::SnapshotsApi
            | Route::SnapshotApi { .. } => true,
            Route::Other(path) => path.starts_with("/api/"),
            _ => false,
        }
    }
}

/// `href` with `token=` added to its query when there is a token.
pub fn with_token(href: &str, token: Option<&str>) -> String {
    match token {
        None => href.to_owned(),
        Some(token) => {
            let join = if href.contains('?') { '&' } else { '?' };
            format!("{href}{join}token={token}")
        }
    }
}

/// `latency.png` → (`latency`, PNG).
fn image_file(file: &str) -> Option<(&str, ImageFormat)> {
    let (name, extension) = file.rsplit_once('.')?;
    Some((name, ImageFormat::from_extension(extension)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> Id {
        Id::new(text).expect("an id")
    }

    #[test]
    fn paths_name_the_dashboard_they_show() {
        for (path, dashboard) in [
            ("/", Some("overview")),
            ("/d/finance", Some("finance")),
            ("/embed/finance/revenue", Some("finance")),
            ("/render/finance/revenue.png", Some("finance")),
            ("/api/panels/finance/revenue", Some("finance")),
            ("/api/panels/finance/revenue/data.csv", Some("finance")),
            ("/api/live/finance", Some("finance")),
            ("/api/dashboards/finance", Some("finance")),
            ("/status", None),
            ("/status/history", None),
            ("/status/incidents/7", None),
            ("/status/api", None),
            ("/status/feed.atom", None),
            ("/status/feed.json", None),
            ("/status/services/api/feed.rss", None),
            ("/api/v1/query", None),
            ("/pkg/porthole.js", None),
            ("/s/AbCdEfGhIjKlMnOpQrSt_-", None),
        ] {
            let route = Route::parse(path).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(route.dashboard(), dashboard, "{path}");
            assert_eq!(route.href(), path, "{path} reads back");
        }
    }

    #[test]
    fn every_other_spelling_of_a_dashboard_is_refused() {
        for path in [
            "/d/fin%61nce",
            "/d/Finance",
            "/d/FINANCE",
            "/d/finance/",
            "/d//finance",
            "//d/finance",
            "/d/./finance",
            "/d/x/../finance",
            "/d/finance%2F",
            "/d/fin%2fance",
            "/d/finance%00",
            "/d/finance\0",
            "/d/finance;x",
            "/d/finance\\",
            "/d/",
            "/d",
            "/api/panels/fin%61nce/revenue",
            "/api/panels/finance/revenue/",
            "/api/panels/finance/Revenue",
            "/api/panels/finance",
            "/api/panels/finance/revenue/data.json",
            "/api/live/finance/",
            "/api/dashboards/%66inance",
            "/render/finance/revenue.gif",
            "/render/finance/revenue",
            "/render/fin%61nce/revenue.png",
            "/embed/finance/revenue/",
            "/embed/finance",
            "/s/short",
            "/s/AbCdEfGhIjKlMnOpQrSt_-/other.png",
            "/status/incidents/07",
            "/status/incidents/%37",
            "/status/incidents/+7",
            "/status/incidents/7/",
            "/status/incidents",
            "/status/Api",
            "/status/%61pi",
            "/status/api/",
            "/status/api.json",
            "/status/services",
            "/status/feed",
            "/status/feed.xml",
            "/status/services/API/feed.atom",
            "/status/services/api/feed.atom/",
            "/status/",
            "relative",
            "",
        ] {
            assert!(Route::parse(path).is_err(), "{path:?} must be refused");
        }
        // Other case in a prefix is some other path, which names no dashboard.
        assert_eq!(
            Route::parse("/D/finance").map(|route| route.dashboard().is_none()),
            Ok(true)
        );
        let refused = |path| Route::parse(path).expect_err("refused");
        assert!(refused("/api/panels/fin%61nce/x").wants_json());
        assert!(!refused("/d/fin%61nce").wants_json());
        assert!(
            refused("/render/a/b.gif")
                .to_string()
                .contains("{panel}.svg")
        );
    }

    #[test]
    fn routes_build_their_own_paths() {
        let routes = [
            Route::Overview,
            Route::Status,
            Route::Dashboard {
                dashboard: id("finance"),
            },
            Route::Embed {
                dashboard: id("finance"),
                panel: id("revenue"),
            },
            Route::Render {
                dashboard: id("finance"),
                panel: id("revenue"),
                format: ImageFormat::Svg,
            },
            Route::SnapshotChart {
                id: SnapshotId::new("AbCdEfGhIjKlMnOpQrSt_-").expect("id"),
                format: ImageFormat::Png,
            },
            Route::PanelCsv {
                dashboard: id("finance"),
                panel: id("revenue"),
            },
            Route::Live {
                dashboard: id("finance"),
            },
            Route::StatusApi,
            Route::SnapshotsApi,
            Route::SnapshotApi {
                id: SnapshotId::new("AbCdEfGhIjKlMnOpQrSt_-").expect("id"),
            },
            Route::Other("/api/v1/query".to_owned()),
        ];
        for route in routes {
            assert_eq!(Route::parse(&route.href()), Ok(route.clone()), "{route:?}");
        }
        assert_eq!(Route::dashboard_page(Id::overview()).href(), "/");
        assert_eq!(Route::dashboard_page(id("finance")).href(), "/d/finance");
        assert_eq!(
            Route::PanelApi {
                dashboard: id("a"),
                panel: id("b")
            }
            .href_with("range=7d"),
            "/api/panels/a/b?range=7d"
        );
    }
}
