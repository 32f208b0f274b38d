//! What a dashboard view shows, as it appears in its URL: the range, the
//! theme and the time zone (`?range=7d&theme=dark&tz=Europe/Berlin`).
//! Every view is a link, so links that change one part keep the others.

use std::{fmt, str::FromStr};

pub use crate::lang::{Lang, UnknownLang};
pub use crate::wire::{Refresh, UnknownRefresh};
use crate::wire::{Span, TimeRange, UnknownRange, WindowError, window_query};
pub use crate::zone::{UnknownZone, ZoneName};

/// The colour theme a viewer picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Theme {
    /// Follow the device's setting (`prefers-color-scheme`).
    #[default]
    System,
    /// Dark text on light backgrounds.
    Light,
    /// Light text on dark backgrounds.
    Dark,
}

impl Theme {
    /// Every theme, in the order the picker offers them.
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::System];

    /// The form used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The picker's label.
    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a `theme` value was refused; shown to the viewer as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown theme {given:?}: expected light, dark or system")]
pub struct UnknownTheme {
    /// The value the viewer sent.
    pub given: String,
}

impl FromStr for Theme {
    type Err = UnknownTheme;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Theme::ALL
            .into_iter()
            .find(|theme| theme.as_str() == s)
            .ok_or_else(|| UnknownTheme {
                given: s.to_owned(),
            })
    }
}

/// A view: range (or a fixed window), theme and refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ViewState {
    /// The time range.
    pub range: TimeRange,
    /// A fixed window shown instead of `range` (`?from=...&to=...`).
    pub span: Option<Span>,
    /// The theme.
    pub theme: Theme,
    /// How often it updates itself.
    pub refresh: Refresh,
    /// The time zone times are shown in [default: UTC].
    pub zone: ZoneName,
    /// The language the viewer chose (`?lang=de`); `None` when the link
    /// names none, and the page is then in English (the server sends a
    /// first visit whose browser prefers another language to its link).
    pub lang: Option<Lang>,
}

impl ViewState {
    /// The link to this view of the page at `path`; defaults are left out
    /// of the query, but the range (or window) is always given so links
    /// stay explicit.
    pub fn href(self, path: &str) -> String {
        let mut href = format!("{path}?{}", window_query(self.range, self.span));
        if self.theme != Theme::System {
            href.push_str(&format!("&theme={}", self.theme));
        }
        if self.refresh != Refresh::Off {
            href.push_str(&format!("&refresh={}", self.refresh));
        }
        if let Some(zone) = self.zone.query_pair() {
            href.push('&');
            href.push_str(&zone);
        }
        if let Some(lang) = self.lang {
            href.push('&');
            href.push_str(&lang.query_pair());
        }
        href
    }

    /// The language the page is in: the one chosen, or English.
    pub fn language(&self) -> Lang {
        self.lang.unwrap_or_default()
    }
}

impl ViewState {
    /// `path` with the part of this view that follows the viewer from page
    /// to page: the theme, the zone and the language chosen (a range
    /// belongs to one dashboard). Defaults are left out.
    pub fn carry(&self, path: &str) -> String {
        let carried: Vec<String> = [
            (self.theme != Theme::System).then(|| format!("theme={}", self.theme)),
            self.zone.query_pair(),
            self.lang.map(|lang| lang.query_pair()),
        ]
        .into_iter()
        .flatten()
        .collect();
        if carried.is_empty() {
            return path.to_owned();
        }
        let separator = if path.contains('?') { '&' } else { '?' };
        format!("{path}{separator}{}", carried.join("&"))
    }

    /// Reads a view from query parameters (`get("range")`); each value that
    /// is not understood falls back to its default and adds a problem that
    /// says what was expected and what is shown instead.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> (Self, Vec<ViewProblem>) {
        Self::from_query_or(get, Self::default())
    }

    /// Like [`ViewState::from_query`], with a dashboard's own defaults for
    /// what the query leaves out (or gets wrong).
    pub fn from_query_or(
        get: impl Fn(&str) -> Option<String>,
        defaults: ViewState,
    ) -> (Self, Vec<ViewProblem>) {
        fn read<T: FromStr>(
            value: Option<String>,
            default: T,
            problem: impl FnOnce(T::Err) -> ViewProblem,
            problems: &mut Vec<ViewProblem>,
        ) -> T {
            match value.map(|v| v.parse::<T>()) {
                None => default,
                Some(Ok(v)) => v,
                Some(Err(error)) => {
                    problems.push(problem(error));
                    default
                }
            }
        }
        let mut problems = Vec::new();
        let zone = read(
            get("tz"),
            defaults.zone,
            |error| ViewProblem::Zone(error, defaults.zone),
            &mut problems,
        );
        let lang = match get("lang").map(|tag| tag.parse::<Lang>()) {
            None => defaults.lang,
            Some(Ok(lang)) => Some(lang),
            Some(Err(error)) => {
                problems.push(ViewProblem::Lang(error));
                defaults.lang
            }
        };
        let view = ViewState {
            zone,
            lang,
            range: read(
                get("range"),
                defaults.range,
                |error| ViewProblem::Range(error, defaults.range),
                &mut problems,
            ),
            theme: read(
                get("theme"),
                defaults.theme,
                ViewProblem::Theme,
                &mut problems,
            ),
            span: Span::from_pair_in(get("from").as_deref(), get("to").as_deref(), zone)
                .unwrap_or_else(|error| {
                    problems.push(ViewProblem::Window(error, defaults.range));
                    None
                }),
            refresh: read(
                get("refresh"),
                defaults.refresh,
                |error| ViewProblem::Refresh(error, defaults.refresh),
                &mut problems,
            ),
        };
        (view, problems)
    }
}

