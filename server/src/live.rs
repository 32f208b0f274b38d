//! Auto refresh: one producer per (dashboard, range, interval) computes a
//! frame of every panel once per interval and broadcasts it to every viewer
//! following that dashboard; it stops when the last viewer leaves.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use app::{
    live::{LiveFrame, LivePanel},
    model::{ErrorBody, PanelQuery, TimeRange},
};
use tokio::sync::broadcast;

use crate::{metrics::Metrics, panels::Panels};

/// What viewers follow: a dashboard, a range and an interval in seconds.
type StreamKey = (String, TimeRange, u64);

/// Frames queued per viewer; a viewer further behind skips to the newest.
const BACKLOG: usize = 4;

/// The running producers.
#[derive(Debug)]
pub struct LiveHub {
    panels: Arc<Panels>,
    metrics: Arc<Metrics>,
    streams: Mutex<HashMap<StreamKey, broadcast::Sender<Arc<str>>>>,
}

impl LiveHub {
    /// A hub computing frames with `panels`.
    pub fn new(panels: Arc<Panels>, metrics: Arc<Metrics>) -> Self {
        Self {
            panels,
            metrics,
            streams: Mutex::default(),
        }
    }

    /// Frames (JSON) of `dashboard` for `range` every `every`, starting
    /// with one now for a new stream; joins the running producer if there
    /// is one.
    pub fn subscribe(
        self: &Arc<Self>,
        dashboard: String,
        range: TimeRange,
        every: Duration,
    ) -> Result<broadcast::Receiver<Arc<str>>, ErrorBody> {
        self.panels.layout(&dashboard)?;
        let key = (dashboard, range, every.as_secs());
        let mut streams = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(sender) = streams.get(&key) {
            return Ok(sender.subscribe());
        }
        let (sender, receiver) = broadcast::channel(BACKLOG);
        streams.insert(key.clone(), sender.clone());
        tokio::spawn(self.clone().produce(key, sender, every));
        Ok(receiver)
    }

    /// Computes and sends a frame per interval until nobody listens.
    async fn produce(
        self: Arc<Self>,
        key: StreamKey,
        sender: broadcast::Sender<Arc<str>>,
        every: Duration,
    ) {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if self.stop_if_unwatched(&key, &sender) {
                return;
            }
            let frame = self.frame(&key.0, key.1).await;
            self.metrics.count_live_frame();
            // An error here means every viewer left since the check above;
            // the next tick notices and stops.
            let _ = sender.send(frame);
        }
    }

    /// Removes the stream when it has no viewers; true if it did.
    fn stop_if_unwatched(&self, key: &StreamKey, sender: &broadcast::Sender<Arc<str>>) -> bool {
        let mut streams = self.streams.lock().unwrap_or_else(|e| e.into_inner());
        // Checked under the lock, so nobody subscribes to a stream that is
        // about to end.
        if sender.receiver_count() == 0 {
            streams.remove(key);
            true
        } else {
            false
        }
    }

    /// Every panel of `dashboard` for `range`, as one JSON frame.
    async fn frame(&self, dashboard: &str, range: TimeRange) -> Arc<str> {
        let now = chrono::Utc::now();
        let ids: Vec<String> = self
            .panels
            .layout(dashboard)
            .map(|layout| layout.panels.into_iter().map(|p| p.id).collect())
            .unwrap_or_default();
        let results = futures::future::join_all(ids.iter().map(|panel| {
            let query = PanelQuery {
                dashboard: dashboard.to_owned(),
                panel: panel.clone(),
                range,
                span: None,
                token: None,
            };
            async move { self.panels.panel_at(&query, now).await }
        }))
        .await;
        let frame = LiveFrame {
            dashboard: dashboard.to_owned(),
            range,
            panels: ids
                .into_iter()
                .zip(results)
                .map(|(panel, result)| LivePanel { panel, result })
                .collect(),
        };
        Arc::from(serde_json::to_string(&frame).unwrap_or_else(|error| {
            tracing::error!(%error, "cannot encode a live frame");
            String::from("null")
        }))
    }
}
