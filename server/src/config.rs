//! Porthole's configuration: command line, environment and `porthole.toml`.
//!
//! Every setting has a flag and an environment twin (`--addr` and
//! `PORTHOLE_ADDR`); the flag wins over the variable, the variable over the
//! file, the file over the default. Errors here are `ConfigError`, printed at
//! start-up with what to change.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

use clap::{Args, Parser, Subcommand};
use serde::Deserialize;

/// The `porthole` command line.
#[derive(Debug, Parser)]
#[command(
    name = "porthole",
    version,
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

/// File formats `porthole export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Apache Parquet.
    Parquet,
    /// CSV with a header row.
    Csv,
}

/// Flags of `porthole export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The file format.
    #[arg(long, value_enum)]
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
    /// The KPI database file [default: <data-dir>/porthole.duckdb].
    #[arg(long, env = "DUCKDB_PATH")]
    pub duckdb_path: Option<PathBuf>,
    /// Do not seed demo KPI history into an empty store.
    #[arg(long, env = "PORTHOLE_NO_DEMO")]
    pub no_demo: bool,
}

/// The `[server]` table of porthole.toml; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    server: ServerSection,
    #[serde(default)]
    kpi: KpiSection,
}

/// The `[kpi]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct KpiSection {
    path: Option<PathBuf>,
    #[serde(default)]
    metrics: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServerSection {
    addr: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    site_root: Option<PathBuf>,
}

/// The settings `porthole serve` runs with, every default applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeConfig {
    /// Address the HTTP server listens on.
    pub addr: SocketAddr,
    /// Directory for Porthole's own data files; created if missing.
    pub data_dir: PathBuf,
    /// Directory of the built site, as left by `make build` under `target/site`.
    pub site_root: PathBuf,
    /// The KPI database file.
    pub duckdb_path: PathBuf,
    /// Whether an empty KPI store is seeded with demo history.
    pub demo: bool,
    /// KPI names accepted besides the well-known ones (`[kpi] metrics`).
    pub kpi_metrics: Vec<String>,
}

/// Why the configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error(
        "cannot read config file {path}: {source}; check the path given by --config or PORTHOLE_CONFIG"
    )]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The config file is not valid.
    #[error("invalid config file {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message, with line and column.
        message: String,
    },
}

impl ServeConfig {
    /// Resolves flags, environment, the config file and defaults into one config.
    pub fn resolve(args: ServeArgs) -> Result<Self, ConfigError> {
        let file = match &args.config {
            Some(path) => load_file(path)?,
            None => FileConfig::default(),
        };
        let data_dir = args
            .data_dir
            .or(file.server.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        for metric in &file.kpi.metrics {
            if !is_metric_name(metric) {
                return Err(ConfigError::Parse {
                    path: args.config.clone().unwrap_or_default(),
                    message: format!(
                        "[kpi] metrics: {metric:?} is not a valid KPI name; use lowercase letters, digits and _ (at most 64), starting with a letter"
                    ),
                });
            }
        }
        Ok(Self {
            duckdb_path: args
                .duckdb_path
                .or(file.kpi.path)
                .unwrap_or_else(|| data_dir.join("porthole.duckdb")),
            data_dir,
            demo: !args.no_demo,
            kpi_metrics: file.kpi.metrics,
            addr: args
                .addr
                .or(file.server.addr)
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000))),
            site_root: args
                .site_root
                .or(file.server.site_root)
                .unwrap_or_else(|| PathBuf::from("target/site")),
        })
    }
}

/// KPI names: `[a-z][a-z0-9_]{0,63}`, safe in URLs, CSV and logs.
fn is_metric_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= 64
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn load_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|error| ConfigError::Parse {
        path: path.to_owned(),
        message: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn file_with(contents: &str) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        file.write_all(contents.as_bytes()).expect("write");
        file
    }

    #[test]
    fn defaults_apply_without_flags_or_file() {
        let config = ServeConfig::resolve(ServeArgs::default()).expect("resolves");
        assert_eq!(config.addr, "127.0.0.1:3000".parse().expect("addr"));
        assert_eq!(config.data_dir, PathBuf::from("data"));
        assert_eq!(config.site_root, PathBuf::from("target/site"));
        assert_eq!(config.duckdb_path, PathBuf::from("data/porthole.duckdb"));
        assert!(config.demo);
    }

    #[test]
    fn the_kpi_database_follows_the_data_dir_unless_set() {
        let config = ServeConfig::resolve(ServeArgs {
            data_dir: Some(PathBuf::from("/srv/p")),
            ..ServeArgs::default()
        })
        .expect("resolves");
        assert_eq!(config.duckdb_path, PathBuf::from("/srv/p/porthole.duckdb"));
        let file = file_with("[kpi]\npath = \"/var/kpi.duckdb\"\nmetrics = [\"revenue\"]\n");
        let config = ServeConfig::resolve(ServeArgs {
            config: Some(file.path().to_owned()),
            ..ServeArgs::default()
        })
        .expect("resolves");
        assert_eq!(config.duckdb_path, PathBuf::from("/var/kpi.duckdb"));
        assert_eq!(config.kpi_metrics, vec!["revenue".to_owned()]);
    }

    #[test]
    fn bad_kpi_names_are_refused() {
        let file = file_with("[kpi]\nmetrics = [\"Revenue Total\"]\n");
        let error = ServeConfig::resolve(ServeArgs {
            config: Some(file.path().to_owned()),
            ..ServeArgs::default()
        })
        .expect_err("refused");
        assert!(error.to_string().contains("Revenue Total"), "{error}");
    }

    #[test]
    fn flags_win_over_the_file() {
        let file = file_with("[server]\naddr = \"127.0.0.1:4000\"\ndata_dir = \"/srv/porthole\"\n");
        let config = ServeConfig::resolve(ServeArgs {
            addr: Some("127.0.0.1:5000".parse().expect("addr")),
            config: Some(file.path().to_owned()),
            ..ServeArgs::default()
        })
        .expect("resolves");
        assert_eq!(config.addr, "127.0.0.1:5000".parse().expect("addr"));
        assert_eq!(config.data_dir, PathBuf::from("/srv/porthole"));
    }

    #[test]
    fn unknown_keys_are_named_with_their_line() {
        let file = file_with("[server]\nadress = \"127.0.0.1:4000\"\n");
        let error = ServeConfig::resolve(ServeArgs {
            config: Some(file.path().to_owned()),
            ..ServeArgs::default()
        })
        .expect_err("typo is refused");
        let message = error.to_string();
        assert!(message.contains("adress"), "{message}");
        assert!(message.contains("line 2"), "{message}");
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let error = ServeConfig::resolve(ServeArgs {
            config: Some(PathBuf::from("/nonexistent/porthole.toml")),
            ..ServeArgs::default()
        })
        .expect_err("missing file");
        assert!(error.to_string().contains("/nonexistent/porthole.toml"));
    }
}
