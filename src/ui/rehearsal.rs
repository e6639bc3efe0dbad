//! "Check your camera": the optional rehearsal of the prep screen. The explanation first (so
//! the browser's camera prompt comes in context), then the ID with the back camera and the
//! selfie with the front one, a live preview with a frame guide and feedback in plain words.
//! Also offered again from the retry screen when the ID's photo failed. In the second wasm
//! module: the first screen carries only its button. The check itself (camera, frames, its
//! machine's effects) runs in [`crate::camera_check`].

use leptos::prelude::*;

use super::{t, HandoffButton, Heading};
use crate::camera_check::CameraCheck;
use crate::core::camera::Resolution;
use crate::core::device::{platform, Platform};
use crate::core::flow::UserAction;
use crate::core::rehearsal::{CameraFailure, Input, Part, Rehearsal, Stage};
use crate::core::text::Msg;

/// Shows the preview (hidden until then) only while live (mirrored for the selfie, as a mirror would) and
/// draws the guide where the core measures: 80 % wide in an ID card's shape, or 60 % x 80 %
/// for a face. Done here through the CSSOM rather than with the page's stylesheet, which
/// every first load carries, or with reactive `style:` bindings, each of which costs the
/// first module a closure's stub, table entries and vtable.
fn present(
    view: &web_sys::HtmlElement,
    video: &web_sys::HtmlElement,
    guide: &web_sys::HtmlElement,
    stage: Stage,
) {
    let part = match stage {
        Stage::Live(part) => Some(part),
        _ => None,
    };
    // `setProperty` by name: web-sys' binding, inlined in the first module's one caller,
    // would otherwise be pulled out of it into a function of its own there.
    let set = |el: &web_sys::HtmlElement, props: &[(&str, &str)]| {
        let style = js_sys::Reflect::get(el, &"style".into()).unwrap_or_default();
        for (name, value) in props {
            let _ =
                crate::api::call_method(&style, "setProperty", &[(*name).into(), (*value).into()]);
        }
    };
    set(
        view,
        &[
            ("position", "relative"),
            ("overflow", "hidden"),
            ("border-radius", "var(--radius)"),
            ("display", if part.is_some() { "block" } else { "none" }),
            (
                "transform",
                if part == Some(Part::Selfie) {
                    "scaleX(-1)"
                } else {
                    "none"
                },
            ),
        ],
    );
    set(video, &[("display", "block"), ("width", "100%")]);
    set(
        guide,
        &[
            ("position", "absolute"),
            ("border", "3px solid #fff"),
            ("box-shadow", "0 0 0 100vmax #0007"),
        ],
    );
    {
        set(
            guide,
            if part == Some(Part::Selfie) {
                &[
                    ("left", "20%"),
                    ("top", "10%"),
                    ("width", "60%"),
                    ("height", "80%"),
                    ("aspect-ratio", "auto"),
                    ("transform", "none"),
                    ("border-radius", "50%"),
                ]
            } else {
                &[
                    ("left", "10%"),
                    ("top", "50%"),
                    ("width", "80%"),
                    ("height", "auto"),
                    ("aspect-ratio", "1.586"),
                    ("transform", "translateY(-50%)"),
                    ("border-radius", "4%"),
                ]
            },
        );
    }
}

/// What the screen shows besides the preview: one value, so the screen has few reactive
/// parts (each costs the first module a little, see [`present`]).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Shown {
    stage: Stage,
    /// The live region's text: it changes only when the verdict (or the stage) does.
    status: Option<Msg>,
    low_resolution: bool,
}

impl Shown {
    fn of(m: &Rehearsal) -> Shown {
        let stage = m.stage();
        Shown {
            stage,
            status: match stage {
                Stage::Opening(_) => Some(Msg::CamOpening),
                Stage::Live(_) => m.said().map(|f| f.text()),
                Stage::Failed(CameraFailure::Denied) => Some(Msg::DeviceBlockedTitle),
                Stage::Failed(CameraFailure::NoCamera) => Some(Msg::DeviceNoCameraTitle),
                Stage::Failed(CameraFailure::NoAnswer) => Some(Msg::DeviceInAppTitle),
                Stage::Failed(CameraFailure::Busy) => Some(Msg::CamBusy),
                Stage::Explain | Stage::Closed => None,
            },
            low_resolution: stage == Stage::Live(Part::Id)
                && m.resolution() == Some(Resolution::Low),
        }
    }
}

