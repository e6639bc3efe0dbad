//! Fault injection: a planned failure (late, an error status, a cut connection, a body that
//! is not JSON, a lost answer) played instead of, or after, one call of the SPA's API. Only an
//! emulated upstream plans faults ([`crate::backend::Emulator::take_fault`]); against Cybrid
//! this layer does nothing.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::backend::ApiError;
use crate::endpoint::Endpoint;

/// What goes wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// The answer comes this many milliseconds late.
    Latency(u64),
    /// `500 Internal Server Error`.
    Status500,
    /// `503 Service Unavailable`.
    Status503,
    /// `429 Too Many Requests` with `Retry-After` in seconds.
    TooManyRequests(u64),
    /// The connection is cut before any body arrives; nothing happens on the server.
    Drop,
    /// A 200 whose body is not JSON.
    Malformed,
    /// The request is carried out, then the connection is cut: the answer is lost.
    LostResponse,
}

/// A fault the sandbox injects into this call, after any latency it adds.
enum Injected {
    /// Answer this instead of doing anything.
    Instead(Response),
    /// Do the work, then answer this instead of the result.
    After(Response),
}

async fn inject(kind: FaultKind, endpoint: Endpoint) -> Option<Injected> {
    tracing::info!(endpoint = endpoint.name(), fault = ?kind, "sandbox fault injected");
    Some(match kind {
        FaultKind::Latency(ms) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            return None;
        }
        FaultKind::Status500 => Injected::Instead(
            ApiError {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                message: "sandbox fault: internal error".into(),
                code: "internal_error",
                retry_after_s: None,
            }
            .into_response(),
        ),
        FaultKind::Status503 => Injected::Instead(
            ApiError {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: "sandbox fault: unavailable".into(),
                code: "service_unavailable",
                retry_after_s: None,
            }
            .into_response(),
        ),
        FaultKind::TooManyRequests(secs) => Injected::Instead(
            ApiError::rate_limited(
                "sandbox fault: too many requests",
                Some(u32::try_from(secs).unwrap_or(u32::MAX)),
            )
            .into_response(),
        ),
        FaultKind::Drop => Injected::Instead(cut_connection()),
        FaultKind::Malformed => Injected::After(
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                "{\"guid\": \"iv_",
            )
                .into_response(),
        ),
        FaultKind::LostResponse => Injected::After(cut_connection()),
    })
}

/// A response whose body fails at once: the client sees the connection drop.
fn cut_connection() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "sandbox fault: connection dropped",
        ))
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(failing))
        .expect("static response parts")
}

/// Runs `work` with the `planned` fault, if any.
pub async fn with_fault<F, Fut>(planned: Option<FaultKind>, endpoint: Endpoint, work: F) -> Response
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Response>,
{
    let injected = match planned {
        Some(kind) => inject(kind, endpoint).await,
        None => None,
    };
    match injected {
        Some(Injected::Instead(response)) => response,
        Some(Injected::After(response)) => {
            let _ = work().await;
            response
        }
        None => work().await,
    }
}
