//! The sandbox backend over real HTTP: scenario life cycles, faults, CSRF, scoping, tokens.

mod common;

use std::time::Duration;

use common::{client, Customer, Server};
use kyc_onboarding::core::api::{IdentityVerification, Outcome, VerificationState};
use serde_json::{json, Value};

fn has_inquiry(v: &IdentityVerification) -> bool {
    v.persona_inquiry_id.is_some()
}

fn finished(v: &IdentityVerification) -> bool {
    matches!(
        v.state,
        VerificationState::Completed | VerificationState::Expired
    )
}

/// Creates a verification, waits for its inquiry, runs the widget; returns the final state
/// and Persona's status.
async fn run_through_widget(customer: &Customer) -> (IdentityVerification, String) {
    let created = customer.create().await;
    assert_eq!(created.state, VerificationState::Storing);
    assert_eq!(created.persona_inquiry_id, None);
    let waiting = customer.wait_for(&created.guid, has_inquiry).await;
    assert_eq!(waiting.state, VerificationState::Waiting);
    let inquiry = waiting.persona_inquiry_id.unwrap();
    let status = customer.complete_widget(&inquiry, None).await;
    let pending = customer.verification(&created.guid).await;
    assert!(
        matches!(
            pending.state,
            VerificationState::Pending
                | VerificationState::Reviewing
                | VerificationState::Completed
                | VerificationState::Expired
        ),
        "{pending:?}"
    );
    (customer.wait_for(&created.guid, finished).await, status)
}

#[tokio::test]
async fn passes_and_the_customer_becomes_verified() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    let (v, status) = run_through_widget(&customer).await;
    assert_eq!(status, "completed");
    assert_eq!(v.outcome, Some(Outcome::Passed));
    customer.wait_for_customer("verified").await;
    let again = customer
        .post(
            "/api/identity_verifications",
            &json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": customer.guid}),
        )
        .await;
    // A verified customer gets no new inquiry: a pass this fresh is answered as it is.
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["guid"], v.guid.as_str());
    assert_eq!(customer.report().await["verifications"], 1);
}

#[tokio::test]
async fn failures_end_with_their_codes_and_customer_state() {
    let server = Server::sandbox().await;
    for (query, customer_state) in [
        ("scenario=fails-retry", "unverified"),
        ("scenario=fails-expired-id", "unverified"),
        ("scenario=fails-rejected", "rejected"),
        ("scenario=fails-mixed", "rejected"),
        ("scenario=fails-unknown", "unverified"),
        ("scenario=fails&codes=user_canceled", "unverified"),
    ] {
        let customer = server.start(query).await;
        let (v, status) = run_through_widget(&customer).await;
        assert_eq!(status, "failed", "{query}");
        assert_eq!(v.outcome, Some(Outcome::Failed), "{query}");
        assert!(!v.failure_codes.is_empty(), "{query}");
        customer.wait_for_customer(customer_state).await;
    }
}

#[tokio::test]
async fn the_browser_is_not_told_which_aml_or_fraud_check_caught_the_customer() {
    let server = Server::sandbox().await;
    let customer = server
        .start("scenario=fails&codes=watchlist_check_failure,pep_check_failure,prohibited_person_check_failure,id_quality_check_failure")
        .await;
    let (v, _) = run_through_widget(&customer).await;
    let told: Vec<&str> = v.failure_codes.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        told,
        [
            "review_required",
            "compliance_rejection",
            "id_quality_check_failure"
        ],
        "the same advice, without the signals"
    );
    let list = customer
        .get("/api/identity_verifications")
        .await
        .text()
        .await
        .unwrap();
    for signal in ["watchlist", "pep_check", "prohibited_person"] {
        assert!(!list.contains(signal), "{signal} in {list}");
    }
}

