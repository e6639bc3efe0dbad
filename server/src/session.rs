//! Customer sessions: an opaque id in an HttpOnly cookie, a CSRF token for POSTs, a bounded
//! lifetime. Nothing about the customer is in the cookie.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{header, HeaderMap, HeaderValue};
use kyc_onboarding::core::time::Millis;

use crate::backend::ApiError;
use crate::secret;

/// The cookie's name.
pub const COOKIE: &str = "kyc_session";
/// The header that carries the CSRF token on POSTs.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// One customer's session.
#[derive(Clone, Debug)]
pub struct Session {
    pub customer_guid: String,
    pub csrf_token: String,
    expires: Instant,
    /// Wall-clock expiry, for the front end.
    pub expires_ms: Millis,
}

/// Every live session, by id.
pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
    ttl: Duration,
    secure: bool,
}

impl Sessions {
    /// Sessions that last `ttl`; `secure` adds the `Secure` cookie flag.
    pub fn new(ttl: Duration, secure: bool) -> Sessions {
        Sessions {
            map: Mutex::new(HashMap::new()),
            ttl,
            secure,
        }
    }

    /// Whether cookies get the `Secure` flag (served over https).
    pub fn secure(&self) -> bool {
        self.secure
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a session for a customer; returns the `Set-Cookie` value.
    pub fn create(&self, customer_guid: &str, now_ms: Millis) -> HeaderValue {
        self.start(customer_guid, now_ms, self.ttl)
    }

    /// Starts a session for a customer that ends at `ends_ms` at the latest (the session it
    /// was handed over from); returns the `Set-Cookie` value.
    pub fn create_until(
        &self,
        customer_guid: &str,
        now_ms: Millis,
        ends_ms: Millis,
    ) -> HeaderValue {
        let left = Duration::from_millis(u64::try_from(ends_ms - now_ms).unwrap_or(0));
        self.start(customer_guid, now_ms, left.min(self.ttl))
    }

    fn start(&self, customer_guid: &str, now_ms: Millis, ttl: Duration) -> HeaderValue {
        let id = secret::token("s");
        let now = Instant::now();
        let session = Session {
            customer_guid: customer_guid.to_owned(),
            csrf_token: secret::token("csrf"),
            expires: now + ttl,
            expires_ms: now_ms + ttl.as_millis() as Millis,
        };
        let mut map = self.map();
        map.retain(|_, s| s.expires > now);
        map.insert(id.clone(), session);
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            ttl.as_secs()
        ))
        .expect("cookie is plain ASCII")
    }

    /// The live session named by the request's cookie.
    pub fn from_headers(&self, headers: &HeaderMap) -> Option<Session> {
        let id = cookie_value(headers, COOKIE)?;
        let mut map = self.map();
        match map.get(id) {
            Some(s) if s.expires > Instant::now() => Some(s.clone()),
            Some(_) => {
                map.remove(id);
                None
            }
            None => None,
        }
    }

    /// The session, or 401.
    pub fn require(&self, headers: &HeaderMap) -> Result<Session, ApiError> {
        self.from_headers(headers)
            .ok_or_else(ApiError::unauthenticated)
    }

    /// The session of a state-changing request: 401 without one, 403 without its CSRF token.
    pub fn require_with_csrf(&self, headers: &HeaderMap) -> Result<Session, ApiError> {
        let session = self.require(headers)?;
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

    #[test]
    fn cookie_is_http_only_lax_and_bounded() {
        let sessions = Sessions::new(Duration::from_secs(600), true);
        let cookie = sessions.create("cust_1", 0);
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
        let plain = Sessions::new(Duration::from_secs(600), false).create("c", 0);
        assert!(!plain.to_str().unwrap().contains("Secure"));
    }

    #[test]
    fn a_handed_over_session_ends_with_the_one_it_came_from() {
        let sessions = Sessions::new(Duration::from_secs(600), false);
        let cookie = sessions.create_until("c", 1_000, 1_000 + 120_000);
        assert!(
            cookie.to_str().unwrap().contains("Max-Age=120;")
                || cookie.to_str().unwrap().ends_with("Max-Age=120")
        );
        let session = sessions.from_headers(&with_cookie(&cookie)).unwrap();
        assert_eq!(session.expires_ms, 121_000);
        let capped = sessions.create_until("c", 0, 3_600_000);
        assert!(
            capped.to_str().unwrap().contains("Max-Age=600"),
            "never longer than its own"
        );
        let over = sessions.create_until("c", 5_000, 4_000);
        assert!(
            sessions.from_headers(&with_cookie(&over)).is_none(),
            "one handed over from an ended session is over already"
        );
    }

    #[test]
    fn finds_the_session_and_checks_csrf() {
        let sessions = Sessions::new(Duration::from_secs(600), false);
        let headers = with_cookie(&sessions.create("cust_1", 0));
        let session = sessions.require(&headers).unwrap();
        assert_eq!(session.customer_guid, "cust_1");
        assert_eq!(
            sessions.require_with_csrf(&headers).unwrap_err().status,
            403
        );
        let mut with_csrf = headers.clone();
        with_csrf.insert(
            CSRF_HEADER,
            HeaderValue::from_str(&session.csrf_token).unwrap(),
        );
        assert!(sessions.require_with_csrf(&with_csrf).is_ok());
        with_csrf.insert(CSRF_HEADER, HeaderValue::from_static("csrf_wrong"));
        assert_eq!(
            sessions.require_with_csrf(&with_csrf).unwrap_err().status,
            403
        );
        assert_eq!(sessions.require(&HeaderMap::new()).unwrap_err().status, 401);
    }

    #[test]
    fn expired_sessions_are_gone() {
        let sessions = Sessions::new(Duration::from_millis(0), false);
        let headers = with_cookie(&sessions.create("cust_1", 0));
        assert!(sessions.from_headers(&headers).is_none());
    }
}
