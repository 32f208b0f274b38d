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
        CertificateStatus, ErrorBody, HistoryEntry, RECENT_DAYS, ServiceGroup, ServiceStatus,
        StatusReport, UptimeRange,
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
    let loading = crate::tr!("pages-loading");
    view! {
        <Title text=Brand::current().title_of(&crate::tr!("status-title")) />
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
                <h1>{crate::tr!("status-heading")}</h1>
                <div class="status-report">
                    <Suspense fallback=move || view! { <p class="panel-state">{loading.clone()}</p> }>
                        {move || Suspend::new(async move {
                            match crate::render_once::loaded(report).await {
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
/// report shown stays (the next minute tries again). A WASM module of its
/// own (`#[lazy]`), fetched at the first refresh, a minute after the page
/// loaded: the page's first load does not carry it. It calls the
/// browser's `fetch` itself rather than through gloo-net, so the module
/// carries no HTTP client of its own.
#[cfg(feature = "hydrate")]
#[lazy]
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
    view! {
        <ActiveIncidents incidents=report.notices.active.clone() />
        <section
            class=format!("status-banner {}", summary.level.as_str())
            role="status"
            aria-live="polite"
        >
            <p class="headline">{crate::words::named("level", summary.level.as_str())}</p>
            <p class="count">{crate::tr!("status-count", up = summary.up, total = summary.total)}</p>
        </section>
        <Updated at=report.generated_at />
        <UpcomingMaintenance windows=report.notices.maintenance.clone() now=report.generated_at />
        {report.groups.clone().into_iter().map(|group| view! { <Group group now=report.generated_at /> }).collect_view()}
        <RecentIncidents report />
    }
    .into_any()
}

/// When the report was made, and that it refreshes itself.
#[component]
fn Updated(
    /// When the report was made (Unix ms).
    at: i64,
) -> impl IntoView {
    let (before, after) = super::around("status-updated", "time");
    view! {
        <p class="updated">
            {before} <time>{crate::page_view::timestamp(at / 1000)}</time> {after}
        </p>
    }
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
    // Whole milliseconds, written without separators in every language.
    let latency = service
        .latency_ms
        .map_or_else(|| "—".to_owned(), |ms| format!("{ms:.0} ms"));
    let last_check = service.last_check.map_or_else(
        || crate::tr!("service-never"),
        |t| crate::page_view::timestamp(t / 1000),
    );
    let uptimes = UptimeRange::ALL
        .into_iter()
        .map(|range| {
            let value = service
                .uptime_over(range)
                .map_or_else(|| crate::tr!("service-no-data"), uptime_percent);
            view! {
                <div>
                    <dt>{crate::words::named("service-uptime", range.as_str())}</dt>
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
                <span class=format!("state {}", service.state.as_str())>{crate::words::named("state", service.state.as_str())}</span>
            </div>
            {service.error.clone().map(|error| view! { <p class="service-error">{error}</p> })}
            <UptimeBars name=service.name.clone() days=service.days.clone() />
            <div class="bars-axis" aria-hidden="true">
                <span>{crate::tr!("service-days-ago", days = service.days.len())}</span>
                <span>{crate::tr!("service-today")}</span>
            </div>
            <dl class="service-figures">
                {uptimes}
                {service.latency_measured.then(|| view! {
                    <div>
                        <dt>{crate::tr!("service-latency")}</dt>
                        <dd>{latency}</dd>
                    </div>
                })}
                <div>
                    <dt>{crate::tr!("service-last-check")}</dt>
                    <dd>{last_check}</dd>
                </div>
                {service.certificate.map(|certificate| view! {
                    <div class:expiring=certificate.expiring>
                        <dt>{crate::tr!("service-certificate")}</dt>
                        <dd>{certificate_words(certificate, now)}</dd>
                    </div>
                })}
            </dl>
        </li>
    }
    .into_any()
}

/// An uptime as status pages print it, in the page's language: two
/// decimals, never rounded up to 100 (99.996% of checks is not "100%").
fn uptime_percent(value: f64) -> String {
    crate::tr!(
        "service-percent",
        percent = crate::components::uptime_bars::percent(value)
    )
}

/// A certificate's state at `now` (Unix ms) in words: "expires in 45
/// days", "expires within a day", "expired 3 days ago".
fn certificate_words(certificate: CertificateStatus, now: i64) -> String {
    const DAY_MS: i64 = 86_400_000;
    if certificate.expires_at <= now {
        let days = (now - certificate.expires_at) / DAY_MS;
        crate::tr!("service-certificate-expired", days = days)
    } else {
        let days = (certificate.expires_at - now) / DAY_MS;
        crate::tr!("service-certificate-expires", days = days)
    }
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
            <h2>{crate::tr!("status-incidents")}</h2>
            <History entries now empty=crate::tr!("status-no-incidents", days = RECENT_DAYS) />
            <p class="history-link">
                <a href=crate::page_view::carry(&Route::StatusHistory.href())>
                    {crate::tr!("status-history-link")}
                </a>
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

/// Every minute, fetches this page again (the server keeps it rendered)
/// and puts its report in place of the one shown: the page stays current
/// without a reload, and without the browser carrying the report's code.
/// The island itself only sets the timer; what a refresh runs is
/// [`swap_in_fresh_report`]'s module.
#[island]
fn StatusRefresh() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    set_interval(
        || leptos::task::spawn_local(swap_in_fresh_report()),
        std::time::Duration::from_secs(REFRESH_SECONDS),
    );
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::model::{DayBar, ServiceState, UptimeFigure};
    use crate::words::in_language;

    const DAY_MS: i64 = 86_400_000;

    /// A service's card, as `/status` renders it in language `tag`.
    fn card(tag: &str) -> String {
        let figure = |range, percent| UptimeFigure { range, percent };
        let service = ServiceStatus {
            id: "api".to_owned(),
            name: "API".to_owned(),
            state: ServiceState::Up,
            last_check: None,
            latency_ms: Some(1234.4),
            latency_measured: true,
            error: None,
            certificate: Some(CertificateStatus {
                expires_at: 90 * DAY_MS + 1000,
                days_left: 90,
                expiring: false,
            }),
            locations: Vec::new(),
            uptime: vec![
                figure(UptimeRange::Day, Some(100.0)),
                figure(UptimeRange::Week, Some(99.996)),
                figure(UptimeRange::Month, Some(50.0)),
                figure(UptimeRange::Quarter, None),
            ],
            days: vec![
                DayBar {
                    day: "2026-01-28".to_owned(),
                    uptime: Some(100.0),
                    incidents: 0,
                };
                90
            ],
        };
        in_language(tag, || view! { <Service service now=0 /> }.to_html())
    }

    #[test]
    fn a_card_reads_as_it_always_has_in_english() {
        let card = card("en");
        for text in [
            ">Operational</span>",
            "<span>90 days ago</span>",
            "<span>Today</span>",
            "<dt>24h</dt><dd>100%</dd>",
            "<dt>7d</dt><dd>99.99%</dd>",
            "<dt>30d</dt><dd>50.00%</dd>",
            "<dt>90d</dt><dd>no data</dd>",
            "<dt>Latency</dt><dd>1234 ms</dd>",
            "<dt>Last check</dt><dd>never</dd>",
            "<dt>Certificate</dt><dd>expires in 90 days</dd>",
        ] {
            assert!(card.contains(text), "{text} in {card}");
        }
    }

    #[test]
    fn a_card_reads_in_german() {
        let card = card("de");
        for text in [
            ">In Betrieb</span>",
            "<span>vor 90 Tagen</span>",
            "<span>Heute</span>",
            "<dt>24 Std.</dt><dd>100%</dd>",
            "<dt>7 Tage</dt><dd>99,99%</dd>",
            "<dd>keine Daten</dd>",
            "<dt>Latenz</dt><dd>1234 ms</dd>",
            "<dt>Letzte Prüfung</dt><dd>nie</dd>",
            "<dt>Zertifikat</dt><dd>läuft in 90 Tagen ab</dd>",
        ] {
            assert!(card.contains(text), "{text} in {card}");
        }
    }

    #[test]
    fn the_time_of_the_report_sits_in_its_sentence() {
        let updated = |tag| in_language(tag, || view! { <Updated at=0 /> }.to_html());
        assert_eq!(
            updated("en"),
            "<p class=\"updated\">Last updated <time>1970-01-01 00:00 UTC</time> · refreshes every minute</p>"
        );
        assert_eq!(
            updated("de"),
            "<p class=\"updated\">Zuletzt aktualisiert am <time>01.01.1970 00:00 UTC</time> · aktualisiert sich jede Minute</p>"
        );
    }

    #[test]
    fn certificates_are_described_as_before() {
        let certificate = |expires_at| CertificateStatus {
            expires_at,
            days_left: 0,
            expiring: true,
        };
        let now = 100 * DAY_MS;
        let words =
            |expires_at, tag| in_language(tag, || certificate_words(certificate(expires_at), now));
        assert_eq!(words(now + 1000, "en"), "expires within a day");
        assert_eq!(words(now + DAY_MS, "en"), "expires in 1 day");
        assert_eq!(words(now, "en"), "expired less than a day ago");
        assert_eq!(words(now - DAY_MS, "en"), "expired 1 day ago");
        assert_eq!(words(now - 3 * DAY_MS, "en"), "expired 3 days ago");
        assert_eq!(words(now + DAY_MS, "de"), "läuft in 1 Tag ab");
        assert_eq!(words(now - 3 * DAY_MS, "de"), "vor 3 Tagen abgelaufen");
    }

    #[test]
    fn uptimes_are_never_rounded_up() {
        let english = |value| in_language("en", || uptime_percent(value));
        assert_eq!(english(99.996), "99.99%");
        assert_eq!(english(100.0), "100%");
        assert_eq!(english(50.0), "50.00%");
        assert_eq!(in_language("de", || uptime_percent(99.996)), "99,99%");
    }
}
