//! The right next step for every outcome (issue 30, section 3), each expectation taken from
//! the source documents (seed 000 "Handling verification outcomes", seed 001 "Identity
//! Verification Overview"), not from the app's own catalog.

use super::*;
use crate::core::api::{ComplianceDecision, DecisionState};

/// Seed 001: `expired` is "not completed by the customer in time, or the government-issued
/// ID used for KYC has expired".
#[test]
fn an_expiry_says_what_the_codes_tell_and_else_both_meanings() {
    let mut id_expired = verification("expired", Some(INQUIRY));
    id_expired.failure_codes = vec![FailureCode::IdExpirationCheckFailure];
    let (_, fx) = finish_with(id_expired);
    assert_eq!(fx, [Effect::Show(Screen::Expired(ExpiryCause::IdExpired))]);
    let (_, fx) = finish_with(verification("expired", Some(INQUIRY)));
    assert_eq!(fx, [Effect::Show(Screen::Expired(ExpiryCause::Unclear))]);
    // Both call for a valid, unexpired ID: the accepted-ID tips show.
    assert!(ExpiryCause::IdExpired.needs_valid_id());
    assert!(ExpiryCause::Unclear.needs_valid_id());
    // A reload on it says the same.
    let mut h = Harness::new();
    let mut v = verification("expired", Some(INQUIRY));
    v.failure_codes = vec![FailureCode::IdExpirationCheckFailure];
    assert_eq!(
        h.loaded(Some(IV), vec![v]),
        [Effect::Show(Screen::Expired(ExpiryCause::IdExpired))]
    );
}

/// Seed 000: the next step after a failure depends on the codes *and the customer's state*;
/// support is for rejected customers. A review that ended in a failure while the customer
/// is still `unverified`: a new verification, the same answer now and at any later load.
#[test]
fn a_failed_review_follows_the_customer_state_consistently() {
    let ended = || completed("failed", &["name_check_failure"]);
    let (mut h, fx) = finish_with(ended());
    assert_eq!(fx, [fetch_customer()], "the customer record decides");
    let fx = h.send(Answer::CustomerLoaded(customer("unverified")));
    let [Effect::Show(Screen::Retry { reasons, .. })] = fx.as_slice() else {
        panic!("a new verification is offered, not support: {fx:?}");
    };
    assert_eq!(reasons, &[FailureCode::NameCheckFailure]);
    assert_eq!(
        h.send(Event::User(UserAction::Start))[0],
        list_verifications(),
        "and it can be started"
    );
    // Rejected: support.
    let (mut h, _) = finish_with(ended());
    let fx = h.send(Answer::CustomerLoaded(customer("rejected")));
    assert!(
        matches!(fx[..], [Effect::Show(Screen::Rejected { .. })]),
        "{fx:?}"
    );
    // The same answer a moment later and long after (no flip after ten minutes).
    for later in [
        0,
        REJECTION_SETTLES - 1,
        REJECTION_SETTLES,
        3 * INQUIRY_LIFETIME,
    ] {
        let mut h = Harness::new();
        h.advance(later);
        let fx = h.loaded(Some(IV), vec![ended()]);
        assert!(
            matches!(fx[..], [Effect::Show(Screen::Retry { .. })]),
            "{later}: {fx:?}"
        );
    }
    // The server's create guard agrees: nothing stands in the way of a new one.
    assert!(!rules_out_another(&ended(), T0));
}

fn check(outcome: ComplianceOutcome) -> ComplianceCheck {
    ComplianceCheck {
        kind: None,
        outcome: Some(outcome),
        failure_codes: vec![],
    }
}

fn decision(state: DecisionState) -> ComplianceDecision {
    ComplianceDecision {
        kind: None,
        state: Some(state),
        failure_codes: vec![],
        expired_at: None,
    }
}

