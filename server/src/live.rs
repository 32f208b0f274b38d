//! Auto refresh: one producer per (dashboard, range, interval) computes a
//! frame of every panel once per interval and broadcasts it to every viewer
//! following that dashboard; it stops when the last viewer leaves.
//!
//! A viewer gets the whole frame first (and again after falling behind),
//! then only the panels whose data changed since the frame before: a quiet
//! dashboard costs its viewers next to nothing per interval.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use app::{
    live::{LiveFrame, LivePanel},
    model::{ErrorBody, PanelQuery, TimeRange},
};
use bytes::Bytes;
use tokio::sync::broadcast;

use crate::{
    metrics::Metrics,
    panels::{Admission, Panels},
};

/// What viewers follow: a dashboard, a range and an interval in seconds.
type StreamKey = (String, TimeRange, u64);

/// Frames queued per viewer; a viewer further behind skips to the newest.
const BACKLOG: usize = 4;

/// What a stream broadcasts once per interval, encoded once as
/// server-sent events that every viewer's response shares (no copy per
/// viewer).
#[derive(Debug, Clone)]
pub struct Tick {
    /// Every panel (a `frame` event of a [`LiveFrame`]): for a viewer's
    /// first frame, and for one that skipped ticks.
    pub whole: Bytes,
    /// Only the panels whose data changed since the tick before, as a
    /// `frame` event of a [`LiveFrame`] of those; `None` when none did.
    pub changes: Option<Bytes>,
}

/// How often an idle event stream gets a comment, so proxies and browsers
/// keep it open.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The comment an idle event stream gets every [`KEEP_ALIVE`].
pub const KEEP_ALIVE_COMMENT: Bytes = Bytes::from_static(b":\n\n");

/// The running producers.
#[derive(Debug)]
pub struct LiveHub {
    panels: Arc<Panels>,
    metrics: Arc<Metrics>,
    streams: Mutex<HashMap<StreamKey, broadcast::Sender<Tick>>>,
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

    /// Ticks of `dashboard` for `range` every `every`, starting with one
    /// now for a new stream; joins the running producer if there is one. A
    /// private dashboard streams only to an `admission` for it.
    pub fn subscribe(
        self: &Arc<Self>,
        dashboard: String,
        range: TimeRange,
        every: Duration,
        admission: &Admission,
    ) -> Result<broadcast::Receiver<Tick>, ErrorBody> {
        self.panels.layout(&dashboard, admission)?;
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
        sender: broadcast::Sender<Tick>,
        every: Duration,
    ) {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut previous = Vec::new();
        loop {
            ticks.tick().await;
            if self.stop_if_unwatched(&key, &sender) {
                return;
            }
            let frame = self.frame(&key.0, key.1).await;
            self.metrics.count_live_frame();
            let (tick, panels) = encode(frame, &previous);
            previous = panels;
            // An error here means every viewer left since the check above;
            // the next tick notices and stops.
            let _ = sender.send(tick);
        }
    }

    /// Removes the stream when it has no viewers; true if it did.
    fn stop_if_unwatched(&self, key: &StreamKey, sender: &broadcast::Sender<Tick>) -> bool {
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

    /// Every panel of `dashboard` for `range`, as one frame.
    async fn frame(&self, dashboard: &str, range: TimeRange) -> LiveFrame {
        let now = chrono::Utc::now();
        // Every viewer of this stream was admitted when subscribing.
        let ids: Vec<String> = self
            .panels
            .layout(dashboard, &Admission::Operator)
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
            async move {
                self.panels
                    .panel_at(&query, now, &Admission::Operator)
                    .await
            }
        }))
        .await;
        LiveFrame {
            dashboard: dashboard.to_owned(),
            range,
            panels: ids
                .into_iter()
                .zip(results)
                .map(|(panel, result)| LivePanel { panel, result })
                .collect(),
        }
    }
}

/// Each panel's id and its result's JSON, as the tick before sent them.
type SentPanels = Vec<(String, String)>;

/// `frame` as a [`Tick`] (whole, and the panels changed since `previous`),
/// with what to compare the next frame with.
fn encode(frame: LiveFrame, previous: &SentPanels) -> (Tick, SentPanels) {
    let sent: SentPanels = frame
        .panels
        .iter()
        .map(|p| (p.panel.clone(), json(&p.result)))
        .collect();
    let changed: Vec<LivePanel> = frame
        .panels
        .iter()
        .zip(&sent)
        .filter(|(_, now)| !previous.contains(*now))
        .map(|(panel, _)| panel.clone())
        .collect();
    let changes = (!changed.is_empty()).then(|| {
        frame_event(&json(&LiveFrame {
            dashboard: frame.dashboard.clone(),
            range: frame.range,
            panels: changed,
        }))
    });
    let whole = frame_event(&json(&frame));
    (Tick { whole, changes }, sent)
}

/// `json` as one server-sent `frame` event. JSON escapes line breaks
/// inside strings, so it is always a single `data` line.
fn frame_event(json: &str) -> Bytes {
    Bytes::from(format!("event: frame\ndata: {json}\n\n"))
}

/// `value` as JSON; wire types always encode, so a failure is logged and
/// sent as `null`, which viewers ignore.
fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|error| {
        tracing::error!(%error, "cannot encode a live frame");
        String::from("null")
    })
}

