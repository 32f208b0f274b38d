//! The `porthole` server: configuration, data sources, and the HTTP routes
//! that serve the Leptos app, its assets and its JSON APIs.
//!
//! Errors by layer: `config::ConfigError` at start-up, `error::ApiError` for
//! JSON APIs, and the app's own 404 page for unknown HTML paths.

// The app's views are nested types, laid out here too when pages render.
#![recursion_limit = "256"]

mod allocator;
pub mod badge;
pub mod brand;
pub mod db;
pub mod http;
pub mod kpi;
pub mod live;
pub mod metrics;
pub mod notices;
pub mod panel_csv;
pub mod panel_image;
pub mod panels;
pub mod probe;
pub mod prom;
pub mod random;
pub mod site_files;
pub mod statuspage;
pub mod views;
pub mod webhooks;

/// The commit the binary was built from (`build.rs`), or "unknown".
pub const COMMIT: &str = env!("PORTHOLE_COMMIT");

/// The version `porthole --version` prints: `0.1.0 (commit 1a2b3c4d5e6f)`.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("PORTHOLE_COMMIT"),
    ")"
);

pub use porthole_config::{self as config, dashboards, signing};

use std::path::{Path, PathBuf};

use leptos::config::LeptosOptions;

pub use crate::http::router;
use crate::{config::ServeConfig, http::state::AppState};

/// Leptos' settings for a site built under `site_root`, with cargo-leptos'
/// `hash.txt` beside the binary when it wrote one (see [`site_files`]).
pub fn leptos_options(site_root: &Path) -> LeptosOptions {
    site_files::SiteFiles::on_disk(site_root).leptos_options()
}

/// Why `serve` stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The configuration was refused.
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    /// The KPI database could not be opened.
    #[error(transparent)]
    Database(#[from] db::OpenError),
    /// Demo history could not be written.
    #[error("cannot seed demo KPI history: {0}")]
    Seed(db::DbError),
    /// Stored check results could not be read.
    #[error("cannot read stored service checks: {0}")]
    Probes(db::DbError),
    /// The site inside the binary could not be written out.
    #[error(transparent)]
    Site(#[from] site_files::SiteError),
    /// The data directory could not be created.
    #[error(
        "cannot create the data directory {path}: {source}; set --data-dir or PORTHOLE_DATA_DIR to a writable directory"
    )]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The listening socket could not be opened.
    #[error(
        "cannot listen on {addr}: {source}; is another process using it? Set --addr or PORTHOLE_ADDR"
    )]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The server failed while running.
    #[error("the HTTP server failed: {0}")]
    Serve(std::io::Error),
}

/// Runs the HTTP server on `config.addr` until Ctrl-C or SIGTERM, then lets
/// in-flight requests finish. On SIGHUP it reads the configuration again,
/// with the same `overrides`, and applies its dashboards and upstream (an
/// invalid one is refused and the running one stays).
pub async fn serve(config: ServeConfig, overrides: config::Overrides) -> Result<(), ServeError> {
    // Refused before anything is opened: a short token is a mistake to fix.
    let admin_token = http::admin_token::AdminToken::from_env()
        .map_err(|e| ServeError::Config(config::ConfigError::Secret(e)))?;
    let listener = listen(config.addr).map_err(|source| ServeError::Bind {
        addr: config.addr,
        source,
    })?;
    serve_on(listener, config, admin_token, overrides, shutdown_signal()).await
}

/// Connections the kernel may hold complete but not yet accepted. Tokio's
/// `bind` asks for 1,024: when more visitors than that connect at once (a
/// page shared widely, a thousand live viewers reconnecting after a
/// restart), the kernel drops the rest's handshakes and they retry after a
/// second or more. Linux caps it at `net.core.somaxconn`, 4,096 by default.
const LISTEN_BACKLOG: u32 = 4096;

