//! The emulator's life cycle, scenario by scenario.

use super::*;

fn fast() -> Timings {
    Timings {
        inquiry_delay_ms: 100,
        decision_delay_ms: 100,
        review_delay_ms: 100,
        customer_delay_ms: 50,
        expire_after_ms: 10_000,
    }
}

fn scenario(kind: Kind, codes: &[&str]) -> Scenario {
    Scenario {
        kind,
        codes: codes.iter().map(|c| c.to_string()).collect(),
        timings: fast(),
        faults: vec![],
        check: None,
        decision: None,
        business: false,
        document_codes: vec![],
    }
}

/// Runs a verification through the widget; returns the sandbox, customer and guid.
fn run(kind: Kind, codes: &[&str]) -> (Sandbox, String, String) {
    run_scenario(scenario(kind, codes))
}

/// [`run`] for a scenario set up by hand (documents refused, compliance checks).
fn run_scenario(scenario: Scenario) -> (Sandbox, String, String) {
    let sb = Sandbox::new(fast(), None);
    let t = 1_000_000;
    let customer = sb.new_customer(scenario, t);
    let v = sb
        .create(&PostIdentityVerification::kyc_id_and_selfie(&customer), t)
        .unwrap();
    assert_eq!(v.state, VerificationState::Storing);
    assert_eq!(
        sb.verification(&v.guid, t + 99).unwrap().persona_inquiry_id,
        None
    );
    let waiting = sb.verification(&v.guid, t + 100).unwrap();
    assert_eq!(waiting.state, VerificationState::Waiting);
    let inquiry = waiting.persona_inquiry_id.unwrap();
    let opened = sb.widget_open(&inquiry, None, t + 200).unwrap();
    assert!(sb.widget_start(&opened.widget_session, t + 300));
    assert_eq!(
        sb.verification(&v.guid, t + 300).unwrap().state,
        VerificationState::Pending
    );
    sb.widget_submit(&opened.widget_session, t + 400).unwrap();
    (sb, customer, v.guid)
}

#[test]
fn a_week_on_customers_and_their_verifications_are_let_go() {
    let (sb, old, old_verification) = run(Kind::Passes, &[]);
    let later = 1_000_000 + KEPT_FOR - HOUR;
    let recent = sb.new_customer(scenario(Kind::Passes, &[]), later);
    assert!(sb.customer(&old, later).is_some(), "kept for a week");
    let week_on = 1_000_000 + KEPT_FOR + SWEEP_EVERY;
    assert!(sb.customer(&recent, week_on).is_some());
    assert!(sb.customer(&old, week_on).is_none());
    assert!(sb.verification(&old_verification, week_on).is_none());
    let world = sb.world();
    assert_eq!(world.verifications.len(), 0);
    assert!(world.widget_sessions.is_empty(), "its inquiry went with it");
    assert!(world.tokens.is_empty(), "expired tokens too");
}

#[test]
fn passes_then_the_customer_becomes_verified() {
    let (sb, customer, guid) = run(Kind::Passes, &[]);
    assert_eq!(
        sb.verification(&guid, 1_000_450).unwrap().state,
        VerificationState::Pending
    );
    let done = sb.verification(&guid, 1_000_500).unwrap();
    assert_eq!(done.state, VerificationState::Completed);
    assert_eq!(done.outcome, Some(Outcome::Passed));
    assert_eq!(
        sb.customer(&customer, 1_000_520).unwrap().state,
        CustomerState::Unverified
    );
    assert_eq!(
        sb.customer(&customer, 1_000_550).unwrap().state,
        CustomerState::Verified
    );
}

