//! A dashboard panel: loads its data for a range and shows it by kind. Its
//! chart is an island (hover readout, legend); under auto refresh the whole
//! panel is one ([`crate::live::LivePanel`]), redrawn from each frame.

use std::sync::Arc;

use leptos::prelude::*;

use crate::{
    charts::{
        CHART_SIZE, ChartStyle, TimeseriesChart, format_clock, format_timestamp_in, format_value,
        render_timeseries_svg,
    },
    components::{chart_hover::ChartHover, data_table::DataTable, stat_cards::StatCards},
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
                    Suspend::new(async move {
                        let result = data.await;
                        if live {
                            view! {
                                <LivePanel panel range>
                                    <PanelResult result />
                                </LivePanel>
                            }
                                .into_any()
                        } else {
                            view! { <PanelResult result /> }.into_any()
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
) -> impl IntoView {
    match result {
        Ok(data) => view! { <PanelBody data /> }.into_any(),
        Err(error) => view! { <PanelError error /> }.into_any(),
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
                Err(error) => view! { <PanelError error /> }.into_any(),
            }}
        </section>
    }
}

/// The panel's heading and its content.
#[component]
fn PanelBody(data: PanelData) -> impl IntoView {
    let latest = match &data.content {
        PanelContent::Timeseries { unit, series, .. } => data.latest_value().map(|v| {
            // With several lines, say which one the headline number is.
            let value = format_value(v, *unit);
            match series.as_slice() {
                [first, _, ..] => format!("{} {value}", first.name),
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
                            {format!("stale since {}", format_clock(since))}
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
        } => view! { <DataTable caption=data.title columns rows empty /> }.into_any(),
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
    let summary = format!(
        "{}, {}, now {}",
        data.title,
        data.window_label(),
        latest.unwrap_or_else(|| "no data".to_owned())
    );
    // Drawn here on the server; in the browser (a panel redrawn by auto
    // refresh) the chart island draws it, with plotters loaded on first use.
    #[cfg(feature = "ssr")]
    let svg = match draw_chart(&data, &[]) {
        Some(Ok(svg)) => svg,
        Some(Err(error)) => {
            return view! { <p class="panel-state error">{error}</p> }.into_any();
        }
        None => String::new(),
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
        <ChartIsland data>
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

/// `data`'s chart as SVG without the lines in `hidden`; `None` when `data`
/// is not a time series. The server draws with it directly; the browser
/// only through [`redraw`].
fn draw_chart(data: &PanelData, hidden: &[usize]) -> Option<Result<String, String>> {
    TimeseriesChart::of(data).map(|chart| {
        render_timeseries_svg(&TimeseriesChart { hidden, ..chart }, CHART_SIZE)
            .map_err(|error| error.to_string())
    })
}

/// [`draw_chart`] in the browser, in a WASM module of its own (`#[lazy]`,
/// built with `cargo leptos build --split`): a page's first load does not
/// carry plotters; the first redraw fetches it, once.
#[cfg(feature = "hydrate")]
#[lazy]
fn redraw(data: PanelData, hidden: Vec<usize>) -> Option<Result<String, String>> {
    draw_chart(&data, &hidden)
}

/// What a visitor does with a chart: reads values under the pointer (or the
/// arrow keys), and hides or shows lines with the legend, which redraws the
/// chart in the browser with the same plotters code. The chart as the page
/// brought it is `children`, kept as it is until the first redraw.
#[island]
fn ChartIsland(
    /// The chart's data.
    data: PanelData,
    /// The chart's `<figure>`, drawn.
    children: Children,
) -> impl IntoView {
    let data = Arc::new(data);
    let hidden = RwSignal::new(Vec::<usize>::new());
    let frame = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        let data = data.clone();
        Effect::new(move |drawn: Option<()>| {
            let hidden = hidden.get();
            let Some(figure) = frame
                .get()
                .and_then(|frame| frame.query_selector("figure.chart").ok().flatten())
            else {
                return;
            };
            // The first time, a drawing the page brought stays as it is.
            if drawn.is_none() && figure.child_element_count() > 0 {
                return;
            }
            let data = PanelData::clone(&data);
            leptos::task::spawn_local(async move {
                if let Some(Ok(svg)) = redraw(data, hidden).await {
                    figure.set_inner_html(&svg);
                }
            });
        });
    }
    let names: Vec<String> = match &data.content {
        PanelContent::Timeseries { series, .. } => series.iter().map(|s| s.name.clone()).collect(),
        PanelContent::Stats { .. } | PanelContent::Table { .. } => Vec::new(),
    };
    view! {
        <div class="chart-frame" node_ref=frame>
            {children()}
            <ChartHover data=data.clone() hidden />
        </div>
        {(names.len() > 1).then(|| view! { <Legend names hidden /> })}
    }
}

/// One button per line, in its colour; pressing one hides or shows it.
#[component]
fn Legend(names: Vec<String>, hidden: RwSignal<Vec<usize>>) -> impl IntoView {
    let palette = ChartStyle::LIGHT.palette;
    view! {
        <ul class="legend" aria-label="Series">
            {names
                .into_iter()
                .enumerate()
                .map(|(i, name)| {
                    let colour = palette[i % palette.len()];
                    let swatch = format!(
                        "background:#{:02x}{:02x}{:02x}",
                        colour.0,
                        colour.1,
                        colour.2,
                    );
                    let shown = move || (!hidden.read().contains(&i)).to_string();
                    let toggle = move |_| {
                        hidden
                            .update(|h| {
                                if let Some(at) = h.iter().position(|&x| x == i) {
                                    h.remove(at);
                                } else {
                                    h.push(i);
                                }
                            })
                    };
                    view! {
                        <li>
                            <button type="button" class="legend-item" aria-pressed=shown on:click=toggle>
                                <span class="swatch" style=swatch></span>
                                {name}
                            </button>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
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
    let skipped = table.rows.len().saturating_sub(TABLE_ROWS);
    let columns: Vec<String> = std::iter::once("Time".to_owned())
        .chain(table.columns)
        .collect();
    let rows: Vec<Vec<String>> = table
        .rows
        .into_iter()
        .skip(skipped)
        .map(|(t, values)| {
            std::iter::once(format_timestamp_in(t, span))
                .chain(
                    values
                        .into_iter()
                        .map(|v| v.map_or_else(|| "–".to_owned(), |v| format_value(v, unit))),
                )
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
#[component]
fn PanelError(error: ErrorBody) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if error.error_type == crate::model::ErrorKind::NotFound
        && let Some(response) = use_context::<leptos_axum::ResponseOptions>()
    {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <p class="panel-state error" role="alert">
            {error.error}
        </p>
    }
}
