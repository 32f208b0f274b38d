//! Extractors whose rejections are `ApiError`s, so a malformed path or query
//! gets a 400 with a JSON body that says what was wrong, like every API error.

use axum::{
    Json,
    extract::{FromRequest, FromRequestParts, Path, Query, rejection::JsonRejection},
    http::StatusCode,
};

use crate::http::error::ApiError;

/// `Query<T>` that rejects with a JSON `ApiError`.
#[derive(Debug, FromRequestParts)]
#[from_request(via(Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `Path<T>` that rejects with a JSON `ApiError`.
#[derive(Debug, FromRequestParts)]
#[from_request(via(Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// The largest JSON body an endpoint accepts (`DefaultBodyLimit` on the
/// routes that read one).
pub const JSON_BODY_LIMIT: usize = 64 * 1024;

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(format!(
                "the request body is larger than {} KiB",
                JSON_BODY_LIMIT / 1024
            ))
        } else {
            ApiError::BadRequest(rejection.body_text())
        }
    }
}

/// `Json<T>` that rejects with a JSON `ApiError` (413 past the body limit).
#[derive(Debug, FromRequest)]
#[from_request(via(Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// What the access guard admitted this request to read; a request it never
/// saw reads public dashboards only.
impl<S: Send + Sync> FromRequestParts<S> for crate::panels::Admission {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Self>().cloned().unwrap_or_default())
    }
}

/// The route the access guard parsed from the path: handlers read ids from
/// it instead of decoding the path again.
#[derive(Debug, Clone)]
pub struct Routed(pub porthole_model::Route);

impl<S: Send + Sync> FromRequestParts<S> for Routed {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<porthole_model::Route>()
            .cloned()
            .map(Routed)
            .ok_or_else(|| ApiError::NotFound("there is nothing at this address".to_owned()))
    }
}
