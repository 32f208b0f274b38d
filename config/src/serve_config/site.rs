//! `[site]`: the operator's brand — the site's title, description, logo,
//! accent colours and links — validated so that every page stays readable
//! (the accent's contrast is checked against the themes it is used in).

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The most links `[site] links` may hold.
pub const MAX_SITE_LINKS: usize = 8;

/// The largest logo file accepted, in bytes.
pub const MAX_LOGO_BYTES: usize = 256 * 1024;

/// WCAG 2's AA contrast for text: the accent colours links and the text
/// on accent buttons.
pub const MIN_CONTRAST: f64 = 4.5;

/// The backgrounds the accent is drawn on in the light theme (page and
/// cards), and the text drawn on it (buttons).
const LIGHT_BACKGROUNDS: [Rgb; 2] = [Rgb(0xf5, 0xf6, 0xf8), Rgb(0xff, 0xff, 0xff)];
const LIGHT_TEXT_ON_ACCENT: Rgb = Rgb(0xff, 0xff, 0xff);
/// The same for the dark theme.
const DARK_BACKGROUNDS: [Rgb; 2] = [Rgb(0x0b, 0x11, 0x20), Rgb(0x11, 0x18, 0x27)];
const DARK_TEXT_ON_ACCENT: Rgb = Rgb(0x0b, 0x11, 0x20);

/// `[site]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SiteSection {
    title: Option<String>,
    description: Option<String>,
    logo: Option<PathBuf>,
    accent: Option<String>,
    accent_dark: Option<String>,
    #[serde(default)]
    links: Vec<LinkSection>,
}

/// One `links` entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkSection {
    label: String,
    url: String,
}

/// The operator's brand, shown on every page, in the manifest, in link
/// previews and in the Statuspage-compatible API.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteBrand {
    /// The site's name [default: "Porthole"].
    pub title: String,
    /// What the site is, in a sentence (meta description, previews, the
    /// manifest).
    pub description: String,
    /// The logo shown beside the title, if set.
    pub logo: Option<Logo>,
    /// The accent of the light theme (`#rrggbb`), if set.
    pub accent: Option<String>,
    /// The accent of the dark theme (`#rrggbb`), if set.
    pub accent_dark: Option<String>,
    /// Links shown in every page's header ("Home", "Support").
    pub links: Vec<SiteLink>,
}

impl Default for SiteBrand {
    fn default() -> Self {
        Self {
            title: porthole_model::DEFAULT_SITE_TITLE.to_owned(),
            description: porthole_model::DEFAULT_SITE_DESCRIPTION.to_owned(),
            logo: None,
            accent: None,
            accent_dark: None,
            links: Vec::new(),
        }
    }
}

/// A logo file, read at start.
#[derive(Clone, PartialEq)]
pub struct Logo {
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Whether it is SVG (else PNG).
    pub svg: bool,
}

impl std::fmt::Debug for Logo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Logo")
            .field("bytes", &self.bytes.len())
            .field("svg", &self.svg)
            .finish()
    }
}

impl Logo {
    /// Its media type.
    pub fn content_type(&self) -> &'static str {
        if self.svg {
            "image/svg+xml"
        } else {
            "image/png"
        }
    }
}

/// A link in the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLink {
    /// Its text.
    pub label: String,
    /// Where it goes: an `http(s)://` URL.
    pub url: String,
}

