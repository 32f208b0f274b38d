//! Service status for machines: `/api/status` (the status page's JSON) and
//! `/badge/{service}/{kind}.svg|.json` (badges for READMEs and landing
//! pages). A badge route answers every problem with a badge image that says
//! it, so an `<img>` never breaks: unknown service (404), bad range (400).

use std::{collections::HashMap, sync::Arc};

use app::model::{ServiceStatus, StatusReport, UptimeRange};
use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};

use crate::{
    badge::{BadgeFace, BadgeKind},
    http::cache_headers,
    http::error::ApiError,
    http::state::{AppState, StatusApi},
};

/// How long browsers and image proxies may keep a badge.
const BADGE_MAX_AGE: u32 = 60;

/// `/badge/...`, outside `/api` (badges are images, not JSON).
pub fn badge_router() -> Router<AppState> {
    Router::new().route("/badge/{service}/{file}", get(badge))
}

/// `/api/status`.
pub fn api_router() -> Router<AppState> {
    Router::new().route("/status", get(status))
}

/// The status report for the configured services, as visitors may see
/// it: without why checks failed (error texts name hosts, addresses,
/// certificates and selectors) unless `[probes] public_details = true`.
pub async fn report(state: &StatusApi) -> Result<Arc<StatusReport>, ApiError> {
    let report = state
        .status
        .report(state.sources.services())
        .await
        .map_err(|error| {
            tracing::error!(%error, "cannot make the status report");
            ApiError::Unavailable(
                "service status is unavailable right now; try again shortly".to_owned(),
            )
        })?;
    if state.public_check_details {
        return Ok(report);
    }
    let mut public = report.as_ref().clone();
    for service in public
        .groups
        .iter_mut()
        .flat_map(|group| &mut group.services)
    {
        service.error = None;
    }
    Ok(Arc::new(public))
}

async fn status(State(state): State<StatusApi>) -> Result<Response, ApiError> {
    let report = report(&state).await?;
    let mut response = Json(report.as_ref()).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, cache_headers::public(5));
    Ok(response)
}

/// The format a badge URL asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Svg,
    Json,
}

async fn badge(
    State(state): State<StatusApi>,
    Path((service, file)): Path<(String, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let (kind_name, format) = match file.rsplit_once('.') {
        Some((kind, "svg")) => (kind, Format::Svg),
        Some((kind, "json")) => (kind, Format::Json),
        _ => (file.as_str(), Format::Svg),
    };
    let Some(kind) = BadgeKind::parse(kind_name).filter(|_| file.contains('.')) else {
        let message =
            format!("unknown badge {file:?}; use status.svg, uptime.svg or latency.svg (or .json)");
        return problem(format, StatusCode::NOT_FOUND, "badge", "unknown", &message);
    };
    let range = match params.get("range").map(|r| r.parse::<UptimeRange>()) {
        None => UptimeRange::Month,
        Some(Ok(range)) => range,
        Some(Err(message)) => {
            return problem(
                format,
                StatusCode::BAD_REQUEST,
                "range",
                "invalid",
                &message,
            );
        }
    };
    let report = match report(&state).await {
        Ok(report) => report,
        Err(error) => {
            return problem(
                format,
                StatusCode::SERVICE_UNAVAILABLE,
                "status",
                "unavailable",
                &error.to_string(),
            );
        }
    };
    let Some(found) = find(&report, &service) else {
        // A fixed label and message: the URL's text is nobody's badge.
        let message = "no service has this id; see /api/status for the ids";
        return problem(format, StatusCode::NOT_FOUND, "service", "unknown", message);
    };
    let face = BadgeFace::of(found, kind, range);
    let mut response = match format {
        Format::Svg => svg(StatusCode::OK, &face, None),
        Format::Json => Json(face.endpoint_json(BADGE_MAX_AGE)).into_response(),
    };
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        cache_headers::public(BADGE_MAX_AGE.into()),
    );
    response
}

fn find<'a>(report: &'a StatusReport, id: &str) -> Option<&'a ServiceStatus> {
    report
        .groups
        .iter()
        .flat_map(|g| &g.services)
        .find(|s| s.id == id)
}

/// A problem as a badge (SVG, with the whole message as its title) or as
/// the API's JSON error.
fn problem(
    format: Format,
    status: StatusCode,
    label: &str,
    short: &str,
    message: &str,
) -> Response {
    match format {
        Format::Json => {
            let error = match status {
                StatusCode::NOT_FOUND => ApiError::NotFound(message.to_owned()),
                StatusCode::BAD_REQUEST => ApiError::BadRequest(message.to_owned()),
                _ => ApiError::Unavailable(message.to_owned()),
            };
            error.into_response()
        }
        Format::Svg => {
            // Labels come from the URL: keep them short on the badge.
            let label: String = label.chars().take(40).collect();
            svg(status, &BadgeFace::problem(&label, short), Some(message))
        }
    }
}

fn svg(status: StatusCode, face: &BadgeFace, title: Option<&str>) -> Response {
    let mut body = face.svg();
    if let Some(title) = title {
        // The full reason for whoever opens the image itself.
        let escaped = title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        body = body.replacen("<title>", &format!("<title>{escaped} — "), 1);
    }
    // Problems are not cached: made-up URLs must not fill caches.
    let cache = if status.is_success() {
        "public, max-age=60"
    } else {
        "no-store"
    };
    (
        status,
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response()
}
