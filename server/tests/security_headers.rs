//! Attacks on the headers and on the upstream client: a page reached over http after the
//! first visit (no HSTS), CSP reports as a way to flood the server or its logs, and an
//! identity host that redirects the client secret elsewhere.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::chain::{CLIENT_ID, CLIENT_SECRET};
use common::{client, Server};
use kyc_server::CybridConfig;

#[tokio::test]
async fn over_https_every_response_pins_https() {
    let server = Server::with(|c| {
        c.mode = kyc_server::Mode::Sandbox(common::fast());
        c.secure_cookies = true;
        c.public_origin = Some("https://kyc.bank.example".into());
    })
    .await;
    for path in [
        "/",
        "/healthz",
        "/session",
        "/api/nothing",
        "/no-such-file.js",
    ] {
        let r = client()
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.headers()
                .get("strict-transport-security")
                .map(|v| v.to_str().unwrap()),
            Some("max-age=31536000; includeSubDomains"),
            "{path} ({})",
            r.status()
        );
    }
    let plain = Server::sandbox().await;
    let r = client()
        .get(format!("{}/", plain.base))
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn the_policy_reports_to_the_server() {
    let server = Server::sandbox().await;
    let r = client()
        .get(format!("{}/", server.base))
        .header("cookie", "kyc_session=none")
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("report-uri /csp-report"), "{csp}");
    assert!(csp.contains("report-to csp"), "{csp}");
    assert_eq!(r.headers()["reporting-endpoints"], "csp=\"/csp-report\"");
}

async fn report(server: &Server, kind: &str, body: String) -> reqwest::Response {
    client()
        .post(format!("{}/csp-report", server.base))
        .header("content-type", kind)
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn csp_reports_are_taken_in_both_formats_capped_and_rate_limited() {
    let server = Server::sandbox().await;
    let legacy = serde_json::json!({"csp-report": {
        "effective-directive": "script-src-elem",
        "blocked-uri": "https://evil.example/x.js?session=s_secret",
    }})
    .to_string();
    let modern = serde_json::json!([{"type": "csp-violation",
        "body": {"effectiveDirective": "img-src", "blockedURL": "https://cdn.example/a.png"}}])
    .to_string();
    let r = report(&server, "application/csp-report", legacy.clone()).await;
    assert_eq!(r.status(), 204);
    let r = report(&server, "application/reports+json", modern).await;
    assert_eq!(r.status(), 204);
    // Anything else is not a report.
    let r = report(&server, "text/plain", legacy.clone()).await;
    assert_eq!(r.status(), 415);
    // A body far larger than any report is not read.
    let huge = format!(
        "{{\"csp-report\": {{\"x\": \"{}\"}}}}",
        "a".repeat(64 * 1024)
    );
    let r = report(&server, "application/csp-report", huge).await;
    assert_eq!(r.status(), 413);
    // One address flooding it is cut off.
    let mut limited = false;
    for _ in 0..kyc_server::csp_report::PER_MINUTE {
        if report(&server, "application/csp-report", legacy.clone())
            .await
            .status()
            == 429
        {
            limited = true;
            break;
        }
    }
    assert!(limited, "rate-limited per address");
}

#[tokio::test]
async fn an_identity_host_redirect_never_carries_the_client_secret_elsewhere() {
    // Whoever the redirect points at: counts every request it gets.
    let reached = Arc::new(AtomicUsize::new(0));
    let seen = reached.clone();
    let elsewhere = axum::Router::new().fallback(move || {
        let seen = seen.clone();
        async move {
            seen.fetch_add(1, Ordering::SeqCst);
            axum::Json(serde_json::json!({"access_token": "stolen", "expires_in": 3600}))
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let elsewhere_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, elsewhere).await });
    for status in [302u16, 307, 308] {
        let target = format!("{elsewhere_url}/oauth/token");
        let identity = axum::Router::new().fallback(move || {
            let target = target.clone();
            async move {
                (
                    axum::http::StatusCode::from_u16(status).unwrap(),
                    [(axum::http::header::LOCATION, target)],
                )
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, identity).await });
        let cybrid = kyc_server::cybrid::Cybrid::new(
            CybridConfig {
                bank_url: url.clone(),
                id_url: url,
                client_id: CLIENT_ID.into(),
                client_secret: CLIENT_SECRET.into(),
                environment: "sandbox".into(),
            },
            kyc_server::store::Store::memory(),
            std::time::Duration::ZERO,
        )
        .unwrap();
        assert!(cybrid.token_ready().await.is_err(), "{status}: no token");
        assert_eq!(reached.load(Ordering::SeqCst), 0, "{status} was followed");
    }
}
