//! One check of one service: an HTTP GET of its health URL, a TCP
//! connection (with a line sent and an answer expected, if configured), a
//! TLS handshake judging its certificate, a DNS lookup, its heartbeats
//! and/or a Prometheus `up` query, turned into a result with a reason
//! people can act on ("connection refused", "status 503, expected 200",
//! "certificate expired on …").

use std::{
    error::Error as _,
    net::{IpAddr, SocketAddr},
    str::FromStr,
    sync::Arc,
    time::Duration,
};

use app::model::LocationStatus;
use chrono::{NaiveDateTime, Utc};
use tokio::time::Instant;

use crate::{
    config::{HttpCheck, ServiceConfig, TcpCheck},
    prom::{PromClient, result},
};

use super::{
    dns,
    tls::{CertificateVerdict, TlsProbe},
};

/// How much of a body is searched for `expect_body`: health answers are small,
/// and a service streaming a large body must not stall the prober.
const BODY_LIMIT: usize = 64 * 1024;

/// How much of a TCP answer is searched for `tcp_expect`.
const TCP_ANSWER_LIMIT: usize = 4 * 1024;

/// What one check found.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    /// The service's id.
    pub service: String,
    /// When the check started (UTC).
    pub at: NaiveDateTime,
    /// Whether the service was healthy: as judged by a quorum of
    /// locations when the service has one, else as this check found.
    pub ok: bool,
    /// Whether this Porthole's own check found it healthy: what its
    /// `porthole_probe_up` exports for other Portholes' quorums.
    pub ok_here: bool,
    /// Time to the answer, when there was one in time.
    pub latency_ms: Option<f64>,
    /// The HTTP status, when the service answered.
    pub http_status: Option<u16>,
    /// Why it failed, when it did.
    pub error: Option<String>,
    /// When the service's TLS certificate expires, when it has a TLS check
    /// and the certificate could be read.
    pub cert_expires_at: Option<NaiveDateTime>,
    /// What each location's latest check found, when the service is
    /// judged by a quorum of locations.
    pub locations: Vec<LocationStatus>,
}

/// Runs checks; cheap to clone.
#[derive(Clone)]
pub struct Checker {
    http: reqwest::Client,
    prom: Option<PromClient>,
    /// Looks names up for TCP checks as for HTTP ones; the system's
    /// resolver when `None`.
    resolver: Option<Arc<dyn reqwest::dns::Resolve>>,
    /// Heartbeats received, for services that send them.
    heartbeats: Option<super::Heartbeats>,
    /// Handshakes for TLS checks.
    tls: TlsProbe,
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker").finish_non_exhaustive()
    }
}

