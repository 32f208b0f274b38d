//! Everything HTTP: the router and its layers, the access guard, errors and
//! extractors, the admin token, caching headers and the page cache,
//! security headers, rate limits, request metrics, the shared state and
//! the routes. The domain modules (`kpi`, `probe`, `prom`, `panels`,
//! `live`, `db`, `panel_image`, `views`) never import this module.

pub mod admin_token;
pub mod cache_headers;
pub mod error;
pub mod etag;
pub mod extract;
pub mod headers;
pub mod limits;
pub mod page_cache;
pub mod page_language;
pub mod private_links;
pub mod public_url;
pub mod request_metrics;
pub mod routes;
pub mod state;

use axum::{
    Router,
    http::{Request, StatusCode},
    middleware,
};
use tower_http::{
    compression::CompressionLayer,
    timeout::{RequestBodyTimeoutLayer, TimeoutLayer},
    trace::TraceLayer,
};

use axum::extract::FromRef;

use self::state::AppState;

/// The longest a request may take to be answered (pages wait for their
/// data, which has its own, shorter upstream timeout).
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The longest a client may pause while sending a request body.
const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The whole HTTP application. Tests drive it without a socket.
///
/// Live event streams (`/api/live/...`) are served beside the rest rather
/// than under the compression layer: its body type holds a Brotli
/// encoder's state inline, about 6 KB boxed per response, and an event
/// stream (never compressed) keeps its response for as long as a viewer
/// follows the dashboard: 60 MB for 10,000 viewers.
pub fn router(state: AppState) -> Router {
    let limited = |rate| middleware::from_fn_with_state(state.limiter(rate), limits::limit);
    // One budget for every API route, event streams included.
    let api_limit = limited(state.limits.api);
    let api = |routes: Router<AppState>| {
        routes
            .layer(api_limit.clone())
            .layer(cross_origin_reads(&state.embed_origins))
    };
    let everything_else = Router::new()
        .merge(routes::pages::router(&state))
        .merge(routes::health::router())
        .merge(routes::brand::router(&state.brand))
        .merge(routes::metrics::router())
        .merge(routes::status::badge_router())
        .merge(routes::feeds::router())
        .merge(routes::render::router().layer(limited(state.limits.render)))
        .nest(
            "/api",
            api(routes::api::router().merge(routes::snapshots::router(&state))),
        )
        .merge(routes::assets::router(&state));
    let compressed = served(everything_else, &state).layer(CompressionLayer::new());
    let streams = served(
        Router::new().nest("/api", api(routes::api::live_router())),
        &state,
    );
    streams
        .fallback_service(compressed.with_state(state.clone()))
        // Spans name the path only: query strings may hold signed-link
        // tokens, which must never reach a log.
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            tracing::debug_span!("request", method = %request.method(), path = %request.uri().path())
        }))
        .with_state(state)
}

/// The layers every answer passes through, innermost first: the access
/// guard, timeouts, security and caching headers, request metrics and the
/// log of internal errors.
fn served(routes: Router<AppState>, state: &AppState) -> Router<AppState> {
    routes
        .layer(middleware::from_fn_with_state(
            state::LinkGuard::from_ref(state),
            private_links::guard,
        ))
        // A client that sends its body slowly, or a request that cannot be
        // answered in time, ends with 408 instead of holding a connection.
        .layer(RequestBodyTimeoutLayer::new(BODY_TIMEOUT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn_with_state(
            state::FramePolicy::from_ref(state),
            headers::security_headers,
        ))
        // Outside the security headers, to leave the nonce out of ETags;
        // inside compression, to tag what the handlers wrote.
        .layer(middleware::from_fn(cache_headers::conditional))
        .layer(middleware::from_fn_with_state(
            state.metrics.clone(),
            request_metrics::track_requests,
        ))
        // Internal errors are logged here, once, with what was asked.
        .layer(middleware::from_fn(error::log_internal))
}

/// CORS for the JSON APIs, so script widgets on the pages of
/// `[embed] allowed_origins` (any origin when none are listed) can read
/// panel data. Reads only: nothing else is allowed across origins.
fn cross_origin_reads(origins: &[String]) -> tower_http::cors::CorsLayer {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    let allowed = if origins.is_empty() {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|origin| http::HeaderValue::from_str(origin).ok()),
        )
    };
    CorsLayer::new()
        .allow_origin(allowed)
        .allow_methods([http::Method::GET])
}
