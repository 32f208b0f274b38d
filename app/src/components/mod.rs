//! Reusable views that pages are built from.

pub mod chart_hover;
pub mod data_table;
pub mod panel;
pub mod range_picker;
pub mod stat_cards;
