//! Server-rendered pages: the Leptos app's routes, with their data source
//! provided as context.

use std::sync::Arc;

use app::{
    App,
    model::{
        DashboardLayout, ErrorBody, LinkPreview, PanelData, PanelQuery, Snapshot, StatusReport,
    },
    panel_data::{PanelSource, PanelSourceHandle},
    shell,
};
use axum::{Router, middleware};
use chrono::Utc;
use futures::future::{BoxFuture, FutureExt};
use leptos::{
    nonce::Nonce,
    prelude::{provide_context, use_context},
};
use leptos_axum::{LeptosRoutes, generate_route_list};

use crate::{
    caching, headers::ScriptNonce, page_cache, panels::OVERVIEW, snapshot_store::is_well_formed,
    state::AppState,
};

/// The app's page routes.
pub fn router(state: &AppState) -> Router<AppState> {
    let options = state.leptos_options.clone();
    Router::new()
        .leptos_routes_with_context(
            state,
            generate_route_list(App),
            page_context(state),
            move || shell(options.clone()),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            caching::pages,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            page_cache::serve,
        ))
}

/// What every server render gets as context: the pages' data source, and
/// the request's script nonce, which the Content-Security-Policy names.
pub fn page_context(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let source = Arc::new(ServerSource(state.clone()));
    move || {
        provide_context(PanelSourceHandle(source.clone()));
        let nonce = use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<ScriptNonce>().cloned());
        if let Some(ScriptNonce(nonce)) = nonce {
            provide_context(Nonce::from_value(nonce));
        }
    }
}

/// The pages' view of the server, through the app's `PanelSource` seam:
/// always the dashboards and services of the configuration now loaded.
struct ServerSource(AppState);

impl PanelSource for ServerSource {
    fn dashboard(&self, id: String) -> BoxFuture<'static, Result<DashboardLayout, ErrorBody>> {
        let layout = self.0.layout(&id);
        async move { layout }.boxed()
    }

    fn panel(&self, query: PanelQuery) -> BoxFuture<'static, Result<PanelData, ErrorBody>> {
        let panels = self.0.panels();
        // The access guard checked the token before the page rendered; it
        // must not split the cache.
        let query = PanelQuery {
            token: None,
            ..query
        };
        async move { panels.panel_at(&query, Utc::now()).await }.boxed()
    }

    fn snapshot(&self, id: String) -> BoxFuture<'static, Result<Snapshot, ErrorBody>> {
        let state = self.0.clone();
        async move {
            super::snapshots::find(&state, &id)
                .await
                .map_err(|error| error.body())
        }
        .boxed()
    }

    fn preview(&self, path: &str) -> Option<LinkPreview> {
        if let Some(id) = path.strip_prefix("/s/") {
            // Read from the page's own data would need the database here;
            // the picture carries the snapshot's title instead.
            return is_well_formed(id).then(|| LinkPreview {
                title: "Snapshot · Porthole".to_owned(),
                description: "A dashboard exactly as it was when this link was made".to_owned(),
                image: format!("/s/{id}/chart.png"),
                follows_window: false,
            });
        }
        let panels = self.0.panels();
        let (id, title) = match path {
            "/" => (OVERVIEW, None),
            "/status" => (OVERVIEW, Some("Service status".to_owned())),
            _ => (path.strip_prefix("/d/")?, None),
        };
        let dashboard = panels.dashboard(id)?;
        // Private dashboards do not unfurl: their renders need the token.
        if !dashboard.public {
            return None;
        }
        let panel = dashboard.preview_panel()?;
        let title = title.unwrap_or_else(|| dashboard.title.clone());
        Some(LinkPreview {
            description: if dashboard.description.is_empty() {
                format!("{title}: live metrics on Porthole")
            } else {
                dashboard.description.clone()
            },
            title,
            image: format!("/render/{}/{}.png", dashboard.id, panel.id),
            follows_window: true,
        })
    }

    fn status(&self) -> BoxFuture<'static, Result<StatusReport, ErrorBody>> {
        let state = self.0.clone();
        async move {
            super::status::report(&state)
                .await
                .map(|report| report.as_ref().clone())
                .map_err(|error| ErrorBody::new("unavailable", error.to_string()))
        }
        .boxed()
    }
}
