//! The backend behind the SPA's API: the sandbox emulator or the real Cybrid API.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kyc_onboarding::core::api::{
    Customer, ErrorResponse, IdentityVerification, PersonaSession, PostIdentityVerification,
    PostPersonaSession,
};

use kyc_onboarding::core::time::parse_rfc3339;

use kyc_onboarding::core::time::Millis;

use crate::clock::now_ms;
use crate::cybrid::{Cybrid, Read};
use crate::endpoint::Endpoint;
use crate::fault_injection::FaultKind;

/// An error answered in Cybrid's shape: `{status, error_message, message_code}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub code: &'static str,
    /// Sent as `Retry-After` (seconds): how long a rate-limited caller should wait.
    pub retry_after_s: Option<u32>,
}

impl ApiError {
    /// 404 for something that does not exist, or is not this customer's (the same answer).
    pub fn not_found(what: &str) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: format!("{what} not found"),
            code: "not_found",
            retry_after_s: None,
        }
    }

    /// 422 for a request the API will not carry out.
    pub fn invalid(message: &str) -> ApiError {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: message.to_owned(),
            code: "invalid_parameter",
            retry_after_s: None,
        }
    }

    /// 401: no session, or it ended.
    pub fn unauthenticated() -> ApiError {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            message: "no session: sign in again".to_owned(),
            code: "unauthenticated",
            retry_after_s: None,
        }
    }

    /// 403: a POST without the session's CSRF token.
    pub fn forbidden(message: &str) -> ApiError {
        ApiError {
            status: StatusCode::FORBIDDEN,
            message: message.to_owned(),
            code: "forbidden",
            retry_after_s: None,
        }
    }

    /// 502: the upstream API failed or answered something unreadable.
    pub fn upstream(message: &str) -> ApiError {
        ApiError {
            status: StatusCode::BAD_GATEWAY,
            message: message.to_owned(),
            code: "upstream_error",
            retry_after_s: None,
        }
    }

    /// 429: too many requests; `retry_after_s` is passed on as `Retry-After`.
    pub fn rate_limited(message: &str, retry_after_s: Option<u32>) -> ApiError {
        ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            message: message.to_owned(),
            code: "rate_limited",
            retry_after_s,
        }
    }

    /// 503: the state store (sessions, codes, quotas...) cannot be reached; worth a retry
    /// in a moment.
    pub fn store_unavailable() -> ApiError {
        ApiError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: "the service is briefly unavailable: try again shortly".to_owned(),
            code: "store_unavailable",
            retry_after_s: Some(2),
        }
    }

    /// The JSON body.
    pub fn body(&self) -> ErrorResponse {
        ErrorResponse {
            status: self.status.as_u16(),
            error_message: Some(self.message.clone()),
            message_code: Some(self.code.to_owned()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body())).into_response();
        if let Some(secs) = self.retry_after_s {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}

/// How many of a list's newest KYC verifications [`Backend::list_with_details`] fills in: the
/// one in flight and the ones just before it are all the flow ever looks at.
pub const DETAILED: usize = 3;

/// Whether a verification came without any of the details that only Cybrid's single GET
/// returns.
pub fn lacks_details(v: &IdentityVerification) -> bool {
    v.persona_inquiry_id.is_none()
        && v.persona_state.is_none()
        && v.compliance_checks.is_empty()
        && v.compliance_decisions.is_empty()
}

/// A verification as Cybrid's list gives it: without its details.
pub fn without_details(v: IdentityVerification) -> IdentityVerification {
    IdentityVerification {
        persona_inquiry_id: None,
        persona_state: None,
        compliance_checks: Vec::new(),
        compliance_decisions: Vec::new(),
        ..v
    }
}

/// An upstream emulated in this process instead of Cybrid's API: the sandbox
/// (`crate::sandbox`). Production code knows it only through this trait, so it never depends
/// on the emulator; the emulator depends on production code, not the other way round.
pub trait Emulator: Send + Sync + 'static {
    /// `GET /api/customers/{guid}`.
    fn customer(&self, guid: &str, now: Millis) -> Option<Customer>;
    /// `GET /api/identity_verifications?customer_guid=`, newest first, with details.
    fn list(&self, customer_guid: &str, now: Millis) -> Vec<IdentityVerification>;
    /// `GET /api/identity_verifications/{guid}`.
    fn verification(&self, guid: &str, now: Millis) -> Option<IdentityVerification>;
    /// `POST /api/identity_verifications`.
    fn create(
        &self,
        post: &PostIdentityVerification,
        now: Millis,
    ) -> Result<IdentityVerification, ApiError>;
    /// `POST /api/persona_sessions`.
    fn persona_session(
        &self,
        post: &PostPersonaSession,
        now: Millis,
    ) -> Result<PersonaSession, ApiError>;
    /// The fault planned for this customer's next call to `endpoint`, taken (used up).
    fn take_fault(&self, customer_guid: &str, endpoint: Endpoint) -> Option<FaultKind>;
    /// Whether `token` is a bank bearer token the emulator issued and still honours.
    fn bank_token_valid(&self, token: &str, now: Millis) -> bool;
    /// Itself, for the emulator's own pages to find it behind the trait.
    fn as_any(&self) -> &(dyn std::any::Any + Send + Sync);
}

