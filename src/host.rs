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
        HostEvent::Error(error) => set("code", error.code().into()),
        HostEvent::Started | HostEvent::PersonaReady => {}
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

/// The camera check's outcome (`camera_check`, docs/events.md): which checks passed, nothing
/// else, told the same two ways as [`notify`]. Not a flow event, and written against the
/// browser's objects by name (`Reflect`, `call_method`): so all of its code stays in the
/// second wasm module with the check, and [`notify`]'s web-sys calls, inlined in the first,
/// are not pulled out into functions of their own there (each costs the first load).
pub fn notify_camera_check(outcome: &crate::core::rehearsal::Outcome, host_origin: Option<&str>) {
    use crate::api::call_method;
    let Some(window) = web_sys::window() else {
        return;
    };
    let window: JsValue = window.into();
    let get = |o: &JsValue, k: &str| Reflect::get(o, &JsValue::from_str(k)).unwrap_or_default();
    let set = |o: &Object, k: &str, v: JsValue| {
        let _ = Reflect::set(o, &JsValue::from_str(k), &v);
    };
    let detail = Object::new();
    set(&detail, "source", "kyc-onboarding".into());
    set(&detail, "version", JsValue::from(1));
    set(&detail, "type", "camera_check".into());
    set(&detail, "finished", outcome.finished.into());
    let checks = Object::new();
    for (name, passed) in outcome.checks() {
        set(&checks, name, passed.into());
    }
    set(&detail, "checks", checks.into());
    let init = Object::new();
    set(&init, "detail", detail.clone().into());
    let args = js_sys::Array::new();
    args.push(&"kyc-onboarding".into());
    args.push(&init);
    let construct = |class: &str| {
        call_method(
            &get(&window, "Reflect"),
            "construct",
            &[get(&window, class), args.clone().into()],
        )
    };
    if let Some(event) = construct("CustomEvent") {
        let _ = call_method(&window, "dispatchEvent", &[event]);
    }
    let Some(origin) = host_origin else {
        return;
    };
    // As in `notify`: the embedding page, else the opening one.
    let parent = get(&window, "parent");
    let target =
        if !parent.is_undefined() && !parent.is_null() && !js_sys::Object::is(&parent, &window) {
            parent
        } else {
            get(&window, "opener")
        };
    if !target.is_undefined() && !target.is_null() {
        let _ = call_method(&target, "postMessage", &[detail.into(), origin.into()]);
    }
}
