//! `POST /api/v1/heartbeat/{service}`: a service that no check can reach (a
//! cron job, a worker) reports in, with its own token (`[[service]]
//! heartbeat = { token_env = "…" }`) as its bearer credentials. Tokens are
//! compared in constant time and never logged.

use axum::{
    Json, Router,
    extract::State,
    http::HeaderMap,
    response::{IntoResponse, Response},
    routing::post,
};
use chrono::{SecondsFormat, Utc};
use serde_json::json;
use subtle::ConstantTimeEq;

use crate::http::{
    admin_token::bearer_in,
    error::ApiError,
    extract::ApiPath,
    state::{AppState, StatusApi},
};

/// The heartbeat route, relative to `/api`.
pub fn router() -> Router<AppState> {
    Router::new().route("/v1/heartbeat/{service}", post(heartbeat))
}

async fn heartbeat(
    State(state): State<StatusApi>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let services = state.sources.services();
    let check = services
        .iter()
        .find(|service| service.id == id)
        .and_then(|service| service.heartbeat.as_ref())
        .ok_or_else(|| {
            ApiError::NotFound("no service that sends heartbeats has this id".to_owned())
        })?;
    let presented = bearer_in(&headers).ok_or_else(|| {
        ApiError::Unauthorized(
            "send the service's heartbeat token: `Authorization: Bearer <token>`".to_owned(),
        )
    })?;
    if !bool::from(presented.as_bytes().ct_eq(check.token.as_bytes())) {
        return Err(ApiError::Forbidden(
            "the heartbeat token is not this service's".to_owned(),
        ));
    }
    let now = Utc::now();
    state
        .status
        .heartbeats()
        .record(&id, now.naive_utc())
        .await?;
    Ok(Json(json!({
        "service": id,
        "received_at": now.to_rfc3339_opts(SecondsFormat::Millis, true),
    }))
    .into_response())
}
