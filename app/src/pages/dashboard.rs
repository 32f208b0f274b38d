//! The dashboard page: view controls and the dashboard's panels.

use leptos::prelude::*;

use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};
use porthole_model::{OVERVIEW, Route};

use crate::{
    components::{
        panel::Panel,
        range_picker::{RangePicker, RefreshPicker},
        share::ShareDialog,
        top_bar::{SitePage, TopBar},
    },
    live::LiveDashboard,
    model::{DashboardLayout, ErrorBody},
    panel_data::load_dashboard,
    signed_link::AccessToken,
    site::Brand,
    view_state::ViewState,
};

/// A dashboard: `/` is the overview, `/d/{dashboard}` any other. The view
/// (`?range=7d&theme=dark&refresh=30s`) lives in the query string, so
/// every view is a link.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let location = use_location();
    let query = use_query_map();
    let id = Memo::new(move |_| {
        Route::parse(&location.pathname.get())
            .ok()
            .and_then(|route| route.dashboard().map(str::to_owned))
            .unwrap_or_else(|| OVERVIEW.to_owned())
    });
    let layout = Resource::new(move || id.get(), load_dashboard);
    // What the link leaves out, the dashboard decides (its default range
    // and refresh).
    let defaults = move || {
        layout
            .get()
            .and_then(Result::ok)
            .map(|layout| ViewState {
                range: layout.default_range,
                refresh: layout.default_refresh,
                ..ViewState::default()
            })
            .unwrap_or_default()
    };
    let parsed = Memo::new(move |_| {
        let query = query.read();
        ViewState::from_query_or(|key| query.get(key), defaults())
    });
    let view = Signal::derive(move || parsed.get().0);
    crate::page_view::provide_view(view.get_untracked());
    // A private dashboard's signed link: kept on every link and request.
    provide_context(AccessToken::from_query(query.read_untracked().get("token")));
    // In the page's language, provided just above; pages render once.
    let problems: Vec<String> = parsed
        .get_untracked()
        .1
        .iter()
        .map(crate::words::view_problem)
        .collect();
    let problems = Signal::stored(problems);

    #[cfg(feature = "ssr")]
    if !problems.get_untracked().is_empty()
        && let Some(response) = use_context::<leptos_axum::ResponseOptions>()
    {
        response.set_status(http::StatusCode::BAD_REQUEST);
    }

    let loading = crate::tr!("pages-loading");
    view! {
        <div class="app" data-theme=move || view.get().theme.as_str()>
            <TopBar current=SitePage::Dashboard view />
            // `hydrate()` marks it "true" once the islands are interactive.
            <main class="page dashboard" data-hydrated="false">
                <Suspense fallback=move || view! { <p class="panel-state">{loading.clone()}</p> }>
                    {move || Suspend::new(async move {
                        match crate::render_once::loaded(layout).await {
                            Ok(layout) => view! { <Dashboard layout view problems /> }.into_any(),
                            Err(error) => view! { <UnknownDashboard error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </main>
        </div>
    }
}

/// A dashboard's heading, view controls and panels.
#[component]
fn Dashboard(
    layout: DashboardLayout,
    view: Signal<ViewState>,
    problems: Signal<Vec<String>>,
) -> impl IntoView {
    let dashboard = layout.id.clone();
    let ViewState {
        range,
        span,
        refresh,
        ..
    } = view.get_untracked();
    let span_signal = Signal::derive(move || view.get().span);
    // A fixed window does not move: only a range refreshes.
    let live = refresh.seconds().is_some() && span.is_none();
    let chart_title = layout
        .panels
        .iter()
        .find(|panel| Some(&panel.id) == layout.chart_panel.as_ref())
        .map(|panel| panel.title.clone());
    let panels = layout
        .panels
        .into_iter()
        .map(|panel| {
            view! {
                <Panel
                    dashboard=dashboard.clone()
                    panel=panel.id
                    range
                    span
                    width=panel.width
                    live
                    title=Some(panel.title)
                />
            }
        })
        .collect_view();
    let panels = if live {
        view! {
            <LiveDashboard
                dashboard=dashboard.clone()
                range
                refresh
                token=AccessToken::current().0
            >
                {panels}
            </LiveDashboard>
        }
        .into_any()
    } else {
        view! { <div class="panels">{panels}</div> }.into_any()
    };
    view! {
        <Title text=Brand::current().title_of(&layout.title) />
        <div class="dashboard-head">
            <h1>{layout.title.clone()}</h1>
            <div class="view-controls">
                <RangePicker ranges=layout.ranges.clone() view />
                // A fixed window does not move, so it has nothing to refresh.
                {move || span_signal.get().is_none().then(|| view! { <RefreshPicker view /> })}
                <ShareDialog
                    dashboard=dashboard.clone()
                    panel=layout.chart_panel.clone()
                    panel_title=chart_title
                    view
                    snapshots=layout.snapshots
                />
            </div>
        </div>
        {(!layout.description.is_empty())
            .then(|| view! { <p class="dashboard-description">{layout.description.clone()}</p> })}
        {move || {
            problems
                .get()
                .into_iter()
                .map(|problem| view! { <p class="notice error" role="alert">{problem}</p> })
                .collect_view()
        }}
        {panels}
    }
}

/// A dashboard id that does not exist: a 404 with a way back.
#[component]
fn UnknownDashboard(error: ErrorBody) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(if error.error_type == crate::model::ErrorKind::NotFound {
            http::StatusCode::NOT_FOUND
        } else {
            http::StatusCode::SERVICE_UNAVAILABLE
        });
    }
    view! {
        <Title text=Brand::current().title_of(&crate::tr!("dashboard-not-found-title")) />
        <h1>{crate::tr!("dashboard-not-found")}</h1>
        <p class="notice error" role="alert">{error.error}</p>
        <p>
            <a href=Route::Overview.href()>{crate::tr!("pages-go-to-overview")}</a>
        </p>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };

    use futures::{FutureExt, StreamExt, future::BoxFuture};
    use leptos_router::location::RequestUrl;

    use super::*;
    use crate::{
        model::{
            ErrorKind, HistoryPage, NoticePage, PanelContent, PanelData, PanelInfo, PanelQuery,
            PanelWidth, Point, Series, ServicePage, Snapshot, StatusReport, TimeRange, Unit,
        },
        panel_data::{PanelSource, PanelSourceHandle},
    };

    /// A dashboard of `PANELS` charts whose panel loads are counted.
    #[derive(Default)]
    struct CountedLoads {
        panels: AtomicUsize,
    }

    const PANELS: usize = 3;

    fn nothing<T: Send + 'static>() -> BoxFuture<'static, Result<T, ErrorBody>> {
        async { Err(ErrorBody::new(ErrorKind::NotFound, "not in this test")) }.boxed()
    }

    impl PanelSource for CountedLoads {
        fn dashboard(&self, id: String) -> BoxFuture<'static, Result<DashboardLayout, ErrorBody>> {
            let layout = DashboardLayout {
                id,
                title: "Overview".to_owned(),
                description: String::new(),
                panels: (0..PANELS)
                    .map(|n| PanelInfo {
                        id: format!("p{n}"),
                        title: format!("Panel {n}"),
                        kind: "timeseries".to_owned(),
                        width: PanelWidth::Half,
                    })
                    .collect(),
                ranges: TimeRange::ALL.to_vec(),
                default_range: TimeRange::default(),
                default_refresh: Default::default(),
                chart_panel: None,
                snapshots: false,
            };
            async move { Ok(layout) }.boxed()
        }

        fn panel(&self, query: PanelQuery) -> BoxFuture<'static, Result<PanelData, ErrorBody>> {
            self.panels.fetch_add(1, Ordering::SeqCst);
            let to = 1_800_000_000;
            let data = PanelData {
                dashboard: query.dashboard,
                title: format!("Panel {}", query.panel),
                panel: query.panel,
                range: query.range,
                from: to - query.range.seconds(),
                to,
                span: None,
                demo: false,
                stale_since: None,
                content: PanelContent::Timeseries {
                    unit: Unit::Milliseconds,
                    series: vec![Series {
                        name: "p50".to_owned(),
                        points: (0..100)
                            .map(|i| Point {
                                t: to - 6000 + i * 60,
                                v: Some(i as f64),
                            })
                            .collect(),
                    }],
                    bars: None,
                    thresholds: Vec::new(),
                },
            };
            async move { Ok(data) }.boxed()
        }

        fn status(&self) -> BoxFuture<'static, Result<StatusReport, ErrorBody>> {
            nothing()
        }

        fn snapshot(&self, _: String) -> BoxFuture<'static, Result<Snapshot, ErrorBody>> {
            nothing()
        }

        fn notice(&self, _: u64) -> BoxFuture<'static, Result<NoticePage, ErrorBody>> {
            nothing()
        }

        fn history(&self, _: u32) -> BoxFuture<'static, Result<HistoryPage, ErrorBody>> {
            nothing()
        }

        fn service_page(&self, _: String) -> BoxFuture<'static, Result<ServicePage, ErrorBody>> {
            nothing()
        }

        fn preview(&self, _: &Route) -> Option<crate::model::LinkPreview> {
            None
        }
    }

    /// `/` rendered as the server renders it for a visitor.
    async fn render_overview(source: Arc<CountedLoads>) -> String {
        let _ = any_spawner::Executor::init_tokio();
        // As the server renders a page: islands note their props in it.
        let owner = Owner::new_root(Some(Arc::new(hydration_context::SsrSharedContext::new())));
        let html = owner.with(|| {
            provide_context(RequestUrl::new("/"));
            provide_context(PanelSourceHandle(source));
            view! { <crate::App /> }.to_html_stream_in_order()
        });
        html.collect::<String>().await
    }

    #[tokio::test]
    async fn a_render_loads_each_panel_once_and_draws_it() {
        let source = Arc::new(CountedLoads::default());
        let html = render_overview(source.clone()).await;
        for n in 0..PANELS {
            assert!(html.contains(&format!(r#"data-panel="p{n}""#)));
        }
        assert_eq!(html.matches("<figure ").count(), PANELS);
        // Before each Suspense's walks were stopped (`render_once`), the
        // dashboard was built three times, each time with its panels and
        // their loads.
        assert_eq!(source.panels.load(Ordering::SeqCst), PANELS);
    }
}
