//! What one camera frame says about the picture Persona will take: light, sharpness and
//! glare, measured on a grey image (one byte per pixel, row after row) inside the frame
//! guide the customer is asked to fill, and whether the camera's resolution can make an ID
//! readable. No face recognition, nothing biometric: only brightness statistics.
//!
//! The frame is measured at half its size (each 2x2 block averaged): it is four times less
//! work, and the averaging divides the sensor's noise by two, so noise alone does not pass
//! for detail in the sharpness measure (see [`SHARP_MIN`]).
//!
//! Every threshold below was chosen against synthetic test pictures (the tests of this file)
//! and what a phone camera's auto-exposure does: it aims the scene's average at about
//! 18 % grey, which is about 118 of 255 once sRGB-encoded.

use super::text::Msg;

/// Below this mean grey level (0-255) in the guide, the picture is too dark. A lit scene
/// under a phone's auto-exposure averages 100-140; a camera that cannot reach 60 is at its
/// highest gain, where noise eats the ID's fine print and the exposure is slow enough to
/// blur. A flat grey of 59 is dark and one of 60 is not (test `light_threshold_is_60`);
/// a dark room lit by a screen alone measures 20-40.
pub const DARK_BELOW: u8 = 60;

/// A pixel at or above this grey level is taken as clipped (saturated). Camera pipelines
/// rarely output a true 255 after compression and colour conversion; 250 catches a clipped
/// highlight and leaves the white of a correctly exposed card (about 200-235) alone.
pub const SATURATED_FROM: u8 = 250;

/// Glare when more than this share of the guide (in thousandths) is clipped: 1.5 %. On a
/// 640x480 frame, the ID guide is about 512x323 px, so 1.5 % is a spot of about 50x50 px,
/// which covers a few characters of the ID's text. A smaller highlight, such as a glint on
/// the edge of the card, is let through. Pinned by the bright-spot tests: a 40x40 spot
/// (1 %) passes, a 64x64 one (2.5 %) does not.
pub const GLARE_ABOVE_PER_MILLE: u32 = 15;

/// Sharp when the variance of the Laplacian (4-neighbour kernel) on the half-size image
/// reaches this. Measured on the tests' checkerboards (squares of 8 px, the size of print on
/// an ID at 640x480, grey 40 and 210): sharp 21,668; a 3x3 box blur (a slight shake) 9,363;
/// a 13x13 box blur (a lens that cannot focus that close) 26; with squares of 4 px, a 7x7
/// blur already gives 32. 100 sits well under the slightest blur that still reads and
/// above the blurs that do not. Sensor noise of standard deviation s adds about 20 s² to
/// the variance, a quarter of it at half size: s = 3 (a dim room) adds about 45, under the
/// threshold, so noise cannot pass for focus (test `noise_alone_does_not_pass_for_focus`).
pub const SHARP_MIN: u32 = 100;

/// The shorter side, in pixels, a camera needs for a readable ID: 720 (HD). With the card
/// filling the guide (80 % of the width), 1280x720 puts about 12 px on each millimetre of an
/// ID-1 card, so fine print of about 1 mm x-height is 12 px tall, above the 10 px text
/// recognition needs; 640x480 gives 6 px, which it does not read reliably.
pub const MIN_SHORT_SIDE: u32 = 720;

/// An ID-1 card's width over its height (85.6 x 54 mm), the shape of the ID guide.
const CARD_RATIO_PER_MILLE: u64 = 1586;

/// What the customer holds in front of the camera, and so the guide drawn on the preview.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Guide {
    /// An ID card: 80 % of the frame's width, the card's shape, centred.
    Card,
    /// A face: the middle 60 % of the width and 80 % of the height.
    Face,
}

/// A rectangle of a frame, in pixels: `x0 <= x < x1`, `y0 <= y < y1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Area {
    /// Left edge.
    pub x0: u32,
    /// Top edge.
    pub y0: u32,
    /// Right edge (excluded).
    pub x1: u32,
    /// Bottom edge (excluded).
    pub y1: u32,
}

