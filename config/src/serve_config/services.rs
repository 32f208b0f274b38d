//! `[[service]]` and `[probes]`: the services Porthole checks and shows on
//! `/status`, validated into [`ServiceConfig`]s whose errors name the line
//! and column of the offending value.

use std::{collections::BTreeMap, net::SocketAddr, ops::Range, time::Duration};

use serde::Deserialize;
use toml::Spanned;

use super::{
    checks::{
        DEFAULT_CERT_WARN_DAYS, DnsCheck, DnsSection, HeartbeatCheck, HeartbeatSection, HttpCheck,
        TcpCheck, TlsCheck, dns, heartbeat, host_and_port,
    },
    located::Located,
};

/// Shortest interval between two checks of one service.
pub const MIN_INTERVAL: Duration = Duration::from_secs(5);

/// One `[[service]]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ServiceSection {
    id: Option<Spanned<String>>,
    name: Spanned<String>,
    group: Option<String>,
    url: Option<Spanned<String>>,
    expect_status: Option<Spanned<u16>>,
    expect_body: Option<String>,
    up: Option<Spanned<String>>,
    tcp: Option<Spanned<String>>,
    tcp_send: Option<String>,
    tcp_expect: Option<String>,
    interval: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    slow: Option<Spanned<String>>,
    alerts: Option<Spanned<BTreeMap<String, String>>>,
    heartbeat: Option<Spanned<HeartbeatSection>>,
    tls: Option<Spanned<String>>,
    cert_warn_days: Option<Spanned<u32>>,
    dns: Option<Spanned<DnsSection>>,
    quorum: Option<Spanned<u32>>,
}

/// The most labels one service's `alerts` matches on.
pub const MAX_ALERT_LABELS: usize = 16;

/// The `[probes]` table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProbesSection {
    retention: Option<Spanned<String>>,
    max_concurrent: Option<usize>,
    incident_after: Option<u32>,
    public_details: Option<bool>,
    ca_file: Option<std::path::PathBuf>,
    location: Option<Spanned<String>>,
}

/// The most locations a quorum may ask for.
pub const MAX_QUORUM: u32 = 32;

/// A service Porthole checks.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceConfig {
    /// Its id in URLs (`/badge/{id}/status.svg`): from `id`, or made from
    /// the name (lowercase, `-` between words).
    pub id: String,
    /// Its name on the status page.
    pub name: String,
    /// The group it is listed under [default: "Services"].
    pub group: String,
    /// An HTTP GET of its health URL, if configured.
    pub http: Option<HttpCheck>,
    /// A Prometheus `up` selector, if configured: up when every matching
    /// series is 1.
    pub up: Option<String>,
    /// A TCP connection (and optionally a line sent and an answer
    /// expected), if configured.
    pub tcp: Option<TcpCheck>,
    /// Heartbeats the service sends (`POST /api/v1/heartbeat/{id}`), if
    /// configured: down when none came within the interval and the grace.
    pub heartbeat: Option<HeartbeatCheck>,
    /// The certificate of a TLS server (`tls = "host:port"`, or the
    /// `https://` health URL's): its expiry and validity.
    pub tls: Option<TlsCheck>,
    /// A DNS lookup whose answer must hold what is expected, if configured.
    pub dns: Option<DnsCheck>,
    /// Time between checks [default: 30s, at least 5s].
    pub interval: Duration,
    /// Longest wait for one check [default: 10s, at most the interval].
    pub timeout: Duration,
    /// A check slower than this counts as degraded performance, if set.
    pub slow: Option<Duration>,
    /// The labels an Alertmanager alert must carry (each with this value)
    /// to be about this service (`alerts = { service = "api" }`); empty:
    /// no alert is.
    pub alerts: BTreeMap<String, String>,
    /// Judged from every location's checks through the metrics engine:
    /// down only when at least this many locations see it down. `None`:
    /// judged by this Porthole's own check alone.
    pub quorum: Option<u32>,
}

impl Default for ServiceConfig {
    /// A service with nothing to check yet and every default: for building
    /// services in code (`ServiceConfig { http: …, ..Default::default() }`).
    fn default() -> Self {
        Self {
            id: String::new(),
            name: String::new(),
            group: "Services".to_owned(),
            http: None,
            up: None,
            tcp: None,
            heartbeat: None,
            tls: None,
            dns: None,
            interval: Duration::from_secs(30),
            timeout: Duration::from_secs(10),
            slow: None,
            alerts: BTreeMap::new(),
            quorum: None,
        }
    }
}

