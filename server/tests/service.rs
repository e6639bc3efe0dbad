//! Running as a service over real HTTP: graceful stop, readiness, request ids, the client
//! address behind trusted proxies, inbound limits.

mod common;

use std::time::{Duration, Instant};

use common::{client, Server};
use kyc_server::{CybridConfig, Mode};
use serde_json::{json, Value};

/// An in-flight request (held up by the sandbox's latency fault) is answered after the stop
/// is asked for, while new connections are refused; then the server ends.
#[tokio::test]
async fn a_stop_finishes_requests_in_flight_and_refuses_new_connections() {
    let server = Server::with(|c| {
        c.mode = Mode::Sandbox(common::fast());
        c.service.drain = Duration::from_secs(10);
    })
    .await;
    let customer = server.start("scenario=passes").await;
    let added = customer
        .post(
            "/sandbox/api/faults",
            &json!({"rules": ["list:latency=1500:1"]}),
        )
        .await;
    assert_eq!(added.status(), 200);
    let started = Instant::now();
    let in_flight = tokio::spawn(async move {
        let r = customer.get("/api/identity_verifications").await;
        (r.status().as_u16(), r.text().await.unwrap())
    });
    tokio::time::sleep(Duration::from_millis(400)).await;
    server.running.shutdown();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let refused = tokio::net::TcpStream::connect(server.running.addr).await;
    assert!(
        refused.is_err(),
        "a new connection is refused once stopping"
    );
    let (status, body) = in_flight.await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "the fault held it"
    );
    let Server { running, .. } = server;
    tokio::time::timeout(Duration::from_secs(5), running.task)
        .await
        .expect("the server ends once drained")
        .unwrap();
}

