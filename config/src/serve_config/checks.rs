//! The kinds of check a `[[service]]` can have — an HTTP GET, a TCP
//! connection, a TLS certificate's expiry, a DNS answer and heartbeats the
//! service sends — and the parsing of each as written in porthole.toml.

use std::{
    net::{IpAddr, SocketAddr},
    time::Duration,
};

use serde::Deserialize;

/// Days before expiry at which a certificate makes its service degraded,
/// unless `cert_warn_days` says otherwise.
pub const DEFAULT_CERT_WARN_DAYS: u32 = 14;

/// A TLS check: a handshake with `host:port`, judging the certificate the
/// server presents: down when it is expired or invalid, degraded when it
/// expires within `warn_days`.
#[derive(Debug, Clone, PartialEq)]
pub struct TlsCheck {
    /// The host: its name is also the name the certificate must be valid
    /// for.
    pub host: String,
    /// The port.
    pub port: u16,
    /// Days before expiry from which the service is degraded.
    pub warn_days: u32,
}

impl TlsCheck {
    /// The certificate check of an `https://` URL, if it is one.
    pub fn of_url(url: &url::Url, warn_days: u32) -> Option<Self> {
        if url.scheme() != "https" {
            return None;
        }
        Some(Self {
            host: url
                .host_str()?
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port: url.port_or_known_default()?,
            warn_days,
        })
    }
}

/// The record types a DNS check can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum DnsRecordType {
    /// IPv4 addresses.
    A,
    /// IPv6 addresses.
    #[serde(rename = "AAAA")]
    Aaaa,
    /// A canonical name.
    #[serde(rename = "CNAME")]
    Cname,
    /// Mail exchangers.
    #[serde(rename = "MX")]
    Mx,
    /// Name servers.
    #[serde(rename = "NS")]
    Ns,
    /// Text records.
    #[serde(rename = "TXT")]
    Txt,
}

impl DnsRecordType {
    /// As written in porthole.toml and zone files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::Aaaa => "AAAA",
            Self::Cname => "CNAME",
            Self::Mx => "MX",
            Self::Ns => "NS",
            Self::Txt => "TXT",
        }
    }
}

/// A DNS check: `name`'s records of `record` type, asked of `server` (or
/// the system's resolvers), must include `expect` when it is set, and
/// must not be empty when it is not.
#[derive(Debug, Clone, PartialEq)]
pub struct DnsCheck {
    /// The name asked for, without a trailing dot.
    pub name: String,
    /// The record type asked for.
    pub record: DnsRecordType,
    /// What one of the records must be: an address for A and AAAA (compared
    /// as addresses), a name for CNAME, MX and NS (compared without case
    /// and trailing dot), a text TXT records must contain.
    pub expect: Option<String>,
    /// The server asked, if not the system's resolvers (port 53 unless
    /// given).
    pub server: Option<SocketAddr>,
}

/// `dns = { name = "…", type = "…", expect = "…", server = "…" }` as
/// written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DnsSection {
    name: String,
    #[serde(rename = "type")]
    record: Option<DnsRecordType>,
    expect: Option<String>,
    server: Option<String>,
}

/// A TCP check: connect to `host:port`; if `send` is set, send it as a
/// line; if `expect` is set, the first line of the answer must contain it.
#[derive(Debug, Clone, PartialEq)]
pub struct TcpCheck {
    /// The host: a name, an IPv4 address, or an IPv6 address without
    /// brackets.
    pub host: String,
    /// The port.
    pub port: u16,
    /// A line to send once connected (sent with `\r\n`).
    pub send: Option<String>,
    /// A text the first line of the answer must contain (read up to 4 KiB).
    pub expect: Option<String>,
}

impl TcpCheck {
    /// `host:port`, as written (`[v6]:port` for IPv6).
    pub fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// A push check: the service (a cron job, a worker) reports in.
#[derive(Clone, PartialEq)]
pub struct HeartbeatCheck {
    /// The token its heartbeats carry (`Authorization: Bearer`), from the
    /// environment variable `token_env` names.
    pub token: String,
    /// How late a heartbeat may be, past the interval [default: 0s].
    pub grace: Duration,
}

impl std::fmt::Debug for HeartbeatCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeartbeatCheck")
            .field("grace", &self.grace)
            .finish_non_exhaustive()
    }
}

/// What a healthy HTTP answer looks like.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpCheck {
    /// The health URL.
    pub url: url::Url,
    /// The expected status code; any 2xx when unset.
    pub expect_status: Option<u16>,
    /// A text the body must contain, if set.
    pub expect_body: Option<String>,
}

