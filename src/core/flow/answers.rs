//! What the machine makes of the API's answers: the customer record, the list of
//! verifications, the one being followed, the verdict, and opening Persona.

use super::*;

impl Flow {
    /// An answer: taken only when it carries the id of the request awaited (and is an answer
    /// to that kind of request); any other is dropped.
    pub(super) fn on_answer(
        &mut self,
        now: Millis,
        id: RequestId,
        answer: Answer,
        fx: &mut Vec<Effect>,
    ) {
        if self.link.making == Some(id) {
            return self.on_link(answer, fx);
        }
        let Some((_, kind)) = self
            .requests
            .in_flight
            .filter(|(awaited, _)| *awaited == id)
        else {
            // A code made for a customer who has left the handoff since: it ends at once
            // (a code asked for since has ended it on the server already).
            if matches!(answer, Answer::HandoffMinted { .. })
                && !matches!(self.phase, Phase::Handoff { .. })
            {
                self.send_unawaited(Request::CancelHandoff, fx);
            }
            return;
        };
        if let Answer::Failed(error) = answer {
            self.requests.in_flight = None;
            return self.on_failure(kind, error, fx);
        }
        let ours = |v: &IdentityVerification, tracked: &Option<Tracked>| {
            tracked.as_ref().is_some_and(|t| t.guid == v.guid)
        };
        match (kind, answer) {
            (RequestKind::KeepAlive, Answer::SessionLoaded { .. }) => {
                // Renewed: nothing else changes.
                self.taken();
            }
            (
                RequestKind::Session,
                Answer::SessionLoaded {
                    customer_guid,
                    server_ms,
                    idle_ms,
                },
            ) => {
                self.taken();
                self.session.idle = idle_ms;
                if let Some(server) = server_ms {
                    // A device clock minutes or days off would misjudge every lifetime
                    // (resume, expiry, a recent pass). Within the tolerance, the answer's own
                    // travel time is not worth correcting for.
                    let offset = server - (now - self.session.clock_offset);
                    self.session.clock_offset = if offset.abs() > CLOCK_TOLERANCE {
                        offset
                    } else {
                        0
                    };
                }
                self.customer.guid = Some(customer_guid);
                self.send(RequestKind::Customer, fx);
            }
            (RequestKind::Customer, Answer::CustomerLoaded(customer)) => {
                self.taken();
                self.on_customer(now, customer, fx);
            }
            (RequestKind::ListVerifications, Answer::VerificationsListed(list)) => {
                self.taken();
                self.on_list(now, list, fx);
            }
            (RequestKind::CreateVerification, Answer::VerificationCreated(v)) => {
                self.taken();
                self.creating.attempts = 0;
                self.creating.document = false;
                self.adopt(&v, fx);
                self.follow(now, &v, fx);
            }
            (RequestKind::Verification, Answer::VerificationPolled(v))
                if ours(&v, &self.tracked) =>
            {
                self.taken();
                self.tracked = Some(Tracked::from(&v));
                self.follow(now, &v, fx);
            }
            (RequestKind::PersonaSession, Answer::SessionTokenReceived(session))
                if self.tracked.as_ref().and_then(|t| t.inquiry_id.as_deref())
                    == Some(session.persona_inquiry_id.as_str()) =>
            {
                self.taken();
                self.launch(Some(Secret(session.persona_session_token)), fx);
            }
            (
                RequestKind::Handoff | RequestKind::HandoffRevoke,
                Answer::HandoffMinted {
                    path,
                    expires_ms,
                    confirm,
                },
            ) => {
                self.taken();
                if let Phase::Handoff { link, phone } = &mut self.phase {
                    // A new code before this one lapses, while no phone has come.
                    let lapses = expires_ms.unwrap_or(now + HANDOFF_CODE_LIFETIME);
                    let wait = (lapses - now - HANDOFF_REFRESH_BEFORE).max(HANDOFF_REFRESH_BEFORE);
                    *link = Some(HandoffLink {
                        path,
                        expires_ms,
                        confirm,
                    });
                    *phone = PhoneProgress::WaitingForPhone;
                    self.handoff.refresh_due = Some(now + wait);
                    self.later(RequestKind::HandoffStatus, HANDOFF_POLL_MS, fx);
                    fx.push(Effect::StartTimer {
                        id: TimerId::HandoffRefresh,
                        ms: wait as u32,
                    });
                }
            }
            (
                RequestKind::HandoffStatus,
                Answer::HandoffStatus {
                    code,
                    verification,
                    phone,
                },
            ) => {
                self.taken();
                self.handoff.phone_device = phone;
                self.on_handoff_status(now, code, verification, fx);
            }
            // Not an answer to this kind of request (the shell never makes one): the request
            // is still awaited.
            _ => {}
        }
    }