impl Checker {
    /// A checker using the system's resolver (or `resolver`, which tests use
    /// to keep name lookups on the machine), trusting the public certificate
    /// authorities and `extra_roots` (an operator's own), and, for `up`
    /// checks, `prom`.
    pub fn new(
        prom: Option<PromClient>,
        resolver: Option<Arc<dyn reqwest::dns::Resolve>>,
        extra_roots: &[rustls_pki_types::CertificateDer<'static>],
    ) -> Result<Self, CheckerError> {
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("porthole-probe/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::limited(5))
            // Each check is its own fresh look at the service.
            .pool_max_idle_per_host(0);
        if let Some(resolver) = &resolver {
            builder = builder.dns_resolver(Arc::new(Delegate(resolver.clone())));
        }
        for root in extra_roots {
            builder = builder.add_root_certificate(reqwest::Certificate::from_der(root)?);
        }
        Ok(Self {
            http: builder.build()?,
            prom,
            resolver,
            heartbeats: None,
            tls: TlsProbe::new(extra_roots)?,
        })
    }

    /// This checker, judging heartbeat services by `heartbeats`.
    pub fn with_heartbeats(mut self, heartbeats: super::Heartbeats) -> Self {
        self.heartbeats = Some(heartbeats);
        self
    }

    /// Checks `service` once, from here and, when it has a quorum, as the
    /// locations see it; never fails, a failure is a result.
    pub async fn check(&self, service: &ServiceConfig) -> CheckResult {
        let here = self.check_here(service).await;
        match (service.quorum, &self.prom) {
            (Some(quorum), Some(prom)) => {
                let seen = within(service.timeout, super::quorum::seen(prom, &service.id)).await;
                judged_by_quorum(here, quorum, seen)
            }
            _ => here,
        }
    }

    /// Checks `service` once from here. Its latency is the HTTP answer's
    /// time, else the TCP connection's, else the TLS handshake's.
    async fn check_here(&self, service: &ServiceConfig) -> CheckResult {
        let at = Utc::now().naive_utc();
        let mut result = CheckResult {
            service: service.id.clone(),
            at,
            ok: true,
            ok_here: true,
            locations: Vec::new(),
            latency_ms: None,
            http_status: None,
            error: None,
            cert_expires_at: None,
        };
        if let Some(tls) = &service.tls {
            let started = Instant::now();
            let verdict = within(service.timeout, self.certificate(&tls.host, tls.port)).await;
            match verdict {
                Ok(verdict) => {
                    result.cert_expires_at = verdict.expires_at;
                    if let Some(problem) = verdict.problem {
                        return result.failed(problem);
                    }
                    result.latency_ms = Some(elapsed_ms(started));
                }
                Err(reason) => return result.failed(reason),
            }
        }
        if let Some(http) = &service.http {
            let started = Instant::now();
            let outcome = tokio::time::timeout(service.timeout, self.get(http, service.timeout))
                .await
                .unwrap_or_else(|_| Err((None, timed_out(service.timeout))));
            match outcome {
                Ok(status) => {
                    result.http_status = Some(status);
                    result.latency_ms = Some(elapsed_ms(started));
                }
                Err((status, reason)) => {
                    result.http_status = status;
                    if status.is_some() {
                        result.latency_ms = Some(elapsed_ms(started));
                    }
                    return result.failed(reason);
                }
            }
        }
        if let Some(tcp) = &service.tcp {
            let started = Instant::now();
            let outcome = within(service.timeout, self.tcp(tcp)).await;
            if let Err(reason) = outcome {
                return result.failed(reason);
            }
            if service.http.is_none() {
                result.latency_ms = Some(elapsed_ms(started));
            }
        }
        if let Some(lookup) = &service.dns {
            let outcome = within(service.timeout, dns::check(lookup, service.timeout)).await;
            if let Err(reason) = outcome {
                return result.failed(reason);
            }
        }
        if let Some(heartbeat) = &service.heartbeat {
            let allowed = service.interval + heartbeat.grace;
            let judged = match &self.heartbeats {
                Some(heartbeats) => heartbeats.judge(&service.id, at, allowed),
                None => Err("heartbeats are not recorded here".to_owned()),
            };
            if let Err(reason) = judged {
                return result.failed(reason);
            }
        }
        // An `up` selector says whether the service is up, not how fast it
        // answers: the time its query took is not the service's latency.
        if let Some(selector) = &service.up {
            let outcome = match &self.prom {
                Some(prom) => within(service.timeout, up(prom, selector)).await,
                None => Err("no Prometheus is configured for `up`".to_owned()),
            };
            if let Err(reason) = outcome {
                return result.failed(reason);
            }
        }
        result
    }

    /// GETs the health URL; `Ok(status)` when healthy, else the status (if
    /// any) and the reason.
    async fn get(
        &self,
        check: &HttpCheck,
        timeout: Duration,
    ) -> Result<u16, (Option<u16>, String)> {
        let mut response = self
            .http
            .get(check.url.clone())
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| (None, request_failure(&e, timeout)))?;
        let status = response.status().as_u16();
        let status_ok = match check.expect_status {
            Some(expected) => status == expected,
            None => response.status().is_success(),
        };
        if !status_ok {
            let expected = check
                .expect_status
                .map_or_else(|| "a 2xx".to_owned(), |s| s.to_string());
            return Err((
                Some(status),
                format!("status {status}, expected {expected}"),
            ));
        }
        if let Some(needle) = &check.expect_body {
            let mut body = Vec::new();
            while body.len() < BODY_LIMIT {
                match response.chunk().await {
                    Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                    Ok(None) => break,
                    Err(e) => return Err((Some(status), request_failure(&e, timeout))),
                }
            }
            if !String::from_utf8_lossy(&body).contains(needle.as_str()) {
                return Err((Some(status), format!("body does not contain {needle:?}")));
            }
        }
        Ok(status)
    }
}

impl Checker {
    /// Connects to `check`'s address (each address its host resolves to,
    /// until one answers), sends its line and reads the first line of the
    /// answer for what is expected.
    async fn tcp(&self, check: &TcpCheck) -> Result<(), String> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = self.connect(&check.host, check.port).await?;
        if let Some(line) = &check.send {
            stream
                .write_all(format!("{line}\r\n").as_bytes())
                .await
                .map_err(|e| format!("cannot send: {e}"))?;
        }
        let Some(expected) = &check.expect else {
            return Ok(());
        };
        let mut answer = Vec::new();
        let mut chunk = [0_u8; 1024];
        while answer.len() < TCP_ANSWER_LIMIT {
            let read = stream
                .read(&mut chunk)
                .await
                .map_err(|e| format!("cannot read the answer: {e}"))?;
            if read == 0 {
                break;
            }
            answer.extend_from_slice(&chunk[..read]);
            if String::from_utf8_lossy(&answer).contains(expected.as_str()) {
                return Ok(());
            }
            // The first line is the answer; a service that keeps the
            // connection open after it is not waited for.
            if answer.contains(&b'\n') {
                break;
            }
        }
        Err(format!("answer does not contain {expected:?}"))
    }

