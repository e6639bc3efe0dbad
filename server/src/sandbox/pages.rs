//! The sandbox's own pages and controls: the scenario list, starting a scenario (a fresh
//! customer with a session), fault injection, test counters, and the bank-side endpoints a
//! mode-2 server uses when this sandbox plays the upstream Cybrid.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use kyc_onboarding::core::failure::{FailureCategory, FailureCode};
use maud::{html, Markup, DOCTYPE};
use serde::Deserialize;
use serde_json::json;

use super::fault::FaultRule;
use super::scenario::{Scenario, CATALOG};
use super::Sandbox;
use crate::backend::ApiError;
use crate::clock::now_ms;
use crate::endpoint::Endpoint;
use crate::state::AppState;

const EMBED_SCRIPT: &str = include_str!("../../static/embed.js");

/// A sandbox page: `title` and `body` in the pages' own style.
fn layout(title: &str, body: Markup) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) }
                    link rel="stylesheet" href="/pages.css";
                }
                body { main { (body) } }
            }
        }
        .into_string(),
    )
}

/// `GET /sandbox`: every scenario, one click each, plus a form for any failure codes.
pub async fn index() -> Response {
    let categories = [
        (FailureCategory::RetryAllowed, "Retry allowed"),
        (FailureCategory::ComplianceReview, "Compliance review"),
        (FailureCategory::Rejected, "Rejected"),
        (
            FailureCategory::NotKyc,
            "Not KYC (bank account and other flows)",
        ),
    ];
    let endpoints: Vec<&str> = Endpoint::ALL.iter().map(|(_, n)| *n).collect();
    let body = html! {
        h1 { "Sandbox scenarios" }
        p {
            "Each link creates a new sandbox customer with a session and opens the app. \
             Nothing here touches Cybrid or Persona: both are emulated by this server."
        }
        ul.scenarios {
            @for entry in CATALOG {
                li {
                    a href={ "/sandbox/start?scenario=" (entry.id) (entry.params) }
                        data-scenario=(entry.id) { (entry.title) }
                    span { (entry.description) }
                }
            }
        }
        h2 { "Fail with chosen codes" }
        form action="/sandbox/start" method="get" {
            input type="hidden" name="scenario" value="fails";
            @for (category, label) in categories {
                fieldset {
                    legend { (label) }
                    @for code in FailureCode::KNOWN.iter().filter(|c| c.category() == category) {
                        label {
                            input type="checkbox" name="codes" value=(code.as_str());
                            " " (code.as_str())
                        }
                    }
                }
            }
            label { "Another code " input name="codes" pattern="[a-z_]*"; }
            label {
                "Inquiry delay (ms) "
                input name="inquiry_delay_ms" inputmode="numeric" value="1000";
            }
            button type="submit" { "Start with these codes" }
        }
        h2 { "Faults" }
        p {
            "Add " code { "&fault=endpoint:kind:count" } " to a start link, for example "
            code { "fault=create:lost:1" } ". Endpoints: " (endpoints.join(", "))
            ". Kinds: " (super::fault::EXAMPLES.join(", ")) "."
        }
    };
    layout("Sandbox scenarios", body).into_response()
}

/// `GET /sandbox/start?scenario=...`: a fresh customer with a session, then the app.
pub async fn start(
    State(state): State<Arc<AppState>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let Some(sb) = Sandbox::of(&state) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match Scenario::from_query(&pairs, sb.timings) {
        Ok(scenario) => {
            let now = now_ms();
            let guid = sb.new_customer(scenario, now);
            tracing::info!(customer = %guid, "sandbox customer created");
            let cookie = match state.sessions.create(&guid, now).await {
                Ok(cookie) => cookie,
                Err(e) => return e.into_response(),
            };
            crate::metrics::session_started("sandbox");
            let mut response = Redirect::to("/").into_response();
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
        Err(message) => (
            StatusCode::BAD_REQUEST,
            layout(
                "Unknown scenario",
                html! {
                    h1 { "That scenario cannot start" }
                    p { (message) }
                    p { a href="/sandbox" { "See the scenarios" } }
                },
            ),
        )
            .into_response(),
    }
}

/// `GET /sandbox/embed?scenario=...`: a host page that embeds the app in an iframe and lists
/// the events the app posts to it (for integrators to see, and for tests).
pub async fn embed(Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let query = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let body = html! {
        h1 { "Sandbox host page" }
        p {
            "The app runs in the frame below; what it tells this page appears in the list."
        }
        iframe.embed title="Identity verification" src={ "/sandbox/start?" (query) }
            allow="camera;microphone" {}
        h2 { "Events" }
        ol #events data-testid="host-events" {}
        script src="/sandbox/embed.js" {}
    };
    let mut response = layout("Sandbox host page", body).into_response();
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; script-src 'self'; style-src 'self'; frame-src 'self'; frame-ancestors 'none'"
            .parse()
            .expect("static"),
    );
    response
}

/// `GET /sandbox/embed.js`.
pub async fn embed_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        EMBED_SCRIPT,
    )
        .into_response()
}