    /// The awaited answer came: nothing is in flight, and failures start counting afresh.
    fn taken(&mut self) {
        self.requests.in_flight = None;
        self.requests.failures = 0;
    }

    pub(super) fn on_customer(&mut self, now: Millis, customer: Customer, fx: &mut Vec<Effect>) {
        let refused = std::mem::take(&mut self.creating.refused);
        self.customer.verified = customer.state == CustomerState::Verified;
        self.customer.business = customer.kind == Some(CustomerType::Business);
        match customer.state {
            // On arrival, a verified customer may still have a document to send (seed 003);
            // after a pass just confirmed, the verdict is the answer.
            CustomerState::Verified if matches!(self.phase, Phase::Loading) && !refused => {
                fx.push(Effect::Forget);
                self.phase = Phase::Listing(ListPurpose::Verified);
                self.send(RequestKind::ListVerifications, fx);
            }
            CustomerState::Verified => {
                fx.push(Effect::Forget);
                self.phase = Phase::Outcome(Screen::Verified);
            }
            CustomerState::Rejected => {
                let reasons = self.verdict_reasons();
                self.phase = Phase::Outcome(Screen::Rejected { reasons });
            }
            CustomerState::Frozen => self.phase = Phase::Outcome(Screen::Frozen),
            CustomerState::Storing => {
                let since = match &self.phase {
                    Phase::Confirming { since, .. } => *since,
                    _ => {
                        self.requests.poll_attempt = 0;
                        now
                    }
                };
                let verdict = self.pending_verdict();
                self.phase = Phase::Confirming { since, verdict };
                self.poll(
                    now,
                    since,
                    PollPolicy::CUSTOMER,
                    RequestKind::Customer,
                    Phase::StillPreparing,
                    fx,
                );
            }
            CustomerState::Unverified => match self.pending_verdict() {
                // Waiting for the compliance team on a finished verification (an inconclusive
                // check): the customer record and the verification's decisions take turns,
                // so a decision that comes without changing the customer is seen too.
                None if matches!(self.phase, Phase::Review { .. }) => {
                    self.poll_review(RequestKind::ListVerifications, now, fx)
                }
                // Refused although the customer may still be verified: not something a
                // new attempt fixes (the service says no), so say so instead of starting over.
                None if refused => self.phase = Phase::Problem(Problem::Server { status: 422 }),
                None if self.handoff.following => {
                    self.phase = Phase::Handoff {
                        link: None,
                        phone: PhoneProgress::WaitingForPhone,
                    };
                    self.send(RequestKind::HandoffStatus, fx);
                }
                None => {
                    self.phase = Phase::Listing(ListPurpose::Load);
                    self.send(RequestKind::ListVerifications, fx);
                }
                Some(Verdict::Passed) => {
                    let since = match &self.phase {
                        Phase::Confirming { since, .. } => *since,
                        _ => now,
                    };
                    self.poll(
                        now,
                        since,
                        PollPolicy::CUSTOMER,
                        RequestKind::Customer,
                        Phase::StillChecking,
                        fx,
                    );
                }
                Some(verdict) => self.show_verdict(now, verdict, fx),
            },
            CustomerState::Unknown(other) => {
                self.phase = Phase::Problem(Problem::UnknownCustomerState(other));
            }
        }
    }

    /// The verdict the flow is confirming against the customer record, if any.
    pub(super) fn pending_verdict(&self) -> Option<Verdict> {
        match &self.phase {
            Phase::Confirming { verdict, .. } => verdict.clone(),
            _ => None,
        }
    }

