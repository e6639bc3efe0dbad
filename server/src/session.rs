//! Customer sessions: an opaque id in an HttpOnly cookie, a CSRF token for POSTs, a bounded
//! lifetime. Nothing about the customer is in the cookie.

use std::time::Duration;

use axum::http::{header, HeaderMap, HeaderValue};
use kyc_onboarding::core::time::Millis;

use crate::backend::ApiError;
use crate::secret;
use crate::store::{SessionRecord, Store};

/// The cookie's name.
pub const COOKIE: &str = "kyc_session";
/// The header that carries the CSRF token on POSTs.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// One customer's session.
#[derive(Clone, Debug)]
pub struct Session {
    pub customer_guid: String,
    pub csrf_token: String,
    /// Wall-clock expiry, for the front end.
    pub expires_ms: Millis,
}

/// Every live session, by id, in the state store (it forgets each at its end).
pub struct Sessions {
    store: Store,
    ttl: Duration,
    secure: bool,
}

impl Sessions {
    /// Sessions that last `ttl`, kept in `store`; `secure` adds the `Secure` cookie flag.
    pub fn new(store: Store, ttl: Duration, secure: bool) -> Sessions {
        Sessions { store, ttl, secure }
    }

    /// Whether cookies get the `Secure` flag (served over https).
    pub fn secure(&self) -> bool {
        self.secure
    }

    /// Starts a session for a customer; returns the `Set-Cookie` value.
    pub async fn create(
        &self,
        customer_guid: &str,
        now_ms: Millis,
    ) -> Result<HeaderValue, ApiError> {
        self.start(customer_guid, now_ms, self.ttl).await
    }

    /// Starts a session for a customer that ends at `ends_ms` at the latest (the session it
    /// was handed over from); returns the `Set-Cookie` value.
    pub async fn create_until(
        &self,
        customer_guid: &str,
        now_ms: Millis,
        ends_ms: Millis,
    ) -> Result<HeaderValue, ApiError> {
        let left = Duration::from_millis(u64::try_from(ends_ms - now_ms).unwrap_or(0));
        self.start(customer_guid, now_ms, left.min(self.ttl)).await
    }

    async fn start(
        &self,
        customer_guid: &str,
        now_ms: Millis,
        ttl: Duration,
    ) -> Result<HeaderValue, ApiError> {
        let id = secret::token("s");
        let session = SessionRecord {
            customer_guid: customer_guid.to_owned(),
            csrf_token: secret::token("csrf"),
            expires_ms: now_ms + ttl.as_millis() as Millis,
        };
        self.store.put_session(&id, &session, ttl).await?;
        let secure = if self.secure { "; Secure" } else { "" };
        Ok(HeaderValue::from_str(&format!(
            "{COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            ttl.as_secs()
        ))
        .expect("cookie is plain ASCII"))
    }

    /// The live session named by the request's cookie.
    pub async fn from_headers(&self, headers: &HeaderMap) -> Result<Option<Session>, ApiError> {
        let Some(id) = cookie_value(headers, COOKIE) else {
            return Ok(None);
        };
        Ok(self.store.session(id).await?.map(|s| Session {
            customer_guid: s.customer_guid,
            csrf_token: s.csrf_token,
            expires_ms: s.expires_ms,
        }))
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

/// A cookie's value from the `Cookie` headers.
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
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
    async fn cookie_is_http_only_lax_and_bounded() {
        let sessions = Sessions::new(Store::memory(), Duration::from_secs(600), true);
        let cookie = sessions.create("cust_1", 0).await.unwrap();
        let text = cookie.to_str().unwrap();
        for part in [
            "HttpOnly",
            "SameSite=Lax",
            "Max-Age=600",
            "Secure",
            "Path=/",
        ] {
            assert!(text.contains(part), "{text} lacks {part}");
        }
        assert!(
            !text.contains("cust_1"),
            "nothing about the customer in the cookie"
        );
        let plain = Sessions::new(Store::memory(), Duration::from_secs(600), false)
            .create("c", 0)
            .await
            .unwrap();
        assert!(!plain.to_str().unwrap().contains("Secure"));
    }

    #[tokio::test]
    async fn a_handed_over_session_ends_with_the_one_it_came_from() {
        let sessions = Sessions::new(Store::memory(), Duration::from_secs(600), false);
        let cookie = sessions
            .create_until("c", 1_000, 1_000 + 120_000)
            .await
            .unwrap();
        assert!(
            cookie.to_str().unwrap().contains("Max-Age=120;")
                || cookie.to_str().unwrap().ends_with("Max-Age=120")
        );
        let session = sessions
            .from_headers(&with_cookie(&cookie))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(session.expires_ms, 121_000);
        let capped = sessions.create_until("c", 0, 3_600_000).await.unwrap();
        assert!(
            capped.to_str().unwrap().contains("Max-Age=600"),
            "never longer than its own"
        );
        let over = sessions.create_until("c", 5_000, 4_000).await.unwrap();
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
