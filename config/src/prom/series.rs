//! Series selectors: the ones the allowlist's expressions read, and the
//! ones a client sends as `match[]` to the metadata endpoints
//! (`/api/v1/series`, `/api/v1/labels`, `/api/v1/label/{name}/values`).
//!
//! Metadata is answered only from the series the allowed expressions
//! select, so what a client may list is exactly what it may query; a
//! client's own `match[]` only narrows that, matched here, never upstream.

use std::collections::BTreeMap;

use promql_parser::{
    label::{Matcher, Matchers},
    parser::{Expr, VectorSelector},
    util::{ExprVisitor, walk_expr},
};

/// The label that holds a series' metric name.
pub const METRIC_NAME: &str = "__name__";

/// The most `match[]` selectors one request may send.
pub const MAX_MATCHERS: usize = 20;

/// A series' labels, its metric name under `__name__`.
pub type Labels = BTreeMap<String, String>;

/// One series selector: a metric name and label matchers, without offset
/// or `@` (they move time, not the series chosen).
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesSelector {
    name: Option<String>,
    matchers: Matchers,
}

impl SeriesSelector {
    /// A client's `match[]`: it must be a series selector such as
    /// `up{job="api"}` or `{__name__=~"http_.*"}`.
    pub fn parse(text: &str) -> Result<Self, String> {
        match crate::prom::parse_expr(text) {
            Ok(Expr::VectorSelector(selector)) => Ok(Self::of(&selector)),
            Ok(_) => Err(format!(
                "invalid parameter \"match[]\": {text:?} is not a series selector; write one like up{{job=\"api\"}}"
            )),
            Err(reason) => Err(format!("invalid parameter \"match[]\": {reason}")),
        }
    }

    fn of(selector: &VectorSelector) -> Self {
        Self {
            name: selector.name.clone(),
            matchers: selector.matchers.clone(),
        }
    }

    /// Whether the series with `labels` is selected (a missing label
    /// reads as empty, as in PromQL).
    pub fn matches(&self, labels: &Labels) -> bool {
        let value = |name: &str| labels.get(name).map_or("", String::as_str);
        let all = |matchers: &[Matcher]| matchers.iter().all(|m| m.is_match(value(&m.name)));
        let named = self
            .name
            .as_deref()
            .is_none_or(|name| value(METRIC_NAME) == name);
        let Matchers {
            matchers,
            or_matchers,
        } = &self.matchers;
        named
            && all(matchers)
            && (or_matchers.is_empty() || or_matchers.iter().any(|group| all(group)))
    }

    /// The selector as PromQL, for the upstream's `match[]`.
    pub fn text(&self) -> String {
        VectorSelector::new(self.name.clone(), self.matchers.clone()).to_string()
    }
}

/// The distinct series selectors `expr` reads.
pub fn selectors_of(expr: &Expr) -> Vec<SeriesSelector> {
    struct Collect(Vec<SeriesSelector>);
    impl ExprVisitor for Collect {
        type Error = std::convert::Infallible;
        fn pre_visit(&mut self, expr: &Expr) -> Result<bool, Self::Error> {
            let selector = match expr {
                Expr::VectorSelector(selector) => selector,
                Expr::MatrixSelector(matrix) => &matrix.vs,
                _ => return Ok(true),
            };
            let selector = SeriesSelector::of(selector);
            if !self.0.contains(&selector) {
                self.0.push(selector);
            }
            Ok(true)
        }
    }
    let mut collect = Collect(Vec::new());
    let Ok(_) = walk_expr(&mut collect, expr);
    collect.0
}

/// The client's `match[]` selectors, each parsed; at most [`MAX_MATCHERS`].
pub fn parse_matchers<'a>(
    texts: impl IntoIterator<Item = &'a str>,
) -> Result<Vec<SeriesSelector>, String> {
    let selectors = texts
        .into_iter()
        .map(SeriesSelector::parse)
        .collect::<Result<Vec<_>, _>>()?;
    if selectors.len() > MAX_MATCHERS {
        return Err(format!(
            "invalid parameter \"match[]\": at most {MAX_MATCHERS} selectors, got {}",
            selectors.len()
        ));
    }
    Ok(selectors)
}

/// Whether `name` is a label name as Prometheus writes them.
pub fn is_label_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn an_expression_reads_each_of_its_selectors_once() {
        let expr = crate::prom::parse_expr(
            r#"sum(rate(http_requests_total{job="api"}[5m])) / sum(rate(http_requests_total{job="api"}[5m] offset 1h)) + up"#,
        )
        .expect("parses");
        let texts: Vec<String> = selectors_of(&expr)
            .iter()
            .map(SeriesSelector::text)
            .collect();
        assert_eq!(texts, [r#"http_requests_total{job="api"}"#, "up"]);
        let constant = crate::prom::parse_expr("1 + 1").expect("parses");
        assert!(selectors_of(&constant).is_empty());
    }

    #[test]
    fn selectors_match_as_promql_does() {
        let series = labels(&[
            ("__name__", "http_requests_total"),
            ("job", "api"),
            ("code", "500"),
        ]);
        for (selector, expected) in [
            ("http_requests_total", true),
            ("up", false),
            (r#"{__name__=~"http_.*"}"#, true),
            (r#"{__name__=~"http"}"#, false),
            (r#"http_requests_total{job="api",code=~"5.."}"#, true),
            (r#"http_requests_total{job!="api"}"#, false),
            (r#"http_requests_total{instance=""}"#, true),
            (r#"{job="web" or code="500"}"#, true),
        ] {
            let parsed = SeriesSelector::parse(selector).expect(selector);
            assert_eq!(parsed.matches(&series), expected, "{selector}");
        }
    }

    #[test]
    fn match_parameters_must_be_selectors_and_few() {
        for bad in ["sum(up)", "up{", "1", "rate(up[5m])"] {
            let error = parse_matchers([bad]).expect_err(bad);
            assert!(error.contains("match[]"), "{bad}: {error}");
        }
        let many = vec!["up"; MAX_MATCHERS + 1];
        assert!(parse_matchers(many).is_err());
        assert!(is_label_name("job") && is_label_name("__name__") && is_label_name("_a1"));
        assert!(!is_label_name("") && !is_label_name("1a") && !is_label_name("a-b"));
    }
}
