//! `stream-sandbox`: a local emulator of Stream's Users, Tasks and Guest API, backed by
//! SQLite, with fault injection and a control API for tests.
#![forbid(unsafe_code)]

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use stream_sandbox::{config, server};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let config = config::Config::parse();
    if let Err(problem) = config.validate() {
        eprintln!("stream-sandbox: {problem}");
        return ExitCode::from(2);
    }

    // Logs go to stderr, so stdout carries only the start-up lines. RUST_LOG overrides
    // the default level.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("stream-sandbox: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(server::run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            tracing::error!(error = %problem, "stream-sandbox failed");
            eprintln!("stream-sandbox: {problem}");
            ExitCode::FAILURE
        }
    }
}
