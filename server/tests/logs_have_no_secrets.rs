//! Tokens and personal data never appear in the server's logs: the log output of a whole
//! run (sandbox flow, resume, launch, mode-2 chain) is captured, as text and as JSON
//! (`KYC_LOG_FORMAT=json`), and searched.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{client, Server};
use kyc_server::config::LogFormat;
use kyc_server::launch::sign;
use kyc_server::{CybridConfig, Mode};
use serde_json::{json, Value};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Collects everything the server logs.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn nothing_secret_is_logged() {
    let capture = Capture::default();
    let json_capture = Capture::default();
    let (writer, json_writer) = (capture.clone(), json_capture.clone());
    // Both formats the server writes, at every level.
    tracing_subscriber::registry()
        .with(kyc_server::logging::layer(LogFormat::Text, move || {
            writer.clone()
        }))
        .with(kyc_server::logging::layer(LogFormat::Json, move || {
            json_writer.clone()
        }))
        .init();

    let mut secrets: Vec<String> = Vec::new();
    const LAUNCH: &[u8] = b"integrator launch secret, 32+ bytes long";
    let upstream = Server::with(|c| {
        c.mode = Mode::Sandbox(common::fast());
        c.sandbox_bank_credentials =
            Some(("client-id-x".into(), "client-secret-never-logged".into()));
    })
    .await;
    secrets.push("client-secret-never-logged".into());

    // A sandbox customer: verification, widget, resume with a token.
    let customer = upstream.start("scenario=pending-resume").await;
    secrets.push(customer.cookie.split('=').nth(1).unwrap().to_owned());
    secrets.push(customer.csrf.clone());
    let list: Value = customer
        .get("/api/identity_verifications")
        .await
        .json()
        .await
        .unwrap();
    let v = &list["objects"][0];
    let session: Value = customer
        .post(
            "/api/persona_sessions",
            &json!({"persona_inquiry_id": v["persona_inquiry_id"], "identity_verification_guid": v["guid"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let token = session["persona_session_token"]
        .as_str()
        .unwrap()
        .to_owned();
    secrets.push(token.clone());
    let opened = customer
        .widget(
            "open",
            json!({"inquiry_id": v["persona_inquiry_id"], "session_token": token}),
        )
        .await;
    secrets.push(opened["exit_token"].as_str().unwrap().to_owned());
    secrets.push(opened["widget_session"].as_str().unwrap().to_owned());
    let again = customer
        .widget(
            "open",
            json!({"inquiry_id": v["persona_inquiry_id"], "session_token": token}),
        )
        .await;
    assert_eq!(again["error"], "unauthenticated");

    // Mode 2 in front of it, with a launch and a refused replay.
    let base = upstream.base.clone();
    let bff = Server::with(move |c| {
        c.mode = Mode::Cybrid(CybridConfig {
            bank_url: base.clone(),
            id_url: base,
            client_id: "client-id-x".into(),
            client_secret: "client-secret-never-logged".into(),
            environment: "sandbox".into(),
        });
        c.launch_secret = Some(LAUNCH.to_vec());
    })
    .await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let launch = sign(
        LAUNCH,
        &json!({"customer_guid": customer.guid, "exp": now + 60}),
    );
    secrets.push(launch.clone());
    for _ in 0..2 {
        client()
            .get(format!("{}/launch?token={launch}", bff.base))
            .send()
            .await
            .unwrap();
    }
    let r = client()
        .get(format!("{}/launch?token={launch}x", bff.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // And by form (a fresh token, then its replay).
    let posted = sign(
        LAUNCH,
        &json!({"customer_guid": customer.guid, "exp": now + 90}),
    );
    secrets.push(posted.clone());
    for expected in [303, 401] {
        let r = client()
            .post(format!("{}/launch", bff.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("token={posted}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), expected);
    }
    let bank_tokens = kyc_server::sandbox::Sandbox::of(&upstream.running.state)
        .unwrap()
        .bank_tokens();
    assert!(!bank_tokens.is_empty(), "the chain obtained a bank token");
    secrets.extend(bank_tokens);

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    let json_logs = String::from_utf8(json_capture.0.lock().unwrap().clone()).unwrap();
    for logs in [&logs, &json_logs] {
        assert!(logs.contains("request"), "the capture works: {logs}");
        assert!(logs.contains("/api/persona_sessions"), "routes are logged");
        for secret in &secrets {
            assert!(!secret.is_empty());
            assert!(
                !logs.contains(secret.as_str()),
                "a secret leaked into the logs: {secret}"
            );
        }
        assert!(!logs.contains("token="), "no query strings");
        assert!(!logs.contains("/launch?"), "no query strings");
    }
    // JSON: one object a line; each request's line has its id, route, method, status, time.
    let lines: Vec<Value> = json_logs
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let requests: Vec<&Value> = lines.iter().filter(|l| l["message"] == "request").collect();
    assert!(!requests.is_empty());
    for line in requests {
        for field in ["route", "method", "status", "ms"] {
            assert!(!line[field].is_null(), "{field} in {line}");
        }
        let id = line["span"]["request_id"].as_str().unwrap_or_default();
        assert_eq!(id.len(), 32, "a request id in {line}");
        // Routes are templates: no code or identifier from the path.
        let route = line["route"].as_str().unwrap();
        assert!(
            !route.contains(customer.guid.as_str()),
            "a raw path in {line}"
        );
    }
}
