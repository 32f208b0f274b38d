//! The overview's headline row: services up from the checks, then request
//! rate, error rate and p95 latency from `[overview]` PromQL (latency from
//! the checks when unset).

use app::model::phrases;
use app::model::{Better, ErrorBody, PanelContent, StatCard, Unit};
use chrono::{DateTime, Utc};
use futures::future::BoxFuture;

use super::{
    ProbeFeed,
    feed::{Content, PanelFeed, Window, misrouted},
    prom_feed::{PromFeed, no_upstream},
};
use crate::dashboards::{Feed, Headline, PanelDef, PromChart};

/// The headline's sources: whichever are configured.
#[derive(Debug, Clone, Default)]
pub struct HeadlineFeed {
    /// The upstream, for the PromQL figures.
    pub prom: Option<PromFeed>,
    /// The checks, for services up (and latency without PromQL).
    pub probes: Option<ProbeFeed>,
}

impl PanelFeed for HeadlineFeed {
    fn refresh_seconds(&self) -> u64 {
        self.prom.as_ref().map_or(60, PanelFeed::refresh_seconds)
    }

    fn content<'a>(
        &'a self,
        panel: &'a PanelDef,
        window: Window,
    ) -> BoxFuture<'a, Result<Content, ErrorBody>> {
        Box::pin(async move {
            match &panel.feed {
                Feed::Headline(headline) => {
                    Ok((self.headline(panel, headline, window.to).await, None))
                }
                _ => Err(misrouted(panel, "headline")),
            }
        })
    }
}

impl HeadlineFeed {
    /// The overview's top row: services up, then request rate, error rate
    /// and p95 latency from `[overview]` PromQL (latency from the checks
    /// when unset). A figure that cannot be had says why on its card, and
    /// costs only that card.
    async fn headline(
        &self,
        panel: &PanelDef,
        headline: &Headline,
        now: DateTime<Utc>,
    ) -> PanelContent {
        let services = match &self.probes {
            Some(probes) => probes.services_card().await,
            None => StatCard::missing(
                phrases::SERVICES_UP.1,
                Unit::Count,
                phrases::CHECKS_NOT_RUNNING.1,
            ),
        };
        let latency = match (&headline.latency, &self.probes) {
            (None, Some(probes)) => probes.latency_card(now).await.better(Better::Lower),
            (chart, _) => {
                self.figure(
                    panel,
                    phrases::P95_LATENCY.1,
                    "latency",
                    chart.as_ref(),
                    Unit::Milliseconds,
                    now,
                )
                .await
            }
        };
        let cards = vec![
            services,
            self.figure(
                panel,
                phrases::REQUEST_RATE.1,
                "requests",
                headline.requests.as_ref(),
                Unit::PerSecond,
                now,
            )
            .await,
            self.figure(
                panel,
                phrases::ERROR_RATE.1,
                "errors",
                headline.errors.as_ref(),
                Unit::Percent,
                now,
            )
            .await,
            latency,
        ];
        PanelContent::Stats { cards }
    }

    /// A headline figure: the latest value of a one-line chart over the
    /// last hour, and its change over that hour.
    async fn figure(
        &self,
        panel: &PanelDef,
        label: &str,
        key: &str,
        chart: Option<&PromChart>,
        unit: Unit,
        now: DateTime<Utc>,
    ) -> StatCard {
        let Some(chart) = chart else {
            let fix = if self.prom.is_some() {
                format!("set [overview] {key} in porthole.toml")
            } else {
                format!("needs Prometheus: set [prometheus] url and [overview] {key}")
            };
            return StatCard::missing(label, unit, fix);
        };
        let Some(prom) = &self.prom else {
            return StatCard::missing(label, unit, no_upstream().error);
        };
        let to = now.timestamp();
        // The headline's charts carry the unit of their card.
        prom.latest_card(
            panel,
            label,
            chart,
            to - 3600,
            to,
            phrases::VS_1_HOUR_AGO.1.to_owned(),
        )
        .await
        .unwrap_or_else(|error| StatCard::missing(label, unit, error.error))
    }
}