/// Validates `[site]`; `config_dir` is where a relative logo path starts.
pub(super) fn site_brand(section: SiteSection, config_dir: &Path) -> Result<SiteBrand, String> {
    let defaults = SiteBrand::default();
    let title = match section.title.as_deref().map(str::trim) {
        None => defaults.title,
        Some(title) if (1..=60).contains(&title.chars().count()) => title.to_owned(),
        Some(title) => {
            return Err(format!(
                "[site] title = {title:?}: give a name of 1 to 60 characters"
            ));
        }
    };
    let description = match section.description.as_deref().map(str::trim) {
        None => defaults.description,
        Some(text) if (1..=300).contains(&text.chars().count()) => text.to_owned(),
        Some(_) => {
            return Err("[site] description: give a sentence of 1 to 300 characters".to_owned());
        }
    };
    let logo = section
        .logo
        .map(|path| logo(&config_dir.join(path)))
        .transpose()?;
    let light = section
        .accent
        .map(|text| {
            accent(
                "accent",
                &text,
                &LIGHT_BACKGROUNDS,
                LIGHT_TEXT_ON_ACCENT,
                "light",
            )
        })
        .transpose()?;
    let dark = section
        .accent_dark
        .map(|text| {
            accent(
                "accent_dark",
                &text,
                &DARK_BACKGROUNDS,
                DARK_TEXT_ON_ACCENT,
                "dark",
            )
        })
        .transpose()?;
    if section.links.len() > MAX_SITE_LINKS {
        return Err(format!(
            "[site] links holds {} links; at most {MAX_SITE_LINKS}",
            section.links.len()
        ));
    }
    let links = section
        .links
        .into_iter()
        .map(link)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SiteBrand {
        title,
        description,
        logo,
        accent: light,
        accent_dark: dark,
        links,
    })
}

fn link(section: LinkSection) -> Result<SiteLink, String> {
    let label = section.label.trim();
    if !(1..=30).contains(&label.chars().count()) {
        return Err(format!(
            "[site] links: label {:?} must be 1 to 30 characters",
            section.label
        ));
    }
    let url = url::Url::parse(section.url.trim())
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https") && url.host_str().is_some())
        .ok_or_else(|| {
            format!(
                "[site] links: {label:?} url = {:?} is not an http:// or https:// URL",
                section.url
            )
        })?;
    Ok(SiteLink {
        label: label.to_owned(),
        url: url.to_string(),
    })
}

/// Reads a logo: SVG or PNG, at most [`MAX_LOGO_BYTES`].
fn logo(path: &Path) -> Result<Logo, String> {
    let refused = |why: String| format!("[site] logo {}: {why}", path.display());
    let bytes = std::fs::read(path).map_err(|e| refused(format!("cannot read it: {e}")))?;
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(refused(format!(
            "is {} KiB; use a logo of at most {} KiB",
            bytes.len() / 1024,
            MAX_LOGO_BYTES / 1024
        )));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Logo { bytes, svg: false });
    }
    let looks_svg = std::str::from_utf8(&bytes).is_ok_and(|text| text.contains("<svg"));
    if !looks_svg {
        return Err(refused("is neither SVG nor PNG".to_owned()));
    }
    Ok(Logo { bytes, svg: true })
}

/// An accent colour: `#rrggbb` (or `#rgb`) readable as link text on the
/// theme's backgrounds and under the theme's button text.
fn accent(
    key: &str,
    text: &str,
    backgrounds: &[Rgb],
    text_on_accent: Rgb,
    theme: &str,
) -> Result<String, String> {
    let colour = Rgb::parse(text.trim()).ok_or_else(|| {
        format!(
            "[site] {key} = {text:?} is not a colour; write it as \"#rrggbb\", e.g. \"#0b6bcb\""
        )
    })?;
    let worst = backgrounds
        .iter()
        .chain(std::iter::once(&text_on_accent))
        .map(|other| colour.contrast(*other))
        .fold(f64::INFINITY, f64::min);
    if worst < MIN_CONTRAST {
        let advice = if theme == "light" {
            "choose a darker colour"
        } else {
            "choose a lighter colour"
        };
        return Err(format!(
            "[site] {key} = {text:?} has a contrast of {worst:.2}:1 in the {theme} theme (links on the page, text on buttons); WCAG AA asks for {MIN_CONTRAST}:1, so {advice}"
        ));
    }
    Ok(colour.hex())
}

/// A colour in sRGB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rgb(u8, u8, u8);

impl Rgb {
    fn parse(text: &str) -> Option<Self> {
        let hex = text.strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |at: usize, width: usize| {
            let value = u8::from_str_radix(hex.get(at..at + width)?, 16).ok()?;
            Some(if width == 1 { value * 17 } else { value })
        };
        match hex.len() {
            3 => Some(Self(channel(0, 1)?, channel(1, 1)?, channel(2, 1)?)),
            6 => Some(Self(channel(0, 2)?, channel(2, 2)?, channel(4, 2)?)),
            _ => None,
        }
    }

    fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG 2's relative luminance.
    fn luminance(self) -> f64 {
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }

    /// WCAG 2's contrast ratio, from 1 to 21.
    fn contrast(self, other: Self) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brand(toml_text: &str) -> Result<SiteBrand, String> {
        let section: SiteSection = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        site_brand(section, Path::new("/nonexistent"))
    }

    #[test]
    fn contrast_follows_wcag() {
        let black = Rgb(0, 0, 0);
        let white = Rgb(255, 255, 255);
        assert!((black.contrast(white) - 21.0).abs() < 1e-9);
        assert!((white.contrast(white) - 1.0).abs() < 1e-9);
        // WebAIM's checker: #777777 on white is 4.48:1.
        assert!((Rgb(0x77, 0x77, 0x77).contrast(white) - 4.48).abs() < 0.01);
        assert_eq!(Rgb::parse("#abc"), Some(Rgb(0xaa, 0xbb, 0xcc)));
        assert_eq!(
            Rgb::parse("#0B6BCB").map(Rgb::hex).as_deref(),
            Some("#0b6bcb")
        );
        for refused in ["0b6bcb", "#0b6bc", "#0b6bcbff", "#gggggg", "blue", "#"] {
            assert_eq!(Rgb::parse(refused), None, "{refused}");
        }
    }

    #[test]
    fn accents_too_faint_for_their_theme_are_refused() {
        let ok =
            brand("title = \"Acme status\"\naccent = \"#0B6BCB\"\naccent_dark = \"#7cc4ff\"\n")
                .expect("readable");
        assert_eq!(ok.title, "Acme status");
        assert_eq!(ok.accent.as_deref(), Some("#0b6bcb"));
        assert_eq!(ok.accent_dark.as_deref(), Some("#7cc4ff"));
        let error = brand("accent = \"#ffcc00\"\n").expect_err("yellow on white");
        assert!(error.contains("light theme"), "{error}");
        assert!(error.contains("darker"), "{error}");
        let error = brand("accent_dark = \"#1e3a8a\"\n").expect_err("navy on navy");
        assert!(error.contains("dark theme"), "{error}");
        assert!(error.contains("lighter"), "{error}");
        let error = brand("accent = \"blue\"\n").expect_err("not hex");
        assert!(error.contains("#rrggbb"), "{error}");
    }

    #[test]
    fn titles_links_and_logos_are_checked() {
        assert_eq!(brand("").expect("defaults"), SiteBrand::default());
        let site = brand(
            "links = [{ label = \"Home\", url = \"https://acme.example\" }, { label = \"Support\", url = \"https://acme.example/help\" }]\n",
        )
        .expect("links");
        assert_eq!(site.links[0].url, "https://acme.example/");
        assert_eq!(site.links[1].label, "Support");
        for (written, expected) in [
            ("title = \"\"", "1 to 60 characters"),
            (
                "links = [{ label = \"x\", url = \"javascript:alert(1)\" }]",
                "is not an http:// or https:// URL",
            ),
            (
                "links = [{ label = \"\", url = \"https://a.example\" }]",
                "1 to 30",
            ),
            ("logo = \"missing.svg\"", "cannot read it"),
            ("colour = \"#000\"", "unknown field"),
        ] {
            let error = brand(written).expect_err(written);
            assert!(error.contains(expected), "{written}: {error}");
        }
        let dir = std::env::temp_dir().join(format!("porthole-logo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(
            dir.join("logo.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .expect("logo");
        std::fs::write(dir.join("logo.txt"), "hello").expect("text");
        let section: SiteSection = toml::from_str("logo = \"logo.svg\"").expect("toml");
        let site = site_brand(section, &dir).expect("an SVG logo");
        assert!(site.logo.is_some_and(|logo| logo.svg));
        let section: SiteSection = toml::from_str("logo = \"logo.txt\"").expect("toml");
        let error = site_brand(section, &dir).expect_err("not an image");
        assert!(error.contains("neither SVG nor PNG"), "{error}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
