//! Security headers on every response.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The headers added to every response, computed once at start-up.
#[derive(Debug)]
pub struct SecurityHeaders {
    csp: HeaderValue,
}

impl SecurityHeaders {
    /// A strict policy for the built `index.html`: only our own scripts, plus the exact
    /// inline loader trunk writes into the page, allowed by its hash.
    pub fn for_index(index_html: &str) -> SecurityHeaders {
        let hashes: String = inline_scripts(index_html)
            .map(|script| format!(" 'sha256-{}'", sha256_base64(script)))
            .collect();
        let csp = format!(
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
             style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
             manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        );
        SecurityHeaders {
            csp: HeaderValue::from_str(&csp).expect("the policy is plain ASCII"),
        }
    }

    /// The Content-Security-Policy value.
    pub fn csp(&self) -> &HeaderValue {
        &self.csp
    }
}

/// The contents of every `<script>` element without a `src` attribute.
pub fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    let mut rest = html;
    std::iter::from_fn(move || loop {
        let start = rest.find("<script")?;
        let open_end = start + rest[start..].find('>')?;
        let attrs = &rest[start + "<script".len()..open_end];
        let body_start = open_end + 1;
        let body_end = body_start + rest[body_start..].find("</script>")?;
        let body = &rest[body_start..body_end];
        rest = &rest[body_end + "</script>".len()..];
        if !attrs.contains("src=") && !body.trim().is_empty() {
            return Some(body);
        }
    })
}

fn sha256_base64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

/// Middleware: adds the security headers to every response.
pub async fn apply(
    State(policy): State<Arc<SecurityHeaders>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, policy.csp.clone());
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_inline_scripts() {
        let html = r#"<head><script src="/a.js"></script><script type="module">import init from '/x.js';
await init();</script></head><body><script>  </script></body>"#;
        let found: Vec<&str> = inline_scripts(html).collect();
        assert_eq!(found, ["import init from '/x.js';\nawait init();"]);
    }

    #[test]
    fn policy_carries_the_hash_of_each_inline_script() {
        let policy = SecurityHeaders::for_index("<script>alert(1)</script>");
        let csp = policy.csp().to_str().unwrap();
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert!(
            csp.contains("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"),
            "{csp}"
        );
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"));
        assert!(!csp.contains("unsafe-inline"));
    }
}
