//! Failed requests and Persona errors: what is retried, waited out or shown.

use super::*;

impl Flow {
    pub(super) fn on_persona_error(&mut self, code: PersonaErrorCode, fx: &mut Vec<Effect>) {
        if code == PersonaErrorCode::Unauthenticated && self.persona.token_refusals == 0 {
            // The inquiry wants a (new) session token: get one and try once more.
            self.persona.token_refusals += 1;
            self.phase = Phase::RequestingSession;
            self.send(RequestKind::PersonaSession, fx);
        } else {
            self.phase = Phase::Problem(Problem::Persona(code));
        }
    }

    pub(super) fn on_failure(
        &mut self,
        request: RequestKind,
        error: HttpError,
        fx: &mut Vec<Effect>,
    ) {
        if error.is_auth() {
            if matches!(self.phase, Phase::Capture { .. }) {
                fx.push(Effect::DestroyPersona);
            }
            self.requests.timer = None;
            self.phase = Phase::SessionEnded;
            return;
        }
        if request == RequestKind::CreateVerification {
            return self.on_create_failure(&error, fx);
        }
        // Offline failures do not count: the request goes again when the browser is back.
        if !self.online && error.is_transient() {
            return self.later(request, RetryPolicy::HTTP.max_ms, fx);
        }
        if matches!(error, HttpError::Status { status: 404, .. })
            && request == RequestKind::Verification
        {
            // The followed verification is gone (or not this customer's): start afresh.
            self.tracked = None;
            self.remembered = None;
            fx.push(Effect::Forget);
            self.phase = Phase::Listing(ListPurpose::Load);
            return self.send(RequestKind::ListVerifications, fx);
        }
        if let (RequestKind::PersonaSession, HttpError::Status { status, .. }) = (request, &error) {
            if !error.is_transient() {
                // The inquiry may have expired or finished elsewhere: look at it again.
                self.phase = Phase::Rechecking {
                    problem: Some(Problem::Server { status: *status }),
                };
                return self.send(RequestKind::Verification, fx);
            }
        }
        if error.is_transient() && self.requests.failures + 1 < RetryPolicy::HTTP.max_attempts {
            self.requests.failures += 1;
            let delay = RetryPolicy::HTTP.delay_ms(self.requests.failures, error.retry_after_ms());
            return self.later(request, delay, fx);
        }
        self.requests.failures = 0;
        // Watching in the background (a review that can take days, a document request, the
        // phone): an outage is waited out at the slowest pace, the screen left as it is.
        if error.is_transient()
            && !matches!(request, RequestKind::Handoff | RequestKind::HandoffRevoke)
            && matches!(
                self.phase,
                Phase::Review { .. } | Phase::Paused | Phase::Handoff { .. }
            )
        {
            return self.later(request, PollPolicy::REVIEW.max_ms, fx);
        }
        // Any status is an answer: the service failed, not the customer's connection.
        self.phase = Phase::Problem(match error {
            HttpError::Status { status, .. } => Problem::Server { status },
            _ => Problem::Network,
        });
    }

    /// A create that failed may still have created the verification: list before creating
    /// again, and stop after a few attempts.
    pub(super) fn on_create_failure(&mut self, error: &HttpError, fx: &mut Vec<Effect>) {
        if let HttpError::Status { status: 422, .. } = error {
            // Refused for the customer's state: verified, rejected or frozen meanwhile (in
            // another tab, on the phone, by compliance). Sent again it would only be refused
            // again: the customer record says which outcome to show.
            self.creating.attempts = 0;
            self.creating.refused = true;
            if self.creating.starting {
                self.creating.starting = false;
                fx.push(Effect::MarkStarting(false));
            }
            self.phase = Phase::Loading;
            return self.send(RequestKind::Customer, fx);
        }
        if !self.online && error.is_transient() {
            // Offline: does not count as an attempt.
            self.creating.attempts = self.creating.attempts.saturating_sub(1);
        }
        if self.creating.attempts >= MAX_CREATE_ATTEMPTS {
            self.creating.attempts = 0;
            self.phase = Phase::Problem(match error {
                HttpError::Status { status, .. } => Problem::Server { status: *status },
                _ => Problem::Network,
            });
            return;
        }
        self.phase = Phase::Listing(ListPurpose::Start);
        let delay = RetryPolicy::HTTP.delay_ms(self.creating.attempts, error.retry_after_ms());
        self.later(RequestKind::ListVerifications, delay, fx);
    }
}
