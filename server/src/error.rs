//! The API's error type: every handler under `/api` returns `ApiError`, which
//! becomes a JSON body `{"status":"error","errorType":...,"error":...}`.
//! Internal details are logged, never sent to clients.

use app::model::ErrorBody;
use axum::{
    Json,
    extract::rejection::{PathRejection, QueryRejection},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

/// An error answered to an API client.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed: a parameter could not be read.
    #[error("{0}")]
    BadRequest(String),
    /// The request needs credentials it did not carry.
    #[error("{0}")]
    Unauthorized(String),
    /// The credentials are wrong, or the action is not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// The request body is larger than the endpoint accepts.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The request names something that does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request names something that existed and is gone for good.
    #[error("{0}")]
    Gone(String),
    /// The client sent more requests than its rate limit allows.
    #[error("{0}")]
    TooManyRequests(String),
    /// A source Porthole depends on is unavailable for now.
    #[error("{0}")]
    Unavailable(String),
    /// An answer from the query proxy: its status (400, 403, an upstream's
    /// 4xx, or 502/503/504 for upstream faults) and Prometheus error body.
    #[error("{}", .body.error)]
    Proxy {
        /// The status code.
        status: StatusCode,
        /// The error body.
        body: ErrorBody,
    },
    /// Porthole itself failed; the detail is logged, the client sees a generic message.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    fn status_and_kind(&self) -> (StatusCode, &str) {
        match self {
            ApiError::Proxy { status, body } => (*status, body.error_type.as_str()),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_data"),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "bad_data"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Gone(_) => (StatusCode::GONE, "gone"),
            ApiError::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            ApiError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl ApiError {
    /// The client-safe body of this error, for pages that show it (the
    /// detail of an internal error goes to the log only).
    pub fn body(&self) -> ErrorBody {
        if let ApiError::Internal(detail) = self {
            tracing::error!(%detail, "internal error rendering a page");
        }
        let (_, kind) = self.status_and_kind();
        ErrorBody::new(kind, self.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error answering an API request");
        }
        let (status, kind) = self.status_and_kind();
        let mut response = (status, Json(ErrorBody::new(kind, self.to_string()))).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<ErrorBody> for ApiError {
    fn from(body: ErrorBody) -> Self {
        let proxied = |status| ApiError::Proxy {
            status,
            body: body.clone(),
        };
        match body.error_type.as_str() {
            "not_found" => ApiError::NotFound(body.error),
            "gone" => ApiError::Gone(body.error),
            "bad_data" => ApiError::BadRequest(body.error),
            "forbidden" => ApiError::Forbidden(body.error),
            "unavailable" => ApiError::Unavailable(body.error),
            "timeout" => proxied(StatusCode::GATEWAY_TIMEOUT),
            "execution" => proxied(StatusCode::UNPROCESSABLE_ENTITY),
            "internal" => ApiError::Internal(body.error),
            // Anything else comes from an upstream: its fault, not Porthole's.
            _ => proxied(StatusCode::BAD_GATEWAY),
        }
    }
}

impl From<crate::prom::ProxyError> for ApiError {
    fn from(error: crate::prom::ProxyError) -> Self {
        ApiError::Proxy {
            status: StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_GATEWAY),
            body: ErrorBody::from(&error),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::BadRequest(rejection.body_text())
    }
}

impl From<crate::db::DbError> for ApiError {
    fn from(error: crate::db::DbError) -> Self {
        ApiError::Internal(error.to_string())
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        ApiError::BadRequest(rejection.body_text())
    }
}
