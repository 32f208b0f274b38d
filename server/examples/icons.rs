//! Draws the app icons (`public/icons/*.png`) from the one source image,
//! `public/icon.svg`: `cargo run --release --example icons` (`make icons`).
//! The source keeps its rings inside the middle 80%, so the same drawing
//! serves as the maskable icon.

use std::path::Path;

use resvg::{tiny_skia, usvg};

fn main() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public");
    let source = std::fs::read(root.join("icon.svg")).map_err(|e| e.to_string())?;
    let tree =
        usvg::Tree::from_data(&source, &usvg::Options::default()).map_err(|e| e.to_string())?;
    for (name, size) in [
        ("icon-192.png", 192),
        ("icon-512.png", 512),
        ("maskable-512.png", 512),
    ] {
        let mut pixmap = tiny_skia::Pixmap::new(size, size).ok_or("empty icon size")?;
        #[allow(clippy::cast_precision_loss)] // icon sizes are small
        let scale = size as f32 / tree.size().width();
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        let path = root.join("icons").join(name);
        pixmap.save_png(&path).map_err(|e| e.to_string())?;
        tracing::info!("wrote {}", path.display());
    }
    Ok(())
}
