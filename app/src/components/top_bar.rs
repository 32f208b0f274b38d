//! The bar atop every page: the brand, the site's pages, the theme, the
//! time zone and the language.

use leptos::prelude::*;

use crate::{
    components::{
        language_picker::LanguagePicker, range_picker::ThemePicker, zone_picker::ZonePicker,
    },
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
            <nav class="brand-links" aria-label=crate::tr!("top-bar-links")>
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
            <nav class="site-nav" aria-label=crate::tr!("top-bar-pages")>
                <a href=carry(&porthole_model::Route::Overview.href()) aria-current=mark(SitePage::Dashboard)>
                    {crate::tr!("top-bar-dashboard")}
                </a>
                <a href=carry(&porthole_model::Route::Status.href()) aria-current=mark(SitePage::Status)>
                    {crate::tr!("top-bar-status")}
                </a>
            </nav>
            {links}
            <ThemePicker view />
            <ZonePicker view />
            <LanguagePicker />
        </header>
        // What a status page's link got wrong (a dashboard says so itself,
        // above its panels).
        {crate::page_view::ViewProblems::current()
            .into_iter()
            .map(|problem| view! { <p class="notice error" role="alert">{problem}</p> })
            .collect_view()}
    }
}
