//! The time-range control: plain links, so it works without JavaScript; once
//! hydrated, the router turns the same links into in-page navigation.
//! (Plain `<a>` rather than the router's `<A>`: `<A>` marks every link to the
//! same path as current, whatever its query string.)

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::model::TimeRange;

/// A row of range links; the selected one is marked `aria-current`.
#[component]
pub fn RangePicker(
    /// The ranges to offer.
    ranges: Vec<TimeRange>,
    /// The range shown now.
    #[prop(into)]
    selected: Signal<TimeRange>,
) -> impl IntoView {
    let location = use_location();
    view! {
        <nav class="range-picker" aria-label="Time range">
            {ranges
                .into_iter()
                .map(|range| {
                    let href = move || format!("{}?range={range}", location.pathname.get());
                    let current = move || (selected.get() == range).then_some("page");
                    view! {
                        <a href=href aria-current=current title=range.label()>
                            {range.as_str()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}
