//! The machine's entry point for every event, and its request bookkeeping: one request
//! outstanding, answers taken only by its id, polls and retries scheduled.

use super::*;

impl Flow {
    pub(super) fn handle(&mut self, now: Millis, event: Event, fx: &mut Vec<Effect>) {
        match event {
            Event::AppStarted {
                remembered,
                handoff,
                starting,
            } => {
                // A restart ("Try again") keeps what it cannot know afresh: whether the
                // device is online, and the ids already handed out (so an answer or a timer
                // of the old run cannot pass for one of the new).
                let before = std::mem::replace(self, Flow::new(self.language));
                self.online = before.online;
                self.requests.next_timer = before.requests.next_timer;
                self.requests.last_id = before.requests.last_id;
                self.persona.launches = before.persona.launches;
                self.session.clock_offset = before.session.clock_offset;
                self.remembered = remembered;
                self.handoff.following = handoff;
                self.creating.starting = starting;
                self.send(RequestKind::Session, fx);
            }
            Event::Answered(id, answer) => self.on_answer(now, id, answer, fx),
            Event::PersonaReady => {
                if let Phase::Capture { ready, .. } = &mut self.phase {
                    if !*ready {
                        fx.push(Effect::Notify(HostEvent::PersonaReady));
                    }
                    *ready = true;
                    self.persona.token_refusals = 0;
                }
            }
            Event::PersonaCompleted { status } => {
                if matches!(self.phase, Phase::Capture { .. }) {
                    fx.push(Effect::Notify(HostEvent::PersonaCompleted { status }));
                    fx.push(Effect::DestroyPersona);
                    self.phase = Phase::Checking { since: now };
                    self.requests.poll_attempt = 0;
                    self.send(RequestKind::Verification, fx);
                }
            }
            Event::PersonaCancelled => {
                if matches!(self.phase, Phase::Capture { .. }) {
                    fx.push(Effect::DestroyPersona);
                    self.phase = Phase::Paused;
                    if self.tracked.as_ref().is_some_and(|t| t.documents) {
                        self.requests.poll_attempt = 0;
                        self.poll_review(RequestKind::ListVerifications, now, fx);
                    }
                }
            }
            Event::PersonaErrored { code } => {
                if matches!(self.phase, Phase::Capture { .. }) {
                    fx.push(Effect::DestroyPersona);
                    self.on_persona_error(code, fx);
                }
            }
            Event::PersonaUnavailable => {
                if matches!(self.phase, Phase::Capture { .. }) {
                    fx.push(Effect::DestroyPersona);
                    self.phase = Phase::Problem(Problem::PersonaUnavailable);
                }
            }
            Event::Language(lang) => self.language = lang,
            Event::LinkCopied(copied) => self.link.copied = copied,
            Event::PersonaEvent { name } => {
                if let Phase::Capture { on_phone, .. } = &mut self.phase {
                    match name.as_str() {
                        "one-time-link-sent" | "one-time-link-start" => *on_phone = true,
                        "one-time-link-exit" => *on_phone = false,
                        _ => {}
                    }
                }
            }
            // An older code's refresh fires before this one's is due.
            Event::TimerFired(TimerId::IdleWarning) => {
                // Quiet since: no request went, none is due (a poll would renew it).
                let quiet = self.requests.in_flight.is_none() && self.requests.timer.is_none();
                if quiet
                    && !matches!(self.phase, Phase::SessionEnded)
                    && self
                        .session
                        .idle
                        .is_some_and(|idle| now >= self.session.last_request + warn_after(idle))
                {
                    self.session.ending = true;
                }
            }
            Event::TimerFired(TimerId::HandoffRefresh) => {
                if self.handoff.refresh_due.is_some_and(|due| now >= due)
                    && matches!(
                        self.phase,
                        Phase::Handoff {
                            link: Some(_),
                            phone: PhoneProgress::WaitingForPhone
                        }
                    )
                    && self.in_flight() != Some(RequestKind::Handoff)
                {
                    self.start_handoff(RequestKind::Handoff, fx);
                }
            }
            Event::TimerFired(id) if self.persona.ready_timer == Some(id) => {
                self.persona.ready_timer = None;
                match &mut self.phase {
                    // A few seconds without Persona's frame: say so and offer the ways
                    // forward, and give it the rest of its time.
                    Phase::Capture {
                        ready: false,
                        slow: slow @ false,
                        ..
                    } => {
                        *slow = true;
                        self.persona.ready_timer = Some(id);
                        fx.push(Effect::StartTimer {
                            id,
                            ms: PERSONA_READY_LIMIT_MS - SLOW_WAIT_MS,
                        });
                    }
                    Phase::Capture { ready: false, .. } => {
                        fx.push(Effect::DestroyPersona);
                        self.phase = Phase::Problem(Problem::PersonaUnavailable);
                    }
                    _ => {}
                }
            }
            Event::TimerFired(id) => {
                if let Some((current, request)) = self.requests.timer {
                    if current == id {
                        self.requests.timer = None;
                        self.send(request, fx);
                    }
                }
            }
            Event::Connectivity { online } => {
                self.online = online;
                // Back online: do not make the customer wait out a backoff.
                if online {
                    if let Some((_, request)) = self.requests.timer.take() {
                        self.send(request, fx);
                    }
                }
            }
            Event::User(action) => self.on_user(now, action, fx),
        }
    }

