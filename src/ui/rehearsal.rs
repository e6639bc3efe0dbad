//! "Check your camera": the optional rehearsal of the prep screen. The explanation first (so
//! the browser's camera prompt comes in context), then the ID with the back camera and the
//! selfie with the front one, a live preview with a frame guide and feedback in plain words.
//! In the second wasm module: the first screen carries only its button.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

use super::{t, DeviceNotices, HandoffButton, Heading};
use crate::camera::{self, Grabber};
use crate::core::camera::{measure, Resolution};
use crate::core::device::{platform, DeviceNotice};
use crate::core::rehearsal::{
    CameraFailure, Do, Input, Part, Rehearsal, Stage, CAMERA_PATIENCE_MS,
};
use crate::core::text::Msg;

/// Frames measured a second: four, often enough to follow a hand moving the card, rarely
/// enough to leave a cheap phone's processor to the camera.
const FRAME_EVERY: Duration = Duration::from_millis(250);

/// While true, the prep screen shows the rehearsal in its place (context of the prep screen).
#[derive(Clone, Copy)]
pub struct Rehearsing(pub RwSignal<bool>);

/// What the rehearsal's effects need.
#[derive(Clone, Copy)]
struct Ctx {
    machine: RwSignal<Rehearsal>,
    video: NodeRef<leptos::html::Video>,
    page: super::Page,
    showing: Option<Rehearsing>,
}

/// Feeds `input` to the rehearsal and performs what it asks. Once the screen is gone (its
/// state disposed), any camera still open or arriving is stopped.
fn send(cx: Ctx, input: Input) {
    let Some(effects) = cx.machine.try_update(|m| m.step(input)) else {
        camera::stop_all();
        return;
    };
    for effect in effects {
        match effect {
            Do::OpenCamera { part, attempt } => {
                leptos::task::spawn_local(async move {
                    let input = match camera::open(part, attempt).await {
                        Ok((_, width, height)) => Input::Opened {
                            attempt,
                            width,
                            height,
                        },
                        Err(failure) => Input::Failed { attempt, failure },
                    };
                    send(cx, input);
                    // Shown only when the rehearsal kept it.
                    if let (Some(stream), Some(video)) =
                        (camera::stream(attempt), cx.video.get_untracked())
                    {
                        camera::show(&video.into(), &stream);
                    }
                });
                set_timeout(
                    move || send(cx, Input::TimedOut { attempt }),
                    Duration::from_millis(CAMERA_PATIENCE_MS.into()),
                );
            }
            Do::StopCamera => camera::stop_all(),
            Do::Release { attempt } => camera::release(attempt),
            // The live region follows the rehearsal's `said`.
            Do::Say(_) => {}
            Do::Report(outcome) => {
                let origin = cx.page.settings.with_untracked(|s| s.host_origin.clone());
                crate::host::notify(&outcome.host_event(), origin.as_deref());
                if let Some(showing) = cx.showing {
                    showing.0.try_set(false);
                }
            }
        }
    }
}

/// Measures the preview's current frame while the rehearsal is live, [`FRAME_EVERY`], until
/// it is over.
fn tick(cx: Ctx, grabber: Rc<RefCell<Option<Grabber>>>) {
    let Some(stage) = cx.machine.try_with_untracked(Rehearsal::stage) else {
        return;
    };
    if stage == Stage::Closed {
        return;
    }
    if let (Stage::Live(part), Some(video)) = (stage, cx.video.get_untracked()) {
        let measures = grabber
            .borrow_mut()
            .as_mut()
            .and_then(|g| g.grab(&video.into()))
            .and_then(|(w, h, grey)| measure(w, h, grey, part.guide()));
        send(cx, Input::Frame(measures));
    }
    set_timeout(move || tick(cx, grabber), FRAME_EVERY);
}

