//! Document requests (`document_submission`) over real HTTP: the create guard never answers
//! an ID check with one, and a customer may send a document again only after one could not
//! be used (seed 001 and 003; the `document_*` codes allow a retry).

mod common;

use common::{Customer, Server};
use kyc_onboarding::core::api::{
    parse, IdentityVerification, Outcome, VerificationMethod, VerificationState,
};
use serde_json::{json, Value};

/// The customer's verifications, as the browser lists them.
async fn list(customer: &Customer) -> Vec<IdentityVerification> {
    let body: Value = customer
        .get(&format!(
            "/api/identity_verifications?customer_guid={}",
            customer.guid
        ))
        .await
        .json()
        .await
        .unwrap();
    body["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| parse(&v.to_string()).unwrap())
        .collect()
}

/// Waits for the customer's newest document request that `done` holds for.
async fn document_request(
    customer: &Customer,
    done: impl Fn(&IdentityVerification) -> bool,
) -> IdentityVerification {
    for _ in 0..500 {
        if let Some(v) = list(customer)
            .await
            .into_iter()
            .find(|v| v.method == Some(VerificationMethod::DocumentSubmission) && done(v))
        {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("no such document request");
}

async fn create(customer: &Customer, method: &str) -> reqwest::Response {
    customer
        .post(
            "/api/identity_verifications",
            &json!({"type": "kyc", "method": method, "customer_guid": customer.guid}),
        )
        .await
}

fn openable(v: &IdentityVerification) -> bool {
    v.state == VerificationState::Waiting && v.persona_inquiry_id.is_some()
}

fn decided(v: &IdentityVerification) -> bool {
    v.state == VerificationState::Completed
}

#[tokio::test]
async fn a_verified_customer_sends_a_document_again_only_after_one_was_refused() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=verified-document-refused").await;
    let first = document_request(&customer, openable).await;
    // Verified: no ID check, and no document request to send again yet.
    assert_eq!(create(&customer, "id_and_selfie").await.status(), 422);
    let early = create(&customer, "document_submission").await;
    assert_eq!(early.status(), 422);
    assert!(early.text().await.unwrap().contains("no document request"));
    // The first one is refused (the scenario's `document_check_failure`).
    let inquiry = first.persona_inquiry_id.clone().unwrap();
    customer.complete_widget(&inquiry, None).await;
    let refused = customer.wait_for(&first.guid, decided).await;
    assert_eq!(refused.outcome, Some(Outcome::Failed));
    // Now it may be sent again, once: the new request is a document request.
    let again = create(&customer, "document_submission").await;
    assert_eq!(again.status(), 201);
    let again: IdentityVerification = parse(&again.text().await.unwrap()).unwrap();
    assert_eq!(again.method, Some(VerificationMethod::DocumentSubmission));
    assert_ne!(again.guid, first.guid);
    assert_eq!(create(&customer, "document_submission").await.status(), 422);
    // The second is accepted; the customer stays verified.
    let opened = customer.wait_for(&again.guid, openable).await;
    customer
        .complete_widget(&opened.persona_inquiry_id.unwrap(), None)
        .await;
    let accepted = customer.wait_for(&again.guid, decided).await;
    assert_eq!(accepted.outcome, Some(Outcome::Passed));
    customer.wait_for_customer("verified").await;
    assert_eq!(
        customer.report().await["verifications"],
        3,
        "the pass of a month ago and two document requests: no new ID check"
    );
}

#[tokio::test]
async fn an_id_check_is_never_answered_with_a_document_request() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=review-document-unreadable").await;
    let id_check = customer.create().await;
    let waiting = customer
        .wait_for(&id_check.guid, |v| v.persona_inquiry_id.is_some())
        .await;
    customer
        .complete_widget(&waiting.persona_inquiry_id.unwrap(), None)
        .await;
    // Under review, compliance asks for a document.
    let request = document_request(&customer, openable).await;
    // Try again while it is open: the answer is the ID check under review, never the
    // document request.
    let response = create(&customer, "id_and_selfie").await;
    assert_eq!(response.status(), 200);
    let answered: IdentityVerification = parse(&response.text().await.unwrap()).unwrap();
    assert_eq!(answered.guid, id_check.guid);
    assert_ne!(answered.guid, request.guid);
    // The refused document can be sent again; the review then passes.
    customer
        .complete_widget(&request.persona_inquiry_id.unwrap(), None)
        .await;
    customer.wait_for(&request.guid, decided).await;
    let again = create(&customer, "document_submission").await;
    assert_eq!(again.status(), 201);
    let again: IdentityVerification = parse(&again.text().await.unwrap()).unwrap();
    let opened = customer.wait_for(&again.guid, openable).await;
    // The simulated widget asks for a document, not an ID and a selfie.
    let widget = customer
        .widget(
            "open",
            json!({"inquiry_id": opened.persona_inquiry_id.unwrap(), "session_token": null}),
        )
        .await;
    assert_eq!(widget["document"], true, "{widget}");
    let session = widget["widget_session"].clone();
    customer
        .widget("start", json!({"widget_session": session}))
        .await;
    customer
        .widget("submit", json!({"widget_session": session}))
        .await;
    customer.wait_for_customer("verified").await;
}
