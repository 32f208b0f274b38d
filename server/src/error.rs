//! The API's error type: every handler under `/api` returns `ApiError`, which
//! becomes a JSON body `{"status":"error","errorType":...,"error":...}`.
//! Internal details are logged, never sent to clients.

use app::model::ErrorBody;
use axum::{
    Json,
    extract::rejection::{PathRejection, QueryRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
};

/// An error answered to an API client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed: a parameter could not be read.
    #[error("{0}")]
    BadRequest(String),
    /// The request names something that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// Porthole itself failed; the detail is logged, the client sees a generic message.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    fn status_and_kind(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_data"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error answering an API request");
        }
        let (status, kind) = self.status_and_kind();
        (status, Json(ErrorBody::new(kind, self.to_string()))).into_response()
    }
}

impl From<ErrorBody> for ApiError {
    fn from(body: ErrorBody) -> Self {
        match body.error_type.as_str() {
            "not_found" => ApiError::NotFound(body.error),
            "bad_data" => ApiError::BadRequest(body.error),
            _ => ApiError::Internal(body.error),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::BadRequest(rejection.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::BadRequest(rejection.body_text())
    }
}
