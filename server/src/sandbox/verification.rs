//! One emulated verification's life: `storing`, `waiting`, `pending`, then the decision the
//! scenario calls for, advanced lazily whenever it is read.

use super::*;

impl SandboxVerification {
    /// A KYC verification just created: `storing`, no inquiry yet.
    pub(super) fn storing(customer_guid: &str, method: VerificationMethod, now: Millis) -> Self {
        SandboxVerification {
            guid: secret::hex_id(),
            customer_guid: customer_guid.to_owned(),
            created_ms: now,
            updated_ms: now,
            kind: VerificationType::Kyc,
            method,
            expected: Vec::new(),
            state: VerificationState::Storing,
            outcome: None,
            failure_codes: Vec::new(),
            inquiry_id: None,
            persona_state: None,
            submitted_ms: None,
            checks: Vec::new(),
            decisions: Vec::new(),
        }
    }

    pub(super) fn to_api(&self) -> IdentityVerification {
        IdentityVerification {
            guid: self.guid.clone(),
            kind: Some(self.kind.clone()),
            method: Some(self.method.clone()),
            created_at: Some(format_rfc3339(self.created_ms)),
            updated_at: Some(format_rfc3339(self.updated_ms)),
            customer_guid: Some(self.customer_guid.clone()),
            state: self.state.clone(),
            outcome: self.outcome.clone(),
            failure_codes: self
                .failure_codes
                .iter()
                .map(|c| FailureCode::parse(c))
                .collect(),
            compliance_checks: self.checks.clone(),
            compliance_decisions: self.decisions.clone(),
            persona_inquiry_id: self.inquiry_id.clone(),
            persona_state: self.persona_state.clone(),
        }
    }

    /// Moves this verification along; returns the customer change a decision brings.
    /// `documents`: when the customer sent a document compliance asked for;
    /// `first_request`: this is the customer's first document request.
    pub(super) fn advance(
        &mut self,
        scenario: &Scenario,
        now: Millis,
        documents: Option<Millis>,
        first_request: bool,
    ) -> Option<(Millis, CustomerState)> {
        let t = scenario.timings;
        let ms = |n: u64| n as Millis;
        if self.state == VerificationState::Storing {
            if self
                .expected
                .contains(&ExpectedBehaviour::PassedImmediately)
            {
                return Some(self.decide(true, Vec::new(), self.created_ms, t));
            }
            if self
                .expected
                .contains(&ExpectedBehaviour::FailedImmediately)
            {
                return Some(self.decide(false, scenario.failure_codes(), self.created_ms, t));
            }
            if now < self.created_ms + ms(t.inquiry_delay_ms) {
                return None;
            }
            self.state = VerificationState::Waiting;
            self.inquiry_id = Some(secret::inquiry_id());
            self.persona_state = Some(PersonaState::Waiting);
            self.updated_ms = self.created_ms + ms(t.inquiry_delay_ms);
        }
        let unfinished = matches!(
            self.state,
            VerificationState::Waiting | VerificationState::Pending
        ) && self.submitted_ms.is_none();
        if unfinished && now >= self.created_ms + ms(t.expire_after_ms) {
            self.state = VerificationState::Expired;
            self.persona_state = Some(PersonaState::Expired);
            self.updated_ms = self.created_ms + ms(t.expire_after_ms);
            return None;
        }
        let submitted = self.submitted_ms?;
        if !matches!(
            self.state,
            VerificationState::Pending | VerificationState::Reviewing
        ) {
            return None;
        }
        let decided = submitted + ms(t.decision_delay_ms);
        if now < decided {
            return None;
        }
        if self.method == VerificationMethod::DocumentSubmission {
            // Accepted, or the first one refused where the scenario says so; the review it was
            // asked for decides the customer either way.
            if scenario.document_codes.is_empty() || !first_request {
                self.decide(true, Vec::new(), decided, t);
            } else {
                self.decide(false, scenario.document_codes.clone(), decided, t);
            }
            return None;
        }
        match scenario.kind {
            Kind::Expires => {
                self.state = VerificationState::Expired;
                self.persona_state = Some(PersonaState::Expired);
                // Codes only where the scenario names them (the ID's own expiry).
                self.failure_codes = scenario.codes.clone();
                self.updated_ms = decided;
                None
            }
            _ if scenario.goes_to_review() => {
                let reviewed = match scenario.kind {
                    // Until the document is in, and then a review of it.
                    Kind::ReviewAsksForDocuments => documents.map_or(Millis::MAX, |sent| {
                        sent.max(decided) + ms(t.decision_delay_ms + t.review_delay_ms)
                    }),
                    _ => decided + ms(t.review_delay_ms),
                };
                if now < reviewed {
                    if self.state != VerificationState::Reviewing {
                        self.state = VerificationState::Reviewing;
                        self.persona_state = Some(PersonaState::Reviewing);
                        self.failure_codes = scenario.failure_codes();
                        self.updated_ms = decided;
                    }
                    return None;
                }
                let passes = matches!(
                    scenario.kind,
                    Kind::ReviewThenPasses | Kind::ReviewAsksForDocuments
                );
                let codes = if passes {
                    Vec::new()
                } else {
                    scenario.failure_codes()
                };
                Some(self.decide(passes, codes, reviewed, t))
            }
            Kind::Fails => {
                // The scenario's compliance check and decision, as the platform reports them.
                let kind = Some("identity_document".to_owned());
                self.checks
                    .extend(scenario.check.clone().map(|outcome| ComplianceCheck {
                        kind: kind.clone(),
                        outcome: Some(outcome),
                        failure_codes: Vec::new(),
                    }));
                self.decisions
                    .extend(scenario.decision.clone().map(|state| ComplianceDecision {
                        kind,
                        state: Some(state),
                        failure_codes: Vec::new(),
                        expired_at: None,
                    }));
                Some(self.decide(false, scenario.failure_codes(), decided, t))
            }
            _ => Some(self.decide(true, Vec::new(), decided, t)),
        }
    }

    /// Completes with an outcome; returns the customer record's change.
    pub(super) fn decide(
        &mut self,
        passed: bool,
        codes: Vec<String>,
        at: Millis,
        t: Timings,
    ) -> (Millis, CustomerState) {
        self.state = VerificationState::Completed;
        self.outcome = Some(if passed {
            Outcome::Passed
        } else {
            Outcome::Failed
        });
        self.persona_state = Some(PersonaState::Completed);
        let rejected = codes
            .iter()
            .any(|c| FailureCode::parse(c).category() == FailureCategory::Rejected);
        self.failure_codes = codes;
        self.updated_ms = at;
        let state = match (passed, rejected) {
            (true, _) => CustomerState::Verified,
            (false, true) => CustomerState::Rejected,
            (false, false) => CustomerState::Unverified,
        };
        (at + t.customer_delay_ms as Millis, state)
    }
}
