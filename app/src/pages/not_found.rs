//! The page for any path that names nothing.

use leptos::prelude::*;

use crate::site::Brand;
use leptos_meta::Title;

/// "Not found", with a link home; answered with status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=Brand::current().title_of(&crate::tr!("not-found-title")) />
        <main class="page not-found">
            <h1>{crate::tr!("not-found-heading")}</h1>
            <p>{crate::tr!("not-found-text")}</p>
            <p>
                <a href=porthole_model::Route::Overview.href()>{crate::tr!("not-found-home")}</a>
            </p>
        </main>
    }
}