impl Guide {
    /// The guide's area in a `width` x `height` frame (the preview draws the same shape).
    pub fn area(self, width: u32, height: u32) -> Area {
        // In u64: no overflow, whatever the size.
        let share = |side: u32, tenths: u64| (u64::from(side) * tenths / 10) as u32;
        let (w, h) = match self {
            Guide::Card => {
                let w = share(width, 8);
                let h = (u64::from(w) * 1000 / CARD_RATIO_PER_MILLE) as u32;
                // A wide, short frame: the card as wide as fits in 90 % of the height.
                let h_max = share(height, 9);
                if h > h_max {
                    (
                        (u64::from(h_max) * CARD_RATIO_PER_MILLE / 1000) as u32,
                        h_max,
                    )
                } else {
                    (w, h)
                }
            }
            Guide::Face => (share(width, 6), share(height, 8)),
        };
        let (w, h) = (w.min(width), h.min(height));
        let x0 = (width - w) / 2;
        let y0 = (height - h) / 2;
        Area {
            x0,
            y0,
            x1: x0 + w,
            y1: y0 + h,
        }
    }
}

/// Light in the guide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Light {
    /// Too dark for a readable picture.
    Dark,
    /// Enough.
    Good,
}

/// Focus and steadiness.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sharpness {
    /// Blurry: out of focus, moving, or nothing with edges in the guide.
    Blurry,
    /// Sharp.
    Sharp,
}

/// Reflections in the guide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Glare {
    /// A bright reflection hides part of the guide.
    Glare,
    /// None worth mentioning.
    Clear,
}

/// Whether the camera's resolution can make the ID readable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resolution {
    /// Below [`MIN_SHORT_SIDE`].
    Low,
    /// Enough.
    Enough,
}

/// The measures of one frame, with the figures behind them (for the bench and the tests;
/// never logged or sent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Measures {
    /// Mean grey level in the guide, 0-255.
    pub mean: u8,
    /// Variance of the Laplacian in the guide, at half size.
    pub laplacian_variance: u32,
    /// Clipped pixels in the guide, in thousandths.
    pub saturated_per_mille: u32,
}

impl Measures {
    /// The light verdict.
    pub fn light(&self) -> Light {
        if self.mean < DARK_BELOW {
            Light::Dark
        } else {
            Light::Good
        }
    }

    /// The sharpness verdict.
    pub fn sharpness(&self) -> Sharpness {
        if self.laplacian_variance >= SHARP_MIN {
            Sharpness::Sharp
        } else {
            Sharpness::Blurry
        }
    }

    /// The glare verdict.
    pub fn glare(&self) -> Glare {
        if self.saturated_per_mille > GLARE_ABOVE_PER_MILLE {
            Glare::Glare
        } else {
            Glare::Clear
        }
    }

    /// The one thing to tell the customer, the most pressing first: light (nothing else can
    /// be judged in the dark), then glare (a clipped spot also passes for detail), then
    /// sharpness.
    pub fn feedback(&self, guide: Guide) -> Feedback {
        if self.light() == Light::Dark {
            Feedback::Dark
        } else if self.glare() == Glare::Glare && guide == Guide::Card {
            Feedback::Glare
        } else if self.glare() == Glare::Glare {
            // On a face, clipped light is a lamp or a window behind or above.
            Feedback::Backlit
        } else if self.sharpness() == Sharpness::Blurry {
            Feedback::Blurry
        } else {
            Feedback::Good
        }
    }
}

/// What the customer is told about the live picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Feedback {
    /// Too dark.
    Dark,
    /// A reflection on the ID.
    Glare,
    /// A bright light in the picture with a face.
    Backlit,
    /// Blurry.
    Blurry,
    /// All good.
    Good,
}

impl Feedback {
    /// What to say, in words to act on.
    pub fn text(self) -> Msg {
        match self {
            Feedback::Dark => Msg::CamDark,
            Feedback::Glare => Msg::CamGlare,
            Feedback::Backlit => Msg::TipSelfieLighting,
            Feedback::Blurry => Msg::CamBlurry,
            Feedback::Good => Msg::CamGood,
        }
    }

    /// A stable name for tests and styling.
    pub fn id(self) -> &'static str {
        match self {
            Feedback::Dark => "dark",
            Feedback::Glare => "glare",
            Feedback::Backlit => "backlit",
            Feedback::Blurry => "blurry",
            Feedback::Good => "good",
        }
    }
}

