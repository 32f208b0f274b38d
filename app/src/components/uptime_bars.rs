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
    let label = crate::tr!("uptime-bars-label", name = &name, count = days.len());
    view! {
        <ol class="uptime-bars" aria-label=label>
            {days
                .into_iter()
                .map(|day| {
                    // The tip is the bar's text for screen readers too: hidden
                    // visually (not from them) until hovered or focused.
                    view! {
                        <li class=format!("bar {}", day.grade()) tabindex="0">
                            <span class="bar-tip">{describe(&day)}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}

/// What hovering or focusing a day's bar says, in the page's language:
/// "2026-03-07: 99.95% up, 1 incident" in English.
pub fn describe(day: &DayBar) -> String {
    let uptime = day.uptime.map_or_else(
        || crate::tr!("uptime-bars-no-data"),
        |u| crate::tr!("uptime-bars-up", percent = percent(u)),
    );
    let incidents = crate::tr!("uptime-bars-incidents", count = day.incidents);
    crate::tr!(
        "uptime-bars-day",
        day = &day.day,
        uptime = uptime,
        incidents = incidents
    )
}

/// An uptime as status pages print it, without its `%`: two decimals,
/// never rounded up to 100 (99.996% of checks is not a perfect record),
/// and 100 whole. The page's language's decimal mark.
pub fn percent(value: f64) -> String {
    let digits = if value >= 100.0 {
        "100".to_owned()
    } else {
        format!("{:.2}", (value * 100.0).floor() / 100.0)
    };
    crate::words::number(digits)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::words::in_language;

    #[test]
    fn days_read_as_the_model_wrote_them_in_english_and_in_german() {
        let day = |uptime, incidents| DayBar {
            day: "2026-03-07".to_owned(),
            uptime,
            incidents,
        };
        for bar in [
            day(Some(99.996), 0),
            day(Some(100.0), 1),
            day(None, 2),
            day(Some(50.0), 12),
        ] {
            assert_eq!(in_language("en", || describe(&bar)), bar.describe());
        }
        assert_eq!(
            in_language("de", || describe(&day(Some(99.996), 1))),
            "2026-03-07: 99,99% verfügbar, 1 Vorfall"
        );
        assert_eq!(
            in_language("de", || describe(&day(None, 0))),
            "2026-03-07: keine Daten, keine Vorfälle"
        );
    }
}
