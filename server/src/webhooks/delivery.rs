//! Delivery: a background task that POSTs what the outbox holds to each
//! webhook, signed afresh at every attempt, one event at a time per
//! receiver in the order they happened, and records each outcome.

use std::time::Duration;

use chrono::Utc;
use porthole_config::WebhookConfig;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};

use super::{
    Outbox,
    outbox::{Attempt, Pending},
    signature::sign,
};

/// How long one attempt may take.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// Deliveries taken from the outbox per round.
const BATCH: i64 = 64;

/// The longest sleep between two looks at the outbox.
const IDLE: Duration = Duration::from_secs(5);

/// Delivers what `outbox` holds until the runtime ends.
pub async fn run(outbox: Outbox) {
    let Ok(client) = reqwest::Client::builder()
        .timeout(ATTEMPT_TIMEOUT)
        // A receiver's redirect would resend a signed body elsewhere.
        .redirect(reqwest::redirect::Policy::none())
        .build()
    else {
        tracing::error!("cannot make the webhook client; webhooks are not sent");
        return;
    };
    let mut rounds: u64 = 0;
    loop {
        let now = Utc::now().naive_utc();
        match outbox.due(now, BATCH).await {
            Ok(due) => deliver_all(&client, &outbox, due).await,
            Err(error) => tracing::error!(%error, "cannot read the webhook outbox"),
        }
        rounds += 1;
        if rounds % 10_000 == 1
            && let Err(error) = outbox.prune(now).await
        {
            tracing::error!(%error, "cannot prune the webhook outbox");
        }
        let wait = match outbox.next_due().await {
            Ok(Some(next)) => (next - Utc::now().naive_utc())
                .to_std()
                .unwrap_or_default()
                .min(IDLE),
            _ => IDLE,
        };
        if !wait.is_zero() {
            outbox.wait(wait).await;
        }
    }
}

/// Attempts each of `due`; after one receiver fails, its other events wait
/// for a later round, so a receiver that is down costs one attempt per
/// round rather than one per event.
async fn deliver_all(client: &reqwest::Client, outbox: &Outbox, due: Vec<Pending>) {
    let mut failing: Vec<String> = Vec::new();
    for pending in due {
        if failing.contains(&pending.webhook) {
            continue;
        }
        let attempt = match outbox
            .hooks()
            .iter()
            .find(|hook| hook.url.as_str() == pending.webhook)
        {
            None => Attempt::Abandoned("this webhook is no longer configured".to_owned()),
            Some(hook) => attempt(client, hook, &pending).await,
        };
        if !matches!(attempt, Attempt::Delivered) {
            tracing::warn!(
                webhook = %pending.webhook,
                id = %pending.id,
                attempts = pending.attempts + 1,
                outcome = ?attempt,
                "webhook not delivered"
            );
            failing.push(pending.webhook.clone());
        }
        if let Err(error) = outbox
            .record(&pending, attempt, Utc::now().naive_utc())
            .await
        {
            tracing::error!(%error, "cannot record a webhook delivery");
        }
    }
}

/// One signed POST of `pending` to `hook`.
async fn attempt(client: &reqwest::Client, hook: &WebhookConfig, pending: &Pending) -> Attempt {
    let timestamp = Utc::now().timestamp();
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(USER_AGENT, HeaderValue::from_static("Porthole-Webhooks/1"));
    let values = [
        ("webhook-id", pending.id.clone()),
        ("webhook-timestamp", timestamp.to_string()),
        (
            "webhook-signature",
            sign(&hook.secret, &pending.id, timestamp, &pending.payload),
        ),
    ];
    for (name, value) in values {
        match HeaderValue::from_str(&value) {
            Ok(value) => {
                headers.insert(name, value);
            }
            Err(_) => return Attempt::Abandoned(format!("{name} is not a header value")),
        }
    }
    let sent = client
        .post(hook.url.clone())
        .headers(headers)
        .body(pending.payload.clone())
        .send()
        .await;
    match sent {
        Ok(response) if response.status().is_success() => Attempt::Delivered,
        // Standard Webhooks: 410 Gone asks the sender to stop.
        Ok(response) if response.status() == reqwest::StatusCode::GONE => {
            Attempt::Abandoned("the receiver answered 410 Gone".to_owned())
        }
        Ok(response) => Attempt::Failed(format!("the receiver answered {}", response.status())),
        Err(error) => Attempt::Failed(format!("cannot reach the receiver: {error}")),
    }
}
