//! Badges of a service: what a status, uptime or latency badge says, drawn
//! as a flat shields-style SVG (the `shields` crate, which measures text
//! with shields.io's own font tables) or as a shields.io "endpoint" JSON.

use app::model::{ServiceState, ServiceStatus, UptimeRange, percent};
use serde::Serialize;

/// What a badge shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgeKind {
    /// Up, degraded, down or no data.
    Status,
    /// Uptime over a range.
    Uptime,
    /// The latest check's latency.
    Latency,
}

impl BadgeKind {
    /// The kind named in a badge URL (`status`, `uptime`, `latency`).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "status" => Some(Self::Status),
            "uptime" => Some(Self::Uptime),
            "latency" => Some(Self::Latency),
            _ => None,
        }
    }
}

/// A badge's two halves and colour (a shields.io colour name or hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadgeFace {
    /// The left, grey half.
    pub label: String,
    /// The right, coloured half.
    pub message: String,
    /// The right half's colour.
    pub color: &'static str,
}

impl BadgeFace {
    /// The face of `kind` for `service`.
    pub fn of(service: &ServiceStatus, kind: BadgeKind, range: UptimeRange) -> Self {
        match kind {
            BadgeKind::Status => Self {
                label: service.name.clone(),
                message: service.state.label().to_lowercase(),
                color: match service.state {
                    ServiceState::Up => "brightgreen",
                    ServiceState::Slow => "yellow",
                    ServiceState::Down => "red",
                    ServiceState::Maintenance => "blue",
                    ServiceState::NoData => "lightgrey",
                },
            },
            BadgeKind::Uptime => {
                let uptime = service.uptime_over(range);
                Self {
                    label: format!("uptime {range}"),
                    message: uptime.map_or_else(|| "no data".to_owned(), percent),
                    color: uptime.map_or("lightgrey", uptime_color),
                }
            }
            BadgeKind::Latency => Self {
                label: "latency".to_owned(),
                message: service
                    .latency_ms
                    .map_or_else(|| "no data".to_owned(), |ms| format!("{ms:.0} ms")),
                color: match (service.state, service.latency_ms) {
                    (_, None) | (ServiceState::NoData | ServiceState::Maintenance, _) => {
                        "lightgrey"
                    }
                    (ServiceState::Down, _) => "red",
                    (ServiceState::Slow, _) => "yellow",
                    (ServiceState::Up, _) => "brightgreen",
                },
            },
        }
    }

    /// The face for a badge that cannot show its figure (unknown service,
    /// bad range, store unavailable).
    pub fn problem(label: &str, message: &str) -> Self {
        Self {
            label: label.to_owned(),
            message: message.to_owned(),
            color: "lightgrey",
        }
    }

    /// The flat SVG; its width fits the text.
    pub fn svg(&self) -> String {
        shields::builder::Badge::flat()
            .label(&self.label)
            .message(&self.message)
            .message_color(self.color)
            .build()
    }

    /// The shields.io endpoint JSON (`https://img.shields.io/endpoint?url=...`).
    pub fn endpoint_json(&self, cache_seconds: u32) -> Endpoint<'_> {
        Endpoint {
            schema_version: 1,
            label: &self.label,
            message: &self.message,
            color: self.color,
            cache_seconds,
        }
    }
}

/// shields.io's endpoint schema.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint<'a> {
    schema_version: u8,
    label: &'a str,
    message: &'a str,
    color: &'a str,
    cache_seconds: u32,
}

/// Greener for more nines.
fn uptime_color(uptime: f64) -> &'static str {
    match uptime {
        u if u >= 99.9 => "brightgreen",
        u if u >= 99.0 => "green",
        u if u >= 97.0 => "yellowgreen",
        u if u >= 95.0 => "yellow",
        u if u >= 90.0 => "orange",
        _ => "red",
    }
}
