//! `/launch`: how a customer arrives from the integrator's own app, with a token either in
//! the query (`GET /launch?token=...`, a plain link) or in a form body (`POST /launch`, an
//! auto-submitted form: the token then never appears in any address, history or access log).
//!
//! The token is a JWT signed with HMAC-SHA256 by the integrator's backend, with a secret
//! shared with this server, verified with the `jsonwebtoken` crate. Its claims name the
//! customer and when the token expires: `{"customer_guid": "...", "exp": 1700000000}`
//! (seconds), optionally `iat` and `jti`, and `aud` / `iss` (required and checked when
//! `KYC_LAUNCH_AUDIENCE` / `KYC_LAUNCH_ISSUER` are set). Tokens must be short-lived (at most
//! ten minutes) and are accepted once (a second tap from the same address may be allowed for
//! a few seconds: [`SECOND_TAP_SECS`]).
//!
//! Key rotation: a second secret (`KYC_LAUNCH_SECRET_PREVIOUS`) stays active while the
//! integrator moves to the new one. A token whose header has a `kid` is checked with the key
//! configured under that id only (`KYC_LAUNCH_KEY_ID`, `KYC_LAUNCH_KEY_ID_PREVIOUS`), and
//! refused when no key has it; a token without `kid` is checked with each active secret.
//!
//! The same signed tokens, with `"scope": "end_sessions"`, authenticate the integrator's
//! backend on `POST /integrator/customers/{guid}/end-sessions` ([`LaunchVerifier::accept_scoped`]);
//! a token with any `scope` is never a launch token, and a launch token is never one of those.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use hmac::{Hmac, Mac};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Validation};
use serde::Deserialize;
use sha2::Sha256;

use kyc_onboarding::core::text::PageMsg;

use crate::client_addr::ClientAddr;
use crate::clock::now_ms;
use crate::origin::origin_of;
use crate::pages::PageLanguage;
use crate::state::AppState;
use crate::store::{SpentToken, Store};

/// The longest a launch token may live.
pub const MAX_LIFETIME_SECS: i64 = 600;
/// Clock difference tolerated between the integrator's server and this one.
const LEEWAY_SECS: i64 = 30;

/// Why a launch token was refused. Shown to nobody but the logs (without the token).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Malformed,
    WrongAlgorithm,
    BadSignature,
    Expired,
    TooLongLived,
    Replayed,
    /// `aud` missing or not `KYC_LAUNCH_AUDIENCE`.
    WrongAudience,
    /// `iss` missing or not `KYC_LAUNCH_ISSUER`.
    WrongIssuer,
    /// The header's `kid` names no configured key.
    UnknownKey,
    /// A token for another purpose (its `scope`), or none where one is needed.
    WrongScope,
    /// The state store could not say whether it was used: refused, unspent.
    StoreUnavailable,
}

#[derive(Deserialize)]
struct Claims {
    customer_guid: String,
    exp: i64,
    /// What the token is for: absent on launch tokens, `end_sessions` for that call.
    #[serde(default)]
    scope: Option<String>,
}

/// The purpose (`scope` claim) of the tokens that end a customer's sessions.
pub const END_SESSIONS_SCOPE: &str = "end_sessions";

/// One active signing secret, and the id a token's `kid` names it by.
#[derive(Clone)]
pub struct LaunchKey {
    pub id: Option<String>,
    pub secret: Vec<u8>,
}

/// How long after its first use a token may still work for the same address, when the
/// integrator turns that on (`KYC_LAUNCH_SECOND_TAP_SECS`): a double tap on their button sends
/// it twice, and the browser drops the first answer (with the session cookie) for the second,
/// which would otherwise strand the customer on "this link was already used". Off by default:
/// behind a proxy every customer has the proxy's address.
pub const SECOND_TAP_SECS: i64 = 10;

/// Checks launch tokens and remembers the ones already used (in the state store, so a
/// token spent at one replica is spent at all).
pub struct LaunchVerifier {
    /// The current key first, then the previous one during a rotation.
    keys: Vec<LaunchKey>,
    /// `aud` every token must carry, when set.
    audience: Option<String>,
    /// `iss` every token must carry, when set.
    issuer: Option<String>,
    /// See [`SECOND_TAP_SECS`].
    second_tap_secs: i64,
    /// Each used token, until it would have expired anyway.
    store: Store,
}

