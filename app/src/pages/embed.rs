//! `/embed/{dashboard}/{panel}`: one panel without the page around it, for
//! an iframe on another site. `?theme=`, `?transparent=1` (the host page's
//! background shows through), `?title=0` (no heading) and the window
//! (`range`, or `from` and `to`) as on the dashboard. Once hydrated it has
//! hover values, and tells the host page its height (`postMessage`) so the
//! iframe can size itself.

use leptos::prelude::*;

use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use porthole_model::Route;

use crate::{
    components::panel::Panel, model::PanelWidth, signed_link::AccessToken, site::Brand,
    view_state::ViewState,
};

/// The message an embed posts to its host page, as JSON:
/// `{"porthole":"height","height":N}`. It is posted as that object (not
/// as text), so a host reads `event.data.porthole` and `event.data.height`.
pub fn height_message(height: i32) -> String {
    format!(r#"{{"porthole":"height","height":{height}}}"#)
}

/// One panel, chromeless.
#[component]
pub fn EmbedPage() -> impl IntoView {
    let query = use_query_map();
    let (dashboard, panel) = match crate::site::current_route() {
        Some(Route::Embed { dashboard, panel }) => (dashboard.to_string(), panel.to_string()),
        _ => (String::new(), String::new()),
    };
    let flag = move |key: &str, default: bool| {
        query
            .read_untracked()
            .get(key)
            .map_or(default, |v| v == "1" || v == "true")
    };
    let (transparent, titled) = (flag("transparent", false), flag("title", true));
    let view = Memo::new(move |_| {
        let query = query.read();
        ViewState::from_query(|key| query.get(key)).0
    });
    crate::page_view::provide_view(view.get_untracked());
    provide_context(AccessToken::from_query(query.read_untracked().get("token")));
    let ViewState { range, span, .. } = view.get_untracked();
    view! {
        <Title text=Brand::current().title />
        <div
            class="app embed"
            data-theme=move || view.get().theme.as_str()
            data-transparent=transparent.to_string()
            data-title=titled.to_string()
        >
            <Panel dashboard panel range span width=PanelWidth::Full />
            // No top bar here to name the zone: the embed says it itself.
            <p class="embed-zone zone-current">
                {crate::tr!("embed-zone", zone = view.get_untracked().zone.to_string())}
            </p>
            <EmbedHeight />
        </div>
    }
}

/// Tells the host page the document's height (`postMessage`) now, whenever
/// the window resizes, and every two seconds (the panel's content may change
/// its height), so the iframe can size itself. In the first load, not a
/// module of its own: a lazy island's loader costs more than this code.
#[island]
fn EmbedHeight() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let post = || {
            // The panel's own height: the document's is at least the
            // frame's, so a frame taller than its panel would never shrink.
            let height = document()
                .query_selector(".embed")
                .ok()
                .flatten()
                .map_or(0, |embed| embed.scroll_height());
            let message = web_sys::js_sys::JSON::parse(&height_message(height));
            if let (Ok(Some(parent)), Ok(message)) = (window().parent(), message) {
                let _ = parent.post_message(&message, "*");
            }
        };
        post();
        let handle = window_event_listener(leptos::ev::resize, move |_| post());
        on_cleanup(move || handle.remove());
        set_interval(post, std::time::Duration::from_secs(2));
    }
}
