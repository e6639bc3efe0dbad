//! Bench figure (not a test: ignored by the test command): the camera check's analysis of
//! one 640x480 frame in the browser's wasm engine, as the check runs it (RGBA to grey, then
//! the measures in the ID's guide). Median and 90th percentile over 100 frames after 10 to
//! warm up, by `performance.now()`. Budget: under 8 ms a frame.
//!
//! `cargo xtask bench --camera` runs it in headless Chromium, built with the release profile,
//! after the native figure (`examples/camera_frame.rs`).
#![cfg(target_arch = "wasm32")]

use std::hint::black_box;

use kyc_onboarding::core::camera::{grey_from_rgba, measure, Guide};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

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
    const W: u32 = 640;
    const H: u32 = 480;
    // The native figure's frame: print-like squares with some noise.
    let mut seed: u32 = 7;
    let mut rgba = Vec::with_capacity((W * H * 4) as usize);
    for y in 0..H {
        for x in 0..W {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let base: u32 = if (x / 8 + y / 8).is_multiple_of(2) {
                40
            } else {
                210
            };
            let v = (base + (seed >> 16) % 9) as u8;
            rgba.extend_from_slice(&[v, v, v, 255]);
        }
    }
    let mut grey = Vec::new();
    let mut times = Vec::new();
    for i in 0..110 {
        let start = now_ms();
        grey_from_rgba(black_box(&rgba), &mut grey);
        black_box(measure(W, H, black_box(&grey), Guide::Card));
        if i >= 10 {
            times.push(now_ms() - start);
        }
    }
    times.sort_by(f64::total_cmp);
    let median = (times[49] + times[50]) / 2.0;
    console_log!(
        "camera check, one 640x480 frame (grey + measures), browser wasm: median {median:.3} ms, p90 {:.3} ms over {} frames; budget 8 ms: {}",
        times[89],
        times.len(),
        if median < 8.0 { "met" } else { "NOT met" }
    );
}
