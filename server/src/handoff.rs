//! Desktop-to-phone handoff: a one-time code in a QR code.
//!
//! - `POST /handoff` (session + CSRF) mints a code: 160 random bits, bound to the customer and
//!   to their verification in flight, valid ten minutes, single use. Minting kills the
//!   customer's previous code.
//! - `GET /handoff/{code}` (the phone) shows a page with a "Continue on this phone" button; it
//!   does not use the code up, so a link preview (a chat app or mail scanner fetching a
//!   copied link) cannot spend it. A used, expired or unknown code gets a page that says to
//!   scan a new one.
//! - `POST /handoff/{code}` (that button) redeems it atomically and gives the phone its own
//!   session for the same customer, then sends it to the app. Only a same-origin form may
//!   post it, so another site cannot sign a visitor in as someone else.
//! - Failed attempts are rate-limited per client; a valid code never counts against it, so
//!   customers sharing an address (behind a proxy) do not hold each other up.
//! - `GET /handoff/status` (the desktop) says whether the phone has come, and shows the
//!   verification it is working on, so the desktop can follow along.
//!
//! The code is never logged: requests are logged by route template only.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use base64::Engine;
use kyc_onboarding::core::api::{
    HandoffCreated, HandoffStatus, IdentityVerification, VerificationState,
};
use kyc_onboarding::core::qr::QrCode;
use kyc_onboarding::core::text::{Lang, PageMsg};
use kyc_onboarding::core::time::{format_rfc3339, parse_rfc3339, Millis, MINUTE};

use crate::backend::lacks_details;
use crate::client_addr::ClientAddr;
use crate::pages::PageLanguage;
use crate::sandbox::now_ms;
use crate::{secret, AppState};

/// How long a code lives.
pub const CODE_LIFETIME: Millis = 10 * MINUTE;
/// Failed redemption attempts allowed per client per minute, unless configured
/// (`KYC_HANDOFF_FAILURES_PER_MINUTE`).
pub const ATTEMPTS_PER_MINUTE: usize = 10;
/// How long a used code is kept, so the desktop can follow the phone for as long as the
/// inquiry lives (other codes go when they expire).
pub const USED_CODE_KEPT: Millis = 24 * 60 * MINUTE;
/// Random bytes in a code (160 bits).
const CODE_BYTES: usize = 20;

/// What became of a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeState {
    /// Waiting for the phone.
    Active,
    /// The phone opened it.
    Used,
    /// Ten minutes passed without the phone.
    Expired,
    /// The customer has no code.
    None,
}

impl CodeState {
    /// The state as `GET /handoff/status` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            CodeState::Active => "active",
            CodeState::Used => "used",
            CodeState::Expired => "expired",
            CodeState::None => "none",
        }
    }
}

struct Code {
    customer_guid: String,
    /// When the session that made the code ends: the code, and the phone's session, never
    /// outlive it.
    session_ends_ms: Millis,
    /// The verification in flight when the code was made, if any.
    verification_guid: Option<String>,
    /// Otherwise, when the newest KYC verification then known was created: the phone's is
    /// newer (one just concluded on the desktop's screen is not news from the phone).
    newest_known_ms: Option<Millis>,
    created_ms: Millis,
    used: bool,
}

/// A redeemed code: the customer, and when the session that made the code ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redeemed {
    pub customer_guid: String,
    pub session_ends_ms: Millis,
}

/// Recent failed redemption attempts per client, and when the old ones were last swept out.
#[derive(Default)]
struct Attempts {
    by_client: HashMap<IpAddr, Vec<Millis>>,
    swept: Millis,
}

/// Whose attempts count together: an IPv4 address, or an IPv6 /64 (what one subscriber
/// gets; counting each of its addresses apart would let one client spread its guesses).
fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(
                u128::from(v6) & !((1u128 << 64) - 1),
            )),
        },
        v4 => v4,
    }
}

/// Every live code, and recent failed redemption attempts per client.
pub struct Handoffs {
    codes: Mutex<HashMap<String, Code>>,
    attempts: Mutex<Attempts>,
    /// Failed attempts allowed per client address per minute.
    failures_per_minute: usize,
}

