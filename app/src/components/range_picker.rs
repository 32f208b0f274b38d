//! The view controls: time range, refresh and theme. Each is a row of plain
//! links (and the window a plain GET form), so they work without
//! JavaScript; each leads to the view's own page, which the server keeps
//! rendered. Every link keeps the rest of the view, and the shell's
//! `KeepScroll` keeps the reader where they were on the page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::{
    model::{Span, TimeRange},
    signed_link::AccessToken,
    view_state::{Refresh, Theme, ViewState},
};

/// A row of links to other views; the one shown now is `aria-current`.
#[component]
fn ViewLinks(
    /// The row's accessible name.
    label: String,
    /// CSS class of the row.
    class: &'static str,
    /// The view shown now.
    view: Signal<ViewState>,
    /// Each link's text, tooltip, and the view it leads to from `view`.
    choices: Vec<Choice>,
) -> impl IntoView {
    let location = use_location();
    view! {
        <nav class=class aria-label=label>
            {choices
                .into_iter()
                .map(|(text, title, to)| {
                    let token = AccessToken::current();
                    let href = move || token.append(&to(view.get()).href(&location.pathname.get()));
                    let current = move || (to(view.get()) == view.get()).then_some("page");
                    view! {
                        <a href=href aria-current=current title=title>
                            {text}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// A link's text, tooltip, and the view it leads to from the current one.
type Choice = (String, String, fn(ViewState) -> ViewState);

/// The choice that sets `field` of the view to `value`, its text the
/// value as links write it (`7d`, `10s`: units, as in the address), its
/// tooltip the value's name (`range-7d`, `refresh-10s`).
macro_rules! choice {
    // A range replaces a fixed window.
    ($value:expr, range) => {
        (
            $value.as_str().to_owned(),
            crate::words::named("range", $value.as_str()),
            (|view: ViewState| ViewState {
                range: $value,
                span: None,
                ..view
            }) as fn(ViewState) -> ViewState,
        )
    };
    ($value:expr, $field:ident) => {
        (
            $value.as_str().to_owned(),
            crate::words::named(stringify!($field), $value.as_str()),
            (|view: ViewState| ViewState {
                $field: $value,
                ..view
            }) as fn(ViewState) -> ViewState,
        )
    };
}

/// The time ranges `ranges` (a dashboard offers those that suit its data).
#[component]
pub fn RangePicker(
    /// The ranges to offer.
    ranges: Vec<TimeRange>,
    /// The view shown now.
    #[prop(into)]
    view: Signal<ViewState>,
) -> impl IntoView {
    let all: [Choice; 8] = [
        choice!(TimeRange::Minutes15, range),
        choice!(TimeRange::Hour1, range),
        choice!(TimeRange::Hours6, range),
        choice!(TimeRange::Hours24, range),
        choice!(TimeRange::Days7, range),
        choice!(TimeRange::Days30, range),
        choice!(TimeRange::Days90, range),
        choice!(TimeRange::Year1, range),
    ];
    let choices = TimeRange::ALL
        .into_iter()
        .zip(all)
        .filter(|(range, _)| ranges.contains(range))
        .map(|(_, choice)| choice)
        .collect();
    view! {
        <ViewLinks label=crate::tr!("range-picker-label") class="range-picker" view choices />
        <WindowForm view />
    }
    .into_any()
}

/// A fixed window: two date-time fields (in the viewer's zone) in a plain
/// GET form, so it works without JavaScript; the page it leads to is the
/// window's link.
#[component]
fn WindowForm(view: Signal<ViewState>) -> impl IntoView {
    let location = use_location();
    let zone = crate::page_view::page_zone();
    let span = move || view.get().span;
    let value = {
        let zone = zone.clone();
        move |pick: fn(Span) -> i64| {
            let zone = zone.clone();
            move || span().map(|s| zone.format_input(pick(s)))
        }
    };
    let label = {
        let zone = zone.clone();
        let custom = crate::tr!("range-picker-custom");
        move || span().map_or_else(|| custom.clone(), |span| span_label(&zone, span))
    };
    let name = zone.name;
    view! {
        <details class="window-form" open=move || span().is_some()>
            <summary aria-current=move || span().map(|_| "page")>{label}</summary>
            <form method="get" action=move || location.pathname.get()>
                <label>
                    {crate::tr!("range-picker-from", zone = name.as_str())}
                    <input type="datetime-local" name="from" required value=value(|s| s.from) />
                </label>
                <label>
                    {crate::tr!("range-picker-to", zone = name.as_str())}
                    <input type="datetime-local" name="to" required value=value(|s| s.to) />
                </label>
                {(!name.is_utc())
                    .then(|| view! { <input type="hidden" name="tz" value=name.as_str().to_owned() /> })}
                {AccessToken::current()
                    .0
                    .map(|token| view! { <input type="hidden" name="token" value=token /> })}
                {move || {
                    let theme = view.get().theme;
                    (theme != Theme::System)
                        .then(|| view! { <input type="hidden" name="theme" value=theme.as_str() /> })
                }}
                {move || {
                    view.get()
                        .lang
                        .map(|lang| view! { <input type="hidden" name="lang" value=lang.to_string() /> })
                }}
                <button type="submit">{crate::tr!("range-picker-show")}</button>
            </form>
        </details>
    }
    .into_any()
}

/// How often the dashboard updates itself.
#[component]
pub fn RefreshPicker(
    /// The view shown now.
    #[prop(into)]
    view: Signal<ViewState>,
) -> impl IntoView {
    let mut off = choice!(Refresh::Off, refresh);
    // The one choice whose link text is a word, not a unit.
    off.0 = crate::tr!("range-picker-refresh-off");
    let choices = vec![
        off,
        choice!(Refresh::Seconds10, refresh),
        choice!(Refresh::Seconds30, refresh),
        choice!(Refresh::Minute1, refresh),
        choice!(Refresh::Minutes5, refresh),
    ];
    view! {
        <ViewLinks
            label=crate::tr!("range-picker-refresh-label")
            class="refresh-picker"
            view
            choices
        />
    }
}

/// Light, dark, or the device's setting.
#[component]
pub fn ThemePicker(
    /// The view shown now.
    #[prop(into)]
    view: Signal<ViewState>,
) -> impl IntoView {
    let choices = vec![
        (
            crate::words::named("theme", Theme::Light.as_str()),
            crate::tr!("range-picker-theme-light"),
            (|v| ViewState {
                theme: Theme::Light,
                ..v
            }) as fn(ViewState) -> ViewState,
        ),
        (
            crate::words::named("theme", Theme::Dark.as_str()),
            crate::tr!("range-picker-theme-dark"),
            |v| ViewState {
                theme: Theme::Dark,
                ..v
            },
        ),
        (
            crate::words::named("theme", Theme::System.as_str()),
            crate::tr!("range-picker-theme-system"),
            |v| ViewState {
                theme: Theme::System,
                ..v
            },
        ),
    ];
    view! {
        <ViewLinks label=crate::tr!("range-picker-theme-label") class="theme-picker" view choices />
    }
}

/// A fixed window for people, in the page's zone and language:
/// `2026-11-01 09:30 CET – 2026-11-02 09:30 CET`.
pub fn span_label(zone: &crate::charts::Zone, span: Span) -> String {
    let style = crate::words::page_style();
    format!(
        "{} – {}",
        style.timestamp(zone, span.from),
        style.timestamp(zone, span.to)
    )
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::{charts::Zone, words::in_language};

    #[test]
    fn a_fixed_window_reads_as_the_model_wrote_it_in_english() {
        let (zone, span) = (Zone::utc(), Span::new(1_772_874_300, 1_772_960_700));
        let span = span.expect("a window");
        assert_eq!(
            in_language("en", || span_label(&zone, span)),
            span.label(&zone)
        );
        assert_eq!(
            in_language("de", || span_label(&zone, span)),
            "07.03.2026 09:05 UTC – 08.03.2026 09:05 UTC"
        );
    }
}
