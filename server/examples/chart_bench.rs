//! Chart benchmark: a 10,000-point series drawn to SVG as Porthole draws it
//! (min/max per pixel column, at most two points per column) beside the
//! same series drawn whole with plotters, in one run. Prints a Markdown
//! table of render time and SVG bytes. Run by `make bench`.

#![expect(
    clippy::print_stdout,
    reason = "a benchmark reports on standard output"
)]

mod common;

use std::time::{Duration, Instant};

use app::{
    charts::{CHART_SIZE, TimeseriesChart, render_timeseries_svg},
    model::{Point, Series, Unit},
};
use plotters::prelude::*;

const POINTS: i64 = 10_000;
const ROUNDS: usize = 30;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let span = 86_400;
    // A latency-like series: a daily wave, noise, and a spike every 997 points.
    let points: Vec<Point> = (0..POINTS)
        .map(|i| {
            let t = i * span / POINTS;
            let wave = 200.0 + 80.0 * ((t as f64) / 86_400.0 * std::f64::consts::TAU).sin();
            let noise = ((i * 7919) % 61) as f64;
            let spike = if i % 997 == 0 { 900.0 } else { 0.0 };
            Point {
                t,
                v: Some(wave + noise + spike),
            }
        })
        .collect();
    let series = vec![Series {
        name: "p95".into(),
        points,
    }];
    let utc = app::charts::Zone::utc();
    let chart = TimeseriesChart {
        from: 0,
        to: span,
        unit: Unit::Milliseconds,
        series: &series,
        bars: None,
        hidden: &[],
        thresholds: &[],
        zone: &utc,
        style: &Default::default(),
    };
    // Points counted in the drawing itself: every series line (2 px wide
    // polylines) of the SVG Porthole serves, by the pixel column each
    // point falls in.
    let drawn_svg = render_timeseries_svg(&chart, CHART_SIZE)?;
    let columns = drawn_columns(&drawn_svg);
    let drawn: usize = columns.values().sum();
    let per_column = drawn as f64 / columns.len().max(1) as f64;
    let most = columns.values().copied().max().unwrap_or(0);
    common::budget(
        "chart_points_per_column",
        &format!(
            "chart points per pixel column, {POINTS}-point series, counted in the drawn SVG: the fullest column"
        ),
        &format!(
            "{most} ({drawn} points in {} columns, {per_column:.2} on average)",
            columns.len()
        ),
        most as f64,
    );
    let (porthole_time, porthole_bytes) =
        measure(|| Ok(render_timeseries_svg(&chart, CHART_SIZE)?))?;
    let (whole_time, whole_bytes) = measure(|| whole(&series[0].points, span))?;
    println!(
        "\nA {POINTS}-point series drawn to an {}×{} SVG, median of {ROUNDS}\n",
        CHART_SIZE.0, CHART_SIZE.1
    );
    println!("| drawing | time | SVG bytes |\n|---|---|---|");
    println!(
        "| every point (plotters, no downsampling) | {:.2} ms | {} KB |",
        ms(whole_time),
        whole_bytes / 1000
    );
    println!(
        "| Porthole (min/max per column) | {:.2} ms | {} KB |",
        ms(porthole_time),
        porthole_bytes / 1000
    );
    println!(
        "| ratio | {:.1}× faster | {:.1}× smaller |",
        whole_time.as_secs_f64() / porthole_time.as_secs_f64(),
        whole_bytes as f64 / porthole_bytes as f64
    );
    Ok(())
}

/// Points of the series lines (polylines drawn 2 px wide) in `svg`, by the
/// pixel column they fall in.
fn drawn_columns(svg: &str) -> std::collections::BTreeMap<i64, usize> {
    let mut columns = std::collections::BTreeMap::new();
    let lines = svg
        .split("<polyline")
        .skip(1)
        .filter_map(|rest| rest.split("/>").next())
        .filter(|tag| tag.contains(r#"stroke-width="2""#));
    for tag in lines {
        let Some(points) = tag
            .split(r#"points=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
        else {
            continue;
        };
        for point in points.split_whitespace() {
            if let Some(x) = point.split(',').next().and_then(|x| x.parse::<f64>().ok()) {
                *columns.entry(x.floor() as i64).or_insert(0) += 1;
            }
        }
    }
    columns
}

/// The series drawn whole, on the same size and axes' range.
fn whole(points: &[Point], span: i64) -> Result<String, Box<dyn std::error::Error>> {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, CHART_SIZE).into_drawing_area();
        area.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&area)
            .margin(10)
            .x_label_area_size(24)
            .y_label_area_size(56)
            .build_cartesian_2d(0..span, 0.0..1300.0)?;
        chart.configure_mesh().draw()?;
        chart.draw_series(LineSeries::new(
            points.iter().filter_map(|p| Some((p.t, p.v?))),
            BLUE.stroke_width(2),
        ))?;
        area.present()?;
    }
    Ok(svg)
}

fn measure(
    mut draw: impl FnMut() -> Result<String, Box<dyn std::error::Error>>,
) -> Result<(Duration, usize), Box<dyn std::error::Error>> {
    let mut times = Vec::with_capacity(ROUNDS);
    let mut bytes = 0;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        bytes = draw()?.len();
        times.push(started.elapsed());
    }
    times.sort();
    Ok((times[ROUNDS / 2], bytes))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