#[test]
fn a_review_asks_for_a_document_and_waits_for_it() {
    let (sb, customer, guid) = run(Kind::ReviewAsksForDocuments, &[]);
    let t = 1_000_000;
    // Under review, and compliance asks for a document beside it.
    let list = sb.list(&customer, t + 550);
    assert_eq!(list.len(), 2, "{list:?}");
    assert_eq!(list[0].state, VerificationState::Storing);
    let list = sb.list(&customer, t + 650);
    let request = &list[0];
    assert_eq!(request.method, Some(VerificationMethod::DocumentSubmission));
    assert_eq!(request.state, VerificationState::Waiting);
    assert_eq!(list[1].state, VerificationState::Reviewing);
    // Asked once only, however often it is read.
    assert_eq!(sb.list(&customer, t + 660).len(), 2);
    // No document: the review waits, far past its delay.
    assert_eq!(
        sb.verification(&guid, t + 5_000).unwrap().state,
        VerificationState::Reviewing
    );
    let inquiry = request.persona_inquiry_id.clone().unwrap();
    let opened = sb.widget_open(&inquiry, None, t + 5_000).unwrap();
    assert!(sb.widget_start(&opened.widget_session, t + 5_100));
    sb.widget_submit(&opened.widget_session, t + 5_200).unwrap();
    let sent = sb.verification(&request.guid, t + 5_300).unwrap();
    assert_eq!(sent.outcome, Some(Outcome::Passed));
    assert_eq!(
        sb.customer(&customer, t + 5_300).unwrap().state,
        CustomerState::Unverified,
        "the document alone does not verify the customer"
    );
    let reviewed = sb.verification(&guid, t + 5_400).unwrap();
    assert_eq!(reviewed.outcome, Some(Outcome::Passed));
    assert_eq!(
        sb.customer(&customer, t + 5_450).unwrap().state,
        CustomerState::Verified
    );
}

/// A refused document never lets the review pass, even read only long after it was decided
/// (nothing asked the emulator in between: the refusal and the review's decision fall due in
/// the same look).
#[test]
fn a_refused_document_keeps_the_review_waiting_however_late_it_is_read() {
    let t = 1_000_000;
    let mut unreadable = scenario(Kind::ReviewAsksForDocuments, &[]);
    unreadable.document_codes = vec!["document_quality_check_failure".into()];
    let (sb, customer, guid) = run_scenario(unreadable);
    // Under review, with a document asked for; the customer sends one.
    sb.list(&customer, t + 550);
    let request = sb.list(&customer, t + 650).remove(0);
    assert_eq!(request.method, Some(VerificationMethod::DocumentSubmission));
    let inquiry = request.persona_inquiry_id.clone().unwrap();
    let opened = sb.widget_open(&inquiry, None, t + 700).unwrap();
    assert!(sb.widget_start(&opened.widget_session, t + 750));
    sb.widget_submit(&opened.widget_session, t + 800).unwrap();
    // Read again only long after the document's decision and the review's delay.
    let late = t + 800 + 5_000;
    let refused = sb.verification(&request.guid, late).unwrap();
    assert_eq!(refused.outcome, Some(Outcome::Failed));
    assert_eq!(
        sb.verification(&guid, late).unwrap().state,
        VerificationState::Reviewing,
        "the review waits for a document it can use"
    );
    assert_eq!(
        sb.customer(&customer, late).unwrap().state,
        CustomerState::Unverified
    );
}

#[test]
fn a_document_request_left_unsent_lets_the_review_go_on() {
    let (sb, customer, guid) = run(Kind::ReviewAsksForDocuments, &[]);
    let t = 1_000_000;
    assert_eq!(sb.list(&customer, t + 550).len(), 2);
    // The request expires (`fast` gives 10 s), and the review is decided without it.
    let later = t + 550 + 10_000 + 300;
    let list = sb.list(&customer, later);
    assert_eq!(list[0].state, VerificationState::Expired);
    assert_eq!(
        sb.verification(&guid, later).unwrap().state,
        VerificationState::Completed
    );
}

#[test]
fn failures_follow_the_codes() {
    let (sb, customer, guid) = run(Kind::Fails, &["id_quality_check_failure"]);
    let done = sb.verification(&guid, 1_000_600).unwrap();
    assert_eq!(done.outcome, Some(Outcome::Failed));
    assert_eq!(done.failure_codes, [FailureCode::IdQualityCheckFailure]);
    assert_eq!(
        sb.customer(&customer, 1_001_000).unwrap().state,
        CustomerState::Unverified
    );

    let (sb, customer, _) = run(Kind::Fails, &["selfie_failure"]);
    assert_eq!(
        sb.customer(&customer, 1_001_000).unwrap().state,
        CustomerState::Rejected
    );

    let (sb, _, guid) = run(Kind::Fails, &["name_check_failure"]);
    assert_eq!(
        sb.verification(&guid, 1_000_550).unwrap().state,
        VerificationState::Reviewing
    );
    assert_eq!(
        sb.verification(&guid, 1_000_650).unwrap().state,
        VerificationState::Completed
    );
}

