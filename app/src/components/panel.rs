//! A dashboard panel: loads its data for a range and shows it by kind. Its
//! chart is an island (hover readout, legend); under auto refresh the whole
//! panel is one ([`crate::live::LivePanel`]), redrawn from each frame.

use std::sync::Arc;

use leptos::prelude::*;

use crate::{
    charts::format_value,
    components::{
        chart_island::ChartIsland, chart_lines::ChartLines, data_table::DataTable,
        stat_cards::StatCards,
    },
    live::LivePanel,
    model::{
        ErrorBody, PanelContent, PanelData, PanelQuery, PanelWidth, SnapshotPanel, Span, TimeRange,
    },
    panel_data::load_panel,
    signed_link::AccessToken,
};

/// One panel, its data loaded on the server for the page. A failing panel
/// shows its own error; the page is unaffected. With `live`, auto refresh
/// redraws it from the frames the server pushes.
#[component]
pub fn Panel(
    /// The dashboard's id.
    dashboard: String,
    /// The panel's id.
    panel: String,
    /// The range to show.
    range: TimeRange,
    /// A fixed window shown instead of `range`, if the viewer picked one.
    span: Option<Span>,
    /// Its share of a wide screen.
    #[prop(optional)]
    width: PanelWidth,
    /// Whether auto refresh updates it.
    #[prop(optional)]
    live: bool,
    /// Its title, shown above an error (data carries it otherwise).
    #[prop(default = None)]
    title: Option<String>,
) -> impl IntoView {
    let query = PanelQuery {
        dashboard,
        panel: panel.clone(),
        range,
        span,
        token: AccessToken::current().0,
    };
    let data = Resource::new(move || query.clone(), load_panel);
    let id = panel.clone();
    view! {
        <section class="panel" data-panel=id data-width=width.as_str()>
            <Suspense fallback=|| view! { <p class="panel-state">"Loading…"</p> }>
                {move || {
                    let panel = panel.clone();
                    let title = title.clone();
                    Suspend::new(async move {
                        let result = data.await;
                        if live {
                            view! {
                                <LivePanel
                                    panel
                                    range
                                    zone=crate::page_view::zone_ahead(range.seconds())
                                >
                                    <PanelResult result title />
                                </LivePanel>
                            }
                                .into_any()
                        } else {
                            view! { <PanelResult result title /> }.into_any()
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// A panel's data, or why there is none.
#[component]
pub fn PanelResult(
    /// What loading the panel gave.
    result: Result<PanelData, ErrorBody>,
    /// The panel's title, for an error to stand under.
    #[prop(default = None)]
    title: Option<String>,
) -> impl IntoView {
    match result {
        Ok(data) => view! { <PanelBody data /> }.into_any(),
        Err(error) => view! { <PanelError error title /> }.into_any(),
    }
}

/// Marks panels as frozen (a snapshot): their data has no live source, so
/// they offer no CSV download of it.
#[derive(Debug, Clone, Copy)]
pub struct Frozen;

/// One panel of a snapshot: the data (or error) it had when taken.
#[component]
pub fn FrozenPanel(
    /// The panel as captured.
    panel: SnapshotPanel,
) -> impl IntoView {
    view! {
        <section class="panel" data-panel=panel.id data-width=panel.width.as_str()>
            {match panel.result {
                Ok(data) => view! { <PanelBody data /> }.into_any(),
                Err(error) => view! { <PanelError error title=None /> }.into_any(),
            }}
        </section>
    }
}

/// The panel's heading and its content.
#[component]
fn PanelBody(data: PanelData) -> impl IntoView {
    let latest = match &data.content {
        PanelContent::Timeseries { unit, series, .. } => data.latest_value().map(|v| {
            // With several lines, say which one the headline number is,
            // set apart from it ("200: 22/s", not "200 22/s").
            let value = format_value(v, *unit, &crate::words::page_style());
            match series.as_slice() {
                [first, _, ..] => format!("{}: {value}", first.name),
                _ => value,
            }
        }),
        PanelContent::Stats { .. } | PanelContent::Table { .. } => None,
    };
    let header = view! {
        <header class="panel-header">
            <h2>{data.title.clone()}</h2>
            {data.demo.then(|| view! { <span class="badge demo">"Demo data"</span> })}
            {data
                .stale_since
                .map(|since| {
                    view! {
                        <span class="badge stale" role="status">
                            {format!(
                                "stale since {}",
                                crate::page_view::page_zone().format_clock(since),
                            )}
                        </span>
                    }
                })}
            {latest.clone().map(|latest| view! { <p class="panel-latest">{latest}</p> })}
        </header>
    };
    let content = match data.content.clone() {
        PanelContent::Timeseries { ref series, .. }
            if series
                .iter()
                .all(|s| s.points.iter().all(|p| p.v.is_none())) =>
        {
            view! { <p class="panel-state empty">"No data in this range."</p> }.into_any()
        }
        PanelContent::Timeseries { .. } => view! { <Chart data latest /> }.into_any(),
        PanelContent::Stats { cards } => view! { <StatCards cards /> }.into_any(),
        PanelContent::Table {
            columns,
            rows,
            empty,
            instants,
        } => view! { <DataTable caption=data.title columns rows empty instants /> }.into_any(),
    };
    view! {
        {header}
        {content}
    }
}

/// A time-series chart drawn with plotters (on the server for the page),
/// its legend and hover readout (an island), its values as a table, and a
/// CSV download.
#[component]
fn Chart(data: PanelData, latest: Option<String>) -> impl IntoView {
    let zone = crate::page_view::page_zone();
    let summary = format!(
        "{}, {}, now {}",
        data.title,
        data.window_label(&zone),
        latest.unwrap_or_else(|| "no data".to_owned())
    );
    // Drawn here on the server; in the browser (a panel redrawn by auto
    // refresh) the chart island draws it, with plotters loaded on first use.
    let Some(lines) = ChartLines::of(&data, &zone, &crate::words::page_style()) else {
        return ().into_any();
    };
    #[cfg(feature = "ssr")]
    let svg = match crate::components::chart_lines::draw(&lines, &[]) {
        Ok(svg) => svg,
        Err(error) => {
            return view! { <p class="panel-state error">{error}</p> }.into_any();
        }
    };
    #[cfg(not(feature = "ssr"))]
    let svg = String::new();
    let csv = use_context::<Frozen>()
        .is_none()
        .then(|| data.csv_path())
        .flatten()
        .map(|csv| AccessToken::current().append(&csv));
    let range = data.range.as_str();
    let table = Arc::new(data.clone());
    view! {
        <ChartIsland lines>
            <figure class="chart" role="img" aria-label=summary data-range=range inner_html=svg></figure>
        </ChartIsland>
        <div class="panel-tools">
            <details class="as-table">
                <summary>"View as table"</summary>
                <SeriesTableView data=table />
            </details>
            {csv
                .map(|csv| {
                    view! {
                        <a class="download" href=csv download="">
                            "Download CSV"
                        </a>
                    }
                })}
        </div>
    }
    .into_any()
}

/// The most rows the table view shows (the newest ones).
const TABLE_ROWS: usize = 500;

/// A time-series panel's values as an accessible table.
#[component]
fn SeriesTableView(data: Arc<PanelData>) -> impl IntoView {
    let (Some(table), PanelContent::Timeseries { unit, .. }) = (data.series_table(), &data.content)
    else {
        return ().into_any();
    };
    let unit = *unit;
    let span = data.to - data.from;
    let zone = crate::page_view::page_zone();
    let style = crate::words::page_style();
    let skipped = table.rows.len().saturating_sub(TABLE_ROWS);
    let columns: Vec<String> = std::iter::once("Time".to_owned())
        .chain(table.columns)
        .collect();
    let rows: Vec<Vec<String>> =
        table
            .rows
            .into_iter()
            .skip(skipped)
            .map(|(t, values)| {
                std::iter::once(style.timestamp_in(&zone, t, span))
                    .chain(values.into_iter().map(|v| {
                        v.map_or_else(|| "–".to_owned(), |v| format_value(v, unit, &style))
                    }))
                    .collect()
            })
            .collect();
    view! {
        {(skipped > 0).then(|| view! { <p class="panel-state">{format!("The newest {TABLE_ROWS} rows; the CSV has all.")}</p> })}
        <DataTable caption=data.title.clone() columns rows empty="No data in this range.".to_owned() />
    }
    .into_any()
}

/// A panel's own error: the rest of the page is unaffected. A panel that
/// does not exist (only an embed's link can name one) makes the page a 404.
/// A panel that needs a source this Porthole is not configured with says
/// so calmly, under its title: it is a setup step, not a fault.
#[component]
fn PanelError(error: ErrorBody, title: Option<String>) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if error.error_type == crate::model::ErrorKind::NotFound
        && let Some(response) = use_context::<leptos_axum::ResponseOptions>()
    {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let setup = error.error_type == crate::model::ErrorKind::NotConfigured;
    view! {
        {title.map(|title| view! { <header class="panel-header"><h2>{title}</h2></header> })}
        {if setup {
            view! { <p class="panel-state setup">{error.error}</p> }.into_any()
        } else {
            view! { <p class="panel-state error" role="alert">{error.error}</p> }.into_any()
        }}
    }
}