/// `heartbeat = { token_env = "…", grace = "…" }` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HeartbeatSection {
    token_env: String,
    grace: Option<String>,
}

/// The shortest heartbeat token accepted.
pub const MIN_HEARTBEAT_TOKEN: usize = 16;

/// A heartbeat check: its token read from the environment.
pub(super) fn heartbeat(section: &HeartbeatSection) -> Result<HeartbeatCheck, String> {
    let variable = section.token_env.trim();
    if variable.is_empty()
        || !variable
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Err(format!(
            "heartbeat token_env = {:?} is not an environment variable's name",
            section.token_env
        ));
    }
    let token = super::secret(variable)?.ok_or_else(|| {
        format!("heartbeat: the environment variable {variable} (its token_env) is not set; set it to a random token of at least {MIN_HEARTBEAT_TOKEN} characters")
    })?;
    if token.len() < MIN_HEARTBEAT_TOKEN {
        return Err(format!(
            "heartbeat: the token in {variable} is {} characters; use at least {MIN_HEARTBEAT_TOKEN}",
            token.len()
        ));
    }
    let grace = match &section.grace {
        None => Duration::ZERO,
        Some(text) => super::positive_duration(text).ok_or_else(|| {
            format!("heartbeat grace = {text:?} is not a duration; write e.g. \"30s\" or \"5m\"")
        })?,
    };
    Ok(HeartbeatCheck { token, grace })
}

/// `host:port` of a TCP or TLS check (`key` names which): a name or
/// address (IPv6 in brackets) and a port from 1 to 65535.
pub(super) fn host_and_port(key: &str, text: &str) -> Result<(String, u16), String> {
    let refused = |why: &str| {
        format!(
            "{key} = {text:?} {why}; write it as \"host:port\", e.g. \"db.example.com:5432\" or \"[::1]:6379\""
        )
    };
    let text = text.trim();
    let url = url::Url::parse(&format!("tcp://{text}"))
        .map_err(|e| refused(&format!("is not an address ({e})")))?;
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| refused("has no host"))?;
    let port = url
        .port()
        .filter(|p| *p != 0)
        .ok_or_else(|| refused("has no port"))?;
    if !url.username().is_empty()
        || url.password().is_some()
        || !matches!(url.path(), "" | "/")
        || url.query().is_some()
        || url.fragment().is_some()
        || text.ends_with('/')
    {
        return Err(refused("holds more than a host and a port"));
    }
    Ok((
        host.trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned(),
        port,
    ))
}

/// A DNS check as written, validated.
pub(super) fn dns(section: &DnsSection) -> Result<DnsCheck, String> {
    let name = section.name.trim().trim_end_matches('.');
    if !is_dns_name(name) {
        return Err(format!(
            "dns name = {:?} is not a DNS name; write it like \"www.example.com\"",
            section.name
        ));
    }
    let record = section.record.unwrap_or(DnsRecordType::A);
    let expect = section
        .expect
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if let Some(expected) = expect {
        match record {
            DnsRecordType::A if expected.parse::<std::net::Ipv4Addr>().is_err() => {
                return Err(format!(
                    "dns expect = {expected:?} is not an IPv4 address, which an A record holds"
                ));
            }
            DnsRecordType::Aaaa if expected.parse::<std::net::Ipv6Addr>().is_err() => {
                return Err(format!(
                    "dns expect = {expected:?} is not an IPv6 address, which an AAAA record holds"
                ));
            }
            DnsRecordType::Cname | DnsRecordType::Mx | DnsRecordType::Ns
                if !is_dns_name(expected.trim_end_matches('.')) =>
            {
                return Err(format!(
                    "dns expect = {expected:?} is not a DNS name, which a {} record holds",
                    record.as_str()
                ));
            }
            _ => {}
        }
    }
    let server = match section.server.as_deref().map(str::trim) {
        None => None,
        Some(text) => Some(dns_server(text)?),
    };
    Ok(DnsCheck {
        name: name.to_owned(),
        record,
        expect: expect.map(str::to_owned),
        server,
    })
}

/// `server = "192.0.2.53"`, `"192.0.2.53:5353"` or `"[2001:db8::53]:53"`:
/// an address, as a resolver is asked by address.
fn dns_server(text: &str) -> Result<SocketAddr, String> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, 53));
    }
    text.parse::<SocketAddr>()
        .ok()
        .filter(|address| address.port() != 0)
        .ok_or_else(|| {
            format!(
                "dns server = {text:?} is not an address; write e.g. \"192.0.2.53\" or \"[2001:db8::53]:5353\""
            )
        })
}

/// Labels of letters, digits, `-` and `_`, each 1 to 63 long, 253 in all.
fn is_dns_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}
