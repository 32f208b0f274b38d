//! Moving KPI history in and out of the store as files: CSV import, and
//! CSV/Parquet backups written by DuckDB's own COPY.

use std::path::Path;

use chrono::Utc;

use crate::db::{Db, DbError};

/// File formats [`export`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Apache Parquet.
    Parquet,
    /// CSV with a header row.
    Csv,
}

/// Why an import was refused; nothing is written in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read as the expected CSV.
    #[error("cannot read {path} as KPI CSV: {detail}")]
    Unreadable {
        /// The file.
        path: String,
        /// DuckDB's message about the file.
        detail: String,
    },
    /// The file names metrics Porthole does not accept.
    #[error(
        "{path} has unknown metrics: {unknown}; known metrics are {known}; add others under [kpi] metrics in porthole.toml"
    )]
    UnknownMetrics {
        /// The file.
        path: String,
        /// The metrics not accepted.
        unknown: String,
        /// The metrics accepted.
        known: String,
    },
    /// Writing failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Loads `path` into the store, replacing stored values of the same day and
/// metric, in one transaction. Returns the number of values loaded. Demo data
/// is removed, as by any real write.
pub fn import_csv(db: &Db, path: &Path, known: &[String]) -> Result<usize, ImportError> {
    let file = path.display().to_string();
    let unreadable = |error: duckdb::Error| ImportError::Unreadable {
        path: file.clone(),
        detail: error.to_string(),
    };
    let mut connection = db.connect()?;
    {
        let tx = connection.transaction()?;
        let source = sql_string(&file);
        let columns: Vec<String> = {
            let mut statement = tx
                .prepare(&format!(
                    "DESCRIBE SELECT * FROM read_csv({source}, header = true)"
                ))
                .map_err(unreadable)?;
            statement
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(unreadable)?
                .collect::<Result<_, _>>()
                .map_err(unreadable)?
        };
        let long = columns.iter().any(|c| c == "metric");
        let rows = if long {
            format!(
                "SELECT CAST(date AS DATE) AS day, CAST(metric AS VARCHAR) AS metric, CAST(value AS DOUBLE) AS value
                 FROM read_csv({source}, header = true)"
            )
        } else {
            format!(
                "SELECT CAST(date AS DATE) AS day, metric, CAST(value AS DOUBLE) AS value
                 FROM (UNPIVOT (SELECT * FROM read_csv({source}, header = true))
                       ON COLUMNS(* EXCLUDE (date)) INTO NAME metric VALUE value)"
            )
        };
        tx.execute_batch(&format!("CREATE TEMP TABLE import_rows AS {rows}"))
            .map_err(unreadable)?;
        let unknown: Vec<String> = {
            let mut statement =
                tx.prepare("SELECT DISTINCT metric FROM import_rows ORDER BY metric")?;
            let metrics = statement
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            metrics.into_iter().filter(|m| !known.contains(m)).collect()
        };
        if !unknown.is_empty() {
            return Err(ImportError::UnknownMetrics {
                path: file.clone(),
                unknown: unknown.join(", "),
                known: known.join(", "),
            });
        }
        tx.execute_batch(
            "DELETE FROM kpi_daily WHERE EXISTS (SELECT 1 FROM porthole_meta WHERE key = 'demo');
             DELETE FROM porthole_meta WHERE key = 'demo';",
        )?;
        let loaded = tx.execute(
            "INSERT OR REPLACE INTO kpi_daily
             SELECT day, metric, value, ? FROM import_rows WHERE value IS NOT NULL",
            [Utc::now().naive_utc()],
        )?;
        tx.execute_batch("DROP TABLE import_rows")?;
        tx.commit()?;
        Ok(loaded)
    }
}

impl From<duckdb::Error> for ImportError {
    fn from(error: duckdb::Error) -> Self {
        ImportError::Db(DbError::Query(error))
    }
}

