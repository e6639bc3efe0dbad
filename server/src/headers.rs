//! Security headers on every response: the Content-Security-Policy (reporting to
//! `/csp-report`, see [`crate::csp_report`]), `Strict-Transport-Security` when the public
//! origin is https, and the rest.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The inline style the Persona SDK puts on its overlay before showing it
/// (`setAttribute("style", "display: none")`): allowed by hash, nothing else inline.
const PERSONA_OVERLAY_STYLE: &str = "display: none";

/// What the policy must allow besides our own origin.
#[derive(Clone, Debug, Default)]
pub struct PolicyInput {
    /// Origins Persona's iframe may come from (`https://*.withpersona.com`, or the sandbox
    /// widget's `http://localhost:PORT`).
    pub persona_frames: Vec<String>,
    /// The origin of the Persona SDK script when it is not served by us (a CDN).
    pub sdk_origin: Option<String>,
    /// Who may frame the app; empty means nobody.
    pub frame_ancestors: Vec<String>,
    /// Where the integrator's logo comes from, when not from this origin.
    pub image_origins: Vec<String>,
    /// A host page on another origin hears the app's events (`KYC_HOST_ORIGIN`), possibly
    /// through `window.opener` when it opened the app in a new window: the app must then
    /// keep its opener.
    pub host_opener: bool,
    /// The public origin is https: browsers are told to use nothing else
    /// (`Strict-Transport-Security`).
    pub https: bool,
}

/// The report group the policy's `report-to` names in `Reporting-Endpoints`.
pub const REPORT_GROUP: &str = "csp";
/// Where browsers send the policy's violation reports.
pub const REPORT_PATH: &str = "/csp-report";

/// The headers added to every response, computed once at start-up.
#[derive(Debug)]
pub struct SecurityHeaders {
    csp: HeaderValue,
    permissions: HeaderValue,
    opener: HeaderValue,
    /// `Strict-Transport-Security`, over https only.
    hsts: Option<HeaderValue>,
}

impl SecurityHeaders {
    /// A strict policy for the built `index.html`: only our own scripts and styles, plus the
    /// exact inline loader and stylesheet the build writes into the page, each allowed by its
    /// hash. No `unsafe-inline`.
    pub fn new(index_html: &str, input: &PolicyInput) -> SecurityHeaders {
        let hashes = |tag| -> String {
            inline_blocks(index_html, tag)
                .map(|block| format!(" 'sha256-{}'", sha256_base64(block)))
                .collect()
        };
        let (script_hashes, style_hashes) = (hashes("script"), hashes("style"));
        let sdk = input
            .sdk_origin
            .as_deref()
            .map(|o| format!(" {o}"))
            .unwrap_or_default();
        let frames = if input.persona_frames.is_empty() {
            "'none'".to_owned()
        } else {
            input.persona_frames.join(" ")
        };
        let ancestors = if input.frame_ancestors.is_empty() {
            "'none'".to_owned()
        } else {
            input.frame_ancestors.join(" ")
        };
        let csp = format!(
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'{script_hashes}{sdk}; \
             style-src 'self'{style_hashes}; style-src-attr 'unsafe-hashes' 'sha256-{overlay}'; \
             img-src 'self' data:{images}; font-src 'self'; connect-src 'self'; \
             frame-src {frames}; child-src {frames}; manifest-src 'self'; base-uri 'none'; \
             form-action 'self'; frame-ancestors {ancestors}; \
             report-uri {REPORT_PATH}; report-to {REPORT_GROUP}",
            overlay = sha256_base64(PERSONA_OVERLAY_STYLE),
            images = input
                .image_origins
                .iter()
                .map(|o| format!(" {o}"))
                .collect::<String>(),
        );
        let quoted: String = input
            .persona_frames
            .iter()
            .map(|o| format!(" \"{o}\""))
            .collect();
        let permissions = format!(
            "camera=(self{quoted}), microphone=(self{quoted}), geolocation=(), payment=(), usb=()"
        );
        SecurityHeaders {
            csp: HeaderValue::from_str(&csp).expect("the policy is plain ASCII"),
            permissions: HeaderValue::from_str(&permissions).expect("plain ASCII"),
            // `same-origin` cuts any cross-origin opener off (the default, safest), which
            // would also cut the host page's events when it opened the app in a window.
            opener: HeaderValue::from_static(if input.host_opener {
                "unsafe-none"
            } else {
                "same-origin"
            }),
            // A year, subdomains included: the server is never to be reached over http.
            hsts: input
                .https
                .then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains")),
        }
    }

    /// The Content-Security-Policy value.
    pub fn csp(&self) -> &HeaderValue {
        &self.csp
    }
}

