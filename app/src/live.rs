//! Auto refresh: while a dashboard's `refresh` is on, the browser follows
//! the server's event stream `/api/live/{dashboard}?range=&refresh=`, which
//! pushes every panel's data once per interval (the server computes each
//! frame once for all its viewers). The browser's `EventSource` reconnects
//! by itself after a drop.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use porthole_model::lang::Style;

use crate::components::panel::PanelWords;
use crate::model::{ErrorBody, PanelData, TimeRange};
use crate::view_state::{Refresh, ViewState};

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

/// What the browser needs to redraw a dashboard's panels in the page's
/// language, having no message files: the panels' words and the
/// language's style. [`LiveDashboard`] carries it, once for all its panels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelLanguage {
    /// The words the panels show.
    pub words: PanelWords,
    /// How the language writes numbers and dates.
    pub style: Style,
}

impl Default for PanelLanguage {
    /// The page's own, looked up where the page renders (the server): what
    /// the dashboard page hands [`LiveDashboard`] without naming it.
    fn default() -> Self {
        Self {
            words: PanelWords::lookup(),
            style: crate::words::page_style().as_ref().clone(),
        }
    }
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

/// Follows the event stream of `dashboard` for `view` (its refresh on, no
/// fixed window), putting each frame into `live`.
pub fn follow(
    dashboard: String,
    view: ViewState,
    token: Option<String>,
    live: RwSignal<Option<LiveFrame>>,
) {
    #[cfg(feature = "hydrate")]
    {
        use futures::StreamExt;
        use gloo_net::eventsource::futures::EventSource;

        // A fixed window does not move: there is nothing to follow.
        if view.refresh == Refresh::Off || view.span.is_some() {
            return;
        }
        let Some(Ok(mut source)) =
            stream_path(&dashboard, view, token.as_deref()).map(|path| EventSource::new(&path))
        else {
            return;
        };
        let Ok(mut frames) = source.subscribe("frame") else {
            return;
        };
        // Kept open for the page's life (the browser reconnects after a drop).
        let _open = StoredValue::new_local(source);
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
    }
    #[cfg(not(feature = "hydrate"))]
    {
        // Server-side renders show what they loaded; only browsers follow.
        let _ = (dashboard, view, token, live);
    }
}

/// The lazy islands of this module, each a WASM module of its own fetched
/// when a page has one. (Their generated loaders carry no docs.)
#[allow(missing_docs, reason = "the lazy islands' generated loaders")]
mod lazy_islands {
    use super::*;

    /// A dashboard's panels while auto refresh is on: follows the event stream
    /// and hands each frame to the [`LivePanel`]s among `children` (the panels,
    /// server HTML). Only rendered for a view that refreshes. The browser
    /// redraws the panels without message files: their words and the
    /// language's style come with it, once for all panels, looked up where
    /// the page renders it (the props' defaults).
    #[island(lazy)]
    pub(crate) fn LiveDashboard(
        /// The dashboard's id.
        dashboard: String,
        /// The range every panel shows.
        range: TimeRange,
        /// How often the server pushes a frame.
        refresh: Refresh,
        /// The page's signed-link token, if it has one.
        token: Option<String>,
        /// The panels' words and the language's style; by default the
        /// page's own.
        // Not `optional`, which an island takes for an `Option` (but the
        // same: a default when not given).
        #[prop(optional_no_strip)]
        language: PanelLanguage,
        /// The panels.
        children: Children,
    ) -> impl IntoView {
        let live = RwSignal::new(None::<LiveFrame>);
        provide_context(LiveFrames(live));
        let PanelLanguage { words, style } = language;
        provide_context(words);
        // The server has the page's language (and its style) already; only
        // the browser takes the style from here.
        #[cfg(not(feature = "ssr"))]
        crate::words::provide_style(style);
        #[cfg(feature = "ssr")]
        let _ = style;
        provide_context(crate::signed_link::AccessToken(token.clone()));
        let view = ViewState {
            range,
            refresh,
            ..ViewState::default()
        };
        follow(dashboard, view, token, live);
        view! { <div class="panels">{children()}</div> }
    }

    /// One panel under auto refresh: the server's rendering (`children`) until
    /// the first frame with its data arrives, then the browser's, redrawn from
    /// each frame in place.
    #[island(lazy)]
    pub(crate) fn LivePanel(
        /// The panel's id.
        panel: String,
        /// The range it shows; frames of another range are not for it.
        range: TimeRange,
        /// The viewer's zone over that range and the time ahead.
        zone: porthole_model::zone::Zone,
        /// The panel as the server rendered it.
        children: Children,
    ) -> impl IntoView {
        crate::page_view::provide_resolved(zone);
        let latest = RwSignal::new(None::<Result<PanelData, ErrorBody>>);
        if let Some(LiveFrames(live)) = use_context::<LiveFrames>() {
            Effect::new(move |_| {
                let Some(frame) = live.get() else { return };
                if frame.range != range {
                    return;
                }
                if let Some(update) = frame.panels.into_iter().find(|p| p.panel == panel) {
                    latest.set(Some(update.result));
                }
            });
        }
        let server = NodeRef::<leptos::html::Div>::new();
        // The server's rendering goes as the browser's first one comes.
        Effect::new(move |_| {
            if latest.read().is_some()
                && let Some(server) = server.get()
            {
                server.remove();
            }
        });
        view! {
            <div class="panel-body" node_ref=server>{children()}</div>
            {move || {
                latest
                    .get()
                    .map(|result| {
                        view! { <crate::components::panel::PanelResult result /> }
                    })
            }}
        }
    }
}
pub(crate) use lazy_islands::{LiveDashboard, LivePanel};
