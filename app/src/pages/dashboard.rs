//! The dashboard page: a range picker and the dashboard's panels.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    components::{
        panel::Panel,
        range_picker::{DAILY_RANGES, RangePicker},
    },
    model::{TimeRange, UnknownRange},
};

/// The built-in overview dashboard. The view state lives in the query
/// string (`?range=7d`), so every view is a link.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let requested: Memo<Result<TimeRange, UnknownRange>> = Memo::new(move |_| {
        query
            .read()
            .get("range")
            .map_or(Ok(TimeRange::default()), |range| range.parse())
    });
    let range = Signal::derive(move || requested.get().unwrap_or_default());
    // Effects run only in the browser, so this marks the page as interactive
    // once hydrated (tests and styles can tell the two states apart).
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));

    #[cfg(feature = "ssr")]
    if requested.get_untracked().is_err()
        && let Some(response) = use_context::<leptos_axum::ResponseOptions>()
    {
        response.set_status(http::StatusCode::BAD_REQUEST);
    }

    view! {
        <Title text="Overview · Porthole" />
        <header class="topbar">
            <a class="brand" href="/">
                "Porthole"
            </a>
        </header>
        <main class="page dashboard" data-hydrated=move || hydrated.get().to_string()>
            <div class="dashboard-head">
                <h1>"Overview"</h1>
                <RangePicker ranges=&DAILY_RANGES selected=range />
            </div>
            {move || {
                requested
                    .get()
                    .err()
                    .map(|error| {
                        view! {
                            <p class="notice error" role="alert">
                                {format!(
                                    "{error}; showing the {} instead.",
                                    TimeRange::default().label(),
                                )}
                            </p>
                        }
                    })
            }}
            <div class="panels">
                <Panel dashboard="overview" panel="stats" range />
                <Panel dashboard="overview" panel="users" range />
                <Panel dashboard="overview" panel="monthly" range />
            </div>
        </main>
    }
}
