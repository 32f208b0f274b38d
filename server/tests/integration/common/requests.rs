//! Requests through the router without a socket, and whole answers.

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, HeaderName, Request, StatusCode},
};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// A whole response.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent (for binary answers).
    #[allow(dead_code)] // not every test binary reads it
    pub bytes: Vec<u8>,
}

impl Answer {
    /// The body as JSON; panics with the body when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// A header's value, or "" when absent.
    pub fn header(&self, name: HeaderName) -> &str {
        self.headers
            .get(&name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

/// Sends `request` through `app`.
pub async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes: bytes.to_vec(),
    }
}

/// `GET uri`.
pub async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

/// `POST uri` with `body` and the admin token of the fixtures; panics
/// unless it succeeds. The answer's JSON.
pub async fn post_as_admin(app: &Router, uri: &str, body: Value) -> Value {
    let answer = post_json(
        app,
        uri,
        Some(super::fixtures::ADMIN_TOKEN),
        body.to_string(),
    )
    .await;
    assert!(answer.status.is_success(), "{uri}: {}", answer.body);
    answer.json()
}

/// `POST uri` with a JSON body and an optional bearer token.
pub async fn post_json(app: &Router, uri: &str, token: Option<&str>, body: String) -> Answer {
    let mut request = Request::post(uri).header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    send(app, request.body(Body::from(body)).expect("request")).await
}

/// Opens a minor incident, "Slow logins", under investigation and
/// touching no service, as the admin of the fixtures; its id.
pub async fn open_incident(app: &Router) -> u64 {
    let created = post_as_admin(
        app,
        "/api/v1/incidents",
        serde_json::json!({"title": "Slow logins", "impact": "minor", "services": [],
               "status": "investigating", "message": "Looking into it."}),
    )
    .await;
    created["id"].as_u64().expect("an id")
}
