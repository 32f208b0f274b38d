//! The time-series chart: axes, grid and one line per series, with gaps.

use plotters::{coord::Shift, prelude::*};

use super::{TimeAxis, downsample_min_max, format_time, format_value};
use porthole_model::{
    lang::Style,
    wire::{ChartData, ChartKind, PanelContent, PanelData, Point, Series, Unit},
    zone::Zone,
};

/// What a time-series chart draws.
#[derive(Debug, Clone, Copy)]
pub struct TimeseriesChart<'a> {
    /// Start of the time axis, unix seconds.
    pub from: i64,
    /// End of the time axis, unix seconds.
    pub to: i64,
    /// The unit of the lines' values.
    pub unit: Unit,
    /// The lines.
    pub series: &'a [Series],
    /// Bars on their own scale in the lower part of the plot, if any.
    pub bars: Option<&'a Series>,
    /// Indices of lines the viewer has hidden; each line keeps its colour.
    pub hidden: &'a [usize],
    /// Values drawn as dashed horizontal lines.
    pub thresholds: &'a [f64],
    /// The zone the time axis is labelled in.
    pub zone: &'a Zone,
    /// How the language writes the axes' dates and numbers.
    pub style: &'a Style,
}

impl<'a> TimeseriesChart<'a> {
    /// The chart of a time-series panel, its times in `zone`; `None` for
    /// other kinds.
    pub fn of(data: &'a PanelData, zone: &'a Zone, style: &'a Style) -> Option<Self> {
        match &data.content {
            PanelContent::Timeseries {
                unit,
                series,
                bars,
                thresholds,
            } => Some(Self {
                from: data.from,
                to: data.to,
                unit: *unit,
                series,
                bars: bars.as_ref(),
                hidden: &[],
                thresholds,
                zone,
                style,
            }),
            PanelContent::Stats { .. } | PanelContent::Table { .. } => None,
        }
    }

    /// The chart of a panel's JSON read as [`ChartData`] (the script
    /// widget's), its times in `zone`; `None` for other kinds.
    pub fn of_chart_data(data: &'a ChartData, zone: &'a Zone, style: &'a Style) -> Option<Self> {
        let (ChartKind::Timeseries, Some(unit)) = (data.kind, data.unit) else {
            return None;
        };
        Some(Self {
            from: data.from,
            to: data.to,
            unit,
            series: &data.series,
            bars: data.bars.as_ref(),
            hidden: &[],
            thresholds: &data.thresholds,
            zone,
            style,
        })
    }
}

/// Colours and fonts of a chart. A value type so themes are data, not code.
#[derive(Debug, Clone, Copy)]
pub struct ChartStyle {
    /// Fill behind the plot.
    pub background: RGBColor,
    /// Axis lines and tick labels.
    pub text: RGBColor,
    /// Horizontal grid lines.
    pub grid: RGBColor,
    /// Line colours, one per series, reused in turn.
    pub palette: [RGBColor; 4],
    /// Threshold lines.
    pub threshold: RGBColor,
}

impl ChartStyle {
    /// The light theme; colours meet WCAG AA contrast on white.
    pub const LIGHT: ChartStyle = ChartStyle {
        background: RGBColor(255, 255, 255),
        text: RGBColor(75, 85, 99),
        grid: RGBColor(229, 231, 235),
        palette: [
            RGBColor(37, 99, 235),
            RGBColor(217, 119, 6),
            RGBColor(5, 150, 105),
            RGBColor(190, 24, 93),
        ],
        threshold: RGBColor(185, 28, 28),
    };

    /// The dark theme, for drawings that cannot follow the page's CSS
    /// (renders): the colours the stylesheet maps the light ones to.
    pub const DARK: ChartStyle = ChartStyle {
        background: RGBColor(17, 24, 39),
        text: RGBColor(161, 161, 170),
        grid: RGBColor(31, 41, 55),
        palette: [
            RGBColor(96, 165, 250),
            RGBColor(251, 191, 36),
            RGBColor(52, 211, 153),
            RGBColor(244, 114, 182),
        ],
        threshold: RGBColor(248, 113, 113),
    };
}

/// The labels' family, named by its variant: plotters lower-cases a family
/// given as text, which links Unicode's case tables into the browser's WASM.
const FONT: FontFamily<'static> = FontFamily::SansSerif;

/// Axis text size in plotters' units; its SVG writes 14 as 11.3 px, which
/// the page shows at no less than 11 CSS px (see `PANEL_SIZES`).
const FONT_SIZE: u32 = 14;

/// About one time label per this many pixels of width.
const PIXELS_PER_TIME_LABEL: u32 = 70;
const MARGIN: u32 = 12;
// Fixed label areas keep the plot's geometry independent of how the server
// estimates and the browser measures text, so a chart drawn on either side
// lines up with the other.
const X_LABEL_AREA: u32 = 28;
const Y_LABEL_AREA: u32 = 64;

/// Where the plot's time axis starts and ends, in the drawing's pixels
/// (left margin and y labels; right margin), for mapping a pointer to a time.
pub fn plot_x_span(width: u32) -> (f64, f64) {
    (
        f64::from(MARGIN + Y_LABEL_AREA),
        f64::from(width.saturating_sub(MARGIN)),
    )
}

/// Bars reach at most this fraction of the plot's height, under the lines.
const BAR_SHARE: f64 = 1.0 / 3.0;

