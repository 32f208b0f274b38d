//! Feed autodiscovery: `<link rel="alternate">`s in the head of the status
//! pages, so feed readers find the Atom, RSS and JSON feeds from the page.

use leptos::prelude::*;
use leptos_meta::Link;
use porthole_model::{FeedFormat, Route};

/// The links to the status feeds.
#[component]
pub fn FeedLinks() -> impl IntoView {
    FeedFormat::ALL
        .into_iter()
        .map(|format| {
            let href = Route::StatusFeed {
                service: None,
                format,
            }
            .href();
            let title = crate::tr!(match format {
                FeedFormat::Atom => "feeds-atom",
                FeedFormat::Rss => "feeds-rss",
                FeedFormat::Json => "feeds-json",
            });
            view! { <Link rel="alternate" type_=format.media_type() href title /> }
        })
        .collect_view()
}
