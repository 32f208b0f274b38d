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

/// The operator's brand as pages show it (`[site]`, provided as context by
/// the server; Porthole's own when none is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brand {
    /// The site's name.
    pub title: String,
    /// What the site is, in a sentence.
    pub description: String,
    /// Where the logo is served (`/brand/logo.svg`), when there is one.
    pub logo: Option<String>,
    /// Whether the manifest's icons and the touch icon are drawn from the
    /// logo (`/brand/icon-192.png`, `/brand/icon-512.png`).
    pub icons_from_logo: bool,
    /// The light theme's accent (`#rrggbb`, validated), if set.
    pub accent: Option<String>,
    /// The dark theme's accent (`#rrggbb`, validated), if set.
    pub accent_dark: Option<String>,
    /// Links for the header: (label, URL).
    pub links: Vec<(String, String)>,
}

impl Default for Brand {
    fn default() -> Self {
        Self {
            title: porthole_model::DEFAULT_SITE_TITLE.to_owned(),
            description: porthole_model::DEFAULT_SITE_DESCRIPTION.to_owned(),
            logo: None,
            icons_from_logo: false,
            accent: None,
            accent_dark: None,
            links: Vec::new(),
        }
    }
}

/// Porthole's own accent, the manifest's and browsers' theme colour when
/// the operator sets none.
pub const DEFAULT_ACCENT: &str = "#2563eb";

impl Brand {
    /// The brand of the page being rendered.
    pub fn current() -> Self {
        use_context::<Self>().unwrap_or_default()
    }

    /// A page's `<title>`: "Status · Acme".
    pub fn title_of(&self, page: &str) -> String {
        format!("{page} · {}", self.title)
    }

    /// The colour browsers tint their UI with.
    pub fn theme_colour(&self) -> &str {
        self.accent.as_deref().unwrap_or(DEFAULT_ACCENT)
    }

    /// CSS setting the accents over the stylesheet's (which it follows),
    /// if any is set. The colours are `#rrggbb`, checked when the
    /// configuration was read, so they are safe inside a `<style>`.
    pub fn accent_css(&self) -> Option<String> {
        let mut css = String::new();
        if let Some(light) = &self.accent {
            css.push_str(&format!(".app {{ --accent: {light}; }}\n"));
        }
        if let Some(dark) = &self.accent_dark {
            css.push_str(&format!(
                ".app[data-theme=\"dark\"] {{ --accent: {dark}; }}\n\
                 @media (prefers-color-scheme: dark) {{ .app[data-theme=\"system\"] {{ --accent: {dark}; }} }}\n"
            ));
        }
        (!css.is_empty()).then_some(css)
    }
}