impl LaunchVerifier {
    /// A verifier for tokens signed with `secret`, remembering used ones in `store`.
    pub fn new(secret: Vec<u8>, second_tap_secs: i64, store: Store) -> LaunchVerifier {
        LaunchVerifier {
            keys: vec![LaunchKey { id: None, secret }],
            audience: None,
            issuer: None,
            second_tap_secs,
            store,
        }
    }

    /// The verifier the configuration asks for (`None` without a launch secret).
    pub fn from_config(config: &crate::Config, store: Store) -> Option<LaunchVerifier> {
        let secret = config.launch_secret.clone()?;
        let mut verifier = LaunchVerifier::new(secret, config.launch_second_tap_secs, store)
            .with_key_id(config.launch_key_id.clone());
        if let Some(previous) = config.launch_secret_previous.clone() {
            verifier = verifier.with_previous(LaunchKey {
                id: config.launch_key_id_previous.clone(),
                secret: previous,
            });
        }
        Some(verifier.with_claims(config.launch_audience.clone(), config.launch_issuer.clone()))
    }

    /// The id (`kid`) of the current key.
    pub fn with_key_id(mut self, id: Option<String>) -> LaunchVerifier {
        self.keys[0].id = id;
        self
    }

    /// A second active key, during a rotation.
    pub fn with_previous(mut self, key: LaunchKey) -> LaunchVerifier {
        self.keys.truncate(1);
        self.keys.push(key);
        self
    }

    /// The `aud` and `iss` every token must then carry.
    pub fn with_claims(mut self, audience: Option<String>, issuer: Option<String>) -> Self {
        self.audience = audience;
        self.issuer = issuer;
        self
    }

    /// The keys a token is checked with: the one its `kid` names, else every active one.
    fn keys_for(&self, token: &str) -> Result<Vec<&LaunchKey>, Refusal> {
        let kid = jsonwebtoken::decode_header(token).ok().and_then(|h| h.kid);
        match kid {
            None => Ok(self.keys.iter().collect()),
            Some(kid) => {
                let named: Vec<&LaunchKey> = self
                    .keys
                    .iter()
                    .filter(|k| k.id.as_deref() == Some(kid.as_str()))
                    .collect();
                if named.is_empty() {
                    Err(Refusal::UnknownKey)
                } else {
                    Ok(named)
                }
            }
        }
    }

    /// The checked claims of a token signed with an active key, fresh, and for `scope`.
    fn verify(&self, token: &str, now_secs: i64, scope: Option<&str>) -> Result<Claims, Refusal> {
        // HS256 only (pinned: a token naming another algorithm, `none` included, is refused),
        // signed with an active secret, with an `exp`. Its times are checked below against
        // `now_secs`, the clock the replay cache keeps too, with the same leeway.
        let mut validation = Validation::new(Algorithm::HS256);
        let mut required = vec!["exp"];
        validation.validate_exp = false;
        validation.leeway = 0;
        match &self.audience {
            Some(audience) => {
                validation.set_audience(&[audience]);
                required.push("aud");
            }
            None => validation.validate_aud = false,
        }
        if let Some(issuer) = &self.issuer {
            validation.set_issuer(&[issuer]);
            required.push("iss");
        }
        validation.set_required_spec_claims(&required);
        let mut last = Refusal::Malformed;
        let mut verified = None;
        for key in self.keys_for(token)? {
            let decoding = DecodingKey::from_secret(&key.secret).map_err(|_| Refusal::Malformed)?;
            match jsonwebtoken::decode::<Claims>(token, &decoding, &validation) {
                Ok(data) => {
                    verified = Some(data.claims);
                    break;
                }
                Err(e) => {
                    last = refusal(token, e.kind());
                    // Only a signature that does not match may match the other key.
                    if last != Refusal::BadSignature {
                        return Err(last);
                    }
                }
            }
        }
        let claims = verified.ok_or(last)?;
        if claims.scope.as_deref() != scope {
            return Err(Refusal::WrongScope);
        }
        if claims.exp + LEEWAY_SECS <= now_secs {
            return Err(Refusal::Expired);
        }
        if claims.exp > now_secs + MAX_LIFETIME_SECS + LEEWAY_SECS {
            return Err(Refusal::TooLongLived);
        }
        if claims.customer_guid.is_empty() || claims.customer_guid.len() > 64 {
            return Err(Refusal::Malformed);
        }
        Ok(claims)
    }

