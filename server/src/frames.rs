//! Who may frame Porthole's pages: embeds (`/embed/...`) by the origins of
//! `[embed] allowed_origins` (any origin for a public dashboard when none
//! are listed; only those listed for a private one), every other route by
//! nobody. Sent as CSP `frame-ancestors`, which browsers enforce on the
//! framed response.

use axum::{
    extract::{Request, State},
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};

use crate::state::AppState;

/// The `frame-ancestors` sources for `path`.
fn ancestors(state: &AppState, path: &str) -> String {
    let Some(rest) = path.strip_prefix("/embed/") else {
        return "'none'".to_owned();
    };
    let dashboard = rest.split('/').next().unwrap_or_default();
    let origins = state.embed_origins.as_slice();
    if origins.is_empty() {
        if state.panels().is_public(dashboard) {
            "*".to_owned()
        } else {
            "'self'".to_owned()
        }
    } else {
        std::iter::once("'self'")
            .chain(origins.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Adds `Content-Security-Policy: frame-ancestors ...` to every response
/// that does not set its own policy.
pub async fn frame_policy(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let policy = format!(
        "frame-ancestors {}",
        ancestors(&state, request.uri().path())
    );
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY)
        && let Ok(value) = HeaderValue::from_str(&policy)
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
