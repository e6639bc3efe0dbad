//! Gathers [`DeviceFacts`] from the browser. Each check that the browser cannot answer stays
//! `None`; nothing here ever blocks the customer.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

use crate::api::{await_value, call_method};
use crate::core::device::{DeviceFacts, Permission};

fn get(object: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(object, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Asks the browser what it can tell about the camera, permissions and battery.
pub async fn gather() -> DeviceFacts {
    let Some(window) = web_sys::window() else {
        return DeviceFacts::default();
    };
    let navigator: JsValue = window.navigator().into();
    let mut facts = DeviceFacts {
        user_agent: get(&navigator, "userAgent")
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        max_touch_points: get(&navigator, "maxTouchPoints")
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0) as u32,
        ..DeviceFacts::default()
    };
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

/// Copies text to the clipboard; `false` where the browser refuses.
pub async fn copy(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator: JsValue = window.navigator().into();
    let Some(clipboard) = get(&navigator, "clipboard") else {
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