impl Default for Handoffs {
    fn default() -> Self {
        Handoffs::with_limit(ATTEMPTS_PER_MINUTE)
    }
}

/// Why a code cannot be redeemed (the page says the same for each: no oracle).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Never issued, used, expired, or replaced by a newer one.
    Invalid,
    /// Too many attempts from this client.
    RateLimited,
}

impl Handoffs {
    /// No codes yet; `failures_per_minute` failed attempts allowed per client address.
    pub fn with_limit(failures_per_minute: usize) -> Self {
        Handoffs {
            codes: Mutex::default(),
            attempts: Mutex::default(),
            failures_per_minute,
        }
    }

    fn codes(&self) -> std::sync::MutexGuard<'_, HashMap<String, Code>> {
        self.codes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new code for the customer, made by a session that ends at `session_ends_ms`; their
    /// previous one stops working.
    pub fn mint(
        &self,
        customer_guid: &str,
        verification_guid: Option<String>,
        newest_known_ms: Option<Millis>,
        now: Millis,
        session_ends_ms: Millis,
    ) -> String {
        let code = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(secret::random_bytes::<CODE_BYTES>());
        let mut codes = self.codes();
        codes.retain(|_, c| {
            c.customer_guid != customer_guid
                && (now < c.created_ms + CODE_LIFETIME
                    || (c.used && now < c.created_ms + USED_CODE_KEPT))
        });
        codes.insert(
            code.clone(),
            Code {
                customer_guid: customer_guid.to_owned(),
                session_ends_ms,
                verification_guid,
                newest_known_ms,
                created_ms: now,
                used: false,
            },
        );
        code
    }

    /// Whether a code could be redeemed now, without using it up.
    pub fn check(&self, code: &str, client: IpAddr, now: Millis) -> Result<(), Refused> {
        self.attempt(code, client, now, false).map(|_| ())
    }

    /// Redeems a code once: whose it is and until when the phone may act for them, or why
    /// not.
    pub fn redeem(&self, code: &str, client: IpAddr, now: Millis) -> Result<Redeemed, Refused> {
        self.attempt(code, client, now, true)
    }

    fn attempt(
        &self,
        code: &str,
        client: IpAddr,
        now: Millis,
        use_up: bool,
    ) -> Result<Redeemed, Refused> {
        // A valid code always works: the limit only slows down guessing, and customers
        // behind one proxy address must not hold each other up.
        {
            let mut codes = self.codes();
            if let Some(c) = codes.get_mut(code).filter(|_| code.len() <= 64) {
                if !c.used && now < c.created_ms + CODE_LIFETIME && now < c.session_ends_ms {
                    c.used |= use_up;
                    return Ok(Redeemed {
                        customer_guid: c.customer_guid.clone(),
                        session_ends_ms: c.session_ends_ms,
                    });
                }
            }
        }
        let mut attempts = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        // Clients quiet for a minute go, once a minute (not on every failure of every one).
        if now - attempts.swept >= MINUTE {
            attempts.swept = now;
            attempts
                .by_client
                .retain(|_, times| times.iter().any(|t| now - t < MINUTE));
        }
        let failures = attempts.by_client.entry(client_key(client)).or_default();
        failures.retain(|t| now - t < MINUTE);
        if failures.len() >= self.failures_per_minute {
            return Err(Refused::RateLimited);
        }
        failures.push(now);
        Err(Refused::Invalid)
    }

    /// The customer's code while a phone may still use it.
    pub fn unused(&self, customer_guid: &str, now: Millis) -> Option<String> {
        self.codes()
            .iter()
            .find(|(_, c)| {
                c.customer_guid == customer_guid
                    && !c.used
                    && now < c.created_ms + CODE_LIFETIME
                    && now < c.session_ends_ms
            })
            .map(|(code, _)| code.clone())
    }