/// Seed 000, compliance check outcomes: `insufficient` lets the customer retry at once;
/// `inconclusive` means waiting for the compliance team, with no retry prompted.
#[test]
fn insufficient_retries_at_once_and_inconclusive_waits_for_the_team() {
    let mut insufficient = completed("failed", &[]);
    insufficient
        .compliance_checks
        .push(check(ComplianceOutcome::Insufficient));
    let (mut h, _) = finish_with(insufficient);
    let fx = h.send(Answer::CustomerLoaded(customer("unverified")));
    assert!(
        matches!(fx[..], [Effect::Show(Screen::Retry { .. })]),
        "{fx:?}"
    );

    let mut inconclusive = completed("failed", &[]);
    inconclusive
        .compliance_checks
        .push(check(ComplianceOutcome::Inconclusive));
    let (mut h, _) = finish_with(inconclusive.clone());
    let fx = h.send(Answer::CustomerLoaded(customer("unverified")));
    assert_eq!(
        fx,
        [
            timer(1, 15_000),
            Effect::Show(Screen::Review { reasons: vec![] })
        ],
        "the review screen, watched slowly"
    );
    assert!(
        h.send(Event::User(UserAction::Start)).is_empty(),
        "no retry while the team decides"
    );
    assert!(rules_out_another(&inconclusive, T0), "nor on the server");
    // The list and the customer record take turns, on the same screen.
    h.advance(15_000);
    assert_eq!(
        h.send(Event::TimerFired(TimerId::Request(1))),
        [list_verifications()]
    );
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![inconclusive.clone()])),
        [timer(2, 30_000)]
    );
    assert_eq!(
        h.send(Event::TimerFired(TimerId::Request(2))),
        [fetch_customer()]
    );
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("unverified"))),
        [timer(3, 60_000)]
    );
    // The team decides (a standing decision): the verdict follows it.
    assert_eq!(
        h.send(Event::TimerFired(TimerId::Request(3))),
        [list_verifications()]
    );
    let mut decided = inconclusive.clone();
    decided
        .compliance_decisions
        .push(decision(DecisionState::Failed));
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![decided])),
        [
            fetch_customer(),
            Effect::Show(Screen::Checking(CheckingStage::Decision))
        ]
    );
    let fx = h.send(Answer::CustomerLoaded(customer("unverified")));
    assert!(
        matches!(fx[..], [Effect::Show(Screen::Retry { .. })]),
        "{fx:?}"
    );
}

/// Decisions that expired or were invalidated no longer stand: they must not swing the
/// verdict, either way.
#[test]
fn expired_or_invalidated_decisions_do_not_swing_the_verdict() {
    for gone in [DecisionState::Expired, DecisionState::Invalidated] {
        // Not a person's answer to an inconclusive check: still waiting.
        let mut v = completed("failed", &[]);
        v.compliance_checks
            .push(check(ComplianceOutcome::Inconclusive));
        v.compliance_decisions.push(decision(gone.clone()));
        let (mut h, _) = finish_with(v);
        let fx = h.send(Answer::CustomerLoaded(customer("unverified")));
        assert!(
            matches!(fx.last(), Some(Effect::Show(Screen::Review { .. }))),
            "{gone:?}: {fx:?}"
        );
        // Its rejection code rejects nobody.
        let mut v = completed("failed", &["id_quality_check_failure"]);
        let mut old = decision(gone.clone());
        old.failure_codes = vec![FailureCode::ComplianceRejection];
        v.compliance_decisions.push(old);
        let (mut h, _) = finish_with(v);
        let fx = h.send(Answer::CustomerLoaded(customer("unverified")));
        assert_eq!(
            fx,
            [Effect::Show(Screen::Retry {
                reasons: vec![FailureCode::IdQualityCheckFailure],
                tips: vec![TipGroup::IdPhoto, TipGroup::Device],
                camera: None,
            })],
            "{gone:?}"
        );
    }
}

