//! Reusable views that pages are built from.

pub mod chart_panel;
pub mod range_picker;