/// The resolution verdict for a camera track delivering `width` x `height` (either
/// orientation); unknown sizes (0) are not held against the camera.
pub fn resolution(width: u32, height: u32) -> Resolution {
    if width == 0 || height == 0 || width.min(height) >= MIN_SHORT_SIDE {
        Resolution::Enough
    } else {
        Resolution::Low
    }
}

/// Measures a grey frame of `width` x `height` (`grey` holds at least `width * height`
/// bytes, row after row) inside `guide`. `None` for a frame too small to judge (a guide under
/// 6x6 pixels) or shorter than its size says: never a panic.
pub fn measure(width: u32, height: u32, grey: &[u8], guide: Guide) -> Option<Measures> {
    let (w, h) = (width as usize, height as usize);
    if grey.len() < w.checked_mul(h)? {
        return None;
    }
    let area = guide.area(width, height);
    // Half size: every 2x2 block of the guide averaged into one pixel.
    let hw = ((area.x1 - area.x0) / 2) as usize;
    let hh = ((area.y1 - area.y0) / 2) as usize;
    if hw < 3 || hh < 3 {
        return None;
    }
    let mut half = vec![0u8; hw * hh];
    let mut sum: u64 = 0;
    let mut saturated: u64 = 0;
    for y in 0..hh {
        let top = (area.y0 as usize + 2 * y) * w + area.x0 as usize;
        let rows = (&grey[top..top + 2 * hw], &grey[top + w..top + w + 2 * hw]);
        for (x, out) in half[y * hw..(y + 1) * hw].iter_mut().enumerate() {
            let px = [
                rows.0[2 * x],
                rows.0[2 * x + 1],
                rows.1[2 * x],
                rows.1[2 * x + 1],
            ];
            let mut block = 0u32;
            for p in px {
                block += u32::from(p);
                saturated += u64::from(p >= SATURATED_FROM);
            }
            sum += u64::from(block);
            *out = ((block + 2) / 4) as u8;
        }
    }
    let count = (hw * hh) as u64;
    // Laplacian: 4 x centre - the 4 neighbours, over the inner pixels.
    let (mut s, mut s2, mut n) = (0i64, 0u64, 0u64);
    for y in 1..hh - 1 {
        let row = &half[y * hw..(y + 1) * hw];
        let up = &half[(y - 1) * hw..y * hw];
        let down = &half[(y + 1) * hw..(y + 2) * hw];
        for x in 1..hw - 1 {
            let l = 4 * i64::from(row[x])
                - i64::from(row[x - 1])
                - i64::from(row[x + 1])
                - i64::from(up[x])
                - i64::from(down[x]);
            s += l;
            s2 += (l * l) as u64;
            n += 1;
        }
    }
    let mean_l = s as f64 / n as f64;
    let variance = s2 as f64 / n as f64 - mean_l * mean_l;
    Some(Measures {
        mean: (sum / (4 * count)) as u8,
        laplacian_variance: variance.max(0.0).min(u32::MAX as f64) as u32,
        saturated_per_mille: (saturated * 1000 / (4 * count)) as u32,
    })
}

