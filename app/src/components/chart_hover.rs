//! The hover readout over a time-series chart: a crosshair at the nearest
//! time and the value of every shown line there. Follows the pointer, and
//! the arrow keys once the chart has focus (Home/End jump, Escape hides).

use std::sync::Arc;

use leptos::{ev, prelude::*, web_sys};

use crate::{
    charts::{CHART_SIZE, PANEL_SIZES, format_value, plot_x_span, two_decimals},
    components::chart_lines::{ChartLines, Line},
};

/// An overlay the size of the chart; put it after the chart's figure in a
/// positioned frame.
#[component]
pub fn ChartHover(
    /// What the chart draws.
    lines: Arc<ChartLines>,
    /// Lines the viewer has hidden.
    hidden: RwSignal<Vec<usize>>,
    /// Its accessible name, which says how to move it (looked up on the
    /// server: this runs in the browser too).
    label: String,
) -> impl IntoView {
    let unit = lines.unit;
    let times = Arc::new(all_times(&lines.series));
    if times.is_empty() {
        return ().into_any();
    }
    let (from, to) = (lines.from, lines.to.max(lines.from + 1));
    let at: RwSignal<Option<usize>> = RwSignal::new(None);
    // The width of the drawing on show (one of the panel sizes), whose
    // margins the pointer is mapped through.
    let drawn = RwSignal::new(CHART_SIZE.0);

    let on_move = {
        let times = times.clone();
        move |event: ev::MouseEvent| {
            let overlay: web_sys::HtmlElement = event_target(&event);
            let drawing = drawn_width(&overlay);
            drawn.set(drawing);
            let width = f64::from(overlay.client_width().max(1));
            let x = f64::from(event.offset_x()) / width * f64::from(drawing);
            let (left, right) = plot_x_span(drawing);
            let share = ((x - left) / (right - left)).clamp(0.0, 1.0);
            let t = from + (share * (to - from) as f64).round() as i64;
            at.set(Some(nearest(&times, t)));
        }
    };
    let on_key = {
        let last = times.len() - 1;
        move |event: ev::KeyboardEvent| {
            let next = match (event.key().as_str(), at.get_untracked()) {
                ("ArrowLeft", Some(i)) => Some(i.saturating_sub(1)),
                ("ArrowRight", Some(i)) => Some((i + 1).min(last)),
                ("ArrowLeft" | "ArrowRight" | "End", _) => Some(last),
                ("Home", _) => Some(0),
                ("Escape", _) => None,
                _ => return,
            };
            event.prevent_default();
            drawn.set(drawn_width(&event_target::<web_sys::HtmlElement>(&event)));
            at.set(next);
        }
    };
    let readout = move || {
        let i = at.get()?;
        let t = *times.get(i)?;
        let drawing = drawn.get();
        let (left, right) = plot_x_span(drawing);
        let x = left + (t - from) as f64 / (to - from) as f64 * (right - left);
        let percent = x / f64::from(drawing) * 100.0;
        let hidden = hidden.get();
        let rows = lines
            .series
            .iter()
            .enumerate()
            .filter(|(n, _)| !hidden.contains(n))
            .map(|(n, line)| {
                let value = line
                    .value_at(t)
                    .map_or_else(|| "–".to_owned(), |v| format_value(v, unit, &lines.style));
                view! {
                    <li data-series=n>
                        <span class="name">{line.name.clone()}</span>
                        " "
                        <span class="value">{value}</span>
                    </li>
                }
            })
            .collect_view();
        let side = if percent > 60.0 { "left" } else { "right" };
        Some(view! {
            <div class="crosshair" style=format!("left:{}%", two_decimals(percent))></div>
            <div class="readout" data-side=side style=format!("left:{}%", two_decimals(percent))>
                <p class="time">{lines.style.timestamp_in(&lines.zone, t, to - from)}</p>
                <ul>{rows}</ul>
            </div>
        })
    };
    view! {
        <div
            class="chart-hover"
            tabindex="0"
            aria-label=label
            on:mousemove=on_move
            on:mouseleave=move |_| at.set(None)
            on:keydown=on_key
            on:blur=move |_| at.set(None)
        >
            <div role="status" aria-live="polite">{readout}</div>
        </div>
    }
    .into_any()
}

/// The width of the drawing the stylesheet shows beside `overlay` (the
/// one of [`PANEL_SIZES`] with a box), or the image size if none has one.
fn drawn_width(overlay: &web_sys::HtmlElement) -> u32 {
    let frame = overlay.parent_element();
    PANEL_SIZES
        .into_iter()
        .map(|(width, _)| width)
        .find(|width| {
            frame
                .as_ref()
                .and_then(|frame| {
                    frame
                        .query_selector(&format!("svg.size-{width}"))
                        .ok()
                        .flatten()
                })
                .is_some_and(|svg| svg.client_width() > 0)
        })
        .unwrap_or(CHART_SIZE.0)
}

/// Every time any line has a point at, sorted, once each.
fn all_times(lines: &[Line]) -> Vec<i64> {
    let mut times: Vec<i64> = lines
        .iter()
        .flat_map(|line| line.t.iter().copied())
        .collect();
    times.sort_unstable();
    times.dedup();
    times
}

/// The index of the time in `times` (sorted, not empty) closest to `t`.
fn nearest(times: &[i64], t: i64) -> usize {
    match times.binary_search(&t) {
        Ok(i) => i,
        Err(0) => 0,
        Err(i) if i >= times.len() => times.len() - 1,
        Err(i) => {
            if t - times[i - 1] <= times[i] - t {
                i - 1
            } else {
                i
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_time_wins_and_ties_go_left() {
        let times = [10, 20, 40];
        assert_eq!(nearest(&times, 0), 0);
        assert_eq!(nearest(&times, 15), 0);
        assert_eq!(nearest(&times, 16), 1);
        assert_eq!(nearest(&times, 31), 2);
        assert_eq!(nearest(&times, 99), 2);
    }

    #[test]
    fn times_are_merged_and_values_exact() {
        let line = |ts: &[i64]| Line {
            name: "s".into(),
            t: ts.to_vec(),
            v: ts.iter().map(|&t| Some(t as f64)).collect(),
        };
        let lines = [line(&[1, 3]), line(&[2, 3])];
        assert_eq!(all_times(&lines), [1, 2, 3]);
        assert_eq!(lines[0].value_at(3), Some(3.0));
        assert_eq!(lines[0].value_at(2), None);
    }
}
