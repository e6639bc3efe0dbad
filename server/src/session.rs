//! Customer sessions: an opaque id in an HttpOnly cookie, a CSRF token for POSTs, an idle
//! timeout within a bounded lifetime, and `POST /logout`. Nothing about the customer is in
//! the cookie.
//!
//! The cookie is a browser-session cookie (no `Max-Age`: gone when the browser closes); the
//! store holds the session for the idle timeout, renewed by each authenticated request, and
//! never past its absolute end. Over https it is `__Host-kyc_session` (`Secure`, `Path=/`, no
//! `Domain`), which a sibling subdomain cannot set; a request carrying two session cookies
//! (one planted with `Domain=`) is refused rather than guessed at.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kyc_onboarding::core::time::Millis;

use crate::backend::ApiError;
use crate::secret;
use crate::state::AppState;
use crate::store::{PhoneScope, SessionRecord, Store};

/// The cookie's name over plain http (trying the server out on this machine).
pub const COOKIE: &str = "kyc_session";
/// The cookie's name over https: the `__Host-` prefix makes browsers refuse it with a
/// `Domain`, without `Secure` or on another path.
pub const SECURE_COOKIE: &str = "__Host-kyc_session";
/// The header that carries the CSRF token on POSTs.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// One customer's session.
#[derive(Clone, Debug)]
pub struct Session {
    pub customer_guid: String,
    pub csrf_token: String,
    /// Wall-clock expiry, for the front end.
    pub expires_ms: Millis,
    /// Set on a phone's session (from a handoff code): what it may act on.
    pub phone: Option<PhoneScope>,
}

/// Every live session, by id, in the state store (it forgets each at its end).
pub struct Sessions {
    store: Store,
    ttl: Duration,
    /// How long a session lasts without a request.
    idle: Duration,
    secure: bool,
}

impl Sessions {
    /// Sessions that last `ttl`, kept in `store`; `secure` names the cookie
    /// [`SECURE_COOKIE`] with the `Secure` flag. No idle timeout but `ttl` itself until
    /// [`Sessions::with_idle`].
    pub fn new(store: Store, ttl: Duration, secure: bool) -> Sessions {
        Sessions {
            store,
            ttl,
            idle: ttl,
            secure,
        }
    }

    /// Sessions that end after `idle` without a request.
    pub fn with_idle(mut self, idle: Duration) -> Sessions {
        self.idle = idle;
        self
    }

