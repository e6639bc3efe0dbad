//! Mode 2: forwards the five calls to the Cybrid bank API with a bank token from the identity
//! host's OAuth client-credentials endpoint. The token is cached until shortly before it
//! expires and renewed once when the bank API answers 401 (once for a burst of such calls);
//! it is shared through the state store, so replicas do not each fetch one. Identical reads
//! within a moment (`KYC_UPSTREAM_READ_SHARE_MS`) share one upstream answer, whatever the
//! app's polling pace and however many replicas it reaches.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use kyc_onboarding::core::api::{
    parse, Customer, ErrorResponse, IdentityVerification, ListResponse, PersonaSession,
    PostIdentityVerification, PostPersonaSession,
};
use kyc_onboarding::core::json::{FromJson, ToJson};
use serde::Deserialize;

use crate::backend::ApiError;
use crate::clock::now_ms;
use crate::config::CybridConfig;
use crate::store::{Store, StoredToken};

/// What this server says it is to Cybrid.
pub const USER_AGENT: &str = concat!("kyc-server/", env!("CARGO_PKG_VERSION"));
/// The longest a replica waits for another to fetch the bank token before fetching its own.
const TOKEN_LOCK_WAIT: Duration = Duration::from_secs(10);

/// The scopes the backend needs, and no more.
const SCOPES: &str =
    "customers:read identity_verifications:read identity_verifications:execute persona_sessions:execute";
/// Renew the token this long before it expires.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);
/// How many verifications to look at when listing (newest first). The list also holds the
/// customer's bank-account and counterparty verifications: a page of 10 could push an
/// in-flight KYC one off it after a few bank accounts, and the create guard would then make
/// a second one. 50 is far more than a customer has while one is in flight.
const LIST_PAGE: u32 = 50;
/// The longest one upstream call may take: well under the app's own 20 s limit even for a
/// create (list, then create).
pub const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(8);
/// The longest upstream `Retry-After` passed on, in seconds (the app's own cap).
const MAX_RETRY_AFTER_S: u32 = 60;

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// A cached bank token.
struct BankToken {
    value: String,
    renew_at: Instant,
}

/// The bank token as the calls share it: the cached token, and the last failure to get one
/// while it still stands. Calls queue on it, so one asks the identity service at a time.
#[derive(Default)]
struct TokenState {
    token: Option<BankToken>,
    /// Given to every call until then, instead of each queued call asking again (and, with
    /// an identity service that hangs, each waiting out its own timeout in turn).
    failed: Option<(ApiError, Instant)>,
}

/// How long a failure to get a bank token is given to the calls that follow, unless the
/// identity service asks for longer with `Retry-After`.
const TOKEN_FAILURE_HOLD: Duration = Duration::from_secs(5);

/// The Cybrid bank API client.
pub struct Cybrid {
    http: reqwest::Client,
    config: CybridConfig,
    token: tokio::sync::Mutex<TokenState>,
    /// Where the bank token and recent reads are shared.
    store: Store,
    /// How long a read's answer is shared (zero: never).
    read_share: Duration,
    /// The reads under way in this process, so that identical ones wait for the first.
    reading: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// Whether a read may take an answer read a moment ago.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    /// Shared with identical reads within [`Cybrid::new`]'s window.
    Shared,
    /// Straight from upstream (the create guard, which must see the latest).
    Fresh,
}

