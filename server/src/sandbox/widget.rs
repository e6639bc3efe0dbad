//! The Persona widget simulator: what the Persona SDK's iframe loads in the sandbox.
//!
//! The SDK builds its iframe URL from its `host` option: `host: "localhost:PORT"` gives
//! `http://localhost:PORT/widget?inquiry-id=...&session-token=...&container-id=...`, and the
//! SDK only accepts messages from that origin. The page posts the SDK's own messages back.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kyc_onboarding::core::flow::PersonaErrorCode;
use serde::Deserialize;
use serde_json::json;

use super::{refusal, Sandbox};
use crate::clock::now_ms;
use crate::state::AppState;

const PAGE: &str = include_str!("../../static/widget.html");
const SCRIPT: &str = include_str!("../../static/widget.js");
const STYLE: &str = include_str!("../../static/widget.css");
/// What `Persona.Client.preload` loads: the widget's script and style, into the cache.
const PRELOAD: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Preload</title>\
<link rel=\"preload\" href=\"/widget.js\" as=\"script\"><link rel=\"preload\" href=\"/widget.css\" as=\"style\">\
</head><body></body></html>";

/// The widget's own policy: its script and style, framed only by the app.
fn widget_policy(state: &AppState) -> HeaderValue {
    let ancestors = state.app_origins.join(" ");
    HeaderValue::from_str(&format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
         img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors {ancestors}"
    ))
    .expect("plain ASCII")
}

fn page(
    state: &AppState,
    body: &'static str,
    content_type: &'static str,
    cache: &'static str,
) -> Response {
    let mut response = (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, widget_policy(state));
    response.headers_mut().insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=()"),
    );
    response
}

/// `GET /widget`.
pub async fn widget_page(State(state): State<Arc<AppState>>) -> Response {
    // The page's address carries the session token: never stored in a cache.
    page(&state, PAGE, "text/html; charset=utf-8", "no-store")
}

/// `GET /widget.js`.
pub async fn widget_script(State(state): State<Arc<AppState>>) -> Response {
    page(
        &state,
        SCRIPT,
        "text/javascript; charset=utf-8",
        "public, max-age=3600",
    )
}

/// `GET /widget.css`.
pub async fn widget_style(State(state): State<Arc<AppState>>) -> Response {
    page(
        &state,
        STYLE,
        "text/css; charset=utf-8",
        "public, max-age=3600",
    )
}

/// `GET /preload`: what `Persona.Client.preload` loads to warm the cache.
pub async fn preload(State(state): State<Arc<AppState>>) -> Response {
    page(
        &state,
        PRELOAD,
        "text/html; charset=utf-8",
        "public, max-age=3600",
    )
}

/// Body of `POST /widget/api/open`.
#[derive(Deserialize)]
pub struct Open {
    inquiry_id: Option<String>,
    session_token: Option<String>,
}

/// Body of `/widget/api/start` and `/widget/api/submit`.
#[derive(Deserialize)]
pub struct WidgetCall {
    widget_session: Option<String>,
}

/// `POST /widget/api/open`: checks the inquiry and the session token (single use).
pub async fn open(State(state): State<Arc<AppState>>, Json(body): Json<Open>) -> Response {
    let Some(sb) = Sandbox::of(&state) else {
        return Json(json!({ "error": refusal(PersonaErrorCode::InvalidConfig) })).into_response();
    };
    let inquiry = body.inquiry_id.unwrap_or_default();
    match sb.widget_open(&inquiry, body.session_token.as_deref(), now_ms()) {
        Ok(opened) => {
            tracing::info!(resumed = opened.resumed, "sandbox widget opened");
            Json(json!({
                "widget_session": opened.widget_session,
                "exit_token": opened.exit_token,
                "resumed": opened.resumed,
                "document": opened.document,
            }))
            .into_response()
        }
        Err(code) => {
            tracing::info!(code, "sandbox widget refused to open");
            Json(json!({ "error": code })).into_response()
        }
    }
}

/// `POST /widget/api/start`.
pub async fn start(State(state): State<Arc<AppState>>, Json(body): Json<WidgetCall>) -> Response {
    let ok = Sandbox::of(&state)
        .is_some_and(|sb| sb.widget_start(&body.widget_session.unwrap_or_default(), now_ms()));
    Json(json!({ "ok": ok })).into_response()
}

/// `POST /widget/api/submit`.
pub async fn submit(State(state): State<Arc<AppState>>, Json(body): Json<WidgetCall>) -> Response {
    let status = Sandbox::of(&state)
        .and_then(|sb| sb.widget_submit(&body.widget_session.unwrap_or_default(), now_ms()));
    match status {
        Some(status) => Json(json!({ "status": status })).into_response(),
        None => {
            Json(json!({ "error": refusal(PersonaErrorCode::InactiveTemplate) })).into_response()
        }
    }
}