/// `GET /sandbox/api/state`: counts about the session's customer, for tests.
pub async fn report(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let Some(sb) = Sandbox::of(&state) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let session = match state.sessions.require(&headers).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    match sb.report(&session.customer_guid, now_ms()) {
        Some(report) => Json(report).into_response(),
        None => ApiError::not_found("customer").into_response(),
    }
}

/// Body of `POST /sandbox/api/faults`.
#[derive(Deserialize)]
pub struct FaultsBody {
    rules: Vec<String>,
}

/// `POST /sandbox/api/faults`: more faults for the session's customer.
pub async fn add_faults(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Json(body): Json<FaultsBody>,
) -> Response {
    let Some(sb) = Sandbox::of(&state) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let session = match state.sessions.require_with_csrf(&headers).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let rules: Result<Vec<FaultRule>, String> =
        body.rules.iter().map(|r| FaultRule::parse(r)).collect();
    match rules {
        Ok(rules) => {
            let count = rules.len();
            match sb.add_faults(&session.customer_guid, rules) {
                Ok(()) => Json(json!({ "added": count })).into_response(),
                Err(message) => ApiError::invalid(&message).into_response(),
            }
        }
        Err(message) => ApiError::invalid(&message).into_response(),
    }
}

/// `GET /sandbox/api/catalog`: the app's texts (and the server pages'), failure-code catalog
/// and tip groups, from the core, so end-to-end tests read the same source of truth as the app.
pub async fn catalog() -> Response {
    use kyc_onboarding::core::text::{Msg, PageMsg};
    use kyc_onboarding::core::tips::TipGroup;
    let pages = PageMsg::ALL.iter().map(|m| (m.key(), m.en()));
    let messages: serde_json::Map<String, serde_json::Value> = Msg::ALL
        .iter()
        .map(|m| (m.key(), m.en()))
        .chain(pages)
        .map(|(key, en)| (key.to_owned(), json!(en)))
        .collect();
    let codes: serde_json::Map<String, serde_json::Value> = FailureCode::KNOWN
        .iter()
        .map(|c| {
            let info = c.info();
            (
                c.as_str().to_owned(),
                json!({
                    "category": format!("{:?}", info.category),
                    "reason": info.reason.en(),
                    "tips": info.tips.iter().map(|g| g.id()).collect::<Vec<_>>(),
                }),
            )
        })
        .collect();
    let tips: serde_json::Map<String, serde_json::Value> = TipGroup::ALL
        .iter()
        .map(|g| {
            (
                g.id().to_owned(),
                json!({
                    "title": g.title().en(),
                    "tips": g.tips().iter().map(|m| m.en()).collect::<Vec<_>>(),
                }),
            )
        })
        .collect();
    let unknown = FailureCode::Unknown(String::new()).info().reason.en();
    Json(json!({
        "messages": messages,
        "codes": codes,
        "unknown_code_reason": unknown,
        "tips": tips,
    }))
    .into_response()
}

/// Body of `POST /oauth/token` (JSON or form).
#[derive(Deserialize)]
pub struct TokenRequest {
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// `POST /oauth/token`: the identity host's client-credentials grant, for a mode-2 server
/// pointed at this sandbox.
pub async fn oauth_token(
    State(state): State<Arc<AppState>>,
    Json(body): Json<TokenRequest>,
) -> Response {
    let token = Sandbox::of(&state).and_then(|sb| {
        sb.issue_bank_token(
            body.client_id.as_deref().unwrap_or_default(),
            body.client_secret.as_deref().unwrap_or_default(),
            now_ms(),
        )
    });
    match token {
        Some(token) => Json(json!({
            "access_token": token,
            "token_type": "bearer",
            "expires_in": 3600,
            "scope": "customers:read identity_verifications:read identity_verifications:execute persona_sessions:execute",
        }))
        .into_response(),
        None => (StatusCode::UNAUTHORIZED, Json(json!({"error": "invalid_client"}))).into_response(),
    }
}

/// `POST /api/customers` with a bank token: a new sandbox customer (mode-2 tests), a business
/// when the body says `"type": "business"`.
pub async fn bank_create_customer(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let Some(sb) = Sandbox::of(&state) else {
        return ApiError::not_found("resource").into_response();
    };
    let authorized = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|token| sb.bank_token_valid(token, now_ms()));
    if !authorized {
        return ApiError::unauthenticated().into_response();
    }
    let business = serde_json::from_slice::<serde_json::Value>(&body)
        .is_ok_and(|body| body["type"] == "business");
    (
        StatusCode::CREATED,
        Json(sb.create_customer_via_bank(business, now_ms())),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_its_layout_with_the_text_escaped() {
        let Html(page) = layout("A & B", html! { p { "<script>alert('x')</script>" } });
        assert_eq!(
            page,
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>A &amp; B</title><link rel=\"stylesheet\" href=\"/pages.css\"></head>\
             <body><main><p>&lt;script&gt;alert('x')&lt;/script&gt;</p></main></body></html>"
        );
    }
}
