//! `/api/...`: JSON for the browser. Every error here is a JSON `ApiError`,
//! including unknown paths.

use std::{convert::Infallible, time::Duration};

use app::{
    model::{DashboardLayout, PanelData, PanelQuery, Span, TimeRange},
    view_state::Refresh,
};
use axum::{
    Json, Router,
    body::Body,
    extract::{OriginalUri, State},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use futures::StreamExt;
use porthole_model::Route;
use serde::Deserialize;
use tokio::sync::broadcast;

use crate::{
    http::cache_headers,
    http::error::ApiError,
    http::extract::{ApiQuery, Routed},
    http::limits::limit_key,
    http::state::{AppState, CurrentSources, DashboardApi},
    live::{KEEP_ALIVE, KEEP_ALIVE_COMMENT, MAX_STREAM_LIFETIME},
    panels::Admission,
};

/// Routes under `/api`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboards/{dashboard}", get(dashboard))
        .route("/panels/{dashboard}/{panel}", get(panel))
        .route("/panels/{dashboard}/{panel}/data.csv", get(panel_csv))
        .merge(super::analytics::router())
        .merge(super::prom::router())
        .merge(super::prom_metadata::router())
        .merge(super::status::api_router())
        .merge(super::incidents::router())
        .merge(super::statuspage::router())
        .merge(super::heartbeat::router())
        .fallback(unknown_endpoint)
}

/// The live event streams, served outside the compression layer (see
/// `http::router`).
pub fn live_router() -> Router<AppState> {
    Router::new().route("/live/{dashboard}", get(live))
}

/// Query parameters of the panel API: `range`, or a fixed window `from`
/// and `to` (unix seconds or `2026-11-01T09:30:00Z`).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PanelParams {
    #[serde(default)]
    pub range: TimeRange,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl PanelParams {
    /// The fixed window asked for, if any.
    fn span(&self) -> Result<Option<Span>, ApiError> {
        Span::from_pair(self.from.as_deref(), self.to.as_deref())
            .map_err(|e| ApiError::BadRequest(e.to_string()))
    }
}

async fn dashboard(
    State(state): State<DashboardApi>,
    Routed(route): Routed,
    admission: Admission,
) -> Result<Json<DashboardLayout>, ApiError> {
    let Route::DashboardApi { dashboard } = route else {
        return Err(not_routed());
    };
    Ok(Json(state.layout(dashboard.as_str(), &admission)?))
}

/// The answer of a handler reached with a route it does not serve (a
/// router and route model out of step): nothing, rather than a guess.
pub(crate) fn not_routed() -> ApiError {
    ApiError::NotFound("there is nothing at this address".to_owned())
}

/// The dashboard and panel a panel route names.
fn panel_of(route: Route) -> Result<(String, String), ApiError> {
    match route {
        Route::PanelApi { dashboard, panel }
        | Route::PanelCsv { dashboard, panel }
        | Route::Render {
            dashboard, panel, ..
        } => Ok((dashboard.to_string(), panel.to_string())),
        _ => Err(not_routed()),
    }
}

/// A panel's data as JSON, cacheable (by browsers, CDNs and script
/// widgets, which refresh at that pace) for the panel's refresh interval.
async fn panel(
    State(state): State<DashboardApi>,
    Routed(route): Routed,
    admission: Admission,
    ApiQuery(params): ApiQuery<PanelParams>,
) -> Result<Response, ApiError> {
    let data = panel_data(&state.sources, route, params, &admission).await?;
    let max_age = state
        .sources
        .panels()
        .refresh_seconds(&data.dashboard, &data.panel);
    Ok((
        [(header::CACHE_CONTROL, cache_headers::public(max_age))],
        Json(data),
    )
        .into_response())
}