#[tokio::test]
async fn review_codes_go_through_reviewing() {
    let server = Server::sandbox().await;
    for (query, outcome, customer_state) in [
        ("scenario=review-passes", Outcome::Passed, "verified"),
        ("scenario=review-fails", Outcome::Failed, "rejected"),
        ("scenario=fails-review", Outcome::Failed, "unverified"),
    ] {
        // A review that lasts a minute: the state read after the widget is reviewing, however
        // slowly this machine polls.
        let held = server
            .start(&format!("{query}&review_delay_ms=60000"))
            .await;
        let created = held.create().await;
        let inquiry = held
            .wait_for(&created.guid, has_inquiry)
            .await
            .persona_inquiry_id
            .unwrap();
        held.complete_widget(&inquiry, None).await;
        let reviewing = held
            .wait_for(&created.guid, |v| v.state != VerificationState::Pending)
            .await;
        assert_eq!(reviewing.state, VerificationState::Reviewing, "{query}");
        assert!(
            !reviewing.failure_codes.is_empty(),
            "{query}: review codes are visible"
        );
        assert_eq!(reviewing.outcome, None, "{query}: no outcome during review");

        // The same scenario with the fast review ends with its outcome.
        let customer = server.start(query).await;
        let (done, _) = run_through_widget(&customer).await;
        assert_eq!(done.outcome, Some(outcome), "{query}");
        customer.wait_for_customer(customer_state).await;
    }
}

#[tokio::test]
async fn expiry_by_scenario_and_by_time() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=expires").await;
    let (v, _) = run_through_widget(&customer).await;
    assert_eq!(v.state, VerificationState::Expired);

    let customer = server.start("scenario=passes&expire_after_ms=200").await;
    let created = customer.create().await;
    let expired = customer
        .wait_for(&created.guid, |v| v.state == VerificationState::Expired)
        .await;
    assert!(expired.persona_inquiry_id.is_some());
    let refused = customer
        .post(
            "/api/persona_sessions",
            &json!({"persona_inquiry_id": expired.persona_inquiry_id, "identity_verification_guid": expired.guid}),
        )
        .await;
    assert_eq!(
        refused.status(),
        422,
        "an expired inquiry cannot be resumed"
    );
}

#[tokio::test]
async fn slow_inquiry_creation_keeps_the_verification_storing() {
    let server = Server::sandbox().await;
    // Long enough that the first read always falls inside it, however busy the machine.
    let customer = server
        .start("scenario=slow-inquiry&inquiry_delay_ms=2000")
        .await;
    let created = customer.create().await;
    assert_eq!(
        customer.verification(&created.guid).await.state,
        VerificationState::Storing
    );
    let waiting = customer.wait_for(&created.guid, has_inquiry).await;
    assert_eq!(waiting.state, VerificationState::Waiting);
}

#[tokio::test]
async fn customers_in_their_scenario_states() {
    let server = Server::sandbox().await;
    for (scenario, state) in [
        ("already-verified", "verified"),
        ("already-rejected", "rejected"),
        ("frozen", "frozen"),
    ] {
        let customer = server.start(&format!("scenario={scenario}")).await;
        let c: Value = customer
            .get(&format!("/api/customers/{}", customer.guid))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(c["state"], state);
    }
}

