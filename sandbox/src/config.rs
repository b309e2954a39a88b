//! Command-line flags and environment variables.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::Parser;

/// The API key used when neither `--api-key` nor `STREAM_SANDBOX_API_KEY` is given.
pub const DEFAULT_API_KEY: &str = "sandbox-key";
/// The API secret used when neither `--api-secret` nor `STREAM_SANDBOX_API_SECRET` is given.
/// It is public, so it is only fit for local development.
pub const DEFAULT_API_SECRET: &str = "sandbox-secret";

/// A local emulator of Stream's Users, Tasks and Guest API, backed by SQLite.
#[derive(Debug, Clone, Parser)]
#[command(name = "stream-sandbox", version)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,

    /// Port to listen on. 0 picks a free port, which the start-up line prints.
    #[arg(long, default_value_t = 8787)]
    pub port: u16,

    /// API key that requests must send in the `api_key` query parameter.
    #[arg(long, env = "STREAM_SANDBOX_API_KEY", default_value = DEFAULT_API_KEY)]
    pub api_key: String,

    /// API secret that signs the HS256 tokens and authorizes the /_sandbox/ control API.
    /// The default is public, so it is only fit for local development.
    #[arg(
        long,
        env = "STREAM_SANDBOX_API_SECRET",
        default_value = DEFAULT_API_SECRET,
        hide_env_values = true
    )]
    pub api_secret: String,

    /// SQLite database file, created when missing. `:memory:` keeps data in memory only.
    #[arg(long, default_value = "stream-sandbox.db")]
    pub db: String,

    /// Time each asynchronous task spends pending and then running, in milliseconds.
    #[arg(long, default_value_t = 500)]
    pub task_delay_ms: u64,

    /// Requests allowed per endpoint per window (`--rate-limit-window-secs`, default a
    /// minute). Requests over the limit get 429.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    pub rate_limit: u64,

    /// Length of a rate-limit window, in seconds. The default is a minute; a shorter window
    /// lets tests see a window end quickly.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub rate_limit_window_secs: u64,

    /// Extra role accepted in user objects, besides the built-in ones. Repeat for more.
    #[arg(long = "role", value_name = "NAME")]
    pub roles: Vec<String>,

    /// Folder whose static files are served at /demo/.
    #[arg(long, value_name = "DIR")]
    pub demo_dir: Option<PathBuf>,
}

impl Config {
    /// Checks values that clap cannot check on its own.
    pub fn validate(&self) -> Result<(), String> {
        if self.api_key.is_empty() {
            return Err(String::from("--api-key must not be empty"));
        }
        if self.api_secret.is_empty() {
            return Err(String::from("--api-secret must not be empty"));
        }
        for role in &self.roles {
            if !crate::validate::is_valid_role_name(role) {
                return Err(format!(
                    "--role {role:?} is invalid: use 1 to 64 letters, digits, _ or -"
                ));
            }
        }
        if let Some(dir) = &self.demo_dir {
            if !dir.is_dir() {
                return Err(format!("--demo-dir {} is not a folder", dir.display()));
            }
        }
        Ok(())
    }

    /// Returns whether the secret is the public development default.
    pub fn uses_default_secret(&self) -> bool {
        self.api_secret == DEFAULT_API_SECRET
    }
}