/// A view parameter that was not understood, with what is shown instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewProblem {
    /// An unknown `range`; the range shown.
    Range(UnknownRange, TimeRange),
    /// An unknown `theme`; the device's is followed.
    Theme(UnknownTheme),
    /// An unknown `tz`; the zone shown.
    Zone(UnknownZone, ZoneName),
    /// An unknown `lang`; the page is in English.
    Lang(UnknownLang),
    /// A `from` and `to` that are no window; the range shown.
    Window(WindowError, TimeRange),
    /// An unknown `refresh`; the refresh kept.
    Refresh(UnknownRefresh, Refresh),
}

impl fmt::Display for ViewProblem {
    /// In English: what is wrong; what is shown instead.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Range(error, range) => {
                write!(f, "{error}; showing the {} instead.", range.label())
            }
            Self::Theme(error) => write!(f, "{error}; following the device's setting instead."),
            Self::Zone(error, zone) => write!(f, "{error}; showing times in {zone} instead."),
            Self::Lang(error) => write!(f, "{error}; showing English instead."),
            Self::Window(error, range) => {
                write!(f, "{error}; showing the {} instead.", range.label())
            }
            Self::Refresh(error, Refresh::Off) => write!(f, "{error}; not updating instead."),
            Self::Refresh(error, refresh) => {
                write!(f, "{error}; updating every {} instead.", refresh.as_str())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A query of `pairs`, as `ViewState::from_query` reads one.
    fn query(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn a_dashboards_defaults_fill_what_the_query_leaves_out() {
        let defaults = ViewState {
            range: TimeRange::Hours24,
            span: None,
            theme: Theme::System,
            refresh: Refresh::Seconds30,
            zone: ZoneName::UTC,
            lang: None,
        };
        let (view, errors) = ViewState::from_query_or(|_| None, defaults);
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(view, defaults);
        assert!(errors.is_empty());
        let (view, errors) = ViewState::from_query_or(
            |key| {
                (key == "range")
                    .then(|| "7d".to_owned())
                    .or_else(|| (key == "refresh").then(|| "soon".to_owned()))
            },
            defaults,
        );
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(view.range, TimeRange::Days7, "the query wins");
        assert_eq!(
            view.refresh,
            Refresh::Seconds30,
            "a bad value keeps the default"
        );
        assert!(
            errors[0].ends_with("updating every 30s instead."),
            "{errors:?}"
        );
    }

    #[test]
    fn links_keep_the_other_part_of_the_view() {
        let view = ViewState {
            range: TimeRange::Days7,
            span: None,
            theme: Theme::Dark,
            refresh: Refresh::Off,
            zone: ZoneName::UTC,
            lang: None,
        };
        assert_eq!(view.href("/d/api"), "/d/api?range=7d&theme=dark");
        let live = ViewState {
            refresh: Refresh::Seconds30,
            ..view
        };
        assert_eq!(
            live.href("/d/api"),
            "/d/api?range=7d&theme=dark&refresh=30s"
        );
        let system = ViewState {
            theme: Theme::System,
            ..view
        };
        assert_eq!(system.href("/"), "/?range=7d");
    }

    #[test]
    fn views_read_from_the_query_with_a_message_per_bad_value() {
        let (view, errors) = ViewState::from_query(query(&[("range", "7d"), ("refresh", "1m")]));
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            (view.range, view.theme, view.refresh),
            (TimeRange::Days7, Theme::System, Refresh::Minute1)
        );
        assert!(errors.is_empty());
        let (view, errors) = ViewState::from_query(query(&[("range", "2w"), ("theme", "pink")]));
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(view, ViewState::default());
        assert_eq!(errors.len(), 2);
        assert!(
            errors[0].contains("\"2w\"") && errors[0].contains("showing the last 30 days"),
            "{errors:?}"
        );
        assert!(errors[1].contains("light, dark or system"), "{errors:?}");
    }

    #[test]
    fn fixed_windows_read_from_the_query_and_link_back() {
        let get = |pairs: &'static [(&'static str, &'static str)]| {
            move |key: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let (view, errors) = ViewState::from_query(get(&[
            ("from", "2026-11-01T09:30"),
            ("to", "2026-11-02"),
            ("theme", "dark"),
        ]));
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(errors.is_empty(), "{errors:?}");
        let span = view.span.expect("a window");
        assert_eq!(span.seconds(), 14 * 3_600 + 30 * 60);
        assert_eq!(
            view.href("/"),
            "/?from=2026-11-01T09:30:00Z&to=2026-11-02T00:00:00Z&theme=dark"
        );
        assert_eq!(
            ViewState::from_query(|key| match key {
                "from" => Some("2026-11-01T09:30:00Z".to_owned()),
                "to" => Some("2026-11-02T00:00:00Z".to_owned()),
                _ => None,
            })
            .0
            .span,
            Some(span),
            "the link reads back as the same window"
        );
        for (pairs, expected) in [
            (
                &[("from", "2026-11-02"), ("to", "2026-11-01")][..],
                "at least a minute before",
            ),
            (
                &[("from", "2025-01-01"), ("to", "2026-11-01")][..],
                "at most 400 days",
            ),
            (
                &[("from", "soon"), ("to", "2026-11-01")][..],
                "\"soon\" is not a time",
            ),
            (&[("from", "2026-11-01")][..], "needs both from and to"),
        ] {
            let (view, errors) = ViewState::from_query(get(pairs));
            let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
            assert_eq!(view.span, None);
            assert!(
                errors.len() == 1 && errors[0].contains(expected),
                "{pairs:?}: {errors:?}"
            );
        }
    }

    #[test]
    fn themes_read_back_and_unknown_ones_say_what_is_expected() {
        for theme in Theme::ALL {
            assert_eq!(theme.as_str().parse::<Theme>(), Ok(theme));
        }
        let error = "purple".parse::<Theme>().expect_err("unknown");
        assert!(error.to_string().contains("light, dark or system"));
        for refresh in Refresh::ALL {
            assert_eq!(refresh.as_str().parse::<Refresh>(), Ok(refresh));
        }
        assert!("2s".parse::<Refresh>().is_err());
    }

    #[cfg(feature = "tzdb")]
    #[test]
    fn the_zone_reads_from_the_query_places_readings_and_links_back() {
        let (view, errors) = ViewState::from_query(|key| match key {
            "tz" => Some("Europe/Berlin".to_owned()),
            "from" => Some("2026-11-01T09:30".to_owned()),
            "to" => Some("2026-11-02T09:30:00Z".to_owned()),
            _ => None,
        });
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(view.zone.as_str(), "Europe/Berlin");
        let span = view.span.expect("a window");
        assert_eq!(
            span.from,
            crate::calendar::parse_instant("2026-11-01T08:30Z").expect("time"),
            "a field's reading is Berlin's (CET, UTC+1)"
        );
        assert_eq!(
            span.to,
            crate::calendar::parse_instant("2026-11-02T09:30Z").expect("time"),
            "a link's instant is UTC"
        );
        assert!(
            view.href("/").ends_with("&tz=Europe/Berlin"),
            "{}",
            view.href("/")
        );
        let (view, _) = ViewState::from_query(|key| (key == "tz").then(|| "Etc/GMT+5".to_owned()));
        assert!(
            view.href("/").ends_with("&tz=Etc/GMT%2B5"),
            "{}",
            view.href("/")
        );

        let (view, errors) =
            ViewState::from_query(|key| (key == "tz").then(|| "Mars/Base".to_owned()));
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(view.zone.is_utc());
        assert!(
            errors.len() == 1 && errors[0].contains("showing times in UTC instead"),
            "{errors:?}"
        );
        assert!(!view.href("/").contains("tz="), "UTC is left out of links");
    }

    #[test]
    fn links_to_other_pages_carry_the_theme_and_zone_only() {
        let view = ViewState {
            range: TimeRange::Days7,
            theme: Theme::Dark,
            ..ViewState::default()
        };
        assert_eq!(view.carry("/status"), "/status?theme=dark");
        assert_eq!(
            view.carry("/status/history?page=2"),
            "/status/history?page=2&theme=dark"
        );
        assert_eq!(ViewState::default().carry("/status"), "/status");
    }

    #[test]
    fn a_chosen_language_is_carried_and_links_without_one_name_none() {
        let (view, errors) = ViewState::from_query(query(&[("lang", "en"), ("theme", "dark")]));
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(view.lang, Some(Lang::ENGLISH));
        assert_eq!(view.carry("/status"), "/status?theme=dark&lang=en");
        assert_eq!(view.href("/d/api"), "/d/api?range=30d&theme=dark&lang=en");
        let (view, _) = ViewState::from_query(query(&[]));
        assert_eq!((view.lang, view.language()), (None, Lang::ENGLISH));
        assert_eq!(view.carry("/status"), "/status");
        let (view, errors) = ViewState::from_query(query(&[("lang", "../de")]));
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(view.lang, None);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("unknown language \"../de\""),
            "{errors:?}"
        );
    }
}