/// The rehearsal screen.
#[component]
pub fn RehearsalScreen() -> impl IntoView {
    let cx = Ctx {
        machine: RwSignal::new(Rehearsal::new()),
        video: NodeRef::new(),
        page: expect_context::<super::Page>(),
        showing: use_context::<Rehearsing>(),
    };
    let machine = cx.machine;
    tick(cx, Rc::new(RefCell::new(Grabber::new())));
    // Leaving in any way (Skip, the flow moving on, a language switch) stops the camera.
    on_cleanup(move || {
        send(cx, Input::Leave);
        camera::stop_all();
    });
    let stage = Memo::new(move |_| machine.with(Rehearsal::stage));
    let platform = platform(&crate::device::basics());
    // What the live region says: it changes only when the verdict (or the stage) does.
    let status = Memo::new(move |_| {
        machine.with(|m| match m.stage() {
            Stage::Opening(_) => Some(Msg::CamOpening),
            Stage::Live(_) => m.said().map(|f| f.text()),
            Stage::Failed(CameraFailure::Denied) => Some(Msg::DeviceBlockedTitle),
            Stage::Failed(CameraFailure::NoCamera) => Some(Msg::DeviceNoCameraTitle),
            Stage::Failed(CameraFailure::NoAnswer) => Some(Msg::CamNoAnswer),
            Stage::Failed(CameraFailure::Busy) => Some(Msg::CamBusy),
            Stage::Explain | Stage::Closed => None,
        })
    });
    let low_resolution = Memo::new(move |_| {
        machine
            .with(|m| m.stage() == Stage::Live(Part::Id) && m.resolution() == Some(Resolution::Low))
    });
    // One main button throughout, so focus stays on it from step to step.
    let (label, input) = (
        move || match stage.get() {
            Stage::Explain => Msg::CamOpen,
            Stage::Opening(_) => Msg::CamOpening,
            Stage::Live(Part::Id) => Msg::CamNext,
            Stage::Live(Part::Selfie) => Msg::CamDone,
            Stage::Failed(_) | Stage::Closed => Msg::TryAgain,
        },
        move || match stage.get_untracked() {
            Stage::Live(_) => Some(Input::Next),
            Stage::Opening(_) | Stage::Closed => None,
            _ => Some(Input::Open),
        },
    );
    let live = move || matches!(stage.get(), Stage::Live(_));
    let notices = move || {
        let notice = match stage.get() {
            Stage::Failed(CameraFailure::Denied) => DeviceNotice::CameraBlocked(platform),
            Stage::Failed(CameraFailure::NoCamera) => DeviceNotice::NoCamera,
            Stage::Failed(CameraFailure::NoAnswer) => DeviceNotice::InAppBrowser(platform),
            _ => return None,
        };
        Some(view! {
            <DeviceNotices notices=vec![notice] />
            {(notice == DeviceNotice::NoCamera).then(|| view! { <HandoffButton /> })}
        })
    };
    view! {
        <section class="screen rehearsal">
            <Heading text=t(Msg::CamTitle) />
            <p class="lead">
                {move || {
                    t(match stage.get() {
                        Stage::Live(Part::Id) | Stage::Opening(Part::Id) => Msg::CamIdHint,
                        Stage::Live(Part::Selfie) | Stage::Opening(Part::Selfie) => {
                            Msg::CamSelfieHint
                        }
                        _ => Msg::CamIntro,
                    })
                }}
            </p>
            <div
                class="cam-view"
                class:cam-selfie=move || stage.get() == Stage::Live(Part::Selfie)
                hidden=move || !live()
            >
                <video node_ref=cx.video autoplay muted playsinline></video>
                <div class="cam-guide" aria-hidden="true"></div>
            </div>
            <p class="cam-status" role="status">
                {move || status.get().map(t)}
            </p>
            {move || low_resolution.get().then(|| view! { <p>{t(Msg::CamLowRes)}</p> })}
            {notices}
            <div class="actions">
                <button
                    type="button"
                    class="button primary"
                    aria-disabled=move || matches!(stage.get(), Stage::Opening(_)).then_some("true")
                    on:click=move |_| {
                        if let Some(input) = input() {
                            send(cx, input);
                        }
                    }
                >
                    {move || t(label())}
                </button>
                <button
                    type="button"
                    class="button secondary"
                    on:click=move |_| send(cx, Input::Leave)
                >
                    {t(Msg::CamSkip)}
                </button>
            </div>
            <p class="small muted">{t(Msg::CamPrivacy)}</p>
        </section>
    }
}