/// Where the five calls go.
#[derive(Clone)]
pub enum Backend {
    /// Mode 1: the emulator.
    Emulated(Arc<dyn Emulator>),
    /// Mode 2: the Cybrid bank API.
    Cybrid(Arc<Cybrid>),
}

impl Backend {
    /// `GET /api/customers/{guid}` (upstream, the answer may be a moment old).
    pub async fn customer(&self, guid: &str) -> Result<Customer, ApiError> {
        self.customer_read(guid, Read::Shared).await
    }

    /// `GET /api/customers/{guid}`, straight from upstream.
    pub async fn customer_fresh(&self, guid: &str) -> Result<Customer, ApiError> {
        self.customer_read(guid, Read::Fresh).await
    }

    async fn customer_read(&self, guid: &str, how: Read) -> Result<Customer, ApiError> {
        match self {
            Backend::Emulated(sb) => sb
                .customer(guid, now_ms())
                .ok_or_else(|| ApiError::not_found("customer")),
            Backend::Cybrid(c) => c.customer(guid, how).await,
        }
    }

    /// `GET /api/identity_verifications?customer_guid=`: newest first (upstream, the answer
    /// may be a moment old).
    pub async fn list(&self, customer_guid: &str) -> Result<Vec<IdentityVerification>, ApiError> {
        self.list_read(customer_guid, Read::Shared).await
    }

    async fn list_read(
        &self,
        customer_guid: &str,
        how: Read,
    ) -> Result<Vec<IdentityVerification>, ApiError> {
        let mut list = match self {
            Backend::Emulated(sb) => sb.list(customer_guid, now_ms()),
            Backend::Cybrid(c) => c.list(customer_guid, how).await?,
        };
        newest_first(&mut list);
        Ok(list)
    }

    /// The customer's verifications, newest first, the newest KYC ones with their details.
    ///
    /// Cybrid's list gives each verification without its details (no Persona inquiry or
    /// state, no compliance checks): only the single GET has them. Whether a verification can
    /// be resumed, was submitted or is a document request depends on those, so the newest
    /// [`DETAILED`] KYC items that lack them are fetched one by one. An item that comes with
    /// details (the emulator's, or a list that one day carries them) costs no call.
    pub async fn list_with_details(
        &self,
        customer_guid: &str,
    ) -> Result<Vec<IdentityVerification>, ApiError> {
        self.list_with_details_read(customer_guid, Read::Shared)
            .await
    }

    /// [`Backend::list_with_details`] straight from upstream (for the create guard).
    pub async fn list_with_details_fresh(
        &self,
        customer_guid: &str,
    ) -> Result<Vec<IdentityVerification>, ApiError> {
        self.list_with_details_read(customer_guid, Read::Fresh)
            .await
    }

