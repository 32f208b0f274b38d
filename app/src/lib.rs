//! Porthole's user interface, shared by the server and the browser.
//!
//! With feature `ssr` the server renders every page, charts included, to HTML.
//! The browser (feature `hydrate`, WASM) takes over only the islands
//! (`#[island]`): what a visitor interacts with — a chart's hover readout and
//! legend, copy buttons, live refresh, the status page's refresh, an embed's
//! height. Everything else is server HTML the browser runs no code for, but
//! for a few lines of inline script that keep the scroll position across
//! view links (`keep_scroll.js`), and the loader that hydrates the islands
//! (`island_loader.js`, see [`bundle`]). Data flows one way: `model` types come
//! in through `panel_data`, `charts` draw them, `components` frame them and
//! `pages` lay them out.

// Leptos' views are nested types; the Share dialog's is deep enough to
// need more than the default limit when laid out for the server.
#![recursion_limit = "256"]

pub mod bundle;
pub mod components;
pub mod live;
pub mod page_view;
pub mod pages;
pub mod panel_data;
pub mod render_once;
pub mod signed_link;
pub mod site;
pub mod words;

pub use porthole_charts as charts;
pub use porthole_model::{calendar, view_state, wire as model};

use bundle::{Bundle, BundleStylesheet, IslandScripts};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

use pages::{
    dashboard::DashboardPage, embed::EmbedPage, not_found::NotFound, snapshot::SnapshotPage,
    status::StatusPage, status_history::StatusHistoryPage, status_incident::StatusIncidentPage,
    status_service::StatusServicePage,
};

/// The HTML document around the app, rendered on the server only;
/// `bundle` is what the server read of the site's bundle when it started.
pub fn shell(options: LeptosOptions, bundle: std::sync::Arc<Bundle>) -> impl IntoView {
    let brand = site::Brand::current();
    let icon = match (&brand.logo, brand.icons_from_logo) {
        (Some(logo), true) => logo.clone(),
        _ => "/favicon.svg".to_owned(),
    };
    let touch_icon = if brand.icons_from_logo {
        "/brand/icon-192.png"
    } else {
        "/icons/icon-192.png"
    };
    // After the stylesheet, so the operator's accents win over its own.
    let accents = brand.accent_css().map(|css| view! { <style>{css}</style> });
    let lang = page_view::request_view().language();
    view! {
        <!DOCTYPE html>
        <html lang=lang.to_string()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <KeepScroll />
                <meta name="description" content=brand.description.clone() />
                <link rel="icon" href=icon type="image/svg+xml" />
                {(!is_embed()).then(|| view! {
                    <link rel="manifest" href="/manifest.webmanifest" />
                    <script type="module" src="/pwa.js"></script>
                })}
                <link rel="apple-touch-icon" href=touch_icon />
                <meta name="theme-color" content=brand.theme_colour().to_owned() />
                <BundleStylesheet bundle=bundle.clone() id="leptos" />
                {accents}
                <IslandScripts options bundle />
                <LinkPreviewTags />
                <MetaTags />
            </head>
            <body>
                <App />
                <div id=PAGE_END hidden></div>
            </body>
        </html>
    }
}

