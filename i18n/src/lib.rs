//! Porthole's words, in every language it speaks.
//!
//! Each language is a folder of Fluent files, `locales/<tag>/*.ftl`,
//! compiled into the binary: adding a language is adding a folder, and
//! [`languages`] lists it from then on. Every language has every message
//! (`tests/every_language_is_complete.rs` fails otherwise), so a lookup
//! falls back to English only for a file that is being written.
//!
//! This crate runs on the server only. The browser's islands get their
//! words as props, already looked up, and the few number and date
//! conventions they need as a [`Separators`] value the pages pass on:
//! the Fluent crates would cost the first load more than its budget.

mod negotiate;
mod numbers;

use std::{borrow::Cow, collections::HashMap, sync::LazyLock};

use fluent_templates::{LanguageIdentifier, Loader, fluent_bundle::FluentValue, static_loader};

pub use negotiate::negotiate;
pub use numbers::{Separators, separators};

/// The language pages are in when none is asked for, and the one every
/// other language's messages are checked against.
pub const DEFAULT: &str = "en";

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| {
            // No Unicode isolation marks around arguments: pages are
            // left-to-right HTML, and the marks would land in titles,
            // attributes and tests' text.
            bundle.set_use_isolating(false);
            bundle.set_formatter(Some(numbers::format_number));
        },
    };
}

/// The tags of the languages Porthole speaks, sorted: `["de", "en"]`.
static TAGS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut tags: Vec<String> = LOCALES.locales().map(ToString::to_string).collect();
    tags.sort();
    tags
});

/// The tags of every language Porthole speaks, sorted.
pub fn languages() -> impl Iterator<Item = &'static str> {
    TAGS.iter().map(String::as_str)
}

/// The language `tag` names, in its own spelling, if Porthole speaks it:
/// `DE` and `de` are `de`. Tags are compared whole (`de-AT` is not `de`:
/// [`negotiate`] is where a region falls back to its language).
pub fn find(tag: &str) -> Option<&'static str> {
    languages().find(|known| known.eq_ignore_ascii_case(tag))
}

/// An argument of a message: a word or a number (numbers are formatted
/// for the language, and choose plural forms).
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    /// Text, inserted as it is.
    Text(Cow<'a, str>),
    /// A number.
    Number(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(text: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(text))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(text: &'a String) -> Self {
        Arg::Text(Cow::Borrowed(text))
    }
}

impl From<String> for Arg<'_> {
    fn from(text: String) -> Self {
        Arg::Text(Cow::Owned(text))
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg<'_> {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn from(n: $t) -> Self {
                Arg::Number(n as f64)
            }
        }
    )*};
}
number_args!(i32, i64, u32, u64, usize, f64);

/// Message `id` in language `lang`, with `args`. A language Porthole does
/// not speak reads as [`DEFAULT`]; a message missing everywhere (a bug the
/// tests catch) reads as its id, so a page still renders.
pub fn text(lang: &str, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    LOCALES
        .try_lookup_complete(&identifier(lang), id, fluent_args(args).as_ref())
        .unwrap_or_else(|| id.to_owned())
}

/// Message `id` in `lang` alone, without falling back to another
/// language, and only if it formats without error with `args`: what the
/// completeness tests read.
pub fn text_in_only(lang: &str, id: &str, args: &[(&str, Arg<'_>)]) -> Option<String> {
    LOCALES
        .lookup_single_language(&identifier(lang), id, fluent_args(args).as_ref())
        .ok()
}

fn fluent_args<'a>(
    args: &'a [(&str, Arg<'a>)],
) -> Option<HashMap<Cow<'static, str>, FluentValue<'a>>> {
    (!args.is_empty()).then(|| {
        args.iter()
            .map(|(name, value)| {
                let value = match value {
                    Arg::Text(text) => FluentValue::from(text.as_ref()),
                    Arg::Number(n) => FluentValue::from(*n),
                };
                (Cow::Owned((*name).to_owned()), value)
            })
            .collect()
    })
}

fn identifier(lang: &str) -> LanguageIdentifier {
    find(lang).unwrap_or(DEFAULT).parse().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_german_are_spoken_and_found_in_any_case() {
        assert_eq!(languages().collect::<Vec<_>>(), ["de", "en"]);
        assert_eq!(find("DE"), Some("de"));
        assert_eq!(find("de-AT"), None);
        assert_eq!(find("fr"), None);
    }

    #[test]
    fn numbers_in_messages_are_formatted_for_the_language() {
        let args = [("count", Arg::from(25_158_u32))];
        assert_eq!(text("en", "test-count", &args), "25,158 checks");
        assert_eq!(text("de", "test-count", &args), "25.158 Prüfungen");
        let one = [("count", Arg::from(1_u32))];
        assert_eq!(text("en", "test-count", &one), "1 check");
        assert_eq!(text("de", "test-count", &one), "1 Prüfung");
    }

    #[test]
    fn unknown_languages_read_as_english_and_unknown_ids_as_themselves() {
        assert_eq!(text("xx", "language-name", &[]), "English");
        assert_eq!(text("de", "no-such-message", &[]), "no-such-message");
    }
}