impl ServiceConfig {
    /// Whether an alert with `labels` is about this service.
    pub fn matches_alert(&self, labels: &BTreeMap<String, String>) -> bool {
        !self.alerts.is_empty()
            && self
                .alerts
                .iter()
                .all(|(name, value)| labels.get(name) == Some(value))
    }
}

/// How the prober runs and what it keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeSettings {
    /// How long raw check results are kept; daily aggregates are kept
    /// forever [default: 30d].
    pub retention: Duration,
    /// Checks in flight at once, across all services [default: 16].
    pub max_concurrent: usize,
    /// Consecutive failed checks that open an incident [default: 2].
    pub incident_after: u32,
    /// Whether visitors see why a check failed (the error text, which may
    /// name hosts, addresses and selectors) [default: false: states and
    /// times only].
    pub public_details: bool,
    /// A PEM file of certificate authorities trusted besides the public
    /// ones (an internal CA), for HTTPS and TLS checks.
    pub ca_file: Option<std::path::PathBuf>,
    /// Where this Porthole checks from (`fra`), the `location` label of
    /// its `porthole_probe_*` metrics, which other Portholes judge a
    /// service's quorum by [default: none, an empty label].
    pub location: Option<String>,
}

impl Default for ProbeSettings {
    fn default() -> Self {
        Self {
            retention: Duration::from_secs(30 * 86_400),
            max_concurrent: 16,
            incident_after: 2,
            public_details: false,
            ca_file: None,
            location: None,
        }
    }
}