    /// The address as stored with a spent token: keyed with the secret, so that the store
    /// holds no address, yet every replica derives the same value.
    fn peer_id(&self, peer: IpAddr) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.keys[0].secret).expect("HMAC takes any key");
        mac.update(peer.to_string().as_bytes());
        mac.finalize().into_bytes()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The customer guid of a valid, fresh, unused token; the token is then used up (but for
    /// a second tap from the same address soon after: see [`SECOND_TAP_SECS`]).
    pub async fn accept(
        &self,
        token: &str,
        now_secs: i64,
        peer: IpAddr,
    ) -> Result<String, Refusal> {
        let claims = self.verify(token, now_secs, None)?;
        let spent = SpentToken {
            at: now_secs,
            peer: self.peer_id(peer),
        };
        match self.spend(token, &claims, now_secs, &spent).await? {
            None => {}
            Some(earlier)
                if earlier.peer == spent.peer && now_secs - earlier.at < self.second_tap_secs => {}
            Some(_) => return Err(Refusal::Replayed),
        }
        Ok(claims.customer_guid)
    }

    /// The customer guid of a valid, fresh, unused token for `scope` (a call from the
    /// integrator's backend, such as [`END_SESSIONS_SCOPE`]); the token is then used up, with
    /// no second tap.
    pub async fn accept_scoped(
        &self,
        token: &str,
        scope: &str,
        now_secs: i64,
    ) -> Result<String, Refusal> {
        let claims = self.verify(token, now_secs, Some(scope))?;
        let spent = SpentToken {
            at: now_secs,
            peer: String::new(),
        };
        match self.spend(token, &claims, now_secs, &spent).await? {
            None => Ok(claims.customer_guid),
            Some(_) => Err(Refusal::Replayed),
        }
    }

    /// Records the token as spent; the earlier spend when it was already.
    async fn spend(
        &self,
        token: &str,
        claims: &Claims,
        now_secs: i64,
        spent: &SpentToken,
    ) -> Result<Option<SpentToken>, Refusal> {
        // Spent until it would have expired anyway (the leeway included).
        let ttl =
            Duration::from_secs(u64::try_from(claims.exp + LEEWAY_SECS - now_secs).unwrap_or(1));
        // The signature names the token: its base64url text has one spelling only (the
        // decoder refuses padding and stray bits), so a used token cannot come back re-spelt.
        let signature = token.rsplit_once('.').map_or("", |(_, s)| s);
        let token_id = crate::store::hashed(signature);
        self.store
            .spend_launch_token(&token_id, spent, ttl)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "launch: the state store failed");
                Refusal::StoreUnavailable
            })
    }
}

/// Why `jsonwebtoken` refused `token`, for the logs.
fn refusal(token: &str, kind: &ErrorKind) -> Refusal {
    match kind {
        ErrorKind::InvalidSignature => Refusal::BadSignature,
        ErrorKind::InvalidAlgorithm | ErrorKind::MissingAlgorithm => Refusal::WrongAlgorithm,
        ErrorKind::InvalidAudience => Refusal::WrongAudience,
        ErrorKind::InvalidIssuer => Refusal::WrongIssuer,
        ErrorKind::MissingRequiredClaim(claim) if claim == "aud" => Refusal::WrongAudience,
        ErrorKind::MissingRequiredClaim(claim) if claim == "iss" => Refusal::WrongIssuer,
        // An `alg` the crate has no name for (`none`) fails to read as its header.
        _ if names_another_algorithm(token) => Refusal::WrongAlgorithm,
        _ => Refusal::Malformed,
    }
}

/// Whether the token's header reads as JSON with an `alg` other than HS256.
fn names_another_algorithm(token: &str) -> bool {
    #[derive(Deserialize)]
    struct Header {
        alg: String,
    }
    let header = token.split('.').next().unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Header>(&bytes).ok())
        .is_some_and(|header| header.alg != "HS256")
}

