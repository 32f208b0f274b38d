//! Where dashboard layouts and panel data come from: on the server, a
//! `PanelSource` the server provides as context; in the browser, the
//! server's `/api/dashboards/...` and `/api/panels/...` JSON.
//!
//! Components call [`load_dashboard`] and [`load_panel`] and never know which
//! side they run on, so the first render (server) and every later one
//! (browser) use the same view.

use crate::model::ErrorKind;
use crate::model::{
    DashboardLayout, ErrorBody, HistoryPage, NoticePage, PanelData, PanelQuery, ServicePage,
    Snapshot, StatusReport,
};
#[cfg(not(feature = "ssr"))]
use porthole_model::Route;

#[cfg(feature = "ssr")]
pub use server_side::{PanelSource, PanelSourceHandle};

/// The path of a dashboard's layout API, if `id` is a dashboard's id.
#[cfg(not(feature = "ssr"))]
fn dashboard_api_path(id: &str) -> Option<String> {
    porthole_model::Id::new(id).map(|dashboard| Route::DashboardApi { dashboard }.href())
}

/// Why a path could not be built: the id is not one.
#[cfg(not(feature = "ssr"))]
fn no_such(what: &str) -> ErrorBody {
    ErrorBody::new(
        ErrorKind::NotFound,
        format!("there is no {what} by that id"),
    )
}

/// Loads a dashboard's layout.
#[cfg(feature = "ssr")]
pub fn load_dashboard(
    id: String,
) -> impl Future<Output = Result<DashboardLayout, ErrorBody>> + Send + 'static {
    let source = leptos::prelude::use_context::<PanelSourceHandle>();
    async move {
        match source {
            Some(source) => source.0.dashboard(id).await,
            None => Err(no_source()),
        }
    }
}

/// Loads one panel's data for a query.
#[cfg(feature = "ssr")]
pub fn load_panel(
    query: PanelQuery,
) -> impl Future<Output = Result<PanelData, ErrorBody>> + Send + 'static {
    // Taken now, while the reactive owner is current; the future runs later.
    let source = leptos::prelude::use_context::<PanelSourceHandle>();
    async move {
        match source {
            Some(source) => source.0.panel(query).await,
            None => Err(no_source()),
        }
    }
}

/// Loads the status report.
#[cfg(feature = "ssr")]
pub fn load_status() -> impl Future<Output = Result<StatusReport, ErrorBody>> + Send + 'static {
    let source = leptos::prelude::use_context::<PanelSourceHandle>();
    async move {
        match source {
            Some(source) => source.0.status().await,
            None => Err(no_source()),
        }
    }
}

/// Loads one incident or maintenance.
#[cfg(feature = "ssr")]
pub fn load_notice(
    id: u64,
) -> impl Future<Output = Result<NoticePage, ErrorBody>> + Send + 'static {
    let source = leptos::prelude::use_context::<PanelSourceHandle>();
    async move {
        match source {
            Some(source) => source.0.notice(id).await,
            None => Err(no_source()),
        }
    }
}

/// Loads a page of the status history.
#[cfg(feature = "ssr")]
pub fn load_history(
    page: u32,
) -> impl Future<Output = Result<HistoryPage, ErrorBody>> + Send + 'static {
    let source = leptos::prelude::use_context::<PanelSourceHandle>();
    async move {
        match source {
            Some(source) => source.0.history(page).await,
            None => Err(no_source()),
        }
    }
}

/// Loads one service's page.
#[cfg(feature = "ssr")]
pub fn load_service_page(
    id: String,
) -> impl Future<Output = Result<ServicePage, ErrorBody>> + Send + 'static {
    let source = leptos::prelude::use_context::<PanelSourceHandle>();
    async move {
        match source {
            Some(source) => source.0.service_page(id).await,
            None => Err(no_source()),
        }
    }
}

/// Loads one service's page: server HTML only, like notices.
#[cfg(not(feature = "ssr"))]
pub async fn load_service_page(_id: String) -> Result<ServicePage, ErrorBody> {
    Err(server_only())
}

/// Loads one incident or maintenance: pages of notices are server HTML
/// only, with no island that loads one.
#[cfg(not(feature = "ssr"))]
pub async fn load_notice(_id: u64) -> Result<NoticePage, ErrorBody> {
    Err(server_only())
}

/// Loads a page of the status history: server HTML only, like notices.
#[cfg(not(feature = "ssr"))]
pub async fn load_history(_page: u32) -> Result<HistoryPage, ErrorBody> {
    Err(server_only())
}

#[cfg(not(feature = "ssr"))]
fn server_only() -> ErrorBody {
    ErrorBody::new(
        ErrorKind::Internal,
        "this page is rendered by the server".to_owned(),
    )
}

/// Loads a snapshot: `gone` once it expired or was revoked.
#[cfg(feature = "ssr")]
pub fn load_snapshot(
    id: String,
) -> impl Future<Output = Result<Snapshot, ErrorBody>> + Send + 'static {
    let source = leptos::prelude::use_context::<PanelSourceHandle>();
    async move {
        match source {
            Some(source) => source.0.snapshot(id).await,
            None => Err(no_source()),
        }
    }
}

