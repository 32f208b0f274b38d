//! Dashboards the tests share, as porthole.toml text, and services.

use std::time::Duration;

use porthole::config::{HttpCheck, ServiceConfig};

/// The admin token of tests that write as an operator.
pub const ADMIN_TOKEN: &str = "an-admin-token-long-enough-to-be-accepted";

/// A service `id` named `name` in group `group` whose HTTP check (of a
/// closed loopback port) is hourly: it stays unchecked for a test's time.
pub fn quiet_service(id: &str, name: &str, group: &str) -> ServiceConfig {
    ServiceConfig {
        id: id.to_owned(),
        name: name.to_owned(),
        group: group.to_owned(),
        http: Some(HttpCheck {
            url: reqwest::Url::parse("http://127.0.0.1:9/").expect("url"),
            expect_status: Some(200),
            expect_body: None,
        }),
        interval: Duration::from_secs(3600),
        timeout: Duration::from_secs(1),
        slow: None,
        ..Default::default()
    }
}

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
