//! `kyc-server --addr 127.0.0.1:8080 --dist dist` (see `--help`).

use std::process::ExitCode;

use kyc_server::config::Config;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_target(false)
        .init();
    // `--help` goes to stdout with success, a mistake to stderr.
    let (addr, config) = match Config::parse(std::env::args().skip(1), |key| {
        std::env::var(key).ok().filter(|v| !v.is_empty())
    }) {
        Ok(parsed) => parsed,
        Err(error) => error.exit(),
    };
    let sandbox = matches!(config.mode, kyc_server::Mode::Sandbox(_));
    let running = match kyc_server::serve(config, addr).await {
        Ok(started) => started,
        Err(message) => {
            eprintln!("kyc-server: {message}");
            return ExitCode::FAILURE;
        }
    };
    let local = running.addr;
    println!("kyc-onboarding is running at http://{local}/");
    if sandbox {
        println!("sandbox scenarios: http://{local}/sandbox");
    }
    tokio::select! {
        _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
        _ = running.task => ExitCode::FAILURE,
    }
}