impl Cybrid {
    /// A client for the configured hosts, sharing its token and recent reads (for
    /// `read_share`) in `store`.
    pub fn new(config: CybridConfig, store: Store, read_share: Duration) -> Result<Cybrid, String> {
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            // Well under the app's own 20 s limit even for a create (list, then create): the
            // app then hears this server's 502 rather than timing out itself.
            .timeout(UPSTREAM_TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            // A redirect is never followed: it would carry the client secret (or the bank
            // token) to wherever the answer points.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Cybrid {
            http,
            config,
            token: tokio::sync::Mutex::new(TokenState::default()),
            store,
            read_share,
            reading: Default::default(),
        })
    }

    /// The environment name for the front end.
    pub fn environment(&self) -> &str {
        &self.config.environment
    }

    /// A bank token: the cached one unless it is about to expire or is the one the bank API
    /// just `refused`. When a burst of calls is refused together, the first renews the token
    /// and the others take the new one instead of each asking for another; when the renewal
    /// fails, they get its failure for a few seconds instead of each trying in turn.
    async fn bank_token(&self, refused: Option<&str>) -> Result<String, ApiError> {
        let mut state = self.token.lock().await;
        if let Some(token) = state.token.as_ref() {
            if refused != Some(token.value.as_str()) && Instant::now() < token.renew_at {
                return Ok(token.value.clone());
            }
        }
        // Another replica's (or this one's, before a restart).
        if let Some(token) = self.shared_token(refused).await? {
            let value = token.value.clone();
            state.token = Some(token);
            return Ok(value);
        }
        if let Some((error, until)) = &state.failed {
            let now = Instant::now();
            if now < *until {
                let mut error = error.clone();
                if error.retry_after_s.is_some() {
                    error.retry_after_s = Some((*until - now).as_secs().max(1) as u32);
                }
                return Err(error);
            }
        }
        // One replica asks at a time; the others then take its token.
        let lock_name = format!("bank-token:{}", crate::store::hashed(&self.token_id()));
        let lease = self
            .store
            .acquire_lock(&lock_name, self.http_budget(), TOKEN_LOCK_WAIT)
            .await?;
        if lease.is_some() {
            if let Some(token) = self.shared_token(refused).await? {
                if let Some(lease) = lease {
                    self.store.release(lease).await.ok();
                }
                let value = token.value.clone();
                state.token = Some(token);
                return Ok(value);
            }
        }
        let fresh = self.new_bank_token().await;
        match &fresh {
            Ok(token) => {
                state.failed = None;
                state.token = Some(BankToken {
                    value: token.value.clone(),
                    renew_at: token.renew_at,
                });
                let left = token.renew_at.saturating_duration_since(Instant::now());
                let shared = StoredToken {
                    value: token.value.clone(),
                    renew_at_ms: now_ms() + left.as_millis() as i64,
                };
                if !left.is_zero() {
                    if let Err(e) = self
                        .store
                        .put_bank_token(&self.token_id(), &shared, left)
                        .await
                    {
                        tracing::error!(error = %e, "the bank token could not be shared");
                    }
                }
            }
            Err(error) => {
                let hold = error
                    .retry_after_s
                    .map_or(TOKEN_FAILURE_HOLD, |s| Duration::from_secs(s.into()));
                state.failed = Some((error.clone(), Instant::now() + hold));
            }
        }
        if let Some(lease) = lease {
            self.store.release(lease).await.ok();
        }
        fresh.map(|token| token.value)
    }

    /// Names the credentials whose token is shared (hashed before it is stored).
    fn token_id(&self) -> String {
        format!("{}@{}", self.config.client_id, self.config.id_url)
    }

    /// The longest one upstream call may take (its timeout, and a margin).
    fn http_budget(&self) -> Duration {
        UPSTREAM_TIMEOUT + Duration::from_secs(2)
    }

    /// The shared token, unless it is about to expire or is the one just `refused`.
    async fn shared_token(&self, refused: Option<&str>) -> Result<Option<BankToken>, ApiError> {
        let Some(token) = self.store.bank_token(&self.token_id()).await? else {
            return Ok(None);
        };
        let left = token.renew_at_ms - now_ms();
        if left <= 0 || refused == Some(token.value.as_str()) {
            return Ok(None);
        }
        Ok(Some(BankToken {
            value: token.value,
            renew_at: Instant::now() + Duration::from_millis(left as u64),
        }))
    }

    /// Whether a bank token is at hand, for `/readyz`: the shared one while it lasts (a
    /// recent failure stands for a few seconds too), so a probe does not ask for a new token
    /// each time.
    pub async fn token_ready(&self) -> Result<(), ApiError> {
        self.bank_token(None).await.map(|_| ())
    }

    /// Asks the identity service for a bank token.
    async fn new_bank_token(&self) -> Result<BankToken, ApiError> {
        let url = format!("{}/oauth/token", self.config.id_url.trim_end_matches('/'));
        let started = Instant::now();
        let response = self
            .http
            .post(url)
            .json(&serde_json::json!({
                "grant_type": "client_credentials",
                "client_id": self.config.client_id,
                "client_secret": self.config.client_secret,
                "scope": SCOPES,
            }))
            .send()
            .await
            .map_err(|e| {
                crate::metrics::upstream_call("token", None, started.elapsed());
                unanswered("the identity service did not answer", e)
            })?;
        crate::metrics::upstream_call("token", Some(response.status().as_u16()), started.elapsed());
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            tracing::warn!("the identity service is rate-limiting this server");
            return Err(ApiError::rate_limited(
                "too many requests: try again shortly",
                retry_after(response.headers()),
            ));
        }
        if !response.status().is_success() {
            tracing::error!(status = response.status().as_u16(), "bank token refused");
            return Err(ApiError::upstream(
                "the identity service refused our credentials",
            ));
        }
        let mut response = response;
        let body: TokenResponse = serde_json::from_str(&read_capped(&mut response).await?)
            .map_err(|_| {
                ApiError::upstream("the identity service answered something unreadable")
            })?;
        let lifetime = Duration::from_secs(body.expires_in.unwrap_or(3_600));
        let renew_at = Instant::now() + lifetime.saturating_sub(EXPIRY_MARGIN);
        tracing::info!(expires_in_secs = lifetime.as_secs(), "bank token obtained");
        Ok(BankToken {
            value: body.access_token,
            renew_at,
        })
    }

    /// Sends a call with the bank token, renewing the token once on a 401. `endpoint` names
    /// it in metrics (`customer`, `list`...: never the path, which has identifiers).
    async fn call<T: FromJson>(
        &self,
        endpoint: &'static str,
        method: reqwest::Method,
        path: &str,
        body: Option<String>,
    ) -> Result<T, ApiError> {
        let text = self.call_text(endpoint, method, path, body).await?;
        parse(&text).map_err(|_| ApiError::upstream("the Cybrid API answered something unreadable"))
    }

    /// A GET whose answer is shared (under `read`, naming the customer or the verification,
    /// and the endpoint) with identical reads for a moment: across replicas through the
    /// store, and in this process by waiting for the read under way.
    ///
    /// What is shared is the answer as this server read it (the fields it knows), written
    /// again: never Cybrid's whole text, which may carry more about the customer.
    async fn read<T: FromJson + serde::Serialize>(
        &self,
        endpoint: &'static str,
        path: &str,
        read: &str,
        how: Read,
    ) -> Result<T, ApiError> {
        if how == Read::Fresh || self.read_share.is_zero() {
            return self.call(endpoint, reqwest::Method::GET, path, None).await;
        }
        let lock = {
            let mut reading = self.reading.lock().unwrap_or_else(|e| e.into_inner());
            reading.retain(|_, lock| Arc::strong_count(lock) > 1);
            reading.entry(read.to_owned()).or_default().clone()
        };
        let _turn = lock.lock().await;
        let unreadable = |_| ApiError::upstream("the Cybrid API answered something unreadable");
        if let Some(text) = self.store.recent_read(read).await? {
            return parse(&text).map_err(unreadable);
        }
        let text = self
            .call_text(endpoint, reqwest::Method::GET, path, None)
            .await?;
        let value: T = parse(&text).map_err(unreadable)?;
        let known = kyc_onboarding::core::api::to_json(&value);
        if let Err(e) = self
            .store
            .put_recent_read(read, &known, self.read_share)
            .await
        {
            tracing::error!(error = %e, "an upstream answer could not be shared");
        }
        Ok(value)
    }

    /// [`Cybrid::call`]'s answer as text, when it succeeded.
    async fn call_text(
        &self,
        endpoint: &'static str,
        method: reqwest::Method,
        path: &str,
        body: Option<String>,
    ) -> Result<String, ApiError> {
        let url = format!("{}{path}", self.config.bank_url.trim_end_matches('/'));
        let mut refused: Option<String> = None;
        loop {
            let token = self.bank_token(refused.as_deref()).await?;
            let mut request = self.http.request(method.clone(), &url).bearer_auth(&token);
            if let Some(body) = &body {
                request = request
                    .header("content-type", "application/json")
                    .body(body.clone());
            }
            let started = Instant::now();
            let mut response = request.send().await.map_err(|e| {
                crate::metrics::upstream_call(endpoint, None, started.elapsed());
                unanswered("the Cybrid API did not answer", e)
            })?;
            let status = response.status();
            crate::metrics::upstream_call(endpoint, Some(status.as_u16()), started.elapsed());
            let retry_after_s = retry_after(response.headers());
            if status == StatusCode::UNAUTHORIZED && refused.is_none() {
                refused = Some(token);
                continue;
            }
            let text = read_capped(&mut response).await?;
            if status.is_success() {
                return Ok(text);
            }
            return Err(upstream_error(status, &text, retry_after_s));
        }
    }

    /// `GET /api/customers/{guid}`.
    pub async fn customer(&self, guid: &str, how: Read) -> Result<Customer, ApiError> {
        let guid = path_segment(guid)?;
        self.read(
            "customer",
            &format!("/api/customers/{guid}"),
            &format!("{guid}:customer"),
            how,
        )
        .await
    }

    /// `GET /api/identity_verifications?customer_guid=`.
    pub async fn list(
        &self,
        customer_guid: &str,
        how: Read,
    ) -> Result<Vec<IdentityVerification>, ApiError> {
        let guid = path_segment(customer_guid)?;
        let page: ListResponse<IdentityVerification> = self
            .read(
                "list",
                &format!(
                    "/api/identity_verifications?customer_guid={guid}&page=0&per_page={LIST_PAGE}"
                ),
                &format!("{guid}:list"),
                how,
            )
            .await?;
        // Each item is checked too: should the filter ever be ignored upstream, another
        // customer's verification must not reach this one (nor count in the create guard).
        // An item that does not say whose it is fails the list rather than vanish from it:
        // left out, an in-flight one would let the create guard make a duplicate.
        if page.objects.iter().any(|v| v.customer_guid.is_none()) {
            return Err(ApiError::upstream(
                "the Cybrid API listed a verification without its customer",
            ));
        }
        Ok(page
            .objects
            .into_iter()
            .filter(|v| v.customer_guid.as_deref() == Some(customer_guid))
            .collect())
    }

    /// `POST /api/identity_verifications`.
    pub async fn create(
        &self,
        post: &PostIdentityVerification,
    ) -> Result<IdentityVerification, ApiError> {
        let body = kyc_onboarding::core::api::to_json(post);
        let created = self
            .call(
                "create",
                reqwest::Method::POST,
                "/api/identity_verifications",
                Some(body),
            )
            .await;
        // The customer's list just changed: no replica may answer the one from before.
        if let Ok(guid) = path_segment(&post.customer_guid) {
            if let Err(e) = self.store.forget_read(&format!("{guid}:list")).await {
                // Only a display lags (for a moment): the create guard reads fresh.
                tracing::error!(error = %e, "the customer's shared list could not be forgotten");
            }
        }
        created
    }

    /// `GET /api/identity_verifications/{guid}`.
    pub async fn verification(
        &self,
        guid: &str,
        how: Read,
    ) -> Result<IdentityVerification, ApiError> {
        let guid = path_segment(guid)?;
        self.read(
            "verification",
            &format!("/api/identity_verifications/{guid}"),
            &format!("{guid}:verification"),
            how,
        )
        .await
    }

    /// `POST /api/persona_sessions`.
    pub async fn persona_session(
        &self,
        post: &PostPersonaSession,
    ) -> Result<PersonaSession, ApiError> {
        self.call(
            "persona_session",
            reqwest::Method::POST,
            "/api/persona_sessions",
            Some(post.to_json()),
        )
        .await
    }
}

