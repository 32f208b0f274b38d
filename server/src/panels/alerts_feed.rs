//! The alerts panel: the upstream's active alerts, firing first.

use app::model::phrases;
use app::{
    calendar::format_instant,
    model::{ErrorBody, ErrorKind, PanelContent},
};
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;

use super::{
    feed::{Content, PanelFeed, Window, misrouted},
    prom_feed::{PromFeed, upstream_failed},
};
use crate::{
    dashboards::{Feed, PanelDef},
    prom::{
        Freshness,
        result::{self, Alert},
    },
};

/// Alerts read through the upstream's proxy.
#[derive(Debug, Clone)]
pub struct AlertsFeed(pub PromFeed);

impl PanelFeed for AlertsFeed {
    fn refresh_seconds(&self) -> u64 {
        self.0.refresh_seconds()
    }

    fn content<'a>(
        &'a self,
        panel: &'a PanelDef,
        window: Window,
    ) -> BoxFuture<'a, Result<Content, ErrorBody>> {
        Box::pin(async move {
            match panel.feed {
                Feed::Alerts => self.alerts(window.to).await,
                _ => Err(misrouted(panel, "alerts")),
            }
        })
    }
}

impl AlertsFeed {
    /// The upstream's active alerts, firing first.
    async fn alerts(&self, now: DateTime<Utc>) -> Result<Content, ErrorBody> {
        let prom = &self.0;
        let planned = prom.proxy.plan_alerts(now.timestamp_millis());
        let served = prom
            .proxy
            .run(&planned)
            .await
            .map_err(|e| upstream_failed("alerts", &e))?;
        let mut alerts = result::alerts(&served.answer.body)
            .map_err(|e| ErrorBody::new(ErrorKind::Execution, e))?;
        alerts.sort_by(|a, b| {
            (b.state == "firing")
                .cmp(&(a.state == "firing"))
                .then(a.active_at.cmp(&b.active_at))
        });
        let stale_since = (served.freshness == Freshness::Stale)
            .then(|| served.answer.fetched_at.div_euclid(1000));
        Ok((
            PanelContent::Table {
                columns: [
                    phrases::ALERT.1,
                    phrases::SEVERITY.1,
                    phrases::STATE.1,
                    phrases::ACTIVE_SINCE.1,
                    phrases::SUMMARY.1,
                ]
                .map(str::to_owned)
                .to_vec(),
                rows: alerts.iter().map(alert_row).collect(),
                empty: phrases::NO_ACTIVE_ALERTS.1.to_owned(),
                instants: vec![3],
            },
            stale_since,
        ))
    }
}

/// One alert as a table row.
fn alert_row(alert: &Alert) -> Vec<String> {
    let label = |name: &str| alert.labels.get(name).cloned().unwrap_or_default();
    let since = alert
        .active_at
        .as_deref()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map_or_else(String::new, |t| format_instant(t.timestamp()));
    let summary = alert
        .annotations
        .get("summary")
        .or_else(|| alert.annotations.get("description"))
        .cloned()
        .unwrap_or_default();
    vec![
        label("alertname"),
        label("severity"),
        alert.state.clone(),
        since,
        summary,
    ]
}