/// The rehearsal screen.
#[component]
pub fn RehearsalScreen() -> impl IntoView {
    let page = expect_context::<super::Page>();
    let video = NodeRef::new();
    let check = CameraCheck::start(
        video,
        page.settings,
        Callback::new(move |outcome| {
            // The flow keeps it for a later failure's advice.
            page.act.run(UserAction::CameraChecked(outcome));
            page.rehearsing.try_set(false);
        }),
    );
    let machine = check.machine();
    let shown = Memo::new(move |_| machine.with(Shown::of));
    let (preview, guide) = (
        NodeRef::<leptos::html::Div>::new(),
        NodeRef::<leptos::html::Div>::new(),
    );
    let platform = platform(&crate::device::basics());
    // The hint, the findings and the notices: rendered again when what is shown changes
    // (the preview, the live region and the buttons stay, so focus and speech do too).
    let middle = move || {
        let Shown {
            stage,
            low_resolution,
            ..
        } = shown.get();
        if let (Some(view), Some(video), Some(guide)) = (
            preview.get_untracked(),
            video.get_untracked(),
            guide.get_untracked(),
        ) {
            present(&view, &video, &guide, stage);
        }
        // The device check's words for the same situations (its notice component is not
        // reused: called from here, it would become a function of its own in the first
        // module, which now has it inlined).
        let ios = platform == Platform::Ios;
        // A camera that never answers is, most often, another app's browser: its link out.
        let in_app = matches!(stage, Stage::Failed(CameraFailure::NoAnswer));
        let notice = match stage {
            Stage::Failed(CameraFailure::Denied) => Some((
                Msg::DeviceBlockedTitle,
                match platform {
                    Platform::Ios => Msg::DeviceBlockedIos,
                    Platform::Android => Msg::DeviceBlockedAndroid,
                    Platform::Desktop => Msg::DeviceBlockedDesktop,
                },
            )),
            Stage::Failed(CameraFailure::NoCamera) => {
                Some((Msg::DeviceNoCameraTitle, Msg::DeviceNoCameraBody))
            }
            Stage::Failed(CameraFailure::NoAnswer) => Some((
                Msg::DeviceInAppTitle,
                if ios {
                    Msg::DeviceInAppIos
                } else {
                    Msg::DeviceInAppAndroid
                },
            )),
            _ => None,
        };
        let hint = match stage {
            Stage::Live(Part::Id) | Stage::Opening(Part::Id) => Msg::TipPhotoFourCorners,
            Stage::Live(Part::Selfie) | Stage::Opening(Part::Selfie) => Msg::TipSelfieFaceCamera,
            _ => Msg::CamIntro,
        };
        view! {
            <p class="lead">{t(hint)}</p>
            {low_resolution.then(|| view! { <p>{t(Msg::DeviceDesktopBody)}</p> })}
            {notice
                .map(|(title, body)| {
                    view! {
                        <div class="notice warning">
                            <h2>{t(title)}</h2>
                            <p>{t(body)}</p>
                            {in_app.then(|| view! { <super::device_check::LinkForOwnBrowser /> })}
                        </div>
                        // No camera, or none that answers here: another device may have one.
                        <HandoffButton />
                    }
                })}
        }
    };
    view! {
        <section class="screen rehearsal">
            <Heading text=t(Msg::CamCheck) />
            <div class="cam-view" node_ref=preview hidden>
                <video node_ref=video autoplay muted playsinline></video>
                <div node_ref=guide aria-hidden="true"></div>
            </div>
            {middle}
            <p class="cam-status" role="status">
                {move || shown.get().status.map(t)}
            </p>
            <div class="actions">
                // One main button throughout, so focus stays on it from step to step.
                <button
                    type="button"
                    class="button primary"
                    on:click=move |_| {
                        let input = match shown.get_untracked().stage {
                            Stage::Live(_) => Input::Next,
                            Stage::Opening(_) | Stage::Closed => return,
                            _ => Input::Open,
                        };
                        check.send(input);
                    }
                >
                    {move || {
                        t(match shown.get().stage {
                            Stage::Explain => Msg::CamOpen,
                            Stage::Opening(_) => Msg::CamOpening,
                            Stage::Live(Part::Id) => Msg::CamNext,
                            Stage::Live(Part::Selfie) => Msg::CamDone,
                            Stage::Failed(_) | Stage::Closed => Msg::TryAgain,
                        })
                    }}
                </button>
                <button
                    type="button"
                    class="button secondary"
                    on:click=move |_| check.send(Input::Leave)
                >
                    {t(Msg::CamSkip)}
                </button>
            </div>
            <p class="small muted">{t(Msg::CamPrivacy)}</p>
        </section>
    }
}
