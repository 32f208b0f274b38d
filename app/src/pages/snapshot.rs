//! `/s/{id}`: a snapshot, exactly as captured, under a banner that says
//! when it was taken. An expired or revoked snapshot is a 410 page.

use crate::model::ErrorKind;
use leptos::prelude::*;

use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use porthole_model::{Id, Route};

use crate::{
    components::{
        panel::{Frozen, FrozenPanel},
        top_bar::{SitePage, TopBar},
    },
    model::{ErrorBody, Snapshot},
    panel_data::load_snapshot,
    site::Brand,
    view_state::ViewState,
};

/// A snapshot page.
#[component]
pub fn SnapshotPage() -> impl IntoView {
    let query = use_query_map();
    let id = match crate::site::current_route() {
        Some(Route::Snapshot { id }) => id.to_string(),
        _ => String::new(),
    };
    let id = Memo::new(move |_| id.clone());
    let snapshot = Resource::new(move || id.get(), load_snapshot);
    // Only the theme of the view applies: the window is the snapshot's.
    let view = Memo::new(move |_| {
        let query = query.read();
        ViewState::from_query(|key| query.get(key)).0
    });
    let view = Signal::derive(move || view.get());
    crate::page_view::provide_view(view.get_untracked());
    provide_context(Frozen);
    let loading = crate::tr!("pages-loading");
    view! {
        <div class="app" data-theme=move || view.get().theme.as_str()>
            <TopBar current=SitePage::Unlisted view />
            <main class="page dashboard snapshot">
                <Suspense fallback=move || view! { <p class="panel-state">{loading.clone()}</p> }>
                    {move || Suspend::new(async move {
                        match crate::render_once::loaded(snapshot).await {
                            Ok(snapshot) => view! { <SnapshotView snapshot /> }.into_any(),
                            Err(error) => view! { <SnapshotUnavailable error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </main>
        </div>
    }
}

/// The banner, the heading and the frozen panels.
#[component]
fn SnapshotView(snapshot: Snapshot) -> impl IntoView {
    let taken = crate::tr!(
        "snapshot-taken",
        time = crate::page_view::timestamp(snapshot.taken_at)
    );
    // One sentence after another: the space between them is the page's.
    let expiry = snapshot.expires_at.map(|at| {
        format!(
            " {}",
            crate::tr!(
                "snapshot-shown-until",
                time = crate::page_view::timestamp(at)
            )
        )
    });
    view! {
        <Title text=Brand::current()
            .title_of(&crate::tr!("snapshot-title", title = &snapshot.title)) />
        <p class="notice snapshot-banner" role="status">
            {taken}
            {expiry}
            {Id::new(&snapshot.dashboard)
                .map(|dashboard| {
                    view! {
                        " "
                        <a href=Route::dashboard_page(dashboard).href()>{crate::tr!("snapshot-live")}</a>
                    }
                })}
        </p>
        <div class="dashboard-head">
            <h1>{snapshot.title}</h1>
        </div>
        {(!snapshot.description.is_empty())
            .then(|| view! { <p class="dashboard-description">{snapshot.description}</p> })}
        <div class="panels">
            {snapshot
                .panels
                .into_iter()
                .map(|panel| view! { <FrozenPanel panel /> })
                .collect_view()}
        </div>
    }
}

/// An unknown (404), expired or revoked (410) snapshot.
#[component]
fn SnapshotUnavailable(error: ErrorBody) -> impl IntoView {
    let gone = error.error_type == ErrorKind::Gone;
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(match error.error_type {
            ErrorKind::Gone => http::StatusCode::GONE,
            ErrorKind::NotFound => http::StatusCode::NOT_FOUND,
            _ => http::StatusCode::SERVICE_UNAVAILABLE,
        });
    }
    view! {
        <Title text=Brand::current().title_of(&crate::tr!("snapshot-unavailable-title")) />
        <h1>{crate::tr!(if gone { "snapshot-gone" } else { "snapshot-not-found" })}</h1>
        <p class="notice error" role="alert">{error.error}</p>
        <p>
            <a href=Route::Overview.href()>{crate::tr!("pages-go-to-overview")}</a>
        </p>
    }
}
