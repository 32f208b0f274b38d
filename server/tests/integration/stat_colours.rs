//! Stat panels over a real VictoriaMetrics say whether a change is good
//! news: an error rate that fell is an improvement (green), the same fall
//! read as "higher is better" is a worsening (red), in colour and in words.

use crate::common;

use common::{TestApp, get, upstream::VictoriaMetrics};

const CONFIG: &str = r#"
[prometheus]
url = "UPSTREAM"
refresh = "1s"

[[dashboard]]
id = "ops"
title = "Operations"

[[dashboard.panel]]
id = "errors"
kind = "stat"
title = "Error rate"
query = 'errors_percent{job="api"}'
unit = "percent"
better = "lower"

[[dashboard.panel]]
id = "throughput"
kind = "stat"
title = "Throughput"
query = 'errors_percent{job="api"}'
unit = "percent"
"#;

/// The HTML of panel `id` on `page`.
fn panel<'a>(page: &'a str, id: &str) -> &'a str {
    page.split(&format!(r#"data-panel="{id}""#))
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap_or_else(|| panic!("panel {id} in {page}"))
}

#[tokio::test]
async fn a_falling_error_rate_is_good_news_and_a_falling_count_is_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vm = VictoriaMetrics::start(dir.path()).await;
    let now = chrono::Utc::now().timestamp();
    // From 5% an hour ago down to 1% now.
    let samples: String = (0..=60)
        .map(|minute| {
            let value = 5.0 - 4.0 * f64::from(minute) / 60.0;
            let at = (now - 3600 + i64::from(minute) * 60) * 1000;
            format!("errors_percent{{job=\"api\"}} {value} {at}\n")
        })
        .collect();
    vm.import(&samples).await;
    let app = TestApp::new(dir.path())
        .with_config(&CONFIG.replace("UPSTREAM", &vm.url()))
        .router()
        .await;
    let page = get(&app, "/d/ops?range=1h").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let errors = panel(&page.body, "errors");
    assert!(errors.contains(r#"class="change good""#), "{errors}");
    assert!(errors.contains("▼"), "the arrow says it fell: {errors}");
    assert!(errors.contains(", an improvement"), "{errors}");
    let throughput = panel(&page.body, "throughput");
    assert!(throughput.contains(r#"class="change bad""#), "{throughput}");
    assert!(throughput.contains(", a worsening"), "{throughput}");
}