#[tokio::test]
async fn a_pending_verification_resumes_with_a_new_single_use_token() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=pending-resume").await;
    let list: Value = customer
        .get("/api/identity_verifications")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["objects"].as_array().unwrap().len(), 1);
    let v = &list["objects"][0];
    assert_eq!(v["state"], "pending");
    let inquiry = v["persona_inquiry_id"].as_str().unwrap();
    let opened = customer
        .widget("open", json!({"inquiry_id": inquiry}))
        .await;
    assert_eq!(opened["error"], "unauthenticated", "no token, no resume");
    let session: Value = customer
        .post(
            "/api/persona_sessions",
            &json!({"persona_inquiry_id": inquiry, "identity_verification_guid": v["guid"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let token = session["persona_session_token"].as_str().unwrap();
    assert_eq!(session["persona_inquiry_id"], inquiry);
    let status = customer.complete_widget(inquiry, Some(token)).await;
    assert_eq!(status, "completed");
    let again = customer
        .widget(
            "open",
            json!({"inquiry_id": inquiry, "session_token": token}),
        )
        .await;
    assert_eq!(again["error"], "unauthenticated", "a token works once");
    assert_eq!(customer.report().await["persona_session_requests"], 1);
}

#[tokio::test]
async fn expected_behaviours_are_honoured() {
    let server = Server::sandbox().await;
    for (behaviour, outcome) in [
        ("passed_immediately", "passed"),
        ("failed_immediately", "failed"),
    ] {
        let customer = server.start("scenario=passes").await;
        let created: Value = customer
            .post(
                "/api/identity_verifications",
                &json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": customer.guid, "expected_behaviours": [behaviour]}),
            )
            .await
            .json()
            .await
            .unwrap();
        let v = customer
            .wait_for(created["guid"].as_str().unwrap(), finished)
            .await;
        assert_eq!(v.outcome.unwrap().as_str(), outcome);
    }
}

#[tokio::test]
async fn posts_need_the_csrf_token() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    let body = json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": customer.guid});
    for csrf in [None, Some("csrf_wrong")] {
        let mut request = customer
            .client
            .post(format!("{}/api/identity_verifications", customer.base))
            .header("cookie", &customer.cookie)
            .json(&body);
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 403);
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["status"], 403);
        assert!(error["error_message"].as_str().unwrap().contains("CSRF"));
    }
    assert_eq!(
        customer.report().await["verifications"],
        0,
        "nothing was created"
    );
}

#[tokio::test]
async fn no_session_answers_401() {
    let server = Server::sandbox().await;
    let http = client();
    for path in [
        "/session",
        "/api/customers/abc",
        "/api/identity_verifications",
        "/api/identity_verifications/abc",
    ] {
        let r = http
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{path}");
        let body: Value = r.json().await.unwrap();
        // The sandbox says it is one where the app asks who the customer is.
        let expected = if path == "/session" {
            "unauthenticated_sandbox"
        } else {
            "unauthenticated"
        };
        assert_eq!(body["message_code"], expected, "{path}");
    }
}

#[tokio::test]
async fn another_customers_things_answer_404_like_missing_ones() {
    let server = Server::sandbox().await;
    let alice = server.start("scenario=passes").await;
    let bob = server.start("scenario=passes").await;
    let bobs = bob.create().await;
    let bobs = bob.wait_for(&bobs.guid, has_inquiry).await;
    let bobs_inquiry = bobs.persona_inquiry_id.clone().unwrap();

    let missing_customer = alice
        .get("/api/customers/0000000000000000000000000000beef")
        .await;
    let missing_body: Value = missing_customer.json().await.unwrap();
    for (path, what) in [
        (format!("/api/customers/{}", bob.guid), "customer"),
        (
            format!("/api/identity_verifications?customer_guid={}", bob.guid),
            "customer",
        ),
    ] {
        let r = alice.get(&path).await;
        assert_eq!(r.status(), 404, "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(
            body, missing_body,
            "{what}: the same answer as for a missing one"
        );
    }
    let r = alice
        .get(&format!("/api/identity_verifications/{}", bobs.guid))
        .await;
    assert_eq!(r.status(), 404);
    let missing = alice
        .get("/api/identity_verifications/0000000000000000000000000000beef")
        .await;
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        missing.json::<Value>().await.unwrap()
    );

    let r = alice
        .post(
            "/api/persona_sessions",
            &json!({"persona_inquiry_id": bobs_inquiry, "identity_verification_guid": bobs.guid}),
        )
        .await;
    assert_eq!(r.status(), 404, "no token for someone else's inquiry");
    let r = alice
        .post(
            "/api/identity_verifications",
            &json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": bob.guid}),
        )
        .await;
    assert_eq!(r.status(), 404, "no verification for someone else");
    // Alice's own verification with Bob's inquiry.
    let mine = alice.create().await;
    let r = alice
        .post(
            "/api/persona_sessions",
            &json!({"persona_inquiry_id": bobs_inquiry, "identity_verification_guid": mine.guid}),
        )
        .await;
    assert_eq!(r.status(), 404);
    assert_eq!(bob.report().await["persona_session_requests"], 0);
}

