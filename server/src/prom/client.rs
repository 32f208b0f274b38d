//! The HTTP client for the upstream Prometheus-compatible server.
//!
//! Requests are built here from parsed parameters only: nothing a viewer
//! sends (headers, cookies, raw parameters) reaches the upstream. A
//! semaphore bounds the requests in flight, so a slow upstream queues
//! Porthole's own fetches instead of piling them up, and answers that are not
//! Prometheus JSON are refused before anyone caches them.

use app::model::ErrorKind;
use std::{sync::Arc, time::Duration};

use app::model::ErrorBody;
use bytes::Bytes;
use http_body_util::BodyExt;
use serde::Deserialize;
use tokio::sync::Semaphore;

use crate::config::{PromSettings, UpstreamAuth};

/// The largest answer read from the upstream. Panels' answers are far
/// smaller; one this size means a query matched far more series than meant,
/// and reading on would only spend memory.
const MAX_ANSWER_BYTES: usize = 32_000_000;

/// Why the upstream gave no usable answer.
#[derive(Debug, Clone, thiserror::Error)]
pub enum UpstreamError {
    /// Too many requests were already waiting for the upstream.
    #[error("the metrics server is busy; try again shortly")]
    Busy,
    /// The upstream did not answer within the timeout.
    #[error("the metrics server did not answer within {0:?}")]
    Timeout(Duration),
    /// The upstream could not be reached.
    #[error("the metrics server is unreachable")]
    Unreachable,
    /// The upstream failed (a 5xx status).
    #[error("the metrics server failed with status {0}")]
    Failed(u16),
    /// The upstream answered something that is not Prometheus JSON.
    #[error("the metrics server sent an invalid answer")]
    Invalid,
    /// The upstream's answer was larger than Porthole reads.
    #[error("the metrics server's answer is over {} MB; ask for less", .0 / 1_000_000)]
    TooLarge(usize),
    /// The upstream refused the query itself (a 4xx with Prometheus' error
    /// JSON), e.g. an expression error; passed on to the client as is.
    #[error("{}", .body.error)]
    Rejected {
        /// The upstream's status code.
        status: u16,
        /// The upstream's error.
        body: ErrorBody,
    },
}

/// What every Prometheus API answer holds; parsing it checks the JSON whole.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    status: String,
    #[serde(default)]
    error_type: Option<ErrorKind>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default, rename = "data")]
    _data: Option<serde::de::IgnoredAny>,
}

/// A client of one upstream.
#[derive(Debug, Clone)]
pub struct PromClient {
    http: reqwest::Client,
    base: String,
    auth: Option<UpstreamAuth>,
    permits: Arc<Semaphore>,
    max_in_flight: usize,
    timeout: Duration,
}

