//! Prometheus metrics, all named `kyc_...`: requests by route and status, latencies, upstream
//! calls, store errors and the KYC funnel. Scraped at `/metrics` on `KYC_METRICS_ADDR` only,
//! never on the public port. Without that setting no recorder is installed and every
//! recording here costs next to nothing.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use kyc_onboarding::core::api::{IdentityVerification, Outcome, VerificationState};
use metrics::{counter, describe_counter, describe_histogram, histogram, Unit};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Latency buckets, in seconds: from a cached page to an upstream call near its timeout.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The process's recorder, installed at most once (a process has one global recorder).
static HANDLE: Mutex<Option<PrometheusHandle>> = Mutex::new(None);
/// Whether [`install`] has run: without a recorder, outcomes are not even remembered.
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// Installs the Prometheus recorder (once per process) and returns its handle.
pub fn install() -> Result<PrometheusHandle, String> {
    let mut handle = HANDLE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(handle) = handle.as_ref() {
        return Ok(handle.clone());
    }
    let recorder = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), LATENCY_BUCKETS)
        .map_err(|e| format!("metrics: {e}"))?
        .build_recorder();
    let new = recorder.handle();
    metrics::set_global_recorder(recorder)
        .map_err(|_| "metrics: another recorder is installed".to_owned())?;
    describe();
    INSTALLED.store(true, Ordering::Release);
    *handle = Some(new.clone());
    Ok(new)
}

/// Help text for every metric.
fn describe() {
    describe_counter!(
        "kyc_http_requests_total",
        "HTTP requests answered, by route template, method and status"
    );
    describe_histogram!(
        "kyc_http_request_duration_seconds",
        Unit::Seconds,
        "Time to answer an HTTP request, by route template and method"
    );
    describe_counter!(
        "kyc_upstream_calls_total",
        "Calls to the Cybrid identity and bank APIs, by endpoint and status (`none`: no answer)"
    );
    describe_counter!(
        "kyc_upstream_rate_limited_total",
        "Upstream calls answered 429 Too Many Requests, by endpoint"
    );
    describe_histogram!(
        "kyc_upstream_call_duration_seconds",
        Unit::Seconds,
        "Time for an upstream call, by endpoint"
    );
    describe_counter!(
        "kyc_store_errors_total",
        "Failed operations on the state store, by operation"
    );
    describe_counter!(
        "kyc_sessions_started_total",
        "Customer sessions started, by how (launch, handoff, sandbox)"
    );
    describe_counter!(
        "kyc_verifications_created_total",
        "Identity verifications created for customers"
    );
    describe_counter!(
        "kyc_handoffs_redeemed_total",
        "Desktop-to-phone handoff codes redeemed"
    );
    describe_counter!(
        "kyc_csp_violations_total",
        "Content-Security-Policy violations browsers reported, by effective directive"
    );
    describe_counter!(
        "kyc_verification_outcomes_total",
        "Verifications seen reaching a final outcome (passed, failed, expired), once each"
    );
}

/// Layer: counts each request and times it, by route template (never the raw path: codes
/// and identifiers are in paths).
pub async fn record_request(request: Request, next: Next) -> Response {
    // A made-up method must not make a new series each time.
    let method: &'static str = match request.method().as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    };
    let route = crate::logging::route_of(&request);
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    counter!("kyc_http_requests_total", "route" => route.clone(), "method" => method, "status" => status)
        .increment(1);
    histogram!("kyc_http_request_duration_seconds", "route" => route, "method" => method)
        .record(started.elapsed().as_secs_f64());
    response
}

/// An upstream call to `endpoint` (`token`, `customer`, `list`...) answered with `status`
/// (`None`: no answer at all) after `elapsed`.
pub fn upstream_call(endpoint: &'static str, status: Option<u16>, elapsed: Duration) {
    let label = status.map_or_else(|| "none".to_owned(), |s| s.to_string());
    counter!("kyc_upstream_calls_total", "endpoint" => endpoint, "status" => label).increment(1);
    if status == Some(429) {
        counter!("kyc_upstream_rate_limited_total", "endpoint" => endpoint).increment(1);
    }
    histogram!("kyc_upstream_call_duration_seconds", "endpoint" => endpoint)
        .record(elapsed.as_secs_f64());
}

/// A state-store operation (`get`, `put`, `ping`...) failed. For the store to call.
pub fn store_error(op: &'static str) {
    counter!("kyc_store_errors_total", "op" => op).increment(1);
}

/// A customer session started, `how`: `launch`, `handoff` or `sandbox`.
pub fn session_started(how: &'static str) {
    counter!("kyc_sessions_started_total", "how" => how).increment(1);
}

/// A browser reported a violation of the policy's `directive` (one of a fixed list, or
/// `other`).
pub fn csp_violation(directive: &'static str) {
    counter!("kyc_csp_violations_total", "directive" => directive).increment(1);
}

/// An identity verification was created for a customer.
pub fn verification_created() {
    counter!("kyc_verifications_created_total").increment(1);
}

/// A handoff code was redeemed.
pub fn handoff_redeemed() {
    counter!("kyc_handoffs_redeemed_total").increment(1);
}

/// How many verification guids are remembered as counted; then the memory starts over (a
/// verification seen again after that is counted again, which is rare and harmless).
const OUTCOMES_REMEMBERED: usize = 10_000;

/// Verifications whose final outcome was counted.
static COUNTED: Mutex<Option<HashSet<String>>> = Mutex::new(None);

/// The final outcome a verification has reached, if any.
pub fn final_outcome(v: &IdentityVerification) -> Option<&'static str> {
    match (&v.state, &v.outcome) {
        (VerificationState::Completed, Some(Outcome::Passed)) => Some("passed"),
        (VerificationState::Completed, Some(Outcome::Failed)) => Some("failed"),
        (VerificationState::Completed, _) => Some("other"),
        (VerificationState::Expired, _) => Some("expired"),
        _ => None,
    }
}

/// A verification in an answer this server returns: counted once when final.
pub fn verification_seen(v: &IdentityVerification) {
    let Some(outcome) = final_outcome(v).filter(|_| INSTALLED.load(Ordering::Acquire)) else {
        return;
    };
    let mut counted = COUNTED.lock().unwrap_or_else(|e| e.into_inner());
    let counted = counted.get_or_insert_with(HashSet::new);
    if counted.contains(&v.guid) {
        return;
    }
    if counted.len() >= OUTCOMES_REMEMBERED {
        counted.clear();
    }
    counted.insert(v.guid.clone());
    counter!("kyc_verification_outcomes_total", "outcome" => outcome).increment(1);
}

/// Serves `/metrics` (and nothing else) on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    handle: PrometheusHandle,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) {
    let app = Router::new().route(
        "/metrics",
        get(move || {
            let handle = handle.clone();
            async move {
                handle.run_upkeep();
                (
                    [("content-type", "text/plain; version=0.0.4; charset=utf-8")],
                    handle.render(),
                )
            }
        }),
    );
    let addr: Option<SocketAddr> = listener.local_addr().ok();
    if let Err(e) = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        tracing::error!(?addr, "the metrics listener stopped: {e}");
    }
}
