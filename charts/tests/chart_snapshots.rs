//! SVG snapshots of each kind of chart a panel draws (growth, latency with a
//! threshold, rates with a gap, many series, empty), compared byte for byte
//! with the files under `tests/snapshots/` (set `UPDATE_SNAPSHOTS=1` to
//! rewrite them after an intended change, and review the diff). Charts are
//! drawn once and themed by CSS, so each snapshot is also checked against
//! the stylesheet: every colour it uses must be mapped to a theme variable
//! that the light and the dark theme both define.

use std::path::PathBuf;

use porthole_charts::{CHART_SIZE, TimeseriesChart, render_timeseries_svg};
use porthole_model::wire::{Point, Series, Unit};

const DAY: i64 = 86_400;

fn line(name: &str, values: impl IntoIterator<Item = Option<f64>>, every: i64) -> Series {
    Series {
        name: name.to_owned(),
        points: values
            .into_iter()
            .enumerate()
            .map(|(i, v)| Point {
                t: 1_790_000_000 + i as i64 * every,
                v,
            })
            .collect(),
    }
}

struct Case {
    name: &'static str,
    unit: Unit,
    span: i64,
    series: Vec<Series>,
    bars: Option<Series>,
    thresholds: Vec<f64>,
}

fn cases() -> Vec<Case> {
    let growth: Vec<Option<f64>> = (0..30)
        .map(|d| Some(1_000.0 + 37.0 * f64::from(d)))
        .collect();
    let signups: Vec<Option<f64>> = (0..30).map(|d| Some(30.0 + f64::from(d % 7))).collect();
    let hourly = |base: f64, wobble: u32| -> Vec<Option<f64>> {
        (0..96)
            .map(|i: u32| Some(base + f64::from((i * wobble) % 17)))
            .collect()
    };
    let mut gappy = hourly(12.0, 5);
    for gap in &mut gappy[40..48] {
        *gap = None;
    }
    vec![
        Case {
            name: "growth",
            unit: Unit::Count,
            span: 30 * DAY,
            series: vec![line("Total users", growth, DAY)],
            bars: Some(line("New users", signups, DAY)),
            thresholds: Vec::new(),
        },
        Case {
            name: "latency",
            unit: Unit::Milliseconds,
            span: DAY,
            series: vec![
                line("p50", hourly(120.0, 3), 900),
                line("p95", hourly(400.0, 7), 900),
                line("p99", hourly(900.0, 11), 900),
            ],
            bars: None,
            thresholds: vec![500.0],
        },
        Case {
            name: "rate-with-gap",
            unit: Unit::PerSecond,
            span: DAY,
            series: vec![line("requests", gappy, 900)],
            bars: None,
            thresholds: Vec::new(),
        },
        Case {
            name: "error-rate",
            unit: Unit::Percent,
            span: DAY,
            series: vec![
                line(
                    "api",
                    hourly(1.0, 2).into_iter().map(|v| v.map(|v| v / 10.0)),
                    900,
                ),
                line(
                    "web",
                    hourly(2.0, 3).into_iter().map(|v| v.map(|v| v / 10.0)),
                    900,
                ),
                line(
                    "jobs",
                    hourly(0.5, 5).into_iter().map(|v| v.map(|v| v / 10.0)),
                    900,
                ),
                line(
                    "auth",
                    hourly(0.2, 7).into_iter().map(|v| v.map(|v| v / 10.0)),
                    900,
                ),
            ],
            bars: None,
            thresholds: Vec::new(),
        },
        Case {
            name: "empty",
            unit: Unit::Milliseconds,
            span: DAY,
            series: Vec::new(),
            bars: None,
            thresholds: Vec::new(),
        },
    ]
}

fn render(case: &Case) -> String {
    let from = 1_790_000_000;
    let utc = porthole_charts::Zone::utc();
    let chart = TimeseriesChart {
        from,
        to: from + case.span,
        unit: case.unit,
        series: &case.series,
        bars: case.bars.as_ref(),
        hidden: &[],
        thresholds: &case.thresholds,
        zone: &utc,
        style: &Default::default(),
    };
    render_timeseries_svg(&chart, CHART_SIZE).expect("draws")
}

/// The charts crate's directory, as cargo names it when it runs the tests
/// (not the path compiled in, which may be another checkout's).
fn crate_dir() -> PathBuf {
    PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
}

fn snapshot_path(name: &str) -> PathBuf {
    crate_dir()
        .join("tests/snapshots")
        .join(format!("{name}.svg"))
}

#[test]
fn charts_match_their_snapshots() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    for case in cases() {
        let svg = render(&case);
        let path = snapshot_path(case.name);
        if update {
            std::fs::write(&path, &svg).expect("write snapshot");
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run with UPDATE_SNAPSHOTS=1 to create it",
                path.display()
            )
        });
        assert!(
            svg == expected,
            "{} differs from its snapshot; if the change is intended, rerun with UPDATE_SNAPSHOTS=1 and review the diff",
            case.name
        );
    }
}

/// The `fill="#…"` and `stroke="#…"` colours of an SVG.
fn colours(svg: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for attribute in ["fill", "stroke"] {
        let needle = format!("{attribute}=\"#");
        for (at, _) in svg.match_indices(&needle) {
            let hex: String = svg[at + needle.len()..].chars().take(6).collect();
            found.push((attribute.to_owned(), hex.to_uppercase()));
        }
    }
    found.sort();
    found.dedup();
    found
}

/// The custom properties a CSS block (`selector { ... }`) defines.
fn variables_of(css: &str, selector: &str) -> Vec<String> {
    let start = css
        .find(selector)
        .unwrap_or_else(|| panic!("{selector} in the CSS"));
    let block = &css[start..];
    let block = &block[..block.find('}').expect("block ends")];
    block
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--"))
        .filter_map(|l| l.split(':').next())
        .map(|name| format!("--{name}"))
        .collect()
}

#[test]
fn every_chart_colour_follows_both_themes() {
    let css = std::fs::read_to_string(crate_dir().join("../style/main.css")).expect("stylesheet");
    let light = variables_of(&css, ":root");
    let dark = variables_of(&css, ".app[data-theme=\"dark\"]");
    for case in cases() {
        for (attribute, hex) in colours(&render(&case)) {
            let rule = format!(".chart svg [{attribute}=\"#{hex}\"] {{ {attribute}: var(");
            let at = css.find(&rule).unwrap_or_else(|| {
                panic!(
                    "{}: {attribute} #{hex} has no theme rule in style/main.css",
                    case.name
                )
            });
            let variable: String = css[at + rule.len()..]
                .chars()
                .take_while(|c| *c != ')')
                .collect();
            assert!(
                light.contains(&variable),
                "{}: light theme lacks {variable}",
                case.name
            );
            assert!(
                dark.contains(&variable),
                "{}: dark theme lacks {variable}",
                case.name
            );
        }
    }
}
