//! Bench figure (not a test: ignored by the test command): the camera check's analysis of
//! one 640x480 frame in the browser's wasm engine, as the check runs it (RGBA to grey, then
//! the measures in the ID's guide). Median and 90th percentile over 100 frames after 10 to
//! warm up, by `performance.now()`. Budget: under 8 ms a frame.
//!
//! `cargo xtask bench --camera` runs it in headless Chromium, built with the release profile,
//! after the native figure (`examples/camera_frame.rs`).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

#[path = "../examples/common/frame.rs"]
mod frame;

wasm_bindgen_test_configure!(run_in_browser);

/// `performance.now()` in milliseconds (read through JS: no extra web-sys feature for a bench).
fn now_ms() -> f64 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).unwrap();
    let now: js_sys::Function = js_sys::Reflect::get(&performance, &"now".into())
        .unwrap()
        .unchecked_into();
    now.call0(&performance).unwrap().as_f64().unwrap()
}

#[wasm_bindgen_test]
#[ignore = "a benchmark: `cargo xtask bench --camera` runs it"]
fn camera_check_frame_figure() {
    console_log!("{}", frame::figure("browser wasm", now_ms));
}
