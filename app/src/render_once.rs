//! Builds each `<Suspense>`'s view once per server render instead of three
//! times.
//!
//! Before rendering, Leptos' `Suspense` walks its children twice with
//! `dry_resolve` (to find the resources they read), and each walk calls the
//! children's closure again. A `Suspend` whose data is already there is
//! polled to completion by that walk, so its whole view — a dashboard's
//! panels, each panel's charts drawn in three sizes and its table of up to
//! 500 formatted rows — was built twice only to be dropped, then a third
//! time for the page. Awaiting the data through [`loaded`] makes those
//! walks stop after it, before the view: they still see the resources
//! read, and the view is built once, when the page is rendered.

use std::{
    future::{Future, IntoFuture},
    pin::Pin,
    task::{Context, Poll},
};

/// `data`, awaited, then [`past_dry_resolve`]: what a `Suspend` awaits
/// before building its view.
pub async fn loaded<F: IntoFuture>(data: F) -> F::Output {
    let data = data.await;
    past_dry_resolve().await;
    data
}

/// Pending on its first poll, ready on the next: the walk's single poll
/// stops at it, the render's awaiting goes on (see the module's text).
/// In the browser, where no walk precedes the render, it is ready at once.
pub fn past_dry_resolve() -> PastDryResolve {
    PastDryResolve {
        polled: !cfg!(feature = "ssr"),
    }
}

/// The future [`past_dry_resolve`] returns.
#[derive(Debug)]
#[must_use = "it does nothing unless awaited"]
pub struct PastDryResolve {
    polled: bool,
}

impl Future for PastDryResolve {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.polled {
            return Poll::Ready(());
        }
        self.polled = true;
        // Ready to go on at once: only a caller that polls once (the walk)
        // stops here.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use futures::FutureExt;

    use super::*;

    #[test]
    fn a_single_poll_stops_at_it_and_the_next_goes_past() {
        let mut once = Box::pin(async {
            past_dry_resolve().await;
            "built"
        });
        assert_eq!(once.as_mut().now_or_never(), None);
        assert_eq!(once.as_mut().now_or_never(), Some("built"));
    }
}