    /// Whether cookies get the `Secure` flag (served over https).
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// The session cookie's name.
    pub fn cookie_name(&self) -> &'static str {
        if self.secure {
            SECURE_COOKIE
        } else {
            COOKIE
        }
    }

    /// Starts a session for a customer; returns the `Set-Cookie` value.
    pub async fn create(
        &self,
        customer_guid: &str,
        now_ms: Millis,
    ) -> Result<HeaderValue, ApiError> {
        let id = secret::token("s");
        self.start(&id, customer_guid, now_ms, self.ttl, None).await
    }

    /// A new session id (for [`Sessions::create_phone`]).
    pub fn new_id() -> String {
        secret::token("s")
    }

    /// Starts the phone's session `id` (from [`Sessions::new_id`], noted with the code so
    /// the desktop can end it) for a customer, limited to `scope`, that ends at `ends_ms` at
    /// the latest (the session it was handed over from); returns the `Set-Cookie` value.
    pub async fn create_phone(
        &self,
        id: &str,
        customer_guid: &str,
        now_ms: Millis,
        ends_ms: Millis,
        scope: PhoneScope,
    ) -> Result<HeaderValue, ApiError> {
        let left = Duration::from_millis(u64::try_from(ends_ms - now_ms).unwrap_or(0));
        self.start(id, customer_guid, now_ms, left.min(self.ttl), Some(scope))
            .await
    }

    /// Ends the session `id` of `customer_guid` on every replica (its next request is 401).
    pub async fn delete(&self, id: &str, customer_guid: &str) -> Result<(), ApiError> {
        Ok(self.store.delete_session(id, customer_guid).await?)
    }

    async fn start(
        &self,
        id: &str,
        customer_guid: &str,
        now_ms: Millis,
        ttl: Duration,
        phone: Option<PhoneScope>,
    ) -> Result<HeaderValue, ApiError> {
        let session = SessionRecord {
            customer_guid: customer_guid.to_owned(),
            csrf_token: secret::token("csrf"),
            expires_ms: now_ms + ttl.as_millis() as Millis,
            phone,
        };
        self.store
            .put_session(id, &session, ttl.min(self.idle))
            .await?;
        Ok(self.cookie(id, ""))
    }

    /// The `Set-Cookie` value for the session `id` (empty: clears it), with `extra`
    /// attributes. No `Max-Age`: the browser forgets it when it closes.
    fn cookie(&self, id: &str, extra: &str) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{}={id}; Path=/; HttpOnly; SameSite=Lax{secure}{extra}",
            self.cookie_name()
        ))
        .expect("cookie is plain ASCII")
    }

    /// The session id in the request's cookie; refused when there are two (one may have
    /// been planted by a sibling subdomain, and which is whose cannot be told).
    fn id_in<'a>(&self, headers: &'a HeaderMap) -> Result<Option<&'a str>, ApiError> {
        let mut ids = cookie_values(headers, self.cookie_name());
        let id = ids.next();
        if ids.next().is_some() {
            tracing::warn!("a request with two session cookies refused");
            let mut refused = ApiError::unauthenticated();
            refused.message = "two session cookies: sign in again".to_owned();
            return Err(refused);
        }
        Ok(id)
    }

    /// The live session named by the request's cookie; its idle timeout starts again (up to
    /// its absolute end).
    pub async fn from_headers(&self, headers: &HeaderMap) -> Result<Option<Session>, ApiError> {
        let Some(id) = self.id_in(headers)? else {
            return Ok(None);
        };
        let Some(record) = self.store.session(id).await? else {
            return Ok(None);
        };
        let left = record.expires_ms - crate::clock::now_ms();
        if left > 0 {
            let ttl = self.idle.min(Duration::from_millis(left.unsigned_abs()));
            self.store.touch_session(id, ttl).await?;
        }
        Ok(Some(Session {
            customer_guid: record.customer_guid,
            csrf_token: record.csrf_token,
            expires_ms: record.expires_ms,
            phone: record.phone,
        }))
    }

    /// Ends the request's session (CSRF-checked: another site cannot log a customer out);
    /// the `Set-Cookie` value that clears the cookie.
    pub async fn end(&self, headers: &HeaderMap) -> Result<HeaderValue, ApiError> {
        let session = self.require_with_csrf(headers).await?;
        if let Some(id) = self.id_in(headers)? {
            self.store
                .delete_session(id, &session.customer_guid)
                .await?;
        }
        Ok(self.cookie("", "; Max-Age=0"))
    }

    /// The session, or 401.
    pub async fn require(&self, headers: &HeaderMap) -> Result<Session, ApiError> {
        self.from_headers(headers)
            .await?
            .ok_or_else(ApiError::unauthenticated)
    }

    /// The session of a state-changing request: 401 without one, 403 without its CSRF token.
    pub async fn require_with_csrf(&self, headers: &HeaderMap) -> Result<Session, ApiError> {
        let session = self.require(headers).await?;
        let sent = headers
            .get(CSRF_HEADER)
            .map(HeaderValue::as_bytes)
            .unwrap_or_default();
        if secret::equal(sent, session.csrf_token.as_bytes()) {
            Ok(session)
        } else {
            Err(ApiError::forbidden("missing or wrong CSRF token"))
        }
    }
}

