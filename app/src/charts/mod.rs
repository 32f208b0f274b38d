//! Chart drawing with plotters, shared by the server (SSR) and the browser.
//!
//! Drawing functions take a `DrawingArea` and prepared data and never build
//! their own backend, so the same code renders to an SVG string on the server
//! and in the browser. Pure data preparation (downsampling, axis labels) lives
//! beside them and is tested without drawing.

mod downsample;
mod labels;
mod timeseries;

pub use downsample::downsample_min_max;
pub use labels::{format_time, format_value};
pub use timeseries::{ChartStyle, draw_timeseries};

use plotters::prelude::*;

use crate::model::PanelData;

/// The size a chart is drawn at; CSS scales the SVG to its container.
pub const CHART_SIZE: (u32, u32) = (800, 300);

/// Why a chart could not be drawn. Drawing into a string cannot fail for
/// lack of resources, so this only carries plotters' own message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the chart could not be drawn: {0}")]
pub struct ChartError(String);

/// Renders a time-series panel to a standalone SVG document.
pub fn render_timeseries_svg(data: &PanelData, size: (u32, u32)) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw_timeseries(&area, data, &ChartStyle::LIGHT).map_err(|e| ChartError(e.to_string()))?;
        area.present().map_err(|e| ChartError(e.to_string()))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Point, Series, TimeRange, Unit};

    fn sample(values: &[Option<f64>]) -> PanelData {
        let day = 86_400;
        PanelData {
            dashboard: "overview".into(),
            panel: "users".into(),
            title: "Total users".into(),
            range: TimeRange::Days7,
            from: 0,
            to: day * values.len() as i64,
            unit: Unit::Count,
            series: vec![Series {
                name: "total users".into(),
                points: values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Point {
                        t: day * i as i64,
                        v: *v,
                    })
                    .collect(),
            }],
            demo: false,
        }
    }

    /// Series lines are drawn 2 px wide; grid and axes are 1 px.
    fn series_lines(svg: &str) -> usize {
        svg.split("<polyline")
            .skip(1)
            .filter_map(|rest| rest.split("/>").next())
            .filter(|tag| tag.contains(r#"stroke-width="2""#))
            .count()
    }

    #[test]
    fn svg_has_the_requested_size_and_a_line() {
        let svg = render_timeseries_svg(&sample(&[Some(1.0), Some(3.0), Some(2.0)]), CHART_SIZE)
            .expect("draws");
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains(r#"width="800""#) && svg.contains(r#"height="300""#));
        assert_eq!(series_lines(&svg), 1, "{svg}");
    }

    #[test]
    fn a_gap_splits_the_line_in_two() {
        let svg = render_timeseries_svg(
            &sample(&[Some(1.0), Some(2.0), None, Some(2.0), Some(4.0)]),
            CHART_SIZE,
        )
        .expect("draws");
        assert_eq!(series_lines(&svg), 2, "{svg}");
    }

    #[test]
    fn different_data_draws_a_different_chart() {
        let a = render_timeseries_svg(&sample(&[Some(1.0), Some(3.0)]), CHART_SIZE).expect("draws");
        let b = render_timeseries_svg(&sample(&[Some(3.0), Some(1.0)]), CHART_SIZE).expect("draws");
        assert_ne!(a, b);
    }

    #[test]
    fn an_empty_panel_still_draws_axes() {
        let svg = render_timeseries_svg(&sample(&[]), CHART_SIZE).expect("draws");
        assert!(svg.contains("<svg"));
        assert_eq!(series_lines(&svg), 0);
        assert!(svg.contains("<text"), "axes are labelled");
    }
}
