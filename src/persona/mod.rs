//! Bindings to Persona's embedded flow: the global `Persona.Client` of the npm `persona`
//! bundle (5.9.0), served from our own origin by default.
//!
//! A [`PersonaClient`] owns its JS client and every callback closure. `destroy` (or dropping
//! it) destroys the client, which removes its iframe and message listener, and frees the
//! closures: no `forget()`, no leaks.
//!
//! Strict CSP: the SDK injects two `<style>` elements, which the page's policy refuses. It
//! skips injecting a stylesheet whose id is already present, so placeholders with those ids are
//! put in place first, and `style/main.css` carries the overlay's styles instead.

use js_sys::{Array, Function, Object, Promise, Reflect};

use crate::core::api::PersonaConfig;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `Persona.Client`.
    #[wasm_bindgen(js_namespace = Persona, js_name = Client)]
    type Client;

    #[wasm_bindgen(constructor, js_namespace = Persona, js_class = "Client", catch)]
    fn new(options: &Object) -> Result<Client, JsValue>;

    #[wasm_bindgen(method, js_class = "Client", catch)]
    fn open(this: &Client) -> Result<(), JsValue>;

    #[wasm_bindgen(method, js_class = "Client", catch)]
    fn destroy(this: &Client) -> Result<(), JsValue>;

    #[wasm_bindgen(static_method_of = Client, js_namespace = Persona, js_class = "Client", catch)]
    fn preload(host: &JsValue) -> Result<Promise, JsValue>;

    /// `console.info`.
    #[wasm_bindgen(js_namespace = console, js_name = info)]
    fn console_info(line: &str);
}

/// Writes one of Persona's callbacks to the browser's console for troubleshooting, as the
/// KYC guide advises (seed 000, "Logging for troubleshooting"): its name and what it says
/// that is not personal (a status, an error code, an event's name), never the inquiry, the
/// session token or an event's metadata.
fn log_callback(callback: &str, detail: &str) {
    console_info(&format!("kyc-onboarding: Persona {callback} {detail}"));
}

/// The ids of the stylesheets the SDK would inject.
const WIDGET_STYLES: &str = "persona-widget-styles";
const GLOBAL_STYLES: &str = "persona-global-styles";

/// What the flow needs to know from Persona.
pub struct Callbacks {
    /// `onReady`: the flow can be shown.
    pub on_ready: Box<dyn Fn()>,
    /// `onComplete` (complete and fail events alike), with Persona's status.
    pub on_complete: Box<dyn Fn(String)>,
    /// `onCancel`: the customer left before the end. Its session token is not passed on.
    pub on_cancel: Box<dyn Fn()>,
    /// `onError`, with Persona's error code.
    pub on_error: Box<dyn Fn(String)>,
    /// `onEvent`, with the event's name only (metadata may hold personal data).
    pub on_event: Box<dyn Fn(String)>,
}

/// How to start the flow.
pub struct Options<'a> {
    pub inquiry_id: &'a str,
    /// Only when resuming; used once.
    pub session_token: Option<&'a str>,
    /// A Persona locale (`en-US`, `fr`, `es-MX`...).
    pub language: &'a str,
    pub iframe_title: &'a str,
    /// The session's Persona settings: environment, sandbox host, the app's framers.
    pub config: &'a PersonaConfig,
}

/// A live Persona client and the closures it calls.
pub struct PersonaClient {
    client: Client,
    _closures: Vec<Closure<dyn FnMut(JsValue)>>,
}

fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

