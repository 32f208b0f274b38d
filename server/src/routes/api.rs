//! `/api/...`: JSON for the browser. Every error here is a JSON `ApiError`,
//! including unknown paths.

use std::{convert::Infallible, time::Duration};

use app::{
    model::{DashboardLayout, PanelData, PanelQuery, Span, TimeRange},
    view_state::Refresh,
};
use axum::{
    Json, Router,
    extract::{OriginalUri, State},
    http::header,
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
    routing::get,
};
use serde::Deserialize;
use tokio::sync::broadcast;

use crate::{
    caching,
    error::ApiError,
    extract::{ApiPath, ApiQuery},
    state::AppState,
};

/// Routes under `/api`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboards/{dashboard}", get(dashboard))
        .route("/panels/{dashboard}/{panel}", get(panel))
        .route("/panels/{dashboard}/{panel}/data.csv", get(panel_csv))
        .route("/live/{dashboard}", get(live))
        .merge(super::analytics::router())
        .merge(super::prom::router())
        .merge(super::status::api_router())
        .fallback(unknown_endpoint)
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
        Span::from_pair(self.from.as_deref(), self.to.as_deref()).map_err(ApiError::BadRequest)
    }
}

async fn dashboard(
    State(state): State<AppState>,
    ApiPath(dashboard): ApiPath<String>,
) -> Result<Json<DashboardLayout>, ApiError> {
    Ok(Json(state.layout(&dashboard)?))
}

/// A panel's data as JSON, cacheable (by browsers, CDNs and script
/// widgets, which refresh at that pace) for the panel's refresh interval.
async fn panel(
    State(state): State<AppState>,
    ApiPath((dashboard, panel)): ApiPath<(String, String)>,
    ApiQuery(params): ApiQuery<PanelParams>,
) -> Result<Response, ApiError> {
    let data = panel_data(&state, dashboard, panel, params).await?;
    let max_age = state.panels().refresh_seconds(&data.dashboard, &data.panel);
    Ok((
        [(header::CACHE_CONTROL, caching::public(max_age))],
        Json(data),
    )
        .into_response())
}

/// One panel's data as of now, for both of its representations.
pub(crate) async fn panel_data(
    state: &AppState,
    dashboard: String,
    panel: String,
    params: PanelParams,
) -> Result<PanelData, ApiError> {
    let query = PanelQuery {
        dashboard,
        panel,
        range: params.range,
        span: params.span()?,
        // Checked by the access guard; not part of what is computed.
        token: None,
    };
    Ok(state.panels().panel_at(&query, chrono::Utc::now()).await?)
}

/// A panel's data as CSV, as shown for the range: a time column and one
/// per line, the cards, or the table's own columns.
async fn panel_csv(
    State(state): State<AppState>,
    ApiPath((dashboard, panel)): ApiPath<(String, String)>,
    ApiQuery(params): ApiQuery<PanelParams>,
) -> Result<Response, ApiError> {
    let data = panel_data(&state, dashboard, panel, params).await?;
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

/// Server-sent events: a `frame` event with every panel of the dashboard,
/// once per `refresh` interval, computed once for all viewers.
async fn live(
    State(state): State<AppState>,
    ApiPath(dashboard): ApiPath<String>,
    ApiQuery(params): ApiQuery<LiveParams>,
) -> Result<Response, ApiError> {
    let refresh: Refresh = params
        .refresh
        .parse()
        .map_err(|e: app::view_state::UnknownRefresh| ApiError::BadRequest(e.to_string()))?;
    let Some(seconds) = refresh.seconds() else {
        return Err(ApiError::BadRequest(
            "refresh is off: there is nothing to stream; ask for 10s, 30s, 1m or 5m".to_owned(),
        ));
    };
    let frames = state
        .live()
        .subscribe(dashboard, params.range, Duration::from_secs(seconds))?;
    let events = futures::stream::unfold(frames, |mut frames| async move {
        loop {
            match frames.recv().await {
                Ok(frame) => {
                    let event = Event::default().event("frame").data(frame.as_ref());
                    return Some((Ok::<_, Infallible>(event), frames));
                }
                // A slow viewer skips to the newest frame.
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Ok(Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response())
}

async fn unknown_endpoint(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::NotFound(format!("no API endpoint at {}", uri.path()))
}
