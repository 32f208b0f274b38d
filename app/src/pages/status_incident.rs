//! `/status/incidents/{id}`: one incident's whole timeline, or one
//! maintenance window, as a page of its own to link to and share.

use leptos::prelude::*;

use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;
use porthole_model::{NoticeId, Route};

use crate::{
    components::{
        feeds::FeedLinks,
        notices::{MaintenanceCard, Timeline, duration, impact_and_services},
        refused::Refused,
        top_bar::{SitePage, TopBar},
    },
    model::{ErrorBody, ErrorKind, HistoryEntry, NoticePage},
    panel_data::load_notice,
    site::Brand,
};

/// `/status/incidents/{id}`.
#[component]
pub fn StatusIncidentPage() -> impl IntoView {
    let params = use_params_map();
    let view = crate::page_view::view_from_query();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|id| NoticeId::parse(&id));
    // Looked up here, where the page's language is known.
    let unknown = crate::tr!("incident-unknown-id");
    let notice = Resource::new(
        move || id,
        move |id| {
            let unknown = unknown.clone();
            async move {
                match id {
                    Some(id) => load_notice(id.get()).await,
                    None => Err(ErrorBody::new(ErrorKind::NotFound, unknown)),
                }
            }
        },
    );
    let loading = crate::tr!("pages-loading");
    view! {
        <FeedLinks />
        <div class="app" data-theme=move || view.get().theme.as_str()>
            <TopBar current=SitePage::Status view />
            <main class="page status notice-page">
                <p class="back">
                    <a href=crate::page_view::carry(&Route::Status.href())>
                        {crate::tr!("pages-back-to-status")}
                    </a>
                </p>
                <Suspense fallback=move || view! { <p class="panel-state">{loading.clone()}</p> }>
                    {move || Suspend::new(async move {
                        match crate::render_once::loaded(notice).await {
                            Ok(page) => view! { <Notice page /> }.into_any(),
                            Err(error) => view! { <Refused error heading=crate::tr!("incident-not-found") /> }.into_any(),
                        }
                    })}
                </Suspense>
            </main>
        </div>
    }
}

#[component]
fn Notice(page: NoticePage) -> impl IntoView {
    let now = page.generated_at;
    match page.entry {
        HistoryEntry::Reported(incident) => {
            let state = match incident.resolved_at {
                Some(end) => crate::tr!(
                    "incident-resolved",
                    duration = duration(end - incident.created_at)
                ),
                None => crate::words::named("incident-state", incident.status.as_str()),
            };
            let summary = incident
                .latest()
                .map(|update| {
                    crate::tr!(
                        "incident-summary",
                        state = crate::words::named("incident-state", update.status.as_str()),
                        message = &update.message,
                    )
                })
                .unwrap_or_default();
            let (opened_before, opened_after) = super::around("incident-opened", "time");
            view! {
                <Title text=Brand::current()
                    .title_of(&crate::tr!("incident-title", title = &incident.title)) />
                <Preview title=incident.title.clone() description=summary />
                <article class=format!("incident impact-{}", incident.impact.as_str())>
                    <h1>{incident.title.clone()}</h1>
                    <p class="notice-meta">
                        <span class=format!("tag {}", incident.status.as_str())>{state}</span>
                        " " {impact_and_services(&incident)}
                    </p>
                    <p class="window">
                        {opened_before}
                        <time>{crate::page_view::timestamp(incident.created_at / 1000)}</time>
                        {opened_after}
                    </p>
                    <Timeline updates=incident.updates />
                </article>
            }
            .into_any()
        }
        HistoryEntry::Maintenance(window) => view! {
            <Title text=Brand::current()
                .title_of(&crate::tr!("incident-title", title = &window.title)) />
            <Preview title=window.title.clone() description=window.message.clone() />
            <h1>{window.title.clone()}</h1>
            <MaintenanceCard window now />
        }
        .into_any(),
        HistoryEntry::Detected(_) => {
            view! { <p class="panel-state">{crate::tr!("incident-not-found-text")}</p> }.into_any()
        }
    }
}

/// What a pasted link to this page unfurls as: its title and latest text.
#[component]
fn Preview(title: String, description: String) -> impl IntoView {
    let description: String = description.chars().take(200).collect();
    view! {
        <Meta property="og:type" content="article" />
        <Meta property="og:site_name" content=Brand::current().title />
        <Meta property="og:title" content=title.clone() />
        <Meta property="og:description" content=description.clone() />
        <Meta name="twitter:card" content="summary" />
        <Meta name="twitter:title" content=title />
        <Meta name="twitter:description" content=description />
    }
}