    /// A TLS handshake with `host:port`, judging the certificate.
    async fn certificate(&self, host: &str, port: u16) -> Result<CertificateVerdict, String> {
        let stream = self.connect(host, port).await?;
        Ok(self.tls.judge(stream, host).await)
    }

    /// A connection to the first of `host`'s addresses that accepts one.
    async fn connect(&self, host: &str, port: u16) -> Result<tokio::net::TcpStream, String> {
        let mut last_error = format!("cannot resolve {host}");
        for address in self.addresses(host, port).await? {
            match tokio::net::TcpStream::connect(address).await {
                Ok(stream) => return Ok(stream),
                Err(error) => last_error = connect_failure(&error),
            }
        }
        Err(last_error)
    }

    /// The addresses of `host`, on `port`.
    async fn addresses(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
        if let Ok(ip) = host.parse::<IpAddr>() {
            return Ok(vec![SocketAddr::new(ip, port)]);
        }
        let unresolved = || format!("cannot resolve {host}");
        let found: Vec<SocketAddr> = match &self.resolver {
            Some(resolver) => {
                let name = reqwest::dns::Name::from_str(host).map_err(|_| unresolved())?;
                resolver
                    .resolve(name)
                    .await
                    .map_err(|_| unresolved())?
                    .map(|address| SocketAddr::new(address.ip(), port))
                    .collect()
            }
            None => tokio::net::lookup_host((host, port))
                .await
                .map_err(|_| unresolved())?
                .collect(),
        };
        if found.is_empty() {
            return Err(unresolved());
        }
        Ok(found)
    }
}

/// Why a connection failed, in the words an HTTP check uses.
fn connect_failure(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
        _ => format!("cannot connect: {error}"),
    }
}

/// reqwest takes a sized resolver; this one passes lookups on.
struct Delegate(Arc<dyn reqwest::dns::Resolve>);

impl reqwest::dns::Resolve for Delegate {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        self.0.resolve(name)
    }
}

impl CheckResult {
    fn failed(mut self, reason: String) -> Self {
        self.ok = false;
        self.ok_here = false;
        self.error = Some(reason);
        self
    }
}

/// `here` (this Porthole's own check) judged by `quorum` of the locations
/// `seen`. When they cannot be read, or none reports yet, this check
/// decides alone, and a warning says why.
fn judged_by_quorum(
    here: CheckResult,
    quorum: u32,
    seen: Result<Vec<LocationStatus>, String>,
) -> CheckResult {
    match seen {
        Ok(locations) if !locations.is_empty() => {
            let down = super::quorum::down_by_quorum(quorum, &locations);
            CheckResult {
                ok: down.is_none(),
                error: down,
                locations,
                ..here
            }
        }
        Ok(_) => here,
        Err(reason) => {
            tracing::warn!(service = %here.service, %reason, "judging by this location alone");
            here
        }
    }
}

