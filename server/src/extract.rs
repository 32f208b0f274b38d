//! Extractors whose rejections are `ApiError`s, so a malformed path or query
//! gets a 400 with a JSON body that says what was wrong, like every API error.

use axum::{
    Json,
    extract::{FromRequest, FromRequestParts, Path, Query},
};

use crate::error::ApiError;

/// `Query<T>` that rejects with a JSON `ApiError`.
#[derive(Debug, FromRequestParts)]
#[from_request(via(Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `Path<T>` that rejects with a JSON `ApiError`.
#[derive(Debug, FromRequestParts)]
#[from_request(via(Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// `Json<T>` that rejects with a JSON `ApiError` (413 past the body limit).
#[derive(Debug, FromRequest)]
#[from_request(via(Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);
