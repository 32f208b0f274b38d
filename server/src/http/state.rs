//! The state every handler shares.

use std::{
    sync::{Arc, OnceLock},
    time::Instant,
};

use arc_swap::ArcSwap;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::{
    config::{ConfigError, ServeConfig, ServiceConfig},
    http::admin_token::AdminToken,
    kpi::{KpiStore, capture::KpiCapture, known_metrics},
    live::LiveHub,
    metrics::Metrics,
    notices::NoticeStore,
    panels::{Panels, ProbeFeed, PromFeed},
    probe::{Checker, ProbeStore, Prober, StatusReports},
    prom::{PromClient, PromProxy, ProxySettings},
};

/// Shared, cheaply cloned application state.
#[derive(Clone)]
pub struct AppState {
    /// Leptos' settings: where the site's files are and what they are called.
    pub leptos_options: LeptosOptions,
    /// What pages link of the site's browser bundle, read once at start.
    pub bundle: Arc<app::bundle::Bundle>,
    /// Porthole's own metrics.
    pub metrics: Arc<Metrics>,
    /// The KPI store.
    pub kpi: KpiStore,
    /// KPI names the API accepts: the well-known ones plus configured ones.
    pub known_metrics: Arc<Vec<String>>,
    /// What the configuration's dashboards and upstream make; replaced
    /// whole when the configuration is reloaded.
    pub sources: CurrentSources,
    /// The daily KPI capture from the configured queries.
    pub kpi_capture: Arc<KpiCapture>,
    /// KPI API answers (JSON), made afresh by each KPI write.
    pub kpi_answers: Arc<crate::kpi::answers::KpiAnswers>,
    /// Status reports of the configured services.
    pub status: StatusReports,
    /// Events for `[[webhook]]`s.
    pub events: crate::webhooks::Outbox,
    /// The prober, once `serve` has started it (tests may run without).
    pub prober: Arc<OnceLock<Prober>>,
    /// The token guarding write endpoints.
    pub admin_token: AdminToken,
    /// Origins whose pages may frame embeds; empty: any, for public dashboards.
    pub embed_origins: Arc<Vec<String>>,
    /// Draws panel renders (SVG, PNG).
    pub renderer: crate::panel_image::Renderer,
    /// PNG images by ETag, so each drawing is rasterized once.
    pub png_images: moka::future::Cache<String, bytes::Bytes>,
    /// The key signed links to private dashboards are checked with.
    pub signing_key: crate::signing::SigningKey,
    /// Frozen dashboard views (snapshots at `/s/{id}`).
    pub views: crate::views::ViewStore,
    /// Whether visitors may take snapshots.
    pub public_snapshots: bool,
    /// Per-client rate limits.
    pub limits: crate::config::Limits,
    /// Where visitors reach Porthole, for absolute links.
    pub site: crate::http::public_url::SiteAddress,
    /// The operator's brand (`[site]`) and its files.
    pub brand: crate::brand::BrandAssets,
    /// Whether visitors see why checks failed (`[probes] public_details`).
    pub public_check_details: bool,
    /// Open event streams, capped in all and per client.
    pub streams: crate::live::StreamSlots,
    /// Who a request comes from: the peer, or the client a trusted proxy
    /// names.
    pub client_ip: crate::http::limits::ClientIp,
    /// When the process started, for `/health`.
    pub started: Instant,
}

/// The parts of the state a configuration reload replaces.
#[derive(Debug)]
pub struct Sources {
    /// Panel data for the dashboards.
    pub panels: Arc<Panels>,
    /// The Prometheus-compatible upstream, through its allowlist and cache.
    pub prom: Option<Arc<PromProxy>>,
    /// Auto-refresh streams.
    pub live: Arc<LiveHub>,
    /// The services checked and shown on `/status`.
    pub services: Arc<Vec<ServiceConfig>>,
    /// Pages rendered from these sources.
    pub pages: crate::http::page_cache::PageCache,
    /// A client of the upstream, for KPI snapshots and `up` checks.
    client: Option<PromClient>,
    /// Runs checks of the services.
    checker: Checker,
}

