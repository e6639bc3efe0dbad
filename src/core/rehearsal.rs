//! The camera rehearsal, an optional detour of the prep screen: the customer tries the
//! camera and the light before Persona opens, first on the ID with the back camera, then
//! for the selfie with the front one, and is told in plain words what to fix.
//!
//! A small machine of its own beside the flow ([`super::flow`]), which neither waits for it
//! nor changes with it: the rehearsal is a detour of the prep screen, and its only output,
//! the [`Outcome`] for the host page, is sent by the shell as the `camera_check` event
//! (not a flow `HostEvent`: its payload's code would then sit in the first load). The shell
//! performs what [`Rehearsal::step`] returns ([`Do`]) and reports back with [`Input`]s. Nothing of what the camera sees is kept: a
//! frame is reduced to three figures ([`Measures`]), and only which checks passed leaves
//! this machine.

use super::camera::{resolution, Feedback, Glare, Guide, Light, Measures, Resolution, Sharpness};

/// How long the browser may take to open the camera (the permission prompt included)
/// before the customer is told what usually causes a silent camera (being inside another
/// app). The request is not abandoned: a camera that opens later is still used. Twelve
/// seconds leave time to read and answer the browser's prompt; in-app browsers that never
/// answer do not answer within a minute either.
pub const CAMERA_PATIENCE_MS: u32 = 12_000;

/// How many frames in a row a new verdict must hold before it is said (at the shell's four
/// frames a second, half a second): a verdict flickering between two frames is not read
/// out twice a second to a screen reader user.
pub const STEADY_FRAMES: u8 = 2;

/// How many frames in a row a check must pass to count as passed for the outcome.
pub const PASS_FRAMES: u8 = 3;

/// Which part of the rehearsal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// The ID, with the back camera.
    Id,
    /// The selfie, with the front camera.
    Selfie,
}

impl Part {
    /// The guide drawn on the preview and measured in.
    pub fn guide(self) -> Guide {
        match self {
            Part::Id => Guide::Card,
            Part::Selfie => Guide::Face,
        }
    }

    /// The camera's `facingMode`: the back camera for the ID, the front one for the selfie.
    pub fn facing_mode(self) -> &'static str {
        match self {
            Part::Id => "environment",
            Part::Selfie => "user",
        }
    }
}

/// Why the camera did not open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CameraFailure {
    /// The customer or the browser refused it (`NotAllowedError`).
    Denied,
    /// There is none (`NotFoundError`, `OverconstrainedError`, no `mediaDevices`).
    NoCamera,
    /// No answer within [`CAMERA_PATIENCE_MS`].
    NoAnswer,
    /// Another app holds it, or the browser failed otherwise.
    Busy,
}

impl CameraFailure {
    /// From a `getUserMedia` rejection's `name`.
    pub fn from_error_name(name: &str) -> CameraFailure {
        match name {
            "NotAllowedError" | "SecurityError" | "PermissionDeniedError" => CameraFailure::Denied,
            "NotFoundError" | "OverconstrainedError" | "DevicesNotFoundError" => {
                CameraFailure::NoCamera
            }
            _ => CameraFailure::Busy,
        }
    }
}

/// Where the rehearsal stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// What will happen and why, before the browser asks for the camera.
    Explain,
    /// Waiting for the camera.
    Opening(Part),
    /// The live preview.
    Live(Part),
    /// The camera did not open (a late camera still moves on to [`Stage::Live`]).
    Failed(CameraFailure),
    /// Over: back to the prep screen.
    Closed,
}

/// Which of one part's checks passed (`None`: not measured).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Checks {
    /// Enough light.
    pub light: Option<bool>,
    /// Sharp.
    pub sharpness: Option<bool>,
    /// No glare (on a face: no bright light behind).
    pub glare: Option<bool>,
    /// The camera's resolution (the ID only).
    pub resolution: Option<bool>,
}

/// What the rehearsal found, for the host page: which checks passed, nothing else.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Outcome {
    /// The customer went through both parts.
    pub finished: bool,
    /// The ID part.
    pub id: Checks,
    /// The selfie part.
    pub selfie: Checks,
}

impl Outcome {
    /// Whether any check was measured.
    pub fn measured(&self) -> bool {
        (self.id, self.selfie) != Default::default()
    }

