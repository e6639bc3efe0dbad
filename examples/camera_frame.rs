//! Bench figure (not a test): the time to analyse one 640x480 camera frame as the camera
//! check does in the browser: RGBA to grey, then the measures in the ID's guide. Median and
//! 90th percentile over 100 frames, after 10 to warm up. Budget: under 8 ms a frame.
//!
//! `cargo run --release -p kyc-onboarding --example camera_frame` (or `cargo xtask bench
//! --camera`). Native code: the wasm build runs the same Rust, typically 1.5-2x slower.

use std::time::Instant;

#[path = "common/frame.rs"]
mod frame;

fn main() {
    let start = Instant::now();
    println!(
        "{}",
        frame::figure("native", || start.elapsed().as_secs_f64() * 1000.0)
    );
}