    pub(super) fn verdict_reasons(&self) -> Vec<FailureCode> {
        match self.pending_verdict() {
            Some(
                Verdict::Rejected { reasons }
                | Verdict::Review { reasons }
                | Verdict::Retry { reasons, .. }
                | Verdict::ContactSupport { reasons },
            ) => reasons,
            _ => Vec::new(),
        }
    }

    pub(super) fn on_list(
        &mut self,
        now: Millis,
        list: Vec<IdentityVerification>,
        fx: &mut Vec<Effect>,
    ) {
        let purpose = match self.phase {
            // Asked to start before a reload: carry on with that, as if the click's own list
            // had come back.
            Phase::Listing(_) if self.creating.starting => ListPurpose::Start,
            Phase::Listing(purpose) => purpose,
            Phase::Review { .. } => return self.on_review_list(now, &list, fx),
            // Looking again while a document request is offered: the review may have ended.
            Phase::Paused if self.tracked.as_ref().is_some_and(|t| t.documents) => {
                self.load_purpose()
            }
            _ => return,
        };
        // Newest first: the server sorts the list so ([`newest_first`]).
        let ids = || list.iter().filter(|v| is_id_check(v));
        let newest = ids().next();
        // Compliance's document requests are offered while they can be opened, and are
        // never the customer's outcome nor a verification to carry on; one that could not
        // be used is told, with the way to send it again. A verified customer can have one
        // too (seed 003: a bank statement for a bank account). Not when the customer asked
        // to start: "Try again" makes or carries on an identity check, never a document
        // upload.
        let verified = purpose == ListPurpose::Verified;
        if purpose != ListPurpose::Start {
            match in_hand(&list, now, verified) {
                Some(v) if Tracked::from(v).documents => {
                    return self.offer_documents(now, v, newest, fx)
                }
                Some(_) => {}
                None => {
                    if let Some(v) = refused_document(&list, verified) {
                        return self.refuse_document(v);
                    }
                }
            }
        }
        if verified {
            // Nothing asked of a verified customer.
            self.tracked = None;
            self.phase = Phase::Outcome(Screen::Verified);
            return;
        }
        // Verified once (a pass older than the customer record's catch-up) and `unverified`
        // now: the ID used has expired since (seed 001), and a first-time prep screen would
        // hide that the verification needs renewing.
        let start =
            if ids().any(|v| verdict(v) == Some(Verdict::Passed) && !recently_passed(v, now)) {
                Phase::Outcome(Screen::Expired(ExpiryCause::Renewal))
            } else {
                Phase::Prep
            };
        // The newest verification still in flight that can be carried on.
        let reusable = ids().find(|v| can_carry_on(v, now));
        match purpose {
            ListPurpose::Start => match reusable {
                Some(v) => {
                    self.creating.attempts = 0;
                    self.adopt(v, fx);
                    self.follow(now, v, fx);
                }
                None => {
                    self.creating.attempts += 1;
                    self.phase = Phase::Creating;
                    self.send(RequestKind::CreateVerification, fx);
                }
            },
            ListPurpose::Verified => {}
            ListPurpose::Load => match (reusable, newest) {
                (_, None) => self.phase = start,
                (Some(v), _) if v.state == VerificationState::Storing => {
                    self.adopt(v, fx);
                    self.follow(now, v, fx);
                }
                (Some(v), _) if Tracked::from(v).submitted() => {
                    self.adopt(v, fx);
                    self.follow(now, v, fx);
                }
                // Started in Persona and left: "saved, what you did is kept".
                (Some(v), _) if Tracked::from(v).started() => {
                    self.adopt(v, fx);
                    self.phase = Phase::Paused;
                }
                // Never opened: nothing was done to keep, so the usual start (which takes
                // this one up rather than creating another).
                (Some(v), _) => {
                    self.adopt(v, fx);
                    self.phase = start;
                }
                // In flight but not to be carried on (Persona says its inquiry is over, or it
                // has been stuck being created): a new verification will be needed.
                (None, Some(v)) if v.is_in_flight() => self.phase = start,
                (None, Some(v)) => {
                    let remembered = self.remembered.as_deref() == Some(v.guid.as_str());
                    match verdict(v) {
                        // An old pass while the customer is unverified (the ID used has
                        // since expired): a new verification is needed. Old by when it was
                        // decided, not created: a review can take days.
                        Some(Verdict::Passed) if !recently_passed(v, now) => self.phase = start,
                        // An old expiry nobody is looking at.
                        Some(Verdict::Expired { .. }) if !remembered => self.phase = start,
                        // A fresh rejection (a reload a moment after it, before Cybrid has
                        // marked the customer rejected): the same screen as before the
                        // reload, never "start" beside it.
                        Some(verdict @ Verdict::Rejected { .. })
                            if last_change(v).is_some_and(|at| now < at + REJECTION_SETTLES) =>
                        {
                            self.adopt(v, fx);
                            self.conclude(now, v, verdict, fx);
                        }
                        // Rejected codes long ago while the customer is unverified: support
                        // has reset the customer, who may start again.
                        Some(Verdict::Rejected { .. }) => self.phase = start,
                        // A recent pass while the customer record is not `verified` yet (a
                        // reload while still checking, or another browser that never saw
                        // this one): confirm it against the customer record, never show
                        // "verified" on the verification alone, and never offer a second
                        // verification beside it. An older one is the case above.
                        Some(Verdict::Passed) => {
                            self.adopt(v, fx);
                            self.conclude(now, v, Verdict::Passed, fx);
                        }
                        // Codes this version cannot classify, long ago, while the customer is
                        // still unverified (not rejected): support has dealt with it, and the
                        // customer may start again, as after a rejection.
                        Some(Verdict::ContactSupport { .. })
                            if last_change(v).is_none_or(|at| now >= at + REJECTION_SETTLES) =>
                        {
                            self.phase = start
                        }
                        Some(verdict) => {
                            self.adopt(v, fx);
                            self.show_verdict(now, verdict, fx);
                        }
                        None => {
                            // A state this version does not know: follow it as a decision
                            // in progress.
                            self.adopt(v, fx);
                            self.phase = Phase::Checking { since: now };
                            self.requests.poll_attempt = 0;
                            self.follow(now, v, fx);
                        }
                    }
                }
            },
        }
    }

