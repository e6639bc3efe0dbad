//! The machine's entry point for every event, and its request bookkeeping: one request
//! outstanding, answers accepted only for it, polls and retries scheduled.

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
                // device is online, and the timer ids already handed out (so a timer of the
                // old run cannot pass for one of the new).
                let before = std::mem::replace(self, Flow::new(self.language));
                self.online = before.online;
                self.next_timer = before.next_timer;
                self.launches = before.launches;
                self.clock_offset = before.clock_offset;
                self.stale_mints = before.stale_mints
                    + u32::from(matches!(
                        before.in_flight,
                        Some(RequestKind::Handoff | RequestKind::HandoffRevoke)
                    ));
                self.stale_statuses = before.stale_statuses
                    + u32::from(before.in_flight == Some(RequestKind::HandoffStatus));
                self.remembered = remembered;
                self.following_phone = handoff;
                self.starting = starting;
                self.send(RequestKind::Session, fx);
            }
            Event::SessionLoaded {
                customer_guid,
                server_ms,
                idle_ms,
            } => {
                if self.accept(RequestKind::KeepAlive) {
                    // Renewed: nothing else changes.
                } else if self.accept(RequestKind::Session) {
                    self.idle = idle_ms;
                    if let Some(server) = server_ms {
                        // A device clock minutes or days off would misjudge every lifetime
                        // (resume, expiry, a recent pass). Within the tolerance, the
                        // answer's own travel time is not worth correcting for.
                        let offset = server - (now - self.clock_offset);
                        self.clock_offset = if offset.abs() > CLOCK_TOLERANCE {
                            offset
                        } else {
                            0
                        };
                    }
                    self.customer_guid = Some(customer_guid);
                    self.send(RequestKind::Customer, fx);
                }
            }
            Event::CustomerLoaded(customer) => {
                if self.accept(RequestKind::Customer) {
                    self.on_customer(now, customer, fx);
                }
            }
            Event::VerificationsListed(list) => {
                if self.accept(RequestKind::ListVerifications) {
                    self.on_list(now, list, fx);
                }
            }
            Event::VerificationCreated(v) => {
                if self.accept(RequestKind::CreateVerification) {
                    self.create_attempts = 0;
                    self.sending_document = false;
                    self.adopt(&v, fx);
                    self.follow(now, &v, fx);
                }
            }
            Event::VerificationPolled(v) => {
                let ours = self.tracked.as_ref().is_some_and(|t| t.guid == v.guid);
                if ours && self.accept(RequestKind::Verification) {
                    self.tracked = Some(Tracked::from(&v));
                    self.follow(now, &v, fx);
                }
            }
            Event::SessionTokenReceived(session) => {
                let inquiry = self.tracked.as_ref().and_then(|t| t.inquiry_id.clone());
                if inquiry.as_deref() == Some(session.persona_inquiry_id.as_str())
                    && self.accept(RequestKind::PersonaSession)
                {
                    self.launch(Some(Secret(session.persona_session_token)), fx);
                }
            }
            Event::RequestFailed { request, error } => {
                if matches!(request, RequestKind::Handoff | RequestKind::HandoffRevoke)
                    && self.stale_mint()
                {
                    return;
                }
                if request == RequestKind::HandoffStatus && self.stale_status() {
                    return;
                }
                if self.in_flight == Some(request) {
                    self.in_flight = None;
                    self.on_failure(request, error, fx);
                }
            }
            Event::PersonaReady => {
                if let Phase::Capture { ready, .. } = &mut self.phase {
                    if !*ready {
                        fx.push(Effect::Notify(HostEvent::PersonaReady));
                    }
                    *ready = true;
                    self.token_refusals = 0;
                }
            }
            Event::PersonaCompleted { status } => {
                if matches!(self.phase, Phase::Capture { .. }) {
                    fx.push(Effect::Notify(HostEvent::PersonaCompleted { status }));
                    fx.push(Effect::DestroyPersona);
                    self.phase = Phase::Checking { since: now };
                    self.poll_attempt = 0;
                    self.send(RequestKind::Verification, fx);
                }
            }
            Event::PersonaCancelled => {
                if matches!(self.phase, Phase::Capture { .. }) {
                    fx.push(Effect::DestroyPersona);
                    self.phase = Phase::Paused;
                    if self.tracked.as_ref().is_some_and(|t| t.documents) {
                        self.poll_attempt = 0;
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
            Event::PersonaEvent { name } => {
                if let Phase::Capture { on_phone, .. } = &mut self.phase {
                    match name.as_str() {
                        "one-time-link-sent" | "one-time-link-start" => *on_phone = true,
                        "one-time-link-exit" => *on_phone = false,
                        _ => {}
                    }
                }
            }
            Event::HandoffMinted {
                path,
                expires_ms,
                confirm,
            } => {
                if self.stale_mint() {
                    // Made after the customer left the handoff: it ends at once.
                    if !matches!(self.phase, Phase::Handoff { .. }) {
                        fx.push(Effect::CancelHandoff);
                    }
                } else if self.accept(RequestKind::Handoff)
                    || self.accept(RequestKind::HandoffRevoke)
                {
                    if let Phase::Handoff { link, phone } = &mut self.phase {
                        // A new code before this one lapses, while no phone has come.
                        let lapses = expires_ms.unwrap_or(now + HANDOFF_CODE_LIFETIME);
                        let wait =
                            (lapses - now - HANDOFF_REFRESH_BEFORE).max(HANDOFF_REFRESH_BEFORE);
                        *link = Some(HandoffLink {
                            path,
                            expires_ms,
                            confirm,
                        });
                        *phone = PhoneProgress::WaitingForPhone;
                        self.refresh_due = Some(now + wait);
                        self.later(RequestKind::HandoffStatus, HANDOFF_POLL_MS, fx);
                        fx.push(Effect::StartTimer {
                            id: TimerId::HandoffRefresh,
                            ms: wait as u32,
                        });
                    }
                }
            }
            Event::HandoffStatus {
                code,
                verification,
                phone,
            } => {
                if !self.stale_status() && self.accept(RequestKind::HandoffStatus) {
                    self.phone_device = phone;
                    self.on_handoff_status(now, code, verification, fx);
                }
            }
            Event::HandoffCancelled => {}
            // An older code's refresh fires before this one's is due.
            Event::TimerFired(TimerId::IdleWarning) => {
                // Quiet since: no request went, none is due (a poll would renew it).
                let quiet = self.in_flight.is_none() && self.timer.is_none();
                if quiet
                    && !matches!(self.phase, Phase::SessionEnded)
                    && self
                        .idle
                        .is_some_and(|idle| now >= self.last_request + warn_after(idle))
                {
                    self.session_ending = true;
                }
            }
            Event::TimerFired(TimerId::HandoffRefresh) => {
                if self.refresh_due.is_some_and(|due| now >= due)
                    && matches!(
                        self.phase,
                        Phase::Handoff {
                            link: Some(_),
                            phone: PhoneProgress::WaitingForPhone
                        }
                    )
                    && self.in_flight != Some(RequestKind::Handoff)
                {
                    self.start_handoff(RequestKind::Handoff, fx);
                }
            }
            Event::TimerFired(id) if self.ready_timer == Some(id) => {
                self.ready_timer = None;
                match &mut self.phase {
                    // A few seconds without Persona's frame: say so and offer the ways
                    // forward, and give it the rest of its time.
                    Phase::Capture {
                        ready: false,
                        slow: slow @ false,
                        ..
                    } => {
                        *slow = true;
                        self.ready_timer = Some(id);
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
                if let Some((current, request)) = self.timer {
                    if current == id {
                        self.timer = None;
                        self.send(request, fx);
                    }
                }
            }
            Event::Connectivity { online } => {
                self.online = online;
                // Back online: do not make the customer wait out a backoff.
                if online {
                    if let Some((_, request)) = self.timer.take() {
                        self.send(request, fx);
                    }
                }
            }
            Event::User(action) => self.on_user(now, action, fx),
        }
    }

    /// Whether a mint's answer is for a code given up on (counted off if so).
    pub(super) fn stale_mint(&mut self) -> bool {
        count_off(&mut self.stale_mints)
    }

    /// Whether a handoff-status answer is one of those counted off (see `stale_statuses`).
    pub(super) fn stale_status(&mut self) -> bool {
        count_off(&mut self.stale_statuses)
    }

    /// Whether an answer to `request` is the one awaited; if so, it is no longer in flight.
    pub(super) fn accept(&mut self, request: RequestKind) -> bool {
        if self.in_flight == Some(request) {
            self.in_flight = None;
            self.failures = 0;
            true
        } else {
            false
        }
    }

    /// Emits the effect for `request` now, cancelling any timer.
    pub(super) fn send(&mut self, request: RequestKind, fx: &mut Vec<Effect>) {
        self.timer = None;
        let customer_guid = self.customer_guid.clone().unwrap_or_default();
        let tracked = self.tracked.as_ref();
        let effect = match request {
            RequestKind::Session => Effect::FetchSession,
            RequestKind::KeepAlive => Effect::KeepAlive,
            RequestKind::Customer => Effect::FetchCustomer { customer_guid },
            RequestKind::ListVerifications => Effect::ListVerifications { customer_guid },
            RequestKind::CreateVerification => {
                let mut post = PostIdentityVerification::kyc_id_and_selfie(&customer_guid);
                if self.sending_document {
                    post.method = VerificationMethod::DocumentSubmission;
                }
                Effect::CreateVerification(post)
            }
            RequestKind::Verification => match tracked {
                Some(t) => Effect::FetchVerification {
                    guid: t.guid.clone(),
                },
                None => return self.fall_back_to_list(fx),
            },
            RequestKind::Handoff => Effect::MintHandoff,
            RequestKind::HandoffStatus => Effect::FetchHandoffStatus,
            RequestKind::HandoffRevoke => Effect::RevokeHandoff,
            RequestKind::HandoffCancel => Effect::CancelHandoff,
            RequestKind::PersonaSession => match tracked {
                Some(Tracked {
                    guid,
                    inquiry_id: Some(inquiry),
                    ..
                }) => Effect::RequestSessionToken(PostPersonaSession {
                    persona_inquiry_id: inquiry.clone(),
                    identity_verification_guid: guid.clone(),
                }),
                _ => return self.fall_back_to_list(fx),
            },
        };
        self.in_flight = Some(request);
        self.requested = true;
        fx.push(effect);
    }

    /// Nothing to follow after all (cannot happen through `step`): find out afresh.
    pub(super) fn fall_back_to_list(&mut self, fx: &mut Vec<Effect>) {
        self.phase = Phase::Listing(ListPurpose::Load);
        self.send(RequestKind::ListVerifications, fx);
    }

    /// Sends `request` after `ms`.
    pub(super) fn later(&mut self, request: RequestKind, ms: u32, fx: &mut Vec<Effect>) {
        self.next_timer = self.next_timer.wrapping_add(1);
        let id = TimerId::Request(self.next_timer);
        self.timer = Some((id, request));
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
            let delay = policy.delay_ms(self.poll_attempt);
            self.poll_attempt = self.poll_attempt.saturating_add(1);
            self.later(request, delay, fx);
        } else {
            self.phase = on_deadline;
        }
    }
}