/// The most of an upstream answer read: Cybrid's largest (a page of verifications with
/// their checks) is a few tens of KB.
const MAX_ANSWER_BYTES: usize = 1 << 20;

/// An upstream answer's body as text, refused beyond [`MAX_ANSWER_BYTES`] instead of being
/// buffered whole.
async fn read_capped(response: &mut reqwest::Response) -> Result<String, ApiError> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                    tracing::error!(
                        limit = MAX_ANSWER_BYTES,
                        "the Cybrid API answer is too long"
                    );
                    return Err(ApiError::upstream("the Cybrid API answer was too long"));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => return Err(unanswered("the Cybrid API answer was cut off", e)),
        }
    }
    String::from_utf8(body)
        .map_err(|_| ApiError::upstream("the Cybrid API answered something unreadable"))
}

/// A call that got no (whole) answer, logged with why (timeout, connection, ...) so an
/// operator can tell, but without its address: it names customers and verifications.
fn unanswered(what: &'static str, e: reqwest::Error) -> ApiError {
    let why = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else {
        "other"
    };
    tracing::error!(why, error = %e.without_url(), "{what}");
    ApiError::upstream(what)
}

/// Cybrid's own wait on a 429 or 503, passed on so the app backs off as long (capped: a
/// customer is waiting). Only the seconds form; a date is left to the app's backoff.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<u32> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u32>().ok())
        .map(|secs| secs.min(MAX_RETRY_AFTER_S))
}

