//! What a status page shows when its data was refused: the error, with the
//! answer's status set to match (a 404 for an unknown id, a 503 when the
//! database failed).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{model::ErrorBody, site::Brand};

/// The refusal; with a `heading`, the page is titled and headed "not
/// found" as well.
#[component]
pub fn Refused(
    /// Why.
    error: ErrorBody,
    /// The page's heading ("No such incident"), when the whole page is
    /// the refusal.
    #[prop(optional, into)]
    heading: Option<String>,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(error.error_type.status())
                .unwrap_or(http::StatusCode::SERVICE_UNAVAILABLE),
        );
    }
    let heading = heading.map(|heading| {
        view! {
            <Title text=Brand::current().title_of(&crate::tr!("refused-title")) />
            <h1>{heading}</h1>
        }
    });
    view! {
        {heading}
        <p class="notice error" role="alert">{error.error}</p>
    }
}
