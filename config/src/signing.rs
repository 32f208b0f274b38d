//! Signed links to private dashboards (`public = false`): `?token=` holds an
//! expiry and an HMAC-SHA256 over the dashboard's id and that expiry, keyed
//! by `PORTHOLE_SIGNING_KEY`. Changing the key revokes every link at once.
//!
//! Tokens look like `1767225600.<base64url MAC>`; they are checked in
//! constant time and never logged.

use std::sync::Arc;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Shortest signing key accepted, in bytes.
pub const MIN_KEY_BYTES: usize = 32;

/// The key signed links are made and checked with, if one is set.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SigningKey(Option<Arc<[u8]>>);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.write_str(if self.0.is_some() {
            "SigningKey(set)"
        } else {
            "SigningKey(unset)"
        })
    }
}

/// Why a request may not see a private dashboard; each says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    /// The server has no key, so no link can open it.
    #[error(
        "this dashboard is private and this server has no PORTHOLE_SIGNING_KEY, so no link can open it"
    )]
    NoKey,
    /// No token was given.
    #[error(
        "this dashboard is private: open it with the signed link you were given (porthole sign makes one)"
    )]
    Missing,
    /// The token is not one this key made for this dashboard.
    #[error("this link's token is not valid for this dashboard; ask for a new link")]
    Invalid,
    /// The token was valid until it expired.
    #[error("this link expired; ask for a new link")]
    Expired,
}

impl SigningKey {
    /// A key from its text; `None` or empty means no key.
    pub fn new(key: Option<&str>) -> Result<Self, String> {
        match key.filter(|k| !k.is_empty()) {
            None => Ok(Self(None)),
            Some(key) if key.len() < MIN_KEY_BYTES => Err(format!(
                "PORTHOLE_SIGNING_KEY must be at least {MIN_KEY_BYTES} characters (it has {}); `openssl rand -hex 32` makes one",
                key.len()
            )),
            Some(key) => Ok(Self(Some(Arc::from(key.as_bytes())))),
        }
    }

    /// Whether a key is set.
    pub fn is_set(&self) -> bool {
        self.0.is_some()
    }

    fn mac(key: &[u8], dashboard: &str, expires: i64) -> HmacSha256 {
        // HMAC accepts keys of any length; this cannot fail.
        let mut mac = <HmacSha256 as Mac>::new_from_slice(key)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        mac.update(dashboard.as_bytes());
        mac.update(b"\n");
        mac.update(expires.to_string().as_bytes());
        mac
    }

    /// A token opening `dashboard` until `expires` (unix seconds).
    pub fn sign(&self, dashboard: &str, expires: i64) -> Option<String> {
        let key = self.0.as_ref()?;
        let tag = Self::mac(key, dashboard, expires).finalize().into_bytes();
        Some(format!("{expires}.{}", URL_SAFE_NO_PAD.encode(tag)))
    }

    /// Checks that `token` opens `dashboard` at `now` (unix seconds), and
    /// says until when (unix seconds) it does.
    pub fn verify(
        &self,
        dashboard: &str,
        token: Option<&str>,
        now: i64,
    ) -> Result<i64, AccessError> {
        let key = self.0.as_ref().ok_or(AccessError::NoKey)?;
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or(AccessError::Missing)?;
        let (expires, tag) = token.split_once('.').ok_or(AccessError::Invalid)?;
        let expires: i64 = expires.parse().map_err(|_| AccessError::Invalid)?;
        let tag = URL_SAFE_NO_PAD
            .decode(tag)
            .map_err(|_| AccessError::Invalid)?;
        // Constant-time comparison of the whole tag; a truncated one fails.
        Self::mac(key, dashboard, expires)
            .verify_slice(&tag)
            .map_err(|_| AccessError::Invalid)?;
        if expires <= now {
            return Err(AccessError::Expired);
        }
        Ok(expires)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn a_signed_token_opens_its_dashboard_until_it_expires() {
        let key = SigningKey::new(Some(KEY)).expect("key");
        let token = key.sign("finance", 2_000).expect("token");
        assert_eq!(key.verify("finance", Some(&token), 1_999), Ok(2_000));
        assert_eq!(
            key.verify("finance", Some(&token), 2_000),
            Err(AccessError::Expired)
        );
    }

    #[test]
    fn tampered_truncated_and_foreign_tokens_are_refused() {
        let key = SigningKey::new(Some(KEY)).expect("key");
        let token = key.sign("finance", 2_000).expect("token");
        let (expires, tag) = token.split_once('.').expect("two parts");
        let later = format!("9999999999.{tag}");
        let truncated = &token[..token.len() - 3];
        for (dashboard, token) in [
            ("sales", token.as_str()),
            ("finance", later.as_str()),
            ("finance", truncated),
            ("finance", expires),
            ("finance", "garbage"),
            ("finance", "1.!!!"),
        ] {
            assert_eq!(
                key.verify(dashboard, Some(token), 1_000),
                Err(AccessError::Invalid),
                "{dashboard} {token}"
            );
        }
        assert_eq!(
            key.verify("finance", None, 1_000),
            Err(AccessError::Missing)
        );
        let rotated = SigningKey::new(Some(&KEY.replace('0', "z"))).expect("key");
        assert_eq!(
            rotated.verify("finance", Some(&token), 1_000),
            Err(AccessError::Invalid),
            "a new key revokes every link"
        );
        assert_eq!(
            SigningKey::default().verify("finance", Some(&token), 1_000),
            Err(AccessError::NoKey)
        );
    }

    #[test]
    fn short_keys_are_refused_and_never_printed() {
        let error = SigningKey::new(Some("short")).expect_err("too short");
        assert!(error.contains("at least 32"), "{error}");
        let key = SigningKey::new(Some(KEY)).expect("key");
        assert_eq!(format!("{key:?}"), "SigningKey(set)");
    }
}
