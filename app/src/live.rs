//! Auto refresh: while a dashboard's `refresh` is on, the browser follows
//! the server's event stream `/api/live/{dashboard}?range=&refresh=`, which
//! pushes every panel's data once per interval (the server computes each
//! frame once for all its viewers). The browser's `EventSource` reconnects
//! by itself after a drop.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::{ErrorBody, PanelData, TimeRange};
#[cfg(feature = "hydrate")]
use crate::view_state::Refresh;
use crate::view_state::ViewState;

/// One push: every panel of a dashboard for a range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveFrame {
    /// The dashboard.
    pub dashboard: String,
    /// The range every panel covers.
    pub range: TimeRange,
    /// Each panel's data or error, by panel id.
    pub panels: Vec<LivePanel>,
}

/// One panel in a frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LivePanel {
    /// The panel's id.
    pub panel: String,
    /// Its data, or why there is none.
    pub result: Result<PanelData, ErrorBody>,
}

/// The latest frame of the page's dashboard, provided as context to its
/// panels.
#[derive(Debug, Clone, Copy)]
pub struct LiveFrames(pub RwSignal<Option<LiveFrame>>);

/// The path of a dashboard's event stream for a view, if `dashboard` is a
/// dashboard's id.
pub fn stream_path(dashboard: &str, view: ViewState, token: Option<&str>) -> Option<String> {
    let route = porthole_model::Route::Live {
        dashboard: porthole_model::Id::new(dashboard)?,
    };
    Some(crate::signed_link::with_token(
        &route.href_with(&format!("range={}&refresh={}", view.range, view.refresh)),
        token,
    ))
}

/// Follows the event stream of `dashboard` while `view`'s refresh is on,
/// putting each frame into `live`; reconnects when the view changes.
pub fn follow(dashboard: String, view: Signal<ViewState>, live: RwSignal<Option<LiveFrame>>) {
    #[cfg(feature = "hydrate")]
    {
        use futures::StreamExt;
        use gloo_net::eventsource::futures::EventSource;

        let token = crate::signed_link::AccessToken::current();
        // The open stream; replacing it drops (closes) the previous one.
        let current = StoredValue::new_local(None::<EventSource>);
        Effect::new(move |_| {
            let view = view.get();
            current.set_value(None);
            // A fixed window does not move: there is nothing to follow.
            if view.refresh == Refresh::Off || view.span.is_some() {
                return;
            }
            let Some(Ok(mut source)) = stream_path(&dashboard, view, token.0.as_deref())
                .map(|path| EventSource::new(&path))
            else {
                return;
            };
            let Ok(mut frames) = source.subscribe("frame") else {
                return;
            };
            current.set_value(Some(source));
            leptos::task::spawn_local(async move {
                // Errors are drops the browser reconnects after; keep going.
                while let Some(event) = frames.next().await {
                    let Ok((_, message)) = event else { continue };
                    let frame = message
                        .data()
                        .as_string()
                        .and_then(|text| serde_json::from_str::<LiveFrame>(&text).ok());
                    if let Some(frame) = frame {
                        live.set(Some(frame));
                    }
                }
            });
        });
    }
    #[cfg(not(feature = "hydrate"))]
    {
        // Server-side renders show what they loaded; only browsers follow.
        let _ = (dashboard, view, live);
    }
}
