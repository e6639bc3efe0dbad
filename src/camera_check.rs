//! Runs the camera check's machine (`core/rehearsal.rs`) as the shell runs the flow: feeds it
//! what happens and performs what it asks (the camera and its patience timer, a frame
//! measured every [`FRAME_EVERY`], the host page told of the outcome). The screen
//! (`ui/rehearsal.rs`) renders the machine and sends the customer's taps. Reached only from
//! that screen, so in the release build all of it sits in the second wasm module.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

use crate::camera::{self, Grabber};
use crate::core::camera::measure;
use crate::core::rehearsal::{Do, Input, Outcome, Rehearsal, Stage, CAMERA_PATIENCE_MS};
use crate::core::settings::Settings;

/// Frames measured a second: four, often enough to follow a hand moving the card, rarely
/// enough to leave a cheap phone's processor to the camera.
const FRAME_EVERY: Duration = Duration::from_millis(250);

/// A running camera check. Cheap to copy into the screen's handlers.
#[derive(Clone, Copy)]
pub struct CameraCheck {
    machine: RwSignal<Rehearsal>,
    /// Where the preview shows.
    video: NodeRef<leptos::html::Video>,
    /// The session's settings (the host page's origin).
    settings: ReadSignal<Settings>,
    /// Told once the check is over, with what it found.
    finished: Callback<Outcome>,
}

impl CameraCheck {
    /// Starts a check showing its preview in `video`; `finished` hears its outcome. Leaving
    /// the screen that made it (its owner cleaned up) stops the camera.
    pub fn start(
        video: NodeRef<leptos::html::Video>,
        settings: ReadSignal<Settings>,
        finished: Callback<Outcome>,
    ) -> CameraCheck {
        let check = CameraCheck {
            machine: RwSignal::new(Rehearsal::new()),
            video,
            settings,
            finished,
        };
        check.tick(Rc::new(RefCell::new(Grabber::new())));
        // Leaving in any way (Skip, the flow moving on, a language switch) stops the camera.
        on_cleanup(move || {
            check.send(Input::Leave);
            camera::stop_all();
        });
        check
    }

    /// The machine, for the screen to render.
    pub fn machine(&self) -> RwSignal<Rehearsal> {
        self.machine
    }

    /// Feeds `input` to the machine and performs what it asks. Once the screen is gone (its
    /// state disposed), any camera still open or arriving is stopped.
    pub fn send(self, input: Input) {
        let Some(effects) = self.machine.try_update(|m| m.step(input)) else {
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
                        self.send(input);
                        // Shown only when the machine kept it.
                        if let (Some(stream), Some(video)) =
                            (camera::stream(attempt), self.video.get_untracked())
                        {
                            camera::show(&video.into(), &stream);
                        }
                    });
                    set_timeout(
                        move || self.send(Input::TimedOut { attempt }),
                        Duration::from_millis(CAMERA_PATIENCE_MS.into()),
                    );
                }
                Do::StopCamera => camera::stop_all(),
                Do::Release { attempt } => camera::release(attempt),
                // The screen's live region follows the machine's `said`.
                Do::Say(_) => {}
                Do::Report(outcome) => {
                    let origin = self.settings.with_untracked(|s| s.host_origin.clone());
                    crate::host::notify_camera_check(&outcome, origin.as_deref());
                    self.finished.run(outcome);
                }
            }
        }
    }

    /// Measures the preview's current frame while the check is live, [`FRAME_EVERY`], until
    /// it is over.
    fn tick(self, grabber: Rc<RefCell<Option<Grabber>>>) {
        let Some(stage) = self.machine.try_with_untracked(Rehearsal::stage) else {
            return;
        };
        if stage == Stage::Closed {
            return;
        }
        if let (Stage::Live(part), Some(video)) = (stage, self.video.get_untracked()) {
            let measures = grabber
                .borrow_mut()
                .as_mut()
                .and_then(|g| g.grab(&video.into()))
                .and_then(|(w, h, grey)| measure(w, h, grey, part.guide()));
            self.send(Input::Frame(measures));
        }
        set_timeout(move || self.tick(grabber), FRAME_EVERY);
    }
}
