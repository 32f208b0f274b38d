//! The outbox: one row per event and webhook in `webhook_outbox`, written
//! when the event happens, marked when delivered or given up on. Each row's
//! id is its `webhook-id`: made from the event's key and the webhook's URL,
//! so an event noticed twice is stored once.

use std::sync::Arc;

use chrono::{NaiveDateTime, TimeDelta, Utc};
use porthole_config::WebhookConfig;
use sha2::{Digest, Sha256};
use tokio::sync::Notify;

use super::Event;
use crate::db::{Db, DbError};

/// Deliveries tried at most before an event is given up on.
pub const MAX_ATTEMPTS: i32 = 15;

/// The longest wait between two attempts.
const MAX_BACKOFF: TimeDelta = TimeDelta::hours(1);

/// Delivered or abandoned rows are deleted after this long.
const KEPT_FOR: TimeDelta = TimeDelta::days(30);

/// Events to send; cheap to clone. With no webhooks configured it stores
/// nothing.
#[derive(Debug, Clone)]
pub struct Outbox {
    db: Db,
    hooks: Arc<Vec<WebhookConfig>>,
    wake: Arc<Notify>,
}

/// One delivery to make.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// Its `webhook-id`.
    pub id: String,
    /// The webhook's URL.
    pub webhook: String,
    /// The body.
    pub payload: String,
    /// Attempts made so far.
    pub attempts: i32,
}

/// What an attempt came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Attempt {
    /// The receiver answered 2xx.
    Delivered,
    /// It did not; try again later (or give up after [`MAX_ATTEMPTS`]).
    Failed(String),
    /// Never again (the webhook is no longer configured, or answered 410).
    Abandoned(String),
}

/// The wait after failed attempt number `attempts` (from 1): 1 s, doubling,
/// at most an hour.
pub fn backoff(attempts: i32) -> TimeDelta {
    let exponent = u32::try_from(attempts.clamp(1, 13) - 1).unwrap_or(0);
    TimeDelta::seconds(1_i64 << exponent).min(MAX_BACKOFF)
}

fn message_id(key: &str, url: &str) -> String {
    let digest = Sha256::digest(format!("{key}\n{url}").as_bytes());
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("msg_{hex}")
}

impl Outbox {
    /// An outbox in `db` for `hooks`.
    pub fn new(db: Db, hooks: Vec<WebhookConfig>) -> Self {
        Self {
            db,
            hooks: Arc::new(hooks),
            wake: Arc::default(),
        }
    }

    /// The webhooks configured.
    pub fn hooks(&self) -> &[WebhookConfig] {
        &self.hooks
    }

    /// Stores `event` for each webhook that wants it (once per event key)
    /// and wakes the delivery.
    pub async fn enqueue(&self, event: &Event) -> Result<(), DbError> {
        let rows: Vec<(String, String)> = self
            .hooks
            .iter()
            .filter(|hook| hook.wants(event.group))
            .map(|hook| {
                let url = hook.url.to_string();
                (message_id(&event.key, &url), url)
            })
            .collect();
        if rows.is_empty() {
            return Ok(());
        }
        let (kind, payload) = (event.kind.to_owned(), event.body());
        let now = Utc::now().naive_utc();
        self.db
            .run(move |connection| {
                let tx = connection.transaction()?;
                {
                    let mut insert = tx.prepare_cached(
                        "INSERT INTO webhook_outbox
                         (id, webhook, event, payload, created_at, attempts, next_attempt_at)
                         VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING",
                    )?;
                    for (id, url) in rows {
                        insert.execute(duckdb::params![id, url, kind, payload, now, now])?;
                    }
                }
                tx.commit()?;
                Ok(())
            })
            .await?;
        self.wake.notify_one();
        Ok(())
    }

    /// Logs and drops a failure to store `event`: the change it tells of
    /// is made, and must not fail because a webhook could not be told.
    pub async fn enqueue_or_log(&self, event: &Event) {
        if let Err(error) = self.enqueue(event).await {
            tracing::error!(%error, kind = event.kind, "cannot store a webhook event");
        }
    }

