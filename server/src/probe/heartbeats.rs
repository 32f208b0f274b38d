//! Heartbeats: services that report in (cron jobs, workers no check can
//! reach) by `POST /api/v1/heartbeat/{id}`. The latest of each is kept in
//! DuckDB, so a restart does not forget it, and in memory, where the
//! prober's check reads it.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
    time::Duration,
};

use chrono::{NaiveDateTime, TimeDelta};

use crate::db::{Db, DbError};

/// The latest heartbeat of each service; cheap to clone.
#[derive(Debug, Clone)]
pub struct Heartbeats {
    db: Db,
    latest: Arc<RwLock<HashMap<String, NaiveDateTime>>>,
}

impl Heartbeats {
    /// Heartbeats kept in `db` (already migrated); [`Heartbeats::load`]
    /// reads what is stored.
    pub fn new(db: Db) -> Self {
        Self {
            db,
            latest: Arc::default(),
        }
    }

    /// Reads the stored heartbeats (at start).
    pub async fn load(&self) -> Result<(), DbError> {
        let stored: Vec<(String, NaiveDateTime)> = self
            .db
            .query(
                "SELECT service, received_at FROM heartbeats",
                duckdb::params_from_iter(Vec::<String>::new()),
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .await?;
        if let Ok(mut latest) = self.latest.write() {
            latest.extend(stored);
        }
        Ok(())
    }

    /// Records a heartbeat of service `id` at `at`.
    pub async fn record(&self, id: &str, at: NaiveDateTime) -> Result<(), DbError> {
        let service = id.to_owned();
        self.db
            .run(move |connection| {
                connection.execute(
                    "INSERT INTO heartbeats (service, received_at) VALUES (?, ?)
                     ON CONFLICT (service) DO UPDATE SET received_at = excluded.received_at",
                    duckdb::params![service, at],
                )?;
                Ok(())
            })
            .await?;
        if let Ok(mut latest) = self.latest.write() {
            latest.insert(id.to_owned(), at);
        }
        Ok(())
    }

    /// Service `id`'s latest heartbeat.
    pub fn last(&self, id: &str) -> Option<NaiveDateTime> {
        self.latest.read().ok()?.get(id).copied()
    }

    /// Whether service `id` reported in within `allowed` before `now`; why
    /// not when it did not.
    pub fn judge(&self, id: &str, now: NaiveDateTime, allowed: Duration) -> Result<(), String> {
        let allowed = TimeDelta::from_std(allowed).unwrap_or(TimeDelta::MAX);
        match self.last(id) {
            None => Err("no heartbeat received yet".to_owned()),
            Some(last) if now - last <= allowed => Ok(()),
            Some(last) => Err(format!(
                "no heartbeat since {} UTC",
                last.format("%Y-%m-%d %H:%M:%S")
            )),
        }
    }
}
