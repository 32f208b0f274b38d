//! Panel renders: a panel's chart as a standalone SVG, and the same SVG
//! rasterized to PNG with resvg. The font is shipped in the binary (DejaVu
//! Sans), so a PNG is the same on every machine whatever fonts it has.

use std::sync::Arc;

use app::{
    charts::{ChartStyle, Style, TimeseriesChart, Zone, render_timeseries_svg_in},
    model::PanelData,
};
use resvg::{tiny_skia, usvg};

/// DejaVu Sans (Bitstream Vera licence, see `assets/fonts/LICENSE-DejaVu.txt`).
static FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");

/// The font family every render uses for every text.
const FAMILY: &str = "DejaVu Sans";

/// Allowed render sizes, in pixels.
pub const WIDTHS: std::ops::RangeInclusive<u32> = 200..=2_400;
/// Allowed render heights, in pixels.
pub const HEIGHTS: std::ops::RangeInclusive<u32> = 100..=1_400;

/// Why a render failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The panel shows numbers or a table, not a chart.
    #[error("panel {0:?} is not a chart; renders draw time-series panels")]
    NotAChart(String),
    /// Drawing or rasterizing failed.
    #[error("the chart could not be rendered: {0}")]
    Draw(String),
}

/// Draws renders; cheap to clone (the font database is shared).
#[derive(Clone)]
pub struct Renderer {
    options: Arc<usvg::Options<'static>>,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Renderer")
    }
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new()
    }
}

impl Renderer {
    /// A renderer with the shipped font as every family.
    pub fn new() -> Self {
        let mut options = usvg::Options {
            font_family: FAMILY.to_owned(),
            ..usvg::Options::default()
        };
        let fonts = options.fontdb_mut();
        fonts.load_font_data(FONT.to_vec());
        fonts.set_sans_serif_family(FAMILY);
        fonts.set_serif_family(FAMILY);
        fonts.set_monospace_family(FAMILY);
        Self {
            options: Arc::new(options),
        }
    }

    /// The panel's chart as an SVG document of `size`, in `style`, its
    /// times in `zone`, its numbers and dates as `language` writes them.
    pub fn svg(
        &self,
        data: &PanelData,
        (zone, language): (&Zone, &Style),
        size: (u32, u32),
        style: &ChartStyle,
    ) -> Result<String, RenderError> {
        let chart = TimeseriesChart::of(data, zone, language)
            .ok_or_else(|| RenderError::NotAChart(data.panel.clone()))?;
        render_timeseries_svg_in(&chart, size, style).map_err(|e| RenderError::Draw(e.to_string()))
    }

    /// An SVG document rasterized to PNG at its own size.
    pub fn png(&self, svg: &str) -> Result<Vec<u8>, RenderError> {
        let tree = usvg::Tree::from_str(svg, &self.options)
            .map_err(|e| RenderError::Draw(e.to_string()))?;
        let size = tree.size().to_int_size();
        let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
            .ok_or_else(|| RenderError::Draw("empty size".to_owned()))?;
        resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
        pixmap
            .encode_png()
            .map_err(|e| RenderError::Draw(e.to_string()))
    }
}
