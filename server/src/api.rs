//! The backend contract the SPA relies on (see `server/openapi.yaml`): `GET /session` and the
//! five Cybrid-compatible paths, scoped to the session's customer.
//!
//! A browser holds a session cookie; everything it asks about must be its own customer's,
//! and anything else answers 404 exactly like something that does not exist. In the sandbox,
//! a bank bearer token (from `/oauth/token`) may call the same paths unscoped, as a mode-2
//! server does when the sandbox plays the upstream Cybrid.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use kyc_onboarding::core::api::{
    parse, CustomerState, CustomerType, Environment, IdentityVerification, ListResponse,
    PersonaConfig, PostIdentityVerification, PostPersonaSession, SessionInfo, VerificationMethod,
    VerificationType, NO_SESSION_IN_SANDBOX,
};
use kyc_onboarding::core::flow::{refused_document, rules_out_another};
use kyc_onboarding::core::time::format_rfc3339;
use serde::Deserialize;

use crate::backend::{without_details, ApiError};
use crate::clock::now_ms;
use crate::endpoint::Endpoint;
use crate::fault_injection::with_fault;
use crate::session::Session;
use crate::state::AppState;
use crate::Config;

/// Who is calling.
enum Caller {
    /// A browser with a customer session: everything is scoped to its customer.
    Customer(Session),
    /// The bank (sandbox upstream only): unscoped.
    Bank,
}

impl Caller {
    /// A verification as this caller may see it: a customer's browser is never told which
    /// AML or fraud check caught them (the bank sees everything).
    fn shown(&self, v: IdentityVerification) -> IdentityVerification {
        match self {
            Caller::Customer(_) => v.as_told_to_customer(),
            Caller::Bank => v,
        }
    }

    /// Whether this caller may read or continue the verification `v`: a customer's browser
    /// only its own KYC verifications, the one kind this app carries out. Others the bank runs
    /// for the customer (a counterparty's, a bank account's) may have a Persona inquiry of
    /// their own that is not the customer's to open.
    ///
    /// A phone's session (from a handoff code) only the verification it was handed, or one
    /// it started since (when none was in flight, or the one handed expired): never the
    /// customer's others.
    fn may_use(&self, v: &IdentityVerification) -> bool {
        match self {
            Caller::Customer(s) => {
                self.may_see(v.customer_guid.as_deref())
                    && v.is_kyc()
                    && s.phone.as_ref().is_none_or(|scope| {
                        scope.verification_guid.as_deref() == Some(v.guid.as_str())
                            || v.created_at
                                .as_deref()
                                .and_then(kyc_onboarding::core::time::parse_rfc3339)
                                .is_some_and(|created| created >= scope.since_ms)
                    })
            }
            Caller::Bank => true,
        }
    }

    /// Whether this caller may see the customer `guid`.
    fn may_see(&self, guid: Option<&str>) -> bool {
        match self {
            Caller::Customer(s) => guid == Some(s.customer_guid.as_str()),
            Caller::Bank => true,
        }
    }
}

/// Identifies the caller: a bank token (sandbox only) or the session cookie.
async fn caller(state: &AppState, headers: &HeaderMap, post: bool) -> Result<Caller, ApiError> {
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        let token = auth
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(ApiError::unauthenticated)?;
        return match state.backend.emulator() {
            Some(sb) if sb.bank_token_valid(token, now_ms()) => Ok(Caller::Bank),
            _ => Err(ApiError::unauthenticated()),
        };
    }
    let session = if post {
        state.sessions.require_with_csrf(headers).await?
    } else {
        state.sessions.require(headers).await?
    };
    Ok(Caller::Customer(session))
}

