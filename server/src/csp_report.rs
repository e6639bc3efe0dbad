//! `POST /csp-report`: where browsers report Content-Security-Policy violations, in either
//! format (`application/csp-report` from `report-uri`, `application/reports+json` from the
//! Reporting API's `report-to`). Bodies are capped (see the route), reports are rate-limited
//! per client address, counted in `kyc_csp_violations_total{directive}` and logged with the
//! effective directive and the blocked resource's origin only: never a full address or
//! query, which may carry a customer's data or a one-time code.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::client_addr::ClientAddr;
use crate::state::AppState;

/// The largest report body read (a browser's report is well under 2 KB).
pub const MAX_BODY: usize = 8 * 1024;
/// Report bodies taken per client address per minute; more are answered 429.
pub const PER_MINUTE: u32 = 20;
/// Reports read from one `reports+json` body.
const REPORTS_PER_BODY: usize = 10;
/// The directives counted by name; any other counts as `other` (no new series per value).
const DIRECTIVES: &[&str] = &[
    "default-src",
    "script-src",
    "script-src-elem",
    "script-src-attr",
    "style-src",
    "style-src-elem",
    "style-src-attr",
    "img-src",
    "font-src",
    "connect-src",
    "frame-src",
    "child-src",
    "worker-src",
    "manifest-src",
    "media-src",
    "object-src",
    "base-uri",
    "form-action",
    "frame-ancestors",
    "require-trusted-types-for",
    "trusted-types",
];
/// What a blocked "URI" may be besides an address.
const KEYWORDS: &[&str] = &[
    "inline",
    "eval",
    "wasm-eval",
    "self",
    "data",
    "blob",
    "trusted-types-policy",
    "trusted-types-sink",
];

/// Report bodies taken per client address in the current minute.
#[derive(Default)]
pub struct ReportLimiter {
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl ReportLimiter {
    /// Whether `client` may send one more report now.
    fn allow(&self, client: IpAddr) -> bool {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if seen.len() > 10_000 {
            seen.retain(|_, (since, _)| now.duration_since(*since) < Duration::from_secs(60));
        }
        let (since, count) = seen.entry(client).or_insert((now, 0));
        if now.duration_since(*since) >= Duration::from_secs(60) {
            *since = now;
            *count = 0;
        }
        *count += 1;
        *count <= PER_MINUTE
    }
}

/// One violation, as logged and counted.
#[derive(Debug, PartialEq, Eq)]
pub struct Violation {
    pub directive: &'static str,
    /// The blocked resource's origin, a keyword (`inline`, `eval`...) or `other`.
    pub blocked: String,
}

/// `POST /csp-report`.
pub async fn report(
    State(state): State<Arc<AppState>>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if kind != "application/csp-report" && kind != "application/reports+json" {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    }
    if !state.csp_reports.allow(client) {
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    }
    let Ok(json) = serde_json::from_slice::<Value>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    for violation in violations(&json) {
        crate::metrics::csp_violation(violation.directive);
        tracing::warn!(
            directive = violation.directive,
            blocked = %violation.blocked,
            "content security policy violation reported"
        );
    }
    StatusCode::NO_CONTENT.into_response()
}

/// The violations in a report body of either format.
pub fn violations(json: &Value) -> Vec<Violation> {
    let one = |directive: Option<&Value>, blocked: Option<&Value>| Violation {
        directive: directive_of(directive.and_then(Value::as_str).unwrap_or_default()),
        blocked: blocked_origin(blocked.and_then(Value::as_str).unwrap_or_default()),
    };
    match json {
        // `report-uri`: `{"csp-report": {"effective-directive": ..., "blocked-uri": ...}}`.
        Value::Object(map) => map
            .get("csp-report")
            .map(|r| {
                let directive = r
                    .get("effective-directive")
                    .or_else(|| r.get("violated-directive"));
                vec![one(directive, r.get("blocked-uri"))]
            })
            .unwrap_or_default(),
        // `report-to`: `[{"type": "csp-violation", "body": {"effectiveDirective": ...}}]`.
        Value::Array(reports) => reports
            .iter()
            .filter(|r| r.get("type").and_then(Value::as_str) == Some("csp-violation"))
            .take(REPORTS_PER_BODY)
            .filter_map(|r| r.get("body"))
            .map(|b| one(b.get("effectiveDirective"), b.get("blockedURL")))
            .collect(),
        _ => Vec::new(),
    }
}

/// The directive's name if it is one of ours (the first word: `violated-directive` may
/// carry the sources too), else `other`.
fn directive_of(text: &str) -> &'static str {
    let name = text
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    DIRECTIVES
        .iter()
        .find(|d| **d == name)
        .copied()
        .unwrap_or("other")
}

/// The origin of a blocked address, or the keyword a browser puts instead; nothing more.
fn blocked_origin(text: &str) -> String {
    if let Some(origin) = crate::origin::origin_of(text) {
        return origin;
    }
    let word = text.split(':').next().unwrap_or_default();
    match KEYWORDS.iter().find(|k| k.eq_ignore_ascii_case(word)) {
        Some(keyword) => (*keyword).to_owned(),
        None => "other".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_the_directive_and_the_blocked_origin_are_kept() {
        let legacy = json!({"csp-report": {
            "document-uri": "https://kyc.example/handoff/SECRETCODE?x=1",
            "violated-directive": "script-src 'self'",
            "effective-directive": "script-src-elem",
            "blocked-uri": "https://evil.example/steal.js?session=s_abc",
        }});
        assert_eq!(
            violations(&legacy),
            [Violation {
                directive: "script-src-elem",
                blocked: "https://evil.example".into()
            }]
        );
        let modern = json!([
            {"type": "csp-violation", "body": {"effectiveDirective": "img-src",
             "blockedURL": "data:image/png;base64,AAAA"}},
            {"type": "deprecation", "body": {}},
            {"type": "csp-violation", "body": {"effectiveDirective": "made-up-directive",
             "blockedURL": "inline"}},
        ]);
        assert_eq!(
            violations(&modern),
            [
                Violation {
                    directive: "img-src",
                    blocked: "data".into()
                },
                Violation {
                    directive: "other",
                    blocked: "inline".into()
                }
            ]
        );
        assert_eq!(blocked_origin("javascript:alert(document.cookie)"), "other");
        assert_eq!(blocked_origin("/relative/path?code=1"), "other");
    }

    #[test]
    fn each_address_gets_its_share_per_minute() {
        let limiter = ReportLimiter::default();
        let a: IpAddr = "203.0.113.7".parse().unwrap();
        let b: IpAddr = "203.0.113.8".parse().unwrap();
        for _ in 0..PER_MINUTE {
            assert!(limiter.allow(a));
        }
        assert!(!limiter.allow(a));
        assert!(limiter.allow(b), "another address is not held up");
    }
}
