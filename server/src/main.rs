//! `kyc-server --addr 127.0.0.1:8080 --dist dist`

use std::net::SocketAddr;
use std::path::PathBuf;

use kyc_server::Config;

const USAGE: &str = "usage: kyc-server [--addr 127.0.0.1:8080] [--dist dist]";

fn parse_args() -> Result<(SocketAddr, Config), String> {
    let mut addr: SocketAddr = "127.0.0.1:8080".parse().expect("valid default");
    let mut dist = PathBuf::from("dist");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--addr" => {
                let text = value("--addr")?;
                addr = text
                    .parse()
                    .map_err(|_| format!("--addr must look like 127.0.0.1:8080, got `{text}`"))?;
            }
            "--dist" => dist = PathBuf::from(value("--dist")?),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok((addr, Config { dist }))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let (addr, config) = match parse_args() {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let app = match kyc_server::app(&config) {
        Ok(app) => app,
        Err(message) => {
            eprintln!("kyc-server: {message}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("kyc-server: cannot listen on {addr}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().expect("bound socket has an address");
    println!("kyc-onboarding is running at http://{local}/");
    if let Err(e) = axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    {
        eprintln!("kyc-server: {e}");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
