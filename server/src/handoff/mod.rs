//! Desktop-to-phone handoff: a one-time code in a QR code.
//!
//! - `POST /handoff` (session + CSRF) mints a code: 160 random bits, bound to the customer and
//!   to their verification in flight, valid three minutes ([`CODE_LIFETIME`]), single use,
//!   with a four-digit confirmation number both screens show. Minting kills the customer's
//!   previous code. A phone's session may not mint (403): it was handed one verification.
//! - `GET /handoff/{code}` (the phone) shows a page with a "Continue on this phone" button; it
//!   does not use the code up, so a link preview (a chat app or mail scanner fetching a
//!   copied link) cannot spend it. A used, expired or unknown code gets a page that says to
//!   scan a new one.
//! - `POST /handoff/{code}` (that button) redeems it atomically and gives the phone its own
//!   session for the same customer, then sends it to the app. Only a same-origin form may
//!   post it, so another site cannot sign a visitor in as someone else.
//! - Failed attempts are rate-limited per client; a valid code never counts against it, so
//!   customers sharing an address (behind a proxy) do not hold each other up.
//! - `GET /handoff/status` (the desktop) says whether the phone has come, which phone it is
//!   (browser and system, coarse), and shows the verification it is working on, so the
//!   desktop can follow along.
//! - `POST /handoff/revoke` (session + CSRF, "This isn't my phone") ends the phone's session
//!   and the code at once, on every replica, and answers with a new code, as `POST /handoff`.
//! - `POST /handoff/cancel` (session + CSRF) ends the customer's code if no phone has come
//!   with it: the desktop left the handoff screen.
//!
//! The code is never logged: requests are logged by route template only.

mod codes;
mod device;

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use base64::Engine;
use kyc_onboarding::core::api::{
    CustomerState, HandoffCreated, HandoffStatus, IdentityVerification, VerificationState,
};
use kyc_onboarding::core::text::{Lang, PageMsg};
use kyc_onboarding::core::time::{format_rfc3339, parse_rfc3339, Millis};

use crate::backend::{lacks_details, ApiError};
use crate::client_addr::ClientAddr;
use crate::clock::now_ms;
use crate::pages::PageLanguage;
use crate::secret;
use crate::session::Session;
use crate::state::AppState;
use crate::store::PhoneRecord;

pub use codes::{
    CodeState, Handoffs, Redeemed, Refused, ATTEMPTS_PER_MINUTE, CODE_LIFETIME, USED_CODE_KEPT,
};

/// The desktop's session of a state-changing handoff call: a phone's session is refused (it
/// may carry on the verification it was handed, not hand it on again or end the desktop's).
async fn desktop(state: &AppState, headers: &HeaderMap) -> Result<Session, Response> {
    match state.sessions.require_with_csrf(headers).await {
        Ok(s) if s.phone.is_some() => {
            Err(ApiError::forbidden("a phone's session cannot do this").into_response())
        }
        Ok(s) => Ok(s),
        Err(e) => Err(e.into_response()),
    }
}

/// `POST /handoff`.
pub async fn mint(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    match desktop(&state, &headers).await {
        Ok(session) => mint_for(&state, &session).await,
        Err(refused) => refused,
    }
}

/// `POST /handoff/revoke`: "This isn't my phone". Ends the phone's session (its next request
/// is 401) and the code, then makes a new code for the desktop to show.
pub async fn revoke(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let session = match desktop(&state, &headers).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    match state.handoffs.revoke(&session.customer_guid).await {
        Ok(Some(phone)) if !phone.session_id.is_empty() => {
            if let Err(e) = state
                .sessions
                .delete(&phone.session_id, &session.customer_guid)
                .await
            {
                return e.into_response();
            }
            tracing::warn!(customer = %session.customer_guid, "handoff: the customer ended a phone that was not theirs");
        }
        Ok(_) => {}
        Err(e) => return ApiError::from(e).into_response(),
    }
    mint_for(&state, &session).await
}

/// `POST /handoff/cancel`: the desktop left the handoff screen; its unused code ends.
pub async fn cancel(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let session = match desktop(&state, &headers).await {
        Ok(s) => s,
        Err(refused) => return refused,
    };
    match state.handoffs.cancel(&session.customer_guid).await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// Mints a code for the desktop's `session` and answers with it.
async fn mint_for(state: &AppState, session: &Session) -> Response {
    let now = now_ms();
    if let Err(e) = state
        .quotas
        .charge(&session.customer_guid, crate::quota::Spend::Handoff, now)
        .await
    {
        return e.into_response();
    }
    // The code is bound to the verification the customer is doing, by the app's own rule
    // (an identity check in flight, else a document request compliance has open); one the
    // phone makes
    // (with none in flight, or when that one expires) is the first one newer than every
    // verification known now, which also keeps the phone's session off the older ones.
    let verified = match state.backend.customer(&session.customer_guid).await {
        Ok(c) => c.state == CustomerState::Verified,
        Err(e) => return e.into_response(),
    };
    let (in_flight, newest_known) = match state
        .backend
        .list_with_details(&session.customer_guid)
        .await
    {
        Ok(list) => (
            kyc_onboarding::core::flow::in_hand(&list, now, verified).map(|v| v.guid.clone()),
            list.iter()
                .filter(|v| v.is_kyc())
                .filter_map(created_ms)
                .max(),
        ),
        Err(e) => return e.into_response(),
    };
    let (code, confirm) = match state
        .handoffs
        .mint_shown(
            &session.customer_guid,
            in_flight,
            newest_known,
            now,
            session.expires_ms,
        )
        .await
    {
        Ok(minted) => minted,
        Err(e) => return ApiError::from(e).into_response(),
    };
    tracing::info!(customer = %session.customer_guid, "handoff code minted");
    // The code dies with the session it acts for: near the session's end, its own ten
    // minutes would promise the customer time the phone will not have.
    let mut response = Json(HandoffCreated {
        path: format!("/handoff/{code}"),
        expires_at: Some(format_rfc3339(
            (now + CODE_LIFETIME).min(session.expires_ms),
        )),
        confirm: Some(confirm),
    })
    .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().expect("static"));
    response
}

