//! The camera check's bench, shared by its native figure (`examples/camera_frame.rs`) and its
//! browser figure (`tests/browser_camera_bench.rs`): one 640x480 frame analysed as the check
//! does (RGBA to grey, then the measures in the ID's guide), 100 times after 10 to warm up.

use std::hint::black_box;

use kyc_onboarding::core::camera::{grey_from_rgba, measure, Guide};

const W: u32 = 640;
const H: u32 = 480;

/// A print-like frame of squares with some noise, so no branch is predicted for free.
fn frame() -> Vec<u8> {
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
    rgba
}

/// Times the analysis with `now_ms` and returns the figure's line, `engine` naming where it
/// ran.
pub fn figure(engine: &str, mut now_ms: impl FnMut() -> f64) -> String {
    let rgba = frame();
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
    format!(
        "camera check, one 640x480 frame (grey + measures), {engine}: median {median:.3} ms, p90 {:.3} ms over {} frames; budget 8 ms: {}",
        times[89],
        times.len(),
        if median < 8.0 { "met" } else { "NOT met" }
    )
}