/// The drain is bounded: a request that outlasts it does not hold the stop up.
#[tokio::test]
async fn the_drain_is_bounded() {
    let server = Server::with(|c| {
        c.mode = Mode::Sandbox(common::fast());
        c.service.drain = Duration::from_millis(300);
    })
    .await;
    let customer = server.start("scenario=passes").await;
    customer
        .post(
            "/sandbox/api/faults",
            &json!({"rules": ["list:latency=20000:1"]}),
        )
        .await;
    let _stuck = tokio::spawn(async move { customer.get("/api/identity_verifications").await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stopping = Instant::now();
    server.running.shutdown();
    let Server { running, .. } = server;
    tokio::time::timeout(Duration::from_secs(5), running.task)
        .await
        .expect("the drain gives up")
        .unwrap();
    assert!(stopping.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn readiness_in_the_sandbox_and_in_cybrid_mode() {
    let upstream = Server::with(|c| {
        c.mode = Mode::Sandbox(common::fast());
        c.sandbox_bank_credentials = Some(("bank-client".into(), "right-secret-value".into()));
    })
    .await;
    let ready = client()
        .get(format!("{}/readyz", upstream.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.unwrap(), "ready");
    let bff = |secret: &'static str| {
        let url = upstream.base.clone();
        Server::with(move |c| {
            c.mode = Mode::Cybrid(CybridConfig {
                bank_url: url.clone(),
                id_url: url,
                client_id: "bank-client".into(),
                client_secret: secret.into(),
                environment: "sandbox".into(),
            });
            c.launch_secret = Some(b"integrator launch secret, 32+ bytes long".to_vec());
        })
    };
    let good = bff("right-secret-value").await;
    for _ in 0..3 {
        let r = client()
            .get(format!("{}/readyz", good.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let issued = kyc_server::sandbox::Sandbox::of(&upstream.running.state)
        .unwrap()
        .bank_tokens_issued();
    assert_eq!(issued, 1, "probes reuse the cached bank token");

    let bad = bff("wrong-secret-value").await;
    let r = client()
        .get(format!("{}/readyz", bad.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    let body = r.text().await.unwrap();
    assert!(!body.contains("wrong-secret-value"), "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["failed"][0]["check"], "bank_token", "{body}");
    // Alive all the same.
    let alive = client()
        .get(format!("{}/healthz", bad.base))
        .send()
        .await
        .unwrap();
    assert_eq!(alive.status(), 200);
}

#[tokio::test]
async fn request_ids_come_from_trusted_proxies_only() {
    let get = |base: String, id: Option<&'static str>| async move {
        let mut request = client().get(format!("{base}/healthz"));
        if let Some(id) = id {
            request = request.header("x-request-id", id);
        }
        let r = request.send().await.unwrap();
        r.headers()["x-request-id"].to_str().unwrap().to_owned()
    };
    let direct = Server::sandbox().await;
    let generated = get(direct.base.clone(), None).await;
    assert_eq!(generated.len(), 32, "{generated}");
    assert_ne!(generated, get(direct.base.clone(), None).await);
    let ignored = get(direct.base.clone(), Some("from-a-client")).await;
    assert_ne!(
        ignored, "from-a-client",
        "an untrusted peer's id is not taken"
    );

    let behind = Server::with(|c| {
        c.mode = Mode::Sandbox(common::fast());
        c.service.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    })
    .await;
    assert_eq!(
        get(behind.base.clone(), Some("lb-1234.abc")).await,
        "lb-1234.abc"
    );
    let insane = get(behind.base.clone(), Some("a b<script>")).await;
    assert_eq!(insane.len(), 32, "an unfit id is replaced: {insane}");
}

/// Failed handoff attempts are counted per client: behind a trusted proxy, per forwarded
/// address; from anyone else, per peer whatever it forwards.
#[tokio::test]
async fn the_client_address_is_forwarded_only_by_trusted_proxies() {
    let attempt = |base: String, forwarded: &'static str| async move {
        client()
            .get(format!("{base}/handoff/not-a-real-code"))
            .header("x-forwarded-for", forwarded)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    let behind = Server::with(|c| {
        c.mode = Mode::Sandbox(common::fast());
        c.handoff_failures_per_minute = 1;
        c.service.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    assert_eq!(attempt(behind.base.clone(), "198.51.100.1").await, 410);
    assert_eq!(attempt(behind.base.clone(), "198.51.100.1").await, 429);
    assert_eq!(
        attempt(behind.base.clone(), "203.0.113.5, 198.51.100.2").await,
        410,
        "another client behind the proxy (the right-most untrusted hop)"
    );

    let direct = Server::with(|c| {
        c.mode = Mode::Sandbox(common::fast());
        c.handoff_failures_per_minute = 1;
    })
    .await;
    assert_eq!(attempt(direct.base.clone(), "198.51.100.1").await, 410);
    assert_eq!(
        attempt(direct.base.clone(), "198.51.100.2").await,
        429,
        "an untrusted peer's X-Forwarded-For is ignored"
    );
}

/// Past the cap of requests in flight, a request is shed with a 503 at once; probes never.
#[tokio::test]
async fn requests_past_the_cap_are_shed() {
    let server = Server::with(|c| {
        c.mode = Mode::Sandbox(common::fast());
        c.service.max_concurrent_requests = 1;
    })
    .await;
    let customer = server.start("scenario=passes").await;
    customer
        .post(
            "/sandbox/api/faults",
            &json!({"rules": ["list:latency=1000:1"]}),
        )
        .await;
    let base = server.base.clone();
    let cookie = customer.cookie.clone();
    let slow = tokio::spawn(async move { customer.get("/api/identity_verifications").await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let shed = client()
        .get(format!("{base}/session"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(shed.status(), 503);
    assert_eq!(shed.headers()["retry-after"], "1");
    let probe = client()
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(probe.status(), 200);
    assert_eq!(slow.await.unwrap().status(), 200);
}

/// A request that takes longer than the limit gets a 503.
#[tokio::test]
async fn slow_requests_are_cut_off() {
    let server = Server::with(|c| {
        c.mode = Mode::Sandbox(common::fast());
        c.service.request_timeout = Duration::from_secs(1);
    })
    .await;
    let customer = server.start("scenario=passes").await;
    customer
        .post(
            "/sandbox/api/faults",
            &json!({"rules": ["list:latency=3000:1"]}),
        )
        .await;
    let started = Instant::now();
    let r = customer.get("/api/identity_verifications").await;
    assert_eq!(r.status(), 503);
    assert!(started.elapsed() < Duration::from_millis(2500));
}

/// A client that does not finish its headers is disconnected.
#[tokio::test]
async fn slow_headers_are_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = Server::with(|c| {
        c.mode = Mode::Sandbox(common::fast());
        c.service.header_read_timeout = Duration::from_secs(1);
    })
    .await;
    let mut stream = tokio::net::TcpStream::connect(server.running.addr)
        .await
        .unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server closed the connection");
    let answer = String::from_utf8_lossy(&answer);
    assert!(!answer.contains("200 OK"), "{answer}");
}