    async fn list_with_details_read(
        &self,
        customer_guid: &str,
        how: Read,
    ) -> Result<Vec<IdentityVerification>, ApiError> {
        let mut list = self.list_read(customer_guid, how).await?;
        // Newest by creation, not by the list's order (which the flow does not trust either).
        let mut wanted: Vec<usize> = (0..list.len())
            .filter(|&i| list[i].is_kyc() && lacks_details(&list[i]))
            .collect();
        let created = |i: usize| list[i].created_at.as_deref().and_then(parse_rfc3339);
        wanted.sort_by_key(|&i| std::cmp::Reverse(created(i)));
        wanted.truncate(DETAILED);
        let details = futures_util::future::join_all(
            wanted
                .iter()
                .map(|&i| self.verification_read(&list[i].guid, how)),
        )
        .await;
        for (i, detailed) in wanted.into_iter().zip(details) {
            match detailed {
                // The same verification, or the list would be mixing two.
                Ok(v) if v.guid == list[i].guid => list[i] = v,
                Ok(_) => {}
                // Gone between the two calls: the list's own item stays.
                Err(e) if e.status == StatusCode::NOT_FOUND => {}
                Err(e) => return Err(e),
            }
        }
        Ok(list)
    }

    /// `POST /api/identity_verifications`.
    pub async fn create(
        &self,
        post: &PostIdentityVerification,
    ) -> Result<IdentityVerification, ApiError> {
        match self {
            Backend::Emulated(sb) => sb.create(post, now_ms()),
            Backend::Cybrid(c) => c.create(post).await,
        }
    }

    /// `GET /api/identity_verifications/{guid}` (upstream, the answer may be a moment old).
    pub async fn verification(&self, guid: &str) -> Result<IdentityVerification, ApiError> {
        self.verification_read(guid, Read::Shared).await
    }

    async fn verification_read(
        &self,
        guid: &str,
        how: Read,
    ) -> Result<IdentityVerification, ApiError> {
        match self {
            Backend::Emulated(sb) => sb
                .verification(guid, now_ms())
                .ok_or_else(|| ApiError::not_found("identity verification")),
            Backend::Cybrid(c) => c.verification(guid, how).await,
        }
    }

    /// `POST /api/persona_sessions`.
    pub async fn persona_session(
        &self,
        post: &PostPersonaSession,
    ) -> Result<PersonaSession, ApiError> {
        match self {
            Backend::Emulated(sb) => sb.persona_session(post, now_ms()),
            Backend::Cybrid(c) => c.persona_session(post).await,
        }
    }

    /// The emulator, when that is the backend.
    pub fn emulator(&self) -> Option<&Arc<dyn Emulator>> {
        match self {
            Backend::Emulated(sb) => Some(sb),
            Backend::Cybrid(_) => None,
        }
    }
}

/// The browser's list and its pages are newest first, as the app relies on: the one rule,
/// in the core beside the flow that relies on it.
pub use kyc_onboarding::core::flow::newest_first;

#[cfg(test)]
mod tests {
    use super::*;

    fn created(guid: &str, at: Option<&str>) -> IdentityVerification {
        let at = at.map_or(String::new(), |at| format!(r#","created_at":"{at}""#));
        kyc_onboarding::core::api::parse(&format!(
            r#"{{"guid":"{guid}","type":"kyc","method":"id_and_selfie","state":"completed"{at}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn a_list_in_any_order_comes_out_newest_first() {
        let mut list = vec![
            created("oldest", Some("2026-01-01T00:00:00Z")),
            created("undated", None),
            created("newest", Some("2026-03-01T10:00:00.500Z")),
            created("middle", Some("2026-02-01T00:00:00+01:00")),
            created("also-middle", Some("2026-02-01T00:00:00+01:00")),
        ];
        newest_first(&mut list);
        let order: Vec<&str> = list.iter().map(|v| v.guid.as_str()).collect();
        assert_eq!(
            order,
            ["newest", "middle", "also-middle", "oldest", "undated"]
        );
    }
}
