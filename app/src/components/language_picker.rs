//! The languages a page can be read in: a row of plain links in the top
//! bar, each language named in its own words, to the same page (and view)
//! in it. Server HTML only: the words of the other languages are in the
//! message files, which the browser does not have.

use leptos::prelude::*;

/// A link to this page in each language Porthole speaks; the page's own
/// language is marked, not linked.
#[component]
pub fn LanguagePicker() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        use porthole_model::lang::{Lang, with_lang};

        let location = leptos_router::hooks::use_location();
        // Pages are rendered once, on the server: nothing to track.
        let (path, query) = (
            location.pathname.get_untracked(),
            location.search.get_untracked(),
        );
        let current = crate::words::page_lang();
        let languages = porthole_i18n::languages()
            .filter_map(|tag| tag.parse::<Lang>().ok())
            .map(|lang| {
                let tag = lang.as_str().to_owned();
                let name = porthole_i18n::text(&tag, "language-name", &[]);
                let class = format!("lang-{tag}");
                if lang == current {
                    view! {
                        <span class=class lang=tag aria-current="true">
                            {name}
                        </span>
                    }
                    .into_any()
                } else {
                    view! {
                        <a class=class href=with_lang(&path, &query, lang) hreflang=tag.clone() lang=tag>
                            {name}
                        </a>
                    }
                    .into_any()
                }
            })
            .collect_view();
        view! {
            <nav class="language-picker" aria-label=crate::tr!("language-picker-label")>
                {languages}
            </nav>
        }
        .into_any()
    }
    #[cfg(not(feature = "ssr"))]
    {
        ().into_any()
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use leptos::prelude::*;
    use leptos_router::{components::Router, location::RequestUrl};

    use super::LanguagePicker;
    use crate::words::in_language;

    /// The picker on `/status?tz=UTC`, in language `tag`, as HTML.
    fn picker_in(tag: &str) -> String {
        in_language(tag, || {
            provide_context(RequestUrl::new("/status?tz=UTC"));
            view! {
                <Router>
                    <LanguagePicker />
                </Router>
            }
            .to_html()
        })
    }

    #[test]
    fn each_language_is_named_in_its_own_words_and_the_page_own_is_marked() {
        let english = picker_in("en");
        for part in [
            r#"<nav aria-label="Language" class="language-picker">"#,
            r#"<a href="/status?tz=UTC&amp;lang=de" hreflang="de" lang="de" class="lang-de">Deutsch</a>"#,
            r#"<span lang="en" aria-current="true" class="lang-en">English</span>"#,
        ] {
            assert!(english.contains(part), "{part} in {english}");
        }
        let german = picker_in("de");
        for part in [
            r#"<nav aria-label="Sprache" class="language-picker">"#,
            r#"<a href="/status?tz=UTC&amp;lang=en" hreflang="en" lang="en" class="lang-en">English</a>"#,
            r#"<span lang="de" aria-current="true" class="lang-de">Deutsch</span>"#,
        ] {
            assert!(german.contains(part), "{part} in {german}");
        }
    }
}