/// Writes every stored KPI (`date, metric, value, recorded_at`) to `out`.
pub fn export(db: &Db, out: &Path, format: ExportFormat) -> Result<usize, DbError> {
    let format = match format {
        ExportFormat::Parquet => "FORMAT parquet",
        ExportFormat::Csv => "FORMAT csv, HEADER true",
    };
    let target = sql_string(&out.display().to_string());
    db.run_blocking(|connection| {
        Ok(connection.execute(
            &format!(
                "COPY (SELECT day AS date, metric, value, recorded_at FROM kpi_daily ORDER BY day, metric)
                 TO {target} ({format})"
            ),
            [],
        )?)
    })
}

/// A SQL string literal; COPY and read_csv take file names as literals.
fn sql_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::{KpiStore, WELL_KNOWN};

    fn known() -> Vec<String> {
        WELL_KNOWN.iter().map(|m| (*m).to_owned()).collect()
    }

    fn db_in(dir: &Path) -> Db {
        Db::open(&dir.join("kpi.duckdb")).expect("db")
    }

    #[tokio::test]
    async fn long_and_wide_csv_both_load_and_replace_by_day() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = db_in(dir.path());
        let long = dir.path().join("long.csv");
        std::fs::write(
            &long,
            "date,metric,value\n2026-01-01,total_users,5\n2026-01-02,total_users,6\n",
        )
        .expect("write");
        assert_eq!(import_csv(&db, &long, &known()).expect("imports"), 2);
        let wide = dir.path().join("wide's.csv");
        std::fs::write(
            &wide,
            "date,total_users,verified_users\n2026-01-02,7,1\n2026-01-03,8,\n",
        )
        .expect("write");
        assert_eq!(
            import_csv(&db, &wide, &known()).expect("imports"),
            3,
            "empty cells skipped"
        );
        let store = KpiStore::new(db);
        let series = store.full_series("total_users").await.expect("series");
        let values: Vec<f64> = series.iter().map(|(_, v)| *v).collect();
        assert_eq!(values, [5.0, 7.0, 8.0], "Jan 2 replaced, not duplicated");
    }

    #[test]
    fn unknown_metrics_and_bad_files_write_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = db_in(dir.path());
        let file = dir.path().join("kpis.csv");
        std::fs::write(
            &file,
            "date,metric,value\n2026-01-01,total_users,5\n2026-01-01,signups,2\n",
        )
        .expect("write");
        let error = import_csv(&db, &file, &known()).expect_err("refused");
        assert!(error.to_string().contains("signups"), "{error}");
        std::fs::write(&file, "date,metric,value\nnot-a-date,total_users,5\n").expect("write");
        let error = import_csv(&db, &file, &known()).expect_err("refused");
        assert!(matches!(error, ImportError::Unreadable { .. }), "{error}");
        let error =
            import_csv(&db, &dir.path().join("missing.csv"), &known()).expect_err("refused");
        assert!(error.to_string().contains("missing.csv"), "{error}");
        let rows: i64 = db
            .run_blocking(|c| Ok(c.query_row("SELECT count(*) FROM kpi_daily", [], |r| r.get(0))?))
            .expect("count");
        assert_eq!(rows, 0);
    }

    #[test]
    fn exports_round_trip_through_import() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = db_in(dir.path());
        let file = dir.path().join("in.csv");
        std::fs::write(
            &file,
            "date,metric,value\n2026-01-01,total_users,5\n2026-01-01,verified_users,2\n",
        )
        .expect("write");
        import_csv(&db, &file, &known()).expect("imports");
        let csv = dir.path().join("backup.csv");
        assert_eq!(export(&db, &csv, ExportFormat::Csv).expect("csv"), 2);
        let parquet = dir.path().join("backup.parquet");
        assert_eq!(
            export(&db, &parquet, ExportFormat::Parquet).expect("parquet"),
            2
        );
        let magic = std::fs::read(&parquet).expect("read");
        assert_eq!(&magic[..4], b"PAR1");

        let other = Db::open(&dir.path().join("other.duckdb")).expect("db");
        assert_eq!(import_csv(&other, &csv, &known()).expect("re-imports"), 2);
    }
}