/// Query or form body of `/launch`.
#[derive(Deserialize)]
pub struct LaunchQuery {
    token: Option<String>,
}

/// `GET /launch?token=...`: verifies the integrator's token, starts a session and sends the
/// customer on to the app without the token in the address bar.
pub async fn launch(
    State(state): State<Arc<AppState>>,
    ClientAddr(client): ClientAddr,
    Query(query): Query<LaunchQuery>,
    headers: HeaderMap,
) -> Response {
    start_session(&state, client, &headers, query.token.as_deref()).await
}

/// `HEAD /launch`: answered without a look at the token, so a link checker, a preview or a
/// mail scanner that asks for the headers first never spends it (axum's `get` would answer
/// `HEAD` with the `GET` handler: the token spent, the session thrown away).
pub async fn launch_head() -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(header::ALLOW, "GET, POST")],
    )
        .into_response()
}

/// `POST /launch` with `token=...` as an `application/x-www-form-urlencoded` body: the same
/// check and session, for an integrator page that submits a form instead of following a link.
/// A body that is not such a form is refused like a missing token.
pub async fn launch_form(
    State(state): State<Arc<AppState>>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    form: Result<Form<LaunchQuery>, FormRejection>,
) -> Response {
    let token = match form {
        Ok(Form(form)) => form.token,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return rejection.into_response()
        }
        Err(rejection) => {
            // For the integrator reading the logs: the token was not even looked at.
            tracing::warn!(
                status = rejection.status().as_u16(),
                "launch: the body is not a form"
            );
            None
        }
    };
    start_session(&state, client, &headers, token.as_deref()).await
}

