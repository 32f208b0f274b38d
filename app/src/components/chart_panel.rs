//! A panel frame holding one time-series chart, loaded for a range.

use leptos::prelude::*;

use crate::{
    charts::{CHART_SIZE, format_value, render_timeseries_svg},
    model::{ErrorBody, PanelData, PanelQuery, TimeRange},
    panel_data::load_panel,
};

/// One chart panel. Its data is loaded on the server for the first render,
/// carried to the browser with the page, and fetched again when `range` changes.
#[component]
pub fn ChartPanel(
    /// The dashboard's id.
    dashboard: &'static str,
    /// The panel's id.
    panel: &'static str,
    /// The range to show.
    #[prop(into)]
    range: Signal<TimeRange>,
) -> impl IntoView {
    let data = Resource::new(
        move || PanelQuery {
            dashboard: dashboard.to_owned(),
            panel: panel.to_owned(),
            range: range.get(),
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

/// The panel's heading, latest value and chart.
#[component]
fn PanelBody(data: PanelData) -> impl IntoView {
    let latest = data
        .latest_value()
        .map(|value| format_value(value, data.unit))
        .unwrap_or_else(|| "no data".to_owned());
    let summary = format!("{}, {}, now {latest}", data.title, data.range.label());
    // Drawn the same way on both sides; when hydrating, the browser keeps the
    // server's SVG rather than replacing it, so the chart never jumps.
    let svg = render_timeseries_svg(&data, CHART_SIZE);
    view! {
        <header class="panel-header">
            <h2>{data.title.clone()}</h2>
            {data.demo.then(|| view! { <span class="badge demo">"Demo data"</span> })}
            <p class="panel-latest">{latest}</p>
        </header>
        {match svg {
            Ok(svg) => {
                view! {
                    <figure
                        class="chart"
                        role="img"
                        aria-label=summary
                        data-range=data.range.as_str()
                        inner_html=svg
                    ></figure>
                }
                    .into_any()
            }
            Err(error) => view! { <p class="panel-state error">{error.to_string()}</p> }.into_any(),
        }}
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
