//! Server-rendered pages: the Leptos app's routes, with panel data provided.

use std::sync::Arc;

use app::{App, panel_data::PanelSourceHandle, shell};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};

use crate::{panels::SharedPanels, state::AppState};

/// The app's page routes.
pub fn router(state: &AppState) -> Router<AppState> {
    let options = state.leptos_options.clone();
    Router::new().leptos_routes_with_context(
        state,
        generate_route_list(App),
        page_context(state),
        move || shell(options.clone()),
    )
}

/// What every server render gets as context: the panel data source.
pub fn page_context(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let sources = state.sources.clone();
    move || provide_context(PanelSourceHandle(Arc::new(SharedPanels(sources.clone()))))
}
