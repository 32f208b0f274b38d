//! Reading the upstream's JSON answers into series and alerts for panels.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Labels of a series.
pub type Labels = BTreeMap<String, String>;

/// One series of a range query: labels and `(unix seconds, value)` points;
/// a value that is not finite (`NaN`, `+Inf`) is `None`, drawn as a gap.
#[derive(Debug, Clone, PartialEq)]
pub struct LabeledSeries {
    /// The series' labels.
    pub labels: Labels,
    /// Its points, oldest first.
    pub points: Vec<(i64, Option<f64>)>,
}

/// One active alert.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// Its labels, `alertname` among them.
    #[serde(default)]
    pub labels: Labels,
    /// Its annotations (`summary`, `description`, ...).
    #[serde(default)]
    pub annotations: Labels,
    /// `firing` or `pending`.
    #[serde(default)]
    pub state: String,
    /// When it became active (RFC 3339).
    #[serde(default)]
    pub active_at: Option<String>,
}

#[derive(Deserialize)]
struct Envelope<T> {
    data: T,
}

#[derive(Deserialize)]
#[serde(tag = "resultType", content = "result", rename_all = "lowercase")]
enum QueryData {
    Matrix(Vec<RawRange>),
    Vector(Vec<RawInstant>),
    Scalar(RawSample),
    String(serde::de::IgnoredAny),
}

#[derive(Deserialize)]
struct RawRange {
    #[serde(default)]
    metric: Labels,
    #[serde(default)]
    values: Vec<RawSample>,
}

#[derive(Deserialize)]
struct RawInstant {
    #[serde(default)]
    metric: Labels,
    value: RawSample,
}

#[derive(Deserialize)]
struct RawSample(f64, String);

impl RawSample {
    fn point(&self) -> (i64, Option<f64>) {
        let value = self.1.parse::<f64>().ok().filter(|v| v.is_finite());
        (self.0.round() as i64, value)
    }
}

#[derive(Deserialize)]
struct AlertsData {
    alerts: Vec<Alert>,
}

fn query_data(body: &[u8]) -> Result<QueryData, String> {
    serde_json::from_slice::<Envelope<QueryData>>(body)
        .map(|e| e.data)
        .map_err(|e| format!("unexpected answer from the metrics server: {e}"))
}

/// The series of a range (matrix) answer.
pub fn matrix(body: &[u8]) -> Result<Vec<LabeledSeries>, String> {
    match query_data(body)? {
        QueryData::Matrix(series) => Ok(series
            .into_iter()
            .map(|s| LabeledSeries {
                labels: s.metric,
                points: s.values.iter().map(RawSample::point).collect(),
            })
            .collect()),
        _ => Err("the query does not return a range of series".to_owned()),
    }
}

/// The samples of an instant answer (a vector, or a scalar without labels).
pub fn vector(body: &[u8]) -> Result<Vec<(Labels, Option<f64>)>, String> {
    match query_data(body)? {
        QueryData::Vector(samples) => Ok(samples
            .into_iter()
            .map(|s| (s.metric, s.value.point().1))
            .collect()),
        QueryData::Scalar(sample) => Ok(vec![(Labels::new(), sample.point().1)]),
        _ => Err("the query does not return a number".to_owned()),
    }
}

/// The alerts of an `/api/v1/alerts` answer.
pub fn alerts(body: &[u8]) -> Result<Vec<Alert>, String> {
    serde_json::from_slice::<Envelope<AlertsData>>(body)
        .map(|e| e.data.alerts)
        .map_err(|e| format!("unexpected alerts answer from the metrics server: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_keep_labels_and_turn_nan_into_gaps() {
        let body = br#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"service":"api"},"values":[[1700000000,"0.25"],[1700000015,"NaN"],[1700000030,"+Inf"],[1700000045,"1e3"]]}]}}"#;
        let series = matrix(body).expect("matrix");
        assert_eq!(series.len(), 1);
        assert_eq!(
            series[0].labels.get("service").map(String::as_str),
            Some("api")
        );
        assert_eq!(
            series[0].points,
            vec![
                (1_700_000_000, Some(0.25)),
                (1_700_000_015, None),
                (1_700_000_030, None),
                (1_700_000_045, Some(1000.0))
            ]
        );
    }

    #[test]
    fn vectors_and_scalars_are_numbers() {
        let body = br#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000.5,"42"]}]}}"#;
        assert_eq!(
            vector(body).expect("vector"),
            vec![(Labels::new(), Some(42.0))]
        );
        let body =
            br#"{"status":"success","data":{"resultType":"scalar","result":[1700000000,"7"]}}"#;
        assert_eq!(
            vector(body).expect("scalar"),
            vec![(Labels::new(), Some(7.0))]
        );
        assert!(matrix(body).is_err(), "a scalar is not a range");
    }

    #[test]
    fn alerts_are_read_with_their_state() {
        let body = br#"{"status":"success","data":{"alerts":[{"labels":{"alertname":"HighLatency","severity":"page"},
            "annotations":{"summary":"p95 over 1 s"},"state":"firing","activeAt":"2026-01-28T11:00:00Z","value":"1e+00"}]}}"#;
        let alerts = alerts(body).expect("alerts");
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].state, "firing");
        assert_eq!(
            alerts[0].annotations.get("summary").map(String::as_str),
            Some("p95 over 1 s")
        );
    }
}