/// Draws `data`'s bars, then its lines, over its time range into `area`.
pub fn draw_timeseries<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &TimeseriesChart<'_>,
    style: &ChartStyle,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&style.background)?;
    let (from, to) = (data.from, data.to.max(data.from + 1));
    let visible = || {
        data.series
            .iter()
            .zip(style.palette.iter().cycle())
            .enumerate()
            .filter(|(i, _)| !data.hidden.contains(i))
            .map(|(_, line)| line)
    };
    // Thresholds count towards the y range, so their lines are always in view.
    let threshold_points: Vec<Point> = data
        .thresholds
        .iter()
        .map(|&v| Point {
            t: from,
            v: Some(v),
        })
        .collect();
    let (low, high) = value_bounds(
        visible()
            .flat_map(|(s, _)| &s.points)
            .chain(&threshold_points),
    );
    let mut chart = ChartBuilder::on(area)
        .margin(MARGIN)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(Y_LABEL_AREA)
        .build_cartesian_2d(TimeAxis::new(from, to, data.zone), low..high)?;
    // The pixel columns the time axis spans, as drawn: lines are thinned
    // to at most two points in each.
    let columns =
        (chart.backend_coord(&(to, low)).0 - chart.backend_coord(&(from, low)).0).max(1) as usize;

    let span = to - from;
    let unit = data.unit;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels((area.dim_in_pixel().0 / PIXELS_PER_TIME_LABEL).clamp(3, 12) as usize)
        .y_labels(5)
        .x_label_formatter(&|t| format_time(*t, span, data.zone, data.style))
        .y_label_formatter(&|v| format_value(*v, unit, data.style))
        .label_style((FONT, FONT_SIZE).into_font().color(&style.text))
        .axis_style(style.text)
        .bold_line_style(style.grid)
        .light_line_style(TRANSPARENT)
        .draw()?;

    let bar_max = data.bars.map_or(0.0, |bars| {
        bars.points.iter().filter_map(|p| p.v).fold(0.0, f64::max)
    });
    let mut chart = chart.set_secondary_coord(from..to, 0.0..(bar_max / BAR_SHARE).max(1.0));
    if let Some(bars) = data.bars {
        let half = bar_half_width(&bars.points);
        let fill = style.palette[0].mix(0.25).filled();
        chart.draw_secondary_series(bars.points.iter().filter_map(|p| {
            let v = p.v.filter(|v| v.is_finite() && *v > 0.0)?;
            Some(Rectangle::new([(p.t - half, 0.0), (p.t + half, v)], fill))
        }))?;
    }

    for &value in data.thresholds.iter().filter(|v| v.is_finite()) {
        chart.draw_series(DashedLineSeries::new(
            [(from, value), (to, value)],
            6,
            4,
            style.threshold.stroke_width(1),
        ))?;
    }
    for (series, color) in visible() {
        let points = downsample_min_max(&series.points, from, to, columns);
        for run in contiguous_runs(&points) {
            // A lone value (a first check, a day between gaps) has no line
            // to be part of: a dot shows it.
            if let [point] = run.as_slice() {
                chart.draw_series(std::iter::once(Circle::new(*point, 3, color.filled())))?;
            } else {
                chart.draw_series(LineSeries::new(run, color.stroke_width(2)))?;
            }
        }
    }
    Ok(())
}

/// Half a bar's width in seconds: 35% of the smallest spacing between bars,
/// so neighbours never touch.
fn bar_half_width(points: &[Point]) -> i64 {
    let step = points
        .windows(2)
        .map(|w| w[1].t - w[0].t)
        .filter(|d| *d > 0)
        .min()
        .unwrap_or(86_400);
    (step * 35 / 100).max(1)
}

/// The y range to show: the data's extent with some headroom, or 0..1 when
/// there is nothing to show, so an empty panel still draws sane axes.
fn value_bounds<'a>(points: impl Iterator<Item = &'a Point>) -> (f64, f64) {
    let (low, high) = points
        .filter_map(|p| p.v)
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if low > high {
        return (0.0, 1.0);
    }
    let pad = if high > low {
        (high - low) * 0.08
    } else {
        high.abs().max(1.0) * 0.1
    };
    let floor = if low >= 0.0 {
        (low - pad).max(0.0)
    } else {
        low - pad
    };
    (floor, high + pad)
}

/// Splits points at gaps into runs of `(t, v)` that can each be one line.
fn contiguous_runs(points: &[Point]) -> Vec<Vec<(i64, f64)>> {
    points
        .split(|p| p.v.is_none_or(|v| !v.is_finite()))
        .filter(|run| !run.is_empty())
        .map(|run| run.iter().filter_map(|p| p.v.map(|v| (p.t, v))).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(t: i64, v: Option<f64>) -> Point {
        Point { t, v }
    }

    #[test]
    fn bounds_pad_the_data_and_stay_non_negative_for_counts() {
        let points = [pt(0, Some(10.0)), pt(1, Some(110.0))];
        let (low, high) = value_bounds(points.iter());
        assert_eq!((low, high), (2.0, 118.0));
    }

    #[test]
    fn bounds_of_nothing_are_unit() {
        assert_eq!(value_bounds([pt(0, None)].iter()), (0.0, 1.0));
    }

    #[test]
    fn runs_split_at_gaps_and_non_finite_values() {
        let points = [
            pt(0, Some(1.0)),
            pt(1, None),
            pt(2, Some(2.0)),
            pt(3, Some(f64::NAN)),
            pt(4, Some(3.0)),
        ];
        assert_eq!(
            contiguous_runs(&points),
            vec![vec![(0, 1.0)], vec![(2, 2.0)], vec![(4, 3.0)]]
        );
    }
}
