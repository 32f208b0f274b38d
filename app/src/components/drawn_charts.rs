//! Charts the server has drawn, kept by what they draw: a page's chart is
//! a pure function of its [`ChartLines`], and drawing it at the three panel
//! sizes was about 0.3 ms of a 2.4 ms fresh render of the overview. Pages
//! that differ only in what is around their charts (a title, a language's
//! words, another view of the same window) and renders after the page
//! cache dropped a page draw each chart once; new data or another window
//! is new lines, drawn anew.

use std::sync::{Arc, LazyLock};

use crate::components::chart_lines::{ChartLines, draw};

/// What the kept drawings may weigh in all, their lines (the key) included.
const CAPACITY_BYTES: u64 = 8 * 1024 * 1024;

/// Drawings by their lines as JSON: an exact key, so two charts never share
/// a drawing by a hash's collision. Bounded by weight whatever the lines,
/// which strangers choose through the view.
static DRAWN: LazyLock<moka::sync::Cache<Vec<u8>, Arc<str>>> = LazyLock::new(|| {
    moka::sync::Cache::builder()
        .weigher(|lines: &Vec<u8>, svg: &Arc<str>| {
            u32::try_from(lines.len() + svg.len()).unwrap_or(u32::MAX)
        })
        .max_capacity(CAPACITY_BYTES)
        .build()
});

/// [`draw`] with nothing hidden, as drawn before when these lines were.
pub fn drawn(lines: &ChartLines) -> Result<Arc<str>, String> {
    let Ok(key) = serde_json::to_vec(lines) else {
        return draw(lines, &[]).map(Arc::from);
    };
    if let Some(svg) = DRAWN.get(&key) {
        return Ok(svg);
    }
    let svg: Arc<str> = Arc::from(draw(lines, &[])?);
    DRAWN.insert(key, svg.clone());
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        charts::{Style, Zone},
        components::chart_lines::Line,
        model::Unit,
    };

    fn lines(last: f64) -> ChartLines {
        let t: Vec<i64> = (0..30).map(|i| 1_700_000_000 + i * 60).collect();
        let v = (0..30)
            .map(|i| Some(if i == 29 { last } else { f64::from(i) }))
            .collect();
        ChartLines {
            from: t[0],
            to: t[29],
            unit: Unit::Count,
            series: vec![Line {
                name: "requests".into(),
                t,
                v,
            }],
            bars: None,
            thresholds: vec![],
            zone: Zone::default(),
            style: Style::default(),
        }
    }

    #[test]
    fn the_same_lines_are_drawn_once_and_other_lines_anew() {
        let first = drawn(&lines(1.0)).expect("drawn");
        assert_eq!(*first, *draw(&lines(1.0), &[]).expect("drawn"));
        let again = drawn(&lines(1.0)).expect("drawn");
        assert!(Arc::ptr_eq(&first, &again), "kept, not drawn again");
        let other = drawn(&lines(1000.0)).expect("drawn");
        assert_ne!(*other, *first);
    }
}
