//! The interactive part of a time-series chart, the one island every chart
//! page has: the hover readout and the legend, which hides or shows lines
//! and has the chart redrawn in the browser by the same plotters code the
//! server drew it with. It takes the drawn lines only ([`ChartLines`]), not
//! the panel's data, so the browser's first load carries neither the other
//! panel kinds nor plotters (fetched on the first redraw, see [`redraw`]).

use std::sync::Arc;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{
    charts::{CHART_SIZE, ChartStyle, TimeseriesChart, render_timeseries_svg},
    components::chart_hover::ChartHover,
    model::{PanelContent, PanelData, Point, Series, Unit},
};

/// What a chart draws: its window, unit, lines, bars and thresholds. The
/// island's props, written into the page: points go as two arrays per
/// line, not an object per point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartLines {
    /// Start of the time axis, Unix seconds.
    pub from: i64,
    /// End of the time axis, Unix seconds.
    pub to: i64,
    /// The unit of the lines' values.
    pub unit: Unit,
    /// The lines.
    pub series: Vec<Line>,
    /// Bars on their own scale in the lower part, if any.
    pub bars: Option<Line>,
    /// Values drawn as dashed horizontal lines.
    pub thresholds: Vec<f64>,
}

/// A line as two arrays: its times (Unix seconds, in order) and its values
/// there (`None`: a gap, drawn as a gap).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// The legend label.
    pub name: String,
    /// The times of its points.
    pub t: Vec<i64>,
    /// The value at each time.
    pub v: Vec<Option<f64>>,
}

impl Line {
    /// The value at exactly `t`, if the line has one.
    pub fn value_at(&self, t: i64) -> Option<f64> {
        let i = self.t.binary_search(&t).ok()?;
        self.v.get(i).copied().flatten()
    }
}

impl From<&Series> for Line {
    fn from(series: &Series) -> Self {
        Self {
            name: series.name.clone(),
            t: series.points.iter().map(|p| p.t).collect(),
            v: series.points.iter().map(|p| p.v).collect(),
        }
    }
}

impl From<&Line> for Series {
    fn from(line: &Line) -> Self {
        Self {
            name: line.name.clone(),
            points: line
                .t
                .iter()
                .zip(&line.v)
                .map(|(&t, &v)| Point { t, v })
                .collect(),
        }
    }
}

impl ChartLines {
    /// The lines of a time-series panel; `None` for other kinds.
    pub fn of(data: &PanelData) -> Option<Self> {
        let PanelContent::Timeseries {
            unit,
            series,
            bars,
            thresholds,
        } = &data.content
        else {
            return None;
        };
        Some(Self {
            from: data.from,
            to: data.to,
            unit: *unit,
            series: series.iter().map(Line::from).collect(),
            bars: bars.as_ref().map(Line::from),
            thresholds: thresholds.clone(),
        })
    }
}

/// `lines` as SVG without the lines in `hidden`. The server draws with it
/// directly; the browser only through [`redraw`].
pub fn draw(lines: &ChartLines, hidden: &[usize]) -> Result<String, String> {
    let series: Vec<Series> = lines.series.iter().map(Series::from).collect();
    let bars = lines.bars.as_ref().map(Series::from);
    let chart = TimeseriesChart {
        from: lines.from,
        to: lines.to,
        unit: lines.unit,
        series: &series,
        bars: bars.as_ref(),
        hidden,
        thresholds: &lines.thresholds,
    };
    render_timeseries_svg(&chart, CHART_SIZE).map_err(|error| error.to_string())
}

/// [`draw`] in the browser, in a WASM module of its own (`#[lazy]`, built
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
            <ChartHover lines=lines.clone() hidden />
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_go_to_arrays_and_back_whole_gaps_included() {
        let series = Series {
            name: "p95".into(),
            points: vec![
                Point {
                    t: 10,
                    v: Some(1.5),
                },
                Point { t: 20, v: None },
                Point {
                    t: 40,
                    v: Some(2.0),
                },
            ],
        };
        let line = Line::from(&series);
        assert_eq!(line.t, [10, 20, 40]);
        assert_eq!(line.value_at(40), Some(2.0));
        assert_eq!(line.value_at(20), None, "a gap");
        assert_eq!(line.value_at(30), None, "no point");
        assert_eq!(Series::from(&line), series);
        let json = serde_json::to_string(&line).expect("json");
        assert_eq!(json, r#"{"name":"p95","t":[10,20,40],"v":[1.5,null,2.0]}"#);
    }
}
