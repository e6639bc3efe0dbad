//! Prometheus metrics on their own address: counters after a real flow (a sandbox customer
//! through to an outcome, a mode-2 server calling its upstream), and none on the public port.
//! One test in this binary: the recorder is the process's, shared by every server in it.

mod common;

use common::{client, Server};
use kyc_onboarding::core::api::VerificationState;
use kyc_server::launch::sign;
use kyc_server::{CybridConfig, Mode};
use serde_json::json;

const LAUNCH_SECRET: &[u8] = b"integrator launch secret, 32+ bytes long";

/// The value of the sample `name{labels}` in a scrape (labels as Prometheus writes them).
fn sample(scrape: &str, series: &str) -> f64 {
    scrape
        .lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no {series} in\n{scrape}"))
        .trim()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn metrics_are_scraped_on_their_own_address_only() {
    let with_metrics = |c: &mut kyc_server::Config| {
        c.service.metrics_addr = Some("127.0.0.1:0".parse().unwrap());
    };
    let upstream = Server::with(|c| {
        with_metrics(c);
        c.mode = Mode::Sandbox(common::fast());
        c.sandbox_bank_credentials = Some(("bank-client".into(), "bank-secret-value".into()));
    })
    .await;
    let metrics = upstream.running.metrics_addr.expect("a metrics address");
    assert_ne!(metrics.port(), upstream.running.addr.port());

    // A sandbox customer through to an outcome, its verification read twice once final.
    let customer = upstream.start("scenario=passes").await;
    let created = customer.create().await;
    let waiting = customer
        .wait_for(&created.guid, |v| v.persona_inquiry_id.is_some())
        .await;
    customer
        .complete_widget(&waiting.persona_inquiry_id.unwrap(), None)
        .await;
    customer
        .wait_for(&created.guid, |v| v.state == VerificationState::Completed)
        .await;
    customer.verification(&created.guid).await;

    // A mode-2 server in front of it: a launch looks the customer up upstream.
    let url = upstream.base.clone();
    let bff = Server::with(move |c| {
        c.mode = Mode::Cybrid(CybridConfig {
            bank_url: url.clone(),
            id_url: url,
            client_id: "bank-client".into(),
            client_secret: "bank-secret-value".into(),
            environment: "sandbox".into(),
        });
        c.launch_secret = Some(LAUNCH_SECRET.to_vec());
    })
    .await;
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 60;
    let token = sign(
        LAUNCH_SECRET,
        &json!({"customer_guid": customer.guid, "exp": exp}),
    );
    let launched = client()
        .get(format!("{}/launch?token={token}", bff.base))
        .send()
        .await
        .unwrap();
    assert_eq!(launched.status(), 303);
    // Someone else's record: refused, and its identifier stays out of the labels.
    let refused = client()
        .get(format!("{}/api/customers/cust_nobody", bff.base))
        .header("cookie", launched.headers()["set-cookie"].to_str().unwrap())
        .send()
        .await
        .unwrap();
    assert!(refused.status().is_client_error());

    // What the sandbox cannot make a mode-2 server meet: an upstream 429, a store error.
    kyc_server::metrics::upstream_call("list", Some(429), std::time::Duration::from_millis(5));
    kyc_server::metrics::store_error("ping");

    let scrape = client()
        .get(format!("http://{metrics}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for help in [
        "kyc_http_requests_total",
        "kyc_http_request_duration_seconds",
        "kyc_upstream_calls_total",
        "kyc_sessions_started_total",
        "kyc_verifications_created_total",
        "kyc_verification_outcomes_total",
    ] {
        assert!(scrape.contains(&format!("# HELP {help} ")), "{help}");
    }
    assert!(
        sample(
            &scrape,
            r#"kyc_http_requests_total{route="/api/identity_verifications/{guid}",method="GET",status="200"}"#
        ) >= 2.0
    );
    assert_eq!(
        sample(
            &scrape,
            r#"kyc_http_requests_total{route="/api/identity_verifications",method="POST",status="201"}"#
        ),
        1.0
    );
    assert!(
        sample(
            &scrape,
            r#"kyc_http_request_duration_seconds_count{route="/session",method="GET"}"#
        ) >= 1.0
    );
    assert_eq!(
        sample(&scrape, r#"kyc_sessions_started_total{how="sandbox"}"#),
        1.0
    );
    assert_eq!(
        sample(&scrape, r#"kyc_sessions_started_total{how="launch"}"#),
        1.0
    );
    assert_eq!(sample(&scrape, "kyc_verifications_created_total"), 1.0);
    assert_eq!(
        sample(
            &scrape,
            r#"kyc_verification_outcomes_total{outcome="passed"}"#
        ),
        1.0,
        "counted once however often it is read"
    );
    assert_eq!(
        sample(
            &scrape,
            r#"kyc_upstream_calls_total{endpoint="token",status="200"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            &scrape,
            r#"kyc_upstream_calls_total{endpoint="customer",status="200"}"#
        ),
        1.0
    );
    assert_eq!(
        sample(
            &scrape,
            r#"kyc_upstream_rate_limited_total{endpoint="list"}"#
        ),
        1.0,
        "429s apart"
    );
    assert_eq!(sample(&scrape, r#"kyc_store_errors_total{op="ping"}"#), 1.0);
    assert!(!scrape.contains("cust_nobody"), "no identifiers in labels");
    assert!(!scrape.contains(&customer.guid), "no identifiers in labels");

    // The public port has no metrics.
    let public = client()
        .get(format!("{}/metrics", upstream.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!public.contains("kyc_http_requests_total"), "{public}");
}
