//! Where visitors reach Porthole, for the absolute URLs it writes (link
//! previews, the Share dialog, snapshot links).
//!
//! `[server] public_url` says it. Without it, only a trusted proxy
//! (`[limits] trusted_proxies`) is believed about the `Host` and scheme it
//! was reached by; anyone else's headers are ignored and pages use
//! relative links. A page is cached and shown to every viewer, so a
//! stranger's `Host` must never end up in it.

use std::{
    net::{IpAddr, SocketAddr},
    sync::Arc,
};

use axum::{
    extract::{ConnectInfo, FromRef, FromRequestParts},
    http::{Extensions, HeaderMap, request::Parts},
};

/// What decides a request's public URL: the configured one, else the
/// proxies whose word is taken.
#[derive(Debug, Clone, Default)]
pub struct SiteAddress {
    configured: Option<Arc<str>>,
    trusted_proxies: Arc<Vec<IpAddr>>,
}

impl SiteAddress {
    /// `[server] public_url` (if set) and `[limits] trusted_proxies`.
    pub fn new(configured: Option<&str>, trusted_proxies: &[IpAddr]) -> Self {
        Self {
            configured: configured.map(Arc::from),
            trusted_proxies: Arc::new(trusted_proxies.to_vec()),
        }
    }

    /// The public URL (`scheme://host[:port]`) for a request's `parts`, if
    /// known.
    pub fn of_request(&self, parts: &Parts) -> Option<String> {
        self.of(&parts.extensions, &parts.headers)
    }

    /// The public URL for a request with these extensions (its peer) and
    /// headers, if known.
    pub fn of(&self, extensions: &Extensions, headers: &HeaderMap) -> Option<String> {
        if let Some(url) = &self.configured {
            return Some(url.to_string());
        }
        let peer = extensions.get::<ConnectInfo<SocketAddr>>()?.0.ip();
        if !self.trusted_proxies.contains(&peer) {
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

impl<S> FromRequestParts<S> for PublicUrl
where
    S: Send + Sync,
    SiteAddress: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(SiteAddress::from_ref(state).of_request(parts)))
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

    #[test]
    fn only_a_trusted_proxy_is_believed_and_configuration_wins() {
        let request = |peer: &str| {
            let mut extensions = Extensions::new();
            extensions.insert(ConnectInfo(SocketAddr::new(
                peer.parse().expect("ip"),
                40_000,
            )));
            let mut headers = HeaderMap::new();
            headers.insert("host", "viewer.example".parse().expect("value"));
            headers.insert("x-forwarded-proto", "https".parse().expect("value"));
            (extensions, headers)
        };
        let proxy: IpAddr = "10.0.0.1".parse().expect("ip");
        let site = SiteAddress::new(None, &[proxy]);
        let (extensions, headers) = request("10.0.0.1");
        assert_eq!(
            site.of(&extensions, &headers).as_deref(),
            Some("https://viewer.example")
        );
        let (extensions, headers) = request("203.0.113.9");
        assert_eq!(site.of(&extensions, &headers), None, "a stranger's Host");
        let configured = SiteAddress::new(Some("https://status.example.com"), &[proxy]);
        let (extensions, headers) = request("10.0.0.1");
        assert_eq!(
            configured.of(&extensions, &headers).as_deref(),
            Some("https://status.example.com")
        );
    }
}
