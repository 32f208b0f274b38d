//! How long browsers and CDNs may keep what Porthole answers, so that a
//! cache in front of it absorbs viewers.
//!
//! Public answers say how long they stay current: `max-age` is the refresh
//! of the data behind them, `stale-while-revalidate` lets a cache answer at
//! once while it fetches the next copy, `stale-if-error` lets it answer while
//! Porthole is down. They carry an ETag, and `If-None-Match` gets a 304.
//! Nothing varies on cookies (Porthole reads none); private dashboards are
//! `private, no-store` (the access guard). Errors are never cached here.

use axum::{
    body::{Body, to_bytes},
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use porthole_model::Route;

use crate::{
    http::etag::{BodyTag, client_has},
    http::headers::nonce_of_policy,
    http::state::CurrentSources,
};

/// The largest body given an ETag; larger ones are passed through as they
/// stream (none of Porthole's public answers comes near it).
const MAX_TAGGED_BODY: usize = 16 * 1024 * 1024;

/// `Cache-Control` for a public answer current for `max_age` seconds.
pub fn public(max_age: u64) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "public, max-age={max_age}, stale-while-revalidate=300, stale-if-error=86400"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("no-cache"))
}

/// Pages are as current as the dashboard they show: `Cache-Control` from
/// its refresh, on successful page responses that set none themselves.
pub async fn pages(
    State(sources): State<CurrentSources>,
    request: Request,
    next: Next,
) -> Response {
    let max_age = page_max_age(&sources, request.extensions().get::<Route>());
    let mut response = next.run(request).await;
    if response.status() == StatusCode::OK
        && !response.headers().contains_key(header::CACHE_CONTROL)
    {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, public(max_age));
    }
    response
}

/// Seconds a page on `route` stays current: its dashboard's shortest panel
/// refresh; five seconds for the status page, a minute for the rest.
pub(crate) fn page_max_age(sources: &CurrentSources, route: Option<&Route>) -> u64 {
    match route {
        Some(Route::Status | Route::StatusIncident { .. } | Route::StatusHistory) => 5,
        Some(route) => route.dashboard().map_or(60, |dashboard| {
            sources.panels().dashboard_refresh_seconds(dashboard)
        }),
        None => 60,
    }
}

/// ETags and 304s for public GET answers that have no ETag of their own.
///
/// The tag is of the body with the page's script nonce left out, as the
/// nonce is new on every response: the response's [`BodyTag`] when it
/// carries one, else computed here. A 304 then carries no
/// Content-Security-Policy: the browser keeps the policy it stored with the
/// body, whose nonce matches that body's scripts.
pub async fn conditional(request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let asked = request.headers().clone();
    let response = next.run(request).await;
    // Static files carry Last-Modified and answer If-Modified-Since
    // themselves; hashing a WASM bundle on every request would only cost.
    let validated = [
        header::ETAG,
        header::LAST_MODIFIED,
        header::CONTENT_ENCODING,
    ]
    .iter()
    .any(|name| response.headers().contains_key(name));
    if !is_public_ok(&response) || validated {
        return response;
    }
    let (parts, body) = response.into_parts();
    if let Some(BodyTag(tag)) = parts.extensions.get::<BodyTag>().cloned() {
        return tagged(parts, body, tag, &asked);
    }
    let Ok(bytes) = to_bytes(body, MAX_TAGGED_BODY).await else {
        tracing::warn!("a public answer's body failed or was too large to tag");
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let nonce = parts
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|policy| policy.to_str().ok())
        .and_then(nonce_of_policy)
        .map(str::to_owned);
    match BodyTag::of(&bytes, nonce.as_deref()) {
        Some(BodyTag(tag)) => tagged(parts, Body::from(bytes), tag, &asked),
        None => Response::from_parts(parts, Body::from(bytes)),
    }
}

/// The answer with its ETag `tag`: a 304 when the client holds that body.
fn tagged(
    mut parts: http::response::Parts,
    body: Body,
    tag: HeaderValue,
    asked: &HeaderMap,
) -> Response {
    let held = tag.to_str().is_ok_and(|tag| client_has(asked, tag));
    parts.headers.insert(header::ETAG, tag);
    if held {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_SECURITY_POLICY);
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, body)
}

fn is_public_ok(response: &Response) -> bool {
    response.status() == StatusCode::OK
        && response
            .headers()
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("public"))
}
