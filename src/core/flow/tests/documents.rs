//! Document requests for every customer who has one (issue 30, section 2). Expectations come
//! from the source documents: seed 001 "Document requests" (a bank statement from the last 90
//! days when the date of birth could not be confirmed; a utility or telephone bill for an
//! address), seed 003 (a verified customer asked for a bank statement through a
//! `document_submission` verification they open), and the failure codes' categories (a
//! `document_*` failure may be retried: a new verification, no support).

use super::*;

/// A verified customer's page load, up to the answer of the list it reads.
fn verified_with(list: Vec<IdentityVerification>) -> (Harness, Vec<Effect>) {
    let mut h = Harness::new();
    h.send(Event::AppStarted {
        remembered: None,
        handoff: false,
        starting: false,
    });
    h.send(Answer::SessionLoaded {
        customer_guid: CUSTOMER.into(),
        server_ms: None,
        idle_ms: None,
    });
    assert_eq!(
        h.send(Answer::CustomerLoaded(customer("verified"))),
        [Effect::Forget, list_verifications()],
        "a verified customer's list is read for a document request"
    );
    let fx = h.send(Answer::VerificationsListed(list));
    (h, fx)
}

/// A document request sent and refused with `codes`.
fn refused(codes: &[FailureCode]) -> IdentityVerification {
    let mut request = document_request("completed");
    request.outcome = Some(crate::core::api::Outcome::Failed);
    request.failure_codes = codes.to_vec();
    request
}

fn reviewing_with(code: FailureCode) -> IdentityVerification {
    let mut v = verification("reviewing", Some(INQUIRY));
    v.failure_codes = vec![code];
    v
}

/// The customer opens the offered document request and sends it in Persona.
fn send_in_persona(h: &mut Harness) {
    h.send(Event::User(UserAction::Resume));
    h.send(Answer::SessionTokenReceived(PersonaSession {
        persona_session_token: "tok_docs".into(),
        persona_inquiry_id: "inq_docs".into(),
        identity_verification_guid: Some("iv_docs".into()),
    }));
    h.send(Event::PersonaReady);
    h.send(Event::PersonaCompleted {
        status: "completed".into(),
    });
}

fn shows(fx: &[Effect], screen: Screen) {
    assert_eq!(fx.last(), Some(&Effect::Show(screen)), "{fx:?}");
}

/// Seed 003: a verified customer can be asked for a bank statement; they see it and send it,
/// and with nothing open they are verified as before.
#[test]
fn a_verified_customer_sees_an_open_request_and_sends_it() {
    let passed = completed("passed", &[]);
    let (_, fx) = verified_with(vec![passed.clone()]);
    shows(&fx, Screen::Verified);
    let (mut h, fx) = verified_with(vec![document_request("waiting"), passed.clone()]);
    shows(
        &fx,
        Screen::Paused {
            documents: Some(DocumentAsk::ForVerifiedCustomer),
        },
    );
    let fx = h.send(Event::User(UserAction::Resume));
    assert_eq!(
        fx[0],
        sent(Request::RequestSessionToken(PostPersonaSession {
            persona_inquiry_id: "inq_docs".into(),
            identity_verification_guid: "iv_docs".into(),
        }))
    );
    let fx = h.send(Answer::SessionTokenReceived(PersonaSession {
        persona_session_token: "tok_docs".into(),
        persona_inquiry_id: "inq_docs".into(),
        identity_verification_guid: Some("iv_docs".into()),
    }));
    assert!(
        fx.iter().any(
            |e| matches!(e, Effect::LaunchPersona { inquiry_id, .. } if inquiry_id == "inq_docs")
        ),
        "{fx:?}"
    );
    h.send(Event::PersonaReady);
    h.send(Event::PersonaCompleted {
        status: "completed".into(),
    });
    let mut sent = document_request("pending");
    sent.persona_state = Some(PersonaState::Processing);
    // Sent: no review to go back to, so the document's own decision is awaited.
    let fx = h.send(Answer::VerificationPolled(sent.clone()));
    assert!(matches!(fx[..], [Effect::StartTimer { .. }]), "{fx:?}");
    assert_eq!(h.flow.screen(), Screen::Checking(CheckingStage::Decision));
    h.send(Event::TimerFired(h.last_timer()));
    let mut accepted = document_request("completed");
    accepted.outcome = Some(crate::core::api::Outcome::Passed);
    assert_eq!(
        h.send(Answer::VerificationPolled(accepted.clone())),
        [list_verifications(), Effect::Show(Screen::Loading)],
        "decided: found out again, as a verified customer"
    );
    let fx = h.send(Answer::VerificationsListed(vec![accepted, passed.clone()]));
    shows(&fx, Screen::Verified);
}

