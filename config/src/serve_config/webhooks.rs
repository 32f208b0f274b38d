//! `[[webhook]]`: where Porthole sends signed events (Standard Webhooks)
//! about incidents, maintenance and service status. Each webhook names the
//! environment variable that holds its secret (`secret_env`): secrets are
//! never written in porthole.toml.

use serde::Deserialize;

use super::secret;

/// Events a webhook may subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventGroup {
    /// `incident.created`, `incident.updated`, `incident.resolved`.
    Incident,
    /// `maintenance.scheduled`, `maintenance.started`,
    /// `maintenance.completed`.
    Maintenance,
    /// `service.down`, `service.up`: what the checks found.
    Status,
}

impl EventGroup {
    /// Every group: a webhook without `events` gets them all.
    pub const ALL: [Self; 3] = [Self::Incident, Self::Maintenance, Self::Status];
}

/// One `[[webhook]]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WebhookSection {
    url: String,
    #[serde(default)]
    events: Option<Vec<EventGroup>>,
    secret_env: String,
}

/// A subscriber of events.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookConfig {
    /// Where events are POSTed.
    pub url: url::Url,
    /// What it receives.
    pub events: Vec<EventGroup>,
    /// The signing key: the bytes of the `whsec_…` secret.
    pub secret: Vec<u8>,
}

impl std::fmt::Debug for WebhookConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookConfig")
            .field("url", &self.url.as_str())
            .field("events", &self.events)
            .finish_non_exhaustive()
    }
}

impl WebhookConfig {
    /// Whether it receives events of `group`.
    pub fn wants(&self, group: EventGroup) -> bool {
        self.events.contains(&group)
    }
}

/// The most webhooks one Porthole sends to.
pub const MAX_WEBHOOKS: usize = 20;

/// Validates every `[[webhook]]` and reads its secret.
pub(super) fn webhooks(sections: Vec<WebhookSection>) -> Result<Vec<WebhookConfig>, String> {
    if sections.len() > MAX_WEBHOOKS {
        return Err(format!(
            "{} [[webhook]] tables; at most {MAX_WEBHOOKS}",
            sections.len()
        ));
    }
    sections.into_iter().map(webhook).collect()
}

fn webhook(section: WebhookSection) -> Result<WebhookConfig, String> {
    let where_ = format!("[[webhook]] url = {:?}", section.url);
    let url =
        url::Url::parse(section.url.trim()).map_err(|e| format!("{where_} is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "{where_} must be an http:// or https:// URL with a host"
        ));
    }
    let events = match section.events {
        None => EventGroup::ALL.to_vec(),
        Some(events) if events.is_empty() => {
            return Err(format!(
                "{where_}: events = [] sends nothing; list some of \"incident\", \"maintenance\", \"status\", or leave events out for all"
            ));
        }
        Some(events) => events,
    };
    let name = section.secret_env.trim();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(format!(
            "{where_}: secret_env = {:?} is not an environment variable's name",
            section.secret_env
        ));
    }
    let text = secret(name)?.ok_or_else(|| {
        format!(
            "{where_}: the environment variable {name} (its secret_env) is not set; set it to a secret such as whsec_ followed by 32 random bytes in base64"
        )
    })?;
    Ok(WebhookConfig {
        url,
        events,
        secret: secret_bytes(&text).map_err(|why| format!("{where_}: {name} {why}"))?,
    })
}

/// The key of a Standard Webhooks secret: `whsec_` and base64 of 24 to 64
/// bytes.
fn secret_bytes(text: &str) -> Result<Vec<u8>, String> {
    use base64::Engine;
    let encoded = text.strip_prefix("whsec_").ok_or_else(|| {
        "does not start with whsec_; write whsec_ followed by base64 of 24 to 64 random bytes"
            .to_owned()
    })?;
    let key = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|e| format!("is not whsec_ followed by base64 ({e})"))?;
    if !(24..=64).contains(&key.len()) {
        return Err(format!(
            "holds {} bytes; a secret is 24 to 64 random bytes",
            key.len()
        ));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_whsec_base64_of_24_to_64_bytes() {
        use base64::Engine;
        let encode = |n: usize| {
            format!(
                "whsec_{}",
                base64::engine::general_purpose::STANDARD.encode(vec![7_u8; n])
            )
        };
        assert_eq!(secret_bytes(&encode(32)).map(|k| k.len()), Ok(32));
        assert!(secret_bytes(&encode(16)).is_err());
        assert!(secret_bytes(&encode(65)).is_err());
        assert!(secret_bytes("whsec_not base64!").is_err());
        let error = secret_bytes("c2VjcmV0").expect_err("no prefix");
        assert!(error.contains("whsec_"), "{error}");
    }
}
