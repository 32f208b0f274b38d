//! The state every handler shares.

use std::{sync::Arc, time::Instant};

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::{
    auth::AdminToken, kpi::KpiStore, metrics::Metrics, panels::Panels,
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
    /// The token guarding write endpoints.
    pub admin_token: AdminToken,
    /// When the process started, for `/health`.
    pub started: Instant,
}

impl AppState {
    /// State for a site under `leptos_options.site_root` and a KPI store.
    pub fn new(
        leptos_options: LeptosOptions,
        kpi: KpiStore,
        configured_metrics: &[String],
        admin_token: AdminToken,
    ) -> Self {
        Self {
            leptos_options,
            metrics: Arc::new(Metrics::new()),
            known_metrics: Arc::new(known_metrics(configured_metrics)),
            panels: Arc::new(Panels::new(kpi.clone())),
            kpi,
            admin_token,
            started: Instant::now(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