/// The contents of every `<tag>` element (`script` or `style`) without a `src` attribute.
pub fn inline_blocks<'a>(html: &'a str, tag: &'a str) -> impl Iterator<Item = &'a str> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut rest = html;
    std::iter::from_fn(move || loop {
        let start = rest.find(&open)?;
        let open_end = start + rest[start..].find('>')?;
        let attrs = &rest[start + open.len()..open_end];
        let body_start = open_end + 1;
        let body_end = body_start + rest[body_start..].find(&close)?;
        let body = &rest[body_start..body_end];
        rest = &rest[body_end + close.len()..];
        if !attrs.contains("src=") && !body.trim().is_empty() {
            return Some(body);
        }
    })
}

/// Base64 of the SHA-256 of `text`, as CSP hashes want it.
pub fn sha256_base64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

/// Middleware: adds the security headers to every response. A response that set its own
/// policy (the sandbox's widget pages) keeps it.
pub async fn apply(
    State(site): State<Arc<crate::site::LiveSite>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let site = site.get();
    let policy = &site.policy;
    let h = response.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, policy.csp.clone());
    }
    // The `report-to` group of every policy, ours and the pages' own.
    h.insert(
        "reporting-endpoints",
        HeaderValue::from_static("csp=\"/csp-report\""),
    );
    if let Some(hsts) = &policy.hsts {
        h.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert("cross-origin-opener-policy", policy.opener.clone());
    if !h.contains_key("permissions-policy") {
        h.insert("permissions-policy", policy.permissions.clone());
    }
    // The built app's files and the pages say how they may be cached. Everything else is a
    // customer's own data (verifications, handoff status, errors): never kept by a browser
    // cache, a proxy or a CDN in front of this server.
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_inline_blocks() {
        let html = r#"<head><script src="/a.js"></script><script type="module">import init from '/x.js';
await init();</script><style>p{color:red}</style></head><body><script>  </script></body>"#;
        let found: Vec<&str> = inline_blocks(html, "script").collect();
        assert_eq!(found, ["import init from '/x.js';\nawait init();"]);
        let styles: Vec<&str> = inline_blocks(html, "style").collect();
        assert_eq!(styles, ["p{color:red}"]);
    }

    #[test]
    fn policy_carries_the_hash_of_each_inline_script() {
        let policy = SecurityHeaders::new("<script>alert(1)</script>", &PolicyInput::default());
        let csp = policy.csp().to_str().unwrap();
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert!(
            csp.contains("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"),
            "{csp}"
        );
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"));
        assert!(
            csp.contains("style-src 'self';"),
            "no inline style, no hash: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn policy_carries_the_hash_of_each_inline_stylesheet() {
        let policy = SecurityHeaders::new("<style>alert(1)</style>", &PolicyInput::default());
        let csp = policy.csp().to_str().unwrap();
        // The same text as the script above, so the same hash, here under style-src.
        assert!(
            csp.contains("style-src 'self' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=';"),
            "{csp}"
        );
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval';"),
            "{csp}"
        );
    }

    #[test]
    fn persona_and_ancestors_are_allowed_where_configured() {
        let policy = SecurityHeaders::new(
            "",
            &PolicyInput {
                persona_frames: vec!["https://*.withpersona.com".into()],
                sdk_origin: Some("https://cdn.withpersona.com".into()),
                frame_ancestors: vec!["https://bank.example".into()],
                image_origins: vec!["https://cdn.bank.example".into()],
                host_opener: false,
                ..PolicyInput::default()
            },
        );
        assert_eq!(policy.opener, "same-origin");
        let csp = policy.csp().to_str().unwrap();
        assert!(csp.contains("frame-src https://*.withpersona.com;"));
        assert!(csp.contains("https://cdn.withpersona.com;"));
        assert!(csp.contains("frame-ancestors https://bank.example"));
        assert!(
            csp.contains("img-src 'self' data: https://cdn.bank.example;"),
            "{csp}"
        );
        let permissions = policy.permissions.to_str().unwrap();
        assert!(permissions.contains("camera=(self \"https://*.withpersona.com\")"));
    }

    #[test]
    fn a_host_page_that_opens_the_app_keeps_its_events() {
        let input = PolicyInput {
            host_opener: true,
            ..PolicyInput::default()
        };
        assert_eq!(SecurityHeaders::new("", &input).opener, "unsafe-none");
    }

    #[test]
    fn violations_are_reported_and_https_is_pinned_only_over_https() {
        let plain = SecurityHeaders::new("", &PolicyInput::default());
        let csp = plain.csp().to_str().unwrap();
        assert!(
            csp.ends_with("; report-uri /csp-report; report-to csp"),
            "{csp}"
        );
        assert!(plain.hsts.is_none(), "never over plain http");
        let https = PolicyInput {
            https: true,
            ..PolicyInput::default()
        };
        let secure = SecurityHeaders::new("", &https);
        assert_eq!(
            secure.hsts.as_ref().unwrap(),
            "max-age=31536000; includeSubDomains"
        );
    }
}
