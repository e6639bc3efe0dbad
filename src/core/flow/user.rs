//! What each of the customer's taps does.

use super::*;

impl Flow {
    pub(super) fn on_user(&mut self, now: Millis, action: UserAction, fx: &mut Vec<Effect>) {
        // A look at the list while a document request is offered runs in the background:
        // the customer's tap goes first (its answer is then dropped).
        let busy = self.requests.in_flight.is_some()
            && !(self.in_flight() == Some(RequestKind::ListVerifications)
                && matches!(self.phase, Phase::Paused));
        match (action, &mut self.phase) {
            // A check left before it measured anything does not replace one that did.
            (UserAction::CameraChecked(outcome), phase) if outcome.measured() => {
                self.camera_check = Some(outcome);
                // Checked again from the retry screen: its advice follows.
                if let Phase::Outcome(Screen::Retry { camera, .. }) = phase {
                    *camera = Some(outcome);
                }
            }
            (UserAction::LinkForBrowser, _) => self.make_link(fx),
            (UserAction::StayHere, _) => {
                self.session.ending = false;
                // Any request renews the session; one that is on its way or due will.
                if self.requests.in_flight.is_none() && self.requests.timer.is_none() {
                    self.send(RequestKind::KeepAlive, fx);
                }
            }
            (
                UserAction::Start,
                Phase::Prep
                | Phase::Outcome(Screen::Retry { .. })
                | Phase::Outcome(Screen::Expired(_)),
            ) if !busy => {
                self.creating.attempts = 0;
                self.creating.document = false;
                fx.push(Effect::Notify(HostEvent::Started));
                if !self.creating.starting {
                    self.creating.starting = true;
                    fx.push(Effect::MarkStarting(true));
                }
                self.phase = Phase::Listing(ListPurpose::Start);
                self.send(RequestKind::ListVerifications, fx);
            }
            (UserAction::Resume, Phase::Paused | Phase::Problem(Problem::Persona(_)))
            | (UserAction::Resume, Phase::Problem(Problem::PersonaUnavailable))
            | (
                UserAction::Resume,
                Phase::Capture {
                    ready: false,
                    slow: true,
                    ..
                },
            ) if !busy => {
                // "Try again" while Persona's frame is slow to come: that one goes, and
                // its session token with it.
                self.drop_slow_capture(fx);
                self.persona.token_refusals = 0;
                match &self.tracked {
                    Some(t) if t.resumable() => {
                        self.phase = Phase::RequestingSession;
                        self.send(RequestKind::PersonaSession, fx);
                    }
                    Some(_) => {
                        // Maybe expired: look at it again and go from there.
                        self.phase = Phase::Rechecking { problem: None };
                        self.send(RequestKind::Verification, fx);
                    }
                    None => self.fall_back_to_list(fx),
                }
            }
            (UserAction::StartOver, Phase::Paused) => self.phase = Phase::Prep,
            // A new document request, which the server makes only when the customer's newest
            // one could not be used; followed and opened as any other.
            (UserAction::SendDocumentAgain, Phase::Outcome(Screen::DocumentRefused { .. }))
                if !busy =>
            {
                self.creating.attempts = 0;
                self.creating.document = true;
                self.phase = Phase::Creating;
                self.send(RequestKind::CreateVerification, fx);
            }
            (UserAction::KeepWaiting, Phase::StillPreparing) => {
                self.requests.poll_attempt = 0;
                match self.tracked {
                    Some(_) => {
                        self.phase = Phase::WaitingForInquiry {
                            since: now,
                            slow: false,
                        };
                        self.send(RequestKind::Verification, fx);
                    }
                    None => {
                        self.phase = Phase::Confirming {
                            since: now,
                            verdict: None,
                        };
                        self.send(RequestKind::Customer, fx);
                    }
                }
            }
            (UserAction::KeepWaiting, Phase::StillChecking) => {
                self.requests.poll_attempt = 0;
                self.phase = Phase::Checking { since: now };
                self.send(RequestKind::Verification, fx);
            }
            (UserAction::Retry, Phase::Problem(_) | Phase::SessionEnded) => {
                let remembered = self.remembered.clone();
                let handoff = self.handoff.following;
                let starting = self.creating.starting;
                self.handle(
                    now,
                    Event::AppStarted {
                        remembered,
                        handoff,
                        starting,
                    },
                    fx,
                );
            }
            // Also from "try again" and "expired": a retry's tips may say to use a phone
            // camera. (The server never reports the verification concluded there as the
            // phone's: it is older than the code.)
            (
                UserAction::ContinueOnPhone,
                Phase::Prep
                | Phase::Paused
                | Phase::Problem(Problem::PersonaUnavailable)
                | Phase::Outcome(Screen::Retry { .. })
                | Phase::Outcome(Screen::Expired(_)),
            ) if !busy => self.start_handoff(RequestKind::Handoff, fx),
            // A wait that is taking long: the other device carries on with the same
            // verification (a look at it on its way is no longer awaited).
            (
                UserAction::ContinueOnPhone,
                Phase::WaitingForInquiry { slow: true, .. }
                | Phase::Capture {
                    ready: false,
                    slow: true,
                    ..
                },
            ) => {
                if self.in_flight() == Some(RequestKind::Verification) {
                    self.requests.in_flight = None;
                }
                self.drop_slow_capture(fx);
                self.start_handoff(RequestKind::Handoff, fx)
            }
            // A look at the phone's progress may be on its way (one every two seconds): the
            // tap still counts, and that answer is no longer awaited.
            // Not while a phone is using the code: a new one would end its session.
            (
                UserAction::NewCode,
                Phase::Handoff {
                    phone: PhoneProgress::WaitingForPhone | PhoneProgress::CodeExpired,
                    ..
                },
            ) if !matches!(self.requests.in_flight, Some((_, RequestKind::Handoff))) => {
                self.start_handoff(RequestKind::Handoff, fx)
            }
            (
                UserAction::NotMyPhone,
                Phase::Handoff {
                    phone: PhoneProgress::Connected | PhoneProgress::InProgress,
                    ..
                },
            ) => self.start_handoff(RequestKind::HandoffRevoke, fx),
            (
                UserAction::UseThisDevice,
                Phase::Handoff {
                    phone: PhoneProgress::WaitingForPhone | PhoneProgress::CodeExpired,
                    ..
                },
            ) => {
                self.requests.timer = None;
                // An answer on its way is dropped when it comes (a code, ended then).
                self.requests.in_flight = None;
                self.stop_following_phone(fx);
                self.phase = self.handoff.from.take().unwrap_or(Phase::Prep);
                // A document request offered during a review: the review is watched again
                // (the handoff stopped that), as when Persona's window closes.
                if self.phase == Phase::Paused && self.tracked.as_ref().is_some_and(|t| t.documents)
                {
                    self.requests.poll_attempt = 0;
                    self.poll_review(RequestKind::ListVerifications, now, fx);
                }
            }
            // The phone came but went quiet (its battery, its camera): take the verification
            // back here, wherever it stands, found out as a page load does (the customer
            // record first: the phone may have just finished).
            (UserAction::UseThisDevice, Phase::Handoff { .. }) => {
                self.stop_following_phone(fx);
                let remembered = self.remembered.clone();
                self.handle(
                    now,
                    Event::AppStarted {
                        remembered,
                        handoff: false,
                        starting: false,
                    },
                    fx,
                );
            }
            _ => {}
        }
    }

    /// Persona's frame that was slow to come is given up (the customer chose another way).
    fn drop_slow_capture(&mut self, fx: &mut Vec<Effect>) {
        if matches!(self.phase, Phase::Capture { ready: false, .. }) {
            self.persona.ready_timer = None;
            fx.push(Effect::DestroyPersona);
        }
    }
}
