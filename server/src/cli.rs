//! The `porthole` command line: subcommands and flags (clap), each flag with
//! its environment twin. What `serve` and the other commands share is handed
//! to the configuration as [`Overrides`]; the configuration crate knows
//! nothing of clap.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand, builder::PossibleValuesParser, builder::TypedValueParser};
use porthole::{config::Overrides, kpi::transfer::ExportFormat};

/// The `porthole` command line.
#[derive(Debug, Parser)]
#[command(
    name = "porthole",
    version = porthole::VERSION,
    about = "A public, read-only metrics dashboard"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the dashboard over HTTP.
    Serve(ServeArgs),
    /// Load KPI history from a CSV file into the KPI database.
    Import(ImportArgs),
    /// Write every stored KPI to a backup file (DuckDB's COPY).
    Export(ExportArgs),
    /// Take missing daily KPI snapshots from the upstream's history
    /// ([kpi.queries]); stop the server first, it holds the database.
    Backfill(BackfillArgs),
    /// Check porthole.toml (dashboards, panels, PromQL, allowlist) without serving.
    CheckConfig(ServeArgs),
    /// Print a signed link to a private dashboard (key from PORTHOLE_SIGNING_KEY).
    Sign(SignArgs),
    /// Ask a running server whether it is healthy (`GET /health`): exits 0
    /// when it answers 200, 1 otherwise. For container health checks.
    Health(HealthArgs),
    /// Open, update, resolve or list incidents on a running server (admin
    /// token from PORTHOLE_ADMIN_TOKEN).
    Incident {
        #[command(subcommand)]
        command: crate::incident_command::IncidentCommand,
    },
}

/// Flags of `porthole health`.
#[derive(Debug, Clone, Args)]
pub struct HealthArgs {
    /// The server's address, as `serve --addr` was given.
    #[arg(long, env = "PORTHOLE_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
}

/// Flags of `porthole sign`.
#[derive(Debug, Clone, Args)]
pub struct SignArgs {
    /// The dashboard's id.
    #[arg(long)]
    pub dashboard: String,
    /// How long the link works, e.g. 12h, 7d, 30d.
    #[arg(long, default_value = "7d")]
    pub ttl: String,
    /// Where Porthole is reached, to print a whole link [default: `[server] public_url`, else http://<addr>].
    #[arg(long)]
    pub base_url: Option<String>,
    /// The configuration the dashboard is defined in.
    #[command(flatten)]
    pub settings: ServeArgs,
}

/// Flags of `porthole import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The CSV file: `date,metric,value` rows (as `porthole export` and
    /// `/api/v1/analytics/export.csv` write), or one `date` column plus one
    /// column per metric.
    #[arg(long)]
    pub csv: PathBuf,
    /// Where the KPI database is.
    #[command(flatten)]
    pub settings: ServeArgs,
}

/// Flags of `porthole backfill`.
#[derive(Debug, Clone, Args)]
pub struct BackfillArgs {
    /// How many days back, today included [default: `[kpi] backfill_days`, else 400].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(porthole::config::MAX_BACKFILL_DAYS)))]
    pub days: Option<u32>,
    /// The configuration with the queries and the upstream.
    #[command(flatten)]
    pub settings: ServeArgs,
}

/// Flags of `porthole export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The file format.
    #[arg(long, value_parser = PossibleValuesParser::new(["parquet", "csv"]).map(|format| {
        if format == "csv" { ExportFormat::Csv } else { ExportFormat::Parquet }
    }))]
    pub format: ExportFormat,
    /// The file to write (replaced if it exists).
    #[arg(long)]
    pub out: PathBuf,
    /// Where the KPI database is.
    #[command(flatten)]
    pub settings: ServeArgs,
}

/// Flags of `porthole serve`; unset ones fall back to the config file, then defaults.
#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:3000].
    #[arg(long, env = "PORTHOLE_ADDR")]
    pub addr: Option<SocketAddr>,
    /// Path of porthole.toml.
    #[arg(long, env = "PORTHOLE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Directory for Porthole's own data files [default: ./data].
    #[arg(long, env = "PORTHOLE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Directory of the built site (WASM, JS, CSS, icons) [default: target/site].
    #[arg(long, env = "PORTHOLE_SITE_ROOT")]
    pub site_root: Option<PathBuf>,
    /// Where visitors reach Porthole, e.g. https://status.example.com: the
    /// base of absolute links (link previews, the Share dialog, signed links,
    /// snapshots) [default: relative links only].
    #[arg(long, env = "PORTHOLE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The KPI database file [default: <data-dir>/porthole.duckdb].
    #[arg(long, env = "DUCKDB_PATH")]
    pub duckdb_path: Option<PathBuf>,
    /// Do not seed demo KPI history into an empty store.
    #[arg(long, env = "PORTHOLE_NO_DEMO")]
    pub no_demo: bool,
    /// Base URL of the Prometheus-compatible server (Prometheus,
    /// VictoriaMetrics) the latency and rate panels read from.
    #[arg(long, env = "PROMETHEUS_URL")]
    pub prometheus_url: Option<String>,
}

impl From<ServeArgs> for Overrides {
    fn from(args: ServeArgs) -> Self {
        let ServeArgs {
            addr,
            config,
            data_dir,
            site_root,
            public_url,
            duckdb_path,
            no_demo,
            prometheus_url,
        } = args;
        Self {
            addr,
            config,
            data_dir,
            site_root,
            public_url,
            duckdb_path,
            no_demo,
            prometheus_url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_reads_each_format_and_refuses_others() {
        let parse = |format: &str| {
            Cli::try_parse_from(["porthole", "export", "--format", format, "--out", "x"]).map(
                |cli| match cli.command {
                    Command::Export(args) => Some(args.format),
                    _ => None,
                },
            )
        };
        assert_eq!(parse("csv").ok().flatten(), Some(ExportFormat::Csv));
        assert_eq!(parse("parquet").ok().flatten(), Some(ExportFormat::Parquet));
        let refused = parse("xlsx")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            refused.contains("possible values: parquet, csv"),
            "{refused}"
        );
    }

    #[test]
    fn backfill_days_are_bounded() {
        let days = |text: &str| {
            Cli::try_parse_from(["porthole", "backfill", "--days", text]).map(|cli| match cli {
                Cli {
                    command: Command::Backfill(args),
                } => args.days,
                _ => None,
            })
        };
        assert_eq!(days("30").ok().flatten(), Some(30));
        for bad in ["0", "-1", "3661", "a year"] {
            assert!(days(bad).is_err(), "--days {bad} is refused");
        }
    }

    #[test]
    fn serve_flags_become_overrides() {
        let cli = Cli::try_parse_from(["porthole", "serve", "--addr", "127.0.0.1:9", "--no-demo"])
            .map_err(|e| e.to_string());
        let Ok(Cli {
            command: Command::Serve(args),
        }) = cli
        else {
            panic!("serve parses: {cli:?}");
        };
        let overrides = Overrides::from(args);
        assert_eq!(overrides.addr, Some(SocketAddr::from(([127, 0, 0, 1], 9))));
        assert!(overrides.no_demo);
    }
}