/// Grey from RGBA pixels (a canvas's `ImageData`), with the BT.601 weights cameras use for
/// luma: `grey` receives one byte per pixel; extra bytes in either are ignored.
pub fn grey_from_rgba(rgba: &[u8], grey: &mut Vec<u8>) {
    grey.clear();
    grey.extend(rgba.chunks_exact(4).map(|p| {
        ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]) + 128) >> 8) as u8
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: u32 = 640;
    const H: u32 = 480;

    fn flat(level: u8) -> Vec<u8> {
        vec![level; (W * H) as usize]
    }

    /// Squares of `side` pixels, dark (40) and light (210), like print on a card.
    fn checkerboard(side: u32) -> Vec<u8> {
        let mut img = Vec::with_capacity((W * H) as usize);
        for y in 0..H {
            for x in 0..W {
                img.push(if (x / side + y / side).is_multiple_of(2) {
                    40
                } else {
                    210
                });
            }
        }
        img
    }

    /// A box blur of `radius` (a (2r+1)² kernel), horizontal then vertical.
    fn blur(img: &[u8], radius: i64) -> Vec<u8> {
        let (w, h) = (W as i64, H as i64);
        let pass = |src: &[u8], horizontal: bool| {
            let mut out = vec![0u8; src.len()];
            for y in 0..h {
                for x in 0..w {
                    let mut sum = 0u32;
                    for d in -radius..=radius {
                        let (sx, sy) = if horizontal {
                            ((x + d).clamp(0, w - 1), y)
                        } else {
                            (x, (y + d).clamp(0, h - 1))
                        };
                        sum += u32::from(src[(sy * w + sx) as usize]);
                    }
                    out[(y * w + x) as usize] = (sum / (2 * radius as u32 + 1)) as u8;
                }
            }
            out
        };
        pass(&pass(img, true), false)
    }

    /// `img` with a saturated square of `side` px in the middle.
    fn spot(mut img: Vec<u8>, side: u32) -> Vec<u8> {
        let (x0, y0) = ((W - side) / 2, (H - side) / 2);
        for y in y0..y0 + side {
            for x in x0..x0 + side {
                img[(y * W + x) as usize] = 255;
            }
        }
        img
    }

    fn measured(img: &[u8], guide: Guide) -> Measures {
        measure(W, H, img, guide).expect("a full frame is measured")
    }

    #[test]
    fn a_flat_dark_frame_is_dark_and_says_so_first() {
        let m = measured(&flat(25), Guide::Card);
        assert_eq!(m.light(), Light::Dark);
        assert_eq!(m.glare(), Glare::Clear);
        assert_eq!(m.feedback(Guide::Card), Feedback::Dark);
        // Even with detail in it: the dark comes first.
        let dark_print: Vec<u8> = checkerboard(8).iter().map(|p| p / 5).collect();
        assert_eq!(
            measured(&dark_print, Guide::Face).feedback(Guide::Face),
            Feedback::Dark
        );
    }

    #[test]
    fn light_threshold_is_60() {
        assert_eq!(measured(&flat(59), Guide::Card).light(), Light::Dark);
        assert_eq!(measured(&flat(60), Guide::Card).light(), Light::Good);
    }

    #[test]
    fn a_flat_bright_frame_has_light_but_nothing_in_focus() {
        let m = measured(&flat(200), Guide::Card);
        assert_eq!(m.light(), Light::Good);
        assert_eq!(m.glare(), Glare::Clear);
        assert_eq!(m.sharpness(), Sharpness::Blurry);
        assert_eq!(m.feedback(Guide::Card), Feedback::Blurry);
    }

    #[test]
    fn a_white_out_frame_is_all_glare() {
        let m = measured(&flat(255), Guide::Card);
        assert_eq!(m.saturated_per_mille, 1000);
        assert_eq!(m.feedback(Guide::Card), Feedback::Glare);
        assert_eq!(m.feedback(Guide::Face), Feedback::Backlit);
    }

    #[test]
    fn a_sharp_checkerboard_is_sharp_and_good() {
        let m = measured(&checkerboard(8), Guide::Card);
        assert_eq!(m.light(), Light::Good);
        assert_eq!(m.sharpness(), Sharpness::Sharp);
        assert!(m.laplacian_variance > 10_000, "{m:?}");
        // Coarser print is sharp too.
        assert_eq!(
            measured(&checkerboard(16), Guide::Card).sharpness(),
            Sharpness::Sharp
        );
        assert_eq!(m.feedback(Guide::Card), Feedback::Good);
        assert_eq!(m.feedback(Guide::Face), Feedback::Good);
    }

    #[test]
    fn a_blurred_checkerboard_is_blurry() {
        let m = measured(&blur(&checkerboard(8), 6), Guide::Card);
        assert_eq!(m.light(), Light::Good);
        assert_eq!(m.sharpness(), Sharpness::Blurry, "{m:?}");
        assert!(m.laplacian_variance < 50, "{m:?}");
        assert_eq!(m.feedback(Guide::Card), Feedback::Blurry);
        let fine = measured(&blur(&checkerboard(4), 3), Guide::Face);
        assert_eq!(fine.feedback(Guide::Face), Feedback::Blurry, "{fine:?}");
        // A slight blur (3x3) still passes: the threshold is not a hair trigger.
        let slight = measured(&blur(&checkerboard(8), 1), Guide::Card);
        assert_eq!(slight.sharpness(), Sharpness::Sharp, "{slight:?}");
    }

    #[test]
    fn noise_alone_does_not_pass_for_focus() {
        // Deterministic noise of standard deviation about 3 around 120 (a flat wall in a
        // dim room): a linear congruential generator, uniform in -5..=5.
        let mut seed: u32 = 12345;
        let noisy: Vec<u8> = (0..W * H)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (115 + (seed >> 16) % 11) as u8
            })
            .collect();
        let m = measured(&noisy, Guide::Card);
        assert_eq!(m.sharpness(), Sharpness::Blurry, "{m:?}");
    }

    #[test]
    fn a_bright_spot_over_one_and_a_half_percent_of_the_guide_is_glare() {
        // 64x64 on 512x322: 2.5 % of the guide.
        let m = measured(&spot(checkerboard(8), 64), Guide::Card);
        assert_eq!(m.glare(), Glare::Glare, "{m:?}");
        assert_eq!(m.feedback(Guide::Card), Feedback::Glare);
        assert_eq!(m.feedback(Guide::Face), Feedback::Backlit);
        // 40x40: 1 %, a glint on the card's edge, let through.
        let small = measured(&spot(checkerboard(8), 40), Guide::Card);
        assert_eq!(small.glare(), Glare::Clear, "{small:?}");
        assert_eq!(small.feedback(Guide::Card), Feedback::Good);
    }

    #[test]
    fn glare_outside_the_guide_is_not_counted() {
        // A window in the top-left corner, outside the card's guide.
        let mut img = checkerboard(8);
        for y in 0..60 {
            for x in 0..60 {
                img[(y * W + x) as usize] = 255;
            }
        }
        assert_eq!(measured(&img, Guide::Card).glare(), Glare::Clear);
    }

    #[test]
    fn resolution_needs_720_on_the_short_side_either_way_round() {
        assert_eq!(resolution(1280, 720), Resolution::Enough);
        assert_eq!(resolution(720, 1280), Resolution::Enough);
        assert_eq!(resolution(1920, 1080), Resolution::Enough);
        assert_eq!(resolution(640, 480), Resolution::Low);
        assert_eq!(resolution(480, 640), Resolution::Low);
        assert_eq!(resolution(1280, 719), Resolution::Low);
        // Unknown: not held against the camera.
        assert_eq!(resolution(0, 0), Resolution::Enough);
    }

    #[test]
    fn the_card_guide_has_the_card_shape_and_fits_a_portrait_frame() {
        let a = Guide::Card.area(640, 480);
        assert_eq!((a.x0, a.x1), (64, 576));
        assert_eq!(a.y1 - a.y0, 322);
        let p = Guide::Card.area(480, 640);
        assert!(p.x1 <= 480 && p.y1 <= 640 && p.x1 - p.x0 == 384, "{p:?}");
        let tall = Guide::Card.area(1000, 100);
        assert!(tall.y1 - tall.y0 <= 90 && tall.x1 <= 1000, "{tall:?}");
        let f = Guide::Face.area(640, 480);
        assert_eq!((f.x0, f.y0, f.x1, f.y1), (128, 48, 512, 432));
    }

    #[test]
    fn bad_frames_are_refused_not_a_panic() {
        assert_eq!(measure(0, 0, &[], Guide::Card), None);
        assert_eq!(measure(640, 480, &[0; 100], Guide::Card), None);
        assert_eq!(measure(8, 8, &[0; 64], Guide::Face), None);
        assert_eq!(measure(u32::MAX, u32::MAX, &[0; 16], Guide::Face), None);
        // A long thin frame, a small one; more bytes than the size says are ignored.
        assert_eq!(
            measure(5000, 8, &vec![100; 40_000], Guide::Card).map(|m| m.mean),
            Some(100)
        );
        assert_eq!(
            measure(16, 16, &[100; 300], Guide::Face).map(|m| m.mean),
            Some(100)
        );
        assert_eq!(
            measure(16, 16, &[100; 256], Guide::Card).map(|m| m.mean),
            Some(100)
        );
    }

    #[test]
    fn rgba_becomes_luma() {
        let mut grey = Vec::new();
        grey_from_rgba(
            &[255, 255, 255, 255, 0, 0, 0, 255, 255, 0, 0, 255, 1, 2],
            &mut grey,
        );
        assert_eq!(grey, vec![255, 0, 77]);
    }
}
