//! Calls from the integrator's backend, signed like launch tokens: `POST
//! /integrator/customers/{guid}/end-sessions` ends every session and the handoff code of a
//! customer (their account was closed, their password changed, they reported a lost phone).
//!
//! The caller sends `Authorization: Bearer <JWT>`: HS256 with the launch secret (either
//! active key during a rotation), short-lived (`exp` at most ten minutes ahead), claims
//! `{"customer_guid": "...", "scope": "end_sessions", "exp": ...}` (and `aud` / `iss` when
//! configured), accepted once. A launch token is never taken for one of these, nor the
//! other way round ([`crate::launch`]). No cookie is looked at: no CSRF to fear.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::backend::ApiError;
use crate::clock::now_ms;
use crate::launch::{Refusal, END_SESSIONS_SCOPE};
use crate::state::AppState;

/// Extractor: the customer guid of a valid, unspent `end_sessions` token in the request's
/// `Authorization: Bearer`; 401 otherwise (404 when this server takes no launch tokens).
pub struct EndSessionsCall(pub String);

impl FromRequestParts<Arc<AppState>> for EndSessionsCall {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let Some(verifier) = state.launch.as_ref() else {
            return Err(ApiError::not_found("route").into_response());
        };
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        match verifier
            .accept_scoped(token, END_SESSIONS_SCOPE, now_ms() / 1000)
            .await
        {
            Ok(customer_guid) => Ok(EndSessionsCall(customer_guid)),
            Err(Refusal::StoreUnavailable) => Err(ApiError::store_unavailable().into_response()),
            Err(refusal) => {
                tracing::warn!(?refusal, "end-sessions token refused");
                let mut e = ApiError::unauthenticated();
                e.message = "a valid, unused end_sessions token is needed".to_owned();
                Err(e.into_response())
            }
        }
    }
}

/// `POST /integrator/customers/{guid}/end-sessions`: `{"sessions_ended": n}`.
pub async fn end_sessions(
    State(state): State<Arc<AppState>>,
    Path(guid): Path<String>,
    EndSessionsCall(signed_for): EndSessionsCall,
) -> Response {
    if signed_for != guid {
        return ApiError::forbidden("the token names another customer").into_response();
    }
    match state.store.end_sessions_of(&guid).await {
        Ok(ended) => {
            tracing::info!(customer = %guid, ended, "sessions ended by the integrator");
            (
                StatusCode::OK,
                Json(serde_json::json!({ "sessions_ended": ended })),
            )
                .into_response()
        }
        Err(e) => ApiError::from(e).into_response(),
    }
}
