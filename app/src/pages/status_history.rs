//! `/status/history`: every incident (both kinds) and maintenance window,
//! newest first, twenty to a page (`?page=2`), with links to page back and
//! forth. Readable without JavaScript.

use leptos::prelude::*;

use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use porthole_model::Route;

use crate::{
    components::{
        feeds::FeedLinks,
        notices::History,
        refused::Refused,
        top_bar::{SitePage, TopBar},
    },
    model::{ErrorBody, ErrorKind, HistoryPage, MAX_HISTORY_PAGES},
    panel_data::load_history,
    site::Brand,
};

/// The page a `page` parameter names: a whole number from 1 to
/// [`MAX_HISTORY_PAGES`] in its one spelling.
pub fn page_number(text: Option<&str>) -> Result<u32, String> {
    let Some(text) = text else { return Ok(1) };
    porthole_model::NoticeId::parse(text)
        .and_then(|n| u32::try_from(n.get()).ok())
        .filter(|n| *n <= MAX_HISTORY_PAGES)
        .ok_or_else(|| crate::tr!("history-bad-page", max = MAX_HISTORY_PAGES))
}

/// `/status/history`.
#[component]
pub fn StatusHistoryPage() -> impl IntoView {
    let query = use_query_map();
    let view = crate::page_view::view_from_query();
    let page = page_number(query.read_untracked().get("page").as_deref());
    let history = Resource::new(
        move || page.clone(),
        |page| async move {
            match page {
                Ok(page) => load_history(page).await,
                Err(message) => Err(ErrorBody::new(ErrorKind::BadData, message)),
            }
        },
    );
    let loading = crate::tr!("pages-loading");
    view! {
        <Title text=Brand::current().title_of(&crate::tr!("history-title")) />
        <FeedLinks />
        <div class="app" data-theme=move || view.get().theme.as_str()>
            <TopBar current=SitePage::Status view />
            <main class="page status history-page">
                <p class="back">
                    <a href=crate::page_view::carry(&Route::Status.href())>
                        {crate::tr!("pages-back-to-status")}
                    </a>
                </p>
                <h1>{crate::tr!("history-heading")}</h1>
                <Suspense fallback=move || view! { <p class="panel-state">{loading.clone()}</p> }>
                    {move || Suspend::new(async move {
                        match crate::render_once::loaded(history).await {
                            Ok(page) => view! { <Page page /> }.into_any(),
                            Err(error) => view! { <Refused error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </main>
        </div>
    }
}

#[component]
fn Page(page: HistoryPage) -> impl IntoView {
    let href = |n: u32| {
        crate::page_view::carry(&if n == 1 {
            Route::StatusHistory.href()
        } else {
            Route::StatusHistory.href_with(&format!("page={n}"))
        })
    };
    let newer = (page.page > 1).then(|| {
        view! { <a rel="prev" href=href(page.page - 1)>{crate::tr!("history-newer")}</a> }
    });
    let older = page.more.then(|| {
        view! { <a rel="next" href=href(page.page + 1)>{crate::tr!("history-older")}</a> }
    });
    view! {
        <History
            entries=page.entries
            now=page.generated_at
            empty=crate::tr!("history-empty")
        />
        <nav class="pager" aria-label=crate::tr!("history-pages")>
            {newer}
            <span>{crate::tr!("history-page", page = page.page)}</span>
            {older}
        </nav>
    }
}
