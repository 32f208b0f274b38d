//! The parameters of `/api/v1/query` and `/api/v1/query_range`, read with
//! Prometheus' semantics from the URL query and, for POST, the form body.
//!
//! Unlike Prometheus, a parameter given twice is refused: Porthole checks one
//! expression against its allowlist, and an ambiguous request must not let a
//! second one slip past. Only list parameters, whose names end in `[]`
//! (`match[]`), may repeat.
//!
//! Where VictoriaMetrics lets a parameter out, so does Porthole: a range
//! query's `end` is now, its `step` 5 minutes and its `start` one step
//! before `end`.

use super::{
    series::{SeriesSelector, parse_matchers},
    time::{Millis, duration_millis, parse_duration, parse_time},
};

/// A range query's step when none is given, as VictoriaMetrics has it.
pub const DEFAULT_STEP: Millis = 5 * 60 * 1000;

/// How far back metadata looks when no `start` is given: one day.
pub const DEFAULT_METADATA_SPAN: Millis = 24 * 3600 * 1000;

/// Request parameters, each name at most once.
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Collects `name=value` pairs from URL-encoded parts (the query string,
    /// then the form body), refusing repeated names.
    pub fn from_encoded<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> Result<Self, String> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for part in parts {
            for (name, value) in form_urlencoded::parse(part) {
                if !name.ends_with("[]") && pairs.iter().any(|(n, _)| *n == name) {
                    return Err(format!(
                        "parameter {name:?} is given more than once; give it once"
                    ));
                }
                pairs.push((name.into_owned(), value.into_owned()));
            }
        }
        Ok(Self(pairs))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of the list parameter `name` (`match[]`), in order.
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn query(&self) -> Result<String, String> {
        match self.get("query") {
            Some(q) if !q.trim().is_empty() => Ok(q.to_owned()),
            _ => Err("invalid parameter \"query\": the query is empty".to_owned()),
        }
    }

    fn time(&self, name: &str, now: Millis) -> Result<Option<Millis>, String> {
        self.get(name)
            .map(|text| {
                parse_time(text, now).map_err(|e| format!("invalid parameter {name:?}: {e}"))
            })
            .transpose()
    }
}

/// An instant query as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstantQuery {
    /// The expression, as the client wrote it.
    pub expr: String,
    /// The evaluation time; `None` means now.
    pub time: Option<Millis>,
}

/// A range query as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeQuery {
    /// The expression, as the client wrote it.
    pub expr: String,
    /// The first evaluation time.
    pub start: Millis,
    /// The last evaluation time.
    pub end: Millis,
    /// Time between evaluations, over 0.
    pub step: Millis,
}

impl InstantQuery {
    /// Reads `query` and the optional `time`.
    pub fn from_params(params: &Params, now: Millis) -> Result<Self, String> {
        Ok(Self {
            expr: params.query()?,
            time: params.time("time", now)?,
        })
    }
}

impl RangeQuery {
    /// Reads `query`, `start`, `end` and `step`, with VictoriaMetrics'
    /// defaults for the last three.
    pub fn from_params(params: &Params, now: Millis) -> Result<Self, String> {
        let expr = params.query()?;
        let end = params.time("end", now)?.unwrap_or(now);
        let step = params
            .get("step")
            .map(|text| {
                parse_duration(text)
                    .map(duration_millis)
                    .map_err(|e| format!("invalid parameter \"step\": {e}"))
            })
            .transpose()?
            .unwrap_or(DEFAULT_STEP);
        let start = params
            .time("start", now)?
            .unwrap_or_else(|| end.saturating_sub(step));
        if end < start {
            return Err(
                "invalid parameter \"end\": end timestamp must not be before start time".to_owned(),
            );
        }
        if step <= 0 {
            return Err(
                "zero or negative query resolution step widths are not accepted. Try a positive integer"
                    .to_owned(),
            );
        }
        Ok(Self {
            expr,
            start,
            end,
            step,
        })
    }
}

/// A metadata request: `/api/v1/series`, `/api/v1/labels` or
/// `/api/v1/label/{name}/values`.
#[derive(Debug, Clone, PartialEq)]
pub struct MetadataQuery {
    /// The earliest time a series must have data at.
    pub start: Millis,
    /// The latest.
    pub end: Millis,
    /// The client's `match[]` selectors (any of them); empty selects all.
    pub matchers: Vec<SeriesSelector>,
    /// At most this many entries in the answer (`limit`, 0 for no limit).
    pub limit: Option<usize>,
}

