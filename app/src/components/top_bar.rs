//! The bar atop every page: the brand, the site's pages, the theme and the
//! time zone.

use leptos::prelude::*;

use crate::{
    components::{range_picker::ThemePicker, zone_picker::ZonePicker},
    page_view::carry,
    site::Brand,
    view_state::ViewState,
};

/// The site's pages, as the navigation lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitePage {
    /// A dashboard.
    Dashboard,
    /// `/status`.
    Status,
    /// A page the navigation does not list (a snapshot).
    Unlisted,
}

/// The top bar; `current` is marked for assistive technology.
#[component]
pub fn TopBar(
    /// The page shown.
    current: SitePage,
    /// The view shown now (the theme links keep the rest of it).
    #[prop(into)]
    view: Signal<ViewState>,
) -> impl IntoView {
    let mark = move |page: SitePage| (page == current).then_some("page");
    let brand = Brand::current();
    let logo = brand
        .logo
        .clone()
        .map(|src| view! { <img class="brand-logo" src=src alt="" width="28" height="28" /> });
    let links = (!brand.links.is_empty()).then(|| {
        view! {
            <nav class="brand-links" aria-label="Links">
                {brand
                    .links
                    .iter()
                    .map(|(label, url)| view! { <a href=url.clone() rel="noopener">{label.clone()}</a> })
                    .collect_view()}
            </nav>
        }
    });
    view! {
        <header class="topbar">
            <a class="brand" href=carry(&porthole_model::Route::Overview.href())>
                {logo}
                <span>{brand.title.clone()}</span>
            </a>
            <nav class="site-nav" aria-label="Pages">
                <a href=carry(&porthole_model::Route::Overview.href()) aria-current=mark(SitePage::Dashboard)>
                    "Dashboard"
                </a>
                <a href=carry(&porthole_model::Route::Status.href()) aria-current=mark(SitePage::Status)>
                    "Status"
                </a>
            </nav>
            {links}
            <ThemePicker view />
            <ZonePicker view />
        </header>
    }
}
