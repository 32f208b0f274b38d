//! porthole.toml: any text is a config or a message naming what to change,
//! never a panic; a config that is accepted has resolved its dashboards, the
//! overview among them, and its allowlist holds what public panels run.
#![no_main]

use libfuzzer_sys::fuzz_target;
use porthole_config::{Overrides, ServeConfig, dashboards::OVERVIEW, prom::allowlist::normalize};

fuzz_target!(|text: &str| {
    let overrides = Overrides {
        config: Some("porthole.toml".into()),
        ..Overrides::default()
    };
    match ServeConfig::from_text(overrides, text) {
        Ok(config) => {
            assert!(
                config.dashboards.get(OVERVIEW).is_some(),
                "accepted without an overview"
            );
            if let Some(prometheus) = &config.prometheus {
                for expr in config
                    .dashboards
                    .public_prom_expressions(prometheus.scrape_interval)
                {
                    let normalized = normalize(&expr).expect("a public panel's PromQL parses");
                    assert!(
                        prometheus.allowlist.lookup(&normalized).is_some(),
                        "{expr} runs on a public panel but is not allowed"
                    );
                }
            }
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
});
