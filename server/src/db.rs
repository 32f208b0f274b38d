//! The one DuckDB database: opening it with errors that say what to do,
//! versioned migrations, and running queries off the async runtime.
//!
//! Errors: `OpenError` at start-up (printed, the process exits), `DbError`
//! for queries (logged by the caller's layer, never shown to clients as SQL).

use std::{
    io::ErrorKind,
    path::{Path, PathBuf},
};

use duckdb::{Connection, DuckdbConnectionManager};

/// Schema changes, applied in order, each exactly once, all pending ones in
/// one transaction so a crash mid-migration leaves the previous schema.
const MIGRATIONS: &[(i32, &str)] = &[
    (
        1,
        "CREATE TABLE kpi_daily (
         day DATE NOT NULL,
         metric VARCHAR NOT NULL,
         value DOUBLE NOT NULL,
         recorded_at TIMESTAMP NOT NULL,
         PRIMARY KEY (day, metric)
     );
     CREATE TABLE porthole_meta (
         key VARCHAR PRIMARY KEY,
         value VARCHAR NOT NULL
     );",
    ),
    (
        2,
        "CREATE TABLE probe_results (
             checked_at TIMESTAMP NOT NULL,
             service VARCHAR NOT NULL,
             ok BOOLEAN NOT NULL,
             latency_ms DOUBLE,
             http_status INTEGER,
             error VARCHAR
         );
         CREATE TABLE probe_daily (
             day DATE NOT NULL,
             service VARCHAR NOT NULL,
             checks BIGINT NOT NULL,
             ok_checks BIGINT NOT NULL,
             latency_p50 DOUBLE,
             latency_p95 DOUBLE,
             PRIMARY KEY (day, service)
         );
         CREATE TABLE probe_incidents (
             service VARCHAR NOT NULL,
             started_at TIMESTAMP NOT NULL,
             ended_at TIMESTAMP,
             PRIMARY KEY (service, started_at)
         );",
    ),
    (
        3,
        "CREATE TABLE snapshots (
             id VARCHAR PRIMARY KEY,
             dashboard VARCHAR NOT NULL,
             taken_at BIGINT NOT NULL,
             expires_at BIGINT,
             revoked_at BIGINT,
             body VARCHAR NOT NULL
         );",
    ),
    (
        4,
        "CREATE SEQUENCE notice_ids START 1;
         CREATE TABLE notices (
             id BIGINT PRIMARY KEY,
             kind VARCHAR NOT NULL,
             title VARCHAR NOT NULL,
             impact VARCHAR NOT NULL,
             reporter VARCHAR NOT NULL,
             alert_key VARCHAR,
             created_at TIMESTAMP NOT NULL,
             updated_at TIMESTAMP NOT NULL,
             resolved_at TIMESTAMP,
             starts_at TIMESTAMP,
             ends_at TIMESTAMP
         );
         CREATE TABLE notice_services (
             notice_id BIGINT NOT NULL,
             position INTEGER NOT NULL,
             service VARCHAR NOT NULL,
             PRIMARY KEY (notice_id, service)
         );
         CREATE TABLE notice_updates (
             notice_id BIGINT NOT NULL,
             seq INTEGER NOT NULL,
             posted_at TIMESTAMP NOT NULL,
             status VARCHAR NOT NULL,
             message VARCHAR NOT NULL,
             PRIMARY KEY (notice_id, seq)
         );
         CREATE VIEW maintenance_windows AS
             SELECT s.service, n.starts_at, n.ends_at
             FROM notices n JOIN notice_services s ON s.notice_id = n.id
             WHERE n.kind = 'maintenance';",
    ),
    (
        5,
        "CREATE TABLE webhook_outbox (
             id VARCHAR PRIMARY KEY,
             webhook VARCHAR NOT NULL,
             event VARCHAR NOT NULL,
             payload VARCHAR NOT NULL,
             created_at TIMESTAMP NOT NULL,
             attempts INTEGER NOT NULL,
             next_attempt_at TIMESTAMP NOT NULL,
             delivered_at TIMESTAMP,
             failed_at TIMESTAMP,
             last_error VARCHAR
         );",
    ),
    (
        6,
        "CREATE TABLE heartbeats (
             service VARCHAR PRIMARY KEY,
             received_at TIMESTAMP NOT NULL
         );",
    ),
    (
        7,
        "ALTER TABLE probe_results ADD COLUMN cert_expires_at TIMESTAMP;",
    ),
];

