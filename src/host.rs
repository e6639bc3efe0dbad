//! Events for the page that embeds the app (an iframe) or opened it (a window): a
//! `postMessage` to the configured host origin, and a `CustomEvent` named `kyc-onboarding` on
//! `window`. Payloads carry the event's type and outcome or error code: never personal data,
//! never a token, never an identifier. The schemas are in `docs/events.md`.

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::flow::HostEvent;

/// The event's payload.
fn payload(event: &HostEvent) -> Object {
    let o = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &v);
    };
    set("source", "kyc-onboarding".into());
    set("version", JsValue::from(1));
    set("type", event.kind().into());
    match event {
        HostEvent::PersonaCompleted { status } => set("status", status.as_str().into()),
        HostEvent::Outcome(kind) => set("outcome", kind.as_str().into()),
        HostEvent::Error { code } => set("code", code.as_str().into()),
        HostEvent::Started | HostEvent::PersonaReady => {}
        HostEvent::CameraCheck(outcome) => {
            set("finished", outcome.finished.into());
            let checks = Object::new();
            for (name, passed) in outcome.checks() {
                let _ = Reflect::set(&checks, &name.into(), &passed.into());
            }
            set("checks", checks.into());
        }
    }
    o
}

/// Tells the host page: always on `window`, and by `postMessage` to `host_origin` when the
/// app runs in a frame or was opened by another window.
pub fn notify(event: &HostEvent, host_origin: Option<&str>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let detail = payload(event);
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&detail);
    if let Ok(custom) = web_sys::CustomEvent::new_with_event_init_dict("kyc-onboarding", &init) {
        let _ = window.dispatch_event(&custom);
    }
    let Some(origin) = host_origin else {
        return;
    };
    let target = match window.parent().ok().flatten() {
        Some(parent) if parent != window => Some(parent),
        _ => window
            .opener()
            .ok()
            .filter(|o| !o.is_null() && !o.is_undefined())
            // An opener on another origin is not `instanceof Window` from here (its
            // prototype is hidden), yet it takes `postMessage`: no checked cast.
            .map(|o| o.unchecked_into::<web_sys::Window>()),
    };
    if let Some(target) = target {
        let _ = target.post_message(&detail, origin);
    }
}
