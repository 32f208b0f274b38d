//! The zone times are shown in: named in the top bar on every page, with a
//! link back to UTC when another zone is shown and, once the page is
//! interactive, a link to the same view in the visitor's own zone (the
//! browser's `Intl` zone). Without JavaScript the `tz` parameter still
//! works; only the offer needs the browser to know where it is.

use leptos::prelude::*;

use porthole_model::zone::with_zone;

use crate::view_state::{ViewState, ZoneName};

/// The zone shown, and the ways to another.
#[component]
pub fn ZonePicker(
    /// The view shown now.
    #[prop(into)]
    view: Signal<ViewState>,
) -> impl IntoView {
    let current = move || view.get().zone;
    let location = leptos_router::hooks::use_location();
    let to_utc = move || {
        (!current().is_utc()).then(|| {
            let href = with_zone(
                &location.pathname.get(),
                &location.search.get(),
                ZoneName::UTC,
            );
            view! { <a href=href class="zone-utc">{crate::tr!("zone-picker-show-utc")}</a> }
        })
    };
    view! {
        <p class="zone-picker">
            <span class="zone-current">
                {move || crate::tr!("zone-picker-times-in", zone = current().as_str())}
            </span>
            {to_utc}
            <ZoneOffer
                current=current().as_str().to_owned()
                label=super::template("zone-picker-show-in", &["zone"])
            />
        </p>
    }
}

/// Once interactive: a link to this page with `tz` set to the browser's
/// zone, when that is not the zone shown.
#[island]
fn ZoneOffer(
    /// The zone shown.
    current: String,
    /// The link's words, with a `{zone}` for the browser's zone: "Show in
    /// {zone}" (looked up on the server, see `components::template`).
    label: String,
) -> impl IntoView {
    let offer = RwSignal::new(None::<(String, String)>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(zone) = browser_zone().filter(|zone| zone.as_str() != current)
            && let Some(href) = with_browser_zone(zone)
        {
            offer.set(Some((zone.to_string(), href)));
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = current;
    move || {
        offer.get().map(|(zone, href)| {
            let text = super::fill(&label, &[("zone", &zone)]);
            view! { <a href=href class="zone-offer">{text}</a> }
        })
    }
}

/// The zone the browser's clock is set to, if it names one. Temporal's
/// answer where the browser has it: `Intl.DateTimeFormat`, the older way,
/// loads the locale's date patterns first, about 90 ms of a slowed phone's
/// CPU in the middle of the page's hydration (Lighthouse's long task).
#[cfg(feature = "hydrate")]
fn browser_zone() -> Option<ZoneName> {
    temporal_zone().ok().or_else(intl_zone)?.parse().ok()
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `Temporal.Now.timeZoneId()`: throws where the browser has no
    /// Temporal.
    #[wasm_bindgen(js_namespace = ["Temporal", "Now"], js_name = timeZoneId, catch)]
    fn temporal_zone() -> Result<String, wasm_bindgen::JsValue>;
}

/// The zone `Intl.DateTimeFormat` resolves to, for browsers without
/// Temporal.
#[cfg(feature = "hydrate")]
fn intl_zone() -> Option<String> {
    use web_sys::js_sys::{Array, Intl::DateTimeFormat, Object, Reflect};
    let options = DateTimeFormat::new(&Array::new(), &Object::new()).resolved_options();
    Reflect::get(&options, &"timeZone".into()).ok()?.as_string()
}

/// This page's URL with `tz` set to `zone`, the rest of the query kept.
#[cfg(feature = "hydrate")]
fn with_browser_zone(zone: ZoneName) -> Option<String> {
    let location = window().location();
    Some(with_zone(
        &location.pathname().ok()?,
        &location.search().unwrap_or_default(),
        zone,
    ))
}