    /// The state of the customer's current code, its verification, and the earliest
    /// creation time of a verification made since the code (allowing for Cybrid's clock
    /// running behind, but never one already known when the code was made).
    pub fn status(
        &self,
        customer_guid: &str,
        now: Millis,
    ) -> (CodeState, Option<String>, Option<Millis>) {
        let codes = self.codes();
        match codes.values().find(|c| c.customer_guid == customer_guid) {
            None => (CodeState::None, None, None),
            Some(c) => {
                let state = if c.used {
                    CodeState::Used
                } else if now >= c.created_ms + CODE_LIFETIME {
                    CodeState::Expired
                } else {
                    CodeState::Active
                };
                let since = c.created_ms - CLOCK_SKEW_MS;
                let after_known = c.newest_known_ms.map_or(since, |known| known + 1);
                (
                    state,
                    c.verification_guid.clone(),
                    Some(since.max(after_known)),
                )
            }
        }
    }
}

/// `POST /handoff`.
pub async fn mint(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let session = match state.sessions.require_with_csrf(&headers) {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let now = now_ms();
    if let Err(e) = state
        .quotas
        .charge(&session.customer_guid, crate::quota::Spend::Handoff, now)
    {
        return e.into_response();
    }
    // The code is bound to the verification in flight; with none, the phone's will be the
    // first one newer than every verification known now.
    let (in_flight, newest_known) = match state
        .backend
        .list_with_details(&session.customer_guid)
        .await
    {
        Ok(list) => match list
            .iter()
            .find(|v| kyc_onboarding::core::flow::can_carry_on(v, now))
        {
            Some(v) => (Some(v.guid.clone()), None),
            None => (
                None,
                list.iter()
                    .filter(|v| v.is_kyc())
                    .filter_map(created_ms)
                    .max(),
            ),
        },
        Err(e) => return e.into_response(),
    };
    let code = state.handoffs.mint(
        &session.customer_guid,
        in_flight,
        newest_known,
        now,
        session.expires_ms,
    );
    tracing::info!(customer = %session.customer_guid, "handoff code minted");
    // The code dies with the session it acts for: near the session's end, its own ten
    // minutes would promise the customer time the phone will not have.
    let mut response = Json(HandoffCreated {
        path: format!("/handoff/{code}"),
        expires_at: Some(format_rfc3339(
            (now + CODE_LIFETIME).min(session.expires_ms),
        )),
    })
    .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().expect("static"));
    response
}

