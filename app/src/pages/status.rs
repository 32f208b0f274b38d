//! The status page: incidents under way with their latest update, an
//! overall banner, maintenance ahead, each service with its uptime and 90
//! days of history, and the last 14 days of incidents of both kinds. Complete without JavaScript (it then
//! reloads itself every minute); with it, an island fetches the page again
//! every minute and swaps the report in place.

use leptos::prelude::*;

use leptos_meta::Title;
use porthole_model::Route;

use crate::{
    components::{
        feeds::FeedLinks,
        notices::{ActiveIncidents, History, UpcomingMaintenance},
        top_bar::{SitePage, TopBar},
        uptime_bars::UptimeBars,
    },
    model::{
        ErrorBody, HistoryEntry, RECENT_DAYS, ServiceGroup, ServiceStatus, StatusReport,
        UptimeRange, percent,
    },
    panel_data::load_status,
    site::Brand,
};

/// How often the page refreshes itself, in seconds.
const REFRESH_SECONDS: u64 = 60;

/// `/status`.
#[component]
pub fn StatusPage() -> impl IntoView {
    let view = crate::page_view::view_from_query();
    let report = Resource::new(|| (), |()| load_status());
    view! {
        <Title text=Brand::current().title_of("Status") />
        <FeedLinks />
        <div class="app" data-theme=move || view.get().theme.as_str()>
            <TopBar current=SitePage::Status view />
            // `hydrate()` marks it "true" once the islands are interactive.
            <main class="page status" data-hydrated="false">
                // Without JavaScript the page reloads itself; as inner HTML, the
                // browser's raw-text reading of <noscript> cannot upset hydration.
                <noscript inner_html=format!(
                    r#"<meta http-equiv="refresh" content="{REFRESH_SECONDS}">"#,
                ) />
                <h1>"Service status"</h1>
                <div class="status-report">
                    <Suspense fallback=|| view! { <p class="panel-state">"Loading…"</p> }>
                        {move || Suspend::new(async move {
                            match report.await {
                                Ok(report) => view! { <Report report /> }.into_any(),
                                Err(error) => view! { <Unavailable error /> }.into_any(),
                            }
                        })}
                    </Suspense>
                </div>
                <StatusRefresh />
            </main>
        </div>
    }
}

/// Fetches the page and swaps its `.status-report` in; on any failure the
/// report shown stays (the next minute tries again). It calls the
/// browser's `fetch` itself rather than through gloo-net, so this lazy
/// module carries no HTTP client of its own: the status page's load stays
/// within budget.
#[cfg(feature = "hydrate")]
async fn swap_in_fresh_report() {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let window = window();
    let Ok(href) = window.location().href() else {
        return;
    };
    let Ok(answer) = JsFuture::from(window.fetch_with_str(&href)).await else {
        return;
    };
    let Ok(answer) = answer.dyn_into::<web_sys::Response>() else {
        return;
    };
    if !answer.ok() {
        return;
    }
    let Ok(text) = answer.text() else { return };
    let Some(html) = JsFuture::from(text).await.ok().and_then(|t| t.as_string()) else {
        return;
    };
    let fresh = web_sys::DomParser::new()
        .and_then(|parser| parser.parse_from_string(&html, web_sys::SupportedType::TextHtml))
        .ok()
        .and_then(|page| page.query_selector(".status-report").ok().flatten());
    let shown = document().query_selector(".status-report").ok().flatten();
    if let (Some(fresh), Some(shown)) = (fresh, shown) {
        shown.set_inner_html(&fresh.inner_html());
    }
}

#[component]
fn Report(report: StatusReport) -> impl IntoView {
    let summary = report.summary;
    let updated = crate::page_view::page_zone().format_timestamp(report.generated_at / 1000);
    view! {
        <ActiveIncidents incidents=report.notices.active.clone() />
        <section
            class=format!("status-banner {}", summary.level.as_str())
            role="status"
            aria-live="polite"
        >
            <p class="headline">{summary.level.headline()}</p>
            <p class="count">{format!("{} / {} up", summary.up, summary.total)}</p>
        </section>
        <p class="updated">
            "Last updated " <time>{updated}</time> " · refreshes every minute"
        </p>
        <UpcomingMaintenance windows=report.notices.maintenance.clone() now=report.generated_at />
        {report.groups.clone().into_iter().map(|group| view! { <Group group now=report.generated_at /> }).collect_view()}
        <RecentIncidents report />
    }
    .into_any()
}