    /// A look at the list while a verification is with the compliance team.
    pub(super) fn on_review_list(
        &mut self,
        now: Millis,
        list: &[IdentityVerification],
        fx: &mut Vec<Effect>,
    ) {
        let Some(guid) = self.tracked.as_ref().map(|t| t.guid.clone()) else {
            return self.fall_back_to_list(fx);
        };
        let followed = list.iter().find(|v| v.guid == guid);
        if let Some(v) = list.iter().find(|v| open_document_request(v)) {
            if !followed.is_some_and(|id| moots(id, v)) {
                return self.offer_documents(now, v, followed, fx);
            }
        }
        if let Some(v) = refused_document(list, false) {
            return self.refuse_document(v);
        }
        match followed {
            Some(v) => {
                self.tracked = Some(Tracked::from(v));
                self.follow(now, v, fx);
            }
            // Not on the list's first page: look at it directly next time.
            None => self.poll_review(RequestKind::Verification, now, fx),
        }
    }

    /// Looks again with `request` under the review's slow pace (which has no deadline).
    pub(super) fn poll_review(&mut self, request: RequestKind, now: Millis, fx: &mut Vec<Effect>) {
        self.poll(
            now,
            now,
            PollPolicy::REVIEW,
            request,
            Phase::StillChecking,
            fx,
        );
    }

    /// Why verifications are listed when finding out where the customer stands.
    pub(super) fn load_purpose(&self) -> ListPurpose {
        if self.customer.verified {
            ListPurpose::Verified
        } else {
            ListPurpose::Load
        }
    }

    /// Tells the customer that the document they sent could not be used, and why; they may
    /// send one again (the server allows a new request for this case).
    pub(super) fn refuse_document(&mut self, v: &IdentityVerification) {
        self.tracked = None;
        self.phase = Phase::Outcome(Screen::DocumentRefused {
            reasons: v.failure_codes.clone(),
        });
    }