/// `GET /handoff/status`.
pub async fn status(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let session = match state.sessions.require(&headers) {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let now = now_ms();
    // Each poll goes upstream on the bank's token: it counts as one of the customer's reads.
    if let Err(e) = state
        .quotas
        .charge(&session.customer_guid, crate::quota::Spend::Read, now)
    {
        return e.into_response();
    }
    let (code, bound, since) = state.handoffs.status(&session.customer_guid, now);
    let bound = match bound {
        Some(guid) => match state.backend.verification(&guid).await {
            Ok(v) => Some(v),
            Err(e) if e.status == StatusCode::NOT_FOUND => None,
            Err(e) => return e.into_response(),
        },
        None => None,
    };
    let verification = match (bound, since) {
        // The bound one expired (before the phone opened it, or under it): the phone has to
        // start a new one, and that is the one to follow once it exists.
        (Some(v), Some(since)) if v.state == VerificationState::Expired => {
            match made_since(&state, &session.customer_guid, since).await {
                Ok(newer) => newer.or(Some(v)),
                Err(e) => return e.into_response(),
            }
        }
        (Some(v), _) => Some(v),
        (None, Some(since)) => match made_since(&state, &session.customer_guid, since).await {
            Ok(found) => found,
            Err(e) => return e.into_response(),
        },
        (None, None) => None,
    };
    // The verification the phone works on: the one bound to the code, else the newest one
    // created since the code was made.
    Json(HandoffStatus {
        code: code.as_str().to_owned(),
        verification: verification.map(IdentityVerification::as_told_to_customer),
    })
    .into_response()
}

/// The customer's newest verification created since the code (`since`), with its details.
/// The desktop asks every few seconds: the plain list finds it (its creation time is all it
/// takes), and only that one is fetched for its details.
async fn made_since(
    state: &AppState,
    customer_guid: &str,
    since: Millis,
) -> Result<Option<IdentityVerification>, crate::backend::ApiError> {
    let found = state
        .backend
        .list(customer_guid)
        .await?
        .into_iter()
        .find(|v| made_since_code(v, since));
    match found {
        Some(v) if lacks_details(&v) => match state.backend.verification(&v.guid).await {
            Ok(detailed) => Ok(Some(detailed)),
            Err(e) if e.status == StatusCode::NOT_FOUND => Ok(Some(v)),
            Err(e) => Err(e),
        },
        found => Ok(found),
    }
}

/// `GET /handoff/qr.svg`: the QR code of the customer's unused code, a picture of its link
/// (`?lang=` carried on, as on the Continue page). Drawn here so that the app customers
/// download carries no QR encoder. 404 when there is no such code: the app shows the link
/// as text either way.
pub async fn qr_picture(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
    uri: axum::http::Uri,
    headers: HeaderMap,
) -> Response {
    let session = match state.sessions.require(&headers) {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let now = now_ms();
    let (Some(code), Some(origin)) = (
        state.handoffs.unused(&session.customer_guid, now),
        public_origin(&state, &uri, &headers),
    ) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let lang = named_language(query.as_deref());
    let link = [
        origin.as_str(),
        "/handoff/",
        &code,
        PageLanguage::carried(lang),
    ]
    .concat();
    let Some(picture) = QrCode::encode(link.as_bytes()).map(|qr| qr.svg()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        picture,
    )
        .into_response()
}

/// The origin customers open: the configured one (`KYC_PUBLIC_URL`, which https needs),
/// else plain http on this request's host (`Host`, or HTTP/2's authority), when that is a
/// plain host name or address with a port; anything else is not drawn into a link.
fn public_origin(state: &AppState, uri: &axum::http::Uri, headers: &HeaderMap) -> Option<String> {
    if let Some(origin) = &state.config.public_origin {
        return Some(origin.clone());
    }
    let host = match headers.get(header::HOST) {
        Some(host) => host.to_str().ok()?,
        None => uri.authority()?.as_str(),
    };
    let plain = !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    plain.then(|| ["http://", host].concat())
}

/// Whether `v` is a KYC verification created since the code was made (`since`, from
/// [`Handoffs::status`]).
fn made_since_code(v: &IdentityVerification, since: Millis) -> bool {
    v.is_kyc() && created_ms(v).is_some_and(|created| created >= since)
}

/// When `v` was created, by its `created_at`.
fn created_ms(v: &IdentityVerification) -> Option<Millis> {
    v.created_at.as_deref().and_then(parse_rfc3339)
}

/// How far Cybrid's clock (a verification's `created_at`) may run behind this server's (when
/// the code was made) and a verification still count as made since the code. A verification
/// finished before the code was made was created long before that, so it is not mistaken for
/// the phone's.
const CLOCK_SKEW_MS: i64 = 30_000;

/// The cookie that ties the Continue tap to the page that showed it.
const NONCE_COOKIE: &str = "kyc_handoff";

/// `GET /handoff/{code}`: what the phone opens. Asks for a tap before using the code up.
///
/// The page carries a one-off value, also set in a `SameSite=Strict` cookie: only a tap on
/// this very page can post both, so another site cannot sign its visitors in to a customer
/// of its choosing, even in browsers that do not send `Sec-Fetch-Site`.
pub async fn confirm(
    State(state): State<Arc<AppState>>,
    ClientAddr(client): ClientAddr,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let lang = named_language(query.as_deref());
    let page = PageLanguage::chosen(&headers, lang);
    let nonce =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret::random_bytes::<16>());
    let cookie = format!(
        "{NONCE_COOKIE}={nonce}; Path=/handoff/; HttpOnly; SameSite=Strict; Max-Age=600{}",
        if state.sessions.secure() {
            "; Secure"
        } else {
            ""
        }
    );
    match state.handoffs.check(&code, client, now_ms()) {
        Ok(()) => {
            let mut response = page.continue_page(&code, &nonce, PageLanguage::carried(lang));
            if let Ok(cookie) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, cookie);
            }
            response
        }
        Err(refused) => refusal_for(page, refused),
    }
}