#[cfg(feature = "ssr")]
fn no_source() -> ErrorBody {
    ErrorBody::new(ErrorKind::Internal, "no panel source is configured")
}

/// Loads a dashboard's layout.
#[cfg(not(feature = "ssr"))]
pub fn load_dashboard(
    id: String,
) -> impl Future<Output = Result<DashboardLayout, ErrorBody>> + Send + 'static {
    // gloo-net's futures are not Send; they never leave the browser's one thread.
    send_wrapper::SendWrapper::new(fetch_json(
        dashboard_api_path(&id).ok_or_else(|| no_such("dashboard")),
    ))
}

/// Loads one panel's data for a query.
#[cfg(not(feature = "ssr"))]
pub fn load_panel(
    query: PanelQuery,
) -> impl Future<Output = Result<PanelData, ErrorBody>> + Send + 'static {
    send_wrapper::SendWrapper::new(fetch_json(query.api_path().ok_or_else(|| no_such("panel"))))
}

/// Loads the status report.
#[cfg(not(feature = "ssr"))]
pub fn load_status() -> impl Future<Output = Result<StatusReport, ErrorBody>> + Send + 'static {
    send_wrapper::SendWrapper::new(fetch_json(Ok(Route::StatusApi.href())))
}

/// Loads a snapshot: `gone` once it expired or was revoked.
#[cfg(not(feature = "ssr"))]
pub fn load_snapshot(
    id: String,
) -> impl Future<Output = Result<Snapshot, ErrorBody>> + Send + 'static {
    let path = porthole_model::SnapshotId::new(&id)
        .map(|id| Route::SnapshotApi { id }.href())
        .ok_or_else(|| no_such("snapshot"));
    send_wrapper::SendWrapper::new(fetch_json(path))
}

/// Fetches `path` (or fails with its error) as JSON.
#[cfg(not(feature = "ssr"))]
async fn fetch_json<T: serde::de::DeserializeOwned>(
    path: Result<String, ErrorBody>,
) -> Result<T, ErrorBody> {
    let path = path?;
    #[cfg(feature = "hydrate")]
    {
        let unreachable =
            |e: gloo_net::Error| ErrorBody::new(ErrorKind::Unavailable, e.to_string());
        let response = gloo_net::http::Request::get(&path)
            .send()
            .await
            .map_err(unreachable)?;
        if response.ok() {
            response.json::<T>().await.map_err(unreachable)
        } else {
            Err(response.json::<ErrorBody>().await.unwrap_or_else(|_| {
                ErrorBody::new(
                    ErrorKind::Unavailable,
                    format!("the server answered {}", response.status()),
                )
            }))
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Err(ErrorBody::new(
            ErrorKind::Internal,
            format!("cannot load {path} here"),
        ))
    }
}

#[cfg(feature = "ssr")]
mod server_side {
    use std::sync::Arc;

    use futures::future::BoxFuture;

    use crate::model::{
        DashboardLayout, ErrorBody, HistoryPage, NoticePage, PanelData, PanelQuery, ServicePage,
        Snapshot, StatusReport,
    };

    /// The server's side of dashboards and panel data: implemented by the
    /// `porthole` binary so that this crate never depends on where data
    /// comes from.
    pub trait PanelSource: Send + Sync + 'static {
        /// A dashboard's layout, or a client-safe error (`not_found`).
        fn dashboard(&self, id: String) -> BoxFuture<'static, Result<DashboardLayout, ErrorBody>>;
        /// The data for one panel and range, or a client-safe error.
        fn panel(&self, query: PanelQuery) -> BoxFuture<'static, Result<PanelData, ErrorBody>>;
        /// The status report of the configured services.
        fn status(&self) -> BoxFuture<'static, Result<StatusReport, ErrorBody>>;
        /// A snapshot, or a client-safe error (`not_found`, `gone`).
        fn snapshot(&self, id: String) -> BoxFuture<'static, Result<Snapshot, ErrorBody>>;
        /// One incident or maintenance, or a client-safe error (`not_found`).
        fn notice(&self, id: u64) -> BoxFuture<'static, Result<NoticePage, ErrorBody>>;
        /// A page of the status history (from 1), or a client-safe error.
        fn history(&self, page: u32) -> BoxFuture<'static, Result<HistoryPage, ErrorBody>>;
        /// One service's page, or a client-safe error (`not_found`).
        fn service_page(&self, id: String) -> BoxFuture<'static, Result<ServicePage, ErrorBody>>;
        /// How a link to the page at `route` unfurls when pasted, if it does.
        fn preview(&self, route: &porthole_model::Route) -> Option<crate::model::LinkPreview>;
    }

    /// A shareable [`PanelSource`], provided to the app as context.
    #[derive(Clone)]
    pub struct PanelSourceHandle(pub Arc<dyn PanelSource>);
}
