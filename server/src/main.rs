//! The `porthole` binary: parse the command line, start logging, run.

use std::process::ExitCode;

mod cli;
mod incident_command;

use clap::Parser;
use cli::{BackfillArgs, Cli, Command, ExportArgs, HealthArgs, ImportArgs, ServeArgs, SignArgs};
use porthole::{
    config::ServeConfig,
    db::Db,
    kpi::{KpiStore, capture::KpiCapture, known_metrics, transfer},
};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        // Colours for a person at a terminal; plain text for journald,
        // files and the programs that read them.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let Cli { command } = Cli::parse();
    let result = match command {
        Command::Serve(args) => match ServeConfig::resolve(args.clone().into()) {
            Ok(config) => porthole::serve(config, args.into())
                .await
                .map_err(|e| e.to_string()),
            Err(error) => Err(error.to_string()),
        },
        Command::Import(args) => import(args),
        Command::Export(args) => export(args),
        Command::Backfill(args) => backfill(args).await,
        Command::CheckConfig(args) => check_config(args),
        Command::Sign(args) => sign(args),
        Command::Health(args) => health(args).await,
        Command::Incident { command } => {
            incident_command::run(command, &mut std::io::stdout().lock()).await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            ExitCode::FAILURE
        }
    }
}

/// `GET /health` of the server at `args.addr`; an error unless it answers
/// 200 within five seconds.
async fn health(args: HealthArgs) -> Result<(), String> {
    let url = format!("http://{}/health", args.addr);
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .map_err(|e| e.to_string())?;
    let answer = client
        .get(&url)
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    if answer.status().is_success() {
        Ok(())
    } else {
        Err(format!("{url} answered {}", answer.status()))
    }
}

fn import(args: ImportArgs) -> Result<(), String> {
    let config = ServeConfig::resolve(args.settings.into()).map_err(|e| e.to_string())?;
    let db = Db::open(&config.duckdb_path).map_err(|e| e.to_string())?;
    let loaded = transfer::import_csv(&db, &args.csv, &known_metrics(&config.kpi_metrics))
        .map_err(|e| e.to_string())?;
    tracing::info!("imported {loaded} values from {}", args.csv.display());
    Ok(())
}

fn check_config(args: ServeArgs) -> Result<(), String> {
    let config = ServeConfig::resolve(args.into()).map_err(|e| e.to_string())?;
    let file = config
        .config_path
        .as_ref()
        .map_or_else(|| "the defaults".to_owned(), |p| p.display().to_string());
    tracing::info!(
        "{file} is valid: {} dashboards, {} panels, {} services, {} allowed PromQL expressions",
        config.dashboards.len(),
        config.dashboards.panel_count(),
        config.services.len(),
        config.prometheus.as_ref().map_or(0, |p| p.allowlist.len())
    );
    Ok(())
}

/// Prints a signed link to a private dashboard on stdout (the link is the
/// command's output; everything else goes to the log).
fn sign(args: SignArgs) -> Result<(), String> {
    let config = ServeConfig::resolve(args.settings.into()).map_err(|e| e.to_string())?;
    let Some(dashboard) = config.dashboards.get(&args.dashboard) else {
        return Err(format!(
            "there is no dashboard {:?} in {}",
            args.dashboard,
            config
                .config_path
                .as_ref()
                .map_or_else(|| "the defaults".to_owned(), |p| p.display().to_string())
        ));
    };
    if dashboard.public {
        tracing::warn!(
            "dashboard {:?} is public: the link works without its token too; set public = false to make it private",
            dashboard.id
        );
    }
    let ttl = porthole::prom::time::parse_duration(&args.ttl)
        .map_err(|e| format!("--ttl {:?}: {e}", args.ttl))?;
    let expires = chrono::Utc::now().timestamp()
        + i64::try_from(ttl.as_secs()).map_err(|_| format!("--ttl {:?} is too long", args.ttl))?;
    let token = config.signing_key.sign(&dashboard.id, expires).ok_or(
        "set PORTHOLE_SIGNING_KEY (at least 32 characters; the server must use the same key)",
    )?;
    let base = args
        .base_url
        .or_else(|| config.public_url.clone())
        .unwrap_or_else(|| format!("http://{}", config.addr));
    let path = porthole_model::Id::new(&dashboard.id)
        .map(porthole_model::Route::dashboard_page)
        .ok_or_else(|| format!("{:?} is not a dashboard id", dashboard.id))?
        .href();
    #[allow(clippy::print_stdout)] // the link is what the command prints
    {
        println!("{}{path}?token={token}", base.trim_end_matches('/'));
    }
    tracing::info!(
        "the link works until {} UTC",
        chrono::DateTime::from_timestamp(expires, 0)
            .map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M").to_string())
    );
    Ok(())
}

fn export(args: ExportArgs) -> Result<(), String> {
    let config = ServeConfig::resolve(args.settings.into()).map_err(|e| e.to_string())?;
    let db = Db::open(&config.duckdb_path).map_err(|e| e.to_string())?;
    let written = transfer::export(&db, &args.out, args.format).map_err(|e| e.to_string())?;
    tracing::info!("exported {written} values to {}", args.out.display());
    Ok(())
}

/// Takes the missing days with a progress bar on a terminal (and the log's
/// summary either way).
async fn backfill(args: BackfillArgs) -> Result<(), String> {
    let config = ServeConfig::resolve(args.settings.into()).map_err(|e| e.to_string())?;
    let days = args.days.unwrap_or(config.kpi_backfill_days);
    let db = Db::open(&config.duckdb_path).map_err(|e| e.to_string())?;
    let client = config
        .prometheus
        .as_ref()
        .map(porthole::prom::PromClient::from_settings)
        .transpose()
        .map_err(|e| format!("the upstream's client: {e}"))?;
    let capture = KpiCapture::new(
        KpiStore::new(db.clone()),
        client,
        config.kpi_queries.clone(),
        config.snapshot_at,
        days,
    );
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} days ({eta} left)")
            .map_err(|e| e.to_string())?,
    );
    let report = capture
        .backfill(chrono::Utc::now(), days, |progress| {
            bar.set_length(progress.missing as u64);
            bar.set_position(progress.done as u64);
        })
        .await
        .map_err(|e| e.to_string());
    bar.finish_and_clear();
    let report = report?;
    db.run(|connection| Ok(connection.execute_batch("CHECKPOINT")?))
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(
        "backfilled the last {days} days: {} were missing, {} taken, {} had no value upstream",
        report.missing,
        report.taken,
        report.empty
    );
    Ok(())
}
