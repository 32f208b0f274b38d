//! Porthole's configuration: command line, environment and `porthole.toml`.
//!
//! Every setting has a flag and an environment twin (`--addr` and
//! `PORTHOLE_ADDR`); the flag wins over the variable, the variable over the
//! file, the file over the default. Errors here are `ConfigError`, printed at
//! start-up with what to change.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

mod checks;
pub mod dashboard_tables;
mod located;
mod services;
mod site;
mod webhooks;

pub use checks::{
    DEFAULT_CERT_WARN_DAYS, DnsCheck, DnsRecordType, HeartbeatCheck, HttpCheck,
    MIN_HEARTBEAT_TOKEN, TcpCheck, TlsCheck,
};
pub use dashboard_tables::{DashboardConfig, OverviewConfig, PanelConfig, PanelKind, UnitConfig};
pub use services::{MAX_QUORUM, ProbeSettings, ServiceConfig, is_url_id};
pub use site::{Logo, MAX_SITE_LINKS, SiteBrand, SiteLink};
pub use webhooks::{EventGroup, MAX_WEBHOOKS, WebhookConfig};

use chrono::NaiveTime;
use serde::Deserialize;

use crate::{dashboards::Dashboards, prom::Allowlist};

/// What the command line and the environment set, each overriding its
/// key in porthole.toml; `None` leaves the file or the default in charge.
/// The server's `cli.rs` fills it from flags such as `--addr` and
/// variables such as `PORTHOLE_ADDR`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// Address to listen on (`--addr`).
    pub addr: Option<SocketAddr>,
    /// Path of porthole.toml (`--config`).
    pub config: Option<PathBuf>,
    /// Directory for Porthole's own data files (`--data-dir`).
    pub data_dir: Option<PathBuf>,
    /// Directory of the built site (`--site-root`).
    pub site_root: Option<PathBuf>,
    /// Where visitors reach Porthole (`--public-url`).
    pub public_url: Option<String>,
    /// The KPI database file (`--duckdb-path`).
    pub duckdb_path: Option<PathBuf>,
    /// Do not seed demo KPI history into an empty store (`--no-demo`).
    pub no_demo: bool,
    /// Base URL of the Prometheus-compatible upstream (`--prometheus-url`).
    pub prometheus_url: Option<String>,
}

/// The `[server]` table of porthole.toml; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    server: ServerSection,
    #[serde(default)]
    kpi: KpiSection,
    #[serde(default)]
    prometheus: PrometheusSection,
    #[serde(default, rename = "dashboard")]
    dashboards: Vec<DashboardConfig>,
    #[serde(default)]
    overview: OverviewConfig,
    #[serde(default)]
    probes: services::ProbesSection,
    #[serde(default, rename = "service")]
    services: Vec<services::ServiceSection>,
    #[serde(default, rename = "webhook")]
    webhooks: Vec<webhooks::WebhookSection>,
    #[serde(default)]
    embed: EmbedSection,
    #[serde(default)]
    sharing: SharingSection,
    #[serde(default)]
    limits: LimitsSection,
    #[serde(default)]
    site: site::SiteSection,
}

/// A secret from the environment: `NAME`, or the file named by
/// `NAME_FILE` (as container secrets are mounted), without its trailing
/// newline. Secrets are never read from porthole.toml, which is often
/// committed, and never logged.
pub fn secret(name: &str) -> Result<Option<String>, String> {
    if let Some(value) = std::env::var(name).ok().filter(|v| !v.is_empty()) {
        return Ok(Some(value));
    }
    let Some(path) = std::env::var_os(format!("{name}_FILE")) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path).map_err(|error| {
        format!(
            "{name}_FILE: cannot read {}: {error}",
            Path::new(&path).display()
        )
    })?;
    Ok(Some(text.trim_end_matches(['\r', '\n']).to_owned()).filter(|v| !v.is_empty()))
}

/// The `[sharing]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SharingSection {
    /// Whether visitors may take snapshots (otherwise the admin token is needed).
    #[serde(default)]
    public_snapshots: bool,
    /// Snapshots one address may take per hour.
    snapshots_per_hour: Option<u32>,
}

/// The `[limits]` table: per-client request rates.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsSection {
    /// Proxies whose `X-Forwarded-For` names the client.
    #[serde(default)]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Requests per second one address may make to `/api`.
    api_per_second: Option<u32>,
    /// Renders per second one address may ask for.
    render_per_second: Option<u32>,
}

/// How many requests a client may make: `burst` at once, then one more
/// every `every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// The interval at which one more request is allowed.
    pub every: Duration,
    /// How many requests may come at once.
    pub burst: u32,
}

