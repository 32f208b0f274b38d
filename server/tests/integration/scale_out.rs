//! Two Porthole replicas behind Debian's nginx as the cache (the
//! configuration in deploy/nginx.conf): viewers get the same data from
//! either replica and from the cache, the cache serves repeat viewers
//! itself, and the metrics server sees one query per panel per window.

use crate::common;

use std::{path::Path, time::Duration};

use common::{
    TestApp,
    fixtures::REQUESTS_DASHBOARD,
    upstream::{Nginx, VictoriaMetrics},
};

/// How long panel answers stay current here: long enough that the test
/// runs inside one window.
const REFRESH_SECONDS: i64 = 300;

/// nginx with deploy/nginx.conf in front of two replicas.
async fn start_nginx(dir: &Path, replicas: [&str; 2]) -> Nginx {
    let snippet = std::fs::read_to_string(common::checkout::checkout_path("../deploy/nginx.conf"))
        .expect("deploy/nginx.conf");
    Nginx::start(dir, |port| {
        snippet
            .replace("127.0.0.1:3000;", &format!("{};", replicas[0]))
            .replace("127.0.0.1:3001;", &format!("{};", replicas[1]))
            .replace(
                "listen 127.0.0.1:8080;",
                &format!("listen 127.0.0.1:{port};"),
            )
            .replace(
                "/var/cache/nginx/porthole",
                &dir.join("cache").display().to_string(),
            )
    })
    .await
}

fn config(upstream: &str) -> String {
    format!(
        r#"
[prometheus]
url = "{upstream}"
refresh = "{REFRESH_SECONDS}s"

[limits]
trusted_proxies = ["127.0.0.1"]
{REQUESTS_DASHBOARD}"#
    )
}

/// A counter per status code, scraped every 15 s for the last 20 minutes.
fn samples(now: i64) -> String {
    let mut text = String::new();
    for (i, t) in (now - 1200..=now).step_by(15).enumerate() {
        let n = i as i64 + 1;
        text += &format!(
            "http_requests_total{{job=\"api\",code=\"200\"}} {} {}\n",
            9 * n,
            t * 1000
        );
        text += &format!(
            "http_requests_total{{job=\"api\",code=\"500\"}} {n} {}\n",
            t * 1000
        );
    }
    text
}

struct Answer {
    status: u16,
    cache: String,
    etag: String,
    body: String,
}

async fn fetch(client: &reqwest::Client, url: &str) -> Answer {
    let response = client.get(url).send().await.expect("request");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (cache, etag) = (header("x-cache-status"), header("etag"));
    Answer {
        status: response.status().as_u16(),
        cache,
        etag,
        body: response.text().await.expect("body"),
    }
}

#[tokio::test]
async fn replicas_behind_nginx_agree_and_the_upstream_sees_one_query_per_panel_per_window() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vm = VictoriaMetrics::start(&dir.path().join("vm")).await;
    let now = chrono::Utc::now().timestamp();
    vm.import(&samples(now)).await;
    let replicas = [dir.path().join("a"), dir.path().join("b")];
    let mut urls = Vec::new();
    for replica in &replicas {
        std::fs::create_dir_all(replica).expect("replica dir");
        urls.push(
            TestApp::new(replica)
                .with_config(&config(&vm.url()))
                .serve()
                .await,
        );
    }
    let hosts: Vec<&str> = urls
        .iter()
        .map(|u| u.trim_start_matches("http://"))
        .collect();
    let nginx_dir = dir.path().join("nginx");
    std::fs::create_dir_all(&nginx_dir).expect("nginx dir");
    let nginx = start_nginx(&nginx_dir, [hosts[0], hosts[1]]).await;
    let client = reqwest::Client::new();

    // Stay inside one refresh window for the count below.
    let into = chrono::Utc::now().timestamp().rem_euclid(REFRESH_SECONDS);
    if into > REFRESH_SECONDS - 30 {
        tokio::time::sleep(Duration::from_secs((REFRESH_SECONDS - into + 1) as u64)).await;
    }
    let panel = format!("{}/api/panels/api/requests?range=1h", nginx.url());
    let before = vm.requests_served("/api/v1/query_range").await;

    let first = fetch(&client, &panel).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.cache, "MISS");
    assert!(first.body.contains("\"series\""), "{}", first.body);
    let mut viewers = Vec::new();
    for _ in 0..4 {
        viewers.extend(futures::future::join_all((0..25).map(|_| fetch(&client, &panel))).await);
    }
    for viewer in &viewers {
        assert_eq!(viewer.status, 200);
        assert_eq!(viewer.cache, "HIT");
        assert_eq!(viewer.body, first.body, "every viewer sees the same data");
    }
    assert_eq!(
        vm.requests_served("/api/v1/query_range").await - before,
        1,
        "101 viewers, one panel, one window: one upstream query"
    );

    // Either replica, asked directly, answers the same data with the same
    // ETag as the cache holds.
    for url in &urls {
        let direct = fetch(&client, &format!("{url}/api/panels/api/requests?range=1h")).await;
        assert_eq!(direct.status, 200);
        assert_eq!(direct.body, first.body, "{url} agrees with the cache");
        assert_eq!(direct.etag, first.etag, "{url}: the same ETag");
    }

    // The cache revalidates and answers 304 with the replicas' ETag.
    let revalidated = client
        .get(&panel)
        .header("if-none-match", &first.etag)
        .send()
        .await
        .expect("revalidate");
    assert_eq!(revalidated.status(), 304);

    // Pages too: the second viewer is served by the cache.
    let page = format!("{}/d/api?range=1h", nginx.url());
    let page_first = fetch(&client, &page).await;
    assert_eq!(page_first.status, 200);
    assert!(page_first.body.contains("Requests by status"));
    let page_again = fetch(&client, &page).await;
    assert_eq!(page_again.cache, "HIT");
    assert_eq!(page_again.body, page_first.body);
}

