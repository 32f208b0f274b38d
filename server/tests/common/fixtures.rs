//! Dashboards the tests share, as porthole.toml text.

/// A dashboard `api` with one panel, `requests`: request rates by status
/// code, for tests that append it to a porthole.toml of their own.
pub const REQUESTS_DASHBOARD: &str = r#"
[[dashboard]]
id = "api"
title = "API"

[[dashboard.panel]]
id = "requests"
kind = "rate"
title = "Requests by status"
counter = 'http_requests_total{job="api"}'
by = "code"
"#;

/// A private dashboard `finance` and a public one, `product`, each with a
/// `users` growth panel; `product` has a `summary` card too.
pub const FINANCE_AND_PRODUCT: &str = r#"
[[dashboard]]
id = "finance"
title = "Finance"
public = false
[[dashboard.panel]]
id = "users"
kind = "growth"
title = "Paying users"

[[dashboard]]
id = "product"
title = "Product"
[[dashboard.panel]]
id = "users"
kind = "growth"
title = "Users"
[[dashboard.panel]]
id = "summary"
kind = "stat"
title = "Summary"
"#;