/// Per-client rate limits, every default applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Proxies whose `X-Forwarded-For` names the client (`[limits] trusted_proxies`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `/api` requests (`[limits] api_per_second`) [default: 50 per second, bursts of 500].
    pub api: Rate,
    /// Renders (`[limits] render_per_second`) [default: 10 per second, bursts of 50].
    pub render: Rate,
    /// Snapshots taken (`[sharing] snapshots_per_hour`) [default: 30 per hour, bursts of 5].
    pub snapshots: Rate,
}

impl Default for Limits {
    fn default() -> Self {
        Self::from_sections(&LimitsSection::default(), &SharingSection::default())
    }
}

impl Limits {
    fn from_sections(limits: &LimitsSection, sharing: &SharingSection) -> Self {
        let per = |window: Duration, count: u32, burst: u32| Rate {
            every: window / count.max(1),
            burst: burst.max(count),
        };
        let second = Duration::from_secs(1);
        Self {
            trusted_proxies: limits.trusted_proxies.clone(),
            api: per(second, limits.api_per_second.unwrap_or(50), 500),
            render: per(second, limits.render_per_second.unwrap_or(10), 50),
            snapshots: per(
                Duration::from_secs(3600),
                sharing.snapshots_per_hour.unwrap_or(30),
                5,
            ),
        }
    }
}

/// The `[embed]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct EmbedSection {
    /// Origins whose pages may frame `/embed/...`.
    #[serde(default)]
    allowed_origins: Vec<String>,
}

/// Checks `[embed] allowed_origins`: each a bare origin such as
/// `https://example.com` or `http://127.0.0.1:8080`.
fn embed_origins(origins: Vec<String>) -> Result<Vec<String>, String> {
    origins
        .into_iter()
        .map(|origin| {
            let url = url::Url::parse(&origin).ok().filter(|url| {
                matches!(url.scheme(), "http" | "https")
                    && url.host().is_some()
                    && url.path() == "/"
                    && url.query().is_none()
                    && !origin.ends_with('/')
            });
            match url {
                Some(url) => Ok(url.origin().ascii_serialization()),
                None => Err(format!(
                    "[embed] allowed_origins: {origin:?} is not an origin; write scheme, host and port only, e.g. \"https://example.com\""
                )),
            }
        })
        .collect()
}

/// The `[prometheus]` table; durations are PromQL durations (`30s`, `400d`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PrometheusSection {
    url: Option<String>,
    timeout: Option<String>,
    refresh: Option<String>,
    max_range: Option<String>,
    min_step: Option<String>,
    scrape_interval: Option<String>,
    max_in_flight: Option<usize>,
    cache_mb: Option<u64>,
    #[serde(default)]
    allow: Vec<String>,
}

/// Credentials for the upstream, from the environment only.
#[derive(Clone)]
pub enum UpstreamAuth {
    /// HTTP basic authentication (`PROMETHEUS_USERNAME`, `PROMETHEUS_PASSWORD`).
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: String,
    },
    /// `Authorization: Bearer` (`PROMETHEUS_BEARER_TOKEN`).
    Bearer(String),
}

impl std::fmt::Debug for UpstreamAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print secrets.
        f.write_str(match self {
            UpstreamAuth::Basic { .. } => "UpstreamAuth::Basic",
            UpstreamAuth::Bearer(_) => "UpstreamAuth::Bearer",
        })
    }
}

impl PartialEq for UpstreamAuth {
    fn eq(&self, other: &Self) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// How Porthole reaches its Prometheus-compatible upstream.
#[derive(Debug, Clone, PartialEq)]
pub struct PromSettings {
    /// Base URL, without `/api/v1`.
    pub url: String,
    /// Longest wait for one upstream answer [default: 10s].
    pub timeout: Duration,
    /// Answers at the live edge are refetched at most once per this [default: 30s].
    pub refresh: Duration,
    /// Longest range one query may cover [default: 400d].
    pub max_range: Duration,
    /// Shortest step a range query may ask for [default: 1s].
    pub min_step: Duration,
    /// The upstream's scrape interval; rate windows are at least 4 of them [default: 15s].
    pub scrape_interval: Duration,
    /// Upstream requests in flight at once [default: 8].
    pub max_in_flight: usize,
    /// Megabytes of answers the query cache holds [default: 64].
    pub cache_bytes: u64,
    /// Expressions the public may run besides those of configured panels.
    pub allow: Vec<String>,
    /// Everything the public may run upstream: the public dashboards'
    /// expressions at every step, and `allow`.
    pub allowlist: Allowlist,
    /// Credentials for the upstream, if any.
    pub auth: Option<UpstreamAuth>,
}

/// Days of KPI history taken from the upstream when they are missing.
pub const DEFAULT_BACKFILL_DAYS: u32 = 400;

/// The most `[kpi] backfill_days` may ask for: ten years.
pub const MAX_BACKFILL_DAYS: u32 = 3660;

/// The `[kpi]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct KpiSection {
    path: Option<PathBuf>,
    #[serde(default)]
    metrics: Vec<String>,
    snapshot_at: Option<String>,
    backfill_days: Option<u32>,
    #[serde(default)]
    queries: std::collections::BTreeMap<String, String>,
    follow: Option<String>,
    follow_every: Option<String>,
}

