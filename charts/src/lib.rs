//! Chart drawing with plotters, shared by the server (SSR) and the browser.
//!
//! Drawing functions take a `DrawingArea` and prepared data and never build
//! their own backend, so the same code renders to an SVG string on the server
//! and in the browser. Pure data preparation (downsampling, axis labels) lives
//! beside them and is tested without drawing.

mod downsample;
mod labels;
mod time_axis;
mod timeseries;

pub use downsample::downsample_min_max;
pub use labels::{format_time, format_value, two_decimals};
pub use plotters::style::RGBColor;
pub use porthole_model::{lang::Style, zone::Zone};
pub use time_axis::{TimeAxis, time_ticks};
pub use timeseries::{ChartStyle, TimeseriesChart, draw_timeseries, plot_x_span};

use plotters::prelude::*;

/// The size a chart is drawn at for images (renders, link previews); CSS
/// scales an SVG to its container.
pub const CHART_SIZE: (u32, u32) = (800, 300);

/// The sizes a panel's chart is drawn at on a page, narrowest first. The
/// stylesheet shows the widest that is no wider than its panel (a
/// container query), so the axis text (11.3 px as drawn) is never scaled
/// below 11 CSS px: the narrowest for a phone's 280-odd pixels, the middle
/// one for half panels (480 px up), the widest from 800 px up. No drawing happens in
/// the browser for it.
pub const PANEL_SIZES: [(u32, u32); 3] = [(280, 220), (480, 240), CHART_SIZE];

/// The chart drawn at each of [`PANEL_SIZES`], one `<svg class="size-W">`
/// after another, for a page's `<figure class="chart">`.
pub fn render_panel_svgs(chart: &TimeseriesChart<'_>) -> Result<String, ChartError> {
    let mut svgs = String::new();
    for size in PANEL_SIZES {
        let svg = render_timeseries_svg(chart, size)?;
        svgs.push_str(&svg.replacen("<svg ", &format!("<svg class=\"size-{}\" ", size.0), 1));
    }
    Ok(svgs)
}

/// Why a chart could not be drawn. Drawing into a string cannot fail for
/// lack of resources, so this only carries plotters' own message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the chart could not be drawn: {0}")]
pub struct ChartError(String);

/// Renders a time-series chart to a standalone SVG document in the light
/// colours the page's stylesheet maps to its theme.
pub fn render_timeseries_svg(
    chart: &TimeseriesChart<'_>,
    size: (u32, u32),
) -> Result<String, ChartError> {
    render_timeseries_svg_in(chart, size, &ChartStyle::LIGHT)
}

