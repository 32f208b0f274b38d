//! What a dashboard view shows, as it appears in its URL: the range and the
//! theme (`?range=7d&theme=dark`). Every view is a link, so links that
//! change one part keep the other.

use std::{fmt, str::FromStr};

use crate::model::TimeRange;

/// The colour theme a viewer picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Theme {
    /// Follow the device's setting (`prefers-color-scheme`).
    #[default]
    System,
    /// Dark text on light backgrounds.
    Light,
    /// Light text on dark backgrounds.
    Dark,
}

impl Theme {
    /// Every theme, in the order the picker offers them.
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::System];

    /// The form used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// The picker's label.
    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a `theme` value was refused; shown to the viewer as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown theme {given:?}: expected light, dark or system")]
pub struct UnknownTheme {
    /// The value the viewer sent.
    pub given: String,
}

impl FromStr for Theme {
    type Err = UnknownTheme;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Theme::ALL
            .into_iter()
            .find(|theme| theme.as_str() == s)
            .ok_or_else(|| UnknownTheme {
                given: s.to_owned(),
            })
    }
}

/// A view: range and theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ViewState {
    /// The time range.
    pub range: TimeRange,
    /// The theme.
    pub theme: Theme,
}

impl ViewState {
    /// The link to this view of the page at `path`; defaults are left out
    /// of the query, but the range is always given so links stay explicit.
    pub fn href(self, path: &str) -> String {
        match self.theme {
            Theme::System => format!("{path}?range={}", self.range),
            theme => format!("{path}?range={}&theme={theme}", self.range),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_other_part_of_the_view() {
        let view = ViewState {
            range: TimeRange::Days7,
            theme: Theme::Dark,
        };
        assert_eq!(view.href("/d/api"), "/d/api?range=7d&theme=dark");
        let system = ViewState {
            theme: Theme::System,
            ..view
        };
        assert_eq!(system.href("/"), "/?range=7d");
    }

    #[test]
    fn themes_read_back_and_unknown_ones_say_what_is_expected() {
        for theme in Theme::ALL {
            assert_eq!(theme.as_str().parse::<Theme>(), Ok(theme));
        }
        let error = "purple".parse::<Theme>().expect_err("unknown");
        assert!(error.to_string().contains("light, dark or system"));
    }
}
