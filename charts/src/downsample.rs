//! Min/max-per-column downsampling: at most two points per pixel column, so
//! a 10k-point series costs what the screen can show, and spikes survive.

use porthole_model::wire::Point;

/// Reduces `points` (time-ordered, within `from..=to`) to at most the minimum
/// and maximum of each of `columns` equal time buckets, in time order. A gap
/// (`v: None`) in a bucket is kept as one gap point, so gaps stay gaps.
pub fn downsample_min_max(points: &[Point], from: i64, to: i64, columns: usize) -> Vec<Point> {
    let span = to - from;
    if columns == 0 || span <= 0 || points.len() <= 2 * columns {
        return points.to_vec();
    }
    // The arithmetic of the drawing's linear time axis (plotters' `map`
    // for i64 ranges, its 1e-3 included), so each bucket is exactly the
    // pixel column its points are drawn in.
    let column_of = |t: i64| -> usize {
        let offset = (t - from).clamp(0, span) as f64;
        let pixel = (columns as f64 * (offset / span as f64) + 1e-3).floor();
        (pixel as usize).min(columns - 1)
    };
    let mut out = Vec::with_capacity(2 * columns);
    let mut start = 0;
    while start < points.len() {
        let column = column_of(points[start].t);
        let end = points[start..]
            .iter()
            .position(|p| column_of(p.t) != column)
            .map_or(points.len(), |n| start + n);
        push_bucket(&points[start..end], &mut out);
        start = end;
    }
    out
}

/// Appends a bucket's min, max and first gap, in time order.
fn push_bucket(bucket: &[Point], out: &mut Vec<Point>) {
    let valued = bucket.iter().filter_map(|p| p.v.map(|v| (p, v)));
    let min = valued
        .clone()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(p, _)| *p);
    let max = valued.max_by(|a, b| a.1.total_cmp(&b.1)).map(|(p, _)| *p);
    let gap = bucket.iter().find(|p| p.v.is_none()).copied();
    let mut kept: Vec<Point> = [min, max, gap].into_iter().flatten().collect();
    kept.sort_by_key(|p| p.t);
    kept.dedup_by_key(|p| (p.t, p.v.map(f64::to_bits)));
    out.extend(kept);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(values: impl IntoIterator<Item = Option<f64>>) -> Vec<Point> {
        values
            .into_iter()
            .enumerate()
            .map(|(i, v)| Point { t: i as i64, v })
            .collect()
    }

    #[test]
    fn short_series_are_left_alone() {
        let points = series([Some(1.0), Some(2.0), Some(3.0)]);
        assert_eq!(downsample_min_max(&points, 0, 2, 10), points);
    }

    #[test]
    fn at_most_two_points_per_column_and_spikes_kept() {
        let mut values: Vec<Option<f64>> = (0..10_000).map(|i| Some((i % 7) as f64)).collect();
        values[4_321] = Some(1_000.0);
        values[8_765] = Some(-1_000.0);
        let points = series(values);
        let out = downsample_min_max(&points, 0, 9_999, 100);
        assert!(out.len() <= 200, "{} points", out.len());
        assert!(
            out.iter().any(|p| p.v == Some(1_000.0)),
            "the high spike survives"
        );
        assert!(
            out.iter().any(|p| p.v == Some(-1_000.0)),
            "the low spike survives"
        );
        assert!(out.windows(2).all(|w| w[0].t <= w[1].t), "time order kept");
    }

    #[test]
    fn gaps_stay_gaps() {
        let values = (0..1_000).map(|i| {
            if (400..600).contains(&i) {
                None
            } else {
                Some(1.0)
            }
        });
        let out = downsample_min_max(&series(values), 0, 999, 10);
        let gap_columns = out.iter().filter(|p| p.v.is_none()).count();
        assert_eq!(
            gap_columns, 2,
            "the two columns inside the gap each keep one gap point"
        );
    }
}
