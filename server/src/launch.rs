//! `/launch`: how a customer arrives from the integrator's own app, with a token either in
//! the query (`GET /launch?token=...`, a plain link) or in a form body (`POST /launch`, an
//! auto-submitted form: the token then never appears in any address, history or access log).
//!
//! The token is a JWT signed with HMAC-SHA256 by the integrator's backend, with a secret
//! shared with this server. Its claims name the customer and when the token expires:
//! `{"customer_guid": "...", "exp": 1700000000}` (seconds), optionally `iat` and `jti`.
//! Tokens must be short-lived (at most ten minutes) and are accepted once (a second tap from
//! the same address may be allowed for a few seconds: [`SECOND_TAP_SECS`]).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use kyc_onboarding::core::text::PageMsg;

use crate::client_addr::ClientAddr;
use crate::pages::PageLanguage;
use crate::sandbox::now_ms;
use crate::AppState;

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
}

#[derive(Deserialize)]
struct Header {
    alg: String,
}

#[derive(Deserialize)]
struct Claims {
    customer_guid: String,
    exp: i64,
}

/// How long after its first use a token may still work for the same address, when the
/// integrator turns that on (`KYC_LAUNCH_SECOND_TAP_SECS`): a double tap on their button sends
/// it twice, and the browser drops the first answer (with the session cookie) for the second,
/// which would otherwise strand the customer on "this link was already used". Off by default:
/// behind a proxy every customer has the proxy's address.
pub const SECOND_TAP_SECS: i64 = 10;

/// A used token: when it expires, when and from where it was used.
struct Spent {
    exp: i64,
    at: i64,
    peer: IpAddr,
}

/// Checks launch tokens and remembers the ones already used.
pub struct LaunchVerifier {
    secret: Vec<u8>,
    /// See [`SECOND_TAP_SECS`].
    second_tap_secs: i64,
    /// Signature of each used token, until it would have expired anyway.
    used: Mutex<HashMap<Vec<u8>, Spent>>,
}

impl LaunchVerifier {
    /// A verifier for tokens signed with `secret`.
    pub fn new(secret: Vec<u8>, second_tap_secs: i64) -> LaunchVerifier {
        LaunchVerifier {
            secret,
            second_tap_secs,
            used: Mutex::new(HashMap::new()),
        }
    }

    /// The customer guid of a valid, fresh, unused token; the token is then used up (but for
    /// a second tap from the same address soon after: see [`SECOND_TAP_SECS`]).
    pub fn accept(&self, token: &str, now_secs: i64, peer: IpAddr) -> Result<String, Refusal> {
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut parts = token.split('.');
        let (Some(header), Some(claims), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Refusal::Malformed);
        };
        let header: Header = b64
            .decode(header)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or(Refusal::Malformed)?;
        if header.alg != "HS256" {
            return Err(Refusal::WrongAlgorithm);
        }
        let signature = b64.decode(signature).map_err(|_| Refusal::Malformed)?;
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.secret).map_err(|_| Refusal::Malformed)?;
        // What was signed: `header.claims`, everything before the last dot.
        let signed = token.rsplit_once('.').map_or("", |(signed, _)| signed);
        mac.update(signed.as_bytes());
        mac.verify_slice(&signature)
            .map_err(|_| Refusal::BadSignature)?;
        let claims: Claims = b64
            .decode(claims)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or(Refusal::Malformed)?;
        if claims.exp + LEEWAY_SECS <= now_secs {
            return Err(Refusal::Expired);
        }
        if claims.exp > now_secs + MAX_LIFETIME_SECS + LEEWAY_SECS {
            return Err(Refusal::TooLongLived);
        }
        if claims.customer_guid.is_empty() || claims.customer_guid.len() > 64 {
            return Err(Refusal::Malformed);
        }
        let mut used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        used.retain(|_, spent| spent.exp + LEEWAY_SECS > now_secs);
        match used.get(&signature) {
            Some(spent) if spent.peer == peer && now_secs - spent.at < self.second_tap_secs => {}
            Some(_) => return Err(Refusal::Replayed),
            None => {
                let spent = Spent {
                    exp: claims.exp,
                    at: now_secs,
                    peer,
                };
                used.insert(signature, spent);
            }
        }
        Ok(claims.customer_guid)
    }
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
    match verifier.accept(token.unwrap_or_default(), now / 1000, peer) {
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
            let cookie = state.sessions.create(&customer_guid, now);
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
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
        .or_else(|| text(header::REFERER).map(crate::config::origin_of));
    match origin {
        Some(origin) => allowed.iter().any(|a| a.eq_ignore_ascii_case(&origin)),
        None => site.is_none(),
    }
}

/// Signs claims the way an integrator's backend does (for tests and the integrator guide).
pub fn sign(secret: &[u8], claims: &serde_json::Value) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let head = b64.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let body = b64.encode(claims.to_string());
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(format!("{head}.{body}").as_bytes());
    format!("{head}.{body}.{}", b64.encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SECRET: &[u8] = b"an integrator secret of 32 bytes!";
    const NOW: i64 = 1_800_000_000;
    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 7));

    #[test]
    fn accepts_a_fresh_token_once() {
        let v = LaunchVerifier::new(SECRET.to_vec(), SECOND_TAP_SECS);
        let token = sign(
            SECRET,
            &json!({"customer_guid": "cust_1", "exp": NOW + 120}),
        );
        assert_eq!(v.accept(&token, NOW, HOME), Ok("cust_1".to_owned()));
        // A second tap on the same button: the first answer never reached the page.
        assert_eq!(v.accept(&token, NOW + 1, HOME), Ok("cust_1".to_owned()));
        // From anywhere else, or later: spent.
        let elsewhere = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 9));
        assert_eq!(v.accept(&token, NOW + 1, elsewhere), Err(Refusal::Replayed));
        assert_eq!(
            v.accept(&token, NOW + SECOND_TAP_SECS, HOME),
            Err(Refusal::Replayed)
        );
    }

    #[test]
    fn refuses_bad_tokens() {
        let v = LaunchVerifier::new(SECRET.to_vec(), SECOND_TAP_SECS);
        let expired = sign(SECRET, &json!({"customer_guid": "c", "exp": NOW - 60}));
        assert_eq!(v.accept(&expired, NOW, HOME), Err(Refusal::Expired));
        let forever = sign(SECRET, &json!({"customer_guid": "c", "exp": NOW + 86_400}));
        assert_eq!(v.accept(&forever, NOW, HOME), Err(Refusal::TooLongLived));
        let other_key = sign(
            b"another secret, also 32 bytes....",
            &json!({"customer_guid": "c", "exp": NOW + 60}),
        );
        assert_eq!(v.accept(&other_key, NOW, HOME), Err(Refusal::BadSignature));
        // Claims swapped after signing.
        let good = sign(SECRET, &json!({"customer_guid": "c", "exp": NOW + 60}));
        let forged_claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(json!({"customer_guid": "someone_else", "exp": NOW + 60}).to_string());
        let parts: Vec<&str> = good.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], forged_claims, parts[2]);
        assert_eq!(v.accept(&forged, NOW, HOME), Err(Refusal::BadSignature));
        // alg=none.
        let none_head =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#);
        let none = format!("{none_head}.{}.", parts[1]);
        assert_eq!(v.accept(&none, NOW, HOME), Err(Refusal::WrongAlgorithm));
        for junk in ["", "a.b", "a.b.c.d", "!!!.!!!.!!!"] {
            assert_eq!(v.accept(junk, NOW, HOME), Err(Refusal::Malformed), "{junk}");
        }
    }
}