/// The most event streams open at once, all clients together.
pub const MAX_STREAMS: usize = 10_000;

/// The most event streams one client (an IPv4 address or an IPv6 /64)
/// keeps open at once.
pub const MAX_STREAMS_PER_CLIENT: usize = 32;

/// The longest one event stream stays open; the browser's `EventSource`
/// reconnects by itself, so a viewer sees no gap.
pub const MAX_STREAM_LIFETIME: Duration = Duration::from_secs(3_600);

/// Open event streams, counted so that strangers cannot hold more than
/// [`MAX_STREAMS`] (or [`MAX_STREAMS_PER_CLIENT`] each). Lives with the
/// process, across configuration reloads.
#[derive(Debug, Clone, Default)]
pub struct StreamSlots {
    open: Arc<Mutex<OpenStreams>>,
}

#[derive(Debug, Default)]
struct OpenStreams {
    total: usize,
    per_client: HashMap<std::net::IpAddr, usize>,
}

/// One open stream's slot, given back when dropped.
#[derive(Debug)]
pub struct StreamSlot {
    slots: StreamSlots,
    client: Option<std::net::IpAddr>,
}

/// Why a stream was refused: the message says which cap.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlotRefused {
    /// Every slot is taken.
    #[error("this server streams to as many viewers as it may; reload the page later")]
    Full,
    /// This client holds its share.
    #[error("your address already has {MAX_STREAMS_PER_CLIENT} live streams open; close some tabs")]
    ClientFull,
}

impl StreamSlots {
    /// A slot for a stream to `client` (`None`: a client without a socket,
    /// counted only in the total).
    pub fn take(&self, client: Option<std::net::IpAddr>) -> Result<StreamSlot, SlotRefused> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.total >= MAX_STREAMS {
            return Err(SlotRefused::Full);
        }
        if let Some(client) = client {
            let held = open.per_client.entry(client).or_default();
            if *held >= MAX_STREAMS_PER_CLIENT {
                return Err(SlotRefused::ClientFull);
            }
            *held += 1;
        }
        open.total += 1;
        Ok(StreamSlot {
            slots: self.clone(),
            client,
        })
    }

    /// How many streams are open.
    pub fn open(&self) -> usize {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).total
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|e| e.into_inner());
        open.total = open.total.saturating_sub(1);
        if let Some(client) = self.client
            && let Some(held) = open.per_client.get_mut(&client)
        {
            *held = held.saturating_sub(1);
            if *held == 0 {
                open.per_client.remove(&client);
            }
        }
    }
}

#[cfg(test)]
mod slot_tests {
    use super::*;

    #[test]
    fn slots_are_capped_per_client_and_given_back() {
        let slots = StreamSlots::default();
        let client = Some("203.0.113.9".parse().expect("ip"));
        let held: Vec<StreamSlot> = (0..MAX_STREAMS_PER_CLIENT)
            .map(|_| slots.take(client).expect("within the cap"))
            .collect();
        assert_eq!(
            slots.take(client).expect_err("past the cap"),
            SlotRefused::ClientFull
        );
        assert!(
            slots
                .take(Some("203.0.113.10".parse().expect("ip")))
                .is_ok()
        );
        drop(held);
        assert_eq!(slots.open(), 0, "every slot came back");
        assert!(slots.take(client).is_ok());
    }
}

#[cfg(test)]
mod tick_tests {
    use app::model::ErrorKind;

    use super::*;

    fn frame(results: &[(&str, &str)]) -> LiveFrame {
        LiveFrame {
            dashboard: "overview".to_owned(),
            range: TimeRange::default(),
            panels: results
                .iter()
                .map(|(panel, message)| LivePanel {
                    panel: (*panel).to_owned(),
                    result: Err(ErrorBody::new(ErrorKind::Unavailable, *message)),
                })
                .collect(),
        }
    }

    /// The panels of a `frame` event, read as an `EventSource` reads it.
    fn panels_of(event: &[u8]) -> Vec<String> {
        let text = std::str::from_utf8(event).expect("UTF-8");
        let json = text
            .strip_prefix("event: frame\ndata: ")
            .and_then(|rest| rest.strip_suffix("\n\n"))
            .expect("one frame event");
        assert!(!json.contains('\n'), "one data line");
        let frame: LiveFrame = serde_json::from_str(json).expect("a frame");
        frame.panels.into_iter().map(|p| p.panel).collect()
    }

    #[test]
    fn ticks_carry_the_whole_frame_and_only_what_changed() {
        let (first, sent) = encode(frame(&[("users", "a"), ("latency", "b")]), &Vec::new());
        assert_eq!(panels_of(&first.whole), ["users", "latency"]);
        assert_eq!(
            panels_of(first.changes.as_deref().expect("all new")),
            ["users", "latency"]
        );

        let (second, sent) = encode(frame(&[("users", "a"), ("latency", "c")]), &sent);
        assert_eq!(panels_of(&second.whole), ["users", "latency"]);
        assert_eq!(
            panels_of(second.changes.as_deref().expect("one changed")),
            ["latency"]
        );

        let (third, _) = encode(frame(&[("users", "a"), ("latency", "c")]), &sent);
        assert_eq!(panels_of(&third.whole), ["users", "latency"]);
        assert!(third.changes.is_none(), "nothing changed, nothing to send");
    }
}
