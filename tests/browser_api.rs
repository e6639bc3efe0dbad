//! The HTTP layer in a real browser, against a scripted `window.fetch`: each way a request can
//! fail becomes the right `HttpError`, including a time limit that strikes while the body is
//! still arriving (reported as a timeout, which the flow backs off from differently than from a
//! lost connection).
#![cfg(target_arch = "wasm32")]

use kyc_onboarding::api::exchange_within;
use kyc_onboarding::core::flow::{HttpError, RequestKind};
use kyc_onboarding::core::http::{HttpCall, Method};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Replaces `fetch` for paths under `/scripted/`; every other path goes to the real one.
/// Like the real `fetch`, each scripted answer rejects (or errors its body) on abort.
fn script_fetch() {
    js_sys::eval(
        r#"
        if (!window.__scripted) {
          window.__scripted = true;
          const real = window.fetch.bind(window);
          window.__sent = [];
          window.fetch = (url, init) => {
            const path = new URL(url, location.href).pathname;
            if (!path.startsWith('/scripted/')) return real(url, init);
            const signal = init && init.signal;
            const aborted = () => new DOMException('aborted', 'AbortError');
            const onAbort = (f) => signal && signal.addEventListener('abort', () => f(aborted()));
            switch (path) {
              case '/scripted/no-answer':
                return new Promise((_, reject) => onAbort(reject));
              case '/scripted/stalled-body': {
                // Headers and the start of the body arrive; the rest never does.
                const body = new ReadableStream({
                  start(c) {
                    c.enqueue(new TextEncoder().encode('{"guid":'));
                    onAbort((e) => c.error(e));
                  },
                });
                return Promise.resolve(new Response(body, { status: 200 }));
              }
              case '/scripted/offline':
                return Promise.reject(new TypeError('Failed to fetch'));
              case '/scripted/busy':
                return Promise.resolve(new Response(
                  '{"status":429,"error_message":"Too many requests","message_code":"rate_limited"}',
                  { status: 429, headers: { 'retry-after': '7' } }));
              case '/scripted/ok':
                window.__sent.push((init.body || '') + ' ' + (init.headers.get('x-csrf-token') || '-'));
                return Promise.resolve(new Response('{"guid":"x"}', { status: 200 }));
            }
            return Promise.resolve(new Response('', { status: 404 }));
          };
        }
        "#,
    )
    .unwrap();
}

fn get(path: &str) -> HttpCall {
    HttpCall {
        kind: RequestKind::Session,
        method: Method::Get,
        path: format!("/scripted/{path}"),
        body: None,
    }
}

#[wasm_bindgen_test]
async fn no_answer_in_time_is_a_timeout() {
    script_fetch();
    let result = exchange_within("", &get("no-answer"), "", 200).await;
    assert_eq!(result, Err(HttpError::Timeout));
}

#[wasm_bindgen_test]
async fn a_body_stalled_past_the_limit_is_a_timeout_not_a_lost_connection() {
    script_fetch();
    let result = exchange_within("", &get("stalled-body"), "", 200).await;
    assert_eq!(result, Err(HttpError::Timeout));
}

#[wasm_bindgen_test]
async fn a_failed_fetch_is_a_network_error() {
    script_fetch();
    let result = exchange_within("", &get("offline"), "", 5_000).await;
    assert_eq!(result, Err(HttpError::Network));
}

#[wasm_bindgen_test]
async fn an_error_status_keeps_its_retry_after_and_code() {
    script_fetch();
    let result = exchange_within("", &get("busy"), "", 5_000).await;
    assert_eq!(
        result,
        Err(HttpError::Status {
            status: 429,
            retry_after_ms: Some(7_000),
            message_code: Some("rate_limited".to_owned()),
        })
    );
}

#[wasm_bindgen_test]
async fn a_success_returns_the_body_and_posts_carry_theirs_with_the_csrf_token() {
    script_fetch();
    let call = HttpCall {
        kind: RequestKind::CreateVerification,
        method: Method::Post,
        path: "/scripted/ok".to_owned(),
        body: Some(r#"{"type":"kyc"}"#.to_owned()),
    };
    let result = exchange_within("", &call, "csrf", 5_000).await;
    assert_eq!(result.as_deref(), Ok(r#"{"guid":"x"}"#));
    let sent = js_sys::eval("window.__sent.pop()").unwrap();
    assert_eq!(sent.as_string().as_deref(), Some(r#"{"type":"kyc"} csrf"#));
}
