//! Server-rendered pages: the Leptos app's routes, with their data source
//! provided as context.

use app::model::ErrorKind;
use std::sync::Arc;

use app::{
    App,
    model::{
        DashboardLayout, ErrorBody, HistoryPage, LinkPreview, NoticePage, PanelData, PanelQuery,
        ServicePage, Snapshot, StatusReport,
    },
    panel_data::{PanelSource, PanelSourceHandle},
    shell,
};
use axum::{
    Router,
    extract::{FromRef, Request, State},
    http::Method,
    middleware::{self, Next},
    response::Response,
};
use chrono::Utc;
use futures::future::{BoxFuture, FutureExt};
use leptos::{
    nonce::Nonce,
    prelude::{provide_context, use_context},
};
use leptos_axum::{LeptosRoutes, generate_route_list};

use porthole_model::{ImageFormat, Route};

use crate::{
    http::cache_headers,
    http::headers::ScriptNonce,
    http::limits,
    http::page_cache,
    http::page_language,
    http::state::{AppState, StatusApi},
    panels::Admission,
};

/// The app's page routes. Renders (pages the page cache does not hold)
/// are rate limited per address like the API.
pub fn router(state: &AppState) -> Router<AppState> {
    let (options, bundle) = (state.leptos_options.clone(), state.bundle.clone());
    Router::new()
        .leptos_routes_with_context(
            state,
            generate_route_list(App),
            page_context(state),
            move || shell(options.clone(), bundle.clone()),
        )
        .layer(middleware::from_fn_with_state(
            state.limiter(state.limits.api),
            limits::limit,
        ))
        .layer(middleware::from_fn_with_state(
            state.sources.clone(),
            cache_headers::pages,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            from_page_cache,
        ))
        // Outside the page cache: a first visit is sent to its language
        // before any page is looked up.
        .layer(middleware::from_fn(page_language::negotiate))
}

/// Answers from the page cache, or renders (once for every request waiting
/// for the same page) and keeps what may be kept.
async fn from_page_cache(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some((key, nonce)) = page_key(&state, &request) else {
        return next.run(request).await;
    };
    state
        .sources
        .pages()
        .answer_or_render(key, &nonce, || next.run(request))
        .await
}

/// The page-cache key of a page that may be kept, and the request's nonce.
/// Only public pages on the route the access guard parsed, for a view the
/// page reads without a message, are kept: what a stranger can vary costs a
/// rate-limited render, never a new entry.
fn page_key(state: &AppState, request: &Request) -> Option<(page_cache::Key, Arc<str>)> {
    let route = request.extensions().get::<Route>()?;
    let public = matches!(
        request.extensions().get::<Admission>(),
        Some(Admission::Public)
    );
    if request.method() != Method::GET
        || !public
        || !route.is_page()
        || matches!(route, Route::Snapshot { .. })
    {
        return None;
    }
    let view = page_cache::canonical_view(request.uri().query().unwrap_or_default())?;
    let ScriptNonce(nonce) = request.extensions().get::<ScriptNonce>()?.clone();
    if nonce.is_empty() {
        return None;
    }
    let window = i64::try_from(cache_headers::page_max_age(&state.sources, Some(route)))
        .unwrap_or(i64::MAX)
        .max(1);
    let bucket = Utc::now().timestamp().div_euclid(window);
    let site = state.site.of(request.extensions(), request.headers());
    Some((
        (
            site,
            route.href_with(&view),
            bucket,
            state.kpi.generation(),
            state.status.notices().generation(),
        ),
        nonce,
    ))
}

/// What every server render gets as context: the pages' data source (as
/// admitted for this request by the access guard), the site's public URL,
/// and the request's script nonce, which the Content-Security-Policy names.
pub fn page_context(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let state = state.clone();
    move || {
        let parts = use_context::<http::request::Parts>();
        let extension = |parts: &http::request::Parts| {
            (
                parts.extensions.get::<Admission>().cloned(),
                parts.extensions.get::<ScriptNonce>().cloned(),
            )
        };
        let (admission, nonce) = parts.as_ref().map(extension).unwrap_or_default();
        provide_context(PanelSourceHandle(Arc::new(ServerSource {
            state: state.clone(),
            admission: admission.unwrap_or_default(),
        })));
        provide_context(state.brand.brand().clone());
        provide_context(app::site::PublicUrl(
            parts
                .as_ref()
                .and_then(|parts| state.site.of_request(parts)),
        ));
        if let Some(ScriptNonce(nonce)) = nonce {
            provide_context(Nonce::from_value(nonce));
        }
    }
}

