//! The HTTP side of the flow's requests, as data: which call a request makes, and which
//! answer its reply becomes. The shell only moves bytes.

use super::api::{
    parse, Customer, HandoffCreated, HandoffStatus, IdentityVerification, ListResponse,
    PersonaSession, SessionInfo,
};
use super::flow::{Answer, HandoffCode, HttpError, Request, RequestKind};
use super::json::ToJson;
use super::time::parse_rfc3339;

/// GET or POST.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// A read.
    Get,
    /// A write (sent with the CSRF token).
    Post,
}

impl Method {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// One call to the backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpCall {
    /// Which request of the flow (its answer is reported as that).
    pub kind: RequestKind,
    /// GET or POST.
    pub method: Method,
    /// Path and query, after the API base.
    pub path: String,
    /// A JSON body, for POSTs.
    pub body: Option<String>,
}

/// Percent-encodes a path segment or query value (everything but unreserved characters).
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

/// The call a request makes.
pub fn call_for(request: &Request) -> HttpCall {
    let (kind, method, path, body) = match request {
        Request::FetchSession => (
            RequestKind::Session,
            Method::Get,
            "/session".to_owned(),
            None,
        ),
        Request::KeepAlive => (
            RequestKind::KeepAlive,
            Method::Get,
            "/session".to_owned(),
            None,
        ),
        Request::FetchCustomer { customer_guid } => (
            RequestKind::Customer,
            Method::Get,
            format!("/api/customers/{}", encode(customer_guid)),
            None,
        ),
        Request::ListVerifications { customer_guid } => (
            RequestKind::ListVerifications,
            Method::Get,
            format!(
                "/api/identity_verifications?customer_guid={}&page=0&per_page=10",
                encode(customer_guid)
            ),
            None,
        ),
        Request::CreateVerification(post) => (
            RequestKind::CreateVerification,
            Method::Post,
            "/api/identity_verifications".to_owned(),
            Some(post.to_json()),
        ),
        Request::FetchVerification { guid } => (
            RequestKind::Verification,
            Method::Get,
            format!("/api/identity_verifications/{}", encode(guid)),
            None,
        ),
        Request::RequestSessionToken(post) => (
            RequestKind::PersonaSession,
            Method::Post,
            "/api/persona_sessions".to_owned(),
            Some(post.to_json()),
        ),
        Request::MintHandoff => (
            RequestKind::Handoff,
            Method::Post,
            "/handoff".to_owned(),
            Some("{}".to_owned()),
        ),
        Request::FetchHandoffStatus => (
            RequestKind::HandoffStatus,
            Method::Get,
            "/handoff/status".to_owned(),
            None,
        ),
        Request::RevokeHandoff => (
            RequestKind::HandoffRevoke,
            Method::Post,
            "/handoff/revoke".to_owned(),
            Some("{}".to_owned()),
        ),
        Request::CancelHandoff => (
            RequestKind::HandoffCancel,
            Method::Post,
            "/handoff/cancel".to_owned(),
            Some("{}".to_owned()),
        ),
    };
    HttpCall {
        kind,
        method,
        path,
        body,
    }
}

/// The answer a successful reply becomes; an unreadable one is [`HttpError::Malformed`].
pub fn read(kind: RequestKind, body: &str) -> Result<Answer, HttpError> {
    let malformed = |_| HttpError::Malformed;
    Ok(match kind {
        RequestKind::Session | RequestKind::KeepAlive => {
            let info = parse::<SessionInfo>(body).map_err(malformed)?;
            Answer::SessionLoaded {
                customer_guid: info.customer_guid,
                server_ms: info.server_time.as_deref().and_then(parse_rfc3339),
                idle_ms: info
                    .idle_secs
                    .and_then(|secs| crate::core::time::Millis::try_from(secs).ok())
                    .map(|secs| secs.saturating_mul(1000)),
            }
        }
        RequestKind::Customer => {
            Answer::CustomerLoaded(parse::<Customer>(body).map_err(malformed)?)
        }
        RequestKind::ListVerifications => Answer::VerificationsListed(
            parse::<ListResponse<IdentityVerification>>(body)
                .map_err(malformed)?
                .objects,
        ),
        RequestKind::CreateVerification => {
            Answer::VerificationCreated(parse(body).map_err(malformed)?)
        }
        RequestKind::Verification => Answer::VerificationPolled(parse(body).map_err(malformed)?),
        RequestKind::PersonaSession => {
            Answer::SessionTokenReceived(parse::<PersonaSession>(body).map_err(malformed)?)
        }
        RequestKind::Handoff | RequestKind::HandoffRevoke => {
            let created: HandoffCreated = parse(body).map_err(malformed)?;
            Answer::HandoffMinted {
                path: created.path,
                expires_ms: created.expires_at.as_deref().and_then(parse_rfc3339),
                confirm: created.confirm,
            }
        }
        RequestKind::HandoffStatus => {
            let status: HandoffStatus = parse(body).map_err(malformed)?;
            Answer::HandoffStatus {
                code: HandoffCode::parse(&status.code),
                verification: status.verification,
                phone: status.phone,
            }
        }
        RequestKind::HandoffCancel => Answer::HandoffCancelled,
    })
}

