//! Extractors whose rejections are `ApiError`s, so a malformed path or query
//! gets a 400 with a JSON body that says what was wrong, like every API error.

use axum::extract::{FromRequestParts, Path, Query};

use crate::error::ApiError;

/// `Query<T>` that rejects with a JSON `ApiError`.
#[derive(Debug, FromRequestParts)]
#[from_request(via(Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `Path<T>` that rejects with a JSON `ApiError`.
#[derive(Debug, FromRequestParts)]
#[from_request(via(Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);
