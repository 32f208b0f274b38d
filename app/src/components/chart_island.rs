//! The interactive part of a time-series chart, the one island every chart
//! page has: the hover readout and the legend, which hides or shows lines
//! and has the chart redrawn in the browser by the same plotters code the
//! server drew it with. It takes the drawn lines only (`ChartLines`), not
//! the panel's data, so the browser's first load carries neither the other
//! panel kinds nor plotters (fetched on the first redraw, see `redraw`).

use std::sync::Arc;

#[cfg(feature = "hydrate")]
use crate::components::chart_lines::draw;
use crate::{
    charts::ChartStyle,
    components::{chart_hover::ChartHover, chart_lines::ChartLines},
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The words of a chart's island, looked up on the server (the browser has
/// no message file): a prop, so kept to the few it shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartWords {
    /// The readout's accessible name: how to move it.
    pub readout: String,
    /// The legend's accessible name.
    pub legend: String,
}

impl ChartWords {
    /// The words in the page's language (on the server).
    pub fn lookup() -> Self {
        Self {
            readout: crate::tr!("chart-hover-label"),
            legend: crate::tr!("chart-legend-label"),
        }
    }
}

/// [`draw`](crate::components::chart_lines::draw) in the browser, in a WASM module of its own (`#[lazy]`, built
/// with `cargo leptos build --split`): a page's first load does not carry
/// plotters; the first redraw fetches it, once.
#[cfg(feature = "hydrate")]
#[lazy]
fn redraw(lines: ChartLines, hidden: Vec<usize>) -> Result<String, String> {
    draw(&lines, &hidden)
}

/// What a visitor does with a chart: reads values under the pointer (or
/// the arrow keys), and hides or shows lines with the legend, which redraws
/// the chart. The chart as the page brought it is `children` (a drawn
/// `<figure class="chart">`, or an empty one the island draws into).
#[island]
pub(crate) fn ChartIsland(
    /// What the chart draws.
    lines: ChartLines,
    /// The readout's accessible name ([`ChartWords::readout`]). The words
    /// come as plain props, not as their struct: each struct an island
    /// deserializes costs the first load its own parser.
    readout_label: String,
    /// The legend's accessible name ([`ChartWords::legend`]).
    legend_label: String,
    /// The chart's `<figure>`.
    children: Children,
) -> impl IntoView {
    let lines = Arc::new(lines);
    let hidden = RwSignal::new(Vec::<usize>::new());
    let frame = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        let lines = lines.clone();
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
            let lines = ChartLines::clone(&lines);
            leptos::task::spawn_local(async move {
                if let Ok(svg) = redraw(lines, hidden).await {
                    figure.set_inner_html(&svg);
                }
            });
        });
    }
    let names: Vec<String> = lines.series.iter().map(|s| s.name.clone()).collect();
    view! {
        <div class="chart-frame" node_ref=frame>
            {children()}
            <ChartHover lines=lines.clone() hidden label=readout_label />
        </div>
        {(names.len() > 1).then(|| view! { <Legend names hidden label=legend_label /> })}
    }
}

/// One button per line, in its colour; pressing one hides or shows it.
#[component]
fn Legend(names: Vec<String>, hidden: RwSignal<Vec<usize>>, label: String) -> impl IntoView {
    let palette = ChartStyle::LIGHT.palette;
    view! {
        <ul class="legend" aria-label=label>
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