/// `POST /logout` (session + CSRF): ends the session in the store, on every replica, and
/// clears its cookie.
pub async fn logout(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    match state.sessions.end(&headers).await {
        Ok(cleared) => {
            tracing::info!("session ended by the customer");
            (StatusCode::NO_CONTENT, [(header::SET_COOKIE, cleared)]).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// A cookie's value from the `Cookie` headers (the first, when there are several).
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    cookie_values(headers, name).next()
}

/// Every value of a cookie in the `Cookie` headers.
fn cookie_values<'a, 'n>(
    headers: &'a HeaderMap,
    name: &'n str,
) -> impl Iterator<Item = &'a str> + use<'a, 'n> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(move |(k, _)| *k == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_cookie(set_cookie: &HeaderValue) -> HeaderMap {
        let pair = set_cookie.to_str().unwrap().split(';').next().unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("other=1; {pair}")).unwrap(),
        );
        h
    }

    #[tokio::test]
    async fn cookie_is_http_only_lax_host_only_and_ends_with_the_browser() {
        let sessions = Sessions::new(Store::memory(), Duration::from_secs(600), true);
        let cookie = sessions.create("cust_1", 0).await.unwrap();
        let text = cookie.to_str().unwrap();
        assert!(text.starts_with("__Host-kyc_session="), "{text}");
        for part in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
            assert!(text.contains(part), "{text} lacks {part}");
        }
        for part in ["Max-Age", "Expires", "Domain"] {
            assert!(!text.contains(part), "{text} has {part}");
        }
        assert!(
            !text.contains("cust_1"),
            "nothing about the customer in the cookie"
        );
        let plain = Sessions::new(Store::memory(), Duration::from_secs(600), false)
            .create("c", 0)
            .await
            .unwrap();
        let plain = plain.to_str().unwrap();
        assert!(plain.starts_with("kyc_session=") && !plain.contains("Secure"));
    }

    fn scope() -> PhoneScope {
        PhoneScope {
            verification_guid: Some("iv".into()),
            since_ms: 0,
        }
    }

    #[tokio::test]
    async fn a_handed_over_session_ends_with_the_one_it_came_from() {
        let sessions = Sessions::new(Store::memory(), Duration::from_secs(600), false);
        let cookie = sessions
            .create_phone(&Sessions::new_id(), "c", 1_000, 1_000 + 120_000, scope())
            .await
            .unwrap();
        let session = sessions
            .from_headers(&with_cookie(&cookie))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(session.expires_ms, 121_000);
        assert_eq!(
            session.phone,
            Some(scope()),
            "a phone's, bound to its verification"
        );
        let capped = sessions
            .create_phone(&Sessions::new_id(), "c", 0, 3_600_000, scope())
            .await
            .unwrap();
        let capped = sessions
            .from_headers(&with_cookie(&capped))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(capped.expires_ms, 600_000, "never longer than its own");
        let over = sessions
            .create_phone(&Sessions::new_id(), "c", 5_000, 4_000, scope())
            .await
            .unwrap();
        assert!(
            sessions
                .from_headers(&with_cookie(&over))
                .await
                .unwrap()
                .is_none(),
            "one handed over from an ended session is over already"
        );
    }

    #[tokio::test]
    async fn two_session_cookies_are_refused_not_guessed_at() {
        let sessions = Sessions::new(Store::memory(), Duration::from_secs(600), false);
        let mine = sessions.create("victim", 0).await.unwrap();
        let planted = sessions.create("attacker", 0).await.unwrap();
        let pair = |c: &HeaderValue| c.to_str().unwrap().split(';').next().unwrap().to_owned();
        // A sibling subdomain planted its own with `Domain=`: the browser sends both.
        for cookies in [
            format!("{}; {}", pair(&planted), pair(&mine)),
            format!("{}; {}", pair(&mine), pair(&planted)),
        ] {
            let mut headers = HeaderMap::new();
            headers.insert(header::COOKIE, HeaderValue::from_str(&cookies).unwrap());
            assert_eq!(sessions.require(&headers).await.unwrap_err().status, 401);
        }
        // In two `Cookie` headers too.
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_str(&pair(&planted)).unwrap(),
        );
        headers.append(header::COOKIE, HeaderValue::from_str(&pair(&mine)).unwrap());
        assert_eq!(sessions.require(&headers).await.unwrap_err().status, 401);
        // Over https only `__Host-` counts: a plain `kyc_session` is not even looked at.
        let secure = Sessions::new(Store::memory(), Duration::from_secs(600), true);
        let host = secure.create("victim", 0).await.unwrap();
        let mut headers = HeaderMap::new();
        let cookies = format!("kyc_session=s_planted; {}", pair(&host));
        headers.insert(header::COOKIE, HeaderValue::from_str(&cookies).unwrap());
        assert_eq!(
            secure.require(&headers).await.unwrap().customer_guid,
            "victim"
        );
    }

    #[tokio::test]
    async fn an_idle_session_ends_and_an_active_one_lasts_until_its_end() {
        let now = crate::clock::now_ms;
        let sessions = Sessions::new(Store::memory(), Duration::from_millis(700), false)
            .with_idle(Duration::from_millis(250));
        // Left alone: over after the idle timeout.
        let idle = with_cookie(&sessions.create("c", now()).await.unwrap());
        tokio::time::sleep(Duration::from_millis(350)).await;
        assert!(sessions.from_headers(&idle).await.unwrap().is_none());
        // Used every 150 ms: alive past the idle timeout, and over at its absolute end.
        let active = with_cookie(&sessions.create("c", now()).await.unwrap());
        for _ in 0..3 {
            tokio::time::sleep(Duration::from_millis(150)).await;
            assert!(sessions.from_headers(&active).await.unwrap().is_some());
        }
        for _ in 0..3 {
            tokio::time::sleep(Duration::from_millis(150)).await;
            let _ = sessions.from_headers(&active).await.unwrap();
        }
        assert!(
            sessions.from_headers(&active).await.unwrap().is_none(),
            "never past the absolute lifetime"
        );
    }

    #[tokio::test]
    async fn logout_needs_the_csrf_token_and_ends_the_session() {
        let sessions = Sessions::new(Store::memory(), Duration::from_secs(600), false);
        let headers = with_cookie(&sessions.create("c", 0).await.unwrap());
        assert_eq!(sessions.end(&headers).await.unwrap_err().status, 403);
        assert!(sessions.require(&headers).await.is_ok(), "still signed in");
        let csrf = sessions.require(&headers).await.unwrap().csrf_token;
        let mut with_csrf = headers.clone();
        with_csrf.insert(CSRF_HEADER, HeaderValue::from_str(&csrf).unwrap());
        let cleared = sessions.end(&with_csrf).await.unwrap();
        let cleared = cleared.to_str().unwrap();
        assert!(cleared.starts_with("kyc_session=;") && cleared.contains("Max-Age=0"));
        assert_eq!(sessions.require(&headers).await.unwrap_err().status, 401);
    }

    #[tokio::test]
    async fn finds_the_session_and_checks_csrf() {
        let sessions = Sessions::new(Store::memory(), Duration::from_secs(600), false);
        let headers = with_cookie(&sessions.create("cust_1", 0).await.unwrap());
        let session = sessions.require(&headers).await.unwrap();
        assert_eq!(session.customer_guid, "cust_1");
        assert_eq!(
            sessions
                .require_with_csrf(&headers)
                .await
                .unwrap_err()
                .status,
            403
        );
        let mut with_csrf = headers.clone();
        with_csrf.insert(
            CSRF_HEADER,
            HeaderValue::from_str(&session.csrf_token).unwrap(),
        );
        assert!(sessions.require_with_csrf(&with_csrf).await.is_ok());
        with_csrf.insert(CSRF_HEADER, HeaderValue::from_static("csrf_wrong"));
        assert_eq!(
            sessions
                .require_with_csrf(&with_csrf)
                .await
                .unwrap_err()
                .status,
            403
        );
        assert_eq!(
            sessions
                .require(&HeaderMap::new())
                .await
                .unwrap_err()
                .status,
            401
        );
    }

    #[tokio::test]
    async fn expired_sessions_are_gone() {
        let sessions = Sessions::new(Store::memory(), Duration::from_millis(0), false);
        let headers = with_cookie(&sessions.create("cust_1", 0).await.unwrap());
        assert!(sessions.from_headers(&headers).await.unwrap().is_none());
    }
}