/// Charges the customer's quota for `endpoint`, then runs `work` under the emulator's fault
/// injection (none outside the sandbox). A bank caller (sandbox upstream) is charged nothing.
async fn guarded<F, Fut>(state: &AppState, caller: &Caller, endpoint: Endpoint, work: F) -> Response
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Response>,
{
    let Caller::Customer(session) = caller else {
        return work().await;
    };
    let spend = crate::quota::Spend::of(endpoint);
    if let Err(e) = state
        .quotas
        .charge(&session.customer_guid, spend, now_ms())
        .await
    {
        return e.into_response();
    }
    let planned = state
        .backend
        .emulator()
        .and_then(|emulator| emulator.take_fault(&session.customer_guid, endpoint));
    with_fault(planned, endpoint, work).await
}

fn json<T: serde::Serialize>(value: &T) -> Response {
    Json(value).into_response()
}

/// The front end's settings, the same for every customer: `GET /session`'s answer without
/// the session (no customer, no CSRF token, no times). The app's page carries them too.
pub fn settings(
    config: &Config,
    environment: &Environment,
    persona_host: &Option<String>,
) -> SessionInfo {
    SessionInfo {
        customer_guid: String::new(),
        environment: Some(environment.as_str().to_owned()),
        expires_at: None,
        idle_secs: None,
        server_time: None,
        csrf_token: String::new(),
        persona: PersonaConfig {
            sdk_url: Some(config.persona_sdk_url.clone()),
            environment_id: config.persona_environment_id.clone(),
            host: persona_host.clone(),
            frame_ancestors: config.frame_ancestors.clone(),
        },
        branding: config.branding.clone(),
        language: config.language.clone(),
        host_origin: config.host_origin.clone(),
    }
}

/// `GET /session`: who the customer is, and the front end's settings.
pub async fn session(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let session = match state.sessions.require(&headers).await {
        Ok(s) => s,
        // The sandbox says so, for the app to point at its scenario page.
        Err(mut e)
            if state.backend.emulator().is_some() && e.status == StatusCode::UNAUTHORIZED =>
        {
            e.code = NO_SESSION_IN_SANDBOX;
            return e.into_response();
        }
        Err(e) => return e.into_response(),
    };
    let caller = Caller::Customer(session.clone());
    guarded(&state, &caller, Endpoint::Session, || async {
        let mut response = json(&SessionInfo {
            customer_guid: session.customer_guid.clone(),
            expires_at: Some(format_rfc3339(session.expires_ms)),
            idle_secs: Some(state.config.session_idle.as_secs()),
            server_time: Some(format_rfc3339(now_ms())),
            csrf_token: session.csrf_token.clone(),
            ..settings(&state.config, &state.environment, &state.persona_host)
        });
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    })
    .await
}

/// `GET /api/customers/{guid}`.
pub async fn customer(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(guid): Path<String>,
) -> Response {
    let caller = match caller(&state, &headers, false).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    if !caller.may_see(Some(&guid)) {
        return ApiError::not_found("customer").into_response();
    }
    guarded(&state, &caller, Endpoint::Customer, || async {
        match state.backend.customer(&guid).await {
            Ok(c) => json(&c),
            Err(e) => e.into_response(),
        }
    })
    .await
}