impl MetadataQuery {
    /// Reads `start` (default: a day before `end`), `end` (default: now),
    /// `match[]` and `limit`.
    pub fn from_params(params: &Params, now: Millis) -> Result<Self, String> {
        let end = params.time("end", now)?.unwrap_or(now);
        let start = params
            .time("start", now)?
            .unwrap_or_else(|| end.saturating_sub(DEFAULT_METADATA_SPAN));
        if end < start {
            return Err(
                "invalid parameter \"end\": end timestamp must not be before start time".to_owned(),
            );
        }
        let limit = params
            .get("limit")
            .map(|text| {
                text.trim().parse::<usize>().map_err(|_| {
                    format!("invalid parameter \"limit\": {text:?} is not a whole number")
                })
            })
            .transpose()?
            .filter(|&limit| limit > 0);
        Ok(Self {
            start,
            end,
            matchers: parse_matchers(params.all("match[]"))?,
            limit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = 1_769_601_600_000;

    fn params(query: &str, body: &str) -> Result<Params, String> {
        Params::from_encoded([query.as_bytes(), body.as_bytes()])
    }

    #[test]
    fn range_parameters_from_query_string_and_body() {
        let p = params("query=up&start=-1h", "end=2026-01-28T12:00:00Z&step=1m").expect("params");
        let q = RangeQuery::from_params(&p, NOW).expect("valid");
        assert_eq!(
            q,
            RangeQuery {
                expr: "up".into(),
                start: NOW - 3_600_000,
                end: NOW,
                step: 60_000
            }
        );
    }

    #[test]
    fn encoded_expressions_are_decoded() {
        let p = params(
            "query=sum%28rate%28x%5B5m%5D%29%29+%23+c&time=1769601600",
            "",
        )
        .expect("params");
        let q = InstantQuery::from_params(&p, NOW).expect("valid");
        assert_eq!(q.expr, "sum(rate(x[5m])) # c");
        assert_eq!(q.time, Some(NOW));
    }

    #[test]
    fn repeated_parameters_are_refused_wherever_they_come_from() {
        for (query, body) in [
            ("query=up&query=secret", ""),
            ("query=up", "query=secret"),
            ("time=1&time=2&query=up", ""),
        ] {
            let error = params(query, body).expect_err("repeated");
            assert!(error.contains("more than once"), "{error}");
        }
    }

    #[test]
    fn prometheus_messages_for_bad_ranges() {
        let check = |query: &str, expected: &str| {
            let p = params(query, "").expect("params");
            let error = RangeQuery::from_params(&p, NOW).expect_err(query);
            assert!(error.contains(expected), "{query}: {error}");
        };
        check("start=1&end=2&step=1", "\"query\"");
        check("query=up&start=x&end=2&step=1", "\"start\"");
        check("query=up&start=1&end=x&step=1", "\"end\"");
        check("query=up&start=1&end=2&step=abc", "\"step\"");
        check("query=up&start=1&end=2&step=0", "zero or negative");
        check("query=up&start=3&end=2&step=1", "before start");
        check("query=+&start=1&end=2&step=1", "empty");
    }

    #[test]
    fn a_range_query_without_end_step_or_start_reads_them_as_victoriametrics_does() {
        let p = params("query=up&start=-1h", "").expect("params");
        let q = RangeQuery::from_params(&p, NOW).expect("end defaults to now");
        assert_eq!(
            (q.start, q.end, q.step),
            (NOW - 3_600_000, NOW, DEFAULT_STEP)
        );
        let p = params("query=up", "").expect("params");
        let q = RangeQuery::from_params(&p, NOW).expect("all default");
        assert_eq!((q.start, q.end), (NOW - DEFAULT_STEP, NOW));
        let p = params("query=up&start=-1h&end=-2h", "").expect("params");
        assert!(
            RangeQuery::from_params(&p, NOW).is_err(),
            "end before start"
        );
    }

    #[test]
    fn metadata_parameters_repeat_match_and_default_to_the_last_day() {
        let p = params(
            "match[]=up&match[]=%7Bjob%3D%22api%22%7D&limit=5",
            "end=1769601600",
        )
        .expect("match[] repeats");
        let q = MetadataQuery::from_params(&p, NOW + 60_000).expect("valid");
        assert_eq!(q.end, NOW);
        assert_eq!(q.start, NOW - DEFAULT_METADATA_SPAN);
        assert_eq!(q.matchers.len(), 2);
        assert_eq!(q.limit, Some(5));
        for (query, expected) in [
            ("match[]=sum(up)", "series selector"),
            ("limit=-1", "limit"),
            ("start=2&end=1", "before start"),
            ("start=2&start=1", "more than once"),
        ] {
            let error = params(query, "")
                .and_then(|p| MetadataQuery::from_params(&p, NOW))
                .expect_err(query);
            assert!(error.contains(expected), "{query}: {error}");
        }
    }
}
