//! Where a page is: its route in Porthole's URL space (the route model,
//! [`porthole_model::Route`]) and, when known, the public URL visitors
//! reach the site at.

use leptos::prelude::*;
use porthole_model::Route;

/// Where visitors reach this site (`scheme://host[:port]`), as the server
/// knows it for this request: `[server] public_url`, or what a trusted
/// proxy said. `None`: pages link relatively and leave out what needs an
/// absolute URL, rather than echo a client's `Host`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicUrl(pub Option<String>);

impl PublicUrl {
    /// The public URL of the page being rendered (provided as context by
    /// the server).
    pub fn current() -> Self {
        use_context::<Self>().unwrap_or_default()
    }

    /// `href` (a path and query) as an absolute URL, if the site's URL is
    /// known.
    pub fn absolute(&self, href: &str) -> Option<String> {
        self.0.as_ref().map(|base| format!("{base}{href}"))
    }
}

/// The route of the page being shown, read from its path with the route
/// model (on the server, the path the access guard already admitted).
pub fn current_route() -> Option<Route> {
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    Route::parse(&path).ok()
}