/// Readers and the writer run on separate pooled connections, so a snapshot
/// being written never blocks pages from reading (DuckDB's MVCC).
const POOL_SIZE: u32 = 4;

/// A handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<DuckdbConnectionManager>,
    path: PathBuf,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("path", &self.path).finish()
    }
}

/// Why the database could not be opened; each names the path and the fix.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The directory or file may not be written by this user.
    #[error(
        "cannot open the KPI database {path}: permission denied; make the file and its directory writable by this user, or set DUCKDB_PATH / [kpi] path elsewhere"
    )]
    PermissionDenied {
        /// The database file.
        path: PathBuf,
    },
    /// The file system is mounted read-only.
    #[error(
        "cannot open the KPI database {path}: the file system is read-only; set DUCKDB_PATH / [kpi] path to a writable location"
    )]
    ReadOnly {
        /// The database file.
        path: PathBuf,
    },
    /// Another process holds DuckDB's write lock.
    #[error(
        "cannot open the KPI database {path}: another process has it open ({detail}); DuckDB allows one writer, so stop the other Porthole or point this one at another file"
    )]
    Locked {
        /// The database file.
        path: PathBuf,
        /// DuckDB's message, which names the other process.
        detail: String,
    },
    /// The file exists but is not a DuckDB database.
    #[error(
        "cannot open the KPI database {path}: the file is not a DuckDB database; move it away or set DUCKDB_PATH / [kpi] path to another file"
    )]
    NotDuckDb {
        /// The file.
        path: PathBuf,
    },
    /// Migrating the schema failed.
    #[error("cannot migrate the KPI database {path}: {detail}")]
    Migration {
        /// The database file.
        path: PathBuf,
        /// What failed.
        detail: String,
    },
    /// Anything else DuckDB or the file system reported.
    #[error("cannot open the KPI database {path}: {detail}")]
    Other {
        /// The database file.
        path: PathBuf,
        /// What failed.
        detail: String,
    },
}

/// A query failed. The detail is for logs only.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// DuckDB reported an error.
    #[error("database error: {0}")]
    Query(#[from] duckdb::Error),
    /// No pooled connection could be had.
    #[error("database connection unavailable: {0}")]
    Pool(#[from] r2d2::Error),
    /// The blocking task running the query panicked or was cancelled.
    #[error("database task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// A stored document could not be written or read back as JSON.
    #[error("stored document unreadable: {0}")]
    Encode(String),
}

impl Db {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Self, OpenError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| classify_io(path, &e))?;
        }
        let manager = DuckdbConnectionManager::file(path).map_err(|e| classify_duckdb(path, &e))?;
        let pool = r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(1))
            .build(manager)
            .map_err(|e| OpenError::Other {
                path: path.to_owned(),
                detail: e.to_string(),
            })?;
        let db = Self {
            pool,
            path: path.to_owned(),
        };
        db.migrate()?;
        Ok(db)
    }

    /// The database file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `work` on a pooled connection on a blocking thread, so DuckDB
    /// never stalls the async runtime.
    pub async fn run<T, F>(&self, work: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut connection = pool.get()?;
            work(&mut connection)
        })
        .await?
    }

    /// Runs `sql` with `params` off the async runtime and maps every row.
    pub async fn query<T, P, F>(
        &self,
        sql: &'static str,
        params: P,
        mut map: F,
    ) -> Result<Vec<T>, DbError>
    where
        T: Send + 'static,
        P: duckdb::Params + Send + 'static,
        F: FnMut(&duckdb::Row<'_>) -> duckdb::Result<T> + Send + 'static,
    {
        self.run(move |connection| {
            let mut statement = connection.prepare(sql)?;
            let rows = statement.query_map(params, |row| map(row))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Runs `work` on a pooled connection on this thread (command-line tools).
    pub fn run_blocking<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        work(&mut *self.connect()?)
    }

    /// A pooled connection for work on this thread (command-line tools).
    pub fn connect(&self) -> Result<r2d2::PooledConnection<DuckdbConnectionManager>, DbError> {
        Ok(self.pool.get()?)
    }

    fn migrate(&self) -> Result<(), OpenError> {
        let failed = |detail: String| OpenError::Migration {
            path: self.path.clone(),
            detail,
        };
        let mut connection = self.pool.get().map_err(|e| failed(e.to_string()))?;
        apply_migrations(&mut connection).map_err(|e| failed(e.to_string()))
    }
}

fn apply_migrations(connection: &mut Connection) -> Result<(), duckdb::Error> {
    let tx = connection.transaction()?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version INTEGER PRIMARY KEY,
             applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
         )",
    )?;
    let current: i32 = tx.query_row(
        "SELECT coalesce(max(version), 0) FROM schema_migrations",
        [],
        |row| row.get(0),
    )?;
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES (?)",
            [version],
        )?;
    }
    tx.commit()
}

