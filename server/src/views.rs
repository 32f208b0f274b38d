//! Snapshots of dashboard views, kept in DuckDB: the panel data as it was
//! shown (JSON), never the queries, so a snapshot reads the same however
//! the sources change. Ids carry 128 random bits from the operating
//! system, so they cannot be guessed.
//!
//! Errors: `DbError` from storage (the route answers 500 and logs it);
//! [`Lookup`] for snapshots that cannot be shown.

use app::model::Snapshot;
use base64::Engine;

use crate::db::{Db, DbError};

/// Why a snapshot cannot be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// No snapshot has this id.
    NotFound,
    /// It expired or was revoked.
    Gone,
}

/// The snapshots of one database; cheap to clone.
#[derive(Debug, Clone)]
pub struct ViewStore {
    db: Db,
}

/// A new snapshot id: 128 random bits as 22 URL-safe characters.
pub fn new_id() -> Result<String, getrandom::Error> {
    let bits = crate::random::bits_128()?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bits))
}

/// Whether `id` has the shape of a snapshot id (the route model's rule).
pub fn is_well_formed(id: &str) -> bool {
    porthole_model::SnapshotId::is_well_formed(id)
}

impl ViewStore {
    /// The snapshots kept in `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Stores `snapshot` under its id.
    pub async fn insert(&self, snapshot: &Snapshot) -> Result<(), DbError> {
        let body = serde_json::to_string(snapshot).map_err(|e| DbError::Encode(e.to_string()))?;
        let (id, dashboard, taken_at, expires_at) = (
            snapshot.id.clone(),
            snapshot.dashboard.clone(),
            snapshot.taken_at,
            snapshot.expires_at,
        );
        self.db
            .run(move |connection| {
                connection.execute(
                    "INSERT INTO snapshots (id, dashboard, taken_at, expires_at, body) VALUES (?, ?, ?, ?, ?)",
                    duckdb::params![id, dashboard, taken_at, expires_at, body],
                )?;
                Ok(())
            })
            .await
    }

    /// The snapshot `id` as of `now` (unix seconds).
    pub async fn get(&self, id: &str, now: i64) -> Result<Result<Snapshot, Lookup>, DbError> {
        if !is_well_formed(id) {
            return Ok(Err(Lookup::NotFound));
        }
        let key = id.to_owned();
        let rows = self
            .db
            .query(
                "SELECT expires_at, revoked_at, body FROM snapshots WHERE id = ?",
                [key],
                |row| {
                    Ok((
                        row.get::<_, Option<i64>>(0)?,
                        row.get::<_, Option<i64>>(1)?,
                        row.get::<_, String>(2)?,
                    ))
                },
            )
            .await?;
        let Some((expires_at, revoked_at, body)) = rows.into_iter().next() else {
            return Ok(Err(Lookup::NotFound));
        };
        if revoked_at.is_some() || expires_at.is_some_and(|at| at <= now) {
            return Ok(Err(Lookup::Gone));
        }
        serde_json::from_str(&body)
            .map(Ok)
            .map_err(|e| DbError::Encode(format!("snapshot {id}: {e}")))
    }

    /// How many snapshots are kept and neither expired nor revoked at `now`.
    pub async fn count_live(&self, now: i64) -> Result<u64, DbError> {
        let rows = self
            .db
            .query(
                "SELECT count(*) FROM snapshots WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)",
                [now],
                |row| row.get::<_, i64>(0),
            )
            .await?;
        Ok(rows
            .first()
            .map_or(0, |&count| u64::try_from(count).unwrap_or(0)))
    }

    /// Revokes snapshot `id` at `now`; false when there is no such snapshot.
    pub async fn revoke(&self, id: &str, now: i64) -> Result<bool, DbError> {
        if !is_well_formed(id) {
            return Ok(false);
        }
        let id = id.to_owned();
        self.db
            .run(move |connection| {
                let changed = connection.execute(
                    "UPDATE snapshots SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?",
                    duckdb::params![now, id],
                )?;
                Ok(changed > 0)
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_128_random_bits_and_well_formed() {
        let (a, b) = (new_id().expect("os random"), new_id().expect("os random"));
        assert_ne!(a, b);
        assert!(is_well_formed(&a), "{a}");
        assert_eq!(
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(&a)
                .expect("base64")
                .len(),
            16
        );
        for bad in [
            "",
            "short",
            "../../etc/passwd/aaaaaaa",
            "aaaaaaaaaaaaaaaaaaaaa%",
        ] {
            assert!(!is_well_formed(bad), "{bad}");
        }
    }
}
