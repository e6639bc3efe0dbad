//! Logs: the subscriber (text, or JSON with `KYC_LOG_FORMAT=json`) and one line per request:
//! method, route template, status, time, under the request's span (its id and client
//! address). Never a query string, a path parameter, a header or a body, so tokens, codes
//! and identifiers in URLs stay out of logs.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use crate::config::LogFormat;

/// The formatting layer for `format`, writing to `writer`: JSON objects carry the event's
/// fields and those of its request span (`request_id`, `client`) at the top level.
pub fn layer<S, W>(format: LogFormat, writer: W) -> Box<dyn Layer<S> + Send + Sync>
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    match format {
        LogFormat::Text => tracing_subscriber::fmt::layer()
            .with_target(false)
            .with_writer(writer)
            .boxed(),
        LogFormat::Json => tracing_subscriber::fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .with_target(false)
            .with_writer(writer)
            .boxed(),
    }
}

/// Installs the process's subscriber: `format` on stdout, filtered by `RUST_LOG` (`info`
/// by default).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    tracing_subscriber::registry()
        .with(layer(format, std::io::stdout).with_filter(filter))
        .init();
}

/// Layer: logs each request by its route template (`/api/customers/{guid}`).
pub async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = route_of(&request);
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        route = %route,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

/// The request's route template, `(static)` for what the fallback serves: never the raw
/// path, which can hold handoff codes and identifiers.
pub fn route_of(request: &Request) -> String {
    request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "(static)".to_owned())
}