/// A listening socket on `addr`, as tokio's `bind` opens one (address
/// reuse on) but with [`LISTEN_BACKLOG`].
fn listen(addr: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = match addr {
        std::net::SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        std::net::SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// What [`serve`] runs once it listens: opens the data, starts every
/// background task (daily KPI capture, KPI follower, prober, reload on
/// SIGHUP) and serves `listener` until `shutdown` completes, then
/// checkpoints the database. Tests run it on a loopback listener of their
/// own, so a task `serve` forgets to start fails them too.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    config: ServeConfig,
    admin_token: http::admin_token::AdminToken,
    overrides: config::Overrides,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|source| ServeError::DataDir {
        path: config.data_dir.clone(),
        source,
    })?;
    let site = site_files::SiteFiles::locate(config.site_root.as_deref(), &config.data_dir)?;
    if !site.has_bundle() {
        tracing::warn!(
            site_root = %site.root.display(),
            "no built site found: pages render but will not hydrate; run `make build` or set --site-root"
        );
    }
    let db = db::Db::open(&config.duckdb_path)?;
    let kpi = kpi::KpiStore::new(db);
    // Demo history is for an install with nothing to show; configured KPI
    // queries will fill the store themselves.
    if config.demo
        && config.kpi_queries.is_empty()
        && kpi
            .seed_demo_if_empty(chrono::Utc::now().date_naive())
            .await
            .map_err(ServeError::Seed)?
    {
        tracing::info!(
            "seeded demo KPI history; the first real KPI replaces it (--no-demo to skip)"
        );
    }
    let state = AppState::configured(site.leptos_options(), kpi, admin_token, &config)?;
    if let Some(prom) = &config.prometheus {
        tracing::info!(upstream = %prom.url, "reading metrics from the Prometheus-compatible upstream");
    }
    if state.kpi_capture.is_configured() {
        tracing::info!(at = %config.snapshot_at, "taking daily KPI snapshots (UTC), catching up on missed days first");
        tokio::spawn(state.kpi_capture.clone().run_daily());
    }
    if let Some(follow) = &config.kpi_follow {
        tracing::info!(primary = %follow.primary, every = ?follow.every, "copying KPIs from the primary");
        state.start_kpi_follower(follow);
    }
    // Started once listening, so the built-in check of our own /health
    // finds the server up.
    state
        .status
        .store()
        .load_latest(chrono::Utc::now().naive_utc())
        .await
        .map_err(ServeError::Probes)?;
    state
        .status
        .notices()
        .load()
        .await
        .map_err(ServeError::Probes)?;
    state
        .status
        .heartbeats()
        .load()
        .await
        .map_err(ServeError::Probes)?;
    state
        .start_prober(&config.probes)
        .await
        .map_err(ServeError::Probes)?;
    tracing::info!(
        services = state.services().len(),
        "checking services for /status"
    );
    if !state.events.hooks().is_empty() {
        tracing::info!(
            webhooks = state.events.hooks().len(),
            "sending signed events to webhooks"
        );
        tokio::spawn(webhooks::delivery::run(state.events.clone()));
        tokio::spawn(webhooks::maintenance_watch::run(
            state.status.notices().clone(),
            state.services(),
            state.events.clone(),
        ));
    }
    reload_on_hangup(state.clone(), overrides);
    match listener.local_addr() {
        Ok(addr) => tracing::info!("Porthole is serving on http://{addr}"),
        Err(error) => tracing::warn!(%error, "serving on a socket without an address"),
    }
    let db = state.kpi.db().clone();
    // The peer's address is what rate limits key on.
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(ServeError::Serve);
    // Every request has finished: write DuckDB's log into the file, so the
    // next start opens it without replaying anything.
    match db
        .run(|connection| Ok(connection.execute_batch("CHECKPOINT")?))
        .await
    {
        Ok(()) => tracing::info!("database checkpointed; stopped cleanly"),
        Err(error) => tracing::warn!(%error, "cannot checkpoint the database on the way out"),
    }
    served
}

/// Reloads the configuration on each SIGHUP, without dropping connections.
fn reload_on_hangup(state: AppState, overrides: config::Overrides) {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hangups = match signal(SignalKind::hangup()) {
        Ok(hangups) => hangups,
        Err(error) => {
            tracing::warn!(%error, "cannot listen for SIGHUP: configuration reload is off");
            return;
        }
    };
    tokio::spawn(async move {
        while hangups.recv().await.is_some() {
            let reloaded = ServeConfig::resolve(overrides.clone())
                .and_then(|config| state.reload(&config).map(|()| config));
            match reloaded {
                Ok(config) => tracing::info!(
                    file = %config.config_path.as_deref().map(|p| p.display().to_string()).unwrap_or_default(),
                    "configuration reloaded: dashboards and upstream follow it (address, files and KPI queries need a restart)"
                ),
                Err(error) => {
                    tracing::error!("configuration reload refused, the running one stays: {error}");
                }
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
