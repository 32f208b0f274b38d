//! The operator's brand (`[site]`) as served: the logo, the app icons drawn
//! from an SVG logo, the web app manifest, and the [`Brand`] pages are
//! rendered with. Everything is built once, at start.

use std::sync::Arc;

use app::site::{Brand, DEFAULT_ACCENT};
use bytes::Bytes;
use resvg::{tiny_skia, usvg};
use serde_json::json;

use crate::config::SiteBrand;

/// The sizes of the app icons drawn from an SVG logo.
pub const ICON_SIZES: [u32; 2] = [192, 512];

/// The brand and its files, ready to serve; cheap to clone.
#[derive(Clone)]
pub struct BrandAssets(Arc<Assets>);

struct Assets {
    brand: Brand,
    logo: Option<(Bytes, &'static str)>,
    /// PNG icons of [`ICON_SIZES`], when the logo is SVG.
    icons: Vec<(u32, Bytes)>,
    manifest: Bytes,
}

impl BrandAssets {
    /// The brand of `site`, its icons drawn; an SVG logo resvg cannot read
    /// is refused with the reason.
    pub fn new(site: &SiteBrand) -> Result<Self, String> {
        let icons = match &site.logo {
            Some(logo) if logo.svg => ICON_SIZES
                .into_iter()
                .map(|size| Ok((size, Bytes::from(icon(&logo.bytes, size)?))))
                .collect::<Result<Vec<_>, String>>()?,
            _ => Vec::new(),
        };
        let brand = Brand {
            title: site.title.clone(),
            description: site.description.clone(),
            logo: site
                .logo
                .as_ref()
                .map(|logo| logo_path(logo.svg).to_owned()),
            icons_from_logo: !icons.is_empty(),
            accent: site.accent.clone(),
            accent_dark: site.accent_dark.clone(),
            links: site
                .links
                .iter()
                .map(|link| (link.label.clone(), link.url.clone()))
                .collect(),
        };
        let manifest = Bytes::from(manifest(&brand).to_string());
        Ok(Self(Arc::new(Assets {
            logo: site
                .logo
                .as_ref()
                .map(|logo| (Bytes::from(logo.bytes.clone()), logo.content_type())),
            icons,
            manifest,
            brand,
        })))
    }

    /// The brand pages are rendered with.
    pub fn brand(&self) -> &Brand {
        &self.0.brand
    }

    /// The logo and its media type, if there is one.
    pub fn logo(&self) -> Option<(Bytes, &'static str)> {
        self.0.logo.clone()
    }

    /// The PNG icon of `size` drawn from the logo, if there is one.
    pub fn icon(&self, size: u32) -> Option<Bytes> {
        self.0
            .icons
            .iter()
            .find(|(s, _)| *s == size)
            .map(|(_, png)| png.clone())
    }

    /// The web app manifest (JSON).
    pub fn manifest(&self) -> Bytes {
        self.0.manifest.clone()
    }
}

/// Where the logo is served.
fn logo_path(svg: bool) -> &'static str {
    if svg {
        "/brand/logo.svg"
    } else {
        "/brand/logo.png"
    }
}

/// The web app manifest of `brand`: its name, colours and icons (drawn
/// from the logo, else Porthole's own).
fn manifest(brand: &Brand) -> serde_json::Value {
    let icons = if brand.icons_from_logo {
        ICON_SIZES
            .iter()
            .map(|size| {
                json!({
                    "src": format!("/brand/icon-{size}.png"),
                    "sizes": format!("{size}x{size}"),
                    "type": "image/png",
                    "purpose": "any",
                })
            })
            .collect::<Vec<_>>()
    } else {
        vec![
            json!({ "src": "/icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any" }),
            json!({ "src": "/icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any" }),
            json!({ "src": "/icons/maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable" }),
        ]
    };
    json!({
        "name": brand.title,
        "short_name": short_name(&brand.title),
        "description": brand.description,
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f5f6f8",
        "theme_color": brand.accent.as_deref().unwrap_or(DEFAULT_ACCENT),
        "icons": icons,
    })
}

/// A name for home screens, which show about 12 characters: the title,
/// else its first word, else its first 12 characters.
fn short_name(title: &str) -> String {
    const FITS: usize = 12;
    if title.chars().count() <= FITS {
        return title.to_owned();
    }
    match title.split_whitespace().next() {
        Some(word) if word.chars().count() <= FITS => word.to_owned(),
        _ => title.chars().take(FITS).collect(),
    }
}

/// `svg` drawn centred in a transparent square of `size` pixels, as PNG.
fn icon(svg: &[u8], size: u32) -> Result<Vec<u8>, String> {
    let tree = usvg::Tree::from_data(svg, &usvg::Options::default())
        .map_err(|e| format!("[site] logo is not an SVG Porthole can draw: {e}"))?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size, size).ok_or("[site] logo: cannot draw an icon")?;
    let drawn = tree.size();
    let scale = (size as f32 / drawn.width()).min(size as f32 / drawn.height());
    let offset_x = (size as f32 - drawn.width() * scale) / 2.0;
    let offset_y = (size as f32 - drawn.height() * scale) / 2.0;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale).post_translate(offset_x, offset_y),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("[site] logo: cannot encode its icon: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_fit_home_screens() {
        assert_eq!(short_name("Acme"), "Acme");
        assert_eq!(short_name("Acme Cloud Status"), "Acme");
        assert_eq!(short_name("Supercalifragilistic"), "Supercalifra");
    }
}