#[tokio::test]
async fn list_pages_past_the_end_are_empty_even_absurd_ones() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    customer.create().await;
    for page in ["1", "18446744073709551615"] {
        let r = customer
            .get(&format!(
                "/api/identity_verifications?customer_guid={}&page={page}&per_page=100",
                customer.guid
            ))
            .await;
        assert_eq!(r.status(), 200, "page {page}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["objects"], serde_json::json!([]), "page {page}");
        assert_eq!(body["total"], 1, "page {page}");
    }
}

#[tokio::test]
async fn the_browser_may_only_create_kyc_id_and_selfie() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    for body in [
        json!({"type": "bank_account", "method": "plaid_identity_match", "customer_guid": customer.guid}),
        json!({"type": "kyc", "method": "attested", "customer_guid": customer.guid}),
        json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": customer.guid, "require_tax_id": false}),
    ] {
        assert_eq!(
            customer
                .post("/api/identity_verifications", &body)
                .await
                .status(),
            422
        );
    }
    let r = customer
        .post("/api/identity_verifications", &json!("not an object"))
        .await;
    assert_eq!(r.status(), 400);
}

/// Sends a request and reports whether its answer failed to arrive whole (the connection
/// dropped before or during the body).
async fn answer_is_lost(customer: &Customer, method: reqwest::Method, path: &str) -> bool {
    let response = customer
        .client
        .request(method, format!("{}{path}", customer.base))
        .header("cookie", &customer.cookie)
        .header("x-csrf-token", &customer.csrf)
        .json(&json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": customer.guid}))
        .send()
        .await;
    match response {
        Err(_) => true,
        Ok(r) => r.text().await.is_err(),
    }
}

/// Starts a customer whose calls meet `fault`, and returns it with its verification guid.
async fn faulty(server: &Server, fault: &str) -> Customer {
    server
        .start(&format!("scenario=passes&fault={fault}"))
        .await
}

#[tokio::test]
async fn status_faults_hit_a_bounded_number_of_times() {
    let server = Server::sandbox().await;
    for (fault, status) in [
        ("list:500:2", 500),
        ("list:503:2", 503),
        ("list:429=3:2", 429),
    ] {
        let customer = faulty(&server, fault).await;
        for _ in 0..2 {
            let r = customer.get("/api/identity_verifications").await;
            assert_eq!(r.status(), status, "{fault}");
            if status == 429 {
                assert_eq!(r.headers()["retry-after"], "3");
            }
            let body: Value = r.json().await.unwrap();
            assert_eq!(body["status"], status, "Cybrid's error shape");
        }
        assert_eq!(
            customer.get("/api/identity_verifications").await.status(),
            200,
            "{fault} is spent"
        );
    }
}

#[tokio::test]
async fn dropped_connections_and_malformed_bodies() {
    let server = Server::sandbox().await;
    let customer = faulty(&server, "customer:drop:1").await;
    let path = format!("/api/customers/{}", customer.guid);
    assert!(
        answer_is_lost(&customer, reqwest::Method::GET, &path).await,
        "the answer never arrives"
    );
    assert_eq!(customer.get(&path).await.status(), 200);

    let customer = faulty(&server, "verification:malformed:1").await;
    let v = customer.create().await;
    let text = customer
        .get(&format!("/api/identity_verifications/{}", v.guid))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        serde_json::from_str::<Value>(&text).is_err(),
        "not JSON: {text}"
    );
    customer.verification(&v.guid).await;
}

#[tokio::test]
async fn a_lost_create_response_still_creates() {
    let server = Server::sandbox().await;
    let customer = faulty(&server, "create:lost:1").await;
    assert!(
        answer_is_lost(
            &customer,
            reqwest::Method::POST,
            "/api/identity_verifications"
        )
        .await,
        "the answer is lost"
    );
    let report = customer.report().await;
    assert_eq!(
        report["verifications"], 1,
        "but the verification exists: {report}"
    );
}