/// The service checked when none is configured: Porthole's own `/health`,
/// over loopback when listening on every interface.
pub fn builtin(addr: SocketAddr) -> Option<ServiceConfig> {
    let mut loopback = addr;
    if addr.ip().is_unspecified() {
        loopback.set_ip(if addr.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    // A socket address always makes a valid URL authority.
    let url = url::Url::parse(&format!("http://{loopback}/health")).ok()?;
    Some(ServiceConfig {
        id: "porthole".to_owned(),
        name: "Porthole".to_owned(),
        group: "Porthole".to_owned(),
        http: Some(HttpCheck {
            url,
            expect_status: Some(200),
            expect_body: None,
        }),
        timeout: Duration::from_secs(5),
        ..ServiceConfig::default()
    })
}

/// Validates `[probes]`.
pub(super) fn probe_settings(
    section: ProbesSection,
    located: Located<'_>,
) -> Result<ProbeSettings, String> {
    let defaults = ProbeSettings::default();
    let retention = match section.retention {
        None => defaults.retention,
        Some(text) => duration(&text, located, "[probes] retention")?,
    };
    if retention < Duration::from_secs(86_400) {
        return Err(
            "[probes] retention must be at least 1d: uptime over 24 hours is read from raw results"
                .to_owned(),
        );
    }
    Ok(ProbeSettings {
        retention,
        max_concurrent: section
            .max_concurrent
            .unwrap_or(defaults.max_concurrent)
            .max(1),
        incident_after: section
            .incident_after
            .unwrap_or(defaults.incident_after)
            .max(1),
        public_details: section.public_details.unwrap_or(defaults.public_details),
        ca_file: section.ca_file,
        location: match section.location {
            None => None,
            Some(written) if is_location(written.get_ref()) => Some(written.into_inner()),
            Some(written) => {
                return Err(format!(
                    "{}: [probes] location = {:?} is not a location name; use 1 to 32 lowercase letters, digits, - and _, e.g. \"fra\"",
                    located.at(written.span()),
                    written.get_ref()
                ));
            }
        },
    })
}

/// Validates every `[[service]]`; ids must be unique.
pub(super) fn services(
    sections: Vec<ServiceSection>,
    located: Located<'_>,
    prometheus_configured: bool,
) -> Result<Vec<ServiceConfig>, String> {
    let mut resolved: Vec<ServiceConfig> = Vec::with_capacity(sections.len());
    for section in sections {
        let where_name = located.at(section.name.span());
        let service = service(section, located, prometheus_configured)?;
        if resolved.iter().any(|s| s.id == service.id) {
            return Err(format!(
                "{where_name}: [[service]] {:?}: another service already has the id {:?}; give one of them a distinct `id`",
                service.name, service.id
            ));
        }
        resolved.push(service);
    }
    Ok(resolved)
}

fn service(
    section: ServiceSection,
    located: Located<'_>,
    prometheus_configured: bool,
) -> Result<ServiceConfig, String> {
    let name = section.name.get_ref().trim().to_owned();
    let at = |span: Range<usize>| located.at(span);
    let here = |span: Range<usize>, message: String| {
        format!("{}: [[service]] {name:?}: {message}", at(span))
    };
    if name.is_empty() {
        return Err(here(
            section.name.span(),
            "`name` is empty; name the service as visitors know it".to_owned(),
        ));
    }
    let id = match &section.id {
        Some(id) if is_url_id(id.get_ref()) => id.get_ref().clone(),
        Some(id) => {
            return Err(here(
                id.span(),
                format!(
                    "id {:?} is not usable in URLs; use lowercase letters, digits, - and _ (at most 64)",
                    id.get_ref()
                ),
            ));
        }
        None => slug(&name).ok_or_else(|| {
            here(
                section.name.span(),
                "cannot make a URL id from this name; set `id` (lowercase letters, digits, - and _)"
                    .to_owned(),
            )
        })?,
    };
    if porthole_model::route::RESERVED_STATUS_PATHS.contains(&id.as_str()) {
        return Err(here(
            section
                .id
                .as_ref()
                .map_or(section.name.span(), Spanned::span),
            format!("the id {id:?} is taken by a page of /status; give the service another `id`"),
        ));
    }
    let http = match &section.url {
        None => None,
        Some(url) => Some(HttpCheck {
            url: health_url(url.get_ref()).map_err(|m| here(url.span(), m))?,
            expect_status: match &section.expect_status {
                Some(status) if !(100..=599).contains(status.get_ref()) => {
                    return Err(here(
                        status.span(),
                        format!(
                            "expect_status = {} is not an HTTP status; use 100-599, e.g. 200",
                            status.get_ref()
                        ),
                    ));
                }
                status => status.as_ref().map(|s| *s.get_ref()),
            },
            expect_body: section.expect_body.clone().filter(|b| !b.is_empty()),
        }),
    };
    if http.is_none() && (section.expect_status.is_some() || section.expect_body.is_some()) {
        return Err(here(
            section.name.span(),
            "expect_status and expect_body apply to an HTTP check: set `url` too".to_owned(),
        ));
    }
    let up = match &section.up {
        None => None,
        Some(selector) => {
            if !prometheus_configured {
                return Err(here(
                    selector.span(),
                    "`up` reads Prometheus: set [prometheus] url or PROMETHEUS_URL too".to_owned(),
                ));
            }
            crate::prom::parse_expr(selector.get_ref()).map_err(|e| {
                here(
                    selector.span(),
                    format!("up = {:?} is not PromQL: {e}", selector.get_ref()),
                )
            })?;
            Some(selector.get_ref().trim().to_owned())
        }
    };
    let tcp = match &section.tcp {
        None => None,
        Some(address) => {
            let (host, port) =
                host_and_port("tcp", address.get_ref()).map_err(|m| here(address.span(), m))?;
            Some(TcpCheck {
                host,
                port,
                send: section.tcp_send.clone().filter(|s| !s.is_empty()),
                expect: section.tcp_expect.clone().filter(|s| !s.is_empty()),
            })
        }
    };
    if tcp.is_none() && (section.tcp_send.is_some() || section.tcp_expect.is_some()) {
        return Err(here(
            section.name.span(),
            "tcp_send and tcp_expect apply to a TCP check: set `tcp = \"host:port\"` too"
                .to_owned(),
        ));
    }
    let heartbeat = match &section.heartbeat {
        None => None,
        Some(written) => Some(heartbeat(written.get_ref()).map_err(|m| here(written.span(), m))?),
    };
    let warn_days = match &section.cert_warn_days {
        None => DEFAULT_CERT_WARN_DAYS,
        Some(days) if (1..=365).contains(days.get_ref()) => *days.get_ref(),
        Some(days) => {
            return Err(here(
                days.span(),
                format!(
                    "cert_warn_days = {} is out of range; use 1 to 365 (default {DEFAULT_CERT_WARN_DAYS})",
                    days.get_ref()
                ),
            ));
        }
    };
    let tls = match &section.tls {
        Some(address) => {
            let (host, port) =
                host_and_port("tls", address.get_ref()).map_err(|m| here(address.span(), m))?;
            Some(TlsCheck {
                host,
                port,
                warn_days,
            })
        }
        None => http
            .as_ref()
            .and_then(|check| TlsCheck::of_url(&check.url, warn_days)),
    };
    if tls.is_none()
        && let Some(days) = &section.cert_warn_days
    {
        return Err(here(
            days.span(),
            "cert_warn_days applies to a certificate: set `tls = \"host:port\"` or an https:// `url`".to_owned(),
        ));
    }
    let dns = match &section.dns {
        None => None,
        Some(written) => Some(dns(written.get_ref()).map_err(|m| here(written.span(), m))?),
    };
    if http.is_none()
        && up.is_none()
        && tcp.is_none()
        && heartbeat.is_none()
        && tls.is_none()
        && dns.is_none()
    {
        return Err(here(
            section.name.span(),
            "nothing to check: set `url` (an HTTP health URL), `tcp` or `tls` (\"host:port\"), `dns` ({ name = \"…\" }), `heartbeat` ({ token_env = \"…\" }) and/or `up` (a Prometheus selector such as up{job=\"api\"})".to_owned(),
        ));
    }
    let interval = match &section.interval {
        None => Duration::from_secs(30),
        Some(text) => duration(text, located, &format!("[[service]] {name:?}: interval"))?,
    };
    if interval < MIN_INTERVAL {
        return Err(here(
            section.interval.as_ref().map_or(0..0, Spanned::span),
            "interval must be at least 5s".to_owned(),
        ));
    }
    let timeout = match &section.timeout {
        None => Duration::from_secs(10).min(interval),
        Some(text) => duration(text, located, &format!("[[service]] {name:?}: timeout"))?,
    };
    if timeout > interval {
        return Err(here(
            section.timeout.as_ref().map_or(0..0, Spanned::span),
            format!(
                "timeout ({}s) is longer than the interval ({}s); checks of one service never overlap, so lower the timeout",
                timeout.as_secs_f64(),
                interval.as_secs_f64()
            ),
        ));
    }
    let slow = match &section.slow {
        None => None,
        Some(text) => Some(duration(
            text,
            located,
            &format!("[[service]] {name:?}: slow"),
        )?),
    };
    let quorum = match &section.quorum {
        None => None,
        Some(count) if !prometheus_configured => {
            return Err(here(
                count.span(),
                "`quorum` judges the service from every location's checks in the metrics engine: set [prometheus] url or PROMETHEUS_URL too".to_owned(),
            ));
        }
        Some(count) if (1..=MAX_QUORUM).contains(count.get_ref()) => Some(*count.get_ref()),
        Some(count) => {
            return Err(here(
                count.span(),
                format!(
                    "quorum = {} is out of range; use 1 to {MAX_QUORUM}: the locations that must see the service down",
                    count.get_ref()
                ),
            ));
        }
    };
    let alerts = match &section.alerts {
        None => BTreeMap::new(),
        Some(labels) => alert_labels(labels.get_ref()).map_err(|m| here(labels.span(), m))?,
    };
    Ok(ServiceConfig {
        id,
        alerts,
        group: section
            .group
            .map(|g| g.trim().to_owned())
            .filter(|g| !g.is_empty())
            .unwrap_or_else(|| "Services".to_owned()),
        name,
        http,
        up,
        tcp,
        heartbeat,
        tls,
        dns,
        interval,
        timeout,
        slow,
        quorum,
    })
}

/// `alerts = { label = "value", … }`: Prometheus label names, at least one
/// and at most [`MAX_ALERT_LABELS`].
fn alert_labels(labels: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, String> {
    if labels.is_empty() {
        return Err(
            "alerts = {} matches nothing; name the labels an alert about this service carries, e.g. alerts = { service = \"api\" }"
                .to_owned(),
        );
    }
    if labels.len() > MAX_ALERT_LABELS {
        return Err(format!(
            "alerts names {} labels; at most {MAX_ALERT_LABELS}",
            labels.len()
        ));
    }
    if let Some(name) = labels.keys().find(|name| !is_label_name(name)) {
        return Err(format!(
            "alerts: {name:?} is not a Prometheus label name (letters, digits and _, not starting with a digit)"
        ));
    }
    Ok(labels.clone())
}

/// A probe location's name: `[a-z0-9_-]{1,32}`, safe as a label value and
/// in the status page's text.
fn is_location(name: &str) -> bool {
    (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn is_label_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn health_url(text: &str) -> Result<url::Url, String> {
    let url = url::Url::parse(text.trim()).map_err(|e| {
        format!("url = {text:?} is not a URL ({e}); write it like https://api.example.com/health")
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "url = {text:?} must be an http:// or https:// URL with a host"
        ));
    }
    Ok(url)
}

fn duration(text: &Spanned<String>, located: Located<'_>, key: &str) -> Result<Duration, String> {
    super::positive_duration(text.get_ref()).ok_or_else(|| {
        format!(
            "{}: {key} = {:?} is not a duration; write e.g. \"30s\", \"5m\" or \"30d\"",
            located.at(text.span()),
            text.get_ref()
        )
    })
}

pub use porthole_model::is_url_id;

/// "API Gateway (EU)" → "api-gateway-eu".
fn slug(name: &str) -> Option<String> {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    (is_url_id(slug)).then(|| slug.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve_config::checks::DnsRecordType;

    fn parse(text: &str) -> Result<Vec<ServiceConfig>, String> {
        #[derive(Deserialize)]
        struct File {
            service: Vec<ServiceSection>,
        }
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        services(file.service, Located { text }, false)
    }

    #[test]
    fn ids_come_from_names_and_defaults_apply() {
        let services =
            parse("[[service]]\nname = \"API Gateway (EU)\"\nurl = \"http://127.0.0.1:1/h\"\n")
                .expect("valid");
        let service = &services[0];
        assert_eq!(service.id, "api-gateway-eu");
        assert_eq!(service.group, "Services");
        assert_eq!(service.interval, Duration::from_secs(30));
        assert_eq!(service.timeout, Duration::from_secs(10));
    }

    #[test]
    fn tcp_checks_take_a_host_and_a_port_and_nothing_else() {
        let tcp = |address: &str| {
            parse(&format!(
                "[[service]]\nname = \"db\"\ntcp = \"{address}\"\ntcp_send = \"PING\"\ntcp_expect = \"PONG\"\n"
            ))
            .map(|services| services[0].tcp.clone())
        };
        let db = tcp("db.example.com:5432").expect("valid").expect("a check");
        assert_eq!((db.host.as_str(), db.port), ("db.example.com", 5432));
        assert_eq!(db.send.as_deref(), Some("PING"));
        assert_eq!(db.expect.as_deref(), Some("PONG"));
        assert_eq!(db.address(), "db.example.com:5432");
        let v6 = tcp("[::1]:6379").expect("valid").expect("a check");
        assert_eq!((v6.host.as_str(), v6.port), ("::1", 6379));
        assert_eq!(v6.address(), "[::1]:6379");
        for refused in [
            "db.example.com",
            "db.example.com:0",
            "db.example.com:70000",
            ":5432",
            "user@db:5432",
            "db:5432/x",
            "db:5432/",
            "db:5432?x",
            "http://db:5432",
        ] {
            let error = tcp(refused).expect_err(refused);
            assert!(error.contains("host:port"), "{refused}: {error}");
            assert!(error.starts_with("line 3, column 7"), "{refused}: {error}");
        }
        let error = parse("[[service]]\nname = \"db\"\nurl = \"http://a/\"\ntcp_send = \"x\"\n")
            .expect_err("send without tcp");
        assert!(error.contains("set `tcp"), "{error}");
    }

    #[test]
    fn certificates_are_checked_for_tls_addresses_and_https_urls() {
        let services = parse(
            "[[service]]\nname = \"web\"\nurl = \"https://www.example.com/health\"\n\
             [[service]]\nname = \"smtp\"\ntls = \"mail.example.com:465\"\ncert_warn_days = 30\n\
             [[service]]\nname = \"plain\"\nurl = \"http://www.example.com/health\"\n",
        )
        .expect("valid");
        let web = services[0].tls.clone().expect("https URLs are checked");
        assert_eq!(
            (web.host.as_str(), web.port, web.warn_days),
            ("www.example.com", 443, DEFAULT_CERT_WARN_DAYS)
        );
        let smtp = services[1].tls.clone().expect("tls");
        assert_eq!(
            (smtp.host.as_str(), smtp.port, smtp.warn_days),
            ("mail.example.com", 465, 30)
        );
        assert_eq!(services[2].tls, None);
        for (written, expected) in [
            (
                "tls = \"mail.example.com\"",
                "tls = \"mail.example.com\" has no port",
            ),
            (
                "tls = \"mail:465\"\ncert_warn_days = 0",
                "cert_warn_days = 0 is out of range",
            ),
            (
                "url = \"http://a/\"\ncert_warn_days = 7",
                "cert_warn_days applies to a certificate",
            ),
        ] {
            let error =
                parse(&format!("[[service]]\nname = \"x\"\n{written}\n")).expect_err(written);
            assert!(error.contains(expected), "{written}: {error}");
            assert!(
                error.starts_with("line 3") || error.starts_with("line 4"),
                "{error}"
            );
        }
    }

    #[test]
    fn dns_checks_validate_names_types_expectations_and_servers() {
        let dns = |written: &str| {
            parse(&format!("[[service]]\nname = \"dns\"\ndns = {written}\n"))
                .map(|services| services[0].dns.clone().expect("dns"))
        };
        let check = dns("{ name = \"www.example.com.\", type = \"AAAA\", expect = \"2001:db8::1\", server = \"127.0.0.1:5353\" }")
            .expect("valid");
        assert_eq!(check.name, "www.example.com");
        assert_eq!(check.record, DnsRecordType::Aaaa);
        assert_eq!(check.expect.as_deref(), Some("2001:db8::1"));
        assert_eq!(check.server, Some("127.0.0.1:5353".parse().expect("addr")));
        let check = dns("{ name = \"example.com\", server = \"::1\" }").expect("valid");
        assert_eq!(check.record, DnsRecordType::A);
        assert_eq!(check.server, Some("[::1]:53".parse().expect("addr")));
        for (written, expected) in [
            ("{ name = \"exa mple.com\" }", "is not a DNS name"),
            ("{ name = \"-x.example.com\" }", "is not a DNS name"),
            ("{ name = \"a..b\" }", "is not a DNS name"),
            (
                "{ name = \"example.com\", type = \"SOA\" }",
                "unknown variant",
            ),
            (
                "{ name = \"example.com\", type = \"a\" }",
                "unknown variant",
            ),
            (
                "{ name = \"example.com\", expect = \"::1\" }",
                "not an IPv4 address",
            ),
            (
                "{ name = \"example.com\", type = \"MX\", expect = \"mail server\" }",
                "not a DNS name",
            ),
            (
                "{ name = \"example.com\", server = \"dns.example.com\" }",
                "is not an address",
            ),
            (
                "{ name = \"example.com\", server = \"127.0.0.1:0\" }",
                "is not an address",
            ),
            ("{ name = \"example.com\", port = 53 }", "unknown field"),
        ] {
            let error = dns(written).expect_err(written);
            assert!(error.contains(expected), "{written}: {error}");
        }
    }

    #[test]
    fn heartbeats_take_their_token_from_the_environment() {
        let heartbeat = |variable: &str, grace: &str| {
            parse(&format!(
                "[[service]]\nname = \"backup\"\nheartbeat = {{ token_env = \"{variable}\", grace = \"{grace}\" }}\n"
            ))
            .map(|services| services[0].heartbeat.clone())
        };
        // The token's happy path runs the binary with the variable set
        // (server/tests/cli.rs).
        let error = heartbeat("PORTHOLE_TEST_UNSET_HEARTBEAT_TOKEN", "1m").expect_err("unset");
        assert!(error.contains("is not set"), "{error}");
        assert!(error.starts_with("line 3, column 13"), "{error}");
        let error = heartbeat("not a name", "1m").expect_err("bad name");
        assert!(
            error.contains("not an environment variable's name"),
            "{error}"
        );
    }

    #[test]
    fn errors_name_line_column_and_fix() {
        let error = parse(
            "[[service]]\nname = \"api\"\nurl = \"http://127.0.0.1:1/h\"\ninterval = \"2s\"\n",
        )
        .expect_err("too short");
        assert!(error.starts_with("line 4, column 12"), "{error}");
        assert!(error.contains("at least 5s"), "{error}");
        let error = parse("[[service]]\nname = \"api\"\nurl = \"ftp://x/\"\n").expect_err("scheme");
        assert!(error.starts_with("line 3, column 7"), "{error}");
        let error = parse("[[service]]\nname = \"api\"\n").expect_err("nothing to check");
        assert!(error.contains("set `url`"), "{error}");
        let error = parse(
            "[[service]]\nname = \"api\"\nurl = \"http://a/\"\n[[service]]\nname = \"API\"\nurl = \"http://b/\"\n",
        )
        .expect_err("duplicate id");
        assert!(error.starts_with("line 5"), "{error}");
        assert!(error.contains("distinct `id`"), "{error}");
        let error = parse("[[service]]\nname = \"History\"\nurl = \"http://a/\"\n")
            .expect_err("reserved id");
        assert!(error.contains("taken by a page of /status"), "{error}");
        let error = parse(
            "[[service]]\nname = \"api\"\nurl = \"http://a/\"\ninterval = \"10s\"\ntimeout = \"20s\"\n",
        )
        .expect_err("timeout over interval");
        assert!(error.contains("lower the timeout"), "{error}");
        let error = parse("[[service]]\nname = \"api\"\nup = \"up{job=\\\"api\\\"}\"\n")
            .expect_err("up without prometheus");
        assert!(error.contains("PROMETHEUS_URL"), "{error}");
    }

    #[test]
    fn the_builtin_service_probes_loopback() {
        let service = builtin("0.0.0.0:3000".parse().expect("addr")).expect("builtin");
        let url = service.http.expect("http").url;
        assert_eq!(url.as_str(), "http://127.0.0.1:3000/health");
        let service = builtin("[::]:3000".parse().expect("addr")).expect("builtin");
        assert_eq!(
            service.http.expect("http").url.as_str(),
            "http://[::1]:3000/health"
        );
    }

    #[test]
    fn quorum_needs_a_metrics_engine_and_a_sensible_count() {
        let section = |quorum: &str| {
            #[derive(Deserialize)]
            struct File {
                service: Vec<ServiceSection>,
            }
            let text = format!(
                "[[service]]\nname = \"api\"\nurl = \"http://127.0.0.1:1/h\"\nquorum = {quorum}\n"
            );
            let file: File = toml::from_str(&text).map_err(|e| e.to_string())?;
            services(file.service, Located { text: &text }, true)
        };
        assert_eq!(section("2").expect("valid")[0].quorum, Some(2));
        for refused in ["0", "33"] {
            let error = section(refused).expect_err(refused);
            assert!(error.contains("out of range"), "{error}");
        }
        assert!(section("-1").is_err());
        let error =
            parse("[[service]]\nname = \"api\"\nurl = \"http://127.0.0.1:1/h\"\nquorum = 2\n")
                .expect_err("no metrics engine");
        assert!(error.contains("[prometheus] url"), "{error}");
    }

    #[test]
    fn locations_are_short_lowercase_names() {
        let location = |written: &str| {
            let text = format!("location = {written}\n");
            let section: ProbesSection = toml::from_str(&text).map_err(|e| e.to_string())?;
            probe_settings(section, Located { text: &text }).map(|settings| settings.location)
        };
        assert_eq!(location("\"fra\"").expect("valid").as_deref(), Some("fra"));
        assert_eq!(
            location("\"us-east_1\"").expect("valid").as_deref(),
            Some("us-east_1")
        );
        for refused in [
            "\"\"",
            "\"FRA\"",
            "\"fra\\\"}\"",
            "\"fra ams\"",
            &format!("\"{}\"", "a".repeat(33)),
        ] {
            let error = location(refused).expect_err(refused);
            assert!(error.contains("not a location name"), "{refused}: {error}");
        }
    }
}