/// The pages' view of the server, through the app's `PanelSource` seam:
/// always the dashboards and services of the configuration now loaded, as
/// far as this request was admitted to read them.
struct ServerSource {
    state: AppState,
    admission: Admission,
}

impl PanelSource for ServerSource {
    fn dashboard(&self, id: String) -> BoxFuture<'static, Result<DashboardLayout, ErrorBody>> {
        let layout = self.state.layout(&id, &self.admission);
        async move { layout }.boxed()
    }

    fn panel(&self, query: PanelQuery) -> BoxFuture<'static, Result<PanelData, ErrorBody>> {
        let panels = self.state.panels();
        let admission = self.admission.clone();
        // The access guard checked the token before the page rendered; it
        // must not split the cache.
        let query = PanelQuery {
            token: None,
            ..query
        };
        async move { panels.panel_at(&query, Utc::now(), &admission).await }.boxed()
    }

    fn snapshot(&self, id: String) -> BoxFuture<'static, Result<Snapshot, ErrorBody>> {
        let state = self.state.clone();
        async move {
            super::snapshots::find(&state.views, &id)
                .await
                .map_err(|error| error.body())
        }
        .boxed()
    }

    fn preview(&self, route: &Route) -> Option<LinkPreview> {
        if let Route::Snapshot { id } = route {
            // Read from the page's own data would need the database here;
            // the picture carries the snapshot's title instead.
            return Some(LinkPreview {
                title: format!("Snapshot · {}", self.state.brand.brand().title),
                description: "A dashboard exactly as it was when this link was made".to_owned(),
                image: Route::SnapshotChart {
                    id: id.clone(),
                    format: ImageFormat::Png,
                }
                .href(),
                follows_window: false,
            });
        }
        let panels = self.state.panels();
        let (id, title) = match route {
            Route::Overview | Route::Dashboard { .. } => (route.dashboard()?, None),
            Route::Status => (porthole_model::OVERVIEW, Some("Service status".to_owned())),
            _ => return None,
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
            image: Route::Render {
                dashboard: porthole_model::Id::new(&dashboard.id)?,
                panel: porthole_model::Id::new(&panel.id)?,
                format: ImageFormat::Png,
            }
            .href(),
            follows_window: true,
        })
    }

    fn notice(&self, id: u64) -> BoxFuture<'static, Result<NoticePage, ErrorBody>> {
        let state = self.state.clone();
        async move {
            match state.status.notice(&state.services(), id).await {
                Ok(Some(page)) => Ok(page),
                Ok(None) => Err(ErrorBody::new(
                    ErrorKind::NotFound,
                    "no incident or maintenance has this id".to_owned(),
                )),
                Err(error) => Err(unavailable(&error)),
            }
        }
        .boxed()
    }

    fn history(&self, page: u32) -> BoxFuture<'static, Result<HistoryPage, ErrorBody>> {
        let state = self.state.clone();
        async move {
            state
                .status
                .history(&state.services(), page)
                .await
                .map_err(|error| unavailable(&error))
        }
        .boxed()
    }

    fn service_page(&self, id: String) -> BoxFuture<'static, Result<ServicePage, ErrorBody>> {
        let state = self.state.clone();
        async move {
            let unknown =
                || ErrorBody::new(ErrorKind::NotFound, format!("no service has the id {id:?}"));
            let services = state.services();
            let service = services.iter().find(|s| s.id == id).ok_or_else(unknown)?;
            let report = super::status::report(&StatusApi::from_ref(&state))
                .await
                .map_err(|error| ErrorBody::new(ErrorKind::Unavailable, error.to_string()))?;
            crate::panels::service_page::service_page(
                &report,
                state.status.store(),
                service,
                Utc::now().naive_utc(),
            )
            .await
            .map_err(|error| unavailable(&error))?
            .ok_or_else(unknown)
        }
        .boxed()
    }

    fn status(&self) -> BoxFuture<'static, Result<StatusReport, ErrorBody>> {
        let state = self.state.clone();
        async move {
            super::status::report(&StatusApi::from_ref(&state))
                .await
                .map(|report| report.as_ref().clone())
                .map_err(|error| ErrorBody::new(ErrorKind::Unavailable, error.to_string()))
        }
        .boxed()
    }
}

/// What a page says when the database failed; the detail goes to the log.
fn unavailable(error: &crate::db::DbError) -> ErrorBody {
    tracing::error!(%error, "cannot read the status history");
    ErrorBody::new(
        ErrorKind::Unavailable,
        "the status history is unavailable right now; try again shortly".to_owned(),
    )
}
