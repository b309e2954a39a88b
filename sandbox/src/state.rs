//! The state shared by every request.

use std::sync::Arc;

use tokio::sync::watch;

use crate::auth::Authenticator;
use crate::config::Config;
use crate::db::Db;
use crate::faults::FaultStore;
use crate::rate_limit::RateLimiter;
use crate::request_log::RequestLog;
use crate::tasks::TaskRunner;
use crate::validate::Roles;

/// Everything the handlers share.
pub struct AppState {
    /// The command-line configuration.
    pub config: Config,
    /// Checks API keys and tokens.
    pub auth: Authenticator,
    /// Roles accepted in user objects.
    pub roles: Roles,
    /// The database.
    pub db: Db,
    /// Runs asynchronous tasks.
    pub tasks: TaskRunner,
    /// Per-endpoint rate limits.
    pub limiter: RateLimiter,
    /// Pending injected faults.
    pub faults: FaultStore,
    /// The latest API requests.
    pub requests: RequestLog,
    /// Becomes true when the server starts shutting down.
    pub shutdown: watch::Receiver<bool>,
}

/// The state as handlers receive it.
pub type SharedState = Arc<AppState>;

impl AppState {
    /// Resolves once the server starts shutting down.
    pub async fn shutting_down(&self) {
        let mut shutdown = self.shutdown.clone();
        // An error means the sender is gone, which also means shutdown.
        let _ = shutdown.wait_for(|stopping| *stopping).await;
    }
}
