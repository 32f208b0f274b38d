//! Per-client rate limits (governor's keyed limiters), keyed by the
//! client's IP: the peer's address, or, when the peer is a trusted proxy,
//! the address that proxy appended to `X-Forwarded-For`. Headers from
//! anyone else are ignored, so a client cannot spread its requests over
//! made-up addresses. Requests with the admin token pass.
//!
//! A refused request gets a JSON `ApiError` (429) with `Retry-After`.

use std::{
    net::{IpAddr, SocketAddr},
    num::NonZeroU32,
    sync::Arc,
    time::Duration,
};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderValue, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use governor::{
    Quota, RateLimiter,
    clock::{Clock, DefaultClock},
    state::keyed::DefaultKeyedStateStore,
};

pub use crate::config::Rate;
use crate::{http::admin_token::AdminToken, http::error::ApiError};

/// Finds the client of a request (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct ClientIp {
    /// Proxies whose `X-Forwarded-For` is believed.
    trusted: Arc<Vec<IpAddr>>,
}

impl ClientIp {
    /// Believes `X-Forwarded-For` from these proxies only.
    pub fn new(trusted: Vec<IpAddr>) -> Self {
        Self {
            trusted: Arc::new(trusted),
        }
    }

    /// The client of a request from `peer` with these forwarded addresses:
    /// walking back from the nearest hop, the first one that is not a
    /// trusted proxy.
    pub fn client(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        let mut client = peer;
        let hops = forwarded_for.unwrap_or_default().rsplit(',');
        for hop in hops {
            if !self.trusted.contains(&client) {
                break;
            }
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) => client = ip,
                Err(_) => break,
            }
        }
        client
    }

    /// The client of `request`; `None` without a socket (the router driven
    /// in-process by tests), which is not limited.
    fn of(&self, request: &Request) -> Option<IpAddr> {
        self.of_parts(request.extensions(), request.headers())
    }

    /// The client of a request with these extensions (its socket) and
    /// headers; `None` without a socket.
    pub fn of_parts(
        &self,
        extensions: &http::Extensions,
        headers: &http::HeaderMap,
    ) -> Option<IpAddr> {
        let peer = extensions.get::<ConnectInfo<SocketAddr>>()?.0.ip();
        let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
        Some(self.client(peer, forwarded))
    }
}

/// One rate limit, shared by the routes it is layered on.
#[derive(Clone)]
pub struct Limiter {
    limiter: Arc<RateLimiter<IpAddr, DefaultKeyedStateStore<IpAddr>, DefaultClock>>,
    clients: ClientIp,
    admin: AdminToken,
}

impl Limiter {
    /// Holds each client to `rate`. Its memory of clients is pruned every
    /// minute while it is in use.
    pub fn new(rate: Rate, clients: ClientIp, admin: AdminToken) -> Self {
        let burst = NonZeroU32::new(rate.burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(rate.every.max(Duration::from_micros(1))).map_or_else(
            || Quota::per_second(burst),
            |quota| quota.allow_burst(burst),
        );
        let limiter = Arc::new(RateLimiter::keyed(quota));
        let weak = Arc::downgrade(&limiter);
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let mut ticks = tokio::time::interval(Duration::from_secs(60));
                loop {
                    ticks.tick().await;
                    let Some(limiter) = weak.upgrade() else { break };
                    limiter.retain_recent();
                }
            });
        }
        Self {
            limiter,
            clients,
            admin,
        }
    }
}

/// What a client is limited as: its IPv4 address, or the /64 network of
/// its IPv6 address (one subscriber's allocation, whose 2^64 addresses
/// would otherwise each get a limit of their own).
pub fn limit_key(client: IpAddr) -> IpAddr {
    match client {
        IpAddr::V4(_) => client,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from_bits(
                v6.to_bits() & !u128::from(u64::MAX),
            )),
        },
    }
}

/// Middleware: passes requests within their client's rate, refuses the rest.
pub async fn limit(State(limiter): State<Limiter>, request: Request, next: Next) -> Response {
    let Some(client) = limiter.clients.of(&request).map(limit_key) else {
        return next.run(request).await;
    };
    if limiter.admin.admits(request.headers()) {
        return next.run(request).await;
    }
    match limiter.limiter.check_key(&client) {
        Ok(()) => next.run(request).await,
        Err(not_until) => {
            let wait = not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1);
            let mut response = ApiError::TooManyRequests(format!(
                "too many requests from your address: try again in {wait} s"
            ))
            .into_response();
            if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an IP")
    }

    #[test]
    fn ipv6_clients_are_limited_per_64_and_mapped_ipv4_as_ipv4() {
        assert_eq!(
            limit_key(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")),
            ip("2001:db8:1:2::")
        );
        assert_eq!(
            limit_key(ip("2001:db8:1:2::1")),
            limit_key(ip("2001:db8:1:2:ffff::9"))
        );
        assert_ne!(
            limit_key(ip("2001:db8:1:2::1")),
            limit_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(limit_key(ip("::ffff:198.51.100.7")), ip("198.51.100.7"));
        assert_eq!(limit_key(ip("198.51.100.7")), ip("198.51.100.7"));
    }

    #[test]
    fn forwarded_for_is_believed_from_trusted_proxies_only() {
        let clients = ClientIp::new(vec![ip("10.0.0.1"), ip("10.0.0.2")]);
        // No proxy: the peer, whatever it claims.
        assert_eq!(
            clients.client(ip("203.0.113.9"), Some("1.2.3.4")),
            ip("203.0.113.9")
        );
        // One trusted proxy: the address it saw.
        assert_eq!(
            clients.client(ip("10.0.0.1"), Some("198.51.100.7")),
            ip("198.51.100.7")
        );
        // Two trusted hops; the client's own claim before them is ignored.
        assert_eq!(
            clients.client(ip("10.0.0.1"), Some("1.2.3.4, 198.51.100.7, 10.0.0.2")),
            ip("198.51.100.7")
        );
        // Garbage stops the walk at the last address known.
        assert_eq!(
            clients.client(ip("10.0.0.1"), Some("nonsense")),
            ip("10.0.0.1")
        );
        assert_eq!(clients.client(ip("10.0.0.1"), None), ip("10.0.0.1"));
    }
}