/// Behind nginx, a private dashboard answers its signed link only, in every
/// spelling, and an answer to the admin token is never served to anyone
/// else from the cache.
#[tokio::test]
async fn nginx_never_serves_private_or_admin_answers_from_its_cache() {
    const KEY: &str = "an example signing key, 32+ bytes long";
    const TOKEN: &str = "scale-out-admin-token-0123456789abcdef";
    let dir = tempfile::tempdir().expect("tempdir");
    let vm = VictoriaMetrics::start(&dir.path().join("vm")).await;
    vm.import(&samples(chrono::Utc::now().timestamp())).await;
    let replica = dir.path().join("replica");
    std::fs::create_dir_all(&replica).expect("replica dir");
    let private = "\n[[dashboard]]\nid = \"finance\"\ntitle = \"Finance\"\npublic = false\n\n[[dashboard.panel]]\nid = \"users\"\nkind = \"growth\"\ntitle = \"Paying users\"\n";
    let url = TestApp::new(&replica)
        .with_config(&format!("{}{private}", config(&vm.url())))
        .with_signing_key(KEY)
        .with_admin_token(TOKEN)
        .serve()
        .await;
    let host = url.trim_start_matches("http://").to_owned();
    let nginx_dir = dir.path().join("nginx");
    std::fs::create_dir_all(&nginx_dir).expect("nginx dir");
    let nginx = start_nginx(&nginx_dir, [&host, &host]).await;
    let client = reqwest::Client::new();
    let token = porthole::signing::SigningKey::new(Some(KEY))
        .expect("key")
        .sign("finance", chrono::Utc::now().timestamp() + 600)
        .expect("token");

    for path in [
        "/d/finance",
        "/api/panels/finance/users",
        "/render/finance/users.svg",
    ] {
        let signed = fetch(
            &client,
            &format!("{}{path}?range=7d&token={token}", nginx.url()),
        )
        .await;
        assert_eq!(signed.status, 200, "{path}: {}", signed.body);
        for _ in 0..2 {
            let bare = fetch(&client, &format!("{}{path}?range=7d", nginx.url())).await;
            assert_eq!(bare.status, 403, "{path} without its token");
            assert!(!bare.body.contains("Paying users"), "{path}: {}", bare.body);
        }
        for spelling in ["fin%61nce", "Finance", "finance%2F"] {
            let other = path.replacen("finance", spelling, 1);
            let answer = fetch(&client, &format!("{}{other}?range=7d", nginx.url())).await;
            assert_eq!(answer.status, 404, "{other}");
            assert!(
                !answer.body.contains("Paying users"),
                "{other}: {}",
                answer.body
            );
        }
    }

    // The admin token runs any expression; its answer is for it alone.
    let query = format!(
        "{}/api/v1/query?query=count(http_requests_total)",
        nginx.url()
    );
    for _ in 0..2 {
        let admin = client
            .get(&query)
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("admin");
        assert_eq!(admin.status(), 200);
        assert_ne!(
            admin.headers()["x-cache-status"].to_str().expect("ascii"),
            "HIT",
            "an admin answer never comes from the cache"
        );
    }
    let stranger = fetch(&client, &query).await;
    assert_eq!(stranger.status, 403, "{}", stranger.body);
    assert_ne!(stranger.cache, "HIT");
}

/// A replica with `[kpi] follow` shows the KPIs pushed to the primary.
#[tokio::test]
async fn a_replica_copies_the_kpis_pushed_to_the_primary() {
    const TOKEN: &str = "scale-out-admin-token-0123456789abcdef";
    let dir = tempfile::tempdir().expect("tempdir");
    let (primary_dir, replica_dir) = (dir.path().join("primary"), dir.path().join("replica"));
    for d in [&primary_dir, &replica_dir] {
        std::fs::create_dir_all(d).expect("dir");
    }
    let primary = TestApp::new(&primary_dir)
        .with_config("")
        .with_admin_token(TOKEN)
        .serve()
        .await;
    let replica = TestApp::new(&replica_dir)
        .with_config(&format!(
            "[kpi]\nfollow = \"{primary}\"\nfollow_every = \"1s\"\n"
        ))
        .serve()
        .await;
    let client = reqwest::Client::new();
    let today = chrono::Utc::now().date_naive();
    let pushed = client
        .post(format!("{primary}/api/v1/kpis"))
        .bearer_auth(TOKEN)
        .json(&serde_json::json!({"date": today.to_string(), "metrics": {"total_users": 4242}}))
        .send()
        .await
        .expect("push");
    assert!(pushed.status().is_success(), "{}", pushed.status());

    let latest = format!("{replica}/api/v1/analytics/latest");
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let answer: serde_json::Value = client
            .get(&latest)
            .send()
            .await
            .expect("latest")
            .json()
            .await
            .unwrap_or_default();
        if answer["total_users"] == 4242 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the replica never showed the primary's KPI: {answer}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