/// Turns a failed or successful exchange into the flow's answer.
pub fn answer(kind: RequestKind, result: Result<String, HttpError>) -> Answer {
    match result.and_then(|body| read(kind, &body)) {
        Ok(answer) => answer,
        Err(error) => Answer::Failed(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::api::PostIdentityVerification;

    #[test]
    fn encodes_path_segments() {
        assert_eq!(encode("abc-123_x.y~z"), "abc-123_x.y~z");
        assert_eq!(encode("a/b?c=d&e f"), "a%2Fb%3Fc%3Dd%26e%20f");
        assert_eq!(encode("é"), "%C3%A9");
    }

    #[test]
    fn effects_map_to_calls() {
        let call = call_for(&Request::FetchVerification {
            guid: "iv 1".into(),
        });
        assert_eq!(call.path, "/api/identity_verifications/iv%201");
        assert_eq!(
            (call.kind, call.method, call.body),
            (RequestKind::Verification, Method::Get, None)
        );
        let call = call_for(&Request::CreateVerification(
            PostIdentityVerification::kyc_id_and_selfie("c1"),
        ));
        assert_eq!(call.method, Method::Post);
        assert_eq!(
            call.body.as_deref(),
            Some(r#"{"type":"kyc","method":"id_and_selfie","customer_guid":"c1"}"#)
        );
        let call = call_for(&Request::ListVerifications {
            customer_guid: "c1".into(),
        });
        assert_eq!(
            call.path,
            "/api/identity_verifications?customer_guid=c1&page=0&per_page=10"
        );
        assert_eq!(call_for(&Request::MintHandoff).body.as_deref(), Some("{}"));
    }

    #[test]
    fn replies_become_answers_and_garbage_becomes_malformed() {
        let session = read(
            RequestKind::Session,
            r#"{"customer_guid":"c1","csrf_token":"x"}"#,
        )
        .unwrap();
        assert_eq!(
            session,
            Answer::SessionLoaded {
                customer_guid: "c1".into(),
                server_ms: None,
                idle_ms: None,
            }
        );
        let timed = read(
            RequestKind::Session,
            r#"{"customer_guid":"c1","csrf_token":"x","server_time":"2026-11-23T10:00:00Z","idle_secs":900}"#,
        )
        .unwrap();
        assert_eq!(
            timed,
            Answer::SessionLoaded {
                customer_guid: "c1".into(),
                server_ms: Some(1_795_428_000_000),
                idle_ms: Some(900_000),
            }
        );
        // "Stay here" reads the same answer.
        let renewed = read(
            RequestKind::KeepAlive,
            r#"{"customer_guid":"c1","csrf_token":"x"}"#,
        );
        assert_eq!(renewed, Ok(session));
        let list = read(
            RequestKind::ListVerifications,
            r#"{"objects":[{"guid":"iv","state":"waiting"}]}"#,
        )
        .unwrap();
        assert!(matches!(list, Answer::VerificationsListed(v) if v.len() == 1));
        let status = read(
            RequestKind::HandoffStatus,
            r#"{"code":"used","verification":null}"#,
        )
        .unwrap();
        assert_eq!(
            status,
            Answer::HandoffStatus {
                code: HandoffCode::Used,
                verification: None,
                phone: None
            }
        );
        for kind in [
            RequestKind::Customer,
            RequestKind::Verification,
            RequestKind::PersonaSession,
        ] {
            assert_eq!(read(kind, "{\"guid\": \"iv_"), Err(HttpError::Malformed));
        }
        assert_eq!(
            answer(RequestKind::Customer, Err(HttpError::Network)),
            Answer::Failed(HttpError::Network)
        );
    }
}