impl AppState {
    /// State for a resolved configuration: its dashboards and upstream.
    pub fn configured(
        leptos_options: LeptosOptions,
        kpi: KpiStore,
        admin_token: AdminToken,
        config: &ServeConfig,
    ) -> Result<Self, ConfigError> {
        let metrics = Arc::new(Metrics::new());
        // Both stores live in the one database.
        let status = StatusReports::new(
            ProbeStore::new(kpi.db().clone()),
            NoticeStore::new(kpi.db().clone()),
            crate::probe::Heartbeats::new(kpi.db().clone()),
        );
        let sources = Sources::build(config, &kpi, &metrics, &status)?;
        let brand =
            crate::brand::BrandAssets::new(&config.site).map_err(|message| ConfigError::Parse {
                path: config.config_path.clone().unwrap_or_default(),
                message,
            })?;
        let known_metrics = Arc::new(known_metrics(&config.kpi_metrics));
        Ok(Self {
            brand,
            kpi_answers: crate::kpi::answers::KpiAnswers::new(&kpi, known_metrics.clone()),
            views: crate::views::ViewStore::new(kpi.db().clone()),
            bundle: Arc::new(app::bundle::Bundle::read(&leptos_options)),
            leptos_options,
            kpi_capture: Arc::new(KpiCapture::new(
                kpi.clone(),
                sources.client.clone(),
                config.kpi_queries.clone(),
                config.snapshot_at,
                config.kpi_backfill_days,
            )),
            sources: CurrentSources(Arc::new(ArcSwap::from_pointee(sources))),
            metrics,
            known_metrics,
            status,
            events: crate::webhooks::Outbox::new(kpi.db().clone(), config.webhooks.clone()),
            prober: Arc::default(),
            kpi,
            admin_token,
            signing_key: config.signing_key.clone(),
            public_snapshots: config.public_snapshots,
            limits: config.limits.clone(),
            site: crate::http::public_url::SiteAddress::new(
                config.public_url.as_deref(),
                &config.limits.trusted_proxies,
            ),
            streams: crate::live::StreamSlots::default(),
            client_ip: crate::http::limits::ClientIp::new(config.limits.trusted_proxies.clone()),
            public_check_details: config.probes.public_details,
            renderer: crate::panel_image::Renderer::new(),
            embed_origins: Arc::new(config.embed_origins.clone()),
            png_images: moka::future::Cache::builder()
                .weigher(|_: &String, png: &bytes::Bytes| {
                    u32::try_from(png.len()).unwrap_or(u32::MAX)
                })
                .max_capacity(32 * 1024 * 1024)
                .time_to_live(std::time::Duration::from_secs(3600))
                .build(),
            started: Instant::now(),
        })
    }

    /// Panel data for the dashboards now configured.
    pub fn panels(&self) -> Arc<Panels> {
        self.sources.panels()
    }

    /// The layout of dashboard `id`, if `admission` admits it, saying
    /// whether visitors may take snapshots of it.
    pub fn layout(
        &self,
        id: &str,
        admission: &crate::panels::Admission,
    ) -> Result<app::model::DashboardLayout, app::model::ErrorBody> {
        DashboardApi::from_ref(self).layout(id, admission)
    }

    /// The services now configured.
    pub fn services(&self) -> Arc<Vec<ServiceConfig>> {
        self.sources.services()
    }

    /// A limiter holding each client to `rate`; the admin token passes.
    pub fn limiter(&self, rate: crate::config::Rate) -> crate::http::limits::Limiter {
        crate::http::limits::Limiter::new(rate, self.client_ip.clone(), self.admin_token.clone())
    }

    /// Starts copying KPIs from the primary, on a replica.
    pub fn start_kpi_follower(&self, follow: &crate::config::KpiFollow) {
        tokio::spawn(crate::kpi::follow::follow(
            self.kpi.clone(),
            self.known_metrics.clone(),
            follow.clone(),
        ));
    }