/// The data of the panel `route` names, as of now, for every
/// representation (JSON, CSV, renders).
pub(crate) async fn panel_data(
    sources: &CurrentSources,
    route: Route,
    params: PanelParams,
    admission: &Admission,
) -> Result<PanelData, ApiError> {
    let (dashboard, panel) = panel_of(route)?;
    let query = PanelQuery {
        dashboard,
        panel,
        range: params.range,
        span: params.span()?,
        // Checked by the access guard; not part of what is computed.
        token: None,
    };
    Ok(sources
        .panels()
        .panel_at(&query, chrono::Utc::now(), admission)
        .await?)
}

/// A panel's data as CSV, as shown for the range: a time column and one
/// per line, the cards, or the table's own columns.
async fn panel_csv(
    State(state): State<DashboardApi>,
    Routed(route): Routed,
    admission: Admission,
    ApiQuery(params): ApiQuery<PanelParams>,
) -> Result<Response, ApiError> {
    let data = panel_data(&state.sources, route, params, &admission).await?;
    let window = data.span.map_or_else(
        || data.range.to_string(),
        |span| format!("{}-{}", span.from, span.to),
    );
    let disposition = format!(
        "attachment; filename=\"{}-{}-{window}.csv\"",
        data.dashboard, data.panel
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        crate::panel_csv::to_csv(&data),
    )
        .into_response())
}

/// Query parameters of the live stream.
#[derive(Debug, Deserialize)]
struct LiveParams {
    #[serde(default)]
    range: TimeRange,
    refresh: String,
}

/// Server-sent events: a `frame` event once per `refresh` interval,
/// computed once for all viewers: every panel of the dashboard first, then
/// only the panels whose data changed (none: no event that interval).
async fn live(
    State(state): State<DashboardApi>,
    Routed(route): Routed,
    admission: Admission,
    ApiQuery(params): ApiQuery<LiveParams>,
    request: http::request::Parts,
) -> Result<Response, ApiError> {
    let Route::Live { dashboard } = route else {
        return Err(not_routed());
    };
    let refresh: Refresh = params
        .refresh
        .parse()
        .map_err(|e: app::view_state::UnknownRefresh| ApiError::BadRequest(e.to_string()))?;
    let Some(seconds) = refresh.seconds() else {
        return Err(ApiError::BadRequest(
            "refresh is off: there is nothing to stream; ask for 10s, 30s, 1m or 5m".to_owned(),
        ));
    };
    let client = state
        .client_ip
        .of_parts(&request.extensions, &request.headers)
        .map(limit_key);
    let slot = state
        .streams
        .take(client)
        .map_err(|refused| ApiError::TooManyRequests(refused.to_string()))?;
    let frames = state.sources.live().subscribe(
        dashboard.to_string(),
        params.range,
        Duration::from_secs(seconds),
        &admission,
    )?;
    // The slot rides with the stream and is given back when it ends. A
    // viewer's first frame is whole, and so is the one after it fell
    // behind; between them, only what changed. Events are encoded once per
    // tick and shared by every viewer's response.
    let follower = (frames, slot, true);
    let events = futures::stream::unfold(follower, |(mut frames, slot, mut whole)| async move {
        loop {
            let received = match tokio::time::timeout(KEEP_ALIVE, frames.recv()).await {
                Ok(received) => received,
                Err(_idle) => {
                    return Some((Ok(KEEP_ALIVE_COMMENT), (frames, slot, whole)));
                }
            };
            match received {
                Ok(tick) => {
                    let event = if whole {
                        Some(tick.whole)
                    } else {
                        tick.changes
                    };
                    let Some(event) = event else { continue };
                    return Some((Ok::<_, Infallible>(event), (frames, slot, false)));
                }
                // A slow viewer skips to the newest tick, sent whole.
                Err(broadcast::error::RecvError::Lagged(_)) => whole = true,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let events = events.take_until(tokio::time::sleep(MAX_STREAM_LIFETIME));
    Ok((
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(events),
    )
        .into_response())
}

async fn unknown_endpoint(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::NotFound(format!("no API endpoint at {}", uri.path()))
}