#[tokio::test]
async fn latency_delays_the_answer() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    let added = customer
        .post(
            "/sandbox/api/faults",
            &json!({"rules": ["customer:latency=5000:1"]}),
        )
        .await;
    assert_eq!(added.status(), 200);
    let path = format!("{}/api/customers/{}", customer.base, customer.guid);
    let impatient = customer
        .client
        .get(&path)
        .header("cookie", &customer.cookie)
        .timeout(Duration::from_millis(500))
        .send()
        .await;
    assert!(
        impatient.is_err(),
        "the delayed answer misses a short deadline"
    );
    let later = customer
        .get(&format!("/api/customers/{}", customer.guid))
        .await;
    assert_eq!(later.status(), 200, "the next call is on time");
}

#[tokio::test]
async fn bad_scenario_links_get_a_clear_page() {
    let server = Server::sandbox().await;
    for query in [
        "scenario=nope",
        "scenario=fails&codes=%3Cscript%3E",
        "fault=create:explode:1",
        "inquiry_delay_ms=soon",
    ] {
        let r = client()
            .get(format!("{}/sandbox/start?{query}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{query}");
        let page = r.text().await.unwrap();
        assert!(!page.contains("<script>"), "nothing reflected unescaped");
        assert!(page.contains("cannot start"));
    }
    let index = client()
        .get(format!("{}/sandbox", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(index.contains("data-scenario=\"pending-resume\""));
    assert!(index.contains("id_mrz_check_failure"));
}

#[tokio::test]
async fn creates_never_make_a_second_verification_in_flight() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=fails-retry").await;
    let body = json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": customer.guid});
    // Two at once (two tabs, or a browser re-sending a POST whose answer was lost).
    let (a, b) = tokio::join!(
        customer.post("/api/identity_verifications", &body),
        customer.post("/api/identity_verifications", &body)
    );
    let mut statuses = vec![a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [200, 201],
        "one creates, the other gets the same one"
    );
    let a: Value = a.json().await.unwrap();
    let b: Value = b.json().await.unwrap();
    assert_eq!(a["guid"], b["guid"]);
    assert_eq!(customer.report().await["verifications"], 1);
    // Once it has failed in a way the customer may retry, a new one can be created.
    let first = a["guid"].as_str().unwrap();
    let inquiry = customer
        .wait_for(first, has_inquiry)
        .await
        .persona_inquiry_id
        .unwrap();
    customer.complete_widget(&inquiry, None).await;
    customer.wait_for(first, finished).await;
    let again = customer.post("/api/identity_verifications", &body).await;
    assert_eq!(again.status(), 201);
    assert_eq!(customer.report().await["verifications"], 2);
}

#[tokio::test]
async fn no_second_verification_while_the_customer_record_catches_up_with_a_verdict() {
    let server = Server::sandbox().await;
    // Cybrid marks the customer verified or rejected a while after the verification ends;
    // meanwhile a second tab, the phone or a hand-made POST must get the concluded one.
    for scenario in ["passes", "fails-rejected"] {
        let customer = server
            .start(&format!("scenario={scenario}&customer_delay_ms=600000"))
            .await;
        let (first, _) = run_through_widget(&customer).await;
        assert_eq!(first.state, VerificationState::Completed, "{scenario}");
        let customer_record: Value = customer
            .get(&format!("/api/customers/{}", customer.guid))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            customer_record["state"], "unverified",
            "{scenario}: not caught up yet"
        );
        let body =
            json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": customer.guid});
        let again = customer.post("/api/identity_verifications", &body).await;
        assert_eq!(again.status(), 200, "{scenario}");
        let again: Value = again.json().await.unwrap();
        assert_eq!(again["guid"], first.guid.as_str(), "{scenario}");
        assert_eq!(again["state"], "completed", "{scenario}");
        assert_eq!(customer.report().await["verifications"], 1, "{scenario}");
    }
}

#[tokio::test]
async fn no_second_verification_beside_one_under_review() {
    let server = Server::sandbox().await;
    let customer = server
        .start("scenario=review-passes&review_delay_ms=60000")
        .await;
    let body = json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": customer.guid});
    let created = customer.post("/api/identity_verifications", &body).await;
    assert_eq!(created.status(), 201);
    let first: Value = created.json().await.unwrap();
    let first = first["guid"].as_str().unwrap().to_owned();
    let inquiry = customer
        .wait_for(&first, has_inquiry)
        .await
        .persona_inquiry_id
        .unwrap();
    customer.complete_widget(&inquiry, None).await;
    customer
        .wait_for(&first, |v| v.state == VerificationState::Reviewing)
        .await;
    // A hand-made POST (or another device) while compliance reviews it: answered with the
    // one under review, not a second verification.
    let again = customer.post("/api/identity_verifications", &body).await;
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["guid"], first.as_str());
    assert_eq!(again["state"], "reviewing");
    assert_eq!(customer.report().await["verifications"], 1);
}