/// Whether the page is an embed (`/embed/…`). An embed is a panel inside
/// someone else's page: it installs no app and no service worker, whose
/// precache would cost that page's visitors the whole site.
fn is_embed() -> bool {
    #[cfg(feature = "ssr")]
    {
        matches!(
            page_view::request_route(),
            Some(porthole_model::Route::Embed { .. })
        )
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// The id of an empty element that ends every page's body.
const PAGE_END: &str = "page-end";

/// Keeps the reader's place across a change of view (`keep_scroll.js`,
/// inline: no request, no WASM). The page is held from rendering until it
/// is parsed to [`PAGE_END`], so the script can scroll it before its first
/// frame; pages arrive whole (`SsrMode::Async`), so this waits for no
/// network.
#[component]
fn KeepScroll() -> impl IntoView {
    use leptos::tachys::html::attribute::custom::CustomAttribute;

    let hold_rendering = leptos::html::link()
        .rel("expect")
        .href(format!("#{PAGE_END}"))
        .attr("blocking", "render");
    view! {
        {hold_rendering}
        <script nonce=use_nonce()>{include_str!("keep_scroll.js")}</script>
    }
}

/// Open Graph and Twitter card tags for the page being served, so a pasted
/// link unfurls with its title and a chart. Part of the shell's head, which
/// only the server renders (the browser hydrates the body).
#[component]
fn LinkPreviewTags() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        use leptos::tachys::html::attribute::custom::CustomAttribute;

        // `property` is not an attribute the view macro knows.
        let og = |property: &'static str, content: String| {
            leptos::html::meta()
                .attr("property", property)
                .attr("content", content)
        };
        let source = use_context::<panel_data::PanelSourceHandle>();
        let (Some(route), Some(source)) = (page_view::request_route(), source) else {
            return ().into_any();
        };
        let Some(preview) = source.0.preview(&route) else {
            return ().into_any();
        };
        let view = page_view::request_view();
        // Absolute URLs only from the site's known address, never from the
        // request's Host: a cached page is shown to everyone.
        let site = site::PublicUrl::current();
        let mut window = model::window_query(view.range, view.span);
        for pair in [
            view.zone.query_pair(),
            view.lang.map(|lang| lang.query_pair()),
        ]
        .into_iter()
        .flatten()
        {
            window.push('&');
            window.push_str(&pair);
        }
        let image = site.absolute(&preview.image_path(&window));
        let url = site.absolute(&view.href(&route.href()));
        let absolute = url.zip(image).map(|(url, image)| {
            view! {
                {og("og:url", url)}
                {og("og:image", image.clone())}
                {og("og:image:width", "1200".to_owned())}
                {og("og:image:height", "630".to_owned())}
                <meta name="twitter:image" content=image />
            }
        });
        view! {
            {og("og:type", "website".to_owned())}
            {og("og:site_name", site::Brand::current().title)}
            {og("og:title", preview.title.clone())}
            {og("og:description", preview.description.clone())}
            <meta name="twitter:card" content="summary_large_image" />
            <meta name="twitter:title" content=preview.title />
            <meta name="twitter:description" content=preview.description />
            {absolute}
        }
        .into_any()
    }
    #[cfg(not(feature = "ssr"))]
    {
        ().into_any()
    }
}

/// The app's routes. Pages wait for their data before the first byte
/// (`SsrMode::Async`) so every chart is in the HTML, readable without JavaScript.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text=site::Brand::current().title />
        <Router>
            <Routes fallback=NotFound>
                <Route path=StaticSegment("") view=DashboardPage ssr=SsrMode::Async />
                <Route path=StaticSegment("status") view=StatusPage ssr=SsrMode::Async />
                <Route
                    path=(StaticSegment("status"), StaticSegment("history"))
                    view=StatusHistoryPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("status"), StaticSegment("incidents"), ParamSegment("id"))
                    view=StatusIncidentPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("status"), ParamSegment("service"))
                    view=StatusServicePage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("d"), ParamSegment("dashboard"))
                    view=DashboardPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("s"), ParamSegment("id"))
                    view=SnapshotPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("embed"), ParamSegment("dashboard"), ParamSegment("panel"))
                    view=EmbedPage
                    ssr=SsrMode::Async
                />
            </Routes>
        </Router>
    }
}

/// The browser entry point: readies the islands, which the loader
/// (`island_loader.js`) then hydrates in document order, each in a task of
/// its own, and marks the page as interactive once they are.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Panic messages in the console, in debug builds only: any panic hook
    // links the formatting of every panic message, about 9 KB brotli of
    // every page's first load. A release build's panic shows as an
    // "unreachable" trap with its WASM stack.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    hydrate_islands();
}
