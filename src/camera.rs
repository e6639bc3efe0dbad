//! The camera for the rehearsal ([`crate::core::rehearsal`]): opens it, grabs frames as grey
//! images for the core to measure, and stops every track. Reached only from the rehearsal
//! screen and from opening Persona, so in the release build all of it sits in the second
//! wasm module.
//!
//! Written against the browser's objects by name (`Reflect`, [`call_method`]) rather than
//! web-sys' typed bindings: each typed binding adds its own function to the JS glue, which
//! every first load downloads, even though only this module calls it. The helpers here use
//! the glue the app already has.
//!
//! Privacy: a frame lives only in [`Grabber`]'s buffers until the next one overwrites it; it
//! is never stored, logged or sent, and neither is anything measured from it.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::api::call_method;
use crate::core::rehearsal::{CameraFailure, Part};

/// The widest frame measured: larger frames are scaled down when drawn (the measures are
/// meant for this size, and it keeps a frame's analysis within a few milliseconds).
pub const ANALYSIS_WIDTH: u32 = 640;

thread_local! {
    /// Every stream opened and not yet stopped, with the request it answered.
    static STREAMS: RefCell<Vec<(u32, JsValue)>> = const { RefCell::new(Vec::new()) };
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn set(object: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

fn number(object: &JsValue, key: &str) -> u32 {
    get(object, key).as_f64().unwrap_or(0.0) as u32
}

fn tracks(stream: &JsValue) -> Array {
    call_method(stream, "getTracks", &[])
        .map(|t| Array::from(&t))
        .unwrap_or_default()
}

fn stop_tracks(stream: &JsValue) {
    for track in tracks(stream).iter() {
        let _ = call_method(&track, "stop", &[]);
    }
}

/// Stops every camera track this page opened (leaving the rehearsal, opening Persona).
pub fn stop_all() {
    for (_, stream) in STREAMS.with(|s| s.take()) {
        stop_tracks(&stream);
    }
}

/// Stops the tracks of request `attempt` only.
pub fn release(attempt: u32) {
    let released: Vec<_> = STREAMS.with(|s| {
        let mut streams = s.borrow_mut();
        let (gone, kept): (Vec<_>, Vec<_>) = streams.drain(..).partition(|(a, _)| *a == attempt);
        *streams = kept;
        gone
    });
    for (_, stream) in released {
        stop_tracks(&stream);
    }
}

/// The stream of request `attempt`, while it is kept.
pub fn stream(attempt: u32) -> Option<JsValue> {
    STREAMS.with(|s| {
        s.borrow()
            .iter()
            .find(|(a, _)| *a == attempt)
            .map(|(_, stream)| stream.clone())
    })
}

/// Asks for `part`'s camera (request number `attempt`): the stream and its track's size, or
/// why not. The stream is kept until [`stop_all`] or [`release`].
pub async fn open(part: Part, attempt: u32) -> Result<(JsValue, u32, u32), CameraFailure> {
    let window: JsValue = web_sys::window().ok_or(CameraFailure::NoCamera)?.into();
    let media = get(&get(&window, "navigator"), "mediaDevices");
    if media.is_undefined() {
        return Err(CameraFailure::NoCamera);
    }
    // An ideal, not a requirement: a computer's only camera is still used for both parts,
    // and HD is asked for so the resolution check sees what the camera can do.
    let video = Object::new();
    let ideal = |v: JsValue| {
        let o = Object::new();
        set(&o, "ideal", &v);
        JsValue::from(o)
    };
    set(&video, "facingMode", &ideal(part.facing_mode().into()));
    set(&video, "width", &ideal(1280.into()));
    set(&video, "height", &ideal(720.into()));
    let constraints = Object::new();
    set(&constraints, "video", &video);
    set(&constraints, "audio", &false.into());
    let promise = call_method(&media, "getUserMedia", &[constraints.into()])
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
        .ok_or(CameraFailure::NoCamera)?;
    match JsFuture::from(promise).await {
        Ok(stream) => {
            STREAMS.with(|s| s.borrow_mut().push((attempt, stream.clone())));
            let settings = tracks(&stream)
                .iter()
                .next()
                .and_then(|track| call_method(&track, "getSettings", &[]))
                .unwrap_or(JsValue::UNDEFINED);
            let (w, h) = (number(&settings, "width"), number(&settings, "height"));
            Ok((stream, w, h))
        }
        Err(error) => Err(CameraFailure::from_error_name(
            &get(&error, "name").as_string().unwrap_or_default(),
        )),
    }
}

/// Shows `stream` in `video` (muted, inline: a phone would otherwise go full screen).
pub fn show(video: &JsValue, stream: &JsValue) {
    set(video, "srcObject", stream);
    let _ = call_method(video, "play", &[]);
}

/// Draws a video's current frame on a canvas of its own and reads it back as grey, reusing
/// its buffers from frame to frame.
pub struct Grabber {
    canvas: JsValue,
    context: JsValue,
    rgba: Vec<u8>,
    grey: Vec<u8>,
}

impl Grabber {
    /// A grabber with its own (never attached) canvas; `None` without a 2D context.
    pub fn new() -> Option<Grabber> {
        let canvas: JsValue = web_sys::window()?
            .document()?
            .create_element("canvas")
            .ok()?
            .into();
        // Read back every frame: the browser keeps the canvas in memory, not on the GPU.
        let options = Object::new();
        set(&options, "willReadFrequently", &true.into());
        let context = call_method(&canvas, "getContext", &["2d".into(), options.into()])
            .filter(|c| !c.is_null() && !c.is_undefined())?;
        Some(Grabber {
            canvas,
            context,
            rgba: Vec::new(),
            grey: Vec::new(),
        })
    }

    /// The video's current frame, scaled to at most [`ANALYSIS_WIDTH`] wide, as a grey image:
    /// (width, height, pixels). `None` before the video has a frame.
    pub fn grab(&mut self, video: &JsValue) -> Option<(u32, u32, &[u8])> {
        // HAVE_CURRENT_DATA (2) or better.
        if number(video, "readyState") < 2 {
            return None;
        }
        let (vw, vh) = (number(video, "videoWidth"), number(video, "videoHeight"));
        if vw == 0 || vh == 0 {
            return None;
        }
        let w = vw.min(ANALYSIS_WIDTH);
        let h = (u64::from(vh) * u64::from(w) / u64::from(vw)).max(1) as u32;
        if number(&self.canvas, "width") != w || number(&self.canvas, "height") != h {
            set(&self.canvas, "width", &w.into());
            set(&self.canvas, "height", &h.into());
        }
        let (wv, hv) = (JsValue::from(w), JsValue::from(h));
        call_method(
            &self.context,
            "drawImage",
            &[video.clone(), 0.into(), 0.into(), wv.clone(), hv.clone()],
        )?;
        let image = call_method(&self.context, "getImageData", &[0.into(), 0.into(), wv, hv])?;
        let data = get(&image, "data");
        let len = (w * h * 4) as usize;
        self.rgba.resize(len, 0);
        copy_from_js(&data, &mut self.rgba)?;
        crate::core::camera::grey_from_rgba(&self.rgba, &mut self.grey);
        Some((w, h, &self.grey))
    }
}

/// Copies a JS typed array of bytes into `out` through a view of the wasm memory (made with
/// the page's own `Reflect.construct` and `set`, so no glue function is added for it).
fn copy_from_js(data: &JsValue, out: &mut [u8]) -> Option<()> {
    let window: JsValue = web_sys::window()?.into();
    let buffer = get(&wasm_bindgen::memory(), "buffer");
    let args = Array::new();
    args.push(&buffer);
    args.push(&JsValue::from(out.as_mut_ptr() as u32));
    args.push(&JsValue::from(out.len() as u32));
    let view = call_method(
        &get(&window, "Reflect"),
        "construct",
        &[get(&window, "Uint8Array"), args.into()],
    )?;
    call_method(&view, "set", std::slice::from_ref(data)).map(|_| ())
}
