//! Notices in DuckDB: `notices` (one row per incident or maintenance),
//! `notice_services` (the services each names) and `notice_updates` (an
//! incident's timeline). Writes are serialized and each is one
//! transaction, so two operators updating one incident both land.
//!
//! Maintenance windows are also read by the probe store's SQL, through the
//! `maintenance_windows` view, so checks inside a window are left out of
//! uptime wherever uptime is counted.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use app::model::{Impact, IncidentState, Reporter};
use arc_swap::ArcSwap;
use chrono::NaiveDateTime;
use duckdb::{OptionalExt, params};

use crate::db::{Db, DbError};

/// What a notice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// An incident, with a timeline of states.
    Incident,
    /// Scheduled maintenance, with a window.
    Maintenance,
}

impl NoticeKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Incident => "incident",
            Self::Maintenance => "maintenance",
        }
    }
}

/// One entry of a notice's timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredUpdate {
    /// When it was posted (UTC).
    pub at: NaiveDateTime,
    /// The state from then on.
    pub status: IncidentState,
    /// The message, as Markdown.
    pub message: String,
}

/// A notice as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredNotice {
    /// Its id; 0 before it is first stored.
    pub id: u64,
    /// Incident or maintenance.
    pub kind: NoticeKind,
    /// Its title.
    pub title: String,
    /// How bad it is (maintenance windows carry `Impact::None`).
    pub impact: Impact,
    /// Who opened it.
    pub reporter: Reporter,
    /// The Alertmanager fingerprint that opened it, if one did.
    pub alert_key: Option<String>,
    /// The ids of the services it names, in the order given.
    pub services: Vec<String>,
    /// When it was opened or announced.
    pub created_at: NaiveDateTime,
    /// When it last changed.
    pub updated_at: NaiveDateTime,
    /// When an incident was resolved.
    pub resolved_at: Option<NaiveDateTime>,
    /// A maintenance window's start.
    pub starts_at: Option<NaiveDateTime>,
    /// A maintenance window's end.
    pub ends_at: Option<NaiveDateTime>,
    /// The timeline, oldest first (a maintenance has one entry: its
    /// message).
    pub updates: Vec<StoredUpdate>,
}

impl StoredNotice {
    /// The incident's latest state.
    pub fn status(&self) -> IncidentState {
        self.updates
            .last()
            .map_or(IncidentState::Investigating, |u| u.status)
    }
}

/// A maintenance window of one service, as checks are judged against.
#[derive(Debug, Clone, PartialEq)]
struct Window {
    service: String,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
}

/// Notice storage over the shared database; cheap to clone.
#[derive(Debug, Clone)]
pub struct NoticeStore {
    db: Db,
    /// Every maintenance window, kept in memory for the prober, which asks
    /// on every failed check; replaced after each write.
    windows: Arc<ArcSwap<Vec<Window>>>,
    /// One writer at a time: a change reads the notice, applies itself and
    /// writes it back.
    writes: Arc<tokio::sync::Mutex<()>>,
    /// Counts writes, so pages kept from before one are not served after.
    generation: Arc<AtomicU64>,
    /// One Alertmanager delivery at a time (see
    /// [`NoticeStore::one_alert_delivery_at_a_time`]).
    alert_deliveries: Arc<tokio::sync::Mutex<()>>,
}

/// Why a change to a notice was not made.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError<E> {
    /// No notice has this id.
    #[error("not found")]
    NotFound,
    /// The change refused itself.
    #[error(transparent)]
    Refused(E),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

const SELECT_NOTICE: &str = "SELECT id, kind, title, impact, reporter, alert_key, created_at,
     updated_at, resolved_at, starts_at, ends_at FROM notices";

impl NoticeStore {
    /// A store over `db` (already migrated); [`NoticeStore::load`] reads
    /// its maintenance windows.
    pub fn new(db: Db) -> Self {
        Self {
            db,
            windows: Arc::default(),
            writes: Arc::default(),
            generation: Arc::default(),
            alert_deliveries: Arc::default(),
        }
    }

