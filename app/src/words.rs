//! The words of the page being rendered, in its language, and the way the
//! language writes numbers and dates ([`Style`]).
//!
//! Words are looked up on the server, from Porthole's message files
//! (`porthole-i18n`): components call [`tr!`](crate::tr), which reads the
//! language the page's view provides. Islands run in the
//! browser too, where no message file is: they take the words they show
//! as props, looked up by the server component that renders them, and
//! the page's [`Style`] for the numbers and times they format.

use std::sync::Arc;

use leptos::prelude::*;

use porthole_model::{
    lang::{Lang, Style},
    view_state::ViewProblem,
    wire::{Refresh, TimeRange, WindowError},
};

/// The language of the page being rendered, with its style.
#[derive(Debug, Clone)]
struct PageLanguage {
    lang: Lang,
    style: Arc<Style>,
}

/// Provides `lang` (and its style) to every component below.
pub fn provide_language(lang: Lang) {
    provide_context(PageLanguage {
        lang,
        style: style_of(lang),
    });
}

/// Provides `style` as it is: an island's prop, in the browser.
pub fn provide_style(style: Style) {
    provide_context(PageLanguage {
        lang: Lang::default(),
        style: Arc::new(style),
    });
}

/// The language of the page being rendered; English when none was
/// provided.
pub fn page_lang() -> Lang {
    use_context::<PageLanguage>().map_or_else(Lang::default, |page| page.lang)
}

/// How the page's language writes numbers and dates.
pub fn page_style() -> Arc<Style> {
    use_context::<PageLanguage>().map_or_else(Default::default, |page| page.style)
}

/// A number in the page's language: `25,158.5`, `25.158,5`.
pub fn number(n: impl std::fmt::Display) -> String {
    page_style().number(&n.to_string())
}

/// A value's name in the page's language, looked up as `{prefix}-{value}`
/// where `value` is its spelling in URLs and JSON: `named("state",
/// "up")` is "Operational". The prefixes are those of
/// `locales/en/vocabulary.ftl`.
pub fn named(prefix: &str, value: &str) -> String {
    text(&format!("{prefix}-{value}"), &[])
}

/// The server's phrases (`model::phrases`) in the page's language, as
/// (English, words) pairs; none on an English page. What islands that
/// show server text carry, and [`said`] reads.
pub fn phrases() -> Vec<(String, String)> {
    if page_lang() == Lang::ENGLISH {
        return Vec::new();
    }
    porthole_model::wire::phrases::ALL
        .iter()
        .map(|(id, english)| ((*english).to_owned(), text(id, &[])))
        .collect()
}

/// `text` as the server wrote it, in the page's language when it is one
/// of the server's phrases (`model::phrases`); as written otherwise: the
/// operator's titles and names.
pub fn said(text: &str) -> String {
    match porthole_model::wire::phrases::message_of(text) {
        Some(id) if page_lang() != Lang::ENGLISH => self::text(id, &[]),
        _ => text.to_owned(),
    }
}

/// What a view parameter got wrong, and what is shown instead, in the
/// page's language.
pub fn view_problem(problem: &ViewProblem) -> String {
    let quoted = |given: &str| format!("{given:?}");
    let range_name = |range: TimeRange| named("range", range.as_str());
    let (problem_words, instead) = match problem {
        ViewProblem::Range(error, range) => (
            crate::tr!("view-unknown-range", given = quoted(&error.given)),
            crate::tr!("view-instead-range", range = range_name(*range)),
        ),
        ViewProblem::Theme(error) => (
            crate::tr!("view-unknown-theme", given = quoted(&error.given)),
            crate::tr!("view-instead-theme"),
        ),
        ViewProblem::Zone(error, zone) => (
            crate::tr!("view-unknown-zone", given = quoted(&error.given)),
            crate::tr!("view-instead-zone", zone = zone.as_str()),
        ),
        ViewProblem::Lang(error) => (
            crate::tr!(
                "view-unknown-lang",
                given = quoted(&error.given),
                known = error.known.as_str()
            ),
            crate::tr!("view-instead-lang"),
        ),
        ViewProblem::Window(error, range) => (
            window_problem(error),
            crate::tr!("view-instead-range", range = range_name(*range)),
        ),
        ViewProblem::Refresh(error, refresh) => (
            crate::tr!("view-unknown-refresh", given = quoted(&error.given)),
            match refresh {
                Refresh::Off => crate::tr!("view-instead-refresh-off"),
                every => crate::tr!("view-instead-refresh", every = every.as_str()),
            },
        ),
    };
    crate::tr!("view-problem", problem = problem_words, instead = instead)
}

/// Why a fixed window was refused, in the page's language.
fn window_problem(error: &WindowError) -> String {
    match error {
        WindowError::Incomplete => crate::tr!("view-window-incomplete"),
        WindowError::TooShort => crate::tr!("view-window-too-short"),
        WindowError::TooLong => crate::tr!("view-window-too-long"),
        WindowError::NotATime { key, given, zone } => crate::tr!(
            "view-window-not-a-time",
            key = *key,
            given = format!("{given:?}"),
            zone = zone.as_str()
        ),
    }
}

