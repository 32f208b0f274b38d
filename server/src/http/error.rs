//! The API's error type: every handler under `/api` returns `ApiError`, which
//! becomes a JSON body `{"status":"error","errorType":...,"error":...}`.
//! Internal details are never sent to clients: they ride on the answer to
//! one layer, [`log_internal`], which logs them once.

use app::model::{ErrorBody, ErrorKind};
use axum::{
    Json,
    extract::Request,
    extract::rejection::{PathRejection, QueryRejection},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
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
    /// The request contradicts what is stored.
    #[error("{0}")]
    Conflict(String),
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
    /// The kind this error is answered as.
    fn kind(&self) -> ErrorKind {
        match self {
            ApiError::Proxy { body, .. } => body.error_type.clone(),
            ApiError::BadRequest(_) | ApiError::PayloadTooLarge(_) => ErrorKind::BadData,
            ApiError::Unauthorized(_) => ErrorKind::Unauthorized,
            ApiError::Forbidden(_) => ErrorKind::Forbidden,
            ApiError::NotFound(_) => ErrorKind::NotFound,
            ApiError::Gone(_) => ErrorKind::Gone,
            ApiError::Conflict(_) => ErrorKind::Conflict,
            ApiError::TooManyRequests(_) => ErrorKind::RateLimited,
            ApiError::Unavailable(_) => ErrorKind::Unavailable,
            ApiError::Internal(_) => ErrorKind::Internal,
        }
    }

    /// The HTTP status: the kind's (see [`ErrorKind::status`]), but for a
    /// body past its limit and an upstream's own answer.
    fn status(&self) -> StatusCode {
        match self {
            ApiError::Proxy { status, .. } => *status,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            other => status_of(&other.kind()),
        }
    }
}

/// The HTTP status of an error kind.
fn status_of(kind: &ErrorKind) -> StatusCode {
    StatusCode::from_u16(kind.status()).unwrap_or(StatusCode::BAD_GATEWAY)
}

impl ApiError {
    /// The client-safe body of this error, for pages that show it (the
    /// detail of an internal error goes to the log only).
    pub fn body(&self) -> ErrorBody {
        if let ApiError::Internal(detail) = self {
            tracing::error!(%detail, "internal error rendering a page");
        }
        ErrorBody::new(self.kind(), self.to_string())
    }
}

/// What an internal error was, riding on its answer (never in its body) to
/// the layer that logs it ([`log_internal`]).
#[derive(Debug, Clone)]
pub struct InternalDetail(pub String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = ErrorBody::new(self.kind(), self.to_string());
        let mut response = (status, Json(body)).into_response();
        if let ApiError::Internal(detail) = self {
            response.extensions_mut().insert(InternalDetail(detail));
        }
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// Middleware: logs each internal error's detail once, with the request's
/// method and path (never its query, which may hold a signed link's token).
pub async fn log_internal(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if let Some(InternalDetail(detail)) = response.extensions().get::<InternalDetail>() {
        tracing::error!(%detail, %method, %path, "internal error answering a request");
    }
    response
}

impl From<ErrorBody> for ApiError {
    fn from(body: ErrorBody) -> Self {
        match body.error_type {
            ErrorKind::NotFound => ApiError::NotFound(body.error),
            ErrorKind::Gone => ApiError::Gone(body.error),
            ErrorKind::BadData => ApiError::BadRequest(body.error),
            ErrorKind::Forbidden => ApiError::Forbidden(body.error),
            ErrorKind::Unavailable => ApiError::Unavailable(body.error),
            ErrorKind::Internal => ApiError::Internal(body.error),
            // Anything else comes from evaluating a query upstream (timeout,
            // execution) or from the upstream itself (its fault: 502).
            _ => ApiError::Proxy {
                status: status_of(&body.error_type),
                body,
            },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_details_ride_on_the_answer_and_never_in_its_body() {
        let response = ApiError::Internal("disk /var/lib/x is full".to_owned()).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let detail = response
            .extensions()
            .get::<InternalDetail>()
            .map(|d| d.0.clone());
        assert_eq!(detail.as_deref(), Some("disk /var/lib/x is full"));
        let response = ApiError::NotFound("no such thing".to_owned()).into_response();
        assert!(response.extensions().get::<InternalDetail>().is_none());
    }
}