    /// Held while one Alertmanager delivery is applied, so that a fingerprint
    /// looked up and then opened is not opened twice by a delivery at the
    /// same time.
    pub async fn one_alert_delivery_at_a_time(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.alert_deliveries.lock().await
    }

    /// How many writes this store has made: a page rendered before a write
    /// is not served after it.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Relaxed)
    }

    /// Whether service `id` is in a maintenance window at `at`.
    pub fn under_maintenance(&self, id: &str, at: NaiveDateTime) -> bool {
        self.windows
            .load()
            .iter()
            .any(|w| w.service == id && w.starts_at <= at && at < w.ends_at)
    }

    /// Reads the maintenance windows the prober judges checks by (at start,
    /// and after every write).
    pub async fn load(&self) -> Result<(), DbError> {
        let windows = self
            .db
            .run(|connection| {
                let mut statement = connection
                    .prepare("SELECT service, starts_at, ends_at FROM maintenance_windows")?;
                let rows = statement.query_map([], |row| {
                    Ok(Window {
                        service: row.get(0)?,
                        starts_at: row.get(1)?,
                        ends_at: row.get(2)?,
                    })
                })?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .await?;
        self.windows.store(Arc::new(windows));
        self.generation.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Stores a new notice; returns its id.
    pub async fn insert(&self, notice: StoredNotice) -> Result<u64, DbError> {
        let _one_writer = self.writes.lock().await;
        let id = self
            .db
            .run(move |connection| {
                let tx = connection.transaction()?;
                let id: i64 = tx.query_row("SELECT nextval('notice_ids')", [], |row| row.get(0))?;
                let id = u64::try_from(id).unwrap_or_default();
                write(&tx, &StoredNotice { id, ..notice })?;
                tx.commit()?;
                Ok(id)
            })
            .await?;
        self.load().await?;
        Ok(id)
    }

    /// Applies `change` to notice `id` and stores the result; what `change`
    /// refuses changes nothing.
    pub async fn modify<E: Send + 'static>(
        &self,
        id: u64,
        change: impl FnOnce(&mut StoredNotice) -> Result<(), E> + Send + 'static,
    ) -> Result<StoredNotice, ChangeError<E>> {
        let _one_writer = self.writes.lock().await;
        let mut notice = self.get(id).await?.ok_or(ChangeError::NotFound)?;
        change(&mut notice).map_err(ChangeError::Refused)?;
        let stored = notice.clone();
        self.db
            .run(move |connection| {
                let tx = connection.transaction()?;
                delete_rows(&tx, stored.id)?;
                write(&tx, &stored)?;
                tx.commit()?;
                Ok(())
            })
            .await?;
        self.load().await?;
        Ok(notice)
    }

    /// Deletes notice `id`; false when there was none.
    pub async fn delete(&self, id: u64) -> Result<bool, DbError> {
        let _one_writer = self.writes.lock().await;
        let deleted = self
            .db
            .run(move |connection| {
                let tx = connection.transaction()?;
                let deleted = delete_rows(&tx, id)?;
                tx.commit()?;
                Ok(deleted)
            })
            .await?;
        self.load().await?;
        Ok(deleted)
    }

    /// Notice `id`.
    pub async fn get(&self, id: u64) -> Result<Option<StoredNotice>, DbError> {
        let Ok(key) = i64::try_from(id) else {
            return Ok(None);
        };
        let found = self
            .select(format!("{SELECT_NOTICE} WHERE id = ?"), vec![key.into()])
            .await?;
        Ok(found.into_iter().next())
    }

    /// The unresolved incident Alertmanager opened for `key`.
    pub async fn open_for_alert(&self, key: &str) -> Result<Option<StoredNotice>, DbError> {
        let found = self
            .select(
                format!(
                    "{SELECT_NOTICE} WHERE alert_key = ? AND resolved_at IS NULL ORDER BY id DESC LIMIT 1"
                ),
                vec![key.to_owned().into()],
            )
            .await?;
        Ok(found.into_iter().next())
    }

    /// What `/status` shows as of `now`: unresolved incidents, incidents
    /// resolved since `recent_since`, and maintenance not yet over.
    pub async fn current(
        &self,
        now: NaiveDateTime,
        recent_since: NaiveDateTime,
    ) -> Result<Vec<StoredNotice>, DbError> {
        self.select(
            format!(
                "{SELECT_NOTICE} WHERE (kind = 'incident' AND (resolved_at IS NULL OR resolved_at >= ?))
                 OR (kind = 'maintenance' AND ends_at > ?)
                 ORDER BY coalesce(starts_at, created_at) DESC, id DESC"
            ),
            vec![timestamp(recent_since), timestamp(now)],
        )
        .await
    }

    /// The newest `limit` notices of `kind`.
    pub async fn latest(&self, kind: NoticeKind, limit: u64) -> Result<Vec<StoredNotice>, DbError> {
        self.select(
            format!(
                "{SELECT_NOTICE} WHERE kind = ?
                 ORDER BY coalesce(starts_at, created_at) DESC, id DESC LIMIT ?"
            ),
            vec![
                kind.as_str().to_owned().into(),
                i64::try_from(limit).unwrap_or(i64::MAX).into(),
            ],
        )
        .await
    }

    /// The `limit` most recently changed notices, of service `service` only
    /// when given: what the status feeds carry.
    pub async fn recently_changed(
        &self,
        service: Option<&str>,
        limit: u64,
    ) -> Result<Vec<StoredNotice>, DbError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        match service {
            None => {
                self.select(
                    format!("{SELECT_NOTICE} ORDER BY updated_at DESC, id DESC LIMIT ?"),
                    vec![limit.into()],
                )
                .await
            }
            Some(service) => {
                self.select(
                    format!(
                        "{SELECT_NOTICE} WHERE id IN
                         (SELECT notice_id FROM notice_services WHERE service = ?)
                         ORDER BY updated_at DESC, id DESC LIMIT ?"
                    ),
                    vec![service.to_owned().into(), limit.into()],
                )
                .await
            }
        }
    }

    /// Maintenance that began or ended in `[since, until]`: what the
    /// webhooks tell of as it happens.
    pub async fn maintenance_boundaries(
        &self,
        since: NaiveDateTime,
        until: NaiveDateTime,
    ) -> Result<Vec<StoredNotice>, DbError> {
        self.select(
            format!(
                "{SELECT_NOTICE} WHERE kind = 'maintenance'
                 AND (starts_at BETWEEN ? AND ? OR ends_at BETWEEN ? AND ?)
                 ORDER BY starts_at, id"
            ),
            vec![
                timestamp(since),
                timestamp(until),
                timestamp(since),
                timestamp(until),
            ],
        )
        .await
    }

    /// Every notice that began before `until`, newest first: `limit` of
    /// them after skipping `offset`.
    pub async fn history(
        &self,
        until: NaiveDateTime,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<StoredNotice>, DbError> {
        let (offset, limit) = (
            i64::try_from(offset).unwrap_or(i64::MAX),
            i64::try_from(limit).unwrap_or(i64::MAX),
        );
        self.select(
            format!(
                "{SELECT_NOTICE} WHERE coalesce(starts_at, created_at) <= ?
                 ORDER BY coalesce(starts_at, created_at) DESC, id DESC LIMIT ? OFFSET ?"
            ),
            vec![timestamp(until), limit.into(), offset.into()],
        )
        .await
    }

    async fn select(
        &self,
        sql: String,
        values: Vec<duckdb::types::Value>,
    ) -> Result<Vec<StoredNotice>, DbError> {
        self.db
            .run(move |connection| {
                let mut notices = Vec::new();
                {
                    let mut statement = connection.prepare(&sql)?;
                    let mut rows = statement.query(duckdb::params_from_iter(values))?;
                    while let Some(row) = rows.next()? {
                        notices.push(notice_of(row)?);
                    }
                }
                for notice in &mut notices {
                    fill(connection, notice)?;
                }
                Ok(notices)
            })
            .await
    }
}

fn notice_of(row: &duckdb::Row<'_>) -> Result<StoredNotice, DbError> {
    let id: i64 = row.get(0)?;
    let kind: String = row.get(1)?;
    let impact: String = row.get(3)?;
    let reporter: String = row.get(4)?;
    Ok(StoredNotice {
        id: u64::try_from(id).unwrap_or_default(),
        kind: if kind == "maintenance" {
            NoticeKind::Maintenance
        } else {
            NoticeKind::Incident
        },
        title: row.get(2)?,
        impact: impact.parse().unwrap_or(Impact::Minor),
        reporter: if reporter == "alertmanager" {
            Reporter::Alertmanager
        } else {
            Reporter::Operator
        },
        alert_key: row.get(5)?,
        services: Vec::new(),
        created_at: row.get(6)?,
        updated_at: row.get(7)?,
        resolved_at: row.get(8)?,
        starts_at: row.get(9)?,
        ends_at: row.get(10)?,
        updates: Vec::new(),
    })
}

/// Reads a notice's services and timeline.
fn fill(connection: &duckdb::Connection, notice: &mut StoredNotice) -> Result<(), DbError> {
    let id = i64::try_from(notice.id).unwrap_or(i64::MAX);
    let mut services = connection.prepare_cached(
        "SELECT service FROM notice_services WHERE notice_id = ? ORDER BY position",
    )?;
    notice.services = services
        .query_map([id], |row| row.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    let mut updates = connection.prepare_cached(
        "SELECT posted_at, status, message FROM notice_updates WHERE notice_id = ? ORDER BY seq",
    )?;
    notice.updates = updates
        .query_map([id], |row| {
            let status: String = row.get(1)?;
            Ok(StoredUpdate {
                at: row.get(0)?,
                status: status.parse().unwrap_or(IncidentState::Investigating),
                message: row.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(())
}

fn write(tx: &duckdb::Transaction<'_>, notice: &StoredNotice) -> Result<(), DbError> {
    let id = i64::try_from(notice.id).unwrap_or(i64::MAX);
    let reporter = match notice.reporter {
        Reporter::Operator => "operator",
        Reporter::Alertmanager => "alertmanager",
    };
    tx.execute(
        "INSERT INTO notices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params![
            id,
            notice.kind.as_str(),
            notice.title,
            notice.impact.as_str(),
            reporter,
            notice.alert_key,
            notice.created_at,
            notice.updated_at,
            notice.resolved_at,
            notice.starts_at,
            notice.ends_at,
        ],
    )?;
    for (position, service) in notice.services.iter().enumerate() {
        tx.execute(
            "INSERT INTO notice_services VALUES (?, ?, ?)",
            params![id, i64::try_from(position).unwrap_or(i64::MAX), service],
        )?;
    }
    for (seq, update) in notice.updates.iter().enumerate() {
        tx.execute(
            "INSERT INTO notice_updates VALUES (?, ?, ?, ?, ?)",
            params![
                id,
                i64::try_from(seq).unwrap_or(i64::MAX),
                update.at,
                update.status.as_str(),
                update.message
            ],
        )?;
    }
    Ok(())
}

/// Deletes notice `id`'s rows; whether it existed.
fn delete_rows(tx: &duckdb::Transaction<'_>, id: u64) -> Result<bool, DbError> {
    let id = i64::try_from(id).unwrap_or(i64::MAX);
    tx.execute("DELETE FROM notice_updates WHERE notice_id = ?", [id])?;
    tx.execute("DELETE FROM notice_services WHERE notice_id = ?", [id])?;
    let existed = tx
        .query_row("SELECT 1 FROM notices WHERE id = ?", [id], |_| Ok(()))
        .optional()?
        .is_some();
    tx.execute("DELETE FROM notices WHERE id = ?", [id])?;
    Ok(existed)
}

/// A UTC time as a DuckDB parameter.
fn timestamp(at: NaiveDateTime) -> duckdb::types::Value {
    duckdb::types::Value::Timestamp(
        duckdb::types::TimeUnit::Microsecond,
        at.and_utc().timestamp_micros(),
    )
}