#[test]
fn review_then_pass_or_fail() {
    let (sb, customer, guid) = run(Kind::ReviewThenPasses, &[]);
    let reviewing = sb.verification(&guid, 1_000_550).unwrap();
    assert_eq!(reviewing.state, VerificationState::Reviewing);
    assert_eq!(reviewing.failure_codes, [FailureCode::ReviewRequired]);
    assert_eq!(
        sb.verification(&guid, 1_000_600).unwrap().outcome,
        Some(Outcome::Passed)
    );
    assert_eq!(
        sb.customer(&customer, 1_000_700).unwrap().state,
        CustomerState::Verified
    );

    let (sb, customer, _) = run(Kind::ReviewThenFails, &[]);
    assert_eq!(
        sb.customer(&customer, 1_000_700).unwrap().state,
        CustomerState::Rejected
    );
}

#[test]
fn expiry_by_scenario_and_by_time() {
    let (sb, _, guid) = run(Kind::Expires, &[]);
    assert_eq!(
        sb.verification(&guid, 1_000_500).unwrap().state,
        VerificationState::Expired
    );

    let sb = Sandbox::new(fast(), None);
    let customer = sb.new_customer(scenario(Kind::Passes, &[]), 0);
    let v = sb
        .create(&PostIdentityVerification::kyc_id_and_selfie(&customer), 0)
        .unwrap();
    assert_eq!(
        sb.verification(&v.guid, 9_999).unwrap().state,
        VerificationState::Waiting
    );
    let expired = sb.verification(&v.guid, 10_000).unwrap();
    assert_eq!(expired.state, VerificationState::Expired);
    assert_eq!(expired.persona_state, Some(PersonaState::Expired));
}

#[test]
fn expected_behaviours_skip_persona() {
    let sb = Sandbox::new(fast(), None);
    let customer = sb.new_customer(scenario(Kind::Passes, &[]), 0);
    let mut post = PostIdentityVerification::kyc_id_and_selfie(&customer);
    post.expected_behaviours = vec![ExpectedBehaviour::PassedImmediately];
    let v = sb.create(&post, 0).unwrap();
    assert_eq!(
        sb.verification(&v.guid, 1).unwrap().outcome,
        Some(Outcome::Passed)
    );
    post.expected_behaviours = vec![ExpectedBehaviour::FailedImmediately];
    let v = sb.create(&post, 0).unwrap();
    assert_eq!(
        sb.verification(&v.guid, 1).unwrap().outcome,
        Some(Outcome::Failed)
    );
}

#[test]
fn session_tokens_are_single_use_and_bound_to_their_inquiry() {
    let sb = Sandbox::new(fast(), None);
    let mut resume = scenario(Kind::PendingToResume, &[]);
    resume.timings.expire_after_ms = 24 * 3_600_000;
    let customer = sb.new_customer(resume.clone(), 10_000_000);
    let v = &sb.list(&customer, 10_000_000)[0];
    let inquiry = v.persona_inquiry_id.clone().unwrap();
    assert_eq!(v.state, VerificationState::Pending);
    assert_eq!(
        sb.widget_open(&inquiry, None, 10_000_000).unwrap_err(),
        "unauthenticated",
        "a started inquiry needs a token"
    );
    let post = PostPersonaSession {
        persona_inquiry_id: inquiry.clone(),
        identity_verification_guid: v.guid.clone(),
    };
    let token = sb
        .persona_session(&post, 10_000_000)
        .unwrap()
        .persona_session_token;
    assert!(
        sb.widget_open(&inquiry, Some(&token), 10_000_001)
            .unwrap()
            .resumed
    );
    assert_eq!(
        sb.widget_open(&inquiry, Some(&token), 10_000_002)
            .unwrap_err(),
        "unauthenticated"
    );
    // A token for another inquiry does not open this one.
    let other_customer = sb.new_customer(resume, 10_000_000);
    let other = &sb.list(&other_customer, 10_000_000)[0];
    let other_token = sb
        .persona_session(
            &PostPersonaSession {
                persona_inquiry_id: other.persona_inquiry_id.clone().unwrap(),
                identity_verification_guid: other.guid.clone(),
            },
            10_000_000,
        )
        .unwrap()
        .persona_session_token;
    assert_eq!(
        sb.widget_open(&inquiry, Some(&other_token), 10_000_003)
            .unwrap_err(),
        "unauthenticated"
    );
    assert_eq!(
        sb.report(&customer, 10_000_003)
            .unwrap()
            .persona_session_requests,
        1
    );
}

