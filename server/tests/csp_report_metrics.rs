//! CSP violation reports counted in `kyc_csp_violations_total{directive}`, by a fixed set of
//! directive names. One test in this binary: the metrics recorder is the process's.

mod common;

use common::{client, Server};

#[tokio::test]
async fn csp_violations_are_counted_by_directive() {
    let server = Server::with(|c| {
        c.mode = kyc_server::Mode::Sandbox(common::fast());
        c.service.metrics_addr = Some("127.0.0.1:0".parse().unwrap());
    })
    .await;
    let metrics = server.running.metrics_addr.unwrap();
    for directive in ["script-src-elem", "script-src-elem", "made-up-directive"] {
        let body = serde_json::json!({"csp-report": {
            "effective-directive": directive,
            "blocked-uri": "https://evil.example/x.js?session=s_secret",
        }});
        let r = client()
            .post(format!("{}/csp-report", server.base))
            .header("content-type", "application/csp-report")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
    }
    let scrape = client()
        .get(format!("http://{metrics}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        scrape.contains(r#"kyc_csp_violations_total{directive="script-src-elem"} 2"#),
        "{scrape}"
    );
    assert!(
        scrape.contains(r#"kyc_csp_violations_total{directive="other"} 1"#),
        "{scrape}"
    );
    assert!(!scrape.contains("made-up-directive") && !scrape.contains("evil.example"));
}
