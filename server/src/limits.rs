//! Inbound limits as layers: a cap on requests handled at once (more are shed with a 503)
//! and a time limit per request. The header-read timeout is the listener's (see `listener`),
//! the body limits are the routes' own.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;
use tower_http::timeout::TimeoutLayer;

use crate::backend::ApiError;

/// The requests being handled, up to a cap.
#[derive(Clone)]
pub struct InFlight(Arc<Semaphore>);

impl InFlight {
    pub fn new(max: usize) -> Self {
        InFlight(Arc::new(Semaphore::new(
            max.clamp(1, Semaphore::MAX_PERMITS),
        )))
    }
}

/// Routes never shed: an orchestrator must still hear that the process lives when busy.
const PROBES: [&str; 2] = ["/healthz", "/readyz"];

/// Layer: answers 503 with `Retry-After: 1` when the cap of requests in flight is reached,
/// instead of queueing them until every client times out.
pub async fn shed_when_busy(
    State(in_flight): State<InFlight>,
    request: Request,
    next: Next,
) -> Response {
    let probe = request
        .extensions()
        .get::<MatchedPath>()
        .is_some_and(|p| PROBES.contains(&p.as_str()));
    if probe {
        return next.run(request).await;
    }
    match in_flight.0.clone().try_acquire_owned() {
        Ok(_permit) => next.run(request).await,
        Err(_) => {
            tracing::warn!("busy: request shed");
            ApiError {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: "the server is busy: try again shortly".to_owned(),
                code: "busy",
                retry_after_s: Some(1),
            }
            .into_response()
        }
    }
}

/// Layer: a request not answered within `limit` gets a 503 (its handler is dropped).
pub fn time_limit(limit: Duration) -> TimeoutLayer {
    TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, limit)
}