    /// Each measured check by its name in the event (`id_light`...) and whether it passed.
    pub fn checks(&self) -> Vec<(&'static str, bool)> {
        let Outcome { id, selfie, .. } = self;
        [
            ("id_light", id.light),
            ("id_sharpness", id.sharpness),
            ("id_glare", id.glare),
            ("id_resolution", id.resolution),
            ("selfie_light", selfie.light),
            ("selfie_sharpness", selfie.sharpness),
            ("selfie_glare", selfie.glare),
        ]
        .into_iter()
        .filter_map(|(name, passed)| passed.map(|p| (name, p)))
        .collect()
    }
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Input {
    /// "Open the camera", after the explanation (or "Try again" after a failure).
    Open,
    /// The camera of request `attempt` opened, delivering `width` x `height` (0 when the
    /// browser does not say).
    Opened {
        /// Which request ([`Do::OpenCamera`]).
        attempt: u32,
        /// The track's width.
        width: u32,
        /// The track's height.
        height: u32,
    },
    /// The camera of request `attempt` did not open.
    Failed {
        /// Which request.
        attempt: u32,
        /// Why.
        failure: CameraFailure,
    },
    /// [`CAMERA_PATIENCE_MS`] passed since [`Do::OpenCamera`] number `attempt`.
    TimedOut {
        /// Which request.
        attempt: u32,
    },
    /// A frame was measured (`None`: it could not be, such as a frame of size 0).
    Frame(Option<Measures>),
    /// "Next" on the ID, "Done" on the selfie.
    Next,
    /// "Skip", "Continue without it", or the screen went away.
    Leave,
}

/// What the shell must do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Do {
    /// Ask for this part's camera (stop any other first), and send
    /// [`Input::TimedOut`] with this `attempt` after [`CAMERA_PATIENCE_MS`].
    OpenCamera {
        /// Which camera.
        part: Part,
        /// The request's number.
        attempt: u32,
    },
    /// Stop every camera track.
    StopCamera,
    /// Stop the tracks of request `attempt`, which came when no longer wanted.
    Release {
        /// Which request.
        attempt: u32,
    },
    /// Put this in the live region (it changed).
    Say(Feedback),
    /// Tell the host page.
    Report(Outcome),
}

/// The rehearsal's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rehearsal {
    stage: Stage,
    /// The part asked for when the camera failed: a late camera is still this part's.
    waiting: Option<Part>,
    attempt: u32,
    /// What was said last in this part, and the verdict seen in the latest frames with how
    /// many frames in a row.
    said: Option<Feedback>,
    seen: Option<(Feedback, u8)>,
    /// Frames in a row each check passed: light, sharpness, glare.
    streaks: [u8; 3],
    outcome: Outcome,
}

impl Default for Rehearsal {
    fn default() -> Self {
        Rehearsal::new()
    }
}

impl Rehearsal {
    /// A rehearsal on its explanation.
    pub fn new() -> Rehearsal {
        Rehearsal {
            stage: Stage::Explain,
            waiting: None,
            attempt: 0,
            said: None,
            seen: None,
            streaks: [0; 3],
            outcome: Outcome::default(),
        }
    }

    /// Where it stands.
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// What is said now about the live picture, if anything yet.
    pub fn said(&self) -> Option<Feedback> {
        self.said
    }

    /// The ID camera's resolution verdict, once known.
    pub fn resolution(&self) -> Option<Resolution> {
        self.outcome.id.resolution.map(|enough| {
            if enough {
                Resolution::Enough
            } else {
                Resolution::Low
            }
        })
    }

