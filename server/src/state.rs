//! The state every handler shares.

use std::{sync::Arc, time::Instant};

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::{metrics::Metrics, panels::Panels};

/// Shared, cheaply cloned application state.
#[derive(Clone)]
pub struct AppState {
    /// Leptos' settings: where the site's files are and what they are called.
    pub leptos_options: LeptosOptions,
    /// Porthole's own metrics.
    pub metrics: Arc<Metrics>,
    /// Panel data for the dashboards.
    pub panels: Arc<Panels>,
    /// When the process started, for `/health`.
    pub started: Instant,
}

impl AppState {
    /// State for a site whose built files live under `leptos_options.site_root`.
    pub fn new(leptos_options: LeptosOptions) -> Self {
        Self {
            leptos_options,
            metrics: Arc::new(Metrics::new()),
            panels: Arc::new(Panels),
            started: Instant::now(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
