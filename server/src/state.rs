//! The state every handler shares.

use std::{sync::Arc, time::Instant};

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::{
    auth::AdminToken,
    config::{ConfigError, ServeConfig},
    dashboards::Dashboards,
    kpi::{KpiStore, snapshot::Snapshots},
    live::LiveHub,
    metrics::Metrics,
    panels::{Panels, PromFeed},
    prom::{Allowlist, PromClient, PromProxy, ProxySettings},
    routes::analytics::known_metrics,
};

/// Shared, cheaply cloned application state.
#[derive(Clone)]
pub struct AppState {
    /// Leptos' settings: where the site's files are and what they are called.
    pub leptos_options: LeptosOptions,
    /// Porthole's own metrics.
    pub metrics: Arc<Metrics>,
    /// The KPI store.
    pub kpi: KpiStore,
    /// KPI names the API accepts: the well-known ones plus configured ones.
    pub known_metrics: Arc<Vec<String>>,
    /// Panel data for the dashboards.
    pub panels: Arc<Panels>,
    /// Auto-refresh streams.
    pub live: Arc<LiveHub>,
    /// The Prometheus-compatible upstream, through its allowlist and cache.
    pub prom: Option<Arc<PromProxy>>,
    /// KPI snapshots from the configured queries.
    pub snapshots: Arc<Snapshots>,
    /// KPI API answers (JSON) by request, day and KPI store generation.
    pub api_cache: moka::future::Cache<(String, chrono::NaiveDate, u64), bytes::Bytes>,
    /// The token guarding write endpoints.
    pub admin_token: AdminToken,
    /// When the process started, for `/health`.
    pub started: Instant,
}

impl AppState {
    /// State for the built-in dashboards only: no configured dashboards,
    /// no upstream.
    pub fn new(
        leptos_options: LeptosOptions,
        kpi: KpiStore,
        configured_metrics: &[String],
        admin_token: AdminToken,
    ) -> Self {
        let config = ServeConfig {
            kpi_metrics: configured_metrics.to_vec(),
            ..ServeConfig::default()
        };
        match Self::configured(
            leptos_options.clone(),
            kpi.clone(),
            admin_token.clone(),
            &config,
        ) {
            Ok(state) => state,
            // The built-in dashboards always validate; this arm only keeps
            // the signature infallible.
            Err(error) => unreachable!("built-in configuration is valid: {error}"),
        }
    }

    /// State for a resolved configuration: its dashboards and upstream.
    pub fn configured(
        leptos_options: LeptosOptions,
        kpi: KpiStore,
        admin_token: AdminToken,
        config: &ServeConfig,
    ) -> Result<Self, ConfigError> {
        let invalid = |message: String| ConfigError::Parse {
            path: config.config_path.clone().unwrap_or_default(),
            message,
        };
        let Checked {
            dashboards,
            allowlist,
        } = check(config)?;
        let dashboards = Arc::new(dashboards);
        let metrics = Arc::new(Metrics::new());
        let mut feed = None;
        let mut snapshot_client = None;
        let prom = match (&config.prometheus, allowlist) {
            (Some(settings), Some(allowlist)) => {
                let client = PromClient::from_settings(settings).map_err(|e| {
                    invalid(format!("[prometheus]: cannot build the HTTP client: {e}"))
                })?;
                snapshot_client = Some(client.clone());
                let proxy = Arc::new(PromProxy::new(
                    client,
                    allowlist,
                    ProxySettings {
                        refresh: settings.refresh,
                        max_range: settings.max_range,
                        min_step: settings.min_step,
                        cache_bytes: settings.cache_bytes,
                    },
                    metrics.clone(),
                ));
                feed = Some(PromFeed {
                    proxy: proxy.clone(),
                    scrape_interval: settings.scrape_interval,
                    refresh: settings.refresh,
                });
                Some(proxy)
            }
            _ => None,
        };
        let panels = Arc::new(Panels::new(kpi.clone(), dashboards, feed));
        Ok(Self {
            leptos_options,
            live: Arc::new(LiveHub::new(panels.clone(), metrics.clone())),
            metrics,
            known_metrics: Arc::new(known_metrics(&config.kpi_metrics)),
            panels,
            snapshots: Arc::new(Snapshots::new(
                kpi.clone(),
                snapshot_client,
                config.kpi_queries.clone(),
                config.snapshot_at,
            )),
            prom,
            kpi,
            api_cache: moka::future::Cache::builder()
                .max_capacity(1_000)
                .time_to_live(std::time::Duration::from_secs(3600))
                .build(),
            admin_token,
            started: Instant::now(),
        })
    }
}

/// What a valid configuration defines.
#[derive(Debug)]
pub struct Checked {
    /// Every dashboard, the built-in ones included.
    pub dashboards: Dashboards,
    /// What the public may run upstream, when an upstream is configured.
    pub allowlist: Option<Allowlist>,
}

/// Validates a configuration's dashboards and PromQL without opening
/// anything: what `porthole check-config` runs and `serve` relies on.
pub fn check(config: &ServeConfig) -> Result<Checked, ConfigError> {
    let invalid = |message: String| ConfigError::Parse {
        path: config.config_path.clone().unwrap_or_default(),
        message,
    };
    let dashboards = Dashboards::new(&config.dashboards).map_err(invalid)?;
    let allowlist = match &config.prometheus {
        None => None,
        Some(settings) => {
            let mut allowed = dashboards.prom_expressions(settings.scrape_interval);
            allowed.extend(settings.allow.iter().cloned());
            Some(
                Allowlist::new(allowed.iter().map(String::as_str))
                    .map_err(|e| invalid(format!("[prometheus] allow: {e}")))?,
            )
        }
    };
    Ok(Checked {
        dashboards,
        allowlist,
    })
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