/// Query of the list endpoint.
#[derive(Deserialize)]
pub struct ListQuery {
    customer_guid: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// `GET /api/identity_verifications?customer_guid=..`: newest first.
pub async fn list(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Response {
    let caller = match caller(&state, &headers, false).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let customer_guid = match (&caller, query.customer_guid) {
        (Caller::Customer(s), None) => s.customer_guid.clone(),
        (_, Some(guid)) => guid,
        (Caller::Bank, None) => {
            return ApiError::invalid("customer_guid is required").into_response()
        }
    };
    if !caller.may_see(Some(&customer_guid)) {
        return ApiError::not_found("customer").into_response();
    }
    let per_page = query.per_page.unwrap_or(10).clamp(1, 100);
    let page = query.page.unwrap_or(0);
    guarded(&state, &caller, Endpoint::List, || async {
        let listed = match &caller {
            Caller::Customer(_) => state.backend.list_with_details(&customer_guid).await,
            // The emulator answers a bank as Cybrid's list does: no details in the items.
            Caller::Bank => state
                .backend
                .list(&customer_guid)
                .await
                .map(|all| all.into_iter().map(without_details).collect()),
        };
        match listed {
            Ok(all) => {
                let all: Vec<_> = all.into_iter().filter(|v| caller.may_use(v)).collect();
                all.iter().for_each(crate::metrics::verification_seen);
                let total = all.len() as u64;
                let objects = all
                    .into_iter()
                    .skip(usize::try_from(page.saturating_mul(per_page)).unwrap_or(usize::MAX))
                    .take(per_page as usize)
                    .map(|v| caller.shown(v))
                    .collect();
                json(&ListResponse {
                    objects,
                    total: Some(total),
                    page: Some(page),
                    per_page: Some(per_page),
                })
            }
            Err(e) => e.into_response(),
        }
    })
    .await
}

/// `POST /api/identity_verifications`. A browser may only ask for a KYC ID + selfie
/// verification for its own customer (the server makes it a business registration for a
/// business customer); sandbox behaviours are refused in production.
pub async fn create(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let caller = match caller(&state, &headers, true).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let post: PostIdentityVerification = match std::str::from_utf8(&body)
        .ok()
        .and_then(|text| parse(text).ok())
    {
        Some(p) => p,
        None => {
            return ApiError {
                status: StatusCode::BAD_REQUEST,
                message: "the body must be an identity verification request in JSON".into(),
                code: "invalid_body",
                retry_after_s: None,
            }
            .into_response()
        }
    };
    if !caller.may_see(Some(&post.customer_guid)) {
        return ApiError::not_found("customer").into_response();
    }
    if let Caller::Customer(_) = caller {
        // The ID check (the server picks its method from the customer record), or a document
        // sent again, which the guard allows only after one could not be used.
        if post.kind != VerificationType::Kyc
            || !matches!(
                post.method,
                VerificationMethod::IdAndSelfie | VerificationMethod::DocumentSubmission
            )
        {
            return ApiError::invalid(
                "only kyc id_and_selfie or document_submission verifications can be created here",
            )
            .into_response();
        }
        if !post.expected_behaviours.is_empty() && state.environment != Environment::Sandbox {
            return ApiError::invalid("expected_behaviours exist only in the sandbox")
                .into_response();
        }
        // Whether a tax id is required is the bank's decision, never the customer's.
        if post.require_tax_id.is_some() {
            return ApiError::invalid("require_tax_id cannot be set by the customer")
                .into_response();
        }
    }
    guarded(&state, &caller, Endpoint::Create, || async {
        // Never two in flight for one customer, whatever the clients do (a browser re-sending
        // a POST whose answer was lost, two tabs, two devices, two replicas): under the
        // customer's lock, an in-flight verification, or one awaiting its decision, is
        // answered instead of creating another one.
        let lease = match state
            .store
            .acquire_create_lock(&post.customer_guid, CREATE_LEASE, CREATE_WAIT)
            .await
        {
            Ok(Some(lease)) => lease,
            Ok(None) => {
                tracing::warn!("create: the customer's lock stayed taken");
                return ApiError::store_unavailable().into_response();
            }
            Err(e) => return ApiError::from(e).into_response(),
        };
        let response = create_locked(&state, &caller, &post, &lease).await;
        if let Err(e) = state.store.release(lease).await {
            // It expires by itself.
            tracing::warn!(error = %e, "create: the lock could not be released");
        }
        response
    })
    .await
}

/// How long a create lock is held at most: more than the guard's reads and the create take
/// with every upstream call at its timeout.
pub const CREATE_LEASE: Duration = Duration::from_secs(60);
/// How long a create waits for the customer's lock (the app's own limit is 20 s).
const CREATE_WAIT: Duration = Duration::from_secs(15);

/// The guard and the create, under the customer's lock `lease`.
async fn create_locked(
    state: &AppState,
    caller: &Caller,
    post: &PostIdentityVerification,
    lease: &crate::store::Lease,
) -> Response {
    let mut built = None;
    if let Caller::Customer(_) = caller {
        let list = match state
            .backend
            .list_with_details_fresh(&post.customer_guid)
            .await
        {
            Ok(list) => list,
            Err(e) => return e.into_response(),
        };
        if post.method == VerificationMethod::DocumentSubmission {
            return match document_again(state, post, &list).await {
                Ok(again) => create_upstream(state, caller, &again, lease).await,
                Err(refusal) => refusal,
            };
        }
        // A document request is never the answer to an ID check (nor in its way).
        if let Some(v) = list.into_iter().find(|v| rules_out_another(v, now_ms())) {
            tracing::info!(verification = %v.guid, "create answered with the verification in flight");
            return json(&caller.shown(v));
        }
        // Only a customer who still needs verifying gets a new inquiry (each one costs
        // the bank): verified, rejected and frozen customers are told so.
        match state.backend.customer_fresh(&post.customer_guid).await {
            // A customer's request goes on as one the server builds for the customer the
            // record describes: only the fields checked above, whatever else the browser sent.
            Ok(c) if c.state == CustomerState::Unverified => {
                built = Some(built_for_customer(
                    post.clone(),
                    state.config.require_tax_id,
                    c.kind.as_ref(),
                ));
            }
            Ok(c) => {
                return ApiError::invalid(&format!(
                    "the customer is {}: no new verification",
                    c.state.as_str()
                ))
                .into_response()
            }
            Err(e) => return e.into_response(),
        }
    }
    // A customer's request was built above (every other answer has returned); the bank's
    // goes as it came.
    create_upstream(state, caller, built.as_ref().unwrap_or(post), lease).await
}

/// A customer's request to send a document again, built by the server: allowed only when
/// the customer's newest document request was sent and could not be used, and still matters
/// (the app's own rule, [`refused_document`]), for a customer who is not rejected or frozen.
async fn document_again(
    state: &AppState,
    post: &PostIdentityVerification,
    list: &[IdentityVerification],
) -> Result<PostIdentityVerification, Response> {
    let customer = state
        .backend
        .customer_fresh(&post.customer_guid)
        .await
        .map_err(IntoResponse::into_response)?;
    let verified = customer.state == CustomerState::Verified;
    let may = (verified || customer.state == CustomerState::Unverified)
        && refused_document(list, verified).is_some();
    if !may {
        return Err(ApiError::invalid("no document request to send again").into_response());
    }
    Ok(PostIdentityVerification {
        method: VerificationMethod::DocumentSubmission,
        ..PostIdentityVerification::kyc_id_and_selfie(&post.customer_guid)
    })
}

/// `POST /api/identity_verifications` upstream, with `post` as the guard left it, while
/// enough of the customer's lock `lease` is left.
async fn create_upstream(
    state: &AppState,
    caller: &Caller,
    post: &PostIdentityVerification,
    lease: &crate::store::Lease,
) -> Response {
    // The lock must outlast the create: another replica could take it once it expires, see
    // no verification yet, and make a second one.
    if lease.remaining() < crate::cybrid::UPSTREAM_TIMEOUT + Duration::from_secs(2) {
        tracing::warn!("create: too little of the lock left to create safely");
        return ApiError::store_unavailable().into_response();
    }
    match state.backend.create(post).await {
        Ok(v) => {
            tracing::info!(verification = %v.guid, "identity verification created");
            crate::metrics::verification_created();
            (StatusCode::CREATED, Json(caller.shown(v))).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// The create request the server sends for a customer of type `kind`: a KYC ID + selfie
/// for a person, with the bank's `require_tax_id`; a KYC business registration for a
/// business (KYB collects the EIN itself: the person's tax ID switch does not apply); in the
/// sandbox, the customer's expected behaviours; nothing else the browser sent.
fn built_for_customer(
    post: PostIdentityVerification,
    require_tax_id: Option<bool>,
    kind: Option<&CustomerType>,
) -> PostIdentityVerification {
    let method = VerificationMethod::for_customer(kind);
    PostIdentityVerification {
        expected_behaviours: post.expected_behaviours,
        require_tax_id: require_tax_id.filter(|_| method == VerificationMethod::IdAndSelfie),
        method,
        ..PostIdentityVerification::kyc_id_and_selfie(&post.customer_guid)
    }
}

/// `GET /api/identity_verifications/{guid}`.
pub async fn verification(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(guid): Path<String>,
) -> Response {
    let caller = match caller(&state, &headers, false).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    guarded(&state, &caller, Endpoint::Verification, || async {
        match state.backend.verification(&guid).await {
            Ok(v) if caller.may_use(&v) => {
                crate::metrics::verification_seen(&v);
                json(&caller.shown(v))
            }
            Ok(_) => ApiError::not_found("identity verification").into_response(),
            Err(e) => e.into_response(),
        }
    })
    .await
}

/// `POST /api/persona_sessions`: the verification and its inquiry must be the customer's.
pub async fn persona_session(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let caller = match caller(&state, &headers, true).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let Some(post) = std::str::from_utf8(&body)
        .ok()
        .and_then(|text| parse::<PostPersonaSession>(text).ok())
    else {
        return ApiError {
            status: StatusCode::BAD_REQUEST,
            message: "the body must name persona_inquiry_id and identity_verification_guid".into(),
            code: "invalid_body",
            retry_after_s: None,
        }
        .into_response();
    };
    guarded(&state, &caller, Endpoint::PersonaSession, || async {
        if let Caller::Customer(_) = caller {
            match state
                .backend
                .verification(&post.identity_verification_guid)
                .await
            {
                Ok(v)
                    if caller.may_use(&v)
                        && v.persona_inquiry_id.as_deref()
                            == Some(post.persona_inquiry_id.as_str()) => {}
                Ok(_) => return ApiError::not_found("persona inquiry").into_response(),
                Err(e) => return e.into_response(),
            }
        }
        match state.backend.persona_session(&post).await {
            Ok(session) => {
                let mut response = json(&session);
                response
                    .headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                response
            }
            Err(e) => e.into_response(),
        }
    })
    .await
}

/// Any other `/api/...` path.
pub async fn not_found() -> Response {
    ApiError::not_found("resource").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kyc_onboarding::core::api::ExpectedBehaviour;

    #[test]
    fn a_customers_create_request_is_built_with_the_banks_tax_id_choice() {
        let asked = PostIdentityVerification {
            method: VerificationMethod::Attested,
            expected_behaviours: vec![ExpectedBehaviour::PassedImmediately],
            ..PostIdentityVerification::kyc_id_and_selfie("cust_1")
        };
        let person = CustomerType::Individual;
        for choice in [None, Some(true), Some(false)] {
            for kind in [Some(&person), None] {
                let built = built_for_customer(asked.clone(), choice, kind);
                assert_eq!(built.require_tax_id, choice);
                assert_eq!(built.method, VerificationMethod::IdAndSelfie);
                assert_eq!(built.customer_guid, "cust_1");
                assert_eq!(built.expected_behaviours, asked.expected_behaviours);
            }
        }
    }

    #[test]
    fn a_business_customers_create_request_is_a_business_registration() {
        // Whatever the browser asked for (it always asks for an ID + selfie).
        for asked in [
            PostIdentityVerification::kyc_id_and_selfie("cust_1"),
            PostIdentityVerification {
                method: VerificationMethod::Attested,
                ..PostIdentityVerification::kyc_id_and_selfie("cust_1")
            },
        ] {
            let built = built_for_customer(asked, Some(true), Some(&CustomerType::Business));
            assert_eq!(built.kind, VerificationType::Kyc);
            assert_eq!(built.method.as_str(), "business_registration");
            assert_eq!(built.require_tax_id, None, "the EIN is part of KYB itself");
            assert_eq!(built.customer_guid, "cust_1");
        }
    }
}