#[tokio::test]
async fn one_customer_cannot_spend_everybodys_quota() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    let body = json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": customer.guid});
    for _ in 0..kyc_server::quota::Spend::Create.limit() {
        let r = customer.post("/api/identity_verifications", &body).await;
        assert!(r.status().is_success(), "{}", r.status());
    }
    let refused = customer.post("/api/identity_verifications", &body).await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 0 && wait <= 600, "{wait}");
    assert_eq!(
        customer.report().await["verifications"],
        1,
        "never a second"
    );
    // Reading goes on, and another customer is not held up.
    assert_eq!(customer.get("/session").await.status(), 200);
    let other = server.start("scenario=passes").await;
    let body = json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": other.guid});
    assert!(other
        .post("/api/identity_verifications", &body)
        .await
        .status()
        .is_success());
}

#[tokio::test]
async fn the_handoff_status_counts_among_a_customers_reads() {
    // The desktop polls it every few seconds, and each poll goes upstream: a script holding
    // the cookie must not poll it without limit.
    let server = Server::sandbox().await;
    let limit = kyc_server::quota::Spend::Read.limit();
    let mut reads_left = Vec::new();
    for polls_status in [false, true] {
        let customer = server.start("scenario=passes").await;
        if polls_status {
            assert_eq!(customer.get("/handoff/status").await.status(), 200);
        }
        let mut reads = 0;
        while customer.get("/session").await.status() == 200 {
            reads += 1;
            assert!(reads <= limit, "the quota holds");
        }
        reads_left.push(reads);
        if polls_status {
            let refused = customer.get("/handoff/status").await;
            assert_eq!(refused.status(), 429);
            assert!(refused.headers().contains_key("retry-after"));
        }
    }
    assert_eq!(
        reads_left[1] + 1,
        reads_left[0],
        "one status poll is one read"
    );
}

#[tokio::test]
async fn waiting_faults_are_capped_and_spent_ones_make_room() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    let customer = &customer;
    let add = |n: usize| async move {
        let rules: Vec<String> = (0..n).map(|_| "customer:500:1".to_owned()).collect();
        customer
            .post("/sandbox/api/faults", &json!({ "rules": rules }))
            .await
    };
    assert_eq!(add(32).await.status(), 200);
    let refused = add(1).await;
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["error_message"].as_str().unwrap().contains("32"),
        "{body}"
    );
    // One rule spent: room for one more.
    let path = format!("/api/customers/{}", customer.guid);
    assert_eq!(customer.get(&path).await.status(), 500);
    assert_eq!(add(1).await.status(), 200);
    assert_eq!(add(1).await.status(), 422);
}

#[tokio::test]
async fn no_route_buffers_a_big_body() {
    let server = Server::sandbox().await;
    let customer = server.start("scenario=passes").await;
    let big = "x".repeat(64 * 1024);
    for path in ["/handoff/abcdefghijklmnopqrstuvwxyz0", "/launch"] {
        let answer = client()
            .post(format!("{}{path}", server.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("nonce={big}"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 413, "{path}");
    }
    let answer = customer
        .post("/api/identity_verifications", &json!({ "padding": big }))
        .await;
    assert_eq!(answer.status(), 413);
}