/// `GET /handoff/status`.
pub async fn status(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let session = match state.sessions.require(&headers).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let now = now_ms();
    // Each poll goes upstream on the bank's token: it counts as one of the customer's reads.
    if let Err(e) = state
        .quotas
        .charge(&session.customer_guid, crate::quota::Spend::Read, now)
        .await
    {
        return e.into_response();
    }
    let (code, bound, since, phone) = match state.handoffs.follow(&session.customer_guid, now).await
    {
        Ok(status) => status,
        Err(e) => return ApiError::from(e).into_response(),
    };
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
        phone: phone.map(|p| PageLanguage::of(&headers).device(&p.browser, &p.os)),
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

/// Whether `v` is a KYC verification created since the code was made (`since`, from
/// [`Handoffs::status`]).
fn made_since_code(v: &IdentityVerification, since: Millis) -> bool {
    v.is_kyc() && created_ms(v).is_some_and(|created| created >= since)
}

/// When `v` was created, by its `created_at`.
fn created_ms(v: &IdentityVerification) -> Option<Millis> {
    v.created_at.as_deref().and_then(parse_rfc3339)
}

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
        "{NONCE_COOKIE}={nonce}; Path=/handoff/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        CODE_LIFETIME / 1000,
        if state.sessions.secure() {
            "; Secure"
        } else {
            ""
        }
    );
    let now = now_ms();
    match state.handoffs.check(&code, client, now).await {
        Ok(()) => {
            let confirm = state
                .handoffs
                .confirmation(&code, now)
                .await
                .unwrap_or_default();
            let carried = PageLanguage::carried(lang);
            let mut response = page.continue_page(&code, &confirm, &nonce, carried);
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
    // The phone's session id is chosen first and noted with the code as it is used up, so
    // the desktop can end that session from the first moment it sees the phone.
    let (browser, os) = device::coarse(
        headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
    );
    let phone = PhoneRecord {
        session_id: crate::session::Sessions::new_id(),
        browser: browser.to_owned(),
        os: os.to_owned(),
    };
    let session_id = phone.session_id.clone();
    match state.handoffs.redeem_by(&code, client, now, phone).await {
        Ok(redeemed) => {
            tracing::info!(customer = %redeemed.customer_guid, "handoff code redeemed");
            crate::metrics::handoff_redeemed();
            crate::metrics::session_started("handoff");
            // On in the language the code's page was in.
            let to = ["/", PageLanguage::carried(lang)].concat();
            let mut response = Redirect::to(&to).into_response();
            // The phone's session ends with the desktop's: a code never extends a session.
            let cookie = match state
                .sessions
                .create_phone(
                    &session_id,
                    &redeemed.customer_guid,
                    now,
                    redeemed.session_ends_ms,
                    redeemed.scope,
                )
                .await
            {
                Ok(cookie) => cookie,
                Err(_) => return refusal_for(page, Refused::Unavailable),
            };
            // Ended from the desktop (or replaced by a new code) while the session was being
            // made: the desktop no longer follows this phone, so it gets no session.
            if !matches!(
                state
                    .handoffs
                    .is_current(&redeemed.customer_guid, &code)
                    .await,
                Ok(true)
            ) {
                let _ = state
                    .sessions
                    .delete(&session_id, &redeemed.customer_guid)
                    .await;
                return refusal_for(page, Refused::Invalid);
            }
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
        Refused::Unavailable => {
            let mut response = page.message(
                StatusCode::SERVICE_UNAVAILABLE,
                PageMsg::PageUnavailableTitle,
                PageMsg::PageUnavailableBody,
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
            response
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

    #[tokio::test]
    async fn a_verification_counts_as_the_phones_despite_a_slow_upstream_clock() {
        let minted: Millis = 1_795_428_000_000;
        async fn made_at(minted: Millis, newest_known: Option<Millis>, created: Millis) -> bool {
            let h = Handoffs::new(crate::store::Store::memory(), 5);
            h.mint(
                "c1",
                None,
                newest_known,
                minted,
                100 * CODE_LIFETIME + minted,
            )
            .await
            .unwrap();
            let (_, _, since) = h.status("c1", minted).await.unwrap();
            let mut v: IdentityVerification = kyc_onboarding::core::api::parse(
                r#"{"guid":"iv","type":"kyc","method":"id_and_selfie","state":"storing"}"#,
            )
            .unwrap();
            v.created_at = Some(format_rfc3339(created));
            made_since_code(&v, since.unwrap())
        }
        assert!(
            made_at(minted, None, minted + 1_000).await,
            "made after the code"
        );
        assert!(
            made_at(minted, None, minted - 25_000).await,
            "Cybrid's clock 25 s behind ours"
        );
        assert!(
            !made_at(minted, None, minted - 31_000).await,
            "made before the code: an older one"
        );
        assert!(!made_at(minted, None, minted - 3_600_000).await);
        // The code was made from a verification's outcome (a retry, an expiry) seconds after
        // it was created: that one is not the phone's, a newer one is.
        let concluded = minted - 10_000;
        assert!(!made_at(minted, Some(concluded), concluded).await);
        assert!(made_at(minted, Some(concluded), concluded + 1_000).await);
    }
}
