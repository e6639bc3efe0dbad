//! Bench figure (not a test): the time to analyse one 640x480 camera frame as the camera
//! check does in the browser: RGBA to grey, then the measures in the ID's guide. Median and
//! 90th percentile over 100 frames, after 10 to warm up. Budget: under 8 ms a frame.
//!
//! `cargo run --release -p kyc-onboarding --example camera_frame` (or `cargo xtask bench
//! --camera`). Native code: the wasm build runs the same Rust, typically 1.5-2x slower.

use std::hint::black_box;
use std::time::Instant;

use kyc_onboarding::core::camera::{grey_from_rgba, measure, Guide};

fn main() {
    const W: u32 = 640;
    const H: u32 = 480;
    // Print-like squares with some noise, so no branch is predicted for free.
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
        let start = Instant::now();
        grey_from_rgba(black_box(&rgba), &mut grey);
        let m = measure(W, H, black_box(&grey), Guide::Card);
        black_box(m);
        if i >= 10 {
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    let median = (times[49] + times[50]) / 2.0;
    println!(
        "camera check, one 640x480 frame (grey + measures), native: median {median:.3} ms, p90 {:.3} ms over {} frames; budget 8 ms: {}",
        times[89],
        times.len(),
        if median < 8.0 { "met" } else { "NOT met" }
    );
}
