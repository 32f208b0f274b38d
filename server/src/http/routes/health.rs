//! `/health`: liveness for load balancers and Porthole's own probes.

use axum::{Json, Router, extract::State, routing::get};
use serde::Serialize;

use crate::http::state::{AppState, Started};

/// The body of `/health`.
#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    /// The commit the binary was built from.
    commit: &'static str,
    uptime_seconds: u64,
}

/// `GET /health`.
pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

async fn health(State(Started(started)): State<Started>) -> Json<Health> {
    Json(Health {
        status: "healthy",
        version: env!("CARGO_PKG_VERSION"),
        commit: crate::COMMIT,
        uptime_seconds: started.elapsed().as_secs(),
    })
}
