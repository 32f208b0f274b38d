//! `/api/...`: JSON for the browser. Every error here is a JSON `ApiError`,
//! including unknown paths.

use app::model::{DashboardLayout, PanelData, PanelQuery, TimeRange};
use axum::{
    Json, Router,
    extract::{OriginalUri, State},
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;

use crate::{
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
        .merge(super::analytics::router())
        .merge(super::prom::router())
        .fallback(unknown_endpoint)
}

/// Query parameters of the panel API.
#[derive(Debug, Deserialize)]
struct PanelParams {
    #[serde(default)]
    range: TimeRange,
}

async fn dashboard(
    State(state): State<AppState>,
    ApiPath(dashboard): ApiPath<String>,
) -> Result<Json<DashboardLayout>, ApiError> {
    Ok(Json(state.panels.layout(&dashboard)?))
}

async fn panel(
    State(state): State<AppState>,
    ApiPath((dashboard, panel)): ApiPath<(String, String)>,
    ApiQuery(params): ApiQuery<PanelParams>,
) -> Result<Json<PanelData>, ApiError> {
    let query = PanelQuery {
        dashboard,
        panel,
        range: params.range,
    };
    let data = state.panels.panel_at(&query, chrono::Utc::now()).await?;
    Ok(Json(data))
}

/// A panel's data as CSV, as shown for the range: a time column and one
/// per line, the cards, or the table's own columns.
async fn panel_csv(
    State(state): State<AppState>,
    ApiPath((dashboard, panel)): ApiPath<(String, String)>,
    ApiQuery(params): ApiQuery<PanelParams>,
) -> Result<Response, ApiError> {
    let query = PanelQuery {
        dashboard,
        panel,
        range: params.range,
    };
    let data = state.panels.panel_at(&query, chrono::Utc::now()).await?;
    let disposition = format!(
        "attachment; filename=\"{}-{}-{}.csv\"",
        data.dashboard, data.panel, data.range
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

async fn unknown_endpoint(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::NotFound(format!("no API endpoint at {}", uri.path()))
}