/// Up when every series `selector` matches is 1.
async fn up(prom: &PromClient, selector: &str) -> Result<(), String> {
    let body = prom
        .post_form("/api/v1/query", &[("query", selector)])
        .await
        .map_err(|e| format!("cannot read {selector}: {e}"))?;
    let samples = result::vector(&body).map_err(|e| format!("cannot read {selector}: {e}"))?;
    if samples.is_empty() {
        return Err(format!("no series match {selector}"));
    }
    let down = samples.iter().filter(|(_, v)| *v != Some(1.0)).count();
    if down > 0 {
        return Err(format!("{down} of {} targets down", samples.len()));
    }
    Ok(())
}

/// Why a checker cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum CheckerError {
    /// The HTTP client refused its settings or a trusted certificate.
    #[error("cannot build the HTTP client: {0}")]
    Http(#[from] reqwest::Error),
    /// TLS refused its settings or a trusted certificate.
    #[error("cannot set up TLS: {0}")]
    Tls(#[from] rustls::Error),
}

/// `outcome`, or the reason a check gives once `timeout` passes.
pub(super) async fn within<T>(
    timeout: Duration,
    outcome: impl Future<Output = Result<T, String>>,
) -> Result<T, String> {
    tokio::time::timeout(timeout, outcome)
        .await
        .unwrap_or_else(|_| Err(timed_out(timeout)))
}

fn elapsed_ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

fn timed_out(timeout: Duration) -> String {
    format!("no answer within {}s", timeout.as_secs_f64())
}

/// A reason for a failed request, from the innermost cause that explains it.
fn request_failure(error: &reqwest::Error, timeout: Duration) -> String {
    if error.is_timeout() {
        return timed_out(timeout);
    }
    let mut source = error.source();
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return "connection refused".to_owned(),
                std::io::ErrorKind::ConnectionReset => return "connection reset".to_owned(),
                std::io::ErrorKind::TimedOut => return timed_out(timeout),
                _ => {}
            }
        }
        // hyper-util names failed lookups "dns error".
        if cause.to_string().starts_with("dns error") {
            let host = error.url().and_then(|u| u.host_str()).unwrap_or("the host");
            return format!("cannot resolve {host}");
        }
        source = cause.source();
    }
    let mut innermost: &dyn std::error::Error = error;
    while let Some(cause) = innermost.source() {
        innermost = cause;
    }
    if error.is_connect() {
        format!("cannot connect: {innermost}")
    } else {
        format!("request failed: {innermost}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn here(ok: bool) -> CheckResult {
        CheckResult {
            service: "api".to_owned(),
            at: chrono::DateTime::UNIX_EPOCH.naive_utc(),
            ok,
            ok_here: ok,
            latency_ms: Some(12.0),
            http_status: ok.then_some(200),
            error: (!ok).then(|| "connection refused".to_owned()),
            cert_expires_at: None,
            locations: Vec::new(),
        }
    }

    fn location(name: &str, up: bool) -> LocationStatus {
        LocationStatus {
            name: name.to_owned(),
            up,
            latency_ms: up.then_some(20.0),
        }
    }

    #[test]
    fn a_quorum_decides_and_what_this_location_saw_is_kept() {
        let up = judged_by_quorum(
            here(false),
            2,
            Ok(vec![location("ams", false), location("fra", true)]),
        );
        assert!(up.ok && !up.ok_here, "{up:?}");
        assert_eq!(up.error, None);
        assert_eq!(up.locations.len(), 2);
        let down = judged_by_quorum(
            here(true),
            2,
            Ok(vec![location("ams", false), location("fra", false)]),
        );
        assert!(!down.ok && down.ok_here, "{down:?}");
        assert_eq!(
            down.error.as_deref(),
            Some("down from 2 of 2 locations (ams, fra)")
        );
    }

    #[test]
    fn without_the_locations_this_check_decides() {
        assert_eq!(
            judged_by_quorum(here(false), 2, Ok(Vec::new())),
            here(false)
        );
        assert_eq!(
            judged_by_quorum(here(false), 2, Err("connection refused".to_owned())),
            here(false)
        );
    }
}