fn classify_io(path: &Path, error: &std::io::Error) -> OpenError {
    let path = path.to_owned();
    match error.kind() {
        ErrorKind::PermissionDenied => OpenError::PermissionDenied { path },
        ErrorKind::ReadOnlyFilesystem => OpenError::ReadOnly { path },
        _ => OpenError::Other {
            detail: format!(
                "its directory cannot be created ({error}); set DUCKDB_PATH / [kpi] path to a file in a writable directory"
            ),
            path,
        },
    }
}

/// DuckDB reports open failures as text; these are the messages it uses.
fn classify_duckdb(path: &Path, error: &duckdb::Error) -> OpenError {
    let detail = error.to_string();
    let lower = detail.to_lowercase();
    let path = path.to_owned();
    if lower.contains("could not set lock") || lower.contains("conflicting lock") {
        OpenError::Locked { path, detail }
    } else if lower.contains("read-only file system") {
        OpenError::ReadOnly { path }
    } else if lower.contains("permission denied") || lower.contains("operation not permitted") {
        OpenError::PermissionDenied { path }
    } else if lower.contains("not a valid duckdb database")
        || lower.contains("invalid") && lower.contains("database file")
    {
        OpenError::NotDuckDb { path }
    } else {
        OpenError::Other { path, detail }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_creates_the_directory_and_migrates_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nested/dir/porthole.duckdb");
        let db = Db::open(&path).expect("opens");
        let versions: i64 = db
            .run_blocking(|c| {
                Ok(c.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))?)
            })
            .expect("query");
        assert_eq!(versions, MIGRATIONS.len() as i64);
        drop(db);
        let db = Db::open(&path).expect("reopens");
        let versions: i64 = db
            .run_blocking(|c| {
                Ok(c.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))?)
            })
            .expect("query");
        assert_eq!(versions, MIGRATIONS.len() as i64, "migrations run once");
    }

    #[test]
    fn a_file_that_is_not_duckdb_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("notes.duckdb");
        std::fs::write(
            &path,
            "these are not the bytes you are looking for".repeat(200),
        )
        .expect("write");
        let error = Db::open(&path).expect_err("refused");
        assert!(matches!(error, OpenError::NotDuckDb { .. }), "{error}");
        assert!(error.to_string().contains("notes.duckdb"));
    }

    #[test]
    fn file_system_errors_name_their_cause() {
        let path = Path::new("/srv/porthole.duckdb");
        let denied = classify_io(path, &std::io::Error::from(ErrorKind::PermissionDenied));
        assert!(matches!(denied, OpenError::PermissionDenied { .. }));
        let read_only = classify_io(path, &std::io::Error::from(ErrorKind::ReadOnlyFilesystem));
        assert!(matches!(read_only, OpenError::ReadOnly { .. }));
        assert!(read_only.to_string().contains("/srv/porthole.duckdb"));
        assert!(read_only.to_string().contains("DUCKDB_PATH"));
    }
}
