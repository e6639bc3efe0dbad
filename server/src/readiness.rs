//! `/readyz`: whether this server can take customers now, as a list of named async checks
//! (the state store reachable, in Cybrid mode a bank token at hand). `/healthz` only says
//! the process is alive.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::state::AppState;

/// What a check answers: `Err` with a reason fit for a probe's body (never a secret).
pub type CheckFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// A readiness check: called on every probe, so it must be cheap (use caches).
pub type Check = Arc<dyn Fn() -> CheckFuture + Send + Sync>;

/// The longest a check may take before it counts as failed.
const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

/// The named checks `/readyz` runs.
#[derive(Clone, Default)]
pub struct Readiness {
    checks: Vec<(&'static str, Check)>,
}

/// A check that did not pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failed {
    pub check: &'static str,
    pub reason: String,
}

impl Readiness {
    /// No checks: always ready.
    pub fn new() -> Self {
        Readiness::default()
    }

    /// Adds a check named `name` (e.g. `store`, with `Store::ping`).
    pub fn with_check<F, Fut>(mut self, name: &'static str, check: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        self.checks
            .push((name, Arc::new(move || Box::pin(check()) as CheckFuture)));
        self
    }

    /// The checks' names, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.checks.iter().map(|(name, _)| *name).collect()
    }

    /// Runs every check at once; the ones that failed or took too long.
    pub async fn failures(&self) -> Vec<Failed> {
        let runs = self.checks.iter().map(|(name, check)| {
            let run = check();
            async move {
                match tokio::time::timeout(CHECK_TIMEOUT, run).await {
                    Ok(Ok(())) => None,
                    Ok(Err(reason)) => Some(Failed {
                        check: name,
                        reason,
                    }),
                    Err(_) => Some(Failed {
                        check: name,
                        reason: "timed out".to_owned(),
                    }),
                }
            }
        });
        futures_util::future::join_all(runs)
            .await
            .into_iter()
            .flatten()
            .collect()
    }
}

/// `GET /readyz`: 200 `ready`, or 503 with the failed checks as JSON.
pub async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    let failed = state.readiness.failures().await;
    if failed.is_empty() {
        return "ready".into_response();
    }
    for f in &failed {
        tracing::warn!(check = f.check, reason = %f.reason, "not ready");
    }
    let failed: Vec<_> = failed
        .iter()
        .map(|f| json!({"check": f.check, "reason": f.reason}))
        .collect();
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({"status": "not ready", "failed": failed})),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn failures_name_their_check() {
        let readiness = Readiness::new()
            .with_check("store", || async { Ok(()) })
            .with_check("bank_token", || async { Err("refused".to_owned()) });
        assert_eq!(readiness.names(), ["store", "bank_token"]);
        assert_eq!(
            readiness.failures().await,
            [Failed {
                check: "bank_token",
                reason: "refused".to_owned()
            }]
        );
        assert!(Readiness::new().failures().await.is_empty());
    }
}
