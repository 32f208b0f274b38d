//! Panels fed by the Prometheus-compatible upstream through the proxy's
//! cache: charts of PromQL range queries, and the latest value of one as a
//! card.

use app::model::phrases;
use std::{sync::Arc, time::Duration};

use app::model::{ErrorBody, ErrorKind, PanelContent, Point, Series, StatCard};
use futures::future::BoxFuture;

use super::feed::{Content, PanelFeed, Window, misrouted};
use crate::{
    dashboards::{Feed, PanelDef, PromChart, expand, step_for},
    prom::{
        Asker, Freshness, PromProxy,
        params::RangeQuery,
        result::{self, Labels},
        time::duration_millis,
    },
};

/// The most series one chart draws: beyond this a legend is unreadable, and
/// a query that matches more (a label that exploded, a selector gone wide)
/// is a panel error rather than a wall of lines.
pub const MAX_SERIES: usize = 50;

/// The upstream as panels see it.
#[derive(Debug, Clone)]
pub struct PromFeed {
    /// The proxy (its cache is shared with the public query API).
    pub proxy: Arc<PromProxy>,
    /// The upstream's scrape interval, for rate windows.
    pub scrape_interval: Duration,
    /// How often panels at the live edge change.
    pub refresh: Duration,
}

impl PanelFeed for PromFeed {
    fn refresh_seconds(&self) -> u64 {
        self.refresh.as_secs().max(1)
    }

    fn content<'a>(
        &'a self,
        panel: &'a PanelDef,
        window: Window,
    ) -> BoxFuture<'a, Result<Content, ErrorBody>> {
        Box::pin(async move {
            let (from, to) = (window.from, window.to.timestamp());
            match &panel.feed {
                Feed::Prom(chart) => self.prom_chart(panel, chart, from, to).await,
                Feed::Stat(chart) => {
                    let since = if window.fixed {
                        phrases::VS_WINDOW_START.1
                    } else {
                        phrases::VS_RANGE_START.1
                    };
                    // The panel's heading names the figure; the card says which.
                    let card = self
                        .latest_card(panel, phrases::LATEST.1, chart, from, to, since.to_owned())
                        .await?;
                    Ok((PanelContent::Stats { cards: vec![card] }, None))
                }
                _ => Err(misrouted(panel, "prometheus")),
            }
        })
    }
}

impl PromFeed {
    /// The latest value of a one-line chart over [`from`, `to`], and its
    /// change since the first value.
    pub async fn latest_card(
        &self,
        panel: &PanelDef,
        label: &str,
        chart: &PromChart,
        from: i64,
        to: i64,
        change_label: String,
    ) -> Result<StatCard, ErrorBody> {
        let (content, stale_since) = self.prom_chart(panel, chart, from, to).await?;
        let PanelContent::Timeseries { series, .. } = content else {
            return Ok(StatCard::missing(label, chart.unit, ""));
        };
        let values: Vec<f64> = series
            .first()
            .map(|s| s.points.iter().filter_map(|p| p.v).collect())
            .unwrap_or_default();
        let (first, last) = (values.first().copied(), values.last().copied());
        Ok(StatCard {
            value: last,
            change: first.zip(last).map(|(first, last)| last - first),
            change_label,
            better: chart.better,
            ..StatCard::missing(
                label,
                chart.unit,
                if stale_since.is_some() {
                    "stale: the metrics server is failing"
                } else {
                    ""
                },
            )
        })
    }

