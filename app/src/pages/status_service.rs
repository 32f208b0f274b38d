//! `/status/{service}`: one service's page — its state and reason, uptime
//! and 90 daily bars, its response times over 24 hours and 90 days as
//! charts, what each location sees (for a service judged by a quorum), its
//! certificate, its incidents and maintenance, and badges to copy. Server HTML, readable without JavaScript; the charts' hover is
//! their island's.

use leptos::prelude::*;

use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use porthole_model::Route;

use crate::{
    components::{
        notices::History,
        panel::{Frozen, FrozenPanel},
        refused::Refused,
        top_bar::{SitePage, TopBar},
    },
    model::{LocationStatus, PanelData, PanelWidth, RECENT_DAYS, ServicePage, SnapshotPanel},
    pages::status::Service,
    panel_data::load_service_page,
    site::{Brand, PublicUrl},
};

/// `/status/{service}`.
#[component]
pub fn StatusServicePage() -> impl IntoView {
    let view = crate::page_view::view_from_query();
    let id = use_params_map()
        .read_untracked()
        .get("service")
        .unwrap_or_default();
    let page = Resource::new(move || id.clone(), load_service_page);
    // Its charts are drawn from this page's data, not a panel's API: no
    // CSV link.
    provide_context(Frozen);
    let loading = crate::tr!("pages-loading");
    view! {
        <div class="app" data-theme=move || view.get().theme.as_str()>
            <TopBar current=SitePage::Status view />
            <main class="page status service-page">
                <p class="back">
                    <a href=crate::page_view::carry(&Route::Status.href())>
                        {crate::tr!("pages-back-to-status")}
                    </a>
                </p>
                <Suspense fallback=move || view! { <p class="panel-state">{loading.clone()}</p> }>
                    {move || Suspend::new(async move {
                        match crate::render_once::loaded(page).await {
                            Ok(page) => view! { <Page page /> }.into_any(),
                            Err(error) => view! { <Refused error heading=crate::tr!("service-not-found") /> }.into_any(),
                        }
                    })}
                </Suspense>
            </main>
        </div>
    }
}

/// What each location's latest check found, for a service judged by a
/// quorum of locations.
#[component]
fn Locations(locations: Vec<LocationStatus>) -> impl IntoView {
    let rows = locations
        .into_iter()
        .map(|location| {
            let (class, label) = if location.up {
                ("state up", crate::tr!("service-location-up"))
            } else {
                ("state down", crate::tr!("service-location-down"))
            };
            let latency = location
                .latency_ms
                .map_or_else(|| "—".to_owned(), |ms| format!("{ms:.0} ms"));
            view! {
                <tr>
                    <th scope="row">{location.name}</th>
                    <td>
                        <span class=class>{label}</span>
                    </td>
                    <td>{latency}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="locations">
            <h2>{crate::tr!("service-locations")}</h2>
            <div class="table-scroll">
                <table class="data-table">
                    <thead>
                        <tr>
                            <th scope="col">{crate::tr!("service-location")}</th>
                            <th scope="col">{crate::tr!("service-state")}</th>
                            <th scope="col">{crate::tr!("service-response-time")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn Page(page: ServicePage) -> impl IntoView {
    let brand = Brand::current();
    let name = page.service.name.clone();
    let charts = [page.latency_day, page.latency_quarter]
        .into_iter()
        .flatten()
        .map(|data| view! { <LatencyChart data /> })
        .collect_view();
    view! {
        <Title text=brand.title_of(&crate::tr!("service-title", service = &name)) />
        <h1>{name.clone()}</h1>
        <p class="service-group-name">{page.group}</p>
        <ul class="services">
            <Service service=page.service.clone() now=page.generated_at own_page=true />
        </ul>
        <div class="panels">{charts}</div>
        {(!page.service.locations.is_empty())
            .then(|| view! { <Locations locations=page.service.locations.clone() /> })}
        <section class="incidents">
            <h2>{crate::tr!("service-incidents")}</h2>
            <History
                entries=page.history
                now=page.generated_at
                empty=crate::tr!("service-no-incidents", days = RECENT_DAYS)
            />
        </section>
        <Badges id=page.service.id name />
    }
}

#[component]
fn LatencyChart(data: PanelData) -> impl IntoView {
    let panel = SnapshotPanel {
        id: data.panel.clone(),
        width: PanelWidth::Half,
        result: Ok(data),
    };
    view! { <FrozenPanel panel /> }
}

/// The service's badges with the Markdown that shows each, to copy.
#[component]
fn Badges(id: String, name: String) -> impl IntoView {
    let site = PublicUrl::current();
    let badges = [
        (
            crate::tr!("service-badge-status"),
            format!("/badge/{id}/status.svg"),
        ),
        (
            crate::tr!("service-badge-uptime"),
            format!("/badge/{id}/uptime.svg?range=30d"),
        ),
        (
            crate::tr!("service-badge-latency"),
            format!("/badge/{id}/latency.svg"),
        ),
    ];
    let href = porthole_model::Id::new(&id)
        .map(|service| Route::StatusService { service }.href())
        .unwrap_or_else(|| Route::Status.href());
    let page = site.absolute(&href).unwrap_or(href);
    view! {
        <section class="badges">
            <h2>{crate::tr!("service-badges")}</h2>
            <dl>
                {badges
                    .into_iter()
                    .map(|(label, path)| {
                        let image = site.absolute(&path).unwrap_or_else(|| path.clone());
                        let markdown = format!("[![{name}: {label}]({image})]({page})");
                        view! {
                            <div class="badge-row">
                                <dt>
                                    <img src=path alt=format!("{name}: {label}") height="20" />
                                </dt>
                                <dd>
                                    <code>{markdown}</code>
                                </dd>
                            </div>
                        }
                    })
                    .collect_view()}
            </dl>
        </section>
    }
}