/// A replica that copies its KPIs from the primary (`[kpi] follow`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KpiFollow {
    /// The primary's base URL.
    pub primary: url::Url,
    /// How often the KPIs are copied (`[kpi] follow_every`) [default: 1m].
    pub every: Duration,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServerSection {
    addr: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    site_root: Option<PathBuf>,
    public_url: Option<String>,
}

/// The settings `porthole serve` runs with, every default applied.
#[derive(Debug, Clone, PartialEq)]
pub struct ServeConfig {
    /// The config file these settings came from, if any (for messages).
    pub config_path: Option<PathBuf>,
    /// Address the HTTP server listens on.
    pub addr: SocketAddr,
    /// Directory for Porthole's own data files; created if missing.
    pub data_dir: PathBuf,
    /// Directory of the built site when one is named (`--site-root`);
    /// otherwise the site inside the binary, or `target/site`.
    pub site_root: Option<PathBuf>,
    /// Where visitors reach Porthole (`[server] public_url`), as
    /// `scheme://host[:port]` without a trailing slash: the base of every
    /// absolute link Porthole writes. Without it, and without a trusted
    /// proxy saying so, pages use relative links only.
    pub public_url: Option<String>,
    /// The operator's brand (`[site]`).
    pub site: SiteBrand,
    /// The KPI database file.
    pub duckdb_path: PathBuf,
    /// Whether an empty KPI store is seeded with demo history.
    pub demo: bool,
    /// KPI names accepted besides the well-known ones (`[kpi] metrics`
    /// and the names of `[kpi.queries]`).
    pub kpi_metrics: Vec<String>,
    /// KPIs snapshotted from PromQL instant queries: (name, expression).
    pub kpi_queries: Vec<(String, String)>,
    /// Set on a replica: the primary it copies KPIs from.
    pub kpi_follow: Option<KpiFollow>,
    /// When the daily KPI snapshot is taken, UTC (`[kpi] snapshot_at`) [default: 00:00].
    pub snapshot_at: NaiveTime,
    /// How many days back missing KPI snapshots are taken from the
    /// upstream's history (`[kpi] backfill_days`) [default: 400].
    pub kpi_backfill_days: u32,
    /// The Prometheus-compatible upstream, if one is configured.
    pub prometheus: Option<PromSettings>,
    /// Every dashboard served: the built-in overview (or the configured one
    /// that replaces it) and those of `[[dashboard]]`, each panel resolved
    /// to its feed.
    pub dashboards: Dashboards,
    /// Origins whose pages may frame embeds (`[embed] allowed_origins`);
    /// empty lets any origin frame public dashboards.
    pub embed_origins: Vec<String>,
    /// The key of signed links to private dashboards (`PORTHOLE_SIGNING_KEY`).
    pub signing_key: crate::signing::SigningKey,
    /// Whether visitors may take snapshots (`[sharing] public_snapshots`);
    /// otherwise only the admin token may.
    pub public_snapshots: bool,
    /// Per-client rate limits (`[limits]`, `[sharing] snapshots_per_hour`).
    pub limits: Limits,
    /// Services checked and shown on `/status` (`[[service]]`); Porthole's
    /// own `/health` when none is configured.
    pub services: Vec<ServiceConfig>,
    /// How services are checked and how long raw results are kept (`[probes]`).
    pub probes: ProbeSettings,
    /// Where signed events are sent (`[[webhook]]`).
    pub webhooks: Vec<WebhookConfig>,
}

/// Why the configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error(
        "cannot read config file {path}: {source}; check the path given by --config or PORTHOLE_CONFIG"
    )]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A secret from the environment is not usable.
    #[error("{0}")]
    Secret(String),
    /// The config file is not valid.
    #[error("invalid config file {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message, with line and column.
        message: String,
    },
}