impl PromClient {
    /// A client of the server at `base` (e.g. `http://127.0.0.1:8428`, or a
    /// path prefix such as VictoriaMetrics cluster's `/select/0/prometheus`).
    pub fn new(
        base: &str,
        auth: Option<UpstreamAuth>,
        timeout: Duration,
        max_in_flight: usize,
    ) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .user_agent(concat!("porthole/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            auth,
            permits: Arc::new(Semaphore::new(max_in_flight.max(1))),
            max_in_flight: max_in_flight.max(1),
            timeout,
        })
    }

    /// How many requests this client sends at once, at most.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight
    }

    /// POSTs `form` to the API `path` (`/api/v1/query_range`) and returns
    /// the body of a successful answer.
    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<Bytes, UpstreamError> {
        let request = self.http.post(self.url(path)).form(form);
        self.send(request).await
    }

    /// GETs the API `path` (`/api/v1/alerts`) and returns the body of a
    /// successful answer.
    pub async fn get(&self, path: &str) -> Result<Bytes, UpstreamError> {
        let request = self.http.get(self.url(path));
        self.send(request).await
    }

    /// A client for the configured upstream.
    pub fn from_settings(settings: &PromSettings) -> Result<Self, reqwest::Error> {
        Self::new(
            &settings.url,
            settings.auth.clone(),
            settings.timeout,
            settings.max_in_flight,
        )
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Bytes, UpstreamError> {
        // Waiting for a slot counts against the same timeout as the request:
        // a viewer never waits longer than the timeout in all.
        let _permit = tokio::time::timeout(self.timeout, self.permits.acquire())
            .await
            .map_err(|_| UpstreamError::Busy)?
            .map_err(|_| UpstreamError::Busy)?;
        let request = match &self.auth {
            Some(UpstreamAuth::Basic { username, password }) => {
                request.basic_auth(username, Some(password))
            }
            Some(UpstreamAuth::Bearer(token)) => request.bearer_auth(token),
            None => request,
        };
        let response = request.send().await.map_err(|e| self.transport_error(&e))?;
        let status = response.status();
        let body = http_body_util::Limited::new(
            http::Response::from(response).into_body(),
            MAX_ANSWER_BYTES,
        )
        .collect()
        .await
        .map_err(|error| match error.downcast::<reqwest::Error>() {
            Ok(error) => self.transport_error(&error),
            Err(_) => {
                tracing::warn!(
                    limit = MAX_ANSWER_BYTES,
                    "upstream answer too large; not read further"
                );
                UpstreamError::TooLarge(MAX_ANSWER_BYTES)
            }
        })?
        .to_bytes();
        check_answer(status.as_u16(), body)
    }

    fn transport_error(&self, error: &reqwest::Error) -> UpstreamError {
        tracing::warn!(%error, "upstream request failed");
        if error.is_timeout() {
            UpstreamError::Timeout(self.timeout)
        } else {
            UpstreamError::Unreachable
        }
    }
}

/// Accepts a successful Prometheus answer; classifies anything else.
fn check_answer(status: u16, body: Bytes) -> Result<Bytes, UpstreamError> {
    let envelope = serde_json::from_slice::<Envelope>(&body);
    match (status, envelope) {
        (200, Ok(envelope)) if envelope.status == "success" => Ok(body),
        (400..=499, Ok(envelope)) if envelope.status == "error" => Err(UpstreamError::Rejected {
            status,
            body: ErrorBody::new(
                envelope.error_type.unwrap_or(ErrorKind::BadData),
                envelope.error.unwrap_or_default(),
            ),
        }),
        (500..=599, _) => {
            tracing::warn!(status, "upstream failed");
            Err(UpstreamError::Failed(status))
        }
        (_, _) => {
            tracing::warn!(
                status,
                "upstream sent an answer that is not Prometheus JSON"
            );
            Err(UpstreamError::Invalid)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_successful_json_is_accepted() {
        let ok = Bytes::from_static(
            br#"{"status":"success","data":{"resultType":"vector","result":[]}}"#,
        );
        assert!(check_answer(200, ok).is_ok());
        let truncated = Bytes::from_static(br#"{"status":"success","data":{"resultType":"vec"#);
        assert!(matches!(
            check_answer(200, truncated),
            Err(UpstreamError::Invalid)
        ));
        let html = Bytes::from_static(b"<html>proxy error</html>");
        assert!(matches!(
            check_answer(200, html),
            Err(UpstreamError::Invalid)
        ));
        assert!(matches!(
            check_answer(503, Bytes::from_static(b"down")),
            Err(UpstreamError::Failed(503))
        ));
    }

    #[test]
    fn query_errors_are_passed_on() {
        let body = Bytes::from_static(
            br#"{"status":"error","errorType":"execution","error":"many-to-many matching not allowed"}"#,
        );
        match check_answer(422, body) {
            Err(UpstreamError::Rejected { status, body }) => {
                assert_eq!(status, 422);
                assert_eq!(body.error_type, ErrorKind::Execution);
                assert!(body.error.contains("many-to-many"));
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
    }
}