#[component]
fn Group(group: ServiceGroup, now: i64) -> impl IntoView {
    view! {
        <section class="service-group">
            <h2>{group.name}</h2>
            <ul class="services">
                {group
                    .services
                    .into_iter()
                    .map(|service| view! { <Service service now /> })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// A service's card: its state, reason, 90 daily bars and figures; its
/// name links to its page unless it is that page.
#[component]
pub fn Service(
    /// The service.
    service: ServiceStatus,
    /// The time the page was made (Unix ms).
    now: i64,
    /// Whether the card is on the service's own page.
    #[prop(optional)]
    own_page: bool,
) -> impl IntoView {
    let latency = service
        .latency_ms
        .map_or_else(|| "—".to_owned(), |ms| format!("{ms:.0} ms"));
    let last_check = service.last_check.map_or_else(
        || "never".to_owned(),
        |t| crate::page_view::page_zone().format_timestamp(t / 1000),
    );
    let uptimes = UptimeRange::ALL
        .into_iter()
        .map(|range| {
            let value = service
                .uptime_over(range)
                .map_or_else(|| "no data".to_owned(), percent);
            view! {
                <div>
                    <dt>{range.as_str()}</dt>
                    <dd>{value}</dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <li class="service" id=format!("service-{}", service.id)>
            <div class="service-head">
                <h3>
                    {if own_page {
                        service.name.clone().into_any()
                    } else {
                        let href = porthole_model::Id::new(&service.id)
                            .map(|service| crate::page_view::carry(&Route::StatusService { service }.href()));
                        view! { <a href=href>{service.name.clone()}</a> }.into_any()
                    }}
                </h3>
                <span class=format!("state {}", service.state.as_str())>{service.state.label()}</span>
            </div>
            {service.error.clone().map(|error| view! { <p class="service-error">{error}</p> })}
            <UptimeBars name=service.name.clone() days=service.days.clone() />
            <div class="bars-axis" aria-hidden="true">
                <span>{format!("{} days ago", service.days.len())}</span>
                <span>"Today"</span>
            </div>
            <dl class="service-figures">
                {uptimes}
                {service.latency_measured.then(|| view! {
                    <div>
                        <dt>"Latency"</dt>
                        <dd>{latency}</dd>
                    </div>
                })}
                <div>
                    <dt>"Last check"</dt>
                    <dd>{last_check}</dd>
                </div>
                {service.certificate.map(|certificate| view! {
                    <div class:expiring=certificate.expiring>
                        <dt>"Certificate"</dt>
                        <dd>{certificate.describe(now)}</dd>
                    </div>
                })}
            </dl>
        </li>
    }
    .into_any()
}

/// The last [`RECENT_DAYS`] days of incidents, both kinds in one
/// timeline, newest first, and a link to all of them.
#[component]
fn RecentIncidents(report: StatusReport) -> impl IntoView {
    let now = report.generated_at;
    let since = now - RECENT_DAYS * 86_400_000;
    let mut entries: Vec<HistoryEntry> = report
        .notices
        .active
        .into_iter()
        .chain(report.notices.recent)
        .map(HistoryEntry::Reported)
        .chain(
            report
                .incidents
                .into_iter()
                .filter(|i| i.ended_at.is_none_or(|end| end >= since))
                .map(HistoryEntry::Detected),
        )
        .collect();
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.started_at()));
    view! {
        <section class="incidents">
            <h2>"Incidents"</h2>
            <History entries now empty="No incidents in the last 14 days." />
            <p class="history-link">
                <a href=crate::page_view::carry(&Route::StatusHistory.href())>"Incident history"</a>
            </p>
        </section>
    }
    .into_any()
}

#[component]
fn Unavailable(error: ErrorBody) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::SERVICE_UNAVAILABLE);
    }
    view! { <p class="notice error" role="alert">{error.error}</p> }
}

/// The lazy islands of this module, each a WASM module of its own fetched
/// when a page has one. (Their generated loaders carry no docs.)
#[allow(missing_docs, reason = "the lazy islands' generated loaders")]
mod lazy_islands {
    use super::*;

    /// Every minute, fetches this page again (the server keeps it rendered)
    /// and puts its report in place of the one shown: the page stays current
    /// without a reload, and without the browser carrying the report's code.
    #[island(lazy)]
    pub(crate) fn StatusRefresh() -> impl IntoView {
        #[cfg(feature = "hydrate")]
        set_interval(
            || leptos::task::spawn_local(swap_in_fresh_report()),
            std::time::Duration::from_secs(REFRESH_SECONDS),
        );
    }
}
use lazy_islands::StatusRefresh;
