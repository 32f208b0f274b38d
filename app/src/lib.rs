//! Porthole's user interface, shared by the server and the browser.
//!
//! With feature `ssr` the server renders every page, charts included, to HTML;
//! with feature `hydrate` the same components take over that HTML in the
//! browser (WASM) and add interaction. Data flows one way: `model` types come
//! in through `panel_data`, `charts` draw them, `components` frame them and
//! `pages` lay them out.

pub mod access;
pub mod calendar;
pub mod charts;
pub mod components;
pub mod live;
pub mod model;
pub mod pages;
pub mod panel_data;
pub mod view_state;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

use pages::{dashboard::DashboardPage, not_found::NotFound, status::StatusPage};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="description" content="Public metrics dashboard" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The app's routes. Pages wait for their data before the first byte
/// (`SsrMode::Async`) so every chart is in the HTML, readable without JavaScript.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Porthole" />
        <Router>
            <Routes fallback=NotFound>
                <Route path=StaticSegment("") view=DashboardPage ssr=SsrMode::Async />
                <Route path=StaticSegment("status") view=StatusPage ssr=SsrMode::Async />
                <Route
                    path=(StaticSegment("d"), ParamSegment("dashboard"))
                    view=DashboardPage
                    ssr=SsrMode::Async
                />
            </Routes>
        </Router>
    }
}

/// The browser entry point: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    hydrate_body(App);
}