/// Renders a time-series chart to a standalone SVG document in `style`.
pub fn render_timeseries_svg_in(
    chart: &TimeseriesChart<'_>,
    size: (u32, u32),
    style: &ChartStyle,
) -> Result<String, ChartError> {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw_timeseries(&area, chart, style).map_err(|e| ChartError(e.to_string()))?;
        area.present().map_err(|e| ChartError(e.to_string()))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use porthole_model::wire::{Point, Series, Unit};

    fn series(values: &[Option<f64>]) -> Vec<Series> {
        vec![Series {
            name: "total users".into(),
            points: values
                .iter()
                .enumerate()
                .map(|(i, v)| Point {
                    t: 86_400 * i as i64,
                    v: *v,
                })
                .collect(),
        }]
    }

    fn svg_of(values: &[Option<f64>], bars: Option<&Series>) -> String {
        let lines = series(values);
        let utc = Zone::utc();
        let chart = TimeseriesChart {
            from: 0,
            to: 86_400 * values.len() as i64,
            unit: Unit::Count,
            series: &lines,
            bars,
            hidden: &[],
            thresholds: &[],
            zone: &utc,
            style: &Default::default(),
        };
        render_timeseries_svg(&chart, CHART_SIZE).expect("draws")
    }

    /// Series lines are drawn 2 px wide; grid and axes are 1 px.
    fn series_lines(svg: &str) -> usize {
        svg.split("<polyline")
            .skip(1)
            .filter_map(|rest| rest.split("/>").next())
            .filter(|tag| tag.contains(r#"stroke-width="2""#))
            .count()
    }

    /// The points of each series line by the pixel column they are drawn in.
    fn points_per_column(svg: &str) -> std::collections::BTreeMap<i64, usize> {
        let mut columns = std::collections::BTreeMap::new();
        for tag in svg
            .split("<polyline")
            .skip(1)
            .filter_map(|rest| rest.split("/>").next())
            .filter(|tag| tag.contains(r#"stroke-width="2""#))
        {
            let points = tag.split(r#"points=""#).nth(1).expect("points");
            for point in points.split('"').next().unwrap_or("").split_whitespace() {
                let x: f64 = point
                    .split(',')
                    .next()
                    .expect("x")
                    .parse()
                    .expect("a number");
                *columns.entry(x.floor() as i64).or_insert(0) += 1;
            }
        }
        columns
    }

    #[test]
    fn a_long_series_is_drawn_with_at_most_two_points_per_pixel_column() {
        // Noisy values: every bucket has a distinct minimum and maximum.
        let values: Vec<Option<f64>> = (0..10_000)
            .map(|i| Some(f64::from((i * 7919) % 61)))
            .collect();
        let svg = svg_of(&values, None);
        let columns = points_per_column(&svg);
        let fullest = columns.values().max().copied().unwrap_or(0);
        assert_eq!(fullest, 2, "{columns:?}");
        // The line spans the plot: one column per pixel, none skipped.
        let (first, last) = (columns.keys().next(), columns.keys().last());
        let span = last.zip(first).map(|(l, f)| l - f + 1);
        assert_eq!(span, Some(columns.len() as i64));
        assert!(columns.len() > 600, "{} columns", columns.len());
    }

    #[test]
    fn svg_has_the_requested_size_and_a_line() {
        let svg = svg_of(&[Some(1.0), Some(3.0), Some(2.0)], None);
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains(r#"width="800""#) && svg.contains(r#"height="300""#));
        assert_eq!(series_lines(&svg), 1, "{svg}");
    }

    #[test]
    fn a_gap_splits_the_line_in_two() {
        let svg = svg_of(&[Some(1.0), Some(2.0), None, Some(2.0), Some(4.0)], None);
        assert_eq!(series_lines(&svg), 2, "{svg}");
    }

    #[test]
    fn different_data_draws_a_different_chart() {
        let a = svg_of(&[Some(1.0), Some(3.0)], None);
        let b = svg_of(&[Some(3.0), Some(1.0)], None);
        assert_ne!(a, b);
    }

    #[test]
    fn bars_are_drawn_one_per_value_beneath_the_lines() {
        let bars = &series(&[Some(2.0), None, Some(5.0)])[0];
        let without = svg_of(&[Some(1.0), Some(2.0), Some(3.0)], None);
        let with = svg_of(&[Some(1.0), Some(2.0), Some(3.0)], Some(bars));
        assert_eq!(
            with.matches("<rect").count(),
            without.matches("<rect").count() + 2
        );
        let last_bar = with.rfind("<rect").expect("bars");
        let first_line = with.find(r#"stroke-width="2""#).expect("a line");
        assert!(last_bar < first_line, "bars are drawn beneath the line");
    }

    #[test]
    fn hidden_lines_are_not_drawn_and_the_others_keep_their_colours() {
        let mut lines = series(&[Some(1.0), Some(2.0)]);
        lines.push(Series {
            name: "second".into(),
            points: lines[0]
                .points
                .iter()
                .map(|p| Point {
                    t: p.t,
                    v: p.v.map(|v| v * 10.0),
                })
                .collect(),
        });
        let draw = |hidden: &[usize]| {
            let utc = Zone::utc();
            let chart = TimeseriesChart {
                from: 0,
                to: 86_400,
                unit: Unit::Count,
                series: &lines,
                bars: None,
                hidden,
                thresholds: &[],
                zone: &utc,
                style: &Default::default(),
            };
            render_timeseries_svg(&chart, CHART_SIZE).expect("draws")
        };
        assert_eq!(series_lines(&draw(&[])), 2);
        let second_only = draw(&[0]);
        assert_eq!(series_lines(&second_only), 1);
        let amber = format!(
            "#{:02X}{:02X}{:02X}",
            ChartStyle::LIGHT.palette[1].0,
            ChartStyle::LIGHT.palette[1].1,
            ChartStyle::LIGHT.palette[1].2
        );
        assert!(
            second_only.to_uppercase().contains(&amber),
            "the second line stays amber"
        );
    }

    #[test]
    fn thresholds_are_dashed_lines_kept_in_view() {
        let lines = series(&[Some(1.0), Some(2.0)]);
        let utc = Zone::utc();
        let chart = TimeseriesChart {
            from: 0,
            to: 86_400,
            unit: Unit::Count,
            series: &lines,
            bars: None,
            hidden: &[],
            thresholds: &[500.0],
            zone: &utc,
            style: &Default::default(),
        };
        let svg = render_timeseries_svg(&chart, CHART_SIZE).expect("draws");
        assert!(
            svg.matches(r##"stroke="#B91C1C""##).count() > 1,
            "dashes of the threshold"
        );
        let labels: Vec<&str> = svg
            .split("</text>")
            .filter_map(|t| t.rsplit('>').next())
            .collect();
        assert!(
            labels
                .iter()
                .any(|l| l.trim().parse::<f64>().is_ok_and(|v| v >= 400.0)),
            "the y axis reaches the threshold: {labels:?}"
        );
    }

    #[test]
    fn an_empty_panel_still_draws_axes() {
        let svg = svg_of(&[], None);
        assert!(svg.contains("<svg"));
        assert_eq!(series_lines(&svg), 0);
        assert!(svg.contains("<text"), "axes are labelled");
    }

    #[test]
    fn a_panel_chart_is_drawn_at_each_panel_size_each_marked() {
        let lines = series(&[Some(1.0), Some(3.0), Some(2.0)]);
        let utc = Zone::utc();
        let chart = TimeseriesChart {
            from: 0,
            to: 3 * 86_400,
            unit: Unit::Count,
            series: &lines,
            bars: None,
            hidden: &[],
            thresholds: &[],
            zone: &utc,
            style: &Default::default(),
        };
        let svgs = render_panel_svgs(&chart).expect("draws");
        assert_eq!(svgs.matches("<svg ").count(), PANEL_SIZES.len());
        for (width, height) in PANEL_SIZES {
            assert!(
                svgs.contains(&format!(
                    r#"<svg class="size-{width}" width="{width}" height="{height}""#
                )),
                "{width}: {}",
                &svgs[..200]
            );
        }
        assert_eq!(series_lines(&svgs), PANEL_SIZES.len());
    }
}
