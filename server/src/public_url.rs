//! Where visitors reach Porthole, for the absolute URLs it writes (link
//! previews, the Share dialog, snapshot links).
//!
//! `[server] public_url` says it. Without it, only a trusted proxy
//! (`[limits] trusted_proxies`) is believed about the `Host` and scheme it
//! was reached by; anyone else's headers are ignored and pages use
//! relative links. A page is cached and shown to every viewer, so a
//! stranger's `Host` must never end up in it.

use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{Extensions, HeaderMap, request::Parts},
};

use crate::state::AppState;

/// The public URL (`scheme://host[:port]`) for a request's `parts`, if
/// known.
pub fn of_request(state: &AppState, parts: &Parts) -> Option<String> {
    of(state, &parts.extensions, &parts.headers)
}

/// The public URL for a request with these extensions (its peer) and
/// headers, if known.
pub fn of(state: &AppState, extensions: &Extensions, headers: &HeaderMap) -> Option<String> {
    if let Some(url) = &state.public_url {
        return Some(url.to_string());
    }
    let peer = extensions.get::<ConnectInfo<SocketAddr>>()?.0.ip();
    if !state.limits.trusted_proxies.contains(&peer) {
        return None;
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
    };
    let host = header("x-forwarded-host")
        .or_else(|| header("host"))
        .filter(|host| is_host(host))?;
    let scheme = match header("x-forwarded-proto") {
        Some("https") => "https",
        _ => "http",
    };
    Some(format!("{scheme}://{host}"))
}

/// Whether `text` is a plain `host[:port]` (a name, IPv4 or bracketed IPv6).
fn is_host(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 255
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

/// Extractor: the public URL of this request, if known.
#[derive(Debug, Clone)]
pub struct PublicUrl(pub Option<String>);

impl FromRequestParts<AppState> for PublicUrl {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(of_request(state, parts)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_names_and_addresses_only() {
        for host in ["status.example.com", "127.0.0.1:3000", "[::1]:8080"] {
            assert!(is_host(host), "{host}");
        }
        for host in ["", "evil.com/path", "a b", "x\"onload=", "evil.com@x"] {
            assert!(!is_host(host), "{host}");
        }
    }
}