    /// What was found so far.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    fn checks(&mut self, part: Part) -> &mut Checks {
        match part {
            Part::Id => &mut self.outcome.id,
            Part::Selfie => &mut self.outcome.selfie,
        }
    }

    fn open(&mut self, part: Part, out: &mut Vec<Do>) {
        self.attempt += 1;
        self.stage = Stage::Opening(part);
        self.waiting = Some(part);
        self.said = None;
        self.seen = None;
        self.streaks = [0; 3];
        out.push(Do::OpenCamera {
            part,
            attempt: self.attempt,
        });
    }

    fn close(&mut self, out: &mut Vec<Do>) {
        if self.stage != Stage::Closed {
            self.stage = Stage::Closed;
            self.waiting = None;
            out.push(Do::StopCamera);
            out.push(Do::Report(self.outcome));
        }
    }

    /// Advances by one input; returns what the shell must do, in order.
    pub fn step(&mut self, input: Input) -> Vec<Do> {
        let mut out = Vec::new();
        match (input, self.stage) {
            (Input::Open, Stage::Explain | Stage::Failed(_)) => {
                let part = self.waiting.unwrap_or(Part::Id);
                out.push(Do::StopCamera);
                self.open(part, &mut out);
            }
            (
                Input::Opened {
                    attempt,
                    width,
                    height,
                },
                Stage::Opening(_) | Stage::Failed(CameraFailure::NoAnswer),
            ) if attempt == self.attempt => {
                let part = self.waiting.unwrap_or(Part::Id);
                if part == Part::Id {
                    self.outcome.id.resolution =
                        Some(resolution(width, height) == Resolution::Enough);
                }
                self.stage = Stage::Live(part);
            }
            // A camera arriving when it is no longer wanted is stopped at once.
            (Input::Opened { attempt, .. }, _) => out.push(Do::Release { attempt }),
            (Input::Failed { attempt, failure }, Stage::Opening(_) | Stage::Failed(_))
                if attempt == self.attempt =>
            {
                self.stage = Stage::Failed(failure);
            }
            (Input::TimedOut { attempt }, Stage::Opening(_)) if attempt == self.attempt => {
                // Still waiting for the camera: a late one is used.
                self.stage = Stage::Failed(CameraFailure::NoAnswer);
            }
            (Input::Frame(Some(measures)), Stage::Live(part)) => {
                self.frame(part, measures, &mut out)
            }
            (Input::Next, Stage::Live(Part::Id)) => {
                out.push(Do::StopCamera);
                self.open(Part::Selfie, &mut out);
            }
            (Input::Next, Stage::Live(Part::Selfie)) => {
                self.outcome.finished = true;
                self.close(&mut out);
            }
            (Input::Leave, _) => self.close(&mut out),
            _ => {}
        }
        out
    }

    fn frame(&mut self, part: Part, measures: Measures, out: &mut Vec<Do>) {
        let guide = part.guide();
        let passes = [
            measures.light() == Light::Good,
            measures.sharpness() == Sharpness::Sharp,
            measures.glare() == Glare::Clear,
        ];
        for (streak, pass) in self.streaks.iter_mut().zip(passes) {
            *streak = if pass { streak.saturating_add(1) } else { 0 };
        }
        let streaks = self.streaks;
        let checks = self.checks(part);
        for (check, streak) in [&mut checks.light, &mut checks.sharpness, &mut checks.glare]
            .into_iter()
            .zip(streaks)
        {
            *check = Some(check.unwrap_or(false) || streak >= PASS_FRAMES);
        }
        let feedback = measures.feedback(guide);
        let count = match self.seen {
            Some((seen, n)) if seen == feedback => n.saturating_add(1),
            _ => 1,
        };
        self.seen = Some((feedback, count));
        if count >= STEADY_FRAMES && self.said != Some(feedback) {
            self.said = Some(feedback);
            out.push(Do::Say(feedback));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DARK: Measures = Measures {
        mean: 20,
        laplacian_variance: 5,
        saturated_per_mille: 0,
    };
    const GOOD: Measures = Measures {
        mean: 130,
        laplacian_variance: 2_000,
        saturated_per_mille: 2,
    };
    const BLURRY: Measures = Measures {
        mean: 130,
        laplacian_variance: 20,
        saturated_per_mille: 0,
    };
    const GLARE: Measures = Measures {
        mean: 170,
        laplacian_variance: 2_000,
        saturated_per_mille: 80,
    };

    fn live_on_id() -> Rehearsal {
        let mut r = Rehearsal::new();
        assert_eq!(
            r.step(Input::Open),
            vec![
                Do::StopCamera,
                Do::OpenCamera {
                    part: Part::Id,
                    attempt: 1
                }
            ]
        );
        assert_eq!(r.stage(), Stage::Opening(Part::Id));
        assert_eq!(
            r.step(Input::Opened {
                attempt: 1,
                width: 1280,
                height: 720
            }),
            vec![]
        );
        assert_eq!(r.stage(), Stage::Live(Part::Id));
        r
    }

    fn frames(r: &mut Rehearsal, m: Measures, n: usize) -> Vec<Do> {
        (0..n).flat_map(|_| r.step(Input::Frame(Some(m)))).collect()
    }

    #[test]
    fn the_explanation_comes_first_and_nothing_opens_without_the_customer() {
        let mut r = Rehearsal::new();
        assert_eq!(r.stage(), Stage::Explain);
        assert_eq!(r.step(Input::Frame(Some(GOOD))), vec![]);
        assert_eq!(r.step(Input::Next), vec![]);
        assert_eq!(r.stage(), Stage::Explain);
    }

    #[test]
    fn a_verdict_is_said_once_when_it_holds_and_again_only_when_it_changes() {
        let mut r = live_on_id();
        // One frame is not enough; the second says it.
        assert_eq!(r.step(Input::Frame(Some(DARK))), vec![]);
        assert_eq!(
            r.step(Input::Frame(Some(DARK))),
            vec![Do::Say(Feedback::Dark)]
        );
        // The same verdict again: silence.
        assert_eq!(frames(&mut r, DARK, 10), vec![]);
        // A single different frame (a flicker) is not said.
        assert_eq!(r.step(Input::Frame(Some(GOOD))), vec![]);
        assert_eq!(r.step(Input::Frame(Some(DARK))), vec![]);
        assert_eq!(r.said(), Some(Feedback::Dark));
        // Light comes on, then a lamp reflects, then the card moves.
        assert_eq!(frames(&mut r, GOOD, 5), vec![Do::Say(Feedback::Good)]);
        assert_eq!(frames(&mut r, GLARE, 5), vec![Do::Say(Feedback::Glare)]);
        assert_eq!(frames(&mut r, BLURRY, 5), vec![Do::Say(Feedback::Blurry)]);
        // Frames that cannot be measured change nothing.
        assert_eq!(r.step(Input::Frame(None)), vec![]);
        assert_eq!(r.said(), Some(Feedback::Blurry));
    }

    #[test]
    fn the_id_then_the_selfie_with_the_other_camera_and_the_outcome_once() {
        let mut r = live_on_id();
        frames(&mut r, GOOD, 3);
        assert_eq!(
            r.step(Input::Next),
            vec![
                Do::StopCamera,
                Do::OpenCamera {
                    part: Part::Selfie,
                    attempt: 2
                }
            ]
        );
        assert_eq!(Part::Id.facing_mode(), "environment");
        assert_eq!(Part::Selfie.facing_mode(), "user");
        // The selfie's verdicts start afresh: "good" is said again.
        r.step(Input::Opened {
            attempt: 2,
            width: 640,
            height: 480,
        });
        assert_eq!(r.stage(), Stage::Live(Part::Selfie));
        assert_eq!(frames(&mut r, DARK, 2), vec![Do::Say(Feedback::Dark)]);
        assert_eq!(frames(&mut r, GLARE, 3), vec![Do::Say(Feedback::Backlit)]);
        let out = r.step(Input::Next);
        let outcome = Outcome {
            finished: true,
            id: Checks {
                light: Some(true),
                sharpness: Some(true),
                glare: Some(true),
                resolution: Some(true),
            },
            selfie: Checks {
                light: Some(true),
                sharpness: Some(true),
                glare: Some(false),
                resolution: None,
            },
        };
        assert_eq!(out, vec![Do::StopCamera, Do::Report(outcome)]);
        assert_eq!(r.stage(), Stage::Closed);
        // Leaving afterwards reports nothing more.
        assert_eq!(r.step(Input::Leave), vec![]);
        assert_eq!(
            outcome.checks(),
            vec![
                ("id_light", true),
                ("id_sharpness", true),
                ("id_glare", true),
                ("id_resolution", true),
                ("selfie_light", true),
                ("selfie_sharpness", true),
                ("selfie_glare", false),
            ]
        );
    }

    #[test]
    fn a_check_passes_only_after_three_good_frames_in_a_row() {
        let mut r = live_on_id();
        for m in [GOOD, GOOD, BLURRY, GOOD, GOOD] {
            r.step(Input::Frame(Some(m)));
        }
        let id = r.outcome().id;
        assert_eq!(id.light, Some(true));
        assert_eq!(id.glare, Some(true));
        assert_eq!(id.sharpness, Some(false));
    }

    #[test]
    fn a_low_resolution_camera_is_noted_for_the_id() {
        let mut r = Rehearsal::new();
        r.step(Input::Open);
        r.step(Input::Opened {
            attempt: 1,
            width: 640,
            height: 480,
        });
        assert_eq!(r.resolution(), Some(Resolution::Low));
        assert_eq!(r.outcome().id.resolution, Some(false));
    }

    #[test]
    fn skipping_at_any_point_stops_the_camera_and_reports_what_was_found() {
        let mut r = Rehearsal::new();
        assert_eq!(
            r.step(Input::Leave),
            vec![Do::StopCamera, Do::Report(Outcome::default())]
        );
        let mut r = live_on_id();
        frames(&mut r, DARK, 3);
        let out = r.step(Input::Leave);
        assert_eq!(out[0], Do::StopCamera);
        let Do::Report(outcome) = out[1] else {
            panic!("{out:?}")
        };
        assert!(!outcome.finished);
        assert_eq!(outcome.id.light, Some(false));
        assert_eq!(outcome.selfie, Checks::default());
    }

    #[test]
    fn a_camera_arriving_after_the_customer_left_is_stopped() {
        let mut r = Rehearsal::new();
        r.step(Input::Open);
        r.step(Input::Leave);
        assert_eq!(
            r.step(Input::Opened {
                attempt: 1,
                width: 1280,
                height: 720
            }),
            vec![Do::Release { attempt: 1 }]
        );
        assert_eq!(r.stage(), Stage::Closed);
    }

    #[test]
    fn an_older_request_answering_late_is_released_not_shown() {
        let mut r = Rehearsal::new();
        r.step(Input::Open);
        r.step(Input::TimedOut { attempt: 1 });
        // "Try again": a second request; then the first one answers after all.
        r.step(Input::Open);
        assert_eq!(
            r.step(Input::Opened {
                attempt: 1,
                width: 1280,
                height: 720
            }),
            vec![Do::Release { attempt: 1 }]
        );
        assert_eq!(r.stage(), Stage::Opening(Part::Id));
        // Nor does its failure count.
        r.step(Input::Failed {
            attempt: 1,
            failure: CameraFailure::Busy,
        });
        assert_eq!(r.stage(), Stage::Opening(Part::Id));
        r.step(Input::Opened {
            attempt: 2,
            width: 1280,
            height: 720,
        });
        assert_eq!(r.stage(), Stage::Live(Part::Id));
    }

    #[test]
    fn refused_or_missing_cameras_fail_and_can_be_tried_again() {
        assert_eq!(
            CameraFailure::from_error_name("NotAllowedError"),
            CameraFailure::Denied
        );
        assert_eq!(
            CameraFailure::from_error_name("NotFoundError"),
            CameraFailure::NoCamera
        );
        assert_eq!(
            CameraFailure::from_error_name("NotReadableError"),
            CameraFailure::Busy
        );
        let mut r = Rehearsal::new();
        r.step(Input::Open);
        assert_eq!(
            r.step(Input::Failed {
                attempt: 1,
                failure: CameraFailure::Denied
            }),
            vec![]
        );
        assert_eq!(r.stage(), Stage::Failed(CameraFailure::Denied));
        let again = r.step(Input::Open);
        assert_eq!(
            again.last(),
            Some(&Do::OpenCamera {
                part: Part::Id,
                attempt: 2
            })
        );
    }

    #[test]
    fn a_camera_that_never_answers_times_out_and_a_late_one_is_still_used() {
        let mut r = Rehearsal::new();
        r.step(Input::Open);
        // An older request's timer is ignored.
        assert_eq!(r.step(Input::TimedOut { attempt: 0 }), vec![]);
        assert_eq!(r.stage(), Stage::Opening(Part::Id));
        r.step(Input::TimedOut { attempt: 1 });
        assert_eq!(r.stage(), Stage::Failed(CameraFailure::NoAnswer));
        r.step(Input::Opened {
            attempt: 1,
            width: 1920,
            height: 1080,
        });
        assert_eq!(r.stage(), Stage::Live(Part::Id));
        // Once live, a timer changes nothing.
        assert_eq!(r.step(Input::TimedOut { attempt: 1 }), vec![]);
        assert_eq!(r.stage(), Stage::Live(Part::Id));
    }
}
