//! What every source of panel data answers to: [`PanelFeed`]. One
//! implementation per kind of source (KPI store, Prometheus charts, alerts,
//! service checks, the overview's headline); `Panels` picks the feed of a
//! panel in one place and keeps windowing and caching for all of them.

use app::model::{ErrorBody, ErrorKind, PanelContent};
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;

use crate::dashboards::PanelDef;

/// A panel's content, with when its data went stale (if it did).
pub type Content = (PanelContent, Option<i64>);

/// The window a panel is asked for.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// Its start, Unix seconds.
    pub from: i64,
    /// Its end: the answer is as it was then.
    pub to: DateTime<Utc>,
    /// Whether the viewer fixed the window (`from`/`to`) rather than a
    /// range back from now.
    pub fixed: bool,
}

/// A source of panel data.
pub trait PanelFeed: Send + Sync {
    /// How long this feed's answers stay current, in seconds.
    fn refresh_seconds(&self) -> u64 {
        60
    }

    /// `panel`'s content over `window`.
    fn content<'a>(
        &'a self,
        panel: &'a PanelDef,
        window: Window,
    ) -> BoxFuture<'a, Result<Content, ErrorBody>>;

    /// Whether what this feed shows is demo data.
    fn is_demo(&self) -> BoxFuture<'_, Result<bool, ErrorBody>> {
        Box::pin(async { Ok(false) })
    }
}

/// The answer of a feed asked for a panel that is not its own, which
/// `Panels` never does.
pub fn misrouted(panel: &PanelDef, feed: &str) -> ErrorBody {
    tracing::error!(panel = %panel.id, feed, "a panel was sent to a feed that does not serve it");
    ErrorBody::new(ErrorKind::Internal, "this panel cannot be drawn")
}
