//! One way to stand Porthole up in a test: [`TestApp`], a builder over the
//! configuration as `porthole serve` resolves it.
//!
//! ```ignore
//! let app = TestApp::new(dir.path())
//!     .with_config(fixtures::FINANCE_AND_PRODUCT)
//!     .with_upstream(&vm.url())
//!     .with_admin_token(TOKEN)
//!     .router()
//!     .await;
//! ```
//!
//! [`TestApp::router`] answers requests without a socket; [`TestApp::serve`]
//! runs the server's own `serve_on` (every background task `serve` starts)
//! on a loopback port.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use axum::Router;
use porthole::{
    config::{Overrides, ServeConfig},
    db::Db,
    http::{admin_token::AdminToken, state::AppState},
    kpi::KpiStore,
    leptos_options, router,
    signing::SigningKey,
};
use serde_json::Value;

type Edit = Box<dyn FnOnce(&mut ServeConfig) + Send>;

/// Porthole as a test wants it: its files in one directory, its
/// configuration from porthole.toml text, overrides and edits.
pub struct TestApp {
    dir: PathBuf,
    config_toml: String,
    overrides: Overrides,
    admin_token: Option<String>,
    edits: Vec<Edit>,
}

impl TestApp {
    /// Porthole with every default, its data and site in `dir`; unlike
    /// `porthole serve`, no demo KPIs (see [`TestApp::with_demo_kpis`]).
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_owned(),
            config_toml: String::new(),
            overrides: Overrides {
                data_dir: Some(dir.to_owned()),
                site_root: Some(dir.to_owned()),
                duckdb_path: Some(dir.join("kpi.duckdb")),
                no_demo: true,
                ..Overrides::default()
            },
            admin_token: None,
            edits: Vec::new(),
        }
    }

    /// porthole.toml's text (written to the directory, as a reload reads it).
    pub fn with_config(mut self, toml: &str) -> Self {
        self.config_toml = toml.to_owned();
        self
    }

    /// The built site's directory (`--site-root`) [default: the test's
    /// directory].
    pub fn with_site_root(mut self, site_root: &Path) -> Self {
        self.overrides.site_root = Some(site_root.to_owned());
        self
    }

    /// The Prometheus-compatible upstream at `url` (`--prometheus-url`).
    pub fn with_upstream(mut self, url: &str) -> Self {
        self.overrides.prometheus_url = Some(url.to_owned());
        self
    }

    /// Where visitors reach the site (`--public-url`).
    pub fn with_public_url(mut self, url: &str) -> Self {
        self.overrides.public_url = Some(url.to_owned());
        self
    }

    /// Two years of demo KPI history in an empty store, as `porthole
    /// serve` seeds without `--no-demo`.
    pub fn with_demo_kpis(mut self) -> Self {
        self.overrides.no_demo = false;
        self
    }

    /// The admin token (`PORTHOLE_ADMIN_TOKEN`).
    pub fn with_admin_token(mut self, token: &str) -> Self {
        self.admin_token = Some(token.to_owned());
        self
    }

    /// The key of signed links (`PORTHOLE_SIGNING_KEY`).
    pub fn with_signing_key(self, key: &str) -> Self {
        let key = SigningKey::new(Some(key)).expect("a signing key of 32 characters or more");
        self.configure(move |config| config.signing_key = key)
    }

    /// Any other change to the resolved configuration.
    pub fn configure(mut self, edit: impl FnOnce(&mut ServeConfig) + Send + 'static) -> Self {
        self.edits.push(Box::new(edit));
        self
    }

    /// The configuration as `porthole serve` would resolve it, edits applied.
    pub fn config(&self) -> ServeConfig {
        self.resolve(self.overrides.clone())
    }

    fn resolve(&self, overrides: Overrides) -> ServeConfig {
        let path = self.dir.join("porthole.toml");
        std::fs::write(&path, &self.config_toml).expect("porthole.toml");
        ServeConfig::resolve(Overrides {
            config: Some(path),
            ..overrides
        })
        .expect("a valid configuration")
    }

    fn admin_token(&self) -> AdminToken {
        AdminToken::new(self.admin_token.clone())
    }

    /// The shared state over the configured KPI store, with nothing
    /// started in the background.
    pub async fn state(mut self) -> AppState {
        let mut config = self.config();
        for edit in std::mem::take(&mut self.edits) {
            edit(&mut config);
        }
        let kpi = KpiStore::new(Db::open(&config.duckdb_path).expect("the KPI database"));
        if config.demo {
            kpi.seed_demo_if_empty(chrono::Utc::now().date_naive())
                .await
                .expect("demo KPIs");
        }
        AppState::configured(
            leptos_options(
                config
                    .site_root
                    .as_deref()
                    .unwrap_or(Path::new("target/site")),
            ),
            kpi,
            self.admin_token(),
            &config,
        )
        .expect("state for a valid configuration")
    }

    /// The router, answering requests without a socket.
    pub async fn router(self) -> Router {
        router(self.state().await)
    }

    /// The router and its state.
    pub async fn router_and_state(self) -> (Router, AppState) {
        let state = self.state().await;
        (router(state.clone()), state)
    }

    /// Porthole serving on a loopback port through the server's own
    /// `serve_on`, background tasks and all; returns its base URL. It
    /// serves until the test's runtime ends.
    pub async fn serve(mut self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr: SocketAddr = listener.local_addr().expect("its address");
        let overrides = Overrides {
            addr: Some(addr),
            ..self.overrides.clone()
        };
        let mut config = self.resolve(overrides.clone());
        for edit in std::mem::take(&mut self.edits) {
            edit(&mut config);
        }
        let admin_token = self.admin_token();
        tokio::spawn(async move {
            if let Err(error) = porthole::serve_on(
                listener,
                config,
                admin_token,
                Overrides {
                    config: Some(self.dir.join("porthole.toml")),
                    ..overrides
                },
                std::future::pending(),
            )
            .await
            {
                panic!("serve stopped: {error}");
            }
        });
        let url = format!("http://{addr}");
        wait_ready(&url).await;
        url
    }
}

/// Waits until `url`'s `/health` answers.
pub async fn wait_ready(url: &str) {
    let client = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(answer) = client.get(format!("{url}/health")).send().await
            && answer.status().is_success()
        {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{url} never became healthy"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// `/api/status`'s services by id, once every one has been checked.
#[allow(dead_code)] // only the tests of served check kinds read it
pub async fn checked_services(base: &str, count: usize) -> serde_json::Map<String, Value> {
    let client = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let status: Value = client
            .get(format!("{base}/api/status"))
            .send()
            .await
            .expect("status")
            .json()
            .await
            .expect("json");
        let services: serde_json::Map<String, Value> = status["groups"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|group| group["services"].as_array().cloned().unwrap_or_default())
            .map(|service| (service["id"].as_str().unwrap_or("").to_owned(), service))
            .collect();
        let checked = services
            .values()
            .filter(|s| s["last_check"].is_number())
            .count();
        if checked == count {
            return services;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "services not all checked: {status}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
