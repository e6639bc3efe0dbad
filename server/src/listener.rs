//! The public listener's accept loop (hyper, as `axum::serve` does it, plus what that does
//! not expose): HTTP/1.1 as before, a header-read timeout, and a graceful stop that refuses
//! new connections at once and gives in-flight requests a bounded time to finish.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::Service;

/// How the loop treats its connections.
#[derive(Clone, Copy, Debug)]
pub struct ListenerLimits {
    /// How long a client may take to send a request's headers (HTTP/1).
    pub header_read_timeout: Duration,
    /// How long in-flight requests may take to finish once the stop is asked for.
    pub drain: Duration,
}

/// Serves `router` on `listener` until `stop` turns true; then stops accepting (the
/// listener is closed, so new connections are refused), lets the open connections finish
/// their requests for at most `limits.drain`, and returns.
pub async fn serve_until_stopped(
    listener: TcpListener,
    router: Router,
    limits: ListenerLimits,
    mut stop: watch::Receiver<bool>,
) {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let graceful = GracefulShutdown::new();
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            _ = stop_asked(&mut stop) => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        // Each request carries its peer, as `into_make_service_with_connect_info` does.
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request
                .extensions_mut()
                .insert(ConnectInfo::<SocketAddr>(peer));
            router.clone().call(request)
        });
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!("connection ended: {e}");
            }
        });
    }
    drop(listener);
    tracing::info!(
        drain_secs = limits.drain.as_secs(),
        "stopping: no new connections; finishing requests in flight"
    );
    tokio::select! {
        _ = graceful.shutdown() => tracing::info!("every request in flight finished"),
        _ = tokio::time::sleep(limits.drain) => {
            tracing::warn!("the drain time ran out: the requests still in flight are cut off");
        }
    }
}

/// Resolves once the stop is asked for; never if the [`crate::Running`] that could ask it is
/// gone (the server then runs as long as the runtime, as it did before stops existed).
pub async fn stop_asked(stop: &mut watch::Receiver<bool>) {
    if stop.wait_for(|stop| *stop).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// A failed accept: a connection the client gave up on is nothing; anything else (out of
/// file descriptors...) gets a pause before trying again, so the loop does not spin.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::*;
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | ConnectionRefused
    ) {
        return;
    }
    tracing::error!("accept failed: {e}");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
