//! Shared helpers: a real server on an ephemeral loopback port, and a customer's browser-like
//! client (session cookie + CSRF token).
#![allow(dead_code)]

pub mod chain;
pub mod redis;

use std::time::Duration;

use kyc_onboarding::core::api::{parse, IdentityVerification, SessionInfo};
use kyc_server::config::Timings;
use kyc_server::{Config, Mode, Running};
use serde_json::Value;

pub const INDEX: &str = "<!DOCTYPE html><html><head><script type=\"module\">import init from '/app-0123456789abcdef.js';</script></head><body><div id=\"app\"></div></body></html>";
pub const SCRIPT: &str = "export default function init() { return 'hello from the app'; }";

/// A dist directory like trunk + xtask produce: index.html, a hashed script with .br/.gz.
pub fn fake_dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), INDEX).unwrap();
    std::fs::write(dir.path().join("app-0123456789abcdef.js"), SCRIPT).unwrap();
    std::fs::write(
        dir.path().join("app-0123456789abcdef.js.br"),
        b"BROTLI-BYTES",
    )
    .unwrap();
    std::fs::write(dir.path().join("app-0123456789abcdef.js.gz"), b"GZIP-BYTES").unwrap();
    dir
}

/// Steps that take a few tens of milliseconds.
pub fn fast() -> Timings {
    Timings {
        inquiry_delay_ms: 30,
        decision_delay_ms: 30,
        review_delay_ms: 60,
        customer_delay_ms: 20,
        expire_after_ms: 24 * 3_600_000,
    }
}

/// A running server and the build it serves.
pub struct Server {
    pub base: String,
    pub running: Running,
    _dist: tempfile::TempDir,
}

/// A plain client that does not follow redirects (to see `Set-Cookie`).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl Server {
    /// A sandbox server with fast timings.
    pub async fn sandbox() -> Server {
        Server::with(|c| c.mode = Mode::Sandbox(fast())).await
    }

    /// A server with an adjusted configuration.
    pub async fn with(adjust: impl FnOnce(&mut Config)) -> Server {
        let dist = fake_dist();
        let mut config = Config::sandbox(dist.path().to_path_buf());
        adjust(&mut config);
        let running = kyc_server::serve(config, "127.0.0.1:0".parse().unwrap())
            .await
            .expect("server starts");
        Server {
            base: format!("http://{}", running.addr),
            running,
            _dist: dist,
        }
    }

    /// Starts a sandbox scenario (`scenario=passes&...`) and returns the customer's client.
    pub async fn start(&self, query: &str) -> Customer {
        let response = client()
            .get(format!("{}/sandbox/start?{query}", self.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "scenario {query} starts");
        let set_cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        let cookie = set_cookie.split(';').next().unwrap().to_owned();
        let mut customer = Customer {
            base: self.base.clone(),
            client: client(),
            cookie,
            csrf: String::new(),
            guid: String::new(),
        };
        let info: SessionInfo =
            parse(&customer.get("/session").await.text().await.unwrap()).unwrap();
        customer.csrf = info.csrf_token;
        customer.guid = info.customer_guid;
        customer
    }
}

/// A customer's browser: the session cookie, and the CSRF token from `/session`.
pub struct Customer {
    pub base: String,
    pub client: reqwest::Client,
    pub cookie: String,
    pub csrf: String,
    pub guid: String,
}

impl Customer {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Creates the customer's KYC verification.
    pub async fn create(&self) -> IdentityVerification {
        let response = self
            .post(
                "/api/identity_verifications",
                &serde_json::json!({"type": "kyc", "method": "id_and_selfie", "customer_guid": self.guid}),
            )
            .await;
        assert_eq!(response.status(), 201);
        parse(&response.text().await.unwrap()).unwrap()
    }

    pub async fn verification(&self, guid: &str) -> IdentityVerification {
        let response = self
            .get(&format!("/api/identity_verifications/{guid}"))
            .await;
        assert_eq!(response.status(), 200);
        parse(&response.text().await.unwrap()).unwrap()
    }

    /// Polls the verification until `done` holds (at most ten seconds).
    pub async fn wait_for(
        &self,
        guid: &str,
        done: impl Fn(&IdentityVerification) -> bool,
    ) -> IdentityVerification {
        for _ in 0..500 {
            let v = self.verification(guid).await;
            if done(&v) {
                return v;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("verification {guid} never reached the expected state");
    }

    /// Polls the customer record until its state is `state`.
    pub async fn wait_for_customer(&self, state: &str) {
        for _ in 0..500 {
            let c: Value = self
                .get(&format!("/api/customers/{}", self.guid))
                .await
                .json()
                .await
                .unwrap();
            if c["state"] == state {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("customer never became {state}");
    }

    pub async fn report(&self) -> Value {
        self.get("/sandbox/api/state").await.json().await.unwrap()
    }

    /// What the sandbox widget does: open (with a token when resuming), start, submit.
    pub async fn widget(&self, path: &str, body: Value) -> Value {
        self.client
            .post(format!("{}/widget/api/{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Runs the widget from open to submit; returns Persona's status.
    pub async fn complete_widget(&self, inquiry: &str, token: Option<&str>) -> String {
        let opened = self
            .widget(
                "open",
                serde_json::json!({"inquiry_id": inquiry, "session_token": token}),
            )
            .await;
        let session = opened["widget_session"]
            .as_str()
            .unwrap_or_else(|| panic!("{opened}"));
        assert_eq!(
            self.widget("start", serde_json::json!({"widget_session": session}))
                .await["ok"],
            true
        );
        let submitted = self
            .widget("submit", serde_json::json!({"widget_session": session}))
            .await;
        submitted["status"].as_str().unwrap().to_owned()
    }
}
