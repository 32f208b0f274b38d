//! The metadata endpoints' answers (`/api/v1/series`, `/api/v1/labels`,
//! `/api/v1/label/{name}/values`), made from the listing of the series the
//! allowlist's expressions select ([`super::PromProxy::plan_series`]): a
//! client's `match[]` narrows that listing here and is never sent upstream,
//! so nothing outside the allowed expressions' series can be listed.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::series::{Labels, SeriesSelector};

/// The data of a successful `/api/v1/series` answer.
#[derive(Deserialize)]
struct SeriesAnswer {
    data: Vec<Labels>,
}

/// The series of an upstream `/api/v1/series` answer.
pub fn series_of(body: &[u8]) -> Result<Vec<Labels>, String> {
    serde_json::from_slice::<SeriesAnswer>(body)
        .map(|answer| answer.data)
        .map_err(|e| format!("the upstream's series answer is not what Prometheus sends: {e}"))
}

/// The series any of `matchers` selects (all of them when there are none).
pub fn selected<'a>(
    series: &'a [Labels],
    matchers: &'a [SeriesSelector],
) -> impl Iterator<Item = &'a Labels> + 'a {
    series
        .iter()
        .filter(move |labels| matchers.is_empty() || matchers.iter().any(|m| m.matches(labels)))
}

/// The label names of the selected series, sorted, at most `limit`.
pub fn label_names<'a>(
    series: &'a [Labels],
    matchers: &'a [SeriesSelector],
    limit: Option<usize>,
) -> Vec<&'a str> {
    let names: BTreeSet<&str> = selected(series, matchers)
        .flat_map(|labels| labels.keys().map(String::as_str))
        .collect();
    names
        .into_iter()
        .take(limit.unwrap_or(usize::MAX))
        .collect()
}

/// The values of label `name` in the selected series, sorted, at most `limit`.
pub fn label_values<'a>(
    series: &'a [Labels],
    name: &str,
    matchers: &'a [SeriesSelector],
    limit: Option<usize>,
) -> Vec<&'a str> {
    let values: BTreeSet<&str> = selected(series, matchers)
        .filter_map(|labels| labels.get(name).map(String::as_str))
        .collect();
    values
        .into_iter()
        .take(limit.unwrap_or(usize::MAX))
        .collect()
}

/// Prometheus' envelope of a successful answer.
#[derive(Serialize)]
pub struct Success<T> {
    status: &'static str,
    data: T,
}

impl<T: Serialize> Success<T> {
    /// `{"status":"success","data":…}` as JSON.
    pub fn json(data: T) -> Vec<u8> {
        serde_json::to_vec(&Success {
            status: "success",
            data,
        })
        // Strings and maps of strings always serialize.
        .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"status":"success","data":[
        {"__name__":"up","job":"api","instance":"a"},
        {"__name__":"up","job":"web","instance":"b"},
        {"__name__":"http_requests_total","job":"api","code":"500"}
    ]}"#;

    #[test]
    fn names_and_values_come_from_the_listed_series_narrowed_by_match() {
        let series = series_of(BODY).expect("series");
        let none: Vec<SeriesSelector> = Vec::new();
        assert_eq!(
            label_names(&series, &none, None),
            ["__name__", "code", "instance", "job"]
        );
        assert_eq!(
            label_values(&series, "__name__", &none, None),
            ["http_requests_total", "up"]
        );
        let api = vec![SeriesSelector::parse(r#"{job="api"}"#).expect("selector")];
        assert_eq!(label_values(&series, "instance", &api, None), ["a"]);
        assert_eq!(selected(&series, &api).count(), 2);
        assert_eq!(label_names(&series, &none, Some(2)), ["__name__", "code"]);
        assert!(label_values(&series, "secret", &none, None).is_empty());
    }

    #[test]
    fn an_answer_that_is_not_a_series_list_is_an_error() {
        assert!(series_of(br#"{"status":"success","data":{"resultType":"vector"}}"#).is_err());
        assert!(series_of(b"<html>").is_err());
        assert_eq!(
            Success::json(["a"]),
            br#"{"status":"success","data":["a"]}"#.to_vec()
        );
    }
}
