//! Which PromQL expressions the public may run.
//!
//! Expressions are compared by their parsed, normalized form, so `sum(x) by
//! (le)` matches `sum by (le) (x)`, and whitespace, comments, quoting and
//! escapes make no difference. What runs upstream is always the operator's
//! own text from the configuration, never the client's.

use std::collections::HashMap;

use promql_parser::parser::Expr;

use super::series::{SeriesSelector, selectors_of};

/// An expression that would not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid PromQL expression {expr:?}: {reason}")]
pub struct InvalidExpr {
    /// The text given.
    pub expr: String,
    /// The parser's message.
    pub reason: String,
}

/// The normalized form of a PromQL expression: what two expressions share
/// when they mean the same.
///
/// An expression whose printed form does not read back as itself is
/// refused: such a form cannot be compared (found by `make fuzz`: the parser
/// prints `offset 0` as `offset 0s`, which it then rejects).
pub fn normalize(expr: &str) -> Result<String, InvalidExpr> {
    let invalid = |reason: String| InvalidExpr {
        expr: expr.to_owned(),
        reason,
    };
    let normal = parse_and_print(expr).map_err(invalid)?;
    match parse_and_print(&normal) {
        Ok(again) if again == normal => Ok(normal),
        _ => Err(invalid(format!(
            "its normal form {normal:?} does not read back; write it another way"
        ))),
    }
}

fn parse_and_print(expr: &str) -> Result<String, String> {
    crate::prom::parse_expr(expr).map(|parsed| parsed.to_string())
}

/// Whether `expr` is arithmetic on numbers only (`1+1`, `-(2*3)`): it
/// reads no series, so it reveals nothing and costs nothing. Clients ask
/// such a query to test a connection (Grafana's "Save & test").
pub fn is_constant(expr: &str) -> bool {
    fn constant(expr: &Expr) -> bool {
        match expr {
            Expr::NumberLiteral(_) => true,
            Expr::Paren(inner) => constant(&inner.expr),
            Expr::Unary(inner) => constant(&inner.expr),
            Expr::Binary(binary) => constant(&binary.lhs) && constant(&binary.rhs),
            _ => false,
        }
    }
    crate::prom::parse_expr(expr).is_ok_and(|parsed| constant(&parsed))
}

/// The allowed expressions: normalized form → the configured text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Allowlist {
    allowed: HashMap<String, String>,
    /// Each configured text as written (trimmed) → its normal form: with
    /// the normal forms in `allowed`, the spellings parsed when the list
    /// was made.
    configured: HashMap<String, String>,
    selectors: Vec<SeriesSelector>,
}

