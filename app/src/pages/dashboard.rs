//! The dashboard page: a range picker and the dashboard's panels.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    components::{
        panel::Panel,
        range_picker::{RangePicker, ThemePicker},
    },
    model::{DashboardLayout, ErrorBody, TimeRange, UnknownRange},
    panel_data::load_dashboard,
    view_state::{Theme, UnknownTheme},
};

/// The dashboard served at `/`.
pub const OVERVIEW: &str = "overview";

/// A dashboard: `/` is the overview, `/d/{dashboard}` any other. The view
/// state lives in the query string (`?range=7d`), so every view is a link.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("dashboard")
            .unwrap_or_else(|| OVERVIEW.to_owned())
    });
    let requested: Memo<Result<TimeRange, UnknownRange>> = Memo::new(move |_| {
        query
            .read()
            .get("range")
            .map_or(Ok(TimeRange::default()), |range| range.parse())
    });
    let range = Signal::derive(move || requested.get().unwrap_or_default());
    let requested_theme: Memo<Result<Theme, UnknownTheme>> = Memo::new(move |_| {
        query
            .read()
            .get("theme")
            .map_or(Ok(Theme::default()), |theme| theme.parse())
    });
    let theme = Signal::derive(move || requested_theme.get().unwrap_or_default());
    let layout = Resource::new(move || id.get(), load_dashboard);
    // Effects run only in the browser, so this marks the page as interactive
    // once hydrated (tests and styles can tell the two states apart).
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    #[cfg(feature = "ssr")]
    if (requested.get_untracked().is_err() || requested_theme.get_untracked().is_err())
        && let Some(response) = use_context::<leptos_axum::ResponseOptions>()
    {
        response.set_status(http::StatusCode::BAD_REQUEST);
    }

    view! {
        <div class="app" data-theme=move || theme.get().as_str()>
        <header class="topbar">
            <a class="brand" href="/">
                "Porthole"
            </a>
            <ThemePicker range selected=theme />
        </header>
        <main class="page dashboard" data-hydrated=move || hydrated.get().to_string()>
            <Suspense fallback=|| view! { <p class="panel-state">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match layout.await {
                        Ok(layout) => {
                            view! { <Dashboard layout range theme requested requested_theme /> }
                                .into_any()
                        }
                        Err(error) => view! { <UnknownDashboard error /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
        </div>
    }
}

/// A dashboard's heading, range picker and panels.
#[component]
fn Dashboard(
    layout: DashboardLayout,
    range: Signal<TimeRange>,
    theme: Signal<Theme>,
    requested: Memo<Result<TimeRange, UnknownRange>>,
    requested_theme: Memo<Result<Theme, UnknownTheme>>,
) -> impl IntoView {
    let dashboard = layout.id.clone();
    view! {
        <Title text=format!("{} · Porthole", layout.title) />
        <div class="dashboard-head">
            <h1>{layout.title.clone()}</h1>
            <RangePicker ranges=layout.ranges.clone() selected=range theme />
        </div>
        {(!layout.description.is_empty())
            .then(|| view! { <p class="dashboard-description">{layout.description.clone()}</p> })}
        {move || {
            requested
                .get()
                .err()
                .map(|error| {
                    view! {
                        <p class="notice error" role="alert">
                            {format!("{error}; showing the {} instead.", TimeRange::default().label())}
                        </p>
                    }
                })
        }}
        {move || {
            requested_theme
                .get()
                .err()
                .map(|error| {
                    view! {
                        <p class="notice error" role="alert">
                            {format!("{error}; following the device's setting instead.")}
                        </p>
                    }
                })
        }}
        <div class="panels">
            {layout
                .panels
                .into_iter()
                .map(|panel| view! { <Panel dashboard=dashboard.clone() panel=panel.id range /> })
                .collect_view()}
        </div>
    }
}

/// A dashboard id that does not exist: a 404 with a way back.
#[component]
fn UnknownDashboard(error: ErrorBody) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(if error.error_type == "not_found" {
            http::StatusCode::NOT_FOUND
        } else {
            http::StatusCode::SERVICE_UNAVAILABLE
        });
    }
    view! {
        <Title text="Not found · Porthole" />
        <h1>"Dashboard not found"</h1>
        <p class="notice error" role="alert">{error.error}</p>
        <p>
            <a href="/">"Go to the overview"</a>
        </p>
    }
}