/// Seed 001: phone and email check failures keep the customer unverified and "the KYC can be
/// attempted again without contacting support".
#[test]
fn phone_or_email_failures_retry_without_support() {
    for code in ["phone_number_check_failure", "email_address_check_failure"] {
        let (mut h, _) = finish_with(completed("failed", &[code]));
        let fx = h.send(Answer::CustomerLoaded(customer("unverified")));
        assert_eq!(
            fx,
            [Effect::Show(Screen::Retry {
                reasons: vec![FailureCode::parse(code)],
                tips: vec![TipGroup::ContactDetails],
                camera: None,
            })]
        );
        assert!(!rules_out_another(&completed("failed", &[code]), T0));
        assert_eq!(
            h.send(Event::User(UserAction::Start))[0],
            list_verifications(),
            "{code}: straight to a new verification"
        );
    }
    // Support appears only as the way to correct a detail on file, never as a step before
    // trying again.
    let words = Msg::TipContactUpdate.en().to_lowercase();
    assert!(!words.contains("before you try"), "{words}");
}

/// Seed 001, "KYC expiry changes customer state": verified, then `unverified` when the ID
/// used expires; a new verification with a valid, unexpired ID is needed.
#[test]
fn a_customer_verified_before_is_asked_to_renew_not_prepped_afresh() {
    let mut h = Harness::new();
    h.advance(400 * 24 * HOUR);
    let mut old_pass = completed("passed", &[]);
    old_pass.updated_at = Some(format_rfc3339(T0 + HOUR));
    let renewal = Screen::Expired(ExpiryCause::Renewal);
    assert_eq!(
        h.loaded(None, vec![old_pass.clone()]),
        [Effect::Show(renewal.clone())]
    );
    assert!(ExpiryCause::Renewal.needs_valid_id());
    // Start makes the new verification.
    assert_eq!(
        h.send(Event::User(UserAction::Start))[0],
        list_verifications()
    );
    assert_eq!(
        h.send(Answer::VerificationsListed(vec![old_pass.clone()]))[0],
        create()
    );
    // A renewal that was left to expire, unremembered: still a renewal, not a first time.
    let mut h = Harness::new();
    h.advance(400 * 24 * HOUR);
    let left = verification_at("iv_2", "expired", Some("inq_2"), T0 + 399 * 24 * HOUR);
    assert_eq!(
        h.loaded(None, vec![left, old_pass]),
        [Effect::Show(renewal)]
    );
    // Never verified: the first-time prep as before.
    let mut h = Harness::new();
    assert_eq!(h.loaded(None, vec![]), [Effect::Show(Screen::Prep)]);
}

/// No clock of the app's own declares a verification expired: an inquiry older than a day
/// that the platform still says is `pending` is resumed, and only the platform's answer
/// (its state, a refused session token) ends it.
#[test]
fn the_platform_not_a_24_hour_clock_says_when_an_inquiry_is_over() {
    let mut h = Harness::new();
    h.advance(2 * INQUIRY_LIFETIME);
    let old = || verification_at(IV, "pending", Some(INQUIRY), T0);
    assert!(can_carry_on(&old(), h.now));
    assert_eq!(h.loaded(Some(IV), vec![old()]), [Effect::Show(paused())]);
    h.send(Event::User(UserAction::Resume));
    // The token is refused: the verification is looked at again, and its state decides.
    assert_eq!(
        h.send(failed(RequestKind::PersonaSession, 422)),
        [fetch_iv()]
    );
    let fx = h.send(Answer::VerificationPolled(verification_at(
        IV,
        "expired",
        Some(INQUIRY),
        T0,
    )));
    assert_eq!(fx, [Effect::Show(Screen::Expired(ExpiryCause::Unclear))]);
    // The paused screen promises no time: the platform gives none.
    assert_eq!(paused(), Screen::Paused { documents: None });
}

/// "Saved, what you did is kept" only where the customer had started (a `pending` inquiry).
#[test]
fn only_a_started_inquiry_is_called_saved() {
    let mut h = Harness::new();
    let fx = h.loaded(Some(IV), vec![verification("waiting", Some(INQUIRY))]);
    assert_eq!(
        fx,
        [Effect::Show(Screen::Prep)],
        "never opened: the usual start"
    );
    // ...which takes it up rather than making another.
    h.send(Event::User(UserAction::Start));
    let fx = h.send(Answer::VerificationsListed(vec![verification(
        "waiting",
        Some(INQUIRY),
    )]));
    assert_eq!(fx[0], launch(None));
    let mut h = Harness::new();
    let fx = h.loaded(Some(IV), vec![verification("pending", Some(INQUIRY))]);
    assert_eq!(fx, [Effect::Show(paused())]);
}