/// `POST /handoff/{code}`: the phone's way in, from the page above.
pub async fn redeem(
    State(state): State<Arc<AppState>>,
    ClientAddr(client): ClientAddr,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    form: String,
) -> Response {
    // Only a tap on our own Continue page may use a code (see `confirm`): the form's
    // one-off value must match its cookie, and the browser must not say another site sent it.
    let lang = named_language(query.as_deref());
    let page = PageLanguage::chosen(&headers, lang);
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let sent = form
        .split('&')
        .find_map(|pair| pair.strip_prefix("nonce="))
        .unwrap_or_default();
    let expected = crate::session::cookie_value(&headers, NONCE_COOKIE).unwrap_or_default();
    let from_our_page = !sent.is_empty() && secret::equal(sent.as_bytes(), expected.as_bytes());
    if !from_our_page || matches!(site, Some("cross-site" | "same-site")) {
        tracing::warn!("handoff code posted from another site");
        return page.message(
            StatusCode::FORBIDDEN,
            PageMsg::PageScanTitle,
            PageMsg::PageScanBody,
        );
    }
    let now = now_ms();
    match state.handoffs.redeem(&code, client, now) {
        Ok(redeemed) => {
            tracing::info!(customer = %redeemed.customer_guid, "handoff code redeemed");
            crate::metrics::handoff_redeemed();
            crate::metrics::session_started("handoff");
            // On in the language the code's page was in.
            let to = ["/", PageLanguage::carried(lang)].concat();
            let mut response = Redirect::to(&to).into_response();
            // The phone's session ends with the desktop's: a code never extends a session.
            let cookie =
                state
                    .sessions
                    .create_until(&redeemed.customer_guid, now, redeemed.session_ends_ms);
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
        Err(refused) => refusal_for(page, refused),
    }
}

/// One of our languages named by `lang=` in a query (unknown tags are ignored).
pub(crate) fn named_language(query: Option<&str>) -> Option<Lang> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .and_then(Lang::parse)
}