/// Only plain identifiers go into upstream URLs.
fn path_segment(id: &str) -> Result<&str, ApiError> {
    if !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        Ok(id)
    } else {
        Err(ApiError::not_found("resource"))
    }
}

/// Maps an upstream error to ours: 404 stays 404, other 4xx keep their status and code, 5xx
/// become 502 (the upstream failed, not the request).
///
/// A 401 (even after renewing the token) or 403 is about this server's own credentials (a
/// wrong secret, a missing scope such as `persona_sessions:execute`), not the customer's
/// session: it becomes a 502, so the app says the service failed rather than asking the
/// customer to sign in again, which could not help. It is logged as an error for the operator.
fn upstream_error(status: StatusCode, body: &str, retry_after_s: Option<u32>) -> ApiError {
    let parsed: Option<ErrorResponse> = parse(body).ok();
    let code = parsed.as_ref().and_then(|e| e.message_code.clone());
    if matches!(status.as_u16(), 401 | 403) {
        tracing::error!(
            status = status.as_u16(),
            code = code.as_deref().unwrap_or("-"),
            "the Cybrid API refused this server's credentials: check the client id, secret and scopes"
        );
        return ApiError::upstream("the Cybrid API refused this server's credentials");
    }
    tracing::warn!(
        status = status.as_u16(),
        code = code.as_deref().unwrap_or("-"),
        "Cybrid API error"
    );
    match status.as_u16() {
        404 => ApiError::not_found("resource"),
        429 => ApiError::rate_limited("too many requests: try again shortly", retry_after_s),
        400..=499 => ApiError {
            status,
            message: "the Cybrid API refused the request".to_owned(),
            code: "upstream_refused",
            retry_after_s: None,
        },
        // Down for a while: still our 502, with Cybrid's wait when it gave one.
        503 => ApiError {
            retry_after_s,
            ..ApiError::upstream("the Cybrid API is unavailable")
        },
        _ => ApiError::upstream("the Cybrid API failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::response::IntoResponse;

    #[test]
    fn only_plain_identifiers_reach_upstream_urls() {
        assert!(path_segment("abc_123-XYZ").is_ok());
        for bad in ["", "../admin", "a/b", "a?b=c", "a%2f", &"x".repeat(65)] {
            assert!(path_segment(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn upstream_errors_map_to_ours() {
        assert_eq!(
            upstream_error(StatusCode::NOT_FOUND, "", None).status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            upstream_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                r#"{"status":422,"error_message":"x","message_code":"y"}"#,
                None
            )
            .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            upstream_error(StatusCode::SERVICE_UNAVAILABLE, "<html>", None).status,
            StatusCode::BAD_GATEWAY
        );
        // Our own credentials refused: never passed on as the customer's session ending.
        for refused in [StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN] {
            let err = upstream_error(
                refused,
                r#"{"status":403,"error_message":"x","message_code":"invalid_scope"}"#,
                None,
            );
            assert_eq!(err.status, StatusCode::BAD_GATEWAY, "{refused}");
        }
        // Cybrid's wait on a 429 reaches the app as its own `Retry-After`.
        let limited = upstream_error(StatusCode::TOO_MANY_REQUESTS, "", Some(7));
        assert_eq!(limited.code, "rate_limited");
        let response = limited.into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[reqwest::header::RETRY_AFTER], "7");
        let down = upstream_error(StatusCode::SERVICE_UNAVAILABLE, "", Some(30)).into_response();
        assert_eq!(down.status(), StatusCode::BAD_GATEWAY);
        assert_eq!(down.headers()[reqwest::header::RETRY_AFTER], "30");
        let plain = upstream_error(StatusCode::TOO_MANY_REQUESTS, "", None).into_response();
        assert!(plain.headers().get(reqwest::header::RETRY_AFTER).is_none());
    }
}
