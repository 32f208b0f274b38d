//! Reusable views that pages are built from.

pub mod chart_hover;
pub mod chart_island;
pub mod chart_lines;
pub mod data_table;
pub mod feeds;
pub mod notices;
pub mod panel;
pub mod range_picker;
pub mod refused;
pub mod share;
pub mod stat_cards;
pub mod top_bar;
pub mod uptime_bars;
pub mod zone_picker;