impl ServeConfig {
    /// Resolves flags, environment, the config file and defaults into one config.
    pub fn resolve(args: Overrides) -> Result<Self, ConfigError> {
        let text = match &args.config {
            Some(path) => std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.to_owned(),
                source,
            })?,
            None => String::new(),
        };
        Self::from_text(args, &text)
    }

    /// Resolves as [`ServeConfig::resolve`] does, with `text` as the
    /// contents of the config file `args.config` names (empty: no file).
    pub fn from_text(args: Overrides, text: &str) -> Result<Self, ConfigError> {
        let file: FileConfig = toml::from_str(text).map_err(|error| ConfigError::Parse {
            path: args.config.clone().unwrap_or_default(),
            message: error.to_string(),
        })?;
        let located = located::Located { text };
        let data_dir = args
            .data_dir
            .or(file.server.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        let config_path = args.config.clone().unwrap_or_default();
        let invalid = |message: String| ConfigError::Parse {
            path: config_path.clone(),
            message,
        };
        for metric in file.kpi.metrics.iter().chain(file.kpi.queries.keys()) {
            if !is_metric_name(metric) {
                return Err(invalid(format!(
                    "[kpi]: {metric:?} is not a valid KPI name; use lowercase letters, digits and _ (at most 64), starting with a letter"
                )));
            }
        }
        // Resolved once, here, where the text is at hand, so that a message
        // can point at the dashboard or panel at fault.
        let dashboards =
            Dashboards::with_overview(&file.dashboards, &file.overview).map_err(|error| {
                let place = located
                    .dashboard(error.dashboard, error.panel)
                    .map(|span| format!("{}: ", located.at(span)))
                    .unwrap_or_default();
                invalid(format!("{place}{error}"))
            })?;
        let prometheus = prom_settings(
            args.prometheus_url,
            file.prometheus,
            &dashboards,
            &config_path,
        )?;
        if prometheus.is_none() && !file.kpi.queries.is_empty() {
            return Err(invalid(
                "[kpi.queries] reads KPIs from Prometheus: set [prometheus] url or PROMETHEUS_URL too".to_owned(),
            ));
        }
        let snapshot_at = match &file.kpi.snapshot_at {
            None => NaiveTime::MIN,
            Some(text) => NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| {
                invalid(format!(
                    "[kpi] snapshot_at = {text:?} is not a time of day; write it as \"HH:MM\" (UTC), e.g. \"00:00\""
                ))
            })?,
        };
        let kpi_backfill_days = match file.kpi.backfill_days {
            None => DEFAULT_BACKFILL_DAYS,
            Some(days @ 1..=MAX_BACKFILL_DAYS) => days,
            Some(days) => {
                return Err(invalid(format!(
                    "[kpi] backfill_days = {days} is out of range; write a number of days from 1 (only the latest day) to {MAX_BACKFILL_DAYS}"
                )));
            }
        };
        let probes = services::probe_settings(file.probes, located).map_err(&invalid)?;
        let mut configured_services =
            services::services(file.services, located, prometheus.is_some()).map_err(&invalid)?;
        let addr = args
            .addr
            .or(file.server.addr)
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000)));
        if configured_services.is_empty() {
            configured_services.extend(services::builtin(addr));
        }
        let signing_key = crate::signing::SigningKey::new(
            secret("PORTHOLE_SIGNING_KEY")
                .map_err(ConfigError::Secret)?
                .as_deref(),
        )
        .map_err(ConfigError::Secret)?;
        let webhooks = webhooks::webhooks(file.webhooks).map_err(&invalid)?;
        let kpi_follow = kpi_follow(&file.kpi).map_err(&invalid)?;
        let mut kpi_metrics = file.kpi.metrics;
        kpi_metrics.extend(file.kpi.queries.keys().cloned());
        let embed_origins = embed_origins(file.embed.allowed_origins).map_err(&invalid)?;
        let public_url = args
            .public_url
            .or(file.server.public_url)
            .filter(|url| !url.trim().is_empty())
            .map(|url| public_url(&url))
            .transpose()
            .map_err(&invalid)?;
        let config_dir = args
            .config
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."));
        let site = site::site_brand(file.site, config_dir).map_err(&invalid)?;
        Ok(Self {
            public_url,
            site,
            embed_origins,
            signing_key,
            public_snapshots: file.sharing.public_snapshots,
            limits: Limits::from_sections(&file.limits, &file.sharing),
            config_path: args.config.clone(),
            prometheus,
            dashboards,
            duckdb_path: args
                .duckdb_path
                .or(file.kpi.path)
                .unwrap_or_else(|| data_dir.join("porthole.duckdb")),
            data_dir,
            demo: !args.no_demo,
            kpi_metrics,
            kpi_queries: file.kpi.queries.into_iter().collect(),
            kpi_follow,
            snapshot_at,
            kpi_backfill_days,
            services: configured_services,
            probes,
            webhooks,
            addr,
            site_root: args.site_root.or(file.server.site_root),
        })
    }
}