    /// Offers a document request: never opened over the review screen unasked. The list is
    /// looked at again meanwhile, as the review may end without it. What it asks for is told
    /// from the customer's state and the codes of the identity check under `review`.
    pub(super) fn offer_documents(
        &mut self,
        now: Millis,
        v: &IdentityVerification,
        review: Option<&IdentityVerification>,
        fx: &mut Vec<Effect>,
    ) {
        let verified = self.customer.verified;
        let codes = review.map_or(&[][..], |r| &r.failure_codes[..]);
        self.asked = DocumentAsk::of(verified, codes);
        self.adopt(v, fx);
        self.phase = Phase::Paused;
        self.poll_review(RequestKind::ListVerifications, now, fx);
    }

    /// Starts following `v`, remembering it across reloads.
    pub(super) fn adopt(&mut self, v: &IdentityVerification, fx: &mut Vec<Effect>) {
        if self.tracked.as_ref().is_none_or(|t| t.guid != v.guid) {
            self.requests.poll_attempt = 0;
        }
        self.tracked = Some(Tracked::from(v));
        if self.creating.starting {
            self.creating.starting = false;
            fx.push(Effect::MarkStarting(false));
        }
        if self.remembered.as_deref() != Some(v.guid.as_str()) {
            self.remembered = Some(v.guid.clone());
            fx.push(Effect::Remember(v.guid.clone()));
        }
    }

    /// A document request sent (or no longer open): its result is not the customer's. Back
    /// to the review it was asked for, found out as a page load does.
    pub(super) fn back_to_review(&mut self, fx: &mut Vec<Effect>) {
        self.stop_following_phone(fx);
        self.phase = Phase::Listing(self.load_purpose());
        self.send(RequestKind::ListVerifications, fx)
    }

    /// Decides what to do with the latest view of the followed verification.
    pub(super) fn follow(&mut self, now: Millis, v: &IdentityVerification, fx: &mut Vec<Effect>) {
        let tracked = Tracked::from(v);
        // A verified customer has no review to go back to: their document's own decision is
        // awaited, so one that cannot be used is told rather than lost behind "verified".
        let awaited = self.customer.verified && tracked.submitted();
        if tracked.documents_done() && !awaited {
            return self.back_to_review(fx);
        }
        if let Some(found) = verdict(v) {
            return self.conclude(now, v, found, fx);
        }
        match &self.phase {
            // After Persona: keep polling for the decision.
            Phase::Checking { since } => {
                let since = *since;
                self.poll(
                    now,
                    since,
                    PollPolicy::RESULT,
                    RequestKind::Verification,
                    Phase::StillChecking,
                    fx,
                );
            }
            _ if tracked.submitted() || tracked.deciding() => {
                // Finished in Persona, decision pending: follow it, never reopen it.
                let since = match &self.phase {
                    Phase::Checking { since } => *since,
                    _ => {
                        self.requests.poll_attempt = 0;
                        now
                    }
                };
                self.phase = Phase::Checking { since };
                self.poll(
                    now,
                    since,
                    PollPolicy::RESULT,
                    RequestKind::Verification,
                    Phase::StillChecking,
                    fx,
                );
            }
            Phase::Rechecking { problem } if tracked.inquiry_id.is_some() => {
                let problem = problem.clone();
                match problem {
                    _ if !tracked.resumable() => {
                        self.phase = Phase::Outcome(Screen::Expired(ExpiryCause::TimeRanOut))
                    }
                    Some(problem) => self.phase = Phase::Problem(problem),
                    None => {
                        self.phase = Phase::RequestingSession;
                        self.send(RequestKind::PersonaSession, fx);
                    }
                }
            }
            Phase::Review { .. } => {
                // Back from review into something unfinished: follow it as a decision.
                self.phase = Phase::Checking { since: now };
                self.requests.poll_attempt = 0;
                self.poll(
                    now,
                    now,
                    PollPolicy::RESULT,
                    RequestKind::Verification,
                    Phase::StillChecking,
                    fx,
                );
            }
            _ if tracked.inquiry_id.is_some() && tracked.resumable() => {
                if tracked.needs_session_token() {
                    self.phase = Phase::RequestingSession;
                    self.send(RequestKind::PersonaSession, fx);
                } else {
                    self.launch(None, fx);
                }
            }
            _ if tracked.inquiry_id.is_some() && tracked.state != VerificationState::Storing => {
                // Persona says the inquiry's time is up: a new verification is needed.
                self.phase = Phase::Outcome(Screen::Expired(ExpiryCause::TimeRanOut));
            }
            _ => {
                if let Phase::WaitingForInquiry { since, slow } = &mut self.phase {
                    // A few seconds in, the ways forward are offered while the wait goes on.
                    *slow |= now - *since >= Millis::from(SLOW_WAIT_MS);
                    let since = *since;
                    self.poll(
                        now,
                        since,
                        PollPolicy::INQUIRY,
                        RequestKind::Verification,
                        Phase::StillPreparing,
                        fx,
                    );
                } else {
                    // Starting to wait: look at once, the inquiry may already be there.
                    self.requests.poll_attempt = 0;
                    self.phase = Phase::WaitingForInquiry {
                        since: now,
                        slow: false,
                    };
                    self.send(RequestKind::Verification, fx);
                }
            }
        }
    }

