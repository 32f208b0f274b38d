//! A dashboard panel: loads its data for a range and shows it by kind.

use leptos::prelude::*;

use crate::{
    charts::{CHART_SIZE, TimeseriesChart, format_value, render_timeseries_svg},
    components::{data_table::DataTable, stat_cards::StatCards},
    model::{ErrorBody, PanelContent, PanelData, PanelQuery, TimeRange},
    panel_data::load_panel,
};

/// One panel. Its data is loaded on the server for the first render,
/// carried to the browser with the page, and fetched again when `range`
/// changes. A failing panel shows its own error; the page is unaffected.
#[component]
pub fn Panel(
    /// The dashboard's id.
    dashboard: String,
    /// The panel's id.
    panel: String,
    /// The range to show.
    #[prop(into)]
    range: Signal<TimeRange>,
) -> impl IntoView {
    let data = Resource::new(
        {
            let panel = panel.clone();
            move || PanelQuery {
                dashboard: dashboard.clone(),
                panel: panel.clone(),
                range: range.get(),
            }
        },
        load_panel,
    );
    view! {
        <section class="panel" data-panel=panel>
            <Transition fallback=|| view! { <p class="panel-state">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <PanelBody data /> }.into_any(),
                        Err(error) => view! { <PanelError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The panel's heading and its content.
#[component]
fn PanelBody(data: PanelData) -> impl IntoView {
    let latest = match &data.content {
        PanelContent::Timeseries { unit, .. } => {
            data.latest_value().map(|v| format_value(v, *unit))
        }
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

/// `HH:MM` (UTC) of a unix time.
fn format_clock(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .map_or_else(String::new, |time| time.format("%H:%M UTC").to_string())
}

/// A time-series chart drawn with plotters.
#[component]
fn Chart(data: PanelData, latest: Option<String>) -> impl IntoView {
    let summary = format!(
        "{}, {}, now {}",
        data.title,
        data.range.label(),
        latest.unwrap_or_else(|| "no data".to_owned())
    );
    // Drawn the same way on both sides; when hydrating, the browser keeps the
    // server's SVG rather than replacing it, so the chart never jumps.
    let svg = TimeseriesChart::of(&data).map(|chart| render_timeseries_svg(&chart, CHART_SIZE));
    match svg {
        Some(Ok(svg)) => view! {
            <figure
                class="chart"
                role="img"
                aria-label=summary
                data-range=data.range.as_str()
                inner_html=svg
            ></figure>
        }
        .into_any(),
        Some(Err(error)) => {
            view! { <p class="panel-state error">{error.to_string()}</p> }.into_any()
        }
        None => ().into_any(),
    }
}

/// A panel's own error: the rest of the page is unaffected.
#[component]
fn PanelError(error: ErrorBody) -> impl IntoView {
    view! {
        <p class="panel-state error" role="alert">
            {error.error}
        </p>
    }
}
