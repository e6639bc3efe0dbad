//! `kyc-server --addr 127.0.0.1:8080 --dist dist` (see `--help`). Stops gracefully on
//! SIGTERM or SIGINT: no new connections, requests in flight finish (`KYC_DRAIN_SECS`), exit 0.

use std::process::ExitCode;

use kyc_server::config::Config;

#[tokio::main]
async fn main() -> ExitCode {
    // `--help` goes to stdout with success, a mistake to stderr.
    let (addr, config) = match Config::parse(std::env::args().skip(1), |key| {
        std::env::var(key).ok().filter(|v| !v.is_empty())
    }) {
        Ok(parsed) => parsed,
        Err(error) => error.exit(),
    };
    kyc_server::logging::init(config.service.log_format);
    let sandbox = matches!(config.mode, kyc_server::Mode::Sandbox(_));
    let drain = config.service.drain;
    let mut running = match kyc_server::serve(config, addr).await {
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
    if let Some(metrics) = running.metrics_addr {
        println!("metrics: http://{metrics}/metrics");
    }
    tokio::select! {
        signal = stop_signal() => tracing::info!(signal, "stop asked for"),
        _ = &mut running.task => {
            tracing::error!("the server stopped by itself");
            return ExitCode::FAILURE;
        }
    }
    running.shutdown();
    // The listener gives up on the stragglers after `drain`; a little more for that to end.
    match tokio::time::timeout(drain + std::time::Duration::from_secs(1), running.task).await {
        Ok(_) => tracing::info!("stopped"),
        Err(_) => tracing::warn!("stopped before every connection closed"),
    }
    ExitCode::SUCCESS
}

/// Waits for SIGTERM (what an orchestrator sends) or SIGINT (Ctrl-C); names the one received.
async fn stop_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = tokio::signal::ctrl_c() => "SIGINT",
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "SIGINT"
    }
}
