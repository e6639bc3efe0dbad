//! A request id per request: a trusted proxy's sane `X-Request-Id`, else a new one; returned
//! in the response's `X-Request-Id` and carried by every log line of the request (its span).

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::client_addr::{ClientAddr, PeerTrusted};

/// The header a request id travels in.
pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest request id taken from a proxy.
const MAX_LEN: usize = 128;

/// The request's id, in its extensions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestId(pub String);

/// Whether a forwarded id can be logged and echoed as it is: short, and only characters that
/// cannot break a log line or a header (`A-Z a-z 0-9 - _ . : /`).
pub fn is_sane(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'/'))
}

/// A new id: 16 random bytes in hex.
fn generate() -> String {
    crate::secret::hex_id()
}

/// Layer: gives the request its id and a `request` span that carries it (and the client's
/// address) to every log line written while the request is handled. Runs inside
/// [`crate::client_addr::resolve_client_addr`].
pub async fn assign_request_id(mut request: Request, next: Next) -> Response {
    let trusted = request
        .extensions()
        .get::<PeerTrusted>()
        .is_some_and(|t| t.0);
    let forwarded = request
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|id| trusted && is_sane(id))
        .map(str::to_owned);
    let id = forwarded.unwrap_or_else(generate);
    let client = request
        .extensions()
        .get::<ClientAddr>()
        .map(|c| c.0.to_string())
        .unwrap_or_default();
    request.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id, client = %client);
    let mut response = next.run(request).instrument(span).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(X_REQUEST_ID.clone(), value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_ids_are_taken() {
        assert!(is_sane("abc-123_DEF.4:5/6"));
        assert!(is_sane(&"a".repeat(128)));
        for bad in ["", "a b", "a\"b", "x\ny", "é", &"a".repeat(129)] {
            assert!(!is_sane(bad), "{bad:?}");
        }
        let id = generate();
        assert_eq!(id.len(), 32);
        assert!(is_sane(&id));
    }
}
