//! A replica's KPIs, copied from the primary that owns the KPI database
//! (`[kpi] follow`): every `follow_every`, the primary's
//! `/api/v1/analytics/export.csv` is loaded into this replica's own store,
//! replacing the values of the same day and KPI, in one transaction.
//!
//! While the primary shows demo history, nothing is copied: the replica
//! shows its own, from the same generator. A failed copy is logged and
//! tried again next time; the replica keeps serving what it has.

use std::{sync::Arc, time::Duration};

use serde::Deserialize;

use super::{KpiStore, transfer::ImportError};
use crate::config::KpiFollow;

/// The longest one copy may take.
const COPY_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a copy did not happen.
#[derive(Debug, thiserror::Error)]
pub enum FollowError {
    /// The primary did not answer, or not with its KPIs.
    #[error("cannot read KPIs from the primary {primary}: {source}")]
    Primary {
        /// The primary's URL.
        primary: String,
        /// What failed.
        source: reqwest::Error,
    },
    /// The copy could not be written here.
    #[error("cannot store the primary's KPIs: {0}")]
    Store(#[from] ImportError),
    /// The copy's file could not be written.
    #[error("cannot write the primary's KPIs to {path}: {source}")]
    File {
        /// The file.
        path: String,
        /// What failed.
        source: std::io::Error,
    },
}

/// The part of the primary's `/api/v1/analytics/health` a replica reads.
#[derive(Deserialize)]
struct PrimaryHealth {
    demo: bool,
}

/// Copies KPIs from the primary every `follow.every`, for ever.
pub async fn follow(kpi: KpiStore, known: Arc<Vec<String>>, follow: KpiFollow) {
    let client = match reqwest::Client::builder().timeout(COPY_TIMEOUT).build() {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "cannot build the HTTP client to follow the primary");
            return;
        }
    };
    let mut ticks = tokio::time::interval(follow.every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match copy_once(&kpi, &known, &client, &follow.primary).await {
            Ok(Some(values)) => tracing::debug!(values, "copied KPIs from the primary"),
            Ok(None) => tracing::debug!("the primary shows demo history; nothing copied"),
            Err(error) => tracing::warn!(%error, "KPIs not copied this time"),
        }
    }
}

/// One copy: the number of values loaded, or `None` while the primary
/// shows demo history.
pub async fn copy_once(
    kpi: &KpiStore,
    known: &[String],
    client: &reqwest::Client,
    primary: &reqwest::Url,
) -> Result<Option<usize>, FollowError> {
    let failed = |source| FollowError::Primary {
        primary: primary.to_string(),
        source,
    };
    let get = |path: &str| {
        let url = primary.join(path).unwrap_or_else(|_| primary.clone());
        client.get(url).send()
    };
    let health: PrimaryHealth = get("api/v1/analytics/health")
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(failed)?
        .json()
        .await
        .map_err(failed)?;
    if health.demo {
        return Ok(None);
    }
    let csv = get("api/v1/analytics/export.csv")
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(failed)?
        .bytes()
        .await
        .map_err(failed)?;
    let path = kpi.database_path().with_extension("from-primary.csv");
    tokio::fs::write(&path, &csv)
        .await
        .map_err(|source| FollowError::File {
            path: path.display().to_string(),
            source,
        })?;
    let loaded = kpi.import_csv(path.clone(), known.to_vec()).await;
    let _ = tokio::fs::remove_file(&path).await;
    Ok(Some(loaded?))
}