    /// A finished verification (or one under review).
    pub(super) fn conclude(
        &mut self,
        now: Millis,
        v: &IdentityVerification,
        found: Verdict,
        fx: &mut Vec<Effect>,
    ) {
        self.stop_following_phone(fx);
        let reviewing = v.state == VerificationState::Reviewing;
        match found {
            Verdict::Review { reasons }
                if reviewing || matches!(self.phase, Phase::Review { .. }) =>
            {
                if !matches!(self.phase, Phase::Review { .. }) {
                    self.requests.poll_attempt = 0;
                }
                self.phase = Phase::Review { reasons };
                // The whole list, not just this verification: compliance may ask for a
                // document meanwhile, as a new verification beside it. A finished one
                // still waiting for a decision: the customer record's turn.
                let request = if reviewing {
                    RequestKind::ListVerifications
                } else {
                    RequestKind::Customer
                };
                self.poll_review(request, now, fx);
            }
            Verdict::Expired { reasons } => {
                self.phase = Phase::Outcome(Screen::Expired(ExpiryCause::of(&reasons)))
            }
            // Confirm against the customer record: a pass must reach `verified`, and a
            // failure's next step depends on whether the customer was rejected.
            verdict => {
                self.phase = Phase::Confirming {
                    since: now,
                    verdict: Some(verdict),
                };
                self.requests.poll_attempt = 0;
                self.send(RequestKind::Customer, fx);
            }
        }
    }

    /// Shows a verdict the customer record has not overridden.
    pub(super) fn show_verdict(&mut self, now: Millis, verdict: Verdict, fx: &mut Vec<Effect>) {
        self.phase = Phase::Outcome(match verdict {
            Verdict::Passed => Screen::Verified,
            Verdict::Expired { reasons } => Screen::Expired(ExpiryCause::of(&reasons)),
            Verdict::Retry { reasons, tips } => Screen::Retry {
                reasons,
                tips,
                camera: self.camera_check,
            },
            Verdict::Rejected { reasons } => Screen::Rejected { reasons },
            Verdict::ContactSupport { reasons } => Screen::ContactSupport { reasons },
            Verdict::Review { reasons } => {
                self.phase = Phase::Review { reasons };
                self.requests.poll_attempt = 0;
                // The list next (the customer record was just read): a decision, or a
                // document asked for, shows there.
                return self.poll_review(RequestKind::ListVerifications, now, fx);
            }
        });
    }

    /// Opens Persona on the followed inquiry.
    pub(super) fn launch(&mut self, session_token: Option<Secret>, fx: &mut Vec<Effect>) {
        let Some(inquiry_id) = self.tracked.as_ref().and_then(|t| t.inquiry_id.clone()) else {
            return self.fall_back_to_list(fx);
        };
        self.phase = Phase::Capture {
            ready: false,
            on_phone: false,
            slow: false,
        };
        fx.push(Effect::LaunchPersona {
            inquiry_id,
            session_token,
            language: self.language,
        });
        self.persona.launches = self.persona.launches.wrapping_add(1);
        let id = TimerId::PersonaReady(self.persona.launches);
        self.persona.ready_timer = Some(id);
        // First a few seconds, for the ways forward; then the rest of the limit.
        fx.push(Effect::StartTimer {
            id,
            ms: SLOW_WAIT_MS,
        });
    }
}