    /// The next number for a request.
    pub(super) fn fresh_id(&mut self) -> RequestId {
        self.requests.last_id = self.requests.last_id.wrapping_add(1);
        RequestId(self.requests.last_id)
    }

    /// Makes `request` without awaiting its answer (any that comes is dropped).
    pub(super) fn send_unawaited(&mut self, request: Request, fx: &mut Vec<Effect>) {
        fx.push(Effect::Send(self.fresh_id(), request));
    }

    /// Emits the effect for `request` now, cancelling any timer.
    pub(super) fn send(&mut self, request: RequestKind, fx: &mut Vec<Effect>) {
        self.requests.timer = None;
        let customer_guid = self.customer.guid.clone().unwrap_or_default();
        let tracked = self.tracked.as_ref();
        let effect = match request {
            RequestKind::Session => Request::FetchSession,
            RequestKind::KeepAlive => Request::KeepAlive,
            RequestKind::Customer => Request::FetchCustomer { customer_guid },
            RequestKind::ListVerifications => Request::ListVerifications { customer_guid },
            RequestKind::CreateVerification => {
                let mut post = PostIdentityVerification::kyc_id_and_selfie(&customer_guid);
                if self.creating.document {
                    post.method = VerificationMethod::DocumentSubmission;
                }
                Request::CreateVerification(post)
            }
            RequestKind::Verification => match tracked {
                Some(t) => Request::FetchVerification {
                    guid: t.guid.clone(),
                },
                None => return self.fall_back_to_list(fx),
            },
            RequestKind::Handoff => Request::MintHandoff,
            RequestKind::HandoffStatus => Request::FetchHandoffStatus,
            RequestKind::HandoffRevoke => Request::RevokeHandoff,
            RequestKind::HandoffCancel => Request::CancelHandoff,
            RequestKind::PersonaSession => match tracked {
                Some(Tracked {
                    guid,
                    inquiry_id: Some(inquiry),
                    ..
                }) => Request::RequestSessionToken(PostPersonaSession {
                    persona_inquiry_id: inquiry.clone(),
                    identity_verification_guid: guid.clone(),
                }),
                _ => return self.fall_back_to_list(fx),
            },
        };
        let id = self.fresh_id();
        self.requests.in_flight = Some((id, request));
        self.session.requested = true;
        fx.push(Effect::Send(id, effect));
    }

    /// Nothing to follow after all (cannot happen through `step`): find out afresh.
    pub(super) fn fall_back_to_list(&mut self, fx: &mut Vec<Effect>) {
        self.phase = Phase::Listing(ListPurpose::Load);
        self.send(RequestKind::ListVerifications, fx);
    }

    /// Sends `request` after `ms`.
    pub(super) fn later(&mut self, request: RequestKind, ms: u32, fx: &mut Vec<Effect>) {
        self.requests.next_timer = self.requests.next_timer.wrapping_add(1);
        let id = TimerId::Request(self.requests.next_timer);
        self.requests.timer = Some((id, request));
        fx.push(Effect::StartTimer { id, ms });
    }

    /// Polls `request` again under `policy`, or gives up into `on_deadline` once the wait
    /// that began at `since` has lasted too long.
    pub(super) fn poll(
        &mut self,
        now: Millis,
        since: Millis,
        policy: PollPolicy,
        request: RequestKind,
        on_deadline: Phase,
        fx: &mut Vec<Effect>,
    ) {
        let waited = u32::try_from((now - since).max(0)).unwrap_or(u32::MAX);
        if policy.within_deadline(waited) {
            let delay = policy.delay_ms(self.requests.poll_attempt);
            self.requests.poll_attempt = self.requests.poll_attempt.saturating_add(1);
            self.later(request, delay, fx);
        } else {
            self.phase = on_deadline;
        }
    }
}