/// A verified customer's document that cannot be used is told after they send it, not lost
/// behind "You are verified" (seed 003: the request stays theirs to answer).
#[test]
fn a_verified_customers_refused_document_is_told_after_sending() {
    let codes = [FailureCode::DocumentCheckFailure];
    let passed = completed("passed", &[]);
    let (mut h, _) = verified_with(vec![document_request("waiting"), passed.clone()]);
    send_in_persona(&mut h);
    let mut sent = document_request("pending");
    sent.persona_state = Some(PersonaState::Processing);
    h.send(Answer::VerificationPolled(sent));
    assert_eq!(h.flow.screen(), Screen::Checking(CheckingStage::Decision));
    h.send(Event::TimerFired(h.last_timer()));
    assert_eq!(
        h.send(Answer::VerificationPolled(refused(&codes))),
        [list_verifications(), Effect::Show(Screen::Loading)]
    );
    let fx = h.send(Answer::VerificationsListed(vec![refused(&codes), passed]));
    shows(
        &fx,
        Screen::DocumentRefused {
            reasons: codes.to_vec(),
        },
    );
}

/// Seed 001: what is asked follows the issue the review found.
#[test]
fn the_request_says_which_document_the_review_needs() {
    for (code, ask) in [
        (FailureCode::DobCheckFailure, DocumentAsk::BankStatement),
        (
            FailureCode::AddressCheckFailure,
            DocumentAsk::ProofOfAddress,
        ),
        (FailureCode::NameCheckFailure, DocumentAsk::Either),
    ] {
        let mut h = Harness::new();
        let fx = h.loaded(
            Some(IV),
            vec![document_request("waiting"), reviewing_with(code)],
        );
        shows(
            &fx,
            Screen::Paused {
                documents: Some(ask),
            },
        );
    }
}

/// A document that could not be used is told, with why, and may be sent again; it is never
/// dropped silently back to the review.
#[test]
fn a_document_that_could_not_be_used_is_told_and_can_be_sent_again() {
    let codes = [FailureCode::DocumentQualityCheckFailure];
    let under_review = reviewing_with(FailureCode::AddressCheckFailure);
    // Found on a page load.
    let mut h = Harness::new();
    let fx = h.loaded(Some(IV), vec![refused(&codes), under_review.clone()]);
    shows(
        &fx,
        Screen::DocumentRefused {
            reasons: codes.to_vec(),
        },
    );
    // Found right after sending it in Persona.
    let mut h = Harness::new();
    h.loaded(
        Some(IV),
        vec![document_request("waiting"), under_review.clone()],
    );
    send_in_persona(&mut h);
    assert_eq!(
        h.send(Answer::VerificationPolled(refused(&codes))),
        [list_verifications(), Effect::Show(Screen::Loading)]
    );
    let fx = h.send(Answer::VerificationsListed(vec![
        refused(&codes),
        under_review.clone(),
    ]));
    shows(
        &fx,
        Screen::DocumentRefused {
            reasons: codes.to_vec(),
        },
    );
    // "Send the document again": a new document request, never an ID check.
    let fx = h.send(Event::User(UserAction::SendDocumentAgain));
    assert_eq!(
        fx[0],
        sent(Request::CreateVerification(PostIdentityVerification {
            method: VerificationMethod::DocumentSubmission,
            ..PostIdentityVerification::kyc_id_and_selfie(CUSTOMER)
        }))
    );
    let mut again = verification_at("iv_docs_2", "storing", None, T0 + HOUR);
    again.method = Some(VerificationMethod::DocumentSubmission);
    h.send(Answer::VerificationCreated(again.clone()));
    again.state = VerificationState::Waiting;
    again.persona_inquiry_id = Some("inq_docs_2".into());
    let fx = h.send(Answer::VerificationPolled(again));
    assert!(
        fx.iter().any(|e| matches!(
            e,
            Effect::LaunchPersona { inquiry_id, .. } if inquiry_id == "inq_docs_2"
        )),
        "{fx:?}"
    );
    // Watching the review, a refused document shows too.
    let (mut h, _) = finish_with(under_review.clone());
    h.send(Event::TimerFired(h.last_timer()));
    let fx = h.send(Answer::VerificationsListed(vec![
        refused(&codes),
        under_review,
    ]));
    shows(
        &fx,
        Screen::DocumentRefused {
            reasons: codes.to_vec(),
        },
    );
    // A verified customer's refused document stands although their pass is older.
    let (_, fx) = verified_with(vec![refused(&codes), completed("passed", &[])]);
    shows(
        &fx,
        Screen::DocumentRefused {
            reasons: codes.to_vec(),
        },
    );
}

