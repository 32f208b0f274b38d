//! Security headers on every response: a Content-Security-Policy that fits
//! a WASM app, `X-Content-Type-Options`, `Referrer-Policy` and
//! `Permissions-Policy`.
//!
//! Scripts run only from this origin, plus the inline scripts Leptos writes
//! into each page (hydration, resources), which carry a fresh per-request
//! nonce: the middleware makes it, the page render uses it
//! ([`ScriptNonce`]). WASM needs `'wasm-unsafe-eval'`; styles allow inline
//! `style` attributes, which the charts' legend swatches use.
//!
//! Who may frame pages: embeds (`/embed/...`) by the origins of
//! `[embed] allowed_origins` (any origin for a public dashboard when none
//! are listed; only those listed for a private one), every other route by
//! nobody (`frame-ancestors`).

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};
use base64::Engine;
use porthole_model::Route;

use crate::http::state::FramePolicy;

/// This request's script nonce, for the page render to put on its inline
/// scripts.
#[derive(Debug, Clone)]
pub struct ScriptNonce(pub Arc<str>);

/// Features no page of Porthole uses, denied to it and to anything it frames.
const PERMISSIONS: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

fn ancestors(state: &FramePolicy, route: Option<&Route>) -> String {
    let Some(Route::Embed { dashboard, .. }) = route else {
        return "'none'".to_owned();
    };
    let dashboard = dashboard.as_str();
    let origins = state.embed_origins.as_slice();
    if origins.is_empty() {
        if state.sources.panels().is_public(dashboard) {
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

/// The whole policy for a response.
fn content_security_policy(nonce: &str, frame_ancestors: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'nonce-{nonce}'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         font-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors {frame_ancestors}"
    )
}

/// The nonce a policy made by this module names, if any.
pub fn nonce_of_policy(policy: &str) -> Option<&str> {
    let rest = policy.split_once("'nonce-")?.1;
    rest.split_once('\'').map(|(nonce, _)| nonce)
}

/// A fresh nonce: 128 random bits. Without randomness from the system the
/// nonce is empty and inline scripts do not run (pages still read, without
/// JavaScript), which beats a guessable one.
fn new_nonce() -> String {
    match crate::random::bits_128() {
        Ok(bits) => base64::engine::general_purpose::STANDARD.encode(bits),
        Err(error) => {
            tracing::error!(%error, "no randomness for a script nonce");
            String::new()
        }
    }
}

/// Adds the security headers to every response.
pub async fn security_headers(
    State(state): State<FramePolicy>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = new_nonce();
    request
        .extensions_mut()
        .insert(ScriptNonce(Arc::from(nonce.as_str())));
    let mut response = next.run(request).await;
    let policy = content_security_policy(
        &nonce,
        &ancestors(&state, response.extensions().get::<Route>()),
    );
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Private dashboards already chose `no-referrer`.
    if !headers.contains_key(header::REFERRER_POLICY) {
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        );
    }
    headers.insert("permissions-policy", HeaderValue::from_static(PERMISSIONS));
    response
}
