//! What a chart draws, as the chart island takes it ([`ChartLines`]: each
//! line as two arrays), and drawing it with plotters ([`draw`]), the same
//! code on the server and, loaded lazily, in the browser.

use serde::{Deserialize, Serialize};

use crate::{
    charts::{Style, TimeseriesChart, Zone, render_panel_svgs},
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
    /// The viewer's zone over the window: axis labels and the readout's
    /// times are in it.
    pub zone: Zone,
    /// How the page's language writes the axes' and readout's numbers and
    /// dates.
    pub style: Style,
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
    /// The lines of a time-series panel, with `zone`'s offsets over its
    /// window and the language's `style`; `None` for other kinds.
    pub fn of(data: &PanelData, zone: &Zone, style: &Style) -> Option<Self> {
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
            zone: zone.within(data.from, data.to),
            style: style.clone(),
        })
    }
}

/// `lines` as SVG without the lines in `hidden`, at each of the panel
/// sizes (`charts::PANEL_SIZES`). The server draws with it directly; the
/// browser only through [`redraw`].
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
        zone: &lines.zone,
        style: &lines.style,
    };
    render_panel_svgs(&chart).map_err(|error| error.to_string())
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