#[test]
fn customers_start_in_their_scenario_state() {
    let sb = Sandbox::new(fast(), None);
    for (kind, state) in [
        (Kind::AlreadyVerified, CustomerState::Verified),
        (Kind::AlreadyRejected, CustomerState::Rejected),
        (Kind::Frozen, CustomerState::Frozen),
        (Kind::Passes, CustomerState::Unverified),
    ] {
        let guid = sb.new_customer(scenario(kind, &[]), 0);
        assert_eq!(sb.customer(&guid, 0).unwrap().state, state);
    }
}

/// Issue 30: the sandbox reports compliance checks and decisions, so the app's paths for
/// them run end to end.
#[test]
fn a_failure_reports_the_scenarios_check_and_decision() {
    use kyc_onboarding::core::api::{ComplianceOutcome, DecisionState};
    let t = 1_000_000;
    let mut s = scenario(Kind::Fails, &["id_check_failure"]);
    s.check = Some(ComplianceOutcome::Inconclusive);
    s.decision = Some(DecisionState::Invalidated);
    let (sb, customer, guid) = run_scenario(s);
    let done = sb.verification(&guid, t + 600).unwrap();
    assert_eq!(done.outcome, Some(Outcome::Failed));
    let checks: Vec<_> = done
        .compliance_checks
        .iter()
        .map(|c| c.outcome.clone())
        .collect();
    assert_eq!(checks, [Some(ComplianceOutcome::Inconclusive)]);
    let decisions: Vec<_> = done
        .compliance_decisions
        .iter()
        .map(|d| d.state.clone())
        .collect();
    assert_eq!(decisions, [Some(DecisionState::Invalidated)]);
    assert_eq!(
        sb.customer(&customer, t + 1_000).unwrap().state,
        CustomerState::Unverified
    );
}

#[test]
fn a_renewal_customer_was_verified_long_ago_and_is_unverified_now() {
    let sb = Sandbox::new(fast(), None);
    let now = 400 * 24 * HOUR;
    let customer = sb.new_customer(scenario(Kind::Renewal, &[]), now);
    assert_eq!(
        sb.customer(&customer, now).unwrap().state,
        CustomerState::Unverified
    );
    let list = sb.list(&customer, now);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].outcome, Some(Outcome::Passed));
}

#[test]
fn an_id_expiry_carries_its_code() {
    let (sb, _, guid) = run(Kind::Expires, &["id_expiration_check_failure"]);
    let v = sb.verification(&guid, 1_000_500).unwrap();
    assert_eq!(v.state, VerificationState::Expired);
    assert_eq!(v.failure_codes, [FailureCode::IdExpirationCheckFailure]);
}

#[test]
fn a_business_is_verified_by_its_registration_and_the_wrong_method_is_refused() {
    let sb = Sandbox::new(fast(), None);
    let t = 1_000_000;
    let business = sb.new_customer(
        Scenario {
            business: true,
            ..scenario(Kind::Passes, &[])
        },
        t,
    );
    let person = sb.new_customer(scenario(Kind::Passes, &[]), t);
    assert_eq!(
        sb.customer(&business, t).unwrap().kind,
        Some(CustomerType::Business)
    );
    // What the app sent before KYB: an ID + selfie for a business, refused as Cybrid does.
    let refused = sb
        .create(&PostIdentityVerification::kyc_id_and_selfie(&business), t)
        .unwrap_err();
    assert_eq!(refused.status, 422);
    let kyb = PostIdentityVerification {
        method: VerificationMethod::BusinessRegistration,
        ..PostIdentityVerification::kyc_id_and_selfie(&business)
    };
    let created = sb.create(&kyb, t).unwrap();
    assert_eq!(
        created.method,
        Some(VerificationMethod::BusinessRegistration)
    );
    let for_person = PostIdentityVerification {
        customer_guid: person,
        ..kyb
    };
    assert_eq!(sb.create(&for_person, t).unwrap_err().status, 422);
    assert_eq!(
        sb.report(&business, t).unwrap().methods,
        ["business_registration"]
    );
}