    /// Waits until an event is enqueued, or `limit` passes.
    pub async fn wait(&self, limit: std::time::Duration) {
        let _ = tokio::time::timeout(limit, self.wake.notified()).await;
    }

    /// Up to `limit` deliveries due at `now`, oldest first.
    pub async fn due(&self, now: NaiveDateTime, limit: i64) -> Result<Vec<Pending>, DbError> {
        self.db
            .run(move |connection| {
                let mut statement = connection.prepare_cached(
                    "SELECT id, webhook, payload, attempts FROM webhook_outbox
                     WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
                     ORDER BY created_at, id LIMIT ?",
                )?;
                let rows = statement.query_map(duckdb::params![now, limit], |row| {
                    Ok(Pending {
                        id: row.get(0)?,
                        webhook: row.get(1)?,
                        payload: row.get(2)?,
                        attempts: row.get(3)?,
                    })
                })?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .await
    }

    /// When the next delivery is due, if any is waiting.
    pub async fn next_due(&self) -> Result<Option<NaiveDateTime>, DbError> {
        self.db
            .run(|connection| {
                Ok(connection.query_row(
                    "SELECT min(next_attempt_at) FROM webhook_outbox
                     WHERE delivered_at IS NULL AND failed_at IS NULL",
                    [],
                    |row| row.get(0),
                )?)
            })
            .await
    }

    /// Records what attempt on `pending` came to at `now`.
    pub async fn record(
        &self,
        pending: &Pending,
        attempt: Attempt,
        now: NaiveDateTime,
    ) -> Result<(), DbError> {
        let id = pending.id.clone();
        let attempts = pending.attempts + 1;
        self.db
            .run(move |connection| {
                match attempt {
                    Attempt::Delivered => connection.execute(
                        "UPDATE webhook_outbox SET attempts = ?, delivered_at = ?, last_error = NULL
                         WHERE id = ?",
                        duckdb::params![attempts, now, id],
                    )?,
                    Attempt::Failed(error) if attempts < MAX_ATTEMPTS => connection.execute(
                        "UPDATE webhook_outbox SET attempts = ?, next_attempt_at = ?, last_error = ?
                         WHERE id = ?",
                        duckdb::params![attempts, now + backoff(attempts), error, id],
                    )?,
                    Attempt::Failed(error) | Attempt::Abandoned(error) => connection.execute(
                        "UPDATE webhook_outbox SET attempts = ?, failed_at = ?, last_error = ?
                         WHERE id = ?",
                        duckdb::params![attempts, now, error, id],
                    )?,
                };
                Ok(())
            })
            .await
    }

    /// Deletes rows delivered or given up on long ago.
    pub async fn prune(&self, now: NaiveDateTime) -> Result<(), DbError> {
        self.db
            .run(move |connection| {
                connection.execute(
                    "DELETE FROM webhook_outbox WHERE coalesce(delivered_at, failed_at) < ?",
                    duckdb::params![now - KEPT_FOR],
                )?;
                Ok(())
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_from_a_second_to_an_hour() {
        assert_eq!(backoff(1), TimeDelta::seconds(1));
        assert_eq!(backoff(2), TimeDelta::seconds(2));
        assert_eq!(backoff(5), TimeDelta::seconds(16));
        assert_eq!(backoff(13), TimeDelta::hours(1));
        assert_eq!(backoff(40), TimeDelta::hours(1));
    }

    #[test]
    fn an_event_has_one_id_per_webhook() {
        let a = message_id("incident.created:1:5", "https://a.example/hook");
        assert_eq!(
            a,
            message_id("incident.created:1:5", "https://a.example/hook")
        );
        assert_ne!(
            a,
            message_id("incident.created:1:5", "https://b.example/hook")
        );
        assert_ne!(
            a,
            message_id("incident.updated:1:6", "https://a.example/hook")
        );
        assert!(a.starts_with("msg_") && a.len() == 28, "{a}");
    }
}
