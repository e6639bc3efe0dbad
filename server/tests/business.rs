//! Business customers (KYB) over real HTTP: the server makes a business's create request a
//! `business_registration` from the customer record it reads, in the sandbox and as a
//! mode-2 server in front of Cybrid (a sandbox playing it), whatever the browser asked for.

mod common;

use common::chain::{bank_token, chain_with, csrf_of, sign_in, upstream_customer_of};
use common::{client, Server};
use serde_json::{json, Value};

/// What the browser sends: always a KYC ID + selfie.
fn browser_create(customer_guid: &str) -> Value {
    json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": customer_guid})
}

#[tokio::test]
async fn the_sandbox_verifies_a_business_by_its_registration_and_a_person_by_id() {
    let server = Server::sandbox().await;
    for (query, method) in [
        ("scenario=business-passes", "business_registration"),
        (
            "scenario=fails-retry&customer_type=business",
            "business_registration",
        ),
        ("scenario=passes", "id_and_selfie"),
    ] {
        let customer = server.start(query).await;
        let record: Value = customer
            .get(&format!("/api/customers/{}", customer.guid))
            .await
            .json()
            .await
            .unwrap();
        let business = method == "business_registration";
        assert_eq!(
            record["type"],
            if business { "business" } else { "individual" },
            "{query}"
        );
        let created = customer
            .post(
                "/api/identity_verifications",
                &browser_create(&customer.guid),
            )
            .await;
        assert_eq!(created.status(), 201, "{query}");
        let created: Value = created.json().await.unwrap();
        assert_eq!(created["type"], "kyc", "{query}");
        assert_eq!(created["method"], method, "{query}");
        assert_eq!(
            customer.report().await["methods"],
            json!([method]),
            "{query}"
        );
    }
}

#[tokio::test]
async fn a_mode_2_server_creates_a_business_registration_for_a_business_customer() {
    let (upstream, bff) = chain_with(|_| {}).await;
    let http = client();
    for (kind, method) in [
        ("business", "business_registration"),
        ("individual", "id_and_selfie"),
    ] {
        let customer = upstream_customer_of(&upstream, kind).await;
        assert_eq!(customer["type"], kind);
        let guid = customer["guid"].as_str().unwrap().to_owned();
        let (_, cookie) = sign_in(&bff, &guid).await;
        let csrf = csrf_of(&bff, &cookie).await;
        let created = http
            .post(format!("{}/api/identity_verifications", bff.base))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .json(&browser_create(&guid))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201, "{kind}");
        let created: Value = created.json().await.unwrap();
        assert_eq!(created["method"], method, "{kind}");
        // As the upstream Cybrid has it.
        let upstream_view: Value = http
            .get(format!(
                "{}/api/identity_verifications/{}",
                upstream.base,
                created["guid"].as_str().unwrap()
            ))
            .bearer_auth(bank_token(&upstream).await)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(upstream_view["type"], "kyc", "{kind}");
        assert_eq!(upstream_view["method"], method, "{kind}");
    }
}
