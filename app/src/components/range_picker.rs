//! The time-range control: plain links, so it works without JavaScript; once
//! hydrated, the router turns the same links into in-page navigation.
//! (Plain `<a>` rather than the router's `<A>`: `<A>` marks every link to the
//! same path as current, whatever its query string.)

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::{
    model::TimeRange,
    view_state::{Theme, ViewState},
};

/// A row of theme links; the selected one is marked `aria-current`.
#[component]
pub fn ThemePicker(
    /// The range, kept by the links.
    #[prop(into)]
    range: Signal<TimeRange>,
    /// The theme shown now.
    #[prop(into)]
    selected: Signal<Theme>,
) -> impl IntoView {
    let location = use_location();
    view! {
        <nav class="theme-picker" aria-label="Theme">
            {Theme::ALL
                .into_iter()
                .map(|theme| {
                    let href = move || {
                        ViewState {
                            range: range.get(),
                            theme,
                        }
                        .href(&location.pathname.get())
                    };
                    let current = move || (selected.get() == theme).then_some("page");
                    view! {
                        <a href=href aria-current=current>
                            {theme.label()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// A row of range links; the selected one is marked `aria-current`.
#[component]
pub fn RangePicker(
    /// The ranges to offer.
    ranges: Vec<TimeRange>,
    /// The range shown now.
    #[prop(into)]
    selected: Signal<TimeRange>,
    /// The theme, kept by the links.
    #[prop(into)]
    theme: Signal<Theme>,
) -> impl IntoView {
    let location = use_location();
    view! {
        <nav class="range-picker" aria-label="Time range">
            {ranges
                .into_iter()
                .map(|range| {
                    let href = move || {
                        ViewState {
                            range,
                            theme: theme.get(),
                        }
                        .href(&location.pathname.get())
                    };
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
