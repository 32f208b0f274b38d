//! A service's daily history: one bar per day, coloured by uptime. Each bar
//! is focusable and says its date, uptime and incidents on hover or focus
//! (CSS only, so it works without JavaScript).

use leptos::prelude::*;

use crate::model::DayBar;

/// The bars of `days`, oldest first.
#[component]
pub fn UptimeBars(
    /// The service's name, for the list's accessible name.
    name: String,
    /// One entry per day.
    days: Vec<DayBar>,
) -> impl IntoView {
    let label = format!("{name}: uptime per day, last {} days", days.len());
    view! {
        <ol class="uptime-bars" aria-label=label>
            {days
                .into_iter()
                .map(|day| {
                    // The tip is the bar's text for screen readers too: hidden
                    // visually (not from them) until hovered or focused.
                    view! {
                        <li class=format!("bar {}", day.grade()) tabindex="0">
                            <span class="bar-tip">{day.describe()}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}