impl Allowlist {
    /// An allowlist of `exprs`; each must parse.
    pub fn new<'a>(exprs: impl IntoIterator<Item = &'a str>) -> Result<Self, InvalidExpr> {
        let mut allowed = HashMap::new();
        let mut configured = HashMap::new();
        let mut selectors = Vec::new();
        for expr in exprs {
            let (normal, text) = (normalize(expr)?, expr.trim().to_owned());
            configured.insert(text.clone(), normal.clone());
            allowed.insert(normal, text);
            if let Ok(parsed) = crate::prom::parse_expr(expr) {
                for selector in selectors_of(&parsed) {
                    if !selectors.contains(&selector) {
                        selectors.push(selector);
                    }
                }
            }
        }
        Ok(Self {
            allowed,
            configured,
            selectors,
        })
    }

    /// The series selectors the allowed expressions read, each once: all
    /// the public may list through the metadata endpoints.
    pub fn selectors(&self) -> &[SeriesSelector] {
        &self.selectors
    }

    /// The configured text of the allowed expression `normalized` stands
    /// for, if it is allowed.
    pub fn lookup(&self, normalized: &str) -> Option<&str> {
        self.allowed.get(normalized).map(String::as_str)
    }

    /// The configured text of the allowed expression `expr` is, if it is
    /// spelled exactly as configured or as its normal form: what a panel
    /// and most clients send. These spellings were parsed when the list was
    /// made, so the answer is [`normalize`] then [`lookup`](Self::lookup)'s
    /// without parsing again (a parse costs about 60 µs; a proxied query
    /// took three). Any other spelling is `None`: parse it.
    pub fn known_spelling(&self, expr: &str) -> Option<&str> {
        // A normal form reads back as itself (`normalize` checks), so it is
        // its own key.
        self.lookup(expr).or_else(|| {
            self.configured
                .get(expr)
                .and_then(|normal| self.lookup(normal))
        })
    }

    /// How many distinct expressions are allowed.
    pub fn len(&self) -> usize {
        self.allowed.len()
    }

    /// Whether nothing is allowed.
    pub fn is_empty(&self) -> bool {
        self.allowed.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_that_do_not_read_back_are_refused() {
        let error = normalize("up offset 0").expect_err("offset 0 prints as offset 0s");
        assert!(error.reason.contains("does not read back"), "{error}");
        assert!(normalize("up offset 5m").is_ok());
    }

    const LATENCY: &str = r#"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))"#;

    fn allowlist() -> Allowlist {
        Allowlist::new([LATENCY, "up"]).expect("valid")
    }

    fn allowed(expr: &str) -> Option<String> {
        let list = allowlist();
        normalize(expr)
            .ok()
            .and_then(|n| list.lookup(&n).map(str::to_owned))
    }

    #[test]
    fn formatting_differences_match_the_configured_text() {
        for variant in [
            LATENCY,
            "histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{job='api'}[5m])) by (le))",
            "histogram_quantile( 0.95 ,\n  sum by(le)(rate(http_request_duration_seconds_bucket{job=\"api\"}[300s])) ) # p95",
            "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job=\"\\u0061pi\"}[5m])))",
        ] {
            assert_eq!(allowed(variant).as_deref(), Some(LATENCY), "{variant:?}");
        }
        assert_eq!(allowed("  up  ").as_deref(), Some("up"));
    }

    #[test]
    fn known_spellings_resolve_as_parsing_would_and_no_others() {
        let configured = "sum(rate(x[300s])) by (job)";
        // Configured twice in two spellings: one expression, one answer.
        let list =
            Allowlist::new([configured, LATENCY, "sum by (job) (rate(x[5m]))"]).expect("valid");
        let normal = normalize(configured).expect("valid");
        assert_ne!(
            normal, configured,
            "the normal form is a spelling of its own"
        );
        for spelling in [configured, normal.as_str(), LATENCY] {
            let parsed = normalize(spelling).ok();
            let parsed = parsed.as_deref().and_then(|n| list.lookup(n));
            assert!(parsed.is_some(), "{spelling:?}");
            assert_eq!(list.known_spelling(spelling), parsed, "{spelling:?}");
        }
        // Other spellings of allowed expressions are parsed; others are not
        // allowed at all.
        for other in [
            " sum(rate(x[300s])) by (job)",
            "sum(rate(x[5m])) by (job) # comment",
            "histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{job='api'}[5m])) by (le))",
            "up or secret_metric",
            "1+1",
        ] {
            assert_eq!(list.known_spelling(other), None, "{other:?}");
        }
    }

    #[test]
    fn other_expressions_do_not_match() {
        for other in [
            "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job=\"api\"}[5m])))",
            "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job=\"admin\"}[5m])))",
            "up or secret_metric",
            "up # comment\n or secret_metric",
            "{__name__=~\".+\"}",
            "count(up)",
        ] {
            assert_eq!(allowed(other), None, "{other:?}");
        }
    }

    #[test]
    fn only_arithmetic_on_numbers_is_constant() {
        for constant in ["1+1", "1 + 1", "-(2 * 3)", "(1)"] {
            assert!(is_constant(constant), "{constant}");
        }
        for other in ["up", "vector(1)", "time()", "1 + up", "sum(up)", "1 +"] {
            assert!(!is_constant(other), "{other}");
        }
    }

    #[test]
    fn the_allowlist_knows_the_series_its_expressions_read() {
        let texts: Vec<String> = allowlist()
            .selectors()
            .iter()
            .map(SeriesSelector::text)
            .collect();
        assert_eq!(
            texts,
            [r#"http_request_duration_seconds_bucket{job="api"}"#, "up"]
        );
    }

    #[test]
    fn unparsable_expressions_are_refused_with_the_reason() {
        let error = Allowlist::new(["sum(rate(x[5m])"]).expect_err("unbalanced");
        assert!(error.to_string().contains("sum(rate(x[5m])"), "{error}");
        assert!(normalize("up{").is_err());
    }
}