    /// Starts checking the configured services (once; later calls do nothing).
    pub async fn start_prober(
        &self,
        settings: &crate::config::ProbeSettings,
    ) -> Result<(), crate::db::DbError> {
        if self.prober.get().is_some() {
            return Ok(());
        }
        let sources = self.sources.0.load();
        let prober = Prober::start(
            self.status.store().clone(),
            self.status.notices().clone(),
            self.events.clone(),
            settings,
            &sources.services,
            sources.checker.clone(),
            self.metrics.clone(),
        )
        .await?;
        // A concurrent start lost the race: its prober stops when dropped.
        let _ = self.prober.set(prober);
        Ok(())
    }

    /// Applies a new configuration's dashboards, upstream and services; on
    /// error the running ones stay. Requests in flight finish with what
    /// they started with. Other settings (address, files, KPI queries,
    /// `[probes]`) need a restart.
    pub fn reload(&self, config: &ServeConfig) -> Result<(), ConfigError> {
        let sources = Sources::build(config, &self.kpi, &self.metrics, &self.status)?;
        if let Some(prober) = self.prober.get() {
            prober.check(&sources.services, sources.checker.clone());
        }
        self.sources.0.store(Arc::new(sources));
        self.status.invalidate();
        Ok(())
    }
}

impl Sources {
    /// Dashboards, upstream and streams for `config`.
    fn build(
        config: &ServeConfig,
        kpi: &KpiStore,
        metrics: &Arc<Metrics>,
        status: &StatusReports,
    ) -> Result<Self, ConfigError> {
        let invalid = |message: String| ConfigError::Parse {
            path: config.config_path.clone().unwrap_or_default(),
            message,
        };
        let mut feed = None;
        let mut client = None;
        let prom = match &config.prometheus {
            Some(settings) => {
                let upstream = PromClient::from_settings(settings).map_err(|e| {
                    invalid(format!("[prometheus]: cannot build the HTTP client: {e}"))
                })?;
                client = Some(upstream.clone());
                let proxy = Arc::new(PromProxy::new(
                    upstream,
                    settings.allowlist.clone(),
                    ProxySettings {
                        refresh: settings.refresh,
                        max_range: settings.max_range,
                        min_step: settings.min_step,
                        cache_bytes: settings.cache_bytes,
                        // Half the upstream's slots, so panels keep the rest.
                        public_slots: (settings.max_in_flight / 2).max(1),
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
            None => None,
        };
        let services = Arc::new(config.services.clone());
        let panels = Arc::new(
            Panels::new(kpi.clone(), Arc::new(config.dashboards.clone()), feed).with_probes(
                ProbeFeed {
                    status: status.clone(),
                    services: services.clone(),
                },
            ),
        );
        let trusted = match &config.probes.ca_file {
            None => Vec::new(),
            Some(path) => trusted_authorities(path).map_err(invalid)?,
        };
        let checker = Checker::new(client.clone(), None, &trusted)
            .map_err(|e| invalid(format!("cannot set up checks: {e}")))?
            .with_heartbeats(status.heartbeats().clone());
        Ok(Self {
            live: Arc::new(LiveHub::new(panels.clone(), metrics.clone())),
            panels,
            prom,
            services,
            checker,
            client,
            pages: crate::http::page_cache::PageCache::default(),
        })
    }
}

/// The certificate authorities in `[probes] ca_file`, a PEM file.
fn trusted_authorities(
    path: &std::path::Path,
) -> Result<Vec<rustls_pki_types::CertificateDer<'static>>, String> {
    use rustls_pki_types::pem::PemObject;
    let refused = |why: String| format!("[probes] ca_file {}: {why}", path.display());
    let certificates = rustls_pki_types::CertificateDer::pem_file_iter(path)
        .map_err(|e| refused(e.to_string()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| refused(e.to_string()))?;
    if certificates.is_empty() {
        return Err(refused(
            "holds no certificate; give a PEM file of CERTIFICATE blocks".to_owned(),
        ));
    }
    Ok(certificates)
}

/// The sources now configured, replaced whole when the configuration is
/// reloaded: what handlers reading dashboards, panels, the upstream or
/// streams take. Each call reads the sources current at that moment.
#[derive(Clone)]
pub struct CurrentSources(Arc<ArcSwap<Sources>>);

impl CurrentSources {
    /// Panel data for the dashboards now configured.
    pub fn panels(&self) -> Arc<Panels> {
        self.0.load().panels.clone()
    }

    /// The upstream now configured, if any.
    pub fn prom(&self) -> Option<Arc<PromProxy>> {
        self.0.load().prom.clone()
    }

    /// Auto-refresh streams of the dashboards now configured.
    pub fn live(&self) -> Arc<LiveHub> {
        self.0.load().live.clone()
    }

    /// The services now configured.
    pub fn services(&self) -> Arc<Vec<ServiceConfig>> {
        self.0.load().services.clone()
    }

    /// The page cache of these sources.
    pub fn pages(&self) -> crate::http::page_cache::PageCache {
        self.0.load().pages.clone()
    }
}

/// What the KPI API reads and writes.
#[derive(Clone)]
pub struct KpiApi {
    /// The KPI store.
    pub kpi: KpiStore,
    /// KPI names it accepts.
    pub known_metrics: Arc<Vec<String>>,
    /// Its answers (JSON), made afresh by each write.
    pub kpi_answers: Arc<crate::kpi::answers::KpiAnswers>,
    /// The daily capture, which `POST /api/v1/analytics/snapshot` runs.
    pub kpi_capture: Arc<KpiCapture>,
}

/// What the dashboard and panel APIs read.
#[derive(Clone)]
pub struct DashboardApi {
    /// The sources now configured.
    pub sources: CurrentSources,
    /// Whether visitors may take snapshots.
    pub public_snapshots: bool,
    /// Who a request comes from, for the caps on streams.
    pub client_ip: crate::http::limits::ClientIp,
    /// Open event streams, capped in all and per client.
    pub streams: crate::live::StreamSlots,
}

impl DashboardApi {
    /// The layout of dashboard `id`, if `admission` admits it, saying
    /// whether visitors may take snapshots of it.
    pub fn layout(
        &self,
        id: &str,
        admission: &crate::panels::Admission,
    ) -> Result<app::model::DashboardLayout, app::model::ErrorBody> {
        self.sources
            .panels()
            .layout(id, admission)
            .map(|layout| app::model::DashboardLayout {
                snapshots: self.public_snapshots,
                ..layout
            })
    }
}

/// What the status API and badges read.
#[derive(Clone)]
pub struct StatusApi {
    /// The services now configured.
    pub sources: CurrentSources,
    /// Their reports.
    pub status: StatusReports,
    /// Whether visitors see why checks failed (`[probes] public_details`).
    pub public_check_details: bool,
    /// Events for `[[webhook]]`s.
    pub events: crate::webhooks::Outbox,
    /// The operator's brand, for the pages' names in feeds and the
    /// Statuspage-compatible API.
    pub brand: crate::brand::BrandAssets,
}

/// What panel images (SVG, PNG) are drawn from and kept in.
#[derive(Clone)]
pub struct ImageApi {
    /// The sources now configured.
    pub sources: CurrentSources,
    /// Frozen dashboard views, for the charts of snapshots.
    pub views: crate::views::ViewStore,
    /// Draws panel renders (SVG, PNG).
    pub renderer: crate::panel_image::Renderer,
    /// PNG images by ETag, so each drawing is rasterized once.
    pub png_images: moka::future::Cache<String, bytes::Bytes>,
}

impl FromRef<AppState> for ImageApi {
    fn from_ref(state: &AppState) -> Self {
        Self {
            sources: state.sources.clone(),
            views: state.views.clone(),
            renderer: state.renderer.clone(),
            png_images: state.png_images.clone(),
        }
    }
}

/// What the private-link guard (`http::private_links::guard`) reads: the dashboards now configured and the key their
/// signed links are checked with.
#[derive(Clone)]
pub struct LinkGuard {
    /// The sources now configured.
    pub sources: CurrentSources,
    /// The key of signed links.
    pub signing_key: crate::signing::SigningKey,
    /// The operator's brand, for the titles of refusal pages.
    pub brand: crate::brand::BrandAssets,
}

/// What `frame-ancestors` (`http::headers::security_headers`) is decided from: the dashboards now configured
/// (only public ones may be framed) and `[embed] allowed_origins`.
#[derive(Clone)]
pub struct FramePolicy {
    /// The sources now configured.
    pub sources: CurrentSources,
    /// Origins whose pages may frame embeds; empty: any.
    pub embed_origins: Arc<Vec<String>>,
}

/// The `frame-ancestors` sources for an answer on `route` (as the access
/// guard parsed it; none when it refused the path).
/// When the process started, for `/health`.
#[derive(Debug, Clone, Copy)]
pub struct Started(pub Instant);

impl FromRef<AppState> for CurrentSources {
    fn from_ref(state: &AppState) -> Self {
        state.sources.clone()
    }
}

impl FromRef<AppState> for KpiApi {
    fn from_ref(state: &AppState) -> Self {
        Self {
            kpi: state.kpi.clone(),
            known_metrics: state.known_metrics.clone(),
            kpi_answers: state.kpi_answers.clone(),
            kpi_capture: state.kpi_capture.clone(),
        }
    }
}

impl FromRef<AppState> for DashboardApi {
    fn from_ref(state: &AppState) -> Self {
        Self {
            sources: state.sources.clone(),
            public_snapshots: state.public_snapshots,
            client_ip: state.client_ip.clone(),
            streams: state.streams.clone(),
        }
    }
}

impl FromRef<AppState> for crate::brand::BrandAssets {
    fn from_ref(state: &AppState) -> Self {
        state.brand.clone()
    }
}

impl FromRef<AppState> for StatusApi {
    fn from_ref(state: &AppState) -> Self {
        Self {
            sources: state.sources.clone(),
            status: state.status.clone(),
            public_check_details: state.public_check_details,
            events: state.events.clone(),
            brand: state.brand.clone(),
        }
    }
}

impl FromRef<AppState> for LinkGuard {
    fn from_ref(state: &AppState) -> Self {
        Self {
            sources: state.sources.clone(),
            signing_key: state.signing_key.clone(),
            brand: state.brand.clone(),
        }
    }
}

impl FromRef<AppState> for FramePolicy {
    fn from_ref(state: &AppState) -> Self {
        Self {
            sources: state.sources.clone(),
            embed_origins: state.embed_origins.clone(),
        }
    }
}

impl FromRef<AppState> for Started {
    fn from_ref(state: &AppState) -> Self {
        Started(state.started)
    }
}

impl FromRef<AppState> for Arc<Metrics> {
    fn from_ref(state: &AppState) -> Self {
        state.metrics.clone()
    }
}

impl FromRef<AppState> for crate::views::ViewStore {
    fn from_ref(state: &AppState) -> Self {
        state.views.clone()
    }
}

impl FromRef<AppState> for crate::http::public_url::SiteAddress {
    fn from_ref(state: &AppState) -> Self {
        state.site.clone()
    }
}

impl FromRef<AppState> for AdminToken {
    fn from_ref(state: &AppState) -> Self {
        state.admin_token.clone()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_file_must_hold_certificates() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("missing.pem");
        let error = trusted_authorities(&missing).expect_err("missing");
        assert!(error.starts_with("[probes] ca_file"), "{error}");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").expect("write");
        let error = trusted_authorities(&empty).expect_err("no certificate");
        assert!(error.contains("holds no certificate"), "{error}");
    }
}
