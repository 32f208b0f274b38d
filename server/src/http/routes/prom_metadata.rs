//! Prometheus' metadata API, as clients such as Grafana's data source call
//! it to test a connection and fill their query editors:
//! `/api/v1/status/buildinfo`, `/api/v1/labels`,
//! `/api/v1/label/{name}/values` and `/api/v1/series`. Everything listed
//! comes from the series the allowlist's expressions select
//! (`prom::metadata`), cached like queries.

use app::model::{ErrorBody, ErrorKind};
use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, Path},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};
use serde_json::json;

use super::prom::{BODY_LIMIT, PromRequest, answer_with};
use crate::{
    http::{error::ApiError, state::AppState},
    prom::{
        Freshness, Served,
        cache::Answer,
        metadata::{Success, label_names, label_values, selected, series_of},
        params::MetadataQuery,
        series::{Labels, is_label_name},
    },
};

/// The version of Prometheus' HTTP API these endpoints follow, as
/// `buildinfo` reports it: clients pick the calls they make by it.
const PROMETHEUS_API_VERSION: &str = "2.53.0";

/// The metadata routes, relative to `/api`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/status/buildinfo", get(buildinfo))
        .route("/v1/labels", get(labels).post(labels))
        .route("/v1/label/{name}/values", get(values))
        .route("/v1/series", get(series).post(series))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// What Prometheus' own `buildinfo` holds; `features` stays empty, which
/// tells Grafana this is Prometheus (not Mimir, whose ruler API it would
/// then call).
async fn buildinfo() -> Response {
    Json(json!({
        "status": "success",
        "data": {
            "version": PROMETHEUS_API_VERSION,
            "revision": concat!("porthole-", env!("CARGO_PKG_VERSION")),
            "branch": "porthole",
            "buildUser": "",
            "buildDate": "",
            "goVersion": "",
        }
    }))
    .into_response()
}

async fn labels(request: PromRequest) -> Result<Response, ApiError> {
    let query = metadata_query(&request)?;
    listed(request, query, |series, query| {
        Success::json(label_names(series, &query.matchers, query.limit))
    })
    .await
}

async fn values(Path(name): Path<String>, request: PromRequest) -> Result<Response, ApiError> {
    if !is_label_name(&name) {
        return Err(ApiError::BadRequest(format!(
            "invalid label name {name:?}: write it like job or __name__"
        )));
    }
    let query = metadata_query(&request)?;
    listed(request, query, move |series, query| {
        Success::json(label_values(series, &name, &query.matchers, query.limit))
    })
    .await
}

async fn series(request: PromRequest) -> Result<Response, ApiError> {
    let query = metadata_query(&request)?;
    if query.matchers.is_empty() {
        return Err(ApiError::BadRequest(
            "no match[] parameter provided".to_owned(),
        ));
    }
    listed(request, query, |series, query| {
        let chosen: Vec<&Labels> = selected(series, &query.matchers)
            .take(query.limit.unwrap_or(usize::MAX))
            .collect();
        Success::json(chosen)
    })
    .await
}

fn metadata_query(request: &PromRequest) -> Result<MetadataQuery, ApiError> {
    MetadataQuery::from_params(&request.params, request.now).map_err(ApiError::BadRequest)
}

/// Lists the allowed series for `query`'s window and answers with what
/// `answer` makes of them, under the listing's cache headers.
async fn listed(
    request: PromRequest,
    query: MetadataQuery,
    answer: impl FnOnce(&[Labels], &MetadataQuery) -> Vec<u8>,
) -> Result<Response, ApiError> {
    let PromRequest {
        proxy, admin, now, ..
    } = request;
    let Some(planned) = proxy.plan_series(&query, now)? else {
        // The allowlist reads no series: there is nothing to list.
        let nothing = Served {
            answer: std::sync::Arc::new(Answer {
                body: bytes::Bytes::new(),
                fetched_at: now,
                fresh_for: std::time::Duration::from_secs(60),
            }),
            freshness: Freshness::Hit,
        };
        return Ok(answer_with(answer(&[], &query), &nothing, admin));
    };
    let served = proxy.run(&planned).await?;
    let series = series_of(&served.answer.body).map_err(|reason| ApiError::Proxy {
        status: StatusCode::BAD_GATEWAY,
        body: ErrorBody::new(ErrorKind::Unavailable, reason),
    })?;
    Ok(answer_with(answer(&series, &query), &served, admin))
}