/// Accepts a launch token and redirects to the app with a new session cookie, or answers
/// with a page that says why the link did not work.
async fn start_session(
    state: &AppState,
    peer: IpAddr,
    headers: &HeaderMap,
    token: Option<&str>,
) -> Response {
    let page = PageLanguage::of(headers);
    let Some(verifier) = state.launch.as_ref() else {
        return page.message(
            StatusCode::NOT_FOUND,
            PageMsg::PageLaunchOffTitle,
            PageMsg::PageLaunchOffBody,
        );
    };
    if !from_allowed_site(headers, &state.config.launch_origins) {
        // Before the token is looked at: it stays usable from the integrator's own page.
        tracing::warn!("launch from a site not in KYC_LAUNCH_ORIGINS refused");
        return page.message(
            StatusCode::FORBIDDEN,
            PageMsg::PageWrongSiteTitle,
            PageMsg::PageWrongSiteBody,
        );
    }
    let now = now_ms();
    match verifier
        .accept(token.unwrap_or_default(), now / 1000, peer)
        .await
    {
        Ok(customer_guid) => {
            if let Err(e) = state.backend.customer(&customer_guid).await {
                if e.status == StatusCode::NOT_FOUND {
                    tracing::warn!("launch for a customer the API does not know");
                    return page.message(
                        StatusCode::NOT_FOUND,
                        PageMsg::PageNoAccountTitle,
                        PageMsg::PageNoAccountBody,
                    );
                }
                // The API failed or refused this server: not the customer's doing, and not a
                // missing account. Their link is spent, so they need a fresh one.
                tracing::error!(
                    status = e.status.as_u16(),
                    code = e.code,
                    "launch: the customer could not be looked up"
                );
                return page.message(
                    StatusCode::BAD_GATEWAY,
                    PageMsg::PageUnavailableTitle,
                    PageMsg::PageUnavailableBody,
                );
            }
            tracing::info!(customer = %customer_guid, "session started from a launch token");
            crate::metrics::session_started("launch");
            let mut response = Redirect::to("/").into_response();
            let cookie = match state.sessions.create(&customer_guid, now).await {
                Ok(cookie) => cookie,
                Err(_) => return unavailable(page),
            };
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
        Err(Refusal::StoreUnavailable) => unavailable(page),
        Err(refusal) => {
            tracing::warn!(?refusal, "launch token refused");
            page.message(
                StatusCode::UNAUTHORIZED,
                PageMsg::PageLinkSpentTitle,
                PageMsg::PageLinkSpentBody,
            )
        }
    }
}

/// The page for a moment when the state store cannot be reached (the token is not spent).
fn unavailable(page: PageLanguage) -> Response {
    let mut response = page.message(
        StatusCode::SERVICE_UNAVAILABLE,
        PageMsg::PageUnavailableTitle,
        PageMsg::PageUnavailableBody,
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from_static("2"));
    response
}

/// Whether the browser came to `/launch` from where the integrator sends customers: any
/// site when `allowed` is empty; else a page of one of those origins (by `Origin`, or the
/// origin of `Referer`), this server's own pages, or no page at all (a link opened from
/// another app, such as the integrator's mobile app, a typed address). A browser that says
/// neither where it came from nor what kind of site (no Fetch Metadata) is let through: too
/// old to tell.
fn from_allowed_site(headers: &HeaderMap, allowed: &[String]) -> bool {
    if allowed.is_empty() {
        return true;
    }
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let site = text(header::HeaderName::from_static("sec-fetch-site"));
    if matches!(site, Some("same-origin" | "none")) {
        return true;
    }
    let origin = text(header::ORIGIN)
        .filter(|o| *o != "null")
        .map(str::to_owned)
        // A `Referer` that is not an address stands for no allowed site.
        .or_else(|| text(header::REFERER).map(|r| origin_of(r).unwrap_or_default()));
    match origin {
        Some(origin) => allowed.iter().any(|a| a.eq_ignore_ascii_case(&origin)),
        None => site.is_none(),
    }
}

/// Signs claims the way an integrator's backend does (for tests and the integrator guide):
/// HS256, `{"typ":"JWT","alg":"HS256"}`.
pub fn sign(secret: &[u8], claims: &serde_json::Value) -> String {
    sign_with_kid(secret, None, claims)
}

/// [`sign`], naming the key in the header's `kid` when `kid` is given (key rotation).
pub fn sign_with_kid(secret: &[u8], kid: Option<&str>, claims: &serde_json::Value) -> String {
    let key = EncodingKey::from_secret(secret).expect("HMAC takes any key length");
    let mut header = jsonwebtoken::Header::new(Algorithm::HS256);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, &key).expect("JSON claims sign")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SECRET: &[u8] = b"an integrator secret of 32 bytes!";
    const NOW: i64 = 1_800_000_000;
    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 7));

    #[tokio::test]
    async fn accepts_a_fresh_token_once() {
        let v = LaunchVerifier::new(SECRET.to_vec(), SECOND_TAP_SECS, Store::memory());
        let token = sign(
            SECRET,
            &json!({"customer_guid": "cust_1", "exp": NOW + 120}),
        );
        assert_eq!(v.accept(&token, NOW, HOME).await, Ok("cust_1".to_owned()));
        // A second tap on the same button: the first answer never reached the page.
        assert_eq!(
            v.accept(&token, NOW + 1, HOME).await,
            Ok("cust_1".to_owned())
        );
        // From anywhere else, or later: spent.
        let elsewhere = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 9));
        assert_eq!(
            v.accept(&token, NOW + 1, elsewhere).await,
            Err(Refusal::Replayed)
        );
        assert_eq!(
            v.accept(&token, NOW + SECOND_TAP_SECS, HOME).await,
            Err(Refusal::Replayed)
        );
    }

    #[tokio::test]
    async fn refuses_bad_tokens() {
        let v = LaunchVerifier::new(SECRET.to_vec(), SECOND_TAP_SECS, Store::memory());
        let expired = sign(SECRET, &json!({"customer_guid": "c", "exp": NOW - 60}));
        assert_eq!(v.accept(&expired, NOW, HOME).await, Err(Refusal::Expired));
        let forever = sign(SECRET, &json!({"customer_guid": "c", "exp": NOW + 86_400}));
        assert_eq!(
            v.accept(&forever, NOW, HOME).await,
            Err(Refusal::TooLongLived)
        );
        let other_key = sign(
            b"another secret, also 32 bytes....",
            &json!({"customer_guid": "c", "exp": NOW + 60}),
        );
        assert_eq!(
            v.accept(&other_key, NOW, HOME).await,
            Err(Refusal::BadSignature)
        );
        // Claims swapped after signing.
        let good = sign(SECRET, &json!({"customer_guid": "c", "exp": NOW + 60}));
        let forged_claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(json!({"customer_guid": "someone_else", "exp": NOW + 60}).to_string());
        let parts: Vec<&str> = good.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], forged_claims, parts[2]);
        assert_eq!(
            v.accept(&forged, NOW, HOME).await,
            Err(Refusal::BadSignature)
        );
        // alg=none.
        let none_head =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#);
        let none = format!("{none_head}.{}.", parts[1]);
        assert_eq!(
            v.accept(&none, NOW, HOME).await,
            Err(Refusal::WrongAlgorithm)
        );
        for junk in ["", "a.b", "a.b.c.d", "!!!.!!!.!!!"] {
            assert_eq!(
                v.accept(junk, NOW, HOME).await,
                Err(Refusal::Malformed),
                "{junk}"
            );
        }
    }

    #[tokio::test]
    async fn only_hs256_tokens_with_an_expiry_are_taken() {
        let v = LaunchVerifier::new(SECRET.to_vec(), SECOND_TAP_SECS, Store::memory());
        let key = EncodingKey::from_secret(SECRET).unwrap();
        let claims = json!({"customer_guid": "c", "exp": NOW + 60});
        let hs384 =
            jsonwebtoken::encode(&jsonwebtoken::Header::new(Algorithm::HS384), &claims, &key)
                .unwrap();
        assert_eq!(
            v.accept(&hs384, NOW, HOME).await,
            Err(Refusal::WrongAlgorithm)
        );
        let no_expiry = sign(SECRET, &json!({"customer_guid": "c"}));
        assert_eq!(
            v.accept(&no_expiry, NOW, HOME).await,
            Err(Refusal::Malformed)
        );
        // Within the leeway of the two clocks, on either side.
        let just_expired = sign(SECRET, &json!({"customer_guid": "c", "exp": NOW - 29}));
        assert_eq!(v.accept(&just_expired, NOW, HOME).await, Ok("c".to_owned()));
        let longest = sign(
            SECRET,
            &json!({"customer_guid": "d", "exp": NOW + MAX_LIFETIME_SECS + LEEWAY_SECS}),
        );
        assert_eq!(v.accept(&longest, NOW, HOME).await, Ok("d".to_owned()));
    }

    const NEW: &[u8] = b"the integrator's new secret, 32+ bytes";

    #[tokio::test]
    async fn a_token_for_another_audience_or_issuer_is_refused() {
        let v = LaunchVerifier::new(SECRET.to_vec(), 0, Store::memory())
            .with_claims(Some("kyc.bank.example".into()), Some("bank.example".into()));
        let claims = |aud: Option<&str>, iss: Option<&str>| {
            let mut c = json!({"customer_guid": "c", "exp": NOW + 60});
            if let Some(aud) = aud {
                c["aud"] = json!(aud);
            }
            if let Some(iss) = iss {
                c["iss"] = json!(iss);
            }
            sign(SECRET, &c)
        };
        // A token the same integrator signed for another of its services.
        let other_service = claims(Some("payments.bank.example"), Some("bank.example"));
        assert_eq!(
            v.accept(&other_service, NOW, HOME).await,
            Err(Refusal::WrongAudience)
        );
        let no_audience = claims(None, Some("bank.example"));
        assert_eq!(
            v.accept(&no_audience, NOW, HOME).await,
            Err(Refusal::WrongAudience)
        );
        let other_issuer = claims(Some("kyc.bank.example"), Some("evil.example"));
        assert_eq!(
            v.accept(&other_issuer, NOW, HOME).await,
            Err(Refusal::WrongIssuer)
        );
        let no_issuer = claims(Some("kyc.bank.example"), None);
        assert_eq!(
            v.accept(&no_issuer, NOW, HOME).await,
            Err(Refusal::WrongIssuer)
        );
        let right = claims(Some("kyc.bank.example"), Some("bank.example"));
        assert_eq!(v.accept(&right, NOW, HOME).await, Ok("c".to_owned()));
        // Unset, neither is checked: a token with an `aud` still works.
        let unchecked = LaunchVerifier::new(SECRET.to_vec(), 0, Store::memory());
        let with_aud = claims(Some("anything"), None);
        assert_eq!(
            unchecked.accept(&with_aud, NOW, HOME).await,
            Ok("c".to_owned())
        );
    }

    #[tokio::test]
    async fn during_a_rotation_both_keys_work_and_a_retired_one_does_not() {
        let rotating = || {
            LaunchVerifier::new(NEW.to_vec(), 0, Store::memory())
                .with_key_id(Some("k2".into()))
                .with_previous(LaunchKey {
                    id: Some("k1".into()),
                    secret: SECRET.to_vec(),
                })
        };
        let v = rotating();
        let claims = |guid: &str| json!({"customer_guid": guid, "exp": NOW + 60});
        // Without `kid`: either active secret.
        let old = sign(SECRET, &claims("a"));
        assert_eq!(v.accept(&old, NOW, HOME).await, Ok("a".to_owned()));
        let new = sign(NEW, &claims("b"));
        assert_eq!(v.accept(&new, NOW, HOME).await, Ok("b".to_owned()));
        // With `kid`: the key of that id, and only it.
        let named_old = sign_with_kid(SECRET, Some("k1"), &claims("c"));
        assert_eq!(v.accept(&named_old, NOW, HOME).await, Ok("c".to_owned()));
        let named_new = sign_with_kid(NEW, Some("k2"), &claims("d"));
        assert_eq!(v.accept(&named_new, NOW, HOME).await, Ok("d".to_owned()));
        let misnamed = sign_with_kid(SECRET, Some("k2"), &claims("e"));
        assert_eq!(
            v.accept(&misnamed, NOW, HOME).await,
            Err(Refusal::BadSignature)
        );
        let unknown = sign_with_kid(SECRET, Some("k0"), &claims("f"));
        assert_eq!(
            v.accept(&unknown, NOW, HOME).await,
            Err(Refusal::UnknownKey)
        );
        // The rotation over: the old secret is retired.
        let done =
            LaunchVerifier::new(NEW.to_vec(), 0, Store::memory()).with_key_id(Some("k2".into()));
        let retired = sign(SECRET, &claims("g"));
        assert_eq!(
            done.accept(&retired, NOW, HOME).await,
            Err(Refusal::BadSignature)
        );
        let retired_named = sign_with_kid(SECRET, Some("k1"), &claims("h"));
        assert_eq!(
            done.accept(&retired_named, NOW, HOME).await,
            Err(Refusal::UnknownKey)
        );
        assert_eq!(
            done.accept(&sign(NEW, &claims("i")), NOW, HOME).await,
            Ok("i".to_owned())
        );
        // A token spent under one key is spent: the other key does not make it new.
        let v = rotating();
        let once = sign(SECRET, &claims("j"));
        assert_eq!(v.accept(&once, NOW, HOME).await, Ok("j".to_owned()));
        assert_eq!(
            v.accept(&once, NOW + 20, HOME).await,
            Err(Refusal::Replayed)
        );
    }

    #[tokio::test]
    async fn a_launch_token_and_an_end_sessions_token_are_never_each_other() {
        let v = LaunchVerifier::new(SECRET.to_vec(), 0, Store::memory());
        let end = sign(
            SECRET,
            &json!({"customer_guid": "c", "exp": NOW + 60, "scope": END_SESSIONS_SCOPE}),
        );
        assert_eq!(v.accept(&end, NOW, HOME).await, Err(Refusal::WrongScope));
        let launch = sign(SECRET, &json!({"customer_guid": "c", "exp": NOW + 60}));
        assert_eq!(
            v.accept_scoped(&launch, END_SESSIONS_SCOPE, NOW).await,
            Err(Refusal::WrongScope)
        );
        assert_eq!(
            v.accept_scoped(&end, END_SESSIONS_SCOPE, NOW).await,
            Ok("c".to_owned())
        );
        assert_eq!(
            v.accept_scoped(&end, END_SESSIONS_SCOPE, NOW + 1).await,
            Err(Refusal::Replayed),
            "replayed at once: no second tap for a backend call"
        );
    }
}