    /// One range query per line, concurrently, through the proxy's cache.
    async fn prom_chart(
        &self,
        panel: &PanelDef,
        chart: &PromChart,
        from: i64,
        to: i64,
    ) -> Result<Content, ErrorBody> {
        let PromChart {
            lines,
            unit,
            scale,
            thresholds,
            ..
        } = chart;
        let (unit, scale) = (*unit, *scale);
        let prom = self;
        let step = step_for(to - from);
        let answers = futures::future::join_all(lines.iter().map(|line| async move {
            let expr = expand(&line.template, step, prom.scrape_interval);
            let query = RangeQuery {
                expr: expr.clone(),
                start: from * 1000,
                end: to * 1000,
                step: duration_millis(step),
            };
            let planned = prom
                .proxy
                .plan_range(&query, Arc::from(expr), to * 1000, Asker::Panel)
                .map_err(|e| ErrorBody::from(&e))?;
            prom.proxy
                .run(&planned)
                .await
                .map_err(|e| upstream_failed(&panel.id, &e))
        }))
        .await;
        let mut series = Vec::new();
        let mut stale_since = None;
        for (line, answer) in lines.iter().zip(answers) {
            let served = answer?;
            if served.freshness == Freshness::Stale {
                let since = served.answer.fetched_at.div_euclid(1000);
                stale_since = Some(stale_since.map_or(since, |s: i64| s.min(since)));
            }
            let parsed = result::matrix(&served.answer.body)
                .map_err(|e| ErrorBody::new(ErrorKind::Execution, e))?;
            series.extend(parsed.into_iter().map(|s| {
                Series {
                    name: legend(line.legend.as_deref(), &s.labels, &panel.title),
                    points: s
                        .points
                        .into_iter()
                        .map(|(t, v)| Point {
                            t,
                            v: v.map(|v| v * scale),
                        })
                        .collect(),
                }
            }));
        }
        if series.len() > MAX_SERIES {
            tracing::warn!(
                panel = %panel.id,
                series = series.len(),
                limit = MAX_SERIES,
                "a panel's query matched more series than a chart draws"
            );
            return Err(ErrorBody::new(
                ErrorKind::Execution,
                format!(
                    "the query matched {} series; a chart draws at most {MAX_SERIES}: aggregate it (`by`) or narrow its selector",
                    series.len()
                ),
            ));
        }
        Ok((
            PanelContent::Timeseries {
                unit,
                series,
                bars: None,
                thresholds: thresholds.to_vec(),
            },
            stale_since,
        ))
    }
}

/// A series' legend: the template with `{{label}}` filled in, else its
/// labels, else the panel's title.
fn legend(template: Option<&str>, labels: &Labels, title: &str) -> String {
    if let Some(template) = template {
        let mut text = template.to_owned();
        for (name, value) in labels {
            text = text.replace(&format!("{{{{{name}}}}}"), value);
        }
        // Labels the series lacks leave nothing behind.
        while let (Some(open), Some(close)) = (text.find("{{"), text.find("}}")) {
            if close < open {
                break;
            }
            text.replace_range(open..close + 2, "");
        }
        return text.trim().to_owned();
    }
    let shown: Vec<String> = labels
        .iter()
        .filter(|(name, _)| name.as_str() != "__name__")
        .map(|(name, value)| format!("{name}=\"{value}\""))
        .collect();
    if shown.is_empty() {
        title.to_owned()
    } else {
        format!("{{{}}}", shown.join(", "))
    }
}

/// The answer of a panel that reads from an upstream where none is
/// configured: what to set.
pub fn no_upstream() -> ErrorBody {
    ErrorBody::new(
        ErrorKind::NotConfigured,
        "this panel reads from Prometheus or VictoriaMetrics: set PROMETHEUS_URL or `[prometheus] url` in porthole.toml",
    )
}

/// A panel's upstream query failed: logged with the panel, answered with
/// the proxy's client-safe error.
pub fn upstream_failed(panel: &str, error: &crate::prom::ProxyError) -> ErrorBody {
    tracing::warn!(panel, %error, "a panel's upstream query failed");
    ErrorBody::from(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legends_fill_in_labels() {
        let labels: Labels = [
            ("service".to_owned(), "api".to_owned()),
            ("le".to_owned(), "0.1".to_owned()),
        ]
        .into();
        assert_eq!(legend(Some("{{service}} p95"), &labels, "T"), "api p95");
        assert_eq!(legend(Some("{{missing}} p95"), &labels, "T"), "p95");
        assert_eq!(legend(None, &labels, "T"), "{le=\"0.1\", service=\"api\"}");
        assert_eq!(legend(None, &Labels::new(), "Latency"), "Latency");
    }
}
