//! `/api/v1/query` and `/api/v1/query_range`: Prometheus' HTTP API, GET and
//! POST, answered through the allowlisted, caching proxy so that existing
//! clients (promtool, Grafana's Prometheus data source) work unchanged.
//!
//! Answers carry `X-Porthole-Cache: hit|miss|stale`; a stale one also
//! `X-Porthole-Stale: <age in seconds>`.

use std::sync::Arc;

use axum::{
    Router,
    body::Body,
    extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};

use crate::{
    http::admin_token::MaybeAdmin,
    http::error::ApiError,
    http::state::AppState,
    prom::{
        Asker, Freshness, PromProxy, Served,
        params::{InstantQuery, Params, RangeQuery},
        time::{Millis, now_millis},
    },
};

/// Longest form body accepted: far more than any real query needs.
pub(super) const BODY_LIMIT: usize = 64 * 1024;

/// The Prometheus-compatible routes, relative to `/api`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/query", get(instant).post(instant))
        .route("/v1/query_range", get(range).post(range))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// A Prometheus API request: the proxy, whether the admin token came with
/// it, and its parameters from the query string and (POST) the form body.
pub(super) struct PromRequest {
    pub(super) proxy: Arc<PromProxy>,
    pub(super) admin: bool,
    pub(super) params: Params,
    pub(super) now: Millis,
}

impl FromRequest<AppState> for PromRequest {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        let proxy = proxy(state)?;
        let (mut parts, body) = request.into_parts();
        let MaybeAdmin(admin) = MaybeAdmin::from_request_parts(&mut parts, state).await?;
        let body = axum::body::to_bytes(body, BODY_LIMIT).await.map_err(|_| {
            ApiError::PayloadTooLarge(format!(
                "the form body is larger than {} KiB",
                BODY_LIMIT / 1024
            ))
        })?;
        let params = read_params(&parts.method, &parts.headers, parts.uri.query(), &body)?;
        Ok(Self {
            proxy,
            admin,
            params,
            now: now_millis(),
        })
    }
}

async fn instant(request: PromRequest) -> Result<Response, ApiError> {
    let PromRequest {
        proxy,
        admin,
        params,
        now,
    } = request;
    let query = InstantQuery::from_params(&params, now).map_err(ApiError::BadRequest)?;
    let expr = proxy.resolve(&query.expr, admin)?;
    let planned = proxy.plan_instant(&query, expr, now, Asker::api_client(admin));
    Ok(answer(proxy.run(&planned).await?, admin))
}

async fn range(request: PromRequest) -> Result<Response, ApiError> {
    let PromRequest {
        proxy,
        admin,
        params,
        now,
    } = request;
    let query = RangeQuery::from_params(&params, now).map_err(ApiError::BadRequest)?;
    let expr = proxy.resolve(&query.expr, admin)?;
    let planned = proxy.plan_range(&query, expr, now, Asker::api_client(admin))?;
    Ok(answer(proxy.run(&planned).await?, admin))
}

pub(super) fn proxy(state: &AppState) -> Result<Arc<PromProxy>, ApiError> {
    state.sources.prom().ok_or_else(|| {
        ApiError::Unavailable(
            "no Prometheus-compatible upstream is configured: set PROMETHEUS_URL or `[prometheus] url` in porthole.toml".to_owned(),
        )
    })
}

/// The query string, and for POST the form body, as one parameter set.
fn read_params(
    method: &Method,
    headers: &HeaderMap,
    query: Option<&str>,
    body: &[u8],
) -> Result<Params, ApiError> {
    let query = query.unwrap_or_default().as_bytes();
    if *method != Method::POST || body.is_empty() {
        return Params::from_encoded([query]).map_err(ApiError::BadRequest);
    }
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(ApiError::BadRequest(
            "POST parameters must be sent as application/x-www-form-urlencoded".to_owned(),
        ));
    }
    Params::from_encoded([query, body]).map_err(ApiError::BadRequest)
}

/// The upstream's JSON as is, with how it was obtained in the headers.
/// An answer to the admin token (any expression) is for that client only:
/// `private, no-store`, and every answer varies on `Authorization`, so no
/// shared cache hands one to a request without the token.
fn answer(served: Served, admin: bool) -> Response {
    let body = served.answer.body.clone();
    answer_with(body, &served, admin)
}

/// `body`, made from `served`, with the headers [`answer`] gives it.
pub(super) fn answer_with(body: impl Into<Body>, served: &Served, admin: bool) -> Response {
    let now = now_millis();
    let mut response = Response::new(body.into());
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(
        "x-porthole-cache",
        HeaderValue::from_static(served.freshness.as_str()),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Authorization"));
    if served.freshness == Freshness::Stale {
        let age = served.answer.age(now).as_secs();
        headers.insert("x-porthole-stale", HeaderValue::from(age));
    }
    if admin {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    } else if served.freshness == Freshness::Stale {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else {
        let max_age = served.answer.fresh_left(now).as_secs();
        headers.insert(
            header::CACHE_CONTROL,
            crate::http::cache_headers::public(max_age),
        );
    }
    response.into_response()
}