#[cfg(feature = "ssr")]
pub use porthole_i18n::Arg;

/// Message `id` in the page's language with `args` (see [`tr!`](crate::tr)).
#[cfg(feature = "ssr")]
pub fn text(id: &str, args: &[(&str, Arg<'_>)]) -> String {
    porthole_i18n::text(page_lang().as_str(), id, args)
}

/// The browser looks no words up: islands get theirs as props.
#[cfg(not(feature = "ssr"))]
#[derive(Debug, Clone, Copy)]
pub struct Arg;

#[cfg(not(feature = "ssr"))]
macro_rules! browser_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(_: $t) -> Self {
                Arg
            }
        }
    )*};
}
#[cfg(not(feature = "ssr"))]
browser_args!(&str, &String, String, i32, i64, u32, u64, usize, f64);

/// In the browser, no words: islands take theirs as props.
#[cfg(not(feature = "ssr"))]
pub fn text(_id: &str, _args: &[(&str, Arg)]) -> String {
    String::new()
}

/// The style of `lang`, read from its messages on the server; English in
/// the browser, whose islands get the page's style as a prop.
fn style_of(lang: Lang) -> Arc<Style> {
    #[cfg(feature = "ssr")]
    {
        Style::of(lang)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = lang;
        Arc::default()
    }
}

/// Runs `f` as a component of a page in language `tag` would.
#[cfg(all(test, feature = "ssr"))]
pub(crate) fn in_language<T>(tag: &str, f: impl FnOnce() -> T) -> T {
    Owner::new().with(|| {
        let lang = tag.parse::<Lang>().expect("a language Porthole speaks");
        provide_language(lang);
        f()
    })
}

/// Message `id` in the page's language: `tr!("status-heading")`, or with
/// arguments, `tr!("status-count", up = 3, total = 4)`. Numbers are
/// written the language's way and choose plural forms.
#[macro_export]
macro_rules! tr {
    ($id:expr) => {
        $crate::words::text($id, &[])
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::words::text(
            $id,
            &[$((stringify!($name), $crate::words::Arg::from($value))),+],
        )
    };
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use porthole_model::{
        view_state::Theme,
        wire::{
            Impact, IncidentState, MaintenancePhase, OverallLevel, Refresh, ServiceState, TimeRange,
        },
    };

    /// Every value a page names has its message in English (and so, by
    /// porthole-i18n's own test, in every language).
    #[test]
    fn every_named_value_has_its_message() {
        let mut ids: Vec<String> = Vec::new();
        ids.extend(
            ServiceState::ALL
                .iter()
                .map(|v| format!("state-{}", v.as_str())),
        );
        ids.extend(
            OverallLevel::ALL
                .iter()
                .map(|v| format!("level-{}", v.as_str())),
        );
        ids.extend(
            TimeRange::ALL
                .iter()
                .map(|v| format!("range-{}", v.as_str())),
        );
        ids.extend(Theme::ALL.iter().map(|v| format!("theme-{}", v.as_str())));
        ids.extend(
            Refresh::ALL
                .iter()
                .map(|v| format!("refresh-{}", v.as_str())),
        );
        ids.extend(Impact::ALL.iter().map(|v| format!("impact-{}", v.as_str())));
        ids.extend(
            IncidentState::ALL
                .iter()
                .map(|v| format!("incident-state-{}", v.as_str())),
        );
        ids.extend(
            MaintenancePhase::ALL
                .iter()
                .map(|v| format!("maintenance-state-{}", v.as_str())),
        );
        let missing: Vec<&String> = ids
            .iter()
            .filter(|id| porthole_i18n::text_in_only("en", id, &[]).is_none())
            .collect();
        assert!(missing.is_empty(), "no message for {missing:?}");
    }

    /// A view problem reads in English exactly as the model writes it (the
    /// APIs' words), and in German in German.
    #[test]
    fn view_problems_read_as_the_model_writes_them_and_in_german() {
        use porthole_model::view_state::ViewState;

        let query = [
            ("range", "2w"),
            ("theme", "pink"),
            ("tz", "Mars/Base"),
            ("lang", "xx"),
            ("refresh", "2s"),
            ("from", "yesterday"),
            ("to", "2026-11-01"),
        ];
        let (_, problems) = ViewState::from_query(|key| {
            query
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v).to_owned())
        });
        assert_eq!(problems.len(), 6, "{problems:?}");
        for problem in &problems {
            let english = super::in_language("en", || super::view_problem(problem));
            assert_eq!(english, problem.to_string());
            let german = super::in_language("de", || super::view_problem(problem));
            assert!(german.contains("Stattdessen"), "{german}");
        }
    }

    /// A phrase's English message is the server's English, word for word:
    /// pages find a phrase by it.
    #[test]
    fn every_phrase_says_in_english_what_the_server_writes() {
        for (id, english) in porthole_model::wire::phrases::ALL {
            assert_eq!(
                porthole_i18n::text_in_only("en", id, &[]).as_deref(),
                Some(*english),
                "{id}"
            );
        }
    }
}
