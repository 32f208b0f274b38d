//! Tells webhooks when maintenance begins and ends: every few seconds, the
//! windows whose start or end passed in the last day are turned into
//! `maintenance.started` and `maintenance.completed` events. Their keys make
//! each one stored once, however many looks (or restarts) see it.

use std::{sync::Arc, time::Duration};

use chrono::{TimeDelta, Utc};

use super::{Event, Outbox};
use crate::{
    config::ServiceConfig,
    notices::{
        NoticeStore,
        view::{NoticeView, ServiceNames, millis, view},
    },
};

/// How often windows are looked at.
const EVERY: Duration = Duration::from_secs(5);

/// How far back a look reaches: a start or end missed while Porthole was
/// down for less than this is still told.
const LOOK_BACK: TimeDelta = TimeDelta::days(1);

/// Watches `notices` for `services`' maintenance until the runtime ends.
pub async fn run(notices: NoticeStore, services: Arc<Vec<ServiceConfig>>, outbox: Outbox) {
    if outbox.hooks().is_empty() {
        return;
    }
    let names = ServiceNames::of(&services);
    let mut ticks = tokio::time::interval(EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let now = Utc::now().naive_utc();
        let windows = match notices.maintenance_boundaries(now - LOOK_BACK, now).await {
            Ok(windows) => windows,
            Err(error) => {
                tracing::error!(%error, "cannot read maintenance for webhooks");
                continue;
            }
        };
        for notice in &windows {
            let NoticeView::Maintenance(window) = view(notice, &names) else {
                continue;
            };
            let now = millis(now);
            if window.starts_at <= now {
                outbox
                    .enqueue_or_log(&Event::maintenance_started(&window))
                    .await;
            }
            if window.ends_at <= now {
                outbox
                    .enqueue_or_log(&Event::maintenance_completed(&window))
                    .await;
            }
        }
    }
}
