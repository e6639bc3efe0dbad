//! Gathers [`DeviceFacts`] from the browser and keeps what they mean for the screens
//! ([`run_device_check`]); the clipboard. Each check that the browser cannot answer stays
//! `None`; nothing here ever blocks the customer.

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use leptos::prelude::*;

use crate::api::{await_value, call_method};
use crate::core::device::{assess, DeviceFacts, DeviceNotice, Permission};

/// How long the prep screen waits for a browser that is slow to answer the checks; after
/// that it shows with what the browser said at once (a computer or a phone, inside another
/// app), and the rest of the findings appear when (if ever) they arrive.
const PATIENCE: std::time::Duration = std::time::Duration::from_millis(1500);

/// Runs the checks and returns their findings as a signal: `None` until they are in or
/// [`PATIENCE`] runs out, so a browser that never answers cannot block the customer.
pub fn run_device_check() -> RwSignal<Option<Vec<DeviceNotice>>> {
    let notices = RwSignal::new(None);
    recheck_device(notices);
    set_timeout(
        move || {
            if notices.with_untracked(Option::is_none) {
                notices.set(Some(assess(&basics())));
            }
        },
        PATIENCE,
    );
    notices
}

/// Runs the checks again (a camera refused in Persona's window since the page loaded) and
/// replaces the findings when they are in; the old ones stay up meanwhile.
pub fn recheck_device(notices: RwSignal<Option<Vec<DeviceNotice>>>) {
    leptos::task::spawn_local(async move {
        let found = Some(assess(&gather().await));
        // Only a change notifies: the screens' notices and buttons (a copied link's state,
        // the focus) stay as they are when nothing changed.
        if notices.try_with_untracked(|old| *old != found) == Some(true) {
            notices.try_set(found);
        }
    });
}

fn get(object: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(object, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// What the browser says at once: its user agent and touch points (a computer or a phone,
/// inside another app or not).
pub fn basics() -> DeviceFacts {
    let Some(window) = web_sys::window() else {
        return DeviceFacts::default();
    };
    let navigator: JsValue = window.navigator().into();
    DeviceFacts {
        user_agent: get(&navigator, "userAgent")
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        max_touch_points: get(&navigator, "maxTouchPoints")
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0) as u32,
        ..DeviceFacts::default()
    }
}

/// Asks the browser what it can tell about the camera, permissions and battery, besides
/// [`basics`].
pub async fn gather() -> DeviceFacts {
    let mut facts = basics();
    let Some(window) = web_sys::window() else {
        return facts;
    };
    let navigator: JsValue = window.navigator().into();
    if let Some(media) = get(&navigator, "mediaDevices") {
        if let Some(list) = await_value(call_method(&media, "enumerateDevices", &[])).await {
            let list = js_sys::Array::from(&list);
            facts.has_camera = Some(list.iter().any(|d| {
                get(&d, "kind").and_then(|k| k.as_string()).as_deref() == Some("videoinput")
            }));
        }
    }
    if let Some(permissions) = get(&navigator, "permissions") {
        let query = js_sys::Object::new();
        let _ = Reflect::set(&query, &"name".into(), &"camera".into());
        // Browsers without a "camera" permission name reject: that is a `None`.
        if let Some(status) = await_value(call_method(&permissions, "query", &[query.into()])).await
        {
            facts.camera_permission =
                match get(&status, "state").and_then(|s| s.as_string()).as_deref() {
                    Some("granted") => Some(Permission::Granted),
                    Some("prompt") => Some(Permission::Prompt),
                    Some("denied") => Some(Permission::Denied),
                    _ => None,
                };
        }
    }
    if let Some(battery) = await_value(call_method(&navigator, "getBattery", &[])).await {
        let level = get(&battery, "level").and_then(|v| v.as_f64());
        let charging = get(&battery, "charging").and_then(|v| v.as_bool());
        if let (Some(level), Some(charging)) = (level, charging) {
            facts.battery = Some((level, charging));
        }
    }
    facts
}

fn clipboard() -> Option<JsValue> {
    let navigator: JsValue = web_sys::window()?.navigator().into();
    get(&navigator, "clipboard")
}

/// Copies text to the clipboard; `false` where the browser refuses.
pub async fn copy(text: &str) -> bool {
    let Some(clipboard) = clipboard() else {
        return false;
    };
    await_value(call_method(
        &clipboard,
        "writeText",
        &[JsValue::from_str(text)],
    ))
    .await
    .is_some()
}

/// A clipboard write started inside the customer's tap for a text that is still being made
/// (a link the backend mints). Safari refuses a clipboard write that starts after a network
/// round trip, as the tap no longer counts by then; a `ClipboardItem` whose text is promised
/// keeps the tap's permission until the text arrives.
pub struct PendingCopy {
    /// Settles the promised text: `resolve` and `reject`.
    settle: Option<(js_sys::Function, js_sys::Function)>,
    /// The write itself, started in the tap.
    written: Option<js_sys::Promise>,
}

impl PendingCopy {
    /// Starts the write now. Call it synchronously from the tap's handler.
    pub fn start() -> Self {
        let mut settle = None;
        let promised =
            js_sys::Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
        let written = (|| {
            let constructor = get(&js_sys::global(), "ClipboardItem")?;
            let items = js_sys::Object::new();
            Reflect::set(&items, &JsValue::from_str("text/plain"), &promised).ok()?;
            let item = Reflect::construct(
                constructor.unchecked_ref::<js_sys::Function>(),
                &js_sys::Array::of1(&items),
            )
            .ok()?;
            call_method(&clipboard()?, "write", &[js_sys::Array::of1(&item).into()])?
                .dyn_into::<js_sys::Promise>()
                .ok()
        })();
        Self { settle, written }
    }

    /// Finishes the write with the text, or abandons it (`None`). `true` when the text is on
    /// the clipboard. Browsers without `ClipboardItem` (or refusing it) get `writeText`.
    pub async fn finish(self, text: Option<&str>) -> bool {
        let Self { settle, written } = self;
        let blob = text.and_then(blob);
        if let Some((resolve, reject)) = settle {
            match &blob {
                Some(blob) => resolve.call1(&JsValue::UNDEFINED, blob),
                None => reject.call0(&JsValue::UNDEFINED),
            }
            .ok();
        }
        // Awaited in every case, so that an abandoned write's rejection is handled.
        let written = match written {
            Some(written) => JsFuture::from(written).await.is_ok(),
            None => false,
        };
        match text {
            Some(_) if written => true,
            Some(text) => copy(text).await,
            None => false,
        }
    }
}

/// `new Blob([text], { type: "text/plain" })`.
fn blob(text: &str) -> Option<JsValue> {
    let constructor = get(&js_sys::global(), "Blob")?;
    let options = js_sys::Object::new();
    Reflect::set(
        &options,
        &JsValue::from_str("type"),
        &JsValue::from_str("text/plain"),
    )
    .ok()?;
    Reflect::construct(
        constructor.unchecked_ref::<js_sys::Function>(),
        &js_sys::Array::of2(&js_sys::Array::of1(&JsValue::from_str(text)), &options),
    )
    .ok()
}