/// "Try again" makes or carries on an ID + selfie check, never a document upload, even with a
/// document request open beside it; and a document request never rules out an ID check.
#[test]
fn try_again_never_opens_a_document_request() {
    let failed = completed("failed", &["id_quality_check_failure"]);
    let (mut h, _) = finish_with(failed.clone());
    h.send(Answer::CustomerLoaded(customer("unverified")));
    h.send(Event::User(UserAction::Start));
    let fx = h.send(Answer::VerificationsListed(vec![
        document_request("waiting"),
        failed,
    ]));
    assert_eq!(
        fx[0],
        sent(Request::CreateVerification(
            PostIdentityVerification::kyc_id_and_selfie(CUSTOMER)
        ))
    );
    // The server's guard (the same rule) never answers a create with a document request.
    let now = T0 + 2 * MINUTE;
    for state in ["storing", "waiting", "pending", "reviewing"] {
        assert!(!rules_out_another(&document_request(state), now), "{state}");
        assert!(!can_carry_on(&document_request(state), now), "{state}");
    }
    // The handoff binds to what the customer is doing: the ID check in flight first, else
    // the open request.
    let id_check = verification("waiting", Some(INQUIRY));
    let both = [document_request("waiting"), id_check];
    assert_eq!(
        in_hand(&both, now, false).map(|v| v.guid.as_str()),
        Some(IV)
    );
    let only_request = [
        document_request("waiting"),
        reviewing_with(FailureCode::DobCheckFailure),
    ];
    assert_eq!(
        in_hand(&only_request, now, false).map(|v| v.guid.as_str()),
        Some("iv_docs")
    );
    assert_eq!(
        in_hand(&both, now, true).map(|v| v.guid.as_str()),
        Some("iv_docs"),
        "a verified customer is doing the request"
    );
}

/// Only a request that failed in a way the customer can fix is offered again; one that
/// passed, or a review that ended without it, is not.
#[test]
fn only_a_refused_document_that_still_matters_is_offered_again() {
    let codes = [FailureCode::DocumentCheckFailure];
    let mut accepted = document_request("completed");
    accepted.outcome = Some(crate::core::api::Outcome::Passed);
    let review = reviewing_with(FailureCode::DobCheckFailure);
    assert!(refused_document(&[accepted, review.clone()], false).is_none());
    assert!(refused_document(&[refused(&codes), review], false).is_some());
    // The review passed without it: moot.
    assert!(refused_document(&[refused(&codes), completed("passed", &[])], false).is_none());
    // Refused for a reason no new photo fixes: not offered again.
    let rejected = refused(&[FailureCode::ComplianceRejection]);
    assert!(refused_document(&[rejected], true).is_none());
}