fn field(value: &JsValue, key: &str) -> Option<String> {
    Reflect::get(value, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
}

/// Makes sure an (inert) element with `id` is in `<head>`, so the SDK does not inject an
/// inline stylesheet under that id.
fn placeholder(id: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document.get_element_by_id(id).is_some() {
        return;
    }
    if let (Ok(el), Some(head)) = (document.create_element("template"), document.head()) {
        el.set_id(id);
        let _ = head.append_child(&el);
    }
}

/// The page's own origin and its ancestors' (see [`PersonaConfig::frame_ancestors_for`]),
/// when the app itself runs in an iframe.
fn frame_ancestors(config: &PersonaConfig) -> Option<(Array, String)> {
    let window = web_sys::window()?;
    let top = window.top().ok().flatten()?;
    if top == window {
        return None;
    }
    let own = window.location().origin().ok()?;
    let listed = Reflect::get(&window.location(), &JsValue::from_str("ancestorOrigins"))
        .ok()
        .filter(|o| !o.is_undefined() && !o.is_null())
        .map(|origins| {
            let length = Reflect::get(&origins, &JsValue::from_str("length"))
                .ok()
                .and_then(|l| l.as_f64())
                .unwrap_or(0.0) as u32;
            (0..length)
                .filter_map(|i| {
                    Reflect::get(&origins, &JsValue::from(i))
                        .ok()
                        .and_then(|o| o.as_string())
                })
                .collect()
        });
    let list: Array = config
        .frame_ancestors_for(&own, listed)
        .iter()
        .map(|o| JsValue::from_str(o))
        .collect();
    Some((list, own))
}

impl PersonaClient {
    /// Constructs `Persona.Client` with our callbacks. Fails when the SDK is missing or the
    /// constructor throws (contradictory options).
    pub fn new(options: &Options<'_>, callbacks: Callbacks) -> Result<PersonaClient, JsValue> {
        placeholder(WIDGET_STYLES);
        let o = Object::new();
        set(&o, "inquiryId", &JsValue::from_str(options.inquiry_id));
        if let Some(token) = options.session_token {
            set(&o, "sessionToken", &JsValue::from_str(token));
        }
        set(&o, "language", &JsValue::from_str(options.language));
        if let Some(env) = &options.config.environment_id {
            set(&o, "environmentId", &JsValue::from_str(env));
        }
        if let Some(host) = &options.config.host {
            set(&o, "host", &JsValue::from_str(host));
        }
        set(&o, "iframeTitle", &JsValue::from_str(options.iframe_title));
        if let Some((ancestors, own)) = frame_ancestors(options.config) {
            set(&o, "frameAncestors", &ancestors);
            set(&o, "messageTargetOrigin", &JsValue::from_str(&own));
        }

        let Callbacks {
            on_ready,
            on_complete,
            on_cancel,
            on_error,
            on_event,
        } = callbacks;
        let mut closures: Vec<Closure<dyn FnMut(JsValue)>> = Vec::new();
        let mut hook = |name: &str, f: Box<dyn FnMut(JsValue)>| {
            let closure = Closure::wrap(f);
            set(&o, name, closure.as_ref().unchecked_ref::<Function>());
            closures.push(closure);
        };
        hook(
            "onReady",
            Box::new(move |_| {
                log_callback("onReady", "");
                on_ready()
            }),
        );
        hook(
            "onComplete",
            Box::new(move |value| {
                let status = field(&value, "status").unwrap_or_default();
                log_callback("onComplete", &status);
                on_complete(status)
            }),
        );
        hook(
            "onCancel",
            Box::new(move |_| {
                log_callback("onCancel", "");
                on_cancel()
            }),
        );
        hook(
            "onError",
            Box::new(move |value| {
                let code = field(&value, "code").unwrap_or_else(|| "unknown".into());
                log_callback("onError", &code);
                on_error(code)
            }),
        );
        hook(
            "onEvent",
            Box::new(move |name| {
                let name = name.as_string().unwrap_or_default();
                log_callback("onEvent", &name);
                on_event(name)
            }),
        );
        let client = Client::new(&o)?;
        Ok(PersonaClient {
            client,
            _closures: closures,
        })
    }

    /// Shows the flow (call from `onReady`).
    pub fn open(&self) {
        placeholder(GLOBAL_STYLES);
        let _ = self.client.open();
    }

    /// Destroys the client and its iframe, then frees the callbacks.
    pub fn destroy(self) {
        // Drop runs the destruction.
    }
}

impl Drop for PersonaClient {
    fn drop(&mut self) {
        let _ = self.client.destroy();
    }
}

/// Loads the SDK script once and resolves when `Persona` exists. The returned promise is
/// kept by the caller so later calls share it.
pub fn load_sdk(url: &str) -> Promise {
    let url = url.to_owned();
    Promise::new(&mut move |resolve, reject| {
        let Some(window) = web_sys::window() else {
            let _ = reject.call0(&JsValue::NULL);
            return;
        };
        if Reflect::has(&window, &JsValue::from_str("Persona")).unwrap_or(false) {
            let _ = resolve.call0(&JsValue::NULL);
            return;
        }
        let Some(document) = window.document() else {
            let _ = reject.call0(&JsValue::NULL);
            return;
        };
        let Ok(script) = document.create_element("script") else {
            let _ = reject.call0(&JsValue::NULL);
            return;
        };
        let script: web_sys::HtmlScriptElement = script.unchecked_into();
        script.set_src(&url);
        script.set_async(true);
        // The promise's own functions are the handlers: no Rust closure to keep or free.
        script.set_onload(Some(&resolve));
        script.set_onerror(Some(&reject));
        if let Some(head) = document.head() {
            let _ = head.append_child(&script);
        }
    })
}

/// Waits for the SDK; `false` when it could not be loaded.
pub async fn sdk_ready(promise: &Promise) -> bool {
    JsFuture::from(promise.clone()).await.is_ok()
        && web_sys::window()
            .is_some_and(|w| Reflect::has(&w, &JsValue::from_str("Persona")).unwrap_or(false))
}

/// Warms the browser cache for the flow (`Persona.Client.preload`).
pub fn preload(host: Option<&str>) {
    let host = host.map(JsValue::from_str).unwrap_or(JsValue::UNDEFINED);
    let _ = Client::preload(&host);
}

/// Marks the page while Persona's window is open: a class on `<html>` for the page's styles,
/// and the app itself `inert`, so the keyboard and screen readers stay in Persona's window
/// instead of reaching the controls under its overlay (Persona's frame is outside `#app`).
pub fn mark_open(on: bool) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(root) = document.document_element() {
        let _ = root.class_list().toggle_with_force("persona-open", on);
    }
    if let Some(app) = document.get_element_by_id("app") {
        let _ = app.toggle_attribute_with_force("inert", on);
    }
}