/// Persona's frame that does not come: a few seconds in, what is happening and the ways
/// forward, while the wait goes on; the "could not load" problem only at the limit.
#[test]
fn a_slow_persona_frame_offers_the_ways_forward_while_it_loads() {
    let mut h = Harness::new();
    h.created();
    let fx = h.send(Answer::VerificationPolled(verification(
        "waiting",
        Some(INQUIRY),
    )));
    assert_eq!(fx[0], launch(None));
    assert_eq!(fx[1], ready_watch(1));
    const { assert!(SLOW_WAIT_MS <= 10_000, "a few seconds") };
    h.advance(Millis::from(SLOW_WAIT_MS));
    let slow = Screen::SlowWait(PreparingStage::OpeningCapture);
    assert_eq!(
        h.send(Event::TimerFired(TimerId::PersonaReady(1))),
        [
            Effect::StartTimer {
                id: TimerId::PersonaReady(1),
                ms: PERSONA_READY_LIMIT_MS - SLOW_WAIT_MS,
            },
            Effect::Show(slow.clone())
        ],
        "the wait goes on"
    );
    // Persona comes after all: the capture as usual.
    let mut ready = h.fork();
    assert_eq!(
        ready.send(Event::PersonaReady),
        [Effect::Show(Screen::Capture)]
    );
    // Try again: this frame goes, and a new session opens it again.
    let mut again = h.fork();
    assert_eq!(
        again.send(Event::User(UserAction::Resume)),
        [
            Effect::DestroyPersona,
            session_request(),
            Effect::Show(Screen::Preparing(PreparingStage::Reconnecting))
        ]
    );
    // Another device: this frame goes, the code is made.
    let mut other = h.fork();
    let fx = other.send(Event::User(UserAction::ContinueOnPhone));
    assert_eq!(
        fx[..3],
        [
            Effect::DestroyPersona,
            Effect::MarkHandoff(true),
            sent(Request::MintHandoff)
        ]
    );
    // Waiting on: at the limit, the problem screen with its own ways forward.
    h.advance(Millis::from(PERSONA_READY_LIMIT_MS - SLOW_WAIT_MS));
    assert_eq!(
        h.send(Event::TimerFired(TimerId::PersonaReady(1))),
        [
            Effect::DestroyPersona,
            Effect::Show(Screen::Problem(Problem::PersonaUnavailable))
        ]
    );
}

/// A verification slow to be set up (still `storing`): a few seconds in, the ways forward,
/// while the polling goes on.
#[test]
fn a_verification_slow_to_be_set_up_offers_the_ways_forward_while_polled() {
    let mut h = Harness::new();
    h.created();
    let mut shown = None;
    for _ in 0..200 {
        let fx = h.send(Answer::VerificationPolled(verification("storing", None)));
        if let Some(Effect::Show(screen)) = fx.last() {
            shown = Some((h.now - T0, screen.clone()));
            break;
        }
        let (id, _) = h.flow.requests.timer.expect("polling");
        h.advance(150);
        assert_eq!(h.send(Event::TimerFired(id)), [fetch_iv()]);
    }
    let (after, screen) = shown.expect("the screen changed");
    assert_eq!(screen, Screen::SlowWait(PreparingStage::WaitingForInquiry));
    assert!(
        after >= Millis::from(SLOW_WAIT_MS) && after < 12_000,
        "{after}"
    );
    assert!(h.flow.requests.timer.is_some(), "still polling");
    // Another device carries on with the same verification.
    let fx = h.send(Event::User(UserAction::ContinueOnPhone));
    assert_eq!(
        fx[..2],
        [Effect::MarkHandoff(true), sent(Request::MintHandoff)]
    );
}
