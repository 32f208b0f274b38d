//! porthole.toml: any text is a config or a message naming what to change,
//! never a panic; a config that is accepted builds its dashboards.
#![no_main]

use libfuzzer_sys::fuzz_target;
use porthole_input::{
    config::{ServeArgs, ServeConfig},
    dashboards::Dashboards,
};

fuzz_target!(|text: &str| {
    let args = ServeArgs {
        config: Some("porthole.toml".into()),
        ..ServeArgs::default()
    };
    match ServeConfig::from_text(args, text) {
        Ok(config) => {
            if let Err(error) = Dashboards::with_overview(&config.dashboards, &config.overview) {
                panic!("accepted, then its dashboards fail: {error}");
            }
        }
        Err(error) => assert!(!error.to_string().is_empty()),
    }
});