/// `[prometheus]` with defaults and credentials from the environment; `None`
/// when no URL is set anywhere.
fn prom_settings(
    url_flag: Option<String>,
    section: PrometheusSection,
    dashboards: &Dashboards,
    path: &Path,
) -> Result<Option<PromSettings>, ConfigError> {
    let Some(url) = url_flag.or(section.url).filter(|u| !u.trim().is_empty()) else {
        return Ok(None);
    };
    let invalid = |message: String| ConfigError::Parse {
        path: path.to_owned(),
        message,
    };
    let parsed = url::Url::parse(url.trim()).map_err(|e| {
        invalid(format!(
            "[prometheus] url / PROMETHEUS_URL {url:?} is not a URL ({e}); write it like http://127.0.0.1:9090"
        ))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || !parsed.username().is_empty() {
        return Err(invalid(format!(
            "[prometheus] url / PROMETHEUS_URL {url:?} must be an http:// or https:// URL without credentials; put credentials in PROMETHEUS_USERNAME/PROMETHEUS_PASSWORD or PROMETHEUS_BEARER_TOKEN"
        )));
    }
    let duration = |key: &str,
                    value: Option<String>,
                    default: Duration|
     -> Result<Duration, ConfigError> {
        match value {
            None => Ok(default),
            Some(text) => positive_duration(&text).ok_or_else(|| invalid(format!("[prometheus] {key} = {text:?} is not a duration; write e.g. \"30s\", \"5m\" or \"400d\""))),
        }
    };
    let env = |name: &str| secret(name).ok().flatten();
    let auth = match (env("PROMETHEUS_BEARER_TOKEN"), env("PROMETHEUS_USERNAME")) {
        (Some(token), _) => Some(UpstreamAuth::Bearer(token)),
        (None, Some(username)) => Some(UpstreamAuth::Basic {
            username,
            password: env("PROMETHEUS_PASSWORD").unwrap_or_default(),
        }),
        (None, None) => None,
    };
    let scrape_interval = duration(
        "scrape_interval",
        section.scrape_interval,
        Duration::from_secs(15),
    )?;
    let mut allowed = dashboards.public_prom_expressions(scrape_interval);
    allowed.extend(section.allow.iter().cloned());
    let allowlist = Allowlist::new(allowed.iter().map(String::as_str))
        .map_err(|e| invalid(format!("[prometheus] allow: {e}")))?;
    Ok(Some(PromSettings {
        url: parsed.as_str().trim_end_matches('/').to_owned(),
        timeout: duration("timeout", section.timeout, Duration::from_secs(10))?,
        refresh: duration("refresh", section.refresh, Duration::from_secs(30))?,
        max_range: duration(
            "max_range",
            section.max_range,
            Duration::from_secs(400 * 86_400),
        )?,
        min_step: duration("min_step", section.min_step, Duration::from_secs(1))?,
        scrape_interval,
        max_in_flight: section.max_in_flight.unwrap_or(8).max(1),
        cache_bytes: section.cache_mb.unwrap_or(64).max(1) * 1024 * 1024,
        allow: section.allow,
        allowlist,
        auth,
    }))
}

impl Default for ServeConfig {
    /// The settings with no flags, environment or file.
    fn default() -> Self {
        let data_dir = PathBuf::from("data");
        Self {
            config_path: None,
            signing_key: crate::signing::SigningKey::default(),
            embed_origins: Vec::new(),
            public_snapshots: false,
            limits: Limits::default(),
            addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            duckdb_path: data_dir.join("porthole.duckdb"),
            data_dir,
            site_root: None,
            public_url: None,
            site: SiteBrand::default(),
            demo: true,
            kpi_metrics: Vec::new(),
            kpi_queries: Vec::new(),
            kpi_follow: None,
            snapshot_at: NaiveTime::MIN,
            kpi_backfill_days: DEFAULT_BACKFILL_DAYS,
            prometheus: None,
            dashboards: Dashboards::default(),
            services: services::builtin(SocketAddr::from(([127, 0, 0, 1], 3000)))
                .into_iter()
                .collect(),
            probes: ProbeSettings::default(),
            webhooks: Vec::new(),
        }
    }
}

/// `[server] public_url` as `scheme://host[:port]`: an http(s) URL of a
/// site's root, with nothing after the host but an optional `/`.
pub fn public_url(text: &str) -> Result<String, String> {
    let refused = |why: &str| {
        format!(
            "[server] public_url = {text:?} {why}; write where visitors reach Porthole, e.g. \"https://status.example.com\""
        )
    };
    let url = url::Url::parse(text.trim()).map_err(|e| refused(&format!("is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refused("is not an http or https URL"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(refused("has no host"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(refused(
            "has a path, query or fragment; Porthole is served from the site's root",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refused("carries credentials"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// `[kpi] follow` and `follow_every`, checked: a replica copies KPIs from an
/// http(s) primary and takes no KPI snapshots of its own.
fn kpi_follow(kpi: &KpiSection) -> Result<Option<KpiFollow>, String> {
    let Some(primary) = &kpi.follow else {
        return match kpi.follow_every {
            Some(_) => Err("[kpi] follow_every needs [kpi] follow, the primary's URL".to_owned()),
            None => Ok(None),
        };
    };
    let url = url::Url::parse(primary.trim())
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
        .ok_or_else(|| {
            format!("[kpi] follow = {primary:?} is not the primary's URL; write it like http://10.0.0.1:3000")
        })?;
    if !kpi.queries.is_empty() {
        return Err(
            "[kpi] follow and [kpi.queries] exclude each other: the primary takes KPI snapshots, and replicas copy them".to_owned(),
        );
    }
    let every = match &kpi.follow_every {
        None => Duration::from_secs(60),
        Some(text) => positive_duration(text).ok_or_else(|| {
            format!("[kpi] follow_every = {text:?} is not a duration; write it like \"1m\"")
        })?,
    };
    Ok(Some(KpiFollow {
        primary: url,
        every,
    }))
}

/// A PromQL-style duration ("30s", "5m", "400d") longer than zero.
fn positive_duration(text: &str) -> Option<Duration> {
    crate::prom::time::parse_duration(text)
        .ok()
        .filter(|d| !d.is_zero())
}

/// KPI names: `[a-z][a-z0-9_]{0,63}`, safe in URLs, CSV and logs.
fn is_metric_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= 64
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn file_with(contents: &str) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        file.write_all(contents.as_bytes()).expect("write");
        file
    }

    #[test]
    fn defaults_apply_without_flags_or_file() {
        let config = ServeConfig::resolve(Overrides::default()).expect("resolves");
        assert_eq!(config.addr, "127.0.0.1:3000".parse().expect("addr"));
        assert_eq!(config.data_dir, PathBuf::from("data"));
        assert_eq!(config.site_root, None);
        assert_eq!(config.duckdb_path, PathBuf::from("data/porthole.duckdb"));
        assert!(config.demo);
    }

    #[test]
    fn the_public_url_is_a_site_root_and_the_flag_wins() {
        for (given, kept) in [
            ("https://status.example.com", "https://status.example.com"),
            ("https://status.example.com/", "https://status.example.com"),
            ("http://127.0.0.1:3000", "http://127.0.0.1:3000"),
        ] {
            assert_eq!(public_url(given).as_deref(), Ok(kept), "{given}");
        }
        for (given, says) in [
            ("status.example.com", "is not a URL"),
            ("ftp://example.com", "http or https"),
            ("https://example.com/status", "path, query or fragment"),
            ("https://example.com/?x=1", "path, query or fragment"),
            ("https://user:pw@example.com", "credentials"),
        ] {
            let error = public_url(given).expect_err(given);
            assert!(error.contains(says), "{given}: {error}");
        }
        let file = file_with("[server]\npublic_url = \"https://file.example.com\"\n");
        let args = Overrides {
            config: Some(file.path().to_path_buf()),
            ..Overrides::default()
        };
        let from_file = ServeConfig::resolve(args.clone()).expect("resolves");
        assert_eq!(
            from_file.public_url.as_deref(),
            Some("https://file.example.com")
        );
        let flag = ServeConfig::resolve(Overrides {
            public_url: Some("https://flag.example.com".to_owned()),
            ..args
        })
        .expect("resolves");
        assert_eq!(flag.public_url.as_deref(), Some("https://flag.example.com"));
    }

    #[test]
    fn the_kpi_database_follows_the_data_dir_unless_set() {
        let config = ServeConfig::resolve(Overrides {
            data_dir: Some(PathBuf::from("/srv/p")),
            ..Overrides::default()
        })
        .expect("resolves");
        assert_eq!(config.duckdb_path, PathBuf::from("/srv/p/porthole.duckdb"));
        let file = file_with("[kpi]\npath = \"/var/kpi.duckdb\"\nmetrics = [\"revenue\"]\n");
        let config = ServeConfig::resolve(Overrides {
            config: Some(file.path().to_owned()),
            ..Overrides::default()
        })
        .expect("resolves");
        assert_eq!(config.duckdb_path, PathBuf::from("/var/kpi.duckdb"));
        assert_eq!(config.kpi_metrics, vec!["revenue".to_owned()]);
    }

    #[test]
    fn bad_kpi_names_are_refused() {
        let file = file_with("[kpi]\nmetrics = [\"Revenue Total\"]\n");
        let error = ServeConfig::resolve(Overrides {
            config: Some(file.path().to_owned()),
            ..Overrides::default()
        })
        .expect_err("refused");
        assert!(error.to_string().contains("Revenue Total"), "{error}");
    }

    #[test]
    fn flags_win_over_the_file() {
        let file = file_with("[server]\naddr = \"127.0.0.1:4000\"\ndata_dir = \"/srv/porthole\"\n");
        let config = ServeConfig::resolve(Overrides {
            addr: Some("127.0.0.1:5000".parse().expect("addr")),
            config: Some(file.path().to_owned()),
            ..Overrides::default()
        })
        .expect("resolves");
        assert_eq!(config.addr, "127.0.0.1:5000".parse().expect("addr"));
        assert_eq!(config.data_dir, PathBuf::from("/srv/porthole"));
    }

    #[test]
    fn unknown_keys_are_named_with_their_line() {
        let file = file_with("[server]\nadress = \"127.0.0.1:4000\"\n");
        let error = ServeConfig::resolve(Overrides {
            config: Some(file.path().to_owned()),
            ..Overrides::default()
        })
        .expect_err("typo is refused");
        let message = error.to_string();
        assert!(message.contains("adress"), "{message}");
        assert!(message.contains("line 2"), "{message}");
    }

    #[test]
    fn dashboard_errors_name_the_file_line_column_and_fix() {
        let refused = |panels: &str| {
            let file = file_with(&format!(
                "[prometheus]\nurl = \"http://127.0.0.1:8428\"\n\n[[dashboard]]\nid = \"api\"\ntitle = \"API\"\n\n[[dashboard.panel]]\nid = \"first\"\ntitle = \"First\"\nkind = \"status\"\n\n[[dashboard.panel]]\n{panels}\n"
            ));
            let path = file.path().display().to_string();
            let message = ServeConfig::resolve(Overrides {
                config: Some(file.path().to_owned()),
                ..Overrides::default()
            })
            .expect_err("refused")
            .to_string();
            assert!(message.contains(&path), "names the file: {message}");
            message
        };
        for (panel, expected) in [
            // Kinds and units are checked by the parser, at the value.
            (
                "id = \"p\"\ntitle = \"P\"\nkind = \"pie\"",
                "line 16, column 8",
            ),
            (
                "id = \"p\"\ntitle = \"P\"\nkind = \"pie\"",
                "unknown variant `pie`",
            ),
            (
                "id = \"p\"\ntitle = \"P\"\nkind = \"timeseries\"\nquery = \"up\"\nunit = \"furlongs\"",
                "unknown variant `furlongs`, expected one of",
            ),
            // The rest point at the panel's id.
            (
                "id = \"p\"\ntitle = \"P\"\nkind = \"stat\"\nkpi = \"signups\"",
                "line 14, column 6: dashboard \"api\", panel \"p\": unknown KPI reference \"signups\": use \"summary\" or \"users\" or \"monthly\"",
            ),
            (
                "id = \"first\"\ntitle = \"Again\"\nkind = \"uptime\"",
                "line 14, column 6: dashboard \"api\", panel \"first\": the panel id is used twice",
            ),
            (
                "id = \"p\"\ntitle = \"P\"\nkind = \"growth\"\nkpi = \"monthly\"",
                "a growth panel cannot show kpi = \"monthly\"; use \"users\"",
            ),
            (
                "id = \"p\"\ntitle = \"P\"\nkind = \"status\"\nquery = \"up\"",
                "`query` does not apply to a status panel; it takes only id, kind, title and width",
            ),
            (
                "id = \"p\"\ntitle = \"P\"\nkind = \"latency\"\nhistogram = \"h_bucket\"\nunit = \"percent\"",
                "unit Percent does not fit latency",
            ),
            (
                "id = \"p\"\ntitle = \"P\"\nkind = \"timeseries\"\nquery = \"sum(\"",
                "line 14, column 6",
            ),
        ] {
            let message = refused(panel);
            assert!(message.contains(expected), "{panel}: {message}");
        }
    }

    #[test]
    fn embed_origins_must_be_bare_origins() {
        assert_eq!(
            embed_origins(vec![
                "https://Example.com".into(),
                "http://127.0.0.1:8080".into()
            ]),
            Ok(vec![
                "https://example.com".into(),
                "http://127.0.0.1:8080".into()
            ])
        );
        for bad in [
            "example.com",
            "https://example.com/",
            "https://example.com/page",
            "ftp://x",
            "*",
        ] {
            let error = embed_origins(vec![bad.into()]).expect_err(bad);
            assert!(error.contains("is not an origin"), "{bad}: {error}");
        }
    }

    #[test]
    fn prometheus_settings_have_defaults_and_validated_values() {
        let file = file_with(
            "[prometheus]\nurl = \"http://127.0.0.1:8428/\"\nrefresh = \"1m\"\nallow = [\"up\"]\n",
        );
        let config = ServeConfig::resolve(Overrides {
            config: Some(file.path().to_owned()),
            ..Overrides::default()
        })
        .expect("resolves");
        let prom = config.prometheus.expect("configured");
        assert_eq!(prom.url, "http://127.0.0.1:8428");
        assert_eq!(prom.refresh, Duration::from_secs(60));
        assert_eq!(prom.timeout, Duration::from_secs(10));
        assert_eq!(prom.max_range, Duration::from_secs(400 * 86_400));
        assert_eq!(prom.allow, ["up"]);
        let refused = |toml: &str| {
            let file = file_with(toml);
            ServeConfig::resolve(Overrides {
                config: Some(file.path().to_owned()),
                ..Overrides::default()
            })
            .expect_err("refused")
            .to_string()
        };
        assert!(refused("[prometheus]\nurl = \"localhost:9090\"\n").contains("http://"));
        assert!(
            refused("[prometheus]\nurl = \"http://u:p@h:9090\"\n").contains("PROMETHEUS_USERNAME")
        );
        assert!(
            refused("[prometheus]\nurl = \"http://h:9090\"\ntimeout = \"soon\"\n")
                .contains("timeout")
        );
        let config = ServeConfig::resolve(Overrides::default()).expect("resolves");
        assert_eq!(config.prometheus, None, "no URL, no upstream");
    }

    #[test]
    fn the_example_config_is_valid_and_complete() {
        let example =
            Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
                .join("../porthole.example.toml");
        let config = ServeConfig::resolve(Overrides {
            config: Some(example.clone()),
            ..Overrides::default()
        })
        .expect("porthole.example.toml resolves");
        let prom = config.prometheus.clone().expect("[prometheus]");
        assert_eq!(prom.url, "http://127.0.0.1:8428");
        assert_eq!(config.kpi_queries.len(), 2);
        let api = config.dashboards.get("api").expect("dashboard api");
        assert_eq!(api.panels.len(), 5);
        let mut kinds: Vec<&str> = config
            .dashboards
            .iter()
            .filter(|d| d.id != crate::dashboards::OVERVIEW)
            .flat_map(|d| &d.panels)
            .map(|p| p.kind)
            .collect();
        kinds.sort();
        kinds.dedup();
        assert_eq!(
            kinds.len(),
            10,
            "every panel kind has an example: {kinds:?}"
        );
        assert_eq!(config.services.len(), 5);
        assert_eq!(config.services[0].id, "api");
        assert_eq!(config.services[0].quorum, Some(2));
        assert_eq!(config.probes.location.as_deref(), Some("fra"));
        assert_eq!(
            config.services[0]
                .tls
                .as_ref()
                .map(|t| (t.port, t.warn_days)),
            Some((443, 21)),
            "an https url's certificate is checked"
        );
        assert_eq!(
            config.services[2].tls.as_ref().map(|t| t.host.as_str()),
            Some("mail.example.com")
        );
        assert_eq!(
            config.services[3].dns.as_ref().map(|d| d.record),
            Some(DnsRecordType::A)
        );
        assert_eq!(config.services[0].slow, Some(Duration::from_secs(1)));
        assert_eq!(
            config.services[0].alerts.get("service").map(String::as_str),
            Some("api")
        );
        let cache = config.services[1].tcp.as_ref().expect("a TCP check");
        assert_eq!(cache.address(), "cache.example.com:6379");
        assert_eq!(cache.expect.as_deref(), Some("+PONG"));
        assert_eq!(
            config.services[4].up.as_deref(),
            Some("up{job=\"workers\"}")
        );
        assert_eq!(config.probes.retention, Duration::from_secs(30 * 86_400));
        assert_eq!(
            config.dashboards.len(),
            3,
            "the overview and two of its own"
        );
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let error = ServeConfig::resolve(Overrides {
            config: Some(PathBuf::from("/nonexistent/porthole.toml")),
            ..Overrides::default()
        })
        .expect_err("missing file");
        assert!(error.to_string().contains("/nonexistent/porthole.toml"));
    }

    #[test]
    fn a_replica_follows_an_http_primary_and_takes_no_snapshots_itself() {
        let read = |toml: &str| {
            ServeConfig::from_text(
                Overrides {
                    config: Some(PathBuf::from("porthole.toml")),
                    ..Overrides::default()
                },
                toml,
            )
        };
        let config = read("[kpi]\nfollow = \"http://10.0.0.1:3000\"\nfollow_every = \"30s\"\n")
            .expect("a replica");
        let follow = config.kpi_follow.expect("follows");
        assert_eq!(follow.primary.as_str(), "http://10.0.0.1:3000/");
        assert_eq!(follow.every, Duration::from_secs(30));
        assert_eq!(
            read("[kpi]\nfollow = \"http://a:1\"\n")
                .expect("default")
                .kpi_follow
                .map(|f| f.every),
            Some(Duration::from_secs(60))
        );
        for (toml, says) in [
            (
                "[kpi]\nfollow = \"file:///etc/passwd\"\n",
                "is not the primary's URL",
            ),
            (
                "[kpi]\nfollow = \"10.0.0.1:3000\"\n",
                "is not the primary's URL",
            ),
            (
                "[kpi]\nfollow = \"http://a:1\"\nfollow_every = \"soon\"\n",
                "is not a duration",
            ),
            ("[kpi]\nfollow_every = \"1m\"\n", "needs [kpi] follow"),
            (
                "[prometheus]\nurl = \"http://p:9090\"\n[kpi]\nfollow = \"http://a:1\"\n[kpi.queries]\nusers = \"sum(up)\"\n",
                "exclude each other",
            ),
        ] {
            let error = read(toml).expect_err(toml).to_string();
            assert!(error.contains(says), "{toml}: {error}");
        }
    }
}
