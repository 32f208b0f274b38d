//! `porthole incident open|update|resolve|list`: the admin API's incidents
//! from a terminal, against a running server, with the admin token. What
//! the server refuses is printed as it said it, and the command fails.

use std::io::Write;

use clap::{Args, Subcommand};
use serde_json::{Value, json};

/// Where the server is and the token to write with.
#[derive(Debug, Clone, Args)]
pub struct ServerArgs {
    /// The running server's base URL.
    #[arg(long, env = "PORTHOLE_URL", default_value = "http://127.0.0.1:3000")]
    pub server: String,
    /// The admin token the server was started with.
    #[arg(long, env = "PORTHOLE_ADMIN_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

/// What to do with incidents.
#[derive(Debug, Clone, Subcommand)]
pub enum IncidentCommand {
    /// Open an incident.
    Open {
        /// Its title.
        #[arg(long)]
        title: String,
        /// How bad it is: none, minor, major or critical.
        #[arg(long, default_value = "minor")]
        impact: String,
        /// A service it affects, by id (repeat for several).
        #[arg(long = "service")]
        services: Vec<String>,
        /// Its first state: investigating, identified or monitoring.
        #[arg(long, default_value = "investigating")]
        status: String,
        /// The first update, Markdown.
        #[arg(long)]
        message: String,
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Add an update to incident ID.
    Update {
        /// The incident's id.
        id: u64,
        /// The state from now on: the same or a later one.
        #[arg(long)]
        status: String,
        /// What changed, Markdown.
        #[arg(long)]
        message: String,
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Resolve incident ID.
    Resolve {
        /// The incident's id.
        id: u64,
        /// The closing message, Markdown.
        #[arg(long)]
        message: Option<String>,
        #[command(flatten)]
        server: ServerArgs,
    },
    /// List the newest incidents.
    List {
        #[command(flatten)]
        server: ServerArgs,
    },
}

/// Runs `command`, printing what the server answered to `out`.
pub async fn run(command: IncidentCommand, out: &mut impl Write) -> Result<(), String> {
    let answer = match command {
        IncidentCommand::Open {
            title,
            impact,
            services,
            status,
            message,
            server,
        } => {
            client(&server)?
                .post(
                    "/api/v1/incidents",
                    &json!({"title": title, "impact": impact, "services": services,
                            "status": status, "message": message}),
                )
                .await
        }
        IncidentCommand::Update {
            id,
            status,
            message,
            server,
        } => {
            client(&server)?
                .post(
                    &format!("/api/v1/incidents/{id}/updates"),
                    &json!({"status": status, "message": message}),
                )
                .await
        }
        IncidentCommand::Resolve {
            id,
            message,
            server,
        } => {
            let body = message.map_or_else(|| json!({}), |m| json!({"message": m}));
            client(&server)?
                .post(&format!("/api/v1/incidents/{id}/resolve"), &body)
                .await
        }
        IncidentCommand::List { server } => {
            let list = client(&server)?.get("/api/v1/incidents").await?;
            for incident in list["incidents"].as_array().into_iter().flatten() {
                writeln!(out, "{}", line(incident)).map_err(|e| e.to_string())?;
            }
            return Ok(());
        }
    };
    let incident = answer?;
    writeln!(out, "{}", line(&incident)).map_err(|e| e.to_string())
}

fn client(server: &ServerArgs) -> Result<AdminClient, String> {
    let base = reqwest::Url::parse(server.server.trim_end_matches('/')).map_err(|error| {
        format!(
            "--server {:?} is not a URL ({error}); write e.g. http://127.0.0.1:3000",
            server.server
        )
    })?;
    let token = server
        .token
        .clone()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            "no admin token: set PORTHOLE_ADMIN_TOKEN (or --token) to the server's".to_owned()
        })?;
    Ok(AdminClient {
        http: reqwest::Client::new(),
        base,
        token,
    })
}

/// The admin API of one server.
struct AdminClient {
    http: reqwest::Client,
    base: reqwest::Url,
    token: String,
}

impl AdminClient {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base.as_str().trim_end_matches('/'))
    }

    async fn get(&self, path: &str) -> Result<Value, String> {
        self.send(self.http.get(self.url(path))).await
    }

    async fn post(&self, path: &str, body: &Value) -> Result<Value, String> {
        self.send(self.http.post(self.url(path)).json(body)).await
    }

    /// The answer's JSON, or what the server said was wrong.
    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Value, String> {
        let response = request
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|error| format!("cannot reach {}: {error}", self.base))?;
        let status = response.status();
        let body: Value = response
            .json()
            .await
            .map_err(|error| format!("{status}: the answer is not JSON ({error})"))?;
        if status.is_success() {
            Ok(body)
        } else {
            Err(format!(
                "{status}: {}",
                body["error"]
                    .as_str()
                    .unwrap_or("the server refused the request")
            ))
        }
    }
}

/// `#12 [monitoring] major · Slow logins (api, web)`.
fn line(incident: &Value) -> String {
    let services: Vec<&str> = incident["services"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["id"].as_str())
        .collect();
    format!(
        "#{} [{}] {} · {}{}",
        incident["id"],
        incident["status"].as_str().unwrap_or("?"),
        incident["impact"].as_str().unwrap_or("?"),
        incident["title"].as_str().unwrap_or(""),
        if services.is_empty() {
            String::new()
        } else {
            format!(" ({})", services.join(", "))
        }
    )
}
