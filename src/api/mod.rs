//! HTTP to the backend: Cybrid-compatible paths under a configurable base. Answers are read
//! with the core's tolerant parsers; every failure becomes the core's [`HttpError`].

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestCredentials, RequestInit, Response};

use crate::core::api::{parse, ErrorResponse};
use crate::core::flow::HttpError;
use crate::core::http::HttpCall;

/// How long a request may take, body included, before it counts as timed out.
pub const TIMEOUT_MS: u32 = 20_000;

/// The API base from `<meta name="kyc-api-base" content="...">`, or the page's own origin.
pub fn base() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=kyc-api-base]").ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .map(|b| b.trim_end_matches('/').to_owned())
        .unwrap_or_default()
}

/// Performs one call and returns the body of a successful answer. Failures are the
/// core's [`HttpError`]: no answer, a timeout, or an error status with its code.
pub async fn exchange(base: &str, call: &HttpCall, csrf: &str) -> Result<String, HttpError> {
    exchange_within(base, call, csrf, TIMEOUT_MS).await
}

/// [`exchange`] with its own time limit in milliseconds, for the whole answer.
pub async fn exchange_within(
    base: &str,
    call: &HttpCall,
    csrf: &str,
    limit_ms: u32,
) -> Result<String, HttpError> {
    let url = format!("{base}{}", call.path);
    let csrf = call.body.as_ref().map(|_| csrf);
    fetch(
        call.method.as_str(),
        &url,
        call.body.as_deref(),
        csrf,
        limit_ms,
    )
    .await
}

/// A static file of the app (a language catalog), as text.
pub async fn fetch_text(url: &str) -> Result<String, HttpError> {
    fetch("GET", url, None, None, TIMEOUT_MS).await
}

async fn fetch(
    method: &str,
    url: &str,
    body: Option<&str>,
    csrf: Option<&str>,
    limit_ms: u32,
) -> Result<String, HttpError> {
    let window = web_sys::window().ok_or(HttpError::Network)?;
    let headers = Headers::new().map_err(|_| HttpError::Network)?;
    let _ = headers.set("accept", "application/json");
    if let Some(csrf) = csrf {
        let _ = headers.set("content-type", "application/json");
        let _ = headers.set("x-csrf-token", csrf);
    }
    let init = RequestInit::new();
    init.set_method(method);
    init.set_headers(&headers);
    init.set_credentials(RequestCredentials::SameOrigin);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    let controller = AbortController::new().ok();
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
    }
    // Abort after the timeout; the closure is freed once it has run or the request ended.
    let abort = controller.as_ref().map(|c| {
        let c = c.clone();
        wasm_bindgen::closure::Closure::once(move || c.abort())
    });
    let timer = abort.as_ref().and_then(|a| {
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                a.as_ref().unchecked_ref::<Function>(),
                i32::try_from(limit_ms).unwrap_or(i32::MAX),
            )
            .ok()
    });
    let result = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await;
    // Asked when a step fails: the timeout may strike while the body is still coming.
    let aborted = || controller.as_ref().is_some_and(|c| c.signal().aborted());
    let outcome = match result {
        Ok(value) => read(value.unchecked_into::<Response>(), aborted).await,
        Err(_) if aborted() => Err(HttpError::Timeout),
        Err(_) => Err(HttpError::Network),
    };
    if let Some(timer) = timer {
        window.clear_timeout_with_handle(timer);
    }
    drop(abort);
    outcome
}

async fn read(response: Response, aborted: impl Fn() -> bool) -> Result<String, HttpError> {
    let status = response.status();
    let retry_after_ms = response
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .map(|secs| secs.saturating_mul(1000));
    let text = match response.text() {
        Ok(promise) => match JsFuture::from(promise).await {
            Ok(text) => text.as_string().unwrap_or_default(),
            Err(_) if aborted() => return Err(HttpError::Timeout),
            Err(_) => return Err(HttpError::Network),
        },
        Err(_) => return Err(HttpError::Network),
    };
    if (200..300).contains(&status) {
        return Ok(text);
    }
    let message_code = parse::<ErrorResponse>(&text)
        .ok()
        .and_then(|e| e.message_code);
    Err(HttpError::Status {
        status,
        retry_after_ms,
        message_code,
    })
}

/// Calls `object.method(args...)` when it exists; `None` when the browser lacks it.
pub(crate) fn call_method(object: &JsValue, method: &str, args: &[JsValue]) -> Option<JsValue> {
    let f = Reflect::get(object, &JsValue::from_str(method))
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let array = js_sys::Array::new();
    for a in args {
        array.push(a);
    }
    f.apply(object, &array).ok()
}

/// Awaits a promise returned by [`call_method`], if it is one.
pub(crate) async fn await_value(value: Option<JsValue>) -> Option<JsValue> {
    let promise = value?.dyn_into::<Promise>().ok()?;
    JsFuture::from(promise).await.ok()
}
