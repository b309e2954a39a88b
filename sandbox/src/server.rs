//! Start-up, serving and clean shutdown.

use std::sync::Arc;
use std::time::Duration;

use stream_edge::jwt::Hs256Key;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::auth::Authenticator;
use crate::config::Config;
use crate::db::Db;
use crate::faults::FaultStore;
use crate::lenient_io::LenientListener;
use crate::rate_limit::RateLimiter;
use crate::request_log::RequestLog;
use crate::state::AppState;
use crate::tasks::TaskRunner;
use crate::validate::Roles;
use crate::{banner, routes};

/// Time open requests get to finish after SIGINT or SIGTERM before the sandbox exits.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Opens the database, binds the socket, prints the banner and serves until SIGINT or
/// SIGTERM.
pub async fn run(config: Config) -> Result<(), String> {
    let key = Hs256Key::new(config.api_secret.as_bytes())
        .map_err(|error| format!("cannot use the API secret: {error}"))?;
    let db = Db::open(&config.db)?;
    let (stop_sender, stop_receiver) = watch::channel(false);
    let tasks = TaskRunner::new(db.clone(), Duration::from_millis(config.task_delay_ms));
    let auth = Authenticator::new(&config.api_key, key);
    let server_token = auth.server_token();
    let state = Arc::new(AppState {
        roles: Roles::new(&config.roles),
        limiter: RateLimiter::new(config.rate_limit, config.rate_limit_window_secs),
        auth,
        db: db.clone(),
        tasks: tasks.clone(),
        faults: FaultStore::default(),
        requests: RequestLog::default(),
        shutdown: stop_receiver,
        config: config.clone(),
    });

    let listener = TcpListener::bind((config.host, config.port))
        .await
        .map_err(|error| format!("cannot listen on {}:{}: {error}", config.host, config.port))?;
    let address = listener
        .local_addr()
        .map_err(|error| format!("cannot read the bound address: {error}"))?;
    let resumed = tasks
        .resume_unfinished()
        .await
        .map_err(|error| error.message)?;
    banner::print(&config, address, &server_token);
    tracing::info!(%address, db = %config.db, resumed_tasks = resumed, "stream-sandbox started");

    let app = routes::app(state);
    let mut stopping = stop_sender.subscribe();
    let server = tokio::spawn(async move {
        axum::serve(LenientListener::new(listener), app)
            .with_graceful_shutdown(async move {
                let _ = stopping.wait_for(|stop| *stop).await;
            })
            .await
    });

    wait_for_signal().await;
    tracing::info!("stopping: waiting for open requests");
    let _ = stop_sender.send(true);
    match tokio::time::timeout(SHUTDOWN_GRACE, server).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(error))) => tracing::error!(%error, "server error while stopping"),
        Ok(Err(error)) => tracing::error!(%error, "server task failed"),
        Err(_) => tracing::warn!(
            grace_secs = SHUTDOWN_GRACE.as_secs(),
            "open requests did not finish in time; stopping anyway"
        ),
    }

    if let Err(error) = db.close().await {
        tracing::warn!(%error, "closing the database failed; the write-ahead log keeps the data");
    }
    tracing::info!("stream-sandbox stopped");
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn wait_for_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
}
