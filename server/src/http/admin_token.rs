//! The admin bearer token that guards write endpoints.
//!
//! The token comes from `PORTHOLE_ADMIN_TOKEN` only; without it the admin
//! API is off. Comparison is constant-time so response timing reveals nothing
//! about the token.

use std::sync::Arc;

use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts},
};
use subtle::ConstantTimeEq;

use axum::extract::FromRef;

use crate::http::error::ApiError;

/// The configured admin token, if any.
#[derive(Clone, Default)]
pub struct AdminToken(Option<Arc<str>>);

impl std::fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.write_str(if self.0.is_some() {
            "AdminToken(set)"
        } else {
            "AdminToken(unset)"
        })
    }
}

/// The shortest admin token accepted: long enough that guessing it over
/// the network is hopeless.
pub const MIN_TOKEN_CHARS: usize = 32;

impl AdminToken {
    /// The token configured in `PORTHOLE_ADMIN_TOKEN` (or the file named by
    /// `PORTHOLE_ADMIN_TOKEN_FILE`); refused when shorter than
    /// [`MIN_TOKEN_CHARS`].
    pub fn from_env() -> Result<Self, String> {
        let token = crate::config::secret("PORTHOLE_ADMIN_TOKEN")?;
        Self::checked(token)
    }

    /// `token`, refused when shorter than [`MIN_TOKEN_CHARS`].
    pub fn checked(token: Option<String>) -> Result<Self, String> {
        match token {
            Some(token) if !token.is_empty() && token.chars().count() < MIN_TOKEN_CHARS => {
                Err(format!(
                    "PORTHOLE_ADMIN_TOKEN must be at least {MIN_TOKEN_CHARS} characters (it has {}); `openssl rand -hex 32` makes one",
                    token.chars().count()
                ))
            }
            token => Ok(Self::new(token)),
        }
    }

    /// A token; empty means unset.
    pub fn new(token: Option<String>) -> Self {
        Self(token.filter(|t| !t.is_empty()).map(Arc::from))
    }

    fn check(&self, presented: Option<&str>) -> Result<(), ApiError> {
        let Some(expected) = &self.0 else {
            return Err(ApiError::Forbidden(
                "the admin API is disabled: set PORTHOLE_ADMIN_TOKEN to enable it".to_owned(),
            ));
        };
        let Some(presented) = presented else {
            return Err(ApiError::Unauthorized(
                "this endpoint needs the admin token: send `Authorization: Bearer <token>`"
                    .to_owned(),
            ));
        };
        if bool::from(presented.as_bytes().ct_eq(expected.as_bytes())) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "the admin token is not valid".to_owned(),
            ))
        }
    }
}

/// Extractor that admits only requests carrying the admin token.
#[derive(Debug)]
pub struct Admin;

impl<S> FromRequestParts<S> for Admin
where
    S: Send + Sync,
    AdminToken: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        AdminToken::from_ref(state)
            .check(bearer_token(parts))
            .map(|()| Admin)
    }
}

/// Extractor for endpoints open to everyone that grant operators more: true
/// when the request carries the valid admin token. No token (or another
/// scheme, such as a dashboard tool's basic auth) is an ordinary viewer; a
/// wrong bearer token is refused rather than silently downgraded.
#[derive(Debug, Clone, Copy)]
pub struct MaybeAdmin(pub bool);

impl<S> FromRequestParts<S> for MaybeAdmin
where
    S: Send + Sync,
    AdminToken: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match bearer_token(parts) {
            None => Ok(MaybeAdmin(false)),
            Some(presented) => AdminToken::from_ref(state)
                .check(Some(presented))
                .map(|()| MaybeAdmin(true)),
        }
    }
}

impl AdminToken {
    /// Whether `headers` carry this token (rate limits let operators
    /// through).
    pub fn admits(&self, headers: &http::HeaderMap) -> bool {
        bearer_in(headers).is_some_and(|presented| self.check(Some(presented)).is_ok())
    }
}

fn bearer_token(parts: &Parts) -> Option<&str> {
    bearer_in(&parts.headers)
}

/// The bearer token `headers` carry, if any.
pub(crate) fn bearer_in(headers: &http::HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_wrong_and_right_tokens() {
        let token = AdminToken::new(Some("s3cret-token".to_owned()));
        assert!(matches!(token.check(None), Err(ApiError::Unauthorized(_))));
        assert!(matches!(
            token.check(Some("s3cret")),
            Err(ApiError::Forbidden(_))
        ));
        assert!(matches!(
            token.check(Some("s3cret-token!")),
            Err(ApiError::Forbidden(_))
        ));
        assert!(token.check(Some("s3cret-token")).is_ok());
    }

    #[test]
    fn short_tokens_are_refused() {
        let error = AdminToken::checked(Some("hunter2".to_owned())).expect_err("short");
        assert!(
            error.contains("at least 32 characters (it has 7)"),
            "{error}"
        );
        assert!(AdminToken::checked(Some("x".repeat(32))).is_ok());
        assert!(AdminToken::checked(None).is_ok());
    }

    #[test]
    fn without_a_configured_token_nothing_is_admitted() {
        let token = AdminToken::new(Some(String::new()));
        assert!(matches!(token.check(Some("")), Err(ApiError::Forbidden(_))));
        assert_eq!(format!("{token:?}"), "AdminToken(unset)");
    }
}