fn refusal_for(page: PageLanguage, refused: Refused) -> Response {
    match refused {
        Refused::Invalid => {
            tracing::info!("handoff code refused");
            page.message(
                StatusCode::GONE,
                PageMsg::PageCodeUsedTitle,
                PageMsg::PageCodeUsedBody,
            )
        }
        Refused::RateLimited => {
            tracing::warn!("handoff redemption rate-limited");
            page.message(
                StatusCode::TOO_MANY_REQUESTS,
                PageMsg::PageTooManyTitle,
                PageMsg::PageTooManyBody,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verification_counts_as_the_phones_despite_a_slow_upstream_clock() {
        let minted: Millis = 1_795_428_000_000;
        let made_at = |newest_known: Option<Millis>, created: Millis| {
            let h = Handoffs::with_limit(5);
            h.mint("c1", None, newest_known, minted, SESSION_ENDS + minted);
            let (_, _, since) = h.status("c1", minted);
            let mut v: IdentityVerification = kyc_onboarding::core::api::parse(
                r#"{"guid":"iv","type":"kyc","method":"id_and_selfie","state":"storing"}"#,
            )
            .unwrap();
            v.created_at = Some(format_rfc3339(created));
            made_since_code(&v, since.unwrap())
        };
        assert!(made_at(None, minted + 1_000), "made after the code");
        assert!(
            made_at(None, minted - 25_000),
            "Cybrid's clock 25 s behind ours"
        );
        assert!(
            !made_at(None, minted - 31_000),
            "made before the code: an older one"
        );
        assert!(!made_at(None, minted - 3_600_000));
        // The code was made from a verification's outcome (a retry, an expiry) seconds after
        // it was created: that one is not the phone's, a newer one is.
        let concluded = minted - 10_000;
        assert!(!made_at(Some(concluded), concluded));
        assert!(made_at(Some(concluded), concluded + 1_000));
    }

    const LOCAL: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);
    /// When the session that makes the codes ends: after every time these tests use.
    const SESSION_ENDS: Millis = 100 * CODE_LIFETIME;

    #[test]
    fn a_code_dies_with_the_session_that_made_it() {
        let h = Handoffs::default();
        let code = h.mint("c1", None, None, 0, 5_000);
        assert_eq!(
            h.check(&code, LOCAL, 4_999),
            Ok(()),
            "while the desktop's session lasts"
        );
        assert_eq!(h.check(&code, LOCAL, 5_000), Err(Refused::Invalid));
        let code = h.mint("c1", None, None, 0, 5_000);
        assert_eq!(
            h.redeem(&code, LOCAL, 1),
            Ok(Redeemed {
                customer_guid: "c1".into(),
                session_ends_ms: 5_000
            }),
            "the phone learns when it must end"
        );
    }

    #[test]
    fn codes_carry_160_random_bits_in_url_safe_text() {
        let h = Handoffs::default();
        let a = h.mint("c1", None, None, 0, SESSION_ENDS);
        let b = h.mint("c2", None, None, 0, SESSION_ENDS);
        assert_eq!(a.len(), 27, "160 bits in base64url");
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_ne!(a, b);
        let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&a)
            .unwrap();
        assert_eq!(decoded.len() * 8, 160);
    }

    #[test]
    fn a_code_works_once_and_only_for_ten_minutes() {
        let h = Handoffs::default();
        let code = h.mint("c1", Some("iv1".into()), None, 0, SESSION_ENDS);
        assert_eq!(
            h.status("c1", 1),
            (CodeState::Active, Some("iv1".into()), Some(-CLOCK_SKEW_MS))
        );
        assert_eq!(
            h.redeem(&code, LOCAL, 1).map(|r| r.customer_guid),
            Ok("c1".to_owned())
        );
        assert_eq!(
            h.redeem(&code, LOCAL, 2).map(|r| r.customer_guid),
            Err(Refused::Invalid)
        );
        assert_eq!(h.status("c1", 3).0, CodeState::Used);
        let late = h.mint("c2", None, None, 0, SESSION_ENDS);
        assert_eq!(h.status("c2", CODE_LIFETIME).0, CodeState::Expired);
        assert_eq!(
            h.redeem(&late, LOCAL, CODE_LIFETIME)
                .map(|r| r.customer_guid),
            Err(Refused::Invalid)
        );
        assert_eq!(
            h.redeem("never-issued", LOCAL, 5).map(|r| r.customer_guid),
            Err(Refused::Invalid)
        );
    }

    #[test]
    fn looking_at_a_code_does_not_use_it_up() {
        let h = Handoffs::default();
        let code = h.mint("c1", None, None, 0, SESSION_ENDS);
        // A link preview, then the phone's own look.
        assert_eq!(h.check(&code, LOCAL, 1), Ok(()));
        assert_eq!(h.check(&code, LOCAL, 2), Ok(()));
        assert_eq!(h.status("c1", 3).0, CodeState::Active);
        assert_eq!(
            h.redeem(&code, LOCAL, 4).map(|r| r.customer_guid),
            Ok("c1".to_owned())
        );
        assert_eq!(h.check(&code, LOCAL, 5), Err(Refused::Invalid));
    }

    #[test]
    fn a_used_code_outlives_other_customers_codes_for_the_desktop() {
        let h = Handoffs::default();
        let code = h.mint("c1", Some("iv1".into()), None, 0, SESSION_ENDS);
        assert_eq!(
            h.redeem(&code, LOCAL, 1).map(|r| r.customer_guid),
            Ok("c1".to_owned())
        );
        let unused = h.mint("c2", None, None, 0, SESSION_ENDS);
        // Long after both codes' ten minutes, somebody else makes a code.
        h.mint("c3", None, None, CODE_LIFETIME + 1, SESSION_ENDS);
        assert_eq!(
            h.status("c1", CODE_LIFETIME + 2),
            (CodeState::Used, Some("iv1".into()), Some(-CLOCK_SKEW_MS)),
            "the desktop still follows the phone"
        );
        assert_eq!(h.status("c2", CODE_LIFETIME + 2).0, CodeState::None);
        assert_eq!(
            h.redeem(&unused, LOCAL, CODE_LIFETIME + 2)
                .map(|r| r.customer_guid),
            Err(Refused::Invalid)
        );
        h.mint("c3", None, None, USED_CODE_KEPT, SESSION_ENDS);
        assert_eq!(
            h.status("c1", USED_CODE_KEPT).0,
            CodeState::None,
            "not kept forever"
        );
    }

    #[test]
    fn valid_codes_never_count_against_the_limit() {
        // Customers behind one proxy share an address.
        let h = Handoffs::default();
        for i in 0..ATTEMPTS_PER_MINUTE * 2 {
            let code = h.mint(&format!("c{i}"), None, None, 0, SESSION_ENDS);
            assert_eq!(h.check(&code, LOCAL, 1), Ok(()));
            assert_eq!(
                h.redeem(&code, LOCAL, 1).map(|r| r.customer_guid),
                Ok(format!("c{i}"))
            );
        }
    }

    #[test]
    fn a_new_code_kills_the_old_one() {
        let h = Handoffs::default();
        let old = h.mint("c1", None, None, 0, SESSION_ENDS);
        let new = h.mint("c1", None, None, 1, SESSION_ENDS);
        assert_eq!(
            h.redeem(&old, LOCAL, 2).map(|r| r.customer_guid),
            Err(Refused::Invalid)
        );
        assert_eq!(
            h.redeem(&new, LOCAL, 2).map(|r| r.customer_guid),
            Ok("c1".to_owned())
        );
    }

    #[test]
    fn redemption_attempts_are_rate_limited_per_client() {
        let h = Handoffs::default();
        let other = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));
        for _ in 0..ATTEMPTS_PER_MINUTE {
            assert_eq!(
                h.redeem("guess", LOCAL, 0).map(|r| r.customer_guid),
                Err(Refused::Invalid)
            );
        }
        assert_eq!(
            h.redeem("guess", LOCAL, 1).map(|r| r.customer_guid),
            Err(Refused::RateLimited)
        );
        assert_eq!(
            h.redeem("guess", other, 1).map(|r| r.customer_guid),
            Err(Refused::Invalid),
            "other clients are not held up"
        );
        let code = h.mint("c1", None, None, 0, SESSION_ENDS);
        assert_eq!(
            h.redeem(&code, LOCAL, 1).map(|r| r.customer_guid),
            Ok("c1".to_owned()),
            "a valid code works even from a limited address (customers behind one proxy)"
        );
        assert_eq!(
            h.redeem("guess", LOCAL, MINUTE + 1)
                .map(|r| r.customer_guid),
            Err(Refused::Invalid),
            "the window slides"
        );
    }

    #[test]
    fn the_addresses_of_one_ipv6_subscriber_count_together() {
        let h = Handoffs::default();
        let address =
            |last: u16| IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 1, 2, 0, 0, 0, last));
        for i in 0..ATTEMPTS_PER_MINUTE {
            assert_eq!(
                h.redeem("guess", address(i as u16), 0)
                    .map(|r| r.customer_guid),
                Err(Refused::Invalid)
            );
        }
        assert_eq!(
            h.redeem("guess", address(999), 1).map(|r| r.customer_guid),
            Err(Refused::RateLimited),
            "another address of the same /64"
        );
        let neighbour = IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 1, 3, 0, 0, 0, 1));
        assert_eq!(
            h.redeem("guess", neighbour, 1).map(|r| r.customer_guid),
            Err(Refused::Invalid),
            "the next /64 is someone else"
        );
        assert_eq!(
            client_key("::ffff:10.0.0.2".parse().unwrap()),
            IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2))
        );
    }

    #[test]
    fn quiet_clients_are_swept_out_once_a_minute() {
        let h = Handoffs::default();
        let other = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));
        h.redeem("guess", LOCAL, MINUTE).ok();
        h.redeem("guess", other, MINUTE + 1).ok();
        assert_eq!(h.attempts.lock().unwrap().by_client.len(), 2);
        // A minute after the sweep at the first failure: the first client has gone quiet.
        h.redeem("guess", other, 2 * MINUTE + 1).ok();
        let attempts = h.attempts.lock().unwrap();
        assert_eq!(attempts.by_client.len(), 1);
        assert!(attempts.by_client.contains_key(&other));
    }
}
