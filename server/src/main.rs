//! The `porthole` binary: parse the command line, start logging, run.

use std::process::ExitCode;

use clap::Parser;
use porthole::{
    config::{Cli, Command, ServeConfig},
    db::Db,
    kpi::transfer,
    routes::analytics::known_metrics,
};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let Cli { command } = Cli::parse();
    let result = match command {
        Command::Serve(args) => match ServeConfig::resolve(args.clone()) {
            Ok(config) => porthole::serve(config, args)
                .await
                .map_err(|e| e.to_string()),
            Err(error) => Err(error.to_string()),
        },
        Command::Import(args) => import(args),
        Command::Export(args) => export(args),
        Command::CheckConfig(args) => check_config(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}

fn import(args: porthole::config::ImportArgs) -> Result<(), String> {
    let config = ServeConfig::resolve(args.settings).map_err(|e| e.to_string())?;
    let db = Db::open(&config.duckdb_path).map_err(|e| e.to_string())?;
    let loaded = transfer::import_csv(&db, &args.csv, &known_metrics(&config.kpi_metrics))
        .map_err(|e| e.to_string())?;
    tracing::info!("imported {loaded} values from {}", args.csv.display());
    Ok(())
}

fn check_config(args: porthole::config::ServeArgs) -> Result<(), String> {
    let config = ServeConfig::resolve(args).map_err(|e| e.to_string())?;
    let checked = porthole::state::check(&config).map_err(|e| e.to_string())?;
    let file = config
        .config_path
        .as_ref()
        .map_or_else(|| "the defaults".to_owned(), |p| p.display().to_string());
    tracing::info!(
        "{file} is valid: {} dashboards, {} panels, {} services, {} allowed PromQL expressions",
        checked.dashboards.len(),
        checked.dashboards.panel_count(),
        config.services.len(),
        checked.allowlist.as_ref().map_or(0, |a| a.len())
    );
    Ok(())
}

fn export(args: porthole::config::ExportArgs) -> Result<(), String> {
    let config = ServeConfig::resolve(args.settings).map_err(|e| e.to_string())?;
    let db = Db::open(&config.duckdb_path).map_err(|e| e.to_string())?;
    let written = transfer::export(&db, &args.out, args.format).map_err(|e| e.to_string())?;
    tracing::info!("exported {written} values to {}", args.out.display());
    Ok(())
}
